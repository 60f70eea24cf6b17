"""Elementwise functions: Nx's names and the array API's, each converting and promoting its arguments, then
running one nx op."""
from numerix.dialect import dtypes
from numerix.dialect.elementwise import BINARY, UNARY
from numerix.dialect.errors import NxTypeError

from .dispatch import apply
from .operands import as_type, broadcast_shapes, broadcast_to, operands, result_type, to_tensor

# Ops on inexact numbers take integers and bools in the default float (Nx's rule: nx.exp(1) is f32).
_FLOATING = {name for name, (accepts, _, _) in UNARY.items() if accepts in ("inexact", "float")} | {
    name for name, (accepts, _, _) in BINARY.items() if accepts in ("inexact", "float")}


def _unary(name):
    def fn(x):
        (t,) = operands(name, x)
        if name in _FLOATING:
            t = as_type(t, dtypes.to_float(t.type))
        return apply(name, [t])
    fn.__name__ = name
    fn.__doc__ = f"Elementwise {name} (nx.{name})."
    return fn


def _binary(name):
    def fn(x, y, /):
        a, b = operands(name, x, y)
        if name in _FLOATING:
            a, b = (as_type(t, dtypes.to_float(t.type)) for t in (a, b))
        return apply(name, [a, b])
    fn.__name__ = name
    fn.__doc__ = f"Elementwise {name} with broadcasting and promotion (nx.{name})."
    return fn


# Comparisons and the logical ops take any type; the schema already says what each accepts.
_PUBLIC_UNARY = [n for n in UNARY if n not in ("bitwise_not", "round", "sign")]
_PUBLIC_BINARY = [n for n in BINARY if n not in ("max", "min", "left_shift", "right_shift", "pow", "quotient")]
globals().update({n: _unary(n) for n in _PUBLIC_UNARY})
globals().update({n: _binary(n) for n in _PUBLIC_BINARY})


def round(x, /, decimals=0):
    """Round half to even (the array API's and NumPy's rule); `decimals` as in NumPy."""
    (t,) = operands("round", x)
    if decimals == 0:
        return apply("round", [t])
    scale = 10.0 ** decimals
    t = as_type(t, dtypes.to_float(t.type))
    return divide(apply("round", [multiply(t, scale)]), scale)  # noqa: F821 (defined above)


def sign(x, /):
    (t,) = operands("sign", x)
    if t.type.is_bool:
        raise NxTypeError("does not support type bool", op="sign")
    return apply("sign", [t])


def bitwise_not(x, /):
    (t,) = operands("bitwise_not", x)
    return apply("logical_not", [t]) if t.type.is_bool else apply("bitwise_not", [t])


def maximum(x, y, /):
    """Elementwise maximum (NaN propagates); nx.max is the reduction."""
    return apply("max", operands("maximum", x, y))


def minimum(x, y, /):
    """Elementwise minimum (NaN propagates); nx.min is the reduction."""
    return apply("min", operands("minimum", x, y))


def pow(x, y, /):
    a, b = operands("pow", x, y)
    if a.type.is_bool:
        a, b = as_type(a, dtypes.DEFAULT_INT), as_type(b, dtypes.DEFAULT_INT)
    return apply("pow", [a, b])


def floor_divide(x, y, /):
    """NumPy's `//`: floor of the quotient (the sign follows NumPy's rules for integers too)."""
    a, b = operands("floor_divide", x, y)
    if a.type.is_complex or a.type.is_bool:
        raise NxTypeError(f"does not support type {a.type.name}", op="floor_divide")
    return apply("quotient", [a, b])


def _shift(name, x, y):
    a, b = operands(name, x, y)
    if not a.type.is_integer:
        raise NxTypeError(f"shifts need integer operands, got {a.type.name}", op=name)
    return apply(name, [a, b])


def bitwise_left_shift(x, y, /):
    return _shift("left_shift", x, y)


def bitwise_right_shift(x, y, /):
    return _shift("right_shift", x, y)


def clip(x, /, min=None, max=None):
    """Clip into [min, max] (either may be None); the result keeps x's type, as the array API asks."""
    t = to_tensor(x)
    out = t
    if min is not None:
        out = maximum(out, to_tensor(min, t.type))
    if max is not None:
        out = minimum(out, to_tensor(max, t.type))
    return out


def select(pred, on_true, on_false):
    """Nx's select: on_true where pred (any type: nonzero is true), on_false elsewhere; broadcasts all three."""
    p = to_tensor(pred)
    if not p.type.is_bool:
        p = not_equal(p, 0)  # noqa: F821
    common = result_type("select", on_true, on_false)
    a, b = (to_tensor(v, common) for v in (on_true, on_false))
    shape, names = broadcast_shapes("select", p, a, b)
    return apply("select", [broadcast_to(t, shape, names) for t in (p, a, b)])


def where(condition, x1, x2, /):
    return select(condition, x1, x2)


# Aliases: NumPy's and the array API's spellings beside Nx's.
negative = negate  # noqa: F821
conj = conjugate  # noqa: F821
isnan, isinf, isfinite = is_nan, is_infinity, is_finite  # noqa: F821
logistic = sigmoid  # noqa: F821
phase = angle  # noqa: F821
bitwise_invert = bitwise_not
arccos, arcsin, arctan, arcsinh, arccosh, arctanh = acos, asin, atan, asinh, acosh, atanh  # noqa: F821
arctan2 = atan2  # noqa: F821
power = pow
true_divide = divide  # noqa: F821
mod = remainder  # noqa: F821
left_shift, right_shift = bitwise_left_shift, bitwise_right_shift


def positive(x, /):
    (t,) = operands("positive", x)
    if t.type.is_bool:
        raise NxTypeError("does not support type bool", op="positive")
    return t


_HELPERS = {"dtypes", "BINARY", "UNARY", "NxTypeError", "apply", "as_type", "broadcast_shapes", "broadcast_to",
            "operands", "result_type", "to_tensor"}
__all__ = [n for n in list(globals()) if not n.startswith("_") and n not in _HELPERS]
