"""nx-verify: MLIR's own verifier, then every nx op checked against its schema. MLIR cannot check nx ops (they are
unregistered), so this pass rejects unknown nx ops, wrong operand counts, missing, unknown or ill-typed attributes
and result types other than the ones the schema infers, each as a numerix error at the op's location."""
from iree.compiler import ir

from numerix.dialect import fusion as nx_fusion
from numerix.dialect import ops as nx_ops
from numerix.dialect import ir as nx_ir
from numerix.dialect.schema import SCHEMAS
from numerix.dialect.errors import NxError, NxTypeError, NxValueError

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
    for op in nx_ops.all_ops(module):
        if nx_ops.is_nx(op):
            verify_op(op)


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
