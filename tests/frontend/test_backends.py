"""The backend API (frontend/backends.py): iree tensors stay on their device through defn calls and eager ops, and
cross to the host only when read (runtime/device_tensors.py counts each crossing); donation invalidates."""
import numpy as np
import pytest

import numerix as nx
from numerix.runtime.device_tensors import TRANSFERS


def _on_device(array):
    return nx.backend_transfer(nx.tensor(array), "iree")


def _count():
    return dict(TRANSFERS)


def test_ten_chained_defn_calls_transfer_nothing_until_the_result_is_read():
    step = nx.defn(lambda x, y: (x * 0.5 + y, y - 1.0))
    x, y = _on_device(np.arange(6, dtype=np.float32).reshape(2, 3)), _on_device(np.ones(3, np.float32))
    before = _count()
    for _ in range(10):
        x, y = step(x, y)
    assert _count() == before
    assert (x.backend.name, y.backend.name) == ("iree", "iree")
    expected_x, expected_y = np.arange(6, dtype=np.float32).reshape(2, 3), np.ones(3, np.float32)
    for _ in range(10):
        expected_x, expected_y = expected_x * 0.5 + expected_y, expected_y - 1.0
    np.testing.assert_allclose(np.asarray(x), expected_x, rtol=1e-6)
    assert TRANSFERS["to_host"] == before.get("to_host", 0) + 1
    assert y.tolist() == expected_y.tolist()
    assert TRANSFERS["to_host"] == before.get("to_host", 0) + 2


def test_numpy_arguments_give_numpy_results_unless_iree_is_the_default():
    f = nx.defn(lambda x: {"double": x * 2})
    assert f(nx.tensor([1, 2]))["double"].backend.name == "numpy"
    with nx.with_default_backend("iree"):
        out = f(nx.tensor([1, 2]))["double"]  # the argument is made on the device too
        assert out.backend.name == "iree"
    assert nx.default_backend().name == "numpy"
    assert out.tolist() == [2, 4]
    mixed = f(_on_device(np.array([3, 4])))["double"]
    assert mixed.backend.name == "iree" and mixed.tolist() == [6, 8]


def test_evaluator_programs_take_and_give_device_tensors():
    f = nx.defn(lambda x: nx.sum(x, axes=[0]), compiler="evaluator")
    out = f(_on_device(np.array([[1.0, 2.0], [3.0, 4.0]], np.float32)))
    assert out.backend.name == "iree" and out.tolist() == [4.0, 6.0]


def test_default_backend_sets_and_returns_the_previous_one():
    previous = nx.default_backend("iree")
    try:
        assert previous.name == "numpy"
        assert nx.default_backend().name == "iree"
        assert nx.tensor([1.0]).backend.name == "iree"
    finally:
        assert nx.default_backend(previous).name == "iree"
    assert nx.default_backend() is previous
    assert nx.default_backend(nx.default_backend()) is previous  # a backend object works too


@pytest.mark.parametrize("call, match", [
    (lambda: nx.default_backend("torch"), "unknown backend 'torch'"),
    (lambda: nx.default_backend("iree", client="cuda"), r"unknown options \['client'\]"),
    (lambda: nx.default_backend("numpy", device="cpu"), "takes no options"),
    (lambda: nx.default_backend("iree", device="tpu"), "device 'tpu'"),
    (lambda: nx.backend_copy([1, 2], "iree"), "takes tensors and tuples"),
    (lambda: nx.donatable(nx.tensor([1.0])), "only device tensors"),
])
def test_bad_backend_arguments_raise(call, match):
    with pytest.raises(nx.NxValueError, match=match):
        call()


def test_backend_functions_refuse_traced_tensors():
    @nx.defn
    def f(x):
        return nx.backend_copy(x, "iree")
    with pytest.raises(nx.NxTraceError, match="backend_copy cannot be called inside defn"):
        f(nx.tensor([1.0]))


def test_copy_keeps_the_source_and_transfer_deallocates_it():
    source = _on_device(np.array([1, 2, 3], np.int32))
    tree = nx.backend_copy({"a": source, "b": (source,)})
    assert tree["a"].backend.name == "numpy" and tree["b"][0].tolist() == [1, 2, 3]
    assert source.tolist() == [1, 2, 3]
    again = nx.backend_copy(source, "iree")  # its own memory: deallocating one leaves the other
    nx.backend_deallocate(again)
    assert source.tolist() == [1, 2, 3]
    moved = nx.backend_transfer([source])
    assert moved[0].backend.name == "numpy" and moved[0].tolist() == [1, 2, 3]
    with pytest.raises(nx.NxValueError, match="deallocated or donated"):
        source.numpy()
    assert nx.backend_transfer(moved[0]) is moved[0]  # already there
    nx.backend_deallocate(moved)  # NumPy tensors: nothing to free
    assert moved[0].tolist() == [1, 2, 3]


@pytest.mark.parametrize("array", [
    np.array(2.5, np.float32), np.zeros((0, 3), np.float32), np.array([1, -2], np.int8),
    np.array([[True, False]]), np.array([1 + 2j], np.complex64),
])
def test_values_round_trip_through_the_device(array):
    back = nx.backend_transfer(_on_device(array))
    assert back.shape == array.shape and back.type == nx.tensor(array).type
    np.testing.assert_array_equal(np.asarray(back), array)


def test_low_precision_values_round_trip():
    t = nx.tensor([1.5, -2.0], type="bf16")
    assert nx.backend_transfer(nx.backend_copy(t, "iree")).tolist() == [1.5, -2.0]


def test_eager_ops_run_on_the_device_with_kernels_cached_by_signature():
    x = _on_device(np.array([[1.0, 2.0], [3.0, 4.0]], np.float32))
    before = _count()
    y = nx.exp(x) - nx.reshape(x, (2, 2))
    total = nx.sum(y, axes=[1])
    values, indices = nx.top_k(x, k=1)  # an op with two results
    assert _count() == before
    assert {t.backend.name for t in (y, total, values, indices)} == {"iree"}
    expected = np.exp([[1.0, 2.0], [3.0, 4.0]]) - [[1.0, 2.0], [3.0, 4.0]]
    np.testing.assert_allclose(np.asarray(total), expected.sum(1), rtol=1e-5)
    assert indices.tolist() == [[1], [1]] and values.tolist() == [[2.0], [4.0]]
    kernels = len(x.backend._kernels)
    nx.exp(x)
    nx.sum(y, axes=[1])
    assert len(x.backend._kernels) == kernels
    assert (x + 1).tolist() == [[2.0, 3.0], [4.0, 5.0]]  # a NumPy operand goes to the device
    assert TRANSFERS["to_device"] == before.get("to_device", 0) + 1


def test_eager_ops_keep_axis_names_and_vectorized_axes():
    x = nx.vectorize(_on_device(np.arange(6.0, dtype=np.float32).reshape(2, 3)), "rows")
    y = nx.sum(x * 2)
    assert y.backend.name == "iree" and y.vectorized_axes == (("rows", 2),)
    assert nx.devectorize(y).tolist() == [6.0, 24.0]
    named = nx.rename(_on_device(np.ones((2, 2), np.float32)), ["a", "b"]) + 1
    assert named.names == ("a", "b")


def test_grad_of_device_tensors():
    x = _on_device(np.array([0.0, 1.0], np.float32))
    g = nx.grad(lambda t: nx.sum(nx.sin(t)))(x)
    assert g.backend.name == "iree"
    np.testing.assert_allclose(np.asarray(g), np.cos([0.0, 1.0]), rtol=1e-6)


def test_a_donated_tensor_is_invalid_after_the_call_and_its_result_is_right():
    step = nx.defn(lambda w, g: (w - 0.1 * g, nx.sum(w)))
    w, g = _on_device(np.ones(4, np.float32)), _on_device(np.full(4, 2.0, np.float32))
    new_w, total = step(nx.donatable(w), g)
    np.testing.assert_allclose(np.asarray(new_w), np.full(4, 0.8), rtol=1e-6)
    assert float(total) == 4.0
    with pytest.raises(nx.NxValueError, match="deallocated or donated to a defn call"):
        np.asarray(w)
    with pytest.raises(nx.NxValueError, match="deallocated or donated"):
        step(w, g)
    with pytest.raises(nx.NxValueError, match="deallocated or donated"):
        nx.donatable(w)
    assert g.tolist() == [2.0] * 4  # not donated: still valid
    params = {"w": new_w}
    assert nx.donatable(params) is not params and nx.donatable(params)["w"] is new_w


def _memory(t):
    """The IREE buffer under a device tensor (equal where two tensors share memory)."""
    return t.data.view.get_buffer()


def _loss(w, x):
    return nx.sum(nx.dot(x, w) ** 2)


_train_step = nx.defn(lambda w, x: (w - 1e-4 * nx.grad(_loss)(w, x), _loss(w, x)))


def test_a_training_step_updates_a_donated_16_mb_parameter_in_place():
    rng = np.random.default_rng(0)
    w0, x0 = rng.standard_normal((2048, 2048)).astype(np.float32), rng.standard_normal((8, 2048)).astype(np.float32)
    w, x = _on_device(w0), _on_device(x0)
    kept_w, kept_loss = _train_step(w, x)  # not donated: a new buffer, the parameter kept
    assert _memory(kept_w) != _memory(w)
    storage = _memory(w)
    new_w, loss = _train_step(nx.donatable(w), x)
    assert _memory(new_w) == storage
    np.testing.assert_allclose(np.asarray(new_w), np.asarray(kept_w), rtol=1e-5, atol=1e-5)
    assert float(loss) == float(kept_loss)
    for _ in range(3):  # each step writes the same memory
        new_w, loss = _train_step(nx.donatable(new_w), x)
        assert _memory(new_w) == storage
    expected = w0
    for _ in range(4):
        expected = expected - 1e-4 * 2 * x0.T @ (x0 @ expected)
    np.testing.assert_allclose(np.asarray(new_w), expected, rtol=1e-3, atol=1e-3)


@pytest.mark.parametrize("fn, in_place", [
    (lambda w, g: nx.transpose(w) + w, True),  # the transpose is read before the add writes w
    (lambda w, g: (w - g, nx.dot(nx.transpose(w), g)), True),  # the other result reads w before it is written
    (lambda w, g: nx.dot(w, g) + w, True),
    (lambda w, g: nx.dot(w, g), False),  # no elementwise op reads w where it writes
    (lambda w, g: nx.transpose(w) + g, False),
    (lambda w, g: (w + g, nx.reshape(w, (64, 16))), False),  # IREE may return the reshape as a view of w
    (lambda w, g: (w * g, w), False),
])
def test_donated_results_are_written_in_place_only_where_no_read_sees_the_write(fn, in_place):
    rng = np.random.default_rng(1)
    w0, g0 = rng.standard_normal((32, 32)).astype(np.float32), rng.standard_normal((32, 32)).astype(np.float32)
    f = nx.defn(fn)
    expected = f(nx.tensor(w0), nx.tensor(g0))
    w, g = _on_device(w0), _on_device(g0)
    storage = _memory(w)
    results = f(nx.donatable(w), g)
    results, expected = (results, expected) if isinstance(results, tuple) else ((results,), (expected,))
    for got, want in zip(results, expected):
        np.testing.assert_allclose(np.asarray(got), np.asarray(want), rtol=1e-5, atol=1e-5)
    assert (_memory(results[0]) == storage) is in_place


def test_memory_that_two_tensors_share_is_not_written_in_place():
    w = _on_device(np.ones((8, 8), np.float32))
    alias, _ = nx.defn(lambda t: (t, t + 1))(w)  # IREE returns the argument's own buffer
    assert _memory(alias) == _memory(w)
    updated = nx.defn(lambda t: t * 3)(nx.donatable(alias))
    assert _memory(updated) != _memory(w)
    assert np.asarray(w).tolist() == [[1.0] * 8] * 8 and np.asarray(updated).tolist() == [[3.0] * 8] * 8
    passed_twice = nx.defn(lambda a, b: a * b + a)(nx.donatable(w), w)
    assert np.asarray(passed_twice).tolist() == [[2.0] * 8] * 8
