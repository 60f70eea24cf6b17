"""Reduction nx ops (sum, product, reduce_max, reduce_min, all, any) and the arg reductions (argmax, argmin), each
declared once with its type rule, NumPy rule, VJP and lowering. The scans are in scan.py, the sorts in sort.py.

A reduction's algebra is written once, in its Reduction record: how it folds an element into its accumulator (the
combiner, on a dialect/lowering.py Builder) and where the accumulator starts (its identity, by nx type). The
StableHLO lowering (a stablehlo.reduce) runs them, the scans of scan.py run them along an axis, and
passes/fusion_to_linalg.py runs them as the scalar body of a fused linalg.generic; the NumPy rule is the `reduce` of
NumPy's ufunc for the same fold. Results keep the operand's type; the frontend casts operands to the accumulation
type first (the array API's: bool and signed integers sum in s64, unsigned in u64)."""
from typing import Callable, NamedTuple, Optional

import numpy as np

from numerix.dialect import dtypes
from numerix.dialect.errors import NxShapeError, NxValueError
from . import algebra as alg, batching
from .lower_convert import convert
from .lower_reduction import arg_extreme, from_key, highest, lowest, order_key, reduce
from .rules import define, widen_half
from .schema import TensorType, require

# ---- type rules shared by the reductions, scans and sorts ----


def _check_axes(op, x, axes):
    for a in axes:
        if not 0 <= a < len(x.shape):
            raise NxValueError(f"axis {a} is out of range for {x} (rank {len(x.shape)})", op=op)
    if list(axes) != sorted(set(axes)):
        raise NxValueError(f"axes {list(axes)} must be increasing and distinct (operand {x})", op=op)


def check_axis(op, x, axis):
    if not 0 <= axis < len(x.shape):
        raise NxValueError(f"axis {axis} is out of range for {x} (rank {len(x.shape)})", op=op)


def along_axis(op, accepts, result=None):
    """The type rule of an op that keeps the operand's shape and names and works along one axis; result: None (the
    operand's type) or an index type."""
    def infer(types, axis, **_):
        (x,) = types
        require(op, x, accepts)
        check_axis(op, x, axis)
        return x if result is None else x._replace(type=result)
    return infer


def _reduced(x, axes, keep_axes, type):
    """The type of x reduced over `axes`: those axes vanish with their names, or stay as size 1 (named)."""
    if keep_axes:
        shape = tuple(1 if i in axes else d for i, d in enumerate(x.shape))
        return TensorType(shape, type, x.names)
    kept = [i for i in range(len(x.shape)) if i not in axes]
    return TensorType(tuple(x.shape[i] for i in kept), type, tuple(x.names[i] for i in kept))


def _nonempty(op, x, axes):
    """Max, min and their arg forms have no identity in NumPy, so reducing a zero-length axis is an error."""
    empty = [a for a in axes if x.shape[a] == 0]
    if empty:
        raise NxShapeError(f"cannot reduce over zero-length axes {empty} of {x}: the reduction has no identity",
                           op=op)


def _keep(b, value, node):
    """The reduced value in the result's shape (keep_axes leaves size-1 axes)."""
    out = node.out[0]
    if b.shape(value) == list(out.shape):
        return value
    return b.emit("stablehlo.reshape", [value], b.tensor(out.shape, out.type))


# ---- the reductions' algebra ----

class Reduction(NamedTuple):
    """A reduction: the type class it accepts, NumPy's ufunc for its fold, `combine(b, accumulator, element, nx
    type)`, `identity(nx type)`, whether it is an extremum, and its VJP (None: not differentiable).

    In StableHLO (to_work, from_work), extrema compare rather than compute: they work on order keys in the operand's
    type (lower_reduction.py's `order_key`); the others work in the accumulator type. A fused linalg.generic
    (passes/fusion_to_linalg.py) combines the values themselves in the accumulator type, hence the combiners' bool
    and unsigned cases. Extrema, as in NumPy, refuse zero-length axes."""
    accepts: str
    ufunc: np.ufunc
    combine: Callable
    identity: Callable
    extremum: bool = False
    vjp: Optional[Callable] = None

    def to_work(self, b, x, dtype):
        """(x as the values the reduction combines, their nx type)."""
        if self.extremum:
            return order_key(b, x, dtype)
        work = dtype.compute_type
        return convert(b, x, dtype, work), work

    def from_work(self, b, x, work, dtype):
        return from_key(b, x, dtype) if self.extremum else convert(b, x, work, dtype)


def _add(b, acc, x, dtype):
    return b.add(acc, x)


def _multiply(b, acc, x, dtype):
    return b.mul(acc, x)


def _and(b, acc, x, dtype):
    return b.and_(acc, x)


def _or(b, acc, x, dtype):
    return b.or_(acc, x)


def _maximum(b, acc, x, dtype):
    """NaN propagates, as in np.max (stablehlo.maximum and arith.maximumf do it); on booleans max is or; unsigned
    integers compare unsigned."""
    if dtype.is_bool:
        return b.or_(acc, x)
    if dtype.is_unsigned:
        return b.binary("arith.maxui", acc, x)
    return b.binary("stablehlo.maximum", acc, x)


def _minimum(b, acc, x, dtype):
    if dtype.is_bool:
        return b.and_(acc, x)
    if dtype.is_unsigned:
        return b.binary("arith.minui", acc, x)
    return b.binary("stablehlo.minimum", acc, x)


# ---- the reductions' rules ----

def _infer_reduction(op, reduction):
    def infer(types, axes, keep_axes):
        (x,) = types
        require(op, x, reduction.accepts)
        _check_axes(op, x, axes)
        if reduction.extremum:
            _nonempty(op, x, axes)
        return _reduced(x, axes, keep_axes, x.type)
    return infer


def _numpy_reduction(ufunc):
    @widen_half
    def reduce(x, axes, keep_axes):
        # Accumulates in the operand's type (NumPy's sum would widen small integers to int64); halves come widened
        # to f32 by widen_half and are rounded back once by the backend. Max and min propagate NaN, as StableHLO's
        # maximum and minimum do.
        return ufunc.reduce(x, axis=axes, keepdims=keep_axes, dtype=x.dtype)
    return reduce


def _lower_reduction(reduction):
    def lower(b, node):
        dtype = node.types[0].type
        x, work = reduction.to_work(b, node.args[0], dtype)
        (out,) = reduce(b, [x], [b.constant(reduction.identity(work), (), work)], node.attrs["axes"],
                        lambda acc, v: [reduction.combine(b, acc, v, work)])
        return _keep(b, reduction.from_work(b, out, work, dtype), node)
    return lower


def _expand(g, x, axes, keep_axes):
    """The cotangent of a reduction over `axes`, repeated back over them to x's shape."""
    kept = tuple(range(x.ndim)) if keep_axes else tuple(a for a in range(x.ndim) if a not in axes)
    return alg.apply("broadcast", [g], shape=x.shape, axes=kept)


def shift(t, axis, by, fill):
    """t moved `by` places along `axis` (toward higher indices when positive), `fill` entering at the open end."""
    pads = tuple((by, -by, 0) if a == axis else (0, 0, 0) for a in range(t.ndim))
    return alg.apply("pad", [t, alg.scalar(t, fill)], pads=pads)


def _vjp_sum(cotangents, operands, results, axes, keep_axes):
    return [_expand(cotangents[0], operands[0], axes, keep_axes)]


def _to_last_axis(x, axes):
    """x with `axes` moved to the end and merged into one; and a function that undoes it."""
    kept = [a for a in range(x.ndim) if a not in axes]
    order = tuple(kept + list(axes))
    moved = alg.transpose(x, order)
    n = 1
    for a in axes:
        n *= x.shape[a]
    flat = alg.reshape(moved, tuple(x.shape[a] for a in kept) + (n,))

    def back(t):
        return alg.transpose(alg.reshape(t, moved.shape), sorted(range(x.ndim), key=lambda i: order[i]))
    return flat, back


def _vjp_product(cotangents, operands, results, axes, keep_axes):
    # d(prod x)/dx_i is the product of the others: the running product before i times the one after it. Written
    # without dividing by x, so it holds at zeros, and so does its own derivative.
    (g,), (x,) = cotangents, operands
    if not axes:
        return [g]
    flat, back = _to_last_axis(x, axes)
    last = flat.ndim - 1
    before = shift(alg.apply("cumulative_product", [flat], axis=last, reverse=False), last, 1, 1)
    after = shift(alg.apply("cumulative_product", [flat], axis=last, reverse=True), last, -1, 1)
    return [_expand(g, x, axes, keep_axes) * back(before * after)]


def _vjp_extremum(cotangents, operands, results, axes, keep_axes):
    # JAX's rule: the cotangent is shared evenly by the elements equal to the extremum (a NaN that propagated
    # takes it whole, or shares it with the other NaNs).
    (g,), (x,), (y,) = cotangents, operands, results
    at = alg.as_type((x == _expand(y, x, axes, keep_axes)) | alg.is_nan(x), g.type)
    count = alg.apply("sum", [at], axes=axes, keep_axes=keep_axes)
    return [at * _expand(g / count, x, axes, keep_axes)]


REDUCTIONS = {
    "sum": Reduction("number", np.add, _add, lambda dtype: 0, vjp=_vjp_sum),
    "product": Reduction("number", np.multiply, _multiply, lambda dtype: 1, vjp=_vjp_product),
    "reduce_max": Reduction("real", np.maximum, _maximum, lowest, extremum=True, vjp=_vjp_extremum),
    "reduce_min": Reduction("real", np.minimum, _minimum, highest, extremum=True, vjp=_vjp_extremum),
    "all": Reduction("bool", np.logical_and, _and, lambda dtype: True),
    "any": Reduction("bool", np.logical_or, _or, lambda dtype: False),
}

for _name, _reduction in REDUCTIONS.items():
    define(_name, 1, _infer_reduction(_name, _reduction), attrs={"axes": "ints", "keep_axes": "bool"},
           differentiable=_reduction.vjp is not None, numpy=_numpy_reduction(_reduction.ufunc), vjp=_reduction.vjp,
           lower=_lower_reduction(_reduction), fusion="reduction", batch=batching.along_axes(_name, "axes"))


# ---- argmax, argmin ----
# The index (s64) of the largest/smallest element along `axis`; NaN counts as the largest and the smallest (NumPy's
# rule: the first NaN wins). tie_break "low" picks the first of equal extremes, "high" the last.

def _infer_arg_reduction(op):
    def infer(types, axis, keep_axis, tie_break):
        (x,) = types
        require(op, x, "real")
        check_axis(op, x, axis)
        _nonempty(op, x, (axis,))
        if tie_break not in ("low", "high"):
            raise NxValueError(f"tie_break must be 'low' or 'high', got {tie_break!r}", op=op)
        return _reduced(x, (axis,), keep_axis, dtypes.s64)
    return infer


def _numpy_arg_reduction(fn):
    @widen_half
    def reduce(x, axis, keep_axis, tie_break):
        if tie_break == "low":
            return fn(x, axis=axis, keepdims=keep_axis)
        # The last of equal extremes is the first one seen from the end.
        return x.shape[axis] - 1 - fn(np.flip(x, axis), axis=axis, keepdims=keep_axis)
    return reduce


def _lower_arg_reduction(which):
    def lower(b, node):
        key, key_type = order_key(b, node.args[0], node.types[0].type)
        found = arg_extreme(b, key, key_type, node.attrs["axis"], which, node.attrs["tie_break"])
        return _keep(b, found, node)
    return lower


for _name, _fn, _which in (("argmax", np.argmax, "max"), ("argmin", np.argmin, "min")):
    define(_name, 1, _infer_arg_reduction(_name), attrs={"axis": "int", "keep_axis": "bool", "tie_break": "str"},
           differentiable=False, numpy=_numpy_arg_reduction(_fn), lower=_lower_arg_reduction(_which),
           batch=batching.along_axes(_name, "axis"))
