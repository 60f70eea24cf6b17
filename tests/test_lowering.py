"""nx-to-stablehlo: every nx op has a lowering, and every elementwise op compiled by IREE matches its NumPy rule
for every type its schema accepts, special values included. One module per operand type holds all the ops, so the
sweep costs one IREE compile per type (cached on disk between runs)."""
import ml_dtypes
import numpy as np
import pytest

from numerix import dtypes
from numerix.dialect.elementwise import BINARY, UNARY
from numerix.dialect.schema import SCHEMAS
from numerix.errors import NxError
from numerix.passes import to_stablehlo  # noqa: F401  (registers the lowerings)
from numerix.passes.lowering import NOT_LOWERED, LOWERINGS

from conftest import ALL_TYPES
from lowering_cases import Case, compile_and_run, samples, tensor_type


def test_every_op_has_a_lowering():
    missing = sorted(set(SCHEMAS) - set(LOWERINGS) - set(NOT_LOWERED))
    assert not missing, (f"nx ops without a StableHLO lowering (add one, or list the op in NOT_LOWERED with why): "
                         f"{missing}")


def test_lowerings_name_real_ops():
    assert not set(LOWERINGS) - set(SCHEMAS)
    assert not set(NOT_LOWERED) & set(LOWERINGS)


# ---- the elementwise sweep ----

# Complex functions follow the textbook formulas (see passes/lower_complex.py), not C99 Annex G as NumPy does, so
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


def _reference(case, arrays, dtype):
    if case.name == "nextafter" and dtype.name in HALF:
        return [_nextafter_native(*arrays[:2])]
    expected = case.reference(arrays)
    if case.name == "as_type" and dtype.name == "f16" and case.attrs["type"].is_integer:
        info = np.iinfo(case.attrs["type"].np)
        x = arrays[0]
        return [np.where(x == np.inf, info.max, np.where(x == -np.inf, info.min, expected[0])).astype(info.dtype)]
    return expected


def _cases(dtype, arg_types):
    cases = []
    for name, count in [(n, 1) for n in UNARY] + [(n, 2) for n in BINARY]:
        try:
            cases.append(Case(name, list(range(count)), {}, arg_types))
        except NxError:  # the schema does not take this type
            continue
    cases.append(Case("select", [2, 0, 1], {}, arg_types))
    for target in dtypes.TYPES.values():
        cases.append(Case("as_type", [0], {"type": target}, arg_types))
        if target.bits == dtype.bits and target.is_complex == dtype.is_complex:
            cases.append(Case("bitcast", [0], {"type": target}, arg_types))
    return cases


# Allowed error in units in the last place of the result, per result type; ops listed in ULPS_BY_OP get more.
ULPS = {"f16": 1, "bf16": 1, "f32": 4, "f64": 4}
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


def _rows(case, dtype, x, y):
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


def _mismatches(case, arrays, got, want, dtype, rows):
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


@pytest.mark.parametrize("type_name", ALL_TYPES)
def test_elementwise_ops_match_numpy(type_name):
    dtype = dtypes.TYPES[type_name]
    x, y = samples(dtype)
    pred = np.arange(x.size) % 3 == 0
    arrays = [x, y, pred]
    arg_types = [tensor_type(a) for a in arrays]
    cases = _cases(dtype, arg_types)
    failures = []
    with np.errstate(all="ignore"):
        for case, got in zip(cases, compile_and_run(arg_types, cases, arrays)):
            rows = _rows(case, dtype, x, y)
            for g, w in zip(got, _reference(case, arrays, dtype)):
                failures += _mismatches(case, arrays, g, w, dtype, rows)
    assert not failures, f"{len(failures)} ops differ from NumPy on {type_name}:\n" + "\n".join(failures)
