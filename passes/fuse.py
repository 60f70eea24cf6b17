"""nx-fuse: groups producer/consumer chains of elementwise nx ops into nx.fusion ops (dialect/fusion.py), which
nx-fusion-to-linalg lowers into one linalg.generic each.

What fuses: the elementwise ops that have scalar code for their types, on real values (nx-fuse asks
passes/fusion_to_linalg.py's `can_emit`); the broadcasts that feed them (read through an indexing map, never
materialised) and splat constants (a scalar in the body), both copied into every fusion that reads them; and a
reduction that ends a chain (one generic with reduction loops).

Where a chain stops: a value is materialised, and so ends its fusion as that fusion's result, when an op that does
not fuse uses it (a dot, a func.return, a call), when a broadcast reads it (the broadcast's operand is an input of
the generic), or when fusions that do not contain each other use it. In that last case a cheap op that reads one
tensor of its own size (a conversion, a negation, x * 2, x - max(x) with the max broadcast, ...) is instead computed
again in each fusion: that costs an ALU op per element and saves writing the value and reading it back. Ops are
visited consumers first, so each op joins the fusions of its users; a reduction always starts its own fusion (its
result is complete only after the loop).

How large a fusion grows: its generic becomes one IREE dispatch with a buffer binding per tensor it reads or writes,
and IREE refuses a dispatch of more than 32 (fusion_to_linalg.py's MAX_BINDINGS). An op that would take its fusion
past that, or past MAX_OPS ops (fusion_to_linalg.py says why), starts a fusion of its own instead, so a long chain
becomes several fusions, filled from its end."""
import math

from iree.compiler import ir

from numerix.dialect import fusion as nx_fusion
from numerix.dialect import ops as nx_ops
from numerix.dialect.rules import FUSION

from .fusion_to_linalg import MAX_BINDINGS, MAX_OPS, SCALAR_EMITTERS, can_emit, splat_value
from .registry import register_pass


@register_pass("nx-fuse")
def fuse(module):
    with module.context:
        for function in nx_ops.functions(module.operation).values():
            for block in function.regions[0].blocks:
                _Fuser(block).run()
    return module


def _elements(value):
    return math.prod(ir.RankedTensorType(value.type).shape)


def _users(op):
    return [use.owner.operation for result in op.results for use in result.uses]


class _Fuser:
    def __init__(self, block):
        self.ops = [o.operation for o in block.operations]
        self.position = {op: i for i, op in enumerate(self.ops)}
        self.kind = {op: self._kind(op) for op in self.ops}
        self.groups = []  # root op of each fusion
        self.member_of = {}  # computing op -> indices of the fusions that compute it
        self.reads = []  # the tensors each fusion reads (its generic's inputs: bindings, with its results)
        self.sizes = []  # the ops each fusion computes

    @staticmethod
    def _kind(op):
        if not nx_ops.is_nx(op) or len(op.regions):
            return None
        name = nx_ops.schema_name(op)
        if name == "constant":
            return "constant" if splat_value(op) is not None else None
        if name == "broadcast":
            return "broadcast"
        if not can_emit(op):
            return None
        return "reduction" if FUSION.get(name) == "reduction" else "elementwise" if name in SCALAR_EMITTERS else None

    def run(self):
        for op in reversed(self.ops):
            if self.kind[op] == "reduction":
                self._new_group(op)
            elif self.kind[op] == "elementwise":
                self._place(op)
        # Everything is planned before the IR changes: an Operation's hash changes with its operands, so ops cannot
        # be looked up once uses are replaced.
        plans = []
        for g in sorted(range(len(self.groups)), key=lambda g: self.position[self.groups[g]]):
            members = sorted((op for op, gs in self.member_of.items() if g in gs), key=self.position.get)
            pulled, inputs = self._inputs(members)
            if self._worth_building(members, inputs):
                plans.append((self.groups[g], sorted(members + pulled, key=self.position.get), inputs))
        doomed = sorted({op for _, region_ops, _ in plans for op in region_ops}, key=self.position.get, reverse=True)
        replaced = {}
        for root, region_ops, inputs in plans:
            fusion = _build(root, region_ops, inputs, [replaced.get(v, v) for v in inputs])
            replaced.update(zip(root.results, fusion.results))
        for old, new in replaced.items():
            old.replace_all_uses_with(new)
        for op in doomed:  # consumers first, so whole chains go; ops still used outside fusions stay
            if not _users(op):
                op.erase()

    def _place(self, op):
        """Joins the fusions of op's users, or starts a fusion whose result op's value is."""
        groups = set()
        for user in _users(op):
            if user not in self.member_of:  # no fusion computes the user: op's value must exist as a tensor
                self._new_group(op)
                return
            groups |= self.member_of[user]
        if len(groups) == 1 or groups and self._cheap_to_repeat(op):
            # Joining, op's value is computed inside instead of read, and what op reads is read. (No member makes a
            # value op reads: ops join consumers first.)
            grown = {g: self.reads[g] - set(op.results) | self._reads(op) for g in groups}
            if all(len(reads) + len(self.groups[g].results) <= MAX_BINDINGS and self.sizes[g] < MAX_OPS
                   for g, reads in grown.items()):
                self.member_of[op] = groups
                for g, reads in grown.items():
                    self.reads[g] = reads
                    self.sizes[g] += 1
                return
        self._new_group(op)

    def _new_group(self, op):
        self.groups.append(op)
        self.member_of[op] = {len(self.groups) - 1}
        self.reads.append(self._reads(op))
        self.sizes.append(1)

    def _reads(self, op):
        """The tensors op makes its fusion read: its operands, seen through the splat constants (no tensor) and
        broadcasts (their operand) that are copied in beside it."""
        reads, pending = set(), [(v, True) for v in op.operands]
        while pending:
            value, outer = pending.pop()
            producer = nx_ops.defining_op(value)
            kind = self.kind.get(producer)
            if kind == "broadcast" and outer:
                pending.append((producer.operands[0], False))
            elif kind != "constant":
                reads.add(value)
        return reads

    def _cheap_to_repeat(self, op):
        """A cheap op that reads at most one tensor of its own size: its other operands are splat constants or
        broadcasts of smaller tensors, read through an indexing map."""
        full_size = [v for v in op.operands if not self._small_read(v)]
        return FUSION.get(nx_ops.schema_name(op)) == "cheap" and len(full_size) <= 1

    def _small_read(self, value):
        producer = nx_ops.defining_op(value)
        kind = self.kind.get(producer)
        return kind == "constant" or kind == "broadcast" and _elements(producer.operands[0]) < _elements(value)

    def _worth_building(self, members, inputs):
        """A fusion computes at least one elementwise op (a reduction alone is nx-to-stablehlo's) and reads at least
        one tensor (a chain of constants is nx-fold's)."""
        return any(self.kind[op] == "elementwise" for op in members) and bool(inputs)

    def _inputs(self, members):
        """The ops copied in beside the members (broadcasts and splat constants they read) and the external values,
        in first-use order."""
        inside = set(members)
        pulled, inputs = [], []

        def read(value, outer=True):
            # A broadcast read by a member is copied in (read through an indexing map over the fusion's shape); one
            # that a copied broadcast reads is not (its shape is not the fusion's): its result is an input.
            producer = nx_ops.defining_op(value)
            if producer in inside:
                return
            kind = self.kind.get(producer)
            if kind == "constant" or kind == "broadcast" and outer:
                inside.add(producer)
                pulled.append(producer)
                if kind == "broadcast":
                    read(producer.operands[0], outer=False)
            elif value not in inputs:
                inputs.append(value)

        for op in members:
            for value in op.operands:
                read(value)
        return pulled, inputs


def _build(root, region_ops, inputs, operands):
    """An nx.fusion before `root` holding copies of `region_ops`, reading `inputs` (as `operands`: inputs that other
    fusions replace are those fusions' results) and yielding root's results."""
    with root.location:
        fusion = _create(nx_fusion.FUSION, root.results, operands, {}, root, regions=1)
        block = fusion.regions[0].blocks.append(*[v.type for v in inputs], arg_locs=[root.location] * len(inputs))
        inner = dict(zip(inputs, block.arguments))
        for op in region_ops:
            clone = _create(op.name, op.results, [inner[v] for v in op.operands],
                            {name: op.attributes[name] for name in op.attributes}, block, location=op.location)
            inner.update(zip(op.results, clone.results))
        _create(nx_fusion.YIELD, [], [inner[r] for r in root.results], {}, block)
    return fusion


def _create(name, results, operands, attributes, where, regions=0, location=None):
    """An op at the end of block `where`, or just before op `where`, with the types of `results`."""
    with ir.InsertionPoint(where):
        return ir.Operation.create(name, results=[r.type for r in results], operands=list(operands),
                                   attributes=attributes, regions=regions, loc=location)
