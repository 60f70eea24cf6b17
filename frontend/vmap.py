"""nx.vmap: a function mapped over a batch axis of its arguments, with JAX's signature and semantics.

Inside a defn, nx.vmap(fn)(*args) traces fn once, on one example's shapes, into a private function of the module,
and emits one op, nx.vmap, that names it; the nx-batch pass then writes the batched function, each op by its
batching rule (passes/batch.py), so the batch runs as batched kernels and vmap composes with nx.grad and control
flow in any order. Called outside a defn, the mapped function is traced, compiled and run at once, as
nx.defn(nx.vmap(fn)) would be. fn may close over tensors of the enclosing defn: they are the same for every example."""
import functools
import math

from numerix.dialect.schema import SCHEMAS, TensorType
from numerix.dialect.errors import NxShapeError, NxTypeError, NxValueError

from . import autograph as _autograph
from .defn import _flatten, _flatten_output, _unflatten, defn
from .dispatch import using_backend
from .function_trace import callee_signature, leaf_paths, location_of, trace_function, traced_parent
from .shape import reshape
from .tensor import Tensor
from .vectorize import broadcast_vectors, devectorize, vectorize

__all__ = ["vmap"]


def vmap(fn, in_axes=0, out_axes=0):
    """fn mapped over an axis of its arguments: `vmap(fn)(xs)` stacks `fn(x)` for each x along axis 0 of xs, as
    batched kernels (never a loop over the batch).

    `in_axes` says where each positional argument carries the batch axis: an int (every argument, every tensor in
    it), None (not batched: the same for every example), or a tuple with one entry per positional argument, each an
    int, None, or a container of the argument's structure (a prefix of it) holding ints and Nones. Keyword arguments
    are batched along axis 0. `out_axes` says the same of the results (None: a result that is the same for every
    example). Negative axes count from the end. Nested vmaps map over several axes; vmap(grad(f)) gives per-example
    gradients.

    Examples:
        >>> nx.vmap(lambda row: nx.sum(row * row))(nx.tensor([[1, 2], [3, 4]]))
        nx.Tensor<
          s64[2]
          [ 5, 25]
        >
        >>> nx.vmap(nx.dot, in_axes=(0, None))(nx.tensor([[1, 2], [3, 4]]), nx.tensor([1, 10]))
        nx.Tensor<
          s64[2]
          [21, 43]
        >
    """
    return _Vmap(fn, in_axes, out_axes)


def _axis_spec(spec, what):
    if spec is None or (isinstance(spec, int) and not isinstance(spec, bool)):
        return
    if isinstance(spec, (tuple, list)):
        for s in spec:
            _axis_spec(s, what)
    elif isinstance(spec, dict):
        for s in spec.values():
            _axis_spec(s, what)
    else:
        raise NxTypeError(f"{what} holds ints, None, and tuples, lists and dicts of them; got {spec!r}", op="vmap")


def _leaf_axes(node, spec, path, what):
    """One axis (or None) per tensor leaf of a flattened tree `node`, from `spec`, an int, None, or a container of
    the tree's structure down to some depth."""
    kind = node[0]
    if spec is None or isinstance(spec, int):
        return [spec] * _count(node)
    children = node[-1] if kind in ("tuple", "list", "dict") else None
    if kind == "dict" and isinstance(spec, dict) and set(spec) == set(node[1]):
        return [a for key, child in zip(node[1], children) for a in _leaf_axes(child, spec[key], f"{path}[{key!r}]",
                                                                              what)]
    if kind in ("tuple", "list") and isinstance(spec, (tuple, list)) and len(spec) == len(children):
        return [a for i, (child, s) in enumerate(zip(children, spec)) for a in _leaf_axes(child, s, f"{path}[{i}]",
                                                                                          what)]
    raise NxValueError(f"{what} {spec!r} does not match the structure of {path}", op="vmap")


def _count(node):
    kind = node[0]
    if kind in ("tensor", "vectorized"):
        return 1
    if kind in ("static", "none"):
        return 0
    return sum(_count(child) for child in node[-1])


class _Vmap:
    def __init__(self, fn, in_axes, out_axes):
        if not callable(fn):
            raise NxTypeError(f"needs a function, got {fn!r}", op="vmap")
        _axis_spec(in_axes, "in_axes")
        _axis_spec(out_axes, "out_axes")
        functools.update_wrapper(self, fn)
        self.fn = _autograph.convert(fn)  # as nx.grad: defn's conversion does not reach the functions it calls
        self.in_axes, self.out_axes = in_axes, out_axes
        self.__name__ = f"vmap_{getattr(fn, '__name__', 'fn')}"
        self._eager = None

    def __call__(self, *args, **kwargs):
        parent = traced_parent()
        if parent is None:  # eagerly: trace, compile and run the mapped function as a defn of its own
            if self._eager is None:
                self._eager = defn(self)
            return self._eager(*args, **kwargs)
        return self._trace(parent, args, kwargs)

    def _trace(self, parent, args, kwargs):
        if has_vectorized(args) or has_vectorized(kwargs):  # vectorized axes stay outside the mapped one
            keys, count = list(kwargs), len(args)
            return for_each_entry(lambda *xs: self._trace(traced_parent(), xs[:count], dict(zip(keys, xs[count:]))),
                                  list(args) + list(kwargs.values()))
        leaves, axes, paths, arg_nodes = [], [], [], []
        if isinstance(self.in_axes, (tuple, list)) and len(self.in_axes) != len(args):
            raise NxValueError(f"in_axes {self.in_axes!r} has {len(self.in_axes)} entries for {len(args)} positional "
                               "arguments", op="vmap")
        for i, a in enumerate(args):
            node = _flatten(a, False, leaves, (i,))
            spec = self.in_axes[i] if isinstance(self.in_axes, (tuple, list)) else self.in_axes
            axes += _leaf_axes(node, spec, f"argument {i}", "in_axes")
            paths += leaf_paths(node, f"argument {i}")
            arg_nodes.append(node)
        kwarg_nodes = []
        for key, value in kwargs.items():
            node = _flatten(value, False, leaves, (key,))
            axes += [0] * _count(node)
            paths += leaf_paths(node, f"argument {key!r}")
            kwarg_nodes.append((key, node))
        axes = [self._check_axis(leaf, axis, path) for leaf, axis, path in zip(leaves, axes, paths)]
        self._check_sizes(leaves, axes, paths)

        def rebuild(arguments):
            it = iter(arguments)
            inner_args = [_unflatten(n, lambda t: next(it)) for n in arg_nodes]
            return inner_args, {k: _unflatten(n, lambda t: next(it)) for k, n in kwarg_nodes}

        example = [_without_axis(leaf.ttype, axis) for leaf, axis in zip(leaves, axes)]
        trace, out = trace_function(parent, getattr(self.fn, "__name__", "fn"), self.fn, example,
                                     location_of(self.fn), rebuild)
        with using_backend(trace):
            out_leaves = []
            out_tree = _flatten_output(out, trace, out_leaves)
        trace.finish(out_leaves)
        out_axes = _leaf_axes(out_tree, self.out_axes, "the result", "out_axes")
        out_axes = [self._check_out_axis(t, axis) for t, axis in zip(out_leaves, out_axes)]

        outer = leaves + trace.captures
        attrs = {"callee": callee_signature(trace, out_leaves),
                 "in_axes": tuple(-1 if a is None else a for a in axes) + (-1,) * len(trace.captures),
                 "out_axes": tuple(-1 if a is None else a for a in out_axes)}
        out_types = SCHEMAS["vmap"].check([t.ttype for t in outer], attrs)
        emitted = parent._emit("vmap", [parent._value(t) for t in outer], attrs, out_types)
        results = iter([Tensor(v, t, parent) for v, t in zip(emitted, out_types)])
        return _unflatten(out_tree, lambda t: next(results))

    @staticmethod
    def _check_axis(leaf, axis, path):
        if axis is None:
            return None
        if not -leaf.ndim <= axis < leaf.ndim:
            raise NxValueError(f"in_axes asks for axis {axis} of {path}, a {leaf.ttype} tensor", op="vmap")
        return axis % leaf.ndim

    @staticmethod
    def _check_out_axis(result, axis):
        if axis is None:
            return None
        if not -(result.ndim + 1) <= axis <= result.ndim:
            raise NxValueError(f"out_axes asks for axis {axis} of a result {result.ttype} per example, which has "
                               f"{result.ndim + 1} axes batched", op="vmap")
        return axis % (result.ndim + 1)

    @staticmethod
    def _check_sizes(leaves, axes, paths):
        batched = [(leaf, axis, path) for leaf, axis, path in zip(leaves, axes, paths) if axis is not None]
        if not batched:
            raise NxValueError("no argument is batched (in_axes is None for every tensor)", op="vmap")
        first = batched[0]
        for leaf, axis, path in batched[1:]:
            if leaf.shape[axis] != first[0].shape[first[1]]:
                raise NxShapeError(f"{path} ({leaf.ttype}) has size {leaf.shape[axis]} along its batch axis {axis}, "
                                   f"but {first[2]} ({first[0].ttype}) has size {first[0].shape[first[1]]} along its "
                                   f"batch axis {first[1]}", op="vmap")


def _without_axis(ttype, axis):
    if axis is None:
        return ttype
    return TensorType(ttype.shape[:axis] + ttype.shape[axis + 1:], ttype.type, ttype.names[:axis] +
                      ttype.names[axis + 1:])


# ---- vectorized tensors met by code that traces functions (Nx's vectorization: frontend/vectorize.py) ----

def has_vectorized(tree):
    if isinstance(tree, Tensor):
        return bool(tree.vectorized)
    if isinstance(tree, (tuple, list)):
        return any(has_vectorized(item) for item in tree)
    if isinstance(tree, dict):
        return any(has_vectorized(item) for item in tree.values())
    return False


def for_each_entry(fn, args):
    """fn(*args) for each entry of the vectorized tensors in `args` (trees): an nx.vmap over their vectorized axes
    (broadcast together and flattened into one batch axis), its results vectorized again. How a loop, a gradient or a
    vmap runs on vectorized values: each entry gets its own trips, its own gradient."""
    leaves = []
    nodes = [_flatten(a, False, leaves, (i,)) for i, a in enumerate(args)]
    axes_of = [axes for node in nodes for axes in _vectorized_axes(node)]
    vectorized = broadcast_vectors([vectorize(leaf, list(a)) for leaf, a in zip(leaves, axes_of) if a])
    axes = vectorized[0].vectorized
    sizes = tuple(size for _, size in axes)
    entries = iter(vectorized)
    flat = [reshape(devectorize(next(entries), keep_names=False), (math.prod(sizes),) + leaf.shape[len(a):])
            if a else leaf for leaf, a in zip(leaves, axes_of)]
    per_entry = [_per_entry(node) for node in nodes]

    def one(*xs):
        given = iter(xs)
        return fn(*[_unflatten(node, lambda t: next(given)) for node in per_entry])
    out = vmap(one, in_axes=tuple(0 if a else None for a in axes_of))(*flat)
    return _map_tensors(out, lambda r: vectorize(reshape(r, sizes + r.shape[1:]), list(axes)))


def _map_tensors(tree, fn):
    if isinstance(tree, Tensor):
        return fn(tree)
    if isinstance(tree, (tuple, list)):
        items = [_map_tensors(item, fn) for item in tree]
        return type(tree)(*items) if hasattr(tree, "_fields") else type(tree)(items)
    if isinstance(tree, dict):
        return {k: _map_tensors(v, fn) for k, v in tree.items()}
    return tree


def _vectorized_axes(node):
    """The vectorized axes of each tensor leaf of a flattened tree, in order (() for a plain one)."""
    kind = node[0]
    if kind in ("tensor", "vectorized"):
        return [node[2] if kind == "vectorized" else ()]
    if kind in ("static", "none"):
        return []
    return [axes for child in node[-1] for axes in _vectorized_axes(child)]


def _per_entry(node):
    """The tree with each vectorized leaf as the plain tensor of one entry."""
    kind = node[0]
    if kind == "vectorized":
        return ("tensor", node[1]._replace(shape=node[1].shape[len(node[2]):], names=node[1].names[len(node[2]):]))
    if kind in ("tensor", "static", "none"):
        return node
    children = tuple(_per_entry(child) for child in node[-1])
    return node[:-1] + (children,)
