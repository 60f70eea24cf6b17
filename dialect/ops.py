"""nx ops in MLIR, both ways: built from schema values (the tracer, the folder) and read back into them (the
verifier, the evaluator, the passes). An nx op is a generic-form operation "nx.<schema name>" whose attributes are
spelled by dialect/ir.py according to the schema's attribute kinds."""
import re

import numpy as np
from iree.compiler import ir

from numerix.dialect.errors import NxTypeError, NxValueError

from . import dtypes
from . import ir as nx_ir
from .schema import SCHEMAS, Callee, TensorType

PREFIX = "nx."
UNKNOWN_LOCATION = ("<unknown>", 0, 0)
_FILE_LOCATION = re.compile(r'"((?:[^"\\]|\\.)*)":(\d+):(\d+)')


def is_nx(op):
    return op.name.startswith(PREFIX)


def schema_name(op):
    return op.name[len(PREFIX):]


def build(name, operands, attrs, out_types, location):
    """Creates nx op `name` at the current insertion point (inside its context); `attrs` are Python values of the
    schema's kinds and `location` an ir.Location."""
    kinds = SCHEMAS[name].attrs
    return ir.Operation.create(
        PREFIX + name, results=[nx_ir.tensor_type(t) for t in out_types], operands=list(operands),
        attributes={key: nx_ir.attr(kinds[key], value) for key, value in attrs.items()},
        loc=location)


def build_constant(array, location):
    """The value of a NumPy array of an nx type, built at the current insertion point. Complex arrays are nx.complex
    of two real constants: a complex dense attribute cannot be read back by these bindings."""
    if array.dtype.kind == "c":
        parts = [build_constant(np.array(part, order="C"), location) for part in (array.real, array.imag)]
        part_types = [TensorType.of(array.shape, dtypes.of_numpy(array.real.dtype))] * 2
        return build("complex", parts, {}, SCHEMAS["complex"].check(part_types, {}), location).result
    attrs = {"value": array}
    return build("constant", [], attrs, SCHEMAS["constant"].check([], attrs), location).result


def mlir_location(location):
    if location is None or location == UNKNOWN_LOCATION:
        return ir.Location.unknown()
    file, line, col = location
    return ir.Location.file(file, line, col)


def location(op):
    """(file, line, col) of an op: its first file location (inside name, call-site or fused locations too)."""
    return location_of_text(str(op.location))


def location_of_text(text):
    """(file, line, col) of the first file location in a printed MLIR location."""
    found = _FILE_LOCATION.search(text)
    if found is None:
        return UNKNOWN_LOCATION
    file = re.sub(r"\\(.)", r"\1", found.group(1))
    return file, int(found.group(2)), int(found.group(3))


def all_ops(root):
    """Every op nested in `root` (itself included), parents before children. Collected first, because an exception
    raised inside an MLIR walk callback loses its type."""
    found = []
    root.operation.walk(lambda op: found.append(op) or ir.WalkResult.ADVANCE, ir.WalkOrder.PRE_ORDER)
    return found


def tensor_type_of(mlir_type, what):
    """The TensorType of an MLIR type, or an NxTypeError naming `what` when it is no static-shaped nx tensor."""
    try:
        ranked = ir.RankedTensorType(mlir_type)
        if not ranked.has_static_shape:
            raise ValueError("dynamic shape")
        return nx_ir.to_tensor_type(ranked)
    except (ValueError, KeyError):
        raise NxTypeError(f"{what} has type {mlir_type}; expects a static-shaped tensor of an nx element type",
                          op="nx-verify") from None


def operand_types(op):
    return [tensor_type_of(v.type, f"operand {i}") for i, v in enumerate(op.operands)]


def result_types(op):
    return [tensor_type_of(v.type, f"result {i}") for i, v in enumerate(op.results)]


def read_attrs(op):
    """The op's attributes as Python values of its schema's kinds. Missing, unknown or ill-typed attributes are
    numerix errors; so is a complex DenseElementsAttr, which is refused before anything reads its elements (reading
    one aborts the process in these bindings)."""
    kinds = SCHEMAS[schema_name(op)].attrs
    present = set(op.attributes)
    extra = sorted(present - set(kinds))
    if extra:
        raise NxValueError(f"unknown attributes {extra}; expects {sorted(kinds) or 'none'}", op="nx-verify")
    values = {}
    for key, kind in kinds.items():
        if key not in present:
            raise NxValueError(f"missing attribute '{key}' ({kind})", op="nx-verify")
        try:
            attribute = op.attributes[key]
        except TypeError:  # the bindings cannot even wrap it: a complex dense attribute
            raise NxTypeError(f"attribute '{key}' ({kind}) cannot be read: a complex dense attribute? (complex "
                              "constants are built as nx.complex of two real constants)", op="nx-verify") from None
        try:
            values[key] = nx_ir.value(kind, attribute)
        except (ValueError, TypeError, KeyError):
            raise NxTypeError(f"attribute '{key}' must be {kind}, got {attribute}", op="nx-verify") from None
        if kind == "callee":
            values[key] = callee(op, values[key])
        elif kind == "callees":
            values[key] = tuple(callee(op, name) for name in values[key])
    return values


def functions(module_op):
    """The func.func ops of a module, by name."""
    return {f.attributes["sym_name"].value: f for f in (o.operation for o in module_op.regions[0].blocks[0].operations)
            if f.name == "func.func"}


def callee(op, name):
    """The Callee of function @name in op's module (the types its inference needs)."""
    module = op.parent
    while module is not None and module.name != "builtin.module":
        module = module.parent
    function = None if module is None else functions(module).get(name)
    if function is None:
        raise NxValueError(f"calls @{name}, which is not a function of the module", op="nx-verify")
    signature = ir.FunctionType(ir.TypeAttr(function.attributes["function_type"]).value)
    return Callee(name, tuple(tensor_type_of(t, f"argument {i} of @{name}") for i, t in enumerate(signature.inputs)),
                  tuple(tensor_type_of(t, f"result {i} of @{name}") for i, t in enumerate(signature.results)))


def constant_array(op):
    """The NumPy value of an nx.constant op."""
    return nx_ir.value("array", op.attributes["value"])


def defining_op(value):
    """The op whose result `value` is, or None for a block argument."""
    return value.owner.operation if isinstance(value, ir.OpResult) else None


def clone_module(module):
    """A copy of `module` in the same context, for stages that must leave the original as it is."""
    with module.context, ir.Location.unknown():
        copy = ir.Module.create()
        point = ir.InsertionPoint(copy.body)
        for op in module.body.operations:
            op.clone(ip=point)
    return copy
