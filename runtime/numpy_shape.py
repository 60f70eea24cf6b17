"""NumPy rules for the shape nx ops."""
import numpy as np

from .numpy_backend import rule


@rule("broadcast")
def _broadcast(x, shape, axes):
    expanded = x.reshape([x.shape[axes.index(a)] if a in axes else 1 for a in range(len(shape))])
    return np.broadcast_to(expanded, shape)


@rule("reshape")
def _reshape(x, shape, names):
    return x.reshape(shape)


@rule("transpose")
def _transpose(x, axes):
    return np.transpose(x, axes)
