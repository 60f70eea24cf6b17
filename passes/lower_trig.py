"""Trigonometry for f32 (and f16/bf16, computed in f32) in f64 arithmetic: accurate and vectorized.

IREE's own f32 sin, cos and tan reduce large arguments badly (10^8 ULP at 10^4) and its f32 asin, acos and atan
are off by 40 ULP; libm's f64 functions are exact but scalar (a 1M-element f32 sin: 12 ms against NumPy's 0.6). So
f32 arguments are widened to f64 and computed with plain arithmetic: sin, cos and tan reduce x by multiples of
pi/2 with fdlibm's three-part pi/2 (exact for |x| < 2^19 pi/2), then evaluate Taylor polynomials on |r| <= pi/4
(error below 2^-60); arguments beyond that range, rare, take libm's f64 function instead (a stablehlo.if on the
whole tensor). atan is fdlibm's (its reduction to four intervals and its 11-term polynomial); asin, acos and
atan2 are written with it. The f64 result rounds once to f32."""
import math

import numpy as np

from numerix.dtypes import bool_, f64, s64

from .lower_convert import convert
from .lower_real import is_
from .lower_reduction import reduce

_PIO2_1 = 1.57079632673412561417e+00  # the first 33 bits of pi/2
_PIO2_2 = 6.07710050630396597660e-11  # the next 33 bits
_PIO2_2T = 2.02226624879595063154e-21  # pi/2 - _PIO2_1 - _PIO2_2
_REDUCIBLE = 2.0 ** 19 * math.pi / 2  # k < 2^19: k * _PIO2_1 and k * _PIO2_2 are exact
_SIN = [(-1) ** i / math.factorial(2 * i + 1) for i in range(9)]  # r, r^3 ... r^17
_COS = [(-1) ** i / math.factorial(2 * i) for i in range(10)]  # 1, r^2 ... r^18

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


def _horner(b, z, coefficients):
    """sum(c_i z^i) by Horner's rule."""
    out = _c(b, z, coefficients[-1])
    for c in reversed(coefficients[:-1]):
        out = b.add(b.mul(out, z), _c(b, z, c))
    return out


def _reduced(b, x):
    """(r, k mod 4 as s64) with x = k pi/2 + r, |r| <= pi/4 (for |x| < _REDUCIBLE)."""
    k = b.unary("stablehlo.round_nearest_even", b.mul(x, _c(b, x, 2 / math.pi)))
    r = b.sub(b.sub(b.sub(x, b.mul(k, _c(b, x, _PIO2_1))), b.mul(k, _c(b, x, _PIO2_2))), b.mul(k, _c(b, x, _PIO2_2T)))
    whole = b.convert(b.select(b.is_nan(k, f64), _c(b, k, 0), k), s64)  # (NaN stays in r)
    return r, b.and_(whole, b.full_like(whole, 3, s64))


def _sin_cos(b, x):
    """(sin x, cos x) for |x| < _REDUCIBLE."""
    r, quarter = _reduced(b, x)
    r2 = b.mul(r, r)
    s = b.mul(r, _horner(b, r2, _SIN))
    c = _horner(b, r2, _COS)
    odd = b.compare_zero("NE", b.and_(quarter, b.full_like(quarter, 1, s64)), s64)
    negate_sin = is_(b, "GE", quarter, 2, s64)  # quarters 2, 3
    negate_cos = b.or_(is_(b, "EQ", quarter, 1, s64), is_(b, "EQ", quarter, 2, s64))
    sin = b.select(odd, c, s)
    cos = b.select(odd, s, c)
    return (b.select(negate_sin, b.unary("stablehlo.negate", sin), sin),
            b.select(negate_cos, b.unary("stablehlo.negate", cos), cos))


_LIBM = {"sin": "stablehlo.sine", "cos": "stablehlo.cosine", "tan": "stablehlo.tan"}


def trig(b, x, t, which):
    """sin, cos or tan of values of type t (f32): the reduction and polynomials above in f64; where some |x| is
    beyond the exact reduction, a stablehlo.if replaces those elements by libm's f64 function. The fast path stays
    outside the if (IREE does not fuse the ops inside its regions: a whole sin inside one took 8 ms for 1M
    elements, 2 outside)."""
    sin, cos = _sin_cos(b, convert(b, x, t, f64))
    fast = convert(b, sin if which == "sin" else cos if which == "cos" else b.div(sin, cos), f64, t)
    beyond = b.compare("GE", b.unary("stablehlo.abs", x), b.full_like(x, _REDUCIBLE, t), t)  # NaN: not beyond
    (any_beyond,) = reduce(b, [beyond], [b.constant(False, (), bool_)], tuple(range(len(b.shape(x)))),
                           lambda acc, v: [b.or_(acc, v)])

    def patched():
        exact = convert(b, b.unary(_LIBM[which], convert(b, x, t, f64)), f64, t)
        return [b.select(beyond, exact, fast)]
    return b.if_(any_beyond, patched, lambda: [fast], [x.type])[0]


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
        if which in _LIBM:
            return trig(b, x, t, which)
        return convert(b, _ARITHMETIC[which](b, convert(b, x, t, f64)), f64, t)
    return fn
