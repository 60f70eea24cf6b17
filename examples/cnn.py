"""A small convolutional network on scikit-learn's handwritten digits (8x8 images, 10 classes; bundled, no
download): two 3x3 convolutions with ReLU, a 2x2 max pool and a dense layer, trained by minibatch SGD with
momentum. Weights are drawn with nx.random; the whole training step (forward pass, gradients by
nx.value_and_grad, parameter update) is one defn, compiled once.

    python examples/cnn.py [--epochs 15] [--compiler iree|evaluator]
"""
import argparse
import time

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from tqdm import tqdm

import numerix as nx

CHANNELS = (1, 16, 32)  # input, first and second convolution
CLASSES = 10
BATCH = 64
LEARNING_RATE = 0.05
MOMENTUM = 0.9


def init_params(key):
    """He-initialised kernels and weights (normal, standard deviation sqrt(2 / fan-in)) and zero biases."""
    keys = nx.random.split(key, parts=3)
    params = {}
    for i, (fan_in, fan_out) in enumerate(zip(CHANNELS[:-1], CHANNELS[1:])):
        params[f"k{i}"] = nx.random.normal_split(keys[i], 0.0, np.sqrt(2 / (fan_in * 9)), shape=(fan_out, fan_in, 3, 3),
                                                 type="f32")
        params[f"b{i}"] = nx.zeros((fan_out,), dtype=nx.f32)
    flat = CHANNELS[-1] * 4 * 4  # after the 2x2 pool of the 8x8 maps
    params["w"] = nx.random.normal_split(keys[2], 0.0, np.sqrt(2 / flat), shape=(flat, CLASSES), type="f32")
    params["b"] = nx.zeros((CLASSES,), dtype=nx.f32)
    return params


def predict(params, images):
    """The logits for a batch of (batch, 1, 8, 8) images."""
    x = images
    for i in range(len(CHANNELS) - 1):
        x = nx.conv(x, params[f"k{i}"], padding="same") + nx.reshape(params[f"b{i}"], (1, -1, 1, 1))
        x = nx.maximum(x, 0.0)
    x = nx.window_max(x, (1, 1, 2, 2), strides=(1, 1, 2, 2))
    return nx.reshape(x, (x.shape[0], -1)) @ params["w"] + params["b"]


def loss(params, images, labels):
    """Mean cross-entropy, with the labels one-hot: log(sum(exp(logits))) - the label's logit."""
    logits = predict(params, images)
    return nx.mean(nx.logsumexp(logits, axis=1) - nx.sum(logits * labels, axis=1))


def train_step(params, velocity, images, labels):
    """One step of SGD with momentum."""
    value, grads = nx.value_and_grad(loss)(params, images, labels)
    velocity = {k: velocity[k] * MOMENTUM - grads[k] * LEARNING_RATE for k in params}
    return {k: params[k] + velocity[k] for k in params}, velocity, value


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--compiler", default=None, help="numerix compiler (default: numerix's default, IREE)")
    args = parser.parse_args(argv)

    digits = load_digits()
    images = (digits.images / 16.0).astype(np.float32)[:, None]  # (n, 1, 8, 8)
    x_train, x_test, y_train, y_test = train_test_split(images, digits.target, test_size=0.25,
                                                        random_state=args.seed, stratify=digits.target)
    one_hot = np.eye(CLASSES, dtype=np.float32)[y_train]
    params = init_params(nx.random.key(args.seed))
    velocity = {k: nx.zeros_like(v) for k, v in params.items()}

    start = time.perf_counter()
    step = nx.defn(train_step, compiler=args.compiler).lower(
        params, velocity, nx.template((BATCH, 1, 8, 8), "f32"), nx.template((BATCH, CLASSES), "f32")).compile()
    compile_seconds = time.perf_counter() - start

    start = time.perf_counter()
    rng = np.random.default_rng(args.seed)
    batches = len(x_train) // BATCH  # whole batches only, so one compiled step serves them all
    progress = tqdm(range(args.epochs), desc="training", unit="epoch")
    for _ in progress:
        order = rng.permutation(len(x_train))
        total = 0.0
        for i in range(batches):
            chosen = order[i * BATCH:(i + 1) * BATCH]
            params, velocity, value = step(params, velocity, nx.tensor(x_train[chosen]), nx.tensor(one_hot[chosen]))
            total += float(value)
        progress.set_postfix(loss=f"{total / batches:.4f}")
    train_seconds = time.perf_counter() - start

    predict_fn = nx.defn(predict, compiler=args.compiler)

    def accuracy(x, y):
        return float(np.mean(np.argmax(predict_fn(params, nx.tensor(x)).numpy(), axis=1) == y))
    test_accuracy = accuracy(x_test, y_test)
    print(f"training step compiled in {compile_seconds:.2f} s; {args.epochs} epochs trained in {train_seconds:.2f} s "
          f"({batches} steps of {BATCH} each)")
    print(f"train accuracy: {100 * accuracy(x_train, y_train):.1f}%")
    print(f"test accuracy: {100 * test_accuracy:.1f}%")
    return test_accuracy


if __name__ == "__main__":
    main()
