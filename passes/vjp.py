"""The adjoint sweep: composes the VJP rules of dialect/rules.py (one per differentiable nx op, keyed by op name, as
Nx.Defn.Grad keeps them) backwards over a program's ops.

Each rule (see dialect/rules.py for their form and JAX's convention for complex numbers) runs on the Terms of the
step it differentiates; ops marked `differentiable=False` in the schema contribute no gradient."""
import contextlib
from typing import NamedTuple, Optional

from numerix.dialect.errors import NxError, NxValueError
from numerix.dialect.rules import VJP
from numerix.dialect.schema import SCHEMAS


class Step(NamedTuple):
    """One forward op as the reverse sweep sees it: Terms in and out, its attributes, and where the user wrote it
    ((file, line, col) or None), for errors."""
    name: str
    operands: tuple
    results: tuple
    attrs: dict
    location: Optional[tuple] = None


def has_gradient(t):
    """Only inexact values carry cotangents; integer and bool values are constants to differentiation."""
    return t.type.is_inexact


def backpropagate(steps, seeds, around=lambda step: contextlib.nullcontext()):
    """The adjoint sweep over `steps` (the forward ops in program order): seeds maps result Terms to their
    cotangents; returns a dict from every Term a cotangent reached to its accumulated cotangent. Each rule runs
    inside `around(step)` (the pass gives the ops it emits the location of the op they differentiate)."""
    cotangents = dict(seeds)
    for step in reversed(steps):
        incoming = [cotangents.get(r) for r in step.results]
        if all(c is None for c in incoming) or not any(has_gradient(x) for x in step.operands):
            continue
        schema = SCHEMAS[step.name]
        if not schema.differentiable:
            continue
        rule = VJP.get(step.name)
        if rule is None:
            types = ", ".join(str(x.ttype) for x in step.operands)
            raise NxValueError(f"cannot differentiate nx.{step.name} (operands {types}): it has no VJP rule and is "
                               "not marked non-differentiable", op=step.name, location=step.location)
        try:
            with around(step):
                outgoing = rule(incoming, step.operands, step.results, **step.attrs)
                _accumulate(cotangents, step, outgoing)
        except NxError as e:  # a rule's own error (e.g. a case with no gradient) points at the op
            raise type(e)(e.message, op=e.op, location=step.location or e.location) from None
    return cotangents


def _accumulate(cotangents, step, outgoing):
    """Adds the cotangents a rule gave its operands into `cotangents` (a value used twice gets the sum)."""
    if len(outgoing) != len(step.operands):
        raise AssertionError(f"VJP of nx.{step.name} gave {len(outgoing)} cotangents for {len(step.operands)} "
                             "operands")
    for x, c in zip(step.operands, outgoing):
        if c is None or not has_gradient(x):
            continue
        if c.shape != x.shape or c.type is not x.type:
            raise AssertionError(f"VJP of nx.{step.name} gave a {c.ttype} cotangent for operand {x.ttype}")
        previous = cotangents.get(x)
        cotangents[x] = c if previous is None else previous + c
