"""nx-grad: replaces each nx.grad / nx.value_and_grad with a call of the reverse-mode function it writes.

For an op naming @f, a new private function @f_vjp takes the op's operands. Its body replays f's ops (the forward
sweep, inlining the functions f calls), then runs the VJP table backwards from a cotangent of 1 for f's first result
(the adjoint sweep, emitted as nx ops with the location of the op each one differentiates), and returns the
gradients of the `wrt` arguments (after all of f's results, for value_and_grad). Ops are written by a
FunctionBuilder for @f_vjp, through dialect/algebra.py, so every op is checked by its schema as it is made.

Grads are expanded innermost first (an op whose callee, through its calls, holds no other grad), until none is left,
so a grad of a grad differentiates the reverse-mode function of the inner one. Then the custom_grad ops left outside
any gradient become calls of their functions, stop_grad ops give way to their operands, and the private functions
nothing calls any more are erased. nx-dce and nx-cse afterwards drop the forward work no gradient needs."""
from iree.compiler import ir
from iree.compiler.dialects import func

from numerix.dialect import algebra
from numerix.dialect import ops as nx_ops
from numerix.dialect.algebra import Term
from numerix.dialect.errors import NxValueError
from numerix.dialect.function import FunctionBuilder
from numerix.dialect.rules import vjp_rule

from .registry import register_pass
from .vjp import Step, backpropagate

GRAD_OPS = ("nx.grad", "nx.value_and_grad")


@register_pass("nx-grad")
def expand_grads(module):
    with module.context:
        named = set()
        while True:
            op = _innermost_grad(module)
            if op is None:
                break
            named.add(nx_ops.read_attrs(op)["callee"].name)
            named.add(_expand(module, op))
        for op in _ops_named(module, "nx.custom_grad"):
            attrs = nx_ops.read_attrs(op)
            named.update(attrs[key].name for key in ("callee", "forward", "backward"))
            _replace_with_call(op, attrs["callee"].name)
        for op in _ops_named(module, "nx.stop_grad"):
            op.results[0].replace_all_uses_with(op.operands[0])
            op.erase()
        _erase_uncalled(module, named)


def _ops_named(module, *names):
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


def _innermost_grad(module):
    """A grad op whose callee reaches no other grad op through its calls, or None when no grad is left."""
    functions = nx_ops.functions(module.operation)
    holds = {}

    def holds_grad(name, visiting=()):
        if name in visiting:
            raise NxValueError(f"@{name} calls itself (through {' -> '.join(visiting)}); nx functions cannot "
                               "recurse", op="nx-grad", location=nx_ops.location(functions[name]))
        if name not in holds:
            ops = nx_ops.all_ops(functions[name])
            holds[name] = any(op.name in GRAD_OPS or any(holds_grad(c, visiting + (name,)) for c in callees(op)
                                                         if c in functions) for op in ops)
        return holds[name]
    for op in _ops_named(module, *GRAD_OPS):
        if not holds_grad(nx_ops.read_attrs(op)["callee"].name):
            return op
    return None


def _expand(module, op):
    """Writes op's reverse-mode function and calls it instead; returns the function's name."""
    attrs = nx_ops.read_attrs(op)
    callee, wrt = attrs["callee"], attrs["wrt"]
    location = nx_ops.location(op)
    builder = FunctionBuilder(module, f"{callee.name}_vjp", location if location != nx_ops.UNKNOWN_LOCATION else None,
                              private=True)
    arguments = [Term(builder.argument(t), t, builder) for t in nx_ops.operand_types(op)]
    steps = []
    outputs = replay(builder, callee.name, arguments, steps)
    with builder.at(op.location):
        seed = algebra.scalar(outputs[0], 1)
    cotangents = backpropagate(steps, {outputs[0]: seed},
                               around=lambda step: builder.at(nx_ops.mlir_location(step.location)))
    with builder.at(op.location):
        gradients = [cotangents[arguments[i]] if arguments[i] in cotangents else algebra.zeros_like(arguments[i])
                     for i in wrt]
    builder.finish([t.value for t in (outputs if op.name == "nx.value_and_grad" else []) + gradients])
    _replace_with_call(op, builder.symbol)
    return builder.symbol


def replay(builder, name, arguments, steps=None):
    """Emits the ops of function @name on `arguments` (Terms) through `builder`, inlining the functions it calls;
    returns its results. With `steps`, appends each op as a Step for the adjoint sweep."""
    function = nx_ops.functions(builder.module.operation)[name]
    block = function.regions[0].blocks[0]
    values = dict(zip(block.arguments, arguments))
    for op in block.operations:
        op = op.operation
        operands = [values[v] for v in op.operands]
        if op.name == "func.return":
            return operands
        if op.name == "func.call":
            results = replay(builder, callees(op)[0], operands, steps)
        elif nx_ops.is_nx(op) and op.name not in GRAD_OPS:
            results = _replay_nx(builder, op, operands, steps)
        else:
            raise NxValueError(f"cannot differentiate through {op.name}: nx-grad differentiates nx ops (each by its "
                               "VJP rule) and calls of functions made of them", op="nx-grad",
                               location=nx_ops.location(op))
        values.update(zip(op.results, results))
    raise NxValueError(f"@{name} has no func.return", op="nx-grad", location=nx_ops.location(function))


def _replay_nx(builder, op, operands, steps):
    name = nx_ops.schema_name(op)
    attrs = nx_ops.read_attrs(op)
    with builder.at(op.location):
        if name == "custom_grad":
            # The forward function's ops are not differentiated: the step's rule runs the user's backward one.
            # Fresh Terms for the results, so that the step's cotangents stay apart from its operands' even
            # where the forward function returns an argument as it is.
            recorded = [Term(t.value, t.ttype, builder) for t in replay(builder, attrs["forward"].name, operands)]
            results = recorded[:len(op.results)]
        else:
            out = algebra.emit(builder, name, operands, attrs)
            results = recorded = list(out) if isinstance(out, tuple) else [out]
    if steps is not None:
        location = nx_ops.location(op)
        steps.append(Step(name, tuple(operands), tuple(recorded), attrs,
                          None if location == nx_ops.UNKNOWN_LOCATION else location))
    return results


@vjp_rule("custom_grad")
def _custom_grad(cotangents, operands, results, callee, forward, backward):
    # The step's results are the function's, then the forward function's residuals (see _replay_nx).
    count = len(callee.results)
    outputs, residuals = results[:count], results[count:]
    filled = [c if c is not None else algebra.zeros_like(o) for c, o in zip(cotangents, outputs)]
    return replay(outputs[0].emitter, backward.name, list(residuals) + filled)


def _replace_with_call(op, name):
    with op.location, ir.InsertionPoint(op):
        call = func.CallOp([r.type for r in op.results], ir.FlatSymbolRefAttr.get(name), list(op.operands))
    for old, new in zip(op.results, call.results):
        old.replace_all_uses_with(new)
    op.erase()


def _erase_uncalled(module, candidates):
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
