"""iree-while-result-barriers: where a stablehlo.while starts from a value that an op of its own block computes (not
a constant), its results reach the ops that use them (all but the block's return) through one
stablehlo.optimization_barrier, just after the loop.

IREE 3.13 groups the work of a block into execution partitions (iree-stream-schedule-execution) by walking the block
backwards; the loop is not work it schedules, and it has no side effects, so nothing stops the op that computes a
loop's initial value from joining a partition after the loop when another user of that value is there. Where that
partition also uses the loop's results it feeds the loop and waits for it: "circular dependency: input operation
uses partition output", and the module does not build. (A loop that IREE wraps in a zero-trip check, as it does when
a constant or tensor.empty is left inside, is spared, so whether a program hits it hangs on what else the function
holds: a fuzzed program needed two nx.conds beside its loop.) IREE takes the barrier for an op with side effects,
which closes the partitions after it to the ops before it; the loop's results pass through it at no cost (it is no
copy, and no work at run time). After the loop rather than before it: a barrier on the initial values would also cut
the loop's first test, which IREE computes before a loop it wraps, from the work that feeds it (one more submission
and wait per call). A loop that starts from arguments and constants only has no initial value in a partition (IREE
copies constants into each dispatch that uses them), and one whose results are only returned has no partition after
it that waits for it: neither is touched."""
from iree.compiler import ir

from numerix.dialect import ops as nx_ops

from .registry import register_pass

_CONSTANTS = ("stablehlo.constant", "arith.constant")


@register_pass("iree-while-result-barriers", dialects=("stablehlo",))
def while_result_barriers(module):
    with module.context:
        for op in [op for op in nx_ops.all_ops(module) if op.name == "stablehlo.while"]:
            used = [r for r in op.results if not all(_hands_out(use.owner, op) for use in r.uses)]
            if used and any(_computed_beside(v, op) for v in op.operands):
                with op.location, ir.InsertionPoint.after(op):
                    barrier = ir.Operation.create("stablehlo.optimization_barrier", results=[r.type for r in used],
                                                  operands=used)
                for result, barred in zip(used, barrier.results):
                    result.replace_all_uses_except(barred, barrier)
    return module


def _computed_beside(value, loop):
    """Whether a non-constant op in the loop's block gives `value`."""
    if isinstance(value, ir.BlockArgument):
        return False
    producer = value.owner.operation
    return producer.name not in _CONSTANTS and producer.block == loop.block


def _hands_out(user, loop):
    """Whether `user` is the terminator of the loop's block, which only hands the value out of it."""
    user = user.operation
    return user.block == loop.block and user.name in ("func.return", "stablehlo.return")
