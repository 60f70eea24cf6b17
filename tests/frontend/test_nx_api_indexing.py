"""Nx's indexing, diagonal, creation, shape and introspection functions (indexed_add, indexed_put, take_diagonal,
make_diagonal, put_diagonal, split, slice's clipping, put_slice's, reflect, tri, eye of a shape, axis_size,
axis_index, axes, bit_size, byte_size, compatible): every documented example of Nx's (nx/lib/nx.ex) eagerly and in
one defn on IREE and one on the evaluator, repeated indices, gradients and errors. Nx's examples that vectorize
tensors are left out (numerix has no vectorized tensors); Nx's s32 default integers are s64 here, its u8 predicates
bool."""
import numpy as np
import pytest

import numerix as nx
from conftest import assert_close, everywhere


def _leaves(value):
    return [leaf for v in value for leaf in _leaves(v)] if isinstance(value, tuple) else [value]


t = nx.tensor
I3 = nx.iota((1, 2, 3))
F = np.float32

# (id, fn, tensor arguments, expected: an array (its dtype is the result's type) or a tuple of them)
EXAMPLES = [
    # indexed_add
    ("add_scalar", nx.indexed_add, [t([[1], [2]]), t([1, 0]), t(8)], np.array([[1], [10]])),
    ("add_entries", nx.indexed_add, [I3, t([[0, 0, 0], [0, 1, 1], [0, 0, 0], [0, 0, 2], [0, 1, 2]]),
                                     t([1, 3, 1, -2, 5])], np.array([[[2, 1, 0], [3, 7, 10]]])),
    ("add_promote_f", nx.indexed_add, [t([1.0]), t([[0], [0]]), t([1, 1])], np.array([3.0], F)),
    ("add_promote_i", nx.indexed_add, [t([1]), t([[0], [0]]), t([1.0, 1.0])], np.array([3.0], F)),
    ("add_promote_s", nx.indexed_add, [t([1], type="s32"), t([[0], [0]]), t([1, 1], type="s64")], np.array([3])),
    # indexed_put
    ("put_scalar", nx.indexed_put, [t([[1], [2]]), t([1, 0]), t(10)], np.array([[1], [10]])),
    ("put_entries", nx.indexed_put, [t([0, 0, 0]), t([[1], [2]]), t([2, 4])], np.array([0, 2, 4])),
    ("put_entries2", nx.indexed_put, [t([0, 0, 0]), t([[1], [2]]), t([3, 4])], np.array([0, 3, 4])),
    ("put_3d", nx.indexed_put, [I3, t([[0, 0, 0], [0, 1, 1], [0, 0, 2]]), t([1, 3, -2])],
     np.array([[[1, 1, -2], [3, 3, 5]]])),
    ("put_windows", nx.indexed_put, [nx.iota((1, 3, 2)), t([[0, 0], [0, 2]]), t([[0, 10], [40, 50]])],
     np.array([[[0, 10], [2, 3], [40, 50]]])),
    ("put_axes", lambda a, i, u: nx.indexed_put(a, i, u, axes=[0, 2]), [I3, t([[0, 0], [0, 2]]),
                                                                         t([[0, 30], [20, 50]])],
     np.array([[[0, 1, 20], [30, 4, 50]]])),
    ("put_promote_f", nx.indexed_put, [t([1.0]), t([[0]]), t([3])], np.array([3.0], F)),
    ("put_promote_i", nx.indexed_put, [t([1]), t([[0]]), t([3.0])], np.array([3.0], F)),
    ("put_promote_s", nx.indexed_put, [t([1], type="s32"), t([[0]]), t([3], type="s64")], np.array([3])),
    # take_diagonal
    ("take_diag", nx.take_diagonal, [t([[0, 1, 2], [3, 4, 5], [6, 7, 8]])], np.array([0, 4, 8])),
    ("take_diag_up", lambda a: nx.take_diagonal(a, offset=1), [nx.iota((3, 3))], np.array([1, 5])),
    ("take_diag_down", lambda a: nx.take_diagonal(a, offset=-1), [nx.iota((3, 3))], np.array([3, 7])),
    ("take_diag_batch", nx.take_diagonal, [nx.iota((3, 2, 2))], np.array([[0, 3], [4, 7], [8, 11]])),
    ("take_diag_batch_down", lambda a: nx.take_diagonal(a, offset=-1), [nx.iota((3, 2, 2))],
     np.array([[2], [6], [10]])),
    # make_diagonal
    ("make_diag", nx.make_diagonal, [t([1, 2, 3, 4])], np.diag([1, 2, 3, 4])),
    ("make_diag_up", lambda a: nx.make_diagonal(a, offset=1), [t([1, 2, 3])], np.diag([1, 2, 3], 1)),
    ("make_diag_down", lambda a: nx.make_diagonal(a, offset=-1), [t([1, 2, 3])], np.diag([1, 2, 3], -1)),
    ("make_diag_far_down", lambda a: nx.make_diagonal(a, offset=-4), [t([1, 2, 3])], np.diag([1, 2, 3], -4)),
    ("make_diag_far_up", lambda a: nx.make_diagonal(a, offset=4), [t([1, 2, 3])], np.diag([1, 2, 3], 4)),
    # put_diagonal
    ("put_diag", nx.put_diagonal, [nx.broadcast(0, (4, 4)), t([1, 2, 3, 4])], np.diag([1, 2, 3, 4])),
    ("put_diag_wide", nx.put_diagonal, [nx.broadcast(0, (4, 3)), t([1, 2, 3])],
     np.array([[1, 0, 0], [0, 2, 0], [0, 0, 3], [0, 0, 0]])),
    ("put_diag_up", lambda a, d: nx.put_diagonal(a, d, offset=1), [nx.broadcast(0, (4, 4)), t([1, 2, 3])],
     np.diag([1, 2, 3], 1)),
    ("put_diag_up_wide", lambda a, d: nx.put_diagonal(a, d, offset=1), [nx.broadcast(0, (4, 3)), t([1, 2])],
     np.array([[0, 1, 0], [0, 0, 2], [0, 0, 0], [0, 0, 0]])),
    ("put_diag_down", lambda a, d: nx.put_diagonal(a, d, offset=-1), [nx.broadcast(0, (4, 4)), t([1, 2, 3])],
     np.diag([1, 2, 3], -1)),
    ("put_diag_down_wide", lambda a, d: nx.put_diagonal(a, d, offset=-1), [nx.broadcast(0, (4, 3)), t([1, 2, 3])],
     np.array([[0, 0, 0], [1, 0, 0], [0, 2, 0], [0, 0, 3]])),
    # split
    ("split_rows", lambda a: nx.split(a, 2, axis=0), [nx.iota((3, 4))],
     (np.arange(8).reshape(2, 4), np.array([[8, 9, 10, 11]]))),
    ("split_columns", lambda a: nx.split(a, 2, axis=1), [nx.iota((3, 4))],
     (np.array([[0, 1], [4, 5], [8, 9]]), np.array([[2, 3], [6, 7], [10, 11]]))),
    ("split_half", lambda a: nx.split(a, 0.5, axis=0), [nx.iota((3, 4))],
     (np.arange(8).reshape(2, 4), np.array([[8, 9, 10, 11]]))),
    ("split_fraction", lambda a: nx.split(a, 0.75, axis=1), [nx.iota((3, 4))],
     (np.array([[0, 1, 2], [4, 5, 6], [8, 9, 10]]), np.array([[3], [7], [11]]))),
    ("split_negative", lambda a: nx.split(a, -1), [t([1, 2, 3, 4])], (np.array([1, 2, 3]), np.array([4]))),
    # slice (Nx's examples, its clipping section included) and put_slice's clipping
    ("slice", lambda a: nx.slice(a, [0], [3]), [t([1, 2, 3, 4, 5, 6])], np.array([1, 2, 3])),
    ("slice_strides", lambda a: nx.slice(a, [0], [6], strides=[2]), [t([1, 2, 3, 4, 5, 6])], np.array([1, 3, 5])),
    ("slice_2d", lambda a: nx.slice(a, [0, 0], [3, 2], strides=[2, 1]), [t([[1, 2], [3, 4], [5, 6]])],
     np.array([[1, 2], [5, 6]])),
    ("slice_one_stride", lambda a: nx.slice(a, [0, 0], [3, 2], strides=2), [t([[1, 2], [3, 4], [5, 6]])],
     np.array([[1], [5]])),
    ("slice_3d", lambda a: nx.slice(a, [0, 4, 11], [2, 3, 9], strides=[2, 1, 3]), [nx.iota((2, 15, 30))],
     np.array([[[131, 134, 137], [161, 164, 167], [191, 194, 197]]])),
    ("slice_tensor_starts", lambda a, i, j: nx.slice(a, [i, j], [1, 1]), [t([[1, 2, 3], [4, 5, 6]]), t(1), t(2)],
     np.array([[6]])),
    ("slice_tensor_strides", lambda a, i, j: nx.slice(a, [i, j], [6, 7], strides=[5, 3]),
     [t(np.repeat([0.0, 0.0, 1.0, 1.0, 1.0, 1.0], 7).reshape(6, 7), type="f32"), t(0), t(0)],
     np.array([[0.0, 0.0, 0.0], [1.0, 1.0, 1.0]], F)),
    ("slice_fits", lambda a: nx.slice(a, [2, 2], [1, 1]), [nx.iota((3, 3))], np.array([[8]])),
    ("slice_clipped", lambda a: nx.slice(a, [2, 2], [2, 2]), [nx.iota((3, 3))], np.array([[4, 5], [7, 8]])),
    ("slice_clipped_tensors", lambda a, i, j: nx.slice(a, [i, j], [2, 2]), [nx.iota((3, 3)), t(2), t(2)],
     np.array([[4, 5], [7, 8]])),
    ("slice_scalar", lambda a: nx.slice(a, [], []), [t(42)], np.array(42)),
    ("put_slice_clipped", lambda a, s: nx.put_slice(a, [1, 1], s), [t([[1, 2, 3], [4, 5, 6]]), t([[7, 8], [9, 10]])],
     np.array([[1, 7, 8], [4, 9, 10]])),
    # reflect
    ("reflect", lambda a: nx.reflect(a, padding_config=[(3, 1)]), [t([0, 1, 2])], np.array([1, 2, 1, 0, 1, 2, 1])),
    ("reflect_2d", lambda a: nx.reflect(a, padding_config=[(2, 0), (2, 1)]), [t([[0, 1, 2], [3, 4, 5]])],
     np.array([[2, 1, 0, 1, 2, 1], [5, 4, 3, 4, 5, 4], [2, 1, 0, 1, 2, 1], [5, 4, 3, 4, 5, 4]])),
]


def test_nx_examples():
    results = everywhere([(fn, args) for _, fn, args, _ in EXAMPLES])
    for (name, _, _, want), got in zip(EXAMPLES, results):
        wants = _leaves(want)
        for kind, value in zip(("eager", "iree", "evaluator"), got):
            values = _leaves(value)
            assert len(values) == len(wants), (name, kind)
            for v, w in zip(values, wants):
                assert v.type.np == w.dtype, (name, kind, v.type)
                np.testing.assert_array_equal(v.numpy(), w, err_msg=f"{name} ({kind})")


def test_names_are_kept():
    named = nx.tensor([[0, 1, 2], [3, 4, 5]], names=["x", "y"])
    assert nx.reflect(named, padding_config=[(2, 0), (2, 1)]).names == ("x", "y")
    assert nx.indexed_put(named, [[0, 1]], [9]).names == ("x", "y")
    assert nx.put_diagonal(named, nx.tensor([7, 8])).names == ("x", "y")
    assert [p.names for p in nx.split(named, 1, axis="y")] == [("x", "y")] * 2


def test_creation_examples():
    tensor = nx.tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
    n, m = tensor.shape
    for k, want in [(0, np.tri(3, 3, 0, bool)), (1, np.tri(3, 3, 1, bool))]:
        got = nx.tri(n, m, k=k)
        assert got.type is nx.bool
        np.testing.assert_array_equal(got.numpy(), want)
    np.testing.assert_array_equal(nx.tri(2, 4, k=-1).numpy(), np.tri(2, 4, -1, bool))
    # Nx's eye examples; numerix's default type is the default float (Nx's is s32).
    np.testing.assert_array_equal(nx.eye(2, type="s64").numpy(), np.eye(2, dtype=int))
    named = nx.eye(3, type="f32", names=["height", "width"])
    assert (named.type, named.names) == (nx.f32, ("height", "width"))
    np.testing.assert_array_equal(named.numpy(), np.eye(3))
    np.testing.assert_array_equal(nx.eye((1, 2)).numpy(), [[1.0, 0.0]])
    batch = nx.eye((2, 4, 3), type="s64")
    np.testing.assert_array_equal(batch.numpy(), np.broadcast_to(np.eye(4, 3, dtype=int), (2, 4, 3)))
    # tril and triu, now built on tri, still match NumPy (Nx's examples).
    a = nx.iota((2, 3, 4))
    for k in (-1, 0, 1):
        np.testing.assert_array_equal(nx.tril(a, k=k).numpy(), np.tril(a.numpy(), k))
        np.testing.assert_array_equal(nx.triu(a, k=k).numpy(), np.triu(a.numpy(), k))


def test_introspection_examples():
    a = nx.iota((100, 10, 20))
    named = nx.iota((100, 10, 20), names=["batch", "x", "y"])
    assert nx.axis_size(a, 0) == 100 and nx.axis_size(named, "y") == 20 and nx.axis_size(a, -1) == 20
    assert (nx.axis_index(a, 0), nx.axis_index(a, -1), nx.axis_index(named, "x")) == (0, 2, 1)
    assert nx.axes(nx.tensor([[1, 2, 3], [4, 5, 6]])) == [0, 1]
    assert nx.axes(1) == [] and nx.axes((1, 2, 3)) == [0, 1, 2]
    # Nx's examples with s64 and f32 data (Nx's integers are s32: 24 bytes there for the first).
    assert nx.byte_size(nx.tensor([[1, 2, 3], [4, 5, 6]])) == 48
    assert nx.byte_size(nx.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])) == 24
    assert nx.byte_size(nx.tensor([[1, 2, 3], [4, 5, 6]], type="u8")) == 6
    assert nx.byte_size(1) == 8 and nx.byte_size(nx.tensor(1, type="s32")) == 4
    assert nx.bit_size(nx.tensor([[1, 2, 3], [4, 5, 6]], type="s32")) == 192
    assert nx.bit_size(nx.tensor([[1, 2, 3], [4, 5, 6]], type="u8")) == 48
    assert nx.bit_size(nx.tensor([True, False])) == 16 and nx.bit_size(nx.tensor(1.0, type="bf16")) == 16
    assert nx.bit_size(nx.tensor([1j], type="c128")) == 128


def test_compatible_examples():
    def iota(shape, names=None, type=None):
        return nx.iota(shape, names=names, type=type)
    assert nx.compatible(iota((3, 2)), iota((3, 2)))
    assert nx.compatible(iota((3, 2)), iota((3, 2), names=["rows", "columns"]))
    assert nx.compatible(iota((3, 2), names=["rows", None]), iota((3, 2), names=[None, "columns"]))
    assert not nx.compatible(iota((3, 2), names=["foo", "bar"]), iota((3, 2), names=["rows", "columns"]))
    assert not nx.compatible(iota((3, 2)), iota((2, 3)))
    assert not nx.compatible(iota((2, 2)), iota((2, 2), type="f32"))
    assert nx.compatible((iota((3, 2)), (1, 2)), (iota((3, 2)), (3, 4)))
    assert nx.compatible({"foo": iota((3, 2))}, {"foo": iota((3, 2))})
    assert not nx.compatible({"foo": iota((3, 2))}, {"bar": iota((3, 2))})
    assert not nx.compatible((iota((3, 2)),), [iota((3, 2))]) and not nx.compatible((1, 2), (1,))
    assert not nx.compatible(1, 1.0)

    @nx.defn
    def traced(x, y):  # metadata only, so it answers for traced tensors too
        assert nx.compatible(x, y) and not nx.compatible(x, y[0])
        return x
    traced(iota((2, 2)), iota((2, 2)))


# ---- repeated and out-of-range indices ----

def test_indexed_put_last_update_wins():
    """Where indices repeat, the last update written there wins: with known indices (NumPy decides), with traced
    ones (a stable sort decides) on both compilers, exactly: NaN, inf and -0.0 updates that lose leave no trace."""
    target = nx.tensor([5.0, 5.0, 5.0, 5.0])
    indices = nx.tensor([[1], [3], [1], [2], [1], [2], [3]])
    updates = nx.tensor([np.nan, np.inf, -0.0, 7.0, 2.0, np.nan, -0.0])
    want = np.array([5.0, 2.0, np.nan, -0.0], F)
    fn = nx.indexed_put

    def known(a, u):  # known indices inside defn: NumPy decides there too
        return nx.indexed_put(a, indices.numpy(), u)
    for got in (fn(target, indices, updates), fn(target, indices.numpy(), updates),
                nx.defn(fn)(target, indices, updates), nx.defn(fn, compiler="evaluator")(target, indices, updates),
                nx.defn(known)(target, updates)):
        np.testing.assert_array_equal(got.numpy(), want)
        assert np.signbit(got.numpy()[3])
    windows = nx.indexed_put(nx.zeros((3, 2), type="s64"), [[0], [2], [0]], [[1, 2], [3, 4], [5, 6]])
    np.testing.assert_array_equal(windows.numpy(), [[5, 6], [0, 0], [3, 4]])
    booleans = nx.indexed_put(nx.tensor([True, True]), [[0], [0]], nx.tensor([True, False]))
    np.testing.assert_array_equal(booleans.numpy(), [False, True])


def test_tensor_indices_wrap_then_clamp():
    """Indices follow gather's rule: tensor indices wrap when negative and clamp, the same eagerly and in defn;
    known ones are checked (test_errors)."""
    target = nx.zeros((3,), type="s64")
    indices, updates = nx.tensor([[-1], [7], [0]]), nx.tensor([1, 10, 100])
    for fn, want in ((nx.indexed_add, [100, 0, 11]), (nx.indexed_put, [100, 0, 10])):
        for got in (fn(target, indices, updates), nx.defn(fn)(target, indices, updates)):
            np.testing.assert_array_equal(got.numpy(), want)
    np.testing.assert_array_equal(nx.indexed_add(target, [[-1], [0]], [1, 2]).numpy(), [2, 0, 1])


def test_nothing_written():
    target = nx.iota((2, 3))
    assert nx.indexed_put(target, np.zeros((0, 2), int), np.zeros((0,), int)) is target
    assert nx.indexed_add(target, np.zeros((0, 1), int), np.zeros((0, 3), int)) is target


# ---- gradients ----

@pytest.mark.parametrize("compiler", ["iree", "evaluator"])
def test_gradients(compiler):
    rng = np.random.default_rng(0)
    x, m = nx.tensor(rng.normal(size=(4, 3))), nx.tensor(rng.normal(size=(3, 3)))
    v = nx.tensor(rng.normal(size=(3,)))
    duplicates = nx.tensor([[1, 2], [3, 0], [1, 2], [0, 0]])
    u = nx.tensor(rng.normal(size=(4,)))

    def check(fn, *args):
        nx.testing.check_grads(fn, args, compiler=compiler)
    check(lambda a, b: nx.indexed_add(a, duplicates, b), x, u)
    check(lambda a, b, i: nx.indexed_put(a, i, b), x, u, duplicates)  # traced indices: the sort decides
    check(lambda a, b: nx.indexed_put(a, duplicates.numpy(), b), x, u)
    check(lambda a, b: nx.indexed_put(a, [[1], [0], [1]], b), x, nx.tensor(rng.normal(size=(3, 3))))
    check(lambda a: nx.take_diagonal(a, offset=-1), x)
    check(lambda a: nx.make_diagonal(a, offset=2), v)
    check(lambda a, b: nx.put_diagonal(a, b, offset=-1), x, v)
    check(lambda a: nx.reflect(a, padding_config=[(3, 2), (0, 4)]), m)
    check(lambda a: nx.split(a, 0.5, axis=1), x)
    check(lambda a: nx.slice(a, [3, 1], [2, 2]), x)


# ---- errors ----

ERRORS = [
    (lambda: nx.indexed_add(nx.tensor([[1], [2]]), nx.tensor([[[1, 2, 3]]]), nx.tensor([0])), nx.NxShapeError,
     r"^indexed_add: indices must have rank 1 or 2 \(n index vectors\), got shape \[1, 1, 3\]"),
    (lambda: nx.indexed_add(nx.tensor([[1], [2]]), nx.tensor([[1, 2]]), nx.tensor([0, 1])), nx.NxShapeError,
     r"^indexed_add: updates s64\[2\] must be 1 windows"),
    (lambda: nx.indexed_add(nx.tensor([[1, 2, 3]]), nx.tensor([[0]]), nx.tensor([[1, 2, 3, 4, 5]])),
     nx.NxShapeError, r"^indexed_add: updates s64\[1, 5\] must be 1 windows .* axis \[1\] of s64\[1, 3\], each no "
                      r"longer"),
    (lambda: nx.indexed_put(nx.iota((1, 2, 3)), nx.tensor([[0, 1, 2]]), nx.tensor([10]), axes=[1, 0, 2]),
     nx.NxValueError, r"^indexed_put: index vectors of length 3 need as many increasing axes of s64\[1, 2, 3\], got "
                      r"axes \[1, 0, 2\]"),
    (lambda: nx.indexed_put(nx.iota((2, 3)), [[0, 1]], [1], axes=[0]), nx.NxValueError,
     r"^indexed_put: index vectors of length 2 need as many"),
    (lambda: nx.indexed_put(nx.iota((2, 3)), [0], 1), nx.NxShapeError,
     r"^indexed_put: a rank-1 index is one entry per axis of s64\[2, 3\]"),
    (lambda: nx.indexed_put(nx.iota((2, 3)), [0, 1], [1]), nx.NxShapeError, r"^indexed_put: a rank-1 index"),
    (lambda: nx.indexed_put(nx.iota((2, 3)), [[2, 0]], [1]), nx.NxIndexError,
     r"^indexed_put: index 2 is out of bounds for axis 0 with size 2"),
    (lambda: nx.indexed_add(nx.iota((2, 3)), [[0.5, 0]], [1]), nx.NxTypeError,
     r"^indexed_add: indices must be integers, got float64 data"),
    (lambda: nx.indexed_add(nx.zeros((0, 3)), [[0]], [[1.0, 2.0, 3.0]]), nx.NxIndexError,
     r"^indexed_add: cannot write f32\[1, 3\] into f32\[0, 3\]"),
    (lambda: nx.take_diagonal(nx.tensor([0, 1, 2])), nx.NxShapeError,
     r"^take_diagonal: needs a matrix or a stack of matrices \(rank >= 2\), got s64\[3\]"),
    (lambda: nx.take_diagonal(nx.iota((3, 3)), offset=3), nx.NxValueError,
     r"^take_diagonal: offset 3 is outside the matrices of s64\[3, 3\]: it must be in \(-3, 3\)"),
    (lambda: nx.take_diagonal(nx.iota((3, 3)), offset=-4), nx.NxValueError, r"^take_diagonal: offset -4 is outside"),
    (lambda: nx.take_diagonal(nx.iota((3, 3)), offset=1.0), nx.NxTypeError, r"^take_diagonal: offset must be an int"),
    (lambda: nx.make_diagonal(nx.tensor([[0, 0], [0, 1]])), nx.NxShapeError,
     r"^make_diagonal: needs a rank-1 tensor, got s64\[2, 2\]"),
    (lambda: nx.put_diagonal(nx.iota((3, 3, 3)), nx.iota((3,))), nx.NxShapeError,
     r"^put_diagonal: needs a matrix and a 1-d diagonal, got s64\[3, 3, 3\] and s64\[3\]"),
    (lambda: nx.put_diagonal(nx.iota((3, 3)), nx.iota((3, 3))), nx.NxShapeError, r"^put_diagonal: needs a matrix"),
    (lambda: nx.put_diagonal(nx.iota((3, 3)), nx.iota((2,))), nx.NxShapeError,
     r"^put_diagonal: the diagonal at offset 0 of s64\[3, 3\] has 3 elements, got s64\[2\]"),
    (lambda: nx.put_diagonal(nx.iota((3, 3)), nx.iota((3,)), offset=1), nx.NxShapeError,
     r"^put_diagonal: the diagonal at offset 1 of s64\[3, 3\] has 2 elements"),
    (lambda: nx.put_diagonal(nx.iota((3, 3)), nx.iota((3,)), offset=4), nx.NxValueError,
     r"^put_diagonal: offset 4 is outside"),
    (lambda: nx.put_diagonal(nx.iota((3, 3)), nx.iota((3,)), offset=-3), nx.NxValueError,
     r"^put_diagonal: offset -3 is outside"),
    (lambda: nx.split(nx.iota((3, 4)), 3, axis=1.5), nx.NxTypeError, r"^split: axis must be an int or a name"),
    (lambda: nx.split(nx.iota((3, 4)), 0), nx.NxValueError, r"^split: split 0 must be a nonzero int in \(-3, 3\)"),
    (lambda: nx.split(nx.iota((3, 4)), -3), nx.NxValueError, r"^split: split -3 must be a nonzero int"),
    (lambda: nx.split(nx.iota((3, 4)), 4, axis=1), nx.NxValueError, r"^split: split 4 must be a nonzero int"),
    (lambda: nx.split(nx.iota((3, 4)), 0.9), nx.NxValueError,
     r"^split: split 0.9 must be a fraction with 0 < ceil\(0.9 \* 3\) < 3"),
    (lambda: nx.split(nx.iota((3, 4)), "1"), nx.NxTypeError, r"^split: split must be an int or a float"),
    (lambda: nx.split(nx.tensor(1), 1), nx.NxValueError, r"^split: cannot split rank-0 s64\[\]"),
    (lambda: nx.slice(nx.iota((3, 4)), [-1, 0], [2, 2]), nx.NxIndexError,
     r"^slice: start index -1 on axis 0 of s64\[3, 4\] must be >= 0"),
    (lambda: nx.put_slice(nx.iota((3, 4)), [0, -2], nx.iota((1, 1))), nx.NxIndexError,
     r"^put_slice: start index -2 on axis 1"),
    (lambda: nx.reflect(nx.tensor(1), padding_config=[]), nx.NxValueError,
     r"^reflect: needs a tensor of rank >= 1, got s64\[\]"),
    (lambda: nx.reflect(nx.iota((2, 3)), padding_config=[(1, 1)]), nx.NxValueError,
     r"^reflect: padding_config must be one \(before, after\) pair of ints >= 0 per axis of s64\[2, 3\]"),
    (lambda: nx.reflect(nx.iota((2,)), padding_config=[(1, -1)]), nx.NxValueError, r"^reflect: padding_config"),
    (lambda: nx.reflect(nx.zeros((0, 2)), padding_config=[(1, 0), (0, 0)]), nx.NxValueError,
     r"^reflect: cannot reflect axis 0 of f32\[0, 2\]: it is empty"),
    (lambda: nx.tri(3, 2.0), nx.NxTypeError, r"^tri: n and m must be ints >= 0, got 3 and 2.0"),
    (lambda: nx.tri(3, 3, k=0.5), nx.NxTypeError, r"^tri: k must be an int"),
    (lambda: nx.eye((3,)), nx.NxValueError, r"^eye: needs n_rows \(and n_cols\) or a shape of rank >= 2, got \(3,\)"),
    (lambda: nx.axis_index(nx.iota((100, 10, 20)), 3), nx.NxValueError,
     r"^axis_index: axis 3 is out of range for s64\[100, 10, 20\] \(rank 3\)"),
    (lambda: nx.axis_index(nx.iota((100, 10, 20), names=["batch", "x", "y"]), "z"), nx.NxValueError,
     r"^axis_index: no axis named 'z' in s64\[batch: 100, x: 10, y: 20\]"),
    (lambda: nx.axis_size(nx.tensor(1), 0), nx.NxValueError, r"^axis_size: s64\[\] has no axes \(rank 0\), got axis 0"),
    (lambda: nx.axes((2, -1)), nx.NxValueError, r"^axes: shape \[2, -1\] has a negative size"),
]


@pytest.mark.parametrize("fn,error,message", ERRORS, ids=[m for _, _, m in ERRORS])
def test_errors(fn, error, message):
    with pytest.raises(error, match=message):
        fn()


def test_close_to_numpy_on_random_windows():
    """indexed_add with windows and `axes` against a NumPy loop, f32 and f16 (which adds in f32)."""
    rng = np.random.default_rng(1)
    for type in ("f32", "f16"):
        target = rng.normal(size=(4, 3, 5)).astype(nx.as_dtype(type).np)
        indices = rng.integers(0, [4, 5], size=(6, 2))
        updates = rng.normal(size=(6, 2)).astype(target.dtype)
        want = target.astype(np.float64)
        for (i, k), w in zip(indices, updates):
            want[i, :2, k] += w
        got = nx.indexed_add(nx.tensor(target), indices, nx.tensor(updates), axes=[0, 2])
        assert_close(got.numpy(), want.astype(target.dtype), type)
