"""Lowerings of the reduction, scan and sorting nx ops (dialect/reduction.py), matching dialect/numpy_reduction.py.

Reductions are stablehlo.reduce; argmax/argmin a two-operand reduce of (value, index) whose body picks by a total
order (NaN first, then the value, then the index the tie-break asks for), so any reduction order gives NumPy's
answer. Scans are log2(n) shifted combines (Hillis-Steele): stablehlo.reduce_window would cost n^2. Sorts are
stablehlo.sort with a comparator that puts NaN last (first when descending), as NumPy does, and breaks ties by
index (IREE's sort is not stable). Orderings of unsigned
integers compare signed keys with the sign bit flipped; booleans compare as 0 and 1. f16 and bf16 sums, products
and scans are computed in f32 and rounded once, as the NumPy rules do."""
import numpy as np
from iree.compiler import ir

from numerix.dialect.dtypes import bf16, bool_, f16, f32, s8, s64

from . import lower_complex as cplx
from .lower_convert import convert, signed_twin
from .lower_shape import pad
from .lowering import lowers


def _ints(values):
    return ir.DenseI64ArrayAttr.get([int(v) for v in values])


def _i64(value):
    return ir.IntegerAttr.get(ir.IntegerType.get_signless(64), int(value))


def order_key(b, x, dtype):
    """(key, key type): a value whose signed (or float) order is x's order."""
    if dtype.is_bool:
        return convert(b, x, bool_, s8), s8
    if dtype.is_unsigned:
        signed = signed_twin(dtype)
        return b.xor(x, b.full_like(x, np.iinfo(signed.np).min, signed)), signed
    return x, dtype


def _from_key(b, key, dtype):
    if dtype.is_bool:
        return convert(b, key, s8, bool_)
    if dtype.is_unsigned:
        signed = signed_twin(dtype)
        return b.xor(key, b.full_like(key, np.iinfo(signed.np).min, signed))
    return key


def _lowest(dtype):
    return -np.inf if dtype.is_float else np.iinfo(dtype.np).min


def _highest(dtype):
    return np.inf if dtype.is_float else np.iinfo(dtype.np).max


def _compute_type(dtype):
    return f32 if dtype in (f16, bf16) else dtype


def reduce(b, values, inits, axes, body):
    """stablehlo.reduce of the values over `axes`; body(accumulators..., elements...) gives the new accumulators."""
    results = []
    for v in values:
        shape = b.shape(v)
        results.append(ir.RankedTensorType.get([d for i, d in enumerate(shape) if i not in axes],
                                               ir.RankedTensorType(v.type).element_type))
    scalars = [ir.RankedTensorType.get([], ir.RankedTensorType(v.type).element_type) for v in values]
    return b.with_region("stablehlo.reduce", list(values) + list(inits), results, scalars * 2, body,
                         dimensions=_ints(axes))


def _scalar(b, value, dtype):
    return b.constant(value, (), dtype)


def _keep(b, value, node):
    """The reduced value in the result's shape (keep_axes leaves size-1 axes)."""
    out = node.out[0]
    if b.shape(value) == list(out.shape):
        return value
    return b.emit("stablehlo.reshape", [value], b.tensor(out.shape, out.type))


# nx reduction -> (body op for numbers, identity), with bool and unsigned handled below
_REDUCTIONS = {"sum": ("stablehlo.add", 0), "product": ("stablehlo.multiply", 1),
               "all": ("stablehlo.and", True), "any": ("stablehlo.or", False)}


def _arithmetic_reduction(op_name, identity):
    def lower(b, node):
        (x,) = node.args
        dtype = node.types[0].type
        wide = _compute_type(dtype)
        x = convert(b, x, dtype, wide)
        (out,) = reduce(b, [x], [_scalar(b, identity, wide)], node.attrs["axes"],
                        lambda acc, v: [b.binary(op_name, acc, v)])
        return _keep(b, convert(b, out, wide, dtype), node)
    return lower


for _name, (_op, _identity) in _REDUCTIONS.items():
    lowers(_name)(_arithmetic_reduction(_op, _identity))


def _extreme_reduction(which):
    """Max and min propagate NaN (stablehlo.maximum does); booleans are any/all."""
    def lower(b, node):
        (x,) = node.args
        dtype = node.types[0].type
        key, key_type = order_key(b, x, dtype)
        identity = _lowest(key_type) if which == "max" else _highest(key_type)
        (out,) = reduce(b, [key], [_scalar(b, identity, key_type)], node.attrs["axes"],
                        lambda acc, v: [b.binary(f"stablehlo.{which}imum", acc, v)])
        return _keep(b, _from_key(b, out, dtype), node)
    return lower


lowers("reduce_max")(_extreme_reduction("max"))
lowers("reduce_min")(_extreme_reduction("min"))


def arg_extreme(b, key, key_type, axis, which, tie_break):
    """The index (s64) along `axis` of the largest (which="max") or smallest key: NaN beats numbers (NumPy: the
    first NaN wins), then the value, then the lower index (tie_break "low") or the higher ("high"). A total order,
    so any reduction order gives the same answer."""
    index = b.emit("stablehlo.iota", [], b.tensor(b.shape(key), s64), iota_dimension=_i64(axis))
    better = "GT" if which == "max" else "LT"
    index_better = "LT" if tie_break == "low" else "GT"

    def body(acc, acc_index, v, v_index):
        acc_nan, v_nan = b.is_nan(acc, key_type), b.is_nan(v, key_type)
        by_index = b.compare(index_better, acc_index, v_index, s64)
        same = b.compare("EQ", acc, v, key_type)
        numbers = b.and_(b.not_(b.or_(acc_nan, v_nan)),
                         b.or_(b.compare(better, acc, v, key_type), b.and_(same, by_index)))
        keep = b.or_(b.and_(acc_nan, b.or_(b.not_(v_nan), by_index)), numbers)
        return [b.select(keep, acc, v), b.select(keep, acc_index, v_index)]
    init = _lowest(key_type) if which == "max" else _highest(key_type)
    return reduce(b, [key, index], [_scalar(b, init, key_type), _scalar(b, 0, s64)], (axis,), body)[1]


def _arg_extreme(which):
    def lower(b, node):
        (x,) = node.args
        key, key_type = order_key(b, x, node.types[0].type)
        found = arg_extreme(b, key, key_type, node.attrs["axis"], which, node.attrs["tie_break"])
        return _keep(b, found, node)
    return lower


lowers("argmax")(_arg_extreme("max"))
lowers("argmin")(_arg_extreme("min"))


# ---- scans ----

def _shift(b, x, axis, distance, fill, dtype):
    """x moved `distance` places along `axis`, the first places filled with `fill`."""
    pads = [(0, 0, 0)] * len(b.shape(x))
    pads[axis] = (distance, -distance, 0)
    return pad(b, x, _scalar(b, fill, dtype), pads, dtype)


def scan(b, x, axis, combine, identity, dtype, reverse=False):
    """Inclusive scan along `axis` in log2(n) steps: x[i] = combine(x[i - d], x[i]) for d = 1, 2, 4, ..."""
    if reverse:
        x = b.emit("stablehlo.reverse", [x], x.type, dimensions=_ints([axis]))
    n = b.shape(x)[axis]
    distance = 1
    while distance < n:
        x = combine(_shift(b, x, axis, distance, identity, dtype), x)
        distance *= 2
    if reverse:
        x = b.emit("stablehlo.reverse", [x], x.type, dimensions=_ints([axis]))
    return x


def _complex_product(b, dtype):
    """NumPy's complex product on the parts (IREE's recovers infinities NumPy leaves as NaN)."""
    def combine(x, y):
        parts = cplx.mul(b, (b.real(x, dtype), b.imag(x, dtype)), (b.real(y, dtype), b.imag(y, dtype)))
        return b.complex(*parts, dtype)
    return combine


def _scan_lowering(which):
    def lower(b, node):
        (x,) = node.args
        dtype = node.types[0].type
        axis, reverse = node.attrs["axis"], node.attrs["reverse"]
        if which in ("max", "min"):
            key, key_type = order_key(b, x, dtype)
            identity = _lowest(key_type) if which == "max" else _highest(key_type)
            out = scan(b, key, axis, lambda p, q: b.binary(f"stablehlo.{which}imum", p, q), identity, key_type,
                       reverse)
            return _from_key(b, out, dtype)
        wide = _compute_type(dtype)
        if which == "sum":
            combine, identity = b.add, 0
        elif dtype.is_complex:
            combine, identity = _complex_product(b, dtype), 1
        else:
            combine, identity = b.mul, 1
        out = scan(b, convert(b, x, dtype, wide), axis, combine, identity, wide, reverse)
        return convert(b, out, wide, dtype)
    return lower


for _which in ("sum", "product", "max", "min"):
    lowers(f"cumulative_{_which}")(_scan_lowering(_which))


# ---- sorting ----

def sort(b, key, key_type, axis, descending):
    """(sorted key, the indices that sort it) along `axis`, in NumPy's order (NaN the largest), equal keys in index
    order. The comparator breaks ties by index itself: IREE's sort is not stable even when asked to be."""
    index = b.emit("stablehlo.iota", [], b.tensor(b.shape(key), s64), iota_dimension=_i64(axis))
    direction = "GT" if descending else "LT"
    scalars = [ir.RankedTensorType.get([], ir.RankedTensorType(v.type).element_type) for v in (key, index)]

    def comparator(a, c, a_index, c_index):
        ordered = b.compare(direction, a, c, key_type)
        tie = b.compare("EQ", a, c, key_type)
        if key_type.is_float:
            a_nan, c_nan = b.is_nan(a, key_type), b.is_nan(c, key_type)
            ordered = b.or_(ordered, b.and_(a_nan, b.not_(c_nan)) if descending else b.and_(b.not_(a_nan), c_nan))
            tie = b.or_(tie, b.and_(a_nan, c_nan))
        return [b.or_(ordered, b.and_(tie, b.compare("LT", a_index, c_index, s64)))]
    block_types = [scalars[0], scalars[0], scalars[1], scalars[1]]
    return b.with_region("stablehlo.sort", [key, index], [key.type, index.type], block_types, comparator,
                         dimension=_i64(axis), is_stable=ir.BoolAttr.get(True))


@lowers("sort")
def _sort(b, node):
    (x,) = node.args
    dtype = node.types[0].type
    key, key_type = order_key(b, x, dtype)
    return _from_key(b, sort(b, key, key_type, node.attrs["axis"], node.attrs["descending"])[0], dtype)


@lowers("argsort")
def _argsort(b, node):
    (x,) = node.args
    key, key_type = order_key(b, x, node.types[0].type)
    return sort(b, key, key_type, node.attrs["axis"], node.attrs["descending"])[1]


@lowers("top_k")
def _top_k(b, node):
    """The k first of a stable descending sort along the last axis (NaN largest; ties keep the lower index)."""
    (x,) = node.args
    dtype = node.types[0].type
    key, key_type = order_key(b, x, dtype)
    axis = len(b.shape(x)) - 1
    sorted_key, indices = sort(b, key, key_type, axis, descending=True)
    # The barrier keeps IREE from turning sort-then-slice into chlo.top_k (s32 indices, other ties and NaN order).
    barrier = b.emit_many("stablehlo.optimization_barrier", [sorted_key, indices], [sorted_key.type, indices.type])
    values, indices = _from_key(b, barrier[0], dtype), barrier[1]
    values_type, indices_type = node.out
    limits = list(values_type.shape)
    zeros, ones = [0] * len(limits), [1] * len(limits)
    return [b.emit("stablehlo.slice", [v], b.tensor(limits, t.type), start_indices=_ints(zeros),
                   limit_indices=_ints(limits), strides=_ints(ones))
            for v, t in ((values, values_type), (indices, indices_type))]
