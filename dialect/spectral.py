"""The spectral decompositions eigh (a Hermitian matrix's eigenvalues and eigenvectors) and svd (the singular value
decomposition), each op's schema, NumPy rule, VJP and lowering. They act on the last two axes (dialect/matrices.py).

NumPy rules call LAPACK. The VJP rules are the transposes of the JVPs JAX uses, under JAX's pairing of cotangents
with tangents (Re(sum(c * t)), no conjugation); eigh reads only the lower triangle of its operand (as LAPACK does), so
the upper triangle gets no gradient and each element below the diagonal stands for itself and its mirror.

StableHLO has no eigensolver IREE compiles, so the lowerings are Jacobi iterations (stablehlo.while loops of O(n^2)
updates over the (batched) matrices): cyclic Jacobi for eigh, one-sided Jacobi for svd. f16 and bf16 are computed in
f32 and rounded once, as the NumPy rules do."""
import numpy as np
from iree.compiler import ir

from . import algebra as alg, batching
from .dtypes import bool_, s64
from .errors import NxValueError
from .factorize import householder_qr
from .ir import ints
from .lower_convert import convert
from .lower_matrices import Matrices, conjugate, on_wide, sum_over
from .lower_reduction import reduce, sort
from .matrices import H, as_column, as_row, check_matrices, conj, eye, lapack, lower_read, mT, or_zeros, with_shape
from .rules import define


# ---- matrices of Terms for the VJP rules ----

def _diag(v, type):
    """Diagonal matrices from the vectors v (..., n), in `type`."""
    v = alg.as_type(v, type)
    return as_row(v) * alg.eye(v, v.shape[-1], type)


def _diagonal(m):
    return alg.sum(m * eye(m), axes=(-1,))


def _reciprocal_differences(values, type):
    """F_ij = 1 / (values_j - values_i) off the diagonal, 0 on it (equal values give inf, as in JAX)."""
    on_diagonal = alg.eye(values, values.shape[-1], values.type) == 1
    differences = as_row(values) - as_column(values)
    return alg.as_type(alg.select(on_diagonal, 0.0, 1 / alg.select(on_diagonal, 1.0, differences)), type)


# ---- Jacobi rotations, eigh's and svd's lowering ----

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
        conj_phase = conjugate(b, phase, t)
    else:
        phase = conj_phase = b.constant(1, lead, t)
    return c, s, phase, conj_phase, tangent, off, zero


# ---- eigh: (eigenvalues ascending, eigenvectors); reads the lower triangle ----

def _infer_eigh(types):
    (x,) = types
    batch, m, _ = check_matrices("eigh", x, square=True)
    return with_shape(x, batch + (m,), x.type.real_type), x


def _vjp_eigh(cotangents, operands, results):
    # dw = Re diag(V^H dA V), dV = V (F * (V^H dA V)) with F the reciprocal eigenvalue differences.
    (g_values, g_vectors), (values, vectors) = cotangents, results
    inner = alg.zeros_like(vectors)
    if g_values is not None:
        inner = inner + _diag(g_values, vectors.type)
    if g_vectors is not None:
        inner = inner + _reciprocal_differences(values, vectors.type) * (mT(vectors) @ g_vectors)
    return [lower_read(conj(vectors) @ inner @ mT(vectors))]


@on_wide
def _lower_eigh(b, args, t, node):
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
    a = b.select(strict_lower, a, b.select(diagonal, real_diagonal, conjugate(b, transposed, t)))
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


define("eigh", 1, _infer_eigh, results=2, numpy=lapack("eigh", lambda x: tuple(np.linalg.eigh(x, UPLO="L"))),
       vjp=_vjp_eigh, lower=_lower_eigh, batch=batching.mapped("eigh"))


# ---- svd: (U, S descending, Vh) ----

def _infer_svd(types, full_matrices):
    (x,) = types
    batch, m, n = check_matrices("svd", x)
    k = min(m, n)
    u, vh = ((m, m), (n, n)) if full_matrices else ((m, k), (k, n))
    return with_shape(x, batch + u), with_shape(x, batch + (k,), x.type.real_type), with_shape(x, batch + vh)


def _vjp_svd(cotangents, operands, results, full_matrices):
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
    v = H(vh)
    g_u, g_v = or_zeros(g_u, u), H(or_zeros(g_vh, vh))
    s_row, s_column = as_row(alg.as_type(s, type)), as_column(alg.as_type(s, type))
    s_inverse = alg.as_type(alg.select(s == 0, 0.0, 1 / alg.select(s == 0, 1.0, s)), type)
    f = _reciprocal_differences(s * s, type)
    u_g = mT(u) @ g_u
    z_u = f * u_g
    z_v = f * (mT(v) @ g_v)
    g_k = z_u * s_row + H(s_column * z_u) + s_column * z_v + H(z_v * s_row)
    if g_s is not None:
        g_k = g_k + _diag(g_s, type)
    if type.is_complex:
        g_k = g_k + _diag(alg.complex(alg.zeros_like(s), alg.imag(_diagonal(u_g)) * alg.real(s_inverse)), type)
    g_x = conj(u) @ g_k @ mT(v)
    if m > k:
        g_x = g_x + ((g_u - conj(u) @ u_g) * as_row(s_inverse)) @ mT(v)
    if n > k:
        g_x = g_x + H(((g_v - conj(v) @ (mT(v) @ g_v)) * as_row(s_inverse)) @ mT(u))
    return [g_x]


def _swap_last(b, x, t, conjugated):
    """x with its last two axes swapped, conjugated when asked (the conjugate transpose)."""
    shape = b.shape(x)
    rank = len(shape)
    out = b.emit("stablehlo.transpose", [x], b.tensor(shape[:-2] + [shape[-1], shape[-2]], t),
                 permutation=ints(list(range(rank - 2)) + [rank - 1, rank - 2]))
    return conjugate(b, out, t) if conjugated else out


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
        total = sum_over(b, b.mul(conjugate(b, x, t), y), mat.rank - 2, t)
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
        gram = b.emit("stablehlo.dot_general", [conjugate(b, w, t), w], b.tensor(square.shape, t),
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
    squares = b.real(b.mul(conjugate(b, w, t), w), t) if t.is_complex else b.mul(w, w)
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


@on_wide
def _lower_svd(b, args, t, node):
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


define("svd", 1, _infer_svd, attrs={"full_matrices": "bool"}, results=3,
       numpy=lapack("svd", lambda x, full_matrices: tuple(np.linalg.svd(x, full_matrices=full_matrices))),
       vjp=_vjp_svd, lower=_lower_svd, batch=batching.mapped("svd"))
