"""nx-dce: erases nx ops whose results are unused. Every nx op is pure, so an unused one can go; upstream passes
keep unregistered ops, assuming side effects. Blocks are swept from the end, so a chain of dead ops dies in one pass."""
from numerix.dialect import ops as nx_ops

from .registry import register_pass


@register_pass("nx-dce")
def dce(module):
    # Only ops with regions are kept from the walk: an erased op may hold regions, so blocks nested in it are
    # swept before it (post-order) and never visited after.
    holders = [op for op in nx_ops.all_ops(module) if len(op.regions)]
    for op in reversed(holders):
        for region in op.regions:
            for block in region.blocks:
                _sweep(block)


def _sweep(block):
    for op in reversed(list(block.operations)):
        op = op.operation
        # (An op without results is a terminator, nx.yield, never dead.)
        if nx_ops.is_nx(op) and len(op.results) and all(_unused(r) for r in op.results):
            op.erase()


def _unused(value):
    return next(iter(value.uses), None) is None
