"""Repetition: tile repeats the whole tensor, repeat each element. Both broadcast to new axes and reshape them
away; repeat with one count per element takes elements by index instead, so this module sits above indexing.py
(which builds on shape.py)."""
import numpy as np

from numerix.dialect.errors import NxTraceError, NxValueError

from .indexing import take
from .operands import axis_index, to_tensor
from .shape import _broadcast, _ints, _is_int, reshape
from .tensor import Tensor

__all__ = ["tile", "repeat"]


def tile(x, repetitions, /):
    """Repeats the whole tensor `repetitions` times per axis (NumPy's and the array API's rule: a shorter
    repetitions is padded with leading 1s, a longer one adds leading axes)."""
    t = to_tensor(x)
    reps = _ints("tile", "repetitions", repetitions)
    if any(r < 0 for r in reps):
        raise NxValueError(f"repetitions {list(reps)} must be >= 0", op="tile")
    rank = max(t.ndim, len(reps))
    reps = (1,) * (rank - len(reps)) + reps
    t = reshape(t, (1,) * (rank - t.ndim) + t.shape, names=(None,) * (rank - t.ndim) + t.names)
    if all(r == 1 for r in reps):
        return t
    interleaved = tuple(v for r, d in zip(reps, t.shape) for v in (r, d))
    grown = _broadcast("tile", t, interleaved, tuple(range(1, 2 * rank, 2)), None)
    return reshape(grown, [r * d for r, d in zip(reps, t.shape)], names=t.names)


def repeat(x, repeats, /, *, axis=None):
    """The array API's repeat: each element repeated `repeats` times (an int, or one count per element along
    `axis`); axis=None works on the flattened tensor. Per-element counts must be known: a traced tensor of counts
    would make the result's shape depend on data."""
    t = to_tensor(x)
    if axis is None:
        t, axis = reshape(t, (t.size,)), 0
    a = axis_index("repeat", t, axis)
    if t.ndim == 0:
        raise NxValueError(f"cannot repeat along an axis of rank-0 {t.ttype}", op="repeat")
    n = t.shape[a]
    if _is_int(repeats):
        if repeats < 0:
            raise NxValueError(f"repeats must be >= 0, got {repeats}", op="repeat")
        grown = _broadcast("repeat", t, t.shape[:a + 1] + (int(repeats),) + t.shape[a + 1:],
                           tuple(i for i in range(t.ndim + 1) if i != a + 1), None)
        return reshape(grown, t.shape[:a] + (n * int(repeats),) + t.shape[a + 1:], names=t.names)
    if isinstance(repeats, Tensor) and getattr(repeats.backend, "traced", False):
        raise NxTraceError(f"repeat counts given as a traced tensor {repeats.ttype} make the result's shape depend "
                           "on data; give an int or a constant list", op="repeat")
    counts = np.asarray(repeats)
    counts = counts.astype(np.int64) if counts.size == 0 else counts  # [] holds no counts, of no type
    if counts.dtype.kind not in "iu" or counts.ndim != 1 or counts.shape[0] not in (1, n) or (counts < 0).any():
        raise NxValueError(f"repeats must be an int or 1 or {n} ints >= 0 (axis {a} of {t.ttype}), got "
                           f"{repeats!r}", op="repeat")
    return take(t, np.repeat(np.arange(n), np.broadcast_to(counts, (n,))), axis=a)
