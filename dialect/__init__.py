"""numerix.dialect: the nx ops, each with its schema and rules. Importing it registers every op family."""
from . import elementwise, indexing, shape  # noqa: F401
from . import creation, fft  # noqa: F401
from . import contraction, factorize, spectral  # noqa: F401  (linear algebra)
from . import conv  # noqa: F401
from . import reduction, scan, sort  # noqa: F401
from . import window  # noqa: F401
from . import control_flow, vmap, grad  # noqa: F401  (grad's CALLS lists control flow's and vmap's ops too)
from . import fusion  # noqa: F401
from . import hook  # noqa: F401
from .rules import define  # noqa: F401
from .schema import SCHEMAS, OpSchema, TensorType  # noqa: F401
