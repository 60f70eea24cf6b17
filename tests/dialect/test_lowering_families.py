"""The shape, creation, reduction, scan, sorting and contraction lowerings compiled by IREE, against the NumPy rules:
one module per type holds every case (ties, NaN, -0.0 and out-of-range indices included)."""
import numpy as np
import pytest

from numerix.dialect import dtypes
from numerix.dialect.schema import SCHEMAS
from numerix.dialect.errors import NxError

from lowering_cases import Case, compile_and_run, tensor_type

# Arithmetic results (sums, products, dot) may differ from NumPy's by the order of operations.
RTOL = {"f16": 1e-2, "bf16": 2e-2, "f32": 2e-5, "f64": 1e-12, "c64": 2e-5, "c128": 1e-12}
ORDERING = {"sort", "argsort", "top_k", "argmax", "argmin", "reduce_max", "reduce_min", "cumulative_max",
            "cumulative_min"}


def _data(dtype, shape, seed, special):
    rng = np.random.default_rng(seed)
    if dtype.is_bool:
        return rng.integers(0, 2, shape).astype(bool)
    if dtype.is_integer:
        info = np.iinfo(dtype.np)
        low, high = (0, 6) if dtype.is_unsigned else (-3, 4)  # small values: many ties
        values = rng.integers(low, high, shape).astype(dtype.np)
        if special:
            values.flat[::7] = info.max
            values.flat[3::11] = info.min
        return values
    values = rng.integers(-3, 4, shape).astype(np.float64) + rng.choice([0, 0.5], shape)
    if special:
        values.flat[::9] = np.nan
        values.flat[4::13] = -0.0
        values.flat[5::17] = np.inf
    if dtype.is_complex:
        values = values + 1j * rng.integers(-2, 3, shape)
    return values.astype(dtype.np)


def _cases(dtype):
    """(case spec, arrays) where a spec is (op name, operand indices into arrays, attrs)."""
    x = _data(dtype, (3, 4, 5), 0, special=not dtype.is_complex)
    clean = _data(dtype, (3, 4, 5), 1, special=False)
    arrays = [x, clean, _data(dtype, (4, 1), 2, False), _data(dtype, (2, 2, 2), 3, False),
              np.array(1, np.int64), np.array(3, np.int64), np.array(-1, np.int64), np.array(250, np.uint8),
              np.array([[2], [0], [7]], np.int32), np.array([[1], [200]], np.uint8), _data(dtype, (5, 2), 4, False),
              _data(dtype, (3, 5, 2), 5, False), _data(dtype, (), 6, False), _data(dtype, (3, 4, 5), 7, False),
              np.array([[1, 4], [1, 4], [200, 0], [0, 9]], np.uint16), _data(dtype, (4, 4), 8, False)]
    X, CLEAN, SMALL, UPDATE, S1, S3, SNEG, U250, IDX, UIDX, MAT, BATCH, SCALAR, GATHERED, UIDX2, UPDATES2 = range(
        len(arrays))
    specs = [
        ("broadcast", [SMALL], {"shape": (3, 4, 5), "axes": (1, 2)}),
        ("reshape", [X], {"shape": (12, 5), "names": (None, None)}),
        ("transpose", [X], {"axes": (2, 0, 1)}),
        ("slice", [X], {"start_indices": (0, 1, 1), "limit_indices": (3, 4, 5), "strides": (2, 1, 2)}),
        ("put_slice", [X, UPDATE, S1, S3, SNEG], {}),
        ("put_slice", [X, UPDATE, S3, U250, S1], {}),  # u8 250 clamps to the end, not to 0
        ("pad", [X, SCALAR], {"pads": ((1, 0, 1), (-1, 2, 0), (0, 0, 2))}),
        ("concatenate", [X, CLEAN], {"axis": 1}),
        ("reverse", [X], {"axes": (0, 2)}),
        ("gather", [X, IDX], {"offset_dims": (1, 2), "collapsed_slice_dims": (0,), "start_index_map": (0,),
                              "index_vector_dim": 1, "slice_sizes": (1, 4, 5)}),
        ("gather", [X, UIDX], {"offset_dims": (1,), "collapsed_slice_dims": (0, 2), "start_index_map": (2,),
                               "index_vector_dim": 1, "slice_sizes": (1, 4, 1)}),
        ("scatter_add", [X, IDX, GATHERED], {"offset_dims": (1, 2), "collapsed_slice_dims": (0,),
                                             "start_index_map": (0,), "index_vector_dim": 1,
                                             "slice_sizes": (1, 4, 5)}),
        ("scatter_add", [CLEAN, UIDX2, UPDATES2], {"offset_dims": (1,), "collapsed_slice_dims": (0, 2),
                                                   "start_index_map": (0, 2), "index_vector_dim": 1,
                                                   "slice_sizes": (1, 4, 1)}),
        ("constant", [], {"value": clean}),
        ("stop_grad", [X], {}),
        ("sort", [X], {"axis": 2, "descending": False}),
        ("sort", [X], {"axis": 1, "descending": True}),
        ("argsort", [X], {"axis": 2, "descending": False}),
        ("argsort", [X], {"axis": 0, "descending": True}),
        ("top_k", [X], {"k": 3}),
    ]
    if not dtype.is_bool:
        specs.append(("iota", [], {"shape": (3, 4), "axis": 1, "type": dtype, "names": (None, None)}))
    for axes, keep in (((0, 2), False), ((1,), True), ((), False)):
        for name in ("sum", "product"):
            specs.append((name, [CLEAN], {"axes": axes, "keep_axes": keep}))
        for name in ("reduce_max", "reduce_min", "all", "any"):
            specs.append((name, [X], {"axes": axes, "keep_axes": keep}))
    for name in ("argmax", "argmin"):
        for tie_break in ("low", "high"):
            specs.append((name, [X], {"axis": 1, "keep_axis": False, "tie_break": tie_break}))
        specs.append((name, [X], {"axis": 2, "keep_axis": True, "tie_break": "low"}))
    for name in ("cumulative_sum", "cumulative_product"):
        specs.append((name, [CLEAN], {"axis": 2, "reverse": False}))
        specs.append((name, [CLEAN], {"axis": 0, "reverse": True}))
    for name in ("cumulative_max", "cumulative_min"):
        specs.append((name, [X], {"axis": 2, "reverse": False}))
        specs.append((name, [X], {"axis": 1, "reverse": True}))
    specs.append(("dot", [CLEAN, MAT], {"contract_axes_a": (2,), "batch_axes_a": (), "contract_axes_b": (0,),
                                        "batch_axes_b": ()}))
    specs.append(("dot", [CLEAN, BATCH], {"contract_axes_a": (2,), "batch_axes_a": (0,), "contract_axes_b": (1,),
                                          "batch_axes_b": (0,)}))
    # 1-D convolutions of X (batch 3, features 4, 5 long) and its axes permuted, NaN and inf included; a grouped one
    # with kernel dilation on clean data only (IREE multiplies the zeros between its kernel taps: dialect/conv.py).
    plain = {"input_permutation": (0, 1, 2), "kernel_permutation": (0, 1, 2), "output_permutation": (0, 1, 2)}
    grouped = {"strides": (2,), "padding_low": (1,), "padding_high": (-1,), "input_dilation": (2,),
               "feature_group_size": 2, "batch_group_size": 1}
    specs.append(("conv", [X, UPDATE], {**plain, **grouped, "kernel_dilation": (1,)}))
    specs.append(("conv", [CLEAN, UPDATE], {**plain, **grouped, "kernel_dilation": (3,)}))
    specs.append(("conv", [X, CLEAN], {**plain, "strides": (1,), "padding_low": (2,), "padding_high": (3,),
                                       "input_dilation": (1,), "kernel_dilation": (2,), "feature_group_size": 1,
                                       "batch_group_size": 1}))
    specs.append(("conv", [X, CLEAN], {**plain, "strides": (1,), "padding_low": (2,), "padding_high": (2,),
                                       "input_dilation": (1,), "kernel_dilation": (1,), "feature_group_size": 1,
                                       "batch_group_size": 3}))
    specs.append(("conv", [X, UPDATE], {"strides": (1,), "padding_low": (0,), "padding_high": (1,),
                                        "input_dilation": (1,), "kernel_dilation": (1,), "feature_group_size": 2,
                                        "batch_group_size": 1, "input_permutation": (2, 1, 0),
                                        "kernel_permutation": (1, 0, 2), "output_permutation": (2, 0, 1)}))
    # Windows over X and CLEAN (3, 4, 5): overlapping, spaced, padded and dilated; the scatters' windows give
    # UPDATE's shape (2, 2, 2), ties and NaN included.
    window = {"window_dimensions": (2, 2, 3), "strides": (1, 2, 2), "padding_low": (0, 0, 0),
              "padding_high": (0, 0, 0)}
    padded = {"window_dimensions": (2, 2, 2), "strides": (2, 2, 3), "padding_low": (1, 0, 0),
              "padding_high": (0, 0, 0)}
    for name in ("window_sum", "window_product", "window_max", "window_min"):
        specs.append((name, [CLEAN if name in ("window_sum", "window_product") else X],
                      {"window_dimensions": (2, 1, 2), "strides": (1, 2, 2), "padding_low": (1, 0, 2),
                       "padding_high": (0, 1, 0), "window_dilations": (2, 1, 1)}))
    for name in ("window_max", "window_min"):
        specs.append((name, [X], {**window, "window_dilations": (1, 1, 1)}))
    for name in ("window_scatter_max", "window_scatter_min"):
        specs.append((name, [X, UPDATE, SCALAR], window))
        specs.append((name, [X, UPDATE, SCALAR], padded))
    return specs, arrays


def _applicable(specs, arg_types):
    cases = []
    for name, operands, attrs in specs:
        try:
            cases.append(Case(name, operands, attrs, arg_types))
        except NxError:  # the op does not take this type
            continue
    return cases


def _check(case, got, want, dtype):
    if got.dtype != want.dtype or got.shape != want.shape:
        return f"{case.label}: got {got.dtype}{got.shape}, want {want.dtype}{want.shape}"
    result = dtypes.of_numpy(want.dtype)
    exact = not result.is_inexact or case.name not in ("sum", "product", "cumulative_sum", "cumulative_product",
                                                        "dot", "conv")
    if result.is_inexact:  # (NumPy's testing does not see ml_dtypes' bf16 NaN as NaN)
        wide = np.complex128 if result.is_complex else np.float64
        got, want = got.astype(wide), want.astype(wide)
    try:
        if exact:
            np.testing.assert_array_equal(got, want)
        else:
            np.testing.assert_allclose(got, want, rtol=RTOL[result.name], atol=RTOL[result.name], equal_nan=True)
    except AssertionError as e:
        return f"{case.label}: {e}"
    return None


@pytest.mark.parametrize("type_name", ["bool", "u8", "s32", "u64", "s64", "bf16", "f32", "f64", "c64"])
def test_families_match_numpy(type_name):
    dtype = dtypes.TYPES[type_name]
    specs, arrays = _cases(dtype)
    arg_types = [tensor_type(a) for a in arrays]
    cases = _applicable(specs, arg_types)
    failures = []
    with np.errstate(all="ignore"):
        for case, got in zip(cases, compile_and_run(arg_types, cases, arrays)):
            for g, w in zip(got, case.reference(arrays)):
                failure = _check(case, g, w, dtype)
                if failure:
                    failures.append(failure)
    assert not failures, "\n".join(failures)


# Ops with a test of their own below.
# (switch and while, which call functions of the module: tests/frontend/test_control_flow.py and
# tests/lit/control-flow.mlir; hook, which calls back into Python: tests/frontend/test_hooks.py)
OWN_TESTS = {"fft", "solve", "det", "slogdet", "cholesky", "qr", "eigh", "svd", "custom_grad", "switch", "while",
             "triangular_solve", "lu", "hook"}  # (triangular_solve and lu: tests/frontend/test_nx_api_linalg.py)


def test_every_family_op_is_swept():
    from numerix.dialect.elementwise import ELEMENTWISE
    from numerix.dialect.lowering import LOWERINGS
    swept = {name for type_name in ("bool", "f32") for name, _, _ in _cases(dtypes.TYPES[type_name])[0]}
    unswept = sorted(set(LOWERINGS) - set(ELEMENTWISE) - swept - OWN_TESTS)
    assert not unswept, f"lowered ops no test compiles: {unswept}"
    assert set(SCHEMAS) >= swept


FFT_CASES = [  # (kind, operand shape, lengths)
    ("fft", (3, 8), (8,)), ("fft", (2, 48), (48,)), ("fft", (4, 6), (4, 6)), ("fft", (5,), (7,)),
    ("ifft", (2, 64), (64,)), ("ifft", (3, 17), (15,)), ("rfft", (2, 32), (32,)), ("rfft", (3, 5), (3, 5)),
    ("irfft", (2, 17), (32,)), ("irfft", (3, 4), (3, 7)), ("fft", (256,), (256,)),
]


@pytest.mark.parametrize("part", ["f32", "f64"])
def test_fft_matches_numpy(part):
    real = dtypes.TYPES[part]
    complex_type = dtypes.c64 if part == "f32" else dtypes.c128
    rng = np.random.default_rng(0)
    arrays, specs = [], []
    for kind, shape, lengths in FFT_CASES:
        values = rng.normal(size=shape)
        if kind != "rfft":
            values = values + 1j * rng.normal(size=shape)
        arrays.append(values.astype(real.np if kind == "rfft" else complex_type.np))
        specs.append(("fft", [len(arrays) - 1], {"kind": kind, "lengths": lengths}))
    arg_types = [tensor_type(a) for a in arrays]
    cases = [Case(name, operands, attrs, arg_types) for name, operands, attrs in specs]
    for case, got in zip(cases, compile_and_run(arg_types, cases, arrays)):
        (want,) = case.reference(arrays)
        assert got[0].dtype == want.dtype and got[0].shape == want.shape, case.label
        scale = np.abs(want).max()
        np.testing.assert_allclose(got[0], want, atol=scale * (2e-6 if part == "f32" else 1e-14), err_msg=case.label)


def _matrices(dtype, rng, shape, kind):
    values = rng.normal(size=shape)
    if dtype.is_complex:
        values = values + 1j * rng.normal(size=shape)
    if kind == "spd":  # Hermitian positive definite
        values = values @ np.conj(np.swapaxes(values, -1, -2)) + shape[-1] * np.eye(shape[-1])
    return values.astype(dtype.np)


@pytest.mark.parametrize("type_name", ["f32", "f64", "c128"])
def test_linalg_matches_numpy(type_name):
    dtype = dtypes.TYPES[type_name]
    rng = np.random.default_rng(3)
    singular = np.array([[1, 2, 3, 4], [2, 4, 6, 8], [0, 1, 5, 2], [3, 1, 4, 1]]).astype(dtype.np)  # exactly
    pivoting = np.array([[0, 1, 2], [1, 0, 3], [4, 5, 0]]).astype(dtype.np)  # a zero first pivot
    arrays = [_matrices(dtype, rng, (2, 5, 5), "general"), _matrices(dtype, rng, (2, 5, 3), "general"),
              _matrices(dtype, rng, (3, 6, 6), "spd"), singular, pivoting, _matrices(dtype, rng, (3, 2), "general")]
    specs = [("solve", [0, 1], {}), ("det", [0], {}), ("slogdet", [0], {}), ("cholesky", [2], {}),
             ("det", [3], {}), ("slogdet", [3], {}), ("det", [4], {}), ("solve", [4, 5], {})]
    arg_types = [tensor_type(a) for a in arrays]
    cases = [Case(name, operands, attrs, arg_types) for name, operands, attrs in specs]
    rtol = 1e-4 if type_name == "f32" else 1e-10
    for case, got in zip(cases, compile_and_run(arg_types, cases, arrays)):
        for g, w in zip(got, case.reference(arrays)):
            assert g.dtype == w.dtype and g.shape == w.shape, case.label
            np.testing.assert_allclose(g, w, rtol=rtol, atol=rtol * np.abs(w).max(), err_msg=case.label)


@pytest.mark.parametrize("type_name", ["f32", "f64", "c64", "c128"])
def test_qr_matches_numpy(type_name):
    dtype = dtypes.TYPES[type_name]
    rng = np.random.default_rng(4)
    upper = np.triu(_matrices(dtype, rng, (3, 3), "general"))  # columns already zero below: no reflection
    arrays = [_matrices(dtype, rng, (2, 5, 3), "general"), _matrices(dtype, rng, (3, 6), "general"), upper]
    specs = [("qr", [0], {"mode": "reduced"}), ("qr", [0], {"mode": "complete"}), ("qr", [1], {"mode": "reduced"}),
             ("qr", [1], {"mode": "complete"}), ("qr", [2], {"mode": "reduced"})]
    arg_types = [tensor_type(a) for a in arrays]
    cases = [Case(name, operands, attrs, arg_types) for name, operands, attrs in specs]
    rtol = 1e-4 if dtype.real_type is dtypes.f32 else 1e-10
    for case, got in zip(cases, compile_and_run(arg_types, cases, arrays)):
        for g, w in zip(got, case.reference(arrays)):
            assert g.dtype == w.dtype and g.shape == w.shape, case.label
            np.testing.assert_allclose(g, w, rtol=rtol, atol=rtol, err_msg=case.label)


@pytest.mark.parametrize("type_name", ["f32", "f64", "c64", "c128"])
def test_eigh_matches_numpy(type_name):
    """Eigenvalues as NumPy's; eigenvectors orthonormal and A v = lambda v (their signs or phases are free)."""
    dtype = dtypes.TYPES[type_name]
    rng = np.random.default_rng(5)
    lower_only = np.tril(_matrices(dtype, rng, (5, 5), "spd")) + np.triu(np.full((5, 5), 7.0), 1)  # upper ignored
    arrays = [_matrices(dtype, rng, (2, 6, 6), "spd") - 3, lower_only.astype(dtype.np),
              np.diag([3.0, 1.0, 2.0, 1.0]).astype(dtype.np)]
    arg_types = [tensor_type(a) for a in arrays]
    cases = [Case("eigh", [i], {}, arg_types) for i in range(len(arrays))]
    rtol = 1e-4 if dtype.real_type is dtypes.f32 else 1e-10
    for case, (values, vectors), x in zip(cases, compile_and_run(arg_types, cases, arrays), arrays):
        want_values, _ = case.reference([x] * len(arrays))
        assert values.dtype == want_values.dtype and vectors.dtype == x.dtype
        scale = np.abs(want_values).max()
        np.testing.assert_allclose(values, want_values, atol=rtol * scale)
        hermitian = np.tril(x) + np.conj(np.swapaxes(np.tril(x, -1), -1, -2))
        eye = np.eye(x.shape[-1])
        np.testing.assert_allclose(np.conj(np.swapaxes(vectors, -1, -2)) @ vectors, np.broadcast_to(eye, vectors.shape),
                                   atol=rtol * 10)
        np.testing.assert_allclose(hermitian @ vectors, vectors * values[..., None, :], atol=rtol * scale * 10)


@pytest.mark.parametrize("type_name", ["f32", "f64", "c128"])
def test_svd_matches_numpy(type_name):
    """Singular values as NumPy's (small ones too); U and V unitary and U S V^H the matrix (signs are free)."""
    dtype = dtypes.TYPES[type_name]
    rng = np.random.default_rng(6)
    graded = (_matrices(dtype, rng, (4, 4), "general") * np.array([1, 1e-3, 1e-6, 1]))  # small singular values
    rank_deficient = (_matrices(dtype, rng, (2, 4, 3), "general") * np.array([1, 0, 1])).astype(dtype.np)
    arrays = [_matrices(dtype, rng, (2, 5, 3), "general"), _matrices(dtype, rng, (3, 6), "general"),
              graded.astype(dtype.np), rank_deficient, np.conj(np.swapaxes(rank_deficient, -1, -2)).copy()]
    specs = [("svd", [0], {"full_matrices": False}), ("svd", [0], {"full_matrices": True}),
             ("svd", [1], {"full_matrices": True}), ("svd", [1], {"full_matrices": False}),
             ("svd", [2], {"full_matrices": False}),
             # An exact zero singular value: its U (tall) or V (wide) column must still be a unit vector.
             ("svd", [3], {"full_matrices": False}), ("svd", [3], {"full_matrices": True}),
             ("svd", [4], {"full_matrices": False}), ("svd", [4], {"full_matrices": True})]
    arg_types = [tensor_type(a) for a in arrays]
    cases = [Case(name, operands, attrs, arg_types) for name, operands, attrs in specs]
    rtol = 1e-4 if dtype.real_type is dtypes.f32 else 1e-10
    for case, (u, values, vh) in zip(cases, compile_and_run(arg_types, cases, arrays)):
        x = arrays[case.operands[0]]
        want_u, want_values, want_vh = case.reference(arrays)
        assert (u.shape, values.shape, vh.shape) == (want_u.shape, want_values.shape, want_vh.shape), case.label
        assert values.dtype == want_values.dtype and u.dtype == x.dtype
        # Singular values are accurate to eps * ||x||, not relatively: a zero one may come out as 1e-18 or 0.
        np.testing.assert_allclose(values, want_values, rtol=rtol * 10, atol=rtol * np.abs(want_values).max(),
                                   err_msg=case.label)
        k = values.shape[-1]
        product = u[..., :, :k] * values[..., None, :] @ vh[..., :k, :]
        np.testing.assert_allclose(product, x, atol=rtol * 10 * np.abs(x).max(), err_msg=case.label)
        for columns in (u, np.conj(np.swapaxes(vh, -1, -2))):  # orthonormal columns of U and V
            eye = np.eye(columns.shape[-1])
            np.testing.assert_allclose(np.conj(np.swapaxes(columns, -1, -2)) @ columns,
                                       np.broadcast_to(eye, columns.shape[:-2] + eye.shape), atol=rtol * 10,
                                       err_msg=case.label)


CUSTOM_GRAD = """
func.func @main(%x: tensor<3xui8>) -> tensor<3xui8> {
  %y = "nx.custom_grad"(%x) {callee = @twice, forward = @twice_forward, backward = @twice_backward}
      : (tensor<3xui8>) -> tensor<3xui8>
  %z = "nx.add"(%y, %x) : (tensor<3xui8>, tensor<3xui8>) -> tensor<3xui8>
  return %z : tensor<3xui8>
}
func.func private @twice(%x: tensor<3xui8>) -> tensor<3xui8> {
  %y = "nx.add"(%x, %x) : (tensor<3xui8>, tensor<3xui8>) -> tensor<3xui8>
  return %y : tensor<3xui8>
}
func.func private @twice_forward(%x: tensor<3xui8>) -> (tensor<3xui8>, tensor<3xui8>) {
  %y = "nx.add"(%x, %x) : (tensor<3xui8>, tensor<3xui8>) -> tensor<3xui8>
  return %y, %x : tensor<3xui8>, tensor<3xui8>
}
func.func private @twice_backward(%r: tensor<3xui8>, %g: tensor<3xui8>) -> tensor<3xui8> {
  return %g : tensor<3xui8>
}
"""


def test_custom_grad_calls_its_callee():
    from iree.compiler import ir
    from numerix.dialect import ir as nx_ir
    from numerix.runtime.compilers import get_compiler
    with nx_ir.new_context():
        module = ir.Module.parse(CUSTOM_GRAD)
    x = np.array([1, 100, 200], np.uint8)
    (got,) = get_compiler("iree").compile(module, "main", {})(x)
    np.testing.assert_array_equal(got, x * np.uint8(3))  # wraps at 256, unsigned
