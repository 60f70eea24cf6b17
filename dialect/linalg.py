"""Linear algebra nx ops: the general contraction `dot` (StableHLO's dot_general) and the matrix factorizations and
solvers that need a library routine (LAPACK on NumPy, a custom call or decomposition when lowered).

Factorizations act on the last two axes; the leading axes are a batch, equal across operands (the frontend
broadcasts). Operands are inexact (the frontend turns integers into the default float)."""
import math

from numerix.dialect.errors import NxShapeError, NxValueError
from .rules import define
from .schema import TensorType, check_axes, require, same_types


def _infer_dot(types, contract_axes_a, batch_axes_a, contract_axes_b, batch_axes_b):
    """Contracts a's contract axes with b's, pairwise, and pairs the batch axes. The result's axes are the batch
    axes, then a's free axes, then b's free axes, each in operand order (dot_general's layout). Names: a batch
    axis takes a's name (b's where a's is unnamed); free axes keep theirs."""
    a, b = types
    same_types("dot", types)
    require("dot", a, "number")
    for t, contract, batch in ((a, contract_axes_a, batch_axes_a), (b, contract_axes_b, batch_axes_b)):
        check_axes("dot", contract + batch, len(t.shape))
    if len(contract_axes_a) != len(contract_axes_b) or len(batch_axes_a) != len(batch_axes_b):
        raise NxValueError(f"needs as many contract (and batch) axes in a as in b: contract {list(contract_axes_a)} "
                           f"vs {list(contract_axes_b)}, batch {list(batch_axes_a)} vs {list(batch_axes_b)}", op="dot")
    for kind, axes_a, axes_b in (("contract", contract_axes_a, contract_axes_b),
                                 ("batch", batch_axes_a, batch_axes_b)):
        for i, j in zip(axes_a, axes_b):
            if a.shape[i] != b.shape[j]:
                raise NxShapeError(f"{kind} axis {i} of a ({a}) has size {a.shape[i]} but axis {j} of b ({b}) has "
                                   f"size {b.shape[j]}", op="dot")
    free_a = [i for i in range(len(a.shape)) if i not in contract_axes_a + batch_axes_a]
    free_b = [j for j in range(len(b.shape)) if j not in contract_axes_b + batch_axes_b]
    shape = [a.shape[i] for i in batch_axes_a] + [a.shape[i] for i in free_a] + [b.shape[j] for j in free_b]
    names = [a.names[i] if a.names[i] is not None else b.names[j] for i, j in zip(batch_axes_a, batch_axes_b)]
    names += [a.names[i] for i in free_a] + [b.names[j] for j in free_b]
    return TensorType(tuple(shape), a.type, tuple(names))


def _matrices(op, t, square=False):
    """Checks that t is a (stack of) matrices, square when asked; returns (batch shape, rows, columns)."""
    if len(t.shape) < 2:
        raise NxShapeError(f"needs a matrix or a stack of matrices (rank >= 2), got {t}", op=op)
    require(op, t, "inexact")
    *batch, m, n = t.shape
    if square and m != n:
        raise NxShapeError(f"needs square matrices (..., M, M), got {t}", op=op)
    return tuple(batch), m, n


def _with_shape(t, shape, type=None):
    """A result of `shape` with t's batch axes and names, then unnamed matrix (or vector) axes."""
    batch = len(t.shape) - 2
    return TensorType(tuple(shape), type or t.type, t.names[:batch] + (None,) * (len(shape) - batch))


def _infer_cholesky(types):
    (x,) = types
    _matrices("cholesky", x, square=True)
    return x


def _infer_eigh(types):
    (x,) = types
    batch, m, _ = _matrices("eigh", x, square=True)
    return _with_shape(x, batch + (m,), x.type.real_type), x


def _infer_qr(types, mode):
    (x,) = types
    batch, m, n = _matrices("qr", x)
    if mode not in ("reduced", "complete"):
        raise NxValueError(f"mode must be 'reduced' or 'complete', got {mode!r}", op="qr")
    k = min(m, n) if mode == "reduced" else m
    return _with_shape(x, batch + (m, k)), _with_shape(x, batch + (k, n))


def _infer_svd(types, full_matrices):
    (x,) = types
    batch, m, n = _matrices("svd", x)
    k = min(m, n)
    u, vh = ((m, m), (n, n)) if full_matrices else ((m, k), (k, n))
    return _with_shape(x, batch + u), _with_shape(x, batch + (k,), x.type.real_type), _with_shape(x, batch + vh)


def _infer_solve(types):
    """a (..., M, M) times the solution (..., M, K) is b (..., M, K)."""
    a, b = types
    same_types("solve", types)
    batch, m, _ = _matrices("solve", a, square=True)
    b_batch, rows, _ = _matrices("solve", b)
    if b_batch != batch or rows != m:
        raise NxShapeError(f"needs b of shape {list(batch) + [m]} + [K] for a {a}, got b {b}", op="solve")
    return b


def _infer_det(types):
    (x,) = types
    batch, _, _ = _matrices("det", x, square=True)
    return TensorType(batch, x.type, x.names[:-2])


def _infer_slogdet(types):
    (x,) = types
    batch, _, _ = _matrices("slogdet", x, square=True)
    return TensorType(batch, x.type, x.names[:-2]), TensorType(batch, x.type.real_type, x.names[:-2])


define("dot", 2, _infer_dot, attrs={"contract_axes_a": "ints", "batch_axes_a": "ints", "contract_axes_b": "ints",
                                    "batch_axes_b": "ints"})
define("cholesky", 1, _infer_cholesky)  # the lower factor L of x = L L^H
define("eigh", 1, _infer_eigh, results=2)  # (eigenvalues ascending, eigenvectors); reads the lower triangle
define("qr", 1, _infer_qr, attrs={"mode": "str"}, results=2)
define("svd", 1, _infer_svd, attrs={"full_matrices": "bool"}, results=3)  # (U, S descending, Vh)
define("solve", 2, _infer_solve)
define("det", 1, _infer_det)
define("slogdet", 1, _infer_slogdet, results=2)  # (sign, log|det|)


def dot_flops(a_shape, contract_axes_a, out_shape):
    """Multiplies and adds of a contraction."""
    return 2 * math.prod(out_shape) * math.prod(a_shape[axis] for axis in contract_axes_a)
