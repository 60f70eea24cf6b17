"""Whole programs under defn, on IREE and on the evaluator, against NumPy: issue 3's softmax, an MLP forward pass
with dict parameters, and one function that mixes every op family."""
import numpy as np
import pytest

import numerix as nx

from conftest import assert_close

COMPILERS = ["iree", "evaluator"]
rng = np.random.default_rng(0)


def _softmax(t):
    e = nx.exp(t - nx.max(t, axis=-1, keepdims=True))
    return e / nx.sum(e, axis=-1, keepdims=True)


@pytest.mark.parametrize("compiler", COMPILERS)
def test_softmax(compiler):
    x = rng.normal(size=(8, 16)).astype(np.float32)
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    assert_close(nx.defn(_softmax, compiler=compiler)(x), e / e.sum(axis=-1, keepdims=True), "f32")


@pytest.mark.parametrize("compiler", COMPILERS)
def test_mlp_forward_with_dict_parameters(compiler):
    params = {"hidden": {"w": rng.normal(size=(6, 5)), "b": rng.normal(size=5)},
              "out": {"w": rng.normal(size=(5, 3)), "b": rng.normal(size=3)}}

    def forward(params, x):
        h = nx.tanh(x @ params["hidden"]["w"] + params["hidden"]["b"])
        return {"probs": _softmax(h @ params["out"]["w"] + params["out"]["b"]), "hidden": h}

    x = rng.normal(size=(4, 6))
    out = nx.defn(forward, compiler=compiler)({k: {n: nx.tensor(v) for n, v in d.items()} for k, d in params.items()},
                                              nx.tensor(x))
    h = np.tanh(x @ params["hidden"]["w"] + params["hidden"]["b"])
    logits = h @ params["out"]["w"] + params["out"]["b"]
    e = np.exp(logits - logits.max(axis=-1, keepdims=True))
    assert set(out) == {"probs", "hidden"}
    assert_close(out["hidden"], h, "f64")
    assert_close(out["probs"], e / e.sum(axis=-1, keepdims=True), "f64")


def _every_family(x, idx):
    a = nx.sin(x) * 2 + nx.iota((4, 5), axis=1, type=x.type)            # elementwise, creation
    b = nx.sum(a, axis=0) + nx.max(a, axis=1)[:1]                        # reductions, indexing
    c = nx.concatenate([nx.reshape(a, (5, 4)), nx.transpose(a)], axis=0)  # shape
    d = nx.dot(c, nx.eye(4, type=x.type)) @ nx.ones((4, 2), type=x.type)  # contractions
    e = nx.sort(nx.cumulative_sum(a, axis=1), axis=0, descending=True)   # scans, sort
    f = nx.take(a, idx, axis=1)                                         # gather
    g = nx.linalg.solve(nx.eye(4, type=x.type) * 3 + a[:, :4] * 0.1, a[:, :1])  # linalg
    return b, d, e, f, nx.pad(g, 0.0, [(1, 0, 0), (0, 1, 1)]), nx.argmax(a, axis=1)


@pytest.mark.parametrize("compiler", COMPILERS)
def test_a_function_mixing_every_op_family(compiler):
    x = rng.normal(size=(4, 5))
    idx = np.array([4, 0, 2])
    got = nx.defn(_every_family, compiler=compiler)(nx.tensor(x), nx.tensor(idx))
    a = np.sin(x) * 2 + np.arange(5)
    c = np.concatenate([a.reshape(5, 4), a.T], axis=0)
    g = np.linalg.solve(np.eye(4) * 3 + a[:, :4] * 0.1, a[:, :1])
    want = (a.sum(axis=0) + a.max(axis=1)[:1], c @ np.ones((4, 2)), -np.sort(-np.cumsum(a, axis=1), axis=0),
            a[:, idx], np.pad(g, ((1, 0), (0, 1))),  # interior padding of one column adds nothing
            a.argmax(axis=1))
    for out, expected in zip(got, want):
        assert_close(out, expected, out.type)
