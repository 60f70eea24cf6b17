"""iree-complex-constant-barriers: each complex value that StableHLO computes from constants alone is passed
through stablehlo.optimization_barrier, where IREE 3.13 would otherwise miscompile it.

IREE splits complex arithmetic into real and imaginary parts and, during dispatch creation, hoists the parts of a
constant complex value into global initializers that run at load time (its compile-time evaluation does not reach
them). When one initializer dispatch computes both parts, IREE's stream canonicalization keeps only the dispatch's
first result and stores it in both globals: the imaginary part silently becomes a copy of the real part (a constant
diag([1, 2, 3]) as complex, multiplied into a matrix, came out as diag([1+1j, 2+2j, 3+3j])). Behind the barrier the
value is not a constant expression for IREE: it is computed on each call, a cheap elementwise dispatch. The same
holds for a fused linalg.generic that makes complex values from constants alone (an nx.complex of two constants, as
a complex constant is traced, fused with what follows it): its complex results go through a barrier too (without,
the gradient of a c128 Cholesky factorization came out wrong). Values made by ops with regions (loops, reductions,
generics) are not looked through."""
from iree.compiler import ir

from .registry import register_pass


@register_pass("iree-complex-constant-barriers", dialects=("stablehlo",))
def complex_constant_barriers(module):
    with module.context:
        constant = {}
        for op in _complex_ops(module.operation):
            if all(_from_constants(v, constant) for v in op.operands):
                for result in op.results:
                    if isinstance(ir.RankedTensorType(result.type).element_type, ir.ComplexType):
                        with ir.InsertionPoint.after(op), op.location:
                            barrier = ir.Operation.create("stablehlo.optimization_barrier", results=[result.type],
                                                          operands=[result])
                        result.replace_all_uses_except(barrier.results[0], barrier)
    return module


def _complex_ops(op):
    for region in op.regions:
        for block in region.blocks:
            for inner in block.operations:
                if inner.operation.name == "stablehlo.complex" or (
                        inner.operation.name == "linalg.generic" and any(
                            isinstance(ir.RankedTensorType(r.type).element_type, ir.ComplexType)
                            for r in inner.operation.results)):
                    yield inner.operation
                yield from _complex_ops(inner.operation)


def _from_constants(value, memo):
    """Whether `value` is computed from constants alone (memo: op -> answer)."""
    if isinstance(value, ir.BlockArgument):
        return False
    op = value.owner.operation
    if op not in memo:
        memo[op] = not op.regions and op.name != "stablehlo.optimization_barrier" and all(
            _from_constants(v, memo) for v in op.operands)
    return memo[op]
