"""nx-cse: common subexpression elimination of nx ops. Every nx op is pure, so two ops of one name with the same
operands, attributes and result types compute the same values: later ones are replaced by the first. Upstream `cse`
cannot do this because it treats unregistered ops as having side effects. Each block is its own scope (an op in a
nested region is not merged with one outside it), which is always correct and all that nx's flat functions need."""
from numerix.dialect import ops as nx_ops

from .registry import register_pass


@register_pass("nx-cse")
def cse(module):
    # Only ops with regions are kept from the walk: the ops this pass erases have none, so no stale handle is used.
    for op in [op for op in nx_ops.all_ops(module) if len(op.regions)]:
        for region in op.regions:
            for block in region.blocks:
                _cse_block(block)


def _cse_block(block):
    seen = {}
    for op in list(block.operations):
        op = op.operation
        if not nx_ops.is_nx(op) or len(op.regions):
            continue
        key = (op.name, tuple(op.operands), tuple(sorted((name, op.attributes[name]) for name in op.attributes)),
               tuple(r.type for r in op.results))
        first = seen.setdefault(key, op)
        if first is not op:
            for mine, theirs in zip(op.results, first.results):
                mine.replace_all_uses_with(theirs)
            op.erase()
