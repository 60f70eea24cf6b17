"""Nx's vectorization: nx.vectorize, devectorize, revectorize, reshape_vectors, broadcast_vectors.

A vectorized tensor carries named vectorized axes in front of its shape; every op maps over them ("for each" entry),
seeing only the inner shape (frontend/vectorized.py runs each op by its batching rule), eagerly and inside defn.
Operands with different vectorized axes broadcast by name. nx.vmap is the same mechanism under JAX's interface."""
import math

from numerix.dialect.errors import NxShapeError, NxTypeError, NxValueError
from numerix.dialect.schema import TensorType

from .dispatch import apply
from .operands import to_tensor
from .tensor import Tensor
from .vectorized import describe, plain, union

__all__ = ["vectorize", "devectorize", "revectorize", "reshape_vectors", "broadcast_vectors"]


def vectorize(tensor, name_or_axes=None, **sizes):
    """The tensor with its leading axes made vectorized axes (after any it has already): `vectorize(t, "rows")`
    vectorizes the first axis as "rows"; `vectorize(t, ["x", "y"])` the first two; `vectorize(t, x=2, y=1)` (or a
    list of (name, size) pairs) also checks their sizes.

    >>> nx.vectorize(nx.tensor([[1, 2, 3], [10, 20, 30]]), "rows")
    nx.Tensor<
      vectorized[rows: 2]
      s64[3]
      [[ 1,  2,  3],
       [10, 20, 30]]
    >"""
    t = to_tensor(tensor)
    axes = _axes_spec(name_or_axes, sizes, "vectorize")
    if len(axes) > t.ndim:
        raise NxShapeError(f"cannot vectorize {len(axes)} axes of a tensor of rank {t.ndim} ({t.ttype})",
                           op="vectorize")
    taken = []
    for i, (name, size) in enumerate(axes):
        if any(name == n for n, _ in t.vectorized + tuple(taken)):
            raise NxValueError(f"vectorized axis {name!r} is already there ({describe(t)})", op="vectorize")
        if name in t.names[len(axes):]:
            raise NxValueError(f"cannot name a vectorized axis {name!r}: {describe(t)} has an axis of that name",
                               op="vectorize")
        if size is not None and size != t.shape[i]:
            raise NxShapeError(f"axis {i} of {t.ttype} has size {t.shape[i]}, not {size} as given for {name!r}",
                               op="vectorize")
        taken.append((name, t.shape[i]))
    inner = TensorType(t.shape[len(axes):], t.type, t.names[len(axes):])
    return Tensor(t.data, inner, t.backend, t.vectorized + tuple(taken))


def devectorize(tensor, keep_names=True):
    """The tensor with its vectorized axes made ordinary leading axes again, named after them unless
    keep_names=False.

    Examples:
        >>> nx.devectorize(nx.vectorize(nx.tensor([[1, 2], [3, 4]]), "rows"))
        nx.Tensor<
          s64[rows: 2][2]
          [[1, 2],
           [3, 4]]
        >
    """
    t = to_tensor(tensor)
    if not t.vectorized:
        return t
    full = plain(t)
    if not keep_names:
        full = Tensor(full.data, full.ttype._replace(names=(None,) * len(t.vectorized) + t.names), full.backend)
    return full


def revectorize(tensor, vectorized_axes, *, target_shape, target_names=None):
    """Nx's revectorize: the data of `tensor` (vectorized axes and inner shape together, in order) reshaped to the
    vectorized axes `vectorized_axes` (a dict or a list of (name, size); one size may be "auto", computed from the
    rest; none for a plain tensor) followed by the inner shape `target_shape`.

    Examples:
        >>> nx.revectorize(nx.iota((2, 3)), {"x": 3}, target_shape=(2,))
        nx.Tensor<
          vectorized[x: 3]
          s64[2]
          [[0, 1],
           [2, 3],
           [4, 5]]
        >
    """
    t = to_tensor(tensor)
    axes = _axes_spec(vectorized_axes, {}, "revectorize", auto=True) if vectorized_axes else []
    target_shape = tuple(target_shape)
    known = math.prod(s for _, s in axes if s != "auto") * math.prod(target_shape)
    total = math.prod(s for _, s in t.vectorized) * t.size
    autos = [name for name, s in axes if s == "auto"]
    if len(autos) > 1:
        raise NxValueError(f"only one vectorized axis may be 'auto', got {autos}", op="revectorize")
    if autos:
        if known == 0 or total % known:
            raise NxShapeError(f"cannot fill 'auto' axis {autos[0]!r}: {total} elements do not divide by {known}",
                               op="revectorize")
        axes = [(n, total // known if s == "auto" else s) for n, s in axes]
    sizes = tuple(s for _, s in axes)
    if math.prod(sizes) * math.prod(target_shape) != total:
        raise NxShapeError(f"cannot revectorize {describe(t)} ({total} elements) to vectorized axes {axes} and "
                           f"shape {list(target_shape)}", op="revectorize")
    data = apply("reshape", [devectorize(t, keep_names=False)], shape=sizes + target_shape,
                 names=(None,) * (len(sizes) + len(target_shape)))
    names = tuple(target_names) if target_names is not None else (None,) * len(target_shape)
    if len(names) != len(target_shape):
        raise NxValueError(f"{len(names)} target_names for shape {list(target_shape)}", op="revectorize")
    return Tensor(data.data, TensorType(target_shape, t.type, names), data.backend, tuple(map(tuple, axes)))


def reshape_vectors(tensors, align_ranks=False):
    """The tensors with the same vectorized axes, in one order (the union of theirs, in order of first appearance):
    each keeps its own sizes, and gets size 1 for the axes it lacks. With align_ranks, the inner shapes also get
    leading axes of size 1 up to the largest inner rank.

    Examples:
        >>> a = nx.vectorize(nx.tensor([1, 2]), "x")
        >>> b = nx.vectorize(nx.tensor([10, 20, 30]), "y")
        >>> [t.vectorized for t in nx.reshape_vectors([a, b])]
        [(('x', 2), ('y', 1)), (('x', 1), ('y', 3))]
    """
    return _regroup(tensors, align_ranks, broadcast=False)


def broadcast_vectors(tensors, align_ranks=False):
    """As reshape_vectors, and every vectorized axis broadcast to its size in all of them.

    Examples:
        >>> a = nx.vectorize(nx.tensor([1, 2]), "x")
        >>> b = nx.vectorize(nx.tensor([10, 20, 30]), "y")
        >>> nx.broadcast_vectors([a, b])[0]
        nx.Tensor<
          vectorized[x: 2][y: 3]
          s64
          [[1, 1, 1],
           [2, 2, 2]]
        >
    """
    return _regroup(tensors, align_ranks, broadcast=True)


def _regroup(tensors, align_ranks, broadcast):
    op = "broadcast_vectors" if broadcast else "reshape_vectors"
    if not isinstance(tensors, (list, tuple)):
        raise NxTypeError(f"takes a list of tensors, got {type(tensors).__name__}", op=op)
    tensors = [to_tensor(t) for t in tensors]
    axes = union(tensors, op)
    rank = max((t.ndim for t in tensors), default=0)
    out = []
    for t in tensors:
        own = dict(t.vectorized)
        names = [n for n, _ in t.vectorized]
        inner = ((1,) * (rank - t.ndim) if align_ranks else ()) + t.shape
        inner_names = ((None,) * (rank - t.ndim) if align_ranks else ()) + t.names
        data = apply("transpose", [plain(t)], axes=tuple(names.index(n) for n, _ in axes if n in own) +
                     tuple(range(len(names), len(names) + t.ndim)))
        sizes = tuple(own.get(n, 1) for n, _ in axes)
        data = apply("reshape", [data], shape=sizes + inner, names=(None,) * (len(sizes) + len(inner)))
        if broadcast:
            sizes = tuple(s for _, s in axes)
            data = apply("broadcast", [data], shape=sizes + inner, axes=tuple(range(len(sizes) + len(inner))))
        vectorized = tuple((n, s) for (n, _), s in zip(axes, sizes))
        out.append(Tensor(data.data, TensorType(inner, t.type, inner_names), data.backend, vectorized))
    return out


def _axes_spec(spec, sizes, op, auto=False):
    """[(name, size or None)] from a name, a list of names and (name, size) pairs, a dict, and keyword sizes."""
    if isinstance(spec, str):
        spec = [spec]
    elif isinstance(spec, dict):
        spec = list(spec.items())
    elif spec is None:
        spec = []
    axes = []
    for entry in list(spec) + list(sizes.items()):
        name, size = (entry, None) if isinstance(entry, str) else entry if isinstance(entry, tuple) and \
            len(entry) == 2 else (None, None)
        valid = size is None or (isinstance(size, int) and not isinstance(size, bool) and size >= 0) or \
            (auto and size == "auto")
        if not isinstance(name, str) or not valid:
            raise NxValueError(f"vectorized axes are names, (name, size) pairs or name=size; got {entry!r}", op=op)
        axes.append((name, size))
    if not axes:
        raise NxValueError("needs at least one vectorized axis", op=op)
    if len({n for n, _ in axes}) != len(axes):
        raise NxValueError(f"vectorized axis names repeat: {[n for n, _ in axes]}", op=op)
    return axes
