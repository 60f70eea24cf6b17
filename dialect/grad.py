"""The nx ops of differentiation.

nx.grad and nx.value_and_grad name a function of the module (`callee`) and take its arguments; `wrt` lists the
arguments to differentiate. The callee's first result is the real scalar differentiated; value_and_grad gives all
the callee's results (the value, then any auxiliary ones), then one gradient per `wrt` argument, grad only the
gradients. The nx-grad pass replaces both with calls of the reverse-mode functions it writes.

nx.custom_grad calls a function whose gradient the user wrote (JAX's custom_vjp): see its inference rule below. Its
VJP runs those functions, so it is the nx-grad pass's (passes/grad.py); lowered outside differentiation, it calls its
callee. nx.stop_grad is the identity with a zero gradient."""

from . import batching
from .errors import NxTypeError, NxValueError
from .rules import define
from .schema import SCHEMAS


def _check_call(op, types, callee, wrt):
    """Checks the operands against the callee's arguments and `wrt`; returns the gradients' types."""
    got = [(t.shape, t.type) for t in types]
    want = [(t.shape, t.type) for t in callee.inputs]
    if got != want:
        raise NxTypeError(f"operands ({', '.join(str(t) for t in types)}) do not match the arguments of @{callee.name} "
                          f"({', '.join(str(t) for t in callee.inputs)})", op=op)
    if not wrt or list(wrt) != sorted(set(wrt)) or not all(0 <= i < len(types) for i in wrt):
        raise NxValueError(f"wrt {list(wrt)} must list increasing, distinct argument indices of @{callee.name} "
                           f"(0 to {len(types) - 1})", op=op)
    for i in wrt:
        if not types[i].type.is_inexact:
            raise NxTypeError(f"cannot differentiate with respect to argument {i} of @{callee.name}: it is "
                              f"{types[i]}; gradients need floating or complex arguments", op=op)
    if not callee.results:
        raise NxValueError(f"@{callee.name} returns nothing; expects a real scalar first result", op=op)
    value = callee.results[0]
    if value.shape != () or not value.type.is_float:
        raise NxTypeError(f"@{callee.name} returns {value} first; a gradient needs a real floating-point scalar "
                          "(reduce it, e.g. with nx.sum, or take nx.real or nx.abs of a complex one)", op=op)
    return tuple(types[i] for i in wrt)


def _infer_grad(types, callee, wrt):
    return _check_call("grad", types, callee, wrt)


def _infer_value_and_grad(types, callee, wrt):
    return tuple(callee.results) + _check_call("value_and_grad", types, callee, wrt)


GRAD_ATTRS = {"callee": "callee", "wrt": "ints"}
# Never differentiated as ops: nx-grad expands the grads inside a callee before differentiating the callee.
define("grad", None, _infer_grad, attrs=GRAD_ATTRS, results=None)
define("value_and_grad", None, _infer_value_and_grad, attrs=GRAD_ATTRS, results=None)
define("stop_grad", 1, lambda types: types[0], differentiable=False, numpy=lambda x: x,
       lower=lambda b, node: node.args[0], batch=batching.mapped("stop_grad"))


def _signature(callee):
    return [(t.shape, t.type) for t in callee.inputs], [(t.shape, t.type) for t in callee.results]


def _infer_custom_grad(types, callee, forward, backward):
    """nx.custom_grad calls `callee`; differentiated, it runs `forward` instead, which gives callee's results and
    then residuals, and `backward` (residuals, then one cotangent per result) gives one cotangent per operand."""
    inputs, results = _signature(callee)
    if [(t.shape, t.type) for t in types] != inputs:
        raise NxTypeError(f"operands ({', '.join(str(t) for t in types)}) do not match the arguments of "
                          f"@{callee.name} ({', '.join(str(t) for t in callee.inputs)})", op="custom_grad")
    forward_inputs, forward_results = _signature(forward)
    backward_inputs, backward_results = _signature(backward)
    residuals = forward_results[len(results):]
    if forward_inputs != inputs or forward_results[:len(results)] != results:
        raise NxTypeError(f"@{forward.name} must take @{callee.name}'s arguments and return its results, then the "
                          "residuals", op="custom_grad")
    if backward_inputs != residuals + results or backward_results != inputs:
        raise NxTypeError(f"@{backward.name} must take @{forward.name}'s residuals and one cotangent per result of "
                          f"@{callee.name}, and return one cotangent per argument", op="custom_grad")
    return tuple(callee.results)


def _lower_custom_grad(b, node):
    return b.call(node.attrs["callee"].name, node.args, node.types, node.out)


define("custom_grad", None, _infer_custom_grad, attrs={"callee": "callee", "forward": "callee", "backward": "callee"},
       results=None, lower=_lower_custom_grad)

# The ops that call functions of the module. nx-grad replaces them before a program runs, and they cannot run eagerly
# (they need a module), so sweeps over the schema that run each op leave them out.
CALLS = frozenset(name for name, schema in SCHEMAS.items() if {"callee", "callees"} & set(schema.attrs.values()))
