"""How an op runs on vectorized tensors (Nx's vectorization): each op maps over the vectorized axes of its operands,
by the same batching rule that the nx-batch pass runs (dialect/batching.py).

A vectorized tensor holds its data with the vectorized axes first, and its ttype is the inner type (one entry). An op
whose operands carry vectorized axes runs on the union of them, matched by name, in order of first appearance; an
axis of size 1 stretches to the others' size, as Nx broadcasts vectors. Each vectorized operand is brought to those
axes and flattened into one leading batch axis, the op's batching rule runs on the operands' data (eagerly through
the NumPy backend, inside defn through the trace: the rule's ops are recorded like any other), and the results are
unflattened back into the vectorized axes."""
import math

from numerix.dialect import algebra, dtypes
from numerix.dialect.algebra import Term
from numerix.dialect.errors import NxShapeError
from numerix.dialect.rules import BATCH
from numerix.dialect.schema import TensorType

from .tensor import Tensor


class _Emitter:
    """An emitter of dialect/algebra.py running each op on one backend, on plain (unvectorized) tensors."""

    def __init__(self, backend):
        self.backend = backend

    def emit(self, name, values, attrs, out_types):
        return self.backend.run(name, values, attrs, out_types)

    def constant(self, array):
        return self.backend.from_numpy(array, TensorType.of(array.shape, dtypes.of_numpy(array.dtype)))


def union(tensors, op):
    """The vectorized axes of several tensors together: ((name, size), ...), sizes of 1 stretched."""
    axes, seen = {}, {}
    for t in tensors:
        for name, size in t.vectorized:
            if name not in axes or axes[name] == 1:
                axes[name], seen[name] = size, t
            elif size not in (1, axes[name]):
                raise NxShapeError(f"vectorized axis {name!r} has size {size} in one operand "
                                   f"({describe(t)}) and {axes[name]} in another ({describe(seen[name])})", op=op)
    return tuple(axes.items())


def describe(t):
    """A tensor's type with its vectorized axes first, for messages: "[rows: 3] s64[3]"."""
    return "".join(f"[{n}: {d}] " for n, d in t.vectorized) + str(t.ttype)


def full_type(t):
    """The type of a tensor's data: its vectorized axes, then its inner shape."""
    sizes = tuple(size for _, size in t.vectorized)
    names = tuple(name for name, _ in t.vectorized)
    return TensorType(sizes + t.shape, t.type, names + t.names)


def plain(t):
    """A vectorized tensor's data as a plain tensor (the vectorized axes are its leading, named axes)."""
    return Tensor(t.data, full_type(t), t.backend)


def aligned(t, axes, emitter, flatten=True):
    """Term of t's data with the vectorized axes `axes` (a union including t's) in front, in that order (t's
    transposed into place, the missing ones broadcast), flattened into one leading axis unless `flatten` is False."""
    own = [name for name, _ in t.vectorized]
    x = Term(plain(t), full_type(t), emitter)
    inner = t.ndim
    order = [own.index(name) for name, _ in axes if name in own]
    x = algebra.transpose(x, order + list(range(len(own), len(own) + inner)))
    present = [name for name, _ in axes if name in own]
    sizes = tuple(size for _, size in axes)
    kept = [i for i, (name, _) in enumerate(axes) if name in present]
    if len(present) < len(axes) or x.shape != sizes + t.shape:
        x = algebra.apply("broadcast", [x], shape=sizes + t.shape,
                          axes=tuple(kept) + tuple(range(len(axes), len(axes) + inner)))
    if flatten:
        x = algebra.reshape(x, (math.prod(sizes),) + t.shape)
    return x


def apply(name, operands, attrs, out_types, backend):
    """Runs op `name` on operands of which some are vectorized; returns the results, vectorized."""
    axes = union(operands, name)
    emitter = _Emitter(backend)
    terms = [aligned(o, axes, emitter) if o.vectorized else Term(o, o.ttype, emitter) for o in operands]
    out = BATCH[name](terms, [bool(o.vectorized) for o in operands], **attrs)
    sizes = tuple(size for _, size in axes)
    results = []
    for term, ttype in zip(out if isinstance(out, tuple) else (out,), out_types):
        data = algebra.reshape(term, sizes + ttype.shape).value
        results.append(Tensor(data.data, ttype, data.backend, axes))
    return tuple(results)
