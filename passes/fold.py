"""nx-fold: constant folding and algebraic identities.

An nx op whose operands are all nx.constant results is computed at compile time with the NumPy backend's rules (the
reference semantics, as the evaluator runs them) when its results are small and not complex (complex values cannot
be attributes); larger results stay ops so the program does not swell. Identities are applied only where they are
exact for every input, NaN, infinities and -0.0 included: x * 1, x / 1, x ** 1, x - (+0.0), x + (-0.0) (x + 0 for
integers), bitwise and logical neutral elements, double negation, a cast, reshape, broadcast or transpose that
changes nothing, and select on a constant predicate. Never x * 0 (NaN * 0 is NaN) or x + 0.0 (-0.0 + 0.0 is 0.0)."""
import math

import numpy as np
from iree.compiler import ir

from numerix.dialect import dtypes
from numerix.dialect import ops as nx_ops
from numerix.dialect.rules import NUMPY, run_numpy

from .registry import register_pass

FOLD_LIMIT = 1024  # elements of a folded result


@register_pass("nx-fold")
def fold(module):
    with module.context, ir.Location.unknown():  # (building types needs a location; each op gets its own)
        for op in [op for op in nx_ops.all_ops(module) if len(op.regions)]:
            for region in op.regions:
                for block in region.blocks:
                    _fold_block(block)


def _fold_block(block):
    for op in list(block.operations):
        op = op.operation
        if not nx_ops.is_nx(op) or nx_ops.schema_name(op) == "constant" or len(op.regions):
            continue
        replacement = _identity(op) or _evaluate(op)
        if replacement is not None:
            for old, new in zip(op.results, replacement):
                old.replace_all_uses_with(new)
            op.erase()


def _constant(value):
    """The NumPy value of `value` when an nx.constant makes it, else None."""
    producer = nx_ops.defining_op(value)
    if producer is None or producer.name != "nx.constant":
        return None
    return nx_ops.constant_array(producer)


def _evaluate(op):
    producers = [nx_ops.defining_op(v) for v in op.operands]
    if any(p is None or p.name != "nx.constant" for p in producers):
        return None
    if nx_ops.schema_name(op) not in NUMPY:  # an op that a pass rewrites away (nx.grad)
        return None
    out_types = nx_ops.result_types(op)
    if any(t.type.is_complex or math.prod(t.shape) > FOLD_LIMIT for t in out_types):
        return None
    arrays = [nx_ops.constant_array(p) for p in producers]
    results = run_numpy(nx_ops.schema_name(op), arrays, nx_ops.read_attrs(op), out_types)
    with ir.InsertionPoint(op):
        return [nx_ops.build("constant", [], {"value": a}, [t], op.location).result
                for a, t in zip(results, out_types)]


def _identity(op):
    rule = IDENTITIES.get(nx_ops.schema_name(op))
    candidate = rule(op) if rule is not None else None
    # A rule proposes; the types decide (logical_not(logical_not(x)) is x only for a bool x, and so on).
    if candidate is not None and len(op.results) == 1 and candidate.type == op.results[0].type:
        return [candidate]
    return None


# ---- the identities ----

def _as_real(array):
    return array.astype(np.float64) if array.dtype == dtypes.bf16.np else array


def _ones(c):
    return bool(np.all(_as_real(c) == 1))


def _zeros(c):
    return bool(np.all(_as_real(c) == 0))


def _nonzero(c):
    return bool(np.all(_as_real(c) != 0))


def _all_bits(c):
    return bool(np.all(c)) if c.dtype == np.bool_ else bool(np.all(c == np.invert(np.zeros_like(c))))


def _additive_zero(c):
    """0 for integers and bool; -0.0 for floats (x + -0.0 is x even for x = -0.0, where x + 0.0 is not)."""
    c = _as_real(c)
    return _zeros(c) and (c.dtype.kind not in "fc" or bool(np.all(np.signbit(c))))


def _subtractive_zero(c):
    """0 for integers; +0.0 for floats (x - 0.0 is x for every x, -0.0 included)."""
    c = _as_real(c)
    return _zeros(c) and (c.dtype.kind not in "fc" or not np.any(np.signbit(c)))


def _neutral(test, sides):
    """x op c -> x where constant c passes `test`; `sides` are the operand positions c may take."""
    def rule(op):
        for side in sides:
            c = _constant(op.operands[side])
            if c is not None and test(c):
                return op.operands[1 - side]
        return None
    return rule


def _unchanged(op):
    """A cast, reshape or broadcast whose result type is its operand's (the type check in _identity decides)."""
    return op.operands[0]


def _transpose(op):
    axes = nx_ops.read_attrs(op)["axes"]
    return op.operands[0] if list(axes) == list(range(len(axes))) else None


def _involution(op):
    inner = nx_ops.defining_op(op.operands[0])
    return inner.operands[0] if inner is not None and inner.name == op.name else None


def _select(op):
    pred = _constant(op.operands[0])
    if pred is None:
        return None
    if np.all(pred):
        return op.operands[1]
    return op.operands[2] if not np.any(pred) else None


BOTH, RIGHT = (0, 1), (1,)
IDENTITIES = {
    "multiply": _neutral(_ones, BOTH), "divide": _neutral(_ones, RIGHT), "pow": _neutral(_ones, RIGHT),
    "add": _neutral(_additive_zero, BOTH), "subtract": _neutral(_subtractive_zero, RIGHT),
    "bitwise_and": _neutral(_all_bits, BOTH), "bitwise_or": _neutral(_zeros, BOTH),
    "bitwise_xor": _neutral(_zeros, BOTH), "logical_and": _neutral(_nonzero, BOTH),
    "logical_or": _neutral(_zeros, BOTH), "logical_xor": _neutral(_zeros, BOTH),
    "as_type": _unchanged, "reshape": _unchanged, "broadcast": _unchanged, "transpose": _transpose,
    "negate": _involution, "conjugate": _involution, "bitwise_not": _involution, "logical_not": _involution,
    "select": _select,
}
