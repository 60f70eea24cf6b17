"""Complex arithmetic and functions on (real, imaginary) part pairs, as NumPy computes them.

IREE's own complex ops differ from NumPy in precision (its c64 trigonometry reduces large arguments badly, its
complex cosh, acosh and atanh lose up to 10^8 ULP) and with infinities (multiplication recovers infinities NumPy
leaves as NaN, division by infinity gives NaN where NumPy gives 0). So complex values are split into parts:
multiplication, division, square, sign and integer powers follow NumPy's loops operation for operation in the
parts' own type; the functions use the textbook formulas on accurate real functions (lower_real.py), computed in
f64 for c64 too, with the special cases NumPy's zero imaginary parts need. With infinite and NaN parts, exp, sqrt,
sinh, cosh, tanh, asinh, acosh, atanh and the circular functions built on them give C99 Annex G's special values as
NumPy does (its glibc functions); log, log1p and expm1 did already. The inverse functions switch to log(2z) past
1/eps, where their formulas overflow."""
import numpy as np

from numerix.dialect.dtypes import s64

from . import lower_real as real
from . import lower_trig as trig
from .lower_convert import signed_twin
from .lower_real import is_


def _is_inf(b, x, t):
    return is_(b, "EQ", b.unary("stablehlo.abs", x), np.inf, t)


def _finite(b, x, t):
    return is_(b, "LT", b.unary("stablehlo.abs", x), np.inf, t)


def _is_nan(b, x, t):
    return b.compare("NE", x, x, t)


def _larger_part(b, re, im):
    return b.binary("stablehlo.maximum", b.unary("stablehlo.abs", re), b.unary("stablehlo.abs", im))


def _past_one_over_eps(b, m, t):
    """Whether the magnitude m is past 1/eps (or infinite): where the inverse functions take their large-argument
    forms, their formulas' squares overflowing."""
    return is_(b, "GT", m, 1 / np.finfo(t.np).eps, t)


def mul(b, x, y):
    """NumPy's complex product as its SIMD loops compute it: (fma(ar, br, -ai*bi), fma(ar, bi, ai*br)); the fused
    step keeps an overflowing ar*bi beside an infinite ai*br infinite, where plain products give NaN."""
    (ar, ai), (br, bi) = x, y
    return (b.emit("math.fma", [ar, br, b.unary("stablehlo.negate", b.mul(ai, bi))], ar.type),
            b.emit("math.fma", [ar, bi, b.mul(ai, br)], ar.type))


def c99_mul(b, x, y, t):
    """C's complex product (C99 Annex G, __muldc3): NumPy's, except where both of its parts are NaN while a factor is
    infinite (or a product overflowed); then each infinite part counts as +-1, each NaN beside it as a signed 0, and
    the product is taken again times infinity, so (0.5 + 0i) (inf + NaN i) is inf + NaN i, not NaN + NaN i."""
    (ar, ai), (br, bi) = x, y
    re, im = mul(b, x, y)
    zero, one, inf = (b.full_like(ar, v, t) for v in (0, 1, np.inf))

    def unit(p):  # an infinite part as +-1, a finite one as +-0
        return b.binary("math.copysign", b.select(_is_inf(b, p, t), one, zero), p)

    def zero_if_nan(p):
        return b.select(_is_nan(b, p, t), b.binary("math.copysign", zero, p), p)

    x_inf = b.or_(_is_inf(b, ar, t), _is_inf(b, ai, t))
    y_inf = b.or_(_is_inf(b, br, t), _is_inf(b, bi, t))
    products = (b.mul(ar, br), b.mul(ai, bi), b.mul(ar, bi), b.mul(ai, br))
    any_product_inf = b.or_(b.or_(_is_inf(b, products[0], t), _is_inf(b, products[1], t)),
                            b.or_(_is_inf(b, products[2], t), _is_inf(b, products[3], t)))
    overflowed = b.and_(b.not_(b.or_(x_inf, y_inf)), any_product_inf)
    ar, ai = (b.select(x_inf, unit(p), b.select(b.or_(y_inf, overflowed), zero_if_nan(p), p)) for p in (ar, ai))
    br, bi = (b.select(y_inf, unit(p), b.select(b.or_(x_inf, overflowed), zero_if_nan(p), p)) for p in (br, bi))
    recovered = (b.mul(inf, b.sub(b.mul(ar, br), b.mul(ai, bi))), b.mul(inf, b.add(b.mul(ar, bi), b.mul(ai, br))))
    both_nan = b.and_(_is_nan(b, re, t), _is_nan(b, im, t))
    recover = b.and_(both_nan, b.or_(b.or_(x_inf, y_inf), overflowed))
    return b.select(recover, recovered[0], re), b.select(recover, recovered[1], im)


def div(b, x, y, t):
    """NumPy's complex division (Smith's algorithm, dividing by the larger part of y)."""
    (ar, ai), (br, bi) = x, y
    abs_r, abs_i = b.unary("stablehlo.abs", br), b.unary("stablehlo.abs", bi)
    one = b.full_like(ar, 1, t)
    rat = b.div(bi, br)
    scl = b.div(one, b.add(br, b.mul(bi, rat)))
    by_real = (b.mul(b.add(ar, b.mul(ai, rat)), scl), b.mul(b.sub(ai, b.mul(ar, rat)), scl))
    rat2 = b.div(br, bi)
    scl2 = b.div(one, b.add(bi, b.mul(br, rat2)))
    by_imag = (b.mul(b.add(b.mul(ar, rat2), ai), scl2), b.mul(b.sub(b.mul(ai, rat2), ar), scl2))
    by_zero = (b.div(ar, abs_r), b.div(ai, abs_r))
    zero = b.and_(b.compare_zero("EQ", abs_r, t), b.compare_zero("EQ", abs_i, t))
    real_larger = b.compare("GE", abs_r, abs_i, t)
    return tuple(b.select(real_larger, b.select(zero, z, r), i) for z, r, i in zip(by_zero, by_real, by_imag))


def naive_div(b, x, y):
    """NumPy's nc_quot (used by integer powers): (x * conj(y)) / |y|^2."""
    (ar, ai), (br, bi) = x, y
    d = b.add(b.mul(br, br), b.mul(bi, bi))
    return b.div(b.add(b.mul(ar, br), b.mul(ai, bi)), d), b.div(b.sub(b.mul(ai, br), b.mul(ar, bi)), d)


def sign(b, z, t):
    """NumPy 2's complex sign: z / |z|; an infinite part gives its direction; NaN gives NaN; 0 gives 0."""
    re, im = z
    magnitude = real.hypot(b, re, im, t)
    nan = b.full_like(re, np.nan, t)
    zero = b.full_like(re, 0, t)
    unit = (b.div(re, magnitude), b.div(im, magnitude))
    inf_re, inf_im = (_is_inf(b, p, t) for p in z)
    direction = (b.select(inf_re, b.unary("stablehlo.sign", re), zero),
                 b.select(inf_re, zero, b.unary("stablehlo.sign", im)))
    both = b.and_(inf_re, inf_im)
    infinite = is_(b, "EQ", magnitude, np.inf, t)
    is_zero = b.compare_zero("EQ", magnitude, t)
    is_nan = b.is_nan(magnitude, t)
    out = []
    for u, d in zip(unit, direction):
        value = b.select(infinite, b.select(both, nan, d), u)
        value = b.select(is_zero, zero, value)
        out.append(b.select(is_nan, nan, value))
    return tuple(out)


def integer_power(b, z, n, exponent_real, t):
    """NumPy's nc_pow for an integer exponent n with |n| < 100 (n == 1, 2, 3 spelled out, else binary powers from
    1), then 1 / result for a negative exponent. `n` holds |n| as an integer tensor of type s64."""
    one = (b.full_like(z[0], 1, t), b.full_like(z[0], 0, t))
    acc, p = one, z
    for k in range(7):
        bit = b.compare_zero("NE", b.and_(n, b.full_like(n, 1 << k, s64)), s64)
        product = mul(b, acc, p)
        acc = tuple(b.select(bit, v, a) for v, a in zip(product, acc))
        p = mul(b, p, p)
    a2 = mul(b, z, z)
    a3 = mul(b, z, a2)
    small = [(1, z), (2, a2), (3, a3)]
    out = acc
    for count, value in small:
        hit = b.compare("EQ", n, b.full_like(n, count, s64), s64)
        out = tuple(b.select(hit, v, o) for v, o in zip(value, out))
    inverse = naive_div(b, one, out)
    negative = b.compare_zero("LT", exponent_real, t)
    return tuple(b.select(negative, i, o) for i, o in zip(inverse, out))


# ---- functions (f64 parts) ----

def exp(b, z, t):
    """(e^x cos y, e^x sin y); exp(x + 0j) is exp(x) + 0j, even where exp(x) overflows; an infinite x beside an
    infinite or NaN y gives (inf, NaN) or (0, 0), as NumPy's npy_cexp (the products give NaN)."""
    re, im = z
    scale = b.unary("stablehlo.exponential", re)
    out_re = b.mul(scale, b.unary("stablehlo.cosine", im))
    out_im = b.mul(scale, b.unary("stablehlo.sine", im))
    zero_im = b.compare_zero("EQ", im, t)
    out_re, out_im = b.select(zero_im, scale, out_re), b.select(zero_im, im, out_im)
    endless_im = b.not_(_finite(b, im, t))  # inf or NaN
    up, down = (b.and_(endless_im, is_(b, "EQ", re, value, t)) for value in (np.inf, -np.inf))
    zero, nan = b.full_like(re, 0, t), b.full_like(re, np.nan, t)
    return (b.select(up, re, b.select(down, zero, out_re)), b.select(up, nan, b.select(down, zero, out_im)))


def expm1(b, z, t):
    """NumPy's nc_expm1: (expm1(x) cos y - 2 sin^2(y/2), exp(x) sin y)."""
    re, im = z
    half_sin = b.unary("stablehlo.sine", b.mul(im, b.full_like(im, 0.5, t)))
    out_re = b.sub(b.mul(real.expm1(b, re, t), b.unary("stablehlo.cosine", im)),
                   b.mul(b.full_like(re, 2, t), b.mul(half_sin, half_sin)))
    return out_re, b.mul(b.unary("stablehlo.exponential", re), b.unary("stablehlo.sine", im))


def log(b, z, t):
    """(log|z|, atan2(y, x)); log|z| as log1p((m - 1)(m + 1) + n^2) / 2 near |z| = 1, m and n the larger and smaller
    magnitude."""
    re, im = z
    ax, ay = b.unary("stablehlo.abs", re), b.unary("stablehlo.abs", im)
    m = b.binary("stablehlo.maximum", ax, ay)
    n = b.binary("stablehlo.minimum", ax, ay)
    one = b.full_like(m, 1, t)
    near_one = b.and_(is_(b, "GE", m, 0.5, t), is_(b, "LE", m, 2, t))
    near = b.mul(b.full_like(m, 0.5, t),
                 real.log1p(b, b.add(b.mul(b.sub(m, one), b.add(m, one)), b.mul(n, n)), t))
    far = b.unary("stablehlo.log", real.hypot(b, re, im, t))
    return b.select(near_one, near, far), trig.atan2(b, im, re, t)


def log1p(b, z, t):
    """log(1 + z); below 1/2 in both parts (log1p(x (2 + x) + y^2) / 2, atan2(y, 1 + x)), as the NumPy rule
    (dialect/elementwise.py): NumPy's own log(1 + z) loses the digits of a small z."""
    re, im = z
    one = b.full_like(re, 1, t)
    naive_re, naive_im = log(b, (b.add(re, one), im), t)
    small = is_(b, "LT", _larger_part(b, re, im), 0.5, t)
    squared_modulus_less_one = b.add(b.mul(re, b.add(b.full_like(re, 2, t), re)), b.mul(im, im))
    return (b.select(small, b.mul(b.full_like(re, 0.5, t), real.log1p(b, squared_modulus_less_one, t)), naive_re),
            b.select(small, trig.atan2(b, im, b.add(one, re), t), naive_im))


def sqrt(b, z, t):
    """Kahan's csqrt (NumPy's npy_csqrt): scaled to avoid overflow; the branch cut follows the sign of y."""
    re, im = z
    zero = b.full_like(re, 0, t)
    big = b.or_(is_(b, "GE", b.unary("stablehlo.abs", re), 1e300, t),
                is_(b, "GE", b.unary("stablehlo.abs", im), 1e300, t))
    quarter = b.full_like(re, 0.25, t)
    a = b.select(big, b.mul(re, quarter), re)
    c = b.select(big, b.mul(im, quarter), im)
    half = b.full_like(re, 0.5, t)
    positive = b.compare_zero("GE", a, t)
    root = b.unary("stablehlo.sqrt", b.mul(b.add(b.unary("stablehlo.abs", a), real.hypot(b, a, c, t)), half))
    twice = b.add(root, root)
    out_re = b.select(positive, root, b.div(b.unary("stablehlo.abs", c), twice))
    out_im = b.select(positive, b.div(c, twice), b.binary("math.copysign", root, c))
    two = b.full_like(re, 2, t)
    out_re, out_im = b.select(big, b.mul(out_re, two), out_re), b.select(big, b.mul(out_im, two), out_im)
    # npy_csqrt's special values, the later taking precedence: x = -inf gives (|y - y|, copysign(inf, y)), x = +inf
    # (x, copysign(y - y, y)); a NaN x gives NaN; an infinite y (x, even NaN) gives (inf, y); 0 gives (0, y).
    y_minus_y = b.sub(im, im)  # 0, or NaN for an infinite or NaN y
    inf = b.full_like(re, np.inf, t)
    negative = b.compare_zero("LT", re, t)
    infinite_re = _is_inf(b, re, t)
    out_re = b.select(infinite_re, b.select(negative, b.unary("stablehlo.abs", y_minus_y), re), out_re)
    out_im = b.select(infinite_re, b.select(negative, b.binary("math.copysign", inf, im),
                                            b.binary("math.copysign", y_minus_y, im)), out_im)
    nan_re = _is_nan(b, re, t)
    out_re, out_im = b.select(nan_re, re, out_re), b.select(nan_re, b.full_like(re, np.nan, t), out_im)
    infinite_im = _is_inf(b, im, t)
    out_re, out_im = b.select(infinite_im, inf, out_re), b.select(infinite_im, im, out_im)
    both_zero = b.and_(b.compare_zero("EQ", re, t), b.compare_zero("EQ", im, t))
    return b.select(both_zero, zero, out_re), b.select(both_zero, im, out_im)


def sinh(b, z, t):
    """(sinh x cos y, cosh x sin y), with npy_csinh's special values where the products give NaN: y = 0 gives
    (sinh x, y); an infinite x beside an infinite or NaN y (+inf, NaN); x = 0 beside one (x, NaN)."""
    re, im = z
    sinh_re = real.sinh(b, re, t)
    out_re = b.mul(sinh_re, b.unary("stablehlo.cosine", im))
    out_im = b.mul(real.cosh(b, re, t), b.unary("stablehlo.sine", im))
    endless_im = b.not_(_finite(b, im, t))
    out_re = b.select(b.and_(_is_inf(b, re, t), endless_im), b.full_like(re, np.inf, t), out_re)
    out_re = b.select(b.and_(b.compare_zero("EQ", re, t), endless_im), re, out_re)
    zero_im = b.compare_zero("EQ", im, t)
    return b.select(zero_im, sinh_re, out_re), b.select(zero_im, im, out_im)


def cosh(b, z, t):
    """(cosh x cos y, sinh x sin y), with npy_ccosh's special values where the products give NaN: y = 0 gives
    (cosh x, copysign(0, x) y); an infinite x beside an infinite or NaN y (+inf, NaN); x = 0 beside one (NaN, 0)."""
    re, im = z
    cosh_re = real.cosh(b, re, t)
    out_re = b.mul(cosh_re, b.unary("stablehlo.cosine", im))
    out_im = b.mul(real.sinh(b, re, t), b.unary("stablehlo.sine", im))
    endless_im = b.not_(_finite(b, im, t))
    out_re = b.select(b.and_(_is_inf(b, re, t), endless_im), b.full_like(re, np.inf, t), out_re)
    signed_zero = b.binary("math.copysign", b.full_like(re, 0, t), re)
    out_im = b.select(b.and_(b.compare_zero("EQ", re, t), endless_im), signed_zero, out_im)
    zero_im = b.compare_zero("EQ", im, t)
    return b.select(zero_im, cosh_re, out_re), b.select(zero_im, b.mul(signed_zero, im), out_im)


def tanh(b, z, t):
    """Kahan's ctanh (as in NumPy's npy_ctanh): saturated beyond |x| >= 22."""
    re, im = z
    one = b.full_like(re, 1, t)
    tan = b.unary("stablehlo.tan", im)
    beta = b.add(one, b.mul(tan, tan))
    s = real.sinh(b, re, t)
    rho = b.unary("stablehlo.sqrt", b.add(one, b.mul(s, s)))
    denominator = b.add(one, b.mul(beta, b.mul(s, s)))
    near = (b.div(b.mul(b.mul(beta, rho), s), denominator), b.div(tan, denominator))
    decay = b.unary("stablehlo.exponential", b.unary("stablehlo.negate", b.unary("stablehlo.abs", re)))
    far = (b.binary("math.copysign", one, re),
           b.mul(b.mul(b.full_like(re, 4, t), b.mul(b.unary("stablehlo.sine", im), b.unary("stablehlo.cosine", im))),
                 b.mul(decay, decay)))
    saturated = is_(b, "GE", b.unary("stablehlo.abs", re), 22, t)
    out_re, out_im = (b.select(saturated, f, n) for f, n in zip(far, near))
    # npy_ctanh's special values: an infinite x gives (copysign(1, x), copysign(0, y or sin y cos y)); a finite x
    # beside an infinite or NaN y (NaN, NaN), x = 0 keeping its real part; a NaN x (NaN, y = 0 ? y : NaN).
    nan = b.full_like(re, np.nan, t)
    endless_im = b.not_(_finite(b, im, t))
    finite_re = _finite(b, re, t)
    out_re = b.select(b.and_(finite_re, endless_im), b.select(b.compare_zero("EQ", re, t), re, nan), out_re)
    out_im = b.select(b.and_(finite_re, endless_im), nan, out_im)
    infinite_re = _is_inf(b, re, t)
    sign_source = b.select(_is_inf(b, im, t), im, b.mul(b.unary("stablehlo.sine", im), b.unary("stablehlo.cosine", im)))
    out_re = b.select(infinite_re, b.binary("math.copysign", one, re), out_re)
    out_im = b.select(infinite_re, b.binary("math.copysign", b.full_like(im, 0, t), sign_source), out_im)
    nan_re = _is_nan(b, re, t)
    return b.select(nan_re, re, out_re), b.select(nan_re, b.select(b.compare_zero("EQ", im, t), im, nan), out_im)


def _times_i(b, z):
    return b.unary("stablehlo.negate", z[1]), z[0]


def _times_minus_i(b, z):
    return z[1], b.unary("stablehlo.negate", z[0])


def sin(b, z, t):
    return _times_minus_i(b, sinh(b, _times_i(b, z), t))


def cos(b, z, t):
    return cosh(b, _times_i(b, z), t)


def tan(b, z, t):
    return _times_minus_i(b, tanh(b, _times_i(b, z), t))


def _right_half(b, z, t):
    """(whether z's real part has its sign bit set, -z if so else z): an odd function is computed where the real
    part is non-negative, and its result negated back. The sign bit: -0.0 flips too, so branches and w agree."""
    re, im = z
    bits = signed_twin(t)
    flip = b.compare_zero("LT", b.unary("stablehlo.bitcast_convert", re, b.like(re, bits)), bits)
    return flip, tuple(b.select(flip, b.unary("stablehlo.negate", p), p) for p in z)


def _beyond_one_over_eps(b, re, im, t):
    """(whether |z| is past 1/eps or infinite, log|z| + log 2 without overflow): where the inverse functions are
    log(2z) to the last bit."""
    m = _larger_part(b, re, im)
    n = b.binary("stablehlo.minimum", b.unary("stablehlo.abs", re), b.unary("stablehlo.abs", im))
    ratio = b.select(_is_inf(b, m, t), b.full_like(m, 0, t), b.div(n, m))
    log_2z = b.add(b.add(b.unary("stablehlo.log", m), b.full_like(m, np.log(2), t)),
                   b.mul(b.full_like(m, 0.5, t), real.log1p(b, b.mul(ratio, ratio), t)))
    return _past_one_over_eps(b, m, t), log_2z


def _kahan_asin_acos(b, z, t):
    """(asin z, acos z) by Kahan's formulas ("Branch cuts for complex elementary functions", 1987) from sqrt(1 - z)
    and sqrt(1 + z), each zero's sign kept, so that the cuts fall as C99's: accurate near z = +-1 and 0, where
    log(iz + sqrt(1 - z^2)) cancels (acos(1 + 1e-10j) was 1e7 ULP off as pi/2 - asin z)."""
    re, im = z
    one = b.full_like(re, 1, t)
    m = sqrt(b, (b.sub(one, re), b.unary("stablehlo.negate", im)), t)
    p = sqrt(b, (b.add(one, re), im), t)
    asin_ = (trig.atan2(b, re, b.sub(b.mul(m[0], p[0]), b.mul(m[1], p[1])), t),
             real.asinh(b, b.sub(b.mul(m[0], p[1]), b.mul(m[1], p[0])), t))
    acos_ = (b.mul(b.full_like(re, 2, t), trig.atan2(b, m[0], p[0], t)),
             real.asinh(b, b.sub(b.mul(p[0], m[1]), b.mul(p[1], m[0])), t))
    return asin_, acos_


def asinh(b, z, t):
    """-i asin(iz) by Kahan's formulas. Past 1/eps, where they overflow, and with infinite parts it is log(2w) for w
    = z or -z with a non-negative real part, the signs put back: (copysign(log|z| + log 2, x), copysign(atan2(|y|,
    |x|), y)); a NaN part gives NaN but for an infinite other part (kept, beside NaN) and y = 0 (kept): NumPy's
    npy_casinh."""
    re, im = z
    (a, c), _ = _kahan_asin_acos(b, _times_i(b, z), t)
    out_re, out_im = c, b.unary("stablehlo.negate", a)
    large, log_2z = _beyond_one_over_eps(b, re, im, t)
    out_re = b.select(large, b.binary("math.copysign", log_2z, re), out_re)
    out_im = b.select(large, b.binary("math.copysign", trig.atan2(b, b.unary("stablehlo.abs", im),
                                                                  b.unary("stablehlo.abs", re), t), im), out_im)
    nan = b.full_like(re, np.nan, t)
    nan_re = _is_nan(b, re, t)
    nan_part = b.or_(nan_re, _is_nan(b, im, t))
    special_re = b.select(_is_inf(b, re, t), re, b.select(_is_inf(b, im, t), im, nan))
    special_im = b.select(b.and_(nan_re, b.compare_zero("EQ", im, t)), im, nan)
    return b.select(nan_part, special_re, out_re), b.select(nan_part, special_im, out_im)


def asin(b, z, t):
    return _times_minus_i(b, asinh(b, _times_i(b, z), t))


def acos(b, z, t):
    """Kahan's formula; past 1/eps (atan2(|y|, x), -copysign(log|2z|, y)), as NumPy's npy_cacos; with a NaN part
    pi/2 - asin z, whose special values are NumPy's."""
    re, im = z
    _, (out_re, out_im) = _kahan_asin_acos(b, z, t)
    large, log_2z = _beyond_one_over_eps(b, re, im, t)
    out_re = b.select(large, trig.atan2(b, b.unary("stablehlo.abs", im), re, t), out_re)
    out_im = b.select(large, b.unary("stablehlo.negate", b.binary("math.copysign", log_2z, im)), out_im)
    s_re, s_im = asin(b, z, t)
    nan_part = b.or_(_is_nan(b, re, t), _is_nan(b, im, t))
    return (b.select(nan_part, b.sub(b.full_like(s_re, np.pi / 2, t), s_re), out_re),
            b.select(nan_part, b.unary("stablehlo.negate", s_im), out_im))


def acosh(b, z, t):
    """Kahan's (asinh Re(conj(sqrt(z - 1)) sqrt(z + 1)), 2 atan2(Im sqrt(z - 1), Re sqrt(z + 1))). Past 1/eps and
    with infinite or NaN parts, from acos(z) = (a, c) as NumPy's npy_cacosh: (|c|, copysign(a, y)), NaNs as it
    orders them."""
    re, im = z
    one = b.full_like(re, 1, t)
    m = sqrt(b, (b.sub(re, one), im), t)
    p = sqrt(b, (b.add(re, one), im), t)
    out_re = real.asinh(b, b.add(b.mul(m[0], p[0]), b.mul(m[1], p[1])), t)
    out_im = b.mul(b.full_like(re, 2, t), trig.atan2(b, m[1], p[0], t))
    a, c = acos(b, z, t)
    nan_a, nan_c = _is_nan(b, a, t), _is_nan(b, c, t)
    from_acos_re = b.select(nan_c, c, b.unary("stablehlo.abs", c))
    from_acos_im = b.select(nan_a, a, b.select(nan_c, c, b.binary("math.copysign", a, im)))
    # acosh(+-0 + NaN i) is NaN + pi/2 i in NumPy (glibc's cacosh), where the rule above gives NaN + NaN i.
    zero_beside_nan = b.and_(b.compare_zero("EQ", re, t), _is_nan(b, im, t))
    from_acos_im = b.select(zero_beside_nan, b.full_like(im, np.pi / 2, t), from_acos_im)
    magnitude = _larger_part(b, re, im)
    special = b.or_(_past_one_over_eps(b, magnitude, t), _is_nan(b, magnitude, t))
    return b.select(special, from_acos_re, out_re), b.select(special, from_acos_im, out_im)


def atanh(b, z, t):
    """atanh is odd: computed for the z or -z whose real part is non-negative, and negated back. Near x = -1 the
    formula's log1p argument came within rounding of -1 and gave -inf or NaN (for about 1 in 5 points within 0.1 of
    -1)."""
    flip, w = _right_half(b, z, t)
    return tuple(b.select(flip, b.unary("stablehlo.negate", o), o) for o in _atanh_right_half(b, w, t))


def _atanh_right_half(b, z, t):
    """(log1p(4x / ((1 - x)^2 + y^2)) / 4, atan2(2y, (1 - x)(1 + x) - y^2) / 2) for x >= 0. An infinite part gives
    (copysign(0, x), copysign(pi/2, y)) (y NaN: NaN), as NumPy does: the formula's atan2(inf, -inf) / 2 would give
    3 pi / 8, a wrong number rather than a NaN. Past 1/eps, where the formula's squares overflow, atanh(z) is 1/z
    to the last bit in the real part: (x / |z|^2, copysign(pi/2, y)), as NumPy's npy_catanh. A zero x keeps its real
    part zero beside a NaN y."""
    re, im = z
    one = b.full_like(re, 1, t)
    one_minus = b.sub(one, re)
    four_x = b.mul(b.full_like(re, 4, t), re)
    out_re = b.mul(b.full_like(re, 0.25, t),
                   real.log1p(b, b.div(four_x, b.add(b.mul(one_minus, one_minus), b.mul(im, im))), t))
    denominator = b.sub(b.mul(one_minus, b.add(one, re)), b.mul(im, im))
    out_im = b.mul(b.full_like(re, 0.5, t), trig.atan2(b, b.add(im, im), denominator, t))
    infinite = b.or_(_is_inf(b, re, t), _is_inf(b, im, t))
    nan_im = _is_nan(b, im, t)
    far_im = b.select(nan_im, im, b.binary("math.copysign", b.full_like(im, np.pi / 2, t), im))
    zero_re = b.binary("math.copysign", b.full_like(re, 0, t), re)
    out_re = b.select(b.and_(b.compare_zero("EQ", re, t), nan_im), zero_re, out_re)
    magnitude = real.hypot(b, re, im, t)
    large = _past_one_over_eps(b, magnitude, t)
    out_re = b.select(large, b.div(b.div(re, magnitude), magnitude), out_re)
    out_im = b.select(large, far_im, out_im)
    return b.select(infinite, zero_re, out_re), b.select(infinite, far_im, out_im)


def atan(b, z, t):
    return _times_minus_i(b, atanh(b, _times_i(b, z), t))


def sigmoid(b, z, t):
    """1 / (1 + exp(-z)), the NumPy rule's formula."""
    e = exp(b, (b.unary("stablehlo.negate", z[0]), b.unary("stablehlo.negate", z[1])), t)
    one = b.full_like(z[0], 1, t)
    return div(b, (one, b.full_like(one, 0, t)), (b.add(one, e[0]), e[1]), t)


def log_base(base):
    scale = float(1 / np.log(base))

    def lower(b, z, t):
        return tuple(b.mul(p, b.full_like(p, scale, t)) for p in log(b, z, t))
    return lower


def general_pow(b, z, w, t):
    """exp(w log z), glibc's cpow (with C's product, which recovers infinities)."""
    return exp(b, c99_mul(b, w, log(b, z, t), t), t)
