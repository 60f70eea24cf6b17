"""Pluggable compilers for defn. A compiler is an object with `name` and
`compile(module, entry, options, optimize=None) -> executable`, where `module` is an nx-dialect `ir.Module` (the
compiler may rewrite it in place), `entry` names its public `func.func`, `options` is a dict of compiler options
given to defn, and `executable(*arrays) -> tuple of NumPy arrays` runs the entry on NumPy arrays in its argument
order, returning its results in order. `optimize`, when given, runs numerix's nx pipeline on the module in place:
defn hands over the module as traced, so that a compiler that finds the program in a cache of its own skips the
pipeline; the compiler must call it before anything else reads the module. Without it the module is final.
"iree" is the default; "evaluator" is the NumPy reference; a third party registers its own with
`register_compiler`."""
from numerix.dialect.errors import NxValueError

COMPILERS = {}
_default = ["iree"]


def register_compiler(name, factory):
    """factory() -> compiler; called once, on first use."""
    COMPILERS[name] = factory


def get_compiler(name=None):
    name = name or _default[0]
    entry = COMPILERS.get(name)
    if entry is None:
        raise NxValueError(f"unknown compiler {name!r}; registered: {', '.join(sorted(COMPILERS))}", op="defn")
    if callable(entry) and not hasattr(entry, "compile"):
        entry = COMPILERS[name] = entry()
    return entry


def set_default_compiler(name):
    get_compiler(name)
    _default[0] = name


def _evaluator():
    from .evaluator import Evaluator
    return Evaluator()


register_compiler("evaluator", _evaluator)


def _iree():
    from .iree import IreeCompiler
    return IreeCompiler()


register_compiler("iree", _iree)
