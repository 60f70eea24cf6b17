"""iree-strided-slice-barriers: a stablehlo.slice that reads its operand in a strided pattern (a stride over 1, or a
part of an inner axis, as x[:, 0] does) and whose values reach a stablehlo.reverse (directly or through other ops) is
passed through stablehlo.optimization_barrier, so that IREE does not build the slice and the reverse into one
dispatch: IREE 3.13 fails to build a strided read reversed in the same dispatch ("LLVM Translation failed for
operation: builtin.unrealized_conversion_cast"; x[::-2], cumulative_prod(x[-3::2], reverse=True) and
all(exp(x[..., None, ::-1, 0, 0])), all found by the differential fuzzer). The slice is then written out once and
read back; a slice of one contiguous run of its operand is left alone."""
from iree.compiler import ir

from numerix.dialect import ops as nx_ops

from .registry import register_pass


@register_pass("iree-strided-slice-barriers", dialects=("stablehlo",))
def strided_slice_barriers(module):
    with module.context:
        for op in [op for op in nx_ops.all_ops(module) if op.name == "stablehlo.slice"]:
            if _strided(op) and _reaches_reverse(op):
                result = op.results[0]
                with op.location, ir.InsertionPoint.after(op):
                    barrier = ir.Operation.create("stablehlo.optimization_barrier", results=[result.type],
                                                  operands=[result])
                result.replace_all_uses_except(barrier.results[0], barrier)
    return module


def _strided(op):
    """Whether a stablehlo.slice reads more than one contiguous run of its operand (row-major)."""
    shape = ir.RankedTensorType(op.operands[0].type).shape
    starts, limits, strides = (list(ir.DenseI64ArrayAttr(op.attributes[a]))
                               for a in ("start_indices", "limit_indices", "strides"))
    sizes = [len(range(start, limit, stride)) for start, limit, stride in zip(starts, limits, strides)]
    outer = next((axis for axis, size in enumerate(sizes) if size > 1), len(sizes))
    # Contiguous: single elements on the axes outside the first longer one, a unit stride on it, everything inside.
    return any(strides[axis] > 1 for axis in range(outer, len(sizes)) if sizes[axis] > 1) or any(
        sizes[axis] != shape[axis] for axis in range(outer + 1, len(sizes)))


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
