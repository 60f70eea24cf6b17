"""The StableHLO constructs of the reductions, scans and sorts (dialect/reduction.py, scan.py, sort.py), which the
linear algebra lowerings use too. A library of lowering helpers: it registers no op.

Orderings work on keys: unsigned integers compare as signed keys with the sign bit flipped, booleans as 0 and 1 (s8).
argmax/argmin are a two-operand reduce of (value, index) whose body picks by a total order (NaN first, then the
value, then the index the tie-break asks for), so any reduction order gives NumPy's answer. Scans are log2(n)
shifted combines (Hillis-Steele): stablehlo.reduce_window would cost n^2. Sorts are stablehlo.sort with a
comparator that puts NaN last (first when descending), as NumPy does, and breaks ties by index (IREE's sort is not
stable)."""
import numpy as np
from iree.compiler import ir

from numerix.dialect import ir as nxir
from numerix.dialect import dtypes
from numerix.dialect.dtypes import bool_, s8, s64

from .lower_convert import convert, signed_twin
from .lower_shape import pad


def order_key(b, x, dtype):
    """(key, key type): a value whose signed (or float) order is x's order."""
    if dtype.is_bool:
        return convert(b, x, bool_, s8), s8
    if dtype.is_unsigned:
        signed = signed_twin(dtype)
        return b.xor(x, b.full_like(x, dtypes.iinfo(signed).min, signed)), signed
    return x, dtype


def from_key(b, key, dtype):
    """The value of nx type `dtype` whose order key is `key`."""
    if dtype.is_bool:
        return convert(b, key, s8, bool_)
    if dtype.is_unsigned:
        signed = signed_twin(dtype)
        return b.xor(key, b.full_like(key, dtypes.iinfo(signed).min, signed))
    return key


def lowest(dtype):
    """The least value of nx type `dtype` (real): max's identity."""
    if dtype.is_bool:
        return False
    if dtype.is_float:
        return -np.inf if dtype is not dtypes.f8_e4m3fn else dtypes.finfo(dtype).min  # it has no infinity
    return dtypes.iinfo(dtype).min


def highest(dtype):
    """The greatest value of nx type `dtype` (real): min's identity."""
    if dtype.is_bool:
        return True
    if dtype.is_float:
        return np.inf if dtype is not dtypes.f8_e4m3fn else dtypes.finfo(dtype).max  # it has no infinity
    return dtypes.iinfo(dtype).max


def _scalar_types(values):
    return [ir.RankedTensorType.get([], ir.RankedTensorType(v.type).element_type) for v in values]


def reduce(b, values, inits, axes, body):
    """stablehlo.reduce of the values over `axes`; body(accumulators..., elements...) gives the new accumulators."""
    results = []
    for v in values:
        shape = b.shape(v)
        results.append(ir.RankedTensorType.get([d for i, d in enumerate(shape) if i not in axes],
                                               ir.RankedTensorType(v.type).element_type))
    return b.with_region("stablehlo.reduce", list(values) + list(inits), results, _scalar_types(values) * 2, body,
                         dimensions=nxir.ints(axes))


def _opaque_zeros(b, like, dtype):
    zero = b.barrier(b.constant(0, (), dtype))[0]
    return b.emit("stablehlo.broadcast_in_dim", [zero], like.type, broadcast_dimensions=nxir.ints([]))


def _iota(b, like, axis):
    return b.emit("stablehlo.iota", [], b.tensor(b.shape(like), s64), iota_dimension=nxir.attr("int", axis))


def arg_extreme(b, key, key_type, axis, which, tie_break):
    """The index (s64) along `axis` of the largest (which="max") or smallest key: NaN beats numbers (NumPy: the
    first NaN wins), then the value, then the lower index (tie_break "low") or the higher ("high"). A total order,
    so any reduction order gives the same answer.

    Along an axis of one element the index is the constant 0, spelled out: IREE 3.13 found it constant only late,
    hoisted what was computed from it into a load-time initializer and, where one dispatch made two such results,
    gave both the first one's buffer (the build or the call failed; found by the differential fuzzer)."""
    shape = b.shape(key)
    if shape[axis] == 1:
        return b.constant(0, [n for a, n in enumerate(shape) if a != axis], s64)
    index = _iota(b, key, axis)
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
    init = lowest(key_type) if which == "max" else highest(key_type)
    return reduce(b, [key, index], [b.constant(init, (), key_type), b.constant(0, (), s64)], (axis,), body)[1]


def _shift(b, x, axis, distance, fill, dtype):
    """x moved `distance` places along `axis`, the first places filled with `fill`."""
    pads = [(0, 0, 0)] * len(b.shape(x))
    pads[axis] = (distance, -distance, 0)
    return pad(b, x, b.constant(fill, (), dtype), pads, dtype)


def scan(b, x, axis, combine, identity, dtype, reverse=False):
    """Inclusive scan along `axis` in log2(n) steps: x[i] = combine(x[i - d], x[i]) for d = 1, 2, 4, ..."""
    if reverse:
        x = b.emit("stablehlo.reverse", [x], x.type, dimensions=nxir.ints([axis]))
    n = b.shape(x)[axis]
    distance = 1
    while distance < n:
        x = combine(_shift(b, x, axis, distance, identity, dtype), x)
        distance *= 2
    if reverse:
        x = b.emit("stablehlo.reverse", [x], x.type, dimensions=nxir.ints([axis]))
    return x


def sort(b, key, key_type, axis, descending):
    """(sorted key, the indices that sort it) along `axis`, in NumPy's order (NaN the largest), equal keys in index
    order. The comparator breaks ties by index itself: IREE's sort is not stable even when asked to be.

    IREE 3.13 sorts its operands in place, and gets that wrong where the sort does not own them: it fails to build a
    sort of a slice or a gather of a function argument ("write affecting operations on global resources are
    restricted to workgroup distributed contexts"; found by the differential fuzzer), and with constant hoisting off
    it let top_k's sort overwrite an iota that an argmax read. So both operands are fresh copies (less a zero that
    IREE cannot see through). Along an axis of one element there is nothing to order, and no sort is made: IREE turns
    such a sort into a copy onto its operand, which fails to build where the operand is a constant ("write affecting
    operations on global resources"; the fuzzer's argsort of an argmax with keepdims)."""
    if b.shape(key)[axis] <= 1:
        return key, _iota(b, key, axis)
    key = b.sub(key, _opaque_zeros(b, key, key_type))
    index = _iota(b, key, axis)
    index = b.sub(index, _opaque_zeros(b, index, s64))
    direction = "GT" if descending else "LT"
    scalars = _scalar_types((key, index))

    def comparator(a, c, a_index, c_index):
        ordered = b.compare(direction, a, c, key_type)
        tie = b.compare("EQ", a, c, key_type)
        if key_type.is_float:
            a_nan, c_nan = b.is_nan(a, key_type), b.is_nan(c, key_type)
            ordered = b.or_(ordered, b.and_(a_nan, b.not_(c_nan)) if descending else b.and_(b.not_(a_nan), c_nan))
            tie = b.or_(tie, b.and_(a_nan, c_nan))
        return [b.or_(ordered, b.and_(tie, b.compare("LT", a_index, c_index, s64)))]
    block_types = [scalars[0], scalars[0], scalars[1], scalars[1]]
    results = b.with_region("stablehlo.sort", [key, index], [key.type, index.type], block_types, comparator,
                            dimension=nxir.attr("int", axis), is_stable=ir.BoolAttr.get(True))
    # Both results leave the sort's dispatch through a barrier: IREE keeps a result nothing reads on the dispatch's
    # stack, and fails to build once it passes 32 KiB ("exceeded stack allocation limit": nx.sort of 5,000 f32, its
    # s64 indices); and top_k's slice of them is not turned into chlo.top_k (s32 indices, other ties and NaN order).
    return b.barrier(*results)
