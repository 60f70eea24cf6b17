"""Lowerings of the matrix factorizations without a direct algorithm in StableHLO: qr (Householder, LAPACK's
reflectors), eigh (cyclic Jacobi) and svd (one-sided Jacobi), as stablehlo.while loops of O(n^2) updates over the
(batched) matrices; the helpers are lower_linalg.py's. f16 and bf16 are computed in f32 and rounded once."""
import numpy as np
from iree.compiler import ir

from numerix.dialect.dtypes import bool_, s64

from .lower_convert import convert
from .lower_linalg import Matrices, conj, ints, on_wide, sum_over
from .lower_reduction import reduce, sort
from .lowering import lowers


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
@on_wide
def _qr(b, args, t, node):
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
        v_h = conj(b, v, t)
        # A := (I - conj(tau) v v^H) A
        w = sum_over(b, b.mul(mat.spread(v_h, full), a), mat.rank - 2, t)  # lead + [1, n]
        tau_a = mat.lead_everywhere(conj(b, tau, t))
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


def _jacobi_sweeps(b, state, n, rotate, unfinished):
    """Cyclic Jacobi: sweeps over the pairs p < q of n lines, rotate(p, q, *state) -> state for each pair, while
    unfinished(*state) (an i1 scalar) holds and fewer than _JACOBI_SWEEPS sweeps have run. Returns the state."""
    pairs = np.array([(p, q) for p in range(n) for q in range(p + 1, n)] or [(0, 0)], np.int64)
    table = b.array(pairs, s64)
    count = len(pairs) if n > 1 else 0

    def line(k, column):
        index = b.dynamic_slice(table, [k, b.constant(column, (), s64)], [1, 1])
        return b.emit("stablehlo.reshape", [index], b.tensor((), s64))

    def sweep_condition(sweep, *state):
        more = b.compare("LT", sweep, b.constant(_JACOBI_SWEEPS, (), s64), s64)
        return b.and_(more, unfinished(*state))

    def sweep_body(sweep, *state):
        def pair_condition(k, *_):
            return b.compare("LT", k, b.constant(count, (), s64), s64)

        def pair_body(k, *state):
            return [b.add(k, b.constant(1, (), s64)), *rotate(line(k, 0), line(k, 1), *state)]
        state = b.while_loop([b.constant(0, (), s64), *state], pair_condition, pair_body)[1:]
        return [b.add(sweep, b.constant(1, (), s64)), *state]
    return b.while_loop([b.constant(0, (), s64), *state], sweep_condition, sweep_body)[1:]


def _jacobi_rotation(b, apq, app, aqq, t, lead, size, skip=None):
    """The rotation that zeroes a_pq of the Hermitian 2 x 2 matrix [[app, apq], [conj(apq), aqq]] (app and aqq
    real): c, s, the phase e = apq / |apq| and its conjugate (1 for reals), tan, the real off-diagonal it was
    computed for (apq itself for reals, |apq| for complex numbers) and where no rotation is needed (apq == 0, or
    `skip`)."""
    real = t.real_type
    zero = b.compare_zero("EQ", size, real)
    if skip is not None:
        zero = b.or_(zero, skip)
    off = size if t.is_complex else apq
    safe = b.select(zero, b.constant(1, lead, real), off)
    one = b.constant(1, lead, real)
    theta = b.div(b.sub(aqq, app), b.mul(b.constant(2, lead, real), safe))
    tangent = b.div(b.binary("math.copysign", one, theta),
                    b.add(b.unary("stablehlo.abs", theta), b.unary("stablehlo.sqrt", b.add(b.mul(theta, theta), one))))
    tangent = b.select(zero, b.constant(0, lead, real), tangent)
    cosine = b.div(one, b.unary("stablehlo.sqrt", b.add(b.mul(tangent, tangent), one)))
    c, s = convert(b, cosine, real, t), convert(b, b.mul(tangent, cosine), real, t)
    if t.is_complex:
        phase = b.select(zero, b.constant(1, lead, t), b.div(apq, convert(b, safe, real, t)))
        conj_phase = conj(b, phase, t)
    else:
        phase = conj_phase = b.constant(1, lead, t)
    return c, s, phase, conj_phase, tangent, off, zero


@lowers("eigh")
@on_wide
def _eigh(b, args, t, node):
    """Cyclic Jacobi on the Hermitian matrix the lower triangle gives (NumPy's UPLO="L"): each (p, q) rotation,
    made real by the phase of a_pq for complex matrices, zeroes a_pq; sweeps repeat until the off-diagonal part is
    below eps times the matrix's norm. Eigenvalues ascending with their vectors; a vector's sign (phase) is not
    LAPACK's."""
    (a,) = args
    *lead, n, _ = node.types[0].shape
    real = t.real_type
    mat = Matrices(b, b.shape(a), t)
    lead_dims = list(range(len(lead)))
    strict_lower = b.compare("GT", mat.rows, mat.cols, s64)
    transposed = b.emit("stablehlo.transpose", [a], a.type, permutation=ints(lead_dims + [len(lead) + 1, len(lead)]))
    diagonal = b.compare("EQ", mat.rows, mat.cols, s64)
    real_diagonal = convert(b, b.real(a, t), real, t) if t.is_complex else a
    a = b.select(strict_lower, a, b.select(diagonal, real_diagonal, conj(b, transposed, t)))
    identity = b.select(diagonal, b.constant(1, mat.shape, t), b.constant(0, mat.shape, t))
    eps = float(np.finfo(real.np).eps)

    def off_diagonal(m):
        size = b.select(diagonal, b.constant(0, mat.shape, real), mat.abs(m))
        (total,) = reduce(b, [b.mul(size, size)], [b.constant(0, (), real)], tuple(range(mat.rank)),
                          lambda acc, v: [b.add(acc, v)])
        return total

    (scale,) = reduce(b, [b.mul(mat.abs(a), mat.abs(a))], [b.constant(0, (), real)], tuple(range(mat.rank)),
                      lambda acc, v: [b.add(acc, v)])
    threshold = b.mul(scale, b.constant(eps * eps, (), real))

    def rotation(p, q, m, v):
        apq, app, aqq = mat.element(m, p, q), mat.element(m, p, p), mat.element(m, q, q)
        app_re = b.real(app, t) if t.is_complex else app
        aqq_re = b.real(aqq, t) if t.is_complex else aqq
        c, s, phase, conj_phase, tangent, off, zero = _jacobi_rotation(b, apq, app_re, aqq_re, t, lead,
                                                                       mat.abs(apq))
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

    a, vectors = _jacobi_sweeps(b, [a, identity], n, rotation,
                                lambda m, v: b.compare("GT", off_diagonal(m), threshold, real))
    values = b.emit("stablehlo.reshape", [sum_over(b, b.select(diagonal, a, b.constant(0, mat.shape, t)),
                                                      mat.rank - 1, t)], b.tensor(lead + [n], t))
    if t.is_complex:
        values = b.real(values, t)
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


def _swap_last(b, x, t, conjugate):
    """x with its last two axes swapped, conjugated when asked (the conjugate transpose)."""
    shape = b.shape(x)
    rank = len(shape)
    out = b.emit("stablehlo.transpose", [x], b.tensor(shape[:-2] + [shape[-1], shape[-2]], t),
                 permutation=ints(list(range(rank - 2)) + [rank - 1, rank - 2]))
    return conj(b, out, t) if conjugate else out


def _permute_columns(b, x, order, t):
    """x's columns in `order` (lead + [k] indices): x @ P with P[i, j] = (i == order[j])."""
    shape = b.shape(x)
    lead, k = shape[:-2], shape[-1]
    rank = len(shape)
    square = lead + [k, k]
    rows = b.emit("stablehlo.iota", [], b.tensor(square, s64),
                  iota_dimension=ir.IntegerAttr.get(ir.IntegerType.get_signless(64), rank - 2))
    chosen = b.compare("EQ", rows, b.emit("stablehlo.broadcast_in_dim", [order], b.tensor(square, s64),
                                          broadcast_dimensions=ints(list(range(len(lead))) + [rank - 1])), s64)
    permutation = b.select(chosen, b.constant(1, square, t), b.constant(0, square, t))
    lead_dims = list(range(len(lead)))
    numbers = ir.Attribute.parse(f"#stablehlo.dot<lhs_batching_dimensions = {lead_dims}, "
                                 f"rhs_batching_dimensions = {lead_dims}, lhs_contracting_dimensions = [{rank - 1}], "
                                 f"rhs_contracting_dimensions = [{rank - 2}]>")
    return b.emit("stablehlo.dot_general", [x, permutation], x.type, dot_dimension_numbers=numbers)


def _one_sided_jacobi(b, w, t):
    """For tall w (lead + [m, n], m >= n): (U lead + [m, n], S lead + [n] descending, V lead + [n, n]) with
    w = U diag(S) V^H, by Hestenes' one-sided Jacobi: column pairs are rotated until orthogonal to working
    precision (|w_p^H w_q| <= eps sqrt(|w_p|^2 |w_q|^2)), which keeps small singular values accurate too."""
    *lead, m, n = b.shape(w)
    real = t.real_type
    mat = Matrices(b, b.shape(w), t)
    square = Matrices(b, lead + [n, n], t)
    lead_dims = list(range(len(lead)))
    eps = float(np.finfo(real.np).eps)
    identity = b.select(b.compare("EQ", square.rows, square.cols, s64), b.constant(1, square.shape, t),
                        b.constant(0, square.shape, t))

    def column_dot(x, y):
        """sum over rows of conj(x) * y, for columns x, y (lead + [m, 1]) -> lead."""
        total = sum_over(b, b.mul(conj(b, x, t), y), mat.rank - 2, t)
        return b.emit("stablehlo.reshape", [total], b.tensor(lead, t))

    def rotation(p, q, w, v):
        wp, wq = mat.column(w, p), mat.column(w, q)
        gamma = column_dot(wp, wq)
        alpha, beta = (b.real(column_dot(c, c), t) if t.is_complex else column_dot(c, c) for c in (wp, wq))
        size = square.abs(gamma)
        orthogonal = b.compare("LE", size, b.mul(b.constant(eps, lead, real),
                                                 b.unary("stablehlo.sqrt", b.mul(alpha, beta))), real)
        c, s, _, conj_phase, _, _, _ = _jacobi_rotation(b, gamma, alpha, beta, t, lead, size, skip=orthogonal)
        return [_rotate(b, mat, w, p, q, c, s, conj_phase, -1), _rotate(b, square, v, p, q, c, s, conj_phase, -1)]

    def unfinished(w, v):
        numbers = ir.Attribute.parse(f"#stablehlo.dot<lhs_batching_dimensions = {lead_dims}, "
                                     f"rhs_batching_dimensions = {lead_dims}, "
                                     f"lhs_contracting_dimensions = [{mat.rank - 2}], "
                                     f"rhs_contracting_dimensions = [{mat.rank - 2}]>")
        gram = b.emit("stablehlo.dot_general", [conj(b, w, t), w], b.tensor(square.shape, t),
                      dot_dimension_numbers=numbers)
        sizes = square.abs(gram)
        diagonal = b.compare("EQ", square.rows, square.cols, s64)
        norms = sum_over(b, b.select(diagonal, sizes, b.constant(0, square.shape, real)), mat.rank - 1, real)
        root = b.unary("stablehlo.sqrt", norms)  # lead + [n, 1]
        outer = b.mul(square.spread(root, list(range(mat.rank))),
                      square.spread(_swap_last(b, root, real, False), list(range(mat.rank))))
        worst = b.select(diagonal, b.constant(0, square.shape, real), b.sub(sizes, b.mul(
            b.constant(eps * n, square.shape, real), outer)))
        (largest,) = reduce(b, [worst], [b.constant(-np.inf, (), real)], tuple(range(mat.rank)),
                            lambda acc, x: [b.binary("stablehlo.maximum", acc, x)])
        return b.compare_zero("GT", largest, real)

    w, v = _jacobi_sweeps(b, [w, identity], n, rotation, unfinished)
    squares = b.real(b.mul(conj(b, w, t), w), t) if t.is_complex else b.mul(w, w)
    norms = b.unary("stablehlo.sqrt", b.emit("stablehlo.reshape", [sum_over(b, squares, mat.rank - 2, real)],
                                              b.tensor(lead + [n], real)))
    zero = b.compare_zero("EQ", norms, real)
    safe = b.select(zero, b.constant(1, lead + [n], real), norms)
    u = b.div(w, mat.spread(convert(b, safe, real, t), lead_dims + [mat.rank - 1]))
    values, order = sort(b, norms, real, len(lead), descending=True)
    u = _unit_columns_for_zeros(b, _permute_columns(b, u, order, t), values, t)
    return u, values, _permute_columns(b, v, order, t)


def _unit_columns_for_zeros(b, u, values, t):
    """u (lead + [m, n]) whose columns for zero singular values (the last ones, `values` descending) are zero, with
    those columns replaced by the Householder Q's columns there: orthonormal and orthogonal to the columns before
    them. The QR runs only when some value is zero."""
    *lead, m, n = b.shape(u)
    rank = len(lead) + 2
    real = t.real_type
    zero = b.compare_zero("EQ", values, real)
    (any_zero,) = reduce(b, [zero], [b.constant(False, (), bool_)], tuple(range(rank - 1)),
                         lambda acc, x: [b.or_(acc, x)])

    def completed():
        q, _ = householder_qr(b, u, t)
        q = b.emit("stablehlo.slice", [q], u.type, start_indices=ints([0] * rank), limit_indices=ints(lead + [m, n]),
                   strides=ints([1] * rank))
        columns = b.emit("stablehlo.broadcast_in_dim", [zero], b.tensor(lead + [m, n], bool_),
                         broadcast_dimensions=ints(list(range(len(lead))) + [rank - 1]))
        return [b.select(columns, q, u)]
    return b.if_(any_zero, completed, lambda: [u], [u.type])[0]


def _completed(b, u, t):
    """A tall u (lead + [m, k], orthonormal columns) with m - k orthonormal columns appended: those of the
    Householder Q of u beyond its first k."""
    *lead, m, k = b.shape(u)
    q, _ = householder_qr(b, u, t)
    rank = len(lead) + 2
    rest = b.emit("stablehlo.slice", [q], b.tensor(lead + [m, m - k], t), start_indices=ints([0] * (rank - 1) + [k]),
                  limit_indices=ints(lead + [m, m]), strides=ints([1] * rank))
    return b.emit("stablehlo.concatenate", [u, rest], b.tensor(lead + [m, m], t),
                  dimension=ir.IntegerAttr.get(ir.IntegerType.get_signless(64), rank - 1))


@lowers("svd")
@on_wide
def _svd(b, args, t, node):
    """One-sided Jacobi on the matrix (its conjugate transpose when it is wide); singular values descending. The
    singular vectors' signs (phases) are not LAPACK's; those of a zero singular value complete an orthonormal
    basis, as LAPACK's do."""
    (a,) = args
    *lead, m, n = node.types[0].shape
    wide = m < n
    u, values, v = _one_sided_jacobi(b, _swap_last(b, a, t, True) if wide else a, t)
    if wide:
        u, v = v, u
    if node.attrs["full_matrices"] and m != n:
        if wide:
            v = _completed(b, v, t)
        else:
            u = _completed(b, u, t)
    return [u, values, _swap_last(b, v, t, True)]
