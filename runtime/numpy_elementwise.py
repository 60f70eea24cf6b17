"""NumPy rules for the elementwise nx ops."""
import numpy as np

from numerix.dialect.dtypes import bf16

from .numpy_backend import rule, widen_half


def _special(name):
    """scipy.special's function `name`, imported at its first call: importing scipy.special is a large share of
    `import numerix` (docs/iree.md), for four functions."""
    def call(*args):
        import scipy.special
        return getattr(scipy.special, name)(*args)
    return call


_expit = _special("expit")

_SAME_NAME = {
    "exp": np.exp, "expm1": np.expm1, "log": np.log, "log2": np.log2, "log10": np.log10,
    "sqrt": np.sqrt, "cbrt": np.cbrt, "sin": np.sin, "cos": np.cos, "tan": np.tan, "asin": np.arcsin,
    "acos": np.arccos, "atan": np.arctan, "sinh": np.sinh, "cosh": np.cosh, "tanh": np.tanh,
    "asinh": np.arcsinh, "acosh": np.arccosh, "atanh": np.arctanh, "erf": _special("erf"), "erfc": _special("erfc"),
    "erf_inv": _special("erfinv"), "negate": np.negative, "abs": np.abs,
    "floor": np.floor, "ceil": np.ceil, "round": np.round, "trunc": np.trunc, "conjugate": np.conjugate,
    "real": np.real, "imag": np.imag, "angle": np.angle, "is_nan": np.isnan, "is_infinity": np.isinf,
    "is_finite": np.isfinite, "signbit": np.signbit, "logical_not": np.logical_not, "square": np.square,
    "add": np.add, "subtract": np.subtract, "multiply": np.multiply, "divide": np.true_divide,
    "quotient": np.floor_divide, "remainder": np.remainder, "atan2": np.arctan2, "hypot": np.hypot,
    "max": np.maximum, "min": np.minimum, "copysign": np.copysign,
    "logaddexp": np.logaddexp, "bitwise_and": np.bitwise_and, "bitwise_or": np.bitwise_or,
    "bitwise_xor": np.bitwise_xor, "logical_and": np.logical_and, "logical_or": np.logical_or,
    "logical_xor": np.logical_xor, "equal": np.equal, "not_equal": np.not_equal, "less": np.less,
    "less_equal": np.less_equal, "greater": np.greater, "greater_equal": np.greater_equal,
}
for _name, _fn in _SAME_NAME.items():
    rule(_name)(widen_half(_fn))


@rule("log1p")
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
    accurate = (0.5 * np.log1p(re * (2 + re) + im * im)).astype(x.dtype)
    accurate.imag = np.arctan2(im, 1 + re)
    return np.where(small, accurate, np.log1p(x))


@rule("rsqrt")
@widen_half
def _rsqrt(x):
    return 1 / np.sqrt(x)


@rule("sigmoid")
@widen_half
def _sigmoid(x):
    return 1 / (1 + np.exp(-x)) if x.dtype.kind == "c" else _expit(x)


@rule("nextafter")
def _nextafter(x, y):
    if x.dtype != bf16.np:
        return np.nextafter(x, y)  # NumPy steps in the operands' own type, f16 included
    # NumPy lacks bf16: step the bit pattern one unit toward y (from zero, to the smallest subnormal of y's sign).
    bits = x.view(np.uint16).astype(np.int32)
    xf, yf = x.astype(np.float32), y.astype(np.float32)
    away_from_zero = (yf > xf) == (xf > 0)
    stepped = np.where(xf == 0, np.where(yf > 0, 1, 0x8001), np.where(away_from_zero, bits + 1, bits - 1))
    out = stepped.astype(np.uint16).view(bf16.np)
    return np.where(np.isnan(xf) | np.isnan(yf), np.float32("nan"), np.where(xf == yf, yf, out.astype(np.float32)))


@rule("reciprocal")
@widen_half
def _reciprocal(x):
    return 1 / x


@rule("sign")
@widen_half
def _sign(x):
    return np.sign(x)


@rule("population_count")
def _population_count(x):
    # Nx's meaning: the set bits of the two's complement pattern (NumPy's bitwise_count counts those of |x|).
    return np.bitwise_count(x.view(f"u{x.dtype.itemsize}"))


@rule("bitwise_not")
def _bitwise_not(x):
    return np.invert(x)


@rule("pow")
@widen_half
def _pow(x, y):
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


def _shift_count_ok(x, y):
    return (y >= 0) & (y < x.dtype.itemsize * 8)


@rule("left_shift")
def _left_shift(x, y):
    # Counts outside [0, bits) shift every bit out, as StableHLO specifies (NumPy leaves them to the C compiler).
    return np.where(_shift_count_ok(x, y), np.left_shift(x, np.where(_shift_count_ok(x, y), y, 0)), 0)


@rule("right_shift")
def _right_shift(x, y):
    # Arithmetic for signed types (the sign fills in), logical for unsigned, as NumPy and StableHLO do.
    fill = np.where(x < 0, -1, 0) if x.dtype.kind == "i" else 0
    return np.where(_shift_count_ok(x, y), np.right_shift(x, np.where(_shift_count_ok(x, y), y, 0)), fill)


@rule("count_leading_zeros")
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


@rule("select")
def _select(pred, on_true, on_false):
    return np.where(pred, on_true, on_false)


@rule("as_type")
def _as_type(x, type):
    if x.dtype == bf16.np:
        x = x.astype(np.float32)  # exact; ml_dtypes' bf16 lacks the ufuncs below
    if type.is_bool:
        return x != 0  # nonzero is true, for complex numbers too (0+1j is true)
    if x.dtype.kind == "c" and not type.is_complex:
        x = x.real  # Nx and JAX drop the imaginary part
    if x.dtype.kind == "f" and type.is_integer:
        # NaN becomes 0 and out-of-range values saturate (XLA's and Nx's rule, where C leaves it undefined).
        info = np.iinfo(type.np)
        x = np.clip(np.where(np.isnan(x), 0, x).astype(np.float64), info.min, info.max)
        with np.errstate(invalid="ignore"):
            return np.where(x >= float(info.max), info.max, x.astype(type.np))
    return x.astype(type.np)


@rule("bitcast")
def _bitcast(x, type):
    return x.view(type.np)


@rule("complex")
def _complex(re, im):
    return re + 1j * im.astype(np.result_type(im.dtype, np.complex64))
