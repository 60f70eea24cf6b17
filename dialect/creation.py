"""Creation nx ops: they make a tensor from attributes alone (no operands), as StableHLO's iota and constant do."""
from numerix.dialect import dtypes
from numerix.dialect.errors import NxTypeError, NxValueError
from .rules import define
from .schema import TensorType, check_axes


def _infer_iota(types, shape, axis, type, names):
    """Counts 0, 1, 2, ... along `axis`, repeated across the other axes (StableHLO's iota)."""
    check_axes("iota", (axis,), len(shape))
    if type.is_bool:
        raise NxTypeError(f"cannot count in type bool (shape {list(shape)}); expects a number type", op="iota")
    if len(names) != len(shape):
        raise NxValueError(f"{len(names)} names for shape {list(shape)}", op="iota")
    return TensorType(shape, type, names)


def _infer_constant(types, value):
    if value.dtype.kind == "c":
        raise NxTypeError("complex constants are built as nx.complex of two real constants", op="constant")
    return TensorType.of(value.shape, dtypes.of_numpy(value.dtype))


define("iota", 0, _infer_iota, attrs={"shape": "shape", "axis": "int", "type": "type", "names": "names"},
       differentiable=False)
define("constant", 0, _infer_constant, attrs={"value": "array"}, differentiable=False)
