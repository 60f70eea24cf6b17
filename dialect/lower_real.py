"""Real building blocks of the transcendental lowerings: each takes the builder, values of a real float type `t`
and returns a value of that type. See lower_math.py for which IREE functions they replace and why."""
import numpy as np

from numerix.dialect.dtypes import bool_, f64

from .lower_convert import signed_twin

LN2 = float(np.log(2.0))


def is_(b, direction, x, value, dtype):
    return b.compare(direction, x, b.full_like(x, value, dtype), dtype)


# ---- exp and log family ----

def expm1(b, x, t):
    """Kahan: (u - 1) * x / log(u) with u = exp(x) cancels the rounding of u; tiny x gives x itself."""
    if t is not f64:
        return b.unary("stablehlo.exponential_minus_one", x)
    u = b.unary("stablehlo.exponential", x)
    um1 = b.sub(u, b.full_like(u, 1, t))
    out = b.div(b.mul(um1, x), b.unary("stablehlo.log", u))
    out = b.select(is_(b, "EQ", u, 1, t), x, out)
    # u == 0 (x below -745) and u == inf: u - 1 is exact.
    return b.select(b.or_(is_(b, "EQ", u, 0, t), is_(b, "EQ", u, np.inf, t)), um1, out)


def log1p(b, x, t):
    """Goldberg: log(u) * x / (u - 1) with u = 1 + x; tiny x gives x itself."""
    if t is not f64:
        return b.unary("stablehlo.log_plus_one", x)
    u = b.add(b.full_like(x, 1, t), x)
    log_u = b.unary("stablehlo.log", u)
    out = b.mul(log_u, b.div(x, b.sub(u, b.full_like(u, 1, t))))
    return b.select(is_(b, "EQ", u, 1, t), x, b.select(is_(b, "EQ", u, np.inf, t), log_u, out))


def _half_exp_squared(b, a, t):
    """exp(a) / 2 for large a without overflowing before the result does: (exp(a/2) / 2) * exp(a/2)."""
    w = b.unary("stablehlo.exponential", b.mul(b.full_like(a, 0.5, t), a))
    return b.mul(b.mul(b.full_like(w, 0.5, t), w), w)


def sinh(b, x, t):
    a = b.unary("stablehlo.abs", x)
    em1 = expm1(b, a, t)
    small = b.mul(b.full_like(a, 0.5, t), b.add(em1, b.div(em1, b.add(em1, b.full_like(em1, 1, t)))))
    out = b.select(is_(b, "LT", a, 22, t), small, _half_exp_squared(b, a, t))
    return b.binary("math.copysign", out, x)


def cosh(b, x, t):
    a = b.unary("stablehlo.abs", x)
    e = b.unary("stablehlo.exponential", a)
    half = b.full_like(a, 0.5, t)
    small = b.add(b.mul(half, e), b.div(half, e))
    return b.select(is_(b, "LT", a, 22, t), small, _half_exp_squared(b, a, t))


def asinh(b, x, t):
    """fdlibm: log(|x|) + log 2 beyond 2^28, log(2|x| + 1/(sqrt(x^2 + 1) + |x|)) beyond 2,
    else log1p(|x| + x^2 / (1 + sqrt(1 + x^2))); the sign of x put back."""
    a = b.unary("stablehlo.abs", x)
    one = b.full_like(a, 1, t)
    a2 = b.mul(a, a)
    root = b.unary("stablehlo.sqrt", b.add(a2, one))
    big = b.add(b.unary("stablehlo.log", a), b.full_like(a, LN2, t))
    middle = b.unary("stablehlo.log", b.add(b.add(a, a), b.div(one, b.add(root, a))))
    small = log1p(b, b.add(a, b.div(a2, b.add(one, root))), t)
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
