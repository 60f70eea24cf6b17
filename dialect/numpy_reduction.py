"""NumPy rules for the reduction, cumulative, sorting and searching nx ops."""
import numpy as np

from .rules import numpy_rule, widen_half


def _reduce(fn, accumulates):
    def reduce(x, axes, keep_axes):
        # Sums and products accumulate in the operand's type (NumPy would widen small integers to int64); halves
        # come widened to f32 by widen_half and are rounded back once by the backend. Max and min propagate NaN,
        # as StableHLO's maximum and minimum do.
        kwargs = {"dtype": x.dtype} if accumulates else {}
        return fn(x, axis=axes, keepdims=keep_axes, **kwargs)
    return reduce


numpy_rule("sum")(widen_half(_reduce(np.sum, accumulates=True)))
numpy_rule("product")(widen_half(_reduce(np.prod, accumulates=True)))
numpy_rule("reduce_max")(widen_half(_reduce(np.max, accumulates=False)))
numpy_rule("reduce_min")(widen_half(_reduce(np.min, accumulates=False)))
numpy_rule("all")(_reduce(np.all, accumulates=False))
numpy_rule("any")(_reduce(np.any, accumulates=False))


def _arg_extreme(fn):
    def reduce(x, axis, keep_axis, tie_break):
        if tie_break == "low":
            return fn(x, axis=axis, keepdims=keep_axis)
        # The last of equal extremes is the first one seen from the end.
        return x.shape[axis] - 1 - fn(np.flip(x, axis), axis=axis, keepdims=keep_axis)
    return reduce


numpy_rule("argmax")(widen_half(_arg_extreme(np.argmax)))
numpy_rule("argmin")(widen_half(_arg_extreme(np.argmin)))


def _scan(fn):
    def scan(x, axis, reverse):
        if reverse:
            return np.flip(fn(np.flip(x, axis), axis), axis)
        return fn(x, axis)
    return scan


numpy_rule("cumulative_sum")(widen_half(_scan(lambda x, axis: np.cumsum(x, axis, dtype=x.dtype))))
numpy_rule("cumulative_product")(widen_half(_scan(lambda x, axis: np.cumprod(x, axis, dtype=x.dtype))))
numpy_rule("cumulative_max")(widen_half(_scan(np.maximum.accumulate)))
numpy_rule("cumulative_min")(widen_half(_scan(np.minimum.accumulate)))


def _stable_argsort(x, axis, descending):
    if not descending:
        return np.argsort(x, axis=axis, kind="stable")
    # Sorting the reversed axis ascending and reading it backwards gives descending order in which equal elements
    # keep their original order (and NaNs, NumPy's largest, come first).
    n = x.shape[axis]
    return n - 1 - np.flip(np.argsort(np.flip(x, axis), axis=axis, kind="stable"), axis)


@numpy_rule("sort")
@widen_half
def _sort(x, axis, descending):
    if not descending:
        return np.sort(x, axis=axis, kind="stable")
    # Not the ascending sort reversed: that would swap equal but distinguishable elements such as -0.0 and 0.0.
    return np.take_along_axis(x, _stable_argsort(x, axis, descending), axis)


@numpy_rule("argsort")
@widen_half
def _argsort(x, axis, descending):
    return _stable_argsort(x, axis, descending)


@numpy_rule("top_k")
@widen_half
def _top_k(x, k):
    indices = _stable_argsort(x, -1, descending=True)[..., :k]
    return np.take_along_axis(x, indices, -1), indices
