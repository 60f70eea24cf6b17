"""Shape nx ops: they move or repeat elements without computing on them. Each is one declaration: its type rule,
NumPy rule, VJP and lowering (one StableHLO op, pad aside). A VJP moves the cotangent back the way the op moved the
elements (the transpose of a linear map), summing where the op repeated an element."""
import math

import numpy as np

from numerix.dialect import ir as nxir
from numerix.dialect.errors import NxShapeError, NxTypeError, NxValueError
from . import algebra as alg, batching, dtypes
from .identities import identity_permutation, unchanged
from .lower_shape import pad
from .rules import define
from .schema import TensorType, check_axes, merge_names


def _out(b, node):
    """The storage type of the op's result."""
    return b.tensor(node.out[0].shape, node.out[0].type)


# ---- broadcast ----

def _infer_broadcast(types, shape, axes):
    """Nx's broadcast (StableHLO's broadcast_in_dim): operand axis i becomes result axis axes[i]."""
    (x,) = types
    if len(axes) != len(x.shape):
        raise NxShapeError(f"needs one target axis per operand axis: operand {x}, axes {list(axes)}", op="broadcast")
    check_axes("broadcast", axes, len(shape))
    if list(axes) != sorted(axes):
        raise NxValueError(f"axes {list(axes)} must increase", op="broadcast")
    names = [None] * len(shape)
    for i, a in enumerate(axes):
        if x.shape[i] not in (1, shape[a]):
            raise NxShapeError(f"cannot broadcast {x} to shape {list(shape)} (axis {i} -> {a})", op="broadcast")
        names[a] = x.names[i]
    return TensorType(tuple(shape), x.type, tuple(names))


def _numpy_broadcast(x, shape, axes):
    expanded = x.reshape([x.shape[axes.index(a)] if a in axes else 1 for a in range(len(shape))])
    return np.broadcast_to(expanded, shape)


def _vjp_broadcast(cotangents, operands, results, shape, axes):
    (g,), (x,) = cotangents, operands
    # Sum over the new axes and over the size-1 axes that were repeated, then drop the new ones.
    repeated = [a for a in range(len(shape)) if a not in axes] + [
        a for i, a in enumerate(axes) if x.shape[i] == 1 and shape[a] != 1]
    if repeated:
        g = alg.apply("sum", [g], axes=tuple(sorted(repeated)), keep_axes=True)
    return [alg.apply("reshape", [g], shape=x.shape, names=x.names)]


def _lower_broadcast(b, node):
    return b.emit("stablehlo.broadcast_in_dim", node.args, _out(b, node),
                  broadcast_dimensions=nxir.ints(node.attrs["axes"]))


def _batch_broadcast(operands, batched, shape, axes):
    (x,) = operands
    return alg.apply("broadcast", [x], shape=x.shape[:1] + shape, axes=(0,) + batching.shift(axes))


define("broadcast", 1, _infer_broadcast, attrs={"shape": "shape", "axes": "ints"}, numpy=_numpy_broadcast,
       vjp=_vjp_broadcast, lower=_lower_broadcast, fold=unchanged, batch=_batch_broadcast)


# ---- reshape ----

def _infer_reshape(types, shape, names):
    (x,) = types
    if math.prod(shape) != math.prod(x.shape):
        raise NxShapeError(f"cannot reshape {x} ({math.prod(x.shape)} elements) to shape {list(shape)}",
                           op="reshape")
    if len(names) != len(shape):
        raise NxValueError(f"{len(names)} names for rank {len(shape)}", op="reshape")
    return TensorType(tuple(shape), x.type, names)


def _numpy_reshape(x, shape, names):
    return x.reshape(shape)


def _vjp_reshape(cotangents, operands, results, shape, names):
    (g,), (x,) = cotangents, operands
    return [alg.apply("reshape", [g], shape=x.shape, names=x.names)]


def _lower_reshape(b, node):
    return b.emit("stablehlo.reshape", node.args, _out(b, node))


def _batch_reshape(operands, batched, shape, names):
    (x,) = operands
    return alg.apply("reshape", [x], shape=x.shape[:1] + shape, names=(None,) + names)


define("reshape", 1, _infer_reshape, attrs={"shape": "shape", "names": "names"}, numpy=_numpy_reshape,
       vjp=_vjp_reshape, lower=_lower_reshape, fold=unchanged, batch=_batch_reshape)


# ---- transpose ----

def _infer_transpose(types, axes):
    (x,) = types
    if sorted(axes) != list(range(len(x.shape))):
        raise NxValueError(f"axes {list(axes)} are not a permutation of the axes of {x}", op="transpose")
    return TensorType(tuple(x.shape[a] for a in axes), x.type, tuple(x.names[a] for a in axes))


def _numpy_transpose(x, axes):
    return np.transpose(x, axes)


def _vjp_transpose(cotangents, operands, results, axes):
    inverse = tuple(sorted(range(len(axes)), key=lambda i: axes[i]))
    return [alg.apply("transpose", [cotangents[0]], axes=inverse)]


def _lower_transpose(b, node):
    return b.emit("stablehlo.transpose", node.args, _out(b, node), permutation=nxir.ints(node.attrs["axes"]))


define("transpose", 1, _infer_transpose, attrs={"axes": "ints"}, numpy=_numpy_transpose, vjp=_vjp_transpose,
       lower=_lower_transpose, fold=identity_permutation,
       batch=lambda operands, batched, axes: alg.transpose(operands[0], (0,) + batching.shift(axes)))


# ---- reverse ----

def _infer_reverse(types, axes):
    (x,) = types
    check_axes("reverse", axes, len(x.shape))
    return x


def _numpy_reverse(x, axes):
    return x[tuple(slice(None, None, -1) if a in axes else slice(None) for a in range(x.ndim))]


def _vjp_reverse(cotangents, operands, results, axes):
    return [alg.apply("reverse", [cotangents[0]], axes=axes)]


def _lower_reverse(b, node):
    return b.emit("stablehlo.reverse", node.args, _out(b, node), dimensions=nxir.ints(node.attrs["axes"]))


define("reverse", 1, _infer_reverse, attrs={"axes": "ints"}, numpy=_numpy_reverse, vjp=_vjp_reverse,
       lower=_lower_reverse, batch=batching.along_axes("reverse", "axes"))


# ---- concatenate ----

def _infer_concatenate(types, axis):
    first = types[0]
    rank = len(first.shape)
    if not 0 <= axis < rank:
        raise NxValueError(f"axis {axis} is out of range for {first} (rank {rank})", op="concatenate")
    for t in types[1:]:
        if t.type != first.type:
            raise NxTypeError(f"operands must have equal types, got {', '.join(str(t) for t in types)}",
                              op="concatenate")
        if len(t.shape) != rank or any(a != b for i, (a, b) in enumerate(zip(t.shape, first.shape)) if i != axis):
            raise NxShapeError(f"operands must have equal shapes except on axis {axis}, got "
                               f"{', '.join(str(t) for t in types)}", op="concatenate")
    shape = list(first.shape)
    shape[axis] = sum(t.shape[axis] for t in types)
    return TensorType(tuple(shape), first.type, merge_names("concatenate", *(t.names for t in types)))


def _numpy_concatenate(*arrays, axis):
    return np.concatenate(arrays, axis=axis)


def _vjp_concatenate(cotangents, operands, results, axis):
    (g,) = cotangents
    pieces, start = [], 0
    for x in operands:
        starts = tuple(start if a == axis else 0 for a in range(g.ndim))
        limits = tuple(start + x.shape[a] if a == axis else d for a, d in enumerate(g.shape))
        pieces.append(alg.apply("slice", [g], start_indices=starts, limit_indices=limits, strides=(1,) * g.ndim))
        start += x.shape[axis]
    return pieces


def _lower_concatenate(b, node):
    return b.emit("stablehlo.concatenate", node.args, _out(b, node), dimension=nxir.attr("int", node.attrs["axis"]))


define("concatenate", None, _infer_concatenate, attrs={"axis": "int"}, numpy=_numpy_concatenate,
       vjp=_vjp_concatenate, lower=_lower_concatenate, batch=batching.along_axes("concatenate", "axis"))


# ---- slice ----

def _infer_slice(types, start_indices, limit_indices, strides):
    """StableHLO's slice: elements start, start + stride, ... below limit, per axis; all static."""
    (x,) = types
    rank = len(x.shape)
    if not len(start_indices) == len(limit_indices) == len(strides) == rank:
        raise NxValueError(f"needs one start, limit and stride per axis of {x}, got starts {list(start_indices)}, "
                           f"limits {list(limit_indices)}, strides {list(strides)}", op="slice")
    shape = []
    for axis, (start, limit, stride, dim) in enumerate(zip(start_indices, limit_indices, strides, x.shape)):
        if not 0 <= start <= limit <= dim or stride < 1:
            raise NxValueError(f"axis {axis} of {x}: expects 0 <= start <= limit <= {dim} and stride >= 1, got "
                               f"start {start}, limit {limit}, stride {stride}", op="slice")
        shape.append(-(-(limit - start) // stride))
    return TensorType(tuple(shape), x.type, x.names)


def _numpy_slice(x, start_indices, limit_indices, strides):
    return x[tuple(slice(s, l, st) for s, l, st in zip(start_indices, limit_indices, strides))]


def _vjp_slice(cotangents, operands, results, start_indices, limit_indices, strides):
    # Zeros around the taken elements and between strided ones: a pad of the cotangent.
    (g,), (x,) = cotangents, operands
    pads = tuple((start, dim - start - max(n - 1, 0) * stride - min(n, 1), stride - 1)
                 for start, stride, n, dim in zip(start_indices, strides, g.shape, x.shape))
    return [alg.apply("pad", [g, alg.scalar(g, 0)], pads=pads)]


def _lower_slice(b, node):
    return b.emit("stablehlo.slice", node.args, _out(b, node),
                  start_indices=nxir.ints(node.attrs["start_indices"]),
                  limit_indices=nxir.ints(node.attrs["limit_indices"]),
                  strides=nxir.ints(node.attrs["strides"]))


def _batch_slice(operands, batched, start_indices, limit_indices, strides):
    (x,) = operands
    return alg.apply("slice", [x], start_indices=(0,) + start_indices, limit_indices=x.shape[:1] + limit_indices,
                     strides=(1,) + strides)


define("slice", 1, _infer_slice, attrs={"start_indices": "ints", "limit_indices": "ints", "strides": "ints"},
       numpy=_numpy_slice, vjp=_vjp_slice, lower=_lower_slice, batch=_batch_slice)


# ---- pad ----

def _infer_pad(types, pads):
    """StableHLO's pad: per axis (low, high, interior); low and high may be negative (they then cut)."""
    x, value = types
    if value.shape != () or value.type != x.type:
        raise NxTypeError(f"the pad value must be a scalar of the operand's type, got {value} for {x}", op="pad")
    if len(pads) != len(x.shape):
        raise NxValueError(f"needs one (low, high, interior) per axis of {x}, got {list(pads)}", op="pad")
    shape = []
    for axis, ((low, high, interior), dim) in enumerate(zip(pads, x.shape)):
        size = low + high + dim + max(dim - 1, 0) * interior
        if interior < 0 or size < 0:
            raise NxValueError(f"axis {axis} of {x}: padding ({low}, {high}, {interior}) needs interior >= 0 and "
                               f"leaves size {size}", op="pad")
        shape.append(size)
    return TensorType(tuple(shape), x.type, x.names)


def _numpy_pad(x, value, pads):
    # Interior and positive edge padding first (into a filled array), then negative edges cut.
    grown = [max(low, 0) + max(high, 0) + d + max(d - 1, 0) * interior for (low, high, interior), d in
             zip(pads, x.shape)]
    out = np.full(grown, value, dtype=x.dtype)
    out[tuple(slice(max(low, 0), max(low, 0) + max(d * (interior + 1) - interior, 0), interior + 1)
              for (low, _, interior), d in zip(pads, x.shape))] = x
    return out[tuple(slice(-min(low, 0), g + min(high, 0)) for (low, high, _), g in zip(pads, grown))]


def _vjp_pad(cotangents, operands, results, pads):
    # JAX's transpose of pad: undo the edges (a negative pad cuts, a positive one restores what a negative edge
    # cut, as zeros), then take every (interior + 1)-th element. The pad value received every other element.
    (g,) = cotangents
    unpadded = alg.apply("pad", [g, alg.scalar(g, 0)], pads=tuple((-low, -high, 0) for low, high, _ in pads))
    x_cotangent = alg.apply("slice", [unpadded], start_indices=(0,) * len(pads), limit_indices=unpadded.shape,
                            strides=tuple(interior + 1 for _, _, interior in pads))
    value_cotangent = alg.sum(g) - alg.sum(x_cotangent)
    return [x_cotangent, value_cotangent]


def _lower_pad(b, node):
    x, fill = node.args
    return pad(b, x, fill, node.attrs["pads"], node.types[0].type)


def _batch_pad(operands, batched, pads):
    x, value = operands
    size = batching.batch_size(operands, batched)
    x = x if batched[0] else batching.with_batch(x, size)
    pads = ((0, 0, 0),) + pads
    if not batched[1]:
        return alg.apply("pad", [x, value], pads=pads)
    # A value per example: pad with zeros, then put each example's value where a padded mask says so.
    padded = alg.apply("pad", [x, alg.scalar(x, 0)], pads=pads)
    inside = alg.apply("pad", [alg.full_like(x, True, dtypes.bool_), alg.scalar(x, False, dtypes.bool_)], pads=pads)
    return alg.select(inside, padded, alg.apply("broadcast", [value], shape=padded.shape, axes=(0,)))


define("pad", 2, _infer_pad, attrs={"pads": "pads"}, numpy=_numpy_pad, vjp=_vjp_pad, lower=_lower_pad,
       batch=_batch_pad)
