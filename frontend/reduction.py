"""Reductions, scans, sorting and searching, in the array API's spelling (`axis=`, `keepdims=`) and Nx's (`axes=`,
`keep_axes=`, `reverse=`, `tie_break=`), and Nx's statistics (reduce with a function of your own, all_close,
weighted_mean, median, mode, covariance), which take Nx's options only. Axes are indices (negative count from the
end) or names; reducing an axis drops its name, keeping it (keepdims) keeps the name. Each function normalises its
arguments and runs the nx primitives of dialect/reduction.py, or an exact composite of them and other ops (mean,
var, std, logsumexp, count_nonzero, searchsorted and the statistics)."""
import builtins
import math

import numpy as np

from numerix.dialect import dtypes
from numerix.dialect.errors import NxShapeError, NxTypeError, NxValueError

from . import elementwise as ew
from .contraction import dot
from .dispatch import apply
from .indexing import take_along_axis
from .operands import as_type, axis_index, broadcast_shapes, broadcast_to, operands, rename, result_type, to_tensor
from .shape import concatenate, slice_along_axis, transpose

__all__ = [
    "sum", "prod", "product", "max", "min", "reduce_max", "reduce_min", "all", "any", "mean", "var", "variance",
    "std", "standard_deviation", "logsumexp", "count_nonzero", "argmax", "argmin", "cumulative_sum",
    "cumulative_prod", "cumulative_product", "cumulative_max", "cumulative_min", "sort", "argsort", "top_k",
    "searchsorted", "reduce", "all_close", "weighted_mean", "median", "mode", "covariance",
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


def _drop_axis(t, axis):
    return _reshape(t, t.shape[:axis] + t.shape[axis + 1:], t.names[:axis] + t.names[axis + 1:])


def _as_type_option(op, type):
    """An Nx `type` option as a DType; an unknown one is an error of `op`."""
    try:
        return dtypes.as_dtype(type)
    except NxTypeError as e:
        raise NxTypeError(e.message, op=op) from None


def _index_type(op, type, count):
    """Nx's `type` option of an index result (argmax, argsort): an integer type that holds every index below
    `count`; the default int (s64) when None."""
    if type is None:
        return dtypes.DEFAULT_INT
    t = _as_type_option(op, type)
    if not t.is_integer:
        raise NxTypeError(f"type must be an integer type for indices, got {t.name}", op=op)
    if count - 1 > dtypes.iinfo(t).max:
        raise NxValueError(f"type {t.name} cannot hold the index {count - 1}", op=op)
    return t


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
    unsigned integers in u64, others in their own type; `dtype` casts the input first.

    Examples:
        >>> nx.sum(nx.tensor([[1, 2], [3, 4]]))
        nx.Tensor<
          s64
          10
        >
        >>> nx.sum(nx.tensor([[1, 2], [3, 4]]), axes=[0])
        nx.Tensor<
          s64[2]
          [4, 6]
        >
    """
    t = to_tensor(x)
    return _reduce("sum", "sum", t, axis, axes, keepdims, keep_axes, _sum_type(t, dtype))


def prod(x, /, *, axis=None, dtype=None, keepdims=False, axes=None, keep_axes=None):
    """Product over `axis`/`axes`, typed as `sum`.

    Examples:
        >>> nx.prod(nx.tensor([[1, 2], [3, 4]]), axis=1)
        nx.Tensor<
          s64[2]
          [ 2, 12]
        >
    """
    t = to_tensor(x)
    return _reduce("prod", "product", t, axis, axes, keepdims, keep_axes, _sum_type(t, dtype))


def max(x, /, *, axis=None, keepdims=False, axes=None, keep_axes=None):
    """Largest element over `axis`/`axes` (NaN propagates); reducing a zero-length axis is an error. For the
    elementwise maximum use nx.maximum.

    Examples:
        >>> nx.max(nx.tensor([[1, 5], [3, 2]]), axis=0)
        nx.Tensor<
          s64[2]
          [3, 5]
        >
    """
    return _reduce("max", "reduce_max", x, axis, axes, keepdims, keep_axes)


def min(x, /, *, axis=None, keepdims=False, axes=None, keep_axes=None):
    """Smallest element over `axis`/`axes` (NaN propagates); reducing a zero-length axis is an error.

    Examples:
        >>> nx.min(nx.tensor([[1, 5], [3, 2]]), axis=1, keepdims=True)
        nx.Tensor<
          s64[2][1]
          [[1],
           [2]]
        >
    """
    return _reduce("min", "reduce_min", x, axis, axes, keepdims, keep_axes)


def _truth(x):
    t = to_tensor(x)
    return t if t.type.is_bool else ew.not_equal(t, 0)  # NaN is true, as in NumPy


def all(x, /, *, axis=None, keepdims=False, axes=None, keep_axes=None):
    """Whether every element is nonzero over `axis`/`axes` (True for none); a bool tensor.

    Examples:
        >>> nx.all(nx.tensor([[1, 0], [1, 1]]), axis=1)
        nx.Tensor<
          bool[2]
          [False,  True]
        >
    """
    return _reduce("all", "all", _truth(x), axis, axes, keepdims, keep_axes)


def any(x, /, *, axis=None, keepdims=False, axes=None, keep_axes=None):
    """Whether some element is nonzero over `axis`/`axes` (False for none); a bool tensor.

    Examples:
        >>> nx.any(nx.tensor([[1, 0], [0, 0]]), axis=1)
        nx.Tensor<
          bool[2]
          [ True, False]
        >
    """
    return _reduce("any", "any", _truth(x), axis, axes, keepdims, keep_axes)


def count_nonzero(x, /, *, axis=None, keepdims=False, axes=None, keep_axes=None):
    """The number of nonzero elements over `axis`/`axes`, in the default int (s64).

    Examples:
        >>> nx.count_nonzero(nx.tensor([[0, 1], [2, 0]]), axis=0)
        nx.Tensor<
          s64[2]
          [1, 1]
        >
    """
    flags = as_type(_truth(x), dtypes.DEFAULT_INT)
    return _reduce("count_nonzero", "sum", flags, axis, axes, keepdims, keep_axes)


def mean(x, /, *, axis=None, keepdims=False, axes=None, keep_axes=None):
    """Arithmetic mean over `axis`/`axes`; integers and bool give the default float (f32). NaN for no elements.

    Examples:
        >>> nx.mean(nx.tensor([[1, 2], [3, 4]]), axis=0)
        nx.Tensor<
          f32[2]
          [2., 3.]
        >
    """
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
    name, is the same thing). Integers give the default float; complex input gives a real variance.

    Examples:
        >>> nx.var(nx.tensor([1.0, 2.0, 3.0, 4.0]))
        nx.Tensor<
          f32
          1.25
        >
        >>> nx.var(nx.tensor([1.0, 2.0, 3.0, 4.0]), ddof=1)
        nx.Tensor<
          f32
          1.6666666
        >
    """
    v, out = _variance("var", x, axis, axes, correction, keepdims, keep_axes, ddof)
    return as_type(v, out)


def std(x, /, *, axis=None, correction=0.0, keepdims=False, axes=None, keep_axes=None, ddof=None):
    """Standard deviation: the square root of `var` with the same arguments.

    Examples:
        >>> nx.std(nx.tensor([1.0, 2.0, 3.0, 4.0]))
        nx.Tensor<
          f32
          1.118034
        >
    """
    v, out = _variance("std", x, axis, axes, correction, keepdims, keep_axes, ddof)
    return as_type(ew.sqrt(v), out)


def logsumexp(x, /, *, axis=None, keepdims=False, axes=None, keep_axes=None, exp_scaling_factor=None):
    """log(sum(exp(x))) over `axis`/`axes`, computed without overflow: the largest finite element is taken out
    first. -inf for no elements; integers give the default float. Nx's exp_scaling_factor (broadcastable to x)
    multiplies each exponential before the sum: log(sum(b * exp(x))), NaN where that sum is negative.

    Examples:
        >>> nx.logsumexp(nx.tensor([[1.0, 2.0], [1000.0, 1000.0]]), axis=1)
        nx.Tensor<
          f32[2]
          [   2.3132617, 1000.6932   ]
        >
    """
    op = "logsumexp"
    t = to_tensor(x)
    reduced = _axes(op, t, axis, axes)
    keep = _keep(op, keepdims, keep_axes)
    scale = None
    if exp_scaling_factor is not None:
        common = result_type(op, t, exp_scaling_factor)
        t, scale = as_type(t, common), to_tensor(exp_scaling_factor, common)
        if broadcast_shapes(op, t, scale)[0] != t.shape:
            raise NxShapeError(f"exp_scaling_factor {scale.ttype} must broadcast to x's shape {list(t.shape)}", op=op)
    work, out = _float_types(op, t, allow_complex=False)
    w = as_type(t, work)

    def scaled(exponentials):
        return exponentials if scale is None else ew.multiply(exponentials, as_type(scale, work))
    if builtins.any(t.shape[a] == 0 for a in reduced):  # log of an empty sum: -inf (no maximum to take out)
        return as_type(ew.log(apply("sum", [scaled(ew.exp(w))], axes=reduced, keep_axes=keep)), out)
    peak = apply("reduce_max", [w], axes=reduced, keep_axes=True)
    # An infinite or NaN peak is not taken out: the sum then gives inf or NaN itself, as it should.
    shift = ew.where(ew.is_finite(peak), peak, 0.0)
    total = apply("sum", [scaled(ew.exp(ew.subtract(w, shift)))], axes=reduced, keep_axes=keep)
    result = ew.add(ew.log(total), _reshape(shift, total.shape, total.names))
    return as_type(result, out)


# ---- argmax / argmin ----

def _arg(op, x, axis, keepdims, keep_axis, tie_break, type):
    t = to_tensor(x)
    keep = _keep(op, keepdims, keep_axis, nx_name="keep_axis")
    if tie_break not in ("low", "high"):
        raise NxValueError(f"tie_break must be 'low' or 'high', got {tie_break!r}", op=op)
    if axis is not None:
        a = _axis(op, t, axis)
        index_type = _index_type(op, type, t.shape[a])
        return as_type(apply(op, [t], axis=a, keep_axis=keep, tie_break=tie_break), index_type)
    # No axis: the index into the flattened tensor. Check here so errors show the caller's shape.
    _require_real(op, t)
    if t.size == 0:
        raise NxShapeError(f"cannot take {op} of {t.ttype}: it has no elements", op=op)
    index_type = _index_type(op, type, t.size)
    flat = apply(op, [_reshape(t, (t.size,), (None,))], axis=0, keep_axis=False, tie_break=tie_break)
    flat = as_type(flat, index_type)
    return _reshape(flat, (1,) * t.ndim, t.names) if keep else flat


def argmax(x, /, *, axis=None, keepdims=False, keep_axis=None, tie_break="low", type=None):
    """Index of the largest element along `axis`, or into the flattened tensor when axis is None. The first
    NaN counts as the largest. tie_break (Nx) "low" gives the first of equal maxima, "high" the last. `type` (Nx's
    option) is the integer type of the result: s64 by default (Nx's is s32).

    Examples:
        >>> nx.argmax(nx.tensor([[1, 7], [9, 3]]))
        nx.Tensor<
          s64
          2
        >
        >>> nx.argmax(nx.tensor([[1, 7], [9, 3]]), axis=1)
        nx.Tensor<
          s64[2]
          [1, 0]
        >
    """
    return _arg("argmax", x, axis, keepdims, keep_axis, tie_break, type)


def argmin(x, /, *, axis=None, keepdims=False, keep_axis=None, tie_break="low", type=None):
    """Index of the smallest element along `axis` (flattened when None); NaN counts as the smallest. Options as
    argmax's.

    Examples:
        >>> nx.argmin(nx.tensor([[1, 7], [9, 3]]), axis=0)
        nx.Tensor<
          s64[2]
          [0, 1]
        >
    """
    return _arg("argmin", x, axis, keepdims, keep_axis, tie_break, type)


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
    (zero) first (last when reverse), making the axis one longer; reverse (Nx) runs from the end.

    Examples:
        >>> nx.cumulative_sum(nx.tensor([1, 2, 3, 4]))
        nx.Tensor<
          s64[4]
          [ 1,  3,  6, 10]
        >
    """
    t = to_tensor(x)
    a = _scan_axis("cumulative_sum", t, axis)
    out = _scan("cumulative_sum", "cumulative_sum", as_type(t, _sum_type(t, dtype)), a, reverse)
    return _with_initial("cumulative_sum", out, a, include_initial, reverse, 0)


def cumulative_prod(x, /, *, axis=None, dtype=None, include_initial=False, reverse=False):
    """Running product along `axis`, typed as `prod`; include_initial puts the empty product (one) first.

    Examples:
        >>> nx.cumulative_prod(nx.tensor([1, 2, 3, 4]), include_initial=True)
        nx.Tensor<
          s64[5]
          [ 1,  1,  2,  6, 24]
        >
    """
    t = to_tensor(x)
    a = _scan_axis("cumulative_prod", t, axis)
    out = _scan("cumulative_prod", "cumulative_product", as_type(t, _sum_type(t, dtype)), a, reverse)
    return _with_initial("cumulative_prod", out, a, include_initial, reverse, 1)


def cumulative_max(x, /, *, axis=None, reverse=False):
    """Running maximum along `axis` (Nx); NaN propagates. Keeps x's type.

    Examples:
        >>> nx.cumulative_max(nx.tensor([3, 1, 4, 1, 5]))
        nx.Tensor<
          s64[5]
          [3, 3, 4, 4, 5]
        >
    """
    t = to_tensor(x)
    return _scan("cumulative_max", "cumulative_max", t, _scan_axis("cumulative_max", t, axis), reverse)


def cumulative_min(x, /, *, axis=None, reverse=False):
    """Running minimum along `axis` (Nx); NaN propagates. Keeps x's type.

    Examples:
        >>> nx.cumulative_min(nx.tensor([3, 1, 4, 1, 5]), reverse=True)
        nx.Tensor<
          s64[5]
          [1, 1, 1, 1, 5]
        >
    """
    t = to_tensor(x)
    return _scan("cumulative_min", "cumulative_min", t, _scan_axis("cumulative_min", t, axis), reverse)


# ---- sorting and searching ----

def sort(x, /, *, axis=-1, descending=False, stable=True):
    """x sorted along `axis`. Always stable (so `stable=False` is satisfied too); NaN sorts above +inf (last
    ascending, first descending), as in NumPy.

    Examples:
        >>> nx.sort(nx.tensor([3, 1, 2]))
        nx.Tensor<
          s64[3]
          [1, 2, 3]
        >
        >>> nx.sort(nx.tensor([[3, 1], [2, 4]]), axis=0, descending=True)
        nx.Tensor<
          s64[2][2]
          [[3, 4],
           [2, 1]]
        >
    """
    t = to_tensor(x)
    _flag("sort", "stable", stable)
    return apply("sort", [t], axis=_axis("sort", t, axis), descending=_flag("sort", "descending", descending))


def argsort(x, /, *, axis=-1, descending=False, stable=True, type=None):
    """Indices that sort x along `axis`, stably: equal elements keep their order, descending too. `type` (Nx's
    option) is their integer type: s64 by default (Nx's is s32).

    Examples:
        >>> nx.argsort(nx.tensor([3, 1, 2]))
        nx.Tensor<
          s64[3]
          [1, 2, 0]
        >
    """
    t = to_tensor(x)
    _flag("argsort", "stable", stable)
    a = _axis("argsort", t, axis)
    index_type = _index_type("argsort", type, t.shape[a])
    return as_type(apply("argsort", [t], axis=a, descending=_flag("argsort", "descending", descending)), index_type)


def top_k(x, /, k=1):
    """Nx's top_k: (values, indices) of the k largest elements along the last axis, largest first; of equal
    elements the lower index comes first.

    Examples:
        >>> values, indices = nx.top_k(nx.tensor([1, 3, 2, 3]), k=2)
        >>> values
        nx.Tensor<
          s64[2]
          [3, 3]
        >
        >>> indices
        nx.Tensor<
          s64[2]
          [1, 3]
        >
    """
    t = to_tensor(x)
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)):
        raise NxTypeError(f"k must be an int, got {k!r}", op="top_k")
    return apply("top_k", [t], k=int(k))


def searchsorted(x1, x2, /, *, side="left", sorter=None):
    """Indices (s64) at which x2's elements would be inserted into the ascending 1-d x1 to keep it sorted: before
    equal elements (side="left") or after them ("right"). NaN sorts above +inf, as in NumPy. Each index is the
    count of x1's elements that sort before the value (every value meets every element: work and memory grow as
    len(x1) * x2.size), so `sorter` (indices that sort x1) does not change it; it is checked, not needed.

    Examples:
        >>> nx.searchsorted(nx.tensor([1, 2, 2, 5]), nx.tensor([2, 3]))
        nx.Tensor<
          s64[2]
          [1, 3]
        >
        >>> nx.searchsorted(nx.tensor([1, 2, 2, 5]), nx.tensor([2, 3]), side="right")
        nx.Tensor<
          s64[2]
          [3, 3]
        >
    """
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


# ---- Nx's reduce, with a function of your own ----

def reduce(x, acc, fn, /, *, axes=None, keep_axes=False, type=None):
    """Nx's reduce: x folded by `fn` over `axes` (all by default), from `acc`, a scalar. Each result element is
    fn(acc, e), where e combines the reduced elements (in row-major order over `axes`) by fn in a balanced tree of
    neighbouring pairs: fn must be associative, as Nx asks, but need not commute; `acc` joins once, first. fn gets
    two tensors of one shape (the accumulator first, as in functools.reduce and window_reduce) and must combine them
    elementwise. The result type is the promotion of x and acc, or `type`; x, acc and fn's results are cast to it.
    With no elements to reduce, the result is acc.

    It is written with transpose, reshape, slices, concatenate and fn's own ops, so it runs eagerly, under defn
    and under grad.

    Examples:
        >>> nx.reduce(nx.tensor([[1, 2], [3, 4]]), 0, lambda acc, x: acc + x, axes=[1])
        nx.Tensor<
          s64[2]
          [3, 7]
        >
    """
    op = "reduce"
    t = to_tensor(x)
    if not callable(fn):
        raise NxTypeError(f"fn must be a function of two tensors, got {fn!r}", op=op)
    reduced = _axes(op, t, None, axes)
    keep = _flag(op, "keep_axes", keep_axes)
    common = result_type(op, t, acc) if type is None else _as_type_option(op, type)
    start = to_tensor(acc, common)
    if start.ndim != 0:
        raise NxShapeError(f"acc must be a scalar, got {start.ttype}", op=op)
    t = as_type(t, common)
    kept = [a for a in range(t.ndim) if a not in reduced]
    out_shape, out_names = tuple(t.shape[a] for a in kept), tuple(t.names[a] for a in kept)
    count = math.prod(t.shape[a] for a in reduced)
    # The reduced axes moved last and merged into one, whose elements the tree then folds in order.
    rows = _reshape(transpose(t, kept + list(reduced)), out_shape + (count,), out_names + (None,))
    result = broadcast_to(start, out_shape)
    if count:
        result = _combine(op, fn, result, _drop_axis(_fold_pairs(op, fn, rows), len(out_shape)))
    result = rename(result, out_names)
    if keep:
        return _reshape(result, tuple(1 if a in reduced else d for a, d in enumerate(t.shape)), t.names)
    return result


def _combine(op, fn, a, b):
    out = to_tensor(fn(a, b))
    if out.shape != a.shape:
        raise NxShapeError(f"fn must combine elementwise: given two tensors of shape {list(a.shape)}, it returned "
                           f"{out.ttype}", op=op)
    return as_type(out, a.type)


def _fold_pairs(op, fn, rows):
    """The last axis of `rows` folded to length 1 by fn, level by level: each level combines neighbours (0 with 1,
    2 with 3, ...) in one call of fn, an odd last element waiting for the next level, so the order is kept and the
    graph grows with the log of the length."""
    while rows.shape[-1] > 1:
        n = rows.shape[-1]
        pairs = _combine(op, fn, slice_along_axis(rows, 0, n - n % 2 - 1, axis=-1, strides=2),
                         slice_along_axis(rows, 1, n - n % 2 - 1, axis=-1, strides=2))
        rows = concatenate([pairs, slice_along_axis(rows, n - 1, 1, axis=-1)], axis=-1) if n % 2 else pairs
    return rows


# ---- Nx's statistics ----

def _real_number(op, name, value):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise NxTypeError(f"{name} must be a real Python number, got {value!r}", op=op)
    return float(value)


def all_close(a, b, /, *, rtol=1e-5, atol=1e-8, equal_nan=False):
    """Nx's all_close (NumPy's allclose): whether |a - b| <= atol + rtol * |b| for every element of a and b
    (broadcast together), as a bool scalar. Infinities are close only to themselves; NaN is close to nothing, or,
    with equal_nan, to NaN. Integers are compared in f64, so no difference overflows.

    Examples:
        >>> nx.all_close(nx.tensor([1.0, 2.0]), nx.tensor([1.0, 2.0000001]))
        nx.Tensor<
          bool
          True
        >
    """
    op = "all_close"
    rtol, atol = _real_number(op, "rtol", rtol), _real_number(op, "atol", atol)
    equal_nan = _flag(op, "equal_nan", equal_nan)
    common = result_type(op, a, b)
    x, y = operands(op, a, b, type=common if common.is_inexact else dtypes.f64)
    close = ew.less_equal(ew.abs(ew.subtract(x, y)), ew.add(atol, ew.multiply(rtol, ew.abs(y))))
    # inf - inf is NaN: infinities are compared by equality instead.
    close = ew.where(ew.logical_or(ew.is_infinity(x), ew.is_infinity(y)), ew.equal(x, y), close)
    if equal_nan:
        close = ew.logical_or(close, ew.logical_and(ew.is_nan(x), ew.is_nan(y)))
    return apply("all", [close], axes=tuple(range(close.ndim)), keep_axes=False)


def weighted_mean(x, weights, /, *, axes=None, keep_axes=False):
    """Nx's weighted_mean: sum(x * weights) / sum(weights) over `axes` (all by default). weights has x's shape or,
    when axes are given, the shape of the reduced axes (taken in increasing order), along which it is broadcast.
    Integers give the default float; zero total weight gives NaN or inf.

    Examples:
        >>> nx.weighted_mean(nx.tensor([1.0, 2.0, 3.0]), nx.tensor([3.0, 1.0, 0.0]))
        nx.Tensor<
          f32
          1.25
        >
    """
    op = "weighted_mean"
    t, w = to_tensor(x), to_tensor(weights)
    reduced = _axes(op, t, None, axes)
    keep = _flag(op, "keep_axes", keep_axes)
    if w.shape != t.shape:
        reduced_shape = tuple(t.shape[a] for a in reduced)
        if axes is None or w.shape != reduced_shape:
            raise NxShapeError(f"weights {w.ttype} must have the shape of x {t.ttype} or, with axes, of the reduced "
                               f"axes {list(reduced_shape)}", op=op)
        w = apply("broadcast", [w], shape=t.shape, axes=reduced)
    out = dtypes.to_float(result_type(op, t, w))
    t, w = as_type(t, out.compute_type), as_type(w, out.compute_type)
    total = apply("sum", [ew.multiply(t, w)], axes=reduced, keep_axes=keep)
    return as_type(ew.divide(total, apply("sum", [w], axes=reduced, keep_axes=keep)), out)


def _along(op, x, axis, keepdims, keep_axis, statistic):
    """`statistic`(t, axis, keep) of x along `axis`; of the flattened x when axis is None, kept as size-1 axes
    when keepdims or keep_axis."""
    t = to_tensor(x)
    keep = _keep(op, keepdims, keep_axis, nx_name="keep_axis")
    _require_real(op, t)
    if axis is not None:
        a = _axis(op, t, axis)
        if t.shape[a] == 0:
            raise NxShapeError(f"cannot take the {op} of {t.ttype} along axis {a}: it has no elements", op=op)
        return statistic(t, a, keep)
    if t.size == 0:
        raise NxShapeError(f"cannot take the {op} of {t.ttype}: it has no elements", op=op)
    flat = statistic(_reshape(t, (t.size,), (None,)), 0, False)
    return _reshape(flat, (1,) * t.ndim, t.names) if keep else flat


def median(x, /, *, axis=None, keepdims=False, keep_axis=None):
    """Nx's median: the middle of x's sorted elements along `axis` (all elements when None), or the mean of the two
    middle ones for an even count: so an odd count keeps x's type and an even one gives a float, as in Nx. NaN
    sorts last (as in nx.sort), so it counts as the largest value rather than spreading; keep_axis (or the array
    API's keepdims) keeps the reduced axis (all axes when axis is None) with size 1.

    Examples:
        >>> nx.median(nx.tensor([[3, 1, 2], [7, 9, 8]]), axis=1)
        nx.Tensor<
          s64[2]
          [2, 8]
        >
        >>> nx.median(nx.tensor([1, 2, 3, 4]))
        nx.Tensor<
          f32
          2.5
        >
    """
    def middle(t, a, keep):
        n = t.shape[a]
        ordered = apply("sort", [t], axis=a, descending=False)
        centre = slice_along_axis(ordered, (n - 1) // 2, 2 - n % 2, axis=a)
        if n % 2 == 0:
            return mean(centre, axes=[a], keep_axes=keep)
        return centre if keep else _drop_axis(centre, a)
    return _along("median", x, axis, keepdims, keep_axis, middle)


def mode(x, /, *, axis=None, keepdims=False, keep_axis=None):
    """Nx's mode: the most frequent value along `axis` (of all elements when None); of equally frequent values the
    smallest, as in Nx. Each NaN counts as a value of its own, unequal to the others. keep_axis (keepdims) as
    median's.

    Examples:
        >>> nx.mode(nx.tensor([1, 2, 2, 3, 3]))
        nx.Tensor<
          s64
          2
        >
    """
    def most_frequent(t, a, keep):
        n = t.shape[a]
        ordered = apply("sort", [t], axis=a, descending=False)
        # Runs of equal values: a run starts where a value differs from the one before. Counting from the run's
        # start, the last element of the longest run scores highest; argmax's first index picks the smallest value.
        first = broadcast_to(to_tensor(True), t.shape[:a] + (1,) + t.shape[a + 1:])
        differs = ew.not_equal(slice_along_axis(ordered, 1, n - 1, axis=a), slice_along_axis(ordered, 0, n - 1, axis=a))
        starts = concatenate([first, differs], axis=a)
        position = apply("iota", [], shape=t.shape, axis=a, type=dtypes.DEFAULT_INT, names=(None,) * t.ndim)
        run_start = apply("cumulative_max", [ew.where(starts, position, 0)], axis=a, reverse=False)
        best = apply("argmax", [ew.subtract(position, run_start)], axis=a, keep_axis=True, tie_break="low")
        value = rename(take_along_axis(ordered, best, axis=a), t.names)
        return value if keep else _drop_axis(value, a)
    return _along("mode", x, axis, keepdims, keep_axis, most_frequent)


def covariance(x, mean=None, /, *, ddof=0):
    """Nx's covariance of x's variables: x is (..., n, d), n observations of d variables with any batch axes
    before; the result is (..., d, d), the sum over observations of conj(x_i - mean) (x_j - mean), divided by
    n - ddof (by zero, giving inf or NaN, when ddof >= n, as var does). `mean` (..., d), its batch axes broadcast
    with x's, defaults to x's mean over the observations. Integers give the default float; names are dropped.

    Examples:
        >>> nx.covariance(nx.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 9.0]]))
        nx.Tensor<
          f32[2][2]
          [[2.6666667, 4.6666665],
           [4.6666665, 8.666667 ]]
        >
    """
    op = "covariance"
    t = to_tensor(x)
    if t.ndim < 2:
        raise NxShapeError(f"x must have rank 2 or more (observations by variables), got {t.ttype}", op=op)
    if isinstance(ddof, (bool, np.bool_)) or not isinstance(ddof, (int, np.integer)) or ddof < 0:
        raise NxValueError(f"ddof must be a non-negative int, got {ddof!r}", op=op)
    out = dtypes.to_float(result_type(op, t, mean) if mean is not None else t.type)
    t = rename(as_type(t, out.compute_type), (None,) * t.ndim)
    observations = t.ndim - 2
    if mean is None:
        centre = _mean(t, (observations,), True)
    else:
        m = to_tensor(mean, out.compute_type)
        if m.ndim == 0:
            raise NxShapeError(f"mean must have rank 1 or more (..., variables), got {m.ttype}", op=op)
        centre = _reshape(m, m.shape[:-1] + (1,) + m.shape[-1:], (None,) * (m.ndim + 1))
    shape, _ = broadcast_shapes(op, t, centre)
    if shape[-2:] != t.shape[-2:]:
        raise NxShapeError(f"mean {centre.ttype} (with its observation axis) must broadcast to x's {t.ttype}", op=op)
    deviation = ew.subtract(broadcast_to(t, shape), centre)
    batch = list(range(len(shape) - 2))
    products = dot(ew.conjugate(deviation), [observations], batch, deviation, [observations], batch)
    return as_type(ew.divide(products, float(builtins.max(t.shape[-2] - ddof, 0))), out)
