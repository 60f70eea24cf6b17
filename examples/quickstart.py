"""numerix in one page: eager tensors, a defn compiled by IREE, the IR it became, and a gradient."""
import numpy as np

import numerix as nx

# Eager: typed tensors with named axes, on the NumPy backend.
x = nx.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], names=["batch", "feature"])
print(nx.sum(x, axes=["feature"]))


@nx.defn
def softmax(t):
    shifted = t - nx.max(t, axis=-1, keepdims=True)
    e = nx.exp(shifted)
    return e / nx.sum(e, axis=-1, keepdims=True)


@nx.defn
def predict(params, inputs):
    hidden = nx.tanh(inputs @ params["w1"] + params["b1"])
    return softmax(hidden @ params["w2"] + params["b2"])


rng = np.random.default_rng(0)
params = {"w1": nx.tensor(rng.normal(size=(4, 8)).astype(np.float32)), "b1": nx.tensor(np.zeros(8, np.float32)),
          "w2": nx.tensor(rng.normal(size=(8, 3)).astype(np.float32)), "b2": nx.tensor(np.zeros(3, np.float32))}
batch = nx.tensor(rng.normal(size=(2, 4)).astype(np.float32))
print(predict(params, batch))                        # traced once, compiled by IREE, run
print(softmax.lower(batch).as_text("nx"))            # the program in the nx dialect


def loss(w, inputs):
    return nx.mean(nx.tanh(inputs @ w) ** 2)


print(nx.defn(nx.grad(loss))(params["w1"], batch))   # reverse mode, written by the nx-grad pass
