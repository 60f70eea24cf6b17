"""Lowerings of the shape nx ops (dialect/shape.py) and the creation ops (dialect/creation.py): each is one
StableHLO op, except that unsigned start indices are brought into the signed range StableHLO clamps in."""
from iree.compiler import ir

from numerix.dtypes import s64

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


@lowers("pad")
def _pad(b, node):
    pads = node.attrs["pads"]
    return b.emit("stablehlo.pad", node.args, _out(b, node), edge_padding_low=_ints(p[0] for p in pads),
                  edge_padding_high=_ints(p[1] for p in pads), interior_padding=_ints(p[2] for p in pads))


@lowers("concatenate")
def _concatenate(b, node):
    return b.emit("stablehlo.concatenate", node.args, _out(b, node),
                  dimension=ir.IntegerAttr.get(ir.IntegerType.get_signless(64), node.attrs["axis"]))


@lowers("reverse")
def _reverse(b, node):
    return b.emit("stablehlo.reverse", node.args, _out(b, node), dimensions=_ints(node.attrs["axes"]))


@lowers("gather")
def _gather(b, node):
    x, indices = node.args
    a = node.attrs
    indices = signed_indices(b, indices, node.types[1].type)
    numbers = ir.Attribute.parse(
        f"#stablehlo.gather<offset_dims = {list(a['offset_dims'])}, "
        f"collapsed_slice_dims = {list(a['collapsed_slice_dims'])}, "
        f"start_index_map = {list(a['start_index_map'])}, index_vector_dim = {a['index_vector_dim']}>")
    return b.emit("stablehlo.gather", [x, indices], _out(b, node), dimension_numbers=numbers,
                  slice_sizes=_ints(a["slice_sizes"]), indices_are_sorted=ir.BoolAttr.get(False))


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
