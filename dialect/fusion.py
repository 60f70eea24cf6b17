"""nx.fusion and nx.yield: a group of fused nx ops (passes/fuse.py makes them, passes/fusion_to_linalg.py lowers each
into one linalg.generic).

    %r = "nx.fusion"(%a, %b) ({
    ^bb0(%x: tensor<4xf32>, %y: tensor<4xf32>):
      %0 = "nx.multiply"(%x, %y) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
      %1 = "nx.exp"(%0) : (tensor<4xf32>) -> tensor<4xf32>
      "nx.yield"(%1) : (tensor<4xf32>) -> ()
    }) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>

The fusion's operands are its external inputs, bound in order to the arguments of its region's one block; the block
holds nx ops (without regions of their own) and ends in nx.yield, whose operands are the fusion's results. A fusion's
results cannot be inferred from its operand types alone, so the verifier asks `structural_result_types`."""
from numerix.dialect.errors import NxTypeError, NxValueError

from . import ops as nx_ops
from .rules import define


FUSION = "nx.fusion"
YIELD = "nx.yield"


def _made_by_nx_fuse(types):
    raise NxValueError("is made by the nx-fuse pass from the ops it fuses; its result types are its region's",
                       op="fusion")


define("fusion", None, _made_by_nx_fuse, differentiable=False, results=None)
define("yield", None, lambda types: (), differentiable=False, results=0)


def body(fusion):
    """The one block of a fusion's region."""
    return fusion.regions[0].blocks[0]


def structural_result_types(op):
    """The result types of nx.fusion (what its region yields, after checking the region against the operands) and of
    nx.yield (none; it must end an nx.fusion region). None for every other op."""
    if op.name == YIELD:
        parent = op.parent
        if parent is None or parent.name != FUSION or _last(body(parent)) != op:
            raise NxValueError("must be the last op of an nx.fusion region")
        return ()
    if op.name != FUSION:
        return None
    if len(op.attributes):
        raise NxValueError(f"takes no attributes, got {sorted(op.attributes)}")
    if len(op.operands) < 1:
        raise NxValueError("expects one or more operands (the fused ops' external inputs)")
    if len(op.regions) != 1 or len(op.regions[0].blocks) != 1:
        raise NxValueError("expects one region of one block")
    block = body(op)
    operand_types = nx_ops.operand_types(op)
    argument_types = [nx_ops.tensor_type_of(a.type, f"region argument {i}") for i, a in enumerate(block.arguments)]
    if argument_types != operand_types:
        raise NxTypeError(f"region arguments ({', '.join(map(str, argument_types))}) must have the operands' "
                          f"types ({', '.join(map(str, operand_types))})")
    for inner in block.operations:
        inner = inner.operation
        if not nx_ops.is_nx(inner) or len(inner.regions):
            raise NxValueError(f"region holds {inner.name}; expects nx ops without regions")
    terminator = _last(block)
    if terminator is None or terminator.name != YIELD:
        raise NxValueError("region must end in nx.yield")
    return tuple(nx_ops.operand_types(terminator))


def _last(block):
    operations = list(block.operations)
    return operations[-1].operation if operations else None
