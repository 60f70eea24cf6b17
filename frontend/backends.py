"""Nx's backend API: the "numpy" backend (eager NumPy, the default) and the "iree" backend, whose tensors live on an
IREE device (runtime/device_tensors.py) so that defn calls chain on it without a trip through the host.

A defn call whose arguments include iree tensors (or made while "iree" is the default backend) passes them to the
compiled program as they are and returns its results on the device (`IreeBackend.invoke`); `np.asarray(t)`,
printing, `.tolist()` and `float(t)` read them back on demand, one counted transfer each
(device_tensors.TRANSFERS). An eager op on
iree tensors runs as a one-op program compiled once per op, attributes and operand types (`IreeBackend.run`).
`nx.donatable(t)` hands a tensor's device memory to the next defn call that takes it: the tensor is invalid after
that call, a result that can be computed in place is written into that memory (runtime/device_tensors.py `call`,
passes/to_stablehlo.py `tie_donated`), and otherwise the memory goes back to the device's caching allocator."""

import numpy as np

from numerix.dialect import dtypes
from numerix.dialect.errors import NxTraceError, NxValueError
from numerix.passes.iree_policy import parse_device
from numerix.runtime import device_tensors
from numerix.runtime.device_tensors import DeviceBuffer
from numerix.runtime.iree import DEFAULTS

from . import dispatch
from .defn import defn
from .dispatch import NUMPY, apply
from .tensor import Tensor, is_traced

__all__ = ["default_backend", "with_default_backend", "backend_transfer", "backend_copy", "backend_deallocate",
           "donatable"]

class IreeBackend:
    """Tensors held as IREE buffers on one device; ops and defn calls run there."""
    name = "iree"
    priority = 1  # above NumPy: an op on an iree tensor and a NumPy one runs on the device

    def __init__(self, driver, index):
        self.driver, self.index = driver, index
        self._kernels = {}  # (op, attributes, operand types) -> the op's one-op defn

    @property
    def device(self):
        """The array API's device: "cpu" for the CPU drivers (their memory is the host's), else "driver:index"."""
        where = device_tensors.place(self.driver, self.index)
        return where if where == "cpu" else f"{self.driver}:{self.index}"

    def __repr__(self):
        return f"IreeBackend({self.driver}:{self.index})"

    def from_numpy(self, array, ttype):
        return Tensor(device_tensors.upload(array, self.driver, self.index, ttype.type.name), ttype, self)

    def to_numpy(self, tensor):
        return tensor.data.to_numpy() if isinstance(tensor.data, DeviceBuffer) else tensor.backend.to_numpy(tensor)

    def run(self, name, operands, attrs, out_types):
        key = (name, tuple(sorted((k, _hashable(v)) for k, v in attrs.items())),
               tuple((o.ttype, o.vectorized) for o in operands))
        kernel = self._kernels.get(key)
        if kernel is None:
            kernel = self._kernels[key] = _kernel(name, attrs, self)
        with dispatch.using_backend(self):  # an op without operands (iota) leaves its result here too
            results = kernel(*operands)
        results = results if isinstance(results, tuple) else (results,)
        return tuple(Tensor(r.data, t, self) for r, t in zip(results, out_types))

    def invoke(self, executable, values, out_types):
        """Runs a compiled program (defn's) on `values` (Tensors of any eager backend, and NumPy arrays: the
        program's captured constants); returns its results as Tensors of this backend. An IREE program takes the
        buffers already on its device as they are; another compiler's (the evaluator's) runs on the host."""
        if hasattr(executable, "call_views"):
            data = [_device_data(v) for v in values]
            names = [v.ttype.type.name if isinstance(v, Tensor) else dtypes.of_numpy(v.dtype).name for v in values]
            return [Tensor(b, t, self) for b, t in zip(device_tensors.call(executable, data, names), out_types)]
        arrays = executable(*[v.numpy() if isinstance(v, Tensor) else v for v in values])
        for v in values:
            if isinstance(v, Tensor) and isinstance(v.data, DeviceBuffer) and v.data.donated:
                v.data.release()
        return [self.from_numpy(np.asarray(a), t) for a, t in zip(arrays, out_types)]


def _device_data(value):
    """What device_tensors.call takes for a defn argument: a DeviceBuffer, or a NumPy array to upload."""
    if not isinstance(value, Tensor):
        return value
    if isinstance(value.data, (DeviceBuffer, np.ndarray)):
        return value.data
    return value.numpy()


def _hashable(value):
    """An attribute value as a cache key: a NumPy array (a constant) by its type, shape and bytes."""
    if isinstance(value, np.ndarray):
        return ("array", value.dtype.str, value.shape, value.tobytes())
    return value


def _kernel(name, attrs, backend):
    """The one-op program of op `name` with `attrs`, on `backend`'s device (a GPU's; on the CPU wherever IREE's
    policy runs it, as every CPU driver reads the same memory)."""
    options = {} if backend.device == "cpu" else {"device": backend.device}

    def kernel(*operands):
        return apply(name, list(operands), **attrs)
    kernel.__name__ = name
    return defn(kernel, tiered=False, autograph=False, **options)


_IREE = {}  # (driver, index) -> its IreeBackend, so that tensors of one device share one backend


def _backend(backend, options):
    """The backend named by `backend` ("numpy", "iree", or a backend object) with Nx's backend options (the iree
    backend's: device="cuda:0"; default: NUMERIX_DEVICE, else the CPU)."""
    if not isinstance(backend, str):
        if options or not hasattr(backend, "run"):
            raise NxValueError(f"expected a backend name ('numpy', 'iree') or a backend, with options only after a "
                               f"name; got {backend!r} with {options}", op="default_backend")
        return backend
    if backend == "numpy":
        if options:
            raise NxValueError(f"the numpy backend takes no options, got {sorted(options)}", op="default_backend")
        return NUMPY
    if backend != "iree":
        raise NxValueError(f"unknown backend {backend!r}; backends: 'numpy', 'iree'", op="default_backend")
    unknown = set(options) - {"device"}
    if unknown:
        raise NxValueError(f"unknown options {sorted(unknown)} for the iree backend; it takes device= ('cuda:0', "
                           "'local-task', ...)", op="default_backend")
    driver, index = parse_device(options.get("device", DEFAULTS.get("device", "local-sync")))
    found = _IREE.get((driver, index))
    if found is None:
        device_tensors.device_runtime(driver, index)  # an absent device fails here, naming the drivers present
        found = _IREE[driver, index] = IreeBackend(driver, index)
    return found


def _refuse_inside_trace(op):
    if getattr(dispatch.default_backend(), "traced", False):
        raise NxTraceError(f"{op} cannot be called inside defn: a defn's tensors live where its arguments do",
                           op=op)


def default_backend(backend=None, **options):
    """With no argument, the default backend of this thread: where tensors made from Python or NumPy data, and the
    results of defn calls on them, live. With one ("numpy", "iree" with `device=`, or a backend), makes it the
    default and returns the one it replaces (Nx.default_backend/1). A backend's `name` says which it is.

    Examples:
        >>> nx.default_backend().name
        'numpy'
        >>> previous = nx.default_backend("iree")
        >>> t = nx.tensor([1.0, 2.0])
        >>> t.backend.name, previous.name
        ('iree', 'numpy')
        >>> nx.default_backend(previous).name
        'iree'
    """
    if backend is None:
        if options:
            raise NxValueError("options are given with a backend name", op="default_backend")
        return dispatch.default_backend()
    _refuse_inside_trace("default_backend")
    return dispatch.set_default_backend(_backend(backend, options))


def with_default_backend(backend, **options):
    """A context in which `backend` (as default_backend takes it) is the default (Nx.with_default_backend).

    Examples:
        >>> with nx.with_default_backend("iree"):
        ...     t = nx.tensor([1, 2, 3]) * 2
        >>> t.backend.name, t.tolist()
        ('iree', [2, 4, 6])
    """
    _refuse_inside_trace("with_default_backend")
    return dispatch.using_backend(_backend(backend, options))


def backend_copy(tensors, backend="numpy", **options):
    """The tensors (one, or a tuple, list or dict of them, nested freely) copied to `backend` (Nx.backend_copy);
    the originals stay as they are.

    Examples:
        >>> t = nx.backend_copy(nx.tensor([1, 2]), "iree")
        >>> t.backend.name
        'iree'
        >>> nx.backend_copy(t).backend.name
        'numpy'
    """
    _refuse_inside_trace("backend_copy")
    target = _backend(backend, options)
    return _map(tensors, lambda t: _copy(t, target), "backend_copy")


def backend_transfer(tensors, backend="numpy", **options):
    """The tensors moved to `backend` (Nx.backend_transfer): as backend_copy, then the originals' device memory is
    deallocated; a tensor already there is returned as it is.

    Examples:
        >>> t = nx.backend_transfer(nx.tensor([1.0, 2.0]), "iree")
        >>> back = nx.backend_transfer(t)
        >>> back.backend.name, back.tolist()
        ('numpy', [1.0, 2.0])
    """
    _refuse_inside_trace("backend_transfer")
    target = _backend(backend, options)

    def transfer(t):
        if t.backend is target:
            return t
        moved = _copy(t, target)
        _deallocate(t)
        return moved
    return _map(tensors, transfer, "backend_transfer")


def backend_deallocate(tensors):
    """Frees the device memory of the tensors now, not when Python drops them (Nx.backend_deallocate); reading one
    afterwards is an NxValueError. NumPy tensors have none: their memory is Python's.

    Examples:
        >>> t = nx.backend_transfer(nx.tensor([1, 2]), "iree")
        >>> nx.backend_deallocate(t)
        >>> try:
        ...     t.tolist()
        ... except nx.NxValueError:
        ...     print("deallocated")
        deallocated
    """
    _refuse_inside_trace("backend_deallocate")
    _map(tensors, _deallocate, "backend_deallocate")


def donatable(tensors):
    """Marks device tensors whose memory the next defn call that takes them may reuse, as a training step's
    parameters (JAX's donated arguments): the call writes a result into it where it can (an update such as
    `w - lr * g`), and after the call they are invalid: reading one is an NxValueError. Returns its argument.

    Examples:
        >>> step = nx.defn(lambda w: w - 0.5)
        >>> w = nx.backend_transfer(nx.tensor([1.0, 2.0]), "iree")
        >>> new_w = step(nx.donatable(w))
        >>> new_w.tolist()
        [0.5, 1.5]
    """
    def mark(t):
        if not isinstance(t.data, DeviceBuffer):
            raise NxValueError(f"only device tensors (the iree backend) can be donated; {t.ttype} is on the "
                               f"{t.backend.name} backend: nx.backend_transfer(t, 'iree') moves it", op="donatable")
        t.data.checked_view("donatable")
        t.data.donated = True
        return t
    return _map(tensors, mark, "donatable")


def _copy(t, target):
    array = t.backend.to_numpy(t)
    moved = target.from_numpy(np.asarray(array), t.ttype)
    return Tensor(moved.data, t.ttype, target, t.vectorized)


def _deallocate(t):
    if isinstance(t.data, DeviceBuffer):
        t.data.release()


def _map(tree, fn, op):
    """`fn` on each tensor of a tensor or a tuple, list or dict of them, nested; the same structure back."""
    if isinstance(tree, Tensor):
        if is_traced(tree):
            raise NxTraceError(f"{op} takes tensors with values, not traced ones", op=op)
        return fn(tree)
    if isinstance(tree, tuple):
        items = [_map(v, fn, op) for v in tree]
        return type(tree)(*items) if hasattr(tree, "_fields") else tuple(items)
    if isinstance(tree, list):
        return [_map(v, fn, op) for v in tree]
    if isinstance(tree, dict):
        return {k: _map(v, fn, op) for k, v in tree.items()}
    raise NxValueError(f"{op} takes tensors and tuples, lists and dicts of them; got {type(tree).__name__}", op=op)

