"""Type conversion as the NumPy rule `as_type` does it (dialect/elementwise.py `_as_type`): anything to bool
tests != 0 (NaN is true, so is 1j), complex to another real type drops the imaginary part, float to integer
truncates and saturates with NaN -> 0, unsigned sources extend with zeros."""
import numpy as np

from numerix.dialect.dtypes import TYPES, bf16, f32, f64, s32


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
    if source.is_integer:  # to a float
        return b.unary("arith.uitofp", x, b.like(x, target)) if source.is_unsigned else b.convert(x, target)
    if target.is_float:
        if target is bf16 and source is f64:
            x, source = _to_f32_rounding_to_odd(b, x), f32
        if target is bf16 and source is f32:
            x = _round_to_bf16(b, x)
        return b.convert(x, target)
    return _float_to_integer(b, x, source, target)


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


def _float_to_integer(b, x, source, target):
    """Truncation toward zero, saturating at the target's range, NaN -> 0. The conversion proper only sees
    in-range values (out-of-range ones are undefined in LLVM and selected away)."""
    if source.compute_type is not source:
        x, source = b.convert(x, source.compute_type), source.compute_type  # exact
    info = np.iinfo(target.np)
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
