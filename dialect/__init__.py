"""numerix.dialect: the nx op schema. Importing it registers every op family."""
from . import elementwise, shape  # noqa: F401
from . import creation, fft, linalg  # noqa: F401
from . import reduction  # noqa: F401
from . import grad  # noqa: F401
from . import fusion  # noqa: F401
from .schema import SCHEMAS, OpSchema, TensorType, define  # noqa: F401
