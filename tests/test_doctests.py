"""The `>>>` examples in the docstrings of numerix's public functions, run as doctests (as Nx runs its own), and a
check that every public function has one, and the documentation site's build. Examples run eagerly with `nx` bound
to numerix; a few compile a small program (nx.defn, nx.export and nx.load; eager nx.grad, which compiles its
gradient as defn would), kept by the suite's compile cache."""
import doctest
import inspect
import math
import os
import pathlib
import re
import subprocess
import sys

import pytest

import numerix as nx

NAMESPACES = {"nx": nx, "nx.linalg": nx.linalg, "nx.fft": nx.fft, "nx.random": nx.random,
              "nx.testing": nx.testing}

def _is_record(obj):
    """The NamedTuple results (nx.linalg.EighResult, nx.UniqueAllResult, ...): fields, shown by their producers."""
    return isinstance(obj, type) and issubclass(obj, tuple) and hasattr(obj, "_fields")


def _public_callables():
    """{qualified name: object} for each public function and class (errors and result records aside), each object
    once, under its first name: aliases (nx.power for nx.pow) share their original's docstring."""
    seen, found = set(), {}
    for prefix, module in NAMESPACES.items():
        for name in module.__all__:
            obj = getattr(module, name)
            if not (inspect.isfunction(obj) or isinstance(obj, type)) or id(obj) in seen:
                continue
            if _is_record(obj) or (isinstance(obj, type) and issubclass(obj, Exception)):
                continue
            seen.add(id(obj))
            found[f"{prefix}.{name}"] = obj
    return found


PUBLIC = _public_callables()
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*(?:e[-+]?\d+)?|\.\d+(?:e[-+]?\d+)?|inf|nan)")


class NumericChecker(doctest.OutputChecker):
    """Exact text, or else the same text with each number within a few float32 ulps: NumPy's transcendental
    functions may differ in the last bit between CPUs (its SIMD paths), and the printed width with them. Whitespace
    is ignored, since NumPy aligns columns by the widest number."""

    def check_output(self, want, got, optionflags):
        if super().check_output(want, got, optionflags):
            return True
        want_text, got_text = (re.sub(r"\s+", "", s) for s in (want, got))
        if _NUMBER.sub("#", want_text) != _NUMBER.sub("#", got_text):
            return False
        pairs = zip(_NUMBER.findall(want_text), _NUMBER.findall(got_text))
        return all(_close(float(a), float(b)) for a, b in pairs)


def _close(a, b):
    return (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-5, abs_tol=1e-6)


def _examples(name, obj):
    tests = doctest.DocTestFinder(recurse=False).find(obj, name, globs={"nx": nx})
    return [t for t in tests if t.examples]


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_docstring_examples(name):
    tests = _examples(name, PUBLIC[name])
    assert tests, f"{name}'s docstring has no >>> example"
    runner = doctest.DocTestRunner(checker=NumericChecker(), optionflags=doctest.NORMALIZE_WHITESPACE)
    for test in tests:
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples of {name} failed (printed above)"


DOCS = pathlib.Path(__file__).resolve().parent.parent / "docs"
_FENCED = re.compile(r"^```python\n(.*?)^```", re.S | re.M)


@pytest.mark.parametrize("page", sorted(p.name for p in DOCS.glob("*.md") if ">>> " in p.read_text()))
def test_guide_examples(page):
    """The `>>>` examples of the guides' ```python blocks, each block one doctest."""
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(checker=NumericChecker(), optionflags=doctest.NORMALIZE_WHITESPACE)
    for i, block in enumerate(_FENCED.findall((DOCS / page).read_text())):
        if ">>> " in block:
            runner.run(parser.get_doctest(block, {"nx": nx}, f"{page}[{i}]", page, 0))
    result = runner.summarize(verbose=False)
    assert result.attempted and result.failed == 0, f"{result.failed} of {result.attempted} examples failed"


def test_site_builds_without_warnings(tmp_path):
    """The README's docs command: mkdocs.yml is strict, so a warning (a broken link, a docstring mkdocstrings
    cannot parse, a page missing from nav) fails the build. CI installs the docs extra; without it this skips."""
    pytest.importorskip("mkdocstrings_handlers.python")
    root = pathlib.Path(__file__).resolve().parent.parent
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path)],
                          cwd=root, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert done.returncode == 0, done.stderr[-4000:]
    assert (tmp_path / "api" / "elementwise" / "index.html").exists()


def test_checker_tolerates_last_digits_only():
    checker = NumericChecker()
    want = "nx.Tensor<\n  f32[2]\n  [0.       , 3.0000002]\n>\n"
    assert checker.check_output(want, "nx.Tensor<\n  f32[2]\n  [0., 3.]\n>\n", 0)
    assert not checker.check_output(want, "nx.Tensor<\n  f32[2]\n  [0., 3.001]\n>\n", 0)
    assert not checker.check_output(want, "nx.Tensor<\n  f64[2]\n  [0., 3.]\n>\n", 0)
