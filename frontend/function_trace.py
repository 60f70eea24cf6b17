"""Traces into one more func.func of an existing module: the callees of nx.grad and nx.custom_grad while a defn is
traced, and the reverse-mode functions the nx-grad pass writes. It is the trace backend, pointed at another
function, with two additions:

- tensors of an enclosing trace (values the function closes over) become extra arguments of the function, listed
  in `captures` in argument order, so the op that calls it can pass their enclosing values;
- ops can be given a location (`at`), so the ops the pass writes point at the user's code that they differentiate."""
import contextlib

from iree.compiler import ir
from iree.compiler.dialects import func

from numerix.dialect import dtypes
from numerix.dialect import ops as nx_ops
from numerix.dialect.schema import TensorType

from .trace import LARGE_CONSTANT, TraceBackend


class FunctionTrace(TraceBackend):
    def __init__(self, module, name, location=None, parent=None):
        self.context = module.context
        self.module = module
        self.parent = parent
        self.priority = (parent.priority if parent is not None else TraceBackend.priority) + 1
        with self.context:
            self.location = nx_ops.mlir_location(location)
        with self.context, self.location, ir.InsertionPoint(module.body):
            self.func = func.FuncOp(unique_name(module, name), ([], []), visibility="private")
        self.block = self.func.add_entry_block()
        self.insertion_point = ir.InsertionPoint(self.block)
        self.captured = []  # (the entry trace's large constants; here they enter the enclosing trace instead)
        self._entered = {}
        self._finished = False
        self.captures = []  # enclosing tensors, one per extra argument
        self._captured = {}  # id(enclosing tensor) -> (tensor, argument value)
        self._op_location = None

    @property
    def symbol(self):
        """The function's name in the module."""
        return self.func.attributes["sym_name"].value

    def enclosing(self):
        trace = self.parent
        while trace is not None:
            yield trace
            trace = getattr(trace, "parent", None)

    @contextlib.contextmanager
    def at(self, location):
        """Ops emitted inside get `location` (an ir.Location) instead of the user's current source line."""
        previous, self._op_location = self._op_location, location
        try:
            yield
        finally:
            self._op_location = previous

    def _emit(self, name, values, attrs, out_types):
        if self._op_location is None:
            return super()._emit(name, values, attrs, out_types)
        with self.context, self._op_location, self.insertion_point:
            return nx_ops.build(name, values, attrs, out_types, self._op_location)

    def _value(self, tensor):
        if tensor.backend is not self and any(tensor.backend is t for t in self.enclosing()):
            found = self._captured.get(id(tensor))
            if found is None:
                found = self._captured[id(tensor)] = (tensor, self.argument(tensor.ttype).data)
                self.captures.append(tensor)
            return found[1]
        return super()._value(tensor)

    def _enter(self, array):
        if self.parent is None or array.size <= LARGE_CONSTANT:
            return self._constant(array)
        # Large data enters the entry function once, as an argument, and reaches this one as a capture.
        return self._value(self.parent.from_numpy(array, TensorType.of(array.shape, dtypes.of_numpy(array.dtype))))


def unique_name(module, base):
    """`base`, or base_1, base_2, ...: a symbol name no function of the module has."""
    taken = set(nx_ops.functions(module.operation))
    name, count = base, 0
    while name in taken:
        count += 1
        name = f"{base}_{count}"
    return name
