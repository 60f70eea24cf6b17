"""Reductions, scans, sorting and searching, in the array API's spelling (`axis=`, `keepdims=`) and Nx's (`axes=`,
`keep_axes=`, `reverse=`, `tie_break=`). Axes are indices (negative count from the end) or names; reducing an axis
drops its name, keeping it (keepdims) keeps the name. Each function normalises its arguments and runs the nx
primitives of dialect/reduction.py, or an exact composite of them (mean, var, std, logsumexp, count_nonzero,
searchsorted)."""
import builtins
import math

import numpy as np

from numerix.dialect import dtypes
from numerix.dialect.errors import NxShapeError, NxTypeError, NxValueError

from . import elementwise as ew
from .dispatch import apply
from .operands import as_type, axis_index, result_type, to_tensor

__all__ = [
    "sum", "prod", "product", "max", "min", "reduce_max", "reduce_min", "all", "any", "mean", "var", "variance",
    "std", "standard_deviation", "logsumexp", "count_nonzero", "argmax", "argmin", "cumulative_sum",
    "cumulative_prod", "cumulative_product", "cumulative_max", "cumulative_min", "sort", "argsort", "top_k",
    "searchsorted",
]


# ---- argument normalisation ----

def _axis(op, t, axis):
    if t.ndim == 0:
        raise NxValueError(f"axis {axis!r} is out of range for {t.ttype}: a rank-0 tensor has no axes", op=op)
    return axis_index(op, t, axis)


def _axes(op, t, axis, axes):
    """The reduced axes as sorted indices, from the array API's `axis` or Nx's `axes`; None means all of them."""
    if axis is not None and axes is not None:
        raise NxValueError("give axis (array API) or axes (Nx), not both", op=op)
    chosen = axes if axes is not None else axis
    if chosen is None:
        return tuple(range(t.ndim))
    items = list(chosen) if isinstance(chosen, (list, tuple)) else [chosen]
    indices = [_axis(op, t, a) for a in items]
    if len(set(indices)) != len(indices):
        raise NxValueError(f"axes {items} repeat (tensor {t.ttype})", op=op)
    return tuple(sorted(indices))


def _flag(op, name, value):
    if not isinstance(value, (bool, np.bool_)):
        raise NxTypeError(f"{name} must be True or False, got {value!r}", op=op)
    return bool(value)


def _keep(op, keepdims, keep_axes, nx_name="keep_axes"):
    """The array API's keepdims or Nx's keep_axes (keep_axis for the arg reductions)."""
    if keep_axes is None:
        return _flag(op, "keepdims", keepdims)
    if keepdims:
        raise NxValueError(f"give keepdims (array API) or {nx_name} (Nx), not both", op=op)
    return _flag(op, nx_name, keep_axes)


def _sum_type(t, dtype):
    """The array API's accumulation type: bool and signed integers in the default int, unsigned in u64, inexact
    types as they are; `dtype` overrides."""
    if dtype is not None:
        return dtypes.as_dtype(dtype)
    if t.type.is_bool or t.type.kind == "s":
        return dtypes.DEFAULT_INT
    if t.type.is_unsigned:
        return dtypes.u64
    return t.type


def _float_types(op, t, allow_complex=True):
    """(the type to compute in, the result type) of a floating reduction such as mean: integers and bool give the
    default float; f16 and bf16 compute in f32 and round once at the end, as JAX does."""
    if t.type.is_complex and not allow_complex:
        raise NxTypeError(f"does not support type {t.type.name} (operand {t.ttype}); expects a real type", op=op)
    out = dtypes.to_float(t.type)
    return out.compute_type, out


def _require_real(op, t):
    if t.type.is_complex:
        raise NxTypeError(f"does not support type {t.type.name} (operand {t.ttype}); complex numbers have no "
                          "order", op=op)


def _reshape(t, shape, names):
    return apply("reshape", [t], shape=tuple(shape), names=tuple(names))


def _reduce(op, primitive, x, axis, axes, keepdims, keep_axes, type=None):
    t = to_tensor(x)
    reduced = _axes(op, t, axis, axes)
    keep = _keep(op, keepdims, keep_axes)
    if type is not None:
        t = as_type(t, type)
    return apply(primitive, [t], axes=reduced, keep_axes=keep)


# ---- reductions ----

def sum(x, /, *, axis=None, dtype=None, keepdims=False, axes=None, keep_axes=None):
    """Sum over `axis` (array API) or `axes` (Nx); all axes by default. bool and signed integers sum in s64,
    unsigned integers in u64, others in their own type; `dtype` casts the input first."""
    t = to_tensor(x)
    return _reduce("sum", "sum", t, axis, axes, keepdims, keep_axes, _sum_type(t, dtype))


def prod(x, /, *, axis=None, dtype=None, keepdims=False, axes=None, keep_axes=None):
    """Product over `axis`/`axes`, typed as `sum`."""
    t = to_tensor(x)
    return _reduce("prod", "product", t, axis, axes, keepdims, keep_axes, _sum_type(t, dtype))


def max(x, /, *, axis=None, keepdims=False, axes=None, keep_axes=None):
    """Largest element over `axis`/`axes` (NaN propagates); reducing a zero-length axis is an error. For the
    elementwise maximum use nx.maximum."""
    return _reduce("max", "reduce_max", x, axis, axes, keepdims, keep_axes)


def min(x, /, *, axis=None, keepdims=False, axes=None, keep_axes=None):
    """Smallest element over `axis`/`axes` (NaN propagates); reducing a zero-length axis is an error."""
    return _reduce("min", "reduce_min", x, axis, axes, keepdims, keep_axes)


def _truth(x):
    t = to_tensor(x)
    return t if t.type.is_bool else ew.not_equal(t, 0)  # NaN is true, as in NumPy


def all(x, /, *, axis=None, keepdims=False, axes=None, keep_axes=None):
    """Whether every element is nonzero over `axis`/`axes` (True for none); a bool tensor."""
    return _reduce("all", "all", _truth(x), axis, axes, keepdims, keep_axes)


def any(x, /, *, axis=None, keepdims=False, axes=None, keep_axes=None):
    """Whether some element is nonzero over `axis`/`axes` (False for none); a bool tensor."""
    return _reduce("any", "any", _truth(x), axis, axes, keepdims, keep_axes)


def count_nonzero(x, /, *, axis=None, keepdims=False, axes=None, keep_axes=None):
    """The number of nonzero elements over `axis`/`axes`, in the default int (s64)."""
    flags = as_type(_truth(x), dtypes.DEFAULT_INT)
    return _reduce("count_nonzero", "sum", flags, axis, axes, keepdims, keep_axes)


def mean(x, /, *, axis=None, keepdims=False, axes=None, keep_axes=None):
    """Arithmetic mean over `axis`/`axes`; integers and bool give the default float (f32). NaN for no elements."""
    t = to_tensor(x)
    reduced = _axes("mean", t, axis, axes)
    keep = _keep("mean", keepdims, keep_axes)
    work, out = _float_types("mean", t)
    return as_type(_mean(as_type(t, work), reduced, keep), out)


def _mean(t, axes, keep):
    count = math.prod(t.shape[a] for a in axes)
    return ew.divide(apply("sum", [t], axes=axes, keep_axes=keep), count)


def _variance(op, x, axis, axes, correction, keepdims, keep_axes, ddof):
    """The variance in the computing type, and the result type (real: a complex input's variance is real)."""
    t = to_tensor(x)
    reduced = _axes(op, t, axis, axes)
    keep = _keep(op, keepdims, keep_axes)
    if ddof is not None:
        if correction != 0:
            raise NxValueError("give correction (array API) or ddof (NumPy, Nx), not both", op=op)
        correction = ddof
    if isinstance(correction, bool) or not isinstance(correction, (int, float, np.integer, np.floating)):
        raise NxTypeError(f"correction must be a Python number, got {correction!r}", op=op)
    work, out = _float_types(op, t)
    w = as_type(t, work)
    deviation = ew.subtract(w, _mean(w, reduced, True))
    if work.is_complex:
        squares = ew.real(ew.multiply(deviation, ew.conjugate(deviation)))
    else:
        squares = ew.multiply(deviation, deviation)
    count = math.prod(t.shape[a] for a in reduced)
    # No more degrees of freedom than elements: divide by zero (inf or NaN), as NumPy does.
    divisor = builtins.max(count - correction, 0)
    total = apply("sum", [squares], axes=reduced, keep_axes=keep)
    return ew.divide(total, float(divisor)), out.real_type


def var(x, /, *, axis=None, correction=0.0, keepdims=False, axes=None, keep_axes=None, ddof=None):
    """Variance over `axis`/`axes`: the mean squared deviation, divided by N - correction (ddof, Nx's and NumPy's
    name, is the same thing). Integers give the default float; complex input gives a real variance."""
    v, out = _variance("var", x, axis, axes, correction, keepdims, keep_axes, ddof)
    return as_type(v, out)


def std(x, /, *, axis=None, correction=0.0, keepdims=False, axes=None, keep_axes=None, ddof=None):
    """Standard deviation: the square root of `var` with the same arguments."""
    v, out = _variance("std", x, axis, axes, correction, keepdims, keep_axes, ddof)
    return as_type(ew.sqrt(v), out)


def logsumexp(x, /, *, axis=None, keepdims=False, axes=None, keep_axes=None):
    """log(sum(exp(x))) over `axis`/`axes`, computed without overflow: the largest finite element is taken out
    first. -inf for no elements; integers give the default float."""
    t = to_tensor(x)
    reduced = _axes("logsumexp", t, axis, axes)
    keep = _keep("logsumexp", keepdims, keep_axes)
    work, out = _float_types("logsumexp", t, allow_complex=False)
    w = as_type(t, work)
    if builtins.any(t.shape[a] == 0 for a in reduced):  # log of an empty sum: -inf (no maximum to take out)
        return as_type(ew.log(apply("sum", [ew.exp(w)], axes=reduced, keep_axes=keep)), out)
    peak = apply("reduce_max", [w], axes=reduced, keep_axes=True)
    # An infinite or NaN peak is not taken out: the sum then gives inf or NaN itself, as it should.
    shift = ew.where(ew.is_finite(peak), peak, 0.0)
    total = apply("sum", [ew.exp(ew.subtract(w, shift))], axes=reduced, keep_axes=keep)
    result = ew.add(ew.log(total), _reshape(shift, total.shape, total.names))
    return as_type(result, out)


# ---- argmax / argmin ----

def _arg(op, x, axis, keepdims, keep_axis, tie_break):
    t = to_tensor(x)
    keep = _keep(op, keepdims, keep_axis, nx_name="keep_axis")
    if tie_break not in ("low", "high"):
        raise NxValueError(f"tie_break must be 'low' or 'high', got {tie_break!r}", op=op)
    if axis is not None:
        return apply(op, [t], axis=_axis(op, t, axis), keep_axis=keep, tie_break=tie_break)
    # No axis: the index into the flattened tensor. Check here so errors show the caller's shape.
    _require_real(op, t)
    if t.size == 0:
        raise NxShapeError(f"cannot take {op} of {t.ttype}: it has no elements", op=op)
    flat = apply(op, [_reshape(t, (t.size,), (None,))], axis=0, keep_axis=False, tie_break=tie_break)
    return _reshape(flat, (1,) * t.ndim, t.names) if keep else flat


def argmax(x, /, *, axis=None, keepdims=False, keep_axis=None, tie_break="low"):
    """Index (s64) of the largest element along `axis`, or into the flattened tensor when axis is None. The first
    NaN counts as the largest. tie_break (Nx) "low" gives the first of equal maxima, "high" the last."""
    return _arg("argmax", x, axis, keepdims, keep_axis, tie_break)


def argmin(x, /, *, axis=None, keepdims=False, keep_axis=None, tie_break="low"):
    """Index (s64) of the smallest element along `axis` (flattened when None); NaN counts as the smallest."""
    return _arg("argmin", x, axis, keepdims, keep_axis, tie_break)


# ---- cumulative ----

def _scan_axis(op, t, axis):
    """The array API's rule: axis may be left out only for a 1-d tensor."""
    if axis is None:
        if t.ndim != 1:
            raise NxValueError(f"needs an axis for {t.ttype}: it may be left out only for a 1-d tensor", op=op)
        return 0
    return _axis(op, t, axis)


def _scan(op, primitive, t, axis_index, reverse):
    return apply(primitive, [t], axis=axis_index, reverse=_flag(op, "reverse", reverse))


def cumulative_sum(x, /, *, axis=None, dtype=None, include_initial=False, reverse=False):
    """Running sum along `axis` (needed unless x is 1-d), typed as `sum`. include_initial puts the empty sum
    (zero) first (last when reverse), making the axis one longer; reverse (Nx) runs from the end."""
    t = to_tensor(x)
    a = _scan_axis("cumulative_sum", t, axis)
    out = _scan("cumulative_sum", "cumulative_sum", as_type(t, _sum_type(t, dtype)), a, reverse)
    return _with_initial("cumulative_sum", out, a, include_initial, reverse, 0)


def cumulative_prod(x, /, *, axis=None, dtype=None, include_initial=False, reverse=False):
    """Running product along `axis`, typed as `prod`; include_initial puts the empty product (one) first."""
    t = to_tensor(x)
    a = _scan_axis("cumulative_prod", t, axis)
    out = _scan("cumulative_prod", "cumulative_product", as_type(t, _sum_type(t, dtype)), a, reverse)
    return _with_initial("cumulative_prod", out, a, include_initial, reverse, 1)


def cumulative_max(x, /, *, axis=None, reverse=False):
    """Running maximum along `axis` (Nx); NaN propagates. Keeps x's type."""
    t = to_tensor(x)
    return _scan("cumulative_max", "cumulative_max", t, _scan_axis("cumulative_max", t, axis), reverse)


def cumulative_min(x, /, *, axis=None, reverse=False):
    """Running minimum along `axis` (Nx); NaN propagates. Keeps x's type."""
    t = to_tensor(x)
    return _scan("cumulative_min", "cumulative_min", t, _scan_axis("cumulative_min", t, axis), reverse)


# ---- sorting and searching ----

def sort(x, /, *, axis=-1, descending=False, stable=True):
    """x sorted along `axis`. Always stable (so `stable=False` is satisfied too); NaN sorts above +inf (last
    ascending, first descending), as in NumPy."""
    t = to_tensor(x)
    _flag("sort", "stable", stable)
    return apply("sort", [t], axis=_axis("sort", t, axis), descending=_flag("sort", "descending", descending))


def argsort(x, /, *, axis=-1, descending=False, stable=True):
    """Indices (s64) that sort x along `axis`, stably: equal elements keep their order, descending too."""
    t = to_tensor(x)
    _flag("argsort", "stable", stable)
    return apply("argsort", [t], axis=_axis("argsort", t, axis),
                 descending=_flag("argsort", "descending", descending))


def top_k(x, /, k=1):
    """Nx's top_k: (values, indices) of the k largest elements along the last axis, largest first; of equal
    elements the lower index comes first."""
    t = to_tensor(x)
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)):
        raise NxTypeError(f"k must be an int, got {k!r}", op="top_k")
    return apply("top_k", [t], k=int(k))


def searchsorted(x1, x2, /, *, side="left", sorter=None):
    """Indices (s64) at which x2's elements would be inserted into the ascending 1-d x1 to keep it sorted: before
    equal elements (side="left") or after them ("right"). NaN sorts above +inf, as in NumPy. Each index is the
    count of x1's elements that sort before the value (every value meets every element: work and memory grow as
    len(x1) * x2.size), so `sorter` (indices that sort x1) does not change it; it is checked, not needed."""
    a = to_tensor(x1)
    if a.ndim != 1:
        raise NxShapeError(f"x1 must be 1-d, got {a.ttype}", op="searchsorted")
    if side not in ("left", "right"):
        raise NxValueError(f"side must be 'left' or 'right', got {side!r}", op="searchsorted")
    if sorter is not None:
        s = to_tensor(sorter)
        if not s.type.is_integer or s.shape != a.shape:
            raise NxTypeError(f"sorter must be integer indices of x1's shape {list(a.shape)}, got {s.ttype}",
                              op="searchsorted")
    common = result_type("searchsorted", a, x2)
    a, v = as_type(a, common), to_tensor(x2, common)
    _require_real("searchsorted", a)
    # Every value against every element of x1, along a new last axis.
    shape = v.shape + a.shape
    elements = apply("broadcast", [a], shape=shape, axes=(v.ndim,))
    values = apply("broadcast", [v], shape=shape, axes=tuple(range(v.ndim)))
    compare = ew.less if side == "left" else ew.less_equal
    before = compare(elements, values)
    if common.is_float:
        # Below a NaN value lie all numbers (side="left"), and the NaNs too (side="right").
        below_nan = ew.is_nan(values) if side == "right" else ew.logical_and(
            ew.is_nan(values), ew.logical_not(ew.is_nan(elements)))
        before = ew.logical_or(before, below_nan)
    return apply("sum", [as_type(before, dtypes.DEFAULT_INT)], axes=(v.ndim,), keep_axes=False)


# Nx's and NumPy's spellings beside the array API's.
product = prod
reduce_max, reduce_min = max, min
variance, standard_deviation = var, std
cumulative_product = cumulative_prod


def _with_initial(op, out, axis_index, include_initial, reverse, identity):
    """The scan with its empty-prefix value (the identity) put before the first element, or after the last when
    reverse: nx.pad by one on that side."""
    if not _flag(op, "include_initial", include_initial):
        return out
    pads = tuple((0, 1, 0) if a == axis_index and reverse else (1, 0, 0) if a == axis_index else (0, 0, 0)
                 for a in range(out.ndim))
    return apply("pad", [out, to_tensor(identity, out.type)], pads=pads)
