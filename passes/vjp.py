"""The adjoint sweep: composes the VJP rules of dialect/rules.py (one per differentiable nx op, keyed by op name, as
Nx.Defn.Grad keeps them) backwards over a program's ops.

Each rule (see dialect/rules.py for their form and JAX's convention for complex numbers) runs on the Terms of the
node it differentiates; ops marked `differentiable=False` in the schema contribute no gradient."""
import contextlib
from typing import NamedTuple, Optional

from numerix.dialect.errors import NxError, NxValueError
from numerix.dialect.rules import VJP
from numerix.dialect.schema import SCHEMAS


class Node(NamedTuple):
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


def backpropagate(nodes, seeds, around=lambda node: contextlib.nullcontext()):
    """The adjoint sweep over `nodes` (the forward ops in program order): seeds maps result Terms to their
    cotangents; returns a dict from every Term a cotangent reached to its accumulated cotangent. Each rule runs
    inside `around(node)` (the pass gives the ops it emits the location of the op they differentiate)."""
    cotangents = dict(seeds)
    for node in reversed(nodes):
        incoming = [cotangents.get(r) for r in node.results]
        if all(c is None for c in incoming) or not any(has_gradient(x) for x in node.operands):
            continue
        schema = SCHEMAS[node.name]
        if not schema.differentiable:
            continue
        rule = VJP.get(node.name)
        if rule is None:
            types = ", ".join(str(x.ttype) for x in node.operands)
            raise NxValueError(f"cannot differentiate nx.{node.name} (operands {types}): it has no VJP rule and is "
                               "not marked non-differentiable", op=node.name, location=node.location)
        try:
            with around(node):
                outgoing = rule(incoming, node.operands, node.results, **node.attrs)
                _accumulate(cotangents, node, outgoing)
        except NxError as e:  # a rule's own error (e.g. a case with no gradient) points at the op
            raise type(e)(e.message, op=e.op, location=node.location or e.location) from None
    return cotangents


def _accumulate(cotangents, node, outgoing):
    """Adds the cotangents a rule gave its operands into `cotangents` (a value used twice gets the sum)."""
    if len(outgoing) != len(node.operands):
        raise AssertionError(f"VJP of nx.{node.name} gave {len(outgoing)} cotangents for {len(node.operands)} "
                             "operands")
    for x, c in zip(node.operands, outgoing):
        if c is None or not has_gradient(x):
            continue
        if c.shape != x.shape or c.type is not x.type:
            raise AssertionError(f"VJP of nx.{node.name} gave a {c.ttype} cotangent for operand {x.ttype}")
        previous = cotangents.get(x)
        cotangents[x] = c if previous is None else previous + c
