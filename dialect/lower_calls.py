"""Lowerings of the nx ops that call or pass values through: custom_grad (outside differentiation, a call of its
callee) and stop_grad (the identity)."""
from iree.compiler import ir
from iree.compiler.dialects import func

from numerix.dialect import ir as nx_ir

from .lowering import lowers


@lowers("custom_grad")
def _custom_grad(b, node):
    """func.call @callee: the call takes and gives nx types (unsigned ones included), the lowering storage ones."""
    operands = [b.to_nx(value, nx_ir.tensor_type(t)) for value, t in zip(node.args, node.types)]
    call = func.CallOp([nx_ir.tensor_type(t) for t in node.out], ir.FlatSymbolRefAttr.get(node.attrs["callee"]),
                       operands)
    return [b.to_storage(result, t) for result, t in zip(call.results, node.out)]


@lowers("stop_grad")
def _stop_grad(b, node):
    return node.args[0]
