"""Shape nx ops: they move or repeat elements without computing on them."""
import math

from numerix.dialect.errors import NxShapeError, NxTypeError, NxValueError
from .rules import define
from .schema import TensorType, check_axes, merge_names


def _infer_broadcast(types, shape, axes):
    """Nx's broadcast (StableHLO's broadcast_in_dim): operand axis i becomes result axis axes[i]."""
    (x,) = types
    if len(axes) != len(x.shape):
        raise NxShapeError(f"needs one target axis per operand axis: operand {x}, axes {list(axes)}", op="broadcast")
    check_axes("broadcast", axes, len(shape))
    if list(axes) != sorted(axes):
        raise NxValueError(f"axes {list(axes)} must increase", op="broadcast")
    names = [None] * len(shape)
    for i, a in enumerate(axes):
        if x.shape[i] not in (1, shape[a]):
            raise NxShapeError(f"cannot broadcast {x} to shape {list(shape)} (axis {i} -> {a})", op="broadcast")
        names[a] = x.names[i]
    return TensorType(tuple(shape), x.type, tuple(names))


def _infer_reshape(types, shape, names):
    (x,) = types
    if math.prod(shape) != math.prod(x.shape):
        raise NxShapeError(f"cannot reshape {x} ({math.prod(x.shape)} elements) to shape {list(shape)}",
                           op="reshape")
    if len(names) != len(shape):
        raise NxValueError(f"{len(names)} names for rank {len(shape)}", op="reshape")
    return TensorType(tuple(shape), x.type, names)


def _infer_transpose(types, axes):
    (x,) = types
    if sorted(axes) != list(range(len(x.shape))):
        raise NxValueError(f"axes {list(axes)} are not a permutation of the axes of {x}", op="transpose")
    return TensorType(tuple(x.shape[a] for a in axes), x.type, tuple(x.names[a] for a in axes))


define("broadcast", 1, _infer_broadcast, attrs={"shape": "shape", "axes": "ints"})
define("reshape", 1, _infer_reshape, attrs={"shape": "shape", "names": "names"})
define("transpose", 1, _infer_transpose, attrs={"axes": "ints"})


def _infer_slice(types, start_indices, limit_indices, strides):
    """StableHLO's slice: elements start, start + stride, ... below limit, per axis; all static."""
    (x,) = types
    rank = len(x.shape)
    if not len(start_indices) == len(limit_indices) == len(strides) == rank:
        raise NxValueError(f"needs one start, limit and stride per axis of {x}, got starts {list(start_indices)}, "
                           f"limits {list(limit_indices)}, strides {list(strides)}", op="slice")
    shape = []
    for axis, (start, limit, stride, dim) in enumerate(zip(start_indices, limit_indices, strides, x.shape)):
        if not 0 <= start <= limit <= dim or stride < 1:
            raise NxValueError(f"axis {axis} of {x}: expects 0 <= start <= limit <= {dim} and stride >= 1, got "
                               f"start {start}, limit {limit}, stride {stride}", op="slice")
        shape.append(-(-(limit - start) // stride))
    return TensorType(tuple(shape), x.type, x.names)


def _check_start_scalars(op, starts, count):
    if len(starts) != count:
        raise NxValueError(f"needs {count} start indices (one per axis), got {len(starts)}", op=op)
    for s in starts:
        if s.shape != () or not s.type.is_integer:
            raise NxTypeError(f"start indices must be integer scalars, got {s}", op=op)
    if len({s.type for s in starts}) > 1:
        raise NxTypeError(f"start indices must share one type, got {', '.join(str(s) for s in starts)}", op=op)


def _infer_put_slice(types):
    """StableHLO's dynamic_update_slice: `update` written into `operand` at the start indices (rank-0 integer
    operands, one per axis), each clamped so that the update fits."""
    x, update, *starts = types
    if len(update.shape) != len(x.shape) or any(u > d for u, d in zip(update.shape, x.shape)):
        raise NxShapeError(f"the update {update} must have the rank of {x} and fit inside it", op="put_slice")
    if update.type != x.type:
        raise NxTypeError(f"the update {update} must have the type of {x}", op="put_slice")
    _check_start_scalars("put_slice", starts, len(x.shape))
    return TensorType(x.shape, x.type, merge_names("put_slice", x.names, update.names))


def _infer_pad(types, pads):
    """StableHLO's pad: per axis (low, high, interior); low and high may be negative (they then cut)."""
    x, value = types
    if value.shape != () or value.type != x.type:
        raise NxTypeError(f"the pad value must be a scalar of the operand's type, got {value} for {x}", op="pad")
    if len(pads) != len(x.shape):
        raise NxValueError(f"needs one (low, high, interior) per axis of {x}, got {list(pads)}", op="pad")
    shape = []
    for axis, ((low, high, interior), dim) in enumerate(zip(pads, x.shape)):
        size = low + high + dim + max(dim - 1, 0) * interior
        if interior < 0 or size < 0:
            raise NxValueError(f"axis {axis} of {x}: padding ({low}, {high}, {interior}) needs interior >= 0 and "
                               f"leaves size {size}", op="pad")
        shape.append(size)
    return TensorType(tuple(shape), x.type, x.names)


def _infer_concatenate(types, axis):
    first = types[0]
    rank = len(first.shape)
    if not 0 <= axis < rank:
        raise NxValueError(f"axis {axis} is out of range for {first} (rank {rank})", op="concatenate")
    for t in types[1:]:
        if t.type != first.type:
            raise NxTypeError(f"operands must have equal types, got {', '.join(str(t) for t in types)}",
                              op="concatenate")
        if len(t.shape) != rank or any(a != b for i, (a, b) in enumerate(zip(t.shape, first.shape)) if i != axis):
            raise NxShapeError(f"operands must have equal shapes except on axis {axis}, got "
                               f"{', '.join(str(t) for t in types)}", op="concatenate")
    shape = list(first.shape)
    shape[axis] = sum(t.shape[axis] for t in types)
    return TensorType(tuple(shape), first.type, merge_names("concatenate", *(t.names for t in types)))


def _infer_reverse(types, axes):
    (x,) = types
    check_axes("reverse", axes, len(x.shape))
    return x


def _infer_gather(types, offset_dims, collapsed_slice_dims, start_index_map, index_vector_dim, slice_sizes):
    """StableHLO's gather (without batching dims). For each batch position of `indices` (its axes other than
    index_vector_dim) the index vector gives the start of a slice of `slice_sizes` on the axes start_index_map
    (0 on the others); starts are clamped so the slice fits. Collapsed axes (slice size 1) are dropped; the rest
    land on offset_dims of the result, the batch axes on the other result axes in order."""
    x, indices = types
    rank = len(x.shape)
    if not indices.type.is_integer:
        raise NxTypeError(f"indices must be integers, got {indices}", op="gather")
    if not 0 <= index_vector_dim <= len(indices.shape):
        raise NxValueError(f"index_vector_dim {index_vector_dim} is out of range for indices {indices}",
                           op="gather")
    vector = indices.shape[index_vector_dim] if index_vector_dim < len(indices.shape) else 1
    if len(start_index_map) != vector:
        raise NxShapeError(f"index vectors of {indices} (axis {index_vector_dim}) have {vector} entries but "
                           f"start_index_map {list(start_index_map)} has {len(start_index_map)}", op="gather")
    check_axes("gather", start_index_map, rank)
    check_axes("gather", collapsed_slice_dims, rank)
    if list(collapsed_slice_dims) != sorted(collapsed_slice_dims):
        raise NxValueError(f"collapsed_slice_dims {list(collapsed_slice_dims)} must increase", op="gather")
    if len(slice_sizes) != rank or any(not 0 <= s <= d for s, d in zip(slice_sizes, x.shape)):
        raise NxShapeError(f"slice_sizes {list(slice_sizes)} must give one size per axis of {x}, each within it",
                           op="gather")
    if any(slice_sizes[a] != 1 for a in collapsed_slice_dims):
        raise NxValueError(f"collapsed axes {list(collapsed_slice_dims)} need slice size 1, got slice_sizes "
                           f"{list(slice_sizes)}", op="gather")
    offset_axes = [a for a in range(rank) if a not in collapsed_slice_dims]
    batch = [(d, n) for i, (d, n) in enumerate(zip(indices.shape, indices.names)) if i != index_vector_dim]
    out_rank = len(batch) + len(offset_axes)
    if len(offset_dims) != len(offset_axes) or list(offset_dims) != sorted(set(offset_dims)) or any(
            not 0 <= a < out_rank for a in offset_dims):
        raise NxValueError(f"offset_dims {list(offset_dims)} must be {len(offset_axes)} increasing axes of the "
                           f"rank-{out_rank} result", op="gather")
    offsets = iter(offset_axes)
    batches = iter(batch)
    shape, names = [], []
    for axis in range(out_rank):
        if axis in offset_dims:
            a = next(offsets)
            shape.append(slice_sizes[a])
            names.append(x.names[a])
        else:
            d, n = next(batches)
            shape.append(d)
            names.append(n)
    return TensorType(tuple(shape), x.type, tuple(names))


define("slice", 1, _infer_slice, attrs={"start_indices": "ints", "limit_indices": "ints", "strides": "ints"})
define("put_slice", None, _infer_put_slice)
define("pad", 2, _infer_pad, attrs={"pads": "pads"})
define("concatenate", None, _infer_concatenate, attrs={"axis": "int"})
define("reverse", 1, _infer_reverse, attrs={"axes": "ints"})
define("gather", 2, _infer_gather, attrs={"offset_dims": "ints", "collapsed_slice_dims": "ints",
                                          "start_index_map": "ints", "index_vector_dim": "int",
                                          "slice_sizes": "shape"})
