"""The nx ops of control flow: nx.switch, a conditional of one or more branches (nx.cond is a switch of two), and
nx.while, a loop over carried tensors.

Like nx.grad, each names functions of the module rather than holding regions: the frontend traces every branch and
loop body into a private function (tensors it closes over become extra arguments, the same ones for every function
of the op, which the op passes after its own operands), so the passes, the evaluator and differentiation read them
as they read any function, and nx-fuse fuses inside them. The lowering calls them from the regions of
stablehlo.case and stablehlo.while; IREE inlines the calls.

nx.switch(index, *args) {branches = [@b0, @b1, ...]} calls branch `index`, clamped into range as lax.switch does;
every branch takes the args and returns the same types. nx.while(*carried, *captures) {cond = @c, body = @b,
carried = n, trips = t} runs body on the carried values while cond (of the same arguments) gives true; body returns
the next carried values; `trips`, where not -1, is the most trips it makes (fori_loop's and scan's count), which
lets reverse mode store each trip's values instead of recomputing them (passes/grad.py)."""
from iree.compiler import ir

from .dtypes import bool_, s32, s64
from .errors import NxTypeError, NxValueError
from .lower_convert import convert
from .rules import define


def _types(types):
    return ", ".join(str(t) for t in types)


def _same(a, b):
    return [(t.shape, t.type) for t in a] == [(t.shape, t.type) for t in b]


def _infer_switch(types, branches):
    index, operands = types[0], types[1:]
    if index.shape != () or not index.type.is_integer:
        raise NxTypeError(f"the branch index must be an integer scalar, got {index}", op="switch")
    first = branches[0]
    for branch in branches:
        if not _same(branch.inputs, operands):
            raise NxTypeError(f"branch @{branch.name} takes ({_types(branch.inputs)}); the operands are "
                              f"({_types(operands)})", op="switch")
        if not _same(branch.results, first.results):
            raise NxTypeError(f"branches must return the same types: @{first.name} returns "
                              f"({_types(first.results)}), @{branch.name} ({_types(branch.results)})", op="switch")
    return tuple(first.results)


def _infer_while(types, cond, body, carried, trips):
    if trips < -1:
        raise NxValueError(f"trips={trips} must bound the loop's trips, or be -1 where nothing does", op="while")
    if not 0 <= carried <= len(types):
        raise NxValueError(f"carried={carried} must count some of its {len(types)} operands", op="while")
    for function in (cond, body):
        if not _same(function.inputs, types):
            raise NxTypeError(f"@{function.name} takes ({_types(function.inputs)}); the operands are "
                              f"({_types(types)})", op="while")
    if len(cond.results) != 1 or cond.results[0].shape != () or cond.results[0].type is not bool_:
        raise NxTypeError(f"the condition @{cond.name} must return one bool scalar, got ({_types(cond.results)})",
                          op="while")
    if not _same(body.results, types[:carried]):
        raise NxTypeError(f"the body @{body.name} must return the carried values' types ({_types(types[:carried])}),"
                          f" got ({_types(body.results)})", op="while")
    return tuple(types[:carried])


def _lower_switch(b, node):
    branches = node.attrs["branches"]
    index = convert(b, node.args[0], node.types[0].type, s64)
    index = b.binary("stablehlo.maximum", b.binary("stablehlo.minimum", index, b.full_like(index, len(branches) - 1,
                                                                                            s64)),
                     b.full_like(index, 0, s64))
    index = b.convert(index, s32)
    op = ir.Operation.create("stablehlo.case", results=[b.tensor(t.shape, t.type) for t in node.out],
                             operands=[index], regions=len(branches))
    for region, branch in zip(op.regions, branches):
        with ir.InsertionPoint(region.blocks.append()):
            returned = b.call(branch.name, node.args[1:], node.types[1:], node.out)
            ir.Operation.create("stablehlo.return", results=[], operands=returned)
    return list(op.results)


def _lower_while(b, node):
    carried, cond, body = node.attrs["carried"], node.attrs["cond"], node.attrs["body"]
    captures = node.args[carried:]
    return b.while_loop(node.args[:carried],
                        lambda *values: b.call(cond.name, [*values, *captures], node.types, cond.results)[0],
                        lambda *values: b.call(body.name, [*values, *captures], node.types, body.results))


# Never differentiated by a rule of the dialect: nx-grad writes their VJPs (passes/grad.py), which make functions.
define("switch", None, _infer_switch, attrs={"branches": "callees"}, results=None, lower=_lower_switch)
define("while", None, _infer_while, attrs={"cond": "callee", "body": "callee", "carried": "int", "trips": "int"},
       results=None, lower=_lower_while)
