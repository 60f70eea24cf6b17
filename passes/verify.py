"""nx-verify: MLIR's own verifier, then every nx op checked against its schema. MLIR cannot check nx ops (they are
unregistered), so this pass rejects unknown nx ops, wrong operand counts, missing, unknown or ill-typed attributes
and result types other than the ones the schema infers, each as a numerix error at the op's location. The context
accepts unregistered ops so that it can hold nx's; any other unregistered op (a typo, a dialect MLIR does not know)
is rejected here, where MLIR would have. Ops of registered dialects pass (StableHLO is some passes' input). A
gradient of a function that recurses, through calls or its own nx.grad, is rejected too: nx functions cannot recurse,
and nx-grad could not expand it."""
from iree.compiler import ir

from numerix.dialect import fusion as nx_fusion
from numerix.dialect import ops as nx_ops
from numerix.dialect import ir as nx_ir
from numerix.dialect.schema import SCHEMAS
from numerix.dialect.errors import NxError, NxTypeError, NxValueError

from .calls import GRAD_OPS, TRANSFORMS, callees
from .registry import register_pass


@register_pass("nx-verify")
def verify(module):
    try:
        module.operation.verify()
    except ir.MLIRError as e:
        first = e.error_diagnostics[0]
        notes = "".join(f"; note: {n.message}" for n in first.notes)
        location = nx_ops.location_of_text(str(first.location))
        raise NxValueError(first.message + notes, op="nx-verify", location=location) from None
    grads = []
    for op in nx_ops.all_ops(module):
        if nx_ops.is_nx(op):
            verify_op(op)
            if op.name in TRANSFORMS or op.name in ("nx.switch", "nx.while"):
                grads.append(op)
        elif not op.context.is_registered_operation(op.name):
            raise NxValueError(f"'{op.name}' op is unknown: neither an nx op nor one of a dialect MLIR registers",
                               op="nx-verify", location=nx_ops.location(op))
    if grads:
        _check_no_recursion(module, grads)


def verify_op(op):
    """Checks one nx op against its schema; errors carry the op's name and location."""
    try:
        _check(op)
    except NxError as e:
        raise type(e)(f"'{op.name}' op {e.message}", op="nx-verify", location=nx_ops.location(op)) from None


def _check(op):
    schema = SCHEMAS.get(nx_ops.schema_name(op))
    if schema is None:
        raise NxValueError("is not an nx op (no schema has this name)")
    # nx.fusion's results are what its region yields, which its operand types cannot tell.
    inferred = nx_fusion.structural_result_types(op)
    if inferred is None:
        inferred = schema.check(nx_ops.operand_types(op), nx_ops.read_attrs(op))
    if len(op.results) != len(inferred):  # (a fixed count, or as many as inferred: nx.grad's)
        raise NxValueError(f"has {len(op.results)} results; expects {len(inferred)}")
    for i, (got, want) in enumerate(zip(nx_ops.result_types(op), inferred)):
        if (got.shape, got.type) != (want.shape, want.type):
            raise NxTypeError(f"result {i} has type {nx_ir.tensor_type_str(got)}; the operands and attributes give "
                              f"{nx_ir.tensor_type_str(want)}")


def _check_no_recursion(module, ops):
    """No function that a transform (grad, vmap) or a control-flow op names may reach itself through calls."""
    functions = nx_ops.functions(module.operation)
    calls = {name: [c for op in nx_ops.all_ops(f) for c in callees(op) if c in functions]
             for name, f in functions.items()}
    for op in ops:
        for callee in callees(op):
            path = _recursion(calls, callee)
            if path:
                verb = "differentiates" if op.name in GRAD_OPS else "batches" if op.name == "nx.vmap" else "calls"
                raise NxValueError(f"'{op.name}' op {verb} @{callee}, which recurses "
                                   f"({' -> '.join('@' + name for name in path)}); nx functions cannot recurse",
                                   op="nx-verify", location=nx_ops.location(op))


def _recursion(calls, start):
    """A call path from `start` that comes back to a function on it (ending with that function), or None."""
    done = set()

    def visit(name, path):
        if name in path:
            return path + [name]
        if name not in done:
            for callee in calls[name]:
                found = visit(callee, path + [name])
                if found:
                    return found
            done.add(name)
        return None
    return visit(start, [])
