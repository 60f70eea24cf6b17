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
    """e to the power x.

    Examples:
        >>> nx.exp(nx.tensor([1.0, 2.0, 3.0]))
        nx.Tensor<
          f32[3]
          [ 2.718282 ,  7.3890557, 20.085537 ]
        >
    """
    return _float_unary("exp", x)


def exp2(x, /):
    """2 to the power x.

    Examples:
        >>> nx.exp2(nx.tensor([0, 1, 10]))
        nx.Tensor<
          f32[3]
          [1.000e+00, 2.000e+00, 1.024e+03]
        >
    """
    return _float_unary("exp2", x)


def expm1(x, /):
    """exp(x) - 1, accurate for small x.

    Examples:
        >>> nx.expm1(nx.tensor([1e-7, 1.0]))
        nx.Tensor<
          f32[2]
          [1.0000001e-07, 1.7182819e+00]
        >
    """
    return _float_unary("expm1", x)


def log(x, base=None, /):
    """The natural logarithm; with a `base` (Nx's log/2), the logarithm to that base: log(x) / log(base). A Python
    number base must be positive and not 1, as in Nx; a tensor base is not checked (it may be traced).

    Examples:
        >>> nx.log(nx.tensor([1.0, 2.0, 3.0]))
        nx.Tensor<
          f32[3]
          [0.       , 0.6931472, 1.0986123]
        >
        >>> nx.log(nx.tensor([8.0, 100.0]), 2)
        nx.Tensor<
          f32[2]
          [3.      , 6.643856]
        >
    """
    if base is None:
        return _float_unary("log", x)
    if isinstance(base, (int, float)) and not isinstance(base, bool) and (base <= 0 or base == 1):
        raise NxValueError(f"base must be greater than 0 and other than 1, got {base!r}", op="log")
    a, b = (_floating(t) for t in operands("log", x, base))
    return divide(apply("log", [a]), apply("log", [b]))


def log1p(x, /):
    """log(1 + x), accurate for small x.

    Examples:
        >>> nx.log1p(nx.tensor([1e-7, 1.0]))
        nx.Tensor<
          f32[2]
          [9.9999994e-08, 6.9314718e-01]
        >
    """
    return _float_unary("log1p", x)


def log2(x, /):
    """The base-2 logarithm.

    Examples:
        >>> nx.log2(nx.tensor([1.0, 8.0, 10.0]))
        nx.Tensor<
          f32[3]
          [0.      , 3.      , 3.321928]
        >
    """
    return _float_unary("log2", x)


def log10(x, /):
    """The base-10 logarithm.

    Examples:
        >>> nx.log10(nx.tensor([1.0, 1000.0]))
        nx.Tensor<
          f32[2]
          [0.       , 3.0000002]
        >
    """
    return _float_unary("log10", x)


def sqrt(x, /):
    """The square root (the principal one for complex x).

    Examples:
        >>> nx.sqrt(nx.tensor([1.0, 2.0, 4.0]))
        nx.Tensor<
          f32[3]
          [1.       , 1.4142135, 2.       ]
        >
    """
    return _float_unary("sqrt", x)


def rsqrt(x, /):
    """1 / sqrt(x).

    Examples:
        >>> nx.rsqrt(nx.tensor([1.0, 4.0]))
        nx.Tensor<
          f32[2]
          [1. , 0.5]
        >
    """
    return _float_unary("rsqrt", x)


def cbrt(x, /):
    """The real cube root.

    Examples:
        >>> nx.cbrt(nx.tensor([-8.0, 27.0]))
        nx.Tensor<
          f32[2]
          [-2.       ,  2.9999998]
        >
    """
    return _float_unary("cbrt", x)


# ---- trigonometric and hyperbolic functions ----

def sin(x, /):
    """The sine.

    Examples:
        >>> nx.sin(nx.tensor([0.0, 1.0, 2.0]))
        nx.Tensor<
          f32[3]
          [0.       , 0.841471 , 0.9092974]
        >
    """
    return _float_unary("sin", x)


def cos(x, /):
    """The cosine.

    Examples:
        >>> nx.cos(nx.tensor([0.0, 1.0, 2.0]))
        nx.Tensor<
          f32[3]
          [ 1.       ,  0.5403023, -0.4161468]
        >
    """
    return _float_unary("cos", x)


def tan(x, /):
    """The tangent.

    Examples:
        >>> nx.tan(nx.tensor([0.0, 1.0]))
        nx.Tensor<
          f32[2]
          [0.       , 1.5574077]
        >
    """
    return _float_unary("tan", x)


def asin(x, /):
    """The inverse sine.

    Examples:
        >>> nx.asin(nx.tensor([0.0, 0.5, 1.0]))
        nx.Tensor<
          f32[3]
          [0.       , 0.5235988, 1.5707964]
        >
    """
    return _float_unary("asin", x)


def acos(x, /):
    """The inverse cosine.

    Examples:
        >>> nx.acos(nx.tensor([0.0, 0.5, 1.0]))
        nx.Tensor<
          f32[3]
          [1.5707964, 1.0471976, 0.       ]
        >
    """
    return _float_unary("acos", x)


def atan(x, /):
    """The inverse tangent.

    Examples:
        >>> nx.atan(nx.tensor([0.0, 1.0]))
        nx.Tensor<
          f32[2]
          [0.       , 0.7853982]
        >
    """
    return _float_unary("atan", x)


def sinh(x, /):
    """The hyperbolic sine.

    Examples:
        >>> nx.sinh(nx.tensor([0.0, 1.0]))
        nx.Tensor<
          f32[2]
          [0.       , 1.1752012]
        >
    """
    return _float_unary("sinh", x)


def cosh(x, /):
    """The hyperbolic cosine.

    Examples:
        >>> nx.cosh(nx.tensor([0.0, 1.0]))
        nx.Tensor<
          f32[2]
          [1.       , 1.5430807]
        >
    """
    return _float_unary("cosh", x)


def tanh(x, /):
    """The hyperbolic tangent.

    Examples:
        >>> nx.tanh(nx.tensor([0.0, 1.0]))
        nx.Tensor<
          f32[2]
          [0.       , 0.7615942]
        >
    """
    return _float_unary("tanh", x)


def asinh(x, /):
    """The inverse hyperbolic sine.

    Examples:
        >>> nx.asinh(nx.tensor([0.0, 1.0]))
        nx.Tensor<
          f32[2]
          [0.       , 0.8813736]
        >
    """
    return _float_unary("asinh", x)


def acosh(x, /):
    """The inverse hyperbolic cosine.

    Examples:
        >>> nx.acosh(nx.tensor([1.0, 2.0]))
        nx.Tensor<
          f32[2]
          [0.      , 1.316958]
        >
    """
    return _float_unary("acosh", x)


def atanh(x, /):
    """The inverse hyperbolic tangent.

    Examples:
        >>> nx.atanh(nx.tensor([0.0, 0.5]))
        nx.Tensor<
          f32[2]
          [0.        , 0.54930615]
        >
    """
    return _float_unary("atanh", x)


# ---- special functions ----

def erf(x, /):
    """The error function.

    Examples:
        >>> nx.erf(nx.tensor([0.0, 1.0]))
        nx.Tensor<
          f32[2]
          [0.       , 0.8427008]
        >
    """
    return _float_unary("erf", x)


def erfc(x, /):
    """The complementary error function, 1 - erf(x).

    Examples:
        >>> nx.erfc(nx.tensor([0.0, 1.0]))
        nx.Tensor<
          f32[2]
          [1.       , 0.1572992]
        >
    """
    return _float_unary("erfc", x)


def erf_inv(x, /):
    """The inverse of erf.

    Examples:
        >>> nx.erf_inv(nx.tensor([0.0, 0.5]))
        nx.Tensor<
          f32[2]
          [0.        , 0.47693628]
        >
    """
    return _float_unary("erf_inv", x)


def sigmoid(x, /):
    """The logistic function, 1 / (1 + exp(-x)).

    Examples:
        >>> nx.sigmoid(nx.tensor([0.0, 1.0]))
        nx.Tensor<
          f32[2]
          [0.5      , 0.7310586]
        >
    """
    return _float_unary("sigmoid", x)


def reciprocal(x, /):
    """1 / x.

    Examples:
        >>> nx.reciprocal(nx.tensor([1.0, 2.0, 4.0]))
        nx.Tensor<
          f32[3]
          [1.  , 0.5 , 0.25]
        >
    """
    return _float_unary("reciprocal", x)


# ---- sign, magnitude and rounding ----

def negate(x, /):
    """-x.

    Examples:
        >>> nx.negate(nx.tensor([1, -2, 3]))
        nx.Tensor<
          s64[3]
          [-1,  2, -3]
        >
    """
    return _unary("negate", x)


def positive(x, /):
    """+x: x's values, for any number type (another tensor than x: `x[i] = v` rebinds x alone).

    Examples:
        >>> nx.positive(nx.tensor([1, -2]))
        nx.Tensor<
          s64[2]
          [ 1, -2]
        >
    """
    (t,) = operands("positive", x)
    if t.type.is_bool:
        raise NxTypeError("does not support type bool", op="positive")
    return +t


def abs(x, /):
    """The absolute value; of a complex number, its magnitude in the real type.

    Examples:
        >>> nx.abs(nx.tensor([-2, 1]))
        nx.Tensor<
          s64[2]
          [2, 1]
        >
        >>> nx.abs(nx.tensor([3+4j]))
        nx.Tensor<
          f32[1]
          [5.]
        >
    """
    return _unary("abs", x)


def square(x, /):
    """x * x.

    Examples:
        >>> nx.square(nx.tensor([2, -3]))
        nx.Tensor<
          s64[2]
          [4, 9]
        >
    """
    return _unary("square", x)


def sign(x, /):
    """-1, 0 or 1 by the sign of x (NaN for NaN); of a complex number, x / |x| (0 for 0).

    Examples:
        >>> nx.sign(nx.tensor([-2.0, 0.0, 5.0]))
        nx.Tensor<
          f32[3]
          [-1.,  0.,  1.]
        >
    """
    (t,) = operands("sign", x)
    if t.type.is_bool:
        raise NxTypeError("does not support type bool", op="sign")
    return apply("sign", [t])


def floor(x, /):
    """The largest integer not above x.

    Examples:
        >>> nx.floor(nx.tensor([-1.5, 1.5]))
        nx.Tensor<
          f32[2]
          [-2.,  1.]
        >
    """
    return _unary("floor", x)


def ceil(x, /):
    """The smallest integer not below x.

    Examples:
        >>> nx.ceil(nx.tensor([-1.5, 1.5]))
        nx.Tensor<
          f32[2]
          [-1.,  2.]
        >
    """
    return _unary("ceil", x)


def round(x, /, decimals=0):
    """Round half to even (the array API's and NumPy's rule); `decimals` as in NumPy.

    Examples:
        >>> nx.round(nx.tensor([0.5, 1.5, 2.5, -1.2]))
        nx.Tensor<
          f32[4]
          [ 0.,  2.,  2., -1.]
        >
        >>> nx.round(nx.tensor([1.234]), decimals=2)
        nx.Tensor<
          f32[1]
          [1.23]
        >
    """
    (t,) = operands("round", x)
    if decimals == 0:
        return apply("round", [t])
    scale = 10.0 ** decimals
    return divide(apply("round", [multiply(_floating(t), scale)]), scale)


def trunc(x, /):
    """x rounded toward zero.

    Examples:
        >>> nx.trunc(nx.tensor([-1.7, 1.7]))
        nx.Tensor<
          f32[2]
          [-1.,  1.]
        >
    """
    return _unary("trunc", x)


# ---- complex parts ----

def conjugate(x, /):
    """The complex conjugate (x itself for real types).

    Examples:
        >>> nx.conjugate(nx.tensor([1+2j]))
        nx.Tensor<
          c64[1]
          [1.-2.j]
        >
    """
    return _unary("conjugate", x)


def real(x, /):
    """The real part, in the real type.

    Examples:
        >>> nx.real(nx.tensor([1+2j]))
        nx.Tensor<
          f32[1]
          [1.]
        >
    """
    return _unary("real", x)


def imag(x, /):
    """The imaginary part, in the real type (zero for real types).

    Examples:
        >>> nx.imag(nx.tensor([1+2j]))
        nx.Tensor<
          f32[1]
          [2.]
        >
    """
    return _unary("imag", x)


def angle(x, /):
    """The argument of a complex number, in the real type (0 or pi for a real number).

    Examples:
        >>> nx.angle(nx.tensor([1j, -1]))
        nx.Tensor<
          f32[2]
          [1.5707964, 3.1415927]
        >
    """
    return _unary("angle", x)


# ---- classification ----

def is_nan(x, /):
    """Whether x is NaN.

    Examples:
        >>> nx.is_nan(nx.tensor([1.0, nx.nan]))
        nx.Tensor<
          bool[2]
          [False,  True]
        >
    """
    return _unary("is_nan", x)


def is_infinity(x, /):
    """Whether x is infinite.

    Examples:
        >>> nx.is_infinity(nx.tensor([1.0, -nx.inf, nx.nan]))
        nx.Tensor<
          bool[3]
          [False,  True, False]
        >
    """
    return _unary("is_infinity", x)


def is_finite(x, /):
    """Whether x is neither infinite nor NaN.

    Examples:
        >>> nx.is_finite(nx.tensor([1.0, nx.inf, nx.nan]))
        nx.Tensor<
          bool[3]
          [ True, False, False]
        >
    """
    return _unary("is_finite", x)


def signbit(x, /):
    """Whether x's sign bit is set (true for -0.0).

    Examples:
        >>> nx.signbit(nx.tensor([-0.0, 0.0, -1.0]))
        nx.Tensor<
          bool[3]
          [ True, False,  True]
        >
    """
    return _unary("signbit", x)


# ---- bits and logic ----

def logical_not(x, /):
    """Whether x is zero.

    Examples:
        >>> nx.logical_not(nx.tensor([0, 1, 2]))
        nx.Tensor<
          bool[3]
          [ True, False, False]
        >
    """
    return _unary("logical_not", x)


def bitwise_not(x, /):
    """~x: every bit flipped (for bool, logical not).

    Examples:
        >>> nx.bitwise_not(nx.tensor([0, 1], type="u8"))
        nx.Tensor<
          u8[2]
          [255, 254]
        >
    """
    (t,) = operands("bitwise_not", x)
    return apply("logical_not", [t]) if t.type.is_bool else apply("bitwise_not", [t])


def count_leading_zeros(x, /):
    """The number of leading zero bits of an integer.

    Examples:
        >>> nx.count_leading_zeros(nx.tensor([1, 255, 0], type="u8"))
        nx.Tensor<
          u8[3]
          [7, 0, 8]
        >
    """
    return _unary("count_leading_zeros", x)


def population_count(x, /):
    """The number of set bits of an integer.

    Examples:
        >>> nx.population_count(nx.tensor([0, 7, 255], type="u8"))
        nx.Tensor<
          u8[3]
          [0, 3, 8]
        >
    """
    return _unary("population_count", x)


def bitwise_and(x, y, /):
    """x & y.

    Examples:
        >>> nx.bitwise_and(nx.tensor([12, 10]), 6)
        nx.Tensor<
          s64[2]
          [4, 2]
        >
    """
    return _binary("bitwise_and", x, y)


def bitwise_or(x, y, /):
    """x | y.

    Examples:
        >>> nx.bitwise_or(nx.tensor([12, 10]), 6)
        nx.Tensor<
          s64[2]
          [14, 14]
        >
    """
    return _binary("bitwise_or", x, y)


def bitwise_xor(x, y, /):
    """x ^ y.

    Examples:
        >>> nx.bitwise_xor(nx.tensor([12, 10]), 6)
        nx.Tensor<
          s64[2]
          [10, 12]
        >
    """
    return _binary("bitwise_xor", x, y)


def _shift(name, x, y):
    a, b = operands(name, x, y)
    if not a.type.is_integer:
        raise NxTypeError(f"shifts need integer operands, got {a.type.name}", op=name)
    return apply(name, [a, b])


def bitwise_left_shift(x, y, /):
    """x << y.

    Examples:
        >>> nx.bitwise_left_shift(nx.tensor([1, 3]), 2)
        nx.Tensor<
          s64[2]
          [ 4, 12]
        >
    """
    return _shift("left_shift", x, y)


def bitwise_right_shift(x, y, /):
    """x >> y (arithmetic for signed integers).

    Examples:
        >>> nx.bitwise_right_shift(nx.tensor([16, -16]), 2)
        nx.Tensor<
          s64[2]
          [ 4, -4]
        >
    """
    return _shift("right_shift", x, y)


def logical_and(x, y, /):
    """Whether both x and y are nonzero.

    Examples:
        >>> nx.logical_and(nx.tensor([0, 1, 2]), nx.tensor([1, 0, 3]))
        nx.Tensor<
          bool[3]
          [False, False,  True]
        >
    """
    return _binary("logical_and", x, y)


def logical_or(x, y, /):
    """Whether x or y is nonzero.

    Examples:
        >>> nx.logical_or(nx.tensor([0, 1, 0]), nx.tensor([0, 0, 3]))
        nx.Tensor<
          bool[3]
          [False,  True,  True]
        >
    """
    return _binary("logical_or", x, y)


def logical_xor(x, y, /):
    """Whether exactly one of x and y is nonzero.

    Examples:
        >>> nx.logical_xor(nx.tensor([0, 1, 2]), nx.tensor([1, 0, 3]))
        nx.Tensor<
          bool[3]
          [ True,  True, False]
        >
    """
    return _binary("logical_xor", x, y)


# ---- comparisons ----

def equal(x, y, /):
    """x == y.

    Examples:
        >>> nx.equal(nx.tensor([1, 2, 3]), nx.tensor([1, 0, 3]))
        nx.Tensor<
          bool[3]
          [ True, False,  True]
        >
    """
    return _binary("equal", x, y)


def not_equal(x, y, /):
    """x != y.

    Examples:
        >>> nx.not_equal(nx.tensor([1, 2, 3]), nx.tensor([1, 0, 3]))
        nx.Tensor<
          bool[3]
          [False,  True, False]
        >
    """
    return _binary("not_equal", x, y)


def less(x, y, /):
    """x < y.

    Examples:
        >>> nx.less(nx.tensor([1, 2, 3]), 2)
        nx.Tensor<
          bool[3]
          [ True, False, False]
        >
    """
    return _binary("less", x, y)


def less_equal(x, y, /):
    """x <= y.

    Examples:
        >>> nx.less_equal(nx.tensor([1, 2, 3]), 2)
        nx.Tensor<
          bool[3]
          [ True,  True, False]
        >
    """
    return _binary("less_equal", x, y)


def greater(x, y, /):
    """x > y.

    Examples:
        >>> nx.greater(nx.tensor([1, 2, 3]), 2)
        nx.Tensor<
          bool[3]
          [False, False,  True]
        >
    """
    return _binary("greater", x, y)


def greater_equal(x, y, /):
    """x >= y.

    Examples:
        >>> nx.greater_equal(nx.tensor([1, 2, 3]), 2)
        nx.Tensor<
          bool[3]
          [False,  True,  True]
        >
    """
    return _binary("greater_equal", x, y)


# ---- arithmetic ----

def add(x, y, /):
    """x + y.

    Examples:
        >>> nx.add(nx.tensor([1, 2]), 10)
        nx.Tensor<
          s64[2]
          [11, 12]
        >
        >>> nx.tensor([1, 2]) + nx.tensor([0.5, 0.5])
        nx.Tensor<
          f32[2]
          [1.5, 2.5]
        >
    """
    return _binary("add", x, y)


def subtract(x, y, /):
    """x - y.

    Examples:
        >>> nx.subtract(nx.tensor([5, 6]), nx.tensor([1, 2]))
        nx.Tensor<
          s64[2]
          [4, 4]
        >
    """
    return _binary("subtract", x, y)


def multiply(x, y, /):
    """x * y.

    Examples:
        >>> nx.multiply(nx.tensor([1, 2]), nx.tensor([[1], [10]]))
        nx.Tensor<
          s64[2][2]
          [[ 1,  2],
           [10, 20]]
        >
    """
    return _binary("multiply", x, y)


def divide(x, y, /):
    """x / y, true division (integers and bools divide in the default float).

    Examples:
        >>> nx.divide(nx.tensor([1, 2]), 2)
        nx.Tensor<
          f32[2]
          [0.5, 1. ]
        >
    """
    return _float_binary("divide", x, y)


def floor_divide(x, y, /):
    """NumPy's `//`: floor of the quotient (the sign follows NumPy's rules for integers too).

    Examples:
        >>> nx.floor_divide(nx.tensor([7, -7]), 2)
        nx.Tensor<
          s64[2]
          [ 3, -4]
        >
    """
    a, b = operands("floor_divide", x, y)
    if a.type.is_complex or a.type.is_bool:
        raise NxTypeError(f"does not support type {a.type.name}", op="floor_divide")
    return apply("floor_divide", [a, b])


def quotient(x, y, /):
    """Nx's quotient: integer division rounding toward zero (x // y floors instead); integer operands only.

    Examples:
        >>> nx.quotient(nx.tensor([7, -7]), 2)
        nx.Tensor<
          s64[2]
          [ 3, -3]
        >
    """
    a, b = operands("quotient", x, y)
    if not a.type.is_integer:
        raise NxTypeError(f"expects integer tensors as inputs and outputs an integer tensor, got {a.type.name}",
                          op="quotient")
    return apply("quotient", [a, b])


def remainder(x, y, /):
    """NumPy's `%`: the remainder of floor division, with the sign of y.

    Examples:
        >>> nx.remainder(nx.tensor([7, -7]), 3)
        nx.Tensor<
          s64[2]
          [1, 2]
        >
    """
    return _binary("remainder", x, y)


def pow(x, y, /):
    """x ** y (bools as the default integer).

    Examples:
        >>> nx.pow(nx.tensor([2, 3]), 3)
        nx.Tensor<
          s64[2]
          [ 8, 27]
        >
    """
    a, b = operands("pow", x, y)
    if a.type.is_bool:
        a, b = as_type(a, dtypes.DEFAULT_INT), as_type(b, dtypes.DEFAULT_INT)
    return apply("pow", [a, b])


def maximum(x, y, /):
    """Elementwise maximum (NaN propagates); nx.max is the reduction.

    Examples:
        >>> nx.maximum(nx.tensor([1, 5]), nx.tensor([4, 2]))
        nx.Tensor<
          s64[2]
          [4, 5]
        >
    """
    return apply("max", operands("maximum", x, y))


def minimum(x, y, /):
    """Elementwise minimum (NaN propagates); nx.min is the reduction.

    Examples:
        >>> nx.minimum(nx.tensor([1, 5]), nx.tensor([4, 2]))
        nx.Tensor<
          s64[2]
          [1, 2]
        >
    """
    return apply("min", operands("minimum", x, y))


def atan2(x, y, /):
    """The inverse tangent of x / y in the quadrant of the point (y, x): NumPy's arctan2.

    Examples:
        >>> nx.atan2(nx.tensor([1.0, -1.0]), nx.tensor([1.0, 1.0]))
        nx.Tensor<
          f32[2]
          [ 0.7853981, -0.7853981]
        >
    """
    return _float_binary("atan2", x, y)


def hypot(x, y, /):
    """sqrt(x ** 2 + y ** 2), without overflow in the squares.

    Examples:
        >>> nx.hypot(nx.tensor([3.0]), nx.tensor([4.0]))
        nx.Tensor<
          f32[1]
          [5.]
        >
    """
    return _float_binary("hypot", x, y)


def copysign(x, y, /):
    """The magnitude of x with the sign of y.

    Examples:
        >>> nx.copysign(nx.tensor([1.0, 2.0]), nx.tensor([-1.0, 1.0]))
        nx.Tensor<
          f32[2]
          [-1.,  2.]
        >
    """
    return _float_binary("copysign", x, y)


def nextafter(x, y, /):
    """The next representable number after x in the direction of y.

    Examples:
        >>> nx.nextafter(nx.tensor([1.0], type="f16"), 2.0)
        nx.Tensor<
          f16[1]
          [1.001]
        >
    """
    return _float_binary("nextafter", x, y)


def logaddexp(x, y, /):
    """log(exp(x) + exp(y)), without overflow in the exponentials.

    Examples:
        >>> nx.logaddexp(nx.tensor([0.0, 1000.0]), nx.tensor([0.0, 1000.0]))
        nx.Tensor<
          f32[2]
          [6.9314718e-01, 1.0006932e+03]
        >
    """
    return _float_binary("logaddexp", x, y)


# ---- selection ----

def complex(re, im, /):
    """Nx's complex: the complex tensor re + i im from real parts (broadcast and promoted; integers, bools and 16-bit
    floats make c64, f64 parts c128).

    Examples:
        >>> nx.complex(nx.tensor([1.0, 2.0]), nx.tensor([3.0, -1.0]))
        nx.Tensor<
          c64[2]
          [1.+3.j, 2.-1.j]
        >
    """
    a, b = operands("complex", re, im)
    if a.type.is_complex:
        raise NxTypeError(f"takes real parts, got {a.type.name} (use real and imag to split a complex tensor)",
                          op="complex")
    part = dtypes.f64 if a.type is dtypes.f64 else dtypes.f32
    return apply("complex", [as_type(a, part), as_type(b, part)])


def bitcast(tensor, type):
    """Nx.bitcast: the tensor's bits read as `type`, an integer or float type of the same width (not complex).

    Examples:
        >>> nx.bitcast(nx.tensor([1.0], type="f32"), "u32")
        nx.Tensor<
          u32[1]
          [1065353216]
        >
    """
    t = to_tensor(tensor)
    new = dtypes.as_dtype(type)
    for side in (t.type, new):
        if side.is_complex or side.is_bool:
            raise NxTypeError(f"takes integer and float types, got {t.type.name} to {new.name}", op="bitcast")
    if t.type.bits != new.bits:
        raise NxTypeError(f"input type width must match new type width, got input type {t.type.name} and output "
                          f"type {new.name}", op="bitcast")
    return +t if t.type is new else apply("bitcast", [t], type=new)


def clip(x, /, min=None, max=None):
    """Clip into [min, max] (either may be None); the result keeps x's type, as the array API asks.

    Examples:
        >>> nx.clip(nx.tensor([-3, 0, 7]), min=-1, max=5)
        nx.Tensor<
          s64[3]
          [-1,  0,  5]
        >
    """
    t = to_tensor(x)
    out = +t  # another tensor than x when both are None
    if min is not None:
        out = maximum(out, to_tensor(min, t.type))
    if max is not None:
        out = minimum(out, to_tensor(max, t.type))
    return out


def select(pred, on_true, on_false):
    """Nx's select: on_true where pred (any type: nonzero is true), on_false elsewhere; broadcasts all three.

    Examples:
        >>> nx.select(nx.tensor([1, 0, 2]), nx.tensor([1, 2, 3]), 0)
        nx.Tensor<
          s64[3]
          [1, 0, 3]
        >
    """
    p = to_tensor(pred)
    if not p.type.is_bool:
        p = not_equal(p, 0)
    common = result_type("select", on_true, on_false)
    a, b = (to_tensor(v, common) for v in (on_true, on_false))
    shape, names = broadcast_shapes("select", p, a, b)
    return apply("select", [broadcast_to(t, shape, names) for t in (p, a, b)])


def where(condition, x1, x2, /):
    """The array API's select: x1 where condition, x2 elsewhere.

    Examples:
        >>> nx.where(nx.tensor([True, False]), nx.tensor([1.0, 2.0]), nx.tensor([-1.0, -2.0]))
        nx.Tensor<
          f32[2]
          [ 1., -2.]
        >
    """
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
