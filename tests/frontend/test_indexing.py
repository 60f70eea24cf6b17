"""t[index] against NumPy: a table of index expressions, every type, random index expressions (hypothesis), errors,
and the traced path (a stand-in trace backend: values are not readable, as inside defn)."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import numerix as nx
from numerix.dispatch import NumpyBackend, using_backend
from numerix.tensor import Tensor

from conftest import ALL_TYPES, sample

A = np.arange(2 * 3 * 4 * 5).reshape(2, 3, 4, 5)


def as_numpy_index(index):
    """The same index for NumPy: tensors become arrays."""
    if isinstance(index, tuple):
        return tuple(as_numpy_index(i) for i in index)
    return np.asarray(index) if isinstance(index, Tensor) else index


def check(a, index, type=None):
    want = a[as_numpy_index(index)]
    got = nx.tensor(a, type)[index]
    assert got.shape == want.shape, f"{index!r}: shape {got.shape} != {want.shape}"
    assert got.type is nx.tensor(a, type).type
    got, want = np.asarray(got), np.asarray(want)
    if got.dtype == nx.bf16.np:
        got, want = got.astype(np.float32), want.astype(np.float32)
    np.testing.assert_array_equal(got, want, err_msg=repr(index))


INDICES = [
    0, -1, (1, 2), (1, -1, 0, 4), slice(None), slice(1, None), slice(None, None, -1), slice(None, None, -2),
    (slice(None), slice(3, 0, -2)), (slice(5, -7, -1),), (Ellipsis, 1), (Ellipsis,), (), (None,),
    (None, 1, Ellipsis, None),
    (slice(None), None, slice(None, 2)), (slice(None), slice(3, 1)), (0, 1, 2, 3),
    [1, 0], ([0, 1, 1],), np.array([[1], [0]]), (slice(None), [2, 0, -1]), (Ellipsis, [-1, 0]),
    ([0, 1], [2, 0]), ([[0], [1]], slice(1, None), [0, 2, 1]),  # broadcast index arrays, adjacent
    (slice(None), [0], None, [0]),  # None separates advanced indices: their axes go first
    (slice(None), [0], Ellipsis, [0]),  # so does an ellipsis
    (0, slice(None), [0, 1]),  # an int beside an array index is an advanced index
    (slice(None), [1, 2], [[0], [3]], slice(None, None, 2)),
    ([], ), (slice(None), []), ((0, 1),),
    True, False, (slice(None), True, [0]), (1, Ellipsis, True), (Ellipsis, False),
    A[:, 0, 0, 0] > 0, A[..., 0] % 3 == 0, (1, A[0, :, :, 0] % 2 == 0), (Ellipsis, A[0, 0] > 7),
    (slice(None), A[0, :, :, 0] > 7),
    (A[:, :, 0, 0] > 4, [[1], [2]]),
    nx.tensor(1), nx.tensor(-1, type="s8"), (slice(None), nx.tensor([2, 0], type="u16")),
    nx.tensor(A[:, 0, 0, 0] > 0), (Ellipsis, nx.tensor([True, False, True, False, True])),
    np.int64(1), (np.int32(-1), slice(None, None, np.int64(-1))),
]


@pytest.mark.parametrize("index", INDICES, ids=[str(i) if len(str(i)) < 50 else f"long{n}"
                                                for n, i in enumerate(INDICES)])
def test_index_expressions(index):
    check(A, index)


@pytest.mark.parametrize("type", ALL_TYPES)
def test_every_type(type):
    a = sample(type, (3, 4))
    for index in [1, (slice(None), slice(None, None, -2)), (None, -1, [3, 0]), [[2, 0]], a.real > 0 if type != "bool"
                  else a, (Ellipsis, nx.tensor([1, 1]))]:
        check(a, index, type)


def test_rank_0():
    check(np.array(5.0), ())
    check(np.array(5.0), None)
    check(np.array(5.0), Ellipsis)
    check(np.array(5.0), True)
    check(np.array(5.0), (None, False))


def test_named_axes():
    t = nx.tensor(A, names=["a", "b", "c", "d"])
    assert t[0].names == ("b", "c", "d")
    assert t[:, None, ::-1].names == ("a", None, "b", "c", "d")
    assert t[..., [0, 1]].names == ("a", "b", "c", None)
    assert t[{"c": 1, "a": slice(0, 1)}].names == ("a", "b", "d")
    np.testing.assert_array_equal(np.asarray(t[{"c": 1, "a": slice(0, 1)}]), A[0:1, :, 1])
    assert t[nx.tensor([[0, 1]], names=["i", "j"])].names == ("i", "j", "b", "c", "d")
    with pytest.raises(nx.NxValueError, match="^getitem: no axis named 'z'"):
        t[{"z": 0}]


# ---- random index expressions against NumPy ----

@st.composite
def index_cases(draw):
    """A random shape and a random index for it: per axis an int (sometimes out of range), a slice with any step,
    an integer array (list, NumPy or tensor; broadcast-compatible with the others or not), a boolean mask over
    one or two axes, or nothing; Nones anywhere; and an ellipsis standing for a run of the axes, or trailing axes
    left out."""
    shape = tuple(draw(st.lists(st.integers(0, 4), max_size=4)))
    batch = tuple(draw(st.lists(st.integers(1, 3), max_size=2)))
    items, consumed, axis = [], [], 0
    while axis < len(shape):
        dim = shape[axis]
        kind = draw(st.sampled_from(["int", "slice", "slice", "array", "mask", "full"]))
        if kind == "int":
            item = draw(st.integers(-dim - 1, dim)) if draw(st.integers(0, 9)) == 0 else draw(
                st.integers(-dim, max(dim - 1, -dim)))
            width = 1
        elif kind == "slice":
            bound = st.none() | st.integers(-dim - 2, dim + 2)
            item = slice(draw(bound), draw(bound), draw(st.none() | st.sampled_from([-3, -2, -1, 1, 2, 3])))
            width = 1
        elif kind == "array":
            array_shape = tuple(1 if draw(st.booleans()) else d for d in batch[draw(st.integers(0, len(batch))):])
            if dim:
                values = draw(st.lists(st.integers(-dim, dim - 1), min_size=int(np.prod(array_shape)),
                                       max_size=int(np.prod(array_shape))))
                array = np.array(values, np.int64).reshape(array_shape)
            else:
                array = np.zeros((0,), np.int64)
            item = draw(st.sampled_from(["list", "numpy", "tensor"]))
            item = array.tolist() if item == "list" and array.ndim else array if item != "tensor" else nx.tensor(
                array.astype(draw(st.sampled_from([np.int64, np.int32, np.int8]))))
            width = 1
        elif kind == "mask":
            width = draw(st.integers(1, min(2, len(shape) - axis)))
            mask_shape = shape[axis:axis + width]
            mask = np.array(draw(st.lists(st.booleans(), min_size=int(np.prod(mask_shape)),
                                          max_size=int(np.prod(mask_shape)))), bool).reshape(mask_shape)
            item = nx.tensor(mask) if draw(st.booleans()) else mask
        else:
            item, width = slice(None), 1
        items.append(item)
        consumed.append(width)
        axis += width
        while draw(st.integers(0, 5)) == 0:
            items.append(None)
            consumed.append(0)
    if draw(st.booleans()):  # an ellipsis for a run of items (maybe none): it stands for the axes they indexed
        start = draw(st.integers(0, len(items)))
        stop = draw(st.integers(start, len(items)))
        items = items[:start] + [Ellipsis] + items[stop:]
    else:  # trailing whole axes left out
        while items and isinstance(items[-1], slice) and items[-1] == slice(None) and draw(st.booleans()):
            items.pop()
    return shape, tuple(items)


@settings(max_examples=400, deadline=None)
@given(index_cases())
def test_random_index_expressions_match_numpy(case):
    shape, index = case
    a = np.arange(int(np.prod(shape)), dtype=np.int32).reshape(shape)
    try:
        want = a[as_numpy_index(index)]
    except IndexError:
        with pytest.raises(nx.NxIndexError):
            nx.tensor(a)[index]
        return
    got = nx.tensor(a)[index]
    assert got.shape == want.shape, f"{index!r}: shape {got.shape} != {want.shape}"
    np.testing.assert_array_equal(np.asarray(got), want)


# ---- errors ----

@pytest.mark.parametrize("index,pattern", [
    (2, r"^getitem: index 2 is out of bounds for axis 0 with size 2"),
    ((0, -4), r"^getitem: index -4 is out of bounds for axis 1 with size 3"),
    ((slice(None), [0, 3]), r"^getitem: index 3 is out of bounds for axis 1 with size 3"),
    ((0, 0, 0, 0, 0), r"^getitem: too many indices for s64\[2, 3, 4, 5\]: it has 4 axes but 5 were indexed"),
    ((Ellipsis, 0, Ellipsis), r"^getitem: an index can only have a single ellipsis"),
    (1.5, r"^getitem: cannot index s64\[2, 3, 4, 5\] with float 1.5"),
    ("a", r"^getitem: cannot index s64\[2, 3, 4, 5\] with str"),
    ([0.5], r"^getitem: indices must be integers, got float64"),
    (nx.tensor([0.5]), r"^getitem: indices must be integers, got f32\[1\]"),
    (([0, 1], [0, 1, 2]), r"^getitem: shape mismatch: indexing arrays could not be broadcast together with "
                          r"shapes \[2\] \[3\]"),
    (np.ones((3,), bool), r"^getitem: boolean index of shape \[3\] does not match s64\[2, 3, 4, 5\] at axes 0..0"),
])
def test_index_errors(index, pattern):
    with pytest.raises(nx.NxIndexError, match=pattern) as info:
        nx.tensor(A)[index]
    assert isinstance(info.value, IndexError) and isinstance(info.value, nx.NxValueError)
    with pytest.raises(IndexError):
        A[as_numpy_index(index)]


def test_ragged_index_is_a_value_error_as_in_numpy():
    with pytest.raises(nx.NxIndexError, match="^getitem: indices must be a rectangular array of integers") as info:
        nx.tensor(A)[[[0, 1], [0]]]
    assert isinstance(info.value, ValueError)
    with pytest.raises(ValueError):
        A[[[0, 1], [0]]]


def test_zero_step_is_a_value_error_as_in_numpy():
    with pytest.raises(nx.NxValueError, match="^getitem: slice step cannot be zero"):
        nx.tensor(A)[::0]
    with pytest.raises(ValueError):
        A[::0]


# ---- under a trace ----

class StandInTrace(NumpyBackend):
    """A backend whose tensors cannot be read, like defn's trace: ops still compute (so results can be checked
    through .data), but .numpy() and int() refuse, so code that needs data raises as it would inside defn."""
    name = "stand-in trace"
    priority = 1
    traced = True


def traced(value):
    backend = StandInTrace()
    with using_backend(backend):
        return nx.tensor(value)


def test_traced_indices_wrap_and_clamp():
    a = np.arange(12).reshape(3, 4)
    x = traced(a)
    with using_backend(x.backend):
        np.testing.assert_array_equal(x[traced(-1)].data, a[-1])
        np.testing.assert_array_equal(x[:, traced(np.int8(2))].data, a[:, 2])
        np.testing.assert_array_equal(x[traced(7), ::-2].data, a[2, ::-2])  # out of range: clamped, not checked
        np.testing.assert_array_equal(x[traced([0, -1, 9])].data, a[[0, -1, 2]])
        np.testing.assert_array_equal(x[traced(np.array([2**64 - 1, 1], np.uint64))].data, a[[2, 1]])
        np.testing.assert_array_equal(nx.take(x, traced([[3, -4]]), axis=1).data, a[:, [[3, 0]]])
        np.testing.assert_array_equal(x[a > 4].data, a[a > 4])  # a known mask is fine
        np.testing.assert_array_equal(nx.slice(x, [traced(2), 1], [2, 2]).data, a[1:3, 1:3])


def test_traced_data_dependent_shapes_are_trace_errors():
    x = traced(np.arange(12).reshape(3, 4))
    with using_backend(x.backend):
        with pytest.raises(nx.NxTraceError, match="^getitem: boolean mask indexing with a traced mask bool"):
            x[x > 4]
        with pytest.raises(nx.NxTraceError, match="^getitem: slice bounds must be static inside defn"):
            x[traced(1):]
        with pytest.raises(nx.NxTraceError, match="^repeat: repeat counts given as a traced tensor"):
            nx.repeat(x, traced([1, 2, 0, 1]), axis=1)


# ---- one rule for out-of-range indices, eagerly and under defn ----

def test_tensor_indices_are_clamped_eagerly_and_under_defn_alike():
    x = nx.arange(5)
    index = nx.tensor([1, 7, -9])  # 7 clamps to 4; -9 wraps to -4, which clamps to 0
    for fn in (lambda a, i: a[i], lambda a, i: nx.take(a, i), lambda a, i: nx.take_along_axis(a, i, axis=0)):
        assert fn(x, index).tolist() == nx.defn(fn)(x, index).tolist() == [1, 4, 0]


def test_python_indices_out_of_range_raise_eagerly_and_under_defn_alike():
    x = nx.arange(5)
    with pytest.raises(nx.NxIndexError, match="index 7 is out of bounds"):
        x[7]
    with pytest.raises(nx.NxIndexError, match="index 7 is out of bounds"):
        nx.defn(lambda a: a[7])(x)
    with pytest.raises(nx.NxIndexError, match="index 7 is out of bounds"):
        nx.defn(lambda a: nx.take(a, [1, 7]))(x)



# ---- scatter_adds that share their indices (IREE narrows shared s64 scatter indices and failed to build) ----

def _added_at(target, positions, updates):
    out = np.array(target)
    np.add.at(out, positions, np.asarray(updates))
    return out


def _indexed_adds_sharing_indices():
    a, b = nx.tensor(sample("f32", (4, 5), seed=1)), nx.tensor(sample("f32", (4, 5), seed=2))
    indices = nx.tensor([[0, 1], [3, 4], [0, 1]], type="s64")  # a repeated position: its updates sum
    u, v = nx.tensor([1.0, 2.0, 3.0]), nx.tensor([10.0, 20.0, 30.0])
    fn = lambda a, b, i, u, v: (nx.indexed_add(a, i, u), nx.indexed_add(b, i, v))  # noqa: E731
    positions = tuple(np.asarray(indices).T)
    return fn, (a, b, indices, u, v), [_added_at(a, positions, u), _added_at(b, positions, v)]


def _gradient_of_two_takes():
    # Each take's gradient is a scatter_add of the cotangent at `taken`: two of them with one index tensor. (An eager
    # nx.grad compiles on IREE, so the expected values are NumPy's.)
    x, y = nx.tensor(sample("f32", (4, 3), seed=3)), nx.tensor(sample("f32", (4, 3), seed=4))
    taken = nx.tensor([0, 2, 2])
    loss = lambda x, y: nx.sum(nx.take(x, taken, axis=0) * nx.take(y, taken, axis=0))  # noqa: E731
    rows = np.asarray(taken)
    zeros = np.zeros((4, 3), np.float32)
    return nx.grad(loss, argnums=(0, 1)), (x, y), [_added_at(zeros, rows, np.asarray(y)[rows]),
                                                   _added_at(zeros, rows, np.asarray(x)[rows])]


def test_indexed_adds_sharing_indices_eagerly():
    fn, args, want = _indexed_adds_sharing_indices()
    for got, w in zip(fn(*args), want):
        np.testing.assert_allclose(np.asarray(got), w, rtol=2e-6)


@pytest.mark.parametrize("compiler", ["iree", "evaluator"])
@pytest.mark.parametrize("example", [_indexed_adds_sharing_indices, _gradient_of_two_takes])
def test_scatter_adds_sharing_indices(example, compiler):
    fn, args, want = example()
    got = nx.defn(fn, compiler=compiler)(*args)
    assert len(got) == len(want) == 2
    for g, w in zip(got, want):
        np.testing.assert_allclose(np.asarray(g), w, rtol=2e-6)
