"""The nx-fusion-to-linalg pass: lowers each nx.fusion into one `linalg.generic` whose body is scalar arith/math code.

The generic iterates over the fused ops' shape: parallel loops, plus reduction loops when the fusion ends in a
reduction. Its inputs are the fusion's operands; an operand that the region broadcasts is read through an indexing
map (the broadcast is never materialised), splat constants become scalar constants. Each fused op's scalar code is
its StableHLO lowering (dialect/lower_*.py) run on a ScalarBuilder, so the numerics are those of nx-to-stablehlo; a
reduction's accumulator starts at its identity and folds each element in with its combiner, both from its Reduction
record (dialect/reduction.py), which its StableHLO lowering runs too.

Storage follows passes/to_stablehlo.py: inside, integers are signless; an unsigned operand is reinterpreted as
signless where the generic reads it and the result back as unsigned where it leaves, by bitcasts IREE folds away.
Everything outside fusions is left to nx-to-stablehlo, which runs after this pass.

Fusions IREE would merge past its binding limit are kept apart. IREE 3.13 merges an elementwise linalg.generic into
the generic that consumes it (its multi-use producer fusion) with no check of the merged dispatch's buffer bindings,
so it would merge the fusions nx-fuse split a long chain into (to keep each within MAX_BINDINGS) back into one
dispatch that IREE's HAL refuses. So fusions joined by their results form clusters, each touching at most
MAX_BINDINGS distinct tensors (which bounds any part of a cluster IREE merges, as each binding is one of them), and a
result that would take its consumer's cluster past that reaches it through a stablehlo.optimization_barrier, which
IREE does not fuse across. Only programs near the limit get one (examples/digits.py's training step, 31 fusions,
gets none).

The same merging undid nx-fuse's cut of long chains into fusions of at most MAX_OPS ops: `a = sin(a) * 0.5 + 0.1`
unrolled 300 times became one dispatch again, whose executable configuration and CPU lowering take time that grows
faster than the body. So a cluster also holds at most MAX_OPS fused ops, and a result that would take its consumer's
cluster past that reaches it through a barrier too: the compile time then grows linearly with the chain
(BENCHMARKS.md), at the cost of one write and read of a tensor per MAX_OPS ops."""
from iree.compiler import ir
from iree.compiler.dialects import func

from numerix.dialect import fusion as nx_fusion
from numerix.dialect import ir as nx_ir
from numerix.dialect import ops as nx_ops
from numerix.dialect.reduction import REDUCTIONS
from numerix.dialect.rules import FUSION
from numerix.dialect.errors import NxError, NxValueError

from numerix.dialect.lower_convert import convert
from numerix.dialect.lowering import LOWERINGS, Builder, Node, storage_element
from numerix.dialect.scalar_builder import ScalarBuilder

from .registry import register_pass

# The elementwise ops that fuse, each with its scalar emitter: its StableHLO lowering on a ScalarBuilder (for the types
# where that lowering is elementwise, see `can_emit`).
SCALAR_EMITTERS = {name: LOWERINGS[name] for name, kind in sorted(FUSION.items()) if kind in ("elementwise", "cheap")}
# The most distinct tensors one dispatch may read and write. IREE gives a dispatch a buffer binding per tensor, and its
# HAL refuses a dispatch of more than 32 when the module loads ("binding count 41 > 32"). Measured with IREE 3.13: a
# generic of 31 inputs and 1 result loads, of 32 and 1 does not; IREE adds no bindings of its own (splat constants
# are scalars in the body, reduction inits are fills, non-splat constants are inputs like any other).
MAX_BINDINGS = 32
# The most ops one dispatch computes (see above; nx-fuse cuts its fusions at this size too). Every fusion of the
# benchmarks is far smaller.
MAX_OPS = 64


def splat_value(op):
    """The element attribute of an nx.constant that holds one value everywhere, else None."""
    if op.name != "nx.constant":
        return None
    dense = ir.DenseElementsAttr(op.attributes["value"])
    return dense.get_splat_value() if dense.is_splat else None


def can_emit(op):
    """Whether nx-fusion-to-linalg can put `op` in a generic's body: a reduction, or an elementwise op whose lowering
    writes scalar code for these types (some lowerings work on whole tensors for some types)."""
    name = nx_ops.schema_name(op)
    types, out = nx_ops.operand_types(op), nx_ops.result_types(op)
    if name in REDUCTIONS:  # a complex scalar's only combiner with a scalar form is complex.add
        return name == "sum" or not any(t.type.is_complex for t in types + out)
    return name in SCALAR_EMITTERS and has_scalar_code(name, types, out, nx_ops.read_attrs(op))


_SCALAR_CODE = {}  # (op name, operand types, result types, attributes) -> whether its scalar code exists
_SCRATCH = []  # the context scalar code is tried in (one: making a context costs milliseconds)


def has_scalar_code(name, types, out, attrs):
    key = (name, tuple(t.type.name for t in types), tuple(t.type.name for t in out), repr(sorted(attrs.items())))
    if key not in _SCALAR_CODE:
        _SCALAR_CODE[key] = _try_scalar_code(name, types, out, attrs)
    return _SCALAR_CODE[key]


def _try_scalar_code(name, types, out, attrs):
    """Emits the op's scalar code into a scratch function: it exists when that works and verifies as arith and math
    ops alone."""
    if not _SCRATCH:
        _SCRATCH.append(nx_ir.new_context(dialects=("arith", "math", "complex", "stablehlo", "chlo")))
    with _SCRATCH[0], ir.Location.unknown():
        module = ir.Module.create()
        with ir.InsertionPoint(module.body):
            function = func.FuncOp("scalar_code", ([storage_element(t.type) for t in types], []))
        block = function.add_entry_block()
        with ir.InsertionPoint(block):
            try:
                SCALAR_EMITTERS[name](ScalarBuilder(), Node(name, list(block.arguments), types, out, attrs))
            except (NxError, ValueError, TypeError):
                return False
            func.ReturnOp([])
        try:
            module.operation.verify()
        except ir.MLIRError:
            return False
        inner = [o for o in nx_ops.all_ops(function) if o.name not in ("func.func", "func.return")]
        return all(o.name.startswith(("arith.", "math.", "complex.")) for o in inner)


# ---- the pass ----

@register_pass("nx-fusion-to-linalg", dialects=("arith", "math", "complex", "tensor", "linalg", "stablehlo",
                                               "chlo"))
def fusion_to_linalg(module):
    with module.context:
        fusions = [op for op in nx_ops.all_ops(module) if op.name == nx_fusion.FUSION]
        for op, separated in zip(fusions, _separated_operands(fusions)):
            with op.location, ir.InsertionPoint(op):
                for position in separated:
                    op.operands[position] = _barrier(op.operands[position])
                results = _Generic(op).lower()
            for old, new in zip(op.results, results):
                old.replace_all_uses_with(new)
            op.erase()
    return module


def _separated_operands(fusions):
    """For each fusion, the positions of the operands that must reach it through a barrier: results of other fusions
    that would take its cluster (the fusions IREE may merge with it) past MAX_BINDINGS tensors or MAX_OPS ops.
    Fusions join clusters in program order, producers first. Planned before any fusion is lowered: an op's hash
    changes with its operands, so fusions cannot be looked up once the IR changes."""
    index = {fusion: i for i, fusion in enumerate(fusions)}
    cluster = list(range(len(fusions)))  # fusion -> its cluster
    members = [[i] for i in range(len(fusions))]  # cluster -> its fusions
    tensors = [set(f.operands) | set(f.results) for f in fusions]  # cluster -> the tensors its fusions touch
    sizes = [fusion_size(f) for f in fusions]  # cluster -> the ops its fusions compute
    separated = []
    for i, fusion in enumerate(fusions):
        positions = []
        for position, value in enumerate(fusion.operands):
            producer = index.get(nx_ops.defining_op(value))
            if producer is None or cluster[producer] == cluster[i]:
                continue
            mine, theirs = cluster[i], cluster[producer]
            if len(tensors[mine] | tensors[theirs]) > MAX_BINDINGS or sizes[mine] + sizes[theirs] > MAX_OPS:
                positions.append(position)
                continue
            tensors[mine] |= tensors[theirs]
            sizes[mine] += sizes[theirs]
            members[mine] += members[theirs]
            for j in members[theirs]:
                cluster[j] = mine
        separated.append(positions)
    return separated


def fusion_size(fusion):
    """The ops a fusion computes, as nx-fuse counts them: not the yield, nor the splat constants and broadcasts it
    copies in."""
    return sum(op.name not in _NOT_COUNTED for op in nx_fusion.body(fusion).operations)


_NOT_COUNTED = ("nx.yield", "nx.constant", "nx.broadcast")


def _barrier(value):
    return ir.Operation.create("stablehlo.optimization_barrier", results=[value.type], operands=[value]).result


def _error(fusion, message):
    return NxValueError(message, op="nx-fusion-to-linalg", location=nx_ops.location(fusion))


class _Generic:
    """One fusion's generic: its iteration space, the inputs it reads (operand, indexing map) and its body."""

    def __init__(self, fusion):
        self.fusion = fusion
        block = nx_fusion.body(fusion)
        operations = [o.operation for o in block.operations]
        self.ops, self.terminator = operations[:-1], operations[-1]
        self.arguments = list(block.arguments)
        self.yielded = list(self.terminator.operands)
        self.reductions = [op for op in self.ops if nx_ops.schema_name(op) in REDUCTIONS]
        self._iteration_space()
        self.inputs = []  # ((operand index, map text), affine map): what the generic reads, each once
        self.tensor_builder = Builder()

    def _iteration_space(self):
        if self.reductions:
            reduced = {tuple(op.operands[0].type.shape) for op in self.reductions}
            axes = {nx_ops.read_attrs(op)["axes"] for op in self.reductions}
            produced = {op.result for op in self.reductions}
            if len(reduced) != 1 or len(axes) != 1 or set(self.yielded) != produced or \
                    len(self.yielded) != len(self.reductions):
                raise _error(self.fusion, "a fusion that reduces must yield exactly its reductions, all over the same "
                             "shape and axes")
            for op in self.reductions:
                if any(use.owner != self.terminator for use in op.result.uses):
                    raise _error(self.fusion, "a reduction's result may only be yielded (it is complete only after the "
                                 "generic)")
            self.reductions = [nx_ops.defining_op(v) for v in self.yielded]  # the generic's results, in order
            (self.shape,), (self.axes,) = reduced, axes
        else:
            shapes = {tuple(v.type.shape) for v in self.yielded}
            if len(shapes) != 1:
                raise _error(self.fusion, f"yields values of different shapes {sorted(shapes)}")
            (self.shape,) = shapes
            self.axes = ()
        self.rank = len(self.shape)

    # ---- indexing maps ----
    def _identity(self):
        return ir.AffineMap.get_identity(self.rank)

    def _map(self, exprs):
        return ir.AffineMap.get(self.rank, 0, exprs)

    def _broadcast_map(self, op):
        """Operand axis i is result axis axes[i]; an axis of size 1 stretched wider reads index 0."""
        attrs = nx_ops.read_attrs(op)
        operand_shape = op.operands[0].type.shape
        if tuple(attrs["shape"]) != self.shape:
            raise _error(self.fusion, f"broadcasts to {list(attrs['shape'])} inside a fusion over {list(self.shape)}")
        exprs = [ir.AffineConstantExpr.get(0) if size != self.shape[axis] else ir.AffineDimExpr.get(axis)
                 for size, axis in zip(operand_shape, attrs["axes"])]
        return self._map(exprs)

    def _output_map(self):
        return self._map([ir.AffineDimExpr.get(d) for d in range(self.rank) if d not in self.axes])

    def _input(self, index, affine_map):
        key = (index, str(affine_map))
        for position, existing in enumerate(self.inputs):
            if existing[0] == key:
                return position
        self.inputs.append((key, affine_map))
        return len(self.inputs) - 1

    # ---- lowering ----
    def lower(self):
        plan = self._plan()
        operands = [self._storage_input(self.fusion.operands[index]) for (index, _), _ in self.inputs]
        input_maps = [m for _, m in self.inputs]
        nx_out = [nx_ops.tensor_type_of(v.type, "yielded value") for v in self.yielded]
        if self.reductions:
            out_shape = [d for i, d in enumerate(self.shape) if i not in self.axes]
            accumulators = [nx_ops.operand_types(op)[0].type.compute_type for op in self.reductions]
            inits = [self.tensor_builder.constant(REDUCTIONS[nx_ops.schema_name(op)].identity(t), out_shape, t)
                     for op, t in zip(self.reductions, accumulators)]
            out_maps = [self._output_map()] * len(inits)
            if not self._reads_every_reduced_axis():
                # linalg takes each loop's extent from an operand indexed by it (else: "indexing maps are
                # non-invertible"), and the result drops the reduced axes. When every input broadcasts along one
                # (sum(broadcast_to(m, (4, 8)) * 2, axis=1), m of shape (4, 1)), an empty tensor of the iteration
                # shape, read through the identity map and unused in the body, gives that extent; IREE keeps it in
                # the dispatch (no buffer binding). The fusion itself is sound, so nx-fuse need not split it.
                operands.append(ir.Operation.create("tensor.empty",
                                                    results=[Builder.tensor(self.shape, accumulators[0])]).result)
                input_maps.append(self._identity())
        else:
            accumulators = [t.type for t in nx_out]
            inits = [ir.Operation.create("tensor.empty", results=[Builder.tensor(self.shape, t)]).result
                     for t in accumulators]
            out_maps = [self._identity()] * len(inits)
        # Parsed as one array: parsing a single #linalg.iterator_type makes the bindings import IREE's linalg Python
        # module, which is slow to import (docs/iree.md).
        iterators = ir.Attribute.parse("[" + ", ".join(
            f"#linalg.iterator_type<{'reduction' if d in self.axes else 'parallel'}>" for d in range(self.rank)) + "]")
        generic = ir.Operation.create(
            "linalg.generic", results=[v.type for v in inits], operands=operands + inits,
            attributes={"indexing_maps": ir.ArrayAttr.get([ir.AffineMapAttr.get(m)
                                                           for m in input_maps + out_maps]),
                        "iterator_types": iterators,
                        "operandSegmentSizes": ir.DenseI32ArrayAttr.get([len(operands), len(inits)])},
            regions=1)
        element_types = [ir.RankedTensorType(v.type).element_type for v in operands + inits]
        body = generic.regions[0].blocks.append(*element_types, arg_locs=[self.fusion.location] * len(element_types))
        with ir.InsertionPoint(body):
            yielded = self._body(plan, body.arguments[:len(operands)], body.arguments[len(operands):])
            ir.Operation.create("linalg.yield", results=[], operands=yielded)
        return [self._restore(r, acc, t) for r, acc, t in zip(generic.results, accumulators, nx_out)]

    def _plan(self):
        """Where each region value comes from in the body: ("input", position) for a read of an operand (directly or
        broadcast), ("constant", value, nx type), or ("op", op) to emit."""
        plan = {}
        for i, argument in enumerate(self.arguments):
            if any(use.owner.name != "nx.broadcast" for use in argument.uses):
                if tuple(argument.type.shape) != self.shape:
                    raise _error(self.fusion, f"operand {i} of shape {list(argument.type.shape)} is used unbroadcast "
                                 f"in a fusion over {list(self.shape)}")
                plan[argument] = ("input", self._input(i, self._identity()))
        for op in self.ops:
            name = nx_ops.schema_name(op)
            if name == "constant":
                value = splat_value(op)
                if value is None:
                    raise _error(self.fusion, "only splat constants can be fused")
                plan[op.result] = ("constant", value, nx_ops.result_types(op)[0].type)
            elif name == "broadcast":
                source = op.operands[0]
                if source in plan and plan[source][0] == "constant":
                    plan[op.result] = plan[source]
                elif source in self.arguments:
                    plan[op.result] = ("input", self._input(self.arguments.index(source), self._broadcast_map(op)))
                else:
                    raise _error(self.fusion, "a fused broadcast must read an operand of the fusion or a splat "
                                 "constant")
            elif can_emit(op):
                plan[op.result] = ("op", op)
            else:
                types = ", ".join(str(t) for t in nx_ops.operand_types(op))
                raise _error(self.fusion, f"holds {op.name} on {types}, which has no scalar code")
        return plan

    def _reads_every_reduced_axis(self):
        read = {e.position for _, m in self.inputs for e in m.results if isinstance(e, ir.AffineDimExpr)}
        return set(self.axes) <= read

    def _body(self, plan, inputs, accumulators):
        b = ScalarBuilder()
        scalars = {}

        def scalar(value):
            if value not in scalars:
                source = plan[value]
                if source[0] == "input":
                    scalars[value] = inputs[source[1]]
                elif source[0] == "constant":
                    scalars[value] = b.splat(source[1], source[2])
                else:
                    raise _error(self.fusion, "uses a value before it is computed")
            return scalars[value]

        accumulators = dict(zip([op.result for op in self.reductions], accumulators))
        for op in self.ops:
            if plan[op.result][0] != "op":
                continue
            name = nx_ops.schema_name(op)
            types, out = nx_ops.operand_types(op), nx_ops.result_types(op)
            with op.location:
                if name in REDUCTIONS:
                    dtype = types[0].type.compute_type
                    value = b.convert(scalar(op.operands[0]), dtype) if dtype is not types[0].type else \
                        scalar(op.operands[0])
                    scalars[op.result] = REDUCTIONS[name].combine(b, accumulators[op.result], value, dtype)
                else:
                    node = Node(name, [scalar(v) for v in op.operands], types, out, nx_ops.read_attrs(op))
                    scalars[op.result] = SCALAR_EMITTERS[name](b, node)
        return [scalar(v) for v in self.yielded]

    def _storage_input(self, value):
        """An operand as the generic reads it: unsigned integers reinterpreted as signless."""
        tensor_type = nx_ops.tensor_type_of(value.type, "fusion operand")
        if not tensor_type.type.is_unsigned:
            return value
        return self.tensor_builder.unary("stablehlo.bitcast_convert", value, Builder.tensor(tensor_type.shape,
                                                                                           tensor_type.type))

    def _restore(self, result, accumulated, nx_type):
        """A generic result as the fusion's: rounded from the accumulator type, reshaped to keep reduced axes as
        size 1, and unsigned again."""
        b = self.tensor_builder
        if accumulated is not nx_type.type:
            result = convert(b, result, accumulated, nx_type.type)
        if tuple(b.shape(result)) != nx_type.shape:
            result = b.unary("stablehlo.reshape", result, Builder.tensor(nx_type.shape, nx_type.type))
        if nx_type.type.is_unsigned:
            result = b.unary("stablehlo.bitcast_convert", result, nx_ir.tensor_type(nx_type))
        return result
