"""Nx's reductions and statistics: reduce with a function, all_close, weighted_mean, median, mode, covariance, and
the options argmax/argmin/argsort `type`, logsumexp `exp_scaling_factor` and log's base. Every documented example
of Nx's (eagerly, in one defn on IREE and one on the evaluator), random inputs against NumPy or a plain Python
reference, gradients against finite differences, and the errors. Nx's examples that vectorize tensors are given as
the plain tensor they reduce row by row, where that exists; numerix has no vectorized tensors."""
import collections

import numpy as np
import pytest

import numerix as nx
from conftest import assert_close, check_examples_everywhere, everywhere


def _s32(data, names=None):
    return nx.tensor(data, type="s32", names=names)


# ---- Nx's examples (nx/lib/nx.ex) ----

T3 = _s32([[[1, 2, 3], [4, 5, 6]], [[7, 8, 9], [10, 11, 12]]], names=["x", "y", "z"])
ARG = _s32([[[4, 2, 3], [1, -5, 3]], [[6, 2, 3], [4, 8, 3]]], names=["x", "y", "z"])
MODES = _s32([[1, 2, 2, 3, 5], [1, 1, 76, 8, 1]])
MEDIANS = _s32([[[1, 2, 2], [3, 4, 2]], [[4, 5, 2], [7, 9, 2]]])
OBSERVED = _s32([[1, 2], [3, 4], [5, 6]])
EXPONENTS = _s32([1, 2, 3, 4, 5, 6])


def _add(x, y):
    return nx.add(x, y)


NX_EXAMPLES = [  # (function, its tensors, Nx's result, its type in numerix)
    (lambda t: nx.reduce(t, 0, _add), [_s32(42)], 42, "s32"),
    (lambda t: nx.reduce(t, 0, _add), [_s32([1, 2, 3])], 6, "s32"),
    (lambda t: nx.reduce(t, 0, _add), [nx.tensor([[1.0, 2.0], [3.0, 4.0]])], 10.0, "f32"),
    (lambda t: nx.reduce(t, 0, _add, axes=["x"]), [_s32([1, 2, 3], names=["x"])], 6, "s32"),
    (lambda t: nx.reduce(t, 0, _add, axes=["x"]), [T3], [[8, 10, 12], [14, 16, 18]], "s32"),
    (lambda t: nx.reduce(t, 0, _add, axes=["y"]), [T3], [[5, 7, 9], [17, 19, 21]], "s32"),
    (lambda t: nx.reduce(t, 0, _add, axes=["x", 2]), [T3], [30, 48], "s32"),
    (lambda t: nx.reduce(t, 0, _add, axes=[-1]), [T3], [[6, 15], [24, 33]], "s32"),
    (lambda t: nx.reduce(t, 0, _add, axes=["x"], keep_axes=True), [T3], [[[8, 10, 12], [14, 16, 18]]], "s32"),
    # Nx's vectorized example: each row of the first tensor reduced over its own axis 1, from 10.
    (lambda t: nx.reduce(t, 10, nx.add, axes=[2]), [_s32([[[1, 2, 3], [4, 5, 6]], [[10, 20, 30], [40, 50, 60]]])],
     [[16, 25], [70, 160]], "s32"),
    # all_close: Nx's u8 0 and 1 are numerix's bool False and True.
    (nx.all_close, [nx.tensor([1.0e10, 1.0e-7]), nx.tensor([1.00001e10, 1.0e-8])], False, "bool"),
    (nx.all_close, [nx.tensor([1.0e-8, 1.0e-8]), nx.tensor([1.0e-8, 1.0e-9])], True, "bool"),
    (nx.all_close, [nx.tensor(np.nan), nx.tensor(np.nan)], False, "bool"),
    (nx.all_close, [nx.tensor(np.nan), _s32(0)], False, "bool"),
    (lambda t: nx.all_close(t, t, equal_nan=True), [nx.tensor([np.nan, 1])], True, "bool"),
    (lambda t: nx.all_close(t, t, equal_nan=False), [nx.tensor([np.nan, 1])], False, "bool"),
    (nx.all_close, [nx.tensor(np.inf), nx.tensor(np.inf)], True, "bool"),
    (nx.all_close, [nx.tensor(np.inf), nx.tensor(-np.inf)], False, "bool"),
    (nx.all_close, [nx.tensor(1.0e30), nx.tensor(np.inf)], False, "bool"),
    (lambda a, b: nx.all_close(nx.bitwise_left_shift(a, b), nx.bitwise_left_shift(a, b)),
     [nx.tensor([[5, 6], [7, 8]], type="s8"), nx.tensor([[1, 2], [3, 4]], type="s8")], True, "bool"),
    (nx.weighted_mean, [_s32(42), _s32(2)], 42.0, "f32"),
    (nx.weighted_mean, [_s32([1, 2, 3]), _s32([3, 2, 1])], 1.6666666, "f32"),
    (lambda t, w: nx.weighted_mean(t, w, axes=[0]), [_s32([1, 2, 3], names=["x"]), _s32([4, 5, 6])], 2.1333334,
     "f32"),
    (lambda t, w: nx.weighted_mean(t, w, axes=["x"]), [nx.tensor([1, 2, 3], type="u8", names=["x"]),
                                                       _s32([1, 3, 5])], 2.4444444, "f32"),
    (lambda t, w: nx.weighted_mean(t, w, axes=[1]), [nx.iota((3, 4), type="s32"), _s32([1, 2, 3, 4])],
     [2.0, 6.0, 10.0], "f32"),
    (lambda t, w: nx.weighted_mean(t, w, axes=[1, 2]), [nx.iota((2, 4, 4, 1), type="s32"), _s32(np.full((4, 4), 2))],
     [[7.5], [23.5]], "f32"),
    (lambda t, w: nx.weighted_mean(t, w, axes=[-1], keep_axes=True),
     [nx.iota((2, 2, 3), type="s32", names=["x", "y", "z"]), _s32([[[0, 1, 2], [1, 1, 0]], [[-1, 1, -1], [1, 1, -1]]])],
     [[[1.6666666], [3.5]], [[7.0], [8.0]]], "f32"),
    # Nx's vectorized example: each row of x against each row of w.
    (lambda t, w: nx.weighted_mean(nx.broadcast(nx.reshape(t, (2, 1, 3)), (2, 2, 3)), nx.broadcast(w, (2, 2, 3)),
                                    axes=[2]),
     [_s32([[1, 2, 3], [1, 1, 1]]), _s32([[1, 1, 1], [0, 0, 1]])], [[2.0, 3.0], [1.0, 1.0]], "f32"),
    (nx.median, [_s32(42)], 42, "s32"),
    (nx.median, [_s32([1, 2, 3])], 2, "s32"),
    (nx.median, [_s32([1, 2])], 1.5, "f32"),
    (nx.median, [nx.iota((2, 3, 3), type="s32")], 8.5, "f32"),
    (lambda t: nx.median(t, axis=0), [_s32([[1, 2, 3], [4, 5, 6]], names=["x", "y"])], [2.5, 3.5, 4.5], "f32"),
    (lambda t: nx.median(t, axis="y"), [_s32([[1, 2, 3], [4, 5, 6]], names=["x", "y"])], [2, 5], "s32"),
    (lambda t: nx.median(t, axis="x"), [nx.iota((2, 2, 3), type="s32", names=["x", "y", "z"])],
     [[3.0, 4.0, 5.0], [6.0, 7.0, 8.0]], "f32"),
    (lambda t: nx.median(t, axis=-1), [MEDIANS], [[2, 3], [4, 7]], "s32"),
    (lambda t: nx.median(t, axis=-1, keep_axis=True), [MEDIANS], [[[2], [3]], [[4], [7]]], "s32"),
    (lambda t: nx.median(t, axis=1), [_s32([[1, 2, 3], [4, 5, 6]])], [2, 5], "s32"),  # vectorized, row by row
    (nx.mode, [_s32(42)], 42, "s32"),
    (nx.mode, [_s32([[1]])], 1, "s32"),
    (nx.mode, [_s32([1, 2, 2, 3, 5])], 2, "s32"),
    (nx.mode, [MODES], 1, "s32"),
    (lambda t: nx.mode(t, axis=0), [MODES], [1, 1, 2, 3, 1], "s32"),
    (lambda t: nx.mode(t, axis=1), [MODES], [2, 1], "s32"),
    (lambda t: nx.mode(t, axis=1), [_s32([[[1]]])], [[1]], "s32"),
    (lambda t: nx.mode(t, axis=1, keep_axis=True), [MODES], [[2], [1]], "s32"),
    (lambda t: nx.mode(t, axis=1), [_s32([[[1, 2, 2, 3, 5], [1, 1, 76, 8, 1]], [[1, 2, 2, 2, 5], [5, 2, 2, 2, 1]]])],
     [[1, 1, 2, 3, 1], [1, 2, 2, 2, 1]], "s32"),  # vectorized, row by row
    (nx.covariance, [OBSERVED], [[2.6666667, 2.6666667], [2.6666667, 2.6666667]], "f32"),
    (nx.covariance, [_s32([[[1, 2], [3, 4], [5, 6]], [[7, 8], [9, 10], [11, 12]]])],
     [[[2.6666667, 2.6666667], [2.6666667, 2.6666667]]] * 2, "f32"),
    (lambda t: nx.covariance(t, ddof=1), [OBSERVED], [[4.0, 4.0], [4.0, 4.0]], "f32"),
    (nx.covariance, [OBSERVED, _s32([4, 3])], [[3.6666667, 1.6666666], [1.6666666, 3.6666667]], "f32"),
    (nx.logsumexp, [EXPONENTS], 6.4561934, "f32"),
    (lambda t: nx.logsumexp(t, exp_scaling_factor=0.5), [EXPONENTS], 5.7630463, "f32"),
    (lambda t, a: nx.logsumexp(t, exp_scaling_factor=a), [EXPONENTS, _s32([-1, -1, -1, 1, 1, 1])], 6.356537, "f32"),
    (lambda t: nx.argmax(t, tie_break="high", axis="y", type="u32"), [ARG], [[0, 0, 1], [0, 1, 1]], "u32"),
    (lambda t: nx.argmin(t, tie_break="high", axis="y", type="u32"), [ARG], [[1, 1, 1], [1, 0, 1]], "u32"),
    (lambda t: nx.argmax(t, type="s32"), [ARG], 10, "s32"),
    (lambda t: nx.argsort(t, axis="y", type="u32"), [_s32([[3, 1, 7], [2, 5, 4]], names=["x", "y"])],
     [[1, 0, 2], [0, 2, 1]], "u32"),
    (lambda t: nx.log(t, 2), [_s32(2)], 1.0, "f32"),
    (lambda t: nx.log(t, 3), [_s32([3, 9, 27, 81])], [1.0, 2.0, 3.0, 4.0], "f32"),
]


def test_nx_examples_eagerly_on_iree_and_on_the_evaluator():
    check_examples_everywhere(NX_EXAMPLES)


def test_names_follow_nx():
    assert nx.reduce(T3, 0, nx.add, axes=["x"]).names == ("y", "z")
    assert nx.reduce(T3, 0, nx.add, axes=["x"], keep_axes=True).names == ("x", "y", "z")
    assert nx.median(nx.tensor([[1, 2], [3, 4]], names=["x", "y"]), axis="x").names == ("y",)
    assert nx.mode(nx.tensor([[1, 2], [3, 4]], names=["x", "y"]), axis="y", keep_axis=True).names == ("x", "y")
    assert nx.argsort(ARG, axis="z", type="u8").names == ("x", "y", "z")


# ---- reduce ----

def _reduce_cases():
    rng = np.random.default_rng(1)
    x = rng.uniform(-2, 2, (3, 4, 5)).astype(np.float32)
    return x, [None, (), (0,), (1,), (2,), (0, 2), (1, 2), (0, 1, 2)]


@pytest.mark.parametrize("keep", [False, True])
def test_reduce_matches_numpy_over_every_set_of_axes_and_keeps_the_order(keep):
    x, axes_sets = _reduce_cases()
    calls = []
    for axes in axes_sets:
        calls.append((lambda t, axes=axes: nx.reduce(t, 1.5, nx.add, axes=axes, keep_axes=keep), [nx.tensor(x)]))
        # fn(a, b) = b is associative, not commutative: the tree must give the last element (in row-major order).
        calls.append((lambda t, axes=axes: nx.reduce(t, 0.0, lambda a, b: b, axes=axes, keep_axes=keep),
                      [nx.tensor(x)]))
    results = everywhere(calls)
    for k, axes in enumerate(axes_sets):
        chosen = tuple(range(3)) if axes is None else axes
        total = np.sum(x, axis=chosen, keepdims=keep) + np.float32(1.5)
        moved = np.moveaxis(x, chosen, range(3 - len(chosen), 3)).reshape(
            [d for a, d in enumerate(x.shape) if a not in chosen] + [-1])
        last = moved[..., -1].reshape(total.shape)
        for out in results[2 * k]:
            assert_close(out.numpy(), total, "f32", rtol=1e-5)
        for out in results[2 * k + 1]:
            np.testing.assert_array_equal(out.numpy(), last)


@pytest.mark.parametrize("length", [1, 2, 3, 5, 8, 13])
def test_reduce_calls_fn_once_per_tree_level_and_once_for_acc(length):
    calls = []

    def record(a, b):
        calls.append(a.shape)
        return nx.maximum(a, b)
    x = nx.tensor(np.arange(length, dtype=np.float32)[::-1] * 2.0)
    out = nx.reduce(x, -1.0, record)
    assert float(out.numpy()) == 2.0 * (length - 1)
    assert len(calls) == int(np.ceil(np.log2(length))) + 1


def test_reduce_of_no_elements_is_acc_and_types_follow_nx():
    empty = nx.tensor(np.zeros((2, 0, 3), np.float32))
    assert_close(nx.reduce(empty, 7.0, nx.add, axes=[1]).numpy(), np.full((2, 3), 7.0), "f32")
    assert nx.reduce(empty, 7.0, nx.add, axes=[1], keep_axes=True).shape == (2, 1, 3)
    ints = nx.tensor([1, 2, 3], type="s16")
    assert nx.reduce(ints, 0, nx.add).type is nx.s16  # a Python scalar acc is weak
    assert nx.reduce(ints, 0.5, nx.add).type is nx.f32  # a float acc makes a float reduction
    assert nx.reduce(ints, nx.tensor(0, type="s32"), nx.add).type is nx.s32
    out = nx.reduce(ints, 0, nx.add, type="u8")
    assert out.type is nx.u8 and int(out.numpy()) == 6
    # fn's own result type is cast back: a comparison's bool becomes the reduction's type.
    assert nx.reduce(nx.tensor([3.0, 1.0, 2.0]), 0.0, nx.greater).type is nx.f32


# ---- all_close, weighted_mean, median, mode, covariance against references ----

def test_all_close_matches_numpy():
    rng = np.random.default_rng(2)
    a = rng.normal(size=(40, 6)).astype(np.float64)
    b = a + rng.choice([0.0, 1e-9, 1e-6, 1e-3], size=a.shape) * rng.choice([-1, 1], size=a.shape)
    special = np.array([np.nan, np.inf, -np.inf, 0.0, 1.0])
    pairs = [(a[i], b[i]) for i in range(40)] + [(np.array([x]), np.array([y])) for x in special for y in special]
    for rtol, atol, equal_nan in [(1e-5, 1e-8, False), (0.0, 1e-7, True), (1e-4, 0.0, False)]:
        for x, y in pairs:
            out = nx.all_close(nx.tensor(x), nx.tensor(y), rtol=rtol, atol=atol, equal_nan=equal_nan)
            assert bool(out.numpy()) == np.allclose(x, y, rtol=rtol, atol=atol, equal_nan=equal_nan), (x, y)


def test_all_close_compares_integers_without_overflow_and_broadcasts():
    lowest = nx.tensor([-128, 127], type="s8")
    assert not bool(nx.all_close(lowest, nx.tensor([127, -128], type="s8")).numpy())
    assert bool(nx.all_close(nx.tensor([[1.0], [2.0]]), nx.tensor([1.0, 1.0]) + nx.tensor([[0.0], [1.0]])).numpy())
    assert bool(nx.all_close(nx.tensor([1 + 1j, np.inf]), nx.tensor([1 + 1j, np.inf], type="c64")).numpy())


def test_weighted_mean_matches_numpy_average():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(3, 4, 5)).astype(np.float32)
    w = rng.uniform(0.1, 2.0, size=x.shape).astype(np.float32)
    for axes in [None, [0], [2], [0, 2], [1, 2]]:
        axis = None if axes is None else tuple(axes)
        assert_close(nx.weighted_mean(nx.tensor(x), nx.tensor(w), axes=axes).numpy(),
                     np.average(x, axis=axis, weights=w), "f32", rtol=1e-5)
    # Weights of the reduced axes' shape (in increasing order) broadcast along them.
    w02 = w[:, 0, :]
    assert_close(nx.weighted_mean(nx.tensor(x), nx.tensor(w02), axes=[2, 0]).numpy(),
                 np.average(x, axis=(0, 2), weights=np.broadcast_to(w02[:, None, :], x.shape)), "f32", rtol=1e-5)
    half = nx.weighted_mean(nx.tensor(x, type="f16"), nx.tensor(w, type="f16"), axes=[1])
    assert half.type is nx.f16


def test_median_matches_numpy_and_sorts_nan_last_as_nx():
    rng = np.random.default_rng(4)
    for shape in [(7,), (6,), (4, 5), (3, 4, 6)]:
        x = rng.normal(size=shape).astype(np.float32)
        assert_close(nx.median(nx.tensor(x)).numpy(), np.median(x), "f32")
        for axis in range(len(shape)):
            assert_close(nx.median(nx.tensor(x), axis=axis).numpy(), np.median(x, axis=axis), "f32")
            assert_close(nx.median(nx.tensor(x), axis=axis, keep_axis=True).numpy(),
                         np.median(x, axis=axis, keepdims=True), "f32")
    assert nx.median(nx.tensor(x), keep_axis=True).shape == (1, 1, 1)
    # NaN sorts above +inf (nx.sort), so it is the largest value, not a result that spreads.
    assert float(nx.median(nx.tensor([1.0, np.nan, 3.0])).numpy()) == 3.0
    assert float(nx.median(nx.tensor([1.0, np.nan, 3.0, 2.0])).numpy()) == 2.5


def test_median_and_mode_take_the_array_api_keepdims():
    x = nx.tensor(np.arange(12.0).reshape(3, 4))
    for f in (nx.median, nx.mode):
        assert f(x, axis=1, keepdims=True).shape == (3, 1) and f(x, keepdims=True).shape == (1, 1)
        assert_close(f(x, axis=0, keepdims=True).numpy(), f(x, axis=0, keep_axis=True).numpy(), "f32")
        with pytest.raises(nx.NxValueError, match="not both"):
            f(x, keepdims=True, keep_axis=True)


def _mode_reference(row):
    counts = collections.Counter(row.tolist())
    return min(v for v, c in counts.items() if c == max(counts.values()))


def test_mode_matches_a_counting_reference_with_the_smallest_of_ties():
    rng = np.random.default_rng(5)
    x = rng.integers(-3, 4, size=(4, 9, 6)).astype(np.int16)
    for axis in range(3):
        expected = np.apply_along_axis(_mode_reference, axis, x)
        np.testing.assert_array_equal(nx.mode(nx.tensor(x), axis=axis).numpy(), expected)
    assert int(nx.mode(nx.tensor(x)).numpy()) == _mode_reference(x.ravel())
    assert nx.mode(nx.tensor(x), keep_axis=True).shape == (1, 1, 1)
    ties = nx.tensor([5.0, 2.0, 5.0, 2.0, 9.0])
    assert float(nx.mode(ties).numpy()) == 2.0
    # Each NaN is a value of its own: two NaNs are not a run.
    assert float(nx.mode(nx.tensor([np.nan, 1.0, np.nan, 4.0, 4.0])).numpy()) == 4.0
    assert nx.mode(nx.tensor([True, False, True])).type is nx.bool


def test_nan_rules_hold_under_defn():
    with_nan = nx.tensor([[1.0, np.nan, 3.0, 2.0], [np.nan, 4.0, np.nan, 4.0]])
    calls = [(lambda t: nx.median(t, axis=1), [with_nan]), (lambda t: nx.mode(t, axis=1), [with_nan]),
             (lambda t: nx.all_close(t, t, equal_nan=True), [with_nan])]
    for outs, expected in zip(everywhere(calls), [[2.5, np.nan], [1.0, 4.0], True]):
        for out in outs:
            np.testing.assert_array_equal(out.numpy(), expected)


def test_covariance_matches_numpy_per_batch_and_conjugates_complex():
    rng = np.random.default_rng(6)
    x = rng.normal(size=(2, 3, 7, 4)).astype(np.float64)
    out = nx.covariance(nx.tensor(x), ddof=1)
    assert out.shape == (2, 3, 4, 4) and out.type is nx.f64
    expected = np.stack([np.stack([np.cov(x[i, j], rowvar=False) for j in range(3)]) for i in range(2)])
    assert_close(out.numpy(), expected, "f64")
    mean = rng.normal(size=(3, 4))  # batch axes broadcast: (3, 4) against x's (2, 3)
    deviation = x - mean[None, :, None, :]
    assert_close(nx.covariance(nx.tensor(x), nx.tensor(mean)).numpy(),
                 np.einsum("bcni,bcnj->bcij", deviation, deviation) / 7, "f64")
    z = (rng.normal(size=(5, 3)) + 1j * rng.normal(size=(5, 3))).astype(np.complex64)
    # Nx conjugates the first factor: NumPy's cov (conjugating the second) transposed.
    assert_close(nx.covariance(nx.tensor(z)).numpy(), np.cov(z, rowvar=False, bias=True).T, "c64", rtol=1e-5)
    assert np.all(np.isinf(nx.covariance(nx.tensor([[1.0, 2.0], [3.0, 5.0]]), ddof=2).numpy()))


def test_logsumexp_scaling_factor_broadcasts_and_matches_scipy():
    import scipy.special
    rng = np.random.default_rng(7)
    x = rng.normal(size=(3, 5)).astype(np.float32)
    b = rng.uniform(0.1, 2.0, size=(5,)).astype(np.float32)
    for axes in [None, [0], [1]]:
        axis = None if axes is None else tuple(axes)
        assert_close(nx.logsumexp(nx.tensor(x), axes=axes, exp_scaling_factor=nx.tensor(b)).numpy(),
                     scipy.special.logsumexp(x, axis=axis, b=np.broadcast_to(b, x.shape)), "f32", rtol=1e-5)
    wide = nx.logsumexp(nx.tensor(x), exp_scaling_factor=nx.tensor(b, type="f64"))
    assert wide.type is nx.f64
    empty = nx.logsumexp(nx.tensor(np.zeros((0, 2), np.float32)), axes=[0], exp_scaling_factor=2.0)
    assert np.all(np.isneginf(empty.numpy()))


# ---- gradients ----

def _sample(shape, seed=8):
    return nx.tensor(np.random.default_rng(seed).uniform(-1.5, 1.5, shape), type="f64")


GRADIENT_CASES = {  # name: (function, its arguments)
    "reduce logaddexp": (lambda x: nx.reduce(x, -1.0, nx.logaddexp, axes=[0, 2]), [_sample((3, 4, 5))]),
    "reduce product": (lambda x: nx.reduce(x, 2.0, nx.multiply, axes=[1], keep_axes=True), [_sample((3, 5))]),
    "weighted_mean": (lambda x, w: nx.weighted_mean(x, nx.exp(w), axes=[1]), [_sample((3, 4)), _sample((4,), 9)]),
    "median": (lambda x: nx.median(x, axis=1), [_sample((3, 6))]),
    "median odd": (lambda x: nx.median(x), [_sample((3, 5))]),
    "covariance": (lambda x, m: nx.covariance(x, m, ddof=1), [_sample((2, 5, 3)), _sample((3,), 10)]),
    "logsumexp scaled": (lambda x, b: nx.logsumexp(x, axes=[1], exp_scaling_factor=nx.exp(b)),
                         [_sample((3, 4)), _sample((3, 4), 11)]),
}


@pytest.mark.parametrize("name", GRADIENT_CASES)
@pytest.mark.parametrize("compiler", ["evaluator", "iree"])
def test_gradients_match_finite_differences(name, compiler):
    fn, args = GRADIENT_CASES[name]
    nx.testing.check_grads(fn, args, compiler=compiler)


# ---- errors ----

ERRORS = [  # (call, error class, op, words in the message)
    (lambda: nx.reduce(T3, 0, "add"), nx.NxTypeError, "reduce", "fn must be a function"),
    (lambda: nx.reduce(T3, nx.tensor([0, 1]), nx.add), nx.NxShapeError, "reduce", "acc must be a scalar"),
    (lambda: nx.reduce(T3, 0, lambda a, b: nx.sum(a)), nx.NxShapeError, "reduce", "combine elementwise"),
    (lambda: nx.reduce(T3, 0, nx.add, axes=[3]), nx.NxValueError, "reduce", "out of range"),
    (lambda: nx.reduce(T3, 0, nx.add, type="q8"), nx.NxTypeError, "reduce", "unknown type"),
    (lambda: nx.all_close(T3, T3, rtol="big"), nx.NxTypeError, "all_close", "rtol"),
    (lambda: nx.all_close(T3, T3, equal_nan=1), nx.NxTypeError, "all_close", "equal_nan"),
    (lambda: nx.all_close(nx.tensor([1, 2]), nx.tensor([1, 2, 3])), nx.NxShapeError, "all_close", "[2] and [3]"),
    (lambda: nx.weighted_mean(T3, nx.tensor([1, 2])), nx.NxShapeError, "weighted_mean", "reduced axes"),
    (lambda: nx.weighted_mean(T3, nx.tensor([1, 2]), axes=[2]), nx.NxShapeError, "weighted_mean", "[3]"),
    (lambda: nx.median(nx.tensor(np.zeros((2, 0)))), nx.NxShapeError, "median", "no elements"),
    (lambda: nx.median(nx.tensor(np.zeros((2, 0))), axis=1), nx.NxShapeError, "median", "axis 1"),
    (lambda: nx.median(nx.tensor([1j])), nx.NxTypeError, "median", "c64"),
    (lambda: nx.median(T3, axis="w"), nx.NxValueError, "median", "'w'"),
    (lambda: nx.median(T3, keep_axis="yes"), nx.NxTypeError, "median", "keep_axis"),
    (lambda: nx.mode(nx.tensor([])), nx.NxShapeError, "mode", "no elements"),
    (lambda: nx.mode(nx.tensor([1j])), nx.NxTypeError, "mode", "c64"),
    (lambda: nx.covariance(nx.tensor([1.0, 2.0])), nx.NxShapeError, "covariance", "rank 2"),
    (lambda: nx.covariance(OBSERVED, nx.tensor(1.0)), nx.NxShapeError, "covariance", "mean"),
    (lambda: nx.covariance(OBSERVED, nx.tensor([1.0, 2.0, 3.0])), nx.NxShapeError, "covariance", "[1, 3]"),
    (lambda: nx.covariance(OBSERVED, ddof=-1), nx.NxValueError, "covariance", "ddof"),
    (lambda: nx.covariance(OBSERVED, ddof=0.5), nx.NxValueError, "covariance", "ddof"),
    (lambda: nx.argmax(ARG, axis=0, type="f32"), nx.NxTypeError, "argmax", "integer type"),
    (lambda: nx.argmin(nx.zeros((300,)), type="u8"), nx.NxValueError, "argmin", "299"),
    (lambda: nx.argsort(ARG, type="pear"), nx.NxTypeError, "argsort", "unknown type"),
    (lambda: nx.logsumexp(EXPONENTS, exp_scaling_factor=nx.tensor([1.0, 2.0])), nx.NxShapeError, "logsumexp",
     "[6] and [2]"),
    (lambda: nx.logsumexp(EXPONENTS, exp_scaling_factor=nx.ones((2, 6))), nx.NxShapeError, "logsumexp",
     "broadcast to x's shape"),
    (lambda: nx.log(nx.tensor(2.0), 1), nx.NxValueError, "log", "other than 1"),
    (lambda: nx.log(nx.tensor(2.0), -2.0), nx.NxValueError, "log", "greater than 0"),
]


@pytest.mark.parametrize("case", range(len(ERRORS)))
def test_errors_name_the_op(case):
    call, error, op, words = ERRORS[case]
    with pytest.raises(error) as info:
        call()
    assert info.value.op == op and words in str(info.value)
