"""What the passes that transform functions of a module share (nx-grad, nx-batch): the functions an op calls, the
innermost transform to expand next, replacing an op by a call of the function written for it, and erasing the
private functions nothing calls any more.

A transform (nx.grad, nx.value_and_grad, nx.vmap) is expanded only once its callee, through its calls, holds no other
transform, so that nested ones (a grad of a grad, a vmap of a grad, a grad of a vmap) expand innermost first: the
outer one then transforms the function written for the inner one. The functions they write, they write with
write_function."""
from iree.compiler import ir
from iree.compiler.dialects import func

from numerix.dialect import ops as nx_ops
from numerix.dialect.algebra import Term
from numerix.dialect.errors import NxValueError
from numerix.dialect.function import FunctionBuilder
from numerix.dialect.schema import Callee

GRAD_OPS = ("nx.grad", "nx.value_and_grad")
VMAP_OPS = ("nx.vmap",)
TRANSFORMS = GRAD_OPS + VMAP_OPS


def ops_named(module, *names):
    return [op for op in nx_ops.all_ops(module) if op.name in names]


def callees(op):
    """The functions an op calls: a func.call's callee, an nx op's function attributes."""
    if op.name == "func.call":
        return [ir.FlatSymbolRefAttr(op.attributes["callee"]).value]
    names = []
    for attribute in (op.attributes[key] for key in op.attributes):
        if isinstance(attribute, ir.FlatSymbolRefAttr):
            names.append(attribute.value)
        elif isinstance(attribute, ir.ArrayAttr):  # nx.switch's branches
            names += [a.value for a in attribute if isinstance(a, ir.FlatSymbolRefAttr)]
    return names


def innermost(module, names, pass_name):
    """An op among `names` whose callee reaches no transform through its calls, or None when there is none."""
    functions = nx_ops.functions(module.operation)
    holds = {}

    def holds_transform(name, visiting=()):
        if name in visiting:
            raise NxValueError(f"@{name} calls itself (through {' -> '.join(visiting)}); nx functions cannot "
                               "recurse", op=pass_name, location=nx_ops.location(functions[name]))
        if name not in holds:
            holds[name] = any(op.name in TRANSFORMS or any(holds_transform(c, visiting + (name,))
                                                           for c in callees(op) if c in functions)
                              for op in nx_ops.all_ops(functions[name]))
        return holds[name]
    for op in ops_named(module, *names):
        if not holds_transform(nx_ops.read_attrs(op)["callee"].name):
            return op
    return None


def expand_all(module, names, pass_name, expand):
    """Expands the ops among `names`, innermost first, until none is left that can be: `expand(op)` writes the
    function that replaces op, calls it instead, and returns its name. Returns the names of the functions involved
    (the callees and the functions written), for erase_uncalled."""
    named = set()
    while (op := innermost(module, names, pass_name)) is not None:
        named.add(nx_ops.read_attrs(op)["callee"].name)
        named.add(expand(op))
    return named


def interpret(module, name, inputs, step, pass_name):
    """Walks function @name with one value per argument (of any kind the caller uses), inlining the functions it
    calls: `step(op, operand values)` gives each other op's result values. Returns the values it returns."""
    function = nx_ops.functions(module.operation)[name]
    block = function.regions[0].blocks[0]
    values = dict(zip(block.arguments, inputs))
    for op in block.operations:
        op = op.operation
        operands = [values[v] for v in op.operands]
        if op.name == "func.return":
            return operands
        if op.name == "func.call":
            results = interpret(module, callees(op)[0], operands, step, pass_name)
        else:
            results = step(op, operands)
        values.update(zip(op.results, results))
    raise NxValueError(f"@{name} has no func.return", op=pass_name, location=nx_ops.location(function))


def write_function(module, name, arg_types, build):
    """Writes a private function of arg_types whose results build(builder, argument Terms) gives; returns its
    Callee."""
    builder = FunctionBuilder(module, name, private=True)
    arguments = [Term(builder.argument(t), t, builder) for t in arg_types]
    results = build(builder, arguments)
    builder.finish([t.value for t in results])
    return Callee(builder.symbol, tuple(arg_types), tuple(t.ttype for t in results))


def replace_with_call(op, name):
    with op.location, ir.InsertionPoint(op):
        call = func.CallOp([r.type for r in op.results], ir.FlatSymbolRefAttr.get(name), list(op.operands))
    for old, new in zip(op.results, call.results):
        old.replace_all_uses_with(new)
    op.erase()


def erase_uncalled(module, candidates):
    """Erases the private functions among `candidates` that nothing calls any more (a callee erased may leave
    others uncalled in turn)."""
    while True:
        functions = nx_ops.functions(module.operation)
        called = {name for op in nx_ops.all_ops(module) for name in callees(op)}
        dead = [functions[n] for n in candidates if n in functions and n not in called and
                "sym_visibility" in functions[n].attributes]
        if not dead:
            return
        for function in dead:
            function.erase()
