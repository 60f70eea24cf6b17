"""What the matrix ops (factorize.py, spectral.py) share: the check of their operands, their NumPy call into LAPACK,
and the matrix algebra on Terms (dialect/algebra.py) their VJP rules are written in. Their lowerings' helpers are
lower_matrices.py's. A library: it declares no op.

Matrices are the last two axes; the leading axes are a batch, equal across operands (the frontend broadcasts).
Operands are inexact (the frontend turns integers into the default float)."""
import numpy as np

from . import algebra as alg
from .errors import NxShapeError, NxValueError
from .rules import widen_half
from .schema import TensorType, require


# ---- schemas ----

def check_matrices(op, t, square=False):
    """Checks that t is a (stack of) matrices, square when asked; returns (batch shape, rows, columns)."""
    if len(t.shape) < 2:
        raise NxShapeError(f"needs a matrix or a stack of matrices (rank >= 2), got {t}", op=op)
    require(op, t, "inexact")
    *batch, m, n = t.shape
    if square and m != n:
        raise NxShapeError(f"needs square matrices (..., M, M), got {t}", op=op)
    return tuple(batch), m, n


def with_shape(t, shape, type=None):
    """A result of `shape` with t's batch axes and names, then unnamed matrix (or vector) axes."""
    batch = len(t.shape) - 2
    return TensorType(tuple(shape), type or t.type, t.names[:batch] + (None,) * (len(shape) - batch))


# ---- NumPy rules ----

def lapack(op, fn):
    """Runs a LAPACK-backed NumPy function, f16 and bf16 in f32 (LAPACK has no half types); its LinAlgError (a
    singular or non-positive-definite matrix, a factorization that did not converge) becomes a numerix error naming
    the op."""
    def wrapped(*arrays, **attrs):
        try:
            return fn(*arrays, **attrs)
        except np.linalg.LinAlgError as e:
            shapes = ", ".join(f"{a.dtype}{list(a.shape)}" for a in arrays)
            raise NxValueError(f"{e} (operands {shapes})", op=op) from None
    return widen_half(wrapped)


def per_matrix(fn, signature):
    """fn, which takes single matrices (SciPy's: older releases batch none, newer ones no empty batch), over a batch
    of them by np.vectorize's gufunc `signature`; its results in the first operand's type."""
    results = signature.split("->")[1].count("(")

    def batched(*arrays, **attrs):
        return np.vectorize(lambda *matrices: fn(*matrices, **attrs), signature=signature,
                            otypes=[arrays[0].dtype] * results)(*arrays)
    return batched


# ---- VJP rules: matrices of Terms ----

def mT(t):
    return alg.matrix_transpose(t)


def conj(t):
    return alg.conjugate(t) if t.type.is_complex else t


def H(t):
    return conj(mT(t))


def eye(like):
    """The identity of like's matrix size and type (it broadcasts over a batch)."""
    return alg.eye(like, like.shape[-1], like.type)


def as_column(v):
    """v (..., n) as (..., n, 1)."""
    return alg.reshape(v, v.shape + (1,))


def as_row(v):
    """v (..., n) as (..., 1, n)."""
    return alg.reshape(v, v.shape[:-1] + (1, v.shape[-1]))


def solve(a, b):
    return alg.apply("solve", [a, b])


def triangle(t, lower):
    """t's lower triangle (upper when not `lower`), the diagonal included; the rest zeroed."""
    return alg.tril(t) if lower else t - alg.tril(t, -1)


def triangular_solve(a, b, lower):
    return alg.apply("triangular_solve", [a, b], lower=lower)


def lower_read(c):
    """The cotangent of a Hermitian operand read from its lower triangle, given the cotangent c of the full matrix:
    below the diagonal an element stands for itself and its mirror (c_ij + conj(c_ji)); on it only the real part
    counts (LAPACK ignores the imaginary part of the diagonal)."""
    diagonal = eye(c) * alg.as_type(alg.real(c), c.type) if c.type.is_complex else eye(c) * c
    return alg.tril(c, -1) + alg.tril(H(c), -1) + diagonal


def or_zeros(cotangent, like):
    return alg.zeros_like(like) if cotangent is None else cotangent
