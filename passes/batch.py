"""nx-batch: replaces each nx.vmap with a call of the batched function it writes.

For an op naming @f, a new private function @f_batched takes the op's operands and moves each batch axis to the
front. Its body replays f's ops (inlining the functions f calls): an op with no batched operand as it is, any other
by its batching rule (dialect/batching.py, the BATCH table), so the batched program runs batched kernels, never a
loop over the batch. Results get the batch axis where out_axes asks (broadcast, for a result that does not depend
on the batched operands).

The ops that call functions batch them: nx.switch and nx.while here (a batched branch index computes every branch and
selects; a batched loop condition runs while any example's holds, and the examples that are done keep their values),
nx.custom_grad by batching its three functions. vmaps are expanded innermost first (passes/calls.py); one whose
callee holds a grad is left to nx-grad, which expands both kinds in nesting order."""
from numerix.dialect import algebra
from numerix.dialect import ops as nx_ops
from numerix.dialect.algebra import Term
from numerix.dialect.batching import batch_size, move_axis, with_batch
from numerix.dialect.errors import NxValueError
from numerix.dialect.function import FunctionBuilder
from numerix.dialect.rules import BATCH, batch_rule
from numerix.dialect.schema import TensorType

from .calls import VMAP_OPS, erase_uncalled, expand_all, interpret, replace_with_call, write_function
from .registry import register_pass


@register_pass("nx-batch")
def expand_vmaps(module):
    with module.context:
        erase_uncalled(module, expand_all(module, VMAP_OPS, "nx-batch", lambda op: expand(module, op)))


def expand(module, op):
    """Writes op's batched function and calls it instead; returns the function's name."""
    attrs = nx_ops.read_attrs(op)
    callee, in_axes, out_axes = attrs["callee"], attrs["in_axes"], attrs["out_axes"]
    location = nx_ops.location(op)
    builder = FunctionBuilder(module, f"{callee.name}_batched",
                              location if location != nx_ops.UNKNOWN_LOCATION else None, private=True)
    arguments = [Term(builder.argument(t), t, builder) for t in nx_ops.operand_types(op)]
    with builder.at(op.location):
        fronted = [move_axis(a, axis, 0) if axis >= 0 else a for a, axis in zip(arguments, in_axes)]
    batched = [axis >= 0 for axis in in_axes]
    size = batch_size(fronted, batched)
    results, flags = batch_call(builder, callee.name, fronted, batched)
    outputs = []
    with builder.at(op.location):
        for j, (result, flag, axis) in enumerate(zip(results, flags, out_axes)):
            if axis == -1:
                if flag:
                    raise NxValueError(f"result {j} of @{callee.name} ({callee.results[j]} per example) depends on the "
                                       "batched arguments, but its out_axes is None", op="vmap", location=location)
                outputs.append(result)
            else:
                outputs.append(move_axis(result if flag else with_batch(result, size), 0, axis))
    builder.finish([t.value for t in outputs])
    replace_with_call(op, builder.symbol)
    return builder.symbol


def batch_call(builder, name, operands, batched):
    """Emits the ops of function @name through `builder` on `operands` (Terms; those flagged in `batched` carry the
    batch axis first), inlining the functions it calls; returns its results and which of them are batched."""
    def step(op, pairs):
        if not nx_ops.is_nx(op):
            raise NxValueError(f"cannot batch {op.name}: nx-batch batches nx ops and calls of functions made of them",
                               op="nx-batch", location=nx_ops.location(op))
        terms, flags = [t for t, _ in pairs], [f for _, f in pairs]
        return [(r, any(flags)) for r in _batch_op(builder, op, terms, flags)]
    out = interpret(builder.module, name, list(zip(operands, batched)), step, "nx-batch")
    return [t for t, _ in out], [f for _, f in out]


def _batch_op(builder, op, terms, flags):
    name = nx_ops.schema_name(op)
    attrs = nx_ops.read_attrs(op)
    with builder.at(op.location):
        if not any(flags):
            out = algebra.emit(builder, name, terms, attrs)
        elif name in BATCH:
            out = BATCH[name](terms, flags, **attrs)
        else:
            raise NxValueError(f"nx.{name} has no batching rule", op="nx-batch", location=nx_ops.location(op))
    return list(out) if isinstance(out, tuple) else [out]


def batched_results(module, name, batched):
    """Which results of function @name are batched when the arguments flagged in `batched` are, as batch_call
    would give them (a rule batches every result of an op with a batched operand), without writing anything."""
    return interpret(module, name, batched, lambda op, flags: [any(flags)] * len(op.results), "nx-batch")


def batch_function(module, callee, batched, size, batched_out=None):
    """Writes @callee batched as a new private function: its arguments flagged in `batched` get a leading batch axis
    of `size`, and so do the results flagged in `batched_out` (all of them by default). Returns its Callee."""
    def build(builder, arguments):
        results, flags = batch_call(builder, callee.name, arguments, batched)
        wanted = [True] * len(results) if batched_out is None else batched_out
        outputs = []
        for result, flag, want in zip(results, flags, wanted):
            if flag and not want:
                raise NxValueError(f"@{callee.name}'s result {result.ttype} is batched where it may not be",
                                   op="nx-batch")
            outputs.append(with_batch(result, size) if want and not flag else result)
        return outputs
    arg_types = [_with_axis(t, size) if b else t for t, b in zip(callee.inputs, batched)]
    return write_function(module, f"{callee.name}_batched", arg_types, build)


def _with_axis(ttype, size):
    return TensorType((size,) + ttype.shape, ttype.type, (None,) + ttype.names)


@batch_rule("switch")
def _switch(operands, batched, branches):
    index, arguments = operands[0], list(operands[1:])
    module = index.emitter.module
    size = batch_size(operands, batched)
    if not batched[0]:
        # The same branch for every example: each branch batched, its results all with the batch axis.
        batched_branches = tuple(batch_function(module, b, batched[1:], size) for b in branches)
        return algebra.emit(index.emitter, "switch", [index] + arguments, {"branches": batched_branches})
    # A branch per example: every branch runs on the whole batch, and each example takes its own branch's results
    # (the index clamped into range, as nx.switch clamps it).
    outcomes = [batch_call(index.emitter, b.name, arguments, batched[1:]) for b in branches]
    low, high = (algebra.full_like(index, bound) for bound in (0, len(branches) - 1))
    chosen = algebra.apply("max", [algebra.apply("min", [index, high]), low])
    results = []
    for j in range(len(branches[0].results)):
        value = None
        for k, (outs, flags) in enumerate(outcomes):
            out = outs[j] if flags[j] else with_batch(outs[j], size)
            if value is None:
                value = out
            else:
                taken = chosen == algebra.scalar(chosen, k)
                value = algebra.select(algebra.apply("broadcast", [taken], shape=out.shape, axes=(0,)), out, value)
        results.append(value)
    return tuple(results)


@batch_rule("while")
def _while(operands, batched, cond, body, carried, trips):
    module = operands[0].emitter.module
    size = batch_size(operands, batched)
    captures = list(batched[carried:])
    state = list(batched[:carried])
    while True:  # the carried values that become batched: a fixed point of the body
        grown = [s or b for s, b in zip(state, batched_results(module, body.name, state + captures))]
        if grown == state:
            break
        state = grown
    (lanes,) = batched_results(module, cond.name, state + captures)
    if lanes:
        state = [True] * carried
    flags = state + captures
    inputs = [x if b or not f else with_batch(x, size) for x, b, f in zip(operands, batched, flags)]
    if not lanes:
        new_cond = batch_function(module, cond, flags, size, [False])
        new_body = batch_function(module, body, flags, size, state)
    else:
        new_cond, new_body = _lanes_loop(module, cond, body, flags, size, carried)
    out = algebra.emit(operands[0].emitter, "while", inputs,
                       {"cond": new_cond, "body": new_body, "carried": carried, "trips": trips})
    return tuple(r if f else with_batch(r, size) for r, f in zip(out, state))


def _lanes_loop(module, cond, body, flags, size, carried):
    """The condition and body of a loop whose examples finish at different trips: it runs while any example's
    condition holds, and an example whose condition no longer holds keeps its carried values."""
    arg_types = [_with_axis(t, size) if b else t for t, b in zip(cond.inputs, flags)]

    def running(builder, arguments):
        (holds,), _ = batch_call(builder, cond.name, arguments, flags)
        return holds

    def any_running(builder, arguments):
        return [algebra.apply("any", [running(builder, arguments)], axes=(0,), keep_axes=False)]

    def step(builder, arguments):
        holds = running(builder, arguments)
        new, new_flags = batch_call(builder, body.name, arguments, flags)
        out = []
        for old, value, flag in zip(arguments[:carried], new, new_flags):
            value = value if flag else with_batch(value, size)
            out.append(algebra.select(algebra.apply("broadcast", [holds], shape=value.shape, axes=(0,)), value, old))
        return out
    return (write_function(module, f"{cond.name}_batched", arg_types, any_running),
            write_function(module, f"{body.name}_batched", arg_types, step))


@batch_rule("custom_grad")
def _custom_grad(operands, batched, callee, forward, backward):
    # Every operand and result batched, so that the three functions agree on which values carry the batch axis.
    module = operands[0].emitter.module
    size = batch_size(operands, batched)
    inputs = [x if b else with_batch(x, size) for x, b in zip(operands, batched)]
    everything = [True] * len(operands)
    functions = {"callee": batch_function(module, callee, everything, size),
                 "forward": batch_function(module, forward, everything, size),
                 "backward": batch_function(module, backward, [True] * len(backward.inputs), size)}
    return algebra.emit(operands[0].emitter, "custom_grad", inputs, functions)

