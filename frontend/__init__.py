"""numerix: numerical Python in the spirit of Elixir's Nx. `import numerix as nx`."""
from numerix import dialect as _dialect  # noqa: F401  (registers the op schemas)
from numerix.dialect.dtypes import (  # noqa: F401
    DType, as_dtype, bf16, c64, c128, f16, f32, f64, finfo, iinfo, promote_types, s8, s16, s32, s64, u8, u16,
    u32, u64,
)
from numerix.dialect.errors import NxError, NxIndexError, NxShapeError, NxTraceError, NxTypeError, NxValueError  # noqa: F401

from .tensor import Tensor, tensor, from_dlpack  # noqa: F401
from .elementwise import *  # noqa: F401,F403
from .reduction import *  # noqa: F401,F403
from .operands import as_type, rename  # noqa: F401
from .defn import *  # noqa: F401,F403
from .grad import *  # noqa: F401,F403
from .shape import *  # noqa: F401,F403
from .indexing import *  # noqa: F401,F403
from .repetition import *  # noqa: F401,F403
from .creation import *  # noqa: F401,F403
from .contraction import *  # noqa: F401,F403
from .array_api import *  # noqa: F401,F403
from . import operators as _operators  # noqa: F401  (attaches Tensor's operators)
from . import fft, linalg  # noqa: F401  (the array API's extensions: nx.fft, nx.linalg)
from . import testing  # noqa: F401  (nx.testing.check_grads)

__array_api_version__ = "2024.12"

# The array API's dtype objects.
from numerix.dialect.dtypes import bool_ as bool  # noqa: E402,A001,F401  (the array API name)
uint8, uint16, uint32, uint64 = u8, u16, u32, u64
int8, int16, int32, int64 = s8, s16, s32, s64
float16, bfloat16, float32, float64 = f16, bf16, f32, f64
complex64, complex128 = c64, c128
