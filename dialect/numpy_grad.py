"""NumPy rules for the differentiation ops that run: stop_grad (the identity) and scatter_add (gather's transpose).
nx.grad and nx.value_and_grad have none: the nx-grad pass replaces them before anything runs."""
import numpy as np

from .rules import NUMPY, numpy_rule, widen_half


@numpy_rule("stop_grad")
def _stop_grad(x):
    return x


@numpy_rule("scatter_add")
@widen_half
def _scatter_add(x, indices, updates, **dims):
    # Gathering the operand's flat positions with the same indices and dimension numbers says where each element
    # of `updates` belongs, clamping included; np.add.at then sums repeated positions.
    positions = NUMPY["gather"](np.arange(x.size).reshape(x.shape), indices, **dims)
    out = x.copy()
    np.add.at(out.reshape(-1), positions.reshape(-1), updates.reshape(-1))
    return out
