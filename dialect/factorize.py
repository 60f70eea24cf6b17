"""The triangular factorizations and the solvers built on them, each op's schema, NumPy rule, VJP and lowering:
solve, det, slogdet and lu (elimination with partial pivoting), triangular_solve (substitution), cholesky (the lower
factor L of x = L L^H) and qr (Householder). They act on the last two axes (dialect/matrices.py).

NumPy rules call LAPACK. The VJP rules are the transposes of the JVPs JAX uses, under JAX's pairing of cotangents
with tangents (Re(sum(c * t)), no conjugation); cholesky reads only the lower triangle of its operand (as LAPACK
does), so the upper triangle gets no gradient and each element below the diagonal stands for itself and its mirror.

StableHLO has no solver ops IREE compiles, so the lowerings are loops (stablehlo.while) of O(n^2) masked updates
over the (batched) matrices: solve, det, slogdet and lu eliminate with partial pivoting as LAPACK's getrf does (the
largest |re| + |im| in the column, the first one on ties), triangular_solve substitutes one row at a time (trsm's
order), cholesky is the right-looking Cholesky, qr applies LAPACK's reflectors. f16 and bf16 are computed in f32
and rounded once, as the NumPy rules do. Where NumPy raises LinAlgError (a singular matrix for solve or
triangular_solve, a matrix that is not positive definite for cholesky), compiled code cannot raise: it gives NaN.
det of a singular matrix is 0 and slogdet gives (0, -inf), as NumPy does."""
import numpy as np
import scipy.linalg
from iree.compiler import ir

from . import algebra as alg, batching
from .dtypes import bool_, s64
from .errors import NxShapeError, NxValueError
from .ir import ints
from .lower_convert import convert
from .lower_matrices import Matrices, conjugate, on_wide, sum_over
from .lower_reduction import arg_extreme, reduce
from .matrices import (H, as_column, check_matrices, conj, eye, lapack, lower_read, mT, or_zeros, per_matrix, solve,
                       triangle, triangular_solve, with_shape)
from .rules import define
from .schema import TensorType, same_types


# ---- LU: what solve, det and slogdet share ----

def _eliminate(b, m, n, t, jordan, track_rows=False):
    """Elimination with partial pivoting of the matrices m (lead + [n, w]): LU (getrf's arithmetic: rows below
    the pivot lose a_ri / pivot times the pivot row, and keep that multiplier in the pivot's column, so m ends as
    getrf's packed L and U), or Gauss-Jordan on an augmented matrix (every other row, the pivot row normalized; the
    last w - n columns then solve the system). Returns the eliminated m, det, log|det|, the phase of det (its sign)
    and, when `track_rows`, the row permutation (lead + [n], s64: row r of the result came from row perm[r] of m;
    else None)."""
    mat = Matrices(b, b.shape(m), t)
    real = t.real_type
    lead = mat.lead
    row_index = mat.iota(lead + [n], len(lead))

    def condition(i, *_):
        return b.compare("LT", i, b.constant(n, (), s64), s64)

    def body(i, m, det, log, phase, *perm):
        column = b.emit("stablehlo.reshape", [mat.column(m, i)], b.tensor(lead + [n], t))
        candidates = b.select(b.compare("GE", row_index, mat.spread(i, [], lead + [n]), s64),
                              mat.magnitude(column), b.constant(-1, lead + [n], real))
        pivot_row = arg_extreme(b, candidates, real, len(lead), "max", "low")  # lead
        p_full, i_full = mat.lead_everywhere(pivot_row), mat.scalar_everywhere(i)
        row_i = mat.row(m, i)
        at_p = b.compare("EQ", mat.rows, p_full, s64)
        (row_p,) = reduce(b, [b.select(at_p, m, b.constant(0, mat.shape, t))], [b.constant(0, (), t)],
                          (mat.rank - 2,), lambda acc, v: [b.add(acc, v)])
        row_p = b.emit("stablehlo.reshape", [row_p], b.tensor(lead + [1, mat.shape[-1]], t))
        full_rows = list(range(mat.rank))
        m = b.select(b.compare("EQ", mat.rows, i_full, s64), mat.spread(row_p, full_rows),
                     b.select(at_p, mat.spread(row_i, full_rows), m))
        pivot = mat.element(m, i, i)
        swapped = b.compare("NE", pivot_row, mat.spread(i, [], lead), s64)
        if track_rows:
            at_i_vec, at_p_vec = (b.compare("EQ", row_index, mat.spread(r, dims, lead + [n]), s64)
                                  for r, dims in ((i, []), (pivot_row, list(range(len(lead))))))
            perm_i, perm_p = (_pick(b, perm[0], at, len(lead)) for at in (at_i_vec, at_p_vec))
            perm = [b.select(at_i_vec, mat.lead_everywhere(perm_p, lead + [n]),
                             b.select(at_p_vec, mat.lead_everywhere(perm_i, lead + [n]), perm[0]))]
        det = b.select(swapped, b.unary("stablehlo.negate", det), det)
        phase = b.select(swapped, b.unary("stablehlo.negate", phase), phase)
        size = mat.abs(pivot)
        zero_pivot = b.compare_zero("EQ", size, real)
        det = b.mul(det, pivot)
        log = b.add(log, b.unary("stablehlo.log", size))
        unit = b.div(pivot, convert(b, b.select(zero_pivot, b.constant(1, lead, real), size), real, t))
        phase = b.select(zero_pivot, b.constant(0, lead, t), b.mul(phase, unit))
        safe = mat.lead_everywhere(b.select(zero_pivot, b.constant(1, lead, t), pivot))  # a zero pivot: no NaN
        pivot_row = mat.spread(mat.row(m, i), full_rows)
        column = mat.spread(mat.column(m, i), full_rows)
        if jordan:
            eliminated = b.compare("NE", mat.rows, i_full, s64)
            pivot_row = b.div(pivot_row, safe)
            m = b.sub(m, b.mul(b.select(eliminated, column, b.constant(0, mat.shape, t)), pivot_row))
            m = b.select(b.compare("EQ", mat.rows, i_full, s64), pivot_row, m)
        else:
            below = b.compare("GT", mat.rows, i_full, s64)
            factors = b.div(column, safe)
            trailing = b.and_(below, b.compare("GT", mat.cols, i_full, s64))
            m = b.sub(m, b.mul(b.select(trailing, factors, b.constant(0, mat.shape, t)), pivot_row))
            m = b.select(b.and_(below, b.compare("EQ", mat.cols, i_full, s64)), factors, m)
        return [b.add(i, b.constant(1, (), s64)), m, det, log, phase, *perm]

    inits = [b.constant(0, (), s64), m, b.constant(1, lead, t), b.constant(0, lead, real), b.constant(1, lead, t)]
    m, det, log, phase, *perm = b.while_loop(inits + [row_index] * track_rows, condition, body)[1:]
    return m, det, log, phase, perm[0] if track_rows else None


def _pick(b, v, at, axis):
    """The element of each vector v (lead + [n], s64) where the one-hot mask `at` holds, as lead."""
    (out,) = reduce(b, [b.select(at, v, b.full_like(v, 0, s64))], [b.constant(0, (), s64)], (axis,),
                    lambda acc, x: [b.add(acc, x)])
    return out


def _inverse_transpose(a):
    """A^-T, as the solution of A^T X = I."""
    return solve(mT(a), alg.broadcast_to(eye(a), a.shape))


# ---- solve ----

def _infer_system(op):
    """The inference of a solver of a X = b: a (..., M, M) times the solution (..., M, K) is b (..., M, K)."""
    def infer(types, **attrs):
        a, b = types
        same_types(op, types)
        batch, m, _ = check_matrices(op, a, square=True)
        b_batch, rows, _ = check_matrices(op, b)
        if b_batch != batch or rows != m:
            raise NxShapeError(f"needs b of shape {list(batch) + [m]} + [K] for a {a}, got b {b}", op=op)
        return b
    return infer


def _vjp_solve(cotangents, operands, results):
    # X = A^-1 B: dX = A^-1 (dB - dA X).
    (g,), (a, _), (solution,) = cotangents, operands, results
    g_b = solve(mT(a), g)
    return [-(g_b @ mT(solution)), g_b]


@on_wide
def _lower_solve(b, args, t, node):
    a, rhs = args
    n = node.types[0].shape[-1]
    shape = b.shape(rhs)
    augmented = b.emit("stablehlo.concatenate", [a, rhs], b.tensor(shape[:-1] + [n + shape[-1]], t),
                       dimension=ir.IntegerAttr.get(ir.IntegerType.get_signless(64), len(shape) - 1))
    reduced, det, _, _, _ = _eliminate(b, augmented, n, t, jordan=True)
    rank = len(shape)
    solution = b.emit("stablehlo.slice", [reduced], b.tensor(shape, t), start_indices=ints([0] * (rank - 1) + [n]),
                      limit_indices=ints(shape[:-1] + [n + shape[-1]]), strides=ints([1] * rank))
    singular = b.compare_zero("EQ", det, t)
    singular = b.emit("stablehlo.broadcast_in_dim", [singular], b.tensor(shape, bool_),
                      broadcast_dimensions=ints(range(rank - 2)))
    return [b.select(singular, b.constant(np.nan, shape, t), solution)]


def _batch_solve(name):
    """With a batched, every operand batched (a factorization per example). With b alone, one factorization of a:
    the examples' right-hand sides become more columns of b, (N, ..., M, K) -> (..., M, N * K), and back."""
    def rule(operands, batched, **attrs):
        a, b = operands
        if batched[0]:
            return alg.apply(name, batching.all_batched(operands, batched), **attrs)
        n, k = b.shape[0], b.shape[-1]
        columns = alg.reshape(batching.move_axis(b, 0, b.ndim - 2), b.shape[1:-1] + (n * k,))
        x = alg.apply(name, [a, columns], **attrs)
        return batching.move_axis(alg.reshape(x, x.shape[:-1] + (n, k)), x.ndim - 1, 0)
    return rule


define("solve", 2, _infer_system("solve"), numpy=lapack("solve", np.linalg.solve), vjp=_vjp_solve, lower=_lower_solve,
       batch=_batch_solve("solve"))


# ---- triangular_solve: A X = B for triangular A, read from its lower triangle (upper when not `lower`) ----

def _numpy_triangular_solve(a, b, lower):
    return scipy.linalg.solve_triangular(a, b, lower=lower, check_finite=False)


def _vjp_triangular_solve(cotangents, operands, results, lower):
    # X = A^-1 B: dX = A^-1 (dB - dA X), dA within the triangle read.
    (g,), (a, _), (solution,) = cotangents, operands, results
    g_b = triangular_solve(mT(a), g, not lower)
    return [-triangle(g_b @ mT(solution), lower), g_b]


@on_wide
def _lower_triangular_solve(b, args, t, node):
    """Forward substitution (backward for an upper A): row i of X is row i of B, less what the rows solved before
    contribute, over a_ii; then the rows still to solve lose column i of A times it. A zero on the diagonal (a
    singular A) gives NaN, as solve does."""
    a, rhs = args
    lower = node.attrs["lower"]
    n = node.types[0].shape[-1]
    a_mat, x_mat = Matrices(b, b.shape(a), t), Matrices(b, b.shape(rhs), t)
    full = list(range(x_mat.rank))

    def condition(step, *_):
        return b.compare("LT", step, b.constant(n, (), s64), s64)

    def body(step, x, singular):
        i = step if lower else b.sub(b.constant(n - 1, (), s64), step)
        pivot = a_mat.element(a, i, i)
        singular = b.or_(singular, b.compare_zero("EQ", pivot, t))
        solved = b.div(x_mat.spread(x_mat.row(x, i), full), x_mat.lead_everywhere(pivot))
        i_full = x_mat.scalar_everywhere(i)
        later = b.compare("GT" if lower else "LT", x_mat.rows, i_full, s64)
        column = x_mat.spread(a_mat.column(a, i), full)
        x = b.select(b.compare("EQ", x_mat.rows, i_full, s64), solved,
                     b.select(later, b.sub(x, b.mul(column, solved)), x))
        return [b.add(step, b.constant(1, (), s64)), x, singular]

    inits = [b.constant(0, (), s64), rhs, b.constant(False, x_mat.lead, bool_)]
    _, x, singular = b.while_loop(inits, condition, body)
    return [b.select(x_mat.lead_everywhere(singular, x_mat.shape), b.constant(np.nan, x_mat.shape, t), x)]


define("triangular_solve", 2, _infer_system("triangular_solve"), attrs={"lower": "bool"},
       numpy=lapack("triangular_solve", per_matrix(_numpy_triangular_solve, "(m,m),(m,k)->(m,k)")),
       vjp=_vjp_triangular_solve, lower=_lower_triangular_solve, batch=_batch_solve("triangular_solve"))


# ---- det ----

def _infer_det(types):
    (x,) = types
    batch, _, _ = check_matrices("det", x, square=True)
    return TensorType(batch, x.type, x.names[:-2])


def _vjp_det(cotangents, operands, results):
    # d det = det tr(A^-1 dA). (Not finite at a singular matrix, where A^-1 is not.)
    (g,), (a,), (det,) = cotangents, operands, results
    return [as_column(as_column(g * det)) * _inverse_transpose(a)]


@on_wide
def _lower_det(b, args, t, node):
    n = node.types[0].shape[-1]
    return [_eliminate(b, args[0], n, t, jordan=False)[1]]


define("det", 1, _infer_det, numpy=lapack("det", np.linalg.det), vjp=_vjp_det, lower=_lower_det,
       batch=batching.mapped("det"))


# ---- slogdet: (sign, log|det|) ----

def _infer_slogdet(types):
    (x,) = types
    batch, _, _ = check_matrices("slogdet", x, square=True)
    return TensorType(batch, x.type, x.names[:-2]), TensorType(batch, x.type.real_type, x.names[:-2])


def _vjp_slogdet(cotangents, operands, results):
    # d log|det| = Re tr(A^-1 dA); for complex A, d sign = sign * i Im tr(A^-1 dA).
    (g_sign, g_log), (a,), (sign, _) = cotangents, operands, results
    scales = [] if g_log is None else [alg.as_type(g_log, a.type)]
    if a.type.is_complex and g_sign is not None:
        turn = alg.imag(g_sign * sign)
        scales.append(alg.complex(alg.zeros_like(turn), turn))
    if not scales:
        return [None]  # a real sign is piecewise constant
    return [as_column(as_column(sum(scales[1:], scales[0]))) * _inverse_transpose(a)]


@on_wide
def _lower_slogdet(b, args, t, node):
    n = node.types[0].shape[-1]
    _, _, log, phase, _ = _eliminate(b, args[0], n, t, jordan=False)
    return [phase, log]


define("slogdet", 1, _infer_slogdet, results=2, numpy=lapack("slogdet", lambda x: tuple(np.linalg.slogdet(x))),
       vjp=_vjp_slogdet, lower=_lower_slogdet, batch=batching.mapped("slogdet"))


# ---- lu: x = P L U ----

def _infer_lu(types):
    """P (a permutation matrix), L (unit lower triangular) and U (upper triangular), each of x's shape and type."""
    (x,) = types
    check_matrices("lu", x, square=True)
    return (with_shape(x, x.shape),) * 3


def _numpy_lu(x):
    return tuple(scipy.linalg.lu(x, check_finite=False))


def _vjp_lu(cotangents, operands, results):
    # The transpose of JAX's LU JVP: with F = L^-1 P^T dA U^-1, dL = L tril(F, -1) and dU = triu(F) U. P is
    # piecewise constant. (Not finite where U is singular.)
    (_, g_l, g_u), (p, lower, upper) = cotangents, results
    g_l, g_u = or_zeros(g_l, lower), or_zeros(g_u, upper)
    g_f = alg.tril(mT(lower) @ g_l, -1) + triangle(g_u @ mT(upper), lower=False)
    left = triangular_solve(mT(lower), g_f, lower=False)  # L^-T g_F
    return [p @ mT(triangular_solve(upper, mT(left), lower=False))]  # P L^-T g_F U^-T


@on_wide
def _lower_lu(b, args, t, node):
    (a,) = args
    n = node.types[0].shape[-1]
    packed, _, _, _, perm = _eliminate(b, a, n, t, jordan=False, track_rows=True)
    mat = Matrices(b, b.shape(a), t)
    ones, zeros = b.constant(1, mat.shape, t), b.constant(0, mat.shape, t)
    # Row r of x became row c of L U where perm[c] == r: P[r, c] = 1 there.
    perm_across = mat.spread(perm, list(range(len(mat.lead))) + [mat.rank - 1])
    p = b.select(b.compare("EQ", mat.rows, perm_across, s64), ones, zeros)
    below = b.compare("GT", mat.rows, mat.cols, s64)
    diagonal = b.compare("EQ", mat.rows, mat.cols, s64)
    lower = b.select(below, packed, b.select(diagonal, ones, zeros))
    return [p, lower, b.select(below, zeros, packed)]


define("lu", 1, _infer_lu, results=3, numpy=lapack("lu", per_matrix(_numpy_lu, "(m,m)->(m,m),(m,m),(m,m)")),
       vjp=_vjp_lu, lower=_lower_lu, batch=batching.mapped("lu"))


# ---- cholesky: the lower factor L of x = L L^H ----

def _infer_cholesky(types):
    (x,) = types
    check_matrices("cholesky", x, square=True)
    return x


def _vjp_cholesky(cotangents, operands, results):
    # dL = L phi(L^-1 dA L^-H), phi: the lower triangle with its diagonal halved.
    (g,), (factor,) = cotangents, results
    phi = alg.tril(mT(factor) @ g) * (1 - eye(factor) * 0.5)
    left = solve(mT(factor), phi)  # L^-T phi
    full = mT(solve(H(factor), mT(left)))  # L^-T phi conj(L)^-1
    return [lower_read(full)]


@on_wide
def _lower_cholesky(b, args, t, node):
    """Right-looking: column j is a[j:, j] / sqrt(a[j, j]); the trailing block loses its outer product (reading
    the lower triangle only, as NumPy does); the strict upper triangle is zeroed at the end."""
    (a,) = args
    n = node.types[0].shape[-1]
    mat = Matrices(b, b.shape(a), t)
    real = t.real_type
    full = list(range(mat.rank))

    def condition(j, _):
        return b.compare("LT", j, b.constant(n, (), s64), s64)

    def body(j, a):
        diagonal = mat.element(a, j, j)
        if t.is_complex:
            diagonal = convert(b, b.real(diagonal, t), real, t)
        root = b.unary("stablehlo.sqrt", diagonal)
        j_full = mat.scalar_everywhere(j)
        below = b.compare("GT", mat.rows, j_full, s64)
        column = mat.spread(mat.column(a, j), full)
        scaled = b.select(below, b.div(column, mat.lead_everywhere(root)), b.constant(0, mat.shape, t))
        transposed = b.emit("stablehlo.transpose", [scaled], scaled.type,
                            permutation=ints(list(range(mat.rank - 2)) + [mat.rank - 1, mat.rank - 2]))
        if t.is_complex:
            transposed = b.complex(b.real(transposed, t), b.unary("stablehlo.negate", b.imag(transposed, t)), t)
        # outer(scaled, conj(scaled)): column j of `scaled` against row j of its conjugate transpose
        outer = b.mul(mat.spread(mat.column(scaled, j), full), mat.spread(mat.row(transposed, j), full))
        a = b.sub(a, outer)
        on_column = b.and_(below, b.compare("EQ", mat.cols, j_full, s64))
        a = b.select(on_column, scaled, a)
        on_diagonal = b.and_(b.compare("EQ", mat.rows, j_full, s64), b.compare("EQ", mat.cols, j_full, s64))
        a = b.select(on_diagonal, mat.lead_everywhere(root), a)
        return [b.add(j, b.constant(1, (), s64)), a]

    _, a = b.while_loop([b.constant(0, (), s64), a], condition, body)
    upper = b.compare("GT", mat.cols, mat.rows, s64)
    return [b.select(upper, b.constant(0, mat.shape, t), a)]


define("cholesky", 1, _infer_cholesky, numpy=lapack("cholesky", np.linalg.cholesky), vjp=_vjp_cholesky,
       lower=_lower_cholesky, batch=batching.mapped("cholesky"))


# ---- qr ----

def _infer_qr(types, mode):
    (x,) = types
    batch, m, n = check_matrices("qr", x)
    if mode not in ("reduced", "complete"):
        raise NxValueError(f"mode must be 'reduced' or 'complete', got {mode!r}", op="qr")
    k = min(m, n) if mode == "reduced" else m
    return with_shape(x, batch + (m, k)), with_shape(x, batch + (k, n))


def _vjp_qr(cotangents, operands, results, mode):
    # The transpose of JAX's QR JVP (j-towns.github.io/papers/qr-derivative.pdf), defined where R is square.
    (g_q, g_r), (x,), (q, r) = cotangents, operands, results
    m, n = x.shape[-2:]
    if m < n or mode == "complete" and m != n:
        raise NxValueError(f"the gradient of qr is defined for matrices with at least as many rows as columns in "
                           f"'reduced' mode (or square ones), got {x.ttype} in {mode!r} mode", op="qr")
    g_q, g_r = or_zeros(g_q, q), or_zeros(g_r, r)
    e = mT(q) @ g_q - g_r @ mT(r)
    g_c = alg.tril(e, -1) - alg.tril(H(e), -1) - e
    if e.type.is_complex:
        g_c = g_c + eye(e) * (e - alg.as_type(alg.real(e), e.type))  # the diagonal's imaginary part
    y = g_q + conj(q) @ g_c
    return [mT(solve(r, mT(y)))]  # y R^-T, as the transpose of the solution of R Z = y^T


def _norm_below(b, mat, x, below, t):
    """The 2-norm (lead) of x's entries where `below` holds, scaled by the largest (as LAPACK's nrm2, no overflow)."""
    real = t.real_type
    size = b.select(below, mat.abs(x), b.constant(0, b.shape(x), real))
    (largest,) = reduce(b, [size], [b.constant(0, (), real)], (mat.rank - 2, mat.rank - 1),
                        lambda acc, v: [b.binary("stablehlo.maximum", acc, v)])
    safe = b.select(b.compare_zero("EQ", largest, real), b.constant(1, mat.lead, real), largest)
    scaled = b.div(size, mat.spread(safe, list(range(len(mat.lead))), b.shape(x)))
    (squares,) = reduce(b, [b.mul(scaled, scaled)], [b.constant(0, (), real)], (mat.rank - 2, mat.rank - 1),
                        lambda acc, v: [b.add(acc, v)])
    return b.mul(largest, b.unary("stablehlo.sqrt", squares))


def _hypot3(b, x, y, z, t):
    """sqrt(x^2 + y^2 + z^2) scaled by the largest magnitude (LAPACK's lapy3)."""
    magnitudes = [b.unary("stablehlo.abs", v) for v in (x, y, z)]
    largest = b.binary("stablehlo.maximum", b.binary("stablehlo.maximum", magnitudes[0], magnitudes[1]),
                       magnitudes[2])
    safe = b.select(b.compare_zero("EQ", largest, t), b.full_like(largest, 1, t), largest)
    total = None
    for value in magnitudes:
        ratio = b.div(value, safe)
        total = b.mul(ratio, ratio) if total is None else b.add(total, b.mul(ratio, ratio))
    return b.mul(largest, b.unary("stablehlo.sqrt", total))


def householder_qr(b, a, t):
    """(Q of shape lead + [m, m], R of shape lead + [m, n]) by Householder QR with LAPACK's reflectors (geqr2 with
    larfg: R's diagonal is -sign(a_ii) times the column's norm, a column already zero below is left alone), Q
    accumulated as H_0 H_1 ... (orgqr): NumPy's Q and R up to rounding, signs included."""
    *lead, m, n = b.shape(a)
    k = min(m, n)
    real = t.real_type
    mat = Matrices(b, b.shape(a), t)
    q_mat = Matrices(b, lead + [m, m], t)
    full = list(range(mat.rank))
    lead_dims = list(range(len(lead)))
    rows = mat.iota(lead + [m, 1], len(lead))
    identity = b.select(b.compare("EQ", q_mat.rows, q_mat.cols, s64), b.constant(1, lead + [m, m], t),
                        b.constant(0, lead + [m, m], t))

    def condition(i, a, q):
        return b.compare("LT", i, b.constant(k, (), s64), s64)

    def body(i, a, q):
        x = mat.column(a, i)  # lead + [m, 1]
        i_rows = mat.spread(i, [], lead + [m, 1])
        below = b.compare("GT", rows, i_rows, s64)
        at_i = b.compare("EQ", rows, i_rows, s64)
        alpha = mat.element(a, i, i)
        norm = _norm_below(b, mat, x, below, t)
        alpha_re = b.real(alpha, t) if t.is_complex else alpha
        alpha_im = b.imag(alpha, t) if t.is_complex else b.constant(0, lead, real)
        untouched = b.and_(b.compare_zero("EQ", norm, real), b.compare_zero("EQ", alpha_im, real))
        size = _hypot3(b, alpha_re, alpha_im, norm, real)
        beta = b.unary("stablehlo.negate", b.binary("math.copysign", size, alpha_re))
        safe_beta = b.select(untouched, b.constant(1, lead, real), beta)
        tau_re = b.div(b.sub(beta, alpha_re), safe_beta)
        if t.is_complex:
            tau = b.complex(tau_re, b.div(b.unary("stablehlo.negate", alpha_im), safe_beta), t)
        else:
            tau = tau_re
        tau = b.select(untouched, b.constant(0, lead, t), tau)
        gap = b.sub(alpha, convert(b, beta, real, t))
        scale = b.div(b.constant(1, lead, t), b.select(untouched, b.constant(1, lead, t), gap))
        v = b.select(below, b.mul(x, q_mat.spread(scale, lead_dims, lead + [m, 1])),
                     b.select(at_i, b.constant(1, lead + [m, 1], t), b.constant(0, lead + [m, 1], t)))
        v_h = conjugate(b, v, t)
        # A := (I - conj(tau) v v^H) A
        w = sum_over(b, b.mul(mat.spread(v_h, full), a), mat.rank - 2, t)  # lead + [1, n]
        tau_a = mat.lead_everywhere(conjugate(b, tau, t))
        a = b.sub(a, b.mul(tau_a, b.mul(mat.spread(v, full), mat.spread(w, full))))
        column_i = b.compare("EQ", mat.cols, mat.scalar_everywhere(i), s64)
        a = b.select(b.and_(column_i, b.compare("GT", mat.rows, mat.scalar_everywhere(i), s64)),
                     b.constant(0, mat.shape, t), a)
        beta_t = b.select(untouched, alpha, convert(b, beta, real, t))
        a = b.select(b.and_(column_i, b.compare("EQ", mat.rows, mat.scalar_everywhere(i), s64)),
                     mat.lead_everywhere(beta_t), a)
        # Q := Q (I - tau v v^H)
        v_row = b.emit("stablehlo.transpose", [v_h], b.tensor(lead + [1, m], t),
                       permutation=ints(lead_dims + [len(lead) + 1, len(lead)]))
        v_col_across = b.emit("stablehlo.transpose", [v], b.tensor(lead + [1, m], t),
                              permutation=ints(lead_dims + [len(lead) + 1, len(lead)]))
        u = sum_over(b, b.mul(q, q_mat.spread(v_col_across, list(range(len(lead) + 2)))), len(lead) + 1, t)
        q = b.sub(q, b.mul(q_mat.lead_everywhere(tau), b.mul(q_mat.spread(u, list(range(len(lead) + 2))),
                                                             q_mat.spread(v_row, list(range(len(lead) + 2))))))
        return [b.add(i, b.constant(1, (), s64)), a, q]

    _, r, q = b.while_loop([b.constant(0, (), s64), a, identity], condition, body)
    return q, b.select(b.compare("GT", mat.rows, mat.cols, s64), b.constant(0, mat.shape, t), r)


@on_wide
def _lower_qr(b, args, t, node):
    (a,) = args
    *lead, m, n = node.types[0].shape
    q, r = householder_qr(b, a, t)
    q_type, r_type = node.out
    q_cols, r_rows = q_type.shape[-1], r_type.shape[-2]
    rank = len(lead) + 2
    q = b.emit("stablehlo.slice", [q], b.tensor(lead + [m, q_cols], t), start_indices=ints([0] * rank),
               limit_indices=ints(lead + [m, q_cols]), strides=ints([1] * rank))
    r = b.emit("stablehlo.slice", [r], b.tensor(lead + [r_rows, n], t), start_indices=ints([0] * rank),
               limit_indices=ints(lead + [r_rows, n]), strides=ints([1] * rank))
    return [q, r]


define("qr", 1, _infer_qr, attrs={"mode": "str"}, results=2,
       numpy=lapack("qr", lambda x, mode: tuple(np.linalg.qr(x, mode=mode))), vjp=_vjp_qr, lower=_lower_qr,
       batch=batching.mapped("qr"))
