"""VJP rules of the reductions, scans and sorts.

Rules that would divide by an operand (product, cumulative_product) are written with exclusive running products
instead, so they hold at zeros, and so do their own derivatives. Running products and segmented sums need a
linear recurrence r_i = b_i + a_i * r_(i-1), solved by recursive doubling in log2(n) rounds of shifts, multiplies
and adds: ops that are all differentiable."""
from . import algebra as alg

from .rules import vjp_rule


def expand(g, x, axes, keep_axes):
    """The cotangent of a reduction over `axes`, repeated back over them to x's shape."""
    kept = tuple(range(x.ndim)) if keep_axes else tuple(a for a in range(x.ndim) if a not in axes)
    return alg.apply("broadcast", [g], shape=x.shape, axes=kept)


def shift(t, axis, by, fill):
    """t moved `by` places along `axis` (toward higher indices when positive), `fill` entering at the open end."""
    pads = tuple((by, -by, 0) if a == axis else (0, 0, 0) for a in range(t.ndim))
    return alg.apply("pad", [t, alg.scalar(t, fill)], pads=pads)


def linear_recurrence(b, a, axis, step):
    """r with r_i = b_i + a_i * r_(i - step) along `axis` (step 1: from the start, -1: from the end), r = b at the
    first position, by recursive doubling: after each round, r_i holds the terms from 2^k positions back."""
    span = 1
    while span < b.shape[axis]:
        b = b + a * shift(b, axis, span * step, 0)
        span *= 2
        if span < b.shape[axis]:
            a = a * shift(a, axis, span // 2 * step, 0)
    return b


@vjp_rule("sum")
def _sum(cotangents, operands, results, axes, keep_axes):
    return [expand(cotangents[0], operands[0], axes, keep_axes)]


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


@vjp_rule("product")
def _product(cotangents, operands, results, axes, keep_axes):
    # d(prod x)/dx_i is the product of the others: the running product before i times the one after it.
    (g,), (x,) = cotangents, operands
    if not axes:
        return [g]
    flat, back = _to_last_axis(x, axes)
    last = flat.ndim - 1
    before = shift(alg.apply("cumulative_product", [flat], axis=last, reverse=False), last, 1, 1)
    after = shift(alg.apply("cumulative_product", [flat], axis=last, reverse=True), last, -1, 1)
    return [expand(g, x, axes, keep_axes) * back(before * after)]


def _extremum(cotangents, operands, results, axes, keep_axes):
    # JAX's rule: the cotangent is shared evenly by the elements equal to the extremum (a NaN that propagated
    # takes it whole, or shares it with the other NaNs).
    (g,), (x,), (y,) = cotangents, operands, results
    at = alg.as_type((x == expand(y, x, axes, keep_axes)) | alg.is_nan(x), g.type)
    count = alg.apply("sum", [at], axes=axes, keep_axes=keep_axes)
    return [at * expand(g / count, x, axes, keep_axes)]


vjp_rule("reduce_max", "reduce_min")(_extremum)


@vjp_rule("cumulative_sum")
def _cumulative_sum(cotangents, operands, results, axis, reverse):
    return [alg.apply("cumulative_sum", [cotangents[0]], axis=axis, reverse=not reverse)]


@vjp_rule("cumulative_product")
def _cumulative_product(cotangents, operands, results, axis, reverse):
    # With y_k = x_1 ... x_k, d(sum_k g_k y_k)/dx_i = (x_1 ... x_(i-1)) * r_i, where r_i = sum over k >= i of
    # g_k x_(i+1) ... x_k, that is r_i = g_i + x_(i+1) r_(i+1): no division, so zeros are fine.
    (g,), (x,), (y,) = cotangents, operands, results
    step = -1 if reverse else 1
    before = shift(y, axis, step, 1)
    return [before * linear_recurrence(g, shift(x, axis, -step, 0), axis, -step)]


def _cumulative_extremum(cotangents, operands, results, axis, reverse):
    # y_k's cotangent is shared evenly by the elements up to k equal to y_k (as reduce_max shares it). They are
    # the "records" (x_j == y_j) of y's current run of equal values, so counting them and summing each run's
    # shares back are two segmented scans.
    (g,), (x,), (y,) = cotangents, operands, results
    step = -1 if reverse else 1
    record = alg.as_type((x == y) | alg.is_nan(x), g.type)
    previous = shift(y, axis, step, 0)
    same_run = alg.as_type((y == previous) | (alg.is_nan(y) & alg.is_nan(previous)), g.type)
    count = linear_recurrence(record, same_run, axis, step)
    shares = linear_recurrence(g / count, shift(same_run, axis, -step, 0), axis, -step)
    return [record * shares]


vjp_rule("cumulative_max", "cumulative_min")(_cumulative_extremum)


def scatter_along_axis(x, indices, updates, axis):
    """Zeros like x with `updates` added at `indices` along `axis` (the transpose of take_along_axis): each
    element's full index is its own position with `axis` replaced by its entry of `indices`."""
    rank = x.ndim
    column = indices.shape + (1,)
    parts = [indices if a == axis else alg.iota(indices, indices.shape, a, indices.type) for a in range(rank)]
    full = alg.apply("concatenate", [alg.reshape(p, column) for p in parts], axis=rank)
    everything = tuple(range(rank))
    return alg.apply("scatter_add", [alg.zeros_like(x), full, updates], offset_dims=(), collapsed_slice_dims=everything,
                 start_index_map=everything, index_vector_dim=rank, slice_sizes=(1,) * rank)


@vjp_rule("sort")
def _sort(cotangents, operands, results, axis, descending):
    # Each sorted element's cotangent goes back to where it came from (argsort orders equal elements as sort does).
    (g,), (x,) = cotangents, operands
    order = alg.apply("argsort", [x], axis=axis, descending=descending)
    return [scatter_along_axis(x, order, g, axis)]


@vjp_rule("top_k")
def _top_k(cotangents, operands, results, k):
    (g, _), (x,), (_, indices) = cotangents, operands, results
    if g is None:
        return [None]
    return [scatter_along_axis(x, indices, g, x.ndim - 1)]
