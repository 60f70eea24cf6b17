"""Nx's documentation examples that use vectorized tensors (nx.ex, lin_alg.ex), as numerix calls with Nx's printed
results: the vectorized axes, the inner shape, the type and the values, eagerly and under defn on IREE and on the
evaluator (one compile each for the whole table). Nx's s32 results are s64 here and its u8 predicates bool
(docs/coming-from-nx.md); Nx's eye is s32 by default, numerix's f32, so the examples pass type="s64"."""
from collections import namedtuple

import numpy as np
import pytest

import numerix as nx
from conftest import assert_close, everywhere
from numerix.dialect.errors import NxShapeError, NxValueError

Expect = namedtuple("Expect", "axes shape type values")
V, T = nx.vectorize, nx.tensor


def s64(axes, shape, values):
    return Expect(axes, shape, nx.s64, values)


def f32(axes, shape, values):
    return Expect(axes, shape, nx.f32, values)


X2, X3 = (("x", 2),), (("x", 3),)
XY = (("x", 2), ("y", 2))
SUMMED = V(V(T([[[[1, 2]], [[3, 4]]], [[[5, 6]], [[7, 8]]]]), "x"), "y")
WINDOWED = V(V(nx.iota((2, 1, 2, 5)), "x"), "y")
WINDOW_OPTIONS = dict(strides=[1, 2], window_dilations=[1, 2])
SOURCE = V(T([[[2, 6]], [[3, 1]]]), "y")
CUMULATED = V(T([[2, 3, 1], [1, 3, 2], [2, 1, 3]]), "x")
INDEXED, INDICES = V(T([[0, 10], [10, 20]]), "x"), V(T([[[0], [0]], [[0], [1]], [[1], [1]]]), "y")
GATHERED = V(T([[[1, 2], [11, 12]], [[101, 102], [111, 112]]]), "x")
SPECTRUM = V(T([[1, 1, 0, 0, 2, 3], [1, 0, 0, 0, 2, 3]]), "x")
TRIANGULAR, RIGHT = V(T([[[1, 1], [0, 1]], [[2, 0], [0, 2]]]), x=2), V(T([[[2, 1], [5, -1]]]), x=1, y=2)
SOLVED = [[[1.0, 1.0], [6.0, -1.0]], [[1.0, 0.5], [2.5, -0.5]]]
HERMITIAN = V(T([[[2, 5], [5, 6]], [[1, 0], [0, 4]]]), x=2)
SQUARES = V(T([[[9, 8, 7], [6, 5, 4], [3, 2, 1]], [[-1, 0, -1], [1, 0, 1], [1, 1, 1]]]), x=2)
UPPER = T([[[-3, 2, 1], [0, 1, 1], [0, 0, -1]], [[3, 2, 1], [0, 1, 1], [0, 0, 1]]])


def eigh_rebuilt(t):
    """Nx lists the eigenvalues unsorted ([9, -1]); numerix sorts them ascending (LAPACK, the array API), so the
    check is the rounded values and V diag(w) V^T rebuilding the input."""
    w, v = nx.linalg.eigh(t)
    return nx.round(w), nx.dot(v * nx.new_axis(w, 0), nx.transpose(v))


def lu_parts(t):
    """Nx's second matrix exactly, and P L U rebuilding both: numerix pivots at every step (docs/coming-from-nx.md),
    which for Nx's first matrix swaps the last two rows where Nx does not."""
    p, lower, upper = nx.linalg.lu(t)
    second = [nx.devectorize(part)[1] for part in (p, lower, upper)]
    return (*second, nx.dot(nx.dot(nx.as_type(p, nx.f32), lower), upper))


# (name, function, tensor operands, Expect or a tuple of them for a tuple result)
EXAMPLES = [
    ("iota", lambda: nx.iota((2, 3), axis=0, vectorized_axes=[("x", 1), ("y", 2)]), [],
     s64((("x", 1), ("y", 2)), (2, 3), [[[[0, 0, 0], [1, 1, 1]], [[0, 0, 0], [1, 1, 1]]]])),
    ("eye of a vector shape", lambda: nx.eye((3,), type="s64", vectorized_axes=[("x", 1), ("y", 2)]), [],
     s64((("x", 1), ("y", 2)), (3,), [[[1, 0, 0], [1, 0, 0]]])),
    ("eye", lambda: nx.eye((2, 3), type="s64", vectorized_axes={"x": 2}), [],
     s64(X2, (2, 3), [[[1, 0, 0], [0, 1, 0]]] * 2)),
    ("make_diagonal", lambda t: (nx.make_diagonal(t, offset=1), nx.make_diagonal(t, offset=-1)),
     [V(T([[1, 2], [3, 4]]), "x")],
     (s64(X2, (3, 3), [[[0, 1, 0], [0, 0, 2], [0, 0, 0]], [[0, 3, 0], [0, 0, 4], [0, 0, 0]]]),
      s64(X2, (3, 3), [[[0, 0, 0], [1, 0, 0], [0, 2, 0]], [[0, 0, 0], [3, 0, 0], [0, 4, 0]]]))),
    ("bitcast", lambda t: nx.bitcast(t, "u8"), [V(T([[0, -1], [1, -2], [2, -3]], type="s8"), "x")],
     Expect(X3, (2,), nx.u8, [[0, 255], [1, 254], [2, 253]])),
    ("reshape", lambda t: nx.reshape(t, (3, 2)), [V(T([[[1, 2, 3], [4, 5, 6]]]), "x")],
     s64((("x", 1),), (3, 2), [[[1, 2], [3, 4], [5, 6]]])),
    ("rename", lambda t: nx.rename(t, ["a"]), [V(T([[1], [2], [3]], names=[None, "y"]), "x")],
     s64(X3, (1,), [[1], [2], [3]])),
    ("flatten", nx.flatten, [V(V(nx.iota((1, 3, 2, 2)), "x"), "y")],
     s64((("x", 1), ("y", 3)), (4,), [[[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]])),
    ("tile", lambda t: nx.tile(t, [1, 3, 1]), [V(T([[1, 2, 3], [4, 5, 6]]), "x")],
     s64(X2, (1, 3, 3), [[[[1, 2, 3]] * 3], [[[4, 5, 6]] * 3]])),
    ("new_axis", lambda t: nx.new_axis(nx.new_axis(t, -1, "new"), 0), [V(T([1]), "x")],
     s64((("x", 1),), (1, 1), [[[1]]])),
    ("squeeze", lambda t: (nx.squeeze(t), nx.squeeze(t, axes=[0, 1])), [V(T([[[[[1], [2], [3]]]]]), "x")],
     (s64((("x", 1),), (3,), [[1, 2, 3]]), s64((("x", 1),), (3, 1), [[[1], [2], [3]]]))),
    ("broadcast", lambda t: nx.broadcast(t, (2, 3)), [V(T([[[1, 2, 3]], [[4, 5, 6]]]), "x")],
     s64(X2, (2, 3), [[[1, 2, 3]] * 2, [[4, 5, 6]] * 2])),
    # Nx takes the shape from a tensor b of inner shape {2, 3}; numerix takes shapes as ints only.
    ("broadcast with axes", lambda t: nx.broadcast(t, (2, 3), axes=[1], names=["i", "j"]),
     [V(T([[1, 2, 3], [4, 5, 6]]), "x")], s64(X2, (2, 3), [[[1, 2, 3]] * 2, [[4, 5, 6]] * 2])),
    ("pad", lambda t: nx.pad(t, 0, [(1, 1, 0)]), [V(T([[1], [2], [3]], names=[None, "data"]), "x")],
     s64(X3, (3,), [[0, 1, 0], [0, 2, 0], [0, 3, 0]])),
    ("vectorize twice", lambda t: V(V(t, "first"), "second"), [nx.iota((2, 3))],
     s64((("first", 2), ("second", 3)), (), [[0, 1, 2], [3, 4, 5]])),
    ("add", lambda t: nx.add(t, T([0, 1])), [V(T([4, 3, 2, 1]), "x")],
     s64((("x", 4),), (2,), [[4, 5], [3, 4], [2, 3], [1, 2]])),
    ("devectorize", lambda t: (nx.devectorize(t), nx.devectorize(t, keep_names=False)),
     [V(V(nx.iota((1, 2, 3)), "x"), "y")],
     (s64((), (1, 2, 3), [[[0, 1, 2], [3, 4, 5]]]), s64((), (1, 2, 3), [[[0, 1, 2], [3, 4, 5]]]))),
    ("broadcast_vectors aligned", lambda x, xy: tuple(nx.broadcast_vectors([x, xy], align_ranks=True)),
     [V(T([1, 2]), "x"), V(V(T([[[5]], [[6]]]), "y"), "x")],
     (s64(XY, (1,), [[[1], [1]], [[2], [2]]]), s64(XY, (1,), [[[5], [6]], [[5], [6]]]))),
    ("broadcast_vectors", lambda x, xy: tuple(nx.broadcast_vectors([xy, x])),
     [V(T([1, 2]), "x"), V(V(T([[[5]], [[6]]]), "y"), "x")],
     (s64((("y", 2), ("x", 2)), (1,), [[[5], [5]], [[6], [6]]]), s64((("y", 2), ("x", 2)), (), [[1, 2], [1, 2]]))),
    ("reshape_vectors aligned", lambda y: nx.reshape_vectors([T(1), y], align_ranks=True)[0],
     [V(T([[[1], [1]], [[2], [2]], [[3], [3]]]), "y")], s64((("y", 1),), (1, 1), [[[1]]])),
    ("revectorize", lambda t: nx.revectorize(t, [("temp", "auto"), ("x", 2)], target_shape=(2,)),
     [V(nx.iota((2, 2, 2)), x=2, y=2)], s64((("temp", 2), ("x", 2)), (2,), [[[0, 1], [2, 3]], [[4, 5], [6, 7]]])),
    ("revectorize twice", lambda t: nx.revectorize(
        nx.revectorize(t, [("temp", "auto"), ("x", 2)], target_shape=()), [("new_vec", 2)], target_shape=(1, 4),
        target_names=["x", "last"]), [V(nx.iota((2, 2, 2)), x=2, y=2)],
     s64((("new_vec", 2),), (1, 4), [[[0, 1, 2, 3]], [[4, 5, 6, 7]]])),
    ("select", lambda p, f: nx.select(p, 1, f), [V(T([[0, 1, 0], [1, 1, 0]]), "x"), V(T([2, 3]), "y")],
     s64(XY, (3,), [[[2, 1, 2], [3, 1, 3]], [[1, 1, 2], [1, 1, 3]]])),
    ("select scalar predicate", lambda a, b: nx.select(1, a, b), [V(T([1, 2, 3]), "x"), V(T([4, 5]), "y")],
     s64((("x", 3), ("y", 2)), (), [[1, 1], [2, 2], [3, 3]])),
    ("select size-1 axis", nx.select, [V(T([1, 0, 0]), "x"), V(V(T([[2]]), "x"), "y"), V(T([3, 4]), "y")],
     s64((("x", 3), ("y", 2)), (), [[2, 2], [3, 4], [3, 4]])),
    ("window_scatter_max", lambda t, s: nx.window_scatter_max(t, s, 0, (2, 2), strides=[1, 2], padding="valid"),
     [V(T([[[7, 2, 5, 3], [3, 8, 9, 3]], [[1, 5, 7, 5], [0, 6, 2, 8]]]), "x"), SOURCE],
     s64(XY, (2, 4), [[[[0, 0, 0, 0], [0, 2, 6, 0]], [[0, 0, 0, 0], [0, 3, 1, 0]]],
                      [[[0, 0, 0, 0], [0, 2, 0, 6]], [[0, 0, 0, 0], [0, 3, 0, 1]]]])),
    ("window_scatter_min", lambda t, s: nx.window_scatter_min(t, s, 0, (2, 2), strides=[1, 2], padding="valid"),
     [V(T([[[7, 2, 5, 1], [3, 8, 9, 3]], [[1, 5, 7, 5], [0, 6, 2, 8]]]), "x"), SOURCE],
     s64(XY, (2, 4), [[[[0, 2, 0, 6], [0, 0, 0, 0]], [[0, 3, 0, 1], [0, 0, 0, 0]]],
                      [[[0, 0, 0, 0], [2, 0, 6, 0]], [[0, 0, 0, 0], [3, 0, 1, 0]]]])),
    ("indexed_add", lambda t, i: nx.indexed_add(t, i, T([1, 1])), [INDEXED, INDICES],
     s64((("x", 2), ("y", 3)), (2,), [[[2, 10], [1, 11], [0, 12]], [[12, 20], [11, 21], [10, 22]]])),
    ("indexed_put", lambda t, i: nx.indexed_put(t, i, T([1, 1])), [INDEXED, INDICES],
     s64((("x", 2), ("y", 3)), (2,), [[[1, 10], [1, 1], [0, 1]], [[1, 20], [1, 1], [10, 1]]])),
    ("all", lambda a, b: (nx.all(a, axes=[0], keep_axes=True), nx.all(b)), [V(T([[0, 1], [1, 1]]), "x"),
                                                                           V(T([1, 0]), "x")],
     (Expect(X2, (1,), nx.bool, [[False], [True]]), Expect(X2, (), nx.bool, [True, False]))),
    ("any", lambda t: nx.any(t, axes=[0], keep_axes=True), [V(T([[0, 1], [0, 0]]), "x")],
     Expect(X2, (1,), nx.bool, [[True], [False]])),
    ("all_close", lambda x, y: (nx.all_close(y, y), nx.all_close(x, y)), [V(T([0, 1, 2]), "x"), V(T([0, 1]), "y")],
     (Expect((("y", 2),), (), nx.bool, [True, True]),
      Expect((("x", 3), ("y", 2)), (), nx.bool, [[True, False], [False, True], [False, False]]))),
    ("sum", lambda t: (nx.sum(t), nx.sum(t, axes=[0])), [SUMMED],
     (s64(XY, (), [[3, 7], [11, 15]]), s64(XY, (2,), [[[1, 2], [3, 4]], [[5, 6], [7, 8]]]))),
    ("mean", lambda: tuple(nx.mean(nx.iota((2, 5), vectorized_axes=[("x", 2)]), axes=a) for a in (None, [0], [1])),
     [], (f32(X2, (), [4.5, 4.5]), f32(X2, (5,), [[2.5, 3.5, 4.5, 5.5, 6.5]] * 2), f32(X2, (2,), [[2.0, 7.0]] * 2))),
    ("weighted_mean", nx.weighted_mean, [V(T([[1, 2, 3], [1, 1, 1]]), "x"), V(T([[1, 1, 1], [0, 0, 1]]), "y")],
     f32(XY, (), [[2.0, 3.0], [1.0, 1.0]])),
    ("median", lambda t: nx.median(t, axis=0), [V(T([[1, 2, 3], [4, 5, 6]]), "x")], s64(X2, (), [2, 5])),
    ("mode", lambda t: (nx.mode(t, axis=0), nx.mode(t, axis=1)),
     [V(T([[[1, 2, 2, 3, 5], [1, 1, 76, 8, 1]], [[1, 2, 2, 2, 5], [5, 2, 2, 2, 1]]]), "x")],
     (s64(X2, (5,), [[1, 1, 2, 3, 1], [1, 2, 2, 2, 1]]), s64(X2, (2,), [[2, 1], [2, 2]]))),
    ("product, reduce_max, reduce_min", lambda t: tuple(f(t, axes=[0], keep_axes=True) for f in (
        nx.product, nx.reduce_max, nx.reduce_min)), [V(T([[1, 2], [3, 4]]), "x")],
     (s64(X2, (1,), [[2], [12]]), s64(X2, (1,), [[2], [4]]), s64(X2, (1,), [[1], [3]]))),
    ("argmax, argmin", lambda v: tuple(f(v, **o) for f in (nx.argmax, nx.argmin) for o in (
        {}, {"axis": 0}, {"keep_axis": True})), [V(T([[1, 2, 3], [6, 5, 4]]), "x")],
     (s64(X2, (), [2, 0]), s64(X2, (), [2, 0]), s64(X2, (1,), [[2], [0]]),
      s64(X2, (), [0, 2]), s64(X2, (), [0, 2]), s64(X2, (1,), [[0], [2]]))),
    ("window_sum, _max, _min, _product", lambda t: tuple(f(t, (2, 2), **WINDOW_OPTIONS) for f in (
        nx.window_sum, nx.window_max, nx.window_min, nx.window_product)), [WINDOWED],
     tuple(s64((("x", 2), ("y", 1)), (1, 2), v) for v in (
         [[[[14, 22]]], [[[54, 62]]]], [[[[7, 9]]], [[[17, 19]]]], [[[[0, 2]]], [[[10, 12]]]],
         [[[[0, 504]]], [[[30600, 54264]]]]))),
    ("window_mean", lambda t: nx.window_mean(t, (2, 2), **WINDOW_OPTIONS), [WINDOWED],
     f32((("x", 2), ("y", 1)), (1, 2), [[[[3.5, 5.5]]], [[[13.5, 15.5]]]])),
    ("cumulative_sum, _min, _max", lambda t: tuple(f(t, axis=0) for f in (
        nx.cumulative_sum, nx.cumulative_min, nx.cumulative_max)), [CUMULATED],
     (s64(X3, (3,), [[2, 5, 6], [1, 4, 6], [2, 3, 6]]), s64(X3, (3,), [[2, 2, 1], [1, 1, 1], [2, 1, 1]]),
      s64(X3, (3,), [[2, 3, 3], [1, 3, 3], [2, 2, 3]]))),
    ("cumulative_product", lambda t: nx.cumulative_product(t, axis=0), [V(T([[2, 3, 0], [1, 3, 2], [2, 1, 3]]), "x")],
     s64(X3, (3,), [[2, 6, 0], [1, 3, 6], [2, 2, 6]])),
    ("reduce", lambda t: nx.reduce(t, 10, nx.add, axes=[1]),
     [V(T([[[1, 2, 3], [4, 5, 6]], [[10, 20, 30], [40, 50, 60]]]), "x")], s64(X2, (2,), [[16, 25], [70, 160]])),
    ("window_reduce", lambda t: nx.window_reduce(t, 0, (2, 2), nx.add, padding=[(0, 0), (0, 1)], strides=[1, 1]),
     [V(T([[[1, 2, 3], [4, 5, 6]], [[0, -1, -2], [-3, -4, -5]]]), x=2)],
     s64(X2, (1, 3), [[[12, 16, 9]], [[-8, -12, -7]]])),
    ("dot", lambda a, b, c, d: (nx.dot(a, b), nx.dot(c, d)),
     [V(T([[1, 2], [3, 4]]), "x"), V(T([[10, 20], [30, 40]]), "x"), V(T([1, 2]), "x"), V(T([[10, 20]]), "y")],
     (s64(X2, (), [50, 250]), s64((("x", 2), ("y", 1)), (2,), [[[10, 20]], [[20, 40]]]))),
    ("dot with axes", lambda t: (nx.dot(t, [0], T([[1, 2], [3, 4]]), [0]), nx.dot(t, [1], T([[1, 2], [3, 4]]), [0])),
     [V(T([[[1, 1], [2, 2]], [[1, 1], [1, 1]]]), "x")],
     (s64(X2, (2, 2), [[[7, 10], [7, 10]], [[4, 6], [4, 6]]]), s64(X2, (2, 2), [[[4, 6], [8, 12]], [[4, 6], [4, 6]]]))),
    ("dot with batch axes", lambda u, v: nx.dot(u, [1], [], v, [0], []),
     [V(T([[[1, 1]], [[2, 2]]]), "x"), V(T([[[3], [3]], [[4], [4]]]), "x")], s64(X2, (1, 1), [[[6]], [[16]]])),
    ("outer", nx.outer, [V(T([[1, 2, 3], [0, -1, -2]], names=[None, "a"]), "x"),
                         V(T([[10, 20], [-10, -20]], names=[None, "b"]), "y")],
     s64(XY, (3, 2), [[[[10, 20], [20, 40], [30, 60]], [[-10, -20], [-20, -40], [-30, -60]]],
                      [[[0, 0], [-10, -20], [-20, -40]], [[0, 0], [10, 20], [20, 40]]]])),
    ("transpose, reverse", lambda v: (nx.transpose(v), nx.transpose(v, axes=[1, 0]), nx.reverse(v),
                                      nx.reverse(v, axes=[1])), [V(nx.iota((1, 2, 3)), "x")],
     (s64((("x", 1),), (3, 2), [[[0, 3], [1, 4], [2, 5]]]), s64((("x", 1),), (3, 2), [[[0, 3], [1, 4], [2, 5]]]),
      s64((("x", 1),), (2, 3), [[[5, 4, 3], [2, 1, 0]]]), s64((("x", 1),), (2, 3), [[[2, 1, 0], [5, 4, 3]]]))),
    ("clip", lambda t: nx.clip(t, 1, 4), [V(T([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], names=[None, "y"]), "x")],
     f32(X2, (3,), [[1.0, 2.0, 3.0], [4.0, 4.0, 4.0]])),
    ("slice", lambda: nx.slice(nx.iota((3, 3), vectorized_axes=[("x", 2)]), [0, T(1)], [2, 2]), [],
     s64(X2, (2, 2), [[[1, 2], [4, 5]]] * 2)),
    ("slice at vectorized indices", lambda i: nx.slice(nx.iota((3, 3)), [0, i], [2, 2]), [V(T([0, 1, 10]), "i")],
     s64((("i", 3),), (2, 2), [[[0, 1], [3, 4]], [[1, 2], [4, 5]], [[1, 2], [4, 5]]])),
    ("slice_along_axis", lambda: nx.slice_along_axis(nx.iota((2, 5), vectorized_axes=[("x", 2)]), 0, 3, axis=1,
                                                     strides=2), [], s64(X2, (2, 2), [[[0, 2], [5, 7]]] * 2)),
    ("put_slice", lambda t, s: nx.put_slice(t, [2], s), [V(T([[1, 2, 3, 4], [5, 6, 7, 8]]), "x"),
                                                         V(T([[10, 20], [30, 40]]), "y")],
     s64(XY, (4,), [[[1, 2, 10, 20], [1, 2, 30, 40]], [[5, 6, 10, 20], [5, 6, 30, 40]]])),
    ("take", lambda i, t: (nx.take(T([[1, 2], [11, 12]]), i, axis=0), nx.take(t, T([0, 1]), axis=1)),
     [V(T([0, 1, 0]), "x"), V(T([[[1, 2]], [[11, 12]]]), "x")],
     (s64(X3, (2,), [[1, 2], [11, 12], [1, 2]]), s64(X2, (1, 2), [[[1, 2]], [[11, 12]]]))),
    ("take of two vectorized", lambda t, i, j: (nx.take(t, i, axis=0), nx.take(t, j, axis=0)),
     [V(T([[1, 2], [11, 12]]), "x"), V(T([0, 1, 0]), "y"), V(T([[0, 1, 0], [0, 1, 1]]), "x")],
     (s64((("x", 2), ("y", 3)), (), [[1, 2, 1], [11, 12, 11]]), s64(X2, (3,), [[1, 2, 1], [11, 12, 12]]))),
    ("take_along_axis", lambda t, i, u, j: (nx.take_along_axis(t, i, axis=1), nx.take_along_axis(u, j, axis=0)),
     [V(T([[[1, 2, 3]], [[4, 5, 6]]]), "x"), V(T([[[0, 0, 2, 1]], [[2, 1, 0, 0]]]), "x"),
      V(T([[1, 2, 3], [4, 5, 6]]), "x"), V(T([[0, 0, 2, 1], [2, 1, 0, 0]]), "y")],
     (s64(X2, (1, 4), [[[1, 1, 3, 2]], [[6, 5, 4, 4]]]),
      s64(XY, (4,), [[[1, 1, 3, 2], [3, 2, 1, 1]], [[4, 4, 6, 5], [6, 5, 4, 4]]]))),
    ("gather", lambda t, i, j: (nx.gather(t, i), nx.gather(t, j)),
     [GATHERED, V(T([[[0, 0], [0, 1]], [[1, 0], [1, 1]]]), "x"), V(T([[[0, 0], [0, 1]], [[1, 0], [1, 1]]]), "y")],
     (s64(X2, (2,), [[1, 2], [111, 112]]), s64(XY, (2,), [[[1, 2], [11, 12]], [[101, 102], [111, 112]]]))),
    ("concatenate", lambda x, y, z: nx.concatenate((x, y, z)),
     [V(T([[1, 2]]), "x"), V(T([[3, 4], [5, 6]]), "y"), V(T([[10], [11]]), "x")],
     s64(XY, (5,), [[[1, 2, 3, 4, 10], [1, 2, 5, 6, 10]], [[1, 2, 3, 4, 11], [1, 2, 5, 6, 11]]])),
    ("variance, standard_deviation", lambda t: (nx.variance(t), nx.standard_deviation(t)),
     [V(T([[1, 2], [0, 4]]), "x")], (f32(X2, (), [0.25, 4.0]), f32(X2, (), [0.5, 2.0]))),
    ("logsumexp", lambda t: nx.logsumexp(t, axes=[0], keep_axes=True), [V(T([[1, 2], [3, 4], [5, 6]]), "x")],
     f32(X3, (1,), [[2.3132617], [4.3132615], [6.3132615]])),
    ("fft, ifft", lambda t: (nx.fft.fft(t, n=4), nx.fft.ifft(t, n=4)), [SPECTRUM],
     (Expect(X2, (4,), nx.c64, [[2, 1 - 1j, 0, 1 + 1j], [1, 1, 1, 1]]),
      Expect(X2, (4,), nx.c64, [[0.5, 0.25 + 0.25j, 0, 0.25 - 0.25j], [0.25] * 4]))),
    # Nx's fft2(lengths: [2, 4]) and ifft2 are fftn and ifftn over the last two axes.
    ("fft2, ifft2", lambda a, b: (nx.fft.fftn(a, s=(2, 4), axes=(-2, -1)), nx.fft.ifftn(b, s=(2, 4), axes=(-2, -1))),
     [V(T([[[[1, 0, 1, 0, 10, 10], [1, 1, 1, 1, 10, 10]]], [[[-2, -2, -2, -2, 20, 20], [0, 0, 0, 1, -20, -20]]]]),
        "x"),
      V(T([[[[8, 0, 8, 0, 10, 10], [8, 8, 8, 8, 10, 10]]], [[[-16, -16, -16, -16, 20, 20], [0, 0, 0, 8, -20, -20]]]]),
        "x")],
     (Expect(X2, (1, 2, 4), nx.c64, [[[[6, 0, 2, 0], [-2, 0, 2, 0]]], [[[-7, 1j, -1, -1j], [-9, -1j, 1, 1j]]]]),
      Expect(X2, (1, 2, 4), nx.c64, [[[[6, 0, 2, 0], [-2, 0, 2, 0]]], [[[-7, -1j, -1, 1j], [-9, 1j, 1, -1j]]]]))),
    ("rfft, irfft", lambda a, b: (nx.fft.rfft(a), nx.fft.irfft(b)),
     [V(T([[1.0, 1.0, 0.0, 0.0], [1.0, 0.0, 0.0, 0.0]]), "x"), V(T([[2.0, 1 - 1j, 0.0], [4.0, 0.0, 0.0]]), "x")],
     (Expect(X2, (3,), nx.c64, [[2, 1 - 1j, 0], [1, 1, 1]]), f32(X2, (4,), [[1, 1, 0, 0], [1, 1, 1, 1]]))),
    ("cholesky", nx.linalg.cholesky, [V(T([[[2.0, 3.0], [3.0, 5.0]], [[1.0, 0.0], [0.0, 1.0]]]), x=2)],
     f32(X2, (2, 2), [[[1.4142135381698608, 0.0], [2.1213204860687256, 0.7071064710617065]], [[1, 0], [0, 1]]])),
    ("triangular_solve, solve", lambda a, b: (nx.linalg.triangular_solve(a, b, lower=False), nx.linalg.solve(a, b)),
     [TRIANGULAR, RIGHT], (f32(XY, (2,), SOLVED), f32(XY, (2,), SOLVED))),
    ("qr", lambda t: tuple(nx.linalg.qr(t)), [V(UPPER, x=2)],
     (f32(X2, (3, 3), [np.eye(3)] * 2), f32(X2, (3, 3), UPPER.numpy()))),
    ("eigh", eigh_rebuilt, [HERMITIAN],
     (f32(X2, (2,), [[-1.0, 9.0], [1.0, 4.0]]), f32(X2, (2, 2), HERMITIAN.numpy()))),
    ("lu", lu_parts, [SQUARES],
     (s64((), (3, 3), [[1, 0, 0], [0, 0, 1], [0, 1, 0]]), f32((), (3, 3), [[1, 0, 0], [-1, 1, 0], [-1, 0, 1]]),
      f32((), (3, 3), [[-1, 0, -1], [0, 1, 0], [0, 0, 0]]), f32(X2, (3, 3), SQUARES.numpy()))),
    ("determinant", nx.linalg.det, [V(T([[[1, 0], [0, 2]], [[3, 0], [0, 4]]]), x=2)], f32(X2, (), [2.0, 12.0])),
]


def check(result, expect):
    if isinstance(expect, tuple) and not isinstance(expect, Expect):
        assert isinstance(result, tuple) and len(result) == len(expect)
        for r, e in zip(result, expect):
            check(r, e)
        return
    assert result.vectorized_axes == expect.axes and result.shape == expect.shape and result.type is expect.type, \
        f"{result.vectorized_axes} {result.ttype}"
    assert_close(result.numpy(), np.broadcast_to(np.asarray(expect.values), tuple(s for _, s in expect.axes) +
                                                 expect.shape), expect.type)


def test_nx_vectorized_examples_eagerly_and_under_defn():
    results = everywhere([(fn, args) for _, fn, args, _ in EXAMPLES])
    for (name, _, _, expect), modes in zip(EXAMPLES, results):
        for mode, result in zip(("eager", "iree", "evaluator"), modes):
            try:
                check(result, expect)
            except AssertionError as e:
                raise AssertionError(f"{name} ({mode}): {e}") from None


# ---- what only runs eagerly: conversions, reflection, errors ----

def test_conversions_read_the_vectorized_data():
    x = V(T([[1, 2], [3, 4]]), "x")
    assert nx.to_binary(x) == np.array([1, 2, 3, 4], np.int64).tobytes()
    assert nx.to_binary(V(T([1, 2, 3]), "x"), limit=2) == np.array([1, 2], np.int64).tobytes()
    column = V(T([[1], [2], [3], [4]]), "x")
    assert nx.to_flat_list(column) == [1, 2, 3, 4] and nx.to_flat_list(column, limit=2) == [1, 2]
    assert V(T([1, 2, 3]), "x").tolist() == [1, 2, 3]
    # Nx's byte_size is 16 and bit_size 128 for s32; every entry counts.
    assert nx.byte_size(x) == 32 and nx.bit_size(x) == 256
    assert V(nx.iota((4, 3, 2)), "x").size == 6


def test_serialize_keeps_the_vectorized_axes():
    a, b = nx.deserialize(nx.serialize((V(T([1, 2, 3]), "x"), {"b": T([4, 5, 6])})))
    assert a.vectorized_axes == (("x", 3),) and a.shape == () and a.tolist() == [1, 2, 3]
    assert b["b"].vectorized_axes == () and b["b"].tolist() == [4, 5, 6]


@pytest.mark.parametrize("mode", ["eager", "evaluator"])
def test_to_batched_batches_the_first_vectorized_axis(mode):
    def batches(t, size):
        return tuple(nx.to_batched(t, size))
    run = batches if mode == "eager" else nx.defn(batches, compiler=mode, static_argnums=(1,))
    first, second = run(V(nx.iota((2, 2, 2)), x=2), 1)
    assert first.vectorized_axes == (("x", 1),) and first.tolist() == [[[0, 1], [2, 3]]]
    assert second.tolist() == [[[4, 5], [6, 7]]]
    first, _ = run(V(nx.iota((2, 2, 2)), x=2, y=2), 1)
    assert first.vectorized_axes == (("x", 1), ("y", 2)) and first.shape == (2,)
    third = run(V(nx.iota((5, 2), names=["x", "y"]), "x"), 2)[2]
    assert third.vectorized_axes == (("x", 2),) and third.names == ("y",) and third.tolist() == [[8, 9], [0, 1]]
    _, last = run(V(T([1, 2, 3]), "x"), 2)
    assert last.vectorized_axes == (("x", 2),) and last.shape == () and last.tolist() == [3, 1]


def test_reflection_and_vectorized_axes_of_regrouped_tensors():
    assert nx.compatible(V(T([1, 2]), "x"), V(T([3, 4]), "x"))
    assert not nx.compatible(V(T([1, 2, 3]), "x"), V(T([1, 2]), "x"))
    assert not nx.compatible(V(T([1]), "x"), V(T([1, 2]), "y"))
    x, xy = V(T([1, 2, 3]), "x"), V(V(T([[[5]], [[6]]]), "y"), "x")
    assert [t.vectorized_axes for t in nx.reshape_vectors([x, xy])] == [(("x", 3), ("y", 1)), (("x", 1), ("y", 2))]
    y = V(T([4]), "y")
    assert [t.vectorized_axes for t in nx.reshape_vectors([y, x])] == [(("y", 1), ("x", 1)), (("y", 1), ("x", 3))]
    t = nx.iota((1,), vectorized_axes=[("x", 2), ("y", 3), ("z", 4)])
    assert nx.revectorize(t, {"x": 12, "y": "auto"}, target_shape=(1,)).vectorized_axes == (("x", 12), ("y", 2))
    assert nx.revectorize(t, {"a": "auto"}, target_shape=(1,)).vectorized_axes == (("a", 24),)
    assert nx.devectorize(nx.iota((3,), vectorized_axes=[("x", 1)])).names == ("x", None)


def test_errors_of_nx_vectorized_examples():
    with pytest.raises(NxValueError, match="'x' is already the name of a vectorized axis"):
        nx.rename(V(T([[1], [2], [3]], names=[None, "y"]), "x"), ["x"])
    with pytest.raises(NxValueError, match="axis of that name"):
        V(T([[1]], names=["x", "y"]), ["y"])
    with pytest.raises(NxValueError, match="already there"):
        V(V(T([[1]]), "x"), "x")
    with pytest.raises(NxShapeError, match="rank 0"):
        V(T(1), "x")
    with pytest.raises(NxShapeError, match="not 2"):
        V(T([1]), x=2)
    with pytest.raises(NxValueError, match="one-element"):
        V(T([1]), "x").item()
    with pytest.raises(NxValueError, match="vectorized_axes are"):
        nx.iota((2,), vectorized_axes=["x"])
