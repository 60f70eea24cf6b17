"""iree-reverse-before-strided-slice: stablehlo.reverse of a strided stablehlo.slice becomes the slice, mirrored, of
the reverse: IREE 3.13 fails to build a 1-D strided slice that is then reversed ("LLVM Translation failed for
operation: builtin.unrealized_conversion_cast"; x[::-2], or x[-3::2] before a reverse cumulative product, found by
the differential fuzzer), where the other order builds. On a reversed axis of size d the slice start:limit:k picks
start, start + k, ..., last; the reverse of that is, in reverse(x), d - 1 - last, ... up to d - 1 - start."""
from iree.compiler import ir

from numerix.dialect import ops as nx_ops

from .registry import register_pass


@register_pass("iree-reverse-before-strided-slice", dialects=("stablehlo",))
def reverse_before_strided_slice(module):
    with module.context:
        for op in [op for op in nx_ops.all_ops(module) if op.name == "stablehlo.reverse"]:
            producer = nx_ops.defining_op(op.operands[0])
            if producer is not None and producer.name == "stablehlo.slice" and _strided(producer, _dims(op)):
                _swap(op, producer)
    return module


def _dims(reverse):
    return list(ir.DenseI64ArrayAttr(reverse.attributes["dimensions"]))


def _strided(slice_op, dims):
    strides = list(ir.DenseI64ArrayAttr(slice_op.attributes["strides"]))
    return any(strides[d] > 1 for d in dims)


def _swap(reverse, slice_op):
    source = slice_op.operands[0]
    shape = ir.RankedTensorType(source.type).shape
    starts, limits, strides = (list(ir.DenseI64ArrayAttr(slice_op.attributes[key]))
                               for key in ("start_indices", "limit_indices", "strides"))
    for d in _dims(reverse):
        count = len(range(starts[d], limits[d], strides[d]))
        last = starts[d] + (count - 1) * strides[d] if count else starts[d]
        starts[d], limits[d] = (shape[d] - 1 - last, shape[d] - starts[d]) if count else (0, 0)
    with reverse.location, ir.InsertionPoint(reverse):
        flipped = ir.Operation.create("stablehlo.reverse", results=[source.type], operands=[source],
                                      attributes={"dimensions": reverse.attributes["dimensions"]}).result
        sliced = ir.Operation.create("stablehlo.slice", results=[reverse.results[0].type], operands=[flipped],
                                     attributes={"start_indices": ir.DenseI64ArrayAttr.get(starts),
                                                 "limit_indices": ir.DenseI64ArrayAttr.get(limits),
                                                 "strides": slice_op.attributes["strides"]}).result
    reverse.results[0].replace_all_uses_with(sliced)
    reverse.erase()
    if next(iter(slice_op.results[0].uses), None) is None:
        slice_op.erase()
