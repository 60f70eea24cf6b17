"""iree-strided-slice-barriers: a strided stablehlo.slice whose values reach a stablehlo.reverse (directly or through
other ops) is passed through stablehlo.optimization_barrier, so that IREE does not build the slice and the reverse
into one dispatch: IREE 3.13 fails to build a 1-D strided slice reversed in the same dispatch ("LLVM Translation
failed for operation: builtin.unrealized_conversion_cast"; x[::-2], and cumulative_prod(x[-3::2], reverse=True),
both found by the differential fuzzer). The slice is then written out once and read back."""
from iree.compiler import ir

from numerix.dialect import ops as nx_ops

from .registry import register_pass


@register_pass("iree-strided-slice-barriers", dialects=("stablehlo",))
def strided_slice_barriers(module):
    with module.context:
        for op in [op for op in nx_ops.all_ops(module) if op.name == "stablehlo.slice"]:
            if any(s > 1 for s in ir.DenseI64ArrayAttr(op.attributes["strides"])) and _reaches_reverse(op):
                result = op.results[0]
                with op.location, ir.InsertionPoint.after(op):
                    barrier = ir.Operation.create("stablehlo.optimization_barrier", results=[result.type],
                                                  operands=[result])
                result.replace_all_uses_except(barrier.results[0], barrier)
    return module


def _reaches_reverse(op):
    """Whether a stablehlo.reverse uses op's results, or the results of ops that do, and so on."""
    pending, seen = [op], set()
    while pending:
        current = pending.pop()
        for result in current.results:
            for use in result.uses:
                user = use.owner
                if user.name == "stablehlo.reverse":
                    return True
                if user not in seen:
                    seen.add(user)
                    pending.append(user)
    return False
