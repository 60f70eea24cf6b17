import ml_dtypes
import numpy as np
import pytest
from hypothesis import given, strategies as st

import numerix as nx
from numerix.dialect import dtypes

from conftest import ALL_TYPES


@pytest.mark.parametrize("spec, name", [
    ("f32", "f32"), (("f", 32), "f32"), (("bf", 16), "bf16"), (("s", 8), "s8"), (("u", 64), "u64"),
    (("c", 64), "c64"), (np.float64, "f64"), (np.dtype("int16"), "s16"), (ml_dtypes.bfloat16, "bf16"),
    (bool, "bool"), (int, "s64"), (float, "f32"), (complex, "c64"), ("float32", "f32"), (nx.uint8, "u8"),
    ("pred", "bool"), (np.bool_, "bool"),
])
def test_type_spellings(spec, name):
    assert nx.as_dtype(spec).name == name


@pytest.mark.parametrize("spec", ["f7", ("f", 7), "str", np.dtype("U3"), object, 3])
def test_unknown_type_is_a_numerix_error_that_names_it(spec):
    with pytest.raises(nx.NxTypeError, match="unknown type"):
        nx.as_dtype(spec)


@pytest.mark.parametrize("a, b, out", [
    ("u8", "s8", "s16"), ("u16", "s16", "s32"), ("u32", "s32", "s64"), ("u8", "s32", "s32"), ("u8", "u16", "u16"),
    ("s8", "f16", "f16"), ("s64", "f32", "f32"), ("bf16", "f16", "f32"), ("f32", "f64", "f64"),
    ("f64", "c64", "c128"), ("f32", "c64", "c64"), ("bool", "u8", "u8"), ("bool", "bool", "bool"),
    ("s64", "c64", "c64"), ("bf16", "bf16", "bf16"),
])
def test_promotion_lattice(a, b, out):
    assert nx.promote_types(a, b).name == out
    assert nx.promote_types(b, a).name == out


def test_weak_python_scalars():
    assert (nx.tensor([1, 2], type="f16") * 2.0).type == nx.f16
    assert (nx.tensor([1, 2], type="s8") + 1).type == nx.s8
    assert (nx.tensor([1, 2], type="s32") + 2.5).type == nx.f32
    assert (nx.tensor([True]) + 1).type == nx.s64
    assert (nx.tensor([1.0], type="f64") * 1j).type == nx.c128
    assert (nx.tensor([1, 2], type="u8") + True).type == nx.u8


def test_defaults_never_narrow():
    assert nx.tensor([1, 2]).type == nx.s64
    assert nx.tensor([1.5]).type == nx.f32
    assert nx.tensor(np.array([1.5])).type == nx.f64
    assert nx.tensor(np.array([1], np.int64)).type == nx.s64
    assert (nx.tensor(np.array([1.0])) + 1).type == nx.f64


@given(st.sampled_from(ALL_TYPES), st.sampled_from(ALL_TYPES), st.sampled_from(ALL_TYPES))
def test_promotion_is_commutative_and_associative(a, b, c):
    p = nx.promote_types
    assert p(a, b) == p(b, a)
    assert p(p(a, b), c) == p(a, p(b, c))


@given(st.sampled_from(ALL_TYPES), st.sampled_from(ALL_TYPES))
def test_promotion_never_loses_kind(a, b):
    out = nx.promote_types(a, b)
    ta, tb = nx.as_dtype(a), nx.as_dtype(b)
    if ta.is_complex or tb.is_complex:
        assert out.is_complex
    elif ta.is_float or tb.is_float:
        assert out.is_float
    elif ta.is_integer or tb.is_integer:
        assert out.is_integer


def test_dtype_objects_compare_with_spellings():
    assert nx.float32 == "f32" and nx.float32 == np.float32 and nx.float32 != nx.float64
    assert nx.tensor([1.0]).dtype == nx.float32
    assert {nx.int8: 1}[nx.as_dtype("s8")] == 1
    assert repr(nx.bfloat16) == "nx.bfloat16"


def test_finfo_iinfo():
    assert nx.finfo(nx.float32).eps == np.finfo(np.float32).eps
    assert nx.finfo("bf16").bits == 16 and nx.finfo("c128").dtype == nx.f64
    assert nx.iinfo(nx.uint8).max == 255 and nx.iinfo("s16").min == -32768
    with pytest.raises(nx.NxTypeError, match="finfo"):
        nx.finfo("s32")
    with pytest.raises(nx.NxTypeError, match="iinfo"):
        nx.iinfo(nx.f32)


def test_every_type_round_trips_through_numpy():
    for name in ALL_TYPES:
        t = dtypes.TYPES[name]
        assert dtypes.of_numpy(t.np) is t
