"""Nx's vectorization (nx.vectorize and friends): the examples of Nx's vectorization guide, eagerly and under defn on
IREE and on the evaluator; vectorized predicates in cond and while_loop; errors."""
import numpy as np
import pytest

import numerix as nx
from conftest import assert_close, collatz_steps
from numerix.dialect.errors import NxShapeError, NxValueError

MODES = ["eager", "iree", "evaluator"]


def run(mode, fn, *args):
    if mode == "eager":
        return fn(*args)
    return nx.defn(fn, compiler=mode)(*args)


def normalize(t):
    if t.ndim != 1:
        raise ValueError("invalid shape")
    zero_min = t - nx.min(t)
    return zero_min / nx.max(zero_min)


T = [[1, 2, 3], [10, 20, 30], [4, 5, 6]]


def test_vectorize_shows_the_vectorized_axes_and_the_inner_shape():
    vec = nx.vectorize(nx.tensor(T), "rows")
    assert vec.shape == (3,) and vec.vectorized_axes == (("rows", 3),)
    assert "vectorized[rows: 3]\n  s64[3]" in repr(vec)
    np.testing.assert_array_equal(nx.devectorize(vec).numpy(), T)


@pytest.mark.parametrize("mode", MODES)
def test_a_function_of_one_row_runs_for_each_row(mode):
    vec = nx.vectorize(nx.tensor(T), "rows")
    out = run(mode, normalize, vec)
    assert out.vectorized_axes == (("rows", 3),) and out.shape == (3,) and out.type is nx.f32
    assert_close(nx.devectorize(out), [[0.0, 0.5, 1.0]] * 3, nx.f32)
    # The inner shape broadcasts with a plain tensor: 3 matrices, one per row.
    right = nx.tensor([[1, 2, 3], [2, 3, 4], [3, 4, 5]])
    added = run(mode, nx.add, out, right)
    assert added.vectorized_axes == (("rows", 3),) and added.shape == (3, 3)
    assert_close(nx.devectorize(added)[0], [[1.0, 2.5, 4.0], [2.0, 3.5, 5.0], [3.0, 4.5, 6.0]], nx.f32)


def test_devectorize_keeps_or_drops_the_names():
    out = normalize(nx.vectorize(nx.tensor(T), "rows"))
    assert nx.devectorize(out).names == ("rows", None)
    assert nx.devectorize(out, keep_names=False).names == (None, None)


@pytest.mark.parametrize("mode", MODES)
def test_revectorize_collapses_and_reexpands_vectorized_axes(mode):
    t = nx.vectorize(nx.reshape(nx.arange(24), (2, 1, 3, 2, 2)), x=2, y=1, z=3)
    assert "vectorized[x: 2][y: 1][z: 3]" in repr(t)

    def step(t):
        collapsed = nx.revectorize(t, {"vectors": "auto"}, target_shape=t.shape)
        ((_, size),) = collapsed.vectorized_axes
        constants = nx.vectorize(nx.arange(size) * 100, vectors=size)
        return nx.revectorize(collapsed + constants, t.vectorized_axes, target_shape=t.shape)
    out = run(mode, step, t)
    assert out.vectorized_axes == (("x", 2), ("y", 1), ("z", 3))
    expected = np.arange(24).reshape(2, 1, 3, 2, 2) + 100 * np.arange(6).reshape(2, 1, 3, 1, 1)
    np.testing.assert_array_equal(nx.devectorize(out).numpy(), expected)


@pytest.mark.parametrize("mode", MODES)
def test_vectorized_axes_broadcast_by_name(mode):
    base = nx.arange(10)
    vec_i = nx.vectorize(nx.reshape(base, (10, 1)), i=10, j=1)
    vec_j = nx.vectorize(base, "j")
    table = run(mode, nx.multiply, vec_i, vec_j)
    assert table.vectorized_axes == (("i", 10), ("j", 10)) and table.shape == ()
    np.testing.assert_array_equal(nx.devectorize(table).numpy(), np.outer(np.arange(10), np.arange(10)))


def test_reshape_and_broadcast_vectors():
    a = nx.vectorize(nx.reshape(nx.arange(2), (1, 1, 2, 1)), x=1, y=1)  # inner [2][1]
    a = nx.vectorize(nx.reshape(nx.stack([nx.arange(2)] * 2), (2, 1, 2, 1)), x=2, y=1)
    b = nx.vectorize(nx.zeros((2, 1), type=nx.s64), z=2, x=1)
    ra, rb = nx.reshape_vectors([a, b], align_ranks=True)
    assert ra.vectorized_axes == (("x", 2), ("y", 1), ("z", 1)) and ra.shape == (2, 1)
    assert rb.vectorized_axes == (("x", 1), ("y", 1), ("z", 2)) and rb.shape == (1, 1)
    ba, bb = nx.broadcast_vectors([a, b])
    assert ba.vectorized_axes == bb.vectorized_axes == (("x", 2), ("y", 1), ("z", 2))
    assert ba.shape == (2, 1) and bb.shape == ()
    np.testing.assert_array_equal(nx.devectorize(ba).numpy()[:, 0, 1, :, 0], [[0, 1], [0, 1]])


def sum_and_add(x, y):
    """The guide's vectorized_sum_and_multiply: a sum per row plus y, for any vectorized axes of x and y."""
    x, y = nx.broadcast_vectors([x, y])
    n, m = x.shape
    axes = x.vectorized_axes
    x = nx.revectorize(x, {"collapsed": "auto", "vectors": n}, target_shape=(m,))
    y = nx.revectorize(y, {"collapsed": "auto", "vectors": n}, target_shape=())
    return nx.revectorize(nx.sum(x) + y, axes, target_shape=(n,))


@pytest.mark.parametrize("mode", MODES)
def test_the_guides_sum_and_add_with_different_vectorized_axes(mode):
    x = nx.tensor([[1, 2, 3], [1, 0, 0], [0, 1, 3]])
    y = nx.tensor([4, 5, 6])
    x_vec = nx.vectorize(nx.reshape(nx.tile(x, (2, 1)), (2, 3, 3)), "rows")
    y_vec = nx.vectorize(nx.reshape(nx.concatenate([y, y * 2]), (2, 3)), "cols")
    np.testing.assert_array_equal(run(mode, sum_and_add, x, y).numpy(), [10, 6, 10])
    both = run(mode, sum_and_add, x_vec, y_vec)
    assert both.vectorized_axes == (("rows", 2), ("cols", 2))
    np.testing.assert_array_equal(nx.devectorize(both).numpy(),
                                  [[[10, 6, 10], [14, 11, 16]], [[10, 6, 10], [14, 11, 16]]])


@pytest.mark.parametrize("mode", MODES)
def test_a_vectorized_predicate_takes_each_entrys_branch(mode):
    x = nx.vectorize(nx.tensor([1.0, -2.0, 3.0]), "x")
    out = run(mode, lambda v: nx.cond(v > 0, lambda a: a * 10.0, lambda a: -a, v), x)
    assert_close(nx.devectorize(out), [10.0, 2.0, 30.0], nx.f32)
    index = nx.vectorize(nx.tensor([0, 2, 1, 7]), "i")
    picked = run(mode, lambda i: nx.switch(i, [lambda: nx.tensor(1.0), lambda: nx.tensor(2.0),
                                                  lambda: nx.tensor(3.0)]), index)
    assert_close(nx.devectorize(picked), [1.0, 3.0, 2.0, 3.0], nx.f32)


@pytest.mark.parametrize("mode", MODES)
def test_a_vectorized_loop_runs_each_entrys_own_trips(mode):
    n = nx.vectorize(nx.tensor([1, 6, 7, 27]), "n")
    steps = run(mode, collatz_steps, n)
    assert steps.vectorized_axes == (("n", 4),)
    np.testing.assert_array_equal(nx.devectorize(steps).numpy(), [0, 8, 16, 111])


def test_errors_name_the_axes():
    a = nx.vectorize(nx.zeros((2, 3)), "x")
    b = nx.vectorize(nx.zeros((4, 3)), "x")
    with pytest.raises(NxShapeError, match=r"vectorized axis 'x' has size 4 .* and 2"):
        a + b
    with pytest.raises(NxShapeError, match="not 3"):
        nx.vectorize(nx.zeros((2, 3)), x=3)
    with pytest.raises(NxValueError, match="already there"):
        nx.vectorize(a, "x")
    with pytest.raises(NxShapeError, match="cannot revectorize"):
        nx.revectorize(a, {"y": 5}, target_shape=(1,))
    with pytest.raises(NxValueError, match="one-element"):
        bool(nx.vectorize(nx.tensor([True, False]), "x"))


@pytest.mark.parametrize("mode", MODES)
def test_grad_of_vectorized_arguments_is_each_entrys_gradient(mode):
    x = nx.vectorize(nx.tensor([[1.0, 2.0], [3.0, 4.0]]), "x")
    grads = run(mode, nx.grad(lambda v: nx.sum(v ** 3)), x)
    assert grads.vectorized_axes == (("x", 2),) and grads.shape == (2,)
    assert_close(nx.devectorize(grads), 3 * np.array([[1.0, 2.0], [3.0, 4.0]]) ** 2, nx.f32)


def test_vectorized_keys_draw_for_each_key():
    keys = nx.vectorize(nx.stack([nx.random.key(1), nx.random.key(2)]), "k")
    draws, _ = nx.random.uniform(keys, shape=(3,))
    assert draws.vectorized_axes == (("k", 2),)
    for i, seed in enumerate((1, 2)):
        expected, _ = nx.random.uniform(nx.random.key(seed), shape=(3,))
        np.testing.assert_array_equal(nx.devectorize(draws).numpy()[i], expected.numpy())


def test_vmap_inside_vectorized_entries():
    x = nx.vectorize(nx.reshape(nx.arange(12.0, type=nx.f32), (2, 3, 2)), "v")
    out = nx.vmap(lambda row: nx.sum(row))(x)
    assert out.vectorized_axes == (("v", 2),) and out.shape == (3,)
    np.testing.assert_array_equal(nx.devectorize(out).numpy(), np.arange(12.0).reshape(2, 3, 2).sum(-1))


def test_vectorized_keyword_arguments_of_grad_and_vmap():
    x = nx.vectorize(nx.tensor([[1.0, 2.0], [3.0, 4.0]]), "x")
    grads = nx.grad(lambda w, *, scale: nx.sum(w ** 2) * scale)(nx.tensor([1.0, 1.0]), scale=nx.sum(x))
    assert grads.vectorized_axes == (("x", 2),)
    assert_close(nx.devectorize(grads), [[6.0, 6.0], [14.0, 14.0]], nx.f32)
    # keyword arguments are mapped over their axis 0 (JAX's rule), inside each vectorized entry
    mapped = nx.vmap(lambda row, *, shift: row + shift)(nx.tensor([[1.0], [2.0]]), shift=x)
    assert mapped.vectorized_axes == (("x", 2),) and mapped.shape == (2, 1)
    assert_close(nx.devectorize(mapped), [[[2.0], [4.0]], [[4.0], [6.0]]], nx.f32)
