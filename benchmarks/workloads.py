"""The benchmark workloads, each written once per library with the same math.

`WORKLOADS[name]` is a Workload: `inputs()` makes its NumPy inputs (seeded), `reference(inputs)` the answer that
every library's result is checked against, and `build[library](inputs)` returns `call`, a function of no arguments
that runs one call to completion (JAX's asynchronous dispatch is waited for) and returns the library's result;
`arrays(result)` turns any library's result into a tuple of NumPy arrays for the check, outside the timing.
Inputs are handed over in each library's own form before timing (nx.Tensor, jax.Array), as its user would hold
them."""
from typing import Callable, NamedTuple

import numpy as np

ROWS, COLS = 2048, 1024  # softmax
N = 1024  # matmul
BATCH, IN, HIDDEN, OUT = 256, 784, 512, 10  # MLP
IMAGES, CHANNELS, SIDE = 32, 64, 56  # convolution (3x3, CHANNELS to CHANNELS, "same") and 2x2 max pool
CONV_FLOPS = 2 * IMAGES * CHANNELS * SIDE * SIDE * CHANNELS * 9
LEARNING_RATE = 0.01


class Workload(NamedTuple):
    title: str
    inputs: Callable
    reference: Callable
    build: dict  # library -> inputs -> call
    rtol: float
    atol: float
    calls_per_sample: int  # calls timed together as one sample (tiny calls are too short to time alone)
    samples: int  # per process and library
    bytes_moved: int = 0  # the least memory traffic a call needs (inputs read once, outputs written once)
    flops: int = 0


def numerix_call(fn, *args):
    """The call of a defn, which keeps the defn and its arguments for measure.py's breakdown of the call."""
    def call():
        return fn(*args)
    call.defn, call.args = fn, args
    return call


def _rng():
    return np.random.default_rng(20240605)


# ---- 1. a 10-op elementwise chain ----
# mul, add, tanh, mul, neg, exp, mul, abs, sqrt, add: ten ops, none of which a compiler may drop.

def chain_inputs():
    return {"x": _rng().standard_normal(4 << 20, dtype=np.float32)}


def chain_numpy(inputs):
    x = inputs["x"]
    return lambda: np.tanh(x * 1.5 + 0.5) * np.exp(-x * x) + np.sqrt(np.abs(x))


def chain_numerix(inputs):
    import numerix as nx

    @nx.defn
    def chain(x):
        return nx.tanh(x * 1.5 + 0.5) * nx.exp(-x * x) + nx.sqrt(nx.abs(x))
    x = nx.tensor(inputs["x"])
    return numerix_call(chain, x)


def chain_jax(inputs):
    import jax
    import jax.numpy as jnp

    @jax.jit
    def chain(x):
        return jnp.tanh(x * 1.5 + 0.5) * jnp.exp(-x * x) + jnp.sqrt(jnp.abs(x))
    x = jnp.asarray(inputs["x"])
    return lambda: chain(x).block_until_ready()


# ---- 1b. one elementwise op over the chain's data: the bandwidth probe ----
# Memory-bound on any library that fuses: what the call path and the memory reach, beside the chain's arithmetic.

def scale_numpy(inputs):
    x = inputs["x"]
    return lambda: x * np.float32(1.5) + np.float32(0.5)


def scale_numerix(inputs):
    import numerix as nx

    @nx.defn
    def scale(x):
        return x * 1.5 + 0.5
    return numerix_call(scale, nx.tensor(inputs["x"]))


def scale_jax(inputs):
    import jax
    import jax.numpy as jnp
    scale = jax.jit(lambda x: x * 1.5 + 0.5)
    x = jnp.asarray(inputs["x"])
    return lambda: scale(x).block_until_ready()


# ---- 2. softmax over rows ----

def softmax_inputs():
    return {"a": _rng().standard_normal((ROWS, COLS), dtype=np.float32) * 4}


def softmax_numpy(inputs):
    a = inputs["a"]

    def call():
        e = np.exp(a - a.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)
    return call


def softmax_numerix(inputs):
    import numerix as nx

    @nx.defn
    def softmax(a):
        e = nx.exp(a - nx.max(a, axis=1, keepdims=True))
        return e / nx.sum(e, axis=1, keepdims=True)
    a = nx.tensor(inputs["a"])
    return numerix_call(softmax, a)


def softmax_jax(inputs):
    import jax
    import jax.numpy as jnp

    @jax.jit
    def softmax(a):
        e = jnp.exp(a - jnp.max(a, axis=1, keepdims=True))
        return e / jnp.sum(e, axis=1, keepdims=True)
    a = jnp.asarray(inputs["a"])
    return lambda: softmax(a).block_until_ready()


# ---- 3. matmul ----

def matmul_inputs():
    rng = _rng()
    return {"a": rng.standard_normal((N, N), dtype=np.float32), "b": rng.standard_normal((N, N), dtype=np.float32)}


def matmul_reference(inputs):
    return (inputs["a"].astype(np.float64) @ inputs["b"].astype(np.float64)).astype(np.float32)


def matmul_numpy(inputs):
    a, b = inputs["a"], inputs["b"]
    return lambda: a @ b


def matmul_numerix(inputs):
    import numerix as nx

    @nx.defn
    def matmul(a, b):
        return nx.matmul(a, b)
    a, b = nx.tensor(inputs["a"]), nx.tensor(inputs["b"])
    return numerix_call(matmul, a, b)


def matmul_jax(inputs):
    import jax
    import jax.numpy as jnp
    matmul = jax.jit(jnp.matmul)
    a, b = jnp.asarray(inputs["a"]), jnp.asarray(inputs["b"])
    return lambda: matmul(a, b).block_until_ready()


# ---- 4. one SGD step of a 784-512-10 MLP (ReLU, softmax cross-entropy on one-hot labels) ----

PARAMS = ("w1", "b1", "w2", "b2")


def mlp_inputs():
    rng = _rng()
    return {"w1": rng.standard_normal((IN, HIDDEN), dtype=np.float32) * np.float32(IN ** -0.5),
            "b1": np.zeros(HIDDEN, np.float32),
            "w2": rng.standard_normal((HIDDEN, OUT), dtype=np.float32) * np.float32(HIDDEN ** -0.5),
            "b2": np.zeros(OUT, np.float32),
            "x": rng.standard_normal((BATCH, IN), dtype=np.float32),
            "y": np.eye(OUT, dtype=np.float32)[rng.integers(0, OUT, BATCH)]}


def mlp_step_numpy(params, x, y):
    """Forward and backward written out by hand."""
    z1 = x @ params["w1"] + params["b1"]
    h = np.maximum(z1, 0)
    logits = h @ params["w2"] + params["b2"]
    shifted = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    total = e.sum(axis=1, keepdims=True)
    loss = -np.mean(np.sum((shifted - np.log(total)) * y, axis=1))
    dlogits = (e / total * y.sum(axis=1, keepdims=True) - y) / np.float32(x.shape[0])
    dz1 = (dlogits @ params["w2"].T) * (z1 > 0)
    grads = {"w1": x.T @ dz1, "b1": dz1.sum(axis=0), "w2": h.T @ dlogits, "b2": dlogits.sum(axis=0)}
    return loss, {k: params[k] - np.float32(LEARNING_RATE) * grads[k] for k in PARAMS}


def mlp_reference(inputs):
    as64 = {k: v.astype(np.float64) for k, v in inputs.items()}
    loss, params = mlp_step_numpy({k: as64[k] for k in PARAMS}, as64["x"], as64["y"])
    return np.float32(loss), {k: v.astype(np.float32) for k, v in params.items()}


def mlp_numpy(inputs):
    params = {k: inputs[k] for k in PARAMS}
    x, y = inputs["x"], inputs["y"]
    return lambda: mlp_step_numpy(params, x, y)


def mlp_loss(xp):
    """The MLP's cross-entropy loss, written once over an array API namespace (numerix and jax.numpy are both)."""
    def loss(params, x, y):
        h = xp.maximum(xp.matmul(x, params["w1"]) + params["b1"], 0.0)
        logits = xp.matmul(h, params["w2"]) + params["b2"]
        shifted = logits - xp.max(logits, axis=1, keepdims=True)
        log_p = shifted - xp.log(xp.sum(xp.exp(shifted), axis=1, keepdims=True))
        return -xp.mean(xp.sum(log_p * y, axis=1))
    return loss


def mlp_numerix_step():
    import numerix as nx
    loss = mlp_loss(nx)

    @nx.defn
    def step(params, x, y):
        value, grads = nx.value_and_grad(loss)(params, x, y)
        return value, {k: params[k] - LEARNING_RATE * grads[k] for k in params}
    return step


# The digits example's training step (examples/digits.py: a 64-128-10 MLP, batch 64, SGD with momentum; its shapes
# and ops, written once over an array API namespace so that JAX runs the same step): first-call timings only.
DIGITS_SIZES, DIGITS_BATCH, DIGITS_RATE, DIGITS_MOMENTUM = (64, 128, 10), 64, 0.05, 0.9


def digits_inputs():
    """(params, velocity, x, labels) as NumPy arrays in the example's trees."""
    rng = _rng()
    params = [{"w": (rng.standard_normal((m, n)) * np.sqrt(2 / m)).astype(np.float32), "b": np.zeros(n, np.float32)}
              for m, n in zip(DIGITS_SIZES[:-1], DIGITS_SIZES[1:])]
    velocity = [{k: np.zeros_like(v) for k, v in layer.items()} for layer in params]
    x = rng.random((DIGITS_BATCH, DIGITS_SIZES[0]), dtype=np.float32)
    labels = np.eye(DIGITS_SIZES[-1], dtype=np.float32)[rng.integers(0, DIGITS_SIZES[-1], DIGITS_BATCH)]
    return params, velocity, x, labels


def digits_step(xp, value_and_grad):
    def loss(params, x, labels):
        for layer in params[:-1]:
            x = xp.maximum(xp.matmul(x, layer["w"]) + layer["b"], 0.0)
        logits = xp.matmul(x, params[-1]["w"]) + params[-1]["b"]
        top = xp.max(logits, axis=1, keepdims=True)
        logsumexp = xp.log(xp.sum(xp.exp(logits - top), axis=1)) + top[:, 0]
        return xp.mean(logsumexp - xp.sum(logits * labels, axis=1))

    def step(params, velocity, x, labels):
        value, grads = value_and_grad(loss)(params, x, labels)
        velocity = [{k: v[k] * DIGITS_MOMENTUM - g[k] * DIGITS_RATE for k in v} for v, g in zip(velocity, grads)]
        params = [{k: p[k] + v[k] for k in p} for p, v in zip(params, velocity)]
        return params, velocity, value
    return step


def mlp_numerix(inputs):
    import numerix as nx
    step = mlp_numerix_step()
    params = {k: nx.tensor(inputs[k]) for k in PARAMS}
    x, y = nx.tensor(inputs["x"]), nx.tensor(inputs["y"])
    return numerix_call(step, params, x, y)


def mlp_jax_step():
    import jax
    import jax.numpy as jnp
    loss = mlp_loss(jnp)

    @jax.jit
    def step(params, x, y):
        value, grads = jax.value_and_grad(loss)(params, x, y)
        return value, {k: params[k] - LEARNING_RATE * grads[k] for k in params}
    return step


def mlp_jax(inputs):
    import jax
    import jax.numpy as jnp
    step = mlp_jax_step()
    params = {k: jnp.asarray(inputs[k]) for k in PARAMS}
    x, y = jnp.asarray(inputs["x"]), jnp.asarray(inputs["y"])
    return lambda: jax.block_until_ready(step(params, x, y))


# ---- 4b. per-example gradients of the MLP's loss: one gradient per example of the batch (vmap of grad) ----

def per_example_numpy(inputs):
    """Each example's gradient written out by hand, for all examples at once (outer products per example)."""
    params = {k: inputs[k] for k in PARAMS}
    x, y = inputs["x"], inputs["y"]

    def call():
        z1 = x @ params["w1"] + params["b1"]
        h = np.maximum(z1, 0)
        logits = h @ params["w2"] + params["b2"]
        e = np.exp(logits - logits.max(axis=1, keepdims=True))
        dlogits = e / e.sum(axis=1, keepdims=True) * y.sum(axis=1, keepdims=True) - y
        dz1 = (dlogits @ params["w2"].T) * (z1 > 0)
        return {"w1": np.einsum("bi,bj->bij", x, dz1), "b1": dz1, "w2": np.einsum("bi,bj->bij", h, dlogits),
                "b2": dlogits}
    return call


def _one_example_loss(xp):
    loss = mlp_loss(xp)
    return lambda params, x, y: loss(params, xp.reshape(x, (1, IN)), xp.reshape(y, (1, OUT)))


def per_example_numerix(inputs):
    import numerix as nx
    grads = nx.defn(nx.vmap(nx.grad(_one_example_loss(nx)), in_axes=(None, 0, 0)))
    params = {k: nx.tensor(inputs[k]) for k in PARAMS}
    return numerix_call(grads, params, nx.tensor(inputs["x"]), nx.tensor(inputs["y"]))


def per_example_jax(inputs):
    import jax
    import jax.numpy as jnp
    grads = jax.jit(jax.vmap(jax.grad(_one_example_loss(jnp)), in_axes=(None, 0, 0)))
    params = {k: jnp.asarray(inputs[k]) for k in PARAMS}
    x, y = jnp.asarray(inputs["x"]), jnp.asarray(inputs["y"])
    return lambda: jax.block_until_ready(grads(params, x, y))


# ---- 4c. a 3x3 convolution, its gradient, and a 2x2 max pool (NCHW, f32) ----
# NumPy convolves with einsum over sliding windows, the usual NumPy way; the gradient is the transposed convolution
# for the input and a windows-by-cotangent einsum for the kernel.

def conv_inputs():
    rng = _rng()
    shape = (IMAGES, CHANNELS, SIDE, SIDE)
    return {"x": rng.standard_normal(shape, dtype=np.float32),
            "k": rng.standard_normal((CHANNELS, CHANNELS, 3, 3), dtype=np.float32) * np.float32((9 * CHANNELS) ** -0.5),
            "c": rng.standard_normal(shape, dtype=np.float32)}


def _windows(a):
    """(n, c, h, w, 3, 3): the 3x3 windows of a, zero-padded by one ("same")."""
    padded = np.pad(a, ((0, 0), (0, 0), (1, 1), (1, 1)))
    return np.lib.stride_tricks.sliding_window_view(padded, (3, 3), axis=(2, 3))


def conv_numpy(inputs):
    x, k = inputs["x"], inputs["k"]
    return lambda: np.einsum("nchwij,fcij->nfhw", _windows(x), k, optimize=True)


def conv_numerix(inputs):
    import numerix as nx
    conv = nx.defn(lambda x, k: nx.conv(x, k, padding="same"))
    return numerix_call(conv, nx.tensor(inputs["x"]), nx.tensor(inputs["k"]))


def conv_jax(inputs):
    import jax
    conv = jax.jit(lambda x, k: jax.lax.conv_general_dilated(x, k, (1, 1), "SAME"))
    x, k = jax.numpy.asarray(inputs["x"]), jax.numpy.asarray(inputs["k"])
    return lambda: conv(x, k).block_until_ready()


def conv_grad_numpy(inputs):
    """The gradients of sum(conv(x, k) * c) for x and k."""
    x, k, c = inputs["x"], inputs["k"], inputs["c"]
    flipped = k[:, :, ::-1, ::-1]
    return lambda: (np.einsum("nfhwij,fcij->nchw", _windows(c), flipped, optimize=True),
                    np.einsum("nchwij,nfhw->fcij", _windows(x), c, optimize=True))


def conv_grad_numerix(inputs):
    import numerix as nx
    grad = nx.defn(nx.grad(lambda x, k, c: nx.sum(nx.conv(x, k, padding="same") * c), argnums=(0, 1)))
    return numerix_call(grad, *(nx.tensor(inputs[n]) for n in "xkc"))


def conv_grad_jax(inputs):
    import jax
    import jax.numpy as jnp
    grad = jax.jit(jax.grad(lambda x, k, c: jnp.sum(jax.lax.conv_general_dilated(x, k, (1, 1), "SAME") * c),
                            argnums=(0, 1)))
    x, k, c = (jnp.asarray(inputs[n]) for n in "xkc")
    return lambda: jax.block_until_ready(grad(x, k, c))


def pool_numpy(inputs):
    x = inputs["x"]
    return lambda: x.reshape(IMAGES, CHANNELS, SIDE // 2, 2, SIDE // 2, 2).max(axis=(3, 5))


def pool_numerix(inputs):
    import numerix as nx
    pool = nx.defn(lambda x: nx.window_max(x, (1, 1, 2, 2), strides=(1, 1, 2, 2)))
    return numerix_call(pool, nx.tensor(inputs["x"]))


def pool_jax(inputs):
    import jax
    pool = jax.jit(lambda x: jax.lax.reduce_window(x, -jax.numpy.inf, jax.lax.max, (1, 1, 2, 2), (1, 1, 2, 2),
                                                   "VALID"))
    x = jax.numpy.asarray(inputs["x"])
    return lambda: pool(x).block_until_ready()


# ---- 5. a tiny call ----

def tiny_inputs():
    return {"a": np.arange(4, dtype=np.float32), "b": np.full(4, 0.5, np.float32)}


def tiny_numpy(inputs):
    a, b = inputs["a"], inputs["b"]
    return lambda: np.add(a, b)


def tiny_numerix(inputs):
    import numerix as nx

    @nx.defn
    def add(a, b):
        return a + b
    a, b = nx.tensor(inputs["a"]), nx.tensor(inputs["b"])
    return numerix_call(add, a, b)


def tiny_jax(inputs):
    import jax
    import jax.numpy as jnp
    add = jax.jit(jnp.add)
    a, b = jnp.asarray(inputs["a"]), jnp.asarray(inputs["b"])
    return lambda: add(a, b).block_until_ready()


# ---- 6. a 1,000-step fori_loop over a small state ----
# x <- x * 0.999 + sin(x) * 0.001 on 64 f32, a thousand times: the cost of a loop's trips, not of its arithmetic.

STEPS, STATE = 1000, 64


def fori_inputs():
    return {"x": _rng().standard_normal(STATE).astype(np.float32)}


def fori_numpy(inputs):
    x0 = inputs["x"]

    def call():
        x = x0
        for _ in range(STEPS):
            x = x * np.float32(0.999) + np.sin(x) * np.float32(0.001)
        return x
    return call


def fori_numerix(inputs):
    import numerix as nx

    @nx.defn
    def loop(x):
        return nx.fori_loop(0, STEPS, lambda i, v: v * 0.999 + nx.sin(v) * 0.001, x)
    return numerix_call(loop, nx.tensor(inputs["x"]))


def fori_jax(inputs):
    import jax
    import jax.numpy as jnp

    @jax.jit
    def loop(x):
        return jax.lax.fori_loop(0, STEPS, lambda i, v: v * 0.999 + jnp.sin(v) * 0.001, x)
    x = jnp.asarray(inputs["x"])
    return lambda: loop(x).block_until_ready()


# ---- 7. a 100-step RNN: forward and gradient through the sequence ----
# h <- tanh(h W + x_t U), loss = sum of the final h squared; the gradient with respect to W and U.

SEQ, RNN_IN, RNN_HIDDEN = 100, 16, 32


def rnn_inputs():
    rng = _rng()
    return {"xs": rng.standard_normal((SEQ, RNN_IN)).astype(np.float32),
            "w": (rng.standard_normal((RNN_HIDDEN, RNN_HIDDEN)) * 0.2).astype(np.float32),
            "u": (rng.standard_normal((RNN_IN, RNN_HIDDEN)) * 0.2).astype(np.float32)}


def rnn_numpy(inputs):
    xs, w, u = inputs["xs"], inputs["w"], inputs["u"]

    def call():  # forward, keeping each step's h, then backpropagation through time
        hs = [np.zeros(RNN_HIDDEN, np.float32)]
        for x in xs:
            hs.append(np.tanh(hs[-1] @ w + x @ u))
        loss = np.sum(hs[-1] ** 2)
        g_h, g_w, g_u = 2 * hs[-1], np.zeros_like(w), np.zeros_like(u)
        for t in range(SEQ - 1, -1, -1):
            g_pre = g_h * (1 - hs[t + 1] ** 2)
            g_w += np.outer(hs[t], g_pre)
            g_u += np.outer(xs[t], g_pre)
            g_h = w @ g_pre
        return loss, g_w, g_u
    return call


def rnn_numerix(inputs):
    import numerix as nx

    def loss(w, u, xs):
        h, _ = nx.scan(lambda h, x: (nx.tanh(h @ w + x @ u), None), nx.zeros(RNN_HIDDEN, type=nx.f32), xs)
        return nx.sum(h * h)
    step = nx.defn(nx.value_and_grad(loss, argnums=(0, 1)))

    def flat(w, u, xs):
        value, (g_w, g_u) = step(w, u, xs)
        return value, g_w, g_u
    return numerix_call(nx.defn(flat), *(nx.tensor(inputs[k]) for k in ("w", "u", "xs")))


def rnn_jax(inputs):
    import jax
    import jax.numpy as jnp

    def loss(w, u, xs):
        h, _ = jax.lax.scan(lambda h, x: (jnp.tanh(h @ w + x @ u), None), jnp.zeros(RNN_HIDDEN, jnp.float32), xs)
        return jnp.sum(h * h)
    step = jax.jit(jax.value_and_grad(loss, argnums=(0, 1)))
    w, u, xs = (jnp.asarray(inputs[k]) for k in ("w", "u", "xs"))

    def call():
        value, (g_w, g_u) = step(w, u, xs)
        return jax.block_until_ready((value, g_w, g_u))
    return call


def arrays(result):
    """A result tree (tuples, lists, dicts by sorted key) as a flat tuple of NumPy arrays."""
    if isinstance(result, (tuple, list)):
        return tuple(a for item in result for a in arrays(item))
    if isinstance(result, dict):
        return tuple(a for key in sorted(result) for a in arrays(result[key]))
    return (np.asarray(result),)


def _numpy_reference(numpy_build):
    return lambda inputs: numpy_build(inputs)()


WORKLOADS = {
    "chain": Workload("10-op elementwise chain, 4M f32", chain_inputs, _numpy_reference(chain_numpy),
                      {"numpy": chain_numpy, "numerix": chain_numerix, "jax": chain_jax},
                      rtol=2e-6, atol=2e-6, calls_per_sample=1, samples=25, bytes_moved=2 * 4 * (4 << 20)),
    "scale": Workload("1-op elementwise x*1.5+0.5, 4M f32 (bandwidth probe)", chain_inputs,
                      _numpy_reference(scale_numpy), {"numpy": scale_numpy, "numerix": scale_numerix, "jax": scale_jax},
                      rtol=1e-6, atol=1e-6, calls_per_sample=1, samples=25, bytes_moved=2 * 4 * (4 << 20)),
    "softmax": Workload("softmax over rows, 2048x1024 f32", softmax_inputs, _numpy_reference(softmax_numpy),
                        {"numpy": softmax_numpy, "numerix": softmax_numerix, "jax": softmax_jax},
                        rtol=1e-5, atol=1e-9, calls_per_sample=1, samples=40, bytes_moved=2 * 4 * ROWS * COLS),
    "matmul": Workload("matmul 1024^3 f32", matmul_inputs, matmul_reference,
                       {"numpy": matmul_numpy, "numerix": matmul_numerix, "jax": matmul_jax},
                       rtol=0, atol=2e-4 * N ** 0.5, calls_per_sample=1, samples=25, flops=2 * N ** 3),
    "mlp": Workload("MLP 784-512-10 SGD step, batch 256", mlp_inputs, mlp_reference,
                    {"numpy": mlp_numpy, "numerix": mlp_numerix, "jax": mlp_jax},
                    rtol=1e-4, atol=1e-5, calls_per_sample=1, samples=40,
                    flops=3 * 2 * BATCH * (IN * HIDDEN + HIDDEN * OUT)),
    "per_example": Workload("per-example gradients of the MLP's loss, batch 256 (vmap of grad)", mlp_inputs,
                            _numpy_reference(per_example_numpy),
                            {"numpy": per_example_numpy, "numerix": per_example_numerix, "jax": per_example_jax},
                            rtol=1e-4, atol=1e-5, calls_per_sample=1, samples=15,
                            bytes_moved=4 * BATCH * (IN * HIDDEN + HIDDEN + HIDDEN * OUT + OUT)),
    "fori": Workload("1,000-step fori_loop over 64 f32", fori_inputs, _numpy_reference(fori_numpy),
                     {"numpy": fori_numpy, "numerix": fori_numerix, "jax": fori_jax},
                     rtol=1e-4, atol=1e-5, calls_per_sample=1, samples=40),
    "rnn": Workload("100-step RNN (32 hidden) forward and gradient", rnn_inputs, _numpy_reference(rnn_numpy),
                    {"numpy": rnn_numpy, "numerix": rnn_numerix, "jax": rnn_jax},
                    rtol=1e-3, atol=1e-4, calls_per_sample=1, samples=25),
    "conv": Workload("3x3 convolution, 64 to 64 channels, (32, 64, 56, 56) f32", conv_inputs,
                     _numpy_reference(conv_numpy), {"numpy": conv_numpy, "numerix": conv_numerix, "jax": conv_jax},
                     rtol=0, atol=1e-3, calls_per_sample=1, samples=10, flops=CONV_FLOPS),
    "conv_grad": Workload("its gradient for input and kernel", conv_inputs, _numpy_reference(conv_grad_numpy),
                          {"numpy": conv_grad_numpy, "numerix": conv_grad_numerix, "jax": conv_grad_jax},
                          rtol=0, atol=2e-2, calls_per_sample=1, samples=6, flops=2 * CONV_FLOPS),
    "pool": Workload("2x2 max pool, stride 2, (32, 64, 56, 56) f32", conv_inputs, _numpy_reference(pool_numpy),
                     {"numpy": pool_numpy, "numerix": pool_numerix, "jax": pool_jax},
                     rtol=0, atol=0, calls_per_sample=1, samples=25,
                     bytes_moved=4 * IMAGES * CHANNELS * SIDE * SIDE * 5 // 4),
    "tiny": Workload("call of a 4-element add", tiny_inputs, _numpy_reference(tiny_numpy),
                     {"numpy": tiny_numpy, "numerix": tiny_numerix, "jax": tiny_jax},
                     rtol=0, atol=0, calls_per_sample=500, samples=40),
}
