"""t[index] = value against NumPy: a table of index expressions with values to broadcast, every type, rebinding
(the tensor object stays, tensors taken from it keep their values), errors, and the traced path on both compilers
with its gradient."""
import numpy as np
import pytest

import numerix as nx
from numerix.tensor import Tensor

from conftest import ALL_TYPES, sample

A = np.arange(2 * 3 * 4 * 5, dtype=np.float32).reshape(2, 3, 4, 5)


def as_numpy(value):
    """The same index or value for NumPy: tensors become arrays, inside tuples too."""
    if isinstance(value, tuple):
        return tuple(as_numpy(v) for v in value)
    return np.asarray(value) if isinstance(value, Tensor) else value


def check(a, index, value, type=None):
    want = a.copy()
    want[as_numpy(index)] = as_numpy(value)
    t = nx.tensor(a, type)
    before = t.type
    t[index] = value
    assert t.type is before and t.shape == a.shape
    got = np.asarray(t)
    if got.dtype == nx.bf16.np:
        got, want = got.astype(np.float32), want.astype(np.float32)
    np.testing.assert_array_equal(got, want, err_msg=f"{index!r} = {value!r}")


# (index, value): basic windows (put_slice), masks (select), the rest (indexed_put at flat positions).
CASES = [
    (0, -1.0), (-1, A[0] + 100), ((1, 2), np.arange(5)), ((1, -1, 0, 4), 7), (slice(None), 3),
    (slice(1, None), A[:1] * 2), (slice(None, None, -1), A), ((slice(None), slice(3, 0, -1)), 9),
    ((Ellipsis, 1), np.arange(4)), ((Ellipsis,), 1.5), ((), A[::-1]), ((None,), A[None] + 1),
    ((None, 1, Ellipsis, None), -2), ((slice(None), slice(3, 1)), 5),  # an empty window writes nothing
    ((0, slice(None), 1), np.array([[1.0, 2.0, 3.0, 4.0, 5.0]])),  # leading axes of 1 are dropped, as in NumPy
    (slice(None, None, 2), 8), ((slice(None), slice(None), slice(None, None, -2)), np.arange(5)),
    ([1, 0], A[::-1] * 3), (([0, 1, 1],), 4), ((slice(None), [2, 0, -1]), np.arange(5)),
    (([0, 1], [2, 0]), np.arange(20).reshape(4, 5)), ((slice(None), [0], None, [0]), 6),
    ((0, slice(None), [0, 1]), np.arange(5)), (([1, 1, 1], 0, 0, 0), [1, 2, 3]),  # repeats: the last one wins
    (([], ), 1), (True, A + 1), ((1, Ellipsis, False), 1),
    (A[:, 0, 0, 0] > 0, -5), (A[..., 0] % 3 == 0, np.arange(5)), ((1, A[0, :, :, 0] % 2 == 0), 0),
    ((Ellipsis, A[0, 0] > 7), 1), ((slice(None), A[0, :, :, 0] > 7), 2),
    (A % 7 == 0, np.arange(int((A % 7 == 0).sum()))),  # one value per masked element
    (nx.tensor(1), 11), (nx.tensor(-1, type="s8"), A[0]), ((slice(None), nx.tensor([2, 0], type="u16")), 12),
    ((1, nx.tensor(2), slice(1, 3)), nx.tensor([[7.0, 8.0, 9.0, 10.0, 11.0]] * 2)),
    (nx.tensor(A[:, 0, 0, 0] > 0), 13), ((Ellipsis, nx.tensor([True, False, True, False, True])), 14),
    (np.int64(1), 15), ((np.int32(-1), slice(None, None, np.int64(-1))), A[0]),
]


@pytest.mark.parametrize("index, value", CASES, ids=[f"case{n}" for n in range(len(CASES))])
def test_index_expressions(index, value):
    check(A, index, value)


@pytest.mark.parametrize("type", ALL_TYPES)
def test_every_type(type):
    a = sample(type, (3, 4))
    for index, value in [(1, a[0]), ((slice(None), slice(None, None, -2)), a[0, 0]), (([2, 0], [3, 3]), a[1, :2]),
                         (a.real > 0 if type != "bool" else a, a[2, 1]), ((Ellipsis, nx.tensor(1)), a[:, 0])]:
        check(a, index, value, type)


def test_value_takes_the_tensor_type():
    t = nx.tensor([1, 2, 3])
    t[0] = 2.75  # truncated as NumPy casts
    t[1:] = nx.tensor([4.5, -1.5], type="f64")
    assert t.type is nx.s64 and t.tolist() == [2, 4, -1]
    u = nx.tensor([0.5, 1.5], type="bf16")
    u[0] = nx.tensor(3, type="s64")
    assert u.type is nx.bf16 and u.tolist() == [3.0, 1.5]
    c = nx.tensor([1j, 2j])
    c[1] = 5
    assert c.type is nx.c64 and c.tolist() == [1j, 5]


def test_rank_0_and_named_axes():
    t = nx.tensor(5.0)
    t[()] = 2.0
    t[...] = t + 1
    assert t.item() == 3.0
    n = nx.tensor(A, names=["a", "b", "c", "d"])
    n[{"c": 1, "a": -1}] = 0
    want = A.copy()
    want[-1, :, 1] = 0
    np.testing.assert_array_equal(n.numpy(), want)
    assert n.names == ("a", "b", "c", "d")


def test_rebinds_the_same_object_and_no_other():
    source = A.copy()
    t = nx.asarray(source, copy=False)  # reads the NumPy array in place
    alias = t
    taken = [t[0], t[1:], t[...], t[:], nx.reshape(t, (-1,)), +t, nx.asarray(t, copy=True), t[::-1]]
    kept = [np.asarray(x).copy() for x in taken]
    ident = id(t)
    t[0, 0] = -1
    t[t > 100] = 0
    assert id(t) == ident and alias is t and t.numpy()[0, 0, 0, 0] == -1
    np.testing.assert_array_equal(source, A)  # the NumPy memory is not written
    for x, before in zip(taken, kept):
        np.testing.assert_array_equal(x.numpy(), before)


@pytest.mark.parametrize("index, value, error, match", [
    (5, 0, nx.NxIndexError, "out of bounds"),
    ((0, 3), 0, nx.NxIndexError, "out of bounds"),
    ([0, 9], 0, nx.NxIndexError, "out of bounds"),
    (slice(None, None, 0), 0, nx.NxValueError, "step cannot be zero"),
    (0, np.ones(3), nx.NxShapeError, r"shape \[3, 4, 5\]"),
    (slice(None), np.ones((2, 2, 3, 4, 5)), nx.NxShapeError, "cannot assign"),
    ([0, 1, 0], np.ones((2, 3, 4, 5)), nx.NxShapeError, "cannot assign"),
    (A > 3, np.ones(3), nx.NxShapeError, "cannot assign"),
    (np.ones(3, bool), 1, nx.NxIndexError, "boolean index"),
    (0, nx.tensor(1j), nx.NxTypeError, "imaginary part"),
    ("a", 1, nx.NxIndexError, "cannot index"),
])
def test_errors(index, value, error, match):
    t = nx.tensor(A)
    with pytest.raises(error, match=match):
        t[index] = value
    np.testing.assert_array_equal(t.numpy(), A)  # a failed assignment leaves t as it was


def updates(x, i, mask):
    """Every path under defn: windows with static and traced starts, a reversed one, strided and advanced indices, a
    traced mask with a scalar, and values computed from the tensor itself."""
    y = x * 2
    y[0] = 1.0
    y[i, 1:3] = x[0, :2] + 5  # traced start: put_slice
    y[::-1, 0] = x[:, 3]
    y[:, ::2] = -y[:, 1:2]  # strided: indexed_put
    y[[3, 1, 3], [2, 0, 2]] = x[0, :3]
    y[mask] = 0.5  # traced mask: select
    y[y > 10] = y[0, 0] * 3
    return y


def updates_numpy(x, i, mask):
    y = x * 2
    y[0] = 1.0
    y[i, 1:3] = x[0, :2] + 5
    y[::-1, 0] = x[:, 3]
    y[:, ::2] = -y[:, 1:2]
    y[[3, 1, 3], [2, 0, 2]] = x[0, :3]
    y[mask] = 0.5
    y[y > 10] = y[0, 0] * 3
    return y


X = np.arange(20, dtype=np.float32).reshape(4, 5) / 3
MASK = (np.arange(20).reshape(4, 5) % 7) == 2


@pytest.mark.parametrize("compiler", ["iree", "evaluator"])
def test_defn(compiler):
    fn = nx.defn(updates, compiler=compiler)
    for i in (2, -1):
        got = fn(nx.tensor(X), nx.tensor(i), nx.tensor(MASK))
        np.testing.assert_allclose(got.numpy(), updates_numpy(X, i, MASK), rtol=1e-6)
    eager = updates(nx.tensor(X), nx.tensor(2), nx.tensor(MASK))
    np.testing.assert_allclose(eager.numpy(), updates_numpy(X, 2, MASK), rtol=1e-6)


def test_defn_traces_put_slice_select_and_indexed_put():
    text = nx.defn(updates).lower(nx.tensor(X), nx.tensor(2), nx.tensor(MASK)).as_text("nx")
    for op in ("nx.put_slice", "nx.select", "nx.scatter_add"):
        assert f'"{op}"' in text, op


def test_grad():
    def loss(x):
        return nx.sum(nx.sin(updates(x, nx.tensor(1), nx.tensor(MASK))))
    nx.testing.check_grads(loss, [nx.tensor(X.astype(np.float64))])
    grad = nx.grad(loss)(nx.tensor(X))
    assert grad.numpy()[0, 4] == 0  # row 0 of x*2 is overwritten and x[0, 4] is read by no update


def test_defn_refuses_to_leak():
    outside = nx.tensor(X)

    @nx.defn
    def into_outside(x):
        outside[0] = x[1]
        return x

    with pytest.raises(nx.NxTraceError, match="from outside defn"):
        into_outside(nx.tensor(X))
    np.testing.assert_array_equal(outside.numpy(), X)

    @nx.defn
    def traced_mask_per_element(x):
        x[x > 1] = nx.arange(3, dtype=nx.f32)
        return x

    with pytest.raises(nx.NxTraceError, match="mask"):
        traced_mask_per_element(nx.tensor(X))
