"""NumPy rules for the shape nx ops."""
import numpy as np

from .rules import numpy_rule


@numpy_rule("broadcast")
def _broadcast(x, shape, axes):
    expanded = x.reshape([x.shape[axes.index(a)] if a in axes else 1 for a in range(len(shape))])
    return np.broadcast_to(expanded, shape)


@numpy_rule("reshape")
def _reshape(x, shape, names):
    return x.reshape(shape)


@numpy_rule("transpose")
def _transpose(x, axes):
    return np.transpose(x, axes)


@numpy_rule("slice")
def _slice(x, start_indices, limit_indices, strides):
    return x[tuple(slice(s, l, st) for s, l, st in zip(start_indices, limit_indices, strides))]


@numpy_rule("put_slice")
def _put_slice(x, update, *starts):
    out = x.copy()
    starts = [min(max(int(s), 0), d - u) for s, d, u in zip(starts, x.shape, update.shape)]
    out[tuple(slice(s, s + u) for s, u in zip(starts, update.shape))] = update
    return out


@numpy_rule("pad")
def _pad(x, value, pads):
    # Interior and positive edge padding first (into a filled array), then negative edges cut.
    grown = [max(low, 0) + max(high, 0) + d + max(d - 1, 0) * interior for (low, high, interior), d in
             zip(pads, x.shape)]
    out = np.full(grown, value, dtype=x.dtype)
    out[tuple(slice(max(low, 0), max(low, 0) + max(d * (interior + 1) - interior, 0), interior + 1)
              for (low, _, interior), d in zip(pads, x.shape))] = x
    return out[tuple(slice(-min(low, 0), g + min(high, 0)) for (low, high, _), g in zip(pads, grown))]


@numpy_rule("concatenate")
def _concatenate(*arrays, axis):
    return np.concatenate(arrays, axis=axis)


@numpy_rule("reverse")
def _reverse(x, axes):
    return x[tuple(slice(None, None, -1) if a in axes else slice(None) for a in range(x.ndim))]


@numpy_rule("gather")
def _gather(x, indices, offset_dims, collapsed_slice_dims, start_index_map, index_vector_dim, slice_sizes):
    if index_vector_dim == indices.ndim:
        indices = indices[..., None]
    vectors = np.moveaxis(indices.astype(np.int64), index_vector_dim, -1)
    batch_shape = vectors.shape[:-1]
    starts = np.zeros(batch_shape + (x.ndim,), np.int64)
    for k, axis in enumerate(start_index_map):
        starts[..., axis] = vectors[..., k]
    starts = np.clip(starts, 0, np.array(x.shape, np.int64) - np.array(slice_sizes, np.int64))
    # One index array per operand axis over the layout (batch axes..., offset axes...), then the batch axes are
    # moved to where the result has them.
    offset_axes = [a for a in range(x.ndim) if a not in collapsed_slice_dims]
    layout_rank = len(batch_shape) + len(offset_axes)
    index_arrays = []
    for axis in range(x.ndim):
        index = starts[..., axis].reshape(batch_shape + (1,) * len(offset_axes))
        if axis in offset_axes:
            position = [1] * layout_rank
            position[len(batch_shape) + offset_axes.index(axis)] = slice_sizes[axis]
            index = index + np.arange(slice_sizes[axis]).reshape(position)
        index_arrays.append(index)
    layout_shape = batch_shape + tuple(slice_sizes[a] for a in offset_axes)
    gathered = x[tuple(np.broadcast_to(i, layout_shape) for i in index_arrays)] if x.ndim else np.broadcast_to(
        x, layout_shape)
    batch_dims = [a for a in range(layout_rank) if a not in offset_dims]
    order = [None] * layout_rank
    for k, a in enumerate(batch_dims):
        order[a] = k
    for k, a in enumerate(offset_dims):
        order[a] = len(batch_shape) + k
    return np.transpose(gathered, order)
