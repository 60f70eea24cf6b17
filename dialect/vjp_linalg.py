"""VJP rules of the linear algebra nx ops (the contraction dot, the factorizations and solvers) and of the Fourier
transform. Matrices are the last two axes. The factorizations' rules are the transposes of the JVPs JAX uses, under
JAX's pairing of cotangents with tangents (Re(sum(c * t)), no conjugation); cholesky and eigh read only the lower
triangle of their operand (as LAPACK does), so the upper triangle gets no gradient and each element below the
diagonal stands for itself and its mirror image."""
import math

import numpy as np

from . import algebra as alg
from .errors import NxValueError

from .rules import vjp_rule


def _dot_cotangent(g, other, this_axes, free_this, batch_this, contract_this, g_other_free, other_free,
                   batch_other, contract_other):
    """The cotangent of one dot operand: g contracted with the other operand over the other's free axes, batch
    axes paired, then permuted into this operand's axis order. g holds (batch, a's free, b's free)."""
    nb = len(batch_this)
    out = alg.apply("dot", [g, other], contract_axes_a=tuple(g_other_free), batch_axes_a=tuple(range(nb)),
                contract_axes_b=tuple(other_free), batch_axes_b=tuple(batch_other))
    # out holds (batch, this operand's free axes, the other's contract axes in its axis order).
    position = {}
    for i, axis in enumerate(batch_this):
        position[axis] = i
    for i, axis in enumerate(free_this):
        position[axis] = nb + i
    paired = dict(zip(contract_other, contract_this))
    for i, axis in enumerate(sorted(contract_other)):
        position[paired[axis]] = nb + len(free_this) + i
    order = tuple(position[axis] for axis in range(this_axes))
    return alg.transpose(out, order)


@vjp_rule("dot")
def _dot(cotangents, operands, results, contract_axes_a, batch_axes_a, contract_axes_b, batch_axes_b):
    # The transpose of dot_general, without conjugation (JAX's convention for complex numbers).
    (g,), (a, b) = cotangents, operands
    free_a = [i for i in range(a.ndim) if i not in contract_axes_a + batch_axes_a]
    free_b = [j for j in range(b.ndim) if j not in contract_axes_b + batch_axes_b]
    nb = len(batch_axes_a)
    g_free_a = range(nb, nb + len(free_a))
    g_free_b = range(nb + len(free_a), g.ndim)
    a_cotangent = _dot_cotangent(g, b, a.ndim, free_a, batch_axes_a, contract_axes_a, g_free_b, free_b,
                                 batch_axes_b, contract_axes_b)
    b_cotangent = _dot_cotangent(g, a, b.ndim, free_b, batch_axes_b, contract_axes_b, g_free_a, free_a,
                                 batch_axes_a, contract_axes_a)
    return [a_cotangent, b_cotangent]


# ---- matrix helpers ----

def _mT(t):
    return alg.matrix_transpose(t)


def _conj(t):
    return alg.conjugate(t) if t.type.is_complex else t


def _H(t):
    return _conj(_mT(t))


def _eye(like):
    """The identity of like's matrix size and type (it broadcasts over a batch)."""
    return alg.eye(like, like.shape[-1], like.type)


def _diag(v, type):
    """Diagonal matrices from the vectors v (..., n), in `type`."""
    v = alg.as_type(v, type)
    return _row(v) * alg.eye(v, v.shape[-1], type)


def _diagonal(m):
    return alg.sum(m * _eye(m), axes=(-1,))


def _column(v):
    """v (..., n) as (..., n, 1)."""
    return alg.reshape(v, v.shape + (1,))


def _row(v):
    """v (..., n) as (..., 1, n)."""
    return alg.reshape(v, v.shape[:-1] + (1, v.shape[-1]))


def _solve(a, b):
    return alg.apply("solve", [a, b])


def _inverse_transpose(a):
    """A^-T, as the solution of A^T X = I."""
    return _solve(_mT(a), alg.broadcast_to(_eye(a), a.shape))


def _right_solve_transposed(y, r):
    """y R^-T, as the transpose of the solution of R Z = y^T."""
    return _mT(_solve(r, _mT(y)))


def _lower_read(c):
    """The cotangent of a Hermitian operand read from its lower triangle, given the cotangent c of the full matrix:
    below the diagonal an element stands for itself and its mirror (c_ij + conj(c_ji)); on it only the real part
    counts (LAPACK ignores the imaginary part of the diagonal)."""
    diagonal = _eye(c) * alg.as_type(alg.real(c), c.type) if c.type.is_complex else _eye(c) * c
    return alg.tril(c, -1) + alg.tril(_H(c), -1) + diagonal


def _reciprocal_differences(values, type):
    """F_ij = 1 / (values_j - values_i) off the diagonal, 0 on it (equal values give inf, as in JAX)."""
    eye = alg.eye(values, values.shape[-1], values.type) == 1
    differences = _row(values) - _column(values)
    return alg.as_type(alg.select(eye, 0.0, 1 / alg.select(eye, 1.0, differences)), type)


def _or_zeros(cotangent, like):
    return alg.zeros_like(like) if cotangent is None else cotangent


# ---- factorizations and solvers ----

@vjp_rule("cholesky")
def _cholesky(cotangents, operands, results):
    # dL = L phi(L^-1 dA L^-H), phi: the lower triangle with its diagonal halved.
    (g,), (factor,) = cotangents, results
    phi = alg.tril(_mT(factor) @ g) * (1 - _eye(factor) * 0.5)
    left = _solve(_mT(factor), phi)  # L^-T phi
    full = _mT(_solve(_H(factor), _mT(left)))  # L^-T phi conj(L)^-1
    return [_lower_read(full)]


@vjp_rule("eigh")
def _eigh(cotangents, operands, results):
    # dw = Re diag(V^H dA V), dV = V (F * (V^H dA V)) with F the reciprocal eigenvalue differences.
    (g_values, g_vectors), (values, vectors) = cotangents, results
    inner = alg.zeros_like(vectors)
    if g_values is not None:
        inner = inner + _diag(g_values, vectors.type)
    if g_vectors is not None:
        inner = inner + _reciprocal_differences(values, vectors.type) * (_mT(vectors) @ g_vectors)
    return [_lower_read(_conj(vectors) @ inner @ _mT(vectors))]


@vjp_rule("qr")
def _qr(cotangents, operands, results, mode):
    # The transpose of JAX's QR JVP (j-towns.github.io/papers/qr-derivative.pdf), defined where R is square.
    (g_q, g_r), (x,), (q, r) = cotangents, operands, results
    m, n = x.shape[-2:]
    if m < n or mode == "complete" and m != n:
        raise NxValueError(f"the gradient of qr is defined for matrices with at least as many rows as columns in "
                           f"'reduced' mode (or square ones), got {x.ttype} in {mode!r} mode", op="qr")
    g_q, g_r = _or_zeros(g_q, q), _or_zeros(g_r, r)
    e = _mT(q) @ g_q - g_r @ _mT(r)
    g_c = alg.tril(e, -1) - alg.tril(_H(e), -1) - e
    if e.type.is_complex:
        g_c = g_c + _eye(e) * (e - alg.as_type(alg.real(e), e.type))  # the diagonal's imaginary part
    return [_right_solve_transposed(g_q + _conj(q) @ g_c, r)]


@vjp_rule("svd")
def _svd(cotangents, operands, results, full_matrices):
    # The transpose of JAX's SVD JVP: with K = U^H dA V, ds = Re diag(K),
    # dU = U (F * (K S + S K^H) + J) + (I - U U^H) dA V S^-1, dV = V (F * (S K + K^H S)) + (I - V V^H) dA^H U S^-1,
    # F_ij = 1 / (s_j^2 - s_i^2), J = diag(i Im(K_ii) / s_i).
    (g_u, g_s, g_vh), (x,), (u, s, vh) = cotangents, operands, results
    m, n = x.shape[-2:]
    k = min(m, n)
    if full_matrices and m != n:
        raise NxValueError(f"the gradient of svd is defined for full_matrices=False (or square matrices), got "
                           f"{x.ttype}", op="svd")
    type = x.type
    v = _H(vh)
    g_u, g_v = _or_zeros(g_u, u), _H(_or_zeros(g_vh, vh))
    s_row, s_column = _row(alg.as_type(s, type)), _column(alg.as_type(s, type))
    s_inverse = alg.as_type(alg.select(s == 0, 0.0, 1 / alg.select(s == 0, 1.0, s)), type)
    f = _reciprocal_differences(s * s, type)
    u_g = _mT(u) @ g_u
    z_u = f * u_g
    z_v = f * (_mT(v) @ g_v)
    g_k = z_u * s_row + _H(s_column * z_u) + s_column * z_v + _H(z_v * s_row)
    if g_s is not None:
        g_k = g_k + _diag(g_s, type)
    if type.is_complex:
        g_k = g_k + _diag(alg.complex(alg.zeros_like(s), alg.imag(_diagonal(u_g)) * alg.real(s_inverse)), type)
    g_x = _conj(u) @ g_k @ _mT(v)
    if m > k:
        g_x = g_x + ((g_u - _conj(u) @ u_g) * _row(s_inverse)) @ _mT(v)
    if n > k:
        g_x = g_x + _H(((g_v - _conj(v) @ (_mT(v) @ g_v)) * _row(s_inverse)) @ _mT(u))
    return [g_x]


@vjp_rule("solve")
def _solve_rule(cotangents, operands, results):
    # X = A^-1 B: dX = A^-1 (dB - dA X).
    (g,), (a, _), (solution,) = cotangents, operands, results
    g_b = _solve(_mT(a), g)
    return [-(g_b @ _mT(solution)), g_b]


@vjp_rule("det")
def _det(cotangents, operands, results):
    # d det = det tr(A^-1 dA). (Not finite at a singular matrix, where A^-1 is not.)
    (g,), (a,), (det,) = cotangents, operands, results
    return [_column(_column(g * det)) * _inverse_transpose(a)]


@vjp_rule("slogdet")
def _slogdet(cotangents, operands, results):
    # d log|det| = Re tr(A^-1 dA); for complex A, d sign = sign * i Im tr(A^-1 dA).
    (g_sign, g_log), (a,), (sign, _) = cotangents, operands, results
    scales = [] if g_log is None else [alg.as_type(g_log, a.type)]
    if a.type.is_complex and g_sign is not None:
        turn = alg.imag(g_sign * sign)
        scales.append(alg.complex(alg.zeros_like(turn), turn))
    if not scales:
        return [None]  # a real sign is piecewise constant
    return [_column(_column(sum(scales[1:], scales[0]))) * _inverse_transpose(a)]


# ---- the Fourier transform ----

def _fit(t, sizes):
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


@vjp_rule("fft")
def _fft(cotangents, operands, results, kind, lengths):
    # The DFT matrix is symmetric, so without conjugation (JAX's convention) fft's transpose is fft, ifft's ifft.
    (g,), (x,) = cotangents, operands
    sizes = x.shape[x.ndim - len(lengths):]
    if kind in ("fft", "ifft"):
        transposed = alg.apply("fft", [g], kind=kind, lengths=lengths)
    elif kind == "rfft":
        # rfft(x) = fft(x as complex) cut to n // 2 + 1: pad back, transform, keep the real part.
        transposed = alg.real(alg.apply("fft", [_fit(g, lengths)], kind="fft", lengths=lengths))
    else:
        # JAX's irfft transpose: the rfft of the cotangent, scaled by 1/n, with the frequencies that stand for a
        # conjugate pair counted twice, conjugated.
        half = alg.apply("fft", [g], kind="rfft", lengths=lengths)
        odd = lengths[-1] % 2
        twice = np.concatenate([[1.0], np.full(half.shape[-1] - 2 + odd, 2.0), np.ones(1 - odd)])
        weights = alg.constant(half, twice / math.prod(lengths), half.type.real_type)
        transposed = alg.conjugate(half * alg.as_type(weights, half.type))
    return [_fit(transposed, sizes)]
