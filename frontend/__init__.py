"""numerix: numerical Python in the spirit of Elixir's Nx. `import numerix as nx`."""
from numerix import dialect as _dialect  # noqa: F401  (registers the op schemas)
from numerix.dialect.dtypes import (
    DType, as_dtype, bf16, c64, c128, f16, f32, f64, finfo, iinfo, promote_types, s8, s16, s32, s64, u8, u16,
    u32, u64,
)
from numerix.dialect.dtypes import bool_ as bool  # noqa: A001  (the array API's name)
from numerix.dialect.dtypes import f8, f8_e4m3fn, s2, s4, u2, u4  # Nx's low-precision types
from numerix.dialect.errors import (
    NxError, NxIndexError, NxMemoryError, NxShapeError, NxTraceError, NxTypeError, NxValueError,
)

# The families of functions, each with its __all__; imported before the star imports below, which rebind some
# of these names (defn, grad) from the module to its function.
from . import (
    array_api as _array_api, contraction as _contraction, control_flow as _control_flow, creation as _creation,
    defn as _defn,
    elementwise as _elementwise, grad as _grad, indexing as _indexing, reduction as _reduction,
    repetition as _repetition, shape as _shape,
    conv as _conv,
    window as _window,
    serialize as _serialize,
    vmap as _vmap,
    vectorize as _vectorize,
    export as _export,
    hooks as _hooks,
    backends as _backends,
)
from .tensor import Tensor
from .operands import as_type, from_dlpack, rename, tensor
from .elementwise import *  # noqa: F401,F403
from .reduction import *  # noqa: F401,F403
from .defn import *  # noqa: F401,F403
from .grad import *  # noqa: F401,F403
from .shape import *  # noqa: F401,F403
from .indexing import *  # noqa: F401,F403
from .repetition import *  # noqa: F401,F403
from .creation import *  # noqa: F401,F403
from .contraction import *  # noqa: F401,F403
from .conv import *  # noqa: F401,F403
from .window import *  # noqa: F401,F403
from .array_api import *  # noqa: F401,F403
from .control_flow import *  # noqa: F401,F403
from .serialize import *  # noqa: F401,F403
from .vmap import *  # noqa: F401,F403
from .vectorize import *  # noqa: F401,F403
from .export import *  # noqa: F401,F403
from .hooks import *  # noqa: F401,F403
from .backends import *  # noqa: F401,F403
from . import operators as _operators  # noqa: F401  (attaches Tensor's operators)
from . import fft, linalg  # the array API's extensions: nx.fft, nx.linalg
from . import testing  # nx.testing.check_grads
from . import random  # nx.random: Nx.Random

__array_api_version__ = "2024.12"

# The array API's names for the dtypes.
uint8, uint16, uint32, uint64 = u8, u16, u32, u64
int8, int16, int32, int64 = s8, s16, s32, s64
float16, bfloat16, float32, float64 = f16, bf16, f32, f64
complex64, complex128 = c64, c128
uint2, uint4, int2, int4, float8_e5m2, float8_e4m3fn = u2, u4, s2, s4, f8, f8_e4m3fn  # ml_dtypes' names

__all__ = [
    "DType", "as_dtype", "finfo", "iinfo", "promote_types",
    "bool", "u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64", "f16", "bf16", "f32", "f64", "c64", "c128",
    "uint8", "uint16", "uint32", "uint64", "int8", "int16", "int32", "int64",
    "float16", "bfloat16", "float32", "float64", "complex64", "complex128",
    "u2", "u4", "s2", "s4", "f8", "f8_e4m3fn", "uint2", "uint4", "int2", "int4", "float8_e5m2", "float8_e4m3fn",
    "NxError", "NxIndexError", "NxMemoryError", "NxShapeError", "NxTraceError", "NxTypeError", "NxValueError",
    "Tensor", "tensor", "from_dlpack", "as_type", "rename",
    *_elementwise.__all__, *_reduction.__all__, *_defn.__all__, *_grad.__all__, *_shape.__all__,
    *_indexing.__all__, *_repetition.__all__, *_creation.__all__, *_contraction.__all__, *_array_api.__all__,
    *_control_flow.__all__, *_conv.__all__,
    *_window.__all__,
    *_serialize.__all__,
    *_vmap.__all__,
    *_vectorize.__all__,
    *_export.__all__,
    *_hooks.__all__,
    *_backends.__all__,
    "fft", "linalg", "testing", "random",
]


def __dir__():
    """The public API only: importing the helper modules made them attributes of the package too."""
    return [*__all__, *(name for name in globals() if name.startswith("__"))]
