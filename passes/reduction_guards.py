"""iree-invariant-reduction-guards: a reduction linalg.generic whose body reads none of its inputs gets one more
input, an optimization barrier's zero, subtracted from each result its body yields.

IREE 3.13 miscompiles a reduction whose body, once folded, is the same on every trip (its value does not depend on
the element): a generic that yields `out + 1` over 1,000 elements returned 63, over 3 elements 1. Folding makes such
bodies out of fused code that reads its input in a way that cancels (`sum(a * 0 + 1)` on integers,
`sum(logical_or(x, 0.5))`; found by the differential fuzzer). The pass canonicalizes a copy of each reduction
(in a function of its own, its operands the function's arguments: IREE would fold the same body) to see whether its
body reads an input; where none does, `yield v` becomes `yield v - z` (an `or` for booleans), with z a zero IREE
cannot see through: exact (x - 0 is x, -0.0 included), and the body is no longer the same on every trip. The module
itself is left as it is."""
from iree.compiler import ir, passmanager
from iree.compiler.dialects import func

from numerix.dialect import ops as nx_ops

from .registry import register_pass


@register_pass("iree-invariant-reduction-guards", dialects=("arith", "complex", "tensor", "linalg", "stablehlo"))
def invariant_reduction_guards(module):
    with module.context:
        for op in [op for op in nx_ops.all_ops(module) if op.name == "linalg.generic"]:
            if _reduces(op) and not _reads_inputs_once_folded(op):
                _guard(op)
    return module


def _reads_inputs_once_folded(op):
    """Whether a canonicalized copy of the generic `op` (in a scratch module of its own) still reads an input."""
    with op.location:
        scratch = ir.Module.create()
        with ir.InsertionPoint(scratch.body):
            probe = func.FuncOp("probe", ([v.type for v in op.operands], [r.type for r in op.results]))
        block = probe.add_entry_block()
        with ir.InsertionPoint(block):
            copy = op.clone()
            for i, argument in enumerate(block.arguments):
                copy.operands[i] = argument
            func.ReturnOp(list(copy.results))
    passmanager.PassManager.parse("builtin.module(canonicalize)").run(scratch.operation)
    generics = [o for o in nx_ops.all_ops(scratch) if o.name == "linalg.generic"]
    return bool(generics) and _reads_inputs(generics[0])  # (none left: folded away, reading nothing either)


def _reduces(op):
    return any("reduction" in str(t) for t in ir.ArrayAttr(op.attributes["iterator_types"]))


def _segments(op):
    """(inputs, outputs) counts of a linalg.generic."""
    sizes = list(ir.DenseI32ArrayAttr(op.attributes["operandSegmentSizes"]))
    return sizes[0], sizes[1]


def _reads_inputs(op):
    inputs, _ = _segments(op)
    block = op.regions[0].blocks[0]
    return any(next(iter(block.arguments[i].uses), None) is not None for i in range(inputs))


def _zero(element):
    """An arith constant zero (false) of a scalar type, as a 0-d stablehlo constant behind a barrier."""
    tensor = ir.RankedTensorType.get([], element)
    if isinstance(element, ir.ComplexType):
        part = element.element_type
        value = ir.DenseElementsAttr.get_splat(tensor, ir.ArrayAttr.get([ir.FloatAttr.get(part, 0.0)] * 2))
    elif isinstance(element, ir.FloatType):
        value = ir.DenseElementsAttr.get_splat(tensor, ir.FloatAttr.get(element, 0.0))
    else:
        value = ir.DenseElementsAttr.get_splat(tensor, ir.IntegerAttr.get(element, 0))
    constant = ir.Operation.create("stablehlo.constant", results=[tensor], attributes={"value": value}).result
    return ir.Operation.create("stablehlo.optimization_barrier", results=[tensor], operands=[constant]).result


def _unchanged_by(value, zero):
    """value - zero (or, for booleans, value | zero): the same value, which no folding can tell."""
    kind = value.type
    if isinstance(kind, ir.ComplexType):
        name = "complex.sub"
    elif isinstance(kind, ir.FloatType):
        name = "arith.subf"
    elif ir.IntegerType(kind).width == 1:
        name = "arith.ori"
    else:
        name = "arith.subi"
    return ir.Operation.create(name, results=[kind], operands=[value, zero]).result


def _guard(op):
    inputs, outputs = _segments(op)
    operands = list(op.operands)
    maps = list(ir.ArrayAttr(op.attributes["indexing_maps"]))
    rank = ir.AffineMapAttr(maps[0]).value.n_dims
    block = op.regions[0].blocks[0]
    elements = [block.arguments[inputs + k].type for k in range(outputs)]
    with op.location, ir.InsertionPoint(op):
        zeros = [_zero(element) for element in elements]
        scalar = ir.AffineMapAttr.get(ir.AffineMap.get(rank, 0, []))
        attributes = {name: op.attributes[name] for name in op.attributes}
        attributes["indexing_maps"] = ir.ArrayAttr.get(maps[:inputs] + [scalar] * outputs + maps[inputs:])
        attributes["operandSegmentSizes"] = ir.DenseI32ArrayAttr.get([inputs + outputs, outputs])
        guarded = ir.Operation.create("linalg.generic", results=[r.type for r in op.results],
                                      operands=operands[:inputs] + zeros + operands[inputs:], attributes=attributes,
                                      regions=1)
    arguments = [a.type for a in block.arguments]
    with op.location:
        body = guarded.regions[0].blocks.append(*(arguments[:inputs] + elements + arguments[inputs:]))
    for i, old in enumerate(block.arguments):
        old.replace_all_uses_with(body.arguments[i if i < inputs else i + outputs])
    for inner in list(block.operations):
        body.append(inner.operation)
    terminator = body.operations[len(body.operations) - 1]
    with terminator.location, ir.InsertionPoint(terminator):
        for k in range(outputs):
            terminator.operands[k] = _unchanged_by(terminator.operands[k], body.arguments[inputs + k])
    for old, new in zip(op.results, guarded.results):
        old.replace_all_uses_with(new)
    op.erase()
