"""nx.vmap and the nx-batch pass: every op's batching rule against a Python loop over the batch, on the evaluator, on
IREE and eagerly on vectorized tensors; per-example gradients; vmap of control flow; in_axes/out_axes forms; errors."""
import numpy as np
import pytest

import numerix as nx
from conftest import assert_close, collatz_steps
from numerix.dialect.errors import NxShapeError, NxTypeError, NxValueError
from numerix.dialect.rules import BATCH
from numerix.dispatch import apply
from test_defn import EXAMPLES, SWEPT

BATCH_SIZE = 3
# Ops without operands are never batched (they are the same for every example).
NO_OPERANDS = {"iota", "constant"}
# Operands that index another: each example gets its own valid indices (rolled rows, or smaller starts).
INDEX_OPERANDS = {"gather": {1}, "scatter_add": {1}, "put_slice": {2, 3}}
SCALES = (1.0, 0.5, 0.75)  # toward zero: keeps each example inside the domain of the op (positive, SPD, |x| < 1)


def _examples_of(name, arrays, index_positions):
    """BATCH_SIZE different examples of each operand, stacked on a new leading axis."""
    stacked = []
    for position, a in enumerate(arrays):
        a = np.asarray(a)
        if position in index_positions:
            lanes = [np.roll(a, k, axis=0) if a.ndim else np.maximum(a - k, 0).astype(a.dtype)
                     for k in range(BATCH_SIZE)]
        elif a.dtype == bool:
            lanes = [a, ~a, a]
        elif a.dtype.kind in "iu":
            lanes = [a, (a + 1).astype(a.dtype), (a // 2).astype(a.dtype)]
        else:
            wide = a.astype(np.complex128 if a.dtype.kind == "c" else np.float64)
            lanes = [(wide * s).astype(a.dtype) for s in SCALES]
        stacked.append(np.stack(lanes))
    return stacked


def _patterns(count):
    """Which operands are batched: all of them, and (for several) each one alone."""
    patterns = [(True,) * count]
    if count > 1:
        patterns += [tuple(i == j for i in range(count)) for j in range(count)]
    return patterns


def _cases():
    for name in SWEPT:
        if name in NO_OPERANDS:
            continue
        for i, (arrays, attrs) in enumerate(EXAMPLES[name]):
            for pattern in _patterns(len(arrays)):
                yield name, i, arrays, attrs, pattern


CASES = list(_cases())


def _loop(name, arrays, attrs, pattern, stacked):
    """The op once per example, eagerly, its results stacked."""
    outs = []
    for k in range(BATCH_SIZE):
        lane = [s[k] if b else a for a, s, b in zip(arrays, stacked, pattern)]
        out = apply(name, [nx.tensor(x) for x in lane], **attrs)
        outs.append([o.numpy() for o in (out if isinstance(out, tuple) else (out,))])
    return [np.stack(parts) for parts in zip(*outs)]


def _inputs(arrays, stacked, pattern):
    return [s if b else a for a, s, b in zip(arrays, stacked, pattern)]


def _mapped(name, attrs, pattern):
    return nx.vmap(lambda *xs: apply(name, list(xs), **attrs), in_axes=tuple(0 if b else None for b in pattern))


# Eigenvectors and singular vectors are unique up to sign, which IREE's lowering and LAPACK choose differently.
UP_TO_SIGN = {"eigh", "svd"}


def _check(name, got, expected):
    got = got if isinstance(got, tuple) else (got,)
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        assert g.shape == e.shape, f"nx.{name}: {g.shape} != {e.shape}"
        if name in UP_TO_SIGN:
            g, e = np.abs(g.numpy()), np.abs(e)
        assert_close(g, e, nx.as_dtype(e.dtype) if e.dtype != bool else None)


def test_every_op_has_a_batching_rule():
    missing = sorted(set(SWEPT) - NO_OPERANDS - set(BATCH))
    assert not missing, f"ops without a batching rule: {missing}"


@pytest.mark.parametrize("name, i, arrays, attrs, pattern", CASES,
                         ids=[f"{c[0]}-{c[1]}-{''.join('b' if b else 'u' for b in c[4])}" for c in CASES])
def test_batching_rule_on_the_evaluator(name, i, arrays, attrs, pattern):
    stacked = _examples_of(name, arrays, INDEX_OPERANDS.get(name, set()))
    expected = _loop(name, arrays, attrs, pattern, stacked)
    got = nx.defn(_mapped(name, attrs, pattern), compiler="evaluator")(*_inputs(arrays, stacked, pattern))
    _check(name, got, expected)


@pytest.mark.parametrize("name, i, arrays, attrs, pattern", CASES,
                         ids=[f"{c[0]}-{c[1]}-{''.join('b' if b else 'u' for b in c[4])}" for c in CASES])
def test_batching_rule_eagerly_on_vectorized_tensors(name, i, arrays, attrs, pattern):
    # The third mode: the rule runs eagerly (NumPy) on vectorized tensors, as Nx's vectorization does.
    stacked = _examples_of(name, arrays, INDEX_OPERANDS.get(name, set()))
    expected = _loop(name, arrays, attrs, pattern, stacked)
    operands = [nx.vectorize(s, "batch") if b else nx.tensor(a) for a, s, b in zip(arrays, stacked, pattern)]
    got = apply(name, operands, **attrs)
    got = tuple(nx.devectorize(g) for g in (got if isinstance(got, tuple) else (got,)))
    _check(name, got, expected)


def test_batching_rules_on_iree():
    # Every case in one module (one compile).
    calls = []
    for name, i, arrays, attrs, pattern in CASES:
        stacked = _examples_of(name, arrays, INDEX_OPERANDS.get(name, set()))
        calls.append((name, _mapped(name, attrs, pattern), _inputs(arrays, stacked, pattern),
                      _loop(name, arrays, attrs, pattern, stacked)))

    def every_call(*tensors):
        out, at = [], 0
        for _, fn, inputs, _ in calls:
            out.append(fn(*tensors[at:at + len(inputs)]))
            at += len(inputs)
        return tuple(out)
    results = nx.defn(every_call)(*[x for _, _, inputs, _ in calls for x in inputs])
    for (name, _, _, expected), got in zip(calls, results):
        _check(name, got, expected)


# ---- composition with grad and control flow ----

RNG = np.random.default_rng(0)
X = RNG.uniform(-1, 1, (5, 3)).astype(np.float32)
W = RNG.uniform(-1, 1, (3, 2)).astype(np.float32)
COMPILERS = ["iree", "evaluator"]


def _loss(w, x):
    return nx.sum(nx.tanh(x @ w) ** 2)


@pytest.mark.parametrize("compiler", COMPILERS)
def test_per_example_gradients_match_a_loop_of_grads(compiler):
    per_example = nx.defn(nx.vmap(nx.grad(_loss), in_axes=(None, 0)), compiler=compiler)(W, X)
    expected = np.stack([nx.grad(_loss)(nx.tensor(W), nx.tensor(x)).numpy() for x in X])
    assert per_example.shape == (5, 3, 2)
    assert_close(per_example, expected, nx.f32)


@pytest.mark.parametrize("compiler", COMPILERS)
def test_grad_of_vmap_and_vmap_of_value_and_grad(compiler):
    def total(w, x):
        return nx.sum(nx.vmap(_loss, in_axes=(None, 0))(w, x))

    got = nx.defn(nx.grad(total), compiler=compiler)(W, X)
    assert_close(got, nx.grad(lambda w, x: _loss(w, x))(W, X), nx.f32)
    values, grads = nx.defn(nx.vmap(nx.value_and_grad(_loss), in_axes=(None, 0)), compiler=compiler)(W, X)
    assert_close(values, [_loss(nx.tensor(W), nx.tensor(x)).numpy() for x in X], nx.f32)
    assert grads.shape == (5, 3, 2)


@pytest.mark.parametrize("compiler", COMPILERS)
def test_nested_vmaps_map_over_two_axes(compiler):
    a = RNG.uniform(-1, 1, (2, 3, 4)).astype(np.float32)
    b = RNG.uniform(-1, 1, (4, 3)).astype(np.float32)
    f = nx.vmap(nx.vmap(lambda x, y: nx.sum(x * y), in_axes=(0, 1)), in_axes=(0, None))
    got = nx.defn(f, compiler=compiler)(a, b)
    assert_close(got, np.einsum("ijk,kj->ij", a, b), nx.f32)


@pytest.mark.parametrize("compiler", COMPILERS)
def test_cond_with_a_predicate_per_example_takes_each_examples_branch(compiler):
    def f(x):
        return nx.cond(nx.sum(x) > 0, lambda v: v * 2.0, lambda v: -v, x)
    got = nx.defn(nx.vmap(f), compiler=compiler)(X)
    expected = np.where(X.sum(1, keepdims=True) > 0, X * 2, -X)
    assert_close(got, expected, nx.f32)
    # The same branch for all: a predicate that is the same for every example.
    g = nx.vmap(lambda x, p: nx.cond(p > 0, lambda v: v + 1.0, lambda v: v - 1.0, x), in_axes=(0, None))
    assert_close(nx.defn(g, compiler=compiler)(X, np.float32(-1)), X - 1, nx.f32)


@pytest.mark.parametrize("compiler", COMPILERS)
def test_switch_with_an_index_per_example(compiler):
    def f(i, x):
        return nx.switch(i, [lambda v: v, lambda v: v * 10.0, lambda v: v * 100.0], x)
    index = np.array([0, 2, 1, 5, -1], np.int32)  # out of range clamps, as nx.switch does
    got = nx.defn(nx.vmap(f), compiler=compiler)(index, X)
    factors = np.array([1, 100, 10, 100, 1], np.float32)[:, None]
    assert_close(got, X * factors, nx.f32)


@pytest.mark.parametrize("compiler", COMPILERS)
def test_while_loop_whose_examples_finish_at_different_trips(compiler):
    numbers = np.array([1, 6, 7, 27, 2], np.int64)
    got = nx.defn(nx.vmap(collatz_steps), compiler=compiler)(numbers)

    def steps(n):
        count = 0
        while n != 1:
            n, count = (n // 2 if n % 2 == 0 else 3 * n + 1), count + 1
        return count
    np.testing.assert_array_equal(got.numpy(), [steps(int(n)) for n in numbers])


@pytest.mark.parametrize("compiler", COMPILERS)
def test_fori_loop_and_scan_under_vmap(compiler):
    def power_sum(x):
        return nx.fori_loop(0, 4, lambda i, acc: acc * x + 1.0, nx.zeros_like(x))

    def running(x):
        return nx.scan(lambda c, v: (c + v, c * v), nx.tensor(0.0, type=nx.f32), x)
    got = nx.defn(nx.vmap(power_sum), compiler=compiler)(X)
    assert_close(got, 1 + X + X ** 2 + X ** 3, nx.f32)
    carry, ys = nx.defn(nx.vmap(running), compiler=compiler)(X)
    expected = [running(nx.tensor(x)) for x in X]
    assert_close(carry, [c.numpy() for c, _ in expected], nx.f32)
    assert_close(ys, np.stack([y.numpy() for _, y in expected]), nx.f32)


@pytest.mark.parametrize("compiler", COMPILERS)
def test_custom_grad_under_vmap_keeps_its_gradient(compiler):
    @nx.custom_grad
    def clipped(x):
        return nx.sin(x)
    clipped.defvjp(lambda x: (nx.sin(x), x), lambda x, g: (g * 0.0 + 7.0,))
    values = nx.defn(nx.vmap(clipped), compiler=compiler)(X)
    assert_close(values, np.sin(X), nx.f32)
    grads = nx.defn(nx.grad(lambda x: nx.sum(nx.vmap(clipped)(x))), compiler=compiler)(X)
    assert_close(grads, np.full_like(X, 7.0), nx.f32)


# ---- in_axes, out_axes, containers, closures ----

def test_in_axes_and_out_axes_forms():
    params = {"w": W, "b": np.ones(2, np.float32)}

    def layer(p, x):
        return {"y": x @ p["w"] + p["b"], "scale": p["b"] * 2.0}
    f = nx.vmap(layer, in_axes=({"w": None, "b": None}, 0), out_axes={"y": 1, "scale": None})
    out = f(params, X)
    assert_close(out["y"], (X @ W + 1).T, nx.f32)
    assert_close(out["scale"], np.full(2, 2.0), nx.f32)
    # negative axes, keyword arguments (batched along axis 0), a tuple of results
    g = nx.vmap(lambda a, b: (a + b, a * b), in_axes=(-1, None))
    s, p = g(X.T, np.float32(2))
    assert_close(s, X + 2, nx.f32)
    assert_close(p, X * 2, nx.f32)
    h = nx.vmap(lambda a, *, k: a * k)
    assert_close(h(X, k=np.arange(5, dtype=np.float32)), X * np.arange(5)[:, None], nx.f32)


def test_closed_over_tensors_are_the_same_for_every_example():
    @nx.defn
    def f(x, w):
        return nx.vmap(lambda v: v @ w)(x)
    assert_close(f(X, W), X @ W, nx.f32)


def test_the_batched_program_is_batched_kernels_not_a_loop():
    text = nx.defn(nx.vmap(lambda x: nx.sum(nx.exp(x) @ nx.tensor(W)))).lower(X).as_text("nx-optimized")
    assert "nx.vmap" not in text and "nx.while" not in text
    assert "nx.dot" in text


# ---- errors ----

def test_mismatched_batch_sizes_name_both_arguments():
    with pytest.raises(NxShapeError, match=r"argument 1 .*size 4.*argument 0 .*size 5"):
        nx.vmap(lambda a, b: a + b)(X, np.ones((4, 3), np.float32))


def test_axis_and_structure_errors():
    with pytest.raises(NxValueError, match="axis 2"):
        nx.vmap(lambda a: a, in_axes=2)(X)
    with pytest.raises(NxValueError, match="does not match the structure"):
        nx.vmap(lambda p: p["w"], in_axes=({"v": 0},))({"w": X})
    with pytest.raises(NxValueError, match="no argument is batched"):
        nx.vmap(lambda a: a, in_axes=None)(X)
    with pytest.raises(NxValueError, match="out_axes is None"):
        nx.vmap(lambda a: a * 2.0, out_axes=None)(X)
    with pytest.raises(NxTypeError, match="in_axes holds ints"):
        nx.vmap(lambda a: a, in_axes="rows")(X)
