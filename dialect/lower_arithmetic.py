"""Lowerings of the arithmetic elementwise nx ops (elementwise.py's declarations name them), NumPy's rules spelled out
where IREE's ops differ: boolean add/multiply are or/and, integer division follows floor semantics with 0 for a zero
divisor, float floor division and remainder follow NumPy's divmod, integer powers of negative exponents truncate,
unsigned ops are unsigned."""

from numerix.dialect.dtypes import bool_, f64

from . import lower_complex as cplx
from . import lower_real as real
from .lower_convert import convert, widened
from .lower_math import on_parts, split

# ---- arithmetic ----


def add(b, node):
    if node.types[0].type.is_bool:  # stablehlo.add on i1 is XOR in IREE; NumPy's bool add is OR
        return b.or_(*node.args)
    return widened(b, node, lambda args, t: b.add(*args))


def multiply(b, node):
    if node.types[0].type.is_bool:
        return b.and_(*node.args)
    if node.types[0].type.is_complex:  # NumPy's product (IREE's recovers infinities NumPy leaves as NaN)
        return on_parts(b, node, lambda b, x, y, t: cplx.mul(b, x, y), through_f64=False)
    return widened(b, node, lambda args, t: b.mul(*args))


def subtract(b, node):
    return widened(b, node, lambda args, t: b.sub(*args))


def divide(b, node):
    if node.types[0].type.is_complex:  # NumPy's (Smith's) division
        return on_parts(b, node, cplx.div, through_f64=False)
    return widened(b, node, lambda args, t: b.div(*args))


def negate(b, node):
    return b.unary("stablehlo.negate", node.args[0])


def square(b, node):
    dtype = node.types[0].type
    if dtype.is_integer:
        return b.mul(node.args[0], node.args[0])
    if dtype.is_complex:
        return on_parts(b, node, lambda b, z, t: cplx.mul(b, z, z), through_f64=False)
    return widened(b, node, lambda args, t: b.mul(args[0], args[0]))


def absolute(b, node):
    (x,) = node.args
    dtype = node.types[0].type
    if dtype.is_unsigned:
        return x
    if dtype.is_complex:  # NumPy's hypot of the parts, in f64 then rounded
        parts = split(b, x, dtype, f64)
        return convert(b, real.hypot(b, *parts, f64), f64, dtype.real_type)
    if dtype.is_float and dtype.bits == 8:  # IREE 3.13 cannot build math.absf on 8-bit floats; exact in f32
        return widened(b, node, lambda args, t: b.unary("stablehlo.abs", args[0]))
    return b.unary("stablehlo.abs", x)


def sign(b, node):
    (x,) = node.args
    dtype = node.types[0].type
    if dtype.is_unsigned:
        return convert(b, b.compare_zero("NE", x, dtype), bool_, dtype)
    if dtype.is_complex:
        return on_parts(b, node, cplx.sign)
    return b.unary("stablehlo.sign", x)


# ---- max / min ----

def _extremum(which):
    """NumPy's maximum/minimum: NaN propagates (the first NaN operand wins); complex numbers order by real part,
    then imaginary part; booleans are or/and; unsigned integers compare unsigned."""
    def lower(b, node):
        x, y = node.args
        dtype = node.types[0].type
        if dtype.is_bool:
            return b.or_(x, y) if which == "max" else b.and_(x, y)
        if dtype.is_unsigned:
            return b.binary("arith.maxui" if which == "max" else "arith.minui", x, y)
        if dtype.is_complex:
            return _complex_extremum(b, x, y, dtype, which)
        return widened(b, node, lambda args, t: b.binary(f"stablehlo.{which}imum", *args))
    return lower


def _complex_extremum(b, x, y, dtype, which):
    real = dtype.real_type
    xr, xi, yr, yi = b.real(x, dtype), b.imag(x, dtype), b.real(y, dtype), b.imag(y, dtype)
    strict, loose = ("GT", "GE") if which == "max" else ("LT", "LE")
    imag_ok = b.not_(b.or_(b.is_nan(xi, real), b.is_nan(yi, real)))
    x_wins = b.or_(b.and_(b.compare(strict, xr, yr, real), imag_ok),
                   b.and_(b.compare("EQ", xr, yr, real), b.compare(loose, xi, yi, real)))
    x_nan = b.or_(b.is_nan(xr, real), b.is_nan(xi, real))
    return b.select(b.or_(x_nan, x_wins), x, y)


maximum = _extremum("max")
minimum = _extremum("min")


# ---- integer division, floor division and remainder ----


def quotient(b, node):
    """Integer division rounding toward zero (Nx's quotient)."""
    return _integer_divmod(b, *node.args, node.types[0].type, floor=False)[0]


def floor_divide(b, node):
    if node.types[0].type.is_integer:
        return _integer_divmod(b, *node.args, node.types[0].type)[0]
    return widened(b, node, lambda args, t: _float_divmod(b, *args, t)[0])


def remainder(b, node):
    if node.types[0].type.is_integer:
        return _integer_divmod(b, *node.args, node.types[0].type)[1]
    return widened(b, node, lambda args, t: _float_divmod(b, *args, t)[1])


def _integer_divmod(b, x, y, dtype, floor=True):
    """Floor division and the remainder with the divisor's sign (or, not `floor`, the quotient rounded toward zero and
    the remainder with x's sign); a zero divisor gives 0 and 0 (NumPy). Divisors 0 and -1 never reach the hardware
    divide (they trap on x86: x/0, INT_MIN/-1)."""
    zero = b.compare_zero("EQ", y, dtype)
    one = b.full_like(y, 1, dtype)
    if dtype.is_unsigned:
        safe = b.select(zero, one, y)
        quotient = b.binary("arith.divui", x, safe)
        remainder = b.binary("arith.remui", x, safe)  # x % 1 == 0 where y was 0
        return b.select(zero, b.full_like(x, 0, dtype), quotient), remainder
    minus_one = b.compare("EQ", y, b.full_like(y, -1, dtype), dtype)
    safe = b.select(b.or_(zero, minus_one), one, y)
    quotient = b.div(x, safe)
    remainder = b.binary("stablehlo.remainder", x, safe)  # 0 where y was 0 or -1
    if floor:
        adjust = b.and_(b.compare_zero("NE", remainder, dtype),
                        b.xor(b.compare_zero("LT", remainder, dtype), b.compare_zero("LT", safe, dtype)))
        quotient = b.select(adjust, b.sub(quotient, one), quotient)
        remainder = b.select(adjust, b.add(remainder, safe), remainder)
    quotient = b.select(minus_one, b.unary("stablehlo.negate", x), quotient)  # wraps at INT_MIN as NumPy does
    return b.select(zero, b.full_like(x, 0, dtype), quotient), remainder


def _float_divmod(b, x, y, dtype):
    """NumPy's npy_divmod: mod = fmod(x, y) moved to y's sign, div = (x - mod) / y rounded to the nearest integer
    below; a zero divisor gives x / y and fmod's NaN."""
    zero = b.full_like(x, 0, dtype)
    mod = b.binary("stablehlo.remainder", x, y)
    div = b.div(b.sub(x, mod), y)
    nonzero = b.compare("NE", mod, zero, dtype)
    fix = b.and_(nonzero, b.xor(b.compare("LT", y, zero, dtype), b.compare("LT", mod, zero, dtype)))
    mod = b.select(fix, b.add(mod, y), b.select(nonzero, mod, b.binary("math.copysign", zero, y)))
    div = b.select(fix, b.sub(div, b.full_like(x, 1, dtype)), div)
    floor = b.unary("stablehlo.floor", div)
    floor = b.select(b.compare("GT", b.sub(div, floor), b.full_like(x, 0.5, dtype), dtype),
                     b.add(floor, b.full_like(x, 1, dtype)), floor)
    ratio = b.div(x, y)
    floor = b.select(b.compare("NE", div, zero, dtype), floor, b.binary("math.copysign", zero, ratio))
    return b.select(b.compare("EQ", y, zero, dtype), ratio, floor), mod


# ---- bit-level float ops ----

def copysign(b, node):
    return b.binary("math.copysign", *node.args)


def nextafter(b, node):
    return b.binary("chlo.next_after", *node.args)
