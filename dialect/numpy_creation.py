"""NumPy rules for the creation nx ops."""
import numpy as np

from .rules import numpy_rule


@numpy_rule("iota")
def _iota(shape, axis, type, names):
    counts = np.arange(shape[axis], dtype=np.int64).reshape([-1 if a == axis else 1 for a in range(len(shape))])
    return np.broadcast_to(counts, shape)


@numpy_rule("constant")
def _constant(value):
    return value
