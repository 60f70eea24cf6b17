"""The discrete Fourier transform nx op, shaped like StableHLO's fft: it transforms the trailing len(lengths) axes.
Its schema, NumPy rule, VJP and lowering.

kind: "fft" (complex -> complex), "ifft" (complex -> complex, scaled by 1/n as StableHLO's IFFT is), "rfft" (real ->
complex, the last axis keeping lengths[-1] // 2 + 1 frequencies) or "irfft" (complex -> real of `lengths`). Unlike
StableHLO, an operand axis may differ from its length: it is cut or zero-padded at the end first (NumPy's `n`), so
the lowering inserts the slice or pad.

The NumPy rule is NumPy's pocketfft (the backend casts results back to the inferred type, so c64 stays c64).

The lowering: IREE 3.13 compiles stablehlo.fft for few shapes (docs/iree.md), so transforms are matrix products. An
axis of length n <= 16, or a prime length, is one product with the n x n DFT matrix; a longer composite axis takes
the four-step route (n = n1 * n2: n1-point transforms, twiddle factors, n2-point transforms, a transpose), so a
length-2^k transform costs O(n log n). Complex values travel as (real, imaginary) pairs and every product is a real
stablehlo.dot_general; twiddles are computed in f64 by NumPy and rounded to the part type. A prime length above 16
costs O(n^2)."""
import math

import numpy as np
from iree.compiler import ir

from . import algebra as alg
from . import batching, dtypes
from .errors import NxTypeError, NxValueError
from .ir import ints
from .rules import define
from .schema import TensorType

_COMPLEX_OF = {"f32": dtypes.c64, "f64": dtypes.c128}


def _infer_fft(types, kind, lengths):
    (x,) = types
    if kind not in ("fft", "ifft", "rfft", "irfft"):
        raise NxValueError(f"kind must be fft, ifft, rfft or irfft, got {kind!r}", op="fft")
    if not 1 <= len(lengths) <= len(x.shape):
        raise NxValueError(f"needs 1 to rank (here {len(x.shape)}) lengths, got {list(lengths)} for {x}", op="fft")
    if any(n < 1 for n in lengths):
        raise NxValueError(f"lengths must be positive, got {list(lengths)}", op="fft")
    if kind == "rfft":
        if x.type.name not in _COMPLEX_OF:
            raise NxTypeError(f"rfft needs an f32 or f64 operand, got {x}", op="fft")
        out_type = _COMPLEX_OF[x.type.name]
    elif not x.type.is_complex:
        raise NxTypeError(f"{kind} needs a complex operand, got {x}", op="fft")
    else:
        out_type = x.type.real_type if kind == "irfft" else x.type
    trailing = list(lengths)
    if kind == "rfft":
        trailing[-1] = lengths[-1] // 2 + 1
    shape = x.shape[:len(x.shape) - len(lengths)] + tuple(trailing)
    return TensorType(shape, out_type, x.names)


_TRANSFORMS = {"fft": np.fft.fftn, "ifft": np.fft.ifftn, "rfft": np.fft.rfftn, "irfft": np.fft.irfftn}


def _numpy_fft(x, kind, lengths):
    axes = tuple(range(x.ndim - len(lengths), x.ndim))
    return _TRANSFORMS[kind](x, s=lengths, axes=axes)


def _fit_cotangent(t, sizes):
    """t with its trailing axes cut or zero-padded at the end to `sizes` (the operand's sizes before nx.fft fitted
    them to its lengths)."""
    lead = t.ndim - len(sizes)
    have = t.shape[lead:]
    if tuple(have) == tuple(sizes):
        return t
    cut = tuple(min(h, w) for h, w in zip(have, sizes))
    t = alg.apply("slice", [t], start_indices=(0,) * t.ndim, limit_indices=t.shape[:lead] + cut, strides=(1,) * t.ndim)
    pads = tuple((0, 0, 0) for _ in range(lead)) + tuple((0, w - c, 0) for c, w in zip(cut, sizes))
    return alg.apply("pad", [t, alg.scalar(t, 0)], pads=pads)


def _vjp_fft(cotangents, operands, results, kind, lengths):
    # The DFT matrix is symmetric, so without conjugation (JAX's convention) fft's transpose is fft, ifft's ifft.
    (g,), (x,) = cotangents, operands
    sizes = x.shape[x.ndim - len(lengths):]
    if kind in ("fft", "ifft"):
        transposed = alg.apply("fft", [g], kind=kind, lengths=lengths)
    elif kind == "rfft":
        # rfft(x) = fft(x as complex) cut to n // 2 + 1: pad back, transform, keep the real part.
        transposed = alg.real(alg.apply("fft", [_fit_cotangent(g, lengths)], kind="fft", lengths=lengths))
    else:
        # JAX's irfft transpose: the rfft of the cotangent, scaled by 1/n, with the frequencies that stand for a
        # conjugate pair counted twice, conjugated.
        half = alg.apply("fft", [g], kind="rfft", lengths=lengths)
        odd = lengths[-1] % 2
        twice = np.concatenate([[1.0], np.full(half.shape[-1] - 2 + odd, 2.0), np.ones(1 - odd)])
        weights = alg.constant(half, twice / math.prod(lengths), half.type.real_type)
        transposed = alg.conjugate(half * alg.as_type(weights, half.type))
    return [_fit_cotangent(transposed, sizes)]


# ---- the lowering ----

_DIRECT = 16


def _largest_factor(n):
    """The largest divisor of n in 2.._DIRECT, or None when n has none (a prime above _DIRECT)."""
    return next((d for d in range(_DIRECT, 1, -1) if n % d == 0), None)


def _matmul_last(b, x, matrix):
    """x (..., n) times matrix (n, m) over the last axis."""
    rank = len(b.shape(x))
    numbers = ir.Attribute.parse(f"#stablehlo.dot<lhs_contracting_dimensions = [{rank - 1}], "
                                 "rhs_contracting_dimensions = [0]>")
    shape = b.shape(x)[:-1] + [b.shape(matrix)[1]]
    return b.emit("stablehlo.dot_general", [x, matrix], ir.RankedTensorType.get(
        shape, ir.RankedTensorType(x.type).element_type), dot_dimension_numbers=numbers)


def _complex_times(b, z, w_re, w_im, product):
    """(z_re + i z_im) (w_re + i w_im) for a product that is bilinear (a matmul or an elementwise multiply)."""
    z_re, z_im = z
    return (b.sub(product(z_re, w_re), product(z_im, w_im)), b.add(product(z_re, w_im), product(z_im, w_re)))


def _dft_last(b, z, n, sign, t):
    """The n-point DFT of the pair z along its last axis, exp(sign 2 pi i j k / n)."""
    factor = _largest_factor(n) if n > _DIRECT else None
    if factor is None:
        angle = sign * 2 * np.pi * np.outer(np.arange(n), np.arange(n)) / n
        w_re, w_im = (b.array(np.cos(angle) if part == 0 else np.sin(angle), t) for part in (0, 1))
        return _complex_times(b, z, w_re, w_im, lambda p, q: _matmul_last(b, p, q))
    n1, n2 = factor, n // factor
    lead = b.shape(z[0])[:-1]
    rank = len(lead) + 2
    swap = ints(list(range(len(lead))) + [rank - 1, rank - 2])
    # x[n2 t1 + t2] as (t1, t2); transform t1 (moved last and back).
    z = tuple(b.emit("stablehlo.reshape", [p], b.tensor(lead + [n1, n2], t)) for p in z)
    z = tuple(b.emit("stablehlo.transpose", [p], b.tensor(lead + [n2, n1], t), permutation=swap) for p in z)
    z = _dft_last(b, z, n1, sign, t)
    z = tuple(b.emit("stablehlo.transpose", [p], b.tensor(lead + [n1, n2], t), permutation=swap) for p in z)
    angle = sign * 2 * np.pi * np.outer(np.arange(n1), np.arange(n2)) / n
    twiddle = []
    for values in (np.cos(angle), np.sin(angle)):
        constant = b.array(values, t)
        twiddle.append(b.emit("stablehlo.broadcast_in_dim", [constant], b.tensor(lead + [n1, n2], t),
                              broadcast_dimensions=ints([rank - 2, rank - 1])))
    z = _complex_times(b, z, *twiddle, b.mul)
    z = _dft_last(b, z, n2, sign, t)  # (k1, k2), and the output index is k1 + n1 k2
    z = tuple(b.emit("stablehlo.transpose", [p], b.tensor(lead + [n2, n1], t), permutation=swap) for p in z)
    return tuple(b.emit("stablehlo.reshape", [p], b.tensor(lead + [n], t)) for p in z)


def _along(b, z, axis, fn, t):
    """fn applied to the pair z with `axis` moved last, then moved back."""
    rank = len(b.shape(z[0]))
    if axis == rank - 1:
        return fn(z)
    order = [a for a in range(rank) if a != axis] + [axis]
    back = [order.index(a) for a in range(rank)]

    def moved(p, permutation):
        shape = b.shape(p)
        return b.emit("stablehlo.transpose", [p], b.tensor([shape[i] for i in permutation], t),
                      permutation=ints(permutation))
    out = fn(tuple(moved(p, order) for p in z))
    return tuple(moved(p, back) for p in out)


def _fit_pair(b, z, axis, length, t):
    """The pair cut or zero-padded at the end of `axis` to `length` (NumPy's n)."""
    shape = b.shape(z[0])
    if shape[axis] == length:
        return z
    if shape[axis] > length:
        limits = list(shape)
        limits[axis] = length
        return tuple(b.emit("stablehlo.slice", [p], b.tensor(limits, t), start_indices=ints([0] * len(shape)),
                            limit_indices=ints(limits), strides=ints([1] * len(shape))) for p in z)
    high = [0] * len(shape)
    high[axis] = length - shape[axis]
    padded = list(shape)
    padded[axis] = length
    zero = b.constant(0, (), t)
    return tuple(b.emit("stablehlo.pad", [p, zero], b.tensor(padded, t), edge_padding_low=ints([0] * len(shape)),
                        edge_padding_high=ints(high), interior_padding=ints([0] * len(shape))) for p in z)


def _transform(b, z, axis, n, inverse, t):
    z = _along(b, z, axis, lambda pair: _dft_last(b, pair, n, 1 if inverse else -1, t), t)
    if inverse:
        scale = b.full_like(z[0], 1 / n, t)
        z = (b.mul(z[0], scale), b.mul(z[1], scale))
    return z


def _hermitian(b, z, n, t):
    """The full n-point spectrum along the last axis from its first n // 2 + 1 points: X[n - k] = conj(X[k])."""
    rank = len(b.shape(z[0]))
    lead = b.shape(z[0])[:-1]
    mirrored = (n - 1) // 2  # X[n // 2 + 1 ..] = conj(X[(n - 1) // 2 .. 1])
    if mirrored == 0:
        return z
    parts = []
    for index, p in enumerate(z):
        tail = b.emit("stablehlo.slice", [p], b.tensor(lead + [mirrored], t),
                      start_indices=ints([0] * (rank - 1) + [1]), limit_indices=ints(lead + [mirrored + 1]),
                      strides=ints([1] * rank))
        tail = b.emit("stablehlo.reverse", [tail], tail.type, dimensions=ints([rank - 1]))
        if index == 1:
            tail = b.unary("stablehlo.negate", tail)
        parts.append(b.emit("stablehlo.concatenate", [p, tail], b.tensor(lead + [n], t),
                            dimension=ir.IntegerAttr.get(ir.IntegerType.get_signless(64), rank - 1)))
    return tuple(parts)


def _lower_fft(b, node):
    (x,) = node.args
    dtype, out = node.types[0].type, node.out[0].type
    kind, lengths = node.attrs["kind"], node.attrs["lengths"]
    t = dtype.real_type
    rank = len(node.types[0].shape)
    axes = list(range(rank - len(lengths), rank))
    if dtype.is_complex:
        z = (b.real(x, dtype), b.imag(x, dtype))
    else:
        z = (x, b.full_like(x, 0, t))
    last, n_last = axes[-1], lengths[-1]
    if kind == "irfft":
        for axis, n in zip(axes[:-1], lengths[:-1]):
            z = _transform(b, _fit_pair(b, z, axis, n, t), axis, n, True, t)
        z = _hermitian(b, _fit_pair(b, z, last, n_last // 2 + 1, t), n_last, t)
        return _transform(b, z, last, n_last, True, t)[0]
    inverse = kind == "ifft"
    for axis, n in reversed(list(zip(axes, lengths))):  # the last axis first: rfft's half spectrum
        z = _transform(b, _fit_pair(b, z, axis, n, t), axis, n, inverse, t)
        if kind == "rfft" and axis == last:
            z = _fit_pair(b, z, axis, n // 2 + 1, t)
    return b.complex(*z, out)


# The transform acts on the trailing axes: a leading batch axis is one more axis it maps over.
define("fft", 1, _infer_fft, attrs={"kind": "str", "lengths": "ints"}, numpy=_numpy_fft, vjp=_vjp_fft,
       lower=_lower_fft, batch=batching.mapped("fft"))
