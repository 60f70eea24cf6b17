"""Typed compositions of nx ops, for rules written once for every emitter: the VJP rules, whose ops the nx-grad pass
writes into IR and the tests compute with NumPy.

A Term is a value of an emitter together with its nx type. Its operators and the functions below check each op by
its schema and hand it to the term's emitter, which has two methods:

    emit(name, values, attrs, out_types) -> the result values
    constant(array) -> the value of a NumPy array of an nx type

This is not the public API: nothing is converted or promoted. Operands must have equal types; shapes broadcast as
NumPy's do (a 1 stretches, missing leading axes are added); a Python number becomes a constant of the type of the
term it meets."""
import numpy as np

from . import dtypes
from .errors import NxTypeError
from .schema import SCHEMAS, TensorType


class Term:
    __slots__ = ("value", "ttype", "emitter")

    def __init__(self, value, ttype, emitter):
        self.value, self.ttype, self.emitter = value, ttype, emitter

    shape = property(lambda self: self.ttype.shape)
    type = property(lambda self: self.ttype.type)
    names = property(lambda self: self.ttype.names)
    ndim = property(lambda self: len(self.ttype.shape))

    __hash__ = object.__hash__  # terms are keys by identity (the adjoint sweep's cotangents); == builds an op

    def __repr__(self):
        return f"Term({self.ttype})"

    def __neg__(self): return apply("negate", [self])
    def __add__(self, other): return _binary("add", self, other)
    def __radd__(self, other): return _binary("add", other, self)
    def __sub__(self, other): return _binary("subtract", self, other)
    def __rsub__(self, other): return _binary("subtract", other, self)
    def __mul__(self, other): return _binary("multiply", self, other)
    def __rmul__(self, other): return _binary("multiply", other, self)
    def __truediv__(self, other): return _binary("divide", self, other)
    def __rtruediv__(self, other): return _binary("divide", other, self)
    def __matmul__(self, other): return matmul(self, other)
    def __and__(self, other): return _binary("logical_and", self, other)
    def __or__(self, other): return _binary("logical_or", self, other)
    def __eq__(self, other): return _binary("equal", self, other)
    def __ne__(self, other): return _binary("not_equal", self, other)


def emit(emitter, name, operands, attrs):
    """Runs nx op `name` on terms of `emitter`; returns a Term, or a tuple for ops with several results (or with a
    variable number: nx.switch's, nx.while's)."""
    schema = SCHEMAS[name]
    out_types = schema.check([t.ttype for t in operands], attrs)
    values = emitter.emit(name, [t.value for t in operands], attrs, out_types)
    outs = tuple(Term(v, t, emitter) for v, t in zip(values, out_types))
    return outs if schema.results != 1 else outs[0]


def apply(name, operands, **attrs):
    """nx op `name` on terms, emitted by the first operand's emitter."""
    return emit(operands[0].emitter, name, operands, attrs)


# ---- constants ----

def constant(like, array, type=None):
    """A constant of `array` in `type` (like's type by default), emitted by like's emitter."""
    type = type or like.type
    array = np.asarray(array).astype(type.np)
    return Term(like.emitter.constant(array), TensorType.of(array.shape, type), like.emitter)


def scalar(like, value, type=None):
    """A rank-0 constant."""
    return constant(like, np.array(value), type)


def full_like(x, value, type=None):
    return broadcast_to(scalar(x, value, type), x.shape)


def zeros_like(x):
    return full_like(x, 0)


def ones_like(x):
    return full_like(x, 1)


def iota(like, shape, axis, type=dtypes.s64):
    return emit(like.emitter, "iota", [], dict(shape=tuple(shape), axis=axis, type=type, names=(None,) * len(shape)))


def eye(like, n, type):
    """The n x n identity in `type` (it broadcasts over a batch)."""
    return as_type(iota(like, (n, n), 0) == iota(like, (n, n), 1), type)


# ---- elementwise ----

def broadcast_to(x, shape):
    """x broadcast to `shape` by NumPy's right-aligned rule."""
    shape = tuple(shape)
    if x.shape == shape:
        return x
    offset = len(shape) - x.ndim
    return apply("broadcast", [x], shape=shape, axes=tuple(range(offset, len(shape))))


def _binary(name, x, y):
    if not isinstance(x, Term):
        x = scalar(y, x)
    if not isinstance(y, Term):
        y = scalar(x, y)
    if x.type is not y.type:
        raise NxTypeError(f"a rule combines {x.ttype} and {y.ttype}; rules convert explicitly", op=name)
    shape = np.broadcast_shapes(x.shape, y.shape)
    return apply(name, [broadcast_to(x, shape), broadcast_to(y, shape)])


def as_type(x, type):
    return x if x.type is type else apply("as_type", [x], type=type)


def select(pred, on_true, on_false):
    """on_true where pred holds, else on_false; either may be a Python number."""
    if not isinstance(on_true, Term):
        on_true = scalar(on_false, on_true)
    if not isinstance(on_false, Term):
        on_false = scalar(on_true, on_false)
    shape = np.broadcast_shapes(pred.shape, on_true.shape, on_false.shape)
    return apply("select", [broadcast_to(t, shape) for t in (pred, on_true, on_false)])


def _unary(name):
    def fn(x):
        return apply(name, [x])
    fn.__name__ = name
    return fn


exp, log, sqrt, rsqrt, sign, floor = (_unary(n) for n in ("exp", "log", "sqrt", "rsqrt", "sign", "floor"))
sin, cos, sinh, cosh = (_unary(n) for n in ("sin", "cos", "sinh", "cosh"))
real, imag, conjugate, is_nan = (_unary(n) for n in ("real", "imag", "conjugate", "is_nan"))


def pow(x, y):
    return _binary("pow", x, y)


def copysign(x, y):
    return _binary("copysign", x, y)


def complex(re, im):
    return apply("complex", [re, im])


# ---- shapes, reductions, matrices ----

def reshape(x, shape):
    return apply("reshape", [x], shape=tuple(shape), names=(None,) * len(shape))


def transpose(x, axes):
    return x if tuple(axes) == tuple(range(x.ndim)) else apply("transpose", [x], axes=tuple(axes))


def sum(x, axes=None, keep_axes=False):
    axes = tuple(range(x.ndim)) if axes is None else tuple(a % x.ndim for a in axes)
    return apply("sum", [x], axes=axes, keep_axes=keep_axes)


def matrix_transpose(x):
    return transpose(x, (*range(x.ndim - 2), x.ndim - 1, x.ndim - 2))


def tril(x, k=0):
    """x with the elements above the k-th diagonal zeroed (of each matrix in a stack)."""
    matrix = x.shape[-2:]
    rows = iota(x, matrix, 0)
    keep = _binary("greater_equal", rows + k if k else rows, iota(x, matrix, 1))
    return select(keep, x, 0)


def matmul(a, b):
    """Matrix products over the last two axes, batch axes broadcast."""
    batch = np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    a, b = broadcast_to(a, batch + a.shape[-2:]), broadcast_to(b, batch + b.shape[-2:])
    axes = tuple(range(len(batch)))
    return apply("dot", [a, b], contract_axes_a=(a.ndim - 1,), batch_axes_a=axes, contract_axes_b=(b.ndim - 2,),
                 batch_axes_b=axes)
