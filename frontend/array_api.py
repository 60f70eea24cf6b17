"""The rest of the array API's namespace: inspection (`__array_namespace_info__`), the data type functions
(astype, can_cast, isdtype, result_type; finfo and iinfo live in dtypes.py), the set functions and nonzero, diff,
isin, and the constants.

The set functions and nonzero have data-dependent shapes: they run eagerly only, and raise NxTraceError inside
defn."""
import math
from typing import NamedTuple

import numpy as np

from numerix.dialect import dtypes
from numerix.dialect.schema import TensorType
from numerix.dialect.errors import NxTraceError, NxTypeError, NxValueError

from .operands import as_type, axis_index, to_tensor
from .operands import result_type as _promoted_type
from .creation import asarray, check_device, constant
from .dispatch import apply
from .elementwise import equal, logical_not, not_equal, subtract
from .indexing import take
from .reduction import any as _any
from .shape import concat
from .tensor import Tensor

__all__ = ["__array_namespace_info__", "astype", "can_cast", "isdtype", "result_type", "unique_all",
           "unique_counts", "unique_inverse", "unique_values", "nonzero", "diff", "isin", "e", "inf", "nan", "pi",
           "newaxis", "UniqueAllResult", "UniqueCountsResult", "UniqueInverseResult"]

e, inf, nan, pi = math.e, math.inf, math.nan, math.pi
newaxis = None

# The array API's dtypes; f16 and bf16 are numerix extensions, so `dtypes()` leaves them out, while `isdtype`
# counts them as 'real floating' (an extension the standard allows).
_STANDARD_TYPES = [dtypes.bool_, dtypes.s8, dtypes.s16, dtypes.s32, dtypes.s64, dtypes.u8, dtypes.u16, dtypes.u32,
                   dtypes.u64, dtypes.f32, dtypes.f64, dtypes.c64, dtypes.c128]
_KINDS = {
    "bool": lambda t: t.is_bool,
    "signed integer": lambda t: t.kind == "s",
    "unsigned integer": lambda t: t.kind == "u",
    "integral": lambda t: t.is_integer,
    "real floating": lambda t: t.is_float,
    "complex floating": lambda t: t.is_complex,
    "numeric": lambda t: not t.is_bool,
}


class _Info:
    """What `__array_namespace_info__()` returns: numerix's devices, types and capabilities."""

    def capabilities(self):
        # Eagerly, boolean indexing and data-dependent shapes (unique_*, nonzero) work; inside defn they raise
        # NxTraceError. NumPy, the eager backend, caps the rank at 64.
        return {"boolean indexing": True, "data-dependent shapes": True, "max dimensions": 64}

    def default_device(self):
        return "cpu"

    def devices(self):
        return ["cpu"]

    def default_dtypes(self, *, device=None):
        check_device("default_dtypes", device)
        return {"real floating": dtypes.DEFAULT_FLOAT, "complex floating": dtypes.DEFAULT_COMPLEX,
                "integral": dtypes.DEFAULT_INT, "indexing": dtypes.DEFAULT_INT}

    def dtypes(self, *, device=None, kind=None):
        check_device("dtypes", device)
        return {dtypes.ARRAY_API_NAMES[t.name]: t for t in _STANDARD_TYPES if kind is None or isdtype(t, kind)}


_INFO = _Info()


def __array_namespace_info__():
    """The array API's inspection namespace: capabilities, default device and types, and the types numerix has.

    Examples:
        >>> nx.__array_namespace_info__().default_dtypes()["real floating"]
        nx.float32
    """
    return _INFO


# ---- data type functions ----

def isdtype(dtype, kind):
    """Whether `dtype` is `kind`: a dtype, a kind name ('bool', 'signed integer', 'unsigned integer', 'integral',
    'real floating' (f16 and bf16 included), 'complex floating', 'numeric'), or a tuple of those.

    Examples:
        >>> nx.isdtype(nx.f16, "real floating"), nx.isdtype(nx.u8, "signed integer")
        (True, False)
    """
    if not isinstance(dtype, dtypes.DType):
        raise NxTypeError(f"needs a dtype, got {dtype!r}", op="isdtype")
    for k in kind if isinstance(kind, tuple) else (kind,):
        if isinstance(k, dtypes.DType):
            if dtype is k:
                return True
        elif isinstance(k, str):
            if k not in _KINDS:
                raise NxValueError(f"unknown kind {k!r}; expected one of {', '.join(map(repr, _KINDS))}",
                                   op="isdtype")
            if _KINDS[k](dtype):
                return True
        else:
            raise NxTypeError(f"kind must be a dtype, a kind name or a tuple of them, got {k!r}", op="isdtype")
    return False


def _type_of(op, value):
    if isinstance(value, Tensor):
        return value.type
    try:
        return dtypes.as_dtype(value)
    except NxTypeError:
        raise NxTypeError(f"needs a dtype or a tensor, got {value!r}", op=op) from None


def can_cast(from_, to, /):
    """Whether promotion takes `from_` (a dtype or a tensor) to `to` without loss: promote_types(from_, to) is
    `to`, and for integers `to` holds every value of `from_` (so u64 does not go to s64).

    Examples:
        >>> nx.can_cast(nx.s8, nx.s16), nx.can_cast(nx.f64, nx.f32)
        (True, False)
    """
    source, target = _type_of("can_cast", from_), _type_of("can_cast", to)
    if dtypes.promote_types(source, target) is not target:
        return False
    if source.is_integer and target.is_integer:
        return dtypes.iinfo(target).min <= dtypes.iinfo(source).min and \
            dtypes.iinfo(source).max <= dtypes.iinfo(target).max
    return True


def result_type(*arrays_and_dtypes):
    """The array API's result_type: the type promotion gives tensors, dtypes and Python scalars (weak: they take
    the tensors' type where their kind fits). At least one tensor or dtype is needed.

    Examples:
        >>> nx.result_type(nx.tensor([1], type="u8"), nx.s8)
        nx.int16
        >>> nx.result_type(nx.tensor([1], type="f16"), 2.0)
        nx.float16
    """
    if not any(dtypes.weak_type(v) is None for v in arrays_and_dtypes):
        raise NxValueError("needs at least one tensor or dtype (Python scalars alone have no type to promote "
                           "with)", op="result_type")
    return _promoted_type("result_type", *arrays_and_dtypes)


def astype(x, dtype, /, *, copy=True, device=None):
    """x in `dtype`. Complex to a real type is refused (take nx.real or nx.imag first, as the standard asks);
    complex to bool is x != 0. copy=False returns x itself when the type already matches.

    Examples:
        >>> nx.astype(nx.tensor([1.5, 2.5]), nx.int32)
        nx.Tensor<
          s32[2]
          [1, 2]
        >
    """
    check_device("astype", device)
    t = to_tensor(x)
    target = dtypes.as_dtype(dtype)
    if t.type is target:
        return asarray(t, copy=True) if copy else t
    if t.type.is_complex and not target.is_complex:
        if target.is_bool:
            return not_equal(t, 0)
        raise NxTypeError(f"casting {t.ttype} to {target.name} would drop the imaginary part; cast nx.real(x) "
                          "or nx.imag(x)", op="astype")
    return as_type(t, target)


# ---- data-dependent shapes (eager only) ----

class UniqueAllResult(NamedTuple):
    values: object
    indices: object
    inverse_indices: object
    counts: object


class UniqueCountsResult(NamedTuple):
    values: object
    counts: object


class UniqueInverseResult(NamedTuple):
    values: object
    inverse_indices: object


def _eager_values(op, x):
    """x's tensor and its values as NumPy, refusing traced tensors: the result's shape depends on the values."""
    t = to_tensor(x)
    if getattr(t.backend, "traced", False):
        raise NxTraceError(f"the result's shape depends on the values of {t.ttype}, so {op} cannot be traced inside "
                           "defn; call it outside", op=op)
    if t.vectorized:
        raise NxValueError(f"the result's shape depends on the values of each entry of {t.ttype} vectorized over "
                           f"{list(t.vectorized)}, so {op} cannot map over them; devectorize it first", op=op)
    return t, t.backend.to_numpy(t)


def _on(t, array, type, names=None):
    """A tensor of `array` in `type`, on t's backend."""
    array = np.array(np.asarray(array).astype(type.np), order="C")
    return t.backend.from_numpy(array, TensorType.of(array.shape, type, names))


def _unique(op, x):
    """NumPy's unique of the flattened values, NaNs distinct (the standard's rule: NaN != NaN)."""
    t, values = _eager_values(op, x)
    wide = values.astype(np.float32) if t.type is dtypes.bf16 else values  # bf16 sorts through f32, exactly
    found, first, inverse, counts = np.unique(wide.reshape(-1), return_index=True, return_inverse=True,
                                              return_counts=True, equal_nan=False)
    index = dtypes.DEFAULT_INT
    return (_on(t, found, t.type), _on(t, first, index), _on(t, inverse.reshape(t.shape), index, t.names),
            _on(t, counts, index))


def unique_all(x, /):
    """The unique values (sorted), the index of each one's first occurrence, for each element of x the index of
    its value (x's shape), and how often each occurs.

    Examples:
        >>> result = nx.unique_all(nx.tensor([3, 1, 3, 2]))
        >>> result.values
        nx.Tensor<
          s64[3]
          [1, 2, 3]
        >
        >>> result.indices
        nx.Tensor<
          s64[3]
          [1, 3, 0]
        >
        >>> result.inverse_indices
        nx.Tensor<
          s64[4]
          [2, 0, 2, 1]
        >
        >>> result.counts
        nx.Tensor<
          s64[3]
          [1, 1, 2]
        >
    """
    return UniqueAllResult(*_unique("unique_all", x))


def unique_counts(x, /):
    """The unique values (sorted) and how often each occurs: a UniqueCountsResult. Eager only (data-dependent shape).

    Examples:
        >>> values, counts = nx.unique_counts(nx.tensor([3, 1, 3]))
        >>> counts
        nx.Tensor<
          s64[2]
          [1, 2]
        >
    """
    values, _, _, counts = _unique("unique_counts", x)
    return UniqueCountsResult(values, counts)


def unique_inverse(x, /):
    """The unique values (sorted) and, for each element of x, the index of its value: a UniqueInverseResult. Eager only.

    Examples:
        >>> values, inverse = nx.unique_inverse(nx.tensor([3, 1, 3]))
        >>> inverse
        nx.Tensor<
          s64[3]
          [1, 0, 1]
        >
    """
    values, _, inverse, _ = _unique("unique_inverse", x)
    return UniqueInverseResult(values, inverse)


def unique_values(x, /):
    """The unique values of x, sorted, as a 1-d tensor. Eager only (the result's shape depends on the values).

    Examples:
        >>> nx.unique_values(nx.tensor([3, 1, 3, 2]))
        nx.Tensor<
          s64[3]
          [1, 2, 3]
        >
    """
    return _unique("unique_values", x)[0]


def nonzero(x, /):
    """The indices of x's nonzero elements, one s64 vector per axis (row-major order).

    Examples:
        >>> rows, cols = nx.nonzero(nx.tensor([[0, 1], [2, 0]]))
        >>> rows
        nx.Tensor<
          s64[2]
          [0, 1]
        >
        >>> cols
        nx.Tensor<
          s64[2]
          [1, 0]
        >
    """
    t, values = _eager_values("nonzero", x)
    if t.ndim == 0:
        raise NxValueError(f"needs a tensor of rank >= 1, got {t.ttype} (use nx.atleast_1d or reshape)", op="nonzero")
    wide = values.astype(np.float32) if t.type is dtypes.bf16 else values
    return tuple(_on(t, i, dtypes.DEFAULT_INT) for i in np.nonzero(wide))


# ---- utility ----

def _take_range(t, axis, start, stop):
    return take(t, constant(np.arange(start, stop, dtype=np.int64), dtypes.DEFAULT_INT), axis=axis)


def diff(x, /, *, axis=-1, n=1, prepend=None, append=None):
    """The n-th forward difference along `axis` (x[i + 1] - x[i], n times), after joining `prepend` and `append`
    to x along that axis. For bool, a difference is x[i + 1] != x[i], as in NumPy.

    Examples:
        >>> nx.diff(nx.tensor([1, 4, 9, 16]))
        nx.Tensor<
          s64[3]
          [3, 5, 7]
        >
        >>> nx.diff(nx.tensor([1, 4, 9, 16]), n=2)
        nx.Tensor<
          s64[2]
          [2, 2]
        >
    """
    t = to_tensor(x)
    if t.ndim == 0:
        raise NxValueError(f"needs a tensor of rank >= 1, got {t.ttype}", op="diff")
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 0:
        raise NxValueError(f"n must be a non-negative int, got {n!r}", op="diff")
    axis = axis_index("diff", t, axis)
    if prepend is not None or append is not None:
        common = _promoted_type("diff", *(v for v in (prepend, t, append) if v is not None))
        parts = [to_tensor(v, common) for v in (prepend, t, append) if v is not None]
        t = concat(parts, axis=axis)
    for _ in range(n):
        length = t.shape[axis]
        later, earlier = _take_range(t, axis, 1, length), _take_range(t, axis, 0, max(length - 1, 0))
        t = not_equal(later, earlier) if t.type.is_bool else subtract(later, earlier)
    return t if n else +t  # n = 0: another tensor than x all the same


def isin(x1, x2, /, *, invert=False):
    """For each element of x1, whether it equals some element of x2 (x1's shape; NaN is in nothing).

    Examples:
        >>> nx.isin(nx.tensor([1, 2, 3]), nx.tensor([2, 5]))
        nx.Tensor<
          bool[3]
          [False,  True, False]
        >
    """
    a, b = to_tensor(x1), to_tensor(x2)
    column = apply("reshape", [a], shape=a.shape + (1,), names=a.names + (None,))
    row = apply("reshape", [b], shape=(b.size,), names=(None,))
    found = _any(equal(column, row), axis=-1)
    return logical_not(found) if invert else found
