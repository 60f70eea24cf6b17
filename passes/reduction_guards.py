"""iree-invariant-reduction-guards: a reduction linalg.generic whose body reads none of its inputs gets one more
input, an optimization barrier's zero, subtracted from each result its body yields.

IREE 3.13 miscompiles a reduction whose body, once folded, is the same on every trip (its value does not depend on
the element): a generic that yields `out + 1` over 1,000 elements returned 63, over 3 elements 1. Folding makes such
bodies out of fused code that reads its input in a way that cancels (`sum(a * 0 + 1)` on integers,
`sum(logical_or(x, 0.5))`, `var(x >= x)` on booleans; found by the differential fuzzer). The pass copies each
reduction, with the elementwise generics that make its operands, into a function of its own, fuses and
canonicalizes them as IREE would, and sees whether the reduction's body still reads an input that varies; where
none does, `yield v` becomes `yield v - z` (an `or` for booleans), with z a zero IREE
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
    """Whether the generic `op` still reads an input once IREE has fused into it the elementwise generics that make
    its operands and folded the result: checked on a copy of them (in a scratch function, its other operands the
    function's arguments), through MLIR's own elementwise fusion and canonicalization."""
    producers = _producers(op)
    outside, constants = [], []
    for inner in producers + [op]:
        for value in list(inner.operands) + _captured(inner):
            producer = nx_ops.defining_op(value)
            if producer is not None and producer in producers or value in outside or value in constants:
                continue
            # Constants the bodies use are copied, so that folding sees them.
            (constants if producer is not None and producer.name == "arith.constant" else outside).append(value)
    with op.location:
        scratch = ir.Module.create()
        with ir.InsertionPoint(scratch.body):
            probe = func.FuncOp("probe", ([v.type for v in outside], [r.type for r in op.results]))
        block = probe.add_entry_block()
        copies = dict(zip(outside, block.arguments))
        with ir.InsertionPoint(block):
            for value in constants:
                copies[value] = nx_ops.defining_op(value).clone().results[0]
            for inner in producers + [op]:
                copy = inner.clone()
                for i, value in enumerate(inner.operands):
                    copy.operands[i] = copies[value]
                _recapture(copy, copies)
                copies.update(zip(inner.results, copy.results))
            func.ReturnOp([copies[r] for r in op.results])
    passmanager.PassManager.parse("builtin.module(func.func(linalg-fuse-elementwise-ops), canonicalize)").run(
        scratch.operation)
    reductions = [o for o in nx_ops.all_ops(scratch) if o.name == "linalg.generic" and _reduces(o)]
    return bool(reductions) and _reads_inputs(reductions[-1], varying_only=True)  # (none: folded away)


def _nested(op):
    """The ops inside op's regions, at any depth."""
    return [inner for region in op.regions for block in region.blocks for o in block.operations
            for inner in [o.operation, *_nested(o.operation)]]


def _captured(op):
    """The values op's regions use that are defined outside op (a linalg.generic's body may use the function's
    constants)."""
    nested = _nested(op)
    inside = {a for region in op.regions for block in region.blocks for a in block.arguments}
    inside |= {r for o in nested for r in o.results}
    inside |= {a for o in nested for region in o.regions for block in region.blocks for a in block.arguments}
    found = []
    for o in nested:
        for value in o.operands:
            if value not in inside and value not in found:
                found.append(value)
    return found


def _recapture(copy, copies):
    """Points the uses in a copy's regions of values defined outside it at their copies."""
    for o in _nested(copy):
        for i, value in enumerate(o.operands):
            if value in copies:
                o.operands[i] = copies[value]


def _producers(op):
    """The elementwise generics (and the empty tensors they write into) that make op's operands, and theirs, each
    after the ones it reads (a depth-first walk, operands first)."""
    found = []

    def visit(value):
        producer = nx_ops.defining_op(value)
        if producer is None or any(producer == f for f in found):
            return
        if producer.name == "tensor.empty" or producer.name == "linalg.generic" and not _reduces(producer):
            for operand in producer.operands:
                visit(operand)
            found.append(producer)
    for operand in op.operands:
        visit(operand)
    return found


def _reduces(op):
    return any("reduction" in str(t) for t in ir.ArrayAttr(op.attributes["iterator_types"]))


def _segments(op):
    """(inputs, outputs) counts of a linalg.generic."""
    sizes = list(ir.DenseI32ArrayAttr(op.attributes["operandSegmentSizes"]))
    return sizes[0], sizes[1]


def _reads_inputs(op, varying_only=False):
    """Whether op's body uses one of its inputs; with `varying_only`, one that is not the same everywhere (a
    constant, or a generic of no inputs, which IREE folds into a constant and then into the body)."""
    inputs, _ = _segments(op)
    block = op.regions[0].blocks[0]
    return any(next(iter(block.arguments[i].uses), None) is not None and
               not (varying_only and _same_everywhere(op.operands[i])) for i in range(inputs))


def _same_everywhere(value):
    producer = nx_ops.defining_op(value)
    if producer is None:
        return False
    if producer.name in ("arith.constant", "stablehlo.constant", "linalg.fill"):
        return True
    return producer.name == "linalg.generic" and _segments(producer)[0] == 0


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
