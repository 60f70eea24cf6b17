"""Reduction, cumulative, sorting and searching nx ops.

Each maps onto one StableHLO construct: the reductions onto stablehlo.reduce (sum/product with add/multiply,
reduce_max/reduce_min with maximum/minimum, all/any with and/or on i1), argmax/argmin onto a two-operand reduce of
(value, iota), the cumulative ops onto stablehlo.reduce_window, and sort, argsort and top_k onto stablehlo.sort (with
an iota operand for the indices). Results keep the operand's type except where stated; the frontend casts operands
to the accumulation type first (the array API's: bool and signed integers sum in s64, unsigned in u64)."""
from numerix.dialect import dtypes
from numerix.dialect.errors import NxShapeError, NxValueError
from .rules import define
from .schema import TensorType, require


def _check_axes(op, x, axes):
    for a in axes:
        if not 0 <= a < len(x.shape):
            raise NxValueError(f"axis {a} is out of range for {x} (rank {len(x.shape)})", op=op)
    if list(axes) != sorted(set(axes)):
        raise NxValueError(f"axes {list(axes)} must be increasing and distinct (operand {x})", op=op)


def _reduced(x, axes, keep_axes, type):
    """The type of x reduced over `axes`: those axes vanish with their names, or stay as size 1 (named)."""
    if keep_axes:
        shape = tuple(1 if i in axes else d for i, d in enumerate(x.shape))
        return TensorType(shape, type, x.names)
    kept = [i for i in range(len(x.shape)) if i not in axes]
    return TensorType(tuple(x.shape[i] for i in kept), type, tuple(x.names[i] for i in kept))


def _nonempty(op, x, axes):
    """Max, min and their arg forms have no identity, so reducing a zero-length axis is an error."""
    empty = [a for a in axes if x.shape[a] == 0]
    if empty:
        raise NxShapeError(f"cannot reduce over zero-length axes {empty} of {x}: the reduction has no identity",
                           op=op)


def _reduce(accepts, result=None, needs_elements=False):
    """result: None keeps the operand's type, "bool" gives bool."""
    def infer(types, op, axes, keep_axes):
        (x,) = types
        require(op, x, accepts)
        _check_axes(op, x, axes)
        if needs_elements:
            _nonempty(op, x, axes)
        return _reduced(x, axes, keep_axes, dtypes.bool_ if result == "bool" else x.type)
    return infer


# name: (accepted type class, result, zero-length axes allowed)
REDUCE = {
    "sum": ("number", None, True), "product": ("number", None, True),
    "reduce_max": ("real", None, False), "reduce_min": ("real", None, False),
    "all": ("bool", "bool", True), "any": ("bool", "bool", True),
}
_DIFFERENTIABLE = {"sum", "product", "reduce_max", "reduce_min"}

for _name, (_accepts, _result, _empty_ok) in REDUCE.items():
    _infer = _reduce(_accepts, _result, needs_elements=not _empty_ok)
    define(_name, 1, lambda types, _n=_name, _i=_infer, **attrs: _i(types, _n, **attrs),
           attrs={"axes": "ints", "keep_axes": "bool"}, differentiable=_name in _DIFFERENTIABLE)


def _check_axis(op, x, axis):
    if not 0 <= axis < len(x.shape):
        raise NxValueError(f"axis {axis} is out of range for {x} (rank {len(x.shape)})", op=op)


def _arg_reduce(op):
    def infer(types, axis, keep_axis, tie_break):
        (x,) = types
        require(op, x, "real")
        _check_axis(op, x, axis)
        _nonempty(op, x, (axis,))
        if tie_break not in ("low", "high"):
            raise NxValueError(f"tie_break must be 'low' or 'high', got {tie_break!r}", op=op)
        return _reduced(x, (axis,), keep_axis, dtypes.s64)
    return infer


# argmax/argmin: the index (s64) of the largest/smallest element along `axis`; NaN counts as the largest and the
# smallest (NumPy's rule: the first NaN wins). tie_break "low" picks the first of equal extremes, "high" the last.
for _name in ("argmax", "argmin"):
    define(_name, 1, _arg_reduce(_name), attrs={"axis": "int", "keep_axis": "bool", "tie_break": "str"},
           differentiable=False)


def _along_axis(op, accepts, result=None):
    """An op that keeps the operand's shape and names and works along one axis; result: None or an index type."""
    def infer(types, axis, **_):
        (x,) = types
        require(op, x, accepts)
        _check_axis(op, x, axis)
        return x if result is None else x._replace(type=result)
    return infer


# Inclusive scans along `axis`; reverse scans from the end. NaN propagates through max and min.
for _name, _accepts in (("cumulative_sum", "number"), ("cumulative_product", "number"),
                        ("cumulative_max", "real"), ("cumulative_min", "real")):
    define(_name, 1, _along_axis(_name, _accepts), attrs={"axis": "int", "reverse": "bool"})

# Stable sorts along `axis` in NumPy's total order (NaN above +inf, so last ascending and first descending; -0.0
# equals 0.0). sort gives the values, argsort the s64 indices that sort; equal elements keep their order either way.
define("sort", 1, _along_axis("sort", "real"), attrs={"axis": "int", "descending": "bool"})
define("argsort", 1, _along_axis("argsort", "real", dtypes.s64), attrs={"axis": "int", "descending": "bool"},
       differentiable=False)


def _infer_top_k(types, k):
    """Nx's top_k: the k largest elements along the last axis, largest first (ties: lower index first), and their
    s64 indices."""
    (x,) = types
    require("top_k", x, "real")
    if not x.shape:
        raise NxValueError(f"needs a tensor of rank 1 or more, got {x}", op="top_k")
    if not 0 <= k <= x.shape[-1]:
        raise NxValueError(f"k={k} is out of range for the last axis of {x} (0 to {x.shape[-1]})", op="top_k")
    values = TensorType(x.shape[:-1] + (k,), x.type, x.names)
    return values, values._replace(type=dtypes.s64)


define("top_k", 1, _infer_top_k, attrs={"k": "int"}, results=2)
