"""Nx.Defn.Kernel's hooks: `hook` (a Python function called with runtime values, from inside a compiled program too),
`print_value` (a hook that prints), `print_expr` (prints the expression being traced) and `tap`.

Eagerly a hook's function runs at once. Inside defn the hook is an nx.hook op (dialect/hook.py) whose function this
module registers under a new id: the evaluator calls it as it runs the op, and an IREE program calls back into
Python (runtime/hooks.py), each time the program runs, in program order. As in Nx, the value a hook returns must be
used (returned, or computed on): a hook whose result nothing uses is removed with it. nx.export removes every hook,
so that the exported module runs without Python."""
import sys

import numpy as np

from numerix.dialect.errors import NxTypeError
from numerix.dialect.hook import register

from .defn import _flatten, _unflatten
from .dispatch import apply
from .operands import tensor
from .tensor import is_traced

__all__ = ["hook", "print_value", "print_expr", "tap"]


def hook(value, name_or_fn, fn=None):
    """Nx's hook: returns `value` (a tensor, or a tuple, list or dict of them) and calls `fn(value)` with its
    runtime value, for side effects: eagerly at once, inside defn each time the compiled function runs, in program
    order. `name_or_fn` is the function, or a name (a string) followed by the function. A named hook without a
    function does nothing (Nx's are given by Nx.Defn.jit's `hooks:` option, which numerix does not have). Inside
    defn, use what hook returns: a hook whose result the function neither returns nor computes on is dropped.

    Examples:
        >>> seen = []
        >>> @nx.defn
        ... def add_and_mult(a, b):
        ...     add = nx.hook(a + b, lambda t: seen.append(("add", int(t))))
        ...     mult = nx.hook(a * b, lambda t: seen.append(("mult", int(t))))
        ...     return add, mult
        >>> _ = add_and_mult(nx.tensor(2), nx.tensor(3))
        >>> seen
        [('add', 5), ('mult', 6)]
    """
    if fn is None and callable(name_or_fn):
        name_or_fn, fn = None, name_or_fn
    if name_or_fn is not None and not isinstance(name_or_fn, str):
        raise NxTypeError(f"a hook's name must be a string, got {type(name_or_fn).__name__}", op="hook")
    if fn is None:
        return value
    if not callable(fn):
        raise NxTypeError(f"a hook's function must be callable, got {type(fn).__name__}", op="hook")
    leaves = []
    tree = _flatten(value, False, leaves, ("hook",))
    if not any(is_traced(leaf) for leaf in leaves):
        fn(value)
        return value
    if not leaves:
        raise NxTypeError("hook needs a tensor or a container of tensors, got none", op="hook")
    dtypes = tuple(leaf.type for leaf in leaves)
    hook_id = register(lambda arrays: fn(_rebuild(tree, arrays, dtypes)), dtypes)
    results = iter(apply("hook", leaves, id=hook_id))
    return _unflatten(tree, lambda ttype: next(results))


def _rebuild(tree, arrays, dtypes):
    """The hooked value as eager tensors of the runtime values `arrays` (their shapes may have gained a batch axis
    under nx.vmap)."""
    tensors = iter([tensor(np.asarray(a), type=t) for a, t in zip(arrays, dtypes)])
    return _unflatten(tree, lambda ttype: next(tensors))


def print_value(value, fn=None, *, label=None):
    """Nx's print_value: prints `value` (a tensor or a container of them) at runtime, transformed by `fn` first where
    given, under `label` where given (IO.inspect's option); returns `value`. A hook (see `hook`), so inside defn the
    value returned must be used.

    Examples:
        >>> @nx.defn
        ... def tanh_sum(t):
        ...     return nx.print_value(nx.tanh(t), lambda t: nx.sum(t), label="tanh")
        >>> _ = tanh_sum(nx.tensor([0.0, 0.0]))
        tanh: nx.Tensor<
          f32
          0.
        >
    """
    if label is not None and not isinstance(label, str):
        raise NxTypeError(f"print_value's label must be a string, got {type(label).__name__}", op="print_value")
    prefix = f"{label}: " if label is not None else ""
    if fn is None:
        return hook(value, lambda shown: print(f"{prefix}{shown!r}", flush=True))
    # The transformed value rides along in the hook, so that it is computed where `value` is.
    return hook((value, fn(value)), lambda both: print(f"{prefix}{both[1]!r}", flush=True))[0]


def print_expr(value, *, label=None):
    """Nx's print_expr: prints the expression `value` is (inside defn, the nx ops that compute it, when the function
    is traced; eagerly, its value), and returns `value`.

    Examples:
        >>> @nx.defn(compiler="evaluator")
        ... def f(a, b):
        ...     return nx.print_expr(nx.tanh(a) + b * b)
        >>> _ = f(nx.tensor([1.0]), nx.tensor([2.0]))
        nx.Tensor<
          f32[1]
          %0 = "nx.tanh"(%arg0) : (tensor<1xf32>) -> tensor<1xf32>
          %1 = "nx.multiply"(%arg1, %arg1) : (tensor<1xf32>, tensor<1xf32>) -> tensor<1xf32>
          %2 = "nx.add"(%0, %1) : (tensor<1xf32>, tensor<1xf32>) -> tensor<1xf32>
        >
    """
    prefix = f"{label}: " if label is not None else ""
    leaves = []
    _flatten(value, False, leaves, ("print_expr",))
    for leaf in leaves:
        print(prefix + (_expression(leaf) if is_traced(leaf) else repr(leaf)), file=sys.stdout, flush=True)
    return value


def _expression(t):
    """A traced tensor as the nx ops of its trace that it depends on, in program order."""
    needed, pending = [], [t.data]
    while pending:
        owner = getattr(pending.pop(), "owner", None)
        if not hasattr(owner, "operands") or owner.operation in needed:  # (a block argument: a parameter)
            continue
        needed.append(owner.operation)
        pending.extend(owner.operands)
    block = t.data.owner.operation.block if needed else None
    lines = [str(op) for op in (block.operations if block else ()) if op.operation in needed]
    dims = "".join(f"[{d}]" for d in t.shape)
    body = "\n  ".join(lines) if lines else "parameter"
    return f"nx.Tensor<\n  {t.type.name}{dims}\n  {body}\n>"


def tap(value, fn):
    """Nx's tap: calls `fn(value)` and returns `value` (useful for side effects in a pipeline). Inside defn `fn` runs
    while the function is traced, on traced tensors (use `hook` for runtime values).

    Examples:
        >>> nx.tap(nx.tensor([1, 2]), lambda t: print(t.shape))
        (2,)
        nx.Tensor<
          s64[2]
          [1, 2]
        >
    """
    if not callable(fn):
        raise NxTypeError(f"tap's function must be callable, got {type(fn).__name__}", op="tap")
    fn(value)
    return value
