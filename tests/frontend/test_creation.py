"""Creation functions against NumPy, for every type: iota, eye, full and friends, linspace, arange, tril/triu,
asarray; default types; names; errors."""
import ml_dtypes
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import numerix as nx
from conftest import ALL_TYPES, assert_close, sample

NUMBER_TYPES = [t for t in ALL_TYPES if t != "bool"]
INEXACT_TYPES = ["f16", "bf16", "f32", "f64", "c64", "c128"]


def np_type(name):
    return nx.as_dtype(name).np


# ---- iota ----

@pytest.mark.parametrize("type", NUMBER_TYPES)
@pytest.mark.parametrize("axis", [0, 1, -1, None])
def test_iota_counts_along_an_axis_or_flat(type, axis):
    t = nx.iota((2, 3), axis=axis, type=type)
    expected = np.arange(6).reshape(2, 3) if axis is None else np.indices((2, 3))[axis]
    assert t.type is nx.as_dtype(type) and t.shape == (2, 3)
    assert_close(t, expected.astype(np_type(type)), type)


def test_iota_defaults_to_s64_and_takes_names_and_axes_by_name():
    t = nx.iota((2, 3), axis="b", names=("a", "b"))
    assert t.type is nx.s64 and t.names == ("a", "b")
    assert_close(t, np.indices((2, 3))[1])
    template = nx.tensor(np.zeros((3, 2)), names=["x", "y"])
    u = nx.iota(template, axis="x")
    assert u.shape == (3, 2) and u.names == ("x", "y")
    assert_close(u, np.indices((3, 2))[0])


def test_iota_of_a_scalar_shape_and_an_empty_one():
    assert nx.iota(()).tolist() == 0
    assert nx.iota((0, 3), axis=1).shape == (0, 3)


@pytest.mark.parametrize("call, error", [
    (lambda: nx.iota((2, 3), axis=2), nx.NxValueError),
    (lambda: nx.iota((2, 3), axis="z", names=("a", "b")), nx.NxValueError),
    (lambda: nx.iota((2,), type="bool"), nx.NxTypeError),
    (lambda: nx.iota((2, -1)), nx.NxValueError),
    (lambda: nx.iota((2, 3), names=("a",)), nx.NxValueError),
    (lambda: nx.iota((2,), type="f32", dtype="f64"), nx.NxValueError),
])
def test_iota_errors(call, error):
    with pytest.raises(error):
        call()


# ---- eye ----

@pytest.mark.parametrize("type", ALL_TYPES)
@pytest.mark.parametrize("rows, cols, k", [(3, None, 0), (3, 4, 1), (4, 3, -1), (2, 5, 3), (3, 3, -5)])
def test_eye_matches_numpy(type, rows, cols, k):
    t = nx.eye(rows, cols, k=k, dtype=type)
    assert t.type is nx.as_dtype(type)
    assert_close(t, np.eye(rows, cols, k=k, dtype=np_type(type)), type)


def test_eye_defaults_to_the_default_float_and_makes_batches_with_names():
    assert nx.eye(2).type is nx.float32
    t = nx.eye((2, 3, 3), type=nx.s32, names=("batch", "i", "j"))
    assert t.names == ("batch", "i", "j") and t.type is nx.s32
    assert_close(t, np.broadcast_to(np.eye(3, dtype=np.int32), (2, 3, 3)))
    with pytest.raises(nx.NxValueError):
        nx.eye((2, 3, 3), 4)
    with pytest.raises(nx.NxValueError):
        nx.eye(2, device="gpu")


# ---- full, zeros, ones, empty and the _like forms ----

FILL = {"bool": True, "u8": 200, "u16": 7, "u32": 7, "u64": 2**63 + 5, "s8": -100, "s16": -7, "s32": 7,
        "s64": -(2**62), "f16": 1.5, "bf16": -2.5, "f32": 0.1, "f64": 0.1, "c64": 1.5 - 2j, "c128": 0.1 + 0.2j}


@pytest.mark.parametrize("type", ALL_TYPES)
def test_full_zeros_ones_empty_for_every_type(type):
    np_t = np_type(type)
    assert_close(nx.full((2, 3), FILL[type], dtype=type), np.full((2, 3), FILL[type], dtype=np_t), type, rtol=0)
    assert_close(nx.zeros((2, 3), dtype=type), np.zeros((2, 3), np_t), type)
    assert_close(nx.ones(4, type=type), np.ones(4, np_t), type)
    assert_close(nx.empty((0, 2), dtype=type), np.empty((0, 2), np_t), type)
    for fn in (nx.zeros, nx.ones, nx.full, nx.empty):
        args = ((2,), FILL[type]) if fn is nx.full else ((2,),)
        assert fn(*args, dtype=type).type is nx.as_dtype(type)


@pytest.mark.parametrize("type", ALL_TYPES)
def test_like_functions_keep_shape_type_and_names(type):
    x = nx.tensor(sample(type, (2, 3)), names=["r", "c"])
    np_t = np_type(type)
    for fn, expected in ((nx.zeros_like, np.zeros((2, 3), np_t)), (nx.ones_like, np.ones((2, 3), np_t)),
                         (nx.empty_like, np.zeros((2, 3), np_t))):
        out = fn(x)
        assert out.type is x.type and out.names == ("r", "c")
        assert_close(out, expected, type)
    out = nx.full_like(x, FILL[type])
    assert out.type is x.type and out.names == ("r", "c")
    assert_close(out, np.full((2, 3), FILL[type], np_t), type, rtol=0)
    assert nx.zeros_like(x, dtype=nx.float64).type is nx.float64


@pytest.mark.parametrize("value, type", [(True, nx.bool), (3, nx.int64), (2.5, nx.float32), (1j, nx.complex64),
                                         (np.float64(2.5), nx.float64), (np.int8(3), nx.int8)])
def test_full_takes_its_type_from_the_value(value, type):
    t = nx.full((2,), value)
    assert t.type is type
    assert t.tolist() == [value, value]


def test_full_accepts_a_scalar_tensor_and_names():
    t = nx.full((2, 2), nx.tensor(3, type=nx.u8), names=("a", "b"))
    assert t.type is nx.u8 and t.names == ("a", "b") and t.tolist() == [[3, 3], [3, 3]]
    assert nx.full((), 2.0).shape == ()


@pytest.mark.parametrize("call, error", [
    (lambda: nx.full((2,), 300, dtype=nx.uint8), nx.NxValueError),
    (lambda: nx.full((2,), -1, dtype=nx.uint32), nx.NxValueError),
    (lambda: nx.full((2,), 1.5, dtype=nx.int32), nx.NxTypeError),
    (lambda: nx.full((2,), 1j, dtype=nx.float32), nx.NxTypeError),
    (lambda: nx.full((2,), 2, dtype=nx.bool), nx.NxValueError),
    (lambda: nx.full((2,), "a"), nx.NxTypeError),
    (lambda: nx.full((2,), nx.tensor([1, 2])), nx.NxValueError),
    (lambda: nx.zeros((2, 3.0)), nx.NxValueError),
    (lambda: nx.zeros("ab"), nx.NxValueError),
    (lambda: nx.ones(2, device="gpu"), nx.NxValueError),
])
def test_full_errors(call, error):
    with pytest.raises(error):
        call()


# ---- linspace and arange ----

@pytest.mark.parametrize("type", INEXACT_TYPES)
@pytest.mark.parametrize("start, stop, num, endpoint", [(0, 1, 5, True), (-2.5, 7.25, 11, False), (3, -3, 1, True),
                                                        (0, 1, 0, True), (1, 1, 4, True), (0.1, 0.7, 7, True)])
def test_linspace_matches_numpy(type, start, stop, num, endpoint):
    t = nx.linspace(start, stop, num, dtype=type, endpoint=endpoint)
    expected = np.linspace(start, stop, num, endpoint=endpoint).astype(np_type(type))
    assert t.type is nx.as_dtype(type)
    assert_close(t, expected, type, rtol=0, atol=0)  # computed in f64 as NumPy does, then rounded once


def test_linspace_complex_ends_and_defaults():
    t = nx.linspace(0, 1 + 2j, 3)
    assert t.type is nx.complex64
    assert_close(t, np.linspace(0, 1 + 2j, 3).astype(np.complex64), "c64")
    assert nx.linspace(0, 1, 3).type is nx.float32
    with pytest.raises(nx.NxTypeError):
        nx.linspace(0, 1, 3, dtype=nx.int32)
    with pytest.raises(nx.NxTypeError):
        nx.linspace(0, 1j, 3, dtype=nx.float32)
    with pytest.raises(nx.NxValueError):
        nx.linspace(0, 1, -1)
    with pytest.raises(nx.NxTypeError):
        nx.linspace(nx.tensor(0.0), 1, 3)


INT_RANGES = [(5,), (2, 9), (2, 9, 3), (9, 2, -2), (5, 2), (-3, 3, 1), (0, 10, 4)]


@pytest.mark.parametrize("args, type", [(args, type) for args in INT_RANGES
                                        for type in (None, "u8", "s8", "s32", "f16", "bf16", "f32", "f64")
                                        if not (type == "u8" and min(args) < 0)])  # (u8 errors: below)
def test_arange_of_ints_matches_numpy(args, type):
    t = nx.arange(*args, dtype=type)
    expected = np.arange(*args).astype(np.int64 if type is None else np_type(type))
    assert t.type is (nx.int64 if type is None else nx.as_dtype(type))
    assert_close(t, expected, type)


@given(st.integers(-50, 50), st.integers(-50, 50), st.integers(-7, 7).filter(bool))
def test_arange_property_of_ints(start, stop, step):
    assert_close(nx.arange(start, stop, step), np.arange(start, stop, step))


@given(st.floats(-10, 10), st.floats(-10, 10), st.integers(0, 40), st.booleans())
def test_linspace_property(start, stop, num, endpoint):
    assert_close(nx.linspace(start, stop, num, endpoint=endpoint, dtype=nx.float64),
                 np.linspace(start, stop, num, endpoint=endpoint), "f64", rtol=0, atol=0)


@pytest.mark.parametrize("args", [(0.0, 1.0, 0.1), (2.5,), (1, 2, 0.25), (5.0, -1.0, -0.5), (0, 1e-3, 1e-4)])
@pytest.mark.parametrize("type", [None, "f32", "f64", "bf16"])
def test_arange_of_floats_matches_numpy(args, type):
    t = nx.arange(*args, dtype=type)
    expected = np.arange(*args, dtype=np.float64).astype(np.float32 if type is None else np_type(type))
    assert t.type is (nx.float32 if type is None else nx.as_dtype(type))
    assert_close(t, expected, type or "f32")


@pytest.mark.parametrize("call, error", [
    (lambda: nx.arange(0, 5, 0), nx.NxValueError),
    (lambda: nx.arange(250, 260, dtype=nx.uint8), nx.NxValueError),
    (lambda: nx.arange(-1, 2, dtype=nx.uint8), nx.NxValueError),
    (lambda: nx.arange(3, dtype=nx.bool), nx.NxTypeError),
    (lambda: nx.arange(1j), nx.NxTypeError),
    (lambda: nx.arange("3"), nx.NxTypeError),
])
def test_arange_errors(call, error):
    with pytest.raises(error):
        call()


# ---- tril, triu ----

@pytest.mark.parametrize("type", ALL_TYPES)
@pytest.mark.parametrize("k", [-1, 0, 2])
def test_tril_triu_match_numpy(type, k):
    x = sample(type, (2, 3, 4))
    assert_close(nx.tril(x, k=k), np.tril(x, k=k), type)
    assert_close(nx.triu(x, k=k), np.triu(x, k=k), type)


def test_tril_keeps_names_and_needs_matrices():
    t = nx.tril(nx.tensor(np.ones((2, 2)), names=["i", "j"]))
    assert t.names == ("i", "j")
    with pytest.raises(nx.NxValueError):
        nx.tril(nx.tensor([1, 2]))
    with pytest.raises(nx.NxTypeError):
        nx.triu(np.ones((2, 2)), k=0.5)


# ---- asarray ----

@pytest.mark.parametrize("obj, type", [(True, nx.bool), (3, nx.int64), (2.5, nx.float32), (1 + 1j, nx.complex64),
                                       ([[1, 2], [3, 4]], nx.int64), ([1, 2.5], nx.float32)])
def test_asarray_of_python_data_takes_the_default_types(obj, type):
    t = nx.asarray(obj)
    assert t.type is type
    assert_close(t, np.asarray(obj).astype(type.np), type)


@pytest.mark.parametrize("type", ALL_TYPES)
def test_asarray_of_numpy_keeps_its_type_or_casts(type):
    data = sample(type, (3,))
    assert nx.asarray(data).type is nx.as_dtype(type)
    assert_close(nx.asarray(data), data, type)
    if nx.as_dtype(type).is_complex:
        with pytest.raises(nx.NxTypeError):  # complex to real would drop the imaginary part
            nx.asarray(data, dtype=nx.float64)
    else:
        assert_close(nx.asarray(data, dtype=nx.float64), data.astype(np.float64), "f64")


def test_asarray_copy_rules():
    data = np.arange(3.0)
    copied = nx.asarray(data, copy=True)
    data[0] = 100.0
    assert copied.tolist() == [0.0, 1.0, 2.0]
    t = nx.tensor([1.0, 2.0])
    assert nx.asarray(t) is t and nx.asarray(t, copy=False) is t
    fresh = nx.asarray(t, copy=True)
    assert fresh is not t and fresh.tolist() == [1.0, 2.0] and fresh.ttype == t.ttype
    assert nx.asarray(t, dtype=nx.float64).type is nx.float64
    with pytest.raises(nx.NxValueError):
        nx.asarray(t, dtype=nx.float64, copy=False)
    with pytest.raises(nx.NxValueError):
        nx.asarray([1, 2], copy=False)
    with pytest.raises(nx.NxValueError):
        nx.asarray(np.arange(3), dtype=nx.float32, copy=False)
    with pytest.raises(nx.NxValueError):
        nx.asarray([1], device="gpu")


def test_asarray_of_bf16_and_dlpack_objects():
    data = np.array([1.5, -2.0], ml_dtypes.bfloat16)
    assert nx.asarray(data).type is nx.bfloat16
    t = nx.asarray(np.arange(4, dtype=np.int16).reshape(2, 2))
    assert nx.asarray(t.numpy()).type is nx.int16


@pytest.mark.parametrize("type", ALL_TYPES)
def test_creation_functions_trace_to_the_same_values(type):
    """Inside defn the creation functions build nx.iota / nx.constant ops (the reference evaluator runs them)."""
    def build(x):
        return (nx.full((2,), FILL[type], dtype=type), nx.eye(2, 3, k=1, dtype=type), nx.zeros_like(x),
                nx.tril(nx.ones((2, 2), dtype=type)), nx.iota((2, 3), axis=None, type="s32"))
    x = sample(type, (2,))
    for traced, eager in zip(nx.defn(build, compiler="evaluator")(x), build(nx.tensor(x))):
        assert traced.ttype == eager.ttype
        assert_close(traced, eager, type if eager.type is nx.as_dtype(type) else None, rtol=0, atol=0)


def test_float_ranges_trace_to_the_same_values():
    def build():
        return nx.linspace(-1, 2, 7, dtype=nx.float64), nx.arange(0.5, 3, 0.25), nx.linspace(0, 1j, 3)
    for traced, eager in zip(nx.defn(build, compiler="evaluator")(), build()):
        assert traced.ttype == eager.ttype
        assert_close(traced, eager, eager.type, rtol=0, atol=0)


# ---- shapes no device can hold: a located error, eagerly and under defn, never NumPy's or IREE's ----

@pytest.mark.parametrize("shape", [(10**10, 10**10), (2**62, 4)])
def test_a_shape_past_any_address_space_is_a_value_error(shape):
    with pytest.raises(nx.NxValueError, match=r"^broadcast: result f32\[.*\] would take .* bytes, more than any "):
        nx.zeros(shape)
    with pytest.raises(nx.NxValueError, match="more than any device can address"):
        nx.defn(lambda: nx.zeros(shape))()


@pytest.mark.parametrize("name", ALL_TYPES)
def test_calling_a_type_makes_a_tensor_of_it_as_nx_shorthands_do(name):
    """Nx.f32(data) is Nx.tensor(data, type: :f32): nx.f32(data) too, for every type; the type stays a dtype."""
    t = nx.as_dtype(name)
    made = t([[1, 0], [0, 1]])
    assert made.type is t and made.shape == (2, 2)
    np.testing.assert_array_equal(made.numpy(), nx.tensor([[1, 0], [0, 1]], type=t).numpy())
    assert nx.zeros((2,), dtype=t).type is t and t == name


def test_arange_takes_0d_tensors_with_values():
    """SciPy passes 0-d arrays as bounds (stats.cramervonmises); a traced one has no value to size the result."""
    assert_close(nx.arange(nx.tensor(4)), np.arange(4))
    assert_close(nx.arange(nx.tensor(1.0), nx.tensor(3), nx.tensor(0.5)), np.arange(1.0, 3.0, 0.5, np.float32))
    with pytest.raises(nx.NxTypeError, match="stop must be a Python or NumPy number"):
        nx.arange(nx.tensor([4]))
    with pytest.raises(nx.NxTypeError, match="stop must be known when tracing"):
        nx.defn(lambda n: nx.arange(n), compiler="evaluator")(nx.tensor(4))
