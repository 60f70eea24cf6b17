"""Nx's window functions: every documented example of Nx's (eagerly, in defn on IREE and on the evaluator), random
windows against a NumPy loop over each window (strides, every padding form, dilations, ranks 1 to 4, integer and
float types, NaN, ties), gradients, and the errors. Nx's examples that vectorize tensors are left out: numerix has
no vectorized tensors."""
import itertools

import ml_dtypes
import numpy as np
import pytest

import numerix as nx
from conftest import assert_close, check_examples_everywhere, everywhere

S32_MIN, S32_MAX = -2147483648, 2147483647


# ---- Nx's examples (nx/lib/nx.ex) ----

def _s32(data):
    return nx.tensor(data, type="s32")


T1 = _s32([[[1, 2, 3], [4, 5, 6]], [[1, 2, 3], [4, 5, 6]]])
T2 = nx.tensor([[[4.0, 2.0, 3.0], [2.0, 5.0, 6.5]], [[1.2, 2.2, 3.2], [4.0, 5.0, 6.2]]])
T3 = _s32([[[4, 2, 1, 3], [4, 2, 1, 7]], [[1, 2, 5, 7], [1, 8, 9, 2]]])
SCATTERED = _s32([[7, 2, 5, 3, 10, 2], [3, 8, 9, 3, 4, 2], [1, 5, 7, 5, 6, 1], [0, 6, 2, 7, 2, 8]])
SCATTERED2 = _s32([[7, 2, 5, 3, 8], [3, 8, 9, 3, 4], [1, 5, 7, 5, 6], [0, 6, 2, 10, 2]])
SOURCE = _s32([[2, 6], [3, 1]])
PADDED = {"strides": [1, 2, 3], "padding": [(0, 1), (2, 0), (1, 1)]}
HALVED = {"strides": [2, 1, 1], "padding": [(1, 1), (0, 0), (1, 1)]}
DILATED = {"strides": [2, 1, 1], "padding": "valid", "window_dilations": [1, 2, 2]}


def _window(name, window, **options):
    return lambda t: getattr(nx, name)(t, window, **options)


NX_EXAMPLES = [  # (function, its tensors, Nx's result and type)
    (_window("window_sum", (1, 2, 1)), [T1], [[[5, 7, 9]], [[5, 7, 9]]], "s32"),
    (_window("window_sum", (2, 2, 1), **PADDED), [T1], [[[0, 0], [0, 18]], [[0, 0], [0, 9]]], "s32"),
    (_window("window_sum", (2, 1, 1), **HALVED), [T2],
     [[[0.0, 4.0, 2.0, 3.0, 0.0], [0.0, 2.0, 5.0, 6.5, 0.0]], [[0.0, 1.2, 2.2, 3.2, 0.0], [0.0, 4.0, 5.0, 6.2, 0.0]]],
     "f32"),
    (_window("window_sum", (1, 1, 2), strides=[2, 1, 1], padding="valid", window_dilations=[1, 2, 1]), [T3],
     [[[6, 3, 4], [6, 3, 8]]], "s32"),
    (_window("window_sum", (1, 1, 2), **DILATED), [T3], [[[5, 5], [5, 9]]], "s32"),
    (_window("window_sum", (2, 1, 2), strides=[2, 1, 1], padding=[(2, 1), (3, 1), (1, 0)],
             window_dilations=[1, 2, 2]), [T3],
     [[[0, 0, 0]] * 6, [[0, 0, 0], [0, 0, 0], [0, 0, 0], [4, 11, 14], [10, 15, 19], [0, 0, 0]]], "s32"),
    (_window("window_mean", (1, 2, 1)), [T1], [[[2.5, 3.5, 4.5]], [[2.5, 3.5, 4.5]]], "f32"),
    (_window("window_mean", (2, 2, 1), **PADDED), [T1], [[[0.0, 0.0], [0.0, 4.5]], [[0.0, 0.0], [0.0, 2.25]]], "f32"),
    (_window("window_mean", (2, 1, 1), **HALVED), [T2],
     [[[0.0, 2.0, 1.0, 1.5, 0.0], [0.0, 1.0, 2.5, 3.25, 0.0]], [[0.0, 0.6, 1.1, 1.6, 0.0], [0.0, 2.0, 2.5, 3.1, 0.0]]],
     "f32"),
    (_window("window_mean", (1, 1, 2), strides=[2, 1, 1], padding="valid", window_dilations=[1, 2, 1]), [T3],
     [[[3.0, 1.5, 2.0], [3.0, 1.5, 4.0]]], "f32"),
    (_window("window_mean", (1, 1, 2), **DILATED), [T3], [[[2.5, 2.5], [2.5, 4.5]]], "f32"),
    (_window("window_max", (1, 2, 1)), [T1], [[[4, 5, 6]], [[4, 5, 6]]], "s32"),
    (_window("window_max", (2, 2, 1), **PADDED), [T1],
     [[[S32_MIN, S32_MIN], [S32_MIN, 6]], [[S32_MIN, S32_MIN], [S32_MIN, 6]]], "s32"),
    (_window("window_max", (2, 1, 1), **HALVED), [T2],
     [[[-np.inf, 4.0, 2.0, 3.0, -np.inf], [-np.inf, 2.0, 5.0, 6.5, -np.inf]],
      [[-np.inf, 1.2, 2.2, 3.2, -np.inf], [-np.inf, 4.0, 5.0, 6.2, -np.inf]]], "f32"),
    (_window("window_max", (1, 1, 2), **DILATED), [T3], [[[4, 3], [4, 7]]], "s32"),
    (_window("window_min", (1, 2, 1)), [T1], [[[1, 2, 3]], [[1, 2, 3]]], "s32"),
    (_window("window_min", (2, 2, 1), **PADDED), [T1],
     [[[S32_MAX, S32_MAX], [S32_MAX, 3]], [[S32_MAX, S32_MAX], [S32_MAX, 3]]], "s32"),
    (_window("window_min", (2, 1, 1), **HALVED), [T2],
     [[[np.inf, 4.0, 2.0, 3.0, np.inf], [np.inf, 2.0, 5.0, 6.5, np.inf]],
      [[np.inf, 1.2, 2.2, 3.2, np.inf], [np.inf, 4.0, 5.0, 6.2, np.inf]]], "f32"),
    (_window("window_min", (1, 1, 2), **DILATED), [T3], [[[1, 2], [1, 2]]], "s32"),
    (_window("window_product", (1, 2, 1)), [T1], [[[4, 10, 18]], [[4, 10, 18]]], "s32"),
    (_window("window_product", (2, 2, 1), **PADDED), [T1], [[[1, 1], [1, 324]], [[1, 1], [1, 18]]], "s32"),
    (_window("window_product", (2, 1, 1), **HALVED), [T2],
     [[[1.0, 4.0, 2.0, 3.0, 1.0], [1.0, 2.0, 5.0, 6.5, 1.0]], [[1.0, 1.2, 2.2, 3.2, 1.0], [1.0, 4.0, 5.0, 6.2, 1.0]]],
     "f32"),
    (_window("window_product", (1, 1, 2), **DILATED), [T3], [[[4, 6], [4, 14]]], "s32"),
    (lambda t: nx.window_reduce(t, S32_MIN, (2, 2), nx.maximum),
     [_s32([[1, 2, 3, 4], [4, 5, 6, 7], [7, 8, 9, 10], [11, 12, 13, 14]])],
     [[5, 6, 7], [8, 9, 10], [12, 13, 14]], "s32"),
    (lambda t: nx.window_reduce(t, S32_MIN, (2, 2), nx.maximum, padding="same", strides=[1, 1]),
     [_s32([[1, 2, 3], [4, 5, 6], [7, 8, 9]])], [[5, 6, 6], [8, 9, 9], [8, 9, 9]], "s32"),
    (lambda t: nx.window_reduce(t, 0, (1, 2), nx.add, padding="same", strides=[1, 1]),
     [_s32([[1, 2, 3], [4, 5, 6]])], [[3, 5, 3], [9, 11, 6]], "s32"),
    (lambda t: nx.window_reduce(t, 0, (1, 1, 2), nx.add, padding="valid", strides=[2, 1, 1],
                                window_dilations=[1, 1, 2]), [T3], [[[5, 5], [5, 9]]], "s32"),
    (lambda t, s: nx.window_scatter_max(t, s, 0, (2, 3), strides=[2, 3], padding="valid"), [SCATTERED, SOURCE],
     [[0, 0, 0, 0, 6, 0], [0, 0, 2, 0, 0, 0], [0, 0, 3, 0, 0, 0], [0, 0, 0, 0, 0, 1]], "s32"),
    (lambda t, s: nx.window_scatter_max(t, s, 0, (2, 3), strides=[2, 2], padding="valid"), [SCATTERED2, SOURCE],
     [[0, 0, 0, 0, 0], [0, 0, 8, 0, 0], [0, 0, 3, 0, 0], [0, 0, 0, 1, 0]], "s32"),
    (lambda t, s: nx.window_scatter_min(t, s, 0, (2, 3), strides=[2, 3], padding="valid"), [SCATTERED, SOURCE],
     [[0, 2, 0, 0, 0, 0], [0, 0, 0, 0, 0, 6], [0, 0, 0, 0, 0, 1], [3, 0, 0, 0, 0, 0]], "s32"),
    (lambda t, s: nx.window_scatter_min(t, s, 0, (2, 3), strides=[2, 2], padding="valid"), [SCATTERED2, SOURCE],
     [[0, 2, 0, 0, 0], [0, 0, 0, 6, 0], [0, 0, 0, 0, 0], [3, 0, 0, 0, 1]], "s32"),
]


def test_nx_examples_eagerly_on_iree_and_on_the_evaluator():
    check_examples_everywhere(NX_EXAMPLES)


# ---- random windows against a loop over each window ----

def _reference_windows(x, window, strides, pads, dilations, fill):
    """{output index: the window's elements in row-major order, `fill` where it reads padding}, and the index of
    each element in x (None for padding)."""
    counts = [(d + lo + hi - (w - 1) * dl - 1) // s + 1 for d, w, s, (lo, hi), dl in
              zip(x.shape, window, strides, pads, dilations)]
    windows = {}
    for out in np.ndindex(*counts):
        values, places = [], []
        for offset in np.ndindex(*window):
            place = tuple(o * s + j * dl - lo for o, s, j, dl, (lo, _) in zip(out, strides, offset, dilations, pads))
            inside = all(0 <= p < d for p, d in zip(place, x.shape))
            values.append(x[place] if inside else fill)
            places.append(place if inside else None)
        windows[out] = (values, places)
    return tuple(counts), windows


def _lowest(dtype):
    return -np.inf if dtype.is_float else np.iinfo(dtype.np).min


def _highest(dtype):
    return np.inf if dtype.is_float else np.iinfo(dtype.np).max


def _reference_reduce(kind, x, dtype, window, strides, pads, dilations):
    fill = {"sum": 0, "product": 1}[kind] if kind in ("sum", "product") else (
        _lowest(dtype) if kind == "max" else _highest(dtype))
    shape, windows = _reference_windows(x, window, strides, pads, dilations, fill)
    wide = np.float64 if dtype.is_float else np.complex128 if dtype.is_complex else dtype.np
    out = np.empty(shape, wide)
    for index, (values, _) in windows.items():
        values = np.array(values, wide)
        if kind in ("max", "min") and np.isnan(values.astype(np.complex128)).any():
            out[index] = np.nan
        else:
            out[index] = {"sum": np.add, "product": np.multiply, "max": np.maximum, "min": np.minimum}[kind].reduce(
                values, dtype=wide)
    return out


def _reference_scatter(kind, x, source, init, dtype, window, strides, pads):
    """The last element equal to the window's extremum (NaN first), padding holding the type's lowest (highest);
    summed in int64 or f64, then in the source's type (integers wrap as the op's sums do)."""
    fill = _lowest(dtype) if kind == "max" else _highest(dtype)
    _, windows = _reference_windows(x, window, strides, pads, (1,) * x.ndim, fill)
    out = np.full(x.shape, init, np.int64 if source.dtype.kind in "iu" else np.float64)
    for index, (values, places) in windows.items():
        values = np.array(values, np.float64)
        nan = np.isnan(values)
        extreme = np.nan if nan.any() else (values.max() if kind == "max" else values.min())
        chosen = max(k for k in range(len(values)) if (nan[k] if nan.any() else values[k] == extreme))
        if places[chosen] is not None:
            out[places[chosen]] += source[index]
    return out.astype(source.dtype)


def _random_windows(rng, count):
    """(shape, window_dimensions, options) for windows of ranks 1 to 4 with every form of each option."""
    configs = []
    for i in range(count):
        rank = 1 + i % 4
        shape = tuple(int(d) for d in rng.integers(1, 7 if rank < 3 else 5, rank))
        window = tuple(int(rng.integers(1, min(d, 3) + 1)) for d in shape)
        options = {"padding": ["valid", "same", [tuple(int(p) for p in rng.integers(0, 3, 2)) for _ in shape]][i % 3]}
        if i % 3:
            options["strides"] = int(rng.integers(1, 3)) if i % 2 else [int(s) for s in rng.integers(1, 4, rank)]
        if i % 5 == 1:
            # Dilated where the window still fits: with "same" padding always, else where the padding leaves room.
            room = [d + (0 if options["padding"] in ("valid", "same") else sum(p)) for d, p in
                    zip(shape, options["padding"] if isinstance(options["padding"], list) else [(0, 0)] * rank)]
            options["window_dilations"] = [2 if options["padding"] == "same" or (w - 1) * 2 < r else 1
                                           for w, r in zip(window, room)]
        configs.append((shape, window, options))
    return configs


def _resolved(shape, window, options):
    """Nx's options as the reference takes them (the "same" padding: the dilated window's span less one)."""
    rank = len(shape)
    per_axis = {k: (v,) * rank if isinstance(v, int) else tuple(v) for k, v in options.items() if k != "padding"}
    strides, dilations = per_axis.get("strides", (1,) * rank), per_axis.get("window_dilations", (1,) * rank)
    padding = options["padding"]
    if padding == "valid":
        pads = ((0, 0),) * rank
    elif padding == "same":
        pads = tuple(((w - 1) * d // 2, (w - 1) * d - (w - 1) * d // 2) for w, d in zip(window, dilations))
    else:
        pads = tuple(padding)
    return strides, pads, dilations


def _data(dtype, shape, rng, kind):
    """Small integers (ties, and integer products that wrap alike in any order); floats that are halves (exact
    sums), with NaN and inf for max and min, near 1 for products (no overflow, whatever the order)."""
    if dtype.is_integer:
        return rng.integers(0 if dtype.is_unsigned else -3, 4, shape).astype(dtype.np)
    if kind == "product":
        values = rng.uniform(0.9, 1.1, shape) + (0.1j * rng.uniform(-1, 1, shape) if dtype.is_complex else 0)
        return values.astype(dtype.np)
    values = rng.integers(-3, 4, shape) + rng.choice([0.0, 0.5], shape)
    if kind in ("max", "min"):
        values[rng.random(shape) < 0.1] = np.nan
        values[rng.random(shape) < 0.05] = np.inf
    if dtype.is_complex:
        values = values + 1j * rng.integers(-2, 3, shape)
    return values.astype(dtype.np)


WINDOW_TYPES = ["s8", "u8", "u16", "s32", "s64", "u64", "f16", "bf16", "f32", "f64", "c64"]


@pytest.mark.parametrize("type_name", WINDOW_TYPES)
def test_random_windows_match_a_loop_over_each_window(type_name):
    dtype = nx.as_dtype(type_name)
    rng = np.random.default_rng(WINDOW_TYPES.index(type_name))
    kinds = ["sum", "product"] + ([] if dtype.is_complex else ["max", "min"])
    calls, expected = [], []
    for (shape, window, options), kind in itertools.product(_random_windows(rng, 8), kinds):
        x = _data(dtype, shape, rng, kind)
        strides, pads, dilations = _resolved(shape, window, options)
        calls.append((lambda t, kind=kind, window=window, options=options: getattr(nx, f"window_{kind}")(
            t, window, **options), [nx.tensor(x)]))
        expected.append((kind, _reference_reduce(kind, x, dtype, window, strides, pads, dilations)))
    with np.errstate(all="ignore"):
        for ((kind, want), outs) in zip(expected, everywhere(calls)):
            for out in outs:
                assert out.type is dtype
                got = out.numpy()
                if dtype.is_integer:  # the loop's integers wrap as the op's do
                    np.testing.assert_array_equal(got, want.astype(dtype.np), err_msg=kind)
                else:
                    assert_close(got.astype(np.complex128 if dtype.is_complex else np.float64), want, type_name,
                                 rtol=2e-2 if dtype.name in ("f16", "bf16") else None)


SCATTER_TYPES = ["s8", "u16", "s32", "u64", "bf16", "f16", "f32", "f64"]


@pytest.mark.parametrize("type_name", SCATTER_TYPES)
def test_random_scatters_match_a_loop_over_each_window(type_name):
    """Overlapping and spaced windows, one-element windows, ties (small integers) and NaN; the source in f32 (or
    the type itself for integers)."""
    dtype = nx.as_dtype(type_name)
    rng = np.random.default_rng(10 + SCATTER_TYPES.index(type_name))
    source_type = dtype if dtype.is_integer else nx.f32
    calls, expected = [], []
    configs = [(shape, window, {k: v for k, v in options.items() if k != "window_dilations"})
               for shape, window, options in _random_windows(rng, 10)]
    configs += [((4, 6), (2, 2), {"strides": 2, "padding": "valid"}),  # max pooling
                ((5, 4), (3, 2), {"strides": [3, 2], "padding": "valid"}),  # a last window that ends early
                ((4, 6), (1, 1), {"strides": [2, 3], "padding": [(1, 0), (0, 2)]}),  # one-element windows
                ((3, 5), (1, 3), {"strides": [1, 2], "padding": "same"})]
    for (shape, window, options), kind in itertools.product(configs, ["max", "min"]):
        x = _data(dtype, shape, rng, kind)
        strides, pads, _ = _resolved(shape, window, options)
        counts, _ = _reference_windows(x, window, strides, pads, (1,) * len(shape), 0)
        source = rng.integers(1, 5, counts).astype(source_type.np)
        calls.append((lambda t, s, kind=kind, window=window, options=options: getattr(nx, f"window_scatter_{kind}")(
            t, s, 2, window, **options), [nx.tensor(x), nx.tensor(source)]))
        expected.append(_reference_scatter(kind, x.astype(np.float64), source, 2, dtype, window, strides, pads))
    for want, outs in zip(expected, everywhere(calls)):
        for out in outs:
            assert out.type is source_type
            np.testing.assert_array_equal(out.numpy(), want)


def test_max_and_min_propagate_nan_and_ties_go_to_the_last_element():
    x = nx.tensor([[1.0, np.nan, 3.0, 3.0], [3.0, 2.0, -0.0, 0.0]])
    calls = [(lambda t: nx.window_max(t, (1, 2), strides=[1, 2]), [x]),
             (lambda t: nx.window_min(t, (2, 1)), [x]),
             (lambda t: nx.window_scatter_max(t, nx.ones((2, 2)), 0, (1, 2), strides=[1, 2]), [x]),
             (lambda t: nx.window_scatter_min(t, nx.ones((2, 2)), 0, (1, 2), strides=[1, 2]), [x])]
    expected = [[[np.nan, 3.0], [3.0, 0.0]], [[1.0, np.nan, -0.0, 0.0]],
                [[0, 1, 0, 1], [1, 0, 0, 1]], [[0, 1, 0, 1], [0, 1, 0, 1]]]
    for want, outs in zip(expected, everywhere(calls)):
        for out in outs:
            np.testing.assert_array_equal(out.numpy(), want)


# ---- gradients ----

def _distinct(shape, seed=0):
    """Distinct values (no ties in any window), in f64."""
    rng = np.random.default_rng(seed)
    return nx.tensor(rng.permutation(int(np.prod(shape))).reshape(shape) / 7.0)


GRADIENT_CASES = [
    lambda x: nx.window_sum(x, (2, 2, 3), strides=[1, 2, 1], padding=[(1, 0), (0, 2), (2, 1)],
                            window_dilations=[1, 1, 2]),
    lambda x: nx.window_mean(x, (3, 2, 2), padding="same"),
    lambda x: nx.window_product(x, (2, 1, 2), strides=[1, 1, 2], padding=[(1, 0), (0, 2), (2, 1)],
                                window_dilations=[2, 1, 1]),
    lambda x: nx.window_product(x * nx.tensor(np.array([1.0, 0.0, 1.0, 1.0, 0.0])), (1, 2, 3), padding="same"),
    lambda x: nx.window_max(x, (2, 2, 2), strides=[1, 2, 1], padding="same"),
    lambda x: nx.window_min(x, (2, 2, 2), strides=[1, 1, 2], padding=[(0, 1), (1, 1), (0, 0)],
                            window_dilations=[1, 2, 2]),
    lambda x: nx.window_reduce(x, 1.0, (2, 2, 1), lambda acc, v: acc * nx.sin(v) + v, padding="same"),
    lambda x: nx.window_scatter_max(x, nx.sin(x[:2, :2, :3]), 0.5, (2, 2, 3), strides=[1, 2, 1]),
    lambda x: nx.window_scatter_min(x, nx.sin(x[:, :2, :3]), 0.5, (2, 2, 3), strides=[1, 2, 1],
                                    padding=[(1, 0), (0, 0), (0, 0)]),
]


@pytest.mark.parametrize("case", range(len(GRADIENT_CASES)))
@pytest.mark.parametrize("compiler", ["evaluator", "iree"])
def test_gradients_match_finite_differences(case, compiler):
    nx.testing.check_grads(GRADIENT_CASES[case], [_distinct((3, 4, 5))], order=2, compiler=compiler)


def test_max_pool_gradient_goes_to_the_last_of_tied_maxima_as_in_nx():
    x = nx.tensor([[1.0, 5.0, 5.0, 2.0], [5.0, 1.0, 0.0, 0.0]])
    for compiler in ("evaluator", "iree"):
        grad = nx.defn(nx.grad(lambda t: nx.sum(nx.window_max(t, (2, 2), strides=2))), compiler=compiler)(x)
        np.testing.assert_array_equal(grad.numpy(), [[0, 0, 1, 0], [1, 0, 0, 0]])
    # Dilated windows (columns 0 and 2, then 1 and 3) choose the same way, without window_scatter_max.
    dilated = nx.grad(lambda t: nx.sum(nx.window_max(t, (2, 2), window_dilations=[1, 2])))(x)
    np.testing.assert_array_equal(dilated.numpy(), [[0, 1, 0, 0], [1, 0, 0, 0]])


# ---- arguments and errors ----

def test_window_reduce_takes_the_accumulator_first_and_gives_the_operand_type():
    x = nx.tensor([[1, 2, 3], [4, 5, 6]], type="s16")
    calls = []

    def record(acc, v):
        calls.append((acc.shape, v.shape))
        return acc * 10 + v
    out = nx.window_reduce(x, 0.7, (2, 2), record)
    assert out.type is nx.s16 and calls[0] == ((1, 2), (1, 2)) and len(calls) == 4
    np.testing.assert_array_equal(out.numpy(), [[1245, 2356]])


def test_same_padding_keeps_the_shape_where_strides_are_one():
    x = nx.iota((5, 6, 7), type="f32")
    assert nx.window_sum(x, (3, 2, 4), padding="same").shape == (5, 6, 7)
    assert nx.window_max(x, (3, 2, 2), padding="same", strides=2, window_dilations=[1, 2, 3]).shape == (3, 3, 4)


def test_half_types_accumulate_in_f32():
    x = nx.tensor(np.full((1, 4096), 0.1, ml_dtypes.bfloat16))
    total = nx.window_sum(x, (1, 4096))
    assert total.type is nx.bf16 and abs(float(total.numpy()[0, 0]) - 409.6) < 2


@pytest.mark.parametrize("call, error, words", [
    (lambda: nx.window_sum(nx.ones((3, 4)), (2,)), nx.NxShapeError, ["window_sum", "window_dimensions", "[2]",
                                                                      "f32[3, 4]"]),
    (lambda: nx.window_sum(nx.ones((3, 4)), (2, 2), strides=[1]), nx.NxShapeError, ["strides", "[1]", "rank 2"]),
    (lambda: nx.window_max(nx.ones((3, 4)), (2, 0)), nx.NxValueError, ["window_max", "window_dimensions", "[2, 0]"]),
    (lambda: nx.window_min(nx.ones((3, 4)), (2, 2), strides=0), nx.NxValueError, ["strides", "[0, 0]"]),
    (lambda: nx.window_sum(nx.ones((3, 4)), (2, 2), window_dilations=[1, -1]), nx.NxValueError,
     ["window_dilations", "[1, -1]"]),
    (lambda: nx.window_sum(nx.ones((3, 4)), (2, 2), padding=[(0, 1), (-1, 0)]), nx.NxValueError,
     ["padding", "negative", "(-1, 0)"]),
    (lambda: nx.window_sum(nx.ones((3, 4)), (2, 2), padding="full"), nx.NxValueError, ["padding", "'full'"]),
    (lambda: nx.window_sum(nx.ones((3, 4)), (2, 2), padding=[(0, 1)]), nx.NxShapeError, ["padding_low", "rank 2"]),
    (lambda: nx.window_sum(nx.ones((3, 4)), (4, 2)), nx.NxShapeError, ["axis 0", "f32[3, 4]", "empty"]),
    (lambda: nx.window_sum(nx.ones((3, 4)), 2), nx.NxTypeError, ["window_dimensions", "tuple"]),
    (lambda: nx.window_max(nx.ones((3, 4), type="c64"), (2, 2)), nx.NxTypeError, ["window_max", "c64"]),
    (lambda: nx.window_sum(nx.ones((3, 4), type="bool"), (2, 2)), nx.NxTypeError, ["window_sum", "bool"]),
    (lambda: nx.window_scatter_max(nx.ones((4, 4)), nx.ones((3, 3)), 0, (2, 2), strides=2), nx.NxShapeError,
     ["window_scatter_max", "f32[3, 3]", "[2, 2]"]),
    (lambda: nx.window_scatter_min(nx.ones((4, 4)), nx.ones((2, 2)), nx.ones((1,)), (2, 2), strides=2),
     nx.NxTypeError, ["window_scatter_min", "init_value"]),
    (lambda: nx.window_reduce(nx.ones((3, 4)), nx.ones((2,)), (2, 2), nx.add), nx.NxShapeError,
     ["window_reduce", "acc", "f32[2]"]),
    (lambda: nx.window_reduce(nx.ones((3, 4)), 0, (2, 2), lambda acc, v: nx.sum(v)), nx.NxShapeError,
     ["window_reduce", "elementwise", "[2, 3]"]),
])
def test_errors_name_the_op_and_what_is_wrong(call, error, words):
    with pytest.raises(error) as info:
        call()
    for word in words:
        assert word in str(info.value)


def test_a_window_result_read_transposed_under_defn():
    # IREE 3.13 fused a reduce_window into a consumer that read it transposed and kept only the diagonal of v @ v.T
    # (found by the differential fuzzer); the lowering puts a barrier after it.
    x = np.random.default_rng(0).normal(size=(4, 1)).astype(np.float32)

    def fn(x):
        v = nx.window_sum(x, (2, 1))
        w = nx.window_max(x, (2, 1))
        return v @ nx.matrix_transpose(v), w * nx.matrix_transpose(w)
    for compiler in ("iree", "evaluator"):
        for got, want in zip(nx.defn(fn, compiler=compiler)(nx.tensor(x)), fn(nx.tensor(x))):
            np.testing.assert_allclose(np.asarray(got), np.asarray(want), rtol=1e-6, atol=1e-6)
