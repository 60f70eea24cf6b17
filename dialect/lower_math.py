"""Lowerings of the transcendental nx ops, within a few ULP of NumPy for every float type.

What IREE 3.13 gives on CPU (measured on 100k points against NumPy): f64 sin, cos, tan, tanh, asin, acos, atan,
atan2, log2 and log10 call libm (linked with the system linker, see passes/iree_policy.py); f64 exp and log are
IREE's own, within 1 ULP; its f64 expm1, log1p, sinh (small x), asinh, acosh and atanh lose up to 10^4 ULP, its pow
is exp(y * log x) with pow(0, 0) = NaN. Its f32 sin, cos and tan reduce large arguments badly (10^8 ULP at 10^4), its
f32 asin, acos, atan and erf_inv are off by 40-60 ULP, its f32 atan2(0, 0) is NaN; its f64 math runs scalar, where
its f32 math is vectorized (docs/iree.md). So:
- f32 trigonometry is computed in f64 arithmetic, vectorized (lower_trig.py); f32 erfc, erf_inv, pow and hypot
  in f64 and rounded once (`through_f64`); other f32 math is IREE's own, and f16/bf16 math is computed in f32 like
  the NumPy rules do;
- expm1, log1p, sinh, cosh, asinh, acosh and atanh are built from exp, log, expm1 and log1p with the classic
  cancellation-free formulas (lower_real.py), in f64 from IREE's f64 exp and log, with the rounding each step loses
  added back where it cost an ULP: NumPy's accuracy sets (umath-validation-set-*.csv) pass in full;
- IREE's f32 exp, log, log2 and log10 read or build exponent bits, so they fail on subnormals (exp(-100) is 0,
  log(1e-40) is log(2^-126)), and its f32 tanh is 3 ULP off: lower_real.py scales into the normal range and back,
  and has its own tanh; exp2, which IREE lacks, is exp(r log 2) 2^n;
- pow spells out C99's special cases around exp(y * log|x|); its f64 error grows with |y * log|x|| (about that many
  ULP), while f32 and narrower, computed in f64, round correctly;
- complex functions work on the parts (lower_complex.py)."""
import numpy as np

from numerix.dialect.dtypes import bool_, f64, s64

from . import lower_complex as cplx
from . import lower_real as real
from . import lower_trig as trig
from .lower_convert import convert, widened


def precise(b, node, fn, through_f64=False):
    """fn(args, dtype) on real float operands: f64 as is; f32 and narrower in f64 when `through_f64`, else f16/bf16 in
    f32; the result is rounded to the op's type once."""
    return widened(b, node, fn, f64 if through_f64 else None)


def split(b, value, dtype, part):
    """The (real, imaginary) parts of a complex value of nx type `dtype`, as nx type `part`."""
    return tuple(convert(b, p, dtype.real_type, part) for p in (b.real(value, dtype), b.imag(value, dtype)))


def join(b, parts, part, dtype):
    re, im = (convert(b, p, part, dtype.real_type) for p in parts)
    return b.complex(re, im, dtype)


def on_parts(b, node, fn, through_f64=True):
    """fn(b, *operands as part pairs, part type) -> part pair, for complex operands; c64 in f64 when asked."""
    dtype = node.types[0].type
    part = f64 if through_f64 else dtype.real_type
    return join(b, fn(b, *(split(b, a, dtype, part) for a in node.args), part), part, dtype)


def hlo(name):
    """A real function that is one op."""
    return lambda b, x, t: b.unary(name, x)


def transcendental(real_fn, complex_fn=None, through_f64=False):
    """The lowering of a unary function from real_fn(b, x, t) and complex_fn(b, z parts, t) (None: the op takes no
    complex), computing f32 in f64 when `through_f64`."""
    def lower(b, node):
        if node.types[0].type.is_complex:
            return on_parts(b, node, complex_fn)
        return precise(b, node, lambda args, t: real_fn(b, args[0], t), through_f64)
    return lower


def exp2(b, node):
    """Real: lower_real.exp2. Complex: exp(z log 2) with z log 2 rounded in the op's own part type first, as NumPy's
    nc_exp2 does (for c64 a large imaginary part's phase is that of the f32 product), then exp in f64."""
    dtype = node.types[0].type
    if not dtype.is_complex:
        return precise(b, node, lambda args, t: real.exp2(b, args[0], t))
    part = dtype.real_type
    parts = split(b, node.args[0], dtype, part)
    scaled = (convert(b, b.mul(p, b.full_like(p, real.LN2, part)), part, f64) for p in parts)
    return join(b, cplx.exp(b, tuple(scaled), f64), f64, dtype)


def _one_over(b, node, fn):
    """1 / fn(x): complex by NumPy's division, real in one rounding per step (the NumPy rules' `1 / ...`)."""
    dtype = node.types[0].type
    if dtype.is_complex:
        def complex_fn(b, z, t):
            one = (b.full_like(z[0], 1, t), b.full_like(z[0], 0, t))
            return cplx.div(b, one, fn(b, z, t) if fn else z, t)
        return on_parts(b, node, complex_fn, through_f64=fn is not None)
    real_fn = (lambda x, t: b.unary("stablehlo.sqrt", x)) if fn else (lambda x, t: x)
    return precise(b, node, lambda args, t: b.div(b.full_like(args[0], 1, t), real_fn(args[0], t)))


def rsqrt(b, node):
    return _one_over(b, node, cplx.sqrt)


def reciprocal(b, node):
    return _one_over(b, node, None)


def cbrt(b, node):
    """No CPU lowering of math.cbrt exists: exp(log|x| / 3) refined by one Newton step, the sign put back.
    Zero, infinity and NaN pass through unchanged. A subnormal |x| is scaled by 2^54 first (exact; the cube root then
    scaled back by 2^-18): the Newton step's cube of y would underflow."""
    def fn(args, t):
        (x,) = args
        magnitude = b.unary("stablehlo.abs", x)
        tiny = b.compare("LT", magnitude, b.full_like(x, float(np.finfo(t.np).tiny), t), t)
        magnitude = b.select(tiny, b.mul(magnitude, b.full_like(x, 2.0 ** 54, t)), magnitude)
        y = b.unary("stablehlo.exponential", b.mul(b.unary("stablehlo.log", magnitude), b.full_like(x, 1 / 3, t)))
        y2 = b.mul(y, y)
        refined = b.sub(y, b.div(b.sub(b.mul(y2, y), magnitude), b.mul(b.full_like(y, 3, t), y2)))
        finite_nonzero = b.and_(b.unary("stablehlo.is_finite", y, b.like(y, bool_)), b.compare_zero("NE", y, t))
        y = b.select(finite_nonzero, refined, y)
        return b.binary("math.copysign", b.select(tiny, b.mul(y, b.full_like(y, 2.0 ** -18, t)), y), x)
    return precise(b, node, fn)


def atan2(b, node):
    return precise(b, node, lambda args, t: trig.atan2(b, *args, t))


def hypot(b, node):
    return precise(b, node, lambda args, t: real.hypot(b, *args, t), through_f64=True)


def logaddexp(b, node):
    """NumPy's rule: x + log(2) where x == y (infinities included), else max + log1p(exp(-|x - y|)); NaN stays."""
    def fn(args, t):
        x, y = args
        biggest = b.binary("stablehlo.maximum", x, y)
        gap = b.unary("stablehlo.negate", b.unary("stablehlo.abs", b.sub(x, y)))
        out = b.add(biggest, real.log1p(b, b.unary("stablehlo.exponential", gap), t))
        return b.select(b.compare("EQ", x, y, t), b.add(x, b.full_like(x, real.LN2, t)), out)
    return precise(b, node, fn)


def power(b, node):
    dtype = node.types[0].type
    if dtype.is_integer:
        return real.integer_pow(b, *node.args, dtype)
    if dtype.is_complex:
        return _complex_pow(b, node)
    return precise(b, node, lambda args, t: real.pow_real(b, *args, t), through_f64=True)


def _complex_pow(b, node):
    """NumPy's nc_pow: w == 0 gives 1; z == 0 gives 0 where w's real part is positive, else NaN; an integer w with
    |w| < 100 multiplies (in the parts' type, as NumPy does); anything else is exp(w log z), here in f64."""
    dtype = node.types[0].type
    t = dtype.real_type
    (ar, ai), (br, bi) = (split(b, a, dtype, t) for a in node.args)
    zero, one, nan = (b.full_like(ar, v, t) for v in (0, 1, np.nan))
    integral = b.and_(b.compare_zero("EQ", bi, t), b.compare("EQ", b.unary("stablehlo.floor", br), br, t))
    small = b.compare("LT", b.unary("stablehlo.abs", br), b.full_like(br, 100, t), t)
    integral = b.and_(integral, small)
    count = convert(b, b.unary("stablehlo.abs", b.select(integral, br, zero)), t, s64)
    by_products = cplx.integer_power(b, (ar, ai), count, br, t)
    wide = [convert(b, p, t, f64) for p in (ar, ai, br, bi)]
    general = [convert(b, p, f64, t) for p in cplx.general_pow(b, tuple(wide[:2]), tuple(wide[2:]), f64)]
    w_zero = b.and_(b.compare_zero("EQ", br, t), b.compare_zero("EQ", bi, t))
    z_zero = b.and_(b.compare_zero("EQ", ar, t), b.compare_zero("EQ", ai, t))
    at_zero = b.compare_zero("GT", br, t)
    parts = []
    for p, g, unit in zip(by_products, general, (one, zero)):
        value = b.select(integral, p, g)
        value = b.select(z_zero, b.select(at_zero, zero, nan), value)
        parts.append(b.select(w_zero, unit, value))
    return b.complex(*parts, dtype)
