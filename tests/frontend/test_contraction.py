"""Contractions against NumPy for every number type: dot (all of Nx's forms), matmul, tensordot, vecdot, outer,
inner; promotion, named axes, errors."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import numerix as nx
from conftest import ALL_TYPES, RTOL, assert_close, sample

NUMBER_TYPES = [t for t in ALL_TYPES if t != "bool"]


def reference(fn, type, *arrays):
    """fn on NumPy arrays: inexact types in f64/c128 (then rounded to the type), integers in their own type
    (wrapping as numerix's do)."""
    t = nx.as_dtype(type)
    if t.is_inexact:
        wide = np.complex128 if t.is_complex else np.float64
        return fn(*(a.astype(wide) for a in arrays)).astype(t.np)
    return fn(*arrays).astype(t.np)


def check(actual, expected, type, terms=4):
    """Compares at the type's tolerance, widened by the number of summed terms (each rounding adds up)."""
    t = nx.as_dtype(type)
    assert actual.type is t
    rtol = RTOL[t.name] * terms if t.is_inexact else None
    assert_close(actual, expected, type, rtol=rtol, atol=rtol)


# ---- dot/2 (numpy.dot's rules) ----

DOT_SHAPES = [((4,), (4,)), ((3, 4), (4, 2)), ((3, 4), (4,)), ((4,), (4, 2)), ((2, 3, 4), (4,)),
              ((2, 3, 4), (5, 4, 2)), ((4,), (2, 4, 3)), ((0, 4), (4, 3)), ((3, 0), (0, 2))]


@pytest.mark.parametrize("type", NUMBER_TYPES)
@pytest.mark.parametrize("shape_a, shape_b", DOT_SHAPES)
def test_dot_matches_numpy_dot(type, shape_a, shape_b):
    a, b = sample(type, shape_a, seed=1), sample(type, shape_b, seed=2)
    check(nx.dot(a, b), reference(np.dot, type, a, b), type)


@pytest.mark.parametrize("type", ["s32", "f32", "c128"])
def test_dot_with_a_scalar_multiplies(type):
    a = sample(type, (2, 3))
    check(nx.dot(a, nx.tensor(2, type=type)), reference(lambda x: x * 2, type, a), type)
    check(nx.dot(nx.tensor(3, type=type), a), reference(lambda x: 3 * x, type, a), type)


# ---- dot/4 and dot/6 (dot_general) ----

GENERAL = [
    # (shape a, contract a, batch a, shape b, contract b, batch b, einsum)
    ((2, 3, 4), (2,), (), (4, 5), (0,), (), "ijk,kl->ijl"),
    ((2, 3, 4), (1, 2), (), (3, 4, 5), (0, 1), (), "ijk,jkl->il"),
    ((2, 3, 4), (2, 1), (), (4, 3, 5), (0, 1), (), "ijk,kjl->il"),
    ((2, 3), (), (), (4,), (), (), "ij,k->ijk"),
    ((6, 2, 3), (2,), (0,), (6, 3, 4), (1,), (0,), "bij,bjk->bik"),
    ((2, 6, 3), (2,), (1,), (3, 4, 6), (0,), (2,), "ibj,jkb->bik"),
    ((2, 6, 3, 5), (2,), (1, 3), (5, 3, 6, 4), (1,), (2, 0), "ibjc,cjbk->bcik"),
    ((6, 3), (1,), (0,), (6, 3), (1,), (0,), "bi,bi->b"),
]


@pytest.mark.parametrize("type", NUMBER_TYPES)
@pytest.mark.parametrize("shape_a, ca, ba, shape_b, cb, bb, spec", GENERAL)
def test_dot_general_matches_einsum(type, shape_a, ca, ba, shape_b, cb, bb, spec):
    a, b = sample(type, shape_a, seed=3), sample(type, shape_b, seed=4)
    out = nx.dot(a, list(ca), list(ba), b, list(cb), list(bb)) if ba else nx.dot(a, list(ca), b, list(cb))
    check(out, reference(lambda x, y: np.einsum(spec, x, y), type, a, b), type)


@st.composite
def dot_general_cases(draw):
    """Random dot_general problems: sizes for batch, contracted and free axes, each operand's axes shuffled."""
    size = st.integers(0, 3)
    batch, contract = draw(st.lists(size, max_size=2)), draw(st.lists(size, max_size=2))
    free_a, free_b = draw(st.lists(size, max_size=2)), draw(st.lists(size, max_size=2))
    letters = iter("abcdefghij")
    b_l, c_l, fa_l, fb_l = ([next(letters) for _ in part] for part in (batch, contract, free_a, free_b))
    axes_a = draw(st.permutations(b_l + c_l + fa_l))
    axes_b = draw(st.permutations(b_l + c_l + fb_l))
    sizes = dict(zip(b_l + c_l + fa_l + fb_l, batch + contract + free_a + free_b))
    return axes_a, axes_b, b_l, c_l, fa_l, fb_l, sizes


@settings(max_examples=60, deadline=None)
@given(dot_general_cases(), st.sampled_from(["s32", "f64", "c128"]))
def test_dot_general_property_against_einsum(case, type):
    axes_a, axes_b, batch, contract, free_a, free_b = case[:6]
    sizes = case[6]
    a = sample(type, tuple(sizes[x] for x in axes_a), seed=1)
    b = sample(type, tuple(sizes[x] for x in axes_b), seed=2)
    out = nx.dot(a, [axes_a.index(x) for x in contract], [axes_a.index(x) for x in batch],
                 b, [axes_b.index(x) for x in contract], [axes_b.index(x) for x in batch])
    # The result: batch axes in the order given, then each operand's free axes in that operand's order.
    result = batch + [x for x in axes_a if x in free_a] + [x for x in axes_b if x in free_b]
    spec = f"{''.join(axes_a)},{''.join(axes_b)}->{''.join(result)}"
    check(out, reference(lambda x, y: np.einsum(spec, x, y), type, a, b), type, terms=30)


def test_dot_names_flow_and_axes_by_name():
    a = nx.tensor(sample("f32", (6, 2, 3)), names=["batch", "i", "j"])
    b = nx.tensor(sample("f32", (6, 3, 4)), names=[None, "j", "k"])
    out = nx.dot(a, ["j"], ["batch"], b, ["j"], [0])
    assert out.names == ("batch", "i", "k") and out.shape == (6, 2, 4)
    assert_close(out, np.einsum("bij,bjk->bik", a.numpy().astype(np.float64), b.numpy()), "f32", rtol=1e-5)
    m = nx.dot(nx.tensor(np.ones((2, 3)), names=["r", "c"]), nx.tensor(np.ones((3, 4)), names=["c", "k"]))
    assert m.names == ("r", "k")
    assert nx.dot(a, [-1], b, [-2]).names == ("batch", "i", None, "k")


def test_dot_promotes_as_elementwise_ops_do():
    assert nx.dot(sample("s8", (2, 3)), sample("f32", (3,))).type is nx.float32
    assert nx.dot(sample("u8", (3,)), sample("s8", (3,))).type is nx.int16
    assert nx.dot(sample("f16", (3,)), [1, 2, 3]).type is nx.float16
    assert nx.dot(sample("c64", (3,)), sample("f64", (3,))).type is nx.complex128


@pytest.mark.parametrize("call, error", [
    (lambda: nx.dot(np.ones((2, 3)), np.ones((2, 3))), nx.NxShapeError),
    (lambda: nx.dot(np.ones((2, 3)), [1], np.ones((3, 2)), [1]), nx.NxShapeError),
    (lambda: nx.dot(np.ones((2, 3)), [1], np.ones((3, 2)), [0, 1]), nx.NxValueError),
    (lambda: nx.dot(np.ones((2, 3)), [1], [1], np.ones((3, 3)), [0], [1]), nx.NxValueError),
    (lambda: nx.dot(np.ones((2, 3)), [2], np.ones((3, 2)), [0]), nx.NxValueError),
    (lambda: nx.dot(np.ones((2, 3)), ["x"], np.ones((3, 2)), [0]), nx.NxValueError),
    (lambda: nx.dot(np.ones(2), [0], np.ones(2)), nx.NxValueError),
    (lambda: nx.dot(np.ones(2, bool), np.ones(2, bool)), nx.NxTypeError),
])
def test_dot_errors(call, error):
    with pytest.raises(error) as info:
        call()
    assert info.value.op == "dot"


# ---- the array API's matmul, tensordot, vecdot, matrix_transpose ----

MATMUL_SHAPES = [((3, 4), (4, 2)), ((4,), (4,)), ((4,), (4, 2)), ((3, 4), (4,)), ((2, 3, 4), (4, 5)),
                 ((5, 1, 3, 4), (2, 4, 6)), ((4,), (2, 3, 4, 5)), ((2, 3, 4), (4,)), ((1, 2, 3), (4, 1, 3, 2))]


@pytest.mark.parametrize("type", NUMBER_TYPES)
@pytest.mark.parametrize("shape_a, shape_b", MATMUL_SHAPES)
def test_matmul_matches_numpy(type, shape_a, shape_b):
    a, b = sample(type, shape_a, seed=5), sample(type, shape_b, seed=6)
    expected = reference(np.matmul, type, a, b)
    check(nx.matmul(a, b), expected, type)
    check(nx.tensor(a) @ nx.tensor(b), expected, type)
    check(nx.linalg.matmul(a, b), expected, type)


def test_matmul_broadcasts_batch_names():
    a = nx.tensor(np.ones((2, 1, 3, 4)), names=["b", None, "i", "k"])
    b = nx.tensor(np.ones((5, 4, 6)), names=["c", "k", "j"])
    out = a @ b
    assert out.shape == (2, 5, 3, 6) and out.names == ("b", "c", "i", "j")
    with pytest.raises(nx.NxValueError):
        nx.tensor(np.ones((2, 3, 4)), names=["x", None, None]) @ nx.tensor(np.ones((2, 4, 3)),
                                                                          names=["y", None, None])


@pytest.mark.parametrize("shape_a, shape_b, error", [
    ((), (3,), nx.NxValueError), ((3,), (4,), nx.NxShapeError), ((2, 3), (2, 3), nx.NxShapeError),
    ((2, 3, 4), (3, 4, 5), nx.NxShapeError),
])
def test_matmul_errors(shape_a, shape_b, error):
    with pytest.raises(error) as info:
        nx.matmul(np.ones(shape_a), np.ones(shape_b))
    assert info.value.op == "matmul"


@pytest.mark.parametrize("type", NUMBER_TYPES)
@pytest.mark.parametrize("shape_a, shape_b, axes", [
    ((2, 3, 4), (3, 4, 5), 2), ((2, 3), (3, 4), 1), ((2, 3), (4, 5), 0), ((3, 4, 2), (4, 5, 3), ([0, 1], [2, 0])),
    ((3, 4), (4, 3), ([-1], [0])), ((2, 2), (2, 2), ([0, 1], [1, 0])),
])
def test_tensordot_matches_numpy(type, shape_a, shape_b, axes):
    a, b = sample(type, shape_a, seed=7), sample(type, shape_b, seed=8)
    check(nx.tensordot(a, b, axes=axes), reference(lambda x, y: np.tensordot(x, y, axes=axes), type, a, b), type,
          terms=12)
    check(nx.linalg.tensordot(a, b, axes=axes),
          reference(lambda x, y: np.tensordot(x, y, axes=axes), type, a, b), type, terms=12)


def test_tensordot_errors():
    with pytest.raises(nx.NxValueError):
        nx.tensordot(np.ones((2, 3)), np.ones((3, 2)), axes=3)
    with pytest.raises(nx.NxShapeError):
        nx.tensordot(np.ones((2, 3)), np.ones((2, 3)), axes=1)
    with pytest.raises(nx.NxTypeError):
        nx.tensordot(np.ones((2, 3)), np.ones((3, 2)), axes="a")


@pytest.mark.parametrize("type", NUMBER_TYPES)
@pytest.mark.parametrize("shape_a, shape_b, axis", [((3,), (3,), -1), ((2, 3), (3,), -1), ((4, 1, 3), (2, 3), -1),
                                                    ((3, 2), (3, 2), -2), ((3, 2), (5, 3, 2), -2)])
def test_vecdot_conjugates_the_first_operand(type, shape_a, shape_b, axis):
    a, b = sample(type, shape_a, seed=9), sample(type, shape_b, seed=10)
    expected = reference(lambda x, y: np.vecdot(x, y, axis=axis), type, a, b)
    check(nx.vecdot(a, b, axis=axis), expected, type)
    check(nx.linalg.vecdot(a, b, axis=axis), expected, type)


def test_vecdot_errors():
    with pytest.raises(nx.NxShapeError):
        nx.vecdot(np.ones((2, 3)), np.ones((2, 1)))
    with pytest.raises(nx.NxValueError):
        nx.vecdot(np.ones(()), np.ones(()))


@pytest.mark.parametrize("type", NUMBER_TYPES)
def test_outer_and_inner_match_numpy(type):
    a, b = sample(type, (2, 3), seed=11), sample(type, (4,), seed=12)
    check(nx.outer(a, b), reference(np.outer, type, a, b), type, terms=1)
    check(nx.linalg.outer(a[0], b), reference(np.outer, type, a[0], b), type, terms=1)
    c = sample(type, (5, 3), seed=13)
    check(nx.inner(a, c), reference(np.inner, type, a, c), type)
    check(nx.inner(a, nx.tensor(2, type=type)), reference(lambda x: x * 2, type, a), type)


def test_outer_names_and_linalg_outer_needs_vectors():
    out = nx.outer(nx.tensor([1, 2], names=["i"]), nx.tensor([1, 2, 3], names=["j"]))
    assert out.names == ("i", "j") and out.shape == (2, 3)
    with pytest.raises(nx.NxValueError):
        nx.linalg.outer(np.ones((2, 2)), np.ones(2))


@pytest.mark.parametrize("type", ["s16", "f32", "c64"])
def test_contractions_trace_to_the_same_values(type):
    def build(a, b):
        return (nx.dot(a, [2], [0], b, [1], [0]), nx.matmul(a, b), nx.vecdot(a, a),
                nx.tensordot(a, b, axes=([2], [1])), nx.outer(a, b), nx.inner(a, a))
    a, b = sample(type, (2, 3, 4), seed=1), sample(type, (2, 4, 3), seed=2)
    for traced, eager in zip(nx.defn(build, compiler="evaluator")(a, b), build(nx.tensor(a), nx.tensor(b))):
        assert traced.ttype == eager.ttype
        assert_close(traced, eager, type, rtol=0, atol=0)


# ---- large contractions: lowered to linalg.generic marked for IREE's data tiling (dialect/contraction.py) ----

def _transposed_left(a, b):
    return nx.transpose(a) @ b


def _transposed_right(a, b):
    return a @ nx.transpose(b)


def _two_axis_tensordot(a, b):
    return nx.tensordot(a, b, axes=([1, 2], [1, 0]))


@pytest.mark.parametrize("fn, shape_a, shape_b, contracted, type", [
    (nx.matmul, (256, 784), (784, 512), 784, "f32"),
    (_transposed_left, (256, 784), (256, 512), 256, "f32"),
    (_transposed_right, (256, 512), (384, 512), 512, "f32"),
    (nx.matmul, (8, 256, 256), (8, 256, 256), 256, "f32"),
    (_two_axis_tensordot, (16, 128, 64), (64, 128, 512), 128 * 64, "f32"),
    (nx.matmul, (256, 784), (784, 512), 784, "f64"),
], ids=["matmul", "left transposed", "right transposed", "batched", "two contracted axes", "f64"])
def test_large_contractions_are_marked_for_data_tiling_and_match_numpy(fn, shape_a, shape_b, contracted, type):
    """Within the classic bound of a K-term dot product, K * eps * sum |a_i b_i|, twice over (NumPy's f64 result
    carries such an error too)."""
    rng = np.random.default_rng(0)
    dtype = np.dtype(type.replace("f", "float"))
    a, b = (rng.standard_normal(s).astype(dtype) for s in (shape_a, shape_b))
    f = nx.defn(fn, compiler="iree")
    assert "iree.opt.data_tiling" in f.lower(a, b).as_text("stablehlo")
    want = fn(nx.tensor(a.astype(np.float64)), nx.tensor(b.astype(np.float64))).numpy()
    magnitudes = fn(nx.tensor(np.abs(a).astype(np.float64)), nx.tensor(np.abs(b).astype(np.float64))).numpy()
    bound = 2 * contracted * np.finfo(dtype).eps * magnitudes
    assert np.all(np.abs(f(a, b).numpy() - want) <= bound)


# ---- contractions over empty axes: zeros, never a dot_general over an empty axis (IREE's code generation crashes) --

EMPTY = [
    (nx.matmul, np.matmul, (3, 0), (0, 2)),
    (nx.matmul, np.matmul, (0, 3), (3, 2)),
    (nx.matmul, np.matmul, (2, 3, 0), (2, 0, 4)),
    (nx.dot, np.dot, (0,), (0,)),
    (nx.dot, np.dot, (3, 0), (0, 2)),
    (nx.vecdot, np.vecdot, (4, 0), (4, 0)),
]


@pytest.mark.parametrize("compiler", ["iree", "evaluator"])
@pytest.mark.parametrize("type", ["s32", "f32", "f64"])
@pytest.mark.parametrize("fn, numpy_fn, shape_a, shape_b", EMPTY,
                         ids=["matmul", "empty free axis", "batched", "dot", "dot of matrices", "vecdot"])
def test_contractions_over_empty_axes_match_numpy(fn, numpy_fn, shape_a, shape_b, type, compiler):
    a, b = sample(type, shape_a, seed=1), sample(type, shape_b, seed=2)
    out = nx.defn(fn, compiler=compiler)(a, b)
    assert out.ttype == fn(nx.tensor(a), nx.tensor(b)).ttype
    assert_close(out, reference(numpy_fn, type, a, b), type, rtol=0, atol=0)


@pytest.mark.parametrize("shape_a, shape_b", [((3, 0), (0, 2)), ((0, 3), (3, 2))])
def test_grad_through_a_contraction_over_an_empty_axis_is_zeros(shape_a, shape_b):
    a, b = sample("f32", shape_a, seed=1), sample("f32", shape_b, seed=2)
    grads = nx.defn(nx.grad(lambda x, y: nx.sum(x @ y), argnums=(0, 1)))(a, b)
    for grad, shape in zip(grads, (shape_a, shape_b)):
        assert grad.shape == shape and grad.type is nx.f32
        np.testing.assert_array_equal(grad.numpy(), np.zeros(shape, np.float32))
