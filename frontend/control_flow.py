"""Control flow: nx.cond, nx.switch, nx.while_loop, nx.fori_loop and nx.scan (JAX's lax forms; Nx's cond and while).

Eagerly they run as Python conditionals and loops. Inside a defn, a condition or index that is a traced tensor makes
one op: each branch (or the loop's condition and body) is traced into a private function of the module, and nx.switch
or nx.while names them (dialect/control_flow.py); a Python value there still chooses in Python, and a loop always
becomes an op. Operands and carried values are trees (tuples, lists, dicts, nested) of tensors and Python values;
Python values are static: branches and bodies see them as they are. Tensors that a branch or a body closes over are
passed to every function of the op as extra arguments (_Group)."""
import contextlib
import functools

import numpy as np

from numerix.dialect import dtypes
from numerix.dialect.errors import NxTraceError, NxTypeError, NxValueError
from numerix.dialect.schema import SCHEMAS

from .creation import zeros
from .elementwise import where
from .reduction import any as any_
from .defn import _describe_tree, _flatten, _flatten_output, _unflatten
from .dispatch import using_backend
from .function_trace import FunctionTrace
from .function_trace import callee_signature, location_of, traced_parent
from .operands import as_type, to_tensor
from .shape import put_slice, reshape, slice as slice_, squeeze, stack
from .tensor import Tensor, is_traced
from .vectorize import devectorize
from .vmap import for_each_entry, has_vectorized

__all__ = ["cond", "switch", "while_loop", "fori_loop", "scan"]


def cond(pred, true_fn, false_fn, *operands):
    """true_fn(*operands) where the boolean scalar `pred` is true, else false_fn(*operands) (JAX's lax.cond, Nx's
    if). Both must return the same tree of tensors of the same types.

    Examples:
        >>> nx.cond(nx.tensor(True), lambda x: x + 1, lambda x: x - 1, nx.tensor(10))
        nx.Tensor<
          s64
          11
        >
    """
    if _vectorized(pred):
        return _choose(pred, [false_fn(*operands), true_fn(*operands)])
    if is_traced(pred):
        pred = to_tensor(pred)
        if pred.shape != () or not pred.type.is_bool:
            raise NxTypeError(f"the predicate must be a bool scalar, got {pred.ttype} (compare it, e.g. x > 0, or "
                              "reduce it with nx.any or nx.all)", op="cond")
        return _switch("cond", as_type(pred, dtypes.s32), [false_fn, true_fn], operands)
    return (true_fn if _truth("cond", pred) else false_fn)(*operands)


def switch(index, branches, *operands):
    """`branches[index](*operands)`, the integer scalar `index` clamped into range (JAX's lax.switch). Every branch must
    return the same tree of tensors of the same types.

    Examples:
        >>> nx.switch(nx.tensor(1), [lambda x: x, lambda x: x * 2, lambda x: -x], nx.tensor(3.0))
        nx.Tensor<
          f32
          6.
        >
    """
    branches = list(branches)
    if not branches or not all(callable(b) for b in branches):
        raise NxValueError(f"branches must be a non-empty sequence of functions, got {branches!r}", op="switch")
    if _vectorized(index):
        return _choose(index, [branch(*operands) for branch in branches])
    if is_traced(index):
        index = to_tensor(index)
        if index.shape != () or not index.type.is_integer:
            raise NxTypeError(f"the branch index must be an integer scalar, got {index.ttype}", op="switch")
        return _switch("switch", index, branches, operands)
    return branches[min(max(_integer("switch", index), 0), len(branches) - 1)](*operands)


def while_loop(cond_fn, body_fn, init):
    """Runs `state = body_fn(state)` from `init` while cond_fn(state) is true, and returns the state (JAX's
    lax.while_loop, Nx's while). body_fn must return the same tree of tensors of the same shapes and types as
    `init`; cond_fn a bool scalar.

    Examples:
        >>> nx.while_loop(lambda s: s < 100, lambda s: s * 3, nx.tensor(1))
        nx.Tensor<
          s64
          243
        >
    """
    if traced_parent() is None:
        state = init
        while True:
            holds = cond_fn(state)
            if not _vectorized(holds):
                if not _truth("while_loop", holds):
                    return state
                state = body_fn(state)
            elif _truth("while_loop", any_(devectorize(holds))):  # the entries whose condition holds go on
                state = _select_tree(holds, body_fn(state), state)
            else:
                return state
    if has_vectorized(init):  # each entry runs its own trips: a vmap of the loop
        return for_each_entry(lambda state: while_loop(cond_fn, body_fn, state), [init])
    return _while(cond_fn, body_fn, init)


def fori_loop(lower, upper, body_fn, init, unroll=None):
    """`val = body_fn(i, val)` for i from lower up to (not including) upper, from `init` (JAX's lax.fori_loop). i is
    an s32 scalar unless lower or upper is a tensor of another integer type. With Python bounds the compiled loop
    runs `unroll` trips of body_fn per iteration (None: numerix's choice, _unroll_factor), the rest after it.

    Examples:
        >>> nx.fori_loop(0, 5, lambda i, acc: acc + i, nx.tensor(0))
        nx.Tensor<
          s64
          10
        >
    """
    if traced_parent() is None:
        val = init
        for i in range(_integer("fori_loop", lower), _integer("fori_loop", upper)):
            val = body_fn(_counter(i, lower, upper), val)
        return val
    kind = _counter_type(lower, upper)
    start, stop = as_type(to_tensor(lower), kind), as_type(to_tensor(upper), kind)
    if is_traced(lower) or is_traced(upper):
        @functools.wraps(body_fn)  # (the function traced, its errors and locations, are the user's)
        def step(state):
            i, end, val = state
            return i + 1, end, body_fn(i, val)
        _, _, val = _while(lambda s: s[0] < s[1], step, (start, stop, init))
        return val
    first, trips = _integer("fori_loop", lower), max(_integer("fori_loop", upper) - _integer("fori_loop", lower), 0)
    per = _unroll_factor(unroll, trips, lambda: _ops_of(lambda v: body_fn(start, v), init))
    loops, rest = divmod(trips, per)

    @functools.wraps(body_fn)
    def body(state):
        i, end, val = state
        for k in range(per):
            val = body_fn(i + k, val)
        return i + per, end, val
    _, _, val = _while(lambda s: s[0] < s[1], body, (start, as_type(to_tensor(first + loops * per), kind), init),
                       loops)
    for k in range(rest):
        val = body_fn(as_type(to_tensor(first + loops * per + k), kind), val)
    return val


def scan(f, init, xs=None, length=None, reverse=False, unroll=None):
    """JAX's lax.scan: `carry, y = f(carry, x)` for each x of `xs` along its first axis (a tree of tensors, or None
    with `length` steps), last to first with `reverse`; returns (the final carry, the ys stacked along a new first
    axis, a tree like y's). The compiled loop runs `unroll` steps per iteration (None: numerix's choice).

    Examples:
        >>> carry, ys = nx.scan(lambda c, x: (c + x, c * x), nx.tensor(0), nx.tensor([1, 2, 3]))
        >>> carry
        nx.Tensor<
          s64
          6
        >
        >>> ys
        nx.Tensor<
          s64[3]
          [0, 2, 9]
        >
    """
    leaves = []
    if xs is not None:
        _flatten(xs, False, leaves, "xs")
    steps = {t.shape[0] if t.ndim else None for t in leaves}
    if None in steps or len(steps) > 1 or (length is not None and steps and steps != {length}):
        want = f"length {length}" if length is not None else "one leading length"
        raise NxValueError(f"xs must be tensors of {want} on their first axis, got shapes "
                           f"{[t.shape for t in leaves]}", op="scan")
    n = length if length is not None else steps.pop() if steps else None
    if n is None:
        raise NxValueError("scan needs xs or a length", op="scan")
    x_tree = _flatten(xs, False, [], "xs") if xs is not None else None

    def x_at(i):
        if xs is None:
            return None
        it = iter(leaves)
        return _unflatten(x_tree, lambda t: _row(next(it), i))
    if traced_parent() is None:
        carry, ys = init, []
        for i in (reversed(range(n)) if reverse else range(n)):
            carry, y = f(carry, x_at(i))
            ys.append(y)
        return carry, _stack_tree(ys[::-1] if reverse else ys, n)
    return _scantraced_parent(f, init, x_at, n, reverse, unroll)


# ---- tracing ----

class _Group:
    """The functions traced for one op (a switch's branches; a while's condition and body) and the enclosing tensors
    they close over: each such tensor is one more argument of every function of the group, in the same place, so
    that the op passes it once and the functions keep one signature."""

    def __init__(self, parent, op):
        self.parent, self.op = parent, op
        self.tensors = []  # the closed-over tensors, in argument order after the op's own operands
        self.traces = []

    def trace(self, fn, leaf_types, rebuild, what):
        """Traces fn on new arguments of `leaf_types` (rebuild makes fn's arguments of them); returns (the trace,
        fn's output). Finish the trace with finish()."""
        trace = _GroupTrace(self, getattr(fn, "__name__", what), location_of(fn))
        arguments = [trace.argument(t) for t in leaf_types]
        for tensor in self.tensors:
            trace.capture_argument(tensor)
        self.traces.append(trace)
        with using_backend(trace):
            return trace, fn(*rebuild(arguments))

    def capture(self, tensor):
        self.tensors.append(tensor)
        for trace in self.traces:
            trace.capture_argument(tensor)


class _GroupTrace(FunctionTrace):
    def __init__(self, group, name, location):
        super().__init__(group.parent.module, name if name.isidentifier() else group.op, location,
                         parent=group.parent)
        self.group = group

    def _capture(self, tensor):
        self.group.capture(tensor)


def _outputs(trace, output):
    """fn's output as (its tree, its leaves), each leaf's value taken now: a tensor of an enclosing trace that the
    output returns as it is becomes an argument of every function of the group here, before any is finished."""
    leaves = []
    with using_backend(trace):
        tree = _flatten_output(output, trace, leaves)
    for leaf in leaves:
        trace._value(leaf)
    return tree, leaves


def _finish(trace, leaves):
    """Returns `leaves` from the trace's function; its Callee."""
    trace.finish(leaves)
    return callee_signature(trace, leaves)


# ---- vectorized conditions (Nx's vectorization): each entry takes its own branch, or runs its own trips ----

def _vectorized(value):
    return isinstance(value, Tensor) and bool(value.vectorized)


def _choose(index, outcomes):
    """Each entry of a vectorized predicate or index takes its own branch's results: every branch ran."""
    if index.type.is_bool:
        index = as_type(index, dtypes.s32)
    chosen = outcomes[0]
    for k, outcome in enumerate(outcomes[1:], 1):
        taken = (index >= k) if k == len(outcomes) - 1 else (index == k)  # the index clamps into range
        chosen = _select_tree(taken, outcome, chosen)
    return chosen


def _select_tree(pred, on_true, on_false):
    """where(pred, a, b) leaf by leaf over two trees of one structure."""
    if isinstance(on_true, (tuple, list)) and type(on_true) is type(on_false) and len(on_true) == len(on_false):
        items = [_select_tree(pred, a, b) for a, b in zip(on_true, on_false)]
        return type(on_true)(*items) if hasattr(on_true, "_fields") else type(on_true)(items)
    if isinstance(on_true, dict) and isinstance(on_false, dict) and on_true.keys() == on_false.keys():
        return {k: _select_tree(pred, on_true[k], on_false[k]) for k in on_true}
    if on_true is None and on_false is None:
        return None
    if isinstance(on_true, (tuple, list, dict)) or isinstance(on_false, (tuple, list, dict)):
        raise NxTraceError(f"the branches return different structures: {type(on_true).__name__} and "
                           f"{type(on_false).__name__}", op="cond")
    return where(pred, on_true, on_false)


def _switch(op, index, branches, operands):
    parent = traced_parent()
    leaves = []
    nodes = [_flatten(a, False, leaves, f"operand {i}") for i, a in enumerate(operands)]
    group = _Group(parent, op)
    outputs = []
    for k, branch in enumerate(branches):
        trace, output = group.trace(branch, [t.ttype for t in leaves], _rebuild(nodes), f"branch{k}")
        outputs.append((trace, output))
    returned = [_outputs(trace, output) for trace, output in outputs]
    callees = tuple(_finish(trace, leaves) for (trace, _), (_, leaves) in zip(outputs, returned))
    trees = [tree for tree, _ in returned]
    for k, tree in enumerate(trees[1:], 1):
        if tree != trees[0]:
            raise NxTraceError(f"the branches of {op} return different structures or types: "
                               f"{_describe_tree(trees[0])} from {_name(branches[0])}, {_describe_tree(tree)} from "
                               f"{_name(branches[k])}", op=op)
    outer = [index] + leaves + group.tensors
    results = _emit(parent, "switch", outer, {"branches": callees})
    it = iter(results)
    return _unflatten(trees[0], lambda t: next(it))


def _while(cond_fn, body_fn, init, trips=-1):
    parent = traced_parent()
    leaves = []
    node = _flatten(init, False, leaves, "init")
    types = [t.ttype for t in leaves]
    group = _Group(parent, "while_loop")
    cond_trace, predicate = group.trace(cond_fn, types, _rebuild([node]), "cond")
    body_trace, state = group.trace(body_fn, types, _rebuild([node]), "body")
    with using_backend(cond_trace):
        predicate = _predicate(predicate, cond_fn)
    _, cond_leaves = _outputs(cond_trace, predicate)
    tree, body_leaves = _outputs(body_trace, state)
    cond_callee, body_callee = _finish(cond_trace, cond_leaves), _finish(body_trace, body_leaves)
    if tree != node:
        raise NxTraceError(f"the loop body {_name(body_fn)} must return the carried values as they came in, "
                           f"{_describe_tree(node)}; it returns {_describe_tree(tree)}", op="while_loop")
    outer = leaves + group.tensors
    results = _emit(parent, "while", outer, {"cond": cond_callee, "body": body_callee, "carried": len(leaves),
                                             "trips": trips})
    it = iter(results)
    return _unflatten(node, lambda t: next(it))


def _scantraced_parent(f, init, x_at, n, reverse, unroll):
    # The ys buffers take their shapes from one traced step of f.
    with _probe(lambda c: f(c, x_at(0)), init, "scan") as (trace, out):
        if not isinstance(out, tuple) or len(out) != 2:
            raise NxTraceError(f"{_name(f)} must return a pair (carry, y), got {type(out).__name__}", op="scan")
        y_leaves = []
        with using_backend(trace):
            y_tree = _flatten_output(out[1], trace, y_leaves)
        size = _op_count(trace)
    buffers = [zeros((n,) + t.ttype.shape, type=t.type) for t in y_leaves]
    per = _unroll_factor(unroll, n, lambda: size)
    loops, rest = divmod(n, per)

    def step(i, carry, ys):
        at = (n - 1) - i if reverse else i
        carry, y = f(carry, x_at(at))
        leaves = []
        _flatten_output(y, traced_parent(), leaves)
        return carry, [_put_row(buffer, value, at) for buffer, value in zip(ys, leaves)]

    @functools.wraps(f)
    def body(state):
        i, carry, ys = state
        for k in range(per):
            carry, ys = step(i + k, carry, ys)
        return i + per, carry, ys
    _, carry, ys = _while(lambda s: s[0] < loops * per, body, (to_tensor(0, dtypes.s32), init, buffers), loops)
    for k in range(rest):
        carry, ys = step(loops * per + k, carry, ys)
    it = iter(ys)
    return carry, _unflatten(y_tree, lambda t: next(it))


# Each trip of a compiled loop costs IREE a few microseconds besides its work (4.3 us for a 64-element body: the
# loop runs on IREE's host side, a dispatch per trip), so a loop of known length runs UNROLL trips per iteration
# where its body is small: 1,000 steps of x * 0.999 + sin(x) * 0.001 took 4.4 ms, 0.66 ms unrolled by 8
# (docs/iree.md). A body of more than UNROLL_OPS ops is left as it is: compile time grows with the unrolled body.
UNROLL, UNROLL_OPS = 8, 200


def _unroll_factor(unroll, trips, body_ops):
    """Trips of the body per iteration: `unroll` where given, else UNROLL for a small body of at least 2 * UNROLL
    trips (body_ops() counts its ops), else 1."""
    if unroll is not None:
        if not isinstance(unroll, int) or isinstance(unroll, bool) or unroll < 1:
            raise NxValueError(f"unroll must be a positive int, got {unroll!r}", op="loop")
        return max(min(unroll, trips), 1)
    return UNROLL if trips >= 2 * UNROLL and body_ops() <= UNROLL_OPS else 1


def _ops_of(fn, init):
    """How many ops fn(init) traces to."""
    with _probe(fn, init, "probe") as (trace, _):
        return _op_count(trace)


@contextlib.contextmanager
def _probe(fn, init, name):
    """fn(init) traced into a function of its own, which is dropped after: gives (its trace, fn's output)."""
    leaves = []
    node = _flatten(init, False, leaves, "init")
    trace, out = _Group(traced_parent(), name).trace(fn, [t.ttype for t in leaves], _rebuild([node]), name)
    try:
        yield trace, out
    finally:
        trace.finish([])
        trace.function.func.erase()


def _op_count(trace):
    return sum(1 for _ in trace.block.operations)


# ---- helpers ----

def _concrete(op, value, kinds, what):
    """The NumPy scalar of a value known now (an eager tensor, a Python or NumPy number): never made a tensor, which
    inside a defn would be traced."""
    array = value.numpy() if isinstance(value, Tensor) else np.asarray(value)
    if array.shape != () or array.dtype.kind not in kinds:
        raise NxTypeError(f"needs {what}, got {array.dtype}{list(array.shape)}", op=op)
    return array[()]


def _truth(op, value):
    return bool(_concrete(op, value, "biu", "a bool scalar"))


def _integer(op, value):
    return int(_concrete(op, value, "iu", "an integer scalar"))


def _counter_type(lower, upper):
    for bound in (lower, upper):
        if isinstance(bound, Tensor):
            if bound.shape != () or not bound.type.is_integer:
                raise NxTypeError(f"loop bounds must be integer scalars, got {bound.ttype}", op="fori_loop")
            return bound.type
    return dtypes.s32


def _counter(i, lower, upper):
    return to_tensor(i, _counter_type(lower, upper))


def _predicate(value, fn):
    t = to_tensor(value) if not isinstance(value, Tensor) else value
    if t.shape != () or not t.type.is_bool:
        raise NxTypeError(f"the loop condition {_name(fn)} must return a bool scalar, got {t.ttype}",
                          op="while_loop")
    return t


def _rebuild(nodes):
    """rebuild(argument tensors) -> the function's arguments: the trees of `nodes` over them."""
    def rebuild(arguments):
        it = iter(arguments)
        return [_unflatten(n, lambda t: next(it)) for n in nodes]
    return rebuild


def _emit(parent, name, tensors, attrs):
    types = [t.ttype for t in tensors]
    out_types = SCHEMAS[name].check(types, attrs)
    values = parent._emit(name, [parent._value(t) for t in tensors], attrs, out_types)
    return [Tensor(v, t, parent) for v, t in zip(values, out_types)]


def _row(t, i):
    return squeeze(slice_(t, [i] + [0] * (t.ndim - 1), [1] + list(t.shape[1:])), axes=[0])


def _put_row(buffer, value, i):
    value = to_tensor(value, buffer.type)
    return put_slice(buffer, [i] + [0] * value.ndim, reshape(value, (1,) + value.shape))


def _stack_tree(ys, n):
    if not ys:
        return None
    trees = []
    leaf_lists = []
    for y in ys:
        leaves = []
        trees.append(_flatten(y, False, leaves, "y"))
        leaf_lists.append(leaves)
    stacked = iter([stack(list(column)) for column in zip(*leaf_lists)])
    return _unflatten(trees[0], lambda t: next(stacked))


def _name(fn):
    return getattr(fn, "__name__", repr(fn))
