"""nx.defn: numerical functions traced into the nx dialect once per input signature, then compiled and cached.

Arguments are flattened: tuples (named ones too), lists and dicts are containers, nested freely; their leaves are
tensor arguments or static values. Tensors, NumPy arrays and scalars, and Python numbers are tensor arguments, as in
Nx: a Python number becomes a scalar tensor of its default type (bool, s64, f32, c64), so calling again with another
number reuses the program. Arguments named in `static_argnums` / `static_argnames` are static whatever they hold, and
so is every other leaf (strings, None, callables, config objects): their values key the cache, so they must be
hashable. The signature (container structure, each tensor's shape, type and axis names, each static value, the
compiler) picks the compiled program; a new signature traces again. Defaults that a call does not pass stay Python
values inside the function. A defn called while another is being traced is inlined into that trace."""
import functools
import inspect
import re

import numpy as np

from numerix.dialect import dtypes
from numerix.dialect import ops as nx_ops
from numerix.dialect.schema import TensorType
from numerix.dialect.errors import NxTraceError, NxTypeError, NxValueError
from numerix.passes import pipeline
from numerix.runtime import compilers
from numerix.runtime import tiered as _tiered

from . import autograph as _autograph
from .dispatch import NUMPY, default_backend, device_backend, using_backend
from .operands import tensor
from .tensor import Tensor
from .trace import TraceBackend
from .vectorize import vectorize
from .vectorized import plain

__all__ = ["defn", "jit", "template", "Template"]


def defn(fn=None, *, compiler=None, debug=False, static_argnums=(), static_argnames=(), autograph=True, tiered=None,
         **options):
    """Traces `fn` into the nx dialect and compiles it with `compiler` (None: the global default, see
    numerix.runtime.compilers.set_default_compiler). `options` go to the compiler: the iree compiler's include
    `target` ("llvm-cpu", "cuda", "vulkan-spirv", "rocm", ...), `device` ("cuda:0"), and what the target compiles for
    (cuda_target="sm_80", ...; runtime/iree.py lists them; NUMERIX_TARGET and NUMERIX_DEVICE set the defaults,
    docs/export.md). `debug=True` (or the environment
    variable NUMERIX_DUMP_IR=1) prints the IR after tracing and after each pass to stderr. With `autograph` (the
    default) Python `if`, `while`, `for`, `break`, `continue`, `x if c else y`, `and`, `or` and `not` in fn's own
    body become nx.cond and nx.while_loop where they meet a traced tensor (numerix/autograph.py says how, and what
    stays as it is: lambdas, functions without readable source, the functions fn calls).
    `tiered` (None: the global setting, numerix.runtime.tiered.set_tiered, on unless NUMERIX_TIERED=0): on the iree
    compiler, a call with a new signature that the evaluator runs sooner than iree-compile builds its program runs
    on the evaluator while IREE compiles in the background, and the calls after it switch to the compiled program
    when it is ready (runtime/tiered.py). `tiered=False` always waits for the compiled program.
    Use as `@nx.defn`, `@nx.defn(compiler="evaluator")` or `nx.defn(fn, compiler="evaluator")`.

    Examples:
        >>> @nx.defn
        ... def softmax(t):
        ...     e = nx.exp(t - nx.max(t, axis=-1, keepdims=True))
        ...     return e / nx.sum(e, axis=-1, keepdims=True)
        >>> softmax(nx.tensor([1.0, 2.0, 3.0]))
        nx.Tensor<
          f32[3]
          [0.09003057, 0.24472846, 0.6652409 ]
        >
    """
    if fn is None:
        return lambda f: Defn(f, compiler, debug, static_argnums, static_argnames, options, autograph, tiered)
    return Defn(fn, compiler, debug, static_argnums, static_argnames, options, autograph, tiered)


jit = defn  # Nx.Defn.jit's and JAX's name


class Template:
    """A tensor's shape, type and names without data (Nx.template): `f.lower(nx.template((2, 3), "f32"))`.

    Examples:
        >>> spec = nx.template((2,), "s32")
        >>> spec.shape, spec.type
        ((2,), nx.int32)
    """
    __slots__ = ("ttype",)

    def __init__(self, ttype):
        self.ttype = ttype

    shape = property(lambda self: self.ttype.shape)
    type = property(lambda self: self.ttype.type)
    dtype = type
    names = property(lambda self: self.ttype.names)

    def __repr__(self):
        return f"nx.template({self.ttype})"

    def numpy(self):
        raise NxTypeError(f"nx.template {self.ttype} has no data to compute on; pass it to f.lower(...) instead",
                          op="defn")


def template(shape, type, names=None):
    """A spec of a tensor without data (Nx.template): its shape, type and axis names, for f.lower and nx.export.

    Examples:
        >>> nx.template((2, 3), "f32", names=["batch", None])
        nx.template(f32[batch: 2, 3])
    """
    shape = tuple(shape)
    if not all(isinstance(d, (int, np.integer)) and not isinstance(d, bool) and d >= 0 for d in shape):
        raise NxValueError(f"shape must be non-negative ints, got {shape!r}", op="template")
    if names is not None and len(tuple(names)) != len(shape):
        raise NxValueError(f"{len(tuple(names))} names for shape {list(shape)}", op="template")
    return Template(TensorType.of(shape, dtypes.as_dtype(type), names))


class Defn:
    def __init__(self, fn, compiler, debug, static_argnums, static_argnames, options, autograph=True, tiered=None):
        if not callable(fn):
            raise NxTypeError(f"defn needs a function, got {fn!r}", op="defn")
        functools.update_wrapper(self, fn)
        self.fn = _autograph.convert(fn) if autograph else fn  # what is traced; fn itself where it has no source
        self.compiler = compiler
        self.debug = debug
        self.options = dict(options)
        self.tiered = tiered  # None: tiered.tiered_enabled() when compiling
        self.static_argnums, self.static_argnames = _static_parameters(fn, static_argnums, static_argnames)
        self.entry = _symbol_name(getattr(fn, "__name__", ""))
        code = getattr(fn, "__code__", None)
        self.location = (code.co_filename, code.co_firstlineno, 1) if code is not None else nx_ops.UNKNOWN_LOCATION
        self._cache = {}  # general signature -> Compiled
        self._fast = {}  # _fast_key -> Compiled, for calls with positional eager tensors only

    def __get__(self, obj, objtype=None):  # a defn method gets its instance as a static first argument
        return self if obj is None else functools.partial(self, obj)

    def __call__(self, *args, **kwargs):
        backend = default_backend()
        if getattr(backend, "traced", False):
            return self.fn(*args, **kwargs)  # inlined into the trace that calls it
        compiler = compilers.get_compiler(self.compiler)
        fast_key = None
        # The fast path returns NumPy results: only while NumPy is the default backend (not a device backend,
        # frontend/backends.py).
        if backend is NUMPY and not kwargs and not self.static_argnums:
            fast_key = self._fast_key(compiler, args)
            compiled = self._fast.get(fast_key)  # None, the key of other calls, is never stored
            if compiled is not None:
                return compiled.run_arrays([a.data for a in args])  # a NumPy backend tensor holds an ndarray
        key, leaves = self._signature(args, kwargs, compiler)
        compiled = self._cache.get(key)
        if compiled is None:
            compiled = self._cache[key] = self._lower(key).compile()
        if fast_key is not None:
            self._fast[fast_key] = compiled
        return compiled.run(leaves)

    @staticmethod
    def _fast_key(compiler, args):
        """The cache key of a call whose arguments are all eager tensors, passed by position (the common call): the
        compiler and their types, which fix the general signature. None for any other call."""
        ttypes = []
        for a in args:
            if type(a) is not Tensor or a.backend is not NUMPY or a.vectorized:
                return None
            ttypes.append(a.ttype)
        return compiler, tuple(ttypes)

    def lower(self, *args, **kwargs):
        """Traces for these arguments (tensors or nx.template specs) and returns the Lowered program."""
        if getattr(default_backend(), "traced", False):
            raise NxTraceError("f.lower() cannot be called inside a defn trace", op="lower")
        return self._lower(self._signature(args, kwargs)[0])

    def _signature(self, args, kwargs, compiler=None):
        leaves = []
        count = len(args)
        arg_nodes = tuple(_flatten(a, i in self.static_argnums or i - count in self.static_argnums, leaves, (i,))
                          for i, a in enumerate(args))
        kwarg_nodes = tuple((k, _flatten(v, k in self.static_argnames, leaves, (k,))) for k, v in kwargs.items())
        if compiler is None:
            compiler = compilers.get_compiler(self.compiler)
        return (compiler, arg_nodes, kwarg_nodes), leaves

    def _lower(self, key):
        compiler, arg_nodes, kwarg_nodes = key
        trace = TraceBackend(self.entry, self.location)
        with using_backend(trace):
            # Arguments are made in flattening order, so the function's arguments follow the leaves.
            args = [_unflatten(node, trace.argument) for node in arg_nodes]
            kwargs = {k: _unflatten(node, trace.argument) for k, node in kwarg_nodes}
            out_leaves = []
            out_tree = _flatten_output(self.fn(*args, **kwargs), trace, out_leaves)
        module = trace.finish(out_leaves)
        if pipeline.dumps_enabled(self.debug):
            pipeline.dump_ir("trace", module)
        return Lowered(self, key, module, out_tree, [t.ttype for t in out_leaves], trace.captured, compiler)


class Lowered:
    """A traced program (jax.jit(f).lower(x)'s counterpart): its IR text at each stage, and .compile()."""

    def __init__(self, defn_fn, key, module, out_tree, out_types, captured, compiler):
        self.defn = defn_fn
        self.key = key
        self.module = module
        self.entry = defn_fn.entry
        self.out_tree = out_tree
        self.out_types = out_types
        self.captured = captured
        self.compiler = compiler

    def stages(self):
        """"nx" as traced, "nx-optimized" after the default nx pipeline, "stablehlo" as IREE gets it (StableHLO, and
        a linalg.generic per fusion)."""
        return ("nx", "nx-optimized", "stablehlo")

    def as_text(self, stage="nx", debug_info=False):
        if stage not in self.stages():
            raise NxValueError(f"unknown stage {stage!r}; stages: {', '.join(self.stages())}", op="lower")
        module = self.module
        if stage != "nx":
            module = nx_ops.clone_module(module)
            pipeline.optimize(module)
            if stage == "stablehlo":
                pipeline.lower(module)
        return module.operation.get_asm(enable_debug_info=debug_info)

    def nx_text(self, debug_info=False):
        return self.as_text("nx", debug_info)

    def compile(self):
        """The Compiled program. Tiered (defn's `tiered`), it may run on the evaluator until its compile is done:
        `Compiled.wait()` waits for it."""
        module = nx_ops.clone_module(self.module)  # passes and compilers rewrite in place; self.module stays
        tiered = self.defn.tiered if self.defn.tiered is not None else _tiered.tiered_enabled()
        return Compiled(self, compilers.compile_traced(self.compiler, module, self.entry, dict(self.defn.options),
                                                       self.defn.debug, tiered))


class Compiled:
    """A compiled program for one signature; calling it with arguments of another signature is an error."""

    def __init__(self, lowered, executable):
        self.lowered = lowered
        self._single = lowered.out_tree[0] == "tensor"
        self._adopt(executable)
        if isinstance(executable, _tiered.TieredExecutable):  # runs on the evaluator until IREE's is ready
            executable.on_ready(self._adopt)

    def _adopt(self, executable):
        self.executable = executable
        # IREE's executable takes the arrays without checking them again (run_arrays' are the program's types).
        self._call = getattr(executable, "call_arrays", None) or (lambda arrays: executable(*arrays))
        # An executable that states the NumPy shape and dtype of each result it returns (as iree's does) is not
        # re-checked on every call when they are the program's.
        self._checks_results = getattr(executable, "result_types", None) != [
            (t.shape, t.type.np) for t in self.lowered.out_types]

    def wait(self):
        """Waits until the compiled program runs the calls (a tiered program's background compile is done, or its
        error raised); returns self."""
        if isinstance(self.executable, _tiered.TieredExecutable):
            self.executable.wait()
        return self

    def __call__(self, *args, **kwargs):
        key, leaves = self.lowered.defn._signature(args, kwargs)
        if key != self.lowered.key:
            raise NxValueError(f"compiled for arguments {_describe(self.lowered.key)}, called with {_describe(key)}",
                               op="defn")
        return self.run(leaves)

    def run(self, leaves):
        """Runs on the tensor leaves, in flattening order; returns the result tree. Where a leaf lives on a device
        (or a device backend is the default), the device's backend runs it there and the results stay there."""
        backend = device_backend(leaves)
        if backend is None:
            return self.run_arrays([leaf.numpy() for leaf in leaves])
        lowered = self.lowered
        outputs = backend.invoke(self.wait().executable, [*leaves, *lowered.captured], lowered.out_types)
        return outputs[0] if self._single else self._tree(outputs)

    def run_arrays(self, arrays):
        """Runs on the NumPy arrays of the tensor leaves, in flattening order, which the signature that found this
        program gave their shapes and types (they are not checked again); returns the result tree."""
        lowered = self.lowered
        results = self._call([*arrays, *lowered.captured] if lowered.captured else arrays)
        if self._checks_results:
            results = self._checked(results)
        if self._single:
            return Tensor(results[0], lowered.out_types[0], NUMPY)
        return self._tree([Tensor(array, ttype, NUMPY) for array, ttype in zip(results, lowered.out_types)])

    def _tree(self, outputs):
        """The function's output structure, with `outputs`, its result Tensors in order, for leaves."""
        outputs = iter(outputs)
        return _unflatten(self.lowered.out_tree, lambda ttype: next(outputs))

    def _checked(self, results):
        """The results as NumPy arrays, after checking that they are the program's."""
        lowered = self.lowered
        if len(results) != len(lowered.out_types):
            raise NxValueError(f"compiler {lowered.compiler.name!r} returned {len(results)} results where the "
                               f"program has {len(lowered.out_types)}", op="defn")
        arrays = [np.asarray(array) for array in results]
        for array, ttype in zip(arrays, lowered.out_types):
            if array.shape != ttype.shape or array.dtype != ttype.type.np:
                raise NxValueError(f"compiler {lowered.compiler.name!r} returned {array.dtype}"
                                   f"{list(array.shape)} where the program gives {ttype}", op="defn")
        return arrays


# ---- argument and result trees ----
# A node is ("tensor", ttype), ("vectorized", ttype of its data, vectorized axes), ("static", type, value), ("none",),
# ("tuple", type, children), ("list", children) or ("dict", keys, children): hashable, so the argument tree with its
# types and static values is the cache key.

def _flatten(value, static, leaves, path):
    """`path` locates `value` for error messages, built only when one is raised (see _path_text)."""
    if static:
        if isinstance(value, (Tensor, Template)):
            raise NxTypeError(f"{_path_text(path)} is static but holds a tensor; static arguments must be Python "
                              "values", op="defn")
        try:
            hash(value)
        except TypeError:
            raise NxTypeError(f"{_path_text(path)} is static (it keys the compiled-program cache) so it must be "
                              f"hashable, got {type(value).__name__}", op="defn") from None
        return ("static", type(value), value)
    if isinstance(value, Tensor) and value.vectorized:
        leaves.append(plain(value))
        return ("vectorized", leaves[-1].ttype, value.vectorized)
    if isinstance(value, (Tensor, Template)):
        leaves.append(value)
        return ("tensor", value.ttype)
    if isinstance(value, (np.ndarray, np.generic)) or dtypes.weak_type(value) is not None:
        t = tensor(value, backend=NUMPY)
        leaves.append(t)
        return ("tensor", t.ttype)
    if isinstance(value, tuple):
        return ("tuple", type(value), tuple(_flatten(v, False, leaves, (path, i)) for i, v in enumerate(value)))
    if isinstance(value, list):
        return ("list", tuple(_flatten(v, False, leaves, (path, i)) for i, v in enumerate(value)))
    if isinstance(value, dict):
        return ("dict", tuple(value), tuple(_flatten(v, False, leaves, (path, k)) for k, v in value.items()))
    return _flatten(value, True, leaves, path)


def _path_text(path):
    """`path` is (argument position or name,) for an argument, (parent path, index or key) inside a container:
    ((0,), "w") -> "argument 0['w']"."""
    keys = []
    while len(path) == 2:
        path, key = path
        keys.append(key)
    return f"argument {path[0]!r}" + "".join(f"[{k!r}]" for k in reversed(keys))


def _flatten_output(value, trace, leaves):
    if value is None:
        return ("none",)
    if isinstance(value, Tensor) and value.vectorized:
        leaves.append(plain(value))
        return ("vectorized", leaves[-1].ttype, value.vectorized)
    if isinstance(value, Tensor):
        leaves.append(value)
        return ("tensor", value.ttype)
    if isinstance(value, (np.ndarray, np.generic)) or dtypes.weak_type(value) is not None:
        return _flatten_output(tensor(value, backend=trace), trace, leaves)
    if isinstance(value, tuple):
        return ("tuple", type(value), tuple(_flatten_output(v, trace, leaves) for v in value))
    if isinstance(value, list):
        return ("list", tuple(_flatten_output(v, trace, leaves) for v in value))
    if isinstance(value, dict):
        return ("dict", tuple(value), tuple(_flatten_output(v, trace, leaves) for v in value.values()))
    raise NxTraceError(f"a defn function returns tensors, numbers, None and tuples, lists and dicts of them; got "
                       f"{type(value).__name__}", op="defn")


def _unflatten(node, leaf):
    """Rebuilds a tree, taking each tensor leaf from `leaf(ttype)`."""
    kind = node[0]
    if kind == "tensor":
        return leaf(node[1])
    if kind == "vectorized":
        return vectorize(leaf(node[1]), list(node[2]))
    if kind == "static":
        return node[2]
    if kind == "none":
        return None
    if kind == "list":
        return [_unflatten(n, leaf) for n in node[1]]
    if kind == "dict":
        return {k: _unflatten(n, leaf) for k, n in zip(node[1], node[2])}
    items = [_unflatten(n, leaf) for n in node[2]]
    return node[1](*items) if hasattr(node[1], "_fields") else node[1](items)  # a namedtuple takes its fields


def _describe(key):
    _, arg_nodes, kwarg_nodes = key
    return "(" + ", ".join([_describe_tree(n) for n in arg_nodes] +
                           [f"{k}={_describe_tree(n)}" for k, n in kwarg_nodes]) + ")"


def _describe_tree(node):
    """A flattened tree (_flatten's, _flatten_output's) as text: its tensor types, static values and containers."""
    kind = node[0]
    if kind == "tensor":
        return str(node[1])
    if kind == "vectorized":
        return "vectorized" + "".join(f"[{n}: {d}]" for n, d in node[2]) + f" {node[1]}"
    if kind == "static":
        return f"static {node[2]!r}"
    if kind == "none":
        return "None"
    if kind == "dict":
        return "{" + ", ".join(f"{k!r}: {_describe_tree(n)}" for k, n in zip(node[1], node[2])) + "}"
    children = ", ".join(_describe_tree(n) for n in node[-1])
    return f"[{children}]" if kind == "list" else f"({children})"


def _symbol_name(name):
    """A bare MLIR symbol name for a Python function's name: "<lambda>" -> "lambda", "2nd" -> "f_2nd"."""
    name = re.sub(r"[^A-Za-z0-9_]+", "_", name).strip("_") or "main"
    return f"f_{name}" if name[0].isdigit() else name


def _static_parameters(fn, argnums, argnames):
    """JAX's rule: a parameter named static by position is static by name too, and the other way round."""
    argnums = {argnums} if isinstance(argnums, int) else set(argnums)
    argnames = {argnames} if isinstance(argnames, str) else set(argnames)
    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        return frozenset(argnums), frozenset(argnames)
    positional = [p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    named = {p.name for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
    takes_any = any(p.kind == p.VAR_KEYWORD for p in params)
    for name in argnames:
        if name not in named and not takes_any:
            raise NxValueError(f"static_argnames names {name!r}, which {getattr(fn, '__name__', fn)} does not take",
                               op="defn")
        if name in positional:
            argnums.add(positional.index(name))
    for i in list(argnums):
        if -len(positional) <= i < len(positional) and positional[i] in named:
            argnames.add(positional[i])
    return frozenset(argnums), frozenset(argnames)
