"""Automatic differentiation: nx.grad and nx.value_and_grad (JAX's signatures), nx.stop_grad, nx.custom_grad.

Gradients are not taken by a Python tape. Inside a defn, nx.grad(fn)(*args) traces fn into a private function of
the module being traced and emits one op, nx.grad or nx.value_and_grad, that names it; the nx-grad pass then writes
the reverse-mode function (passes/grad.py). Called outside a defn, the gradient function is traced, compiled and
run at once, as nx.defn(nx.grad(fn)) would be. fn may close over tensors of the enclosing defn: they are passed to
the traced function as extra, undifferentiated arguments."""
import functools

from numerix.dialect.schema import SCHEMAS
from numerix.dialect.errors import NxTraceError, NxTypeError, NxValueError

from . import autograph as _autograph
from .defn import _flatten, _flatten_output, _unflatten, defn
from .creation import zeros
from .dispatch import apply, default_backend, using_backend
from .function_trace import callee_signature, leaf_paths, location_of, trace_function, traced_parent
from .operands import to_tensor
from .tensor import Tensor
from .vmap import for_each_entry, has_vectorized

__all__ = ["grad", "value_and_grad", "stop_grad", "custom_grad"]


def grad(fn, argnums=0, has_aux=False):
    """The gradient of `fn`, which returns a real floating-point scalar (or, with has_aux, a pair of that scalar
    and auxiliary data: the gradient function then returns (gradient, aux)), with respect to the positional
    arguments `argnums` (an int, or a tuple: then a tuple of gradients). The gradient of a container argument (tuple,
    list, dict, nested) is the same container; its static leaves stay as they are. Integer and bool arguments
    cannot be differentiated. For complex arguments the gradient is df/dx - i df/dy (JAX's convention: conjugate it
    for a step of gradient descent).

    Examples:
        >>> nx.grad(lambda x: nx.sum(x * x))(nx.tensor([1.0, 2.0, 3.0]))
        nx.Tensor<
          f32[3]
          [2., 4., 6.]
        >
        >>> nx.grad(lambda x, y: nx.sum(x * y), argnums=(0, 1))(nx.tensor([1.0]), nx.tensor([5.0]))[1]
        nx.Tensor<
          f32[1]
          [1.]
        >
    """
    return _Gradient(fn, argnums, has_aux, with_value=False)


def value_and_grad(fn, argnums=0, has_aux=False):
    """Like `grad`, but the function returns (value, gradient), or ((value, aux), gradient) with has_aux.

    Examples:
        >>> value, grad = nx.value_and_grad(lambda x: nx.sum(nx.sin(x)))(nx.tensor([0.0, 1.0]))
        >>> value
        nx.Tensor<
          f32
          0.84147096
        >
        >>> grad
        nx.Tensor<
          f32[2]
          [1.       , 0.5403023]
        >
    """
    return _Gradient(fn, argnums, has_aux, with_value=True)


def stop_grad(x):
    """x itself, through which no gradient flows (JAX's stop_gradient).

    Examples:
        >>> nx.grad(lambda x: nx.sum(x * nx.stop_grad(x)))(nx.tensor([1.0, 2.0]))
        nx.Tensor<
          f32[2]
          [1., 2.]
        >
    """
    return apply("stop_grad", [to_tensor(x)])


class _Gradient:
    def __init__(self, fn, argnums, has_aux, with_value):
        self.op = "value_and_grad" if with_value else "grad"
        if not callable(fn):
            raise NxTypeError(f"needs a function, got {fn!r}", op=self.op)
        single = isinstance(argnums, int) and not isinstance(argnums, bool)
        numbers = (argnums,) if single else tuple(argnums) if isinstance(argnums, (tuple, list)) else None
        if not numbers or not all(isinstance(i, int) and not isinstance(i, bool) and i >= 0 for i in numbers) \
                or len(set(numbers)) != len(numbers):
            raise NxValueError(f"argnums must be a non-negative int or a tuple of distinct ones, got {argnums!r}",
                               op=self.op)
        functools.update_wrapper(self, fn)
        # fn's Python control flow is converted as defn's is (frontend/autograph.py): a gradient is often taken of a
        # function the defn only calls, which defn's conversion does not reach.
        self.fn = _autograph.convert(fn)
        self.argnums, self.single, self.has_aux, self.with_value = numbers, single, has_aux, with_value
        self.__name__ = f"{self.op}_{getattr(fn, '__name__', 'fn')}"
        self._eager = None

    def __call__(self, *args, **kwargs):
        parent = traced_parent()
        if parent is None:  # eagerly: trace, compile and run the gradient as a defn of its own
            if self._eager is None:
                self._eager = defn(self)
            return self._eager(*args, **kwargs)
        return self._trace(parent, args, kwargs)

    def _trace(self, parent, args, kwargs):
        if has_vectorized(args) or has_vectorized(kwargs):  # a gradient for each entry of the vectorized arguments
            keys, count = list(kwargs), len(args)
            return for_each_entry(lambda *xs: self._trace(traced_parent(), xs[:count], dict(zip(keys, xs[count:]))),
                                  list(args) + list(kwargs.values()))
        if max(self.argnums) >= len(args):
            raise NxValueError(f"argnums {self.argnums} asks for positional argument {max(self.argnums)} of "
                               f"{getattr(self.fn, '__name__', self.fn)}, called with {len(args)}", op=self.op)
        leaves, spans = [], []
        arg_nodes = []
        for i, a in enumerate(args):
            start = len(leaves)
            arg_nodes.append(_flatten(a, False, leaves, f"argument {i}"))
            spans.append(range(start, len(leaves)))
        kwarg_nodes = [(k, _flatten(v, False, leaves, f"argument {k!r}")) for k, v in kwargs.items()]
        wrt = []
        for i in self.argnums:
            paths = leaf_paths(arg_nodes[i], f"argument {i}")
            if not paths:
                raise NxValueError(f"argument {i} holds no tensor to differentiate", op=self.op)
            for j, path in zip(spans[i], paths):
                if not leaves[j].type.is_inexact:
                    raise NxTypeError(f"cannot differentiate with respect to {path}, a {leaves[j].ttype} tensor: "
                                      "gradients need floating-point or complex arguments", op=self.op)
                wrt.append(j)

        def rebuild(arguments):
            it = iter(arguments)
            inner_args = [_unflatten(n, lambda t: next(it)) for n in arg_nodes]
            return inner_args, {k: _unflatten(n, lambda t: next(it)) for k, n in kwarg_nodes}

        trace, out = trace_function(parent, getattr(self.fn, "__name__", "fn"), self.fn, [t.ttype for t in leaves],
                                     location_of(self.fn), rebuild)
        with using_backend(trace):
            value, aux = self._split(out)
            aux_leaves = []
            aux_tree = _flatten_output(aux, trace, aux_leaves) if self.has_aux else None
        trace.finish([value] + aux_leaves)

        outer = leaves + trace.captures
        attrs = {"callee": callee_signature(trace, [value] + aux_leaves), "wrt": tuple(wrt)}
        op = "value_and_grad" if self.with_value or self.has_aux else "grad"
        out_types = SCHEMAS[op].check([t.ttype for t in outer], attrs)
        emitted = parent._emit(op, [parent._value(t) for t in outer], attrs, out_types)
        named = [t.ttype for t in [value] + aux_leaves] if op == "value_and_grad" else []
        named += [leaves[j].ttype for j in wrt]
        results = [Tensor(v, t, parent) for v, t in zip(emitted, named)]

        gradients = iter(results[len(results) - len(wrt):])
        trees = [_unflatten(arg_nodes[i], lambda t: next(gradients)) for i in self.argnums]
        gradient = trees[0] if self.single else tuple(trees)
        if op == "grad":
            return gradient
        values = iter(results[1:1 + len(aux_leaves)])
        aux_out = _unflatten(aux_tree, lambda t: next(values)) if self.has_aux else None
        if not self.with_value:
            return gradient, aux_out
        return ((results[0], aux_out) if self.has_aux else results[0]), gradient

    def _split(self, out):
        """(value, aux) of fn's output, the value checked to be a real floating-point scalar tensor."""
        what = getattr(self.fn, "__name__", "the function")
        if self.has_aux:
            if not isinstance(out, tuple) or len(out) != 2:
                raise NxTypeError(f"has_aux=True needs {what} to return a pair (value, aux), got "
                                  f"{type(out).__name__}", op=self.op)
            value, aux = out
        else:
            value, aux = out, None
        if not isinstance(value, Tensor):
            try:
                value = to_tensor(value)  # a constant: its gradient is zero
            except NxTypeError:
                raise NxTypeError(f"{what} must return a real floating-point scalar tensor, got "
                                  f"{type(value).__name__}", op=self.op) from None
        if value.shape != () or not value.type.is_float:
            raise NxTypeError(f"{what} must return a real floating-point scalar, got {value.ttype} (reduce it, e.g. "
                              "with nx.sum, or take nx.real or nx.abs of a complex value)", op=self.op)
        return value, aux


class custom_grad:
    """A function with a gradient of its own (JAX's custom_vjp):

        @nx.custom_grad
        def f(x, y): ...
        def f_fwd(x, y): return f(x, y), residuals      # residuals: any tree of tensors
        def f_bwd(residuals, g): return (g_x, g_y)      # one cotangent (or None) per argument
        f.defvjp(f_fwd, f_bwd)

    Called, f runs as it is; differentiated, the gradient runs f_fwd and f_bwd instead of differentiating f's ops.
    The three functions may not close over tensors of an enclosing defn: pass those as arguments.

    Examples:
        >>> @nx.custom_grad
        ... def clipped_identity(x):
        ...     return x
        >>> _ = clipped_identity.defvjp(lambda x: (x, None), lambda residuals, g: (nx.clip(g, -1.0, 1.0),))
        >>> nx.grad(lambda x: nx.sum(clipped_identity(x) * 5.0))(nx.tensor([1.0, 2.0]))
        nx.Tensor<
          f32[2]
          [1., 1.]
        >
    """

    def __init__(self, fn):
        functools.update_wrapper(self, fn)
        self.fn = fn
        self.fwd = self.bwd = None
        self._in_rule = 0  # > 0 while fwd or bwd is traced: a call of f in them is f's own ops (JAX's pattern)

    def defvjp(self, fwd, bwd):
        self.fwd, self.bwd = fwd, bwd
        return self

    def __call__(self, *args):
        if self.fwd is None:
            raise NxValueError(f"{self.__name__} has no gradient rule yet; give it with .defvjp(fwd, bwd)",
                               op="custom_grad")
        parent = traced_parent()
        if parent is None or self._in_rule:
            return self.fn(*args)
        self._in_rule += 1
        try:
            return self._trace(parent, args)
        finally:
            self._in_rule -= 1

    def _trace(self, parent, args):
        """Traces f, fwd and bwd into functions beside the caller and emits the nx.custom_grad op naming them."""
        name = getattr(self.fn, "__name__", "fn")
        leaves = []
        nodes = [_flatten(a, False, leaves, f"argument {i}") for i, a in enumerate(args)]
        leaf_types = [t.ttype for t in leaves]

        def rebuild(arguments):
            it = iter(arguments)
            return [_unflatten(n, lambda t: next(it)) for n in nodes], {}

        primal, out = trace_function(parent, name, self.fn, leaf_types, location_of(self.fn), rebuild)
        out_leaves = []
        with using_backend(primal):
            out_tree = _flatten_output(out, primal, out_leaves)
        primal.finish(out_leaves)
        out_types = [t.ttype for t in out_leaves]

        forward, pair = trace_function(parent, f"{name}_fwd", self.fwd, leaf_types, location_of(self.fwd), rebuild)
        forward_out, residual_leaves = [], []
        with using_backend(forward):
            if not isinstance(pair, tuple) or len(pair) != 2:
                raise NxTypeError(f"{getattr(self.fwd, '__name__', 'fwd')} must return (output, residuals)",
                                  op="custom_grad")
            _check_tree("fwd's output", _flatten_output(pair[0], forward, forward_out), out_tree, forward_out)
            residual_tree = _flatten_output(pair[1], forward, residual_leaves)
        forward.finish(forward_out + residual_leaves)

        def backward_args(arguments):
            residuals, cotangents = iter(arguments[:len(residual_leaves)]), iter(arguments[len(residual_leaves):])
            return [_unflatten(residual_tree, lambda t: next(residuals)),
                    _unflatten(out_tree, lambda t: next(cotangents))], {}

        backward, result = trace_function(parent, f"{name}_bwd", self.bwd,
                                           [t.ttype for t in residual_leaves] + out_types, location_of(self.bwd),
                                           backward_args)
        with using_backend(backward):
            cotangents = self._cotangents(result, args, nodes, leaves)
        backward.finish(cotangents)

        for trace in (primal, forward, backward):
            if trace.captures:
                raise NxTraceError(f"{trace.symbol} uses tensors of the enclosing function; custom_grad functions "
                                   "must get every tensor they use as an argument", op="custom_grad")
        attrs = {"callee": callee_signature(primal, out_leaves),
                 "forward": callee_signature(forward, forward_out + residual_leaves),
                 "backward": callee_signature(backward, cotangents)}
        emitted = parent._emit("custom_grad", [parent._value(t) for t in leaves], attrs,
                               SCHEMAS["custom_grad"].check(leaf_types, attrs))
        values = iter(Tensor(v, t, parent) for v, t in zip(emitted, out_types))
        return _unflatten(out_tree, lambda t: next(values))

    def _cotangents(self, result, args, nodes, leaves):
        """bwd's result as one cotangent per argument leaf (zeros for a None), checked against the leaves."""
        what = getattr(self.bwd, "__name__", "bwd")
        if not isinstance(result, (tuple, list)) or len(result) != len(args):
            raise NxTypeError(f"{what} must return a tuple of {len(args)} cotangents (one per argument)",
                              op="custom_grad")
        flat = []
        for i, (cotangent, node) in enumerate(zip(result, nodes)):
            count = len(leaf_paths(node, ""))
            mine = leaves[len(flat):len(flat) + count]
            if cotangent is None:
                flat += [zeros(t.shape, type=t.type) for t in mine]
                continue
            got = []
            _check_tree(f"{what}'s cotangent of argument {i}", _flatten_output(cotangent, default_backend(), got),
                        node, got)
            for g, t in zip(got, mine):
                if g.shape != t.shape or g.type is not t.type:
                    raise NxTypeError(f"{what} gives a {g.ttype} cotangent for argument {i}'s {t.ttype} tensor",
                                      op="custom_grad")
            flat += got
        return flat


def _check_tree(what, got, want, leaves):
    def shape_of(node):
        kind = node[0]
        if kind == "tensor":
            return ("tensor",)
        if kind in ("static", "none"):
            return node
        if kind == "dict":
            return ("dict", node[1], tuple(shape_of(c) for c in node[2]))
        return (kind, tuple(shape_of(c) for c in node[-1]))
    if shape_of(got) != shape_of(want):
        raise NxTypeError(f"{what} has another structure than expected ({len(leaves)} tensors)", op="custom_grad")
