"""VJP rules of the shape nx ops: each moves the cotangent back the way the op moved the elements (the transpose of
a linear map), summing where the op repeated an element."""
from . import algebra as alg

from .rules import vjp_rule


def zero_scalar(like):
    """A rank-0 zero of like's type (the fill of pads)."""
    return alg.scalar(like, 0)


@vjp_rule("broadcast")
def _broadcast(cotangents, operands, results, shape, axes):
    (g,), (x,) = cotangents, operands
    # Sum over the new axes and over the size-1 axes that were repeated, then drop the new ones.
    repeated = [a for a in range(len(shape)) if a not in axes] + [
        a for i, a in enumerate(axes) if x.shape[i] == 1 and shape[a] != 1]
    if repeated:
        g = alg.apply("sum", [g], axes=tuple(sorted(repeated)), keep_axes=True)
    return [alg.apply("reshape", [g], shape=x.shape, names=x.names)]


@vjp_rule("reshape")
def _reshape(cotangents, operands, results, shape, names):
    (g,), (x,) = cotangents, operands
    return [alg.apply("reshape", [g], shape=x.shape, names=x.names)]


@vjp_rule("transpose")
def _transpose(cotangents, operands, results, axes):
    inverse = tuple(sorted(range(len(axes)), key=lambda i: axes[i]))
    return [alg.apply("transpose", [cotangents[0]], axes=inverse)]


@vjp_rule("slice")
def _slice(cotangents, operands, results, start_indices, limit_indices, strides):
    # Zeros around the taken elements and between strided ones: a pad of the cotangent.
    (g,), (x,) = cotangents, operands
    pads = tuple((start, dim - start - max(n - 1, 0) * stride - min(n, 1), stride - 1)
                 for start, stride, n, dim in zip(start_indices, strides, g.shape, x.shape))
    return [alg.apply("pad", [g, zero_scalar(g)], pads=pads)]


@vjp_rule("pad")
def _pad(cotangents, operands, results, pads):
    # JAX's transpose of pad: undo the edges (a negative pad cuts, a positive one restores what a negative edge
    # cut, as zeros), then take every (interior + 1)-th element. The pad value received every other element.
    (g,) = cotangents
    unpadded = alg.apply("pad", [g, zero_scalar(g)], pads=tuple((-low, -high, 0) for low, high, _ in pads))
    x_cotangent = alg.apply("slice", [unpadded], start_indices=(0,) * len(pads), limit_indices=unpadded.shape,
                        strides=tuple(interior + 1 for _, _, interior in pads))
    value_cotangent = alg.sum(g) - alg.sum(x_cotangent)
    return [x_cotangent, value_cotangent]


@vjp_rule("concatenate")
def _concatenate(cotangents, operands, results, axis):
    (g,) = cotangents
    pieces, start = [], 0
    for x in operands:
        starts = tuple(start if a == axis else 0 for a in range(g.ndim))
        limits = tuple(start + x.shape[a] if a == axis else d for a, d in enumerate(g.shape))
        pieces.append(alg.apply("slice", [g], start_indices=starts, limit_indices=limits, strides=(1,) * g.ndim))
        start += x.shape[axis]
    return pieces


@vjp_rule("reverse")
def _reverse(cotangents, operands, results, axes):
    return [alg.apply("reverse", [cotangents[0]], axes=axes)]


def _start_vector(starts):
    """The rank-0 start operands of put_slice as one index vector."""
    return alg.apply("concatenate", [alg.reshape(s, (1,)) for s in starts], axis=0)


@vjp_rule("put_slice")
def _put_slice(cotangents, operands, results):
    # The operand gets the cotangent with the written window zeroed; the update gets that window, read by a gather
    # that clamps its start the way put_slice does.
    (g,), (x, update, *starts) = cotangents, operands
    x_cotangent = alg.apply("put_slice", [g, alg.zeros_like(update), *starts])
    if not starts:  # a rank-0 operand: the update replaces it whole
        return [x_cotangent, g, *[None] * len(starts)]
    rank = x.ndim
    window = alg.apply("gather", [g, _start_vector(starts)], offset_dims=tuple(range(rank)), collapsed_slice_dims=(),
                   start_index_map=tuple(range(rank)), index_vector_dim=0, slice_sizes=update.shape)
    return [x_cotangent, window, *[None] * len(starts)]


@vjp_rule("gather")
def _gather(cotangents, operands, results, **dims):
    # Each element read goes back to where it was read from; elements read several times sum their cotangents.
    (g,), (x, indices) = cotangents, operands
    return [alg.apply("scatter_add", [alg.zeros_like(x), indices, g], **dims), None]


@vjp_rule("scatter_add")
def _scatter_add(cotangents, operands, results, **dims):
    (g,), (_, indices, _) = cotangents, operands
    return [g, None, alg.apply("gather", [g, indices], **dims)]
