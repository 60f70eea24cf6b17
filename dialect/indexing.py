"""Indexing nx ops: they read or write elements at positions that integer operands give, each start clamped so that
its window fits, as StableHLO's dynamic_update_slice and gather clamp. Each is one declaration: its type rule, NumPy
rule, VJP and lowering. nx.scatter_add is the transpose of nx.gather, which gather's gradient needs: with the same
dimension numbers, it adds each window of `updates` into the operand at the start gather would read it from."""
import numpy as np
from iree.compiler import ir

from numerix.dialect import ir as nxir
from numerix.dialect.dtypes import bool_, s32, s64
from numerix.dialect.errors import NxShapeError, NxTypeError, NxValueError
from . import algebra as alg, batching
from .lower_convert import convert
from .rules import define, widen_half
from .schema import TensorType, check_axes, merge_names


def _signed_indices(b, value, dtype):
    """Integer indices as a signed type that holds their values (unsigned ones widen to s64; u64 ones above
    2^63 - 1, beyond any axis, become 2^63 - 1), so StableHLO's clamping sees them as they are."""
    if not dtype.is_unsigned:
        return value
    if dtype.bits < 64:
        return convert(b, value, dtype, s64)
    limit = b.full_like(value, 2 ** 63 - 1, dtype)
    return b.binary("arith.minui", value, limit)


# ---- put_slice ----

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


def _numpy_put_slice(x, update, *starts):
    out = x.copy()
    starts = [min(max(int(s), 0), d - u) for s, d, u in zip(starts, x.shape, update.shape)]
    out[tuple(slice(s, s + u) for s, u in zip(starts, update.shape))] = update
    return out


def _start_vector(starts):
    """The rank-0 start operands of put_slice as one index vector."""
    return alg.apply("concatenate", [alg.reshape(s, (1,)) for s in starts], axis=0)


def _vjp_put_slice(cotangents, operands, results):
    # The operand gets the cotangent with the written window zeroed; the update gets that window, read by a gather
    # that clamps its start the way put_slice does.
    (g,), (x, update, *starts) = cotangents, operands
    x_cotangent = alg.apply("put_slice", [g, alg.zeros_like(update), *starts])
    if not starts:  # a rank-0 operand: the update replaces it whole
        return [x_cotangent, g, *[None] * len(starts)]
    rank = x.ndim
    window = alg.apply("gather", [g, _start_vector(starts)], offset_dims=tuple(range(rank)),
                       collapsed_slice_dims=(), start_index_map=tuple(range(rank)), index_vector_dim=0,
                       slice_sizes=update.shape)
    return [x_cotangent, window, *[None] * len(starts)]


def _lower_put_slice(b, node):
    x, update, *starts = node.args
    starts = [_signed_indices(b, s, t.type) for s, t in zip(starts, node.types[2:])]
    return b.emit("stablehlo.dynamic_update_slice", [x, update, *starts], x.type)


def _batch_put_slice(operands, batched):
    size = batching.batch_size(operands, batched)
    x, update = (t if b else batching.with_batch(t, size) for t, b in zip(operands[:2], batched[:2]))
    starts = operands[2:]
    if not any(batched[2:]):  # one window for every example: the batch axis written whole, from 0
        zero = alg.scalar(x, 0, starts[0].type if starts else s64)
        return alg.apply("put_slice", [x, update, zero, *starts])
    # A window per example: scatter_adds that read each example's window as put_slice's gradient does (its gather,
    # batched), clamping each example's start as put_slice does, add the update onto a signed zero (which keeps
    # every value as it is, -0.0 included) and mark the window; the window then replaces x there.
    rank = x.ndim - 1
    starts = alg.apply("concatenate", [alg.reshape(s if b else batching.with_batch(s, size), (size, 1))
                                       for s, b in zip(starts, batched[2:])], axis=1)
    window = dict(offset_dims=tuple(range(rank)), collapsed_slice_dims=(), start_index_map=tuple(range(rank)),
                  index_vector_dim=0, slice_sizes=update.shape[1:])
    indices, dims = _indexing_batch(starts, window, size)
    zero = complex(-0.0, -0.0) if x.type.is_complex else -0.0
    written = alg.apply("scatter_add", [alg.full_like(x, zero), indices, update], **dims)
    inside = alg.apply("scatter_add", [alg.full_like(x, False, bool_), indices, alg.full_like(update, True, bool_)],
                       **dims)
    return alg.select(inside, written, x)


define("put_slice", None, _infer_put_slice, numpy=_numpy_put_slice, vjp=_vjp_put_slice, lower=_lower_put_slice,
       batch=_batch_put_slice)


# ---- gather ----

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


def _numpy_gather(x, indices, offset_dims, collapsed_slice_dims, start_index_map, index_vector_dim, slice_sizes):
    if index_vector_dim == indices.ndim:
        indices = indices[..., None]
    vectors = np.moveaxis(indices.astype(np.int64), index_vector_dim, -1)
    batch_shape = vectors.shape[:-1]
    starts = np.zeros(batch_shape + (x.ndim,), np.int64)
    for k, axis in enumerate(start_index_map):
        starts[..., axis] = vectors[..., k]
    starts = np.clip(starts, 0, np.array(x.shape, np.int64) - np.array(slice_sizes, np.int64))
    # One index array per operand axis over the layout (batch axes..., offset axes...), then the batch axes are
    # moved to where the result has them.
    offset_axes = [a for a in range(x.ndim) if a not in collapsed_slice_dims]
    layout_rank = len(batch_shape) + len(offset_axes)
    index_arrays = []
    for axis in range(x.ndim):
        index = starts[..., axis].reshape(batch_shape + (1,) * len(offset_axes))
        if axis in offset_axes:
            position = [1] * layout_rank
            position[len(batch_shape) + offset_axes.index(axis)] = slice_sizes[axis]
            index = index + np.arange(slice_sizes[axis]).reshape(position)
        index_arrays.append(index)
    layout_shape = batch_shape + tuple(slice_sizes[a] for a in offset_axes)
    gathered = x[tuple(np.broadcast_to(i, layout_shape) for i in index_arrays)] if x.ndim else np.broadcast_to(
        x, layout_shape)
    batch_dims = [a for a in range(layout_rank) if a not in offset_dims]
    order = [None] * layout_rank
    for k, a in enumerate(batch_dims):
        order[a] = k
    for k, a in enumerate(offset_dims):
        order[a] = len(batch_shape) + k
    return np.transpose(gathered, order)


def _vjp_gather(cotangents, operands, results, **dims):
    # Each element read goes back to where it was read from; elements read several times sum their cotangents.
    (g,), (x, indices) = cotangents, operands
    return [alg.apply("scatter_add", [alg.zeros_like(x), indices, g], **dims), None]


def _clamped_starts(b, indices, index_type, operand_shape, attrs):
    """Start indices clamped so each slice fits (StableHLO's rule, which IREE's gather does not apply)."""
    vector_dim, index_map, sizes = attrs["index_vector_dim"], attrs["start_index_map"], attrs["slice_sizes"]
    upper = [operand_shape[axis] - sizes[axis] for axis in index_map]
    shape = b.shape(indices)
    bound = b.array(np.array(upper), index_type)
    if vector_dim < len(shape):
        bound = b.emit("stablehlo.broadcast_in_dim", [bound], b.tensor(shape, index_type),
                       broadcast_dimensions=nxir.ints([vector_dim]))
    else:
        bound = b.emit("stablehlo.broadcast_in_dim", [b.emit("stablehlo.reshape", [bound], b.tensor((), index_type))],
                       b.tensor(shape, index_type), broadcast_dimensions=nxir.ints([]))
    return b.emit("stablehlo.clamp", [b.full_like(indices, 0, index_type), indices, bound], indices.type)


def _emit_gather(b, x, indices, index_dtype, operand_shape, attrs, out_shape, out_dtype):
    """stablehlo.gather with StableHLO's clamping done first (IREE's gather does not clamp)."""
    indices = _signed_indices(b, indices, index_dtype)
    index_type = s64 if index_dtype.is_unsigned else index_dtype
    indices = _clamped_starts(b, indices, index_type, operand_shape, attrs)
    numbers = ir.Attribute.parse(
        f"#stablehlo.gather<offset_dims = {list(attrs['offset_dims'])}, "
        f"collapsed_slice_dims = {list(attrs['collapsed_slice_dims'])}, "
        f"start_index_map = {list(attrs['start_index_map'])}, index_vector_dim = {attrs['index_vector_dim']}>")
    return b.emit("stablehlo.gather", [x, indices], b.tensor(out_shape, out_dtype), dimension_numbers=numbers,
                  slice_sizes=nxir.ints(attrs["slice_sizes"]), indices_are_sorted=ir.BoolAttr.get(False))


def _lower_gather(b, node):
    x, indices = node.args
    out = node.out[0]
    return _emit_gather(b, x, indices, node.types[1].type, node.types[0].shape, node.attrs, out.shape, out.type)


# ---- batching gather and scatter_add (JAX's rules) ----

def _batch_as_window(dims, size):
    """The dimension numbers for an operand with a leading batch axis and unbatched indices: the batch axis is one
    more window axis, read whole (start 0), that lands first in the result."""
    return dict(dims, offset_dims=(0,) + batching.shift(dims["offset_dims"]),
                collapsed_slice_dims=batching.shift(dims["collapsed_slice_dims"]),
                start_index_map=batching.shift(dims["start_index_map"]), slice_sizes=(size,) + dims["slice_sizes"])


def _batch_of_indices(dims):
    """The dimension numbers for indices with a leading batch axis: it is their first batch axis, so it lands on the
    result's first axis that is not an offset axis, which is axis 0 once offset_dims move up by one."""
    return dict(dims, offset_dims=batching.shift(dims["offset_dims"]), index_vector_dim=dims["index_vector_dim"] + 1)


def _indexing_batch(indices, dims, size):
    """Indices and dimension numbers for an operand and indices both with a leading batch axis: each index vector
    gets the example's own position first (an iota over the batch), which picks its example of the operand, that
    axis collapsed."""
    dims = _batch_of_indices(dims)
    vector_dim = dims["index_vector_dim"]
    if vector_dim == indices.ndim:  # implicit vectors of one entry: made explicit
        indices = alg.reshape(indices, indices.shape + (1,))
    if np.iinfo(indices.type.np).max < size - 1:  # the iota must fit the index type
        indices = alg.as_type(indices, s64)
    position = alg.iota(indices, indices.shape[:vector_dim] + (1,) + indices.shape[vector_dim + 1:], 0, indices.type)
    indices = alg.apply("concatenate", [position, indices], axis=vector_dim)
    return indices, dict(dims, collapsed_slice_dims=(0,) + batching.shift(dims["collapsed_slice_dims"]),
                         start_index_map=(0,) + batching.shift(dims["start_index_map"]),
                         slice_sizes=(1,) + dims["slice_sizes"])


def _batch_gather(operands, batched, **dims):
    x, indices = operands
    if not batched[1]:
        return alg.apply("gather", [x, indices], **_batch_as_window(dims, x.shape[0]))
    if not batched[0]:
        return alg.apply("gather", [x, indices], **_batch_of_indices(dims))
    indices, dims = _indexing_batch(indices, dims, x.shape[0])
    return alg.apply("gather", [x, indices], **dims)


def _batch_scatter_add(operands, batched, **dims):
    # The result is batched, so the operand is; the updates are read like gather's result, so they are too.
    x, indices, updates = operands
    size = batching.batch_size(operands, batched)
    x = x if batched[0] else batching.with_batch(x, size)
    updates = updates if batched[2] else batching.with_batch(updates, size)
    if batched[1]:
        indices, dims = _indexing_batch(indices, dims, size)
    else:
        dims = _batch_as_window(dims, size)
    return alg.apply("scatter_add", [x, indices, updates], **dims)


_GATHER_ATTRS = {"offset_dims": "ints", "collapsed_slice_dims": "ints", "start_index_map": "ints",
                "index_vector_dim": "int", "slice_sizes": "shape"}
define("gather", 2, _infer_gather, attrs=_GATHER_ATTRS, numpy=_numpy_gather, vjp=_vjp_gather, lower=_lower_gather,
       batch=_batch_gather)


# ---- scatter_add ----

def _infer_scatter_add(types, **dims):
    x, indices, updates = types
    window = _infer_gather([x, indices], **dims)
    if (updates.shape, updates.type) != (window.shape, window.type):
        raise NxShapeError(f"updates {updates} must have the type of what gather reads from {x} with indices "
                           f"{indices}: {window}", op="scatter_add")
    return x


@widen_half
def _numpy_scatter_add(x, indices, updates, **dims):
    # Gathering the operand's flat positions with the same indices and dimension numbers says where each element
    # of `updates` belongs, clamping included; np.add.at then sums repeated positions.
    positions = _numpy_gather(np.arange(x.size).reshape(x.shape), indices, **dims)
    out = x.copy()
    np.add.at(out.reshape(-1), positions.reshape(-1), updates.reshape(-1))
    return out


def _vjp_scatter_add(cotangents, operands, results, **dims):
    (g,), (_, indices, _) = cotangents, operands
    return [g, None, alg.apply("gather", [g, indices], **dims)]


def _lower_scatter_add(b, node):
    """Adds each element of `updates` at the position gather would read it from, clamping included: those flat
    positions are a gather of the operand's flat indices, and the adding is a scatter into the flattened operand
    (the one scatter form IREE takes whatever the dimension numbers). f16/bf16 add in f32, booleans or."""
    x, indices, updates = node.args
    dtype = node.types[0].type
    shape, update_shape = node.types[0].shape, node.types[2].shape
    size, count = int(np.prod(shape, dtype=np.int64)), int(np.prod(update_shape, dtype=np.int64))
    # Positions in s32 where they fit: IREE narrows s64 scatter indices to i32 itself (past 2^31 elements as well),
    # and where two scatters share them (two scatter_adds with one index operand, after CSE) the narrowed copy fails
    # to build (docs/iree.md).
    position_type = s32 if size <= 2 ** 31 else s64
    flat_index = b.emit("stablehlo.reshape", [b.emit("stablehlo.iota", [], b.tensor((size,), position_type),
                                                      iota_dimension=nxir.attr("int", 0))],
                        b.tensor(shape, position_type))
    positions = _emit_gather(b, flat_index, indices, node.types[1].type, shape, node.attrs, update_shape,
                             position_type)
    positions = b.emit("stablehlo.reshape", [positions], b.tensor((count, 1), position_type))
    wide = dtype.compute_type
    flat_x = b.emit("stablehlo.reshape", [convert(b, x, dtype, wide)], b.tensor((size,), wide))
    flat_updates = b.emit("stablehlo.reshape", [convert(b, updates, dtype, wide)], b.tensor((count,), wide))
    numbers = ir.Attribute.parse("#stablehlo.scatter<inserted_window_dims = [0], scatter_dims_to_operand_dims = [0], "
                                 "index_vector_dim = 1>")
    scalar = b.tensor((), wide)
    add = "stablehlo.or" if wide.is_bool else "stablehlo.add"
    (out,) = b.with_region("stablehlo.scatter", [flat_x, positions, flat_updates], [flat_x.type], [scalar, scalar],
                           lambda old, new: [b.binary(add, old, new)], scatter_dimension_numbers=numbers,
                           indices_are_sorted=ir.BoolAttr.get(False), unique_indices=ir.BoolAttr.get(False))
    return convert(b, b.emit("stablehlo.reshape", [out], b.tensor(shape, wide)), wide, dtype)


define("scatter_add", 3, _infer_scatter_add, attrs=_GATHER_ATTRS, numpy=_numpy_scatter_add, vjp=_vjp_scatter_add,
       lower=_lower_scatter_add, batch=_batch_scatter_add)
