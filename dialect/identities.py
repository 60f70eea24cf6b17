"""Exact algebraic identities of nx ops, for nx-fold: each is `identity(op) -> Value or None`, the value the op may be
replaced by. An op's declaration names its identity (rules.define's `fold`). They hold for every input, NaN,
infinities and -0.0 included: x * 1, x / 1, x ** 1, x - (+0.0), x + (-0.0) (x + 0 for integers), bitwise and logical
neutral elements, double negation, a cast, reshape, broadcast or transpose that changes nothing, and select on a
constant predicate. Never x * 0 (NaN * 0 is NaN) or x + 0.0 (-0.0 + 0.0 is 0.0). nx-fold checks that the value has
the op's result type (logical_not(logical_not(x)) is x only for a bool x, and so on)."""
import numpy as np

from . import dtypes
from . import ops as nx_ops

BOTH, RIGHT = (0, 1), (1,)  # the operand positions a neutral constant may take


def _constant(value):
    """The NumPy value of `value` when an nx.constant makes it, else None."""
    producer = nx_ops.defining_op(value)
    if producer is None or producer.name != "nx.constant":
        return None
    return nx_ops.constant_array(producer)


def _as_real(array):
    return array.astype(np.float64) if array.dtype == dtypes.bf16.np else array


def ones(c):
    return bool(np.all(_as_real(c) == 1))


def zeros(c):
    return bool(np.all(_as_real(c) == 0))


def nonzero(c):
    return bool(np.all(_as_real(c) != 0))


def all_bits(c):
    return bool(np.all(c)) if c.dtype == np.bool_ else bool(np.all(c == np.invert(np.zeros_like(c))))


def additive_zero(c):
    """0 for integers and bool; -0.0 for floats (x + -0.0 is x even for x = -0.0, where x + 0.0 is not)."""
    c = _as_real(c)
    return zeros(c) and (c.dtype.kind not in "fc" or bool(np.all(np.signbit(c))))


def subtractive_zero(c):
    """0 for integers; +0.0 for floats (x - 0.0 is x for every x, -0.0 included)."""
    c = _as_real(c)
    return zeros(c) and (c.dtype.kind not in "fc" or not np.any(np.signbit(c)))


def neutral(test, sides):
    """x op c -> x where constant c passes `test`; `sides` are the operand positions c may take."""
    def rule(op):
        for side in sides:
            c = _constant(op.operands[side])
            if c is not None and test(c):
                return op.operands[1 - side]
        return None
    return rule


def unchanged(op):
    """A cast, reshape or broadcast whose result type is its operand's (nx-fold's type check decides)."""
    return op.operands[0]


def identity_permutation(op):
    axes = nx_ops.read_attrs(op)["axes"]
    return op.operands[0] if list(axes) == list(range(len(axes))) else None


def involution(op):
    inner = nx_ops.defining_op(op.operands[0])
    return inner.operands[0] if inner is not None and inner.name == op.name else None


def select_on_constant(op):
    pred = _constant(op.operands[0])
    if pred is None:
        return None
    if np.all(pred):
        return op.operands[1]
    return op.operands[2] if not np.any(pred) else None
