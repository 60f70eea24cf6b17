"""A multilayer perceptron on scikit-learn's handwritten digits (8x8 images, 10 classes; bundled, no download),
trained by minibatch SGD with momentum. The whole training step (forward pass, gradients by nx.value_and_grad,
parameter update) is one defn, compiled once. With `--backend iree` the parameters and velocities live on the IREE
device between steps and are donated to each step (nx.donatable): only the batches go to it and only the loss comes
back.

    python examples/digits.py [--epochs 30] [--compiler iree|evaluator] [--backend numpy|iree]
"""
import argparse
import time

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from tqdm import tqdm

import numerix as nx

HIDDEN = 128
BATCH = 64
LEARNING_RATE = 0.05
MOMENTUM = 0.9


def init_params(rng, sizes):
    """He-initialised weights and zero biases, one (w, b) pair per layer."""
    return [{"w": nx.tensor((rng.normal(size=(m, n)) * np.sqrt(2 / m)).astype(np.float32)),
             "b": nx.tensor(np.zeros(n, np.float32))} for m, n in zip(sizes[:-1], sizes[1:])]


def predict(params, x):
    """The logits of an MLP with ReLU hidden layers."""
    for layer in params[:-1]:
        x = nx.maximum(x @ layer["w"] + layer["b"], 0.0)
    return x @ params[-1]["w"] + params[-1]["b"]


def loss(params, x, labels):
    """Mean cross-entropy, with the labels one-hot: log(sum(exp(logits))) - the label's logit."""
    logits = predict(params, x)
    return nx.mean(nx.logsumexp(logits, axis=1) - nx.sum(logits * labels, axis=1))


def _update(tree, velocity, grads):
    """One step of SGD with momentum on parallel trees of parameters, velocities and gradients."""
    new_params, new_velocity = [], []
    for layer, v_layer, g_layer in zip(tree, velocity, grads):
        v = {k: v_layer[k] * MOMENTUM - g_layer[k] * LEARNING_RATE for k in layer}
        new_velocity.append(v)
        new_params.append({k: layer[k] + v[k] for k in layer})
    return new_params, new_velocity


def train_step(params, velocity, x, labels):
    value, grads = nx.value_and_grad(loss)(params, x, labels)
    params, velocity = _update(params, velocity, grads)
    return params, velocity, value


def accuracy(predict_fn, params, x, y):
    return float(np.mean(np.argmax(predict_fn(params, x).numpy(), axis=1) == y))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--compiler", default=None, help="numerix compiler (default: numerix's default, IREE)")
    parser.add_argument("--backend", default="numpy", choices=["numpy", "iree"],
                        help="where the parameters live between steps (iree: on the device, donated to each step)")
    args = parser.parse_args(argv)

    digits = load_digits()
    x_train, x_test, y_train, y_test = train_test_split(
        (digits.data / 16.0).astype(np.float32), digits.target, test_size=0.25, random_state=args.seed,
        stratify=digits.target)
    one_hot = np.eye(10, dtype=np.float32)[y_train]
    rng = np.random.default_rng(args.seed)
    params = init_params(rng, [x_train.shape[1], HIDDEN, 10])
    velocity = [{k: nx.zeros_like(v) for k, v in layer.items()} for layer in params]
    params, velocity = nx.backend_transfer((params, velocity), args.backend)
    # On the device the step may reuse the memory of the parameters it replaces; NumPy arrays are not donated.
    donate = nx.donatable if args.backend == "iree" else (lambda tree: tree)

    start = time.perf_counter()
    step = nx.defn(train_step, compiler=args.compiler).lower(
        params, velocity, nx.template((BATCH, x_train.shape[1]), "f32"), nx.template((BATCH, 10), "f32")).compile()
    compile_seconds = time.perf_counter() - start

    start = time.perf_counter()
    batches = len(x_train) // BATCH  # whole batches only, so one compiled step serves them all
    progress = tqdm(range(args.epochs), desc="training", unit="epoch")
    for _ in progress:
        order = rng.permutation(len(x_train))
        total = 0.0
        for i in range(batches):
            chosen = order[i * BATCH:(i + 1) * BATCH]
            params, velocity, value = step(donate(params), donate(velocity), nx.tensor(x_train[chosen]),
                                           nx.tensor(one_hot[chosen]))
            total += float(value)
        progress.set_postfix(loss=f"{total / batches:.4f}")
    train_seconds = time.perf_counter() - start

    predict_fn = nx.defn(predict, compiler=args.compiler)
    test_accuracy = accuracy(predict_fn, params, nx.tensor(x_test), y_test)
    print(f"training step compiled in {compile_seconds:.2f} s; {args.epochs} epochs trained in {train_seconds:.2f} s "
          f"({batches} steps of {BATCH} each)")
    print(f"train accuracy: {100 * accuracy(predict_fn, params, nx.tensor(x_train), y_train):.1f}%")
    print(f"test accuracy: {100 * test_accuracy:.1f}%")
    return test_accuracy


if __name__ == "__main__":
    main()
