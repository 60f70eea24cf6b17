"""Turning user arguments into op operands: Python data to tensors (nx.tensor; scalars weakly typed), promotion,
NumPy broadcasting (names aligned from the right, as Nx does), and axes given by index or by name."""
import numpy as np

from numerix.dialect import dtypes
from numerix.dialect.schema import TensorType
from numerix.dialect.errors import NxShapeError, NxTypeError, NxValueError

from . import dlpack
from .dispatch import apply, default_backend
from .tensor import Tensor


def _infer_type(data):
    """The type of Python data: bool, then the default int, float or complex, as the data's widest kind needs."""
    try:
        a = np.asarray(data)
    except ValueError:
        a = np.empty((), object)
    if a.dtype == object or a.dtype.kind in "USV":
        raise NxTypeError(f"cannot make a tensor of {type(data).__name__} data (ragged or non-numeric)",
                          op="tensor")
    if a.dtype.kind == "b":
        return dtypes.bool_
    if a.dtype.kind in "iu":
        return dtypes.DEFAULT_INT if a.dtype.kind == "i" or a.dtype.itemsize < 8 else dtypes.u64
    if a.dtype.kind == "f":
        return dtypes.DEFAULT_FLOAT
    if a.dtype.kind == "c":
        return dtypes.DEFAULT_COMPLEX
    return dtypes.of_numpy(a.dtype)


def tensor(data, type=None, names=None, *, dtype=None, backend=None):
    """nx.tensor(data, type=None, names=None): a tensor from Python numbers, nested lists, NumPy arrays or another
    tensor. Python data takes the defaults (s64, f32, c64); NumPy data keeps its dtype unless `type` says. An array
    (NumPy, DLPack, __array__) is copied, as np.array copies, unless nothing can write its memory any more: a tensor
    never changes when the caller's array does.

    Examples:
        >>> nx.tensor([[1, 2], [3, 4]], names=["x", "y"])
        nx.Tensor<
          s64[x: 2][y: 2]
          [[1, 2],
           [3, 4]]
        >
        >>> nx.tensor(1.5, type="bf16")
        nx.Tensor<
          bf16
          1.5
        >
    """
    return _tensor(data, type, names, dtype, backend, share=False)


dtypes.TENSOR.append(tensor)  # nx.f32(data), Nx's shorthand


def shared_tensor(array, type=None):
    """A tensor reading the array `array` in place: where the caller asked for no copy (asarray and from_dlpack with
    copy=False; writing the array afterwards changes the tensor), or where the array is a copy of its own."""
    return _tensor(array, type, None, None, None, share=True)


def _tensor(data, type, names, dtype, backend, share):
    if dtype is not None:
        if type is not None:
            raise NxValueError("give type or dtype, not both", op="tensor")
        type = dtype
    if isinstance(data, Tensor):
        t = +data if type is None else as_type(data, type)  # another tensor: `data[i] = v` rebinds data alone
        return t if names is None else rename(t, names)
    if type is not None:
        type = dtypes.as_dtype(type)
    elif isinstance(data, (np.ndarray, np.generic)):
        type = dtypes.of_numpy(data.dtype)
    elif hasattr(data, "__dlpack__") or hasattr(data, "__array__"):
        data = np.asarray(data)
        type = dtypes.of_numpy(data.dtype)
    else:
        type = _infer_type(data)
    source = np.asarray(data)
    if source.dtype == object or source.dtype.kind in "US":
        raise NxTypeError(f"cannot make a tensor of {data!r}", op="tensor")
    if source.dtype.kind == "c" and not type.is_complex:
        raise NxTypeError(f"complex data does not fit type {type.name}", op="tensor")
    if source.dtype.kind in "iu" and type.is_integer and source.size \
            and not isinstance(data, (np.ndarray, np.generic)):
        # Python integers that do not fit are an error, not a silent wrap (u8 + 300).
        info = dtypes.iinfo(type)
        if int(source.min()) < info.min or int(source.max()) > info.max:
            raise NxValueError(f"{data!r} does not fit type {type.name} [{info.min}, {info.max}]", op="tensor")
    with np.errstate(all="ignore"):
        array = np.array(source.astype(type.np, copy=False), order="C", copy=None)
    if names is not None:
        names = tuple(names)
        if len(names) != array.ndim:
            raise NxValueError(f"{len(names)} names given for a tensor of rank {array.ndim}", op="tensor")
    ttype = TensorType.of(array.shape, type, names)
    copy = not share and _borrowed(data, source, array)
    return (backend or default_backend()).from_numpy(_aligned(array, copy), ttype)


def _borrowed(data, source, array):
    """Whether `array` is memory the caller can still write: `data` is an array (np.asarray made Python data and
    NumPy scalars arrays of their own), not copied by a cast or a reordering, and not frozen."""
    given = not isinstance(data, np.generic) and (hasattr(data, "__array__") or hasattr(data, "__dlpack__"))
    return given and np.may_share_memory(array, source) and not _frozen(array)


def _frozen(array):
    """Whether no one can write `array`'s memory (short of setting a read-only owner's flag back): the array and
    the arrays it views are read-only, down to a read-only owner or bytes (an IREE result, for one)."""
    while isinstance(array, np.ndarray):
        if array.flags.writeable:
            return False
        array = array.base
    return array is None or isinstance(array, bytes)


ALIGNMENT = 64  # bytes; the IREE runtime takes a large argument without a copy only if it starts on this boundary
ALIGNED_BYTES = 64 << 10  # below this, copying into IREE costs less than the check (runtime/iree_executable.py)


def _aligned(array, copy):
    """`array` (a copy of it if `copy`), starting on an ALIGNMENT boundary when it is large: NumPy aligns to 16
    bytes only, so every defn call would otherwise copy the tensor's data into IREE."""
    if array.nbytes < ALIGNED_BYTES:
        return array.copy() if copy else array
    if not copy and array.ctypes.data % ALIGNMENT == 0:
        return array
    buffer = np.empty(array.nbytes + ALIGNMENT, np.uint8)
    offset = -buffer.ctypes.data % ALIGNMENT
    out = buffer[offset:offset + array.nbytes].view(array.dtype).reshape(array.shape)
    out[...] = array
    return out


def from_dlpack(x, /, *, device=None, copy=None):
    """A tensor from any object with __dlpack__ (NumPy, PyTorch, JAX arrays, numerix tensors). With copy=None it
    reads the producer's memory in place where no one can write it: memory that a producer other than NumPy lends
    read-only (JAX arrays, numerix tensors: their values never change). Anything else is copied, as nx.tensor
    copies (NumPy's read-only views of writeable arrays among it); copy=False shares it by request.

    Examples:
        >>> import numpy as np
        >>> nx.from_dlpack(np.arange(3, dtype=np.int32))
        nx.Tensor<
          s32[3]
          [0, 1, 2]
        >
    """
    if device is not None and device != "cpu":
        raise NxValueError(f"unknown device {device!r}; numerix imports DLPack tensors on 'cpu'", op="from_dlpack")
    try:
        array = dlpack.from_dlpack(x, copy=copy)
    except (BufferError, RuntimeError) as e:  # a dtype or device NumPy's DLPack import lacks (s4, a GPU)
        raise NxTypeError(f"cannot import a {type(x).__name__} through DLPack: {e}", op="from_dlpack") from None
    if copy is not None or not array.flags.writeable and not isinstance(x, np.ndarray):
        return shared_tensor(array)  # the producer's copy, memory shared by request, or frozen memory
    return tensor(array)  # copied unless nothing can write it


def to_tensor(value, type=None):
    """A Tensor for value: tensors pass through; anything else becomes a constant (of `type` when given)."""
    if isinstance(value, Tensor):
        return value if type is None or value.type is type else as_type(value, type)
    return tensor(value, type)


def as_type(t, type):
    """Nx's as_type: t's elements converted to `type` (floats to integers truncate toward zero).

    Examples:
        >>> nx.as_type(nx.tensor([1.7, -1.7]), "s32")
        nx.Tensor<
          s32[2]
          [ 1, -1]
        >
    """
    type = dtypes.as_dtype(type)
    return +t if t.type is type else apply("as_type", [t], type=type)  # +t: another tensor than t


def result_type(op, *values):
    """The common type of tensors, NumPy data and Python scalars (weak), by Nx/JAX promotion."""
    strong = None
    weak = []
    for v in values:
        if isinstance(v, Tensor):
            t = v.type
        elif isinstance(v, dtypes.DType):
            t = v
        elif dtypes.weak_type(v) is not None:
            weak.append(dtypes.weak_type(v))
            continue
        elif isinstance(v, (np.ndarray, np.generic)):
            t = dtypes.of_numpy(v.dtype)
        elif isinstance(v, (list, tuple)):
            t = to_tensor(v).type
        else:
            try:
                t = dtypes.as_dtype(v)
            except NxTypeError:
                raise NxTypeError(f"cannot use {type(v).__name__} {v!r} as a tensor", op=op) from None
        strong = t if strong is None else dtypes.promote_types(strong, t)
    if strong is None:  # only Python scalars: the widest kind's default
        order = ["bool", "int", "float", "complex"]
        return dtypes.default_type_of_scalar({"bool": True, "int": 0, "float": 0.0, "complex": 0j}[
            max(weak, key=order.index)])
    for w in weak:
        strong = dtypes.promote_weak(strong, w)
    return strong


def broadcast_shapes(op, *tensors):
    """NumPy's broadcast of the tensors' shapes, with their names merged axis by axis (aligned from the right)."""
    rank = max(len(t.shape) for t in tensors)
    shape, names = [1] * rank, [None] * rank
    for t in tensors:
        offset = rank - len(t.shape)
        for i, (d, n) in enumerate(zip(t.shape, t.names)):
            j = i + offset
            if d != 1:
                if shape[j] not in (1, d):
                    raise NxShapeError("cannot broadcast shapes " + " and ".join(str(list(t.shape)) + (
                        f" (names {list(t.names)})" if any(t.names) else "") for t in tensors), op=op)
                shape[j] = d
            if n is not None:
                if names[j] not in (None, n):
                    raise NxValueError(f"axis names clash at axis {j}: {names[j]!r} vs {n!r} (shapes "
                                       + ", ".join(str(t.ttype) for t in tensors) + ")", op=op)
                names[j] = n
    return tuple(shape), tuple(names)


def broadcast_to(t, shape, names=None):
    """t broadcast to `shape` (right-aligned), named `names` where t's own axes are unnamed."""
    shape = tuple(shape)
    if t.shape != shape:
        offset = len(shape) - len(t.shape)
        if offset < 0:
            raise NxShapeError(f"cannot broadcast {t.ttype} to the lower rank shape {list(shape)}", op="broadcast")
        t = apply("broadcast", [t], shape=shape, axes=tuple(range(offset, len(shape))))
    if names is not None and t.names != tuple(names):
        t = rename(t, tuple(n if n is not None else m for n, m in zip(t.names, names)))
    return t


def rename(t, names):
    """Nx's rename: t with its axis names replaced by `names` (None for an unnamed axis), one per axis.

    Examples:
        >>> nx.rename(nx.iota((2, 2)), ["rows", None])
        nx.Tensor<
          s64[rows: 2][2]
          [[0, 1],
           [2, 3]]
        >
    """
    names = tuple(names)
    if len(names) != len(t.shape):
        raise NxValueError(f"{len(names)} names for {t.ttype}", op="rename")
    taken = [name for name, _ in t.vectorized if name in names]
    if taken:
        raise NxValueError(f"name {taken[0]!r} is already the name of a vectorized axis", op="rename")
    return +t if t.names == names else apply("reshape", [t], shape=t.shape, names=names)


def operands(op, *values, type=None):
    """Tensors of one shape and type for an elementwise op: converted, promoted (or cast to `type`), broadcast."""
    common = type if type is not None else result_type(op, *values)
    # Non-tensors are made at the common type directly: an f64 tensor * 0.1 must see 0.1 in f64, not in f32.
    ts = [v if isinstance(v, Tensor) else to_tensor(v, common) for v in values]
    ts = [t if t.type is common else as_type(t, common) for t in ts]
    shape, names = broadcast_shapes(op, *ts)
    return [broadcast_to(t, shape, names) for t in ts]


def axis_index(op, t, axis):
    """One axis of t, given as an index (negative counts from the end) or by name."""
    rank = len(t.shape)
    if isinstance(axis, str):
        if axis not in t.names:
            raise NxValueError(f"no axis named {axis!r} in {t.ttype}", op=op)
        return t.names.index(axis)
    if isinstance(axis, Tensor) or not isinstance(axis, (int, np.integer)) or isinstance(axis, bool):
        raise NxTypeError(f"axis must be an int or a name, got {axis!r}", op=op)
    if not -rank <= axis < max(rank, 1) or rank == 0 and axis not in (0, -1):
        raise NxValueError(f"axis {axis} is out of range for {t.ttype} (rank {rank})", op=op)
    return int(axis) % rank if rank else 0


def axes_indices(op, t, axes):
    """Axes as a sorted tuple of indices; None means all of them. Repeats are an error."""
    if axes is None:
        return tuple(range(len(t.shape)))
    if isinstance(axes, (int, np.integer, str)):
        axes = [axes]
    out = [axis_index(op, t, a) for a in axes]
    if len(set(out)) != len(out):
        raise NxValueError(f"axes {list(axes)} repeat", op=op)
    return tuple(sorted(out))
