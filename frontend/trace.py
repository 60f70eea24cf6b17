"""The trace backend (Nx.Defn.Expr's role): inside defn, every op that reaches the backend is recorded as an nx op in
one func.func instead of being computed. It has no per-op code: `run` gets the op's name, attributes and inferred
result types from dispatch, as the NumPy backend does, and spells them through the schema.

Tensors from outside the trace (closed over, or made inside from Python and NumPy data) enter once each: as an
nx.constant (complex ones as nx.complex of two real constants), or as an extra argument when larger than
LARGE_CONSTANT elements, so the program text stays small; their values are then fixed at trace time, as in JAX."""
from iree.compiler import ir

from numerix.dialect import dtypes
from numerix.dialect import ir as nx_ir
from numerix.dialect import ops as nx_ops
from numerix.dialect.errors import NxTraceError, user_location
from numerix.dialect.function import FunctionBuilder
from numerix.dialect.schema import TensorType

from .tensor import Tensor

LARGE_CONSTANT = 1 << 20  # elements


class TraceBackend:
    name = "trace"
    priority = 100  # above every eager backend: an op that meets a traced tensor is traced
    traced = True  # Tensor refuses Python control flow and .numpy() on this backend's tensors

    def __init__(self, entry, location):
        with nx_ir.new_context(), ir.Location.unknown():
            module = ir.Module.create()
        self.function = FunctionBuilder(module, entry, location)
        self.module = module
        self.captured = []  # arrays of the large outside tensors, passed after the user's arguments
        self._entered = {}  # id(outside tensor) -> (tensor, value): each enters once (the tensor keeps its id)
        self._finished = False

    @property
    def symbol(self):
        return self.function.symbol

    @property
    def block(self):
        return self.function.block

    # ---- the backend interface (dispatch.py) ----
    def run(self, name, operands, attrs, out_types):
        values = [self._value(o) for o in operands]
        results = self._emit(name, values, attrs, out_types)
        return tuple(Tensor(v, t, self) for v, t in zip(results, out_types))

    def from_numpy(self, array, ttype):
        return Tensor(self._enter(array), ttype, self)

    def to_numpy(self, tensor):
        raise NxTraceError(f"cannot read the values of a traced tensor {tensor.ttype} inside defn; return it "
                           "from the function instead", op="defn")

    # ---- building the function ----
    def argument(self, ttype):
        """A new function argument of type `ttype`, as a traced tensor."""
        return Tensor(self.function.argument(ttype), ttype, self)

    def finish(self, tensors):
        """Returns `tensors` from the function and closes the trace; returns the module."""
        self.function.finish([self._value(t) for t in tensors])
        self._finished = True
        return self.module

    def _emit(self, name, values, attrs, out_types):
        """Emits nx op `name` at the user's source line; returns its result values."""
        self._check_open(name)
        return self.function.emit(name, values, attrs, out_types, at=user_location() or nx_ops.UNKNOWN_LOCATION)

    def _constant(self, array):
        self._check_open("constant")
        return self.function.constant(array, at=user_location() or nx_ops.UNKNOWN_LOCATION)

    def _check_open(self, name):
        if self._finished:
            raise NxTraceError(f"nx.{name} uses a tensor traced by a defn call that has returned (a traced tensor "
                               "leaked out of its function, e.g. into a global)", op="defn")

    def _value(self, tensor):
        """The MLIR value of an operand: a traced tensor's own, or an outside tensor's entry into the trace."""
        if tensor.backend is self:
            return tensor.data
        if getattr(tensor.backend, "traced", False):
            raise NxTraceError(f"a tensor {tensor.ttype} traced by another defn call cannot be used here (a traced "
                               "tensor leaked out of its function)", op="defn")
        entered = self._entered.get(id(tensor))
        if entered is None:
            entered = self._entered[id(tensor)] = (tensor, self._enter(tensor.backend.to_numpy(tensor)))
        return entered[1]

    def _enter(self, array):
        """The value of outside data: a constant, or an extra argument when large."""
        if array.size > LARGE_CONSTANT:
            self.captured.append(array)
            return self.argument(TensorType.of(array.shape, dtypes.of_numpy(array.dtype))).data
        return self._constant(array)
