"""numerix.linalg: the array API's linear algebra extension (2024.12), and Nx.LinAlg's adjoint, lu,
triangular_solve and least_squares.

Factorizations and solvers (cholesky, eigh, qr, svd, lu, solve, triangular_solve, det, slogdet) are nx ops; the rest
are exact composites of them and of contractions, elementwise ops and reductions, written as NumPy writes them.
Integer and bool inputs compute in the default float (f32); f16 and bf16 compute in f32 and round back. Matrices are
the last two axes; the leading axes are a batch."""
from typing import NamedTuple

import numpy as np

from numerix.dialect import dtypes
from numerix.dialect.errors import NxTypeError, NxValueError

from .contraction import broadcast_batch, matmul, tensordot, vecdot
from .contraction import outer as _outer
from .creation import constant, eye
from .dispatch import apply
from .elementwise import abs as _abs
from .elementwise import (conjugate, greater, greater_equal, multiply, not_equal, pow, real, reciprocal, select, sqrt,
                          subtract)
from .indexing import take
from .operands import as_type, axis_index, broadcast_shapes, broadcast_to, result_type, to_tensor
from .reduction import max as _max, min as _min, sum as _sum
from .shape import matrix_transpose

__all__ = ["adjoint", "cholesky", "cross", "det", "diagonal", "eigh", "eigvalsh", "inv", "least_squares", "lu",
           "matmul", "matrix_norm", "matrix_power", "matrix_rank", "matrix_transpose", "outer", "pinv", "qr",
           "slogdet", "solve", "svd", "svdvals", "tensordot", "trace", "triangular_solve", "vecdot", "vector_norm",
           "EighResult", "LUResult", "QRResult", "SVDResult", "SlogdetResult"]


def __dir__():
    """The public API only, not the names this module imports."""
    return [*__all__, *(name for name in globals() if name.startswith("__"))]


class EighResult(NamedTuple):
    eigenvalues: object
    eigenvectors: object


class QRResult(NamedTuple):
    Q: object
    R: object


class SVDResult(NamedTuple):
    U: object
    S: object
    Vh: object


class SlogdetResult(NamedTuple):
    sign: object
    logabsdet: object


class LUResult(NamedTuple):
    P: object
    L: object
    U: object


def _floating(x):
    """x as an inexact tensor: integers and bool in the default float."""
    t = to_tensor(x)
    return t if t.type.is_inexact else as_type(t, dtypes.DEFAULT_FLOAT)


def _matrices(op, x, square=False):
    t = _floating(x)
    if t.ndim < 2:
        raise NxValueError(f"needs a matrix or a stack of matrices (rank >= 2), got {t.ttype}", op=op)
    if square and t.shape[-1] != t.shape[-2]:
        raise NxValueError(f"needs square matrices (..., M, M), got {t.ttype}", op=op)
    return t


def _expand_last(t):
    """t with a trailing axis of size 1 (NumPy's t[..., None])."""
    return apply("reshape", [t], shape=t.shape + (1,), names=t.names + (None,))


# ---- factorizations and solvers (nx ops) ----

def cholesky(x, /, *, upper=False):
    """The Cholesky factor L of a Hermitian positive-definite x = L L^H (U = L^H when `upper`); reads x's lower
    triangle. A matrix that is not positive-definite is an error (eagerly).

    Examples:
        >>> nx.linalg.cholesky(nx.tensor([[4.0, 2.0], [2.0, 5.0]]))
        nx.Tensor<
          f32[2][2]
          [[2., 0.],
           [1., 2.]]
        >
    """
    lower = apply("cholesky", [_matrices("cholesky", x, square=True)])
    if not upper:
        return lower
    return matrix_transpose(conjugate(lower) if lower.type.is_complex else lower)


def eigh(x, /):
    """Eigenvalues (ascending, real) and eigenvectors (columns) of a Hermitian x, from its lower triangle.

    Examples:
        >>> eigenvalues, eigenvectors = nx.linalg.eigh(nx.tensor([[2.0, 0.0], [0.0, 1.0]]))
        >>> eigenvalues
        nx.Tensor<
          f32[2]
          [1., 2.]
        >
        >>> eigenvectors
        nx.Tensor<
          f32[2][2]
          [[0., 1.],
           [1., 0.]]
        >
    """
    return EighResult(*apply("eigh", [_matrices("eigh", x, square=True)]))


def eigvalsh(x, /):
    """The eigenvalues (ascending, real) of a Hermitian x, from its lower triangle: eigh's without the eigenvectors.

    Examples:
        >>> nx.linalg.eigvalsh(nx.tensor([[2.0, 1.0], [1.0, 2.0]]))
        nx.Tensor<
          f32[2]
          [1., 3.]
        >
    """
    return eigh(x).eigenvalues


def qr(x, /, *, mode="reduced"):
    """x = Q R with orthonormal columns in Q and upper triangular R; mode 'reduced' or 'complete'.

    Examples:
        >>> q, r = nx.linalg.qr(nx.tensor([[3.0, 1.0], [4.0, 2.0]]))
        >>> r
        nx.Tensor<
          f32[2][2]
          [[-5. , -2.2],
           [ 0. ,  0.4]]
        >
    """
    if mode not in ("reduced", "complete"):
        raise NxValueError(f"mode must be 'reduced' or 'complete', got {mode!r}", op="qr")
    return QRResult(*apply("qr", [_matrices("qr", x)], mode=mode))


def svd(x, /, *, full_matrices=True):
    """x = U diag(S) Vh, S descending (real, x's precision).

    Examples:
        >>> u, s, vh = nx.linalg.svd(nx.tensor([[0.0, 2.0], [3.0, 0.0]]))
        >>> s
        nx.Tensor<
          f32[2]
          [3., 2.]
        >
    """
    if not isinstance(full_matrices, (bool, np.bool_)):
        raise NxTypeError(f"full_matrices must be True or False, got {full_matrices!r}", op="svd")
    return SVDResult(*apply("svd", [_matrices("svd", x)], full_matrices=bool(full_matrices)))


def svdvals(x, /):
    """The singular values of each matrix, descending (real, x's precision): svd's S without U and Vh.

    Examples:
        >>> nx.linalg.svdvals(nx.tensor([[0.0, 2.0], [3.0, 0.0]]))
        nx.Tensor<
          f32[2]
          [3., 2.]
        >
    """
    return svd(x, full_matrices=False).S


def det(x, /):
    """The determinant of each square matrix (the last two axes), by LU factorisation.

    Examples:
        >>> nx.linalg.det(nx.tensor([[1.0, 2.0], [3.0, 4.0]]))
        nx.Tensor<
          f32
          -2.
        >
    """
    return apply("det", [_matrices("det", x, square=True)])


def slogdet(x, /):
    """(sign, log |det x|): sign has x's type (0 for a singular matrix), logabsdet its real type.

    Examples:
        >>> sign, logabsdet = nx.linalg.slogdet(nx.tensor([[-2.0, 0.0], [0.0, 3.0]]))
        >>> sign
        nx.Tensor<
          f32
          -1.
        >
        >>> logabsdet
        nx.Tensor<
          f32
          1.7917595
        >
    """
    return SlogdetResult(*apply("slogdet", [_matrices("slogdet", x, square=True)]))


def _promoted_floats(op, x1, x2):
    common = dtypes.to_float(result_type(op, x1, x2))
    return as_type(to_tensor(x1), common), as_type(to_tensor(x2), common)


def solve(x1, x2, /):
    """The X with x1 X = x2, for square x1 (..., M, M). x2 is a vector (M,) (the result is (..., M)) or matrices
    (..., M, K) whose batch axes broadcast with x1's. A singular x1 is an error (eagerly).

    Examples:
        >>> nx.linalg.solve(nx.tensor([[2.0, 0.0], [0.0, 4.0]]), nx.tensor([2.0, 2.0]))
        nx.Tensor<
          f32[2]
          [1. , 0.5]
        >
    """
    a, b = _promoted_floats("solve", x1, x2)
    a = _matrices("solve", a, square=True)
    if b.ndim == 1:
        if b.shape[0] != a.shape[-1]:
            raise NxValueError(f"needs x2 of shape ({a.shape[-1]},) or (..., {a.shape[-1]}, K) for {a.ttype}, got "
                               f"{b.ttype}", op="solve")
        column = broadcast_to(_expand_last(b), a.shape[:-1] + (1,))
        solution = apply("solve", [a, column])
        return apply("reshape", [solution], shape=solution.shape[:-1], names=solution.names[:-1])
    if b.ndim < 2 or b.shape[-2] != a.shape[-1]:
        raise NxValueError(f"needs x2 of shape ({a.shape[-1]},) or (..., {a.shape[-1]}, K) for {a.ttype}, got "
                           f"{b.ttype}", op="solve")
    return apply("solve", list(broadcast_batch("solve", a, b)))


def lu(x, /):
    """x = P L U by elimination with partial pivoting (LAPACK's getrf, as scipy.linalg.lu): P a permutation matrix
    in x's type (as Nx gives it), L unit lower triangular and U upper triangular, both in x's floating type.

    Examples:
        >>> p, l, u = nx.linalg.lu(nx.tensor([[1.0, 2.0], [2.0, 2.0]]))
        >>> p
        nx.Tensor<
          f32[2][2]
          [[0., 1.],
           [1., 0.]]
        >
        >>> l
        nx.Tensor<
          f32[2][2]
          [[1. , 0. ],
           [0.5, 1. ]]
        >
        >>> u
        nx.Tensor<
          f32[2][2]
          [[2., 2.],
           [0., 1.]]
        >
    """
    t = to_tensor(x)
    p, lower, upper = apply("lu", [_matrices("lu", t, square=True)])
    return LUResult(as_type(p, t.type), lower, upper)


def _flag(op, name, value):
    if not isinstance(value, (bool, np.bool_)):
        raise NxTypeError(f"{name} must be True or False, got {value!r}", op=op)
    return bool(value)


def triangular_solve(a, b, /, *, lower=True, left_side=True, transform_a="none"):
    """Nx's triangular_solve: the X with op(a) X = b (X op(a) = b when not `left_side`), a (..., M, M) triangular
    and read from its lower triangle only (its upper one when not `lower`); op(a) is a (transform_a 'none'), its
    transpose ('transpose') or its conjugate transpose ('conjugate'). b with one axis fewer than a is a batch of
    vectors (..., M); otherwise matrices (..., M, K) ((..., K, M) when not `left_side`). Batch axes broadcast. A
    zero on a's diagonal is an error (eagerly; NaN when compiled).

    Examples:
        >>> nx.linalg.triangular_solve(nx.tensor([[2.0, 0.0], [1.0, 1.0]]), nx.tensor([4.0, 3.0]))
        nx.Tensor<
          f32[2]
          [2., 1.]
        >
    """
    lower, left_side = _flag("triangular_solve", "lower", lower), _flag("triangular_solve", "left_side", left_side)
    if transform_a not in ("none", "transpose", "conjugate"):
        raise NxValueError(f"transform_a must be 'none', 'transpose' or 'conjugate', got {transform_a!r}",
                           op="triangular_solve")
    a, b = _promoted_floats("triangular_solve", a, b)
    a = _matrices("triangular_solve", a, square=True)
    n = a.shape[-1]
    vectors = b.ndim == a.ndim - 1
    if vectors and b.shape[-1] != n or not vectors and (b.ndim < 2 or b.shape[-2 if left_side else -1] != n):
        wanted = f"(..., {n}, K)" if left_side else f"(..., K, {n})"
        raise NxValueError(f"needs b of shape (..., {n}) or {wanted} for {a.ttype}, got {b.ttype}",
                           op="triangular_solve")
    # The op solves T Y = C from T's triangle. X op(a) = b is op(a)^T X^T = b^T; a vector x of x op(a) = b is
    # that column already.
    transposed = (transform_a != "none") == left_side
    triangular = matrix_transpose(a) if transposed else a
    if transform_a == "conjugate" and a.type.is_complex:
        triangular = conjugate(triangular)
    if vectors:
        rhs = _expand_last(b)
    else:
        rhs = b if left_side else matrix_transpose(b)
    triangular, rhs = broadcast_batch("triangular_solve", triangular, rhs)
    solution = apply("triangular_solve", [triangular, rhs], lower=lower != transposed)
    if vectors:
        return apply("reshape", [solution], shape=solution.shape[:-1], names=solution.names[:-1])
    return solution if left_side else matrix_transpose(solution)


def least_squares(a, b, /, *, eps=1e-15):
    """Nx's least_squares: the minimum-norm X minimising |a X - b| through a's SVD, singular values below `eps`
    (an absolute bound, as Nx's) counted as zero. a (..., M, N); b (..., M) with one axis fewer than a (the result
    (..., N)), or (..., M, K) (the result (..., N, K)); batch axes broadcast.

    Examples:
        >>> nx.linalg.least_squares(nx.tensor([[1.0, 0.0], [0.0, 2.0], [0.0, 0.0]]), nx.tensor([1.0, 4.0, 5.0]))
        nx.Tensor<
          f32[2]
          [1., 2.]
        >
    """
    if not isinstance(eps, (int, float, np.integer, np.floating)) or isinstance(eps, bool) or not eps >= 0:
        raise NxValueError(f"eps must be a number >= 0, got {eps!r}", op="least_squares")
    a, b = _promoted_floats("least_squares", a, b)
    a = _matrices("least_squares", a)
    m = a.shape[-2]
    vectors = b.ndim == a.ndim - 1
    if vectors and b.shape[-1] != m or not vectors and (b.ndim < 2 or b.shape[-2] != m):
        raise NxValueError(f"needs b of shape (..., {m}) or (..., {m}, K) for {a.ttype}, got {b.ttype}",
                           op="least_squares")
    rhs = _expand_last(b) if vectors else b
    u, s, vh = svd(a, full_matrices=False)
    kept = greater_equal(s, constant(float(eps), s.type))
    # 1 / s where kept, else 0; the discarded 1 / s is of a 1, so its gradient is finite too.
    s_inverse = select(kept, reciprocal(select(kept, s, constant(1, s.type))), constant(0, s.type))
    scaled = multiply(_expand_last(as_type(s_inverse, a.type)), matmul(adjoint(u), rhs))
    solution = matmul(adjoint(vh), scaled)
    if vectors:
        return apply("reshape", [solution], shape=solution.shape[:-1], names=solution.names[:-1])
    return solution


def inv(x, /):
    """x^-1, computed as NumPy does: solve(x, I).

    Examples:
        >>> nx.linalg.inv(nx.tensor([[2.0, 0.0], [0.0, 4.0]]))
        nx.Tensor<
          f32[2][2]
          [[0.5 , 0.  ],
           [0.  , 0.25]]
        >
    """
    t = _matrices("inv", x, square=True)
    identity = broadcast_to(eye(t.shape[-1], dtype=t.type), t.shape, t.names)
    return apply("solve", [t, identity])


# ---- composites ----

def adjoint(x, /):
    """Nx's adjoint: each matrix transposed (the last two axes swapped) and, for complex x, conjugated; a vector or
    a scalar is its own transpose, so only conjugated. Keeps x's type.

    Examples:
        >>> nx.linalg.adjoint(nx.tensor([[1, 2j], [3, 4]]))
        nx.Tensor<
          c64[2][2]
          [[1.-0.j, 3.-0.j],
           [0.-2.j, 4.-0.j]]
        >
    """
    t = to_tensor(x)
    out = matrix_transpose(t) if t.ndim >= 2 else t
    return conjugate(out) if t.type.is_complex else out


def matrix_power(x, n, /):
    """x to the integer power n by repeated squaring (NumPy's order of products); n = 0 gives identities, n < 0
    powers of the inverse.

    Examples:
        >>> nx.linalg.matrix_power(nx.tensor([[1.0, 1.0], [0.0, 1.0]]), 3)
        nx.Tensor<
          f32[2][2]
          [[1., 3.],
           [0., 1.]]
        >
    """
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool):
        raise NxTypeError(f"n must be an int, got {n!r}", op="matrix_power")
    t = _matrices("matrix_power", x, square=True)
    if n == 0:
        return broadcast_to(eye(t.shape[-1], dtype=t.type), t.shape, t.names)
    if n < 0:
        t, n = inv(t), -n
    if n <= 3:
        out = t
        for _ in range(n - 1):
            out = matmul(out, t)
        return out
    square = out = None
    while n > 0:
        square = t if square is None else matmul(square, square)
        n, bit = divmod(n, 2)
        if bit:
            out = square if out is None else matmul(out, square)
    return out


def _tolerance(op, s, shape, rtol):
    """rtol * largest singular value, per matrix, shaped to compare with s: rtol defaults to max(M, N) * eps."""
    if rtol is None:
        rtol = max(shape[-2:]) * dtypes.finfo(s.type).eps
    largest = _max(s, axis=-1, keepdims=True)
    if isinstance(rtol, (int, float, np.floating, np.integer)) and not isinstance(rtol, bool):
        return multiply(largest, constant(float(rtol), s.type))
    r = to_tensor(rtol)
    if r.type.is_complex or r.type.is_bool:
        raise NxTypeError(f"rtol must be real, got {r.ttype}", op=op)
    return multiply(largest, _expand_last(as_type(r, s.type)))


def matrix_rank(x, /, *, rtol=None):
    """How many singular values exceed rtol * the largest (per matrix), in the default int.

    Examples:
        >>> nx.linalg.matrix_rank(nx.tensor([[1.0, 2.0], [2.0, 4.0]]))
        nx.Tensor<
          s64
          1
        >
    """
    t = _matrices("matrix_rank", x)
    s = svdvals(t)
    return _sum(greater(s, _tolerance("matrix_rank", s, t.shape, rtol)), axis=-1, dtype=dtypes.DEFAULT_INT)


def pinv(x, /, *, rtol=None):
    """The Moore-Penrose pseudo-inverse through the SVD, singular values at or below rtol * the largest dropped
    (NumPy's formulation).

    Examples:
        >>> nx.linalg.pinv(nx.tensor([[2.0, 0.0], [0.0, 0.0]]))
        nx.Tensor<
          f32[2][2]
          [[0.5, 0. ],
           [0. , 0. ]]
        >
    """
    t = _matrices("pinv", x)
    conj = conjugate(t) if t.type.is_complex else t
    u, s, vh = svd(conj, full_matrices=False)
    cutoff = _tolerance("pinv", s, t.shape, rtol)
    kept = greater(s, cutoff)
    s_inverse = select(kept, reciprocal(s), constant(0, s.type))
    return matmul(matrix_transpose(vh), multiply(_expand_last(s_inverse), matrix_transpose(u)))


def diagonal(x, /, *, offset=0):
    """The `offset` diagonal of each matrix (above the main one for offset > 0), as a last axis.

    Examples:
        >>> nx.linalg.diagonal(nx.tensor([[1, 2, 3], [4, 5, 6]]), offset=1)
        nx.Tensor<
          s64[2]
          [2, 6]
        >
    """
    t = to_tensor(x)
    if t.ndim < 2:
        raise NxValueError(f"needs a matrix or a stack of matrices (rank >= 2), got {t.ttype}", op="diagonal")
    if not isinstance(offset, (int, np.integer)) or isinstance(offset, bool):
        raise NxTypeError(f"offset must be an int, got {offset!r}", op="diagonal")
    m, n = t.shape[-2:]
    first_row = max(0, -offset)
    length = max(0, min(m - first_row, n - first_row - offset))
    rows = np.arange(first_row, first_row + length, dtype=np.int64)
    flat = apply("reshape", [t], shape=t.shape[:-2] + (m * n,), names=t.names[:-2] + (None,))
    return take(flat, constant(rows * n + rows + offset, dtypes.DEFAULT_INT), axis=-1)


def trace(x, /, *, offset=0, dtype=None):
    """Sum of the `offset` diagonal of each matrix; small integer types sum in the default int (u64 for unsigned),
    `dtype` overrides.

    Examples:
        >>> nx.linalg.trace(nx.tensor([[1, 2], [3, 4]]))
        nx.Tensor<
          s64
          5
        >
    """
    t = to_tensor(x)
    if t.type.is_bool:
        raise NxTypeError(f"needs a numeric type, got {t.ttype}", op="trace")
    return _sum(diagonal(t, offset=offset), axis=-1, dtype=dtype)


def outer(x1, x2, /):
    """The outer product of two vectors, a matrix (N, M).

    Examples:
        >>> nx.linalg.outer(nx.tensor([1, 2]), nx.tensor([3, 4]))
        nx.Tensor<
          s64[2][2]
          [[3, 4],
           [6, 8]]
        >
    """
    a, b = to_tensor(x1), to_tensor(x2)
    if a.ndim != 1 or b.ndim != 1:
        raise NxValueError(f"needs two vectors, got {a.ttype} and {b.ttype}", op="outer")
    return _outer(a, b)


def cross(x1, x2, /, *, axis=-1):
    """Cross products of the 3-vectors along `axis` (a negative axis, counted from the end); the other axes
    broadcast.

    Examples:
        >>> nx.linalg.cross(nx.tensor([1, 0, 0]), nx.tensor([0, 1, 0]))
        nx.Tensor<
          s64[3]
          [0, 0, 1]
        >
    """
    common = result_type("cross", x1, x2)
    a, b = (as_type(to_tensor(v), common) for v in (x1, x2))
    if common.is_bool:
        raise NxTypeError(f"needs numbers, got {a.ttype} and {b.ttype}", op="cross")
    if not isinstance(axis, (int, np.integer)) or isinstance(axis, bool) or not -min(a.ndim, b.ndim) <= axis < 0:
        raise NxValueError(f"axis must be a negative int in [-{min(a.ndim, b.ndim)}, -1], got {axis!r} (operands "
                           f"{a.ttype} and {b.ttype})", op="cross")
    if a.shape[axis] != 3 or b.shape[axis] != 3:
        raise NxValueError(f"needs 3 elements along axis {axis}, got {a.ttype} and {b.ttype}", op="cross")
    shape, names = broadcast_shapes("cross", a, b)
    a, b = (broadcast_to(t, shape, names) for t in (a, b))

    def rotated(t, order):
        return take(t, constant(np.array(order, np.int64), dtypes.DEFAULT_INT), axis=axis)
    return subtract(multiply(rotated(a, [1, 2, 0]), rotated(b, [2, 0, 1])),
                    multiply(rotated(a, [2, 0, 1]), rotated(b, [1, 2, 0])))


def _squared_magnitude(t):
    return real(multiply(conjugate(t), t)) if t.type.is_complex else multiply(t, t)


def vector_norm(x, /, *, axis=None, keepdims=False, ord=2):
    """The ord-norm of the vectors along `axis` (an int, a tuple, or None for all elements), in x's real
    floating type. ord: 2 (default), 1, inf, -inf, 0 (count of nonzeros), or any other p.

    Examples:
        >>> nx.linalg.vector_norm(nx.tensor([3.0, 4.0]))
        nx.Tensor<
          f32
          5.
        >
        >>> nx.linalg.vector_norm(nx.tensor([3.0, -4.0]), ord=nx.inf)
        nx.Tensor<
          f32
          4.
        >
    """
    t = _floating(x)
    axes = None if axis is None else tuple(axis_index("vector_norm", t, a) for a in (
        axis if isinstance(axis, (tuple, list)) else (axis,)))
    reduce = {"axis": axes, "keepdims": keepdims}
    if not isinstance(ord, (int, float, np.integer, np.floating)) or isinstance(ord, bool):
        raise NxValueError(f"ord must be a number (or +-inf), got {ord!r}", op="vector_norm")
    real_type = t.type.real_type
    if ord == 2:
        return sqrt(_sum(_squared_magnitude(t), **reduce))
    magnitude = _abs(t)
    if ord == float("inf"):
        return _max(magnitude, **reduce)
    if ord == float("-inf"):
        return _min(magnitude, **reduce)
    if ord == 0:
        return _sum(as_type(not_equal(t, 0), real_type), **reduce)
    if ord == 1:
        return _sum(magnitude, **reduce)
    return pow(_sum(pow(magnitude, constant(float(ord), real_type)), **reduce), constant(1.0 / ord, real_type))


def matrix_norm(x, /, *, keepdims=False, ord="fro"):
    """The ord-norm of each matrix, in x's real floating type: 'fro' (default), 'nuc', 1, -1, 2, -2, inf, -inf.

    Examples:
        >>> nx.linalg.matrix_norm(nx.tensor([[3.0, 0.0], [0.0, 4.0]]))
        nx.Tensor<
          f32
          5.
        >
        >>> nx.linalg.matrix_norm(nx.tensor([[3.0, 0.0], [0.0, 4.0]]), ord=1)
        nx.Tensor<
          f32
          4.
        >
    """
    t = _matrices("matrix_norm", x)
    if ord == "fro":
        out = sqrt(_sum(_squared_magnitude(t), axis=(-2, -1)))
    elif ord == "nuc":
        out = _sum(svdvals(t), axis=-1)
    elif ord in (2, -2) and not isinstance(ord, bool):
        out = (_max if ord == 2 else _min)(svdvals(t), axis=-1)
    elif ord in (1, -1, float("inf"), float("-inf")) and not isinstance(ord, bool):
        # 1: the largest column sum of magnitudes; inf: the largest row sum (the negative orders: the smallest).
        sums = _sum(_abs(t), axis=-2 if abs(ord) == 1 else -1)
        out = (_max if ord > 0 else _min)(sums, axis=-1)
    else:
        raise NxValueError(f"ord must be 'fro', 'nuc', 1, -1, 2, -2, inf or -inf, got {ord!r}", op="matrix_norm")
    if keepdims:
        out = apply("reshape", [out], shape=out.shape + (1, 1), names=t.names[:-2] + t.names[-2:])
    return out
