"""Repetition: tile repeats the whole tensor, repeat each element, reflect mirrors it at its ends. tile and repeat
broadcast to new axes and reshape them away; repeat with one count per element and reflect take elements by index,
so this module sits above indexing.py (which builds on shape.py). Nx's diagonal functions live here too, above
linalg.py, whose diagonal take_diagonal is."""
import numpy as np

from numerix.dialect.errors import NxShapeError, NxTraceError, NxTypeError, NxValueError

from .creation import constant, iota
from .elementwise import add, equal, select
from .indexing import take
from .linalg import diagonal as _diagonal
from .operands import axis_index, rename, result_type, to_tensor
from .shape import _broadcast, _ints, _is_int, pad, reshape
from .tensor import Tensor

__all__ = ["tile", "repeat", "reflect", "make_diagonal", "put_diagonal", "take_diagonal"]


def tile(x, repetitions, /):
    """Repeats the whole tensor `repetitions` times per axis (NumPy's and the array API's rule: a shorter
    repetitions is padded with leading 1s, a longer one adds leading axes).

    Examples:
        >>> nx.tile(nx.tensor([[1, 2]]), (2, 2))
        nx.Tensor<
          s64[2][4]
          [[1, 2, 1, 2],
           [1, 2, 1, 2]]
        >
    """
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
    would make the result's shape depend on data.

    Examples:
        >>> nx.repeat(nx.tensor([1, 2, 3]), 2)
        nx.Tensor<
          s64[6]
          [1, 1, 2, 2, 3, 3]
        >
        >>> nx.repeat(nx.tensor([[1, 2], [3, 4]]), nx.tensor([1, 2]), axis=0)
        nx.Tensor<
          s64[3][2]
          [[1, 2],
           [3, 4],
           [3, 4]]
        >
    """
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


def reflect(tensor, *, padding_config):  # noqa: A002 (Nx's argument name)
    """Nx's reflect: t padded on each axis by (before, after) elements read from the axis mirrored at its ends (the
    end elements not repeated), as often as the padding needs: [0, 1, 2] with (3, 1) is [1, 2, 1, 0, 1, 2, 1].

    Examples:
        >>> nx.reflect(nx.tensor([0, 1, 2]), padding_config=[(3, 1)])
        nx.Tensor<
          s64[7]
          [1, 2, 1, 0, 1, 2, 1]
        >
    """
    t = to_tensor(tensor)
    if t.ndim == 0:
        raise NxValueError(f"needs a tensor of rank >= 1, got {t.ttype}", op="reflect")
    config = list(padding_config)
    if len(config) != t.ndim or any(not isinstance(p, (tuple, list)) or len(p) != 2 or not all(
            _is_int(v) and v >= 0 for v in p) for p in config):
        raise NxValueError(f"padding_config must be one (before, after) pair of ints >= 0 per axis of {t.ttype}, got "
                           f"{padding_config!r}", op="reflect")
    names = t.names
    for axis, (before, after) in enumerate(config):
        if before or after:
            t = take(t, _reflected_indices("reflect", t, axis, before, after), axis=axis)
    return rename(t, names)


def _reflected_indices(op, t, axis, before, after):
    """Positions -before .. n - 1 + after of an axis of size n, folded into it: reflection repeats with period
    2n - 2 (an axis of size 1 repeats its element)."""
    n = t.shape[axis]
    if n == 0:
        raise NxValueError(f"cannot reflect axis {axis} of {t.ttype}: it is empty", op=op)
    period = max(2 * n - 2, 1)
    folded = np.arange(-before, n + after) % period
    return np.where(folded < n, folded, period - folded)


# ---- Nx's diagonal functions ----

def _offset(op, offset):
    if not _is_int(offset):
        raise NxTypeError(f"offset must be an int, got {offset!r}", op=op)
    return int(offset)


def _checked_offset(op, t, offset):
    """Nx's rule for an offset into the matrices of t: 0 <= offset < columns, or -rows < offset < 0 (the diagonal
    starts inside the matrix)."""
    k = _offset(op, offset)
    rows, cols = t.shape[-2:]
    if not (0 <= k < cols if k >= 0 else -k < rows):
        raise NxValueError(f"offset {k} is outside the matrices of {t.ttype}: it must be in ({-rows}, {cols})", op=op)
    return k


def _on_diagonal(op, base, values, k):
    """The matrix `base` with `values` on its k-th diagonal (row + k == column), of whose length values is: value i
    sits on row i when k >= 0, on column i when k < 0."""
    rows, cols = base.shape
    along = 0 if k >= 0 else 1
    spread = pad(values, 0, [(0, base.shape[along] - values.shape[0], 0)])
    spread = _broadcast(op, spread, (rows, cols), (along,), None)
    on_diagonal = equal(add(iota((rows, cols), axis=0), k), iota((rows, cols), axis=1))
    return select(on_diagonal, spread, base)


def make_diagonal(tensor, *, offset=0):  # noqa: A002 (Nx's argument name)
    """Nx's make_diagonal: the square matrix (size n + |offset|) with the n elements of a 1-d tensor on its
    `offset` diagonal (above the main one for offset > 0) and zeros elsewhere.

    Examples:
        >>> nx.make_diagonal(nx.tensor([1, 2]), offset=1)
        nx.Tensor<
          s64[3][3]
          [[0, 1, 0],
           [0, 0, 2],
           [0, 0, 0]]
        >
    """
    t = to_tensor(tensor)
    k = _offset("make_diagonal", offset)
    if t.ndim != 1:
        raise NxShapeError(f"needs a rank-1 tensor, got {t.ttype}", op="make_diagonal")
    size = t.shape[0] + abs(k)
    zeros = _broadcast("make_diagonal", constant(0, t.type), (size, size), None, None)
    return _on_diagonal("make_diagonal", zeros, t, k)


def put_diagonal(tensor, diagonal, *, offset=0):  # noqa: A002 (Nx's argument name)
    """Nx's put_diagonal: the matrix with its `offset` diagonal replaced by the 1-d `diagonal`, which must have the
    diagonal's length. The result type is the promotion of both.

    Examples:
        >>> nx.put_diagonal(nx.zeros((2, 3), type="s64"), nx.tensor([1, 2]), offset=1)
        nx.Tensor<
          s64[2][3]
          [[0, 1, 0],
           [0, 0, 2]]
        >
    """
    common = result_type("put_diagonal", tensor, diagonal)
    t, d = to_tensor(tensor, common), to_tensor(diagonal, common)
    if t.ndim != 2 or d.ndim != 1:
        raise NxShapeError(f"needs a matrix and a 1-d diagonal, got {t.ttype} and {d.ttype}", op="put_diagonal")
    k = _checked_offset("put_diagonal", t, offset)
    length = min(t.shape[0] - max(-k, 0), t.shape[1] - max(k, 0))
    if d.shape[0] != length:
        raise NxShapeError(f"the diagonal at offset {k} of {t.ttype} has {length} elements, got {d.ttype}",
                           op="put_diagonal")
    return _on_diagonal("put_diagonal", t, d, k)


def take_diagonal(tensor, *, offset=0):  # noqa: A002 (Nx's argument name)
    """Nx's take_diagonal: the `offset` diagonal of each matrix (the last two axes), as a last axis; nx.linalg's
    diagonal with Nx's check that the offset falls inside the matrix.

    Examples:
        >>> nx.take_diagonal(nx.tensor([[1, 2, 3], [4, 5, 6]]))
        nx.Tensor<
          s64[2]
          [1, 5]
        >
    """
    t = to_tensor(tensor)
    if t.ndim < 2:
        raise NxShapeError(f"needs a matrix or a stack of matrices (rank >= 2), got {t.ttype}", op="take_diagonal")
    return _diagonal(t, offset=_checked_offset("take_diagonal", t, offset))
