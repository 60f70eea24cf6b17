"""numerix and its public submodules show only their API: dir() lists the names in __all__ (and dunder names), no
helper module or imported helper; every name in __all__ exists; every public function is a def of its own name."""
import types

import pytest

import numerix as nx

NAMESPACES = [nx, nx.linalg, nx.fft, nx.testing, nx.random]


def _dunder(name):
    return name.startswith("__") and name.endswith("__")


@pytest.mark.parametrize("module", NAMESPACES, ids=lambda m: m.__name__)
def test_dir_lists_the_names_in_all_and_no_others(module):
    listed = set(dir(module))
    assert {n for n in listed if not _dunder(n)} == {n for n in module.__all__ if not _dunder(n)}
    assert set(module.__all__) <= listed


@pytest.mark.parametrize("module", NAMESPACES, ids=lambda m: m.__name__)
def test_every_name_in_all_exists_once(module):
    assert [n for n in module.__all__ if not hasattr(module, n)] == []
    assert len(set(module.__all__)) == len(module.__all__)


@pytest.mark.parametrize("module", NAMESPACES, ids=lambda m: m.__name__)
def test_the_only_modules_in_dir_are_the_public_submodules(module):
    modules = {n for n in dir(module) if isinstance(getattr(module, n), types.ModuleType)}
    assert modules == ({"fft", "linalg", "testing", "random"} if module is nx else set())


def test_helper_modules_and_imported_helpers_are_not_listed():
    assert not {"creation", "dispatch", "operands", "elementwise", "operators", "shape", "trace", "dialect"} & set(
        dir(nx))
    assert not {"np", "NamedTuple", "apply", "dtypes"} & set(dir(nx.linalg))
    assert not {"np", "math", "apply"} & set(dir(nx.fft))
    assert not {"np", "ew", "defn", "grad", "Tensor"} & set(dir(nx.testing))
    assert not {"np", "math", "dtypes", "Tensor", "fori_loop"} & set(dir(nx.random))


def test_star_import_gives_exactly_all():
    namespace = {}
    exec("from numerix import *", namespace)
    assert set(namespace) - {"__builtins__"} == set(nx.__all__)


@pytest.mark.parametrize("module", NAMESPACES, ids=lambda m: m.__name__)
def test_every_public_function_is_a_def_of_its_name(module):
    """A def you can search for: a function made at run time has the code name of its factory's inner def."""
    functions = [getattr(module, n) for n in module.__all__ if isinstance(getattr(module, n), types.FunctionType)]
    assert functions
    assert [f.__name__ for f in functions if f.__code__.co_name != f.__name__] == []
    # Aliases (nx.arccos is nx.acos) are public names for public functions.
    assert [f.__name__ for f in functions if f.__name__ not in module.__all__] == []
