"""Shared test helpers: sample data per type and dtype-aware comparison with NumPy; nx IR text parsed and run on
the evaluator, with results compared bit for bit."""
import os
import tempfile

import ml_dtypes
import numpy as np
import pytest
from iree.compiler import ir

# The suite uses its own disk cache, kept between runs, so compiled modules are reused (each iree-compile takes a
# good part of a second: docs/iree.md).
os.environ.setdefault("NUMERIX_CACHE_DIR", os.path.join(tempfile.gettempdir(), "numerix-test-cache"))
# Tiered execution (runtime/tiered.py) would run a test's first call on the evaluator: the suite's IREE tests must
# run IREE, so it is off but in tests/runtime/test_tiered.py, which turns it on itself.
os.environ.setdefault("NUMERIX_TIERED", "0")

import numerix as nx  # noqa: E402
from numerix.dialect import ir as nx_ir  # noqa: E402
from numerix.runtime.compilers import get_compiler  # noqa: E402

ALL_TYPES = ["bool", "u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64", "f16", "bf16", "f32", "f64", "c64",
             "c128"]

# Relative tolerance per type: a few units in the last place of the type's precision.
RTOL = {"f16": 4e-3, "bf16": 3e-2, "f32": 2e-6, "f64": 1e-13, "c64": 2e-6, "c128": 1e-13}


def sample(type, shape=(3, 4), seed=0, low=None, high=None):
    """Deterministic sample data of a numerix type: small ints, floats in [-3, 3] (or [low, high])."""
    t = nx.as_dtype(type)
    rng = np.random.default_rng(seed)
    if t.is_bool:
        return rng.integers(0, 2, shape).astype(bool)
    if t.is_integer:
        lo = 0 if t.is_unsigned else -9 if low is None else low
        return rng.integers(lo if low is None else low, 10 if high is None else high, shape).astype(t.np)
    lo, hi = (-3.0 if low is None else low), (3.0 if high is None else high)
    values = rng.uniform(lo, hi, shape)
    if t.is_complex:
        values = values + 1j * rng.uniform(lo, hi, shape)
    return values.astype(t.np)


def assert_close(actual, expected, type=None, rtol=None, atol=None):
    """Compares a tensor (or array) with a NumPy expectation at the tolerance of `type` (exact for ints and bool)."""
    actual = np.asarray(actual)
    expected = np.asarray(expected)
    t = nx.as_dtype(type) if type is not None else None
    assert actual.shape == expected.shape, f"shape {actual.shape} != {expected.shape}"
    if t is None or not t.is_inexact:
        np.testing.assert_array_equal(actual, expected)
        return
    rtol = RTOL[t.name] if rtol is None else rtol
    as_wide = (lambda a: a.astype(np.complex128)) if t.is_complex else (lambda a: a.astype(np.float64))
    a, e = as_wide(actual), as_wide(expected)
    np.testing.assert_allclose(a, e, rtol=rtol, atol=rtol if atol is None else atol, equal_nan=True)


def everywhere(calls):
    """Each (fn, tensors) eagerly, and all of them in one defn on IREE and one on the evaluator (one compile each):
    a list of (eager, iree, evaluator) results. Tensor arguments are traced inside defn (indices included)."""
    eager = [fn(*args) for fn, args in calls]
    flat = [a for _, args in calls for a in args]

    def every_call(*tensors):
        out, i = [], 0
        for fn, args in calls:
            out.append(fn(*tensors[i:i + len(args)]))
            i += len(args)
        return tuple(out)
    iree = nx.defn(every_call)(*flat)
    evaluator = nx.defn(every_call, compiler="evaluator")(*flat)
    return list(zip(eager, iree, evaluator))


def check_examples_everywhere(examples):
    """Nx documentation examples, (fn, tensors, expected values, type name) each, run by everywhere(): every result
    has the type and, within its tolerance, the values."""
    results = everywhere([(fn, args) for fn, args, _, _ in examples])
    for (fn, args, expected, type_name), outs in zip(examples, results):
        for out in outs:
            assert out.type is nx.as_dtype(type_name)
            assert_close(out.numpy(), np.array(expected, nx.as_dtype(type_name).np), type_name)


def parse(text):
    with nx_ir.new_context():
        return ir.Module.parse(text)


def run(module, *arrays, entry="f"):
    return get_compiler("evaluator").compile(module, entry, {})(*arrays)


def assert_same(actual, expected):
    actual, expected = np.ascontiguousarray(actual), np.ascontiguousarray(expected)
    assert (actual.dtype, actual.shape) == (expected.dtype, expected.shape)
    assert actual.tobytes() == expected.tobytes(), f"\n{actual}\n!=\n{expected}"


@pytest.fixture
def bf16():
    return ml_dtypes.bfloat16


def collatz_steps(n):
    """The Collatz steps from the integer scalar n down to 1, as an nx.while_loop: a loop whose trip count depends on
    its data, so that entries of a batch (vmap, vectorized tensors) finish at different trips."""
    def body(state):
        value, steps = state
        return nx.where(value % 2 == 0, value // 2, 3 * value + 1), steps + 1
    return nx.while_loop(lambda state: state[0] != 1, body, (n, nx.tensor(0)))[1]
