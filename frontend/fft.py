"""numerix.fft: the array API's Fourier transform extension (2024.12), on the nx.fft op.

The transformed axes are moved last, transformed by nx.fft (which cuts or zero-pads each to its length `n`), scaled
for `norm`, and moved back. Precision follows the input: f64 and c128 give c128 (f64 for the real results), every
other type c64 (f32): real inputs are promoted to complex, and c64 stays c64."""
import math

import numpy as np

from numerix.dialect import dtypes
from numerix.dialect.errors import NxTypeError, NxValueError

from .creation import check_device, constant, iota, resolve_type
from .dispatch import apply
from .elementwise import conjugate, less, multiply, select, subtract
from .operands import as_type, axis_index, to_tensor
from .shape import roll

__all__ = ["fft", "ifft", "fftn", "ifftn", "rfft", "irfft", "rfftn", "irfftn", "hfft", "ihfft", "fftfreq",
           "rfftfreq", "fftshift", "ifftshift"]


def __dir__():
    """The public API only, not the names this module imports."""
    return [*__all__, *(name for name in globals() if name.startswith("__"))]

_INVERSE = {"fft": False, "ifft": True, "rfft": False, "irfft": True}
_SWAPPED = {"backward": "forward", "ortho": "ortho", "forward": "backward"}


def _operand(op, x, kind):
    """x in the type the transform reads: complex for fft, ifft and irfft; f32 or f64 for rfft."""
    t = to_tensor(x)
    wide = t.type in (dtypes.f64, dtypes.c128)
    if kind == "rfft":
        if t.type.is_complex:
            raise NxTypeError(f"needs a real input, got {t.ttype}", op=op)
        return as_type(t, dtypes.f64 if wide else dtypes.f32)
    return as_type(t, dtypes.c128 if wide else dtypes.c64)


def _check_norm(op, norm):
    if norm not in _SWAPPED:
        raise NxValueError(f"norm must be 'backward', 'ortho' or 'forward', got {norm!r}", op=op)


def _scale(op, norm, count, inverse):
    """The factor on top of nx.fft, whose forward transforms are unscaled and inverse ones scaled by 1/n."""
    _check_norm(op, norm)
    if norm == "backward":
        return 1.0
    if norm == "ortho":
        return math.sqrt(count) if inverse else 1.0 / math.sqrt(count)
    return float(count) if inverse else 1.0 / count


def _transform(op, kind, x, axes, lengths, norm):
    """nx.fft of kind over `axes` (ints or names; None entries of `lengths` keep the axis' size), scaled for norm."""
    t = _operand(op, x, kind)
    if t.ndim == 0:
        raise NxValueError(f"needs a tensor of rank >= 1, got {t.ttype}", op=op)
    axes = [axis_index(op, t, a) for a in axes]
    if len(set(axes)) != len(axes):
        raise NxValueError(f"axes {axes} repeat", op=op)
    sizes = []
    for i, (a, n) in enumerate(zip(axes, lengths)):
        if n is None or n == -1:
            n = 2 * (t.shape[a] - 1) if kind == "irfft" and i == len(axes) - 1 else t.shape[a]
        if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 1:
            raise NxValueError(f"needs a positive number of points along axis {a} of {t.ttype}, got {n!r}", op=op)
        sizes.append(int(n))
    rest = [i for i in range(t.ndim) if i not in axes]
    order = rest + axes
    moved = t if order == list(range(t.ndim)) else apply("transpose", [t], axes=tuple(order))
    out = apply("fft", [moved], kind=kind, lengths=tuple(sizes))
    factor = _scale(op, norm, math.prod(sizes), _INVERSE[kind])
    if factor != 1.0:
        out = multiply(out, constant(factor, out.type.real_type))
    if order != list(range(t.ndim)):
        out = apply("transpose", [out], axes=tuple(int(i) for i in np.argsort(order)))
    return out


def _one_axis(op, kind, x, n, axis, norm):
    return _transform(op, kind, x, [axis], [n], norm)


def _many_axes(op, kind, x, s, axes, norm):
    """fftn's axes: all of them by default, or the last len(s) when only s is given; s[i] = -1 keeps axis i."""
    t = to_tensor(x)
    if axes is None:
        axes = list(range(t.ndim)) if s is None else list(range(t.ndim - len(s), t.ndim))
    axes = list(axes)
    if s is None:
        s = [None] * len(axes)
    if len(s) != len(axes):
        raise NxValueError(f"s {list(s)} and axes {axes} differ in length", op=op)
    if not axes:
        raise NxValueError(f"needs at least one axis, got {t.ttype}", op=op)
    return _transform(op, kind, t, axes, list(s), norm)


def fft(x, /, *, n=None, axis=-1, norm="backward"):
    """The 1-d discrete Fourier transform along `axis` (cut or zero-padded to n points).

    Examples:
        >>> nx.fft.fft(nx.tensor([1.0, 1.0, 1.0, 1.0]))
        nx.Tensor<
          c64[4]
          [4.+0.j, 0.+0.j, 0.+0.j, 0.+0.j]
        >
        >>> nx.fft.fft(nx.tensor([1.0, 0.0]), n=4)
        nx.Tensor<
          c64[4]
          [1.+0.j, 1.+0.j, 1.+0.j, 1.+0.j]
        >
    """
    return _one_axis("fft", "fft", x, n, axis, norm)


def ifft(x, /, *, n=None, axis=-1, norm="backward"):
    """The inverse of fft along `axis`: (1 / n) sum_k x_k exp(2 pi i j k / n) with the default norm.

    Examples:
        >>> nx.fft.ifft(nx.tensor([4.0, 0.0, 0.0, 0.0]))
        nx.Tensor<
          c64[4]
          [1.+0.j, 1.+0.j, 1.+0.j, 1.+0.j]
        >
    """
    return _one_axis("ifft", "ifft", x, n, axis, norm)


def fftn(x, /, *, s=None, axes=None, norm="backward"):
    """The n-d discrete Fourier transform over `axes` (all by default, or the last len(s)), cut or padded to `s`.

    Examples:
        >>> nx.fft.fftn(nx.ones((2, 2)))
        nx.Tensor<
          c64[2][2]
          [[4.+0.j, 0.+0.j],
           [0.+0.j, 0.+0.j]]
        >
    """
    return _many_axes("fftn", "fft", x, s, axes, norm)


def ifftn(x, /, *, s=None, axes=None, norm="backward"):
    """The inverse of fftn over `axes`.

    Examples:
        >>> nx.fft.ifftn(nx.tensor([[4.0, 0.0], [0.0, 0.0]]))
        nx.Tensor<
          c64[2][2]
          [[1.+0.j, 1.+0.j],
           [1.+0.j, 1.+0.j]]
        >
    """
    return _many_axes("ifftn", "ifft", x, s, axes, norm)


def rfft(x, /, *, n=None, axis=-1, norm="backward"):
    """The transform of real x: the n // 2 + 1 non-negative frequencies.

    Examples:
        >>> nx.fft.rfft(nx.tensor([1.0, 2.0, 3.0, 4.0]))
        nx.Tensor<
          c64[3]
          [10.+0.j, -2.+2.j, -2.+0.j]
        >
    """
    return _one_axis("rfft", "rfft", x, n, axis, norm)


def irfft(x, /, *, n=None, axis=-1, norm="backward"):
    """The inverse of rfft: n real points (2 * (m - 1) for m input frequencies by default).

    Examples:
        >>> nx.fft.irfft(nx.tensor([10.0, -2+2j, -2.0]))
        nx.Tensor<
          f32[4]
          [1., 2., 3., 4.]
        >
    """
    return _one_axis("irfft", "irfft", x, n, axis, norm)


def rfftn(x, /, *, s=None, axes=None, norm="backward"):
    """The n-d transform of real x: the last transformed axis keeps its n // 2 + 1 non-negative frequencies.

    Examples:
        >>> nx.fft.rfftn(nx.ones((2, 4)))
        nx.Tensor<
          c64[2][3]
          [[8.+0.j, 0.+0.j, 0.+0.j],
           [0.+0.j, 0.+0.j, 0.+0.j]]
        >
    """
    return _many_axes("rfftn", "rfft", x, s, axes, norm)


def irfftn(x, /, *, s=None, axes=None, norm="backward"):
    """The inverse of rfftn: real output, the last axis of 2 * (m - 1) points unless `s` gives it.

    Examples:
        >>> nx.fft.irfftn(nx.tensor([[8.0, 0.0, 0.0], [0.0, 0.0, 0.0]]))
        nx.Tensor<
          f32[2][4]
          [[1., 1., 1., 1.],
           [1., 1., 1., 1.]]
        >
    """
    return _many_axes("irfftn", "irfft", x, s, axes, norm)


def hfft(x, /, *, n=None, axis=-1, norm="backward"):
    """The transform of a signal with Hermitian symmetry (given by its first half): real, n points.

    Examples:
        >>> nx.fft.hfft(nx.tensor([1.0, 2.0, 3.0]))
        nx.Tensor<
          f32[4]
          [ 8., -2.,  0., -2.]
        >
    """
    _check_norm("hfft", norm)
    return _one_axis("hfft", "irfft", conjugate(_operand("hfft", x, "fft")), n, axis, _SWAPPED[norm])


def ihfft(x, /, *, n=None, axis=-1, norm="backward"):
    """The inverse of hfft, from a real signal: n // 2 + 1 frequencies.

    Examples:
        >>> nx.fft.ihfft(nx.tensor([1.0, 2.0, 3.0, 4.0]))
        nx.Tensor<
          c64[3]
          [ 2.5-0.j , -0.5-0.5j, -0.5-0.j ]
        >
    """
    _check_norm("ihfft", norm)
    return conjugate(_one_axis("ihfft", "rfft", x, n, axis, _SWAPPED[norm]))


def _frequency_type(op, dtype, device):
    check_device(op, device)
    out = resolve_type(op, None, dtype, dtypes.DEFAULT_FLOAT)
    if not out.is_float:
        raise NxTypeError(f"needs a real floating dtype, got {out.name}", op=op)
    return out


def _count(op, n):
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 1:
        raise NxValueError(f"n must be a positive int, got {n!r}", op=op)
    return int(n)


def fftfreq(n, /, *, d=1.0, dtype=None, device=None):
    """The sample frequencies of an n-point fft: [0, 1, ..., (n-1)//2, -(n//2), ..., -1] / (d * n), computed in
    f64 as NumPy does, then rounded to `dtype` (the default float).

    Examples:
        >>> nx.fft.fftfreq(4)
        nx.Tensor<
          f32[4]
          [ 0.  ,  0.25, -0.5 , -0.25]
        >
    """
    out = _frequency_type("fftfreq", dtype, device)
    n = _count("fftfreq", n)
    counts = iota((n,))
    signed = select(less(counts, (n - 1) // 2 + 1), counts, subtract(counts, n))
    return as_type(multiply(as_type(signed, dtypes.f64), constant(1.0 / (n * d), dtypes.f64)), out)


def rfftfreq(n, /, *, d=1.0, dtype=None, device=None):
    """The sample frequencies of an n-point rfft: [0, 1, ..., n // 2] / (d * n).

    Examples:
        >>> nx.fft.rfftfreq(4, d=0.5)
        nx.Tensor<
          f32[3]
          [0. , 0.5, 1. ]
        >
    """
    out = _frequency_type("rfftfreq", dtype, device)
    n = _count("rfftfreq", n)
    return as_type(multiply(iota((n // 2 + 1,), type=dtypes.f64), constant(1.0 / (n * d), dtypes.f64)), out)


def _shift(op, x, axes, sign):
    t = to_tensor(x)
    axes = list(range(t.ndim)) if axes is None else [axis_index(op, t, a) for a in (
        axes if isinstance(axes, (tuple, list)) else [axes])]
    if not axes:
        return t
    shifts = tuple(sign * (t.shape[a] // 2) for a in axes)
    return roll(t, shifts, axis=tuple(axes))


def fftshift(x, /, *, axes=None):
    """Moves the zero frequency to the middle: rolls each axis (all by default) by half its size.

    Examples:
        >>> nx.fft.fftshift(nx.tensor([0, 1, 2, -2, -1]))
        nx.Tensor<
          s64[5]
          [-2, -1,  0,  1,  2]
        >
    """
    return _shift("fftshift", x, axes, 1)


def ifftshift(x, /, *, axes=None):
    """The inverse of fftshift.

    Examples:
        >>> nx.fft.ifftshift(nx.tensor([-2, -1, 0, 1, 2]))
        nx.Tensor<
          s64[5]
          [ 0,  1,  2, -2, -1]
        >
    """
    return _shift("ifftshift", x, axes, -1)
