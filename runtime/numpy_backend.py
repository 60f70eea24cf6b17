"""The NumPy backend: one rule per nx op, `RULES[name](*arrays, **attrs) -> array or tuple of arrays`.

It computes eager operations, and the reference evaluator interprets traced programs with the same rules, so an
op's NumPy meaning is written once. Rules receive operands already checked by the schema; the backend casts each
result to the type the schema inferred."""
import numpy as np

from numerix.dialect.dtypes import bf16, f16

RULES = {}


def rule(*names):
    def register(fn):
        for name in names:
            if name in RULES:
                raise ValueError(f"NumPy rule for nx.{name} is defined twice")
            RULES[name] = fn
        return fn
    return register


def widen_half(fn):
    """Computes f16/bf16 (and their complex-free kin) in f32, then rounds back, as XLA does: NumPy's f16 paths
    are slow and ml_dtypes' bf16 lacks many ufuncs; an f32 result rounds correctly to 16 bits for +-*/ and sqrt."""
    half = (f16.np, bf16.np)

    def wrapped(*arrays, **attrs):
        if any(a.dtype in half for a in arrays):
            return fn(*(a.astype(np.float32) if a.dtype in half else a for a in arrays), **attrs)
        return fn(*arrays, **attrs)
    wrapped.__name__ = fn.__name__
    return wrapped


def run(name, arrays, attrs, out_types):
    """Runs op `name` on NumPy arrays; returns a tuple of arrays of the inferred result types."""
    with np.errstate(all="ignore"):
        out = RULES[name](*arrays, **attrs)
    outs = out if isinstance(out, tuple) else (out,)
    return tuple(np.asarray(o).astype(t.type.np, copy=False).reshape(t.shape) for o, t in zip(outs, out_types))


# The families register their rules on import.
from . import numpy_elementwise, numpy_shape  # noqa: E402,F401
from . import numpy_creation, numpy_fft, numpy_linalg  # noqa: E402,F401
from . import numpy_reduction  # noqa: E402,F401
from . import numpy_grad  # noqa: E402,F401
