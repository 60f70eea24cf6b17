"""iree-constant-gather-barriers: a stablehlo.gather whose indices depend on no argument (x[:, [0, 0, 0]], or the
iota and constants that nx-batch makes of x[[0]] under vmap) reads its operand through
stablehlo.optimization_barrier, unless the operand is itself an argument.

IREE 3.13 turns such a gather into a linalg.generic that reads its operand through a map with a constant in it
((d0, d1) -> (d0, 0): its RaiseSpecialOps pass). When the operand's producer is an elementwise op with another user,
its FuseMultiUseElementwiseProducer pass then fuses that producer into the gather and keeps the producer's full result
as a second result of the fused op, written through the same constant map: only column 0 of it is ever written,
and the other user reads uninitialized memory (exp(v) of a negative log came out 1.0 for each column but the first,
found by the differential fuzzer under vmap; (-x)[:, [0, 0, 0]] beside -x + 1 too). Behind the barrier the producer is
computed on its own; what uses the gather's result still fuses with it. A gather of an argument has no producer to
fuse and is left alone. (The window and convolution lowerings guard a strided pick of one-element windows, the
other consumer IREE reads through such a map: dialect/lower_window.py's behind_strided_pick.)"""
from iree.compiler import ir

from numerix.dialect import ops as nx_ops

from .registry import register_pass


@register_pass("iree-constant-gather-barriers", dialects=("stablehlo",))
def constant_gather_barriers(module):
    with module.context:
        memo = {}
        for op in [op for op in nx_ops.all_ops(module) if op.name == "stablehlo.gather"]:
            operand, indices = op.operands[0], op.operands[1]
            if not isinstance(operand, ir.BlockArgument) and _argument_free(indices, memo):
                with op.location, ir.InsertionPoint(op):
                    barrier = ir.Operation.create("stablehlo.optimization_barrier", results=[operand.type],
                                                  operands=[operand])
                op.operands[0] = barrier.result
    return module


def _argument_free(value, memo):
    """Whether `value` depends on no block argument (memo: op -> answer): IREE may fold it to constants. Walked
    without recursion: indices may come out of a long chain of ops."""
    if isinstance(value, ir.BlockArgument):
        return False
    pending = [value.owner.operation]
    while pending:
        op = pending[-1]
        if op in memo:
            pending.pop()
            continue
        operands = list(op.operands)
        if any(isinstance(v, ir.BlockArgument) for v in operands):
            memo[op] = False
            pending.pop()
            continue
        owners = [v.owner.operation for v in operands]
        unknown = [o for o in owners if o not in memo]
        if unknown:
            pending.extend(unknown)
            continue
        memo[op] = all(memo[o] for o in owners)
        pending.pop()
    return memo[value.owner.operation]
