"""The Tensor: typed, shaped, with optional axis names, holding data of one backend (a NumPy array eagerly).
Its operators (t + u, t[i], t.T, ...) are the module functions, attached by operators.py."""
import numpy as np

from numerix.dialect import dtypes
from numerix.dialect.errors import NxTraceError, NxTypeError, NxValueError

from . import dlpack


def is_traced(value):
    """Whether `value` is a tensor that a defn trace is recording (inside defn), not one with values."""
    return isinstance(value, Tensor) and getattr(value.backend, "traced", False)


class Tensor:
    """A tensor: its data (a NumPy array eagerly, or a traced value inside defn), shape, type and axis names.

    Examples:
        >>> t = nx.tensor([[1, 2, 3], [4, 5, 6]], names=["x", None])
        >>> t.shape, t.type, t.names
        ((2, 3), nx.int64, ('x', None))
        >>> t[1, 1:]
        nx.Tensor<
          s64[2]
          [5, 6]
        >
    """
    __slots__ = ("data", "ttype", "backend", "vectorized", "__weakref__")
    __array_priority__ = 100  # NumPy defers `ndarray + tensor` to Tensor.__radd__

    def __init__(self, data, ttype, backend, vectorized=()):
        """`vectorized`: Nx's vectorized axes, ((name, size), ...), leading axes of `data` over which every op maps
        (frontend/vectorized.py); `ttype` is then the type of one entry, the inner type."""
        self.data = data
        self.ttype = ttype
        self.backend = backend
        self.vectorized = vectorized

    # ---- metadata ----
    shape = property(lambda self: self.ttype.shape)
    type = property(lambda self: self.ttype.type)
    dtype = type  # the array API's name
    names = property(lambda self: self.ttype.names)
    vectorized_axes = property(lambda self: self.vectorized)
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
        if self.size != 1 or self.vectorized:
            raise NxValueError(f"only a one-element tensor converts to a Python {what}, got {self.ttype}"
                               f"{' vectorized' if self.vectorized else ''}", op=what)
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
        numerix never writes a tensor's memory (`t[i] = v` replaces it); a legacy one (jax.numpy.from_dlpack) cannot
        be told, so it gets the memory as it is (JAX never writes its arrays), or a copy where NumPy holds that
        memory read-only (a defn result)."""
        array = self.numpy()
        if max_version is not None and max_version >= (1, 0):
            array = array.view()
            array.flags.writeable = False
        elif not array.flags.writeable and copy is None:
            copy = True
        return dlpack.export(array, stream=stream, max_version=max_version, dl_device=dl_device, copy=copy)

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
        vectorized = "".join(f"[{n}: {d}]" for n, d in self.vectorized)
        vectorized = f"\n  vectorized{vectorized}" if vectorized else ""
        return f"nx.Tensor<{vectorized}\n  {self.type.name}{dims}\n  {body}\n>"

    def __hash__(self):
        return id(self)  # identity, so tensors can key dicts and sets (== builds a tensor, not a bool)

    def __pos__(self):
        return Tensor(self.data, self.ttype, self.backend, self.vectorized)  # a new tensor: `t[i] = v` rebinds t alone

    def _rebind(self, new):
        """Makes this tensor `new` (the value `t[index] = value` computes; operators.py). Its data is never written,
        only replaced: tensors taken from it before (slices, reshapes, arrays shared with NumPy) keep their values.
        Inside defn both must belong to one trace: a tensor from outside the trace would leak a traced value out of
        it, and one from an enclosing trace (inside a traced branch or loop body) would skip the branch or loop."""
        if new.backend is not self.backend and (is_traced(self) or is_traced(new)):
            where = "from outside defn" if not is_traced(self) else "of the function that encloses this traced " \
                "branch, loop body or gradient function"
            raise NxTraceError(f"cannot assign traced values into {self.ttype}, a tensor {where}; assign into a "
                               "tensor of this trace (x = x + 0 makes one), or return a new value with nx.put_slice, "
                               "nx.indexed_put or nx.select", op="setitem")
        self.data, self.backend, self.vectorized = new.data, new.backend, new.vectorized
