"""The array API standard (2024.12) on the whole numerix namespace: every name the standard lists, the namespace
and dtype objects, inspection, the type promotion table, Python scalar promotion, the data type functions, the set
functions, nonzero, diff, isin."""
import math

import numpy as np
import pytest

import numerix as nx
from conftest import ALL_TYPES, assert_close, sample

# The standard's function lists (2024.12), by section.
SPEC = {
    "elementwise": """abs acos acosh add asin asinh atan atan2 atanh bitwise_and bitwise_left_shift bitwise_invert
        bitwise_or bitwise_right_shift bitwise_xor ceil clip conj copysign cos cosh divide equal exp expm1 floor
        floor_divide greater greater_equal hypot imag isfinite isinf isnan less less_equal log log1p log2 log10
        logaddexp logical_and logical_not logical_or logical_xor maximum minimum multiply negative nextafter
        not_equal positive pow real reciprocal remainder round sign signbit sin sinh square sqrt subtract tan tanh
        trunc""",
    "creation": """arange asarray empty empty_like eye from_dlpack full full_like linspace meshgrid ones ones_like
        tril triu zeros zeros_like""",
    "data type": "astype can_cast finfo iinfo isdtype result_type",
    "indexing": "take take_along_axis",
    "inspection": "__array_namespace_info__",
    "linear algebra": "matmul matrix_transpose tensordot vecdot",
    "manipulation": """broadcast_arrays broadcast_to concat expand_dims flip moveaxis permute_dims repeat reshape
        roll squeeze stack tile unstack""",
    "searching": "argmax argmin count_nonzero nonzero searchsorted where",
    "set": "unique_all unique_counts unique_inverse unique_values",
    "sorting": "argsort sort",
    "statistical": "cumulative_prod cumulative_sum max mean min prod std sum var",
    "utility": "all any diff",
}
LINALG = """cholesky cross det diagonal eigh eigvalsh inv matmul matrix_norm matrix_power matrix_rank
    matrix_transpose outer pinv qr slogdet solve svd svdvals tensordot trace vecdot vector_norm""".split()
FFT = """fft ifft fftn ifftn rfft irfft rfftn irfftn hfft ihfft fftfreq rfftfreq fftshift ifftshift""".split()
DTYPE_NAMES = """bool int8 int16 int32 int64 uint8 uint16 uint32 uint64 float32 float64 complex64
    complex128""".split()


@pytest.mark.parametrize("section, name", [(s, n) for s, names in SPEC.items() for n in names.split()])
def test_every_function_of_the_standard_is_in_the_namespace(section, name):
    assert callable(getattr(nx, name, None)), f"numerix lacks the {section} function {name}"


@pytest.mark.parametrize("module, name", [("linalg", n) for n in LINALG] + [("fft", n) for n in FFT])
def test_every_function_of_the_extensions_is_there(module, name):
    assert callable(getattr(getattr(nx, module), name, None)), f"numerix.{module} lacks {name}"


def test_constants_and_version():
    assert nx.e == math.e and nx.pi == math.pi and nx.inf == math.inf and math.isnan(nx.nan)
    assert nx.newaxis is None
    assert nx.__array_api_version__ == "2024.12"


def test_the_namespace_of_a_tensor_is_numerix():
    x = nx.tensor([1, 2])
    assert x.__array_namespace__() is nx
    assert x.__array_namespace__(api_version="2024.12") is nx
    with pytest.raises(nx.NxValueError):
        x.__array_namespace__(api_version="1999.01")


@pytest.mark.parametrize("name", DTYPE_NAMES)
def test_dtype_objects_compare_by_identity_and_hash(name):
    dtype = getattr(nx, name)
    assert dtype == getattr(nx, name) and hash(dtype) == hash(getattr(nx, name))
    assert all(dtype != getattr(nx, other) for other in DTYPE_NAMES if other != name)
    assert nx.ones(2, dtype=dtype).dtype == dtype
    assert {dtype: 1}[getattr(nx, name)] == 1


# ---- inspection ----

def test_namespace_info():
    info = nx.__array_namespace_info__()
    caps = info.capabilities()
    assert set(caps) == {"boolean indexing", "data-dependent shapes", "max dimensions"}
    assert caps["max dimensions"] is None or isinstance(caps["max dimensions"], int)
    assert info.default_device() in info.devices()
    assert nx.tensor([1]).device == info.default_device()
    assert nx.zeros(2, device=info.default_device()).shape == (2,)
    assert info.default_dtypes() == {"real floating": nx.float32, "complex floating": nx.complex64,
                                     "integral": nx.int64, "indexing": nx.int64}
    assert info.default_dtypes(device=info.default_device())["integral"] is nx.int64
    assert info.dtypes() == {name: getattr(nx, name) for name in DTYPE_NAMES}


@pytest.mark.parametrize("kind, names", [
    ("bool", ["bool"]), ("signed integer", ["int8", "int16", "int32", "int64"]),
    ("unsigned integer", ["uint8", "uint16", "uint32", "uint64"]),
    ("integral", ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"]),
    ("real floating", ["float32", "float64"]), ("complex floating", ["complex64", "complex128"]),
    ("numeric", [n for n in DTYPE_NAMES if n != "bool"]), (("bool", "complex floating"), ["bool", "complex64",
                                                                                          "complex128"]),
])
def test_namespace_info_dtypes_by_kind(kind, names):
    assert nx.__array_namespace_info__().dtypes(kind=kind) == {n: getattr(nx, n) for n in names}


def test_capabilities_hold_eagerly():
    x = nx.tensor([3, 1, 3])
    assert x[x > 1].tolist() == [3, 3]  # boolean indexing
    assert nx.unique_values(x).tolist() == [1, 3]  # a data-dependent shape
    assert nx.reshape(nx.zeros((1,) * 64), ()).shape == ()  # 64 dimensions


# ---- type promotion (the standard's table; mixed integer/float kinds are implementation-defined) ----

SIGNED, UNSIGNED = ["int8", "int16", "int32", "int64"], ["uint8", "uint16", "uint32", "uint64"]
PROMOTION = (
    [(a, b, max(a, b, key=SIGNED.index)) for a in SIGNED for b in SIGNED]
    + [(a, b, max(a, b, key=UNSIGNED.index)) for a in UNSIGNED for b in UNSIGNED]
    + [("uint8", "int8", "int16"), ("uint8", "int16", "int16"), ("uint8", "int32", "int32"),
       ("uint8", "int64", "int64"), ("uint16", "int8", "int32"), ("uint16", "int16", "int32"),
       ("uint16", "int32", "int32"), ("uint16", "int64", "int64"), ("uint32", "int8", "int64"),
       ("uint32", "int16", "int64"), ("uint32", "int32", "int64"), ("uint32", "int64", "int64")]
    + [("float32", "float32", "float32"), ("float32", "float64", "float64"), ("float64", "float64", "float64"),
       ("complex64", "complex64", "complex64"), ("complex64", "complex128", "complex128"),
       ("complex128", "complex128", "complex128"), ("float32", "complex64", "complex64"),
       ("float32", "complex128", "complex128"), ("float64", "complex64", "complex128"),
       ("float64", "complex128", "complex128"), ("bool", "bool", "bool")]
)


@pytest.mark.parametrize("a, b, expected", PROMOTION)
def test_type_promotion_table(a, b, expected):
    ta, tb, te = getattr(nx, a), getattr(nx, b), getattr(nx, expected)
    assert nx.result_type(ta, tb) is te and nx.result_type(tb, ta) is te
    assert nx.promote_types(ta, tb) is te
    x, y = nx.ones((2,), dtype=ta), nx.ones((3, 1), dtype=tb)
    assert (x + y).dtype is te and (y * x).dtype is te and nx.result_type(x, y) is te
    assert nx.can_cast(ta, te) and nx.can_cast(tb, te)


@pytest.mark.parametrize("type", [n for n in DTYPE_NAMES])
@pytest.mark.parametrize("scalar", [True, 2, 2.5, 1j])
def test_python_scalars_take_the_tensors_type_where_their_kind_fits(type, scalar):
    dtype = getattr(nx, type)
    fits = {bool: nx.isdtype(dtype, "bool"),
            int: nx.isdtype(dtype, ("integral", "real floating", "complex floating")),
            float: nx.isdtype(dtype, ("real floating", "complex floating")),
            complex: nx.isdtype(dtype, "complex floating")}[scalar.__class__]
    if not fits:
        return  # mixed kinds (e.g. int8 + 2.5) are implementation-defined: checked for numerix's rule below
    x = nx.ones(3, dtype=dtype)
    for out in (x + scalar, scalar + x, x * scalar, nx.result_type(x, scalar), nx.result_type(dtype, scalar)):
        assert (out if isinstance(out, nx.DType) else out.dtype) is dtype


@pytest.mark.parametrize("type, scalar, expected", [
    ("int8", 2.5, "float32"), ("uint8", 1j, "complex64"), ("float32", 1j, "complex64"),
    ("float64", 1j, "complex128"), ("bool", 3, "int64"), ("bool", 1.5, "float32"),
])
def test_python_scalars_of_a_wider_kind_give_numerix_defaults(type, scalar, expected):
    assert (nx.ones(2, dtype=getattr(nx, type)) + scalar).dtype is getattr(nx, expected)


# ---- data type functions ----

@pytest.mark.parametrize("type", ALL_TYPES)
def test_isdtype_for_every_kind(type):
    t = nx.as_dtype(type)
    expected = {"bool": t.is_bool, "signed integer": t.kind == "s", "unsigned integer": t.kind == "u",
                "integral": t.is_integer, "real floating": t.is_float, "complex floating": t.is_complex,
                "numeric": not t.is_bool}
    for kind, answer in expected.items():
        assert nx.isdtype(t, kind) is answer
    assert nx.isdtype(t, t) and nx.isdtype(t, ("bool", t))


def test_isdtype_errors():
    with pytest.raises(nx.NxValueError):
        nx.isdtype(nx.int8, "integer")
    with pytest.raises(nx.NxTypeError):
        nx.isdtype("int8", "integral")
    with pytest.raises(nx.NxTypeError):
        nx.isdtype(nx.int8, 3)


@pytest.mark.parametrize("source, target, expected", [
    ("int8", "int16", True), ("int16", "int8", False), ("uint8", "int16", True), ("uint8", "int8", False),
    ("int8", "uint8", False), ("uint64", "int64", False), ("int64", "uint64", False), ("float32", "float64", True),
    ("float64", "float32", False), ("complex64", "float64", False), ("float32", "complex64", True),
    ("float64", "complex64", False), ("bool", "int8", True), ("int8", "bool", False), ("float32", "int32", False),
    ("complex128", "complex64", False),
])
def test_can_cast(source, target, expected):
    assert nx.can_cast(getattr(nx, source), getattr(nx, target)) is expected
    assert nx.can_cast(nx.ones(2, dtype=getattr(nx, source)), getattr(nx, target)) is expected


def test_result_type_needs_a_tensor_or_dtype():
    assert nx.result_type(nx.int8, 1, 2) is nx.int8
    assert nx.result_type(nx.float32, nx.ones(2, dtype=nx.float64)) is nx.float64
    with pytest.raises(nx.NxValueError):
        nx.result_type(1, 2.0)
    with pytest.raises(nx.NxValueError):
        nx.result_type()


@pytest.mark.parametrize("type", ["float32", "float64", "complex64", "complex128"])
def test_finfo_meets_the_standard(type):
    dtype = getattr(nx, type)
    info, np_info = nx.finfo(dtype), np.finfo(dtype.np)
    assert (info.bits, info.eps, info.max, info.min, info.smallest_normal) == (
        np_info.bits, float(np_info.eps), float(np_info.max), float(np_info.min), float(np_info.smallest_normal))
    assert info.dtype is dtype.real_type
    assert all(isinstance(v, float) for v in (info.eps, info.max, info.min, info.smallest_normal))
    assert nx.finfo(nx.ones(2, dtype=dtype)).dtype is dtype.real_type


@pytest.mark.parametrize("type", SIGNED + UNSIGNED)
def test_iinfo_meets_the_standard(type):
    dtype = getattr(nx, type)
    info, np_info = nx.iinfo(dtype), np.iinfo(dtype.np)
    assert (info.bits, info.max, info.min, info.dtype) == (np_info.bits, np_info.max, np_info.min, dtype)
    assert isinstance(info.max, int) and nx.iinfo(nx.ones(2, dtype=dtype)).max == np_info.max


def test_finfo_and_iinfo_refuse_other_kinds():
    with pytest.raises(nx.NxTypeError):
        nx.finfo(nx.int32)
    with pytest.raises(nx.NxTypeError):
        nx.iinfo(nx.float32)


@pytest.mark.parametrize("source", ALL_TYPES)
@pytest.mark.parametrize("target", ALL_TYPES)
def test_astype(source, target):
    x = sample(source, (5,), seed=1, low=0, high=4)  # values every type holds (out-of-range casts are
    s, t = nx.as_dtype(source), nx.as_dtype(target)  # implementation-defined: numerix saturates, NumPy wraps)
    if s.is_complex and not t.is_complex and not t.is_bool:
        with pytest.raises(nx.NxTypeError):
            nx.astype(x, t)
        return
    out = nx.astype(nx.tensor(x), t)
    assert out.dtype is t
    expected = (x != 0) if t.is_bool else x.astype(np.float64 if s is nx.bf16 else x.dtype).astype(t.np)
    assert_close(out, expected, target)


def test_astype_copy_flag():
    x = nx.tensor([1.0, 2.0])
    assert nx.astype(x, nx.float32, copy=False) is x
    copied = nx.astype(x, nx.float32)
    assert copied is not x and copied.tolist() == [1.0, 2.0]
    with pytest.raises(nx.NxValueError):
        nx.astype(x, nx.float64, device="gpu")


# ---- set functions, nonzero (data-dependent shapes, eager only) ----

@pytest.mark.parametrize("type", ALL_TYPES)
def test_unique_functions_match_numpy(type):
    x = sample(type, (3, 4), seed=2, low=0, high=4) if not nx.as_dtype(type).is_inexact else \
        sample(type, (3, 4), seed=2).round(0)
    named = nx.tensor(x, names=["r", "c"])
    wide = x.astype(np.float32) if nx.as_dtype(type) is nx.bfloat16 else x
    values, first, inverse, counts = np.unique(wide, return_index=True, return_inverse=True, return_counts=True)
    result = nx.unique_all(named)
    assert result._fields == ("values", "indices", "inverse_indices", "counts")
    assert result.values.dtype is nx.as_dtype(type)
    assert all(r.dtype is nx.int64 for r in result[1:])
    assert_close(result.values, values.astype(x.dtype), type)
    assert_close(result.indices, first)
    assert_close(result.inverse_indices, inverse.reshape(3, 4))
    assert result.inverse_indices.names == ("r", "c")
    assert_close(result.counts, counts)
    assert nx.unique_counts(named)._fields == ("values", "counts")
    assert_close(nx.unique_counts(named).counts, counts)
    assert nx.unique_inverse(named)._fields == ("values", "inverse_indices")
    assert_close(nx.unique_inverse(named).inverse_indices, inverse.reshape(3, 4))
    assert_close(nx.unique_values(named), values.astype(x.dtype), type)


def test_unique_counts_each_nan_apart():
    values, counts = nx.unique_counts(nx.tensor([np.nan, 1.0, np.nan, 1.0]))
    assert np.isnan(values.numpy()[1:]).all() and counts.tolist() == [2, 1, 1]


@pytest.mark.parametrize("type", ALL_TYPES)
@pytest.mark.parametrize("shape", [(5,), (3, 4), (2, 0)])
def test_nonzero_matches_numpy(type, shape):
    x = sample(type, shape, seed=3, low=0, high=2) if not nx.as_dtype(type).is_inexact else \
        sample(type, shape, seed=3).round(0)
    wide = x.astype(np.float32) if nx.as_dtype(type) is nx.bfloat16 else x
    indices = nx.nonzero(x)
    assert len(indices) == len(shape) and all(i.dtype is nx.int64 for i in indices)
    for got, expected in zip(indices, np.nonzero(wide)):
        assert_close(got, expected)


def test_nonzero_of_a_scalar_is_an_error():
    with pytest.raises(nx.NxValueError):
        nx.nonzero(nx.tensor(1))


@pytest.mark.parametrize("fn", [nx.unique_all, nx.unique_counts, nx.unique_inverse, nx.unique_values, nx.nonzero])
def test_data_dependent_shapes_refuse_to_trace(fn):
    traced = nx.defn(fn, compiler="evaluator")
    with pytest.raises(nx.NxTraceError):
        traced(np.array([1, 2, 2]))


# ---- utility: diff; isin ----

@pytest.mark.parametrize("type", ALL_TYPES)
@pytest.mark.parametrize("n, axis", [(1, -1), (2, 0), (0, 1), (3, -1), (5, -1)])
def test_diff_matches_numpy(type, n, axis):
    x = sample(type, (3, 4), seed=4)
    expected = np.diff(x.astype(np.float32) if nx.as_dtype(type) is nx.bfloat16 else x, n=n, axis=axis)
    assert_close(nx.diff(x, n=n, axis=axis), expected.astype(x.dtype), type)


def test_diff_with_prepend_and_append():
    x = sample("s32", (2, 3), seed=5)
    before, after = sample("s32", (2, 1), seed=6), sample("s32", (2, 2), seed=7)
    assert_close(nx.diff(x, prepend=before, append=after), np.diff(x, prepend=before, append=after))
    top = sample("s32", (1, 3), seed=8)
    assert_close(nx.diff(x, axis=0, prepend=top), np.diff(x, axis=0, prepend=top))
    with pytest.raises(nx.NxValueError):
        nx.diff(nx.tensor(1))
    with pytest.raises(nx.NxValueError):
        nx.diff(x, n=-1)


@pytest.mark.parametrize("type", ["bool", "u8", "s64", "f32", "c64"])
@pytest.mark.parametrize("invert", [False, True])
def test_isin_matches_numpy(type, invert):
    x1, x2 = sample(type, (3, 4), seed=8), sample(type, (5,), seed=9)
    x2[:2] = x1[0, :2]
    assert_close(nx.isin(x1, x2, invert=invert), np.isin(x1, x2, invert=invert))
