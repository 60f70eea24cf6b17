"""Lowerings of the linear algebra nx ops (dialect/linalg.py). dot is stablehlo.dot_general. StableHLO has no
solver ops IREE compiles, so the factorizations are loops (stablehlo.while) of O(n^2) masked updates over the
(batched) matrices: solve, det and slogdet eliminate with partial pivoting as LAPACK's getrf does (the largest
|re| + |im| in the column, the first one on ties), cholesky is the right-looking Cholesky. f16 and bf16 are computed
in f32 and rounded once, as the NumPy rules do.

Where NumPy raises LinAlgError (a singular matrix for solve, a matrix that is not positive definite for
cholesky), compiled code cannot raise: it gives NaN. det of a singular matrix is 0 and slogdet gives (0, -inf),
as NumPy does."""
import numpy as np
from iree.compiler import ir

from numerix.dtypes import bf16, bool_, f16, f32, s64

from .lower_convert import convert
from .lower_reduction import arg_extreme, reduce
from .lowering import lowers


def _ints(values):
    return ir.DenseI64ArrayAttr.get([int(v) for v in values])


def _wide(dtype):
    return f32 if dtype in (f16, bf16) else dtype


@lowers("dot")
def _dot(b, node):
    a, c = node.args
    dtype = node.types[0].type
    wide = _wide(dtype)
    attrs = node.attrs
    numbers = ir.Attribute.parse(
        f"#stablehlo.dot<lhs_batching_dimensions = {list(attrs['batch_axes_a'])}, "
        f"rhs_batching_dimensions = {list(attrs['batch_axes_b'])}, "
        f"lhs_contracting_dimensions = {list(attrs['contract_axes_a'])}, "
        f"rhs_contracting_dimensions = {list(attrs['contract_axes_b'])}>")
    out = node.out[0]
    product = b.emit("stablehlo.dot_general", [convert(b, a, dtype, wide), convert(b, c, dtype, wide)],
                     b.tensor(out.shape, wide), dot_dimension_numbers=numbers)
    return convert(b, product, wide, dtype)


class _Matrices:
    """Helpers over a batch of matrices of shape lead + [n, w] and type t."""

    def __init__(self, b, shape, t):
        self.b, self.shape, self.t = b, list(shape), t
        self.lead = self.shape[:-2]
        self.rank = len(self.shape)
        self.rows = self.iota(self.shape, self.rank - 2)
        self.cols = self.iota(self.shape, self.rank - 1)
        self.zero = b.constant(0, (), s64)

    def iota(self, shape, axis):
        return self.b.emit("stablehlo.iota", [], self.b.tensor(shape, s64),
                           iota_dimension=ir.IntegerAttr.get(ir.IntegerType.get_signless(64), axis))

    def spread(self, value, dims, shape=None):
        """value broadcast to `shape` (the full shape by default), its axes landing on `dims`."""
        shape = self.shape if shape is None else shape
        return self.b.emit("stablehlo.broadcast_in_dim", [value],
                           ir.RankedTensorType.get(shape, ir.RankedTensorType(value.type).element_type),
                           broadcast_dimensions=_ints(dims))

    def scalar_everywhere(self, scalar):
        return self.spread(scalar, [])

    def lead_everywhere(self, value, shape=None):
        return self.spread(value, list(range(len(self.lead))), shape)

    def column(self, m, j):
        """Column j (a 0-d s64) of m as lead + [n, 1]."""
        return self.b.dynamic_slice(m, [self.zero] * (self.rank - 1) + [j], self.lead + [self.shape[-2], 1])

    def row(self, m, i):
        return self.b.dynamic_slice(m, [self.zero] * (self.rank - 2) + [i, self.zero], self.lead + [1, self.shape[-1]])

    def element(self, m, i, j):
        """m[..., i, j] as lead."""
        out = self.b.dynamic_slice(m, [self.zero] * (self.rank - 2) + [i, j], self.lead + [1, 1])
        return self.b.emit("stablehlo.reshape", [out], self.b.tensor(self.lead, self.t))

    def magnitude(self, x):
        """|x| for reals, |re| + |im| for complex numbers (LAPACK's pivot measure)."""
        b, t = self.b, self.t
        if not t.is_complex:
            return b.unary("stablehlo.abs", x)
        return b.add(b.unary("stablehlo.abs", b.real(x, t)), b.unary("stablehlo.abs", b.imag(x, t)))

    def abs(self, x):
        b, t = self.b, self.t
        return b.unary("stablehlo.abs", x, b.like(x, t.real_type)) if t.is_complex else b.unary("stablehlo.abs", x)


def _eliminate(b, m, n, t, jordan):
    """Elimination with partial pivoting of the matrices m (lead + [n, w]): LU (getrf's arithmetic: rows below
    the pivot lose a_ri / pivot times the pivot row), or Gauss-Jordan on an augmented matrix (every other row, the
    pivot row normalized; the last w - n columns then solve the system). Returns the eliminated m, det, log|det| and
    the phase of det (its sign)."""
    mat = _Matrices(b, b.shape(m), t)
    real = t.real_type
    lead = mat.lead
    row_index = mat.iota(lead + [n], len(lead))

    def condition(i, *_):
        return b.compare("LT", i, b.constant(n, (), s64), s64)

    def body(i, m, det, log, phase):
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
        det = b.select(swapped, b.unary("stablehlo.negate", det), det)
        phase = b.select(swapped, b.unary("stablehlo.negate", phase), phase)
        size = mat.abs(pivot)
        zero_pivot = b.compare_zero("EQ", size, real)
        det = b.mul(det, pivot)
        log = b.add(log, b.unary("stablehlo.log", size))
        unit = b.div(pivot, convert(b, b.select(zero_pivot, b.constant(1, lead, real), size), real, t))
        phase = b.select(zero_pivot, b.constant(0, lead, t), b.mul(phase, unit))
        safe = mat.lead_everywhere(b.select(zero_pivot, b.constant(1, lead, t), pivot))  # a zero pivot: no NaN
        eliminated = b.compare("NE" if jordan else "GT", mat.rows, i_full, s64)
        pivot_row = mat.spread(mat.row(m, i), full_rows)
        column = mat.spread(mat.column(m, i), full_rows)
        if jordan:
            pivot_row = b.div(pivot_row, safe)
            factors = column
        else:
            factors = b.div(column, safe)
        m = b.sub(m, b.mul(b.select(eliminated, factors, b.constant(0, mat.shape, t)), pivot_row))
        if jordan:
            m = b.select(b.compare("EQ", mat.rows, i_full, s64), pivot_row, m)
        return [b.add(i, b.constant(1, (), s64)), m, det, log, phase]

    inits = [b.constant(0, (), s64), m, b.constant(1, lead, t), b.constant(0, lead, real), b.constant(1, lead, t)]
    return b.while_loop(inits, condition, body)[1:]


def _linalg(fn):
    """Computes f16/bf16 in f32 and rounds the results once."""
    def lower(b, node):
        dtype = node.types[0].type
        wide = _wide(dtype)
        results = fn(b, [convert(b, a, t.type, wide) for a, t in zip(node.args, node.types)], wide, node)
        return [convert(b, r, _wide(o.type), o.type) for r, o in zip(results, node.out)]
    return lower


@lowers("solve")
@_linalg
def _solve(b, args, t, node):
    a, rhs = args
    n = node.types[0].shape[-1]
    shape = b.shape(rhs)
    augmented = b.emit("stablehlo.concatenate", [a, rhs], b.tensor(shape[:-1] + [n + shape[-1]], t),
                       dimension=ir.IntegerAttr.get(ir.IntegerType.get_signless(64), len(shape) - 1))
    reduced, det, _, _ = _eliminate(b, augmented, n, t, jordan=True)
    rank = len(shape)
    solution = b.emit("stablehlo.slice", [reduced], b.tensor(shape, t), start_indices=_ints([0] * (rank - 1) + [n]),
                      limit_indices=_ints(shape[:-1] + [n + shape[-1]]), strides=_ints([1] * rank))
    singular = b.compare_zero("EQ", det, t)
    singular = b.emit("stablehlo.broadcast_in_dim", [singular], b.tensor(shape, bool_),
                      broadcast_dimensions=_ints(range(rank - 2)))
    return [b.select(singular, b.constant(np.nan, shape, t), solution)]


@lowers("det")
@_linalg
def _det(b, args, t, node):
    n = node.types[0].shape[-1]
    return [_eliminate(b, args[0], n, t, jordan=False)[1]]


@lowers("slogdet")
@_linalg
def _slogdet(b, args, t, node):
    n = node.types[0].shape[-1]
    _, _, log, phase = _eliminate(b, args[0], n, t, jordan=False)
    return [phase, log]


@lowers("cholesky")
@_linalg
def _cholesky(b, args, t, node):
    """Right-looking: column j is a[j:, j] / sqrt(a[j, j]); the trailing block loses its outer product (reading
    the lower triangle only, as NumPy does); the strict upper triangle is zeroed at the end."""
    (a,) = args
    n = node.types[0].shape[-1]
    mat = _Matrices(b, b.shape(a), t)
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
                            permutation=_ints(list(range(mat.rank - 2)) + [mat.rank - 1, mat.rank - 2]))
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


def _conj(b, x, t):
    return b.complex(b.real(x, t), b.unary("stablehlo.negate", b.imag(x, t)), t) if t.is_complex else x


def _sum_over(b, x, axis, t):
    """x summed over `axis`, kept as a size-1 axis."""
    shape = b.shape(x)
    (out,) = reduce(b, [x], [b.constant(0, (), t)], (axis,), lambda acc, v: [b.add(acc, v)])
    kept = list(shape)
    kept[axis] = 1
    return b.emit("stablehlo.reshape", [out], b.tensor(kept, t))


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


@lowers("qr")
@_linalg
def _qr(b, args, t, node):
    (a,) = args
    *lead, m, n = node.types[0].shape
    q, r = householder_qr(b, a, t)
    q_type, r_type = node.out
    q_cols, r_rows = q_type.shape[-1], r_type.shape[-2]
    rank = len(lead) + 2
    q = b.emit("stablehlo.slice", [q], b.tensor(lead + [m, q_cols], t), start_indices=_ints([0] * rank),
               limit_indices=_ints(lead + [m, q_cols]), strides=_ints([1] * rank))
    r = b.emit("stablehlo.slice", [r], b.tensor(lead + [r_rows, n], t), start_indices=_ints([0] * rank),
               limit_indices=_ints(lead + [r_rows, n]), strides=_ints([1] * rank))
    return [q, r]


def householder_qr(b, a, t):
    """(Q of shape lead + [m, m], R of shape lead + [m, n]) by Householder QR with LAPACK's reflectors (geqr2 with
    larfg: R's diagonal is -sign(a_ii) times the column's norm, a column already zero below is left alone), Q
    accumulated as H_0 H_1 ... (orgqr): NumPy's Q and R up to rounding, signs included."""
    *lead, m, n = b.shape(a)
    k = min(m, n)
    real = t.real_type
    mat = _Matrices(b, b.shape(a), t)
    q_mat = _Matrices(b, lead + [m, m], t)
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
        v_h = _conj(b, v, t)
        # A := (I - conj(tau) v v^H) A
        w = _sum_over(b, b.mul(mat.spread(v_h, full), a), mat.rank - 2, t)  # lead + [1, n]
        tau_a = mat.lead_everywhere(_conj(b, tau, t))
        a = b.sub(a, b.mul(tau_a, b.mul(mat.spread(v, full), mat.spread(w, full))))
        column_i = b.compare("EQ", mat.cols, mat.scalar_everywhere(i), s64)
        a = b.select(b.and_(column_i, b.compare("GT", mat.rows, mat.scalar_everywhere(i), s64)),
                     b.constant(0, mat.shape, t), a)
        beta_t = b.select(untouched, alpha, convert(b, beta, real, t))
        a = b.select(b.and_(column_i, b.compare("EQ", mat.rows, mat.scalar_everywhere(i), s64)),
                     mat.lead_everywhere(beta_t), a)
        # Q := Q (I - tau v v^H)
        v_row = b.emit("stablehlo.transpose", [v_h], b.tensor(lead + [1, m], t),
                       permutation=_ints(lead_dims + [len(lead) + 1, len(lead)]))
        v_col_across = b.emit("stablehlo.transpose", [v], b.tensor(lead + [1, m], t),
                              permutation=_ints(lead_dims + [len(lead) + 1, len(lead)]))
        u = _sum_over(b, b.mul(q, q_mat.spread(v_col_across, list(range(len(lead) + 2)))), len(lead) + 1, t)
        q = b.sub(q, b.mul(q_mat.lead_everywhere(tau), b.mul(q_mat.spread(u, list(range(len(lead) + 2))),
                                                             q_mat.spread(v_row, list(range(len(lead) + 2))))))
        return [b.add(i, b.constant(1, (), s64)), a, q]

    _, r, q = b.while_loop([b.constant(0, (), s64), a, identity], condition, body)
    return q, b.select(b.compare("GT", mat.rows, mat.cols, s64), b.constant(0, mat.shape, t), r)


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


def _set_line(b, m, line, index, axis, sizes):
    """m with the row (axis -2) or column (axis -1) `index` replaced by `line`."""
    zero = b.constant(0, (), s64)
    starts = [zero] * (len(sizes) - 2) + ([index, zero] if axis == -2 else [zero, index])
    return b.emit("stablehlo.dynamic_update_slice", [m, line, *starts], m.type)


def _rotate(b, mat, m, p, q, c, s, phase, axis):
    """Lines p and q of m (rows for axis -2, columns for -1) become c l_p - s phase l_q and s l_p + c phase l_q;
    c, s and phase have the batch's shape."""
    take = mat.row if axis == -2 else mat.column
    lp, lq = take(m, p), take(m, q)
    shape = b.shape(lp)
    dims = list(range(len(mat.lead)))

    def spread(v):
        return mat.spread(v, dims, shape)
    lq = b.mul(spread(phase), lq)
    new_p = b.sub(b.mul(spread(c), lp), b.mul(spread(s), lq))
    new_q = b.add(b.mul(spread(s), lp), b.mul(spread(c), lq))
    m = _set_line(b, m, new_p, p, axis, mat.shape)
    return _set_line(b, m, new_q, q, axis, mat.shape)


_JACOBI_SWEEPS = 40


@lowers("eigh")
@_linalg
def _eigh(b, args, t, node):
    """Cyclic Jacobi on the Hermitian matrix the lower triangle gives (NumPy's UPLO="L"): each (p, q) rotation,
    made real by the phase of a_pq for complex matrices, zeroes a_pq; sweeps repeat until the off-diagonal part is
    below eps times the matrix's norm. Eigenvalues ascending with their vectors; a vector's sign (phase) is not
    LAPACK's."""
    (a,) = args
    *lead, n, _ = node.types[0].shape
    real = t.real_type
    mat = _Matrices(b, b.shape(a), t)
    lead_dims = list(range(len(lead)))
    strict_lower = b.compare("GT", mat.rows, mat.cols, s64)
    transposed = b.emit("stablehlo.transpose", [a], a.type, permutation=_ints(lead_dims + [len(lead) + 1, len(lead)]))
    diagonal = b.compare("EQ", mat.rows, mat.cols, s64)
    real_diagonal = convert(b, b.real(a, t), real, t) if t.is_complex else a
    a = b.select(strict_lower, a, b.select(diagonal, real_diagonal, _conj(b, transposed, t)))
    identity = b.select(diagonal, b.constant(1, mat.shape, t), b.constant(0, mat.shape, t))
    pairs = np.array([(p, q) for p in range(n) for q in range(p + 1, n)] or [(0, 0)], np.int64)
    pair_table = b.array(pairs, s64)
    eps = float(np.finfo(real.np).eps)

    def off_diagonal(m):
        size = b.select(diagonal, b.constant(0, mat.shape, real), mat.abs(m))
        (total,) = reduce(b, [b.mul(size, size)], [b.constant(0, (), real)], tuple(range(mat.rank)),
                          lambda acc, v: [b.add(acc, v)])
        return total

    (scale,) = reduce(b, [b.mul(mat.abs(a), mat.abs(a))], [b.constant(0, (), real)], tuple(range(mat.rank)),
                      lambda acc, v: [b.add(acc, v)])
    threshold = b.mul(scale, b.constant(eps * eps, (), real))

    def rotation(k, m, v):
        p = b.emit("stablehlo.reshape", [b.dynamic_slice(pair_table, [k, b.constant(0, (), s64)], [1, 1])],
                   b.tensor((), s64))
        q = b.emit("stablehlo.reshape", [b.dynamic_slice(pair_table, [k, b.constant(1, (), s64)], [1, 1])],
                   b.tensor((), s64))
        apq, app, aqq = mat.element(m, p, q), mat.element(m, p, p), mat.element(m, q, q)
        size = mat.abs(apq)
        zero = b.compare_zero("EQ", size, real)
        # The rotation is computed for the real off-diagonal `off`: a_pq itself, or |a_pq| once the complex phase
        # e^{i phi} of a_pq is rotated out.
        off = size if t.is_complex else apq
        safe = b.select(zero, b.constant(1, lead, real), off)
        app_re = b.real(app, t) if t.is_complex else app
        aqq_re = b.real(aqq, t) if t.is_complex else aqq
        one = b.constant(1, lead, real)
        theta = b.div(b.sub(aqq_re, app_re), b.mul(b.constant(2, lead, real), safe))
        tangent = b.div(b.binary("math.copysign", one, theta),
                        b.add(b.unary("stablehlo.abs", theta), b.unary("stablehlo.sqrt", b.add(b.mul(theta, theta), one))))
        tangent = b.select(zero, b.constant(0, lead, real), tangent)
        cosine = b.div(one, b.unary("stablehlo.sqrt", b.add(b.mul(tangent, tangent), one)))
        c, s = convert(b, cosine, real, t), convert(b, b.mul(tangent, cosine), real, t)
        if t.is_complex:
            phase = b.select(zero, b.constant(1, lead, t), b.div(apq, convert(b, safe, real, t)))
            conj_phase = _conj(b, phase, t)
        else:
            phase = conj_phase = b.constant(1, lead, t)
        # A := J^H A J and V := V J, J = [[c, s], [-s conj(e), c conj(e)]] on lines p and q (e = e^{i phi})
        m = _rotate(b, mat, m, p, q, c, s, conj_phase, -1)
        m = _rotate(b, mat, m, p, q, c, s, phase, -2)
        v = _rotate(b, mat, v, p, q, c, s, conj_phase, -1)
        # exact values where the rotation aimed: a_pq = a_qp = 0, the new diagonal
        new_pp = convert(b, b.sub(app_re, b.mul(tangent, off)), real, t)
        new_qq = convert(b, b.add(aqq_re, b.mul(tangent, off)), real, t)
        zero_t = b.constant(0, lead, t)
        for (i, j), value in (((p, q), zero_t), ((q, p), zero_t), ((p, p), new_pp), ((q, q), new_qq)):
            value = b.select(zero, mat.element(m, i, j), value)
            m = b.emit("stablehlo.dynamic_update_slice",
                       [m, mat.spread(value, lead_dims, lead + [1, 1])] + [b.constant(0, (), s64)] * len(lead) + [i, j],
                       m.type)
        return m, v

    def sweep_condition(sweep, m, v):
        more = b.compare("LT", sweep, b.constant(_JACOBI_SWEEPS, (), s64), s64)
        return b.and_(more, b.compare("GT", off_diagonal(m), threshold, real))

    def sweep_body(sweep, m, v):
        def pair_condition(k, m, v):
            return b.compare("LT", k, b.constant(len(pairs) if n > 1 else 0, (), s64), s64)

        def pair_body(k, m, v):
            m, v = rotation(k, m, v)
            return [b.add(k, b.constant(1, (), s64)), m, v]
        _, m, v = b.while_loop([b.constant(0, (), s64), m, v], pair_condition, pair_body)
        return [b.add(sweep, b.constant(1, (), s64)), m, v]

    _, a, vectors = b.while_loop([b.constant(0, (), s64), a, identity], sweep_condition, sweep_body)
    values = b.emit("stablehlo.reshape", [_sum_over(b, b.select(diagonal, a, b.constant(0, mat.shape, t)),
                                                      mat.rank - 1, t)], b.tensor(lead + [n], t))
    if t.is_complex:
        values = b.real(values, t)
    from .lower_reduction import sort
    values, order = sort(b, values, real, len(lead), descending=False)
    # columns of `vectors` in that order: vectors @ P with P[i, j] = (i == order[j])
    chosen = b.compare("EQ", mat.rows, mat.spread(order, lead_dims + [mat.rank - 1]), s64)
    permutation = b.select(chosen, b.constant(1, mat.shape, t), b.constant(0, mat.shape, t))
    numbers = ir.Attribute.parse(f"#stablehlo.dot<lhs_batching_dimensions = {lead_dims}, "
                                 f"rhs_batching_dimensions = {lead_dims}, "
                                 f"lhs_contracting_dimensions = [{mat.rank - 1}], "
                                 f"rhs_contracting_dimensions = [{mat.rank - 2}]>")
    vectors = b.emit("stablehlo.dot_general", [vectors, permutation], vectors.type, dot_dimension_numbers=numbers)
    return [values, vectors]
