"""iree-sub-byte-storage: every tensor of sub-byte integers (s2, s4, u2, u4: i2, i4, ui2, ui4) becomes a tensor of
bytes (i8, ui8) holding the same value, sign-extended where signless, zero-extended where unsigned. Only the scalar
code inside a linalg.generic keeps the narrow types: it reads a byte and truncates it, and widens what it yields.

IREE 3.13 packs sub-byte tensors wherever it stores them (two i4 to a byte: in and out of a function, and between
its dispatches), and refuses one whose bits are not a whole number of bytes ("'stream.tensor.sizeof' op failed to
calculate total byte count: 'tensor<3xi4>' does not have integral number of total bytes"): so a function failed to
build as soon as it passed an odd-sized s4 tensor in or out, or IREE kept one between two dispatches (a sort of an
s4 tensor, a value two fusions read). With bytes nothing is packed.

Most ops mean the same on the wider value: those that move, select or order values (the sign- and zero-extensions
keep the order of signed and of unsigned values). Those that compute a new value are wrapped back into the width
after they run (shift left then arithmetic right by 8 - width where signless, a mask where unsigned), which is the
modular arithmetic of the narrow type; a logical right shift and popcnt read only the narrow bits (masked first). Any
other op on sub-byte tensors is an NxTypeError naming it, not a failure inside iree-compile.

A public function takes and returns bytes as ml_dtypes stores s2..u4 (the value's bits in the low bits of a byte, the
rest zero; runtime/iree_executable.py passes those arrays as int8/uint8): its arguments are sign-extended on the way
in, and its signless results masked on the way out."""
import re

import numpy as np
from iree.compiler import ir

from numerix.dialect import ops as nx_ops
from numerix.dialect.errors import NxTypeError

from .registry import register_pass

# Ops whose result is the same on the byte form of their operands (they move, select or order values).
_KEPT = {
    "stablehlo." + name for name in (
        "reshape", "transpose", "broadcast_in_dim", "slice", "dynamic_slice", "dynamic_update_slice", "concatenate",
        "pad", "reverse", "gather", "scatter", "select", "sort", "while", "case", "if", "return", "reduce",
        "reduce_window", "select_and_scatter", "optimization_barrier", "maximum", "minimum", "clamp", "sign")
} | {"func.func", "func.return", "func.call", "tensor.empty", "arith.select", "arith.maxsi", "arith.minsi",
     "arith.maxui", "arith.minui"}
# Ops that compute new values: wrapped into the width after they run.
_WRAPPED = {
    "stablehlo." + name for name in (
        "convert", "bitcast_convert", "add", "subtract", "multiply", "negate", "abs", "and", "or", "xor", "not",
        "shift_left", "shift_right_arithmetic", "divide", "remainder", "power", "iota")
} | {"arith.addi", "arith.subi", "arith.muli", "arith.andi", "arith.ori", "arith.xori", "arith.shli"}
# Ops that read only the narrow bits of their first operand: it is masked first (a signless one), then wrapped.
_MASKED_FIRST = {"stablehlo.shift_right_logical", "stablehlo.popcnt"}
_CONSTANTS = {"stablehlo.constant", "arith.constant"}
_HEX = re.compile(r'^dense<"0x([0-9A-Fa-f]*)">')
_INTEGERS = re.compile(r"-?\d+")


@register_pass("iree-sub-byte-storage", dialects=("stablehlo", "arith", "linalg", "tensor"))
def sub_byte_storage(module):
    with module.context, ir.Location.unknown():
        # (A declaration, as nx.hook's import, has no body to rewrite.)
        functions = [f.operation for f in module.body.operations
                     if f.operation.name == "func.func" and len(f.operation.regions[0].blocks)]
        signatures = [ir.FunctionType(ir.TypeAttr(f.attributes["function_type"]).value) for f in functions]
        for op in _tensor_level_ops(module.operation):
            _store_as_bytes(op)
        for function, signature in zip(functions, signatures):
            if "sym_visibility" not in function.attributes:  # public: called from outside, with ml_dtypes' bytes
                _mask_results(function, signature)
            _update_signature(function)
    return module


def _tensor_level_ops(root):
    """The ops under root, parents first, but not those in a linalg.generic's body (scalar code), collected before
    any is rewritten."""
    found = []
    for region in root.regions:
        for block in region.blocks:
            for op in block.operations:
                found.append(op.operation)
                if op.operation.name != "linalg.generic":
                    found += _tensor_level_ops(op.operation)
    return found


def _narrow(mlir_type):
    """The sub-byte integer element type of a tensor type, else None."""
    element = mlir_type.element_type if isinstance(mlir_type, ir.RankedTensorType) else None
    return element if isinstance(element, ir.IntegerType) and element.width < 8 and element.width != 1 else None


def _byte(element):
    return ir.IntegerType.get_unsigned(8) if element.is_unsigned else ir.IntegerType.get_signless(8)


def _widened(mlir_type, element):
    return ir.RankedTensorType.get(mlir_type.shape, _byte(element))


def _store_as_bytes(op):
    narrow = {}  # result index -> its narrow element type
    for index, result in enumerate(op.results):
        element = _narrow(result.type)
        if element is not None:
            narrow[index] = element
            result.set_type(_widened(result.type, element))
    for region in op.regions if op.name != "linalg.generic" else ():
        for block in region.blocks:
            for argument in block.arguments:
                element = _narrow(argument.type)
                if element is not None:
                    argument.set_type(_widened(argument.type, element))
    if op.name == "func.func" and "sym_visibility" not in op.attributes:
        _extend_arguments(op)
    elif op.name == "linalg.generic":
        _narrow_body(op)
    elif not narrow and op.name not in _MASKED_FIRST:
        return
    elif op.name in _CONSTANTS:
        op.attributes["value"] = _widened_constant(op.attributes["value"], op.results[0].type, narrow[0])
    elif op.name in _MASKED_FIRST:
        element = _narrow(op.operands[0].type) or narrow.get(0)
        if element is None:
            return
        with ir.InsertionPoint(op), op.location:
            op.operands[0] = _masked(op.operands[0], element)
        _wrap_after(op, element)
    elif op.name in _WRAPPED:
        _wrap_after(op, narrow[0])
    elif op.name not in _KEPT:
        where = nx_ops.location(op)
        raise NxTypeError(f"IREE cannot compile {op.name} on {narrow[min(narrow)]} tensors (sub-byte integers are "
                          "stored as bytes, and this op has no rule for that yet); convert to s8/u8 first (as_type) "
                          "or use compiler='evaluator'", op="iree-sub-byte-storage", location=where)


def _splat(like, value):
    element = like.type.element_type
    return ir.Operation.create("stablehlo.constant", results=[like.type], attributes={
        "value": ir.DenseElementsAttr.get_splat(like.type, ir.IntegerAttr.get(element, value))}).result


def _binary(name, lhs, rhs):
    return ir.Operation.create(name, results=[lhs.type], operands=[lhs, rhs]).result


def _wrapped(value, element):
    """`value` (bytes) brought into the range of `element`: its low bits, sign- or zero-extended."""
    if element.is_unsigned:
        return _masked(value, element)
    shift = _splat(value, 8 - element.width)
    return _binary("stablehlo.shift_right_arithmetic", _binary("stablehlo.shift_left", value, shift), shift)


def _masked(value, element):
    """The low `element.width` bits of `value` (bytes), the others zero."""
    return _binary("stablehlo.and", value, _splat(value, (1 << element.width) - 1))


def _wrap_after(op, element):
    result = op.results[0]
    uses = _uses(result)
    with ir.InsertionPoint.after(op), op.location:
        _replace(uses, _wrapped(result, element))


def _uses(value):
    """(user, operand number) of each use of value, taken before ops that read it are added."""
    return [(use.owner.operation, use.operand_number) for use in value.uses]


def _replace(uses, value):
    for user, number in uses:
        user.operands[number] = value


def _widened_constant(attribute, widened_type, element):
    """The dense constant `attribute` of a narrow type as the same values in bytes."""
    text = str(attribute)
    found = _HEX.match(text)
    if found:  # one byte per element, the value in its low bits
        raw = np.frombuffer(bytes.fromhex(found.group(1)), np.uint8) & ((1 << element.width) - 1)
        values = raw.astype(np.int16)
        if not element.is_unsigned:
            values = np.where(values >= 1 << (element.width - 1), values - (1 << element.width), values)
    else:
        values = np.array([int(v) for v in _INTEGERS.findall(text.split(" : ")[0])], np.int16)
    count = int(np.prod(widened_type.shape))
    values = np.broadcast_to(values, (count,)) if values.size == 1 else values
    array = values.astype(np.uint8 if element.is_unsigned else np.int8).reshape(widened_type.shape)
    return ir.DenseElementsAttr.get(np.ascontiguousarray(array), type=widened_type)


def _narrow_body(generic):
    """A linalg.generic over byte tensors: its body reads each narrow operand's byte truncated, and yields each
    narrow result widened (sign-extended where the tensor is signless)."""
    block = generic.regions[0].blocks[0]
    for argument, operand in zip(block.arguments, generic.operands):
        element = argument.type if isinstance(argument.type, ir.IntegerType) else None
        if element is None or element.width >= 8 or element.width == 1:
            continue
        argument.set_type(operand.type.element_type)
        with ir.InsertionPoint.at_block_begin(block), generic.location:
            narrow = ir.Operation.create("arith.trunci", results=[element], operands=[argument]).result
        argument.replace_all_uses_except(narrow, narrow.owner.operation)
    terminator = block.operations[len(block.operations) - 1]
    outputs = generic.results
    for index, (value, result) in enumerate(zip(list(terminator.operands), outputs)):
        if isinstance(value.type, ir.IntegerType) and value.type.width != result.type.element_type.width:
            extend = "arith.extui" if result.type.element_type.is_unsigned else "arith.extsi"
            with ir.InsertionPoint(terminator), generic.location:
                terminator.operands[index] = ir.Operation.create(
                    extend, results=[ir.IntegerType.get_signless(8)], operands=[value]).result


def _extend_arguments(function):
    """A public function's byte arguments, in ml_dtypes' form (the value's bits low, the rest zero), extended."""
    block = function.regions[0].blocks[0]
    signature = ir.FunctionType(ir.TypeAttr(function.attributes["function_type"]).value)
    for argument, before in zip(block.arguments, signature.inputs):
        element = _narrow(before)
        if element is not None:
            uses = _uses(argument)
            with ir.InsertionPoint.at_block_begin(block), function.location:
                _replace(uses, _wrapped(argument, element))


def _mask_results(function, signature):
    """A public function's signless sub-byte results masked to ml_dtypes' form."""
    block = function.regions[0].blocks[0]
    returned = block.operations[len(block.operations) - 1]
    for index, before in enumerate(signature.results):
        element = _narrow(before)
        if element is not None and not element.is_unsigned:
            with ir.InsertionPoint(returned), function.location:
                returned.operands[index] = _masked(returned.operands[index], element)


def _update_signature(function):
    block = function.regions[0].blocks[0]
    returned = block.operations[len(block.operations) - 1]
    function.attributes["function_type"] = ir.TypeAttr.get(ir.FunctionType.get(
        [a.type for a in block.arguments], [v.type for v in returned.operands]))
