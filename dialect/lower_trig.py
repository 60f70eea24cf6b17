"""Trigonometry for f32 (and f16/bf16, computed in f32) in f64 arithmetic: elementwise, branch-free, no libm.

IREE's own f32 sin, cos and tan reduce large arguments badly (10^8 ULP at 10^4), and libm's f64 functions are scalar
calls. So x, widened to f64 (exactly), is written x 2/pi = m + y with m an integer, and sin(pi/2 y) = y P(y^2) (m
even, |y| <= 1: sin x = +-sin(pi/2 y), cos x = sin(x + pi/2)) or tan(pi/2 y) = y T(y^2) / U(y^2) (m the nearest
integer; -1/tan for odd m), Remez fits with relative error 2^-38 and 2^-30, give a result rounded once to f32: within
an ULP of the correctly rounded value for every f32 (0.002% of sines and cosines and 0.5% of tangents are an ULP off
on a million samples), -0 kept, NaN for NaN and the infinities (subnormals flush to zero, as everywhere on IREE's
CPU).

The reduction is exact for every f32, with no table and no branch. An f32 is M 2^e with M < 2^24, so the bits of 2/pi
before about bit e only add multiples of 4 to x 2/pi: each element multiplies by 106 bits of 2/pi (F1 + F2) taken
from where its exponent starts to count, one of four windows chosen by |x| (a few compares and selects), as
y = fma(x, F2, fma(x, F1, -m)) with m rounded from x F1 by a shifter (adding 1.5 2^52 rounds to an integer, whose
last bit lands in the sum's last mantissa bit). x F1 - m is exact, so y keeps 52 bits even for the f32 nearest a
multiple of pi/2 (7.729179e+28, within 1.03e-9 of one in units of pi/2). Every op is elementwise arithmetic, so f32
trigonometry fuses into elementwise chains and builds without the host's libm.

The lowering this replaced was slower for two reasons: its stablehlo.if (libm's f64 function when any
|x| >= 2^19 pi/2) kept sin from fusing and made each call reduce a mask and read the predicate back, and its fast
path rounded with stablehlo.round_nearest_even, which IREE expands into dozens of instructions a vector (the shifter
above replaces it). Timings against NumPy and against that lowering are in docs/iree.md.

atan is fdlibm's (its reduction to four intervals and its 11-term polynomial); asin, acos and atan2 are written with
it, in f64 and rounded once."""
import math

import numpy as np

from numerix.dialect.dtypes import f64, s64

from .lower_convert import convert
from .lower_real import is_

# 2/pi's first 256 bits after the point (2/pi = 0.a2f9836e... in hex): the reduction's constants are windows of it.
_TWO_OVER_PI = 0xa2f9836e4e441529fc2757d1f534ddc0db6295993c439041fe5163abdebbc561


def _two_over_pi_bits(first):
    """The 53 bits of 2/pi from bit `first` on (bit 1 is worth 1/2), as a float (exactly)."""
    last = first + 52
    return math.ldexp((_TWO_OVER_PI >> (256 - last)) & ((1 << 53) - 1), -last)


# (bound, bit): an f32 x = M 2^e (M < 2^24) with |x| at or above the bound is multiplied by the 106 bits of 2/pi from
# that bit on. The bits before it add multiples of 4 to x 2/pi (M 2^(e - bit) with e - bit >= 2), which leave the
# quadrant alone; each bound is 26 exponents above the last, so x times the window stays below 2^51.
_WINDOWS = [(0.0, 1), (2.0 ** 51, 27), (2.0 ** 77, 53), (2.0 ** 103, 79)]
_EVEN, _WHOLE = 1.5 * 2.0 ** 53, 1.5 * 2.0 ** 52  # v + these round v (|v| < 2^51) to an even, or any, integer
# sin(pi/2 y) = y P(y^2), relative error 2^-38.4 for |y| <= 1.3; tan(pi/2 y) = y T(y^2) / U(y^2), 2^-30.2 for
# |y| <= 0.7 (Remez fits; the reduction leaves |y| <= 1.29 and 0.67). P's last term costs a little speed
# (docs/iree.md) and leaves 0.002% of sines an ULP from the correctly rounded value instead of 0.4%; tan, the slowest
# of the three, skips that trade.
_SIN = [1.5707963267904168, -0.645964097271402, 0.07969262418416329, -0.004681747227722778, 0.00016043002402263174,
        -3.589486145066561e-06, 5.298445552090702e-08]
_TAN_T = [1.5707963280828114, -0.43257537484969844, 0.010447837744903593]
_TAN_U = [1.0, -1.09785299873943, 0.09785578562924462]
_ATAN_HI = [4.63647609000806093515e-01, 7.85398163397448278999e-01, 9.82793723247329054082e-01,
            1.57079632679489655800e+00]
_ATAN_LO = [2.26987774529616870924e-17, 3.06161699786838301793e-17, 1.39033110312309984516e-17,
            6.12323399573676603587e-17]
_ATAN_T = [3.33333333333329318027e-01, -1.99999999998764832476e-01, 1.42857142725034663711e-01,
           -1.11111104054623557880e-01, 9.09088713343650656196e-02, -7.69187620504482999495e-02,
           6.66107313738753120669e-02, -5.83357013379057348645e-02, 4.97687799461593236017e-02,
           -3.65315727442169155270e-02, 1.62858201153657823623e-02]


def _c(b, like, value):
    return b.full_like(like, value, f64)


def _fma(b, x, y, z):
    return b.emit("math.fma", [x, y, z], x.type)


def _bits(b, x):
    return b.unary("stablehlo.bitcast_convert", x, b.like(x, s64))


def _horner(b, z, coefficients):
    """sum(c_i z^i) by Horner's rule."""
    out = _c(b, z, coefficients[-1])
    for c in reversed(coefficients[:-1]):
        out = _fma(b, out, z, _c(b, z, c))
    return out


def _window(b, x, t, wide):
    """(F1, F2): the window of 2/pi for each element's |x| (x of type t, `wide` the same values in f64)."""
    magnitude = b.unary("stablehlo.abs", x)
    first, second = _c(b, wide, _two_over_pi_bits(1)), _c(b, wide, _two_over_pi_bits(54))
    for bound, bit in _WINDOWS[1:]:
        beyond = is_(b, "GE", magnitude, bound, t)
        first = b.select(beyond, _c(b, wide, _two_over_pi_bits(bit)), first)
        second = b.select(beyond, _c(b, wide, _two_over_pi_bits(bit + 53)), second)
    return first, second


def _reduced(b, x, window, shifter, offset=0.0):
    """(y, s) with x 2/pi + offset = m + y, for m the integer (even for _EVEN) nearest x F1 + offset; s = shifter + m
    holds m's last bit (m/2's for _EVEN) as its last mantissa bit. y = fma(x, F2, fma(x, F1, -m)) rounds once, as
    x F1 - m is exact where it is large (the window begins where x's bits start to count). m is rounded from x F1, and
    for an offset from x F1 + offset itself rounded, so |y| may pass 1/2 (1) by up to 2^-2.6 (+ 2^-3)."""
    first, second = window
    if offset:
        s = b.add(_fma(b, x, first, _c(b, x, offset)), _c(b, x, shifter))
        addend = b.add(b.sub(_c(b, x, shifter), s), _c(b, x, offset))
    else:
        s = _fma(b, x, first, _c(b, x, shifter))
        addend = b.unary("stablehlo.negate", b.sub(s, _c(b, x, shifter)))  # -0 for x = -0: sin and tan keep it
    return _fma(b, x, second, _fma(b, x, first, addend)), s


def trig(b, x, t, which):
    """sin, cos or tan of values of type t (f32), computed in f64 and rounded once (see the module docstring)."""
    wide = convert(b, x, t, f64)
    window = _window(b, x, t, wide)
    if which == "tan":
        y, s = _reduced(b, wide, window, _WHOLE)
        z = b.mul(y, y)
        numerator, denominator = b.mul(y, _horner(b, z, _TAN_T)), _horner(b, z, _TAN_U)  # of tan(pi/2 y)
        odd = b.compare_zero("NE", b.and_(_bits(b, s), b.full_like(s, 1, s64)), s64)  # tan x = -1 / tan(pi/2 y)
        out = b.div(b.select(odd, b.unary("stablehlo.negate", denominator), numerator),
                    b.select(odd, numerator, denominator))
    else:  # sin x = (-1)^(m/2) sin(pi/2 y) for even m, and cos x = sin(x + pi/2)
        y, s = _reduced(b, wide, window, _EVEN, offset=1.0 if which == "cos" else 0.0)
        sine = b.mul(y, _horner(b, b.mul(y, y), _SIN))
        sign = b.binary("stablehlo.shift_left", _bits(b, s), b.full_like(s, 63, s64))
        out = b.unary("stablehlo.bitcast_convert", b.xor(_bits(b, sine), sign), sine.type)
    return convert(b, out, f64, t)


def atan(b, x):
    """fdlibm's atan in f64 arithmetic (correct to an ULP of f64)."""
    a = b.unary("stablehlo.abs", x)
    one, two, three_halves = _c(b, a, 1), _c(b, a, 2), _c(b, a, 1.5)
    # interval 0: [7/16, 11/16), 1: [11/16, 19/16), 2: [19/16, 39/16), 3: beyond; below 7/16 no reduction
    reduced = [b.div(b.sub(b.mul(two, a), one), b.add(two, a)), b.div(b.sub(a, one), b.add(a, one)),
               b.div(b.sub(a, three_halves), b.add(one, b.mul(three_halves, a))),
               b.unary("stablehlo.negate", b.div(one, a))]
    bounds = [7 / 16, 11 / 16, 19 / 16, 39 / 16]
    interval = [b.and_(is_(b, "GE", a, low, f64), is_(b, "LT", a, high, f64)) for low, high in zip(bounds, bounds[1:])]
    interval.append(is_(b, "GE", a, bounds[3], f64))
    t, hi, lo = a, _c(b, a, 0), _c(b, a, 0)
    for i in range(4):
        t = b.select(interval[i], reduced[i], t)
        hi = b.select(interval[i], _c(b, a, _ATAN_HI[i]), hi)
        lo = b.select(interval[i], _c(b, a, _ATAN_LO[i]), lo)
    z = b.mul(t, t)
    w = b.mul(z, z)
    s1 = b.mul(z, _horner(b, w, _ATAN_T[0::2]))
    s2 = b.mul(w, _horner(b, w, _ATAN_T[1::2]))
    series = b.mul(t, b.add(s1, s2))
    small = b.sub(t, series)
    reduced_atan = b.sub(hi, b.sub(b.sub(series, lo), t))
    out = b.select(is_(b, "LT", a, bounds[0], f64), small, reduced_atan)
    return b.binary("math.copysign", out, x)


def asin(b, x):
    """atan(x / sqrt((1 - x)(1 + x))); |x| > 1 is NaN."""
    one = _c(b, x, 1)
    return atan(b, b.div(x, b.unary("stablehlo.sqrt", b.mul(b.sub(one, x), b.add(one, x)))))


def acos(b, x):
    """2 atan(sqrt((1 - x) / (1 + x))); |x| > 1 is NaN."""
    one = _c(b, x, 1)
    return b.mul(_c(b, x, 2), atan(b, b.unary("stablehlo.sqrt", b.div(b.sub(one, x), b.add(one, x)))))


def atan2(b, y, x, t):
    """atan2 of real values of type t: libm's for f64; for narrower types in f64 arithmetic (IREE's f32 atan2(0, 0)
    is NaN), rounded once."""
    if t is f64:
        return b.binary("stablehlo.atan2", y, x)
    return convert(b, _atan2(b, convert(b, y, t, f64), convert(b, x, t, f64)), f64, t)


def _atan2(b, y, x):
    """atan(|y| / |x|), mirrored where x's sign bit is set, with y's sign; C99's zeros and infinities."""
    ay, ax = b.unary("stablehlo.abs", y), b.unary("stablehlo.abs", x)
    base = atan(b, b.div(ay, ax))
    zeros = b.and_(is_(b, "EQ", ay, 0, f64), is_(b, "EQ", ax, 0, f64))
    infinities = b.and_(is_(b, "EQ", ay, np.inf, f64), is_(b, "EQ", ax, np.inf, f64))
    base = b.select(zeros, _c(b, x, 0), b.select(infinities, _c(b, x, math.pi / 4), base))
    negative_x = b.compare_zero("LT", b.unary("stablehlo.bitcast_convert", x, b.like(x, s64)), s64)
    base = b.select(negative_x, b.sub(_c(b, x, math.pi), base), base)
    return b.binary("math.copysign", base, y)


_F64_LIBM = {"sin": "stablehlo.sine", "cos": "stablehlo.cosine", "tan": "stablehlo.tan", "asin": "chlo.asin",
             "acos": "chlo.acos", "atan": "chlo.atan"}
_ARITHMETIC = {"asin": asin, "acos": acos, "atan": atan}


def function(which):
    """fn(b, x, t) for sin, cos, tan, asin, acos or atan: libm's for f64, the f64 arithmetic above for narrower."""
    def fn(b, x, t):
        if t is f64:
            return b.unary(_F64_LIBM[which], x)
        if which in _ARITHMETIC:
            return convert(b, _ARITHMETIC[which](b, convert(b, x, t, f64)), f64, t)
        return trig(b, x, t, which)
    return fn
