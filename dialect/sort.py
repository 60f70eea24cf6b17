"""The sorting nx ops (sort, argsort, top_k), each declared once with its type rule, NumPy rule, VJP and lowering
(a stablehlo.sort with an iota operand for the indices: lower_reduction.py's `sort`).

Sorts are stable and follow NumPy's total order: NaN above +inf, so last ascending and first descending; -0.0 equals
0.0. Equal elements keep their order either way."""
import numpy as np

from numerix.dialect import dtypes
from numerix.dialect import ir as nxir
from numerix.dialect.errors import NxValueError
from . import algebra as alg, batching
from .lower_reduction import from_key, order_key, sort
from .reduction import along_axis
from .rules import define, widen_half
from .schema import TensorType, require


def _stable_argsort(x, axis, descending):
    if not descending:
        return np.argsort(x, axis=axis, kind="stable")
    # Sorting the reversed axis ascending and reading it backwards gives descending order in which equal elements
    # keep their original order (and NaNs, NumPy's largest, come first).
    n = x.shape[axis]
    return n - 1 - np.flip(np.argsort(np.flip(x, axis), axis=axis, kind="stable"), axis)


def _scatter_along_axis(x, indices, updates, axis):
    """Zeros like x with `updates` added at `indices` along `axis` (the transpose of take_along_axis): each
    element's full index is its own position with `axis` replaced by its entry of `indices`."""
    rank = x.ndim
    column = indices.shape + (1,)
    parts = [indices if a == axis else alg.iota(indices, indices.shape, a, indices.type) for a in range(rank)]
    full = alg.apply("concatenate", [alg.reshape(p, column) for p in parts], axis=rank)
    everything = tuple(range(rank))
    return alg.apply("scatter_add", [alg.zeros_like(x), full, updates], offset_dims=(), collapsed_slice_dims=everything,
                     start_index_map=everything, index_vector_dim=rank, slice_sizes=(1,) * rank)


# ---- sort: the values sorted along `axis` ----

@widen_half
def _numpy_sort(x, axis, descending):
    if not descending:
        return np.sort(x, axis=axis, kind="stable")
    # Not the ascending sort reversed: that would swap equal but distinguishable elements such as -0.0 and 0.0.
    return np.take_along_axis(x, _stable_argsort(x, axis, descending), axis)


def _vjp_sort(cotangents, operands, results, axis, descending):
    # Each sorted element's cotangent goes back to where it came from (argsort orders equal elements as sort does).
    (g,), (x,) = cotangents, operands
    order = alg.apply("argsort", [x], axis=axis, descending=descending)
    return [_scatter_along_axis(x, order, g, axis)]


def _lower_sort(b, node):
    dtype = node.types[0].type
    key, key_type = order_key(b, node.args[0], dtype)
    return from_key(b, sort(b, key, key_type, node.attrs["axis"], node.attrs["descending"])[0], dtype)


define("sort", 1, along_axis("sort", "real"), attrs={"axis": "int", "descending": "bool"}, numpy=_numpy_sort,
       vjp=_vjp_sort, lower=_lower_sort, batch=batching.along_axes("sort", "axis"))


# ---- argsort: the s64 indices that sort along `axis` ----

@widen_half
def _numpy_argsort(x, axis, descending):
    return _stable_argsort(x, axis, descending)


def _lower_argsort(b, node):
    key, key_type = order_key(b, node.args[0], node.types[0].type)
    return sort(b, key, key_type, node.attrs["axis"], node.attrs["descending"])[1]


define("argsort", 1, along_axis("argsort", "real", dtypes.s64), attrs={"axis": "int", "descending": "bool"},
       differentiable=False, numpy=_numpy_argsort, lower=_lower_argsort, batch=batching.along_axes("argsort", "axis"))


# ---- top_k: Nx's, the k largest elements along the last axis, largest first (ties: lower index first), and their
# s64 indices ----

def _infer_top_k(types, k):
    (x,) = types
    require("top_k", x, "real")
    if not x.shape:
        raise NxValueError(f"needs a tensor of rank 1 or more, got {x}", op="top_k")
    if not 0 <= k <= x.shape[-1]:
        raise NxValueError(f"k={k} is out of range for the last axis of {x} (0 to {x.shape[-1]})", op="top_k")
    values = TensorType(x.shape[:-1] + (k,), x.type, x.names)
    return values, values._replace(type=dtypes.s64)


@widen_half
def _numpy_top_k(x, k):
    indices = _stable_argsort(x, -1, descending=True)[..., :k]
    return np.take_along_axis(x, indices, -1), indices


def _vjp_top_k(cotangents, operands, results, k):
    (g, _), (x,), (_, indices) = cotangents, operands, results
    if g is None:
        return [None]
    return [_scatter_along_axis(x, indices, g, x.ndim - 1)]


def _lower_top_k(b, node):
    """The k first of a stable descending sort along the last axis."""
    dtype = node.types[0].type
    key, key_type = order_key(b, node.args[0], dtype)
    axis = len(b.shape(node.args[0])) - 1
    # (The barrier that `sort` ends with also keeps IREE from turning sort-then-slice into chlo.top_k: s32 indices,
    # other ties and NaN order.)
    sorted_key, indices = sort(b, key, key_type, axis, descending=True)
    values = from_key(b, sorted_key, dtype)
    values_type, indices_type = node.out
    limits = list(values_type.shape)
    zeros, ones = [0] * len(limits), [1] * len(limits)
    return [b.emit("stablehlo.slice", [v], b.tensor(limits, t.type), start_indices=nxir.ints(zeros),
                   limit_indices=nxir.ints(limits), strides=nxir.ints(ones))
            for v, t in ((values, values_type), (indices, indices_type))]


define("top_k", 1, _infer_top_k, attrs={"k": "int"}, results=2, numpy=_numpy_top_k, vjp=_vjp_top_k,
       lower=_lower_top_k, batch=batching.mapped("top_k"))
