"""Batching rules: how an op maps over a leading batch axis (JAX's batching rules). The nx-batch pass (nx.vmap) and
vectorized tensors (nx.vectorize) both run them, through any emitter of dialect/algebra.py.

A rule is `BATCH[name](operands, batched, **attrs) -> Term or tuple of Terms`. `operands` are Terms, and those
flagged in `batched` carry a leading batch axis, all of one size; `attrs` are the op's own, written for the operands
without it. Every result carries the batch axis first. An op none of whose operands is batched never reaches its
rule: it runs as it is. This module declares no op; it gives the rules that many ops share, and the families pass
them to `define(..., batch=...)`."""
from . import algebra


def batch_size(operands, batched):
    return next(x.shape[0] for x, b in zip(operands, batched) if b)


def with_batch(x, size):
    """x with a leading batch axis of `size`, the same for every entry."""
    return algebra.broadcast_to(x, (size,) + x.shape)


def all_batched(operands, batched, size=None):
    """Every operand with the batch axis (the unbatched ones broadcast along it to `size`, by default the batched
    operands')."""
    size = batch_size(operands, batched) if size is None else size
    return [x if b else with_batch(x, size) for x, b in zip(operands, batched)]


def shift(axes):
    return tuple(a + 1 for a in axes)


def mapped(name):
    """The rule of an op that maps over its operands' leading axes already (elementwise ops, and those that work on
    the trailing axes: matrices, FFTs, top_k): the same op, on every operand batched."""
    def rule(operands, batched, **attrs):
        return algebra.apply(name, all_batched(operands, batched), **attrs)
    return rule


def along_axes(name, key):
    """The rule of an op whose attribute `key` names operand axes (an int, or a tuple of ints): they move by one."""
    def rule(operands, batched, **attrs):
        value = attrs[key]
        attrs[key] = shift(value) if isinstance(value, tuple) else value + 1
        return algebra.apply(name, all_batched(operands, batched), **attrs)
    return rule


def move_axis(x, source, destination):
    """x with axis `source` moved to `destination`, the others in order."""
    order = [a for a in range(x.ndim) if a != source]
    order.insert(destination, source)
    return algebra.transpose(x, order)
