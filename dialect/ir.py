"""How nx types and attributes are spelled in MLIR (the `iree.compiler.ir` bindings), both ways.

Element types: bool is i1, signed integers are signless iN (as in StableHLO), unsigned are uiN, floats f16 bf16 f32
f64, complex complex<f32>/complex<f64>. Attribute kinds (dialect/schema.py ATTR_KINDS): int -> i64 IntegerAttr,
ints and shape -> array<i64: ...>, float -> f64 FloatAttr, bool -> BoolAttr, type -> TypeAttr of the element type,
str -> StringAttr, names -> ArrayAttr of StringAttr ("" for an unnamed axis), pads -> array<i64: lo, hi, interior,
...> flattened, array -> DenseElementsAttr (never complex: see `attr`). Axis names other than the reshape/rename
attribute live only in the frontend: the IR's tensors are unnamed."""
import re
import sys
import types

import numpy as np
from iree.compiler import ir
from iree.compiler._mlir_libs import _mlir

from numerix.dialect import dtypes
from numerix.dialect.schema import TensorType

_ELEMENT = {"bool": "i1", "u8": "ui8", "u16": "ui16", "u32": "ui32", "u64": "ui64", "s8": "i8", "s16": "i16",
            "s32": "i32", "s64": "i64", "f16": "f16", "bf16": "bf16", "f32": "f32", "f64": "f64",
            "c64": "complex<f32>", "c128": "complex<f64>", "u2": "ui2", "u4": "ui4", "s2": "i2", "s4": "i4",
            "f8": "f8E5M2", "f8_e4m3fn": "f8E4M3FN"}
_FROM_ELEMENT = {v: dtypes.TYPES[k] for k, v in _ELEMENT.items()}


# The MLIR bindings look for a Python module of an op's dialect (under iree.compiler.dialects) whenever they wrap the
# op, and try again after every failure. nx, stablehlo and chlo have none there, so a compile would fail to import
# once per op it wraps (docs/iree.md). An empty module under a prefix of ours answers once for each.
_NO_PYTHON_OPS = "numerix.dialect.no_python_ops"
for _namespace in ("nx", "stablehlo", "chlo"):
    sys.modules[f"{_NO_PYTHON_OPS}.{_namespace}"] = types.ModuleType(f"{_NO_PYTHON_OPS}.{_namespace}")
_mlir.globals.append_dialect_search_prefix(_NO_PYTHON_OPS)


def new_context(dialects=()):
    """A context that holds nx ops (unregistered, generic form) beside the upstream dialects. Only builtin, func
    and `dialects` are loaded now: loading every dialect IREE registers makes each context slow to create
    (docs/iree.md), and a trace needs neither. The parser loads a dialect its text uses; code that builds ops loads
    theirs first (use_dialects), or an op of a dialect not loaded would be made as an unregistered op, unchecked."""
    ctx = ir.Context(load_on_create_dialects=["builtin", "func", *dialects])
    ctx.allow_unregistered_dialects = True
    return ctx


def use_dialects(context, dialects):
    """Loads `dialects` into `context` (once; a loaded one costs a lookup)."""
    for name in dialects:
        context.dialects[name]  # indexing a dialect loads it


def element_type_str(t):
    return _ELEMENT[t.name]


def element_type(t):
    return ir.Type.parse(_ELEMENT[t.name])


def dtype_of(element):
    """The numerix type of an MLIR element type."""
    return _FROM_ELEMENT[str(element)]


def tensor_type_str(tt):
    return "tensor<" + "".join(f"{d}x" for d in tt.shape) + _ELEMENT[tt.type.name] + ">"


def tensor_type(tt):
    return ir.RankedTensorType.get(list(tt.shape), element_type(tt.type))


def to_tensor_type(mlir_type):
    """A TensorType (unnamed) of a ranked tensor MLIR type."""
    t = ir.RankedTensorType(mlir_type)
    return TensorType.of(t.shape, dtype_of(t.element_type))


def ints(values):
    """An array<i64: ...> attribute (StableHLO's dimension lists)."""
    return ir.DenseI64ArrayAttr.get([int(v) for v in values])


def attr(kind, value):
    """The MLIR attribute of an nx attribute value of `kind`."""
    if kind == "int":
        return ir.IntegerAttr.get(ir.IntegerType.get_signless(64), int(value))
    if kind in ("ints", "shape"):
        return ints(value)
    if kind == "float":
        return ir.FloatAttr.get(ir.F64Type.get(), float(value))
    if kind == "bool":
        return ir.BoolAttr.get(bool(value))
    if kind == "type":
        return ir.TypeAttr.get(element_type(value))
    if kind == "str":
        return ir.StringAttr.get(value)
    if kind == "names":
        return ir.ArrayAttr.get([ir.StringAttr.get(n or "") for n in value])
    if kind == "pads":
        return ir.DenseI64ArrayAttr.get([int(v) for p in value for v in p])
    if kind == "array":
        array = np.array(value, copy=None, order="C")  # (ascontiguousarray would make 0-d arrays 1-d)
        if array.dtype.kind == "c":
            # Reading a complex DenseElementsAttr back aborts the process in these bindings, so complex constants
            # are spelled nx.complex(real constant, imaginary constant) and never reach an attribute.
            raise ValueError("complex constants must be built as nx.complex of two real constants")
        return ir.DenseElementsAttr.get(array, type=element_type(dtypes.of_numpy(array.dtype)),
                                        shape=list(array.shape))
    if kind == "callee":
        return ir.FlatSymbolRefAttr.get(value.name)
    if kind == "callees":
        return ir.ArrayAttr.get([ir.FlatSymbolRefAttr.get(c.name) for c in value])
    raise ValueError(f"unknown attribute kind {kind!r}")


_TOKEN = re.compile(r"0x[0-9A-Fa-f]+|[-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|inf|nan)|true|false")


def _from_text(attribute, tt):
    """Reads a DenseElementsAttr of a type ml_dtypes stores (bf16, the 8-bit floats, the sub-byte integers) through
    its text, which the buffer path cannot give back. MLIR prints NaN and infinities as hex bit patterns."""
    real = tt.type
    bits_type = np.dtype(f"u{real.itemsize}")
    body = str(attribute).split(" : ")[0]

    def number(token):
        if token.startswith("0x"):
            return np.array(int(token, 16), bits_type).view(real.np).astype(np.float64)
        return float(token)
    numbers = np.array([number(t) for t in _TOKEN.findall(body)], np.float64)
    count = int(np.prod(tt.shape, dtype=np.int64))
    if numbers.size == 1 and count != 1:
        numbers = np.full(count, numbers[0])
    return numbers.astype(tt.type.np).reshape(tt.shape)


def value(kind, attribute):
    """The Python value of an nx attribute of `kind` (the inverse of `attr`)."""
    if kind == "int":
        return ir.IntegerAttr(attribute).value
    if kind in ("ints", "shape"):
        return tuple(ir.DenseI64ArrayAttr(attribute))
    if kind == "float":
        return ir.FloatAttr(attribute).value
    if kind == "bool":
        return ir.BoolAttr(attribute).value
    if kind == "type":
        return dtype_of(ir.TypeAttr(attribute).value)
    if kind == "str":
        return ir.StringAttr(attribute).value
    if kind == "names":
        return tuple(ir.StringAttr(a).value or None for a in ir.ArrayAttr(attribute))
    if kind == "pads":
        flat = list(ir.DenseI64ArrayAttr(attribute))
        return tuple(tuple(flat[i:i + 3]) for i in range(0, len(flat), 3))
    if kind == "array":
        dense = ir.DenseElementsAttr(attribute)
        tt = to_tensor_type(dense.type)
        if tt.type in dtypes.ML_DTYPES:
            return _from_text(dense, tt)
        return np.array(dense, copy=True).astype(tt.type.np).reshape(tt.shape)
    if kind == "callee":
        return ir.FlatSymbolRefAttr(attribute).value  # only the name: dialect/ops.py looks up its types
    if kind == "callees":
        return tuple(ir.FlatSymbolRefAttr(a).value for a in ir.ArrayAttr(attribute))
    raise ValueError(f"unknown attribute kind {kind!r}")
