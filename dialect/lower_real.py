"""Real building blocks of the transcendental lowerings: each takes the builder, values of a real float type `t`
and returns a value of that type. See lower_math.py for which IREE functions they replace and why."""
import numpy as np

from numerix.dialect.dtypes import bool_, f32, f64

from .lower_convert import convert, signed_twin

LN2 = float(np.log(2.0))
F32_TINY = float(np.finfo(np.float32).tiny)  # the smallest normal f32


def is_(b, direction, x, value, dtype):
    return b.compare(direction, x, b.full_like(x, value, dtype), dtype)


# ---- exp and log family ----

def _subnormal(b, x, t):
    return is_(b, "LT", b.unary("stablehlo.abs", x), F32_TINY, t)


def log(b, x, t):
    """IREE's f32 log reads the exponent from the float's bits, which a subnormal does not hold (log(1e-40) came out
    -87.3, log(2^-126)): a subnormal x is scaled into the normal range by 2^24 first, exactly, and 24 log 2 taken
    off. f64 is IREE's own."""
    if t is not f32:
        return b.unary("stablehlo.log", x)
    tiny = _subnormal(b, x, t)
    out = b.unary("stablehlo.log", b.select(tiny, b.mul(x, b.full_like(x, 2.0 ** 24, t)), x))
    return b.sub(out, b.select(tiny, b.full_like(x, 24 * LN2, t), b.full_like(x, 0, t)))


def log_base(name, base):
    """log2 or log10 (math.log2, math.log10). IREE's f32 ones call libm's log2f and log10f, which its embedded
    runtime lacks (an f32 module links embedded): f32 takes log(x) / log(base) in f64, from IREE's own f64 log
    (within 1 ULP; f32 subnormals are normal there), rounded once, so powers of the base come out exact. f64 calls
    libm's (an f64 module links the system's)."""
    def fn(b, x, t):
        if t is not f32:
            return b.unary(name, x)
        wide = b.unary("stablehlo.log", convert(b, x, f32, f64))
        return convert(b, b.div(wide, b.full_like(wide, float(np.log(base)), f64)), f64, f32)
    return fn


# exp(x) = exp(x -+ H) * exp(+-H) for f32 |x| beyond 87: H is 64 log 2 rounded to a multiple of 2^-6, so that x -+ H
# is exact (x, in [87, 104), is a multiple of 2^-17), and exp(+-H), a normal f32, is one constant.
_EXP_SHIFT = 44.359375


def exp(b, x, t):
    """IREE's f32 exp builds 2^k from exponent bits: it returns 0 where the result is subnormal (exp(-100) is 3.7e-44)
    and is 4 ULP off near overflow. Beyond |x| = 87 it takes exp(x -+ H) * exp(+-H) (above), the product rounded once.
    f64 is IREE's own, which keeps subnormals."""
    if t is not f32:
        return b.unary("stablehlo.exponential", x)
    low, high = is_(b, "LT", x, -87.0, t), is_(b, "GT", x, 87.0, t)

    def by_side(below, above, otherwise):
        return b.select(low, b.full_like(x, below, t), b.select(high, b.full_like(x, above, t),
                                                                 b.full_like(x, otherwise, t)))
    shifted = b.unary("stablehlo.exponential", b.add(x, by_side(_EXP_SHIFT, -_EXP_SHIFT, 0)))
    scale = by_side(float(np.float32(np.exp(-_EXP_SHIFT))), float(np.float32(np.exp(_EXP_SHIFT))), 1)
    # NaN stays NaN: where IREE folds x to a NaN constant, its expansion of exp gives 0 (exp(log(-1)), found by the
    # differential fuzzer).
    return b.select(b.compare("NE", x, x, t), x, b.mul(shifted, scale))


def expm1(b, x, t):
    """f64: u - 1 corrected by u (x - log u) with u = exp(x), since exp(x) = u exp(x - log u) (within 1 ULP, where
    Kahan's (u - 1) x / log u is 2 off); tiny x gives x itself, and where u is 0 or inf u - 1 is the answer."""
    if t is not f64:
        return b.unary("stablehlo.exponential_minus_one", x)
    u = b.unary("stablehlo.exponential", x)
    um1 = b.sub(u, b.full_like(u, 1, t))
    out = b.add(um1, b.mul(u, b.sub(x, b.unary("stablehlo.log", u))))
    out = b.select(is_(b, "EQ", u, 1, t), x, out)
    return b.select(b.or_(is_(b, "EQ", u, 0, t), is_(b, "EQ", u, np.inf, t)), um1, out)


def log1p(b, x, t):
    """f64: log u corrected by (x - (u - 1)) / u with u = 1 + x, the part of x that 1 + x rounded away (within 1 ULP,
    where Goldberg's log(u) x / (u - 1) is 2 off); tiny x gives x itself, u of 0 or inf log u."""
    if t is not f64:
        return b.unary("stablehlo.log_plus_one", x)
    u = b.add(b.full_like(x, 1, t), x)
    log_u = b.unary("stablehlo.log", u)
    out = b.add(log_u, b.div(b.sub(x, b.sub(u, b.full_like(u, 1, t))), u))
    edge = b.or_(is_(b, "EQ", u, np.inf, t), is_(b, "EQ", u, 0, t))
    return b.select(is_(b, "EQ", u, 1, t), x, b.select(edge, log_u, out))


def _half_exp_squared(b, a, t):
    """exp(a) / 2 for large a without overflowing before the result does: (exp(a/2) / 2) * exp(a/2)."""
    w = b.unary("stablehlo.exponential", b.mul(b.full_like(a, 0.5, t), a))
    return b.mul(b.mul(b.full_like(w, 0.5, t), w), w)


def sinh(b, x, t):
    """fdlibm: with e = expm1(|x|), (2e - e^2 / (e + 1)) / 2 below 1, (e + e / (e + 1)) / 2 below 22, exp(|x|) / 2
    beyond; the sign of x put back."""
    a = b.unary("stablehlo.abs", x)
    em1 = expm1(b, a, t)
    half = b.full_like(a, 0.5, t)
    e_over = b.div(em1, b.add(em1, b.full_like(em1, 1, t)))
    below_one = b.mul(half, b.sub(b.add(em1, em1), b.mul(em1, e_over)))
    small = b.select(is_(b, "LT", a, 1, t), below_one, b.mul(half, b.add(em1, e_over)))
    out = b.select(is_(b, "LT", a, 22, t), small, _half_exp_squared(b, a, t))
    return b.binary("math.copysign", out, x)


def cosh(b, x, t):
    a = b.unary("stablehlo.abs", x)
    e = b.unary("stablehlo.exponential", a)
    half = b.full_like(a, 0.5, t)
    small = b.add(b.mul(half, e), b.div(half, e))
    return b.select(is_(b, "LT", a, 22, t), small, _half_exp_squared(b, a, t))


# float type -> (mantissa bits, exponent bias, the |x| past which 2^x is 0 or inf for certain)
_BINARY_LAYOUT = {f32: (23, 127, 160), f64: (52, 1023, 1100)}


def exp2(b, x, t):
    """2^x = 2^r 2^n for n the integer nearest x and r = x - n (exact, |r| <= 1/2): 2^r is exp(r log 2), near 1 and
    so within exp's ULP, and 2^n is exact: two factors built from exponent bits, multiplied in one at a time so that
    the second product alone rounds, into the subnormal range too (exp(x log 2) would lose |x log 2| ULP)."""
    mantissa, bias, limit = _BINARY_LAYOUT[t]
    bits = signed_twin(t)
    clamped = b.binary("stablehlo.minimum", b.binary("stablehlo.maximum", x, b.full_like(x, -limit, t)),
                       b.full_like(x, limit, t))
    shifter = b.full_like(x, 1.5 * 2.0 ** mantissa, t)  # adding it rounds |v| < 2^(mantissa - 1) to an integer
    n = b.sub(b.add(clamped, shifter), shifter)
    out = b.unary("stablehlo.exponential", b.mul(b.sub(clamped, n), b.full_like(x, LN2, t)))
    k = b.convert(n, bits)
    half = b.binary("stablehlo.shift_right_arithmetic", k, b.full_like(k, 1, bits))
    for power in (half, b.sub(k, half)):
        biased = b.binary("stablehlo.shift_left", b.add(power, b.full_like(k, bias, bits)),
                          b.full_like(k, mantissa, bits))
        out = b.mul(out, b.unary("stablehlo.bitcast_convert", biased, b.like(x, t)))
    return b.select(b.compare("NE", x, x, t), x, out)  # NaN


# (tanh(x) - x) / x^3 as a polynomial in x^2 on [0, 0.625^2], lowest power first: a least-squares fit to it, within
# 5e-9 of it there (it is under a seventh of tanh, so well below an f32 ULP of the result).
_TANH_SMALL = (-0.3333333317738538, 0.13333304250359543, -0.05395940143678802, 0.02176993165763678,
               -0.008346897667587469, 0.0022957567834620747)


def tanh(b, x, t):
    """IREE's f32 tanh (a rational approximation) is up to 4.4 ULP off (3 near 0.03 and 0.1): f32 takes
    x + x^3 P(x^2) below 0.625 (above) and 1 - 2 / (exp(2|x|) + 1) beyond, the sign put back, 1 past 9: within 1.3
    ULP, from IREE's vectorized exp (with expm1, which IREE expands through a log, the chain benchmark ran 2.5 times
    slower). f64 is libm's."""
    if t is not f32:
        return b.unary("stablehlo.tanh", x)
    a = b.unary("stablehlo.abs", x)
    x2 = b.mul(x, x)
    poly = b.full_like(x, _TANH_SMALL[-1], t)
    for c in reversed(_TANH_SMALL[:-1]):
        poly = b.add(b.mul(poly, x2), b.full_like(x, c, t))
    small = b.add(x, b.mul(b.mul(x, x2), poly))
    one = b.full_like(x, 1, t)
    e = b.unary("stablehlo.exponential", b.add(a, a))
    large = b.select(is_(b, "GT", a, 9, t), one, b.sub(one, b.div(b.full_like(x, 2, t), b.add(e, one))))
    return b.select(is_(b, "LT", a, 0.625, t), small, b.binary("math.copysign", large, x))


def asinh(b, x, t):
    """fdlibm: log(|x|) + log 2 beyond 2^28, log(2|x| + 1/(sqrt(x^2 + 1) + |x|)) beyond 2,
    else log1p(|x| + x^2 / (1 + sqrt(1 + x^2))); the sign of x put back."""
    a = b.unary("stablehlo.abs", x)
    one = b.full_like(a, 1, t)
    a2 = b.mul(a, a)
    root = b.unary("stablehlo.sqrt", b.add(a2, one))
    big = b.add(b.unary("stablehlo.log", a), b.full_like(a, LN2, t))
    middle = b.unary("stablehlo.log", b.add(b.add(a, a), b.div(one, b.add(root, a))))
    # log1p(w) with w = a + q rounded, plus the rounding (a - w) + q that it lost (Fast2Sum: a >= q), through the
    # derivative 1 / (1 + w): f64 within 1 ULP where log1p(w) alone was 2 off.
    q = b.div(a2, b.add(one, root))
    w = b.add(a, q)
    small = b.add(log1p(b, w, t), b.div(b.add(b.sub(a, w), q), b.add(one, w)))
    out = b.select(is_(b, "GT", a, 2.0 ** 28, t), big, b.select(is_(b, "GT", a, 2, t), middle, small))
    return b.binary("math.copysign", out, x)


def acosh(b, x, t):
    """fdlibm: log(x) + log 2 beyond 2^28, log(2x - 1/(x + sqrt(x^2 - 1))) beyond 2, else log1p(s + sqrt(2s + s^2))
    with s = x - 1; NaN below 1."""
    one = b.full_like(x, 1, t)
    big = b.add(b.unary("stablehlo.log", x), b.full_like(x, LN2, t))
    root = b.unary("stablehlo.sqrt", b.sub(b.mul(x, x), one))
    middle = b.unary("stablehlo.log", b.sub(b.add(x, x), b.div(one, b.add(x, root))))
    s = b.sub(x, one)
    small = log1p(b, b.add(s, b.unary("stablehlo.sqrt", b.add(b.add(s, s), b.mul(s, s)))), t)
    out = b.select(is_(b, "GT", x, 2.0 ** 28, t), big, b.select(is_(b, "GT", x, 2, t), middle, small))
    return b.select(is_(b, "LT", x, 1, t), b.full_like(x, np.nan, t), out)


def atanh(b, x, t):
    """fdlibm: 0.5 * log1p(2a + 2a^2 / (1 - a)) below 0.5, else 0.5 * log1p(2a / (1 - a)), a = |x|; sign put back."""
    a = b.unary("stablehlo.abs", x)
    one_minus = b.sub(b.full_like(a, 1, t), a)
    twice = b.add(a, a)
    small = b.add(twice, b.div(b.mul(twice, a), one_minus))
    argument = b.select(is_(b, "LT", a, 0.5, t), small, b.div(twice, one_minus))
    return b.binary("math.copysign", b.mul(b.full_like(a, 0.5, t), log1p(b, argument, t)), x)


def pow_real(b, x, y, t):
    """exp(y * log|x|) with C99's pow special cases: y == 0 or x == 1 give 1 (NaN too), (-1)^(+-inf) is 1,
    a negative base (-0.0 and -inf included) to an odd integer flips the sign, a finite negative base to a finite
    non-integer is NaN."""
    one = b.full_like(x, 1, t)
    ax = b.unary("stablehlo.abs", x)
    core = b.unary("stablehlo.exponential", b.mul(y, b.unary("stablehlo.log", ax)))
    y_floor = b.unary("stablehlo.floor", y)
    integer = b.compare("EQ", y_floor, y, t)  # false for NaN and true for +-inf; odd needs a finite y
    half = b.mul(y, b.full_like(y, 0.5, t))
    odd = b.and_(integer, b.compare("NE", b.unary("stablehlo.floor", half), half, t))
    bits = signed_twin(t)
    negative = b.compare_zero("LT", b.unary("stablehlo.bitcast_convert", x, b.like(x, bits)), bits)
    out = b.select(b.and_(negative, odd), b.unary("stablehlo.negate", core), core)
    finite_negative = b.and_(is_(b, "LT", x, 0, t), b.unary("stablehlo.is_finite", x, b.like(x, bool_)))
    not_integer = b.and_(b.not_(integer), b.unary("stablehlo.is_finite", y, b.like(y, bool_)))
    out = b.select(b.and_(finite_negative, not_integer), b.full_like(x, np.nan, t), out)
    infinite_y = is_(b, "EQ", b.unary("stablehlo.abs", y), np.inf, t)
    unit = b.or_(is_(b, "EQ", x, 1, t), b.and_(is_(b, "EQ", ax, 1, t), infinite_y))
    return b.select(b.or_(unit, is_(b, "EQ", y, 0, t)), one, out)


def integer_pow(b, x, y, dtype):
    """x ** y by binary powers over every bit of y, wrapping modulo 2^bits as NumPy does (IREE's integer power
    gets large exponents wrong). A negative signed exponent gives 1 for a base of 1, +-1 for -1, else 0."""
    zero = b.full_like(x, 0, dtype)
    one = b.full_like(x, 1, dtype)
    signed = dtype.kind == "s"
    negative = b.compare_zero("LT", y, dtype) if signed else None
    exponent = b.select(negative, zero, y) if signed else y
    acc, power = one, x
    steps = dtype.bits - 1 if signed else dtype.bits
    for k in range(steps):
        bit = b.compare_zero("NE", b.and_(exponent, b.full_like(y, 1 << k, dtype)), dtype)
        acc = b.select(bit, b.mul(acc, power), acc)
        if k + 1 < steps:
            power = b.mul(power, power)
    if not signed:
        return acc
    minus_one = b.full_like(x, -1, dtype)
    odd = b.compare_zero("NE", b.and_(y, one), dtype)
    at_negative = b.select(b.compare("EQ", x, one, dtype), one,
                           b.select(b.compare("EQ", x, minus_one, dtype), b.select(odd, minus_one, one), zero))
    return b.select(negative, at_negative, acc)


def hypot(b, x, y, t):
    """sqrt(x^2 + y^2) scaled by the larger magnitude (no overflow); an infinite operand gives inf even beside NaN
    (C's hypot)."""
    ax, ay = b.unary("stablehlo.abs", x), b.unary("stablehlo.abs", y)
    big = b.binary("stablehlo.maximum", ax, ay)
    small = b.binary("stablehlo.minimum", ax, ay)
    zero = b.compare_zero("EQ", big, t)
    ratio = b.div(small, b.select(zero, b.full_like(big, 1, t), big))
    out = b.mul(big, b.unary("stablehlo.sqrt", b.add(b.full_like(big, 1, t), b.mul(ratio, ratio))))
    out = b.select(zero, big, out)
    infinite = b.or_(is_(b, "EQ", ax, np.inf, t), is_(b, "EQ", ay, np.inf, t))
    return b.select(infinite, b.full_like(out, np.inf, t), out)
