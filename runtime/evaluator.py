"""The reference evaluator, compiler "evaluator": interprets an nx-dialect module op by op with the NumPy backend's
rules, as Nx.Defn.Evaluator does. It has no per-op code: any op with a schema and a NumPy rule runs, and calls to
other functions of the module (func.call, which the grad pass emits) run their callee the same way, and an
nx.fusion (nx-fuse's) runs the ops of its region. The ops of control flow, which call functions of the module,
run as Python conditionals and loops over them (CONTROL)."""
import numpy as np
from iree.compiler import ir

from numerix.dialect import ops as nx_ops
from numerix.dialect.errors import NxTypeError, NxValueError
from numerix.dialect.rules import NUMPY, run_numpy


class Evaluator:
    name = "evaluator"

    def compile(self, module, entry, options):
        if options:
            raise NxValueError(f"the evaluator takes no options, got {sorted(options)}", op="evaluator")
        functions = nx_ops.functions(module.operation)
        if entry not in functions:
            raise NxValueError(f"no function @{entry} in the module; it has {sorted(functions)}", op="evaluator")
        return _Decoder(functions).function(entry, calling=())


class _Decoder:
    """Decodes each function of a module once (a callee called twice is decoded once)."""

    def __init__(self, functions):
        self.functions = functions
        self.decoded = {}

    def function(self, name, calling):
        if name in calling:
            raise NxValueError(f"@{name} calls itself (through {' -> '.join(calling)}); nx functions cannot recurse",
                               op="evaluator")
        if name not in self.decoded:
            self.decoded[name] = _Function(self, self.functions[name], name, calling + (name,))
        return self.decoded[name]

    def step(self, op, calling):
        """fn(arrays) -> tuple of arrays, running one op."""
        if op.name == "nx.fusion":  # the fused ops of its region, run on its operands
            return _Block(self, op.regions[0].blocks[0], calling, terminator="nx.yield").run
        if nx_ops.is_nx(op) and nx_ops.schema_name(op) in CONTROL:
            attrs = nx_ops.read_attrs(op)
            return CONTROL[nx_ops.schema_name(op)](lambda callee: self.function(callee.name, calling), attrs)
        if nx_ops.is_nx(op):
            name = nx_ops.schema_name(op)
            if len(op.regions):
                raise NxValueError(f"cannot run {op.name}: it holds a region", op="evaluator",
                                   location=nx_ops.location(op))
            if name not in NUMPY:
                raise NxValueError(f"{op.name} has no NumPy rule", op="evaluator", location=nx_ops.location(op))
            attrs = nx_ops.read_attrs(op)
            for value in attrs.values():
                if isinstance(value, np.ndarray):
                    value.flags.writeable = False  # results may alias constants; keep them intact
            out_types = nx_ops.result_types(op)
            return lambda arrays: run_numpy(name, arrays, attrs, out_types)
        if op.name == "func.call":
            callee = ir.FlatSymbolRefAttr(op.attributes["callee"]).value
            if callee not in self.functions:
                raise NxValueError(f"call to unknown function @{callee}", op="evaluator", location=nx_ops.location(op))
            function = self.function(callee, calling)
            return lambda arrays: function(*arrays)
        raise NxValueError(f"cannot run {op.name}: the evaluator runs nx ops and func.call", op="evaluator",
                           location=nx_ops.location(op))


def _switch(function, attrs):
    branches = [function(c) for c in attrs["branches"]]

    def run(arrays):
        index = int(np.clip(arrays[0], 0, len(branches) - 1))  # clamped into range, as lax.switch does
        return branches[index](*arrays[1:])
    return run


def _while(function, attrs):
    cond, body, carried = function(attrs["cond"]), function(attrs["body"]), attrs["carried"]

    def run(arrays):
        state, captures = tuple(arrays[:carried]), tuple(arrays[carried:])
        while bool(cond(*state, *captures)[0]):
            state = body(*state, *captures)
        return state
    return run


# control-flow op -> step(function of a Callee, its decoded attributes): fn(arrays) -> tuple of arrays
CONTROL = {"switch": _switch, "while": _while}


class _Block:
    """A block's ops as steps over numbered value slots (the block's arguments first), up to its terminator, so a
    run touches no MLIR objects."""

    def __init__(self, decoder, block, calling, terminator):
        slots = {arg: i for i, arg in enumerate(block.arguments)}
        self.steps = []
        for op in block.operations:
            op = op.operation
            if op.name == terminator:
                self.results = [slots[v] for v in op.operands]
                break
            step = decoder.step(op, calling)
            outputs = list(range(len(slots), len(slots) + len(op.results)))
            self.steps.append((step, [slots[v] for v in op.operands], outputs))
            slots.update(zip(op.results, outputs))
        self.slot_count = len(slots)

    def run(self, arrays):
        values = [None] * self.slot_count
        values[:len(arrays)] = arrays
        for step, operands, outputs in self.steps:
            for slot, value in zip(outputs, step([values[s] for s in operands])):
                values[slot] = value
        return tuple(values[s] for s in self.results)


class _Function:
    """One func.func, decoded once."""

    def __init__(self, decoder, func, name, calling):
        if len(func.regions[0].blocks) != 1:
            raise NxValueError(f"@{name} has {len(func.regions[0].blocks)} blocks; the evaluator runs functions of "
                               "one block", op="evaluator", location=nx_ops.location(func))
        block = func.regions[0].blocks[0]
        self.name = name
        self.arg_types = [nx_ops.tensor_type_of(a.type, f"argument {i} of @{name}")
                          for i, a in enumerate(block.arguments)]
        self.body = _Block(decoder, block, calling, terminator="func.return")

    def __call__(self, *arrays):
        if len(arrays) != len(self.arg_types):
            raise NxValueError(f"@{self.name} takes {len(self.arg_types)} arrays, got {len(arrays)}", op="evaluator")
        checked = []
        for i, (array, want) in enumerate(zip(arrays, self.arg_types)):
            array = np.asarray(array)
            if array.shape != want.shape or array.dtype != want.type.np:
                raise NxTypeError(f"argument {i} of @{self.name} is {array.dtype}{list(array.shape)}; expects "
                                  f"{want}", op="evaluator")
            checked.append(array)
        return self.body.run(checked)
