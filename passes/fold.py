"""nx-fold: constant folding and algebraic identities.

An nx op whose operands are all nx.constant results is computed at compile time with the NumPy backend's rules (the
reference semantics, as the evaluator runs them) when its results are small and not complex (complex values cannot
be attributes); larger results stay ops so the program does not swell. Each op's exact identities (x * 1, double
negation, a reshape that changes nothing, ...) are its declaration's `fold` (dialect/identities.py)."""
import math

from iree.compiler import ir

from numerix.dialect import ops as nx_ops
from numerix.dialect.hook import HOOKS
from numerix.dialect.rules import FOLDS, NUMPY, run_numpy

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


def _evaluate(op):
    producers = [nx_ops.defining_op(v) for v in op.operands]
    if any(p is None or p.name != "nx.constant" for p in producers):
        return None
    if nx_ops.schema_name(op) not in NUMPY:  # an op that a pass rewrites away (nx.grad)
        return None
    if nx_ops.schema_name(op) in HOOKS:  # its function must run at each call, not once while compiling
        return None
    out_types = nx_ops.result_types(op)
    if any(t.type.is_complex or math.prod(t.shape) > FOLD_LIMIT for t in out_types):
        return None
    arrays = [nx_ops.constant_array(p) for p in producers]
    results = run_numpy(nx_ops.schema_name(op), arrays, nx_ops.read_attrs(op), out_types)
    with ir.InsertionPoint(op):
        return [nx_ops.build_constant(a, op.location) for a in results]


def _identity(op):
    rule = FOLDS.get(nx_ops.schema_name(op))
    candidate = rule(op) if rule is not None else None
    # A rule proposes; the types decide (logical_not(logical_not(x)) is x only for a bool x, and so on).
    if candidate is not None and len(op.results) == 1 and candidate.type == op.results[0].type:
        return [candidate]
    return None
