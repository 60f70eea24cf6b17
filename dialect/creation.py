"""Creation nx ops: they make a tensor from attributes alone (no operands), as StableHLO's iota and constant do. Each
is one declaration: its type rule, NumPy rule and lowering (neither is differentiable)."""
import numpy as np

from numerix.dialect import dtypes
from numerix.dialect import ir as nxir
from numerix.dialect.errors import NxTypeError, NxValueError
from .lower_convert import convert
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


def _numpy_iota(shape, axis, type, names):
    counts = np.arange(shape[axis], dtype=np.int64).reshape([-1 if a == axis else 1 for a in range(len(shape))])
    return np.broadcast_to(counts, shape)


def _lower_iota(b, node):
    tt = node.out[0]
    axis = nxir.attr("int", node.attrs["axis"])
    if tt.type.is_complex:  # counts in the real part
        real = b.emit("stablehlo.iota", [], b.tensor(tt.shape, tt.type.real_type), iota_dimension=axis)
        return convert(b, real, tt.type.real_type, tt.type)
    return b.emit("stablehlo.iota", [], b.tensor(tt.shape, tt.type), iota_dimension=axis)


define("iota", 0, _infer_iota, attrs={"shape": "shape", "axis": "int", "type": "type", "names": "names"},
       differentiable=False, numpy=_numpy_iota, lower=_lower_iota)


def _infer_constant(types, value):
    if value.dtype.kind == "c":
        raise NxTypeError("complex constants are built as nx.complex of two real constants", op="constant")
    return TensorType.of(value.shape, dtypes.of_numpy(value.dtype))


def _numpy_constant(value):
    return value


def _lower_constant(b, node):
    return b.array(node.attrs["value"], node.out[0].type)


define("constant", 0, _infer_constant, attrs={"value": "array"}, differentiable=False, numpy=_numpy_constant,
       lower=_lower_constant)
