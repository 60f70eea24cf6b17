"""Contractions: Nx's dot (2, 4 and 6 argument forms), the array API's matmul, tensordot and vecdot, and outer
and inner. Each promotes its operands as elementwise ops do, resolves axes given by
index (negative counts from the end) or by name, and runs nx.dot, whose result holds the batch axes, then the first
operand's free axes, then the second's (StableHLO's dot_general)."""
import numpy as np

from numerix.dialect.errors import NxShapeError, NxTypeError, NxValueError

from .dispatch import apply
from .elementwise import conjugate, multiply
from .operands import as_type, axis_index, broadcast_shapes, broadcast_to, result_type, to_tensor

__all__ = ["dot", "matmul", "tensordot", "vecdot", "outer", "inner"]


def _promoted(op, x, y):
    """Both operands as tensors of their common type; bool has no sum of products here (NumPy's matmul of bools
    is a logical or of ands), so it is refused."""
    common = result_type(op, x, y)
    a, b = (as_type(to_tensor(v), common) for v in (x, y))
    if common.is_bool:
        raise NxTypeError(f"does not support type bool (operands {a.ttype} and {b.ttype}); expects numbers", op=op)
    return a, b


def _axes(op, t, axes):
    """A list of axes (ints, negative ints or names; a single one may stand alone) as indices of t."""
    if isinstance(axes, (int, np.integer, str)):
        axes = [axes]
    return tuple(axis_index(op, t, a) for a in axes)


def _contract(op, a, contract_a, batch_a, b, contract_b, batch_b):
    """nx.dot after checking, under the public op's name, that the paired axes agree in size."""
    if len(contract_a) != len(contract_b) or len(batch_a) != len(batch_b):
        raise NxValueError(f"needs as many axes of {a.ttype} as of {b.ttype}: contract {list(contract_a)} vs "
                           f"{list(contract_b)}, batch {list(batch_a)} vs {list(batch_b)}", op=op)
    for i, j in zip(contract_a + batch_a, contract_b + batch_b):
        if a.shape[i] != b.shape[j]:
            raise NxShapeError(f"axis {i} of {a.ttype} (size {a.shape[i]}) does not match axis {j} of {b.ttype} "
                               f"(size {b.shape[j]})", op=op)
    for t, contract, batch in ((a, contract_a, batch_a), (b, contract_b, batch_b)):
        if len(set(contract + batch)) != len(contract + batch):
            raise NxValueError(f"contract axes {list(contract)} and batch axes {list(batch)} of {t.ttype} repeat",
                               op=op)
    return apply("dot", [a, b], contract_axes_a=contract_a, batch_axes_a=batch_a, contract_axes_b=contract_b,
                 batch_axes_b=batch_b)


def dot(a, *args):
    """Nx.dot.

    dot(a, b): scalars multiply; two vectors give their inner product; otherwise the last axis of a meets the only
    axis of a vector b, or the second to last axis of b (so matrices multiply), as numpy.dot does.
    dot(a, contract_axes_a, b, contract_axes_b): contracts the listed axes pairwise.
    dot(a, contract_axes_a, batch_axes_a, b, contract_axes_b, batch_axes_b): also pairs batch axes.
    The result holds the batch axes, then a's free axes, then b's; axes may be given by name, and names carry over
    (a batch axis takes a's name).

    Examples:
        >>> nx.dot(nx.tensor([1, 2, 3]), nx.tensor([4, 5, 6]))
        nx.Tensor<
          s64
          32
        >
        >>> nx.dot(nx.tensor([[1, 2], [3, 4]]), nx.tensor([[5, 6], [7, 8]]))
        nx.Tensor<
          s64[2][2]
          [[19, 22],
           [43, 50]]
        >
    """
    if len(args) == 1:
        a, b = _promoted("dot", a, args[0])
        if a.ndim == 0 or b.ndim == 0:
            return multiply(a, b)
        return _contract("dot", a, (a.ndim - 1,), (), b, (max(b.ndim - 2, 0),), ())
    if len(args) == 3:
        contract_a, b, contract_b = args
        batch_a = batch_b = ()
    elif len(args) == 5:
        contract_a, batch_a, b, contract_b, batch_b = args
    else:
        raise NxValueError(f"takes 2, 4 or 6 arguments (Nx's dot/2, dot/4, dot/6), got {len(args) + 1}", op="dot")
    a, b = _promoted("dot", a, b)
    return _contract("dot", a, _axes("dot", a, contract_a), _axes("dot", a, batch_a),
                     b, _axes("dot", b, contract_b), _axes("dot", b, batch_b))


def broadcast_batch(op, a, b):
    """a and b with their batch axes (all but the last two) broadcast together, names included."""
    batch_a, batch_b = a.shape[:-2], b.shape[:-2]
    try:
        batch = tuple(np.broadcast_shapes(batch_a, batch_b))
    except ValueError:
        raise NxShapeError(f"batch axes of {a.ttype} and {b.ttype} do not broadcast", op=op) from None
    names = []
    for i in range(1, len(batch) + 1):
        found = {t.names[-2 - i] for t in (a, b) if i <= t.ndim - 2 and t.names[-2 - i] is not None}
        if len(found) > 1:
            raise NxValueError(f"batch axis names clash: {sorted(found)} (operands {a.ttype} and {b.ttype})", op=op)
        names.insert(0, found.pop() if found else None)
    return tuple(broadcast_to(t, batch + t.shape[-2:], tuple(names) + (None, None)) for t in (a, b))


def matmul(x1, x2, /):
    """The array API's matmul (the `@` operator): a vector is promoted to a matrix (a 1 prepended for x1,
    appended for x2) and that axis dropped from the result; batch axes broadcast.

    Examples:
        >>> nx.matmul(nx.tensor([[1, 2], [3, 4]]), nx.tensor([1, 1]))
        nx.Tensor<
          s64[2]
          [3, 7]
        >
    """
    a, b = _promoted("matmul", x1, x2)
    if a.ndim == 0 or b.ndim == 0:
        raise NxValueError(f"needs operands of rank >= 1, got {a.ttype} and {b.ttype}", op="matmul")
    if a.ndim == 1 or b.ndim == 1:
        return _contract("matmul", a, (a.ndim - 1,), (), b, (max(b.ndim - 2, 0),), ())
    if a.shape[-1] != b.shape[-2]:
        raise NxShapeError(f"the last axis of {a.ttype} does not match the second to last axis of {b.ttype}",
                           op="matmul")
    a, b = broadcast_batch("matmul", a, b)
    batch = tuple(range(a.ndim - 2))
    return _contract("matmul", a, (a.ndim - 1,), batch, b, (b.ndim - 2,), batch)


def tensordot(x1, x2, /, *, axes=2):
    """The array API's tensordot: axes=N contracts the last N axes of x1 with the first N of x2; axes=(axes1,
    axes2) contracts them pairwise. The result holds x1's free axes, then x2's.

    Examples:
        >>> nx.tensordot(nx.tensor([[1, 2], [3, 4]]), nx.tensor([[1, 0], [0, 1]]), axes=([1], [0]))
        nx.Tensor<
          s64[2][2]
          [[1, 2],
           [3, 4]]
        >
    """
    a, b = _promoted("tensordot", x1, x2)
    if isinstance(axes, (int, np.integer)) and not isinstance(axes, bool):
        if not 0 <= axes <= min(a.ndim, b.ndim):
            raise NxValueError(f"axes={axes} must be in [0, {min(a.ndim, b.ndim)}] for {a.ttype} and {b.ttype}",
                               op="tensordot")
        contract_a, contract_b = tuple(range(a.ndim - axes, a.ndim)), tuple(range(axes))
    elif isinstance(axes, (tuple, list)) and len(axes) == 2:
        contract_a, contract_b = _axes("tensordot", a, axes[0]), _axes("tensordot", b, axes[1])
    else:
        raise NxTypeError(f"axes must be an int or a pair of axis sequences, got {axes!r}", op="tensordot")
    return _contract("tensordot", a, contract_a, (), b, contract_b, ())


def vecdot(x1, x2, /, *, axis=-1):
    """The array API's vecdot: sum(conj(x1) * x2) over `axis`, the other axes broadcast.

    Examples:
        >>> nx.vecdot(nx.tensor([[1, 2], [3, 4]]), nx.tensor([1, 1]))
        nx.Tensor<
          s64[2]
          [3, 7]
        >
    """
    a, b = _promoted("vecdot", x1, x2)
    if a.ndim == 0 or b.ndim == 0:
        raise NxValueError(f"needs operands of rank >= 1, got {a.ttype} and {b.ttype}", op="vecdot")
    axis_a, axis_b = axis_index("vecdot", a, axis), axis_index("vecdot", b, axis)
    if a.shape[axis_a] != b.shape[axis_b]:
        raise NxShapeError(f"axis {axis} of {a.ttype} and of {b.ttype} differ in size", op="vecdot")
    shape, names = broadcast_shapes("vecdot", a, b)
    a, b = (broadcast_to(t, shape, names) for t in (a, b))
    if a.type.is_complex:
        a = conjugate(a)
    axis = axis_index("vecdot", a, axis)
    batch = tuple(i for i in range(a.ndim) if i != axis)
    return _contract("vecdot", a, (axis,), batch, b, (axis,), batch)


def _flat(t):
    return t if t.ndim == 1 else apply("reshape", [t], shape=(t.size,), names=(None,))


def outer(x1, x2, /):
    """Nx's outer: every element of x1 (flattened) times every element of x2 (flattened), a matrix.

    Examples:
        >>> nx.outer(nx.tensor([1, 2]), nx.tensor([1, 10, 100]))
        nx.Tensor<
          s64[2][3]
          [[  1,  10, 100],
           [  2,  20, 200]]
        >
    """
    a, b = _promoted("outer", x1, x2)
    return _contract("outer", _flat(a), (), (), _flat(b), (), ())


def inner(x1, x2, /):
    """NumPy's inner: sum of products over the last axes of both (scalars multiply).

    Examples:
        >>> nx.inner(nx.tensor([1, 2, 3]), nx.tensor([1, 0, 1]))
        nx.Tensor<
          s64
          4
        >
    """
    a, b = _promoted("inner", x1, x2)
    if a.ndim == 0 or b.ndim == 0:
        return multiply(a, b)
    return _contract("inner", a, (a.ndim - 1,), (), b, (b.ndim - 1,), ())
