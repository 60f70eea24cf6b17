"""nx.vmap: a function of the module mapped over a batch axis of its operands (JAX's vmap).

nx.vmap(*operands) {callee = @f, in_axes = [...], out_axes = [...]} calls @f once per index along the batch axis:
operand i carries that axis at in_axes[i], or is the same for every call where in_axes[i] is -1; result j carries it
at out_axes[j], or is the same for every call where out_axes[j] is -1 (then @f's result j must not depend on the
batched operands: the nx-batch pass checks it). At least one operand is batched, and all batched operands have the
batch axis of one size. The nx-batch pass replaces the op with a call of the batched function it writes, each op of
@f by its batching rule (dialect/batching.py)."""
from .errors import NxShapeError, NxTypeError, NxValueError
from .rules import define
from .schema import TensorType


def _infer_vmap(types, callee, in_axes, out_axes):
    if len(types) != len(callee.inputs) or len(in_axes) != len(types):
        raise NxValueError(f"{len(types)} operands and {len(in_axes)} in_axes for @{callee.name}, which takes "
                           f"{len(callee.inputs)} arguments", op="vmap")
    if len(out_axes) != len(callee.results):
        raise NxValueError(f"{len(out_axes)} out_axes for @{callee.name}, which returns {len(callee.results)} "
                           "results", op="vmap")
    size, first = None, None
    for i, (t, axis, want) in enumerate(zip(types, in_axes, callee.inputs)):
        if axis == -1:
            per_call = t
        elif 0 <= axis < len(t.shape):
            per_call = TensorType(t.shape[:axis] + t.shape[axis + 1:], t.type, t.names[:axis] + t.names[axis + 1:])
            if size is None:
                size, first = t.shape[axis], (i, t)
            elif t.shape[axis] != size:
                raise NxShapeError(f"operand {i} ({t}) has size {t.shape[axis]} on its batch axis {axis}, but operand "
                                   f"{first[0]} ({first[1]}) has size {size} on its batch axis {in_axes[first[0]]}",
                                   op="vmap")
        else:
            raise NxValueError(f"in_axes[{i}] = {axis} is out of range for operand {t}", op="vmap")
        if (per_call.shape, per_call.type) != (want.shape, want.type):
            raise NxTypeError(f"operand {i} ({t}, batch axis {axis}) does not match argument {i} of @{callee.name} "
                              f"({want})", op="vmap")
    if size is None:
        raise NxValueError(f"no operand of @{callee.name} is batched (every in_axes is -1)", op="vmap")
    results = []
    for j, (r, axis) in enumerate(zip(callee.results, out_axes)):
        if axis == -1:
            results.append(r)
        elif 0 <= axis <= len(r.shape):
            results.append(TensorType(r.shape[:axis] + (size,) + r.shape[axis:], r.type,
                                      r.names[:axis] + (None,) + r.names[axis:]))
        else:
            raise NxValueError(f"out_axes[{j}] = {axis} is out of range for result {r} of @{callee.name}", op="vmap")
    return tuple(results)


# Never batched or differentiated as an op: nx-batch expands the vmaps inside a callee before batching the callee,
# and nx-grad expands a vmap before differentiating through it.
define("vmap", None, _infer_vmap, attrs={"callee": "callee", "in_axes": "ints", "out_axes": "ints"}, results=None)
