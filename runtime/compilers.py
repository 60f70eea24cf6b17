"""defn's compilers, by name, and `compile_traced`, defn's one path from a traced module to an executable.

A compiler is an object with `name` and `compile(module, entry, options) -> executable`, where `module` is an
nx-dialect `ir.Module` that has been through numerix's nx pipeline (passes/pipeline.py; the compiler may rewrite it
in place), `entry` names its public `func.func`, `options` is a dict of compiler options given to defn, and
`executable(*arrays) -> tuple of NumPy arrays` runs the entry on NumPy arrays in its argument order, returning its
results in order. A compiler that keeps the programs it built by their traced text (iree's, on disk) has
`compile_traced(module, entry, options, debug)` too, for a module as traced: it runs the pipeline itself
(pipeline.optimize) when it finds no program. "iree" is the default; "evaluator" is the NumPy reference; a third
party registers its own with `register_compiler`."""
from numerix.dialect.errors import NxValueError
from numerix.passes import pipeline

from .evaluator import Evaluator
from .iree import IreeCompiler

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
    if isinstance(entry, type) or not hasattr(entry, "compile"):  # a factory, not yet called
        entry = COMPILERS[name] = entry()
    return entry


def set_default_compiler(name):
    get_compiler(name)
    _default[0] = name


def compile_traced(compiler, module, entry, options, debug=False, tiered=False):
    """The executable `compiler` makes of a module as traced (rewritten in place): numerix's nx pipeline, then the
    compiler; or the compiler's own `compile_traced`, which may find the program without running the pipeline.
    `debug` dumps the IR after each pass (pipeline.dumps_enabled). `tiered` lets a compiler that `tiers` (iree's)
    return an executable that runs on the evaluator until its compile, in the background, is done
    (runtime/tiered.py); other compilers compile as they always do."""
    own = getattr(compiler, "compile_traced", None)
    if own is not None:
        if tiered and getattr(compiler, "tiers", False):
            return own(module, entry, options, debug, tiered=True)
        return own(module, entry, options, debug)
    pipeline.optimize(module, debug=debug)
    return compiler.compile(module, entry, options)


register_compiler("evaluator", Evaluator)
register_compiler("iree", IreeCompiler)
