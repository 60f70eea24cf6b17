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


# ---- in-place donation ----
# IREE writes a result into a caller's buffer where the entry function has a `!hal.buffer_view` argument marked
# `{iree.abi.output = N : index}`, but it does not know that the buffer is also an argument: a dispatch that writes it
# while another still reads the argument reads new values (a transposed or multiplied argument: tested in
# tests/frontend/test_backends.py). So a donated argument is tied to a result only where the result is made last, by
# one elementwise op (the writer) that reads the argument at the index it writes; every other op that reads the
# argument passes its results through an optimization barrier, which IREE does not fuse across (so no dispatch reads
# the argument elsewhere while it writes it), and the writer reads the argument through a barrier that takes those
# results too (so it runs after them). Ops that do not read the argument still fuse into the writer (a gradient's
# transpose into the update). Elsewhere the donated buffer is only freed after the call.
_ELEMENTWISE = frozenset("stablehlo." + name for name in (
    "add", "subtract", "multiply", "divide", "remainder", "maximum", "minimum", "power", "atan2", "and", "or", "xor",
    "negate", "abs", "exponential", "exponential_minus_one", "log", "log_plus_one", "sqrt", "rsqrt", "cbrt", "tanh",
    "logistic", "sine", "cosine", "tan", "sign", "floor", "ceil", "round_nearest_even", "round_nearest_afz", "not",
    "select", "clamp", "shift_left", "shift_right_arithmetic", "shift_right_logical"))
_CONSTANTS = ("arith.constant", "stablehlo.constant")


def tie_donated(module, entry, donated):
    """Ties donated arguments (indices into the arguments of function `entry` of a lowered module) to results that
    can be written into their buffers, as above; returns the (argument, result) pairs. Each tie adds a storage
    argument after the function's own, in the order of the pairs."""
    with module.context, ir.Location.unknown():
        # Calls inlined: a call that reads the argument would hold back all its ops, not only those that read it.
        passmanager.PassManager.parse("builtin.module(inline, cse)").run(module.operation)
        function = next(op for op in module.body.operations if op.operation.name == "func.func"
                        and ir.StringAttr(op.attributes["sym_name"]).value == entry)
        block = function.regions[0].blocks[0]
        ret = list(block.operations)[-1]
        returned = list(ret.operands)
        ties, writers = [], []
        for index in donated:
            argument = block.arguments[index]
            others = [block.arguments[i] for i in donated if i != index]
            for result, value in enumerate(returned):
                if result in {r for _, r in ties} or sum(v == value for v in returned) != 1:
                    continue
                writer = _in_place_writer(value, argument, others)
                if writer is not None:
                    ties.append((index, result))
                    writers.append((writer, argument))
                    break
        tied = {r for _, r in ties}
        others = [v for r, v in enumerate(returned) if r not in tied]
        if not ties or any(_views_argument(v, block.arguments[a]) for a, _ in ties for v in others):
            return []  # IREE may return a reshaped or sliced argument as a view of its buffer
        _order_readers(ret, writers)
        for _ in ties:
            block.add_argument(ir.Type.parse("!hal.buffer_view"), ir.Location.unknown())
        old = ir.FunctionType(ir.TypeAttr(function.attributes["function_type"]).value)
        function.attributes["function_type"] = ir.TypeAttr.get(ir.FunctionType.get(
            [a.type for a in block.arguments], old.results))
        arg_attrs = list(function.attributes["arg_attrs"]) if "arg_attrs" in function.attributes else \
            [ir.DictAttr.get({})] * len(old.inputs)
        function.attributes["arg_attrs"] = ir.ArrayAttr.get(arg_attrs + [
            ir.DictAttr.get({"iree.abi.output": ir.IntegerAttr.get(ir.IndexType.get(), r)}) for _, r in ties])
    return ties


def _in_place_writer(value, argument, other_donated):
    """The op that makes `value` if it can write into `argument`'s buffer: elementwise, of the argument's type,
    used only by the return, reading the argument where it writes, no other donated argument, and nothing from
    outside its operands but constants."""
    op = nx_ops.defining_op(value)
    if op is None or value.type != argument.type or len(op.results) != 1:
        return None
    uses = list(op.results[0].uses)
    operands = list(op.operands)
    if len(uses) != 1 or uses[0].owner.name != "func.return" or argument not in operands or \
            any(o in other_donated for o in operands):
        return None
    if op.name in _ELEMENTWISE:
        return op
    if op.name != "linalg.generic":
        return None
    ins, outs = list(ir.DenseI32ArrayAttr(op.attributes["operandSegmentSizes"]))
    maps = [ir.AffineMapAttr(m).value for m in op.attributes["indexing_maps"]]
    identity = ir.AffineMap.get_identity(ir.RankedTensorType(value.type).rank)
    if outs != 1 or not all("parallel" in str(t) for t in op.attributes["iterator_types"]) or maps[-1] != identity \
            or any(o == argument and m != identity for o, m in zip(operands[:ins], maps)) \
            or argument in operands[ins:] or not _reads_nothing_outside(op.regions[0]):
        return None
    return op


def _reads_nothing_outside(region):
    """Whether the ops of `region` use only values made inside it, and constants."""
    inside = []
    for block in region.blocks:
        inside += list(block.arguments)
        for op in block.operations:
            for operand in op.operands:
                source = nx_ops.defining_op(operand)
                if operand not in inside and (source is None or source.name not in _CONSTANTS):
                    return False
            if not all(_reads_nothing_outside(inner) for inner in op.regions):
                return False
            inside += list(op.results)
    return True


def _views_argument(value, argument):
    """Whether `value` is `argument` or made from it alone by ops of one operand (a reshape, a slice: IREE may return
    them as views of its buffer)."""
    while value != argument:
        op = nx_ops.defining_op(value)
        if op is None or len(op.operands) != 1:
            return False
        value = op.operands[0]
    return True


def _order_readers(ret, writers):
    """Moves the writers to the end. Each other op that reads a writer's argument gets its results through an
    optimization_barrier, so that IREE fuses none of them into the writer; the writer reads its argument through one
    more barrier that takes those results too, so that it runs after all of them."""
    for writer, _ in writers:
        writer.move_before(ret)
    for writer, argument in writers:
        readers = []
        for use in argument.uses:
            reader = _top_level(use.owner, ret)
            if reader != writer.operation and reader not in readers:
                readers.append(reader)
        read = []
        for reader in readers:
            results = list(reader.results)
            if results:
                barrier = _barrier(results, ir.InsertionPoint(reader))
                barrier.move_after(reader)
                for result, passed in zip(results, barrier.results):
                    result.replace_all_uses_except(passed, barrier)
                read += list(barrier.results)
        ordered = _barrier([argument, *read], ir.InsertionPoint(writers[0][0])).results[0]
        for i, operand in enumerate(writer.operands):
            if operand == argument:
                writer.operands[i] = ordered


def _top_level(op, ret):
    """The op of the function's body (the block of `ret`) that is or holds `op`."""
    op, body = op.operation, ret.operation.parent
    while op.parent != body:
        op = op.parent.operation
    return op


def _barrier(values, point):
    return ir.Operation.create("stablehlo.optimization_barrier", results=[v.type for v in values], operands=values,
                               ip=point)
