"""Type conversion as the NumPy rule `as_type` does it (dialect/elementwise.py `_as_type`): anything to bool
tests != 0 (NaN is true, so is 1j), complex to another real type drops the imaginary part, float to integer
truncates and saturates with NaN -> 0, unsigned sources extend with zeros. Rounding to bf16 and to the 8-bit floats
is done here, by integer ops on f32 bits, as ml_dtypes rounds (IREE's own conversions are wrong: see each one)."""
import ml_dtypes
import numpy as np

from numerix.dialect.dtypes import TYPES, bf16, f8_e4m3fn, f32, f64, iinfo, s8, s32


def convert(b, x, source, target):
    """x (storage of nx type `source`) as nx type `target`."""
    if source is target:
        return x
    if source.is_complex and target.is_bool:  # true unless both parts are 0
        parts = [b.compare_zero("NE", p, source.real_type) for p in (b.real(x, source), b.imag(x, source))]
        return b.or_(*parts)
    if source.is_complex:
        if target.is_complex:
            re, im = (convert(b, part, source.real_type, target.real_type)
                      for part in (b.real(x, source), b.imag(x, source)))
            return b.complex(re, im, target)
        x, source = b.real(x, source), source.real_type
        if source is target:
            return x
    if target.is_complex:
        re = convert(b, x, source, target.real_type)
        return b.complex(re, b.full_like(re, 0, target.real_type), target)
    if target.is_bool:
        return b.compare_zero("NE", x, source)
    if source.is_bool:
        return b.convert(x, target)  # i1 extends with zeros: true is 1
    if source.is_integer and target.is_integer:
        if source.bits == target.bits:
            return x
        if source.is_unsigned and target.bits > source.bits:
            return b.unary("arith.extui", x, b.like(x, target))
        return b.convert(x, target)
    if source.is_integer and target.bits == 8:  # to an 8-bit float: through f32 (exact below f8's largest)
        x, source = convert(b, x, source, f32), f32
    if source.is_integer:  # to a float
        return b.unary("arith.uitofp", x, b.like(x, target)) if source.is_unsigned else b.convert(x, target)
    if target.is_float:
        if target.bits == 8 or source.bits == 8:
            return _through_f32(b, x, source, target)
        if target is bf16 and source is f64:
            x, source = _to_f32_rounding_to_odd(b, x), f32
        if target is bf16 and source is f32:
            x = _round_to_bf16(b, x)
        return b.convert(x, target)
    return _float_to_integer(b, x, source, target)


def _through_f32(b, x, source, target):
    """A conversion to or from an 8-bit float, by way of f32: widening to f32 is exact, and an 8-bit target is rounded
    by _round_to_f8 (f64 first to f32 rounded to odd, so that it rounds once)."""
    if source is f64:
        x = _to_f32_rounding_to_odd(b, x)
    elif source is f8_e4m3fn:
        x = _widen_e4m3fn(b, x)
    elif source is not f32:
        x = b.convert(x, f32)
    if target.bits != 8:
        return convert(b, x, f32, target)
    return b.convert(_round_to_f8(b, x, target), target)


def _to_f32_rounding_to_odd(b, x):
    """f64 x as f32, rounded toward zero and then made odd where inexact: rounding that to bf16 (8 bits, far fewer
    than f32's 24) gives what rounding x straight to bf16 gives, with no double rounding."""
    nearest = b.convert(x, f32)
    back = b.convert(nearest, f64)
    inexact = b.compare("NE", back, x, f64)
    too_far = b.compare("GT", b.unary("stablehlo.abs", back), b.unary("stablehlo.abs", x), f64)
    bits = b.emit("stablehlo.bitcast_convert", [nearest], b.like(nearest, s32))
    odd = b.or_(b.sub(bits, b.convert(too_far, s32)), b.convert(inexact, s32))
    return b.emit("stablehlo.bitcast_convert", [odd], nearest.type)


def _round_to_bf16(b, x):
    """f32 x rounded to the nearest bf16 (ties to even), still in f32, by integer ops on its bits: IREE drops a
    conversion to bf16 that a conversion back to f32 reads (so bf16 arithmetic, computed in f32, skipped its
    roundings: (x * 3.3) * 5.7 differed from NumPy in a quarter of the elements), but not these, and the conversion
    that follows is then exact. NaN stays NaN; a value past bf16's largest rounds to infinity, as the conversion
    does."""
    bits = b.emit("stablehlo.bitcast_convert", [x], b.like(x, s32))
    odd = b.and_(b.binary("stablehlo.shift_right_logical", bits, b.full_like(bits, 16, s32)), b.full_like(bits, 1, s32))
    biased = b.add(bits, b.add(b.full_like(bits, 0x7FFF, s32), odd))
    rounded = b.emit("stablehlo.bitcast_convert", [b.and_(biased, b.full_like(bits, -65536, s32))], x.type)
    return b.select(b.is_nan(x, f32), x, rounded)


def _widen_e4m3fn(b, x):
    """f8_e4m3fn x as f32. IREE 3.13 widens the negative NaN (0xFF) to -480, so NaN is picked from the bits (all
    exponent and mantissa bits set, either sign)."""
    bits = b.emit("stablehlo.bitcast_convert", [x], b.like(x, s8))
    nan = b.compare("EQ", b.and_(bits, b.full_like(bits, 0x7F, s8)), b.full_like(bits, 0x7F, s8), s8)
    wide = b.convert(x, f32)
    return b.select(nan, b.full_like(wide, float("nan"), f32), wide)


def _round_to_f8(b, x, target):
    """f32 x rounded to the nearest value of the 8-bit float `target` (ties to even), still in f32, by integer ops on
    its bits; the conversion to `target` that follows is then exact. IREE 3.13's own truncation to f8E5M2 and
    f8E4M3FN rounds the values between the largest subnormal and the smallest normal to zero. As ml_dtypes rounds: a
    value past the largest finite one becomes infinity (f8) or NaN (f8_e4m3fn, which has no infinity), and NaN stays
    NaN.

    The significand (with its implicit bit) loses the low bits below the target's quantum at x's exponent (coarser
    below the target's smallest normal); the count of quanta it keeps, times that quantum (a power of two), is
    exact in f32."""
    info = ml_dtypes.finfo(target.np)
    mantissa, lowest = info.nmant, info.minexp  # explicit significand bits; exponent of the smallest normal
    bits = b.emit("stablehlo.bitcast_convert", [x], b.like(x, s32))
    magnitude = b.and_(bits, b.full_like(bits, 0x7FFFFFFF, s32))
    exponent = b.sub(b.binary("stablehlo.shift_right_logical", magnitude, b.full_like(bits, 23, s32)),
                     b.full_like(bits, 127, s32))
    significand = b.or_(b.and_(magnitude, b.full_like(bits, 0x7FFFFF, s32)), b.full_like(bits, 0x800000, s32))
    quantum_exponent = b.binary("stablehlo.maximum", exponent, b.full_like(bits, lowest, s32))
    # Bits dropped: 23 - mantissa at a normal exponent, more below; 25 or more leaves 0 (less than half a quantum).
    dropped = b.binary("stablehlo.minimum", b.sub(b.add(quantum_exponent, b.full_like(bits, 23 - mantissa, s32)),
                                                  exponent), b.full_like(bits, 25, s32))
    one = b.full_like(bits, 1, s32)
    kept_lsb = b.and_(b.binary("stablehlo.shift_right_logical", significand, dropped), one)
    below_half = b.sub(b.binary("stablehlo.shift_left", one, b.sub(dropped, one)), one)
    quanta = b.binary("stablehlo.shift_right_logical", b.add(b.add(significand, below_half), kept_lsb), dropped)
    scale_bits = b.binary("stablehlo.shift_left", b.add(quantum_exponent, b.full_like(bits, 127 - mantissa, s32)),
                          b.full_like(bits, 23, s32))
    scale = b.emit("stablehlo.bitcast_convert", [scale_bits], x.type)
    rounded = b.mul(b.convert(quanta, f32), scale)
    too_big = b.compare("GT", rounded, b.full_like(rounded, float(info.max), f32), f32)
    overflow = float("inf") if _has_infinity(target) else float("nan")
    rounded = b.select(too_big, b.full_like(rounded, overflow, f32), rounded)
    sign = b.and_(bits, b.full_like(bits, -0x80000000, s32))
    signed = b.or_(b.emit("stablehlo.bitcast_convert", [rounded], b.like(rounded, s32)), sign)
    return b.select(b.is_nan(x, f32), x, b.emit("stablehlo.bitcast_convert", [signed], x.type))


def _has_infinity(dtype):
    """Whether an 8-bit float type has infinities (f8 does; f8_e4m3fn, "finite", rounds infinity to NaN)."""
    return bool(np.isinf(np.array(np.inf, np.float32).astype(dtype.np)))


def _float_to_integer(b, x, source, target):
    """Truncation toward zero, saturating at the target's range, NaN -> 0. The conversion proper only sees
    in-range values (out-of-range ones are undefined in LLVM and selected away)."""
    if source.compute_type is not source:
        x, source = convert(b, x, source, source.compute_type), source.compute_type  # exact
    info = iinfo(target)
    top = b.full_like(x, float(info.max), source)  # rounds up to a power of two when not representable
    bottom = b.full_like(x, float(info.min), source)
    too_high = b.compare("GE", x, top, source)
    too_low = b.compare("LE", x, bottom, source)
    nan = b.is_nan(x, source)
    safe = b.select(b.or_(b.or_(too_high, too_low), nan), b.full_like(x, 0, source), x)
    if target.is_unsigned:
        converted = b.unary("arith.fptoui", safe, b.like(x, target))
    else:
        converted = b.convert(safe, target)
    out = b.select(too_high, b.full_like(converted, info.max, target), converted)
    out = b.select(too_low, b.full_like(converted, info.min, target), out)
    return b.select(nan, b.full_like(converted, 0, target), out)


def signed_twin(dtype):
    """The signed integer type of the same width (for bit tests on floats and unsigned counts)."""
    return TYPES[f"s{dtype.bits}"]


def unsigned_twin(dtype):
    return TYPES[f"u{dtype.bits}"]


def widened(b, node, compute, wide=None):
    """compute(args, dtype) on the operands in `wide` (by default their compute_type: f32 for f16/bf16), the result
    rounded once to the op's type."""
    dtype = node.types[0].type
    wide = wide or dtype.compute_type
    if wide is dtype:
        return compute(node.args, dtype)
    out = compute([convert(b, a, dtype, wide) for a in node.args], wide)
    return convert(b, out, wide, node.out[0].type)
