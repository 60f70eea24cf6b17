"""numerix.linalg and numerix.fft against NumPy, with tolerances by type; result types, named tuples, errors."""
import numpy as np
import pytest

import numerix as nx
from conftest import assert_close, sample

LAPACK_TYPES = ["f32", "f64", "c64", "c128"]
# Factorizations round differently from NumPy only through composites; a few hundred ulps of the type cover them.
TOL = {"f16": 2e-2, "bf16": 1e-1, "f32": 1e-4, "f64": 1e-11, "c64": 1e-4, "c128": 1e-11}


def close(actual, expected, type, scale=1.0):
    t = nx.as_dtype(type)
    assert actual.type is t, f"{actual.type} is not {t}"
    assert_close(actual, np.asarray(expected).astype(t.np), type, rtol=TOL[t.name] * scale, atol=TOL[t.name] * scale)


def matrices(type, shape, seed=0):
    """Well-conditioned (diagonally dominant) matrices."""
    x = sample(type, shape, seed=seed).astype(np.complex128 if nx.as_dtype(type).is_complex else np.float64)
    return (x + shape[-1] * 3 * np.eye(shape[-1], shape[-2]).T).astype(nx.as_dtype(type).np)


def hermitian_pd(type, shape, seed=0):
    x = sample(type, shape, seed=seed).astype(np.complex128 if nx.as_dtype(type).is_complex else np.float64)
    h = x @ np.conj(np.swapaxes(x, -1, -2)) + shape[-1] * np.eye(shape[-1])
    return h.astype(nx.as_dtype(type).np)


def real_of(type):
    return nx.as_dtype(type).real_type.name


def test_the_extensions_are_submodules():
    import numerix.fft
    import numerix.linalg
    assert nx.linalg is numerix.linalg and nx.fft is numerix.fft
    assert callable(nx.linalg.cholesky) and callable(nx.fft.rfft)
    # The standard's aliases are the main namespace's functions themselves.
    for name in ("matmul", "matrix_transpose", "tensordot", "vecdot"):
        assert getattr(nx.linalg, name) is getattr(nx, name)


# ---- factorizations ----

@pytest.mark.parametrize("type", LAPACK_TYPES)
@pytest.mark.parametrize("shape", [(3, 3), (2, 4, 4)])
def test_cholesky_lower_and_upper(type, shape):
    a = hermitian_pd(type, shape)
    close(nx.linalg.cholesky(a), np.linalg.cholesky(a), type)
    close(nx.linalg.cholesky(a, upper=True), np.linalg.cholesky(a, upper=True), type)


@pytest.mark.parametrize("type", LAPACK_TYPES)
def test_eigh_and_eigvalsh(type):
    a = hermitian_pd(type, (2, 4, 4))
    result = nx.linalg.eigh(a)
    assert result._fields == ("eigenvalues", "eigenvectors")
    w, v = result
    close(w, np.linalg.eigvalsh(a), real_of(type), scale=10)
    assert v.type is nx.as_dtype(type)
    vn = v.numpy()
    rebuilt = vn @ (w.numpy()[..., None] * np.conj(np.swapaxes(vn, -1, -2)))
    close(nx.tensor(rebuilt), a, type, scale=100)
    close(nx.linalg.eigvalsh(a), np.linalg.eigvalsh(a), real_of(type), scale=10)


@pytest.mark.parametrize("type", LAPACK_TYPES)
@pytest.mark.parametrize("shape", [(5, 3), (3, 5), (2, 4, 4)])
@pytest.mark.parametrize("mode", ["reduced", "complete"])
def test_qr_rebuilds_x(type, shape, mode):
    a = sample(type, shape, seed=3)
    result = nx.linalg.qr(a, mode=mode)
    assert result._fields == ("Q", "R")
    q_np, r_np = np.linalg.qr(a, mode=mode)
    assert result.Q.shape == q_np.shape and result.R.shape == r_np.shape
    close(result.Q, q_np, type, scale=10)
    close(result.R, r_np, type, scale=10)


@pytest.mark.parametrize("type", LAPACK_TYPES)
@pytest.mark.parametrize("shape", [(5, 3), (3, 5), (2, 3, 3)])
@pytest.mark.parametrize("full", [True, False])
def test_svd_and_svdvals(type, shape, full):
    a = sample(type, shape, seed=4)
    u, s, vh = nx.linalg.svd(a, full_matrices=full)
    u_np, s_np, vh_np = np.linalg.svd(a, full_matrices=full)
    assert (u.shape, s.shape, vh.shape) == (u_np.shape, s_np.shape, vh_np.shape)
    close(s, s_np, real_of(type), scale=10)
    k = s_np.shape[-1]
    rebuilt = (u.numpy()[..., :k] * s.numpy()[..., None, :]) @ vh.numpy()[..., :k, :]
    close(nx.tensor(rebuilt), a, type, scale=100)
    close(nx.linalg.svdvals(a), s_np, real_of(type), scale=10)
    assert nx.linalg.svd(a)._fields == ("U", "S", "Vh")


@pytest.mark.parametrize("type", LAPACK_TYPES)
def test_det_slogdet_inv(type):
    a = matrices(type, (2, 3, 3))
    close(nx.linalg.det(a), np.linalg.det(a), type, scale=10)
    sign, logabsdet = nx.linalg.slogdet(a)
    sign_np, log_np = np.linalg.slogdet(a)
    close(sign, sign_np, type, scale=10)
    close(logabsdet, log_np, real_of(type), scale=10)
    assert nx.linalg.slogdet(a)._fields == ("sign", "logabsdet")
    close(nx.linalg.inv(a), np.linalg.inv(a), type, scale=10)


def test_slogdet_of_a_singular_matrix():
    sign, logabsdet = nx.linalg.slogdet(np.zeros((2, 2)))
    assert sign.tolist() == 0.0 and logabsdet.tolist() == -np.inf


@pytest.mark.parametrize("type", LAPACK_TYPES)
@pytest.mark.parametrize("shape_a, shape_b", [((3, 3), (3,)), ((3, 3), (3, 2)), ((2, 3, 3), (3,)),
                                              ((2, 3, 3), (3, 4)), ((3, 3), (5, 3, 1)), ((1, 3, 3), (4, 3, 2))])
def test_solve_broadcasts_and_takes_vectors(type, shape_a, shape_b):
    a, b = matrices(type, shape_a, seed=5), sample(type, shape_b, seed=6)
    if len(shape_b) == 1:
        expected = np.linalg.solve(a, b[..., None])[..., 0] if len(shape_a) > 2 else np.linalg.solve(a, b)
    else:
        expected = np.linalg.solve(a, b)
    out = nx.linalg.solve(a, b)
    assert out.shape == expected.shape
    close(out, expected, type, scale=10)


@pytest.mark.parametrize("type", ["s32", "bool", "u8"])
def test_integer_inputs_compute_in_the_default_float(type):
    a = np.array([[4, 1], [1, 3]], nx.as_dtype(type).np) if type != "bool" else np.eye(2, dtype=bool)
    expected = a.astype(np.float64)
    close(nx.linalg.inv(a), np.linalg.inv(expected), "f32")
    close(nx.linalg.det(a), np.linalg.det(expected), "f32")
    close(nx.linalg.cholesky(a), np.linalg.cholesky(expected), "f32")
    close(nx.linalg.eigvalsh(a), np.linalg.eigvalsh(expected), "f32")


@pytest.mark.parametrize("type", ["f16", "bf16"])
def test_half_types_compute_in_f32_and_round_back(type):
    a = matrices(type, (3, 3))
    close(nx.linalg.inv(a), np.linalg.inv(a.astype(np.float32)), type)
    close(nx.linalg.det(a), np.linalg.det(a.astype(np.float32)), type)


# ---- composites ----

@pytest.mark.parametrize("type", LAPACK_TYPES)
@pytest.mark.parametrize("shape", [(4, 3), (2, 3, 5)])
def test_pinv_and_matrix_rank(type, shape):
    a = sample(type, shape, seed=7)
    close(nx.linalg.pinv(a), np.linalg.pinv(a), type, scale=10)
    rank = nx.linalg.matrix_rank(a)
    assert rank.type is nx.int64
    assert_close(rank, np.linalg.matrix_rank(a))
    low = (sample(type, shape[:-1] + (1,), seed=8) * sample(type, shape[:-2] + (1, shape[-1]), seed=9))
    assert_close(nx.linalg.matrix_rank(low), np.linalg.matrix_rank(low))
    assert_close(nx.linalg.matrix_rank(a, rtol=0.5), np.linalg.matrix_rank(a, rtol=0.5))
    close(nx.linalg.pinv(a, rtol=0.5), np.linalg.pinv(a, rtol=0.5), type, scale=10)


def test_matrix_rank_with_an_rtol_per_matrix():
    a = sample("f64", (2, 3, 3), seed=10)
    rtol = np.array([0.01, 0.9])
    assert_close(nx.linalg.matrix_rank(a, rtol=rtol), np.linalg.matrix_rank(a, rtol=rtol))


@pytest.mark.parametrize("type", LAPACK_TYPES)
@pytest.mark.parametrize("n", [0, 1, 2, 3, 5, 8, -1, -3])
def test_matrix_power(type, n):
    a = matrices(type, (2, 3, 3), seed=11) / 8
    close(nx.linalg.matrix_power(a, n), np.linalg.matrix_power(a, n), type, scale=10)


@pytest.mark.parametrize("type", ["f32", "f64", "c64", "c128", "s64"])
@pytest.mark.parametrize("ord", ["fro", "nuc", 1, -1, 2, -2, np.inf, -np.inf])
@pytest.mark.parametrize("keepdims", [False, True])
def test_matrix_norm(type, ord, keepdims):
    a = sample(type, (2, 3, 4), seed=12)
    expected = np.linalg.matrix_norm(a.astype(np.float64) if type == "s64" else a, ord=ord, keepdims=keepdims)
    result_type = "f32" if type == "s64" else real_of(type)
    close(nx.linalg.matrix_norm(a, ord=ord, keepdims=keepdims), expected, result_type, scale=10)


@pytest.mark.parametrize("type", ["f32", "f64", "c64", "c128", "s32"])
@pytest.mark.parametrize("ord", [2, 1, np.inf, -np.inf, 0, 3, -1, -2, 0.5])
@pytest.mark.parametrize("axis, keepdims", [(None, False), (1, False), ((0, 2), True), (-1, True)])
def test_vector_norm(type, ord, axis, keepdims):
    a = sample(type, (2, 3, 4), seed=13)
    wide = a.astype(np.float64) if type == "s32" else a
    with np.errstate(divide="ignore"):  # negative orders of vectors holding a zero
        expected = np.linalg.vector_norm(wide, ord=ord, axis=axis, keepdims=keepdims)
    result_type = "f32" if type == "s32" else real_of(type)
    close(nx.linalg.vector_norm(a, ord=ord, axis=axis, keepdims=keepdims), expected, result_type, scale=10)


@pytest.mark.parametrize("type", ["s8", "u16", "s64", "f32", "c128"])
@pytest.mark.parametrize("offset", [0, 1, -2, 5])
def test_diagonal_and_trace(type, offset):
    a = sample(type, (2, 3, 4), seed=14)
    assert_close(nx.linalg.diagonal(a, offset=offset), np.linalg.diagonal(a, offset=offset), type)
    expected = np.linalg.trace(a, offset=offset)
    out = nx.linalg.trace(a, offset=offset)
    assert out.type is nx.as_dtype(expected.dtype)
    assert_close(out, expected, type)
    assert nx.linalg.trace(a, dtype=nx.complex128).type is nx.complex128


@pytest.mark.parametrize("type", ["s32", "f32", "f64", "c64"])
@pytest.mark.parametrize("shape_a, shape_b, axis", [((3,), (3,), -1), ((4, 3), (3,), -1), ((3, 2), (1, 3, 2), -2),
                                                    ((2, 3, 5), (2, 3, 5), -2)])
def test_cross(type, shape_a, shape_b, axis):
    a, b = sample(type, shape_a, seed=15), sample(type, shape_b, seed=16)
    assert_close(nx.linalg.cross(a, b, axis=axis), np.linalg.cross(a, b, axis=axis), type)


# ---- errors ----

@pytest.mark.parametrize("call, error", [
    (lambda: nx.linalg.cholesky(np.ones((2, 3))), nx.NxValueError),
    (lambda: nx.linalg.inv(np.ones(3)), nx.NxValueError),
    (lambda: nx.linalg.det(np.ones((3, 2))), nx.NxValueError),
    (lambda: nx.linalg.eigh(np.ones((2, 3))), nx.NxValueError),
    (lambda: nx.linalg.qr(np.ones((2, 2)), mode="r"), nx.NxValueError),
    (lambda: nx.linalg.svd(np.ones(3)), nx.NxValueError),
    (lambda: nx.linalg.solve(np.eye(3), np.ones(2)), nx.NxValueError),
    (lambda: nx.linalg.solve(np.eye(3), np.ones((2, 2))), nx.NxValueError),
    (lambda: nx.linalg.solve(np.ones((2, 3, 3)), np.ones((3, 3, 1))), nx.NxShapeError),
    (lambda: nx.linalg.cholesky(-np.eye(2)), nx.NxValueError),
    (lambda: nx.linalg.inv(np.zeros((2, 2))), nx.NxValueError),
    (lambda: nx.linalg.matrix_power(np.eye(2), 1.5), nx.NxTypeError),
    (lambda: nx.linalg.matrix_norm(np.eye(2), ord=3), nx.NxValueError),
    (lambda: nx.linalg.vector_norm(np.eye(2), ord="fro"), nx.NxValueError),
    (lambda: nx.linalg.cross(np.ones(3), np.ones(3), axis=0), nx.NxValueError),
    (lambda: nx.linalg.cross(np.ones(4), np.ones(4)), nx.NxValueError),
    (lambda: nx.linalg.cross(np.ones(3, bool), np.ones(3, bool)), nx.NxTypeError),
    (lambda: nx.linalg.diagonal(np.ones(3)), nx.NxValueError),
    (lambda: nx.linalg.trace(np.ones((2, 2), bool)), nx.NxTypeError),
    (lambda: nx.linalg.matrix_rank(np.eye(2), rtol=np.array([1j])), nx.NxTypeError),
])
def test_linalg_errors_are_numerix_errors(call, error):
    with pytest.raises(error):
        call()


# ---- fft ----

FFT_TYPES = ["f32", "f64", "c64", "c128", "s32"]


def fft_type(type, real_result=False):
    """c64/f32 for every input but f64 and c128, which give c128/f64."""
    wide = type in ("f64", "c128")
    if real_result:
        return "f64" if wide else "f32"
    return "c128" if wide else "c64"


def fft_close(actual, expected, type, real_result=False):
    out = fft_type(type, real_result)
    scale = 1 + np.max(np.abs(expected)) if np.size(expected) else 1.0
    close(actual, expected, out, scale=scale)


@pytest.mark.parametrize("type", FFT_TYPES)
@pytest.mark.parametrize("name", ["fft", "ifft"])
@pytest.mark.parametrize("n, axis, norm", [(None, -1, "backward"), (8, 0, "ortho"), (3, 1, "forward"),
                                           (None, 0, "forward"), (6, -1, "ortho")])
def test_complex_transforms(type, name, n, axis, norm):
    x = sample(type, (5, 6), seed=17)
    fft_close(getattr(nx.fft, name)(x, n=n, axis=axis, norm=norm),
              getattr(np.fft, name)(x, n=n, axis=axis, norm=norm), type)


@pytest.mark.parametrize("type", ["f32", "f64", "s32"])
@pytest.mark.parametrize("n, axis, norm", [(None, -1, "backward"), (8, 0, "ortho"), (3, 1, "forward"),
                                           (7, -1, "backward")])
def test_real_transforms(type, n, axis, norm):
    x = sample(type, (5, 6), seed=18)
    fft_close(nx.fft.rfft(x, n=n, axis=axis, norm=norm), np.fft.rfft(x, n=n, axis=axis, norm=norm), type)
    spectrum = np.fft.rfft(x.astype(np.float64), axis=axis).astype(nx.as_dtype(fft_type(type)).np)
    fft_close(nx.fft.irfft(spectrum, n=n, axis=axis, norm=norm),
              np.fft.irfft(spectrum, n=n, axis=axis, norm=norm), type, real_result=True)
    fft_close(nx.fft.ihfft(x, n=n, axis=axis, norm=norm), np.fft.ihfft(x, n=n, axis=axis, norm=norm), type)
    fft_close(nx.fft.hfft(spectrum, n=n, axis=axis, norm=norm),
              np.fft.hfft(spectrum, n=n, axis=axis, norm=norm), type, real_result=True)


@pytest.mark.parametrize("type", FFT_TYPES)
@pytest.mark.parametrize("s, axes", [(None, None), ((4, 6), None), (None, (0, 2)), ((3, 5), (2, 0)), ((-1, 4), (1, 2))])
@pytest.mark.parametrize("norm", ["backward", "ortho"])
def test_n_dimensional_transforms(type, s, axes, norm):
    x = sample(type, (3, 4, 5), seed=19)
    np_axes = axes
    if s is not None and axes is None:  # the standard's default: the last len(s) axes (NumPy wants them spelled)
        np_axes = tuple(range(3 - len(s), 3))
    np_s = None if s is None else tuple(x.shape[a] if n == -1 else n for n, a in zip(s, np_axes))
    fft_close(nx.fft.fftn(x, s=s, axes=axes, norm=norm), np.fft.fftn(x, s=np_s, axes=np_axes, norm=norm), type)
    fft_close(nx.fft.ifftn(x, s=s, axes=axes, norm=norm), np.fft.ifftn(x, s=np_s, axes=np_axes, norm=norm), type)
    if not nx.as_dtype(type).is_complex:
        fft_close(nx.fft.rfftn(x, s=s, axes=axes, norm=norm), np.fft.rfftn(x, s=np_s, axes=np_axes, norm=norm), type)
        spectrum = np.fft.rfftn(x, axes=np_axes).astype(nx.as_dtype(fft_type(type)).np)
        fft_close(nx.fft.irfftn(spectrum, s=s, axes=axes, norm=norm),
                  np.fft.irfftn(spectrum, s=np_s, axes=np_axes, norm=norm), type, real_result=True)


def test_fft_keeps_c64_and_names():
    x = nx.tensor(sample("c64", (2, 8)), names=["batch", "time"])
    out = nx.fft.fft(x)
    assert out.type is nx.complex64 and out.names == ("batch", "time")
    assert nx.fft.rfft(nx.tensor(sample("f16", (8,)))).type is nx.complex64
    assert nx.fft.irfft(nx.tensor(sample("c128", (5,)))).type is nx.float64
    assert nx.fft.fft(x, axis="time").shape == (2, 8)


@pytest.mark.parametrize("n, d", [(1, 1.0), (5, 1.0), (8, 0.1), (9, 2.5)])
@pytest.mark.parametrize("dtype", [None, nx.float64])
def test_frequencies(n, d, dtype):
    out_type = "f64" if dtype is nx.float64 else "f32"
    close(nx.fft.fftfreq(n, d=d, dtype=dtype), np.fft.fftfreq(n, d=d), out_type)
    close(nx.fft.rfftfreq(n, d=d, dtype=dtype), np.fft.rfftfreq(n, d=d), out_type)


@pytest.mark.parametrize("shape, axes", [((5,), None), ((4, 5), None), ((4, 5), 1), ((4, 5, 6), (0, 2))])
def test_shifts(shape, axes):
    x = sample("f32", shape, seed=20)
    assert_close(nx.fft.fftshift(x, axes=axes), np.fft.fftshift(x, axes=axes), "f32")
    assert_close(nx.fft.ifftshift(x, axes=axes), np.fft.ifftshift(x, axes=axes), "f32")


@pytest.mark.parametrize("call, error", [
    (lambda: nx.fft.rfft(np.ones(4, np.complex64)), nx.NxTypeError),
    (lambda: nx.fft.fft(np.ones(4), norm="none"), nx.NxValueError),
    (lambda: nx.fft.hfft(np.ones(4), norm="none"), nx.NxValueError),
    (lambda: nx.fft.fft(np.ones(4), n=0), nx.NxValueError),
    (lambda: nx.fft.fft(np.ones(())), nx.NxValueError),
    (lambda: nx.fft.irfft(np.ones(1)), nx.NxValueError),
    (lambda: nx.fft.fftn(np.ones((2, 2)), s=(2,), axes=(0, 1)), nx.NxValueError),
    (lambda: nx.fft.fftn(np.ones((2, 2)), axes=(0, 0)), nx.NxValueError),
    (lambda: nx.fft.fft(np.ones(4), axis=1), nx.NxValueError),
    (lambda: nx.fft.fftfreq(0), nx.NxValueError),
    (lambda: nx.fft.fftfreq(4, dtype=nx.complex64), nx.NxTypeError),
    (lambda: nx.fft.rfftfreq(4, device="gpu"), nx.NxValueError),
])
def test_fft_errors_are_numerix_errors(call, error):
    with pytest.raises(error):
        call()


@pytest.mark.parametrize("type", ["f32", "c128"])
def test_linalg_and_fft_trace_to_the_same_values(type):
    """Inside defn the factorizations, solvers and fft are nx ops with their attributes (the reference evaluator
    runs them)."""
    def build(a):
        return (*nx.linalg.eigh(a), *nx.linalg.qr(a, mode="complete"), *nx.linalg.svd(a, full_matrices=False),
                nx.linalg.cholesky(a, upper=True), nx.linalg.solve(a, a[0]), nx.linalg.inv(a), nx.linalg.det(a),
                *nx.linalg.slogdet(a), nx.linalg.pinv(a), nx.linalg.matrix_norm(a, ord="nuc"),
                nx.fft.fftn(a, s=(4, 2), axes=(0, 2), norm="ortho"), nx.fft.irfft(a, n=5, axis=1),
                nx.fft.fftfreq(6, d=0.5))
    a = hermitian_pd(type, (2, 3, 3))
    for traced, eager in zip(nx.defn(build, compiler="evaluator")(a), build(nx.tensor(a))):
        assert traced.ttype == eager.ttype
        assert_close(traced, eager, eager.type, rtol=0, atol=0)
