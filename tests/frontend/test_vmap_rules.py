"""The batching rules' paths that tests/frontend/test_vmap.py's sweep of EXAMPLES leaves out: conv with batch groups
and other layouts, gather and scatter_add with other dimension numbers and small index types, put_slice with a
start per example (clamped per example, signed zeros kept), solve with the right-hand sides alone batched. Each case
against a Python loop over the batch, with each operand batched alone and all together, on the evaluator and on IREE
(one module for all)."""
import numpy as np
import pytest

import numerix as nx
from conftest import sample
from numerix.dispatch import apply
from test_vmap import _check, _examples_of, _inputs, _loop, _mapped, _patterns

NO_GROUPS = {"feature_group_size": 1, "batch_group_size": 1}
IDENTITY = {"input_permutation": (0, 1, 2), "kernel_permutation": (0, 1, 2), "output_permutation": (0, 1, 2)}

# (op, operands, attrs, the positions of index operands)
RULE_CASES = [
    # Batch groups (2 of them) in NHWC / HWIO layouts: the examples stay inside each group.
    ("conv", [sample("f32", (4, 5, 5, 3)), sample("f32", (2, 2, 3, 4), seed=1)],
     {"strides": (1, 2), "padding_low": (0, 1), "padding_high": (1, 0), "input_dilation": (1, 1),
      "kernel_dilation": (1, 1), "feature_group_size": 1, "batch_group_size": 2, "input_permutation": (0, 3, 1, 2),
      "kernel_permutation": (3, 2, 0, 1), "output_permutation": (0, 3, 1, 2)}, set()),
    # No groups, one spatial axis, the batch and feature axes of the result swapped.
    ("conv", [sample("c64", (2, 3, 6)), sample("c64", (4, 3, 3), seed=1)],
     {"strides": (2,), "padding_low": (1,), "padding_high": (1,), "input_dilation": (1,), "kernel_dilation": (2,),
      **NO_GROUPS, "input_permutation": (0, 1, 2), "kernel_permutation": (0, 1, 2), "output_permutation": (1, 0, 2)},
     set()),
    # Feature groups with every feature its own group (depthwise).
    ("conv", [sample("f64", (2, 3, 5)), sample("f64", (6, 1, 2), seed=1)],
     {"strides": (1,), "padding_low": (0,), "padding_high": (0,), "input_dilation": (2,), "kernel_dilation": (1,),
      "feature_group_size": 3, "batch_group_size": 1, **IDENTITY}, set()),
    # Index vectors along axis 0 of the indices, offset axes around the batch axis of the result.
    ("gather", [sample("f32", (3, 4, 5)), np.array([[2, 0], [1, 4]], np.int32)],
     {"offset_dims": (0, 2), "collapsed_slice_dims": (0,), "start_index_map": (0, 2), "index_vector_dim": 0,
      "slice_sizes": (1, 2, 3)}, {1}),
    # Implicit index vectors of one entry (index_vector_dim is the indices' rank): rows taken by unsigned indices.
    ("gather", [sample("s32", (5, 3)), np.array([4, 0, 2, 9], np.uint8)],
     {"offset_dims": (1,), "collapsed_slice_dims": (0,), "start_index_map": (0,), "index_vector_dim": 1,
      "slice_sizes": (1, 3)}, {1}),
    ("scatter_add", [sample("f32", (3, 4, 5)), np.array([[2, 0], [1, 4]], np.int32), sample("f32", (2, 2, 3), seed=1)],
     {"offset_dims": (0, 2), "collapsed_slice_dims": (0,), "start_index_map": (0, 2), "index_vector_dim": 0,
      "slice_sizes": (1, 2, 3)}, {1}),
    ("scatter_add", [sample("s32", (5, 3)), np.array([4, 0, 4, 9], np.uint8), sample("s32", (4, 3), seed=1)],
     {"offset_dims": (1,), "collapsed_slice_dims": (0,), "start_index_map": (0,), "index_vector_dim": 1,
      "slice_sizes": (1, 3)}, {1}),
    # Starts 3, 2, 1 on the rows of a 4-row operand: the first example's clamped to 2.
    ("put_slice", [sample("f32", (4, 5)), sample("f32", (2, 3), seed=1), np.array(3, np.int8),
                   np.array(7, np.int8)], {}, {2, 3}),
    ("put_slice", [sample("bool", (3, 4)), sample("bool", (3, 1), seed=1), np.array(0, np.uint16),
                   np.array(2, np.uint16)], {}, {2, 3}),
    ("put_slice", [sample("f64", ()), sample("f64", (), seed=1)], {}, set()),
    # A stack of systems, several right-hand sides each.
    ("solve", [sample("f64", (2, 3, 3), seed=2) + 3 * np.eye(3), sample("f64", (2, 3, 4))], {}, set()),
    ("triangular_solve", [sample("f32", (3, 3), seed=2) + 3 * np.eye(3, dtype=np.float32),
                          sample("f32", (3, 2))], {"lower": False}, set()),
    ("fft", [sample("c64", (3, 4))], {"kind": "irfft", "lengths": (3, 6)}, set()),
]

CASES = [(name, arrays, attrs, index, pattern) for name, arrays, attrs, index in RULE_CASES
         for pattern in _patterns(len(arrays))]
IDS = [f"{c[0]}-{i}-{''.join('b' if b else 'u' for b in c[4])}" for i, c in enumerate(CASES)]


def _run(name, arrays, attrs, index, pattern, compiler):
    stacked = _examples_of(name, arrays, index)
    expected = _loop(name, arrays, attrs, pattern, stacked)
    got = nx.defn(_mapped(name, attrs, pattern), compiler=compiler)(*_inputs(arrays, stacked, pattern))
    return got, expected


@pytest.mark.parametrize("name, arrays, attrs, index, pattern", CASES, ids=IDS)
def test_rule_on_the_evaluator(name, arrays, attrs, index, pattern):
    got, expected = _run(name, arrays, attrs, index, pattern, "evaluator")
    _check(name, got, expected)


def test_rules_on_iree():
    calls = []
    for name, arrays, attrs, index, pattern in CASES:
        stacked = _examples_of(name, arrays, index)
        calls.append((_mapped(name, attrs, pattern), _inputs(arrays, stacked, pattern),
                      _loop(name, arrays, attrs, pattern, stacked)))

    def every_call(*tensors):
        out, at = [], 0
        for fn, inputs, _ in calls:
            out.append(fn(*tensors[at:at + len(inputs)]))
            at += len(inputs)
        return tuple(out)
    results = nx.defn(every_call)(*[x for _, inputs, _ in calls for x in inputs])
    for (name, *_), (_, _, expected), got in zip(CASES, calls, results):
        _check(name, got, expected)


SIGNED_ZERO_CASES = [("f32", "evaluator"), ("f32", "iree"), ("c64", "iree"), ("c64", "evaluator")]


@pytest.mark.parametrize("type, compiler", SIGNED_ZERO_CASES)
def test_put_slice_with_a_start_per_example_keeps_signed_zeros(type, compiler):
    zero = complex(-0.0, -0.0) if type == "c64" else -0.0
    x, update = np.ones((2, 3), nx.as_dtype(type).np), np.full((2, 1), zero, nx.as_dtype(type).np)

    def put(start):
        return apply("put_slice", [nx.tensor(x), nx.tensor(update), nx.tensor(np.int64(0)), start])
    got = nx.defn(nx.vmap(put), compiler=compiler)(np.array([0, 2, 5], np.int64)).numpy()
    written = np.zeros((3, 2, 3), bool)
    written[0, :, 0] = written[1, :, 2] = written[2, :, 2] = True  # the start 5 clamped to 2
    assert np.array_equal(got == 0, written)
    for part in (got.real, got.imag) if type == "c64" else (got,):
        assert np.array_equal(np.signbit(part), written)


@pytest.mark.parametrize("compiler", ["evaluator", "iree"])
def test_gather_with_more_examples_than_its_index_type_counts(compiler):
    # s8 indices cannot number 200 examples: the rule widens them.
    size = 200
    x = np.arange(size * 4, dtype=np.float32).reshape(size, 4)
    indices = (np.arange(size * 2) % 5).astype(np.int8).reshape(size, 2, 1)
    got = nx.defn(nx.vmap(lambda a, i: apply("gather", [a, i], offset_dims=(), collapsed_slice_dims=(0,),
                                                     start_index_map=(0,), index_vector_dim=1, slice_sizes=(1,))),
                  compiler=compiler)(x, indices)
    expected = np.take_along_axis(x, np.minimum(indices[..., 0], 3).astype(np.int64), axis=1)
    np.testing.assert_array_equal(got.numpy(), expected)


@pytest.mark.parametrize("compiler", ["evaluator", "iree"])
def test_conv_over_an_empty_batch(compiler):
    attrs = {"strides": (1,), "padding_low": (0,), "padding_high": (0,), "input_dilation": (1,),
             "kernel_dilation": (1,), **NO_GROUPS, **IDENTITY}
    x, k = np.zeros((0, 2, 3, 5), np.float32), np.zeros((0, 4, 3, 2), np.float32)
    for in_axes in ((0, 0), (0, None), (None, 0)):
        args = [a if axis == 0 else np.zeros(a.shape[1:], a.dtype) for a, axis in zip((x, k), in_axes)]
        got = nx.defn(nx.vmap(lambda a, b: apply("conv", [a, b], **attrs), in_axes=in_axes), compiler=compiler)(*args)
        assert got.shape == (0, 2, 4, 4)


def _per_example_loss(weights, x, start):
    """A loss through the rules' ops, each example with its own input and start."""
    kernel = nx.reshape(weights, (2, 2, 3))
    features = apply("conv", [nx.reshape(x, (1, 2, 6)), kernel], strides=(1,), padding_low=(1,), padding_high=(0,),
                     input_dilation=(1,), kernel_dilation=(1,), **NO_GROUPS, **IDENTITY)
    rows = apply("gather", [nx.reshape(features, (2, 5)), nx.tensor(np.array([[1, 0], [0, 2]], np.int64))],
                 offset_dims=(1,), collapsed_slice_dims=(0,), start_index_map=(0, 1), index_vector_dim=1,
                 slice_sizes=(1, 3))
    written = apply("put_slice", [nx.reshape(x, (3, 4)), rows, start, nx.tensor(np.int64(1))])
    system = nx.tensor(3 * np.eye(3, dtype=np.float32)) + nx.reshape(weights[:9], (3, 3)) / 4
    return nx.sum(apply("solve", [system, written]) ** 2)


@pytest.mark.parametrize("compiler", ["evaluator", "iree"])
def test_per_example_gradients_through_the_rules(compiler):
    weights = sample("f32", (12,), seed=4)
    xs, starts = sample("f32", (3, 12), seed=5), np.array([0, 1, 3], np.int64)
    got = nx.defn(nx.vmap(nx.grad(_per_example_loss), in_axes=(None, 0, 0)), compiler=compiler)(weights, xs, starts)
    expected = np.stack([nx.grad(_per_example_loss)(nx.tensor(weights), nx.tensor(x), nx.tensor(s)).numpy()
                         for x, s in zip(xs, starts)])
    _check("grad", got, [expected])
