"""What keeps a random program's comparison meaningful: the generator knows each value of its program (it runs each
step eagerly as it draws it), so it rejects a step whose result three backends could rightly disagree on. A float
that lies within rounding error of a discontinuity (floor near an integer, a comparison near a tie, an argmax near a
second maximum, a branch cut) could land on either side in each backend; a value near a singularity (log near 0,
asin near 1) turns each backend's last-place error into a large one. `margin` is how far from such a point a value
must lie: well above the error a few ops of its type accumulate (conftest.RTOL per op), so the side it lands on is
the same everywhere."""
import numpy as np

import numerix as nx

# Per unit of a value's scale; the error a program of MAX_STEPS ops may accumulate is about MAX_STEPS * RTOL (f32:
# 2e-5, f16: 0.03, bf16: 0.2), and each margin is several times that.
MARGIN = {"f16": 0.1, "bf16": 0.5, "f32": 1e-3, "f64": 1e-6, "c64": 1e-3, "c128": 1e-6}
# Floats stay below this in magnitude: far from f16's overflow (65504) after one more op, and small enough that an
# absolute tolerance of RTOL * scale stays meaningful.
FLOAT_BOUND = 1e3
# 64-bit integers cannot be checked for overflow against a wider type, so they stay far below it instead.
INT64_BOUND = 2 ** 31
# How far from its singular points an operand of log, asin, ... must lie (absolute: these are near 0 or 1).
SINGULAR_DISTANCE = 0.1


def is_float(value):
    return nx.as_dtype(value.type).is_inexact


def margin(value):
    """The distance from a discontinuity that a value of this type and scale needs (0 for exact types)."""
    if not is_float(value):
        return 0.0
    return MARGIN[value.type] * max(1.0, value.scale)


def finite(a):
    return a[np.isfinite(a)]


def away_from(points, value, distance=None):
    """True when every (non-NaN) element of a real `value` lies at least `distance` (default: its margin) from each of
    `points`."""
    distance = margin(value) if distance is None else distance
    a = finite(np.asarray(value.array, np.float64))
    return all(np.all(np.abs(a - p) >= distance) for p in points)


def away_from_integers(value, offset=0.0):
    """No element within a margin of an integer + offset (floor/ceil/trunc: offset 0; round: 0.5)."""
    if not is_float(value):
        return True
    a = finite(np.asarray(value.array, np.float64)) - offset
    return bool(np.all(np.abs(a - np.round(a)) >= margin(value)))


def off_real_axis(value):
    """A complex operand of a function with a branch cut on the real axis (log, sqrt, asin, ...): keep it off it."""
    a = np.asarray(value.array)
    return bool(np.all(np.abs(finite(a.imag)) >= SINGULAR_DISTANCE))


def nonzero(value):
    """A float used as a truth value or a sign: no element within a margin of zero. Integers are exact."""
    if not is_float(value):
        return True
    return bool(np.all(np.abs(finite(np.asarray(value.array))) >= margin(value)))


def definite_sign(value):
    """A value whose sign is read (signbit, copysign's second operand): no element near zero, and no NaN, whose sign
    IEEE 754 leaves to each implementation (x86 gives log(-1) a negative NaN, IREE's log a positive one)."""
    return nonzero(value) and not (is_float(value) and np.isnan(np.asarray(value.array, np.complex128)).any())


def apart(a, b):
    """Two broadcast operands of a comparison: no pair within a margin of a tie."""
    if not (is_float(a) or is_float(b)):
        return True
    distance = max(margin(a), margin(b))
    x, y = np.broadcast_arrays(np.asarray(a.array), np.asarray(b.array))
    with np.errstate(invalid="ignore"):
        gap = np.abs(x.astype(np.complex128) - y.astype(np.complex128))
    return bool(np.all(finite(gap) >= distance))


def clear_extremum(value, axis):
    """argmax/argmin along `axis` (None: all): the best element beats the second by a margin, or ties are exact
    (integers, where tie_break decides the same way everywhere)."""
    if not is_float(value):
        return True
    a = np.asarray(value.array, np.float64)
    a = a.reshape(-1) if axis is None else np.moveaxis(a, axis, -1)
    if a.shape[-1] < 2 or np.isnan(a).any():
        return not np.isnan(a).any()
    ordered = np.sort(a, axis=-1)
    return bool(np.all(ordered[..., -1] - ordered[..., -2] >= margin(value))
                and np.all(ordered[..., 1] - ordered[..., 0] >= margin(value)))


def distinct_along(value, axis):
    """argsort: neighbours in sorted order differ by a margin, so each backend orders them the same way."""
    if not is_float(value):
        return True
    a = np.sort(np.moveaxis(np.asarray(value.array, np.float64), axis, -1), axis=-1)
    return not np.isnan(a).any() and bool(np.all(np.diff(a, axis=-1) >= margin(value)))


def within_range(value, type):
    """A conversion to `type` of values that fit it (out-of-range float-to-int conversion is undefined behaviour, and
    integer narrowing wraps only on some paths)."""
    t = nx.as_dtype(type)
    if not t.is_integer:
        return True
    info = np.iinfo(t.np)
    a = np.asarray(value.array)
    if np.iscomplexobj(a) or np.isnan(np.asarray(a, np.float64)).any():
        return False
    a = np.asarray(a, np.float64)
    return bool(np.all(a >= info.min) and np.all(a <= info.max))
