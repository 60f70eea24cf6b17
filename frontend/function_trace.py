"""Traces into one more func.func of an existing module: the callees of nx.grad, nx.vmap, nx.custom_grad and control
flow while a defn is traced. It is the trace backend pointed at another function, where tensors of an enclosing
trace (values the function closes over) become extra arguments of the function, listed in `captures` in argument
order, so that the op that calls it can pass their enclosing values."""
import inspect

from numerix.dialect import dtypes
from numerix.dialect import ir as nx_ir
from numerix.dialect.function import FunctionBuilder
from numerix.dialect.schema import Callee, TensorType

from .dispatch import default_backend, using_backend
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


# ---- tracing a user function into one (nx.grad, nx.vmap, control flow) ----

def traced_parent():
    backend = default_backend()
    return backend if getattr(backend, "traced", False) else None


def leaf_paths(node, path):
    """The paths of a flattened tree's tensor leaves, in flattening order (for error messages)."""
    kind = node[0]
    if kind in ("tensor", "vectorized"):
        return [path]
    if kind in ("static", "none"):
        return []
    if kind == "dict":
        return [p for key, child in zip(node[1], node[2]) for p in leaf_paths(child, f"{path}[{key!r}]")]
    return [p for i, child in enumerate(node[-1]) for p in leaf_paths(child, f"{path}[{i}]")]


def trace_function(parent, name, fn, leaf_types, location, rebuild):
    """Traces `fn` into a new private function of parent's module whose arguments have `leaf_types`; `rebuild` turns
    the argument tensors into fn's (args, kwargs). Returns (the FunctionTrace, fn's output); finish it with the
    results."""
    trace = FunctionTrace(parent.module, name if name.isidentifier() else "fn", location, parent=parent)
    with using_backend(trace):
        args, kwargs = rebuild([trace.argument(t) for t in leaf_types])
        return trace, fn(*args, **kwargs)


def callee_signature(trace, results):
    """The Callee of a FunctionTrace that returns `results`."""
    return Callee(trace.symbol, tuple(nx_ir.to_tensor_type(a.type) for a in trace.block.arguments),
                  tuple(TensorType.of(t.shape, t.type) for t in results))


def location_of(fn):
    """Where fn is defined (seen through wrappers such as another nx.grad), for the function it is traced into."""
    code = getattr(inspect.unwrap(fn), "__code__", None)
    return (code.co_filename, code.co_firstlineno, 1) if code is not None else None
