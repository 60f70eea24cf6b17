"""Indexing as NumPy does it (`t[...]`), and take, take_along_axis and Nx's gather, all built from the shape nx
ops (slice, reverse, reshape, gather) so that the same code traces.

Integer indices follow NumPy: negative ones count from the end. One rule holds eagerly and inside defn alike, so that
a function gives the same result both ways: indices given as Python or NumPy values are known when the op is written,
and an out-of-range one is an NxIndexError; indices given as tensors are wrapped when negative and then clamped into
range, as StableHLO's gather does (a traced index cannot be checked, and an eager tensor index behaves as the same
index would under defn; JAX's rule). Boolean masks need their data (the result's shape depends on it), so a traced
mask is an NxTraceError."""
import builtins
import contextlib

import numpy as np

from numerix.dialect import dtypes
from numerix.dialect.errors import NxIndexError, NxShapeError, NxTraceError, NxTypeError, NxValueError

from .creation import constant, iota
from .dispatch import NUMPY, apply, using_backend
from .elementwise import add, less, minimum, not_equal, select
from .operands import axis_index, broadcast_shapes, broadcast_to, result_type, tensor, to_tensor
from .shape import concatenate, put_slice, reshape, slice_along_axis, stack
from .tensor import Tensor
from .vectorize import reshape_vectors

__all__ = ["gather", "take", "take_along_axis", "indexed_add", "indexed_put"]


def _traced(t):
    return getattr(t.backend, "traced", False)


# ---- integer index operands ----

def _index_operand(op, value, error=NxTypeError):
    """Integer indices as a NumPy int64 array (known data) or an integer Tensor."""
    if isinstance(value, Tensor):
        if not value.type.is_integer:
            raise error(f"indices must be integers, got {value.ttype}", op=op)
        return value
    array = _as_array(op, value, error)
    if array.size == 0 and array.dtype.kind == "f":  # [] is an empty list of indices
        array = array.astype(np.int64)
    if array.dtype.kind not in "iu":
        raise error(f"indices must be integers, got {array.dtype} data {value!r}", op=op)
    return array


def _as_array(op, value, error):
    try:
        return np.asarray(value)
    except ValueError:  # ragged nesting
        raise error(f"indices must be a rectangular array of integers, got {value!r}", op=op) from None


def _check_range(op, data, dims, axes):
    """NumPy's bounds check of known index data against dims (broadcast along the index vectors' last axis)."""
    bad = (data < -dims) | (data >= dims)
    if bad.any():
        where = np.argwhere(bad)[0]
        column = where[-1] if np.ndim(dims) else 0
        raise NxIndexError(f"index {data[tuple(where)]} is out of bounds for axis {axes[column]} with size "
                           f"{np.broadcast_to(dims, bad.shape)[tuple(where)]}", op=op)


def _normalized(op, index, dims, axes):
    """s64 indices with negative ones wrapped (NumPy's rule); dims is an int or one per entry of the last axis."""
    dims_array = np.asarray(dims, np.int64)
    if isinstance(index, np.ndarray):
        _check_range(op, index, dims_array, axes)
        wrapped = np.where(index < 0, index.astype(np.int64) + dims_array, index.astype(np.int64))
        return tensor(np.asarray(wrapped, np.int64))
    if index.type.is_unsigned:  # never negative; u64 values past s64's range are out of range anyway: clamp them
        if index.type is dtypes.u64:
            index = minimum(index, np.uint64(np.iinfo(np.int64).max))
        return to_tensor(index, dtypes.s64)
    index = to_tensor(index, dtypes.s64)
    return select(less(index, 0), add(index, dims_array), index)


def _gather_or_empty(t, index, out_shape, out_names, **attrs):
    """StableHLO's gather needs slice sizes within the operand; an operand with an empty axis can only give an
    empty result (a non-empty index into it is out of range), which a reshape of the empty operand makes."""
    if 0 in t.shape:
        if 0 not in out_shape:
            raise NxIndexError(f"cannot gather elements of {t.ttype} (it has an empty axis) into shape "
                               f"{list(out_shape)}", op="gather")
        return reshape(t, out_shape, names=out_names)
    return apply("gather", [t, index], **attrs)


# ---- public gathers ----

def take(x, indices, /, *, axis=None):
    """Elements of x at `indices` (any shape) along `axis`: the result's shape is x's with that axis replaced by
    the indices' shape. axis=None is allowed for 1-d x only (the array API's rule; Nx defaults to 0).

    Examples:
        >>> nx.take(nx.tensor([[1, 2], [3, 4]]), nx.tensor([1, 0, 1]), axis=0)
        nx.Tensor<
          s64[3][2]
          [[3, 4],
           [1, 2],
           [3, 4]]
        >
    """
    t = to_tensor(x)
    if axis is None:
        if t.ndim != 1:
            raise NxValueError(f"needs axis= for {t.ttype} (rank {t.ndim}); axis=None is for 1-d tensors",
                               op="take")
        axis = 0
    a = axis_index("take", t, axis)
    if t.ndim == 0:
        raise NxValueError(f"cannot take from rank-0 {t.ttype}", op="take")
    index = _normalized("take", _index_operand("take", indices), t.shape[a], [a])
    k = index.ndim
    out_shape = t.shape[:a] + index.shape + t.shape[a + 1:]
    out_names = t.names[:a] + index.names + t.names[a + 1:]
    return _gather_or_empty(
        t, index, out_shape, out_names, offset_dims=tuple(range(a)) + tuple(range(a + k, t.ndim - 1 + k)),
        collapsed_slice_dims=(a,), start_index_map=(a,), index_vector_dim=k,
        slice_sizes=t.shape[:a] + (1,) + t.shape[a + 1:])


def take_along_axis(x, indices, /, *, axis=-1):
    """For each position of `indices` (the rank of x; other axes broadcast with x's), the element of x at that
    index along `axis` (the array API's and NumPy's take_along_axis).

    Examples:
        >>> nx.take_along_axis(nx.tensor([[1, 2, 3], [4, 5, 6]]), nx.tensor([[2, 0], [1, 1]]), axis=1)
        nx.Tensor<
          s64[2][2]
          [[3, 1],
           [5, 5]]
        >
    """
    t = to_tensor(x)
    index = _index_operand("take_along_axis", indices)
    if t.ndim == 0 or index.ndim != t.ndim:
        raise NxShapeError(f"indices of shape {list(index.shape)} must have the rank of {t.ttype} (at least 1)",
                           op="take_along_axis")
    a = axis_index("take_along_axis", t, axis)
    try:
        others = np.broadcast_shapes(t.shape[:a] + t.shape[a + 1:], index.shape[:a] + index.shape[a + 1:])
    except ValueError:
        raise NxShapeError(f"indices of shape {list(index.shape)} do not broadcast with {t.ttype} outside axis {a}",
                           op="take_along_axis") from None
    out_shape = others[:a] + (index.shape[a],) + others[a:]
    source = broadcast_to(t, others[:a] + (t.shape[a],) + others[a:])
    index = _normalized("take_along_axis", index if isinstance(index, Tensor) else np.broadcast_to(
        index, out_shape), t.shape[a], [a])
    index = broadcast_to(index, out_shape)
    # The full index of each element: its own position on the other axes, the given index on `axis`.
    columns = [reshape(index, out_shape + (1,)) if d == a else tensor(np.broadcast_to(
        np.arange(out_shape[d]).reshape([-1 if i == d else 1 for i in range(t.ndim)] + [1]), out_shape + (1,)))
        for d in range(t.ndim)]
    return _gather_or_empty(
        source, concatenate(columns, axis=-1), out_shape, source.names[:a] + index.names[a:a + 1] + source.names[
            a + 1:], offset_dims=(), collapsed_slice_dims=tuple(range(t.ndim)),
        start_index_map=tuple(range(t.ndim)), index_vector_dim=t.ndim, slice_sizes=(1,) * t.ndim)


def gather(t, indices, axes=None):
    """Nx's gather: the last axis of `indices` holds index vectors into `axes` of t (by default its first ones);
    each picks one element of those axes, with the other axes of t taken whole after the indices' other axes.

    Examples:
        >>> nx.gather(nx.tensor([[1, 2], [3, 4]]), nx.tensor([[1, 1], [0, 1]]))
        nx.Tensor<
          s64[2]
          [4, 2]
        >
    """
    t = to_tensor(t)
    index = _index_operand("gather", indices)
    if index.ndim == 0:
        raise NxShapeError("indices need a last axis of index vectors, got a scalar", op="gather")
    k = index.shape[-1]
    axes = list(range(k)) if axes is None else [axis_index("gather", t, a) for a in (
        axes if isinstance(axes, (tuple, list)) else [axes])]
    if len(axes) != k or len(set(axes)) != k or k > t.ndim:
        raise NxShapeError(f"index vectors of length {k} need as many distinct axes of {t.ttype}, got axes "
                           f"{list(axes)}", op="gather")
    index = _normalized("gather", index, [t.shape[a] for a in axes], axes)
    rest = [d for d in range(t.ndim) if d not in axes]
    batch = index.ndim - 1
    return _gather_or_empty(
        t, index, index.shape[:-1] + tuple(t.shape[d] for d in rest),
        index.names[:-1] + tuple(t.names[d] for d in rest), offset_dims=tuple(range(batch, batch + len(rest))),
        collapsed_slice_dims=tuple(sorted(axes)), start_index_map=tuple(axes), index_vector_dim=batch,
        slice_sizes=tuple(1 if d in axes else t.shape[d] for d in range(t.ndim)))


# ---- Nx's indexed_add and indexed_put: scatters, the transpose of gather ----

def _indexed(op, target, indices, updates, axes):
    """Nx's operands of an indexed op: n index vectors (n, k) into the `axes` of target (by default its first k),
    and updates (n, ...) holding one window per index vector, with one axis per other axis of target, each no longer
    than it (the window starts at the index on `axes` and at 0 on the others). A rank-1 index is one full index with
    a scalar update. Returns target and updates at their common type, the s64 index vectors (normalized as gather's;
    None when nothing is written), their values when known (a NumPy array, else None) and the scatter's dimension
    numbers."""
    common = result_type(op, target, updates)
    t, u = to_tensor(target, common), to_tensor(updates, common)
    index = _index_operand(op, indices)
    if index.ndim == 1:
        if index.shape[0] != t.ndim or u.ndim != 0:
            raise NxShapeError(f"a rank-1 index is one entry per axis of {t.ttype} with a scalar update, got indices "
                               f"of shape {list(index.shape)} and updates {u.ttype}", op=op)
        index = index.reshape(1, -1) if isinstance(index, np.ndarray) else reshape(index, (1, t.ndim))
        u = reshape(u, (1,))
    if index.ndim != 2:
        raise NxShapeError(f"indices must have rank 1 or 2 (n index vectors), got shape {list(index.shape)}", op=op)
    n, k = index.shape
    axes = list(range(k)) if axes is None else [axis_index(op, t, a) for a in (
        axes if isinstance(axes, (tuple, list)) else [axes])]
    if len(axes) != k or k > t.ndim or any(a >= b for a, b in zip(axes, axes[1:])):
        raise NxValueError(f"index vectors of length {k} need as many increasing axes of {t.ttype}, got axes "
                           f"{axes}", op=op)
    rest = [d for d in range(t.ndim) if d not in axes]
    window = dict(zip(rest, u.shape[1:]))
    if u.ndim != 1 + len(rest) or u.shape[0] != n or any(w > t.shape[d] for d, w in window.items()):
        raise NxShapeError(f"updates {u.ttype} must be {n} windows (one per index vector) with one axis per axis "
                           f"{rest} of {t.ttype}, each no longer than it", op=op)
    dims = dict(offset_dims=tuple(range(1, 1 + len(rest))), collapsed_slice_dims=tuple(axes),
                start_index_map=tuple(axes), index_vector_dim=1,
                slice_sizes=tuple(window.get(d, 1) for d in range(t.ndim)))
    if u.size == 0:
        return t, u, None, None, dims
    if t.size == 0:
        raise NxIndexError(f"cannot write {u.ttype} into {t.ttype}: it has an empty axis", op=op)
    sizes = [t.shape[a] for a in axes]
    normalized = _normalized(op, index, sizes, axes)
    # Known values, wrapped as _normalized wraps them (inside defn its result is a traced constant).
    known = None
    if not (isinstance(index, Tensor) and (_traced(index) or index.vectorized)):  # each entry has its own indices
        known = np.asarray(index)
        known = np.minimum(known, np.iinfo(np.int64).max).astype(np.int64) if known.dtype.kind == "u" else \
            known.astype(np.int64)
        known = np.where(known < 0, known + sizes, known)
    return t, u, normalized, known, dims


def indexed_add(target, indices, updates, *, axes=None):
    """Nx's indexed_add: target with each update added at its index (updates at one position all add up). The
    result type is the promotion of target and updates. Indices follow gather's rule: known ones must be in range
    (negative ones count from the end), tensor ones are wrapped when negative and clamped.

    Examples:
        >>> nx.indexed_add(nx.tensor([0, 0, 0]), nx.tensor([[1], [1], [2]]), nx.tensor([5, 2, 1]))
        nx.Tensor<
          s64[3]
          [0, 7, 1]
        >
    """
    t, u, index, _, dims = _indexed("indexed_add", target, indices, updates, axes)
    return t if index is None else apply("scatter_add", [t, index, u], **dims)


def indexed_put(target, indices, updates, *, axes=None):
    """Nx's indexed_put: target with each update written at its index; where indices repeat, the last update
    written there wins (Nx leaves the winner unspecified). Types and indices as in indexed_add.

    Composed of one scatter_add, each position receiving its winning update alone: beside each value it adds a flag
    (1 for each winning update) into a trailing axis, and the flag selects the positions written. Adding onto -0.0
    (the identity of + that keeps -0.0; 0 and False for the other types) reproduces each update exactly. One
    scatter, not a second one for the flags: IREE 3.13 fails to compile two scatters of one rank >= 2 operand shape
    that share their indices.

    Examples:
        >>> nx.indexed_put(nx.zeros((2, 2)), nx.tensor([[0, 1], [1, 0]]), nx.tensor([7.0, 8.0]))
        nx.Tensor<
          f32[2][2]
          [[0., 7.],
           [8., 0.]]
        >
    """
    t, u, index, known, dims = _indexed("indexed_put", target, indices, updates, axes)
    if index is None:
        return t
    identity = constant(False if t.type.is_bool else -0.0 if t.type.is_inexact else 0, t.type)
    keep = _last_writes(t, index, known, u.shape, dims)
    flags = broadcast_to(constant(1, t.type), u.shape)
    if keep is not None:
        u, flags = select(keep, u, identity), select(keep, flags, identity)
    pairs = apply("scatter_add", [broadcast_to(identity, t.shape + (2,)), index, stack([u, flags], axis=-1)],
                  **dict(dims, offset_dims=dims["offset_dims"] + (len(u.shape),),
                         slice_sizes=dims["slice_sizes"] + (2,)))
    values, written = (reshape(slice_along_axis(pairs, i, 1, axis=-1), t.shape) for i in (0, 1))
    out = select(written, values, t)
    # The ops above meet the vectorized axes of index and updates before target's; Nx orders them target's first.
    return reshape_vectors([t, index, u, out])[-1] if out.vectorized else out


def _last_writes(t, index, known, shape, dims):
    """Which updates are the last written at their place in t: a bool tensor of the updates' shape, None when no
    place is written twice. Every window has the same shape and starts at 0 on the axes not indexed, so two windows
    meet exactly where their index vectors (clamped) are equal: the n vectors decide, each by the flat position of
    its window's start. Known indices (`known`) decide with NumPy; traced ones by a stable sort of the positions,
    where each run of equal positions ends at its last update."""
    n, axes = shape[0], dims["start_index_map"]
    if known is not None:
        sizes = np.array([t.shape[a] for a in axes])
        strides = np.array([int(np.prod(t.shape[a + 1:])) for a in axes])
        positions = np.clip(known, 0, sizes - 1) @ strides
        last = n - 1 - np.unique(positions[::-1], return_index=True)[1]
        if last.size == n:
            return None
        keep = np.zeros(n, bool)
        keep[last] = True
        keep = tensor(keep)
    elif n == 1:
        return None
    else:
        positions = apply("gather", [iota(t.shape, type=dtypes.s64), index], offset_dims=(),
                          collapsed_slice_dims=tuple(range(t.ndim)), start_index_map=axes, index_vector_dim=1,
                          slice_sizes=(1,) * t.ndim)
        order = apply("argsort", [positions], axis=0, descending=False)  # the sort ops are stable
        ordered = take(positions, order)
        run_ends = concatenate([not_equal(slice_along_axis(ordered, 0, n - 1), slice_along_axis(ordered, 1, n - 1)),
                                tensor([True])])
        # `order` is a permutation, so adding each run end at its update's place (bool + is or) moves it back there.
        keep = apply("scatter_add", [broadcast_to(tensor(False), (n,)), reshape(order, (n, 1)), run_ends],
                     offset_dims=(), collapsed_slice_dims=(0,), start_index_map=(0,), index_vector_dim=1,
                     slice_sizes=(1,))
    return broadcast_to(reshape(keep, (n,) + (1,) * (len(shape) - 1)), shape)


# ---- t[index] ----

def getitem(t, index):
    """t[index] with NumPy's rules: ints, slices (any step), None, Ellipsis, integer arrays and boolean masks,
    alone or in tuples; a dict {axis name: index} indexes axes by name. Basic indices become a static slice,
    a reverse and a reshape; advanced ones then one gather."""
    entries = _entries(t, index)
    advanced = any(kind in ("array", "mask") for kind, _ in entries)
    if advanced:  # beside an array index, ints index as 0-d arrays (this decides where the new axes go)
        entries = [("array", np.asarray(v, np.int64)) if kind == "int" else (kind, v) for kind, v in entries]
    entries = _expand(t, _masks_to_arrays(t, entries))
    y, before, source = _basic(t, entries)
    y = _advanced(y, entries, before, source) if advanced else y
    return +y if y is t else y  # t[...] is another tensor than t: `t[...] = v` must not rebind it


def _entries(t, index):
    """The index as a list of (kind, value): int, slice, new (None), ellipsis, array (integer) or mask (bool)."""
    if isinstance(index, dict):
        named = [builtins.slice(None)] * t.ndim
        for name, item in index.items():
            named[axis_index("getitem", t, name)] = item
        index = tuple(named)
    out = []
    for item in index if isinstance(index, tuple) else (index,):
        if item is None:
            out.append(("new", None))
        elif item is Ellipsis:
            out.append(("ellipsis", None))
        elif isinstance(item, builtins.slice):
            out.append(("slice", item))
        elif isinstance(item, (bool, np.bool_)):
            out.append(("mask", np.asarray(item)))
        elif isinstance(item, (int, np.integer)):
            out.append(("int", int(item)))
        elif isinstance(item, Tensor):
            out.append(("mask", item) if item.type.is_bool else (
                "array", _index_operand("getitem", item, NxIndexError)))
        elif isinstance(item, (list, tuple, np.ndarray)):
            array = _as_array("getitem", item, NxIndexError)
            out.append(("mask", array) if array.dtype == np.bool_ else (
                "array", _index_operand("getitem", array, NxIndexError)))
        else:
            raise NxIndexError(f"cannot index {t.ttype} with {type(item).__name__} {item!r}; expected ints, "
                               "slices, None, Ellipsis, integer or boolean arrays", op="getitem")
    if sum(kind == "ellipsis" for kind, _ in out) > 1:
        raise NxIndexError("an index can only have a single ellipsis ('...')", op="getitem")
    return out


def _masks_to_arrays(t, entries):
    """A k-d mask becomes the k integer arrays of its true positions (NumPy's nonzero); a 0-d mask (True/False)
    indexes no axis and adds an axis of length 1 or 0."""
    out, axis = [], 0
    ellipsis_at = next((i for i, (kind, _) in enumerate(entries) if kind == "ellipsis"), None)
    consumed_after = _consumed(entries[ellipsis_at + 1:]) if ellipsis_at is not None else 0
    for kind, value in entries:
        if kind == "ellipsis":
            axis = t.ndim - consumed_after
        if kind != "mask":
            out.append((kind, value))
            axis += kind in ("int", "slice", "array")
            continue
        if isinstance(value, Tensor):
            if _traced(value):
                raise NxTraceError(f"boolean mask indexing with a traced mask {value.ttype} is not supported inside "
                                   "defn: the result's shape depends on the data; use nx.select", op="getitem")
            value = value.numpy()
        if value.ndim == 0:
            out.append(("array0", np.zeros(int(value), np.int64)))
            continue
        dims = t.shape[axis:axis + value.ndim]
        if dims != value.shape:
            raise NxIndexError(f"boolean index of shape {list(value.shape)} does not match {t.ttype} at axes "
                               f"{axis}..{axis + value.ndim - 1}", op="getitem")
        out.extend(("array", a) for a in np.nonzero(value))
        axis += value.ndim
    return out


def _consumed(entries):
    return sum(1 if kind in ("int", "slice", "array") else np.ndim(value) if kind == "mask" else 0
               for kind, value in entries)


def _expand(t, entries):
    """Checks the count of indexed axes; the ellipsis (or the end) stands for the axes left, kept as
    ("ellipsis", count) so that it still separates advanced indices (NumPy's rule, even when it stands for
    none)."""
    consumed = _consumed(entries)
    if consumed > t.ndim:
        raise NxIndexError(f"too many indices for {t.ttype}: it has {t.ndim} axes but {consumed} were indexed",
                           op="getitem")
    rest = t.ndim - consumed
    if not any(kind == "ellipsis" for kind, _ in entries):
        return entries + [("slice", builtins.slice(None))] * rest
    return [(kind, rest) if kind == "ellipsis" else (kind, value) for kind, value in entries]


def _slice_bounds(op, s, dim, axis):
    """A static (start, limit, stride, reversed) window for slice `s` of an axis of size dim."""
    for part in (s.start, s.stop, s.step):
        if isinstance(part, Tensor) and _traced(part):
            raise NxTraceError(f"slice bounds must be static inside defn, got a traced {part.ttype} on axis "
                               f"{axis}; use nx.slice or nx.slice_along_axis with tensor start indices", op=op)
    if s.step is not None and int(s.step) == 0:
        raise NxValueError(f"slice step cannot be zero (axis {axis})", op=op)
    start, stop, step = s.indices(dim)
    n = len(range(start, stop, step))
    if n == 0:
        return 0, 0, 1, False
    if step > 0:
        return start, start + (n - 1) * step + 1, step, False
    return start + (n - 1) * step, start + 1, -step, True


def _basic(t, entries):
    """Applies ints, slices and None (advanced entries keep their axis whole) as one slice, one reverse and one
    reshape. Returns the tensor and, per entry, the count of its axes before the entry and the axis of t that the
    entry indexes (None for entries that index none)."""
    starts, limits, strides, flipped, shape, names, before, source = [], [], [], [], [], [], [], []
    axis = 0

    def window(start, limit, stride, flip, drop=False):
        if flip:
            flipped.append(axis)
        starts.append(start)
        limits.append(limit)
        strides.append(stride)
        if not drop:
            shape.append(len(range(start, limit, stride)))
            names.append(t.names[axis])

    for kind, value in entries:
        before.append(len(shape))
        source.append(axis if kind in ("int", "slice", "array") else None)
        if kind == "new":
            shape.append(1)
            names.append(None)
        elif kind == "ellipsis":
            for _ in range(value):
                window(0, t.shape[axis], 1, False)
                axis += 1
        elif kind != "array0":
            dim = t.shape[axis]
            if kind == "int":
                if not -dim <= value < dim:
                    raise NxIndexError(f"index {value} is out of bounds for axis {axis} with size {dim} "
                                       f"({t.ttype})", op="getitem")
                window(value % dim, value % dim + 1, 1, False, drop=True)
            elif kind == "slice":
                window(*_slice_bounds("getitem", value, dim, axis))
            else:
                window(0, dim, 1, False)
            axis += 1
    y = t
    if (tuple(starts), tuple(limits), tuple(strides)) != ((0,) * t.ndim, t.shape, (1,) * t.ndim):
        y = apply("slice", [y], start_indices=tuple(starts), limit_indices=tuple(limits), strides=tuple(strides))
    if flipped:  # the slice keeps every axis of t, so t's axis numbers still hold here
        y = apply("reverse", [y], axes=tuple(flipped))
    return reshape(y, shape, names=names), before, source


def _batch(entries):
    """The broadcast shape of the advanced indices, with the names of the tensor ones."""
    values = [v for kind, v in entries if kind in ("array", "array0")]
    try:
        shape = np.broadcast_shapes(*(np.shape(v) if not isinstance(v, Tensor) else v.shape for v in values))
    except ValueError:
        raise NxIndexError("shape mismatch: indexing arrays could not be broadcast together with shapes "
                           + " ".join(str(list(np.shape(v))) for v in values), op="getitem") from None
    tensors = [v for v in values if isinstance(v, Tensor)]
    names = broadcast_shapes("getitem", *tensors)[1] if tensors else ()
    return shape, (None,) * (len(shape) - len(names)) + names


def _advanced(y, entries, before, source):
    """One gather for the integer-array entries (and 0-d masks): their broadcast shape replaces their axes, at
    the first one's place when they are adjacent in the index, else in front (NumPy's rule)."""
    batch_shape, batch_names = _batch(entries)
    arrays = [i for i, (kind, _) in enumerate(entries) if kind == "array"]
    axes = tuple(before[i] for i in arrays)
    columns = [reshape(broadcast_to(_normalized("getitem", entries[i][1], y.shape[before[i]], [source[i]]),
                                    batch_shape), batch_shape + (1,)) for i in arrays]
    index = concatenate(columns, axis=-1) if columns else tensor(np.zeros(batch_shape + (0,), np.int64))
    index = reshape(index, index.shape, names=batch_names + (None,))
    at = [i for i, (kind, _) in enumerate(entries) if kind in ("array", "array0")]
    insert = before[at[0]] if at == list(range(at[0], at[-1] + 1)) else 0
    rest = [a for a in range(y.ndim) if a not in axes]
    out_shape = tuple(y.shape[a] for a in rest[:insert]) + batch_shape + tuple(y.shape[a] for a in rest[insert:])
    out_names = tuple(y.names[a] for a in rest[:insert]) + batch_names + tuple(y.names[a] for a in rest[insert:])
    return _gather_or_empty(
        y, index, out_shape, out_names,
        offset_dims=tuple(i if i < insert else i + len(batch_shape) for i in range(len(rest))),
        collapsed_slice_dims=axes, start_index_map=axes, index_vector_dim=len(batch_shape),
        slice_sizes=tuple(1 if a in axes else y.shape[a] for a in range(y.ndim)))


# ---- t[index] = value ----

def setitem(t, index, value):
    """The tensor that `t[index] = value` makes (Tensor.__setitem__ rebinds t to it): t with the elements that
    t[index] selects replaced by `value`, converted to t's type (t's type never changes; complex into a real type is
    refused) and broadcast to t[index]'s shape as NumPy broadcasts it (leading axes of length 1 may be dropped).
    Indices are getitem's. Contiguous windows (ints, 0-d integer indices, slices of step 1 or -1, None, Ellipsis)
    become one put_slice, a boolean mask with a value that does not depend on the masked count one select (a traced
    mask too), and anything else an indexed_put at the flat positions that getitem selects. Where an advanced index
    selects one element twice, the last value written wins, as in NumPy."""
    if isinstance(value, Tensor) and value.type.is_complex and not t.type.is_complex:
        raise NxTypeError(f"cannot assign complex {value.ttype} into {t.ttype}: it would drop the imaginary part",
                          op="setitem")
    update = to_tensor(value, t.type)
    entries = _entries(t, index)
    masked = _masked_select(t, entries, update)
    if masked is not None:
        return masked
    window = _window(t, _expand(t, entries))
    if window is not None:
        return _put_window(t, update, *window)
    return _put_positions(t, index, update)


def _fitted(t, update, shape):
    """update broadcast to the `shape` that an index selects in t, NumPy's way."""
    extra = update.ndim - len(shape)
    if extra > 0 and all(d == 1 for d in update.shape[:extra]):
        update = reshape(update, update.shape[extra:])
    if update.ndim > len(shape) or any(u not in (1, d) for u, d in zip(update.shape[::-1], shape[::-1])):
        raise NxShapeError(f"cannot assign {update.ttype} to the elements of {t.ttype} that the index selects "
                           f"(shape {list(shape)})", op="setitem")
    return broadcast_to(update, shape)


def _masked_select(t, entries, update):
    """t[mask] = value (a mask on t's leading axes, then maybe an ellipsis) as select(mask, value, t), where value
    broadcasts to t's other axes: then it does not depend on how many elements the mask selects. None otherwise."""
    if not entries or entries[0][0] != "mask" or any(kind != "ellipsis" for kind, _ in entries[1:]):
        return None
    mask = entries[0][1]
    k, rest = mask.ndim, t.shape[mask.ndim:]
    if k == 0 or mask.shape != t.shape[:k] or update.ndim > len(rest) and any(d != 1 for d in update.shape[
            :update.ndim - len(rest)]):
        return None
    mask = reshape(to_tensor(mask), mask.shape + (1,) * len(rest))
    return select(broadcast_to(mask, t.shape), broadcast_to(_fitted(t, update, rest), t.shape), t)


def _window(t, entries):
    """For an index that selects one window of t (ints, 0-d integer indices, slices of step 1 or -1, None,
    Ellipsis): its start on each axis (an int, or an s64 scalar tensor for a tensor index), its size on each axis,
    the shape that t[index] has, and the axes the index reverses. None for any other index."""
    starts, sizes, shape, flipped = [], [], [], []
    axis = 0
    for kind, value in entries:
        if kind == "mask":
            return None
        if kind == "new":
            shape.append(1)
            continue
        if kind == "ellipsis":
            starts += [0] * value
            sizes += t.shape[axis:axis + value]
            shape += t.shape[axis:axis + value]
            axis += value
            continue
        dim = t.shape[axis]
        if kind == "slice":
            start, limit, stride, flip = _slice_bounds("setitem", value, dim, axis)
            if stride != 1:
                return None
            starts.append(start)
            sizes.append(limit - start)
            shape.append(limit - start)
            if flip:
                flipped.append(axis)
        elif kind == "array" and isinstance(value, Tensor) and value.ndim == 0:
            # A tensor index is wrapped when negative and clamped (getitem's rule); put_slice clamps.
            starts.append(_normalized("setitem", value, dim, [axis]))
            sizes.append(1)
        elif kind == "int" or kind == "array" and np.ndim(value) == 0:
            if not -dim <= int(value) < dim:
                raise NxIndexError(f"index {int(value)} is out of bounds for axis {axis} with size {dim} "
                                   f"({t.ttype})", op="setitem")
            starts.append(int(value) % dim)
            sizes.append(1)
        else:
            return None
        axis += 1
    return starts, tuple(sizes), tuple(shape), tuple(flipped)


def _put_window(t, update, starts, sizes, shape, flipped):
    update = _fitted(t, update, shape)
    if 0 in sizes:
        return t
    update = reshape(update, sizes, names=t.names)
    if flipped:
        update = apply("reverse", [update], axes=flipped)
    return update if sizes == t.shape else put_slice(t, starts, update)


def _put_positions(t, index, update):
    """indexed_put at the flat positions of t that t[index] selects: getitem of the positions themselves, computed
    eagerly (known positions, so indexed_put needs no sort) unless the index holds traced tensors."""
    parts = index.values() if isinstance(index, dict) else index if isinstance(index, tuple) else (index,)
    traced = any(isinstance(part, Tensor) and _traced(part) for part in parts)
    with contextlib.nullcontext() if traced else using_backend(NUMPY):
        positions = getitem(iota(t.shape, type=dtypes.s64, names=t.names), index)
    update = _fitted(t, update, positions.shape)
    if positions.size == 0:
        return t
    flat = indexed_put(reshape(t, (t.size,)), reshape(positions, (positions.size, 1)),
                       reshape(update, (positions.size,)))
    return reshape(flat, t.shape, names=t.names)
