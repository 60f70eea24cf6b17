"""The nx-to-stablehlo pass: rewrites every nx op into StableHLO/CHLO (and arith/math on tensors where StableHLO
lacks an op or IREE mishandles it), in place, keeping each op's location.

Ops are lowered in program order. Each nx op's lowering sees its operands already lowered (looked up in `lowered`,
keyed by the original values, whose nx types stay readable until the end), then all original ops are replaced at
once. Inside a function integers are signless; function arguments and results, and values passed to or returned
by calls, keep their nx types (`ui32`...), converted at the boundary by bitcasts that IREE folds away."""
import re

from iree.compiler import ir

from numerix.dialect import ir as nxir
from numerix.dialect.schema import SCHEMAS
from numerix.errors import NxValueError

from . import lower_arithmetic, lower_elementwise, lower_math, lower_shape  # noqa: F401  (register their lowerings)
from .lowering import EAGER_ONLY, LOWERINGS, Builder, Node, decode_attrs
from .registry import register_pass

_LOCATION = re.compile(r'loc\("([^"]*)":(\d+):(\d+)')


def _user_location(op):
    match = _LOCATION.search(str(op.location))
    return (match.group(1), int(match.group(2)), int(match.group(3))) if match else None


def _nx_name(op):
    name = op.operation.name
    return name[3:] if name.startswith("nx.") else None


def _rule(op):
    name = _nx_name(op)
    if name not in SCHEMAS:
        raise NxValueError(f"unknown op {op.operation.name}", op=name, location=_user_location(op))
    if name in EAGER_ONLY:
        raise NxValueError(f"cannot be compiled: {EAGER_ONLY[name]}", op=name, location=_user_location(op))
    if name not in LOWERINGS:
        raise NxValueError("has no StableHLO lowering yet", op=name, location=_user_location(op))
    return SCHEMAS[name], LOWERINGS[name]


class _Lowerer:
    def __init__(self):
        self.builder = Builder()
        self.lowered = {}  # original value -> its lowered value (storage type)

    def value(self, original):
        """The lowered form of an operand. A value that no nx op made (an argument, a call's result) keeps its nx
        type; an unsigned one is reinterpreted as signless once, where it is first used."""
        found = self.lowered.get(original)
        if found is None:
            found = original
            tensor_type = nxir.to_tensor_type(original.type)
            if tensor_type.type.is_unsigned:
                found = self.builder.unary("stablehlo.bitcast_convert", original,
                                           self.builder.tensor(tensor_type.shape, tensor_type.type))
            self.lowered[original] = found
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
            schema, lower = _rule(op)
            node = Node(name, None, [nxir.to_tensor_type(v.type) for v in op.operands],
                        [nxir.to_tensor_type(r.type) for r in op.results], decode_attrs(schema, op))
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
                        original.replace_all_uses_with(self._restore(self.lowered[original], original.type))
            op.erase()

    def _restore(self, value, nx_type):
        if value.type == nx_type:
            return value
        return self.builder.unary("stablehlo.bitcast_convert", value, nx_type)


@register_pass("nx-to-stablehlo")
def to_stablehlo(module):
    lowerer = _Lowerer()
    with module.context:
        for op in module.body.operations:
            for region in op.regions:
                for block in region.blocks:
                    lowerer.block(block)
    module.operation.verify()
    return module
