"""Lowering of the fft nx op: IREE 3.13 compiles stablehlo.fft for few shapes (docs/iree.md), so transforms are matrix
products. An axis of length n <= 16, or a prime length, is one product with the n x n DFT matrix; a longer
composite axis takes the four-step route (n = n1 * n2: n1-point transforms, twiddle factors, n2-point transforms,
a transpose), so a length-2^k transform costs O(n log n). Complex values travel as (real, imaginary) pairs and
every product is a real stablehlo.dot_general; twiddles are computed in f64 by NumPy and rounded to the part
type. A prime length above 16 costs O(n^2)."""
import numpy as np
from iree.compiler import ir

from .lowering import lowers

_DIRECT = 16


def _ints(values):
    return ir.DenseI64ArrayAttr.get([int(v) for v in values])


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
    swap = _ints(list(range(len(lead))) + [rank - 1, rank - 2])
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
                              broadcast_dimensions=_ints([rank - 2, rank - 1])))
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
                      permutation=_ints(permutation))
    out = fn(tuple(moved(p, order) for p in z))
    return tuple(moved(p, back) for p in out)


def _fit(b, z, axis, length, t):
    """The pair cut or zero-padded at the end of `axis` to `length` (NumPy's n)."""
    shape = b.shape(z[0])
    if shape[axis] == length:
        return z
    if shape[axis] > length:
        limits = list(shape)
        limits[axis] = length
        return tuple(b.emit("stablehlo.slice", [p], b.tensor(limits, t), start_indices=_ints([0] * len(shape)),
                            limit_indices=_ints(limits), strides=_ints([1] * len(shape))) for p in z)
    high = [0] * len(shape)
    high[axis] = length - shape[axis]
    padded = list(shape)
    padded[axis] = length
    zero = b.constant(0, (), t)
    return tuple(b.emit("stablehlo.pad", [p, zero], b.tensor(padded, t), edge_padding_low=_ints([0] * len(shape)),
                        edge_padding_high=_ints(high), interior_padding=_ints([0] * len(shape))) for p in z)


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
                      start_indices=_ints([0] * (rank - 1) + [1]), limit_indices=_ints(lead + [mirrored + 1]),
                      strides=_ints([1] * rank))
        tail = b.emit("stablehlo.reverse", [tail], tail.type, dimensions=_ints([rank - 1]))
        if index == 1:
            tail = b.unary("stablehlo.negate", tail)
        parts.append(b.emit("stablehlo.concatenate", [p, tail], b.tensor(lead + [n], t),
                            dimension=ir.IntegerAttr.get(ir.IntegerType.get_signless(64), rank - 1)))
    return tuple(parts)


@lowers("fft")
def _fft(b, node):
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
            z = _transform(b, _fit(b, z, axis, n, t), axis, n, True, t)
        z = _hermitian(b, _fit(b, z, last, n_last // 2 + 1, t), n_last, t)
        return _transform(b, z, last, n_last, True, t)[0]
    inverse = kind == "ifft"
    for axis, n in reversed(list(zip(axes, lengths))):  # the last axis first: rfft's half spectrum
        z = _transform(b, _fit(b, z, axis, n, t), axis, n, inverse, t)
        if kind == "rfft" and axis == last:
            z = _fit(b, z, axis, n // 2 + 1, t)
    return b.complex(*z, out)
