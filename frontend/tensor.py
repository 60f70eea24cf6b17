"""The Tensor: typed, shaped, with optional axis names, holding data of one backend (a NumPy array eagerly).
Its operators (t + u, t[i], t.T, ...) are the module functions, attached by operators.py."""
import numpy as np

from numerix.dialect import dtypes
from numerix.dialect.schema import TensorType
from numerix.dialect.errors import NxTraceError, NxTypeError, NxValueError


class Tensor:
    __slots__ = ("data", "ttype", "backend", "__weakref__")
    __array_priority__ = 100  # NumPy defers `ndarray + tensor` to Tensor.__radd__

    def __init__(self, data, ttype, backend):
        self.data = data
        self.ttype = ttype
        self.backend = backend

    # ---- metadata ----
    shape = property(lambda self: self.ttype.shape)
    type = property(lambda self: self.ttype.type)
    dtype = type  # the array API's name
    names = property(lambda self: self.ttype.names)
    ndim = property(lambda self: len(self.ttype.shape))
    rank = ndim

    @property
    def size(self):
        return int(np.prod(self.shape, dtype=np.int64))

    @property
    def device(self):
        return getattr(self.backend, "device", "cpu")

    def to_device(self, device, /, *, stream=None):
        if device != self.device:
            raise NxValueError(f"cannot move a {self.backend.name} tensor to {device!r}", op="to_device")
        return self

    # ---- to Python and NumPy ----
    def numpy(self):
        """The values as a NumPy array (bf16 as ml_dtypes.bfloat16)."""
        if getattr(self.backend, "traced", False):
            raise NxTraceError(f"cannot turn a traced tensor {self.ttype} into NumPy values inside defn; "
                               "return it from the function instead", op="numpy")
        return np.asarray(self.backend.to_numpy(self))

    def __array__(self, dtype=None, copy=None):
        a = self.numpy()
        if dtype is not None:
            a = a.astype(dtype, copy=False)
        return a.copy() if copy else a

    def tolist(self):
        return self.numpy().tolist()

    def item(self):
        return self._scalar("item").item()

    def _scalar(self, what):
        if getattr(self.backend, "traced", False):
            raise NxTraceError(f"cannot use a traced tensor {self.ttype} as a Python {what} inside defn (Python "
                               "control flow on traced values is not supported: use nx.select)", op=what)
        if self.size != 1:
            raise NxValueError(f"only a one-element tensor converts to a Python {what}, got {self.ttype}", op=what)
        return self.numpy().reshape(())

    def __bool__(self):
        return bool(self._scalar("bool"))

    def __int__(self):
        return int(self._scalar("int"))

    def __float__(self):
        return float(self._scalar("float"))

    def __complex__(self):
        return complex(self._scalar("complex"))

    def __index__(self):
        if not (self.type.is_integer or self.type.is_bool):
            raise NxTypeError(f"only integer tensors can be used as an index, got {self.ttype}", op="__index__")
        return int(self._scalar("int"))

    def __len__(self):
        if not self.shape:
            raise NxTypeError("len() of a rank-0 tensor", op="len")
        return self.shape[0]

    def __iter__(self):
        if not self.shape:
            raise NxTypeError("iteration over a rank-0 tensor", op="iter")
        return (self[i] for i in range(self.shape[0]))

    def __dlpack__(self, *, stream=None, max_version=None, dl_device=None, copy=None):
        array = self.numpy()
        kwargs = {} if max_version is None else {"max_version": max_version}
        if copy is not None:
            kwargs["copy"] = copy
        return array.__dlpack__(stream=stream, **kwargs)

    def __dlpack_device__(self):
        return self.numpy().__dlpack_device__()

    def __repr__(self):
        dims = "".join(f"[{n}: {d}]" if n is not None else f"[{d}]" for d, n in zip(self.shape, self.names))
        if getattr(self.backend, "traced", False):
            body = "traced"
        else:
            a = self.numpy()
            body = np.array2string(a.astype(np.float32) if a.dtype == dtypes.bf16.np else a, separator=", ",
                                   prefix="  ", threshold=200)
        return f"nx.Tensor<\n  {self.type.name}{dims}\n  {body}\n>"

    def __hash__(self):
        return id(self)  # identity, so tensors can key dicts and sets (== builds a tensor, not a bool)

    def __pos__(self):
        return self

    def __setitem__(self, index, value):
        raise NxTypeError("tensors are immutable; use nx.put_slice, nx.indexed_put or nx.select", op="__setitem__")


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
    tensor. Python data takes the defaults (s64, f32, c64); NumPy data keeps its dtype unless `type` says."""
    from .dispatch import default_backend
    from .operands import as_type, rename
    if dtype is not None:
        if type is not None:
            raise NxValueError("give type or dtype, not both", op="tensor")
        type = dtype
    if isinstance(data, Tensor):
        t = data if type is None else as_type(data, type)
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
    array = np.asarray(data)
    if array.dtype == object or array.dtype.kind in "US":
        raise NxTypeError(f"cannot make a tensor of {data!r}", op="tensor")
    if array.dtype.kind == "c" and not type.is_complex:
        raise NxTypeError(f"complex data does not fit type {type.name}", op="tensor")
    if array.dtype.kind in "iu" and type.is_integer and array.size and not isinstance(data, (np.ndarray, np.generic)):
        # Python integers that do not fit are an error, not a silent wrap (u8 + 300).
        info = np.iinfo(type.np)
        if int(array.min()) < info.min or int(array.max()) > info.max:
            raise NxValueError(f"{data!r} does not fit type {type.name} [{info.min}, {info.max}]", op="tensor")
    with np.errstate(all="ignore"):
        array = np.array(array.astype(type.np, copy=False), order="C", copy=None)
    if names is not None:
        names = tuple(names)
        if len(names) != array.ndim:
            raise NxValueError(f"{len(names)} names given for a tensor of rank {array.ndim}", op="tensor")
    ttype = TensorType.of(array.shape, type, names)
    return (backend or default_backend()).from_numpy(_aligned(array), ttype)


ALIGNMENT = 64  # bytes; the IREE runtime takes a large argument without a copy only if it starts on this boundary
ALIGNED_BYTES = 64 << 10  # below this, copying into IREE costs less than the check (runtime/iree_executable.py)


def _aligned(array):
    """`array`, or a copy of it that starts on an ALIGNMENT boundary when it is large: NumPy aligns to 16 bytes
    only, so every defn call would otherwise copy the tensor's data into IREE."""
    if array.nbytes < ALIGNED_BYTES or array.ctypes.data % ALIGNMENT == 0:
        return array
    buffer = np.empty(array.nbytes + ALIGNMENT, np.uint8)
    offset = -buffer.ctypes.data % ALIGNMENT
    out = buffer[offset:offset + array.nbytes].view(array.dtype).reshape(array.shape)
    out[...] = array
    return out


def from_dlpack(x, /, *, device=None, copy=None):
    """A tensor from any object with __dlpack__ (NumPy, PyTorch, JAX arrays, numerix tensors)."""
    array = np.from_dlpack(x) if copy is None else np.from_dlpack(x, copy=copy)
    return tensor(array)
