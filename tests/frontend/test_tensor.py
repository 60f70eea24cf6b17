import ml_dtypes
import numpy as np
import pytest

import numerix as nx

from conftest import ALL_TYPES, sample


@pytest.mark.parametrize("type", ALL_TYPES)
def test_numpy_round_trip_keeps_type_and_values(type):
    x = sample(type)
    t = nx.tensor(x)
    assert t.type == nx.as_dtype(type) and t.shape == x.shape
    back = np.asarray(t)
    assert back.dtype == x.dtype
    np.testing.assert_array_equal(back, x)
    np.testing.assert_array_equal(t.numpy(), x)


def test_python_data_takes_defaults_and_type_overrides():
    assert nx.tensor(3).type == nx.s64 and nx.tensor(3).shape == ()
    assert nx.tensor([[1.5, 2]]).type == nx.f32
    assert nx.tensor([True, False]).type == nx.bool
    assert nx.tensor([1 + 1j]).type == nx.c64
    assert nx.tensor([1, 2], type="bf16").numpy().dtype == ml_dtypes.bfloat16
    assert nx.tensor([1, 2], dtype=nx.uint16).type == nx.u16
    assert nx.tensor([1, 2], type=("f", 64)).type == nx.f64


def test_bad_data_is_a_numerix_error():
    with pytest.raises(nx.NxTypeError):
        nx.tensor([[1, 2], [3]])
    with pytest.raises(nx.NxTypeError):
        nx.tensor(["a"])
    with pytest.raises(nx.NxTypeError, match="complex"):
        nx.tensor([1j], type="f32")
    with pytest.raises(nx.NxValueError, match="names"):
        nx.tensor([1, 2], names=["a", "b"])


def test_one_element_conversions():
    assert float(nx.tensor([2.5])) == 2.5 and int(nx.tensor(7)) == 7 and bool(nx.tensor([True]))
    assert complex(nx.tensor(1j)) == 1j and nx.tensor([[4]]).item() == 4
    assert [10, 20][nx.tensor(1)] == 20
    with pytest.raises(nx.NxValueError, match="one-element"):
        float(nx.tensor([1.0, 2.0]))
    with pytest.raises(nx.NxTypeError):
        [1][nx.tensor(0.0)]


def test_tolist_len_iter():
    t = nx.tensor([[1, 2], [3, 4]])
    assert t.tolist() == [[1, 2], [3, 4]] and len(t) == 2 and t.ndim == 2 and t.size == 4


def test_dlpack_both_ways():
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    t = nx.from_dlpack(x)
    assert t.type == nx.f32 and t.tolist() == x.tolist()
    np.testing.assert_array_equal(np.from_dlpack(t), x)
    assert t.__dlpack_device__() == x.__dlpack_device__()


def test_repr_shows_type_names_and_values():
    text = repr(nx.tensor([[1, 2, 3]], names=["x", None], type="s8"))
    assert text.startswith("nx.Tensor<") and "s8[x: 1][3]" in text and "[[1, 2, 3]]" in text
    assert "bf16[2]" in repr(nx.tensor([1.5, 2], type="bf16"))


def test_array_namespace_is_numerix():
    t = nx.tensor([1.0])
    assert t.__array_namespace__() is nx
    assert nx.__array_api_version__ == "2024.12"
    assert t.device == "cpu" and t.to_device("cpu") is t


def test_large_tensors_start_on_a_64_byte_boundary():
    for offset in range(0, 64, 8):
        raw = np.zeros(200_000 + 8, np.uint8)[offset:offset + 200_000].view(np.float64)
        raw[:] = np.arange(raw.size)
        t = nx.tensor(raw)
        assert t.numpy().ctypes.data % 64 == 0
        np.testing.assert_array_equal(t.numpy(), raw)


@pytest.mark.parametrize("make", [
    nx.tensor, nx.asarray, lambda a: nx.asarray(a, copy=True), nx.from_dlpack,
    lambda a: nx.from_dlpack(a, copy=True), lambda a: nx.tensor(a.view()), lambda a: nx.tensor(a, type="f64"),
], ids=["tensor", "asarray", "asarray copy", "from_dlpack", "from_dlpack copy", "a view", "a cast"])
@pytest.mark.parametrize("size", [4, 100_000], ids=["small", "large"])
def test_a_tensor_does_not_change_when_its_source_array_does(make, size):
    source = np.arange(size, dtype=np.float32)
    t = make(source)
    source[:] = -1
    np.testing.assert_array_equal(t.numpy(), np.arange(size, dtype=np.float32))


def test_a_read_only_view_of_a_writeable_array_is_copied_but_frozen_memory_is_read_in_place():
    source = np.arange(4.0)
    view = source.view()
    view.flags.writeable = False
    t = nx.tensor(view)
    source[0] = -1
    assert t.tolist() == [0.0, 1.0, 2.0, 3.0]
    frozen = np.frombuffer(np.arange(4.0).tobytes(), np.float64)  # over bytes: no one can write it
    assert np.shares_memory(nx.tensor(frozen).numpy(), frozen)


def test_asarray_and_from_dlpack_without_copy_read_the_array_in_place():
    source = np.arange(4.0)
    shared, imported = nx.asarray(source, copy=False), nx.from_dlpack(source, copy=False)
    source[0] = -1
    assert shared.tolist() == imported.tolist() == [-1.0, 1.0, 2.0, 3.0]
