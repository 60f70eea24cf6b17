"""Traces into one more func.func of an existing module: the callees of nx.grad and nx.custom_grad while a defn is
traced. It is the trace backend pointed at another function, where tensors of an enclosing trace (values the
function closes over) become extra arguments of the function, listed in `captures` in argument order, so that the
op that calls it can pass their enclosing values."""
from numerix.dialect import dtypes
from numerix.dialect.function import FunctionBuilder
from numerix.dialect.schema import TensorType

from .trace import LARGE_CONSTANT, TraceBackend


class FunctionTrace(TraceBackend):
    def __init__(self, module, name, location=None, parent=None):
        self.function = FunctionBuilder(module, name, location, private=True)
        self.module = module
        self.parent = parent
        self.priority = (parent.priority if parent is not None else TraceBackend.priority) + 1
        self.captured = []  # (the entry trace's large constants; here they enter the enclosing trace instead)
        self._entered = {}
        self._finished = False
        self.captures = []  # enclosing tensors, one per extra argument
        self._captured = {}  # id(enclosing tensor) -> (tensor, argument value)

    def enclosing(self):
        trace = self.parent
        while trace is not None:
            yield trace
            trace = getattr(trace, "parent", None)

    def _value(self, tensor):
        if tensor.backend is not self and any(tensor.backend is t for t in self.enclosing()):
            if id(tensor) not in self._captured:
                self._capture(tensor)
            return self._captured[id(tensor)][1]
        return super()._value(tensor)

    def _capture(self, tensor):
        """Meets an enclosing tensor for the first time (control_flow.py's traces share it with their group)."""
        self.capture_argument(tensor)

    def capture_argument(self, tensor):
        """Makes the enclosing tensor an extra argument of the function."""
        self._captured[id(tensor)] = (tensor, self.argument(tensor.ttype).data)
        self.captures.append(tensor)

    def _enter(self, array):
        if self.parent is None or array.size <= LARGE_CONSTANT:
            return self._constant(array)
        # Large data enters the entry function once, as an argument, and reaches this one as a capture.
        return self._value(self.parent.from_numpy(array, TensorType.of(array.shape, dtypes.of_numpy(array.dtype))))
