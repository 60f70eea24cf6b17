"""Elementwise functions: Nx's names and the array API's, each converting and promoting its arguments, then
running one nx op. Ops on inexact numbers take integers and bools in the default float (Nx's rule: nx.exp(1) is
f32): those call _float_unary or _float_binary; the rest leave the promoted type as it is."""
from numerix.dialect import dtypes
from numerix.dialect.errors import NxTypeError, NxValueError

from .dispatch import apply
from .operands import as_type, broadcast_shapes, broadcast_to, operands, result_type, to_tensor

__all__ = [
    "exp", "exp2", "expm1", "log", "log1p", "log2", "log10", "sqrt", "rsqrt", "cbrt",
    "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh",
    "erf", "erfc", "erf_inv", "sigmoid", "reciprocal",
    "negate", "positive", "abs", "square", "sign", "floor", "ceil", "round", "trunc",
    "conjugate", "real", "imag", "angle", "is_nan", "is_infinity", "is_finite", "signbit",
    "logical_not", "bitwise_not", "count_leading_zeros", "population_count",
    "add", "subtract", "multiply", "divide", "floor_divide", "quotient", "remainder", "pow", "maximum", "minimum",
    "atan2", "hypot", "copysign", "nextafter", "logaddexp",
    "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_left_shift", "bitwise_right_shift",
    "logical_and", "logical_or", "logical_xor",
    "equal", "not_equal", "less", "less_equal", "greater", "greater_equal",
    "complex", "clip", "select", "where", "bitcast",
    # Aliases: NumPy's and the array API's spellings beside Nx's.
    "negative", "conj", "isnan", "isinf", "isfinite", "logistic", "phase", "bitwise_invert",
    "arccos", "arcsin", "arctan", "arcsinh", "arccosh", "arctanh", "arctan2", "power", "true_divide", "mod",
    "left_shift", "right_shift",
]


def _floating(t):
    return as_type(t, dtypes.to_float(t.type))


def _unary(name, x):
    return apply(name, operands(name, x))


def _float_unary(name, x):
    (t,) = operands(name, x)
    return apply(name, [_floating(t)])


def _binary(name, x, y):
    return apply(name, operands(name, x, y))


def _float_binary(name, x, y):
    return apply(name, [_floating(t) for t in operands(name, x, y)])


# ---- exponentials, logarithms and roots ----

def exp(x, /):
    """e to the power x."""
    return _float_unary("exp", x)


def exp2(x, /):
    """2 to the power x."""
    return _float_unary("exp2", x)


def expm1(x, /):
    """exp(x) - 1, accurate for small x."""
    return _float_unary("expm1", x)


def log(x, base=None, /):
    """The natural logarithm; with a `base` (Nx's log/2), the logarithm to that base: log(x) / log(base). A Python
    number base must be positive and not 1, as in Nx; a tensor base is not checked (it may be traced)."""
    if base is None:
        return _float_unary("log", x)
    if isinstance(base, (int, float)) and not isinstance(base, bool) and (base <= 0 or base == 1):
        raise NxValueError(f"base must be greater than 0 and other than 1, got {base!r}", op="log")
    a, b = (_floating(t) for t in operands("log", x, base))
    return divide(apply("log", [a]), apply("log", [b]))


def log1p(x, /):
    """log(1 + x), accurate for small x."""
    return _float_unary("log1p", x)


def log2(x, /):
    """The base-2 logarithm."""
    return _float_unary("log2", x)


def log10(x, /):
    """The base-10 logarithm."""
    return _float_unary("log10", x)


def sqrt(x, /):
    """The square root (the principal one for complex x)."""
    return _float_unary("sqrt", x)


def rsqrt(x, /):
    """1 / sqrt(x)."""
    return _float_unary("rsqrt", x)


def cbrt(x, /):
    """The real cube root."""
    return _float_unary("cbrt", x)


# ---- trigonometric and hyperbolic functions ----

def sin(x, /):
    """The sine."""
    return _float_unary("sin", x)


def cos(x, /):
    """The cosine."""
    return _float_unary("cos", x)


def tan(x, /):
    """The tangent."""
    return _float_unary("tan", x)


def asin(x, /):
    """The inverse sine."""
    return _float_unary("asin", x)


def acos(x, /):
    """The inverse cosine."""
    return _float_unary("acos", x)


def atan(x, /):
    """The inverse tangent."""
    return _float_unary("atan", x)


def sinh(x, /):
    """The hyperbolic sine."""
    return _float_unary("sinh", x)


def cosh(x, /):
    """The hyperbolic cosine."""
    return _float_unary("cosh", x)


def tanh(x, /):
    """The hyperbolic tangent."""
    return _float_unary("tanh", x)


def asinh(x, /):
    """The inverse hyperbolic sine."""
    return _float_unary("asinh", x)


def acosh(x, /):
    """The inverse hyperbolic cosine."""
    return _float_unary("acosh", x)


def atanh(x, /):
    """The inverse hyperbolic tangent."""
    return _float_unary("atanh", x)


# ---- special functions ----

def erf(x, /):
    """The error function."""
    return _float_unary("erf", x)


def erfc(x, /):
    """The complementary error function, 1 - erf(x)."""
    return _float_unary("erfc", x)


def erf_inv(x, /):
    """The inverse of erf."""
    return _float_unary("erf_inv", x)


def sigmoid(x, /):
    """The logistic function, 1 / (1 + exp(-x))."""
    return _float_unary("sigmoid", x)


def reciprocal(x, /):
    """1 / x."""
    return _float_unary("reciprocal", x)


# ---- sign, magnitude and rounding ----

def negate(x, /):
    """-x."""
    return _unary("negate", x)


def positive(x, /):
    """+x: x itself, for any number type."""
    (t,) = operands("positive", x)
    if t.type.is_bool:
        raise NxTypeError("does not support type bool", op="positive")
    return t


def abs(x, /):
    """The absolute value; of a complex number, its magnitude in the real type."""
    return _unary("abs", x)


def square(x, /):
    """x * x."""
    return _unary("square", x)


def sign(x, /):
    """-1, 0 or 1 by the sign of x (NaN for NaN); of a complex number, x / |x| (0 for 0)."""
    (t,) = operands("sign", x)
    if t.type.is_bool:
        raise NxTypeError("does not support type bool", op="sign")
    return apply("sign", [t])


def floor(x, /):
    """The largest integer not above x."""
    return _unary("floor", x)


def ceil(x, /):
    """The smallest integer not below x."""
    return _unary("ceil", x)


def round(x, /, decimals=0):
    """Round half to even (the array API's and NumPy's rule); `decimals` as in NumPy."""
    (t,) = operands("round", x)
    if decimals == 0:
        return apply("round", [t])
    scale = 10.0 ** decimals
    return divide(apply("round", [multiply(_floating(t), scale)]), scale)


def trunc(x, /):
    """x rounded toward zero."""
    return _unary("trunc", x)


# ---- complex parts ----

def conjugate(x, /):
    """The complex conjugate (x itself for real types)."""
    return _unary("conjugate", x)


def real(x, /):
    """The real part, in the real type."""
    return _unary("real", x)


def imag(x, /):
    """The imaginary part, in the real type (zero for real types)."""
    return _unary("imag", x)


def angle(x, /):
    """The argument of a complex number, in the real type (0 or pi for a real number)."""
    return _unary("angle", x)


# ---- classification ----

def is_nan(x, /):
    """Whether x is NaN."""
    return _unary("is_nan", x)


def is_infinity(x, /):
    """Whether x is infinite."""
    return _unary("is_infinity", x)


def is_finite(x, /):
    """Whether x is neither infinite nor NaN."""
    return _unary("is_finite", x)


def signbit(x, /):
    """Whether x's sign bit is set (true for -0.0)."""
    return _unary("signbit", x)


# ---- bits and logic ----

def logical_not(x, /):
    """Whether x is zero."""
    return _unary("logical_not", x)


def bitwise_not(x, /):
    """~x: every bit flipped (for bool, logical not)."""
    (t,) = operands("bitwise_not", x)
    return apply("logical_not", [t]) if t.type.is_bool else apply("bitwise_not", [t])


def count_leading_zeros(x, /):
    """The number of leading zero bits of an integer."""
    return _unary("count_leading_zeros", x)


def population_count(x, /):
    """The number of set bits of an integer."""
    return _unary("population_count", x)


def bitwise_and(x, y, /):
    """x & y."""
    return _binary("bitwise_and", x, y)


def bitwise_or(x, y, /):
    """x | y."""
    return _binary("bitwise_or", x, y)


def bitwise_xor(x, y, /):
    """x ^ y."""
    return _binary("bitwise_xor", x, y)


def _shift(name, x, y):
    a, b = operands(name, x, y)
    if not a.type.is_integer:
        raise NxTypeError(f"shifts need integer operands, got {a.type.name}", op=name)
    return apply(name, [a, b])


def bitwise_left_shift(x, y, /):
    """x << y."""
    return _shift("left_shift", x, y)


def bitwise_right_shift(x, y, /):
    """x >> y (arithmetic for signed integers)."""
    return _shift("right_shift", x, y)


def logical_and(x, y, /):
    """Whether both x and y are nonzero."""
    return _binary("logical_and", x, y)


def logical_or(x, y, /):
    """Whether x or y is nonzero."""
    return _binary("logical_or", x, y)


def logical_xor(x, y, /):
    """Whether exactly one of x and y is nonzero."""
    return _binary("logical_xor", x, y)


# ---- comparisons ----

def equal(x, y, /):
    """x == y."""
    return _binary("equal", x, y)


def not_equal(x, y, /):
    """x != y."""
    return _binary("not_equal", x, y)


def less(x, y, /):
    """x < y."""
    return _binary("less", x, y)


def less_equal(x, y, /):
    """x <= y."""
    return _binary("less_equal", x, y)


def greater(x, y, /):
    """x > y."""
    return _binary("greater", x, y)


def greater_equal(x, y, /):
    """x >= y."""
    return _binary("greater_equal", x, y)


# ---- arithmetic ----

def add(x, y, /):
    """x + y."""
    return _binary("add", x, y)


def subtract(x, y, /):
    """x - y."""
    return _binary("subtract", x, y)


def multiply(x, y, /):
    """x * y."""
    return _binary("multiply", x, y)


def divide(x, y, /):
    """x / y, true division (integers and bools divide in the default float)."""
    return _float_binary("divide", x, y)


def floor_divide(x, y, /):
    """NumPy's `//`: floor of the quotient (the sign follows NumPy's rules for integers too)."""
    a, b = operands("floor_divide", x, y)
    if a.type.is_complex or a.type.is_bool:
        raise NxTypeError(f"does not support type {a.type.name}", op="floor_divide")
    return apply("floor_divide", [a, b])


def quotient(x, y, /):
    """Nx's quotient: integer division rounding toward zero (x // y floors instead); integer operands only."""
    a, b = operands("quotient", x, y)
    if not a.type.is_integer:
        raise NxTypeError(f"expects integer tensors as inputs and outputs an integer tensor, got {a.type.name}",
                          op="quotient")
    return apply("quotient", [a, b])


def remainder(x, y, /):
    """NumPy's `%`: the remainder of floor division, with the sign of y."""
    return _binary("remainder", x, y)


def pow(x, y, /):
    """x ** y (bools as the default integer)."""
    a, b = operands("pow", x, y)
    if a.type.is_bool:
        a, b = as_type(a, dtypes.DEFAULT_INT), as_type(b, dtypes.DEFAULT_INT)
    return apply("pow", [a, b])


def maximum(x, y, /):
    """Elementwise maximum (NaN propagates); nx.max is the reduction."""
    return apply("max", operands("maximum", x, y))


def minimum(x, y, /):
    """Elementwise minimum (NaN propagates); nx.min is the reduction."""
    return apply("min", operands("minimum", x, y))


def atan2(x, y, /):
    """The inverse tangent of x / y in the quadrant of the point (y, x): NumPy's arctan2."""
    return _float_binary("atan2", x, y)


def hypot(x, y, /):
    """sqrt(x ** 2 + y ** 2), without overflow in the squares."""
    return _float_binary("hypot", x, y)


def copysign(x, y, /):
    """The magnitude of x with the sign of y."""
    return _float_binary("copysign", x, y)


def nextafter(x, y, /):
    """The next representable number after x in the direction of y."""
    return _float_binary("nextafter", x, y)


def logaddexp(x, y, /):
    """log(exp(x) + exp(y)), without overflow in the exponentials."""
    return _float_binary("logaddexp", x, y)


# ---- selection ----

def complex(re, im, /):
    """Nx's complex: the complex tensor re + i im from real parts (broadcast and promoted; integers, bools and 16-bit
    floats make c64, f64 parts c128)."""
    a, b = operands("complex", re, im)
    if a.type.is_complex:
        raise NxTypeError(f"takes real parts, got {a.type.name} (use real and imag to split a complex tensor)",
                          op="complex")
    part = dtypes.f64 if a.type is dtypes.f64 else dtypes.f32
    return apply("complex", [as_type(a, part), as_type(b, part)])


def bitcast(tensor, type):
    """Nx.bitcast: the tensor's bits read as `type`, an integer or float type of the same width (not complex)."""
    t = to_tensor(tensor)
    new = dtypes.as_dtype(type)
    for side in (t.type, new):
        if side.is_complex or side.is_bool:
            raise NxTypeError(f"takes integer and float types, got {t.type.name} to {new.name}", op="bitcast")
    if t.type.bits != new.bits:
        raise NxTypeError(f"input type width must match new type width, got input type {t.type.name} and output "
                          f"type {new.name}", op="bitcast")
    return t if t.type is new else apply("bitcast", [t], type=new)


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
        p = not_equal(p, 0)
    common = result_type("select", on_true, on_false)
    a, b = (to_tensor(v, common) for v in (on_true, on_false))
    shape, names = broadcast_shapes("select", p, a, b)
    return apply("select", [broadcast_to(t, shape, names) for t in (p, a, b)])


def where(condition, x1, x2, /):
    """The array API's select: x1 where condition, x2 elsewhere."""
    return select(condition, x1, x2)


negative = negate
conj = conjugate
isnan, isinf, isfinite = is_nan, is_infinity, is_finite
logistic = sigmoid
phase = angle
bitwise_invert = bitwise_not
arccos, arcsin, arctan, arcsinh, arccosh, arctanh = acos, asin, atan, asinh, acosh, atanh
arctan2 = atan2
power = pow
true_divide = divide
mod = remainder
left_shift, right_shift = bitwise_left_shift, bitwise_right_shift
