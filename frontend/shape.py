"""Shape functions: Nx's names and the array API's, each normalising its arguments (axes by index or name, -1 in
shapes, promotion) and then running shape nx ops (broadcast, reshape, transpose, slice, put_slice, pad,
concatenate, reverse). Axis names follow Nx: moved with their axes, dropped by reshape unless given, merged (and
checked) where tensors meet."""
import math

import numpy as np

from numerix.dialect import dtypes
from numerix.dialect.schema import merge_names
from numerix.dialect.errors import NxIndexError, NxShapeError, NxTypeError, NxValueError

from .dispatch import apply
from .operands import as_type, axes_indices, broadcast_shapes, broadcast_to as _broadcast_to, tensor
from .operands import axis_index as _axis_index
from .operands import result_type, to_tensor
from .tensor import Tensor

__all__ = [
    "reshape", "transpose", "permute_dims", "matrix_transpose", "squeeze", "new_axis", "expand_dims", "broadcast",
    "broadcast_to", "broadcast_arrays", "concatenate", "concat", "stack", "unstack", "slice", "slice_along_axis",
    "put_slice", "reverse", "flip", "pad", "flatten", "moveaxis", "roll", "meshgrid", "split", "axis_size",
    "axis_index", "axes", "bit_size", "byte_size", "compatible",
]


def _is_int(value):
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def _ints(op, what, values):
    """A tuple of Python ints from an int or a sequence of ints (NumPy ints too)."""
    if _is_int(values):
        return (int(values),)
    if isinstance(values, Tensor) or not isinstance(values, (tuple, list, np.ndarray)) or not all(
            _is_int(v) for v in values):
        raise NxTypeError(f"{what} must be an int or a sequence of ints, got {values!r}", op=op)
    return tuple(int(v) for v in values)


def _shape(op, shape):
    shape = _ints(op, "shape", shape)
    if any(d < 0 for d in shape):
        raise NxValueError(f"shape {list(shape)} has a negative size", op=op)
    return shape


def _names(op, names, rank):
    if names is None:
        return (None,) * rank
    names = tuple(names)
    if len(names) != rank or not all(n is None or isinstance(n, str) for n in names):
        raise NxValueError(f"names {list(names)} must give a name (str or None) to each of the {rank} axes", op=op)
    return names


def _new_axis_position(op, t, axis, rank):
    """An insertion point among `rank` result axes: -1 is the last (as in Nx's new_axis and NumPy's expand_dims)."""
    if not _is_int(axis):
        raise NxTypeError(f"axis must be an int, got {axis!r}", op=op)
    if not -rank <= axis < rank:
        raise NxValueError(f"axis {axis} is out of range for inserting into {t.ttype} (result rank {rank})", op=op)
    return int(axis) % rank


# ---- reshape and friends ----

def reshape(x, /, shape, *, copy=None, names=None):
    """Nx's reshape(t, shape, names=) and the array API's reshape(x, shape, copy=): one size may be -1 (inferred).
    Axis names are dropped unless `names` is given. Tensors are immutable, so `copy` changes nothing.

    Examples:
        >>> nx.reshape(nx.tensor([1, 2, 3, 4]), (2, 2), names=["x", "y"])
        nx.Tensor<
          s64[x: 2][y: 2]
          [[1, 2],
           [3, 4]]
        >
    """
    t = to_tensor(x)
    shape = list(_ints("reshape", "shape", shape))
    unknown = [i for i, d in enumerate(shape) if d == -1]
    if len(unknown) > 1 or any(d < -1 for d in shape):
        raise NxValueError(f"shape {shape} may hold one -1 and otherwise sizes >= 0", op="reshape")
    if unknown:
        known = math.prod(d for d in shape if d != -1)
        if known == 0 or t.size % known:
            raise NxShapeError(f"cannot reshape {t.ttype} ({t.size} elements) to shape {shape}", op="reshape")
        shape[unknown[0]] = t.size // known
    shape = tuple(shape)
    names = _names("reshape", names, len(shape))
    if t.shape == shape and t.names == names:
        return +t  # another tensor than x, as every function returns: `x[i] = v` rebinds x alone
    return apply("reshape", [t], shape=shape, names=names)


def _permute(op, t, axes):
    axes = tuple(_axis_index(op, t, a) for a in axes)
    if sorted(axes) != list(range(t.ndim)):
        raise NxValueError(f"axes {list(axes)} are not a permutation of the {t.ndim} axes of {t.ttype}", op=op)
    return +t if axes == tuple(range(t.ndim)) else apply("transpose", [t], axes=axes)


def transpose(x, /, axes=None):
    """Nx's transpose: permutes the axes (given by index or name; all reversed by default) with their names.

    Examples:
        >>> nx.transpose(nx.tensor([[1, 2, 3]], names=["x", "y"]))
        nx.Tensor<
          s64[y: 3][x: 1]
          [[1],
           [2],
           [3]]
        >
    """
    t = to_tensor(x)
    return _permute("transpose", t, reversed(range(t.ndim)) if axes is None else axes)


def permute_dims(x, /, axes):
    """The array API's name for transpose with explicit axes.

    Examples:
        >>> nx.permute_dims(nx.iota((1, 2, 3)), (2, 0, 1)).shape
        (3, 1, 2)
    """
    return _permute("permute_dims", to_tensor(x), axes)


def matrix_transpose(x, /):
    """Swaps the last two axes (the array API's matrix_transpose; Tensor.mT).

    Examples:
        >>> nx.matrix_transpose(nx.tensor([[1, 2], [3, 4]]))
        nx.Tensor<
          s64[2][2]
          [[1, 3],
           [2, 4]]
        >
    """
    t = to_tensor(x)
    if t.ndim < 2:
        raise NxValueError(f"needs at least 2 dimensions, got {t.ttype}", op="matrix_transpose")
    return _permute("matrix_transpose", t, [*range(t.ndim - 2), t.ndim - 1, t.ndim - 2])


def squeeze(x, /, axis=None, *, axes=None):
    """Removes axes of size 1: those given (`axis`, the array API's, or Nx's `axes`; by index or name), or all.

    Examples:
        >>> nx.squeeze(nx.tensor([[[1, 2, 3]]]))
        nx.Tensor<
          s64[3]
          [1, 2, 3]
        >
    """
    t = to_tensor(x)
    if axis is not None and axes is not None:
        raise NxValueError("give axis or axes, not both", op="squeeze")
    given = axis if axis is not None else axes
    drop = tuple(a for a in range(t.ndim) if t.shape[a] == 1) if given is None else axes_indices(
        "squeeze", t, given)
    for a in drop:
        if t.shape[a] != 1:
            raise NxShapeError(f"cannot squeeze axis {a} of {t.ttype}: its size is not 1", op="squeeze")
    keep = [a for a in range(t.ndim) if a not in drop]
    return reshape(t, [t.shape[a] for a in keep], names=[t.names[a] for a in keep])


def new_axis(t, axis, name=None):
    """Nx's new_axis: a size-1 axis (named `name`) inserted at `axis` (-1 appends).

    Examples:
        >>> nx.new_axis(nx.tensor([1, 2, 3]), 0, "batch")
        nx.Tensor<
          s64[batch: 1][3]
          [[1, 2, 3]]
        >
    """
    t = to_tensor(t)
    position = _new_axis_position("new_axis", t, axis, t.ndim + 1)
    return reshape(t, t.shape[:position] + (1,) + t.shape[position:],
                   names=t.names[:position] + (name,) + t.names[position:])


def expand_dims(x, /, axis=0):
    """The array API's (and NumPy's) expand_dims: size-1 axes at `axis` (an int or a tuple of ints), counted in
    the result's axes.

    Examples:
        >>> nx.expand_dims(nx.tensor([1, 2]), axis=1)
        nx.Tensor<
          s64[2][1]
          [[1],
           [2]]
        >
    """
    t = to_tensor(x)
    given = (axis,) if _is_int(axis) else tuple(axis)
    rank = t.ndim + len(given)
    positions = {_new_axis_position("expand_dims", t, a, rank) for a in given}
    if len(positions) != len(given):
        raise NxValueError(f"axes {list(given)} repeat", op="expand_dims")
    rest = iter(zip(t.shape, t.names))
    dims = [(1, None) if i in positions else next(rest) for i in range(rank)]
    return reshape(t, [d for d, _ in dims], names=[n for _, n in dims])


def flatten(t, axes=None):
    """Nx's flatten: all axes (or the consecutive `axes`) merged into one; other axes keep their names.

    Examples:
        >>> nx.flatten(nx.tensor([[1, 2], [3, 4]]))
        nx.Tensor<
          s64[4]
          [1, 2, 3, 4]
        >
    """
    t = to_tensor(t)
    if axes is None:
        return reshape(t, (t.size,))
    merged = axes_indices("flatten", t, axes)
    if not merged or list(merged) != list(range(merged[0], merged[-1] + 1)):
        raise NxValueError(f"axes {list(axes)} must be consecutive axes of {t.ttype}", op="flatten")
    first, last = merged[0], merged[-1] + 1
    return reshape(t, t.shape[:first] + (math.prod(t.shape[first:last]),) + t.shape[last:],
                   names=t.names[:first] + (None,) + t.names[last:])


def moveaxis(x, source, destination, /):
    """Moves axes `source` to positions `destination` (ints, names or tuples of them), the others keeping order.

    Examples:
        >>> nx.moveaxis(nx.iota((2, 3, 4)), 0, -1).shape
        (3, 4, 2)
    """
    t = to_tensor(x)
    src = [_axis_index("moveaxis", t, a) for a in (source if isinstance(source, (tuple, list)) else [source])]
    dst = [_axis_index("moveaxis", t, a) for a in (
        destination if isinstance(destination, (tuple, list)) else [destination])]
    if len(src) != len(dst) or len(set(src)) != len(src) or len(set(dst)) != len(dst):
        raise NxValueError(f"source {source!r} and destination {destination!r} must be as many distinct axes",
                           op="moveaxis")
    order = [a for a in range(t.ndim) if a not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return _permute("moveaxis", t, order)


# ---- broadcasting ----

def _result_axis(op, axis, shape, names):
    """An axis of the result of broadcast: an index (negative from the end) or one of the result's names."""
    if isinstance(axis, str):
        if axis not in names:
            raise NxValueError(f"no axis named {axis!r} in the result names {list(names)}", op=op)
        return names.index(axis)
    if not _is_int(axis) or not -len(shape) <= axis < len(shape):
        raise NxValueError(f"axis {axis!r} is not an axis of the result shape {list(shape)}", op=op)
    return int(axis) % len(shape)


def _broadcast(op, t, shape, axes, names):
    shape = _shape(op, shape)
    names = _names(op, names, len(shape))
    if axes is None:
        if t.ndim > len(shape):
            raise NxShapeError(f"cannot broadcast {t.ttype} to the lower rank shape {list(shape)}", op=op)
        axes = tuple(range(len(shape) - t.ndim, len(shape)))
    else:
        axes = tuple(_result_axis(op, a, shape, names) for a in axes)
    if len(axes) != t.ndim:
        raise NxShapeError(f"needs one target axis per axis of {t.ttype}, got axes {list(axes)}", op=op)
    if any(a >= b for a, b in zip(axes, axes[1:])):
        raise NxValueError(f"axes {list(axes)} must increase (use transpose to reorder axes)", op=op)
    for i, a in enumerate(axes):
        if t.shape[i] not in (1, shape[a]):
            raise NxShapeError(f"cannot broadcast {t.ttype} to shape {list(shape)} (axis {i} -> {a})", op=op)
    out = +t if t.shape == shape and axes == tuple(range(t.ndim)) else apply("broadcast", [t], shape=shape,
                                                                                axes=axes)
    merged = merge_names(op, out.names, names)
    return out if merged == out.names else apply("reshape", [out], shape=shape, names=merged)


def broadcast(t, shape, axes=None, names=None):
    """Nx's broadcast: t's axis i goes to result axis axes[i] (right-aligned by default; axes may be names of the
    result's `names`). The result keeps t's names on its axes and takes `names`; the two must agree.

    Examples:
        >>> nx.broadcast(nx.tensor([1, 2]), (2, 2))
        nx.Tensor<
          s64[2][2]
          [[1, 2],
           [1, 2]]
        >
        >>> nx.broadcast(nx.tensor([1, 2]), (2, 2), axes=[0])
        nx.Tensor<
          s64[2][2]
          [[1, 1],
           [2, 2]]
        >
    """
    return _broadcast("broadcast", to_tensor(t), shape, axes, names)


def broadcast_to(x, /, shape):
    """The array API's broadcast_to: NumPy's right-aligned broadcasting.

    Examples:
        >>> nx.broadcast_to(nx.tensor([[1], [2]]), (2, 3))
        nx.Tensor<
          s64[2][3]
          [[1, 1, 1],
           [2, 2, 2]]
        >
    """
    return _broadcast("broadcast_to", to_tensor(x), shape, None, None)


def broadcast_arrays(*arrays):
    """The array API's broadcast_arrays: all broadcast to their common shape (types kept, names merged).

    Examples:
        >>> a, b = nx.broadcast_arrays(nx.tensor([1, 2]), nx.tensor([[10], [20]]))
        >>> b
        nx.Tensor<
          s64[2][2]
          [[10, 10],
           [20, 20]]
        >
    """
    ts = [to_tensor(a) for a in arrays]
    if not ts:
        return []
    shape, names = broadcast_shapes("broadcast_arrays", *ts)
    return [+_broadcast_to(t, shape, names) for t in ts]  # +: another tensor than an argument of that shape


def meshgrid(*arrays, indexing="xy"):
    """The array API's meshgrid of 1-D tensors: 'xy' (Cartesian: first two axes swapped) or 'ij' (matrix).

    Examples:
        >>> xs, ys = nx.meshgrid(nx.tensor([1, 2, 3]), nx.tensor([4, 5]))
        >>> xs
        nx.Tensor<
          s64[2][3]
          [[1, 2, 3],
           [1, 2, 3]]
        >
    """
    if indexing not in ("xy", "ij"):
        raise NxValueError(f"indexing must be 'xy' or 'ij', got {indexing!r}", op="meshgrid")
    ts = [to_tensor(a) for a in arrays]
    for t in ts:
        if t.ndim != 1:
            raise NxShapeError(f"needs 1-d tensors, got {', '.join(str(t.ttype) for t in ts)}", op="meshgrid")
    order = list(range(len(ts)))
    if indexing == "xy" and len(ts) > 1:
        order[0], order[1] = 1, 0
    shape = tuple(ts[i].shape[0] for i in order)
    return [_broadcast("meshgrid", t, shape, (order.index(i),), None) for i, t in enumerate(ts)]


# ---- joining and splitting ----

def _join(op, values, axis):
    values = list(values)
    if not values:
        raise NxValueError("needs at least one tensor", op=op)
    common = result_type(op, *values)
    ts = [to_tensor(v, common) for v in values]
    if axis is None:
        ts = [reshape(t, (t.size,)) for t in ts]
        axis = 0
    if any(t.ndim == 0 for t in ts):
        raise NxShapeError(f"cannot join rank-0 tensors ({', '.join(str(t.ttype) for t in ts)}); use stack",
                           op=op)
    if any(t.ndim != ts[0].ndim for t in ts):
        raise NxShapeError(f"tensors must have equal ranks, got {', '.join(str(t.ttype) for t in ts)}", op=op)
    axis = _axis_index(op, ts[0], axis)
    return +ts[0] if len(ts) == 1 else apply("concatenate", ts, axis=axis)


def concatenate(tensors, axis=0):
    """Nx's concatenate: joins tensors (promoted to a common type) along an existing axis (index or name);
    names must agree.

    Examples:
        >>> nx.concatenate([nx.tensor([1, 2]), nx.tensor([3.0])])
        nx.Tensor<
          f32[3]
          [1., 2., 3.]
        >
    """
    return _join("concatenate", tensors, axis)


def concat(arrays, /, *, axis=0):
    """The array API's concat; axis=None joins the flattened tensors.

    Examples:
        >>> nx.concat([nx.tensor([[1, 2]]), nx.tensor([[3, 4]])], axis=1)
        nx.Tensor<
          s64[1][4]
          [[1, 2, 3, 4]]
        >
    """
    return _join("concat", arrays, axis)


def stack(arrays, /, *, axis=0, name=None):
    """Joins tensors of one shape along a new axis (named `name`, as Nx's stack).

    Examples:
        >>> nx.stack([nx.tensor([1, 2]), nx.tensor([3, 4])], axis=1)
        nx.Tensor<
          s64[2][2]
          [[1, 3],
           [2, 4]]
        >
    """
    arrays = list(arrays)
    if not arrays:
        raise NxValueError("needs at least one tensor", op="stack")
    common = result_type("stack", *arrays)
    ts = [to_tensor(a, common) for a in arrays]
    if any(t.shape != ts[0].shape for t in ts):
        raise NxShapeError(f"tensors must have equal shapes, got {', '.join(str(t.ttype) for t in ts)}",
                           op="stack")
    position = _new_axis_position("stack", ts[0], axis, ts[0].ndim + 1)
    return _join("stack", [new_axis(t, position, name) for t in ts], position)


def unstack(x, /, *, axis=0):
    """Splits a tensor along an axis into a tuple of tensors without that axis.

    Examples:
        >>> nx.unstack(nx.tensor([[1, 2], [3, 4]]), axis=1)[0]
        nx.Tensor<
          s64[2]
          [1, 3]
        >
    """
    t = to_tensor(x)
    a = _axis_index("unstack", t, axis)
    if t.ndim == 0:
        raise NxValueError(f"cannot unstack rank-0 {t.ttype}", op="unstack")
    keep = t.shape[:a] + t.shape[a + 1:]
    names = t.names[:a] + t.names[a + 1:]
    return tuple(reshape(slice_along_axis(t, i, 1, axis=a), keep, names=names) for i in range(t.shape[a]))


def split(tensor, split, /, *, axis=0):  # noqa: A002 (Nx's argument names)
    """Nx's split: (left, right) along `axis` (index or name), left holding the first `split` elements (an int,
    negative counting from the end) or the first ceil(split * size) (a float fraction). Neither part may be empty.

    Examples:
        >>> left, right = nx.split(nx.tensor([1, 2, 3, 4, 5]), 2)
        >>> right
        nx.Tensor<
          s64[3]
          [3, 4, 5]
        >
    """
    t = to_tensor(tensor)
    a = _axis_index("split", t, axis)
    if t.ndim == 0:
        raise NxValueError(f"cannot split rank-0 {t.ttype}", op="split")
    n = t.shape[a]
    if _is_int(split):
        index = int(split) % n if n else 0
        if not (-n < split < n and index > 0):
            raise NxValueError(f"split {split} must be a nonzero int in ({-n}, {n}), so that neither part of axis {a} "
                               f"of {t.ttype} is empty", op="split")
    elif isinstance(split, (float, np.floating)):
        index = math.ceil(split * n)
        if not 0 < index < n:
            raise NxValueError(f"split {split} must be a fraction with 0 < ceil({split} * {n}) < {n}, so that neither "
                               f"part of axis {a} of {t.ttype} is empty", op="split")
    else:
        raise NxTypeError(f"split must be an int or a float, got {split!r}", op="split")
    return slice_along_axis(t, 0, index, axis=a), slice_along_axis(t, index, n - index, axis=a)


# ---- slicing ----

def _start(op, value):
    """A start index: a Python int (static) or a rank-0 integer tensor (dynamic, clamped like StableHLO)."""
    if _is_int(value):
        return int(value)
    if isinstance(value, Tensor) and value.ndim == 0 and value.type.is_integer:
        return as_type(value, dtypes.s64)
    raise NxTypeError(f"start indices must be ints or integer scalar tensors, got {value!r}", op=op)


def _starts(op, t, start_indices):
    if not isinstance(start_indices, (tuple, list)) or len(start_indices) != t.ndim:
        raise NxValueError(f"needs one start index per axis of {t.ttype}, got {start_indices!r}", op=op)
    return [_start(op, s) for s in start_indices]


def _strides(op, strides, rank):
    strides = _ints(op, "strides", strides)
    strides = strides * rank if len(strides) == 1 and rank != 1 else strides
    if len(strides) != rank or any(s < 1 for s in strides):
        raise NxValueError(f"strides {list(strides)} must be {rank} ints >= 1", op=op)
    return strides


def _clamped_starts(op, t, starts, lengths):
    """Int starts as Nx takes them: never negative, and moved back so that the window fits (as tensor starts are
    clamped when the op runs)."""
    for axis, s in enumerate(starts):
        if isinstance(s, int) and s < 0:
            raise NxIndexError(f"start index {s} on axis {axis} of {t.ttype} must be >= 0", op=op)
    return [min(s, d - n) if isinstance(s, int) else s for s, n, d in zip(starts, lengths, t.shape)]


def _start_scalars(starts):
    return [s if isinstance(s, Tensor) else tensor(np.int64(s)) for s in starts]


def slice(t, start_indices, lengths, strides=1):
    """Nx's slice: the window of `lengths` at `start_indices` of t, taking every strides-th element. A start that
    would run the window past the end is moved back so that the window fits (Nx's clipping, for ints and tensors
    alike); negative int starts are an error, negative tensor starts clamp to 0.

    Examples:
        >>> nx.slice(nx.tensor([[1, 2, 3], [4, 5, 6]]), [0, 1], [2, 2])
        nx.Tensor<
          s64[2][2]
          [[2, 3],
           [5, 6]]
        >
    """
    t = to_tensor(t)
    starts = _starts("slice", t, start_indices)
    lengths = _ints("slice", "lengths", lengths)
    if len(lengths) != t.ndim or any(n < 0 or n > d for n, d in zip(lengths, t.shape)):
        raise NxValueError(f"lengths {list(lengths)} must give a size within each axis of {t.ttype}", op="slice")
    strides = _strides("slice", strides, t.ndim)
    starts = _clamped_starts("slice", t, starts, lengths)
    if all(isinstance(s, int) for s in starts):
        limits = tuple(s + n for s, n in zip(starts, lengths))
        if starts == [0] * t.ndim and limits == t.shape and strides == (1,) * t.ndim:
            return +t
        return apply("slice", [t], start_indices=tuple(starts), limit_indices=limits, strides=strides)
    # Dynamic starts: StableHLO's dynamic_slice is a gather of one window; strides then apply statically.
    index = _join("slice", [reshape(s, (1,)) for s in _start_scalars(starts)], 0)
    window = apply("gather", [t, index], offset_dims=tuple(range(t.ndim)), collapsed_slice_dims=(),
                   start_index_map=tuple(range(t.ndim)), index_vector_dim=0, slice_sizes=lengths)
    if strides == (1,) * t.ndim:
        return window
    return apply("slice", [window], start_indices=(0,) * t.ndim, limit_indices=lengths, strides=strides)


def slice_along_axis(t, start, length, axis=0, strides=1):
    """Nx's slice_along_axis: slice on one axis (index or name), the others whole.

    Examples:
        >>> nx.slice_along_axis(nx.tensor([[1, 2, 3], [4, 5, 6]]), 0, 2, axis=1)
        nx.Tensor<
          s64[2][2]
          [[1, 2],
           [4, 5]]
        >
    """
    t = to_tensor(t)
    a = _axis_index("slice_along_axis", t, axis)
    if not _is_int(strides):
        raise NxTypeError(f"strides must be an int, got {strides!r}", op="slice_along_axis")
    starts = [0] * t.ndim
    starts[a] = start
    lengths = list(t.shape)
    lengths[a] = length
    steps = [1] * t.ndim
    steps[a] = strides
    return slice(t, starts, lengths, steps)


def put_slice(t, start_indices, slice):  # noqa: A002 (Nx's argument name)
    """Nx's put_slice: t with `slice` written at `start_indices` (the result type is the promotion of both). Starts
    are clipped so that the slice fits, as slice's are.

    Examples:
        >>> nx.put_slice(nx.tensor([0, 1, 2, 3, 4]), [2], nx.tensor([5, 6]))
        nx.Tensor<
          s64[5]
          [0, 1, 5, 6, 4]
        >
    """
    common = result_type("put_slice", t, slice)
    t, update = to_tensor(t, common), to_tensor(slice, common)
    if update.ndim != t.ndim or any(u > d for u, d in zip(update.shape, t.shape)):
        raise NxShapeError(f"the slice {update.ttype} must have the rank of {t.ttype} and fit inside it",
                           op="put_slice")
    starts = _starts("put_slice", t, start_indices)
    starts = _clamped_starts("put_slice", t, starts, update.shape)
    return apply("put_slice", [t, update, *_start_scalars(starts)])


def reverse(t, axes=None):
    """Nx's reverse: the order of elements reversed along `axes` (indices or names; all by default).

    Examples:
        >>> nx.reverse(nx.tensor([[1, 2], [3, 4]]), axes=[1])
        nx.Tensor<
          s64[2][2]
          [[2, 1],
           [4, 3]]
        >
    """
    t = to_tensor(t)
    axes = axes_indices("reverse", t, axes)
    return apply("reverse", [t], axes=axes) if axes else +t


def flip(x, /, *, axis=None):
    """The array API's flip: reverse along `axis` (an int, a tuple, or None for all).

    Examples:
        >>> nx.flip(nx.tensor([1, 2, 3]))
        nx.Tensor<
          s64[3]
          [3, 2, 1]
        >
    """
    t = to_tensor(x)
    axes = axes_indices("flip", t, axis)
    return apply("reverse", [t], axes=axes) if axes else +t


def pad(t, pad_value, padding_config):
    """Nx's pad: per axis (low, high, interior) elements of pad_value before, after and between the elements;
    negative low/high cut instead. The result type is the promotion of t and pad_value.

    Examples:
        >>> nx.pad(nx.tensor([1, 2, 3]), 0, [(1, 2, 1)])
        nx.Tensor<
          s64[8]
          [0, 1, 0, 2, 0, 3, 0, 0]
        >
    """
    common = result_type("pad", t, pad_value)
    t, value = to_tensor(t, common), to_tensor(pad_value, common)
    if value.ndim != 0:
        raise NxShapeError(f"the pad value must be a scalar, got {value.ttype}", op="pad")
    config = list(padding_config)
    if len(config) != t.ndim or any(not isinstance(p, (tuple, list)) or len(p) != 3 or not all(
            _is_int(v) for v in p) for p in config):
        raise NxValueError(f"padding_config must be one (low, high, interior) of ints per axis of {t.ttype}, got "
                           f"{padding_config!r}", op="pad")
    return apply("pad", [t, value], pads=tuple(tuple(int(v) for v in p) for p in config))


def roll(x, /, shift, *, axis=None):
    """Rolls elements along axes (NumPy's roll): those shifted past the end come back at the start.

    Examples:
        >>> nx.roll(nx.tensor([1, 2, 3, 4]), 1)
        nx.Tensor<
          s64[4]
          [4, 1, 2, 3]
        >
    """
    t = to_tensor(x)
    if axis is None:
        if not _is_int(shift):
            raise NxTypeError(f"shift must be an int when axis is None, got {shift!r}", op="roll")
        flat = _roll_axis(reshape(t, (t.size,)), int(shift), 0)
        return reshape(flat, t.shape, names=t.names)
    axes = [_axis_index("roll", t, a) for a in (axis if isinstance(axis, (tuple, list)) else [axis])]
    shifts = _ints("roll", "shift", shift)
    if len(shifts) == 1:
        shifts = shifts * len(axes)
    if len(shifts) != len(axes):
        raise NxValueError(f"shift {shift!r} and axis {axis!r} must have equal lengths", op="roll")
    total = {}
    for a, s in zip(axes, shifts):
        total[a] = total.get(a, 0) + s
    for a, s in total.items():
        t = _roll_axis(t, s, a)
    return t if total else +t  # no axes given: still another tensor than x


def _roll_axis(t, shift, axis):
    n = t.shape[axis]
    shift = shift % n if n else 0
    if shift == 0:
        return +t
    return _join("roll", [slice_along_axis(t, n - shift, shift, axis=axis),
                          slice_along_axis(t, 0, n - shift, axis=axis)], axis)


# ---- introspection: Nx's functions that read a tensor's type and shape (they run no op) ----

def _axis_of(op, t, axis):
    t = to_tensor(t)
    if t.ndim == 0:
        raise NxValueError(f"{t.ttype} has no axes (rank 0), got axis {axis!r}", op=op)
    return t, _axis_index(op, t, axis)


def axis_size(tensor, axis):  # noqa: A002 (Nx's argument name)
    """Nx's axis_size: the size of one axis, given by index (negative counts from the end) or by name.

    Examples:
        >>> nx.axis_size(nx.iota((2, 3), names=["x", "y"]), "y")
        3
    """
    t, a = _axis_of("axis_size", tensor, axis)
    return t.shape[a]


def axis_index(tensor, axis):  # noqa: A002 (Nx's argument name)
    """Nx's axis_index: the index of an axis given by index (negative counts from the end) or by name.

    Examples:
        >>> nx.axis_index(nx.iota((2, 3), names=["x", "y"]), "y")
        1
    """
    return _axis_of("axis_index", tensor, axis)[1]


def axes(shape):
    """Nx's axes: [0, 1, ..., rank - 1] of a tensor (a number has none), or of a shape given as a tuple of ints.

    Examples:
        >>> nx.axes(nx.iota((2, 3)))
        [0, 1]
    """
    rank = len(_shape("axes", shape)) if isinstance(shape, tuple) else to_tensor(shape).ndim
    return list(range(rank))


def bit_size(tensor):  # noqa: A002 (Nx's argument name)
    """Nx's bit_size: the bits of the tensor's data (elements times the bits of its type; bool counts 8), the
    entries along vectorized axes included.

    Examples:
        >>> nx.bit_size(nx.tensor([1, 2, 3], type="u8"))
        24
    """
    t = to_tensor(tensor)
    return t.size * math.prod(size for _, size in t.vectorized) * t.type.bits


def byte_size(tensor):  # noqa: A002 (Nx's argument name)
    """Nx's byte_size: the bytes of the tensor's data (bit_size // 8).

    Examples:
        >>> nx.byte_size(nx.tensor([1.0, 2.0]))
        8
    """
    return bit_size(tensor) // 8


def compatible(left, right):
    """Nx's compatible?: whether two tensors have the same shape, type and vectorized axes and names that agree (None
    matches any name); values are not compared, and numbers count as tensors. Containers (tuples, lists, dicts, as
    defn takes them) are compatible when they have the same structure and keys and their leaves are compatible.

    Examples:
        >>> nx.compatible(nx.tensor([1, 2]), nx.tensor([3, 4]))
        True
        >>> nx.compatible(nx.tensor([1, 2]), nx.tensor([3.0, 4.0]))
        False
    """
    if isinstance(left, dict) or isinstance(right, dict):
        return type(left) is type(right) and left.keys() == right.keys() and all(
            compatible(left[k], right[k]) for k in left)
    if isinstance(left, (tuple, list)) or isinstance(right, (tuple, list)):
        return type(left) is type(right) and len(left) == len(right) and all(map(compatible, left, right))
    a, b = to_tensor(left), to_tensor(right)
    return a.shape == b.shape and a.type is b.type and a.vectorized == b.vectorized and all(
        m is None or n is None or m == n for m, n in zip(a.names, b.names))
