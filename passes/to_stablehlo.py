"""The nx-to-stablehlo pass: rewrites every nx op into StableHLO/CHLO (and arith/math on tensors where StableHLO
lacks an op or IREE mishandles it), in place, keeping each op's location.

Ops are lowered in program order. Each nx op's lowering sees its operands already lowered (looked up in `lowered`,
keyed by the original values, whose nx types stay readable until the end), then all original ops are replaced at
once. Inside a function integers are signless; function arguments and results, and values passed to or returned
by calls, keep their nx types (`ui32`...), converted at the boundary by bitcasts that IREE folds away."""
from iree.compiler import ir, passmanager

from numerix.dialect import ir as nxir
from numerix.dialect import ops as nx_ops
from numerix.dialect.schema import SCHEMAS
from numerix.dialect.errors import NxValueError

from numerix.dialect.lowering import LOWERINGS, NOT_LOWERED, Builder, Node

from .iree_policy import DATA_TILING_HINT_FLOPS
from .registry import register_pass


def _nx_name(op):
    name = op.operation.name
    return name[3:] if name.startswith("nx.") else None


def _rule(op):
    name = _nx_name(op)
    where = nx_ops.location(op)
    if name in NOT_LOWERED:
        raise NxValueError(f"is not lowered to StableHLO: {NOT_LOWERED[name]}", op="nx-to-stablehlo", location=where)
    if name not in SCHEMAS:
        raise NxValueError(f"unknown op {op.operation.name}", op="nx-to-stablehlo", location=where)
    if name not in LOWERINGS:
        raise NxValueError(f"nx.{name} has no StableHLO lowering: numerix cannot compile it yet",
                           op="nx-to-stablehlo", location=where)
    return LOWERINGS[name]


class _Lowerer:
    def __init__(self):
        self.builder = Builder(DATA_TILING_HINT_FLOPS)
        self.lowered = {}  # original value -> its lowered value (storage type)

    def value(self, original):
        """The lowered form of an operand. A value that no nx op made (an argument, a call's result) keeps its nx
        type; an unsigned one is reinterpreted as signless once, where it is first used."""
        found = self.lowered.get(original)
        if found is None:
            found = self.lowered[original] = self.builder.to_storage(original, nxir.to_tensor_type(original.type))
        return found

    def block(self, block):
        replaced = []
        for op in list(block.operations):
            name = _nx_name(op)
            if name is None:
                for region in op.regions:
                    for inner in region.blocks:
                        self.block(inner)
                continue
            lower = _rule(op)
            node = Node(name, None, [nxir.to_tensor_type(v.type) for v in op.operands],
                        [nxir.to_tensor_type(r.type) for r in op.results], nx_ops.read_attrs(op))
            with op.location, ir.InsertionPoint(op):
                node = node._replace(args=[self.value(v) for v in op.operands])
                results = lower(self.builder, node)
            results = results if isinstance(results, (list, tuple)) else [results]
            self.lowered.update(zip(op.results, results))
            replaced.append(op)
        # Users that are not nx ops (returns, calls) get values of the original types; then the nx ops go.
        for op in reversed(replaced):
            with op.location, ir.InsertionPoint(op):
                for original in op.results:
                    if next(iter(original.uses), None) is not None:
                        original.replace_all_uses_with(self.builder.to_nx(self.lowered[original], original.type))
            op.erase()


_PURE_DIALECTS = ("stablehlo.", "chlo.", "arith.", "math.")


def _erase_unused(block):
    """Erases the ops lowerings made whose results nothing uses (a lowering may build more than one op needs)."""
    for op in reversed(list(block.operations)):
        name = op.operation.name
        if name.startswith(_PURE_DIALECTS) and not op.regions and all(
                next(iter(r.uses), None) is None for r in op.results):
            op.erase()


@register_pass("nx-to-stablehlo", dialects=("arith", "math", "tensor", "linalg", "stablehlo", "chlo"))
def to_stablehlo(module):
    lowerer = _Lowerer()
    with module.context:
        for op in module.body.operations:
            for region in op.regions:
                for block in region.blocks:
                    lowerer.block(block)
                    _erase_unused(block)
        passmanager.PassManager.parse("builtin.module(cse)").run(module.operation)
    module.operation.verify()
    return module
