"""The nx op schema: one entry per op (declared with rules.define), used by eager code, tracing, the verifier and the
evaluator.

An entry gives the op's operand count, its attributes and their kinds, a rule that infers the result types (shape,
type and axis names) from the operand types and attributes while checking them, and whether it is differentiable.
Ops see operands already broadcast and promoted by the frontend (as in StableHLO), so each rule stays simple."""
import math
from dataclasses import dataclass, field
from typing import Callable, NamedTuple, Optional

from numerix.dialect.dtypes import DType
from numerix.dialect.errors import NxShapeError, NxTypeError, NxValueError


class TensorType(NamedTuple):
    shape: tuple
    type: DType
    names: tuple

    @staticmethod
    def of(shape, type, names=None):
        shape = tuple(int(d) for d in shape)
        return TensorType(shape, type, tuple(names) if names is not None else (None,) * len(shape))

    def __str__(self):
        dims = ", ".join(f"{n}: {d}" if n is not None else str(d) for d, n in zip(self.shape, self.names))
        return f"{self.type.name}[{dims}]"


class Callee(NamedTuple):
    """A function of the module that an op names (the callee of nx.grad): its symbol name, argument types and result
    types. The IR spells only the name; reading the op back looks the types up in its module."""
    name: str
    inputs: tuple
    results: tuple


# Attribute kinds: how an attribute's Python value is checked and (in the IR) spelled.
ATTR_KINDS = {
    "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "ints": lambda v: isinstance(v, tuple) and all(isinstance(i, int) and not isinstance(i, bool) for i in v),
    "float": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "bool": lambda v: isinstance(v, bool),
    "type": lambda v: isinstance(v, DType),
    "str": lambda v: isinstance(v, str),
    "shape": lambda v: isinstance(v, tuple) and all(isinstance(i, int) and i >= 0 for i in v),
    "names": lambda v: isinstance(v, tuple) and all(n is None or isinstance(n, str) for n in v),
    "pads": lambda v: isinstance(v, tuple) and all(isinstance(p, tuple) and len(p) == 3 for p in v),
    "array": lambda v: hasattr(v, "dtype") and hasattr(v, "shape"),  # a NumPy array (constants)
    "callee": lambda v: isinstance(v, Callee),
    "callees": lambda v: isinstance(v, tuple) and len(v) > 0 and all(isinstance(c, Callee) for c in v),
}


@dataclass(frozen=True)
class OpSchema:
    name: str
    operands: Optional[int]  # None: variadic (one or more)
    attrs: dict  # attribute name -> kind (a key of ATTR_KINDS); all are required
    infer: Callable  # infer(operand_types, **attrs) -> TensorType or tuple of TensorType
    differentiable: bool = True
    results: int = 1
    defaults: dict = field(default_factory=dict)

    def check(self, operand_types, attrs):
        """Checks operand count and attributes, then infers: returns a tuple of result TensorTypes."""
        n = len(operand_types)
        if self.operands is None and n < 1 or self.operands is not None and n != self.operands:
            want = "one or more" if self.operands is None else self.operands
            raise NxValueError(f"expects {want} operands, got {n}", op=self.name)
        for key, kind in self.attrs.items():
            if key not in attrs:
                raise NxValueError(f"missing attribute '{key}' ({kind})", op=self.name)
            if not ATTR_KINDS[kind](attrs[key]):
                raise NxTypeError(f"attribute '{key}' must be {kind}, got {attrs[key]!r}", op=self.name)
        extra = set(attrs) - set(self.attrs)
        if extra:
            raise NxValueError(f"unknown attributes {sorted(extra)}", op=self.name)
        out = self.infer(operand_types, **attrs)
        out = out if isinstance(out, tuple) and not isinstance(out, TensorType) else (out,)
        for t in out:
            if math.prod(t.shape) * t.type.itemsize > MAX_BYTES:
                raise NxValueError(f"result {t} would take {math.prod(t.shape) * t.type.itemsize:,} bytes, more "
                                   "than any device can address", op=self.name)
        return out


SCHEMAS = {}
# The largest tensor in bytes: what a signed 64-bit size can count (NumPy's and IREE's byte offsets are int64).
MAX_BYTES = (1 << 63) - 1


# ---- helpers shared by the families' inference rules ----

def merge_names(op, *name_lists):
    """Nx's rule for axis names of operands that meet elementwise: None yields to a name; two names must agree."""
    out = list(name_lists[0])
    for names in name_lists[1:]:
        for i, n in enumerate(names):
            if n is None:
                continue
            if out[i] is None:
                out[i] = n
            elif out[i] != n:
                raise NxValueError(f"axis names clash at axis {i}: {out[i]!r} vs {n!r}", op=op)
    return tuple(out)


def same_shapes(op, types):
    first = types[0]
    for t in types[1:]:
        if t.shape != first.shape:
            raise NxShapeError(f"operands must have equal shapes, got {', '.join(str(t) for t in types)}", op=op)


def same_types(op, types):
    if len({t.type for t in types}) != 1:
        raise NxTypeError(f"operands must have equal types, got {', '.join(str(t) for t in types)}", op=op)


def check_axes(op, axes, rank, unique=True):
    for a in axes:
        if not 0 <= a < rank:
            raise NxValueError(f"axis {a} is out of range for rank {rank}", op=op)
    if unique and len(set(axes)) != len(axes):
        raise NxValueError(f"axes {list(axes)} repeat", op=op)


# Type classes an op accepts, checked by `require`.
TYPE_CLASSES = {
    "any": lambda t: True,
    "number": lambda t: not t.is_bool,
    "real": lambda t: not t.is_complex,
    "real_number": lambda t: not t.is_complex and not t.is_bool,
    "inexact": lambda t: t.is_inexact,
    "float": lambda t: t.is_float,
    "integer": lambda t: t.is_integer,
    "integer_or_bool": lambda t: t.is_integer or t.is_bool,
    "bool": lambda t: t.is_bool,
}


def require(op, t, klass):
    if not TYPE_CLASSES[klass](t.type):
        raise NxTypeError(f"does not support type {t.type.name} (operand {t}); expects a {klass.replace('_', ' ')} "
                          "type", op=op)
