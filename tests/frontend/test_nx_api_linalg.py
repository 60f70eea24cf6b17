"""Nx.LinAlg's adjoint, triangular_solve, lu and least_squares in nx.linalg: Nx's documented examples (eagerly and in
one defn per compiler), SciPy/NumPy references, errors, the lowerings against the NumPy rules, and gradients."""
import numpy as np
import pytest
import scipy.linalg

import numerix as nx
from numerix.dialect import dtypes
from numerix.dialect.errors import NxShapeError, NxTypeError, NxValueError
from conftest import assert_close, sample
from lowering_cases import Case, compile_and_run, tensor_type

L = nx.linalg
TOL = {"f16": 2e-2, "f32": 1e-4, "f64": 1e-11, "c64": 1e-4, "c128": 1e-11}
COMPILERS = ["evaluator", "iree"]


def close(actual, expected, type, scale=1.0):
    t = nx.as_dtype(type)
    assert actual.type is t, f"{actual.type} is not {t}"
    assert_close(actual, np.asarray(expected).astype(t.np), type, rtol=TOL[t.name] * scale, atol=TOL[t.name] * scale)


def general(type, shape, seed=0):
    values = sample("f64", shape, seed=seed)
    if nx.as_dtype(type).is_complex:
        values = values + 1j * sample("f64", shape, seed=seed + 1)
    return values.astype(nx.as_dtype(type).np)


def triangular(type, shape, seed=0):
    """Well conditioned on both triangles (a dominant diagonal), with the other triangle's values still there."""
    return (general(type, shape, seed) + 6 * np.eye(shape[-1])).astype(nx.as_dtype(type).np)


# ---- adjoint ----

def test_adjoint_nx_examples():
    out = L.adjoint(nx.tensor([[1, 2], [3, 4]]))
    assert out.type is nx.s64
    np.testing.assert_array_equal(out.numpy(), [[1, 3], [2, 4]])
    out = L.adjoint(nx.tensor([[1, 2j], [3, -4j]], type=nx.c64))
    close(out, [[1, 3], [-2j, 4j]], "c64")


def test_adjoint_of_a_batch_and_of_vectors():
    x = general("c128", (2, 3, 4))
    close(L.adjoint(x), np.conj(np.swapaxes(x, -1, -2)), "c128")
    close(L.adjoint(x[0, 0]), np.conj(x[0, 0]), "c128")  # a vector is its own transpose
    out = nx.defn(lambda t: L.adjoint(t), compiler="iree")(x)
    close(out, np.conj(np.swapaxes(x, -1, -2)), "c128")


# ---- triangular_solve ----

# Nx's examples: (a, b, options, expected, Nx's printed type)
TRIANGULAR_EXAMPLES = [
    ([[3, 0, 0, 0], [2, 1, 0, 0], [1, 0, 1, 0], [1, 1, 1, 1]], [4, 2, 4, 2], {},
     [1.3333333730697632, -0.6666666865348816, 2.6666667461395264, -1.3333333730697632], "f32"),
    (np.array([[1, 0, 0], [1, 1, 0], [1, 1, 1]], np.float64), [1, 2, 1], {}, [1.0, 1.0, -1.0], "f64"),
    ([[1, 0, 0], [1, 1, 0], [0, 1, 1]], [[1, 2, 3], [2, 2, 4], [2, 0, 1]], {},
     [[1.0, 2.0, 3.0], [1.0, 0.0, 1.0], [1.0, 0.0, 0.0]], "f32"),
    ([[1, 1, 1, 1], [0, 1, 0, 1], [0, 0, 1, 2], [0, 0, 0, 3]], [2, 4, 2, 4], {"lower": False},
     [-1.3333333730697632, 2.6666667461395264, -0.6666666865348816, 1.3333333730697632], "f32"),
    ([[1, 0, 0], [1, 1, 0], [1, 2, 1]], [[0, 2, 1], [1, 1, 0], [3, 3, 1]], {"left_side": False},
     [[-1.0, 0.0, 1.0], [0.0, 1.0, 0.0], [1.0, 1.0, 1.0]], "f32"),
    (np.array([[1, 1, 1], [0, 1, 1], [0, 0, 1]], np.float64), [1, 2, 1], {"transform_a": "transpose", "lower": False},
     [1.0, 1.0, -1.0], "f64"),
    (np.array([[1, 0, 0], [1, 1, 0], [1, 1, 1]], np.float64), [1, 2, 1], {"transform_a": "none"},
     [1.0, 1.0, -1.0], "f64"),
    ([[1, 0, 0], [1, 1, 0], [1, 2, 1]], [[0, 1, 3], [2, 1, 3]], {"left_side": False},
     [[2.0, -5.0, 3.0], [4.0, -5.0, 3.0]], "f32"),
    ([[1, 0, 0], [1, 1, 0], [1, 2, 1]], [[0, 2], [3, 0], [0, 0]], {"left_side": True},
     [[0.0, 2.0], [3.0, -2.0], [-6.0, 2.0]], "f32"),
    (np.array([[1, 0, 0], [1, 1j, 0], [1j, 1, 1]], np.complex64), np.array([1, -1, 3 + 3j], np.complex64), {},
     [1, 2j, 3], "c64"),
    ([[[1, 0], [2, 3]], [[4, 0], [5, 6]]], [[2, -1], [3, 7]], {},
     [[2.0, -1.6666666269302368], [0.75, 0.5416666865348816]], "f32"),
]


def test_triangular_solve_nx_examples_eagerly():
    for a, b, options, expected, type in TRIANGULAR_EXAMPLES:
        close(L.triangular_solve(nx.tensor(a), nx.tensor(b), **options), expected, type)


@pytest.mark.parametrize("compiler", COMPILERS)
def test_triangular_solve_nx_examples_in_one_defn(compiler):
    arguments = [(nx.tensor(a), nx.tensor(b)) for a, b, _, _, _ in TRIANGULAR_EXAMPLES]

    def all_examples(arguments):
        return [L.triangular_solve(a, b, **options) for (a, b), (_, _, options, _, _) in
                zip(arguments, TRIANGULAR_EXAMPLES)]
    for out, (_, _, _, expected, type) in zip(nx.defn(all_examples, compiler=compiler)(arguments),
                                               TRIANGULAR_EXAMPLES):
        close(out, expected, type)


def _reference_triangular_solve(a, b, lower, left_side, transform_a, vectors):
    """SciPy's trsm semantics spelled out: the triangle of a, op(a), then the side."""
    t = np.tril(a) if lower else np.triu(a)
    t = {"none": t, "transpose": np.swapaxes(t, -1, -2), "conjugate": np.conj(np.swapaxes(t, -1, -2))}[transform_a]
    if vectors:
        column = b[..., None]
        return (np.linalg.solve(t, column) if left_side else np.linalg.solve(np.swapaxes(t, -1, -2), column))[..., 0]
    if left_side:
        return np.linalg.solve(t, b)
    return np.swapaxes(np.linalg.solve(np.swapaxes(t, -1, -2), np.swapaxes(b, -1, -2)), -1, -2)


OPTION_GRID = [(lower, left_side, transform_a) for lower in (True, False) for left_side in (True, False)
               for transform_a in ("none", "transpose", "conjugate")]


@pytest.mark.parametrize("type", ["f32", "f64", "c64", "c128"])
def test_triangular_solve_every_option_reads_one_triangle(type):
    a = triangular(type, (2, 4, 4))
    for lower, left_side, transform_a in OPTION_GRID:
        b = general(type, (2, 4, 3) if left_side else (2, 3, 4), seed=5)
        options = dict(lower=lower, left_side=left_side, transform_a=transform_a)
        expected = _reference_triangular_solve(a, b, lower, left_side, transform_a, vectors=False)
        close(L.triangular_solve(a, b, **options), expected, type, scale=10)
        vector = general(type, (2, 4), seed=6)
        expected = _reference_triangular_solve(a, vector, lower, left_side, transform_a, vectors=True)
        close(L.triangular_solve(a, vector, **options), expected, type, scale=10)


@pytest.mark.parametrize("compiler", COMPILERS)
def test_triangular_solve_every_option_in_one_defn(compiler):
    a, b, vector = triangular("c128", (2, 4, 4)), general("c128", (2, 4, 4), seed=5), general("c128", (2, 4), seed=6)

    def all_options(a, b, vector):
        return [(L.triangular_solve(a, b, lower=lower, left_side=left, transform_a=transform),
                 L.triangular_solve(a, vector, lower=lower, left_side=left, transform_a=transform))
                for lower, left, transform in OPTION_GRID]
    outs = nx.defn(all_options, compiler=compiler)(a, b, vector)
    for (matrix_out, vector_out), (lower, left, transform) in zip(outs, OPTION_GRID):
        close(matrix_out, _reference_triangular_solve(a, b, lower, left, transform, False), "c128", scale=10)
        close(vector_out, _reference_triangular_solve(a, vector, lower, left, transform, True), "c128", scale=10)


def test_triangular_solve_types_and_broadcasting():
    a = np.array([[2, 0], [1, 4]])
    out = L.triangular_solve(a, np.array([[2, 4], [3, 8]]))  # integers: the default float
    close(out, np.linalg.solve(a, [[2, 4], [3, 8]]), "f32")
    half = L.triangular_solve(a.astype(np.float16), np.ones(2, np.float16))
    close(half, np.linalg.solve(a, np.ones(2)), "f16")
    batch_a = triangular("f64", (3, 1, 4, 4))  # batch axes broadcast
    b = general("f64", (1, 2, 4, 2), seed=2)
    close(L.triangular_solve(batch_a, b), np.linalg.solve(np.tril(batch_a), b), "f64")


def test_triangular_solve_errors():
    with pytest.raises(NxValueError, match="square") as info:
        L.triangular_solve(nx.tensor([[3, 0, 0, 0], [2, 1, 0, 0]]), nx.tensor([4, 2, 4, 2]))
    assert info.value.op == "triangular_solve"
    with pytest.raises(NxValueError, match=r"needs b of shape \(\.\.\., 4\)"):
        L.triangular_solve(np.eye(4), nx.tensor([4]))
    with pytest.raises(NxValueError, match=r"\(\.\.\., K, 3\)"):
        L.triangular_solve(np.eye(3), np.ones((3, 2)), left_side=False)
    with pytest.raises(NxValueError, match="[Ss]ingular") as info:
        L.triangular_solve(nx.tensor([[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [1, 1, 1, 1]]), nx.tensor([4, 2, 4, 2]))
    assert info.value.op == "triangular_solve"
    with pytest.raises(NxValueError, match="transform_a must be 'none', 'transpose' or 'conjugate', got 'other'"):
        L.triangular_solve(np.eye(3), np.ones(3), transform_a="other")
    with pytest.raises(NxTypeError, match="lower must be True or False"):
        L.triangular_solve(np.eye(3), np.ones(3), lower=1)
    with pytest.raises(NxShapeError, match="do not broadcast"):
        L.triangular_solve(np.ones((2, 3, 3)), np.ones((4, 3, 1)))


def test_triangular_solve_of_a_singular_matrix_is_nan_when_compiled():
    a = np.array([[1.0, 0.0], [2.0, 0.0]])
    out = nx.defn(lambda a, b: L.triangular_solve(a, b), compiler="iree")(a, np.ones(2))
    assert np.isnan(out.numpy()).all()


# ---- lu ----

def _check_lu(x, p, lower, upper, type, p_type):
    assert p.type is nx.as_dtype(p_type) and lower.type is nx.as_dtype(type) and upper.type is nx.as_dtype(type)
    p_want, l_want, u_want = scipy.linalg.lu(np.asarray(x).astype(nx.as_dtype(type).np))
    np.testing.assert_array_equal(p.numpy(), p_want.astype(p.type.np))
    close(lower, l_want, type, scale=10)
    close(upper, u_want, type, scale=10)
    rebuilt = p.numpy().astype(np.complex128) @ lower.numpy() @ upper.numpy()
    np.testing.assert_allclose(rebuilt, x, atol=TOL[type] * 10 * np.abs(x).max())


def test_lu_nx_example_with_the_same_pivots():
    p, lower, upper = L.lu(nx.tensor([[1, 0, 1], [-1, 0, -1], [1, 1, 1]]))
    np.testing.assert_array_equal(p.numpy(), [[1, 0, 0], [0, 0, 1], [0, 1, 0]])
    assert p.type is nx.s64  # the input's type, as Nx's P
    close(lower, [[1.0, 0.0, 0.0], [1.0, 1.0, 0.0], [-1.0, 0.0, 1.0]], "f32")
    close(upper, [[1.0, 0.0, 1.0], [0.0, 1.0, 0.0], [0.0, 0.0, 0.0]], "f32")


def test_lu_nx_examples_pivot_at_every_step():
    # Nx's binary backend picks all its pivots from the original matrix before eliminating, so for these it
    # documents other factors ([[1, 2, 3], [4, 5, 6], [7, 8, 9]]: P swaps rows 0 and 2 only); numerix pivots at
    # each step as LAPACK's getrf (and EXLA) do. Both rebuild x.
    first = np.array([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
    _check_lu(first, *L.lu(first), "f32", "s64")
    batch = np.array([[[9, 8, 7], [6, 5, 4], [3, 2, 1]], [[-1, 0, -1], [1, 0, 1], [1, 1, 1]]])
    p, lower, upper = L.lu(batch)
    for i in range(2):
        _check_lu(batch[i], p[i], lower[i], upper[i], "f32", "s64")
    np.testing.assert_array_equal(p.numpy()[1], [[1, 0, 0], [0, 0, 1], [0, 1, 0]])


@pytest.mark.parametrize("type", ["f32", "f64", "c64", "c128"])
def test_lu_matches_scipy(type):
    x = general(type, (2, 5, 5), seed=4)
    p, lower, upper = L.lu(x)
    for i in range(2):
        _check_lu(x[i], p[i], lower[i], upper[i], type, type)


@pytest.mark.parametrize("compiler", COMPILERS)
def test_lu_in_defn(compiler):
    examples = [np.array([[1, 2, 3], [4, 5, 6], [7, 8, 9]], np.float32),
                np.array([[[9, 8, 7], [6, 5, 4], [3, 2, 1]], [[-1, 0, -1], [1, 0, 1], [1, 1, 1]]], np.float32),
                general("c128", (3, 4, 4)), np.zeros((2, 2))]
    outs = nx.defn(lambda xs: [L.lu(x) for x in xs], compiler=compiler)(examples)
    for x, (p, lower, upper) in zip(examples, outs):
        type = nx.as_dtype(x.dtype).name
        for want, got in zip(scipy.linalg.lu(x), (p, lower, upper)):
            close(got, want, type, scale=10)


def test_lu_errors():
    with pytest.raises(NxValueError, match="square") as info:
        L.lu(nx.tensor([[1, 1, 1, 1], [-1, 4, 4, -1], [4, -2, 2, 0]]))
    assert info.value.op == "lu"
    with pytest.raises(NxValueError, match="rank >= 2"):
        L.lu(nx.tensor([1, 2]))


# ---- least_squares ----

LEAST_SQUARES_EXAMPLES = [  # Nx's examples, with the values its binary backend prints (its f32 SVD is inexact)
    ([[1, 2], [2, 3]], [1, 2], [0.9977624416351318, 0.0011188983917236328]),
    ([[0, 1], [1, 1], [2, 1], [3, 1]], [-1, 0.2, 0.9, 2.1], [0.9966151118278503, -0.947966456413269]),
    ([[1, 2, 3], [4, 5, 6]], [1, 2], [-0.05534052848815918, 0.1111316829919815, 0.27760395407676697]),
]


@pytest.mark.parametrize("compiler", [None, *COMPILERS])
def test_least_squares_nx_examples(compiler):
    arguments = [(nx.tensor(a), nx.tensor(b)) for a, b, _ in LEAST_SQUARES_EXAMPLES]

    def all_examples(arguments):
        return [L.least_squares(a, b) for a, b in arguments]
    outs = all_examples(arguments) if compiler is None else nx.defn(all_examples, compiler=compiler)(arguments)
    for out, (a, b, nx_printed) in zip(outs, LEAST_SQUARES_EXAMPLES):
        close(out, np.linalg.lstsq(np.array(a, float), np.array(b, float))[0], "f32", scale=10)
        np.testing.assert_allclose(out.numpy(), nx_printed, atol=5e-3)


def test_least_squares_batches_matrices_and_eps():
    a, b = general("f64", (2, 5, 3)), general("f64", (2, 5, 2), seed=1)
    close(L.least_squares(a, b), np.linalg.pinv(a) @ b, "f64")
    close(L.least_squares(a[0], b[0, :, 0]), np.linalg.lstsq(a[0], b[0, :, 0])[0], "f64")
    # eps is absolute: the singular value 1e-3 counts as zero under eps=1e-2, not under the default
    close(L.least_squares(np.diag([1.0, 1e-3]), np.ones(2), eps=1e-2), [1.0, 0.0], "f64")
    close(L.least_squares(np.diag([1.0, 1e-3]), np.ones(2)), [1.0, 1e3], "f64")
    complex_a, complex_b = general("c128", (4, 3)), general("c128", (4,), seed=2)
    close(L.least_squares(complex_a, complex_b), np.linalg.lstsq(complex_a, complex_b)[0], "c128")


def test_least_squares_errors():
    with pytest.raises(NxValueError, match="rank >= 2") as info:
        L.least_squares(nx.tensor([1, 2, 3]), nx.tensor([1, 2]))
    assert info.value.op == "least_squares"
    with pytest.raises(NxValueError, match=r"needs b of shape \(\.\.\., 2\) or \(\.\.\., 2, K\)"):
        L.least_squares(nx.tensor([[1, 2], [2, 3]]), nx.tensor([1, 2, 3]))
    with pytest.raises(NxValueError, match="eps must be a number >= 0"):
        L.least_squares(np.eye(2), np.ones(2), eps=-1.0)


# ---- the lowerings against the NumPy rules ----

@pytest.mark.parametrize("type_name", ["f32", "f64", "c64", "c128", "f16"])
def test_lowerings_match_numpy(type_name):
    dtype = dtypes.TYPES[type_name]
    ties = np.array([[1, 0, 1], [-1, 0, -1], [1, 1, 1]])  # equal pivot candidates, then a zero column
    arrays = [triangular(type_name, (2, 5, 5)), general(type_name, (2, 5, 3), seed=1),
              general(type_name, (3, 4, 4), seed=2), ties.astype(dtype.np), np.zeros((2, 2), dtype.np)]
    specs = [("triangular_solve", [0, 1], {"lower": True}), ("triangular_solve", [0, 1], {"lower": False}),
             ("lu", [2], {}), ("lu", [3], {}), ("lu", [4], {}), ("lu", [0], {})]
    arg_types = [tensor_type(a) for a in arrays]
    cases = [Case(name, operands, attrs, arg_types) for name, operands, attrs in specs]
    rtol = {"f16": 1e-2, "f32": 1e-4, "c64": 1e-4}.get(type_name, 1e-10)
    for case, got in zip(cases, compile_and_run(arg_types, cases, arrays)):
        for g, w in zip(got, case.reference(arrays)):
            assert g.dtype == w.dtype and g.shape == w.shape, case.label
            np.testing.assert_allclose(g, w, rtol=rtol, atol=rtol * np.abs(w).max(),
                                       err_msg=case.label)


def test_det_and_solve_unchanged_by_the_lu_bookkeeping():
    # lu shares det's and solve's elimination loop; their compiled results still match LAPACK's.
    x, b = general("f64", (2, 4, 4), seed=7), general("f64", (2, 4, 2), seed=8)
    det, solution = nx.defn(lambda x, b: (L.det(x), L.solve(x, b)), compiler="iree")(x, b)
    close(det, np.linalg.det(x), "f64")
    close(solution, np.linalg.solve(x, b), "f64")


# ---- gradients ----

@pytest.mark.parametrize("compiler", COMPILERS)
def test_gradients(compiler):
    a, b, x = triangular("f64", (2, 3, 3)), general("f64", (2, 3, 2), seed=1), general("f64", (3, 3), seed=3)

    def every_option(a, b):
        return [L.triangular_solve(a, b if left else nx.matrix_transpose(b), lower=lower, left_side=left,
                                   transform_a=transform) for lower, left, transform in OPTION_GRID]
    nx.testing.check_grads(every_option, [a, b], compiler=compiler)
    nx.testing.check_grads(lambda x: L.lu(x)[1:], [x], compiler=compiler)
    nx.testing.check_grads(lambda a, b: L.least_squares(a, b), [general("f64", (4, 3), seed=4),
                                                               general("f64", (4,), seed=5)], compiler=compiler)
    nx.testing.check_grads(lambda a: L.adjoint(a), [general("c128", (2, 3))], compiler=compiler)


def test_complex_gradients():
    a, b = triangular("c128", (3, 3)), general("c128", (3, 2), seed=1)
    nx.testing.check_grads(lambda a, b: [L.triangular_solve(a, b, transform_a=t) for t in ("none", "conjugate")],
                           [a, b], compiler="evaluator")
    nx.testing.check_grads(lambda x: L.lu(x)[1:], [general("c128", (3, 3), seed=2)], compiler="evaluator")
