"""Lowerings of the shape nx ops (dialect/shape.py) and the creation ops (dialect/creation.py): each is one
StableHLO op, except that unsigned start indices are brought into the signed range StableHLO clamps in."""
import numpy as np
from iree.compiler import ir

from numerix.dialect.dtypes import bf16, f16, f32, s64

from .lower_convert import convert
from .lowering import lowers


def _ints(values):
    return ir.DenseI64ArrayAttr.get([int(v) for v in values])


def _out(b, node, index=0):
    tt = node.out[index]
    return b.tensor(tt.shape, tt.type)


@lowers("broadcast")
def _broadcast(b, node):
    return b.emit("stablehlo.broadcast_in_dim", node.args, _out(b, node),
                  broadcast_dimensions=_ints(node.attrs["axes"]))


@lowers("reshape")
def _reshape(b, node):
    return b.emit("stablehlo.reshape", node.args, _out(b, node))


@lowers("transpose")
def _transpose(b, node):
    return b.emit("stablehlo.transpose", node.args, _out(b, node), permutation=_ints(node.attrs["axes"]))


@lowers("slice")
def _slice(b, node):
    return b.emit("stablehlo.slice", node.args, _out(b, node), start_indices=_ints(node.attrs["start_indices"]),
                  limit_indices=_ints(node.attrs["limit_indices"]), strides=_ints(node.attrs["strides"]))


def signed_indices(b, value, dtype):
    """Integer indices as a signed type that holds their values (unsigned ones widen to s64; u64 ones above
    2^63 - 1, beyond any axis, become 2^63 - 1), so StableHLO's clamping sees them as they are."""
    if not dtype.is_unsigned:
        return value
    if dtype.bits < 64:
        return convert(b, value, dtype, s64)
    limit = b.full_like(value, 2 ** 63 - 1, dtype)
    return b.binary("arith.minui", value, limit)


@lowers("put_slice")
def _put_slice(b, node):
    x, update, *starts = node.args
    starts = [signed_indices(b, s, t.type) for s, t in zip(starts, node.types[2:])]
    return b.emit("stablehlo.dynamic_update_slice", [x, update, *starts], x.type)


def pad(b, x, fill, pads, dtype):
    """x padded with the 0-d `fill` per axis (low, high, interior), as stablehlo.pad, but spelled with reshapes,
    concatenations and slices: IREE 3.13 miscompiles stablehlo.pad of a call's result ('stream.yield op used
    resource not listed'), and a complex128 pad value becomes a 128-bit splat it rejects, so complex values are
    padded part by part."""
    if dtype.is_complex:
        fills = [b.real(fill, dtype), b.imag(fill, dtype)]
        parts = [pad(b, p, f, pads, dtype.real_type) for p, f in zip(
            (b.real(x, dtype), b.imag(x, dtype)), fills)]
        return b.complex(*parts, dtype)
    for axis, (_, _, interior) in enumerate(pads):
        if interior and b.shape(x)[axis] > 1:
            x = _interleave(b, x, fill, axis, interior, dtype)
    for axis, (low, high, _) in enumerate(pads):  # additions first: a negative edge cuts the padded axis
        x = _edge(b, x, fill, axis, max(low, 0), dtype, at_end=False)
        x = _edge(b, x, fill, axis, max(high, 0), dtype, at_end=True)
    for axis, (low, high, _) in enumerate(pads):
        size = b.shape(x)[axis]
        if low < 0 or high < 0:
            x = _cut(b, x, axis, max(-low, 0), size - max(-high, 0), dtype)
    return x


def _block(b, fill, shape, dtype):
    return b.emit("stablehlo.broadcast_in_dim", [fill], b.tensor(shape, dtype), broadcast_dimensions=_ints([]))


def _concat(b, values, axis, dtype):
    shape = b.shape(values[0])
    shape[axis] = sum(b.shape(v)[axis] for v in values)
    return b.emit("stablehlo.concatenate", values, b.tensor(shape, dtype),
                  dimension=ir.IntegerAttr.get(ir.IntegerType.get_signless(64), axis))


def _cut(b, x, axis, start, stop, dtype):
    shape = b.shape(x)
    starts, limits = [0] * len(shape), list(shape)
    starts[axis], limits[axis] = start, stop
    out = list(shape)
    out[axis] = stop - start
    return b.emit("stablehlo.slice", [x], b.tensor(out, dtype), start_indices=_ints(starts),
                  limit_indices=_ints(limits), strides=_ints([1] * len(shape)))


def _edge(b, x, fill, axis, amount, dtype, at_end):
    """`amount` fills added at one end of `axis`."""
    if amount == 0:
        return x
    shape = b.shape(x)
    shape[axis] = amount
    block = _block(b, fill, shape, dtype)
    return _concat(b, [x, block] if at_end else [block, x], axis, dtype)


def _interleave(b, x, fill, axis, interior, dtype):
    """`interior` fills between neighbours along `axis`: each element followed by the fills, the last ones cut."""
    shape = b.shape(x)
    n = shape[axis]
    column = shape[:axis + 1] + [1] + shape[axis + 1:]
    widened = _concat(b, [b.emit("stablehlo.reshape", [x], b.tensor(column, dtype)),
                          _block(b, fill, shape[:axis + 1] + [interior] + shape[axis + 1:], dtype)], axis + 1, dtype)
    flat = shape[:axis] + [n * (interior + 1)] + shape[axis + 1:]
    flattened = b.emit("stablehlo.reshape", [widened], b.tensor(flat, dtype))
    return _cut(b, flattened, axis, 0, n * (interior + 1) - interior, dtype)


@lowers("pad")
def _pad(b, node):
    x, fill = node.args
    return pad(b, x, fill, node.attrs["pads"], node.types[0].type)


@lowers("concatenate")
def _concatenate(b, node):
    return b.emit("stablehlo.concatenate", node.args, _out(b, node),
                  dimension=ir.IntegerAttr.get(ir.IntegerType.get_signless(64), node.attrs["axis"]))


@lowers("reverse")
def _reverse(b, node):
    return b.emit("stablehlo.reverse", node.args, _out(b, node), dimensions=_ints(node.attrs["axes"]))


def _clamped_starts(b, indices, index_type, operand_shape, attrs):
    """Start indices clamped so each slice fits (StableHLO's rule, which IREE's gather does not apply)."""
    vector_dim, index_map, sizes = attrs["index_vector_dim"], attrs["start_index_map"], attrs["slice_sizes"]
    upper = [operand_shape[axis] - sizes[axis] for axis in index_map]
    shape = b.shape(indices)
    bound = b.array(np.array(upper), index_type)
    if vector_dim < len(shape):
        bound = b.emit("stablehlo.broadcast_in_dim", [bound], b.tensor(shape, index_type),
                       broadcast_dimensions=_ints([vector_dim]))
    else:
        bound = b.emit("stablehlo.broadcast_in_dim", [b.emit("stablehlo.reshape", [bound], b.tensor((), index_type))],
                       b.tensor(shape, index_type), broadcast_dimensions=_ints([]))
    return b.emit("stablehlo.clamp", [b.full_like(indices, 0, index_type), indices, bound], indices.type)


def gather(b, x, indices, index_dtype, operand_shape, attrs, out_shape, out_dtype):
    """stablehlo.gather with StableHLO's clamping done first (IREE's gather does not clamp)."""
    indices = signed_indices(b, indices, index_dtype)
    index_type = s64 if index_dtype.is_unsigned else index_dtype
    indices = _clamped_starts(b, indices, index_type, operand_shape, attrs)
    numbers = ir.Attribute.parse(
        f"#stablehlo.gather<offset_dims = {list(attrs['offset_dims'])}, "
        f"collapsed_slice_dims = {list(attrs['collapsed_slice_dims'])}, "
        f"start_index_map = {list(attrs['start_index_map'])}, index_vector_dim = {attrs['index_vector_dim']}>")
    return b.emit("stablehlo.gather", [x, indices], b.tensor(out_shape, out_dtype), dimension_numbers=numbers,
                  slice_sizes=_ints(attrs["slice_sizes"]), indices_are_sorted=ir.BoolAttr.get(False))


@lowers("gather")
def _gather(b, node):
    x, indices = node.args
    out = node.out[0]
    return gather(b, x, indices, node.types[1].type, node.types[0].shape, node.attrs, out.shape, out.type)


@lowers("scatter_add")
def _scatter_add(b, node):
    """Adds each element of `updates` at the position gather would read it from, clamping included: those flat
    positions are a gather of the operand's flat indices, and the adding is a scatter into the flattened operand
    (the one scatter form IREE takes whatever the dimension numbers). f16/bf16 add in f32, booleans or."""
    x, indices, updates = node.args
    dtype = node.types[0].type
    shape, update_shape = node.types[0].shape, node.types[2].shape
    size, count = int(np.prod(shape, dtype=np.int64)), int(np.prod(update_shape, dtype=np.int64))
    flat_index = b.emit("stablehlo.reshape", [b.emit("stablehlo.iota", [], b.tensor((size,), s64),
                                                      iota_dimension=ir.IntegerAttr.get(
                                                          ir.IntegerType.get_signless(64), 0))],
                        b.tensor(shape, s64))
    positions = gather(b, flat_index, indices, node.types[1].type, shape, node.attrs, update_shape, s64)
    positions = b.emit("stablehlo.reshape", [positions], b.tensor((count, 1), s64))
    wide = f32 if dtype in (f16, bf16) else dtype
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


@lowers("iota")
def _iota(b, node):
    tt = node.out[0]
    if tt.type.is_complex:  # counts in the real part
        real = b.emit("stablehlo.iota", [], b.tensor(tt.shape, tt.type.real_type),
                      iota_dimension=ir.IntegerAttr.get(ir.IntegerType.get_signless(64), node.attrs["axis"]))
        return convert(b, real, tt.type.real_type, tt.type)
    return b.emit("stablehlo.iota", [], _out(b, node),
                  iota_dimension=ir.IntegerAttr.get(ir.IntegerType.get_signless(64), node.attrs["axis"]))


@lowers("constant")
def _constant(b, node):
    return b.array(node.attrs["value"], node.out[0].type)
