"""The trace backend (Nx.Defn.Expr's role): inside defn, every op that reaches the backend is recorded as an nx op in
one func.func instead of being computed. It has no per-op code: `run` gets the op's name, attributes and inferred
result types from dispatch, as the NumPy backend does, and spells them through the schema.

Tensors from outside the trace (closed over, or made inside from Python and NumPy data) enter once each: as an
nx.constant (complex ones as nx.complex of two real constants), or as an extra argument when larger than
LARGE_CONSTANT elements, so the program text stays small; their values are then fixed at trace time, as in JAX."""
import numpy as np
from iree.compiler import ir
from iree.compiler.dialects import func

from numerix.dialect import ir as nx_ir
from numerix.dialect import ops as nx_ops
from numerix.dialect import dtypes
from numerix.dialect.schema import SCHEMAS, TensorType
from numerix.dialect.errors import NxTraceError, user_location

from .tensor import Tensor

LARGE_CONSTANT = 1 << 20  # elements


class TraceBackend:
    name = "trace"
    priority = 100  # above every eager backend: an op that meets a traced tensor is traced
    traced = True  # Tensor refuses Python control flow and .numpy() on this backend's tensors

    def __init__(self, entry, location):
        self.context = nx_ir.new_context()
        with self.context:
            self.location = nx_ops.mlir_location(location)
        with self.context, self.location:
            self.module = ir.Module.create()
            with ir.InsertionPoint(self.module.body):
                self.func = func.FuncOp(entry, ([], []))
            self.block = self.func.add_entry_block()
        self.insertion_point = ir.InsertionPoint(self.block)
        self.captured = []  # arrays of the large outside tensors, passed after the user's arguments
        self._entered = {}  # id(outside tensor) -> (tensor, value): each enters once (the tensor keeps its id)
        self._finished = False

    # ---- the backend interface (dispatch.py) ----
    def run(self, name, operands, attrs, out_types):
        values = [self._value(o) for o in operands]
        op = self._emit(name, values, attrs, out_types)
        return tuple(Tensor(v, t, self) for v, t in zip(op.results, out_types))

    def from_numpy(self, array, ttype):
        return Tensor(self._enter(array), ttype, self)

    def to_numpy(self, tensor):
        raise NxTraceError(f"cannot read the values of a traced tensor {tensor.ttype} inside defn; return it "
                           "from the function instead", op="defn")

    # ---- building the function ----
    def argument(self, ttype):
        """A new function argument of type `ttype`, as a traced tensor."""
        with self.context, self.location:
            value = self.block.add_argument(nx_ir.tensor_type(ttype), self.location)
        return Tensor(value, ttype, self)

    def finish(self, tensors):
        """Returns `tensors` from the function and closes the trace; returns the module."""
        values = [self._value(t) for t in tensors]
        with self.context, self.location, self.insertion_point:
            func.ReturnOp(values)
            self.func.attributes["function_type"] = ir.TypeAttr.get(ir.FunctionType.get(
                [a.type for a in self.block.arguments], [v.type for v in values]))
        self._finished = True
        return self.module

    def _emit(self, name, values, attrs, out_types):
        if self._finished:
            raise NxTraceError(f"nx.{name} uses a tensor traced by a defn call that has returned (a traced tensor "
                               "leaked out of its function, e.g. into a global)", op="defn")
        with self.context, self.location, self.insertion_point:
            return nx_ops.build(name, values, attrs, out_types, nx_ops.mlir_location(user_location()))

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

    def _constant(self, array):
        if array.dtype.kind == "c":
            parts = [self._constant(np.array(part, order="C")) for part in (array.real, array.imag)]
            part_types = [TensorType.of(array.shape, dtypes.of_numpy(array.real.dtype))] * 2
            return self._emit("complex", parts, {}, SCHEMAS["complex"].check(part_types, {})).result
        attrs = {"value": array}
        return self._emit("constant", [], attrs, SCHEMAS["constant"].check([], attrs)).result
