"""The Tensor: typed, shaped, with optional axis names, holding data of one backend (a NumPy array eagerly).
Its operators (t + u, t[i], t.T, ...) are the module functions, attached by operators.py."""
import numpy as np

from numerix.dialect import dtypes
from numerix.dialect.errors import NxTraceError, NxTypeError, NxValueError


def is_traced(value):
    """Whether `value` is a tensor that a defn trace is recording (inside defn), not one with values."""
    return isinstance(value, Tensor) and getattr(value.backend, "traced", False)


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
        if is_traced(self):
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
        if is_traced(self):
            raise NxTraceError(f"cannot use a traced tensor {self.ttype} as a Python {what} inside defn: Python "
                               "control flow on traced values needs defn's conversion (on unless autograph=False; not "
                               "for lambdas or the functions a traced function calls), or nx.cond, nx.while_loop or "
                               "nx.select", op=what)
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
        """The tensor's memory without a copy. A DLPack 1.x consumer (np.from_dlpack) gets it marked read-only, as
        tensors are immutable; a legacy one (jax.numpy.from_dlpack) cannot be told, so it gets the memory as it is
        (JAX never writes its arrays), or a copy where NumPy holds that memory read-only (a defn result)."""
        array = self.numpy()
        if max_version is not None and max_version >= (1, 0):
            array = array.view()
            array.flags.writeable = False
        elif not array.flags.writeable and copy is None:
            copy = True
        return array.__dlpack__(stream=stream, max_version=max_version, dl_device=dl_device, copy=copy)

    def __dlpack_device__(self):
        return self.numpy().__dlpack_device__()

    def __repr__(self):
        dims = "".join(f"[{n}: {d}]" if n is not None else f"[{d}]" for d, n in zip(self.shape, self.names))
        if is_traced(self):
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
