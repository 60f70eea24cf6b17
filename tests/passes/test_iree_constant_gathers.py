"""IREE 3.13 fuses the elementwise producer of a gather at constant indices into the gather and writes the producer's
other use through the gather's constant map (only one column of it); the iree-constant-gather-barriers pass keeps the
producer out of such gathers."""
import numpy as np
import pytest

import numerix as nx

X = np.array([[2.0, -1.0, -2.0, -3.0], [5.0, -1.5, -2.5, -3.5]], np.float32)

PROGRAMS = {
    # -x is read by the gather at column 0 only and by -x + 1 everywhere.
    "same_column": (lambda x: (-x[:, [0, 0, 0]] * 2, -x + 1), lambda x: (-x[:, [0, 0, 0]] * 2, -x + 1)),
    # exp of a NaN-holding log beside the gather: the fuzzer's program, without vmap.
    "log_exp": (lambda x: (nx.exp(nx.log(x)[:, [0, 0, 0]]), nx.exp(nx.log(x))),
                lambda x: (np.exp(np.log(x)[:, [0, 0, 0]]), np.exp(np.log(x)))),
    # The gather's operand has one use, but its own operand, -x, has two.
    "through_a_chain": (lambda x: ((-x * 3)[:, [1, 1]], -x + 1), lambda x: ((-x * 3)[:, [1, 1]], -x + 1)),
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_producer_of_a_constant_gather_keeps_its_other_use(name):
    program, reference = PROGRAMS[name]
    with np.errstate(invalid="ignore"):
        expected = reference(X)
    for got, want in zip(nx.defn(program, compiler="iree")(nx.tensor(X)), expected):
        np.testing.assert_allclose(got.numpy(), want, rtol=1e-6)


def test_under_vmap_the_gather_of_one_example_is_guarded_too():
    def program(x):
        logs = nx.log(x)
        return nx.exp(logs[[0, 0, 0]]), nx.exp(logs)
    got = nx.defn(nx.vmap(program), compiler="iree")(nx.tensor(X))
    with np.errstate(invalid="ignore"):
        np.testing.assert_allclose(got[1].numpy(), np.exp(np.log(X)), rtol=1e-6)
        np.testing.assert_allclose(got[0].numpy(), np.exp(np.log(X[:, [0, 0, 0]])), rtol=1e-6)


def test_gathers_at_traced_indices_and_of_arguments_are_left_alone():
    lowered = nx.defn(lambda x, i: (x[:, i], (-x)[:, i], x[:, [0, 0]])).lower(nx.tensor(X), nx.tensor([1, 2]))
    assert "optimization_barrier" not in lowered.as_text("stablehlo")
