"""Hands each op to the backend of its operands, after the schema has checked it and inferred its result types.

A backend has `priority`, `run(name, operands, attrs, out_types) -> tuple of Tensor`, `from_numpy(array, ttype)`
and `to_numpy(tensor)`; a device backend (frontend/backends.py) also has `invoke(executable, values, out_types)`,
which runs a compiled program where its tensors live (defn's calls: `device_backend`). When operands come from
several backends the one with the highest priority runs the op (a trace takes in eager constants); an op with no
operands (iota, constant) runs on the current default backend, which defn switches to its trace. An op on
vectorized tensors maps over their vectorized axes (vectorized.py)."""
import contextlib
import contextvars

from numerix.dialect.rules import run_numpy
from numerix.dialect.schema import SCHEMAS, TensorType
from numerix.dialect.errors import NxValueError

from . import vectorized
from .tensor import Tensor


class NumpyBackend:
    """Eager tensors whose data is a NumPy ndarray (defn's fast path hands it to the compiled program as it is)."""
    name = "numpy"
    priority = 0

    def run(self, name, operands, attrs, out_types):
        arrays = run_numpy(name, [self.to_numpy(o) for o in operands], attrs, out_types)
        return tuple(Tensor(a, t, self) for a, t in zip(arrays, out_types))

    def from_numpy(self, array, ttype):
        return Tensor(array, ttype, self)

    def to_numpy(self, tensor):
        return tensor.backend.to_numpy(tensor) if tensor.backend is not self else tensor.data


NUMPY = NumpyBackend()
_default_backend = contextvars.ContextVar("numerix_backend", default=NUMPY)


def default_backend():
    return _default_backend.get()


@contextlib.contextmanager
def using_backend(backend):
    token = _default_backend.set(backend)
    try:
        yield backend
    finally:
        _default_backend.reset(token)


def set_default_backend(backend):
    """Makes `backend` the default of this context (thread, task) until set again; returns the one it replaces."""
    previous = _default_backend.get()
    _default_backend.set(backend)
    return previous


def device_backend(tensors):
    """The backend that runs a compiled program on `tensors` where they live, leaving its results there: the
    highest-priority backend among theirs that has `invoke` (a device backend, frontend/backends.py), else the
    default backend if it has one; None when the program runs on NumPy arrays."""
    found = [t.backend for t in tensors if hasattr(getattr(t, "backend", None), "invoke")]  # nx.template: none
    if found:
        return max(found, key=lambda b: b.priority)
    backend = default_backend()
    return backend if hasattr(backend, "invoke") else None


def apply(name, operands, **attrs):
    """Runs nx op `name` on Tensors; returns a Tensor, or a tuple for ops with several results."""
    schema = SCHEMAS.get(name)
    if schema is None:
        raise NxValueError(f"unknown op nx.{name}", op=name)
    out_types = schema.check([o.ttype for o in operands], attrs)
    backend = max((o.backend for o in operands), key=lambda b: b.priority, default=default_backend())
    if default_backend().priority > backend.priority:
        backend = default_backend()
    if any(o.vectorized for o in operands):
        outs = vectorized.apply(name, operands, attrs, out_types, backend)
    else:
        outs = backend.run(name, operands, attrs, out_types)
    return outs if schema.results != 1 else outs[0]  # (None: a variable number, as nx.hook's)


__all__ = ["apply", "default_backend", "device_backend", "set_default_backend", "using_backend", "NUMPY",
           "TensorType"]
