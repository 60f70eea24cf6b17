"""Helpers for the lowering tests: nx modules built straight from the op schema, and sample data that meets every
special case (signed zeros, infinities, NaN, integer extremes, zero and -1 divisors, oversized shift counts)."""
import itertools

import ml_dtypes
import numpy as np
from iree.compiler import ir
from iree.compiler.dialects import func

from numerix.dialect import dtypes
from numerix.dialect import ir as nx_ir
from numerix.dialect import ops as nx_ops
from numerix.dialect.elementwise import BINARY, UNARY
from numerix.dialect.schema import SCHEMAS, TensorType
from numerix.dialect.errors import NxError
from numerix.runtime.compilers import get_compiler
from numerix.dialect.rules import run_numpy as run


class Case:
    """One op of a sweep module: `name`, operand indices into the module's arguments, attributes, result types."""

    def __init__(self, name, operands, attrs, arg_types):
        self.name, self.operands, self.attrs = name, operands, attrs
        self.label = name + "".join(f" {k}={getattr(v, 'name', v)}" for k, v in attrs.items())
        self.out = SCHEMAS[name].check([arg_types[i] for i in operands], attrs)

    def reference(self, arrays):
        return run(self.name, [arrays[i] for i in self.operands], self.attrs, self.out)


def build_module(arg_types, cases, entry="main"):
    """An nx module whose function returns every case's results, in order."""
    with nx_ir.new_context(), ir.Location.unknown():
        module = ir.Module.create()
        result_types = [nx_ir.tensor_type(t) for case in cases for t in case.out]
        with ir.InsertionPoint(module.body):
            function = func.FuncOp(entry, ([nx_ir.tensor_type(t) for t in arg_types], result_types))
        block = function.add_entry_block()
        with ir.InsertionPoint(block):
            results = []
            for case in cases:
                op = nx_ops.build(case.name, [block.arguments[i] for i in case.operands], case.attrs, case.out,
                                  ir.Location.unknown())
                results.extend(op.results)
            func.ReturnOp(results)
    return module


def compile_and_run(arg_types, cases, arrays, options=None):
    """Each case's results (a list per case) from the module compiled by IREE."""
    module = build_module(arg_types, cases)
    outputs = iter(get_compiler("iree").compile(module, "main", options or {})(*arrays))
    # The compiler lowered `module` in place: an op of a dialect the lowering forgot to load would be an
    # unregistered op, which nothing verifies.
    unregistered = {op.name for op in nx_ops.all_ops(module) if not module.context.is_registered_operation(op.name)}
    assert not unregistered, f"the lowering built unregistered ops {sorted(unregistered)}"
    return [[next(outputs) for _ in case.out] for case in cases]


def _pairs(specials, extra, rng_values):
    """x and y covering every pair of special values, then random pairs."""
    grid = np.array(list(itertools.product(specials, specials)), dtype=object)
    x = np.concatenate([grid[:, 0], extra, rng_values[0]])
    y = np.concatenate([grid[:, 1], extra[::-1], rng_values[1]])
    return x, y


def samples(dtype, seed=0):
    """(x, y): 1-D arrays of nx type `dtype` with every pair of that type's special values, then random ones."""
    rng = np.random.default_rng(seed)
    if dtype.is_bool:
        x, y = zip(*itertools.product([False, True], repeat=2))
        return np.array(x * 4, bool), np.array(y * 4, bool)
    if dtype.is_integer:
        info = np.iinfo(dtype.np)
        bits = dtype.bits
        specials = [0, 1, 2, 3, 7, bits - 1, bits, bits + 1, 100, info.max, info.max - 1, info.min]
        if not dtype.is_unsigned:
            specials += [-1, -2, -3, -7, info.min + 1]
        specials = sorted({v for v in specials if info.min <= v <= info.max})
        random = [rng.integers(info.min, info.max, 48, dtype=dtype.np, endpoint=True) for _ in range(2)]
        x, y = _pairs(specials, np.array(specials[::3], dtype=object), random)
        return x.astype(dtype.np), y.astype(dtype.np)
    real = dtype.real_type
    top = float(dtypes.finfo(real).max)
    specials = [0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 1.5, 2.5, -2.5, 3.0, -7.0, 0.1, 100.0, -1e4, np.inf, -np.inf,
                np.nan, top / 2]
    random = [np.concatenate([rng.normal(0, 3, 40), rng.uniform(-1, 1, 24)]) for _ in range(2)]
    extra = np.array([0.99, -0.9, 1e-3, 7.0, 20.0, 60.0, 1e3, 3e4], dtype=object)
    x, y = _pairs(specials, extra, random)
    if dtype.is_complex:
        # Complex pairs: the real samples as real parts, shifted ones as imaginary parts.
        shift = len(specials) // 3
        xr, yr = x.astype(np.float64), y.astype(np.float64)
        return _complex(xr, np.roll(yr, shift), dtype), _complex(yr, np.roll(xr, shift), dtype)
    return x.astype(np.float64).astype(dtype.np), y.astype(np.float64).astype(dtype.np)


def _complex(re, im, dtype):
    out = np.empty(re.shape, dtype.np)
    out.real, out.imag = re, im  # (re + 1j * im would turn an infinite im into a NaN real part)
    return out


def tensor_type(array):
    return TensorType.of(array.shape, dtypes.of_numpy(array.dtype))


# ---- the elementwise sweep: cases, references and comparison (dialect/test_lowering.py, passes/test_fusion.py) ----

# Complex functions follow the textbook formulas (see dialect/lower_complex.py), not C99 Annex G as NumPy does, so
# they are compared where no part of the formula overflows: finite operands with parts of magnitude up to 20.
COMPLEX_MODERATE_ONLY = {"exp", "expm1", "log", "log1p", "log2", "log10", "sqrt", "rsqrt", "sin", "cos", "tan",
                         "sinh", "cosh", "tanh", "asin", "acos", "atan", "asinh", "acosh", "atanh", "sigmoid", "pow"}
# nextafter of 16-bit floats is checked against an independent reference (NumPy's own for f16; every bf16 value,
# sorted, for bf16), and f16 infinities cast to integers saturate to the integer's limits (as XLA does).
HALF = ("f16", "bf16")


def _nextafter_native(x, y):
    """nextafter in x's own 16-bit type: NumPy's for f16; for bf16 (which NumPy lacks) the neighbour among all bf16
    values, sorted."""
    if x.dtype == np.float16:
        return np.nextafter(x, y)
    values = np.unique(np.arange(1 << 16, dtype=np.uint16).view(ml_dtypes.bfloat16).astype(np.float32))
    values = values[~np.isnan(values)]
    xf, yf = x.astype(np.float32), y.astype(np.float32)
    up = values[np.minimum(np.searchsorted(values, xf, side="right"), len(values) - 1)]
    down = values[np.maximum(np.searchsorted(values, xf, side="left") - 1, 0)]
    out = np.where(yf > xf, up, np.where(yf < xf, down, yf))
    return np.where(np.isnan(xf) | np.isnan(yf), np.nan, out).astype(ml_dtypes.bfloat16)


def elementwise_reference(case, arrays, dtype):
    if case.name == "nextafter" and dtype.name in HALF:
        return [_nextafter_native(*arrays[:2])]
    expected = case.reference(arrays)
    if case.name == "as_type" and dtype.name == "f16" and case.attrs["type"].is_integer:
        info = np.iinfo(case.attrs["type"].np)
        x = arrays[0]
        return [np.where(x == np.inf, info.max, np.where(x == -np.inf, info.min, expected[0])).astype(info.dtype)]
    return expected


def elementwise_cases(dtype, arg_types):
    cases = []
    for name, count in [(n, 1) for n in UNARY] + [(n, 2) for n in BINARY]:
        try:
            cases.append(Case(name, list(range(count)), {}, arg_types))
        except NxError:  # the schema does not take this type
            continue
    cases.append(Case("select", [2, 0, 1], {}, arg_types))
    for target in dtypes.TYPES.values():
        if target.bits < 8:  # sub-byte integers cannot leave an IREE function (tests/frontend/test_low_precision.py)
            continue
        cases.append(Case("as_type", [0], {"type": target}, arg_types))
        if target.bits == dtype.bits and target.is_complex == dtype.is_complex:
            cases.append(Case("bitcast", [0], {"type": target}, arg_types))
    return cases


# Allowed error in units in the last place of the result, per result type; ops listed in ULPS_BY_OP get more.
ULPS = {"f8": 1, "f8_e4m3fn": 1, "f16": 1, "bf16": 1, "f32": 4, "f64": 4}
ULPS_BY_OP = {
    ("erfc", "f64"): 16,  # CHLO's erfc approximation (scipy's cephes is within 2)
    ("erf_inv", "f64"): 8,
    ("tanh", "f32"): 6,
    ("erf", "f32"): 6,
}
COMPLEX_RTOL = {"c64": 16 * 2.0 ** -24, "c128": 64 * 2.0 ** -53}


def _spacing(values, real):
    """The gap between |value| and the next number of type `real`, or the smallest normal number where that is
    larger: subnormal results are flushed to zero on CPU."""
    info = ml_dtypes.finfo(real.np)
    magnitude = np.maximum(np.abs(values), float(info.tiny))
    return np.maximum(np.exp2(np.floor(np.log2(magnitude)) - info.nmant), float(info.tiny))


def _bound(case, arrays, expected, real):
    """The allowed absolute error per element."""
    ulps = ULPS_BY_OP.get((case.name, real.name), ULPS[real.name])
    bound = ulps * _spacing(expected, real)
    eps = float(ml_dtypes.finfo(real.np).eps)
    if case.name == "pow" and real is dtypes.f64:  # exp(y log|x|): the error grows with the exponent's size
        x, y = (a.astype(np.float64) for a in arrays[:2])
        with np.errstate(all="ignore"):
            size = np.nan_to_num(np.abs(y * np.log(np.abs(x))), nan=0, posinf=0)
        bound = bound + 2 * size * _spacing(expected, real)
    if case.name == "logaddexp":  # max + log1p(...) cancels: NumPy's own result is off by an ULP of the inputs
        scale = np.maximum(np.abs(arrays[0].astype(np.float64)), np.abs(arrays[1].astype(np.float64)))
        bound = np.maximum(bound, 4 * eps * np.nan_to_num(scale, posinf=0))
    return bound


def special_rows(case, dtype, x, y):
    """The samples a case is compared on."""
    if not dtype.is_complex:
        return slice(None)
    if case.name in COMPLEX_MODERATE_ONLY:
        return np.all([(np.abs(p.real) <= 20) & (np.abs(p.imag) <= 20) for p in (x, y)], axis=0)
    if case.name in ("divide", "reciprocal"):
        # 1 / |y| for |y| near the top of the range is subnormal inside Smith's division, and the CPU flushes it to 0.
        divisor = y if case.name == "divide" else x
        return np.abs(divisor) < 1 / float(np.finfo(dtype.real_type.np).tiny)
    return slice(None)


def mismatches(case, arrays, got, want, dtype, rows):
    if got.dtype != want.dtype or got.shape != want.shape:
        return [f"{case.label}: got {got.dtype}{got.shape}, want {want.dtype}{want.shape}"]
    result_type = dtypes.of_numpy(want.dtype)
    got, want = got[rows], want[rows]
    inputs = [a[rows] for a in arrays]
    if not result_type.is_inexact:
        bad = got != want
    elif result_type.is_complex:
        # Each part is equal, NaN in both, or close relative to the size of the finite parts of NumPy's result.
        g, w = got.astype(np.complex128), want.astype(np.complex128)
        rtol = COMPLEX_RTOL[result_type.name]
        if case.name == "pow":  # repeated products and exp(y log x) lose precision with the exponent's size
            rtol = rtol * np.maximum(1, np.abs(inputs[1].astype(np.complex128)))
        with np.errstate(all="ignore"):
            scale = np.hypot(*(np.where(np.isfinite(p), p, 0) for p in (w.real, w.imag)))
            tolerance = rtol * scale + float(np.finfo(result_type.real_type.np).tiny)
            part_ok = [(gp == wp) | (np.isnan(gp) & np.isnan(wp)) |
                       (np.isfinite(gp) & np.isfinite(wp) & (np.abs(gp - wp) <= tolerance))
                       for gp, wp in ((g.real, w.real), (g.imag, w.imag))]
        bad = ~(part_ok[0] & part_ok[1])
    else:
        g, w = got.astype(np.float64), want.astype(np.float64)
        with np.errstate(all="ignore"):
            close = np.abs(g - w) <= _bound(case, inputs, w, result_type)
        bad = ~((g == w) | (np.isnan(g) & np.isnan(w)) | (close & np.isfinite(g) & np.isfinite(w)))
    if not bad.any():
        return []
    where = np.nonzero(bad)[0][:3]
    shown = ", ".join(f"f({', '.join(repr(a[i]) for a in inputs[:len(case.operands)])}) = {got[i]!r}, NumPy "
                      f"{want[i]!r}" for i in where)
    return [f"{case.label}: {int(bad.sum())} of {bad.size} differ, e.g. {shown}"]
