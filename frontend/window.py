"""Nx's window functions: reductions over sliding windows (window_sum, window_mean, window_product, window_max,
window_min, and window_reduce with a function of your own) and the scatters that are window_max's and window_min's
gradients (window_scatter_max, window_scatter_min). Nx's keyword options are keyword arguments here: `strides` and
`window_dilations` (an int for every axis, or one per axis), `padding` ("valid", "same", or a (low, high) pair per
axis). They are resolved here into the explicit attributes of the window ops (dialect/window.py), which check shapes
and compute."""
import itertools
import math

from numerix.dialect.errors import NxShapeError, NxTypeError, NxValueError
from numerix.dialect.window import window_shape

from .dispatch import apply
from .elementwise import divide
from .operands import as_type, broadcast_to, result_type, to_tensor
from .shape import _ints, _is_int, pad, slice as strided_slice

__all__ = [
    "window_sum", "window_mean", "window_product", "window_max", "window_min", "window_reduce",
    "window_scatter_max", "window_scatter_min",
]


def _window(op, window_dimensions):
    if _is_int(window_dimensions) or not isinstance(window_dimensions, (tuple, list)):
        raise NxTypeError(f"window_dimensions must be a tuple (or list) of the window's size on each axis, got "
                          f"{window_dimensions!r}", op=op)
    return _ints(op, "window_dimensions", window_dimensions)


def _per_axis(op, option, value, rank):
    """An int for every axis, or one per axis (their count is checked with the shapes)."""
    values = _ints(op, option, value)
    return values * rank if _is_int(value) else values


def _padding(op, padding, window_dimensions, window_dilations):
    """(low, high) per axis. "same" pads by the dilated window's span less one, the smaller half low, whatever the
    strides (Nx's choice: the result keeps the operand's shape only where strides are 1)."""
    if padding == "valid":
        return ((0, 0),) * len(window_dimensions)
    if padding == "same":
        spans = ((w - 1) * d for w, d in zip(window_dimensions, window_dilations))
        return tuple((total // 2, total - total // 2) for total in spans)
    if isinstance(padding, str) or not isinstance(padding, (list, tuple)) or not all(
            isinstance(p, (list, tuple)) and len(p) == 2 and all(_is_int(v) for v in p) for p in padding):
        raise NxValueError(f'padding must be "valid", "same" or a (low, high) pair of ints per axis, got '
                           f"{padding!r}", op=op)
    return tuple((int(low), int(high)) for low, high in padding)


def _options(op, t, window_dimensions, strides, padding, window_dilations):
    """The window ops' attributes from Nx's options."""
    window = _window(op, window_dimensions)
    dilations = _per_axis(op, "window_dilations", window_dilations, t.ndim)
    pads = _padding(op, padding, window, dilations)
    return {"window_dimensions": window, "strides": _per_axis(op, "strides", strides, t.ndim),
            "padding_low": tuple(low for low, _ in pads), "padding_high": tuple(high for _, high in pads),
            "window_dilations": dilations}


def _reduce_windows(name, t, window_dimensions, strides, padding, window_dilations):
    t = to_tensor(t)
    return apply(name, [t], **_options(name, t, window_dimensions, strides, padding, window_dilations))


def window_sum(t, window_dimensions, *, strides=1, padding="valid", window_dilations=1):
    """Nx's window_sum: the sum of each window of `window_dimensions` elements of t (a size per axis), in t's type.
    `strides` move the window (an int for every axis, or one per axis); `window_dilations` space its elements;
    `padding` is "valid" (none), "same" (the window's span less one, the smaller half low) or a (low, high) pair per
    axis, of zeros.

    Examples:
        >>> nx.window_sum(nx.tensor([[1, 2, 3], [4, 5, 6]]), (1, 2))
        nx.Tensor<
          s64[2][2]
          [[ 3,  5],
           [ 9, 11]]
        >
        >>> nx.window_sum(nx.tensor([1, 2, 3, 4]), (2,), strides=2, padding="same")
        nx.Tensor<
          s64[2]
          [3, 7]
        >
    """
    return _reduce_windows("window_sum", t, window_dimensions, strides, padding, window_dilations)


def window_product(t, window_dimensions, *, strides=1, padding="valid", window_dilations=1):
    """Nx's window_product: the product of each window, in t's type; options as window_sum's, the padding of ones.

    Examples:
        >>> nx.window_product(nx.tensor([1, 2, 3, 4]), (2,))
        nx.Tensor<
          s64[3]
          [ 2,  6, 12]
        >
    """
    return _reduce_windows("window_product", t, window_dimensions, strides, padding, window_dilations)


def window_max(t, window_dimensions, *, strides=1, padding="valid", window_dilations=1):
    """Nx's window_max: the largest element of each window (NaN if it holds one), in t's type; options as
    window_sum's, the padding of the type's lowest value (-inf for floats).

    Examples:
        >>> nx.window_max(nx.tensor([[1, 5], [3, 2]]), (2, 1))
        nx.Tensor<
          s64[1][2]
          [[3, 5]]
        >
    """
    return _reduce_windows("window_max", t, window_dimensions, strides, padding, window_dilations)


def window_min(t, window_dimensions, *, strides=1, padding="valid", window_dilations=1):
    """Nx's window_min: the smallest element of each window (NaN if it holds one), in t's type; options as
    window_sum's, the padding of the type's highest value (inf for floats).

    Examples:
        >>> nx.window_min(nx.tensor([3, 1, 4, 1, 5]), (3,))
        nx.Tensor<
          s64[3]
          [1, 1, 1]
        >
    """
    return _reduce_windows("window_min", t, window_dimensions, strides, padding, window_dilations)


def window_mean(t, window_dimensions, *, strides=1, padding="valid", window_dilations=1):
    """Nx's window_mean: window_sum divided by the window's size (the padding counts), floating-point as divide
    makes it.

    Examples:
        >>> nx.window_mean(nx.tensor([1, 2, 3, 4]), (2,))
        nx.Tensor<
          f32[3]
          [1.5, 2.5, 3.5]
        >
    """
    total = window_sum(t, window_dimensions, strides=strides, padding=padding, window_dilations=window_dilations)
    return divide(total, math.prod(_window("window_mean", window_dimensions)))


def window_reduce(t, acc, window_dimensions, fn, *, strides=1, padding="valid", window_dilations=1):
    """Nx's window_reduce: each window of t folded by `fn` from `acc`, a scalar that also fills the padding; options
    as window_sum's. Unlike Nx's, `fn` takes the accumulator first, fn(acc, x), as functools.reduce calls it, and
    gets whole tensors: for each offset in the window (in row-major order) it combines the accumulators of all
    windows with their elements at that offset, so it must work elementwise. The result has t's type.

    It is written with pad, strided slices and fn's own ops, so it runs eagerly, under defn and under grad.

    Examples:
        >>> nx.window_reduce(nx.tensor([1, 2, 3, 4]), 0, (2,), lambda acc, x: acc + x * x)
        nx.Tensor<
          s64[3]
          [ 5, 13, 25]
        >
    """
    op = "window_reduce"
    t = to_tensor(t)
    acc = to_tensor(acc)
    if acc.ndim != 0:
        raise NxShapeError(f"acc must be a scalar, got {acc.ttype}", op=op)
    if not callable(fn):
        raise NxTypeError(f"fn must be a function of two tensors, got {fn!r}", op=op)
    attrs = _options(op, t, window_dimensions, strides, padding, window_dilations)
    shape = window_shape(op, t.ttype, **attrs)
    acc = as_type(acc, t.type)
    padded = t
    if any(attrs["padding_low"]) or any(attrs["padding_high"]):
        padded = pad(t, acc, [(low, high, 0) for low, high in zip(attrs["padding_low"], attrs["padding_high"])])
    lengths = tuple((n - 1) * s + 1 for n, s in zip(shape, attrs["strides"]))
    result = broadcast_to(acc, shape)
    for offset in itertools.product(*(range(w) for w in attrs["window_dimensions"])):
        starts = [j * d for j, d in zip(offset, attrs["window_dilations"])]
        result = to_tensor(fn(result, strided_slice(padded, starts, lengths, attrs["strides"])))
        if result.shape != shape:
            raise NxShapeError(f"fn must combine elementwise: given two tensors of shape {list(shape)}, it returned "
                               f"{result.ttype}", op=op)
        result = as_type(result, t.type)
    return result


def _scatter(name, t, source, init_value, window_dimensions, strides, padding):
    t = to_tensor(t)
    common = result_type(name, source, init_value)
    source, init = to_tensor(source, common), to_tensor(init_value, common)
    attrs = _options(name, t, window_dimensions, strides, padding, 1)
    del attrs["window_dilations"]
    return apply(name, [t, source, init], **attrs)


def window_scatter_max(t, source, init_value, window_dimensions, *, strides=1, padding="valid"):
    """Nx's window_scatter_max: a tensor of t's shape filled with init_value, to which each element of `source` (one
    per window of t, shaped as window_max's result) is added at its window's largest element: the last of equal
    ones, NaN counting as the largest. t is padded with its type's lowest value; a source element whose window's
    largest is padding is dropped. The result has the promoted type of source and init_value. Options as
    window_sum's, without window_dilations. It is the gradient of window_max.

    Examples:
        >>> nx.window_scatter_max(nx.tensor([1, 5, 3, 2]), nx.tensor([10, 20]), 0, (2,), strides=2)
        nx.Tensor<
          s64[4]
          [ 0, 10, 20,  0]
        >
    """
    return _scatter("window_scatter_max", t, source, init_value, window_dimensions, strides, padding)


def window_scatter_min(t, source, init_value, window_dimensions, *, strides=1, padding="valid"):
    """Nx's window_scatter_min: as window_scatter_max, at each window's smallest element (the last of equal ones,
    NaN counting as the smallest; the padding of the type's highest value). It is the gradient of window_min.

    Examples:
        >>> nx.window_scatter_min(nx.tensor([1, 5, 3, 2]), nx.tensor([10, 20]), 0, (2,), strides=2)
        nx.Tensor<
          s64[4]
          [10,  0,  0, 20]
        >
    """
    return _scatter("window_scatter_min", t, source, init_value, window_dimensions, strides, padding)
