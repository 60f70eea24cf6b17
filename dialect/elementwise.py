"""Elementwise nx ops, each declared once: the type class it accepts and its result kind (the schema), its NumPy rule,
its lowering and its derivative (the VJP). Operands have equal shapes and (select and as_type aside) equal types: the
frontend broadcast and promoted them. The lowerings are written in the lowering libraries (lower_arithmetic.py,
lower_elementwise.py, lower_math.py and the numerics they build on); each declaration names its own.

A unary derivative is `(g, x, y) -> cotangent of x` and a binary one `(g, a, b, y) -> (cotangent of a, of b)`, with g
the cotangent of the result y (None: no gradient flows there). Holomorphic ops multiply by their derivative (JAX's
convention, see rules.py); where a formula would divide by zero or take log(0) in a branch that `select` discards,
the operand is replaced first, so that a second derivative does not meet 0 * inf either. An op without a derivative
is not differentiable."""
import math
from typing import Callable, NamedTuple, Optional

import numpy as np

from . import algebra as alg, batching
from . import dtypes
from . import lower_arithmetic, lower_elementwise, lower_math
from . import lower_complex as cplx
from . import lower_real as real
from . import lower_trig as trig
from .errors import NxTypeError
from .identities import (
    BOTH, RIGHT, additive_zero, all_bits, involution, neutral, nonzero, ones, select_on_constant, subtractive_zero,
    unchanged, zeros,
)
from .lower_math import hlo, transcendental
from .rules import define, widen_half
from .schema import TensorType, merge_names, require, same_shapes, same_types


class Elementwise(NamedTuple):
    accepts: str  # the type class of the operands (schema.TYPE_CLASSES)
    numpy: Callable  # the NumPy rule
    lower: Callable  # the lowering, lower(builder, node), from the lowering libraries (lower_*.py)
    derivative: Optional[Callable] = None
    result: Optional[str] = None  # None: the operands' type; "bool"; "real": the real type of a complex
    fold: Optional[Callable] = None  # an exact identity (identities.py)
    fusion: str = "elementwise"  # or "cheap": nx-fuse computes it again where it is read (rules.define)


def _special(name):
    """scipy.special's function `name`, imported at its first call: importing scipy.special is a large share of
    `import numerix`, for four functions."""
    def call(*args):
        import scipy.special
        return getattr(scipy.special, name)(*args)
    return call


_expit = _special("expit")


def _replace(x, where, value):
    """x with `value` where `where` holds: keeps a formula finite where its result is not used."""
    return alg.select(where, alg.full_like(x, value), x)


# ---- NumPy rules that are more than one NumPy function ----

@widen_half
def _log1p(x):
    """np.log1p, but for a complex z below 1/2 in both parts log|1 + z| is log1p(x (2 + x) + y^2) / 2: NumPy computes
    log(1 + z), which loses the digits of a small z (its log1p(1e-12 + 3e-12j) is 3e-5 off). (Nearer -1 the sum
    would cancel, and 1 + x is exact.)"""
    if x.dtype.kind != "c":
        return np.log1p(x)
    re, im = x.real, x.imag
    with np.errstate(invalid="ignore"):
        small = np.maximum(np.abs(re), np.abs(im)) < 0.5
    accurate = np.array(0.5 * np.log1p(re * (2 + re) + im * im), dtype=x.dtype)  # an array: its parts are writable
    accurate.imag = np.arctan2(im, 1 + re)
    return np.where(small, accurate, np.log1p(x))


@widen_half
def _rsqrt(x):
    return 1 / np.sqrt(x)


@widen_half
def _sigmoid(x):
    return 1 / (1 + np.exp(-x)) if x.dtype.kind == "c" else _expit(x)


def _nextafter(x, y):
    if x.dtype != dtypes.bf16.np:
        return np.nextafter(x, y)  # NumPy steps in the operands' own type, f16 included
    # NumPy lacks bf16: step the bit pattern one unit toward y (from zero, to the smallest subnormal of y's sign).
    bits = x.view(np.uint16).astype(np.int32)
    xf, yf = x.astype(np.float32), y.astype(np.float32)
    away_from_zero = (yf > xf) == (xf > 0)
    stepped = np.where(xf == 0, np.where(yf > 0, 1, 0x8001), np.where(away_from_zero, bits + 1, bits - 1))
    out = stepped.astype(np.uint16).view(dtypes.bf16.np)
    return np.where(np.isnan(xf) | np.isnan(yf), np.float32("nan"), np.where(xf == yf, yf, out.astype(np.float32)))


@widen_half
def _reciprocal(x):
    return 1 / x


@widen_half
def _sign(x):
    return np.sign(x)


def _population_count(x):
    # Nx's meaning: the set bits of the two's complement pattern (NumPy's bitwise_count counts those of |x|).
    return np.bitwise_count(x.view(f"u{x.dtype.itemsize}"))


def _bitwise_not(x):
    return np.invert(x)


@widen_half
def _power(x, y):
    if x.dtype.kind not in "iu":
        return np.power(x, y)
    # Integers to negative powers truncate toward zero (XLA, C): 1 for a base of 1, +-1 for -1, else 0.
    negative = y < 0
    out = np.power(x, np.where(negative, 0, y).astype(y.dtype))
    if np.any(negative):
        odd = (y % 2) != 0
        at_negative = np.where(x == 1, 1, np.where(x == -1, np.where(odd, -1, 1), 0)) if x.dtype.kind == "i" \
            else np.where(x == 1, 1, 0)
        out = np.where(negative, at_negative.astype(x.dtype), out)
    return out


def _truncated_quotient(x, y):
    """Division rounding toward zero (C's, Elixir's div); a zero divisor gives 0, as numerix's floor division does,
    and INT_MIN / -1 wraps to INT_MIN."""
    safe = np.where(y == 0, 1, y)
    floor = np.floor_divide(x, safe)
    inexact_and_negative = (floor * safe != x) & ((x < 0) != (safe < 0))
    return np.where(y == 0, 0, floor + inexact_and_negative.astype(x.dtype))


def _shift_count_ok(x, y):
    return (y >= 0) & (y < x.dtype.itemsize * 8)


def _left_shift(x, y):
    # Counts outside [0, bits) shift every bit out, as StableHLO specifies (NumPy leaves them to the C compiler).
    return np.where(_shift_count_ok(x, y), np.left_shift(x, np.where(_shift_count_ok(x, y), y, 0)), 0)


def _right_shift(x, y):
    # Arithmetic for signed types (the sign fills in), logical for unsigned, as NumPy and StableHLO do.
    fill = np.where(x < 0, -1, 0) if x.dtype.kind == "i" else 0
    return np.where(_shift_count_ok(x, y), np.right_shift(x, np.where(_shift_count_ok(x, y), y, 0)), fill)


def _count_leading_zeros(x):
    bits = x.dtype.itemsize * 8
    value = x.view(np.dtype(f"u{x.dtype.itemsize}")).astype(np.uint64)
    count = np.zeros(x.shape, np.int64)
    step = bits // 2
    while step:
        # Where the top `step` bits of the remaining window are zero, count them and shift them out.
        small = value < np.uint64(1 << (bits - step))
        count += np.where(small, step, 0)
        value = np.where(small, value << np.uint64(step), value) & np.uint64((1 << bits) - 1)
        step //= 2
    return count + (value == 0)


# ---- derivatives that are more than a formula ----

def _d_abs(g, x, y):
    if not x.type.is_complex:
        return g * alg.sign(x)  # sign is piecewise constant: its own derivative is zero almost everywhere
    # d|z| = Re(conj(z) dz) / |z|; 0 at z = 0 (JAX's choice), with |z| kept away from 0 for the second derivative.
    return alg.as_type(g / _replace(y, y == 0, 1), x.type) * alg.conjugate(x)


def _d_imag(g, x, y):
    if not x.type.is_complex:
        return None  # the imaginary part of a real number is 0
    return alg.complex(alg.zeros_like(g), -g)  # Im(dz) = Re(-i dz)


def _d_angle(g, x, y):
    if not x.type.is_complex:
        return None  # 0 or pi, piecewise constant
    # angle = atan2(b, a) for z = a + ib: d angle = (a db - b da) / |z|^2 = Re(-i conj(z) dz) / |z|^2.
    a, b = alg.real(x), alg.imag(x)
    scale = g / _replace(a * a + b * b, (a == 0) & (b == 0), 1)
    return alg.complex(-b * scale, -a * scale)


def _d_pow(g, x, y, result):
    # d/dx = y x^(y-1): where y == 0 it is 0, and x^(y-1) is taken at y = 1 there so that 0 * 0^-1 cannot appear.
    dx = g * y * alg.pow(x, _replace(y, y == 0, 1) - 1)
    # d/dy = log(x) x^y: where x == 0 the result is 0 (or 1 at y == 0, whose derivative in y JAX also takes as 0).
    dy = g * alg.log(_replace(x, x == 0, 1)) * result
    return dx, dy


def _d_max_min(g, a, b, result):
    # JAX's rule: the operand equal to the result takes the cotangent; at a tie each takes half.
    a_is, b_is = alg.as_type(a == result, g.type), alg.as_type(b == result, g.type)
    share = 1 - a_is * b_is * 0.5
    return g * a_is * share, g * b_is * share


def _d_hypot(g, a, b, result):
    scale = g / _replace(result, result == 0, 1)
    return a * scale, b * scale


def _d_atan2(g, a, b, result):
    scale = g / _replace(a * a + b * b, (a == 0) & (b == 0), 1)
    return b * scale, -a * scale


# ---- the declarations ----
# name: Elementwise(accepts, NumPy rule, derivative, result=...)

UNARY = {
    "exp": Elementwise("inexact", numpy=widen_half(np.exp),
                       lower=transcendental(real.exp, cplx.exp), derivative=lambda g, x, y: g * y),
    "exp2": Elementwise("inexact", numpy=widen_half(np.exp2), lower=lower_math.exp2,
                        derivative=lambda g, x, y: g * y * math.log(2)),
    "expm1": Elementwise("inexact", numpy=widen_half(np.expm1), lower=transcendental(real.expm1, cplx.expm1),
                         derivative=lambda g, x, y: g * (y + 1)),
    "log": Elementwise("inexact", numpy=widen_half(np.log), lower=transcendental(real.log, cplx.log),
                       derivative=lambda g, x, y: g / x),
    "log1p": Elementwise("inexact", numpy=_log1p, lower=transcendental(real.log1p, cplx.log1p),
                         derivative=lambda g, x, y: g / (x + 1)),
    "log2": Elementwise("inexact", numpy=widen_half(np.log2),
                        lower=transcendental(real.log_base("math.log2", 2), cplx.log_base(2.0)),
                        derivative=lambda g, x, y: g / (x * math.log(2))),
    "log10": Elementwise("inexact", numpy=widen_half(np.log10),
                         lower=transcendental(real.log_base("math.log10", 10), cplx.log_base(10.0)),
                         derivative=lambda g, x, y: g / (x * math.log(10))),
    "sqrt": Elementwise("inexact", numpy=widen_half(np.sqrt), lower=transcendental(hlo("stablehlo.sqrt"), cplx.sqrt),
                        derivative=lambda g, x, y: g / (y * 2)),
    "rsqrt": Elementwise("inexact", numpy=_rsqrt, lower=lower_math.rsqrt, derivative=lambda g, x, y: g * y / x * -0.5),
    "cbrt": Elementwise("float", numpy=widen_half(np.cbrt), lower=lower_math.cbrt,
                        derivative=lambda g, x, y: g / (y * y * 3)),
    "sin": Elementwise("inexact", numpy=widen_half(np.sin), lower=transcendental(trig.function("sin"), cplx.sin),
                       derivative=lambda g, x, y: g * alg.cos(x)),
    "cos": Elementwise("inexact", numpy=widen_half(np.cos), lower=transcendental(trig.function("cos"), cplx.cos),
                       derivative=lambda g, x, y: -g * alg.sin(x)),
    "tan": Elementwise("inexact", numpy=widen_half(np.tan), lower=transcendental(trig.function("tan"), cplx.tan),
                       derivative=lambda g, x, y: g * (y * y + 1)),
    "asin": Elementwise("inexact", numpy=widen_half(np.arcsin), lower=transcendental(trig.function("asin"), cplx.asin),
                        derivative=lambda g, x, y: g * alg.rsqrt(1 - x * x)),
    "acos": Elementwise("inexact", numpy=widen_half(np.arccos), lower=transcendental(trig.function("acos"), cplx.acos),
                        derivative=lambda g, x, y: -g * alg.rsqrt(1 - x * x)),
    "atan": Elementwise("inexact", numpy=widen_half(np.arctan), lower=transcendental(trig.function("atan"), cplx.atan),
                        derivative=lambda g, x, y: g / (x * x + 1)),
    "sinh": Elementwise("inexact", numpy=widen_half(np.sinh), lower=transcendental(real.sinh, cplx.sinh),
                        derivative=lambda g, x, y: g * alg.cosh(x)),
    "cosh": Elementwise("inexact", numpy=widen_half(np.cosh), lower=transcendental(real.cosh, cplx.cosh),
                        derivative=lambda g, x, y: g * alg.sinh(x)),
    "tanh": Elementwise("inexact", numpy=widen_half(np.tanh), lower=transcendental(real.tanh, cplx.tanh),
                        derivative=lambda g, x, y: g * (1 - y * y)),
    "asinh": Elementwise("inexact", numpy=widen_half(np.arcsinh), lower=transcendental(real.asinh, cplx.asinh),
                         derivative=lambda g, x, y: g * alg.rsqrt(x * x + 1)),
    # sqrt(x - 1) * sqrt(x + 1), not sqrt(x * x - 1): the same on reals, and the principal branch on complex.
    "acosh": Elementwise("inexact", numpy=widen_half(np.arccosh), lower=transcendental(real.acosh, cplx.acosh),
                         derivative=lambda g, x, y: g / (alg.sqrt(x - 1) * alg.sqrt(x + 1))),
    "atanh": Elementwise("inexact", numpy=widen_half(np.arctanh), lower=transcendental(real.atanh, cplx.atanh),
                         derivative=lambda g, x, y: g / (1 - x * x)),
    "erf": Elementwise("float", numpy=widen_half(_special("erf")), lower=transcendental(hlo("chlo.erf")),
                       derivative=lambda g, x, y: g * alg.exp(-x * x) * (2 / math.sqrt(math.pi))),
    "erfc": Elementwise("float", numpy=widen_half(_special("erfc")),
                        lower=transcendental(hlo("chlo.erfc"), through_f64=True),
                        derivative=lambda g, x, y: g * alg.exp(-x * x) * (-2 / math.sqrt(math.pi))),
    "erf_inv": Elementwise("float", numpy=widen_half(_special("erfinv")),
                           lower=transcendental(hlo("chlo.erf_inv"), through_f64=True),
                           derivative=lambda g, x, y: g * alg.exp(y * y) * (math.sqrt(math.pi) / 2)),
    "sigmoid": Elementwise("inexact", numpy=_sigmoid, lower=transcendental(hlo("stablehlo.logistic"), cplx.sigmoid),
                           derivative=lambda g, x, y: g * y * (1 - y)),
    "negate": Elementwise("number", numpy=widen_half(np.negative), lower=lower_arithmetic.negate,
                          derivative=lambda g, x, y: -g, fold=involution, fusion="cheap"),
    "abs": Elementwise("number", numpy=widen_half(np.abs), lower=lower_arithmetic.absolute, derivative=_d_abs,
                       result="real", fusion="cheap"),
    "sign": Elementwise("number", numpy=_sign, lower=lower_arithmetic.sign, fusion="cheap"),
    "floor": Elementwise("real_number", numpy=widen_half(np.floor), lower=lower_elementwise.rounding("stablehlo.floor"),
                         fusion="cheap"),
    "ceil": Elementwise("real_number", numpy=widen_half(np.ceil), lower=lower_elementwise.rounding("stablehlo.ceil"),
                        fusion="cheap"),
    "round": Elementwise("number", numpy=widen_half(np.round),
                         lower=lower_elementwise.rounding("stablehlo.round_nearest_even"), fusion="cheap"),
    "trunc": Elementwise("real_number", numpy=widen_half(np.trunc), lower=lower_elementwise.rounding("math.trunc"),
                         fusion="cheap"),
    "conjugate": Elementwise("number", numpy=widen_half(np.conjugate), lower=lower_elementwise.conjugate,
                             derivative=lambda g, x, y: alg.conjugate(g), fold=involution, fusion="cheap"),
    # real(z) pairs its real cotangent with Re(dz); on a real operand it is the identity.
    "real": Elementwise("number", numpy=widen_half(np.real), lower=lower_elementwise.real,
                        derivative=lambda g, x, y: alg.as_type(g, x.type), result="real", fusion="cheap"),
    "imag": Elementwise("number", numpy=widen_half(np.imag), lower=lower_elementwise.imag, derivative=_d_imag,
                        result="real", fusion="cheap"),
    "angle": Elementwise("number", numpy=widen_half(np.angle), lower=lower_elementwise.angle, derivative=_d_angle,
                         result="real"),
    "is_nan": Elementwise("number", numpy=widen_half(np.isnan), lower=lower_elementwise.is_nan, result="bool",
                          fusion="cheap"),
    "is_infinity": Elementwise("number", numpy=widen_half(np.isinf), lower=lower_elementwise.is_infinity,
                               result="bool", fusion="cheap"),
    "is_finite": Elementwise("number", numpy=widen_half(np.isfinite), lower=lower_elementwise.is_finite, result="bool",
                             fusion="cheap"),
    "signbit": Elementwise("real_number", numpy=widen_half(np.signbit), lower=lower_elementwise.signbit, result="bool",
                           fusion="cheap"),
    "bitwise_not": Elementwise("integer_or_bool", numpy=np.invert, lower=lower_elementwise.bitwise_not,
                               fold=involution, fusion="cheap"),
    "logical_not": Elementwise("any", numpy=widen_half(np.logical_not), lower=lower_elementwise.logical_not,
                               result="bool", fold=involution, fusion="cheap"),
    "square": Elementwise("number", numpy=widen_half(np.square), lower=lower_arithmetic.square,
                          derivative=lambda g, x, y: g * x * 2, fusion="cheap"),
    "reciprocal": Elementwise("inexact", numpy=_reciprocal, lower=lower_math.reciprocal,
                              derivative=lambda g, x, y: -g * y * y),
    "count_leading_zeros": Elementwise("integer", numpy=_count_leading_zeros,
                                       lower=lower_elementwise.count_leading_zeros),
    "population_count": Elementwise("integer", numpy=_population_count, lower=lower_elementwise.population_count),
}

BINARY = {
    "add": Elementwise("any", numpy=widen_half(np.add), lower=lower_arithmetic.add,
                       derivative=lambda g, a, b, y: (g, g), fold=neutral(additive_zero, BOTH), fusion="cheap"),
    "subtract": Elementwise("number", numpy=widen_half(np.subtract), lower=lower_arithmetic.subtract,
                            derivative=lambda g, a, b, y: (g, -g), fold=neutral(subtractive_zero, RIGHT),
                            fusion="cheap"),
    "multiply": Elementwise("any", numpy=widen_half(np.multiply), lower=lower_arithmetic.multiply,
                            derivative=lambda g, a, b, y: (g * b, g * a), fold=neutral(ones, BOTH), fusion="cheap"),
    "divide": Elementwise("inexact", numpy=widen_half(np.true_divide), lower=lower_arithmetic.divide,
                          derivative=lambda g, a, b, y: (g / b, -g * y / b), fold=neutral(ones, RIGHT)),
    # NumPy's `//`, floats too: the floor of the quotient
    "floor_divide": Elementwise("real_number", numpy=widen_half(np.floor_divide), lower=lower_arithmetic.floor_divide),
    # Nx's quotient: integer division truncating toward zero
    "quotient": Elementwise("integer", numpy=_truncated_quotient, lower=lower_arithmetic.quotient,
                            fold=neutral(ones, RIGHT)),
    # NumPy's `%`: the sign of the divisor; a - b * floor(a / b).
    "remainder": Elementwise("real_number", numpy=widen_half(np.remainder), lower=lower_arithmetic.remainder,
                             derivative=lambda g, a, b, y: (g, -g * alg.floor(a / b))),
    "pow": Elementwise("number", numpy=_power, lower=lower_math.power, derivative=_d_pow, fold=neutral(ones, RIGHT)),
    "atan2": Elementwise("float", numpy=widen_half(np.arctan2), lower=lower_math.atan2, derivative=_d_atan2),
    "hypot": Elementwise("float", numpy=widen_half(np.hypot), lower=lower_math.hypot, derivative=_d_hypot),
    # elementwise maximum (NaN-propagating)
    "max": Elementwise("any", numpy=widen_half(np.maximum), lower=lower_arithmetic.maximum, derivative=_d_max_min,
                       fusion="cheap"),
    "min": Elementwise("any", numpy=widen_half(np.minimum), lower=lower_arithmetic.minimum, derivative=_d_max_min,
                       fusion="cheap"),
    # |a| with b's sign: d/da = sign(a) * (+1 or -1 by b's sign bit); nothing flows to b.
    "copysign": Elementwise("float", numpy=widen_half(np.copysign), lower=lower_arithmetic.copysign,
                            derivative=lambda g, a, b, y: (g * alg.sign(a) * alg.copysign(alg.ones_like(b), b), None),
                            fusion="cheap"),
    "nextafter": Elementwise("float", numpy=_nextafter, lower=lower_arithmetic.nextafter),
    "logaddexp": Elementwise("float", numpy=widen_half(np.logaddexp), lower=lower_math.logaddexp,
                             derivative=lambda g, a, b, y: (g * alg.exp(a - y), g * alg.exp(b - y))),
    "bitwise_and": Elementwise("integer_or_bool", numpy=widen_half(np.bitwise_and),
                               lower=lower_elementwise.bitwise("stablehlo.and"), fold=neutral(all_bits, BOTH),
                               fusion="cheap"),
    "bitwise_or": Elementwise("integer_or_bool", numpy=widen_half(np.bitwise_or),
                              lower=lower_elementwise.bitwise("stablehlo.or"), fold=neutral(zeros, BOTH),
                              fusion="cheap"),
    "bitwise_xor": Elementwise("integer_or_bool", numpy=widen_half(np.bitwise_xor),
                               lower=lower_elementwise.bitwise("stablehlo.xor"), fold=neutral(zeros, BOTH),
                               fusion="cheap"),
    "left_shift": Elementwise("integer", numpy=_left_shift, lower=lower_elementwise.shift),
    "right_shift": Elementwise("integer", numpy=_right_shift, lower=lower_elementwise.shift),
    "logical_and": Elementwise("any", numpy=widen_half(np.logical_and), lower=lower_elementwise.logical_and,
                               result="bool", fold=neutral(nonzero, BOTH), fusion="cheap"),
    "logical_or": Elementwise("any", numpy=widen_half(np.logical_or), lower=lower_elementwise.logical_or, result="bool",
                              fold=neutral(zeros, BOTH), fusion="cheap"),
    "logical_xor": Elementwise("any", numpy=widen_half(np.logical_xor), lower=lower_elementwise.logical_xor,
                               result="bool", fold=neutral(zeros, BOTH), fusion="cheap"),
    "equal": Elementwise("any", numpy=widen_half(np.equal), lower=lower_elementwise.comparison("EQ"), result="bool",
                         fusion="cheap"),
    "not_equal": Elementwise("any", numpy=widen_half(np.not_equal), lower=lower_elementwise.comparison("NE"),
                             result="bool", fusion="cheap"),
    "less": Elementwise("real", numpy=widen_half(np.less), lower=lower_elementwise.comparison("LT"), result="bool",
                        fusion="cheap"),
    "less_equal": Elementwise("real", numpy=widen_half(np.less_equal), lower=lower_elementwise.comparison("LE"),
                              result="bool", fusion="cheap"),
    "greater": Elementwise("real", numpy=widen_half(np.greater), lower=lower_elementwise.comparison("GT"),
                           result="bool", fusion="cheap"),
    "greater_equal": Elementwise("real", numpy=widen_half(np.greater_equal), lower=lower_elementwise.comparison("GE"),
                                 result="bool", fusion="cheap"),
}


def _infer(accepts, result):
    def infer(types, op):
        same_shapes(op, types)
        same_types(op, types)
        for t in types:
            require(op, t, accepts)
        out_type = dtypes.bool_ if result == "bool" else types[0].type.real_type if result == "real" else types[0].type
        return TensorType(types[0].shape, out_type, merge_names(op, *(t.names for t in types)))
    return infer


def _vjp(arity, derivative):
    """The VJP rule of a derivative."""
    if derivative is None:
        return None
    if arity == 1:
        return lambda cotangents, operands, results: [derivative(cotangents[0], operands[0], results[0])]
    return lambda cotangents, operands, results: list(derivative(cotangents[0], *operands, results[0]))


def _declare(name, arity, op):
    define(name, arity, lambda types, _name=name: _infer(op.accepts, op.result)(types, _name),
           differentiable=op.derivative is not None, numpy=op.numpy, vjp=_vjp(arity, op.derivative), lower=op.lower,
           fold=op.fold, fusion=op.fusion, batch=batching.mapped(name))


for _name, _op in UNARY.items():
    _declare(_name, 1, _op)
for _name, _op in BINARY.items():
    _declare(_name, 2, _op)


# ---- the ops beyond one type class: select, as_type, bitcast, complex ----

def _infer_select(types):
    pred, on_true, on_false = types
    same_shapes("select", types)
    if not pred.type.is_bool:
        raise NxTypeError(f"predicate must be bool, got {pred}", op="select")
    same_types("select", [on_true, on_false])
    return TensorType(on_true.shape, on_true.type, merge_names("select", *(t.names for t in types)))


def _d_select(cotangents, operands, results):
    (g,), (pred, _, _) = cotangents, operands
    zeros = alg.zeros_like(g)
    return [None, alg.select(pred, g, zeros), alg.select(pred, zeros, g)]


define("select", 3, _infer_select, numpy=lambda pred, on_true, on_false: np.where(pred, on_true, on_false),
       vjp=_d_select, lower=lower_elementwise.select, fold=select_on_constant, fusion="cheap",
       batch=batching.mapped("select"))


def _as_type(x, type):
    source = dtypes.of_numpy(x.dtype)
    if source in dtypes.ML_DTYPES:
        x = x.astype(source.compute_type.np)  # exact; ml_dtypes' types lack the ufuncs below
    if type.is_bool:
        return x != 0  # nonzero is true, for complex numbers too (0+1j is true)
    if x.dtype.kind == "c" and not type.is_complex:
        x = x.real  # Nx and JAX drop the imaginary part
    if x.dtype.kind == "f" and type.is_integer:
        # NaN becomes 0 and out-of-range values saturate (XLA's and Nx's rule, where C leaves it undefined).
        info = dtypes.iinfo(type)
        x = np.clip(np.where(np.isnan(x), 0, x).astype(np.float64), info.min, info.max)
        with np.errstate(invalid="ignore"):
            return np.where(x >= float(info.max), info.max, x.astype(type.np))
    return x.astype(type.np)


def _d_as_type(cotangents, operands, results, type):
    # Complex to real keeps the real part, so the real cotangent becomes a complex one with no imaginary part;
    # real to complex pairs only the real part of the cotangent. as_type does both.
    (g,), (x,) = cotangents, operands
    return [alg.as_type(g, x.type)]


define("as_type", 1, lambda types, type: types[0]._replace(type=type), attrs={"type": "type"}, numpy=_as_type,
       vjp=_d_as_type, lower=lower_elementwise.as_type, fold=unchanged, fusion="cheap",
       batch=batching.mapped("as_type"))


def _infer_bitcast(types, type):
    (x,) = types
    if x.type.bits != type.bits or x.type.is_complex != type.is_complex:
        raise NxTypeError(f"cannot reinterpret {x.type.name} as {type.name}: bit widths differ", op="bitcast")
    return x._replace(type=type)


define("bitcast", 1, _infer_bitcast, attrs={"type": "type"}, differentiable=False,
       numpy=lambda x, type: x.view(type.np), lower=lower_elementwise.bitcast, fusion="cheap",
       batch=batching.mapped("bitcast"))


def _infer_complex(types):
    same_shapes("complex", types)
    same_types("complex", types)
    require("complex", types[0], "float")
    if types[0].type.bits < 32:
        raise NxTypeError(f"needs f32 or f64 parts, got {types[0].type.name}", op="complex")
    out = dtypes.c128 if types[0].type is dtypes.f64 else dtypes.c64
    return TensorType(types[0].shape, out, merge_names("complex", types[0].names, types[1].names))


def _d_complex(cotangents, operands, results):
    (g,) = cotangents
    return [alg.real(g), -alg.imag(g)]  # Re(g (da + i db)) = Re(g) da - Im(g) db


def _complex_numpy(re, im):
    """Each part set as it is: re + 1j * im would lose a -0.0 imaginary part (0.0 + -0.0 is 0.0) and make an
    infinite one's real part NaN (1j * inf is nan + inf j)."""
    out = np.empty(np.broadcast_shapes(re.shape, im.shape), np.result_type(re.dtype, im.dtype, np.complex64))
    out.real, out.imag = re, im
    return out


# Nx's complex(re, im); also how complex constants reach the IR.
define("complex", 2, _infer_complex, numpy=_complex_numpy,
       vjp=_d_complex, lower=lower_elementwise.make_complex, fusion="cheap", batch=batching.mapped("complex"))


ELEMENTWISE = frozenset(UNARY) | frozenset(BINARY) | {"select", "as_type", "bitcast", "complex"}
