"""Lowerings of the elementwise nx ops (dialect/elementwise.py), matching the NumPy rules
(dialect/elementwise.py) dtype by dtype.

Rounding, complex parts, classification, comparison, logic, bitwise ops and conversions; arithmetic is in
lower_arithmetic.py, transcendental functions in lower_math.py."""
import numpy as np

from numerix.dialect.dtypes import bool_, u8

from .lower_convert import convert, signed_twin, unsigned_twin, widened
from .lower_trig import atan2

# ---- rounding (identity on integers) ----


def rounding(op_name):
    def lower(b, node):
        dtype = node.types[0].type
        if dtype.is_integer:
            return node.args[0]
        if dtype.is_complex:  # NumPy rounds both parts
            x = node.args[0]
            return b.complex(b.unary(op_name, b.real(x, dtype)), b.unary(op_name, b.imag(x, dtype)), dtype)
        if dtype.bits == 8:  # IREE 3.13 cannot build math's rounding on 8-bit floats; exact in f32
            return widened(b, node, lambda args, t: b.unary(op_name, args[0]))
        return b.unary(op_name, node.args[0])
    return lower




# ---- complex parts ----

def real(b, node):
    dtype = node.types[0].type
    return b.real(node.args[0], dtype) if dtype.is_complex else node.args[0]


def imag(b, node):
    dtype = node.types[0].type
    return b.imag(node.args[0], dtype) if dtype.is_complex else b.full_like(node.args[0], 0, dtype)


def conjugate(b, node):
    (x,) = node.args
    dtype = node.types[0].type
    if not dtype.is_complex:
        return x
    return b.complex(b.real(x, dtype), b.unary("stablehlo.negate", b.imag(x, dtype)), dtype)


def angle(b, node):
    """atan2(imag, real); a real x has angle pi where x < 0 (or is -0.0), which integer results truncate to 3."""
    (x,) = node.args
    dtype = node.types[0].type
    if dtype.is_complex:
        return atan2(b, b.imag(x, dtype), b.real(x, dtype), dtype.real_type)
    if dtype.is_unsigned:
        return b.full_like(x, 0, dtype)
    if dtype.is_integer:
        return b.select(b.compare_zero("LT", x, dtype), b.full_like(x, 3, dtype), b.full_like(x, 0, dtype))
    return atan2(b, b.full_like(x, 0, dtype), x, dtype)


def make_complex(b, node):
    return b.complex(*node.args, node.out[0].type)


# ---- classification ----

def _parts(b, x, dtype):
    """The real parts that decide a classification: both parts of a complex, else x itself."""
    return [b.real(x, dtype), b.imag(x, dtype)] if dtype.is_complex else [x]


def is_nan(b, node):
    dtype = node.types[0].type
    x = node.args[0]
    if not dtype.is_inexact:
        return b.full_like(x, False, bool_)
    found = [b.is_nan(p, dtype.real_type) for p in _parts(b, x, dtype)]
    return found[0] if len(found) == 1 else b.or_(*found)


def is_infinity(b, node):
    dtype = node.types[0].type
    x = node.args[0]
    if not dtype.is_inexact:
        return b.full_like(x, False, bool_)
    real, wide = dtype.real_type, dtype.real_type.compute_type  # IREE 3.13 has no math.absf on 8-bit floats
    found = [b.compare("EQ", b.unary("stablehlo.abs", convert(b, p, real, wide)), b.full_like(p, np.inf, wide), wide)
             for p in _parts(b, x, dtype)]
    return found[0] if len(found) == 1 else b.or_(*found)


def is_finite(b, node):
    dtype = node.types[0].type
    x = node.args[0]
    if not dtype.is_inexact:
        return b.full_like(x, True, bool_)
    real, wide = dtype.real_type, dtype.real_type.compute_type  # IREE 3.13 miscompiles is_finite on 8-bit floats
    found = [b.unary("stablehlo.is_finite", convert(b, p, real, wide), b.like(p, bool_)) for p in _parts(b, x, dtype)]
    return found[0] if len(found) == 1 else b.and_(*found)


def signbit(b, node):
    (x,) = node.args
    dtype = node.types[0].type
    if dtype.is_unsigned:
        return b.full_like(x, False, bool_)
    if dtype.is_float:  # the sign bit itself: -0.0 and -NaN count
        bits = signed_twin(dtype)
        x, dtype = b.unary("stablehlo.bitcast_convert", x, b.like(x, bits)), bits
    return b.compare_zero("LT", x, dtype)


# ---- comparisons and logic ----

def _truth(b, x, dtype):
    """x != 0 as bool (NumPy's truth: NaN is true; a complex number is true unless both parts are 0)."""
    if dtype.is_bool:
        return x
    if dtype.is_complex:
        real = dtype.real_type
        return b.or_(b.compare_zero("NE", b.real(x, dtype), real), b.compare_zero("NE", b.imag(x, dtype), real))
    return b.compare_zero("NE", x, dtype)


def comparison(direction):
    def lower(b, node):
        x, y = node.args
        dtype = node.types[0].type
        if dtype.is_complex:  # equal parts (NE: either part differs, NaN included)
            real = dtype.real_type
            parts = [b.compare(direction, b.real(x, dtype), b.real(y, dtype), real),
                     b.compare(direction, b.imag(x, dtype), b.imag(y, dtype), real)]
            return b.and_(*parts) if direction == "EQ" else b.or_(*parts)
        return b.compare(direction, x, y, dtype)
    return lower




def logical_not(b, node):
    return b.not_(_truth(b, node.args[0], node.types[0].type))


def _logical(combine):
    def lower(b, node):
        dtype = node.types[0].type
        return combine(b, *(_truth(b, a, dtype) for a in node.args))
    return lower


logical_and = _logical(lambda b, x, y: b.and_(x, y))
logical_or = _logical(lambda b, x, y: b.or_(x, y))
logical_xor = _logical(lambda b, x, y: b.xor(x, y))


def select(b, node):
    return b.select(*node.args)


# ---- bitwise ----

def bitwise(op_name):
    return lambda b, node: b.binary(op_name, *node.args)


def bitwise_not(b, node):
    return b.not_(node.args[0])


def shift(b, node):
    """Counts outside [0, bits) shift every bit out: 0, or the sign for an arithmetic right shift. One unsigned
    compare catches negative counts too."""
    x, count = node.args
    dtype = node.types[0].type
    unsigned = unsigned_twin(dtype)
    in_range = b.compare("LT", count, b.full_like(count, dtype.bits, unsigned), unsigned)
    safe = b.select(in_range, count, b.full_like(count, 0, dtype))
    if node.name == "left_shift":
        return b.select(in_range, b.binary("stablehlo.shift_left", x, safe), b.full_like(x, 0, dtype))
    if dtype.is_unsigned:
        return b.select(in_range, b.binary("stablehlo.shift_right_logical", x, safe), b.full_like(x, 0, dtype))
    sign_fill = b.binary("stablehlo.shift_right_arithmetic", x, b.full_like(x, dtype.bits - 1, dtype))
    return b.select(in_range, b.binary("stablehlo.shift_right_arithmetic", x, safe), sign_fill)


def count_leading_zeros(b, node):
    return b.unary("math.ctlz", node.args[0])


def population_count(b, node):
    return b.unary("stablehlo.popcnt", node.args[0])  # the two's complement bits, as Nx counts


def bitcast(b, node):
    (x,) = node.args
    source, target = node.types[0].type, node.attrs["type"]
    if source.is_bool and target.is_float:  # the byte 0 or 1 (the smallest subnormal of an 8-bit float), not 1.0
        return b.unary("stablehlo.bitcast_convert", convert(b, x, source, u8), b.like(x, target))
    if source.is_bool or target.is_bool:  # bool is a byte holding 0 or 1 (i1 inside)
        return convert(b, x, source, target)
    if source is target or source.is_integer and target.is_integer:
        return x  # the same storage (integers are signless)
    return b.unary("stablehlo.bitcast_convert", x, b.like(x, target))


def as_type(b, node):
    return convert(b, node.args[0], node.types[0].type, node.attrs["type"])
