"""Creation functions: Nx's (iota, eye with `type=`/`names=`) and the array API's (zeros, full, linspace, arange,
asarray, ... with `dtype=`/`device=`). All build on two ops, nx.iota and nx.constant, so they trace too.
Default types are the array API's: the default float (f32) unless the values or `dtype` say otherwise."""
import math
import numbers

import numpy as np

from numerix.dialect import dtypes
from numerix.dialect.errors import NxTypeError, NxValueError

from .dispatch import apply
from .elementwise import add, divide, equal, greater_equal, multiply, select
from .operands import as_type, rename, shared_tensor, tensor, to_tensor
from .tensor import Tensor, is_traced
from .vectorize import vectorize

__all__ = ["iota", "eye", "tri", "zeros", "ones", "full", "empty", "zeros_like", "ones_like", "full_like", "empty_like",
           "linspace", "arange", "tril", "triu", "asarray"]


# ---- argument helpers shared by the creation functions ----

def resolve_type(op, type, dtype, default):
    """One type from Nx's `type=` or the array API's `dtype=` (not both); `default` when neither is given."""
    if type is not None and dtype is not None:
        raise NxValueError(f"give type= or dtype=, not both (got {type!r} and {dtype!r})", op=op)
    given = type if type is not None else dtype
    return default if given is None else dtypes.as_dtype(given)


def check_device(op, device):
    """numerix tensors live on the CPU (eager NumPy) until defn compiles them; that is the only device to ask for."""
    if device is not None and device != "cpu":
        raise NxValueError(f"unknown device {device!r}; numerix creates tensors on 'cpu'", op=op)


def shape_of(op, shape):
    """A shape tuple from an int, a sequence of ints, or a tensor (whose shape it takes)."""
    if isinstance(shape, Tensor):
        return shape.shape
    if isinstance(shape, (int, np.integer)) and not isinstance(shape, bool):
        shape = (shape,)
    try:
        dims = tuple(shape)
    except TypeError:
        raise NxTypeError(f"shape must be an int or a sequence of ints, got {shape!r}", op=op) from None
    for d in dims:
        if not isinstance(d, (int, np.integer)) or isinstance(d, bool) or d < 0:
            raise NxValueError(f"shape must hold non-negative ints, got {shape!r}", op=op)
    return tuple(int(d) for d in dims)


def _named(t, names):
    return t if names is None else rename(t, names)


def constant(value, type):
    """A constant tensor of `type` holding `value` (a scalar or array), through nx.constant; complex constants are
    nx.complex of their real and imaginary parts (complex attributes cannot be read back)."""
    array = np.asarray(value).astype(type.np)
    if type.is_complex:
        part = type.real_type
        return apply("complex", [apply("constant", [], value=array.real.astype(part.np)),
                                 apply("constant", [], value=array.imag.astype(part.np))])
    return apply("constant", [], value=array)


def _fill_scalar(op, value, type):
    """`value` as a NumPy scalar of `type`, refusing what the type cannot hold instead of wrapping or dropping it."""
    kind = dtypes.weak_type(value)
    if isinstance(value, np.generic):
        kind = "bool" if value.dtype.kind == "b" else "int" if value.dtype.kind in "iu" else \
            "complex" if value.dtype.kind == "c" else "float"
    if kind is None:
        raise NxTypeError(f"fill value must be a Python or NumPy scalar, got {value!r}", op=op)
    if kind == "complex" and not type.is_complex or kind == "float" and not type.is_inexact:
        raise NxTypeError(f"a {kind} fill value {value!r} does not fit type {type.name}", op=op)
    if kind == "int" and type.is_integer:
        info = np.iinfo(type.np)
        if not info.min <= int(value) <= info.max:
            raise NxValueError(f"fill value {value} is out of range for {type.name} [{info.min}, {info.max}]",
                               op=op)
    if kind == "int" and type.is_bool and value not in (0, 1):
        raise NxValueError(f"fill value {value} is not a bool", op=op)
    with np.errstate(over="ignore"):
        return np.asarray(value).astype(type.np)


# ---- Nx's creation functions ----

def iota(shape, axis=None, type=None, names=None, *, dtype=None, vectorized_axes=None):
    """Nx.iota: counts 0, 1, 2, ... along `axis` (an index or a name), repeated across the other axes; with no axis,
    counts across the flattened tensor. `shape` may be a tensor, whose shape and names it takes. Default type s64.
    `vectorized_axes` ((name, size) pairs or a dict) repeats the result along those vectorized axes, as in Nx.

    Examples:
        >>> nx.iota((2, 3))
        nx.Tensor<
          s64[2][3]
          [[0, 1, 2],
           [3, 4, 5]]
        >
        >>> nx.iota((2, 3), axis=0, type="f32")
        nx.Tensor<
          f32[2][3]
          [[0., 0., 0.],
           [1., 1., 1.]]
        >
    """
    if names is None and isinstance(shape, Tensor):
        names = shape.names
    shape = shape_of("iota", shape)
    type = resolve_type("iota", type, dtype, dtypes.DEFAULT_INT)
    names = tuple(names) if names is not None else (None,) * len(shape)
    if len(names) != len(shape):
        raise NxValueError(f"{len(names)} names for shape {list(shape)}", op="iota")
    if axis is None:
        flat = apply("iota", [], shape=(math.prod(shape),), axis=0, type=type, names=(None,))
        counts = apply("reshape", [flat], shape=shape, names=names)
    else:
        counts = apply("iota", [], shape=shape, axis=_axis_of("iota", shape, names, axis), type=type, names=names)
    return _repeat_vectorized("iota", counts, vectorized_axes)


def _repeat_vectorized(op, t, vectorized_axes):
    """Nx's `vectorized_axes` option of the creation functions: t repeated along the given vectorized axes, (name,
    size) pairs or a dict of sizes."""
    if not vectorized_axes:
        return t
    axes = list(vectorized_axes.items()) if isinstance(vectorized_axes, dict) else list(vectorized_axes)
    if not all(isinstance(a, (tuple, list)) and len(a) == 2 and isinstance(a[0], str) and
               isinstance(a[1], (int, np.integer)) and not isinstance(a[1], bool) and a[1] >= 0 for a in axes):
        raise NxValueError(f"vectorized_axes are (name, size) pairs or a dict of sizes, got {vectorized_axes!r}",
                           op=op)
    sizes = tuple(int(size) for _, size in axes)
    repeated = apply("broadcast", [t], shape=sizes + t.shape,
                     axes=tuple(range(len(sizes), len(sizes) + t.ndim)))
    return vectorize(rename(repeated, (None,) * len(sizes) + t.names), [(name, size) for (name, _), size in
                                                                        zip(axes, sizes)])


def _axis_of(op, shape, names, axis):
    """An axis of a shape not yet made, by index (negative counts from the end) or by name."""
    if isinstance(axis, str):
        if axis not in names:
            raise NxValueError(f"no axis named {axis!r} in names {list(names)}", op=op)
        return names.index(axis)
    if not isinstance(axis, (int, np.integer)) or isinstance(axis, bool):
        raise NxTypeError(f"axis must be an int or a name, got {axis!r}", op=op)
    if not -len(shape) <= axis < len(shape):
        raise NxValueError(f"axis {axis} is out of range for shape {list(shape)}", op=op)
    return int(axis) % len(shape)


def eye(n_rows, n_cols=None, /, *, k=0, dtype=None, device=None, type=None, names=None, vectorized_axes=None):
    """Ones on the k-th diagonal, zeros elsewhere. `n_rows` may also be a shape (..., M, N) (Nx: a batch of
    identities). Default type: the default float (the array API's rule; Nx's default is s64). `vectorized_axes`
    repeats the result along those vectorized axes as Nx does; with them a shape (N,) is allowed and gives the first
    row of the identity, as in Nx.

    Examples:
        >>> nx.eye(2)
        nx.Tensor<
          f32[2][2]
          [[1., 0.],
           [0., 1.]]
        >
        >>> nx.eye(2, 3, k=1, type="s64")
        nx.Tensor<
          s64[2][3]
          [[0, 1, 0],
           [0, 0, 1]]
        >
    """
    check_device("eye", device)
    if vectorized_axes and isinstance(n_rows, (tuple, list)) and len(n_rows) == 1 and n_cols is None:
        row = eye((1, n_rows[0]), k=k, dtype=dtype, type=type)
        return _repeat_vectorized("eye", _named(apply("reshape", [row], shape=row.shape[1:], names=(None,)), names),
                                  vectorized_axes)
    if isinstance(n_rows, (tuple, list)) and len(n_rows) < 2:  # Nx's rule: a shape names a matrix or a batch of them
        raise NxValueError(f"needs n_rows (and n_cols) or a shape of rank >= 2, got {n_rows!r}", op="eye")
    shape = shape_of("eye", n_rows)
    if len(shape) == 1:
        shape = (shape[0], shape[0] if n_cols is None else shape_of("eye", n_cols)[0])
    elif n_cols is not None or len(shape) < 2:
        raise NxValueError(f"needs n_rows (and n_cols) or a shape of rank >= 2, got {n_rows!r}, {n_cols!r}",
                           op="eye")
    type = resolve_type("eye", type, dtype, dtypes.DEFAULT_FLOAT)
    on_diagonal = equal(add(iota(shape, axis=-2), k), iota(shape, axis=-1))
    return _repeat_vectorized("eye", _named(as_type(on_diagonal, type), names), vectorized_axes)


# ---- the array API's ----

def full(shape, fill_value, *, dtype=None, device=None, type=None, names=None):
    """A tensor of `shape` filled with `fill_value`; its type follows the value (bool, s64, f32, c64) unless given.

    Examples:
        >>> nx.full((2,), 7)
        nx.Tensor<
          s64[2]
          [7, 7]
        >
    """
    check_device("full", device)
    shape = shape_of("full", shape)
    if isinstance(fill_value, Tensor):
        if fill_value.shape != ():
            raise NxValueError(f"fill value must be a scalar, got {fill_value.ttype}", op="full")
        value = as_type(fill_value, resolve_type("full", type, dtype, fill_value.type))
    else:
        default = dtypes.default_type_of_scalar(fill_value) if dtypes.weak_type(fill_value) else None
        if isinstance(fill_value, np.generic):
            default = dtypes.of_numpy(fill_value.dtype)
        out_type = resolve_type("full", type, dtype, default)
        if out_type is None:
            raise NxTypeError(f"fill value must be a Python or NumPy scalar, got {fill_value!r}", op="full")
        value = constant(_fill_scalar("full", fill_value, out_type), out_type)
    if shape:
        value = apply("broadcast", [value], shape=shape, axes=())
    return _named(value, names)


def zeros(shape, *, dtype=None, device=None, type=None, names=None):
    """A tensor of `shape` filled with zeros, in `dtype` (or Nx's `type`; the default float unless given).

    Examples:
        >>> nx.zeros((2, 2))
        nx.Tensor<
          f32[2][2]
          [[0., 0.],
           [0., 0.]]
        >
    """
    return full(shape, 0, dtype=resolve_type("zeros", type, dtype, dtypes.DEFAULT_FLOAT), device=device,
                names=names)


def ones(shape, *, dtype=None, device=None, type=None, names=None):
    """A tensor of `shape` filled with ones, in `dtype` (or Nx's `type`; the default float unless given).

    Examples:
        >>> nx.ones(3, type="s8", names=["x"])
        nx.Tensor<
          s8[x: 3]
          [1, 1, 1]
        >
    """
    return full(shape, 1, dtype=resolve_type("ones", type, dtype, dtypes.DEFAULT_FLOAT), device=device,
                names=names)


def empty(shape, *, dtype=None, device=None, type=None, names=None):
    """The array API's uninitialised tensor; numerix fills it with zeros (tensors are immutable, so nothing could
    ever write the values).

    Examples:
        >>> nx.empty((2,))
        nx.Tensor<
          f32[2]
          [0., 0.]
        >
    """
    return zeros(shape, dtype=dtype, device=device, type=type, names=names)


def full_like(x, /, fill_value, *, dtype=None, device=None, type=None):
    """A tensor of x's shape and names (and type, unless given) filled with `fill_value`.

    Examples:
        >>> nx.full_like(nx.tensor([1.0, 2.0]), 3)
        nx.Tensor<
          f32[2]
          [3., 3.]
        >
    """
    t = to_tensor(x)
    return full(t.shape, fill_value, dtype=resolve_type("full_like", type, dtype, t.type), device=device,
                names=t.names)


def zeros_like(x, /, *, dtype=None, device=None, type=None):
    """A tensor of x's shape and names filled with zeros, in x's type unless given.

    Examples:
        >>> nx.zeros_like(nx.tensor([[1, 2]]))
        nx.Tensor<
          s64[1][2]
          [[0, 0]]
        >
    """
    return full_like(x, 0, dtype=dtype, device=device, type=type)


def ones_like(x, /, *, dtype=None, device=None, type=None):
    """A tensor of x's shape and names filled with ones, in x's type unless given.

    Examples:
        >>> nx.ones_like(nx.tensor([1, 2]), type="f32")
        nx.Tensor<
          f32[2]
          [1., 1.]
        >
    """
    return full_like(x, 1, dtype=dtype, device=device, type=type)


def empty_like(x, /, *, dtype=None, device=None, type=None):
    """The array API's empty_like: zeros of x's shape and names (and type, unless given), as nx.empty.

    Examples:
        >>> nx.empty_like(nx.tensor([1, 2]))
        nx.Tensor<
          s64[2]
          [0, 0]
        >
    """
    return zeros_like(x, dtype=dtype, device=device, type=type)


def _python_number(op, value, what):
    if isinstance(value, Tensor) or not isinstance(value, numbers.Number):
        raise NxTypeError(f"{what} must be a Python or NumPy number, got {value!r}", op=op)
    return value


def _value_of_scalar(op, value, what):
    """The value of a 0-d tensor with values (SciPy passes them to arange); anything else as it is. A traced one
    has no value, and the result's length depends on it."""
    if not isinstance(value, Tensor) or value.ndim or value.vectorized:
        return value
    if is_traced(value):
        raise NxTypeError(f"{what} must be known when tracing, since it sets the result's length: got a traced "
                          f"{value.ttype}; pass a Python number (a static argument)", op=op)
    return value.item()


def linspace(start, stop, /, num, *, dtype=None, device=None, endpoint=True, type=None, names=None):
    """`num` evenly spaced values from start to stop (stop included when `endpoint`). Computed in f64 (c128 for
    complex ends) as NumPy does, then rounded to the result type: the default float, or complex for complex ends.

    Examples:
        >>> nx.linspace(0, 1, 5)
        nx.Tensor<
          f32[5]
          [0.  , 0.25, 0.5 , 0.75, 1.  ]
        >
    """
    check_device("linspace", device)
    start, stop = (_python_number("linspace", v, w) for v, w in ((start, "start"), (stop, "stop")))
    if not isinstance(num, (int, np.integer)) or isinstance(num, bool) or num < 0:
        raise NxValueError(f"num must be a non-negative int, got {num!r}", op="linspace")
    is_complex = isinstance(start, complex) or isinstance(stop, complex)
    out_type = resolve_type("linspace", type, dtype, dtypes.DEFAULT_COMPLEX if is_complex else dtypes.DEFAULT_FLOAT)
    if not out_type.is_inexact or is_complex and not out_type.is_complex:
        raise NxTypeError(f"needs a floating type{' (complex for complex ends)' if is_complex else ''}, got "
                          f"{out_type.name}", op="linspace")
    compute = dtypes.c128 if is_complex else dtypes.f64
    divisions = (num - 1 if endpoint else num) or 1
    delta = stop - start
    step = delta / divisions
    counts = iota((num,), type=dtypes.f64)
    if step == 0:  # a step that underflows: scale by delta after dividing, as NumPy does
        offsets = multiply(divide(counts, constant(divisions, dtypes.f64)), constant(delta, compute))
    else:
        offsets = multiply(counts, constant(step, compute))
    values = add(offsets, constant(start, compute))
    if endpoint and num > 1:  # the last value is exactly stop, as in NumPy
        values = select(equal(counts, num - 1), constant(stop, compute), values)
    return _named(as_type(values, out_type), names)


def arange(start, /, stop=None, step=1, *, dtype=None, device=None, type=None, names=None):
    """start, start + step, ... up to (not including) stop. Integers give the default int, any float the default
    float. The count is ceil((stop - start) / step), as in NumPy.

    Examples:
        >>> nx.arange(5)
        nx.Tensor<
          s64[5]
          [0, 1, 2, 3, 4]
        >
        >>> nx.arange(1.0, 2.0, 0.25)
        nx.Tensor<
          f32[4]
          [1.  , 1.25, 1.5 , 1.75]
        >
    """
    check_device("arange", device)
    if stop is None:
        start, stop = 0, start
    start, stop, step = (_python_number("arange", _value_of_scalar("arange", v, w), w)
                         for v, w in ((start, "start"), (stop, "stop"), (step, "step")))
    if any(isinstance(v, complex) for v in (start, stop, step)):
        raise NxTypeError(f"needs real numbers, got start={start!r}, stop={stop!r}, step={step!r}", op="arange")
    if step == 0:
        raise NxValueError("step must not be zero", op="arange")
    integral = all(isinstance(v, (int, np.integer)) for v in (start, stop, step))
    out_type = resolve_type("arange", type, dtype, dtypes.DEFAULT_INT if integral else dtypes.DEFAULT_FLOAT)
    if out_type.is_bool or out_type.is_complex:
        raise NxTypeError(f"needs a real number type, got {out_type.name}", op="arange")
    if integral:
        count = max(0, -(-(int(stop) - int(start)) // int(step)))
    else:
        count = max(0, math.ceil((stop - start) / step))
    if out_type.is_integer and count:
        info = np.iinfo(out_type.np)
        last = start + (count - 1) * step
        if not (info.min <= min(start, last) and max(start, last) <= info.max):
            raise NxValueError(f"values from {start} to {last} do not fit {out_type.name}", op="arange")
    compute = dtypes.DEFAULT_INT if integral else dtypes.f64
    values = add(multiply(iota((count,), type=compute), constant(step, compute)), constant(start, compute))
    return _named(as_type(values, out_type), names)


def _check_k(op, k):
    if not isinstance(k, (int, np.integer)) or isinstance(k, bool):
        raise NxTypeError(f"k must be an int, got {k!r}", op=op)
    return int(k)


def _lower_triangle(op, n, m, k):
    """True at and below the k-th diagonal of an n x m matrix (row + k >= column)."""
    return greater_equal(add(iota((n, m), axis=0), _check_k(op, k)), iota((n, m), axis=1))


def tri(n, m, *, k=0):
    """Nx's tri: an n x m bool matrix, true at and below the k-th diagonal (k > 0 above the main one, k < 0
    below). Nx returns u8; numerix's predicates are bool.

    Examples:
        >>> nx.tri(3, 3, k=-1)
        nx.Tensor<
          bool[3][3]
          [[False, False, False],
           [ True, False, False],
           [ True,  True, False]]
        >
    """
    for v in (n, m):
        if not isinstance(v, (int, np.integer)) or isinstance(v, bool) or v < 0:
            raise NxTypeError(f"n and m must be ints >= 0, got {n!r} and {m!r}", op="tri")
    return _lower_triangle("tri", int(n), int(m), k)


def _triangle(op, x, k, lower):
    t = to_tensor(x)
    if t.ndim < 2:
        raise NxValueError(f"needs a matrix or a stack of matrices (rank >= 2), got {t.ttype}", op=op)
    zero = constant(0, t.type)
    # tril keeps the lower triangle at k; triu keeps the complement of the lower triangle at k - 1 (Nx's masks).
    if lower:
        return select(_lower_triangle(op, *t.shape[-2:], k), t, zero)
    return select(_lower_triangle(op, *t.shape[-2:], _check_k(op, k) - 1), zero, t)


def tril(x, /, *, k=0):
    """x with the elements above the k-th diagonal zeroed (of each matrix in a stack).

    Examples:
        >>> nx.tril(nx.ones((3, 3), type="s64"))
        nx.Tensor<
          s64[3][3]
          [[1, 0, 0],
           [1, 1, 0],
           [1, 1, 1]]
        >
    """
    return _triangle("tril", x, k, lower=True)


def triu(x, /, *, k=0):
    """x with the elements below the k-th diagonal zeroed (of each matrix in a stack).

    Examples:
        >>> nx.triu(nx.ones((3, 3), type="s64"), k=1)
        nx.Tensor<
          s64[3][3]
          [[0, 1, 1],
           [0, 0, 1],
           [0, 0, 0]]
        >
    """
    return _triangle("triu", x, k, lower=False)


def asarray(obj, /, *, dtype=None, device=None, copy=None):
    """The array API's asarray: a tensor of `obj` (a tensor, NumPy or DLPack array, Python scalar or nested
    sequence). copy=False never copies, and raises where a copy (or a cast) is needed: the tensor then reads the
    array in place, and writing the array changes it. Otherwise an array is copied as nx.tensor copies it, unless
    nothing can write its memory any more (the copy would be unobservable).

    Examples:
        >>> nx.asarray([[1, 2], [3, 4]], dtype=nx.u8)
        nx.Tensor<
          u8[2][2]
          [[1, 2],
           [3, 4]]
        >
    """
    check_device("asarray", device)
    type = None if dtype is None else dtypes.as_dtype(dtype)
    if isinstance(obj, Tensor):
        if type is not None and type is not obj.type:
            if copy is False:
                raise NxValueError(f"casting {obj.ttype} to {type.name} needs a copy, and copy=False", op="asarray")
            return as_type(obj, type)
        if copy:  # another tensor than obj (`obj[i] = v` rebinds obj alone); eagerly its own memory too
            if is_traced(obj):
                return +obj
            copied = obj.backend.from_numpy(np.array(obj.backend.to_numpy(obj)), obj.ttype)  # on obj's backend
            copied.vectorized = obj.vectorized
            return copied
        return obj
    if isinstance(obj, (np.ndarray, np.generic)) or hasattr(obj, "__dlpack__") or hasattr(obj, "__array__"):
        array = np.asarray(obj)
        if copy is False and type is not None and array.dtype != type.np:
            raise NxValueError(f"casting {array.dtype} data to {type.name} needs a copy, and copy=False",
                               op="asarray")
        return shared_tensor(array, type) if copy is False else tensor(array, type)
    if copy is False:
        raise NxValueError(f"making a tensor of Python {obj.__class__.__name__} data needs a copy, and copy=False",
                           op="asarray")
    return tensor(obj, type)
