"""Shape nx ops: they move or repeat elements without computing on them."""
import math

from numerix.errors import NxShapeError, NxValueError
from .schema import TensorType, check_axes, define


def _infer_broadcast(types, shape, axes):
    """Nx's broadcast (StableHLO's broadcast_in_dim): operand axis i becomes result axis axes[i]."""
    (x,) = types
    if len(axes) != len(x.shape):
        raise NxShapeError(f"needs one target axis per operand axis: operand {x}, axes {list(axes)}", op="broadcast")
    check_axes("broadcast", axes, len(shape))
    if list(axes) != sorted(axes):
        raise NxValueError(f"axes {list(axes)} must increase", op="broadcast")
    names = [None] * len(shape)
    for i, a in enumerate(axes):
        if x.shape[i] not in (1, shape[a]):
            raise NxShapeError(f"cannot broadcast {x} to shape {list(shape)} (axis {i} -> {a})", op="broadcast")
        names[a] = x.names[i]
    return TensorType(tuple(shape), x.type, tuple(names))


def _infer_reshape(types, shape, names):
    (x,) = types
    if math.prod(shape) != math.prod(x.shape):
        raise NxShapeError(f"cannot reshape {x} ({math.prod(x.shape)} elements) to shape {list(shape)}",
                           op="reshape")
    if len(names) != len(shape):
        raise NxValueError(f"{len(names)} names for rank {len(shape)}", op="reshape")
    return TensorType(tuple(shape), x.type, names)


def _infer_transpose(types, axes):
    (x,) = types
    if sorted(axes) != list(range(len(x.shape))):
        raise NxValueError(f"axes {list(axes)} are not a permutation of the axes of {x}", op="transpose")
    return TensorType(tuple(x.shape[a] for a in axes), x.type, tuple(x.names[a] for a in axes))


define("broadcast", 1, _infer_broadcast, attrs={"shape": "shape", "axes": "ints"})
define("reshape", 1, _infer_reshape, attrs={"shape": "shape", "names": "names"})
define("transpose", 1, _infer_transpose, attrs={"axes": "ints"})
