"""The cumulative nx ops: inclusive scans along `axis` (reverse scans from the end), each declared once with its type
rule, NumPy rule, VJP and lowering. A scan runs a reduction's algebra along the axis (dialect/reduction.py's
Reduction: its combiner and identity in the lowering, its NumPy ufunc's `accumulate` in the NumPy rule). NaN
propagates through max and min.

The VJPs that would divide by an operand (cumulative_product) are written with exclusive running products instead,
so they hold at zeros, and so do their own derivatives. Running products and segmented sums need a linear
recurrence r_i = b_i + a_i * r_(i-1), solved by recursive doubling in log2(n) rounds of shifts, multiplies and adds:
ops that are all differentiable."""
import numpy as np

from . import algebra as alg, batching
from . import lower_complex as cplx
from .lower_reduction import scan
from .reduction import REDUCTIONS, along_axis, shift
from .rules import define, widen_half


def _numpy_scan(ufunc):
    @widen_half
    def accumulate(x, axis, reverse):
        # In the operand's type, as the reductions (NumPy's cumsum would widen small integers).
        if reverse:
            return np.flip(ufunc.accumulate(np.flip(x, axis), axis, dtype=x.dtype), axis)
        return ufunc.accumulate(x, axis, dtype=x.dtype)
    return accumulate


def _complex_product(b, x, y, dtype):
    """NumPy's complex product on the parts (IREE's recovers infinities NumPy leaves as NaN)."""
    parts = cplx.mul(b, (b.real(x, dtype), b.imag(x, dtype)), (b.real(y, dtype), b.imag(y, dtype)))
    return b.complex(*parts, dtype)


def _lower_scan(reduction):
    def lower(b, node):
        dtype = node.types[0].type
        x, work = reduction.to_work(b, node.args[0], dtype)
        combine = _complex_product if node.name == "cumulative_product" and dtype.is_complex else reduction.combine
        out = scan(b, x, node.attrs["axis"], lambda p, q: combine(b, p, q, work), reduction.identity(work), work,
                   node.attrs["reverse"])
        return reduction.from_work(b, out, work, dtype)
    return lower


def _linear_recurrence(b, a, axis, step):
    """r with r_i = b_i + a_i * r_(i - step) along `axis` (step 1: from the start, -1: from the end), r = b at the
    first position, by recursive doubling: after each round, r_i holds the terms from 2^k positions back."""
    span = 1
    while span < b.shape[axis]:
        b = b + a * shift(b, axis, span * step, 0)
        span *= 2
        if span < b.shape[axis]:
            a = a * shift(a, axis, span // 2 * step, 0)
    return b


def _vjp_cumulative_sum(cotangents, operands, results, axis, reverse):
    return [alg.apply("cumulative_sum", [cotangents[0]], axis=axis, reverse=not reverse)]


def _vjp_cumulative_product(cotangents, operands, results, axis, reverse):
    # With y_k = x_1 ... x_k, d(sum_k g_k y_k)/dx_i = (x_1 ... x_(i-1)) * r_i, where r_i = sum over k >= i of
    # g_k x_(i+1) ... x_k, that is r_i = g_i + x_(i+1) r_(i+1): no division, so zeros are fine.
    (g,), (x,), (y,) = cotangents, operands, results
    step = -1 if reverse else 1
    before = shift(y, axis, step, 1)
    return [before * _linear_recurrence(g, shift(x, axis, -step, 0), axis, -step)]


def _vjp_cumulative_extremum(cotangents, operands, results, axis, reverse):
    # y_k's cotangent is shared evenly by the elements up to k equal to y_k (as reduce_max shares it). They are
    # the "records" (x_j == y_j) of y's current run of equal values, so counting them and summing each run's
    # shares back are two segmented scans.
    (g,), (x,), (y,) = cotangents, operands, results
    step = -1 if reverse else 1
    record = alg.as_type((x == y) | alg.is_nan(x), g.type)
    previous = shift(y, axis, step, 0)
    same_run = alg.as_type((y == previous) | (alg.is_nan(y) & alg.is_nan(previous)), g.type)
    count = _linear_recurrence(record, same_run, axis, step)
    shares = _linear_recurrence(g / count, shift(same_run, axis, -step, 0), axis, -step)
    return [record * shares]


# scan -> (the reduction it runs, its VJP)
SCANS = {
    "cumulative_sum": ("sum", _vjp_cumulative_sum),
    "cumulative_product": ("product", _vjp_cumulative_product),
    "cumulative_max": ("reduce_max", _vjp_cumulative_extremum),
    "cumulative_min": ("reduce_min", _vjp_cumulative_extremum),
}

for _name, (_runs, _vjp) in SCANS.items():
    _reduction = REDUCTIONS[_runs]
    define(_name, 1, along_axis(_name, _reduction.accepts), attrs={"axis": "int", "reverse": "bool"},
           numpy=_numpy_scan(_reduction.ufunc), vjp=_vjp, lower=_lower_scan(_reduction),
           batch=batching.along_axes(_name, "axis"))
