"""nx-grad: replaces each nx.grad / nx.value_and_grad with a call of the reverse-mode function it writes.

For an op naming @f, a new private function @f_vjp takes the op's operands. Its body replays f's ops (the forward
sweep, inlining the functions f calls), then runs the VJP table backwards from a cotangent of 1 for f's first result
(the adjoint sweep, emitted as nx ops with the location of the op each one differentiates), and returns the
gradients of the `wrt` arguments (after all of f's results, for value_and_grad). Ops are written by a
FunctionBuilder for @f_vjp, through dialect/algebra.py, so every op is checked by its schema as it is made.

Grads are expanded innermost first (passes/calls.py), until none is left, so a grad of a grad differentiates the
reverse-mode function of the inner one; a vmap nested with grads (a vmap of a grad, a grad of a vmap) is expanded
in that order too, by nx-batch's rule. Then the custom_grad ops left outside
any gradient become calls of their functions, stop_grad ops give way to their operands, and the private functions
nothing calls any more are erased. nx-dce and nx-cse afterwards drop the forward work no gradient needs."""
from numerix.dialect import algebra, dtypes
from numerix.dialect import ops as nx_ops
from numerix.dialect.algebra import Term
from numerix.dialect.errors import NxValueError
from numerix.dialect.function import FunctionBuilder
from numerix.dialect.rules import vjp_rule
from numerix.dialect.schema import TensorType

from . import batch
from .calls import (GRAD_OPS, TRANSFORMS, erase_uncalled, expand_all, interpret, ops_named, replace_with_call,
                    write_function)
from .registry import register_pass
from .vjp import Step, backpropagate


@register_pass("nx-grad")
def expand_grads(module):
    with module.context:
        named = expand_all(module, TRANSFORMS, "nx-grad",
                           lambda op: _expand(module, op) if op.name in GRAD_OPS else batch.expand(module, op))
        for op in ops_named(module, "nx.custom_grad"):
            attrs = nx_ops.read_attrs(op)
            named.update(attrs[key].name for key in ("callee", "forward", "backward"))
            replace_with_call(op, attrs["callee"].name)
        for op in ops_named(module, "nx.stop_grad"):
            op.results[0].replace_all_uses_with(op.operands[0])
            op.erase()
        erase_uncalled(module, named)


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
    replace_with_call(op, builder.symbol)
    return builder.symbol


def replay(builder, name, arguments, steps=None):
    """Emits the ops of function @name on `arguments` (Terms) through `builder`, inlining the functions it calls;
    returns its results. With `steps`, appends each op as a Step for the adjoint sweep."""
    def step(op, operands):
        if not nx_ops.is_nx(op) or op.name in GRAD_OPS:
            raise NxValueError(f"cannot differentiate through {op.name}: nx-grad differentiates nx ops (each by its "
                               "VJP rule) and calls of functions made of them", op="nx-grad",
                               location=nx_ops.location(op))
        return _replay_nx(builder, op, operands, steps)
    return interpret(builder.module, name, arguments, step, "nx-grad")


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


# ---- control flow: the VJPs of nx.switch and nx.while write functions, so they are the pass's too ----

def _function_vjp(module, callee):
    """@callee's VJP as a function: it takes callee's arguments, then one cotangent per inexact result, and returns
    one cotangent per inexact argument (zeros where none reaches it), replaying callee's ops forward first."""
    inexact = [t for t in callee.results if t.type.is_inexact]

    def build(builder, terms):
        arguments, incoming = terms[:len(callee.inputs)], terms[len(callee.inputs):]
        steps = []
        outputs = replay(builder, callee.name, arguments, steps)
        seeds = {}
        for output, cotangent in zip([o for o in outputs if o.type.is_inexact], incoming):
            seeds[output] = seeds[output] + cotangent if output in seeds else cotangent
        cotangents = backpropagate(steps, seeds)
        return [cotangents.get(a) or algebra.zeros_like(a) for a in arguments if a.type.is_inexact]
    return write_function(module, f"{callee.name}_vjp", list(callee.inputs) + inexact, build)


def _filled(cotangents, results):
    return [c if c is not None else algebra.zeros_like(r) for c, r in zip(cotangents, results) if r.type.is_inexact]


def _spread(cotangents, operands):
    """One cotangent per operand from those of the inexact ones, in order (None for the rest)."""
    it = iter(cotangents)
    return [next(it) if x.type.is_inexact else None for x in operands]


@vjp_rule("switch")
def _switch(cotangents, operands, results, branches):
    # The taken branch's VJP: a switch on the same index over the branches' VJP functions.
    builder = operands[0].emitter
    vjps = tuple(_function_vjp(builder.module, branch) for branch in branches)
    outgoing = algebra.emit(builder, "switch", list(operands) + _filled(cotangents, results), {"branches": vjps})
    return [None] + _spread(outgoing, operands[1:])


@vjp_rule("while")
def _while(cotangents, operands, results, cond, body, carried, trips):
    """Exact for any body. The forward loop runs again, counting its trips T, and, where the op bounds its trips
    (`trips` >= 0: fori_loop and scan know them), storing the carried values before each trip in buffers of that
    many rows. Then for j from T - 1 down to 0 the body's VJP is applied to the carried values before trip j: read
    back from the buffers, or recomputed from the initial ones (j trips of the body: T^2 / 2 in all) where the trip
    count is only known at run time. Cotangents of the captured values add up over the trips."""
    builder = operands[0].emitter
    module = builder.module
    state, captures = list(operands[:carried]), list(operands[carried:])
    state_types, capture_types = [t.ttype for t in state], [t.ttype for t in captures]
    s64 = TensorType.of((), dtypes.s64)
    one = algebra.scalar(operands[0], 1, dtypes.s64)

    def looped(name, types, build):
        """A loop function of (state..., m, extra of `types`..., captures...)."""
        def split(b, terms):
            return build(b, terms[:carried], terms[carried], terms[carried + 1:len(terms) - len(captures)],
                         terms[len(terms) - len(captures):])
        return write_function(module, name, state_types + [s64] + list(types) + capture_types, split)

    def trip(b, s, m, captures_):
        return replay(b, body.name, s + captures_) + [m + algebra.scalar(m, 1)]

    # The forward loop again, counting its trips (and storing each trip's carried values where it can).
    stored = trips >= 0
    buffer_types = [TensorType.of((trips,) + t.shape, t.type) for t in state_types] if stored else []
    # (buffers written row by row; zeros, though any values would do)
    buffers = [algebra.broadcast_to(algebra.scalar(one, 0, t.type), t.shape) for t in buffer_types]
    again_cond = looped(f"{cond.name}_again", buffer_types, lambda b, s, m, e, c: replay(b, cond.name, s + c))
    again_body = looped(f"{body.name}_again", buffer_types,
                        lambda b, s, m, e, c: trip(b, s, m, c) + [_store(k, v, m) for k, v in zip(e, s)])
    again = algebra.emit(builder, "while", state + [algebra.scalar(one, 0)] + buffers + captures,
                         {"cond": again_cond, "body": again_body, "carried": carried + 1 + len(buffers),
                          "trips": trips})
    count, buffers = again[carried], list(again[carried + 1:])
    memory = buffers if stored else state  # what the backward loop reads the carried values before trip j from
    if not stored:
        upto_cond = looped(f"{body.name}_upto_cond", [s64], lambda b, s, m, e, c: [_less(m, e[0])])
        upto_body = looped(f"{body.name}_upto", [s64], lambda b, s, m, e, c: trip(b, s, m, c) + [e[0]])

    def before(b, j, memory_, captures_):
        if stored:
            return [_load(k, j) for k in memory_]
        return list(algebra.emit(b, "while", memory_ + [algebra.scalar(j, 0), j] + captures_,
                                 {"cond": upto_cond, "body": upto_body, "carried": carried + 2,
                                  "trips": -1})[:carried])

    body_vjp = _function_vjp(module, body)
    n_state = sum(1 for t in state_types if t.type.is_inexact)
    loop_types = [s64] + [t for t in state_types + capture_types if t.type.is_inexact]
    memory_types = [t.ttype for t in memory]

    def backward(b, terms):
        j, ct_state, ct_caps = terms[0], terms[1:1 + n_state], terms[1 + n_state:len(loop_types)]
        memory_ = terms[len(loop_types):len(loop_types) + len(memory)]
        captures_ = terms[len(loop_types) + len(memory):]
        through = replay(b, body_vjp.name, before(b, j, memory_, captures_) + captures_ + ct_state)
        return [j - algebra.scalar(j, 1)] + through[:n_state] + [a + c for a, c in zip(ct_caps, through[n_state:])]

    arguments = loop_types + memory_types + capture_types
    back_cond = write_function(module, f"{body.name}_back_cond", arguments,
                          lambda b, terms: [_less(algebra.scalar(terms[0], -1), terms[0])])
    back_body = write_function(module, f"{body.name}_back", arguments, backward)
    zeros = [algebra.zeros_like(x) for x in captures if x.type.is_inexact]
    final = algebra.emit(builder, "while", [count - one] + _filled(cotangents, results) + zeros + memory + captures,
                         {"cond": back_cond, "body": back_body, "carried": len(loop_types), "trips": trips})
    return _spread(final[1:1 + n_state], state) + _spread(final[1 + n_state:], captures)


def _store(buffer, value, m):
    """buffer with row m set to value (m an s64 scalar Term)."""
    zero = algebra.scalar(m, 0)
    update = algebra.reshape(value, (1,) + value.shape)
    return algebra.emit(m.emitter, "put_slice", [buffer, update, m] + [zero] * value.ndim, {})


def _load(buffer, j):
    """Row j of buffer (j an s64 scalar Term)."""
    rank = buffer.ndim
    return algebra.emit(j.emitter, "gather", [buffer, algebra.reshape(j, (1,))],
                        {"offset_dims": tuple(range(rank - 1)), "collapsed_slice_dims": (0,), "start_index_map": (0,),
                         "index_vector_dim": 0, "slice_sizes": (1,) + buffer.shape[1:]})


def _less(x, y):
    return algebra.emit(x.emitter, "less", [x, y], {})

