"""numerix.dialect: the nx ops, each with its schema and rules. Importing it registers every op family."""
from . import elementwise, indexing, shape  # noqa: F401
from . import creation, fft  # noqa: F401
from . import contraction, factorize, spectral  # noqa: F401  (linear algebra)
from . import reduction, scan, sort  # noqa: F401
from . import grad  # noqa: F401
from . import fusion  # noqa: F401
# The rules of the families not yet declared in one place (elementwise ops carry theirs in their declarations).
from . import (  # noqa: F401  (the lowerings)
    lower_arithmetic, lower_elementwise, lower_math,
)
from .rules import define  # noqa: F401
from .schema import SCHEMAS, OpSchema, TensorType  # noqa: F401
