"""Gradients through the nx-grad pass: every differentiable op against finite differences (first and second order,
f64 and f32, from the schema table), then the API (containers, argnums, has_aux, stop_grad, custom_grad, grad of
grad, eagerly, inside and around defn), the IR it makes, and its errors."""
import numpy as np
import pytest

import numerix as nx
from numerix.testing import check_grads

from vjp_cases import CASES, differentiable_ops


def _sample(case, type_name, seed):
    rng = np.random.default_rng(seed)
    type = nx.as_dtype(type_name)
    arrays = []
    for spec in case.inputs:
        values = rng.uniform(spec.low, spec.high, spec.shape)
        if type.is_complex:
            values = values + 0.3j * rng.uniform(-1, 1, spec.shape)
        arrays.append(nx.tensor(values.astype(type.np)))
    return arrays


def _sweep():
    """The evaluator at f64, f32 (and c128), orders 1 and 2; IREE at f64 (and c128), order 1 (its compiles cost
    a second each; second order under IREE is checked on composites below)."""
    for op in differentiable_ops():
        for i, case in enumerate(CASES[op]):
            complex_types = ["c128"] if case.complex else []
            for t in ["f64", "f32"] + complex_types:
                for order in (1, 2):
                    yield pytest.param(op, i, t, order, "evaluator", id=f"{op}-{i}-{t}-order{order}-evaluator")
            for t in ["f64"] + complex_types:
                yield pytest.param(op, i, t, 1, "iree", id=f"{op}-{i}-{t}-order1-iree")


@pytest.mark.parametrize("op, index, type_name, order, compiler", list(_sweep()))
def test_op_gradients(op, index, type_name, order, compiler):
    case = CASES[op][index]
    check_grads(case.fn, _sample(case, type_name, index), order=order, compiler=compiler)


# Public functions built as composites of the primitives above (their gradients come from the primitives' rules).
_INDICES = np.array([[2, 0], [1, 1], [0, 3]])
COMPOSITES = {
    "mean": lambda x: nx.mean(x, axis=1),
    "logsumexp": lambda x: nx.logsumexp(x, axis=0),
    "var": lambda x: nx.var(x, axis=1, correction=1),
    "std": lambda x: nx.std(x),
    "max": lambda x: nx.max(x, axis=0),
    "min": lambda x: nx.min(x, axis=(0, 1)),
    "prod": lambda x: nx.prod(x, axis=1),
    "clip": lambda x: nx.clip(x, -1.0, 1.0),
    "where": lambda x: nx.where(x > 0, x * x, -x),
    "take": lambda x: nx.take(x, [2, 0, 2], axis=1),
    "take_along_axis": lambda x: nx.take_along_axis(x, nx.tensor(_INDICES), axis=1),
    "getitem": lambda x: x[1:, ::-2],
    "cumulative_prod": lambda x: nx.cumulative_prod(x, axis=1, include_initial=True),
    "sort": lambda x: nx.sort(x, axis=0, descending=True),
    "matmul": lambda x: x @ nx.matrix_transpose(x),
    "inv": lambda x: nx.linalg.inv(x[:, :3] + nx.eye(3, type=x.type) * 4),
    "vector_norm": lambda x: nx.linalg.vector_norm(x, axis=1),
    "softmax": lambda x: nx.exp(x - nx.logsumexp(x, axis=1, keepdims=True)),
}


@pytest.mark.parametrize("compiler", ["evaluator", "iree"])
@pytest.mark.parametrize("order", [1, 2])
@pytest.mark.parametrize("name", sorted(COMPOSITES))
def test_composite_gradients(name, order, compiler):
    x = np.random.default_rng(3).uniform(0.2, 2.0, (3, 4)) * np.array([1, -1, 1, -1])
    check_grads(COMPOSITES[name], [x], order=order, compiler=compiler)


def test_non_differentiable_ops_contribute_zero():
    g = nx.grad(lambda x: nx.sum(nx.floor(x) * 3 + nx.sign(x)) + nx.sum(x * 0.5))(nx.tensor([1.5, -2.5]))
    np.testing.assert_allclose(g.numpy(), [0.5, 0.5])


# ---- the API ----

@pytest.fixture(autouse=True)
def _evaluator():
    from numerix.runtime import compilers
    previous = compilers._default[0]
    compilers.set_default_compiler("evaluator")
    yield
    compilers.set_default_compiler(previous)


X = np.array([0.5, -1.0, 2.0])


def test_grad_eagerly_inside_and_around_defn():
    def f(x):
        return nx.sum(nx.sin(x) * x)
    expected = np.cos(X) * X + np.sin(X)

    @nx.defn
    def inside(x):
        return nx.grad(f)(x) * 2
    np.testing.assert_allclose(nx.grad(f)(X).numpy(), expected.astype(np.float32), rtol=1e-6)
    np.testing.assert_allclose(nx.defn(nx.grad(f))(nx.tensor(X, type="f64")).numpy(), expected, rtol=1e-12)
    np.testing.assert_allclose(inside(nx.tensor(X, type="f64")).numpy(), 2 * expected, rtol=1e-12)


def test_gradient_of_containers_is_the_same_container():
    def loss(params, scale):
        return nx.sum(params["w"] * params["b"][0]) * scale + nx.sum(params["b"][1] ** 2)
    params = {"w": nx.tensor([1.0, 2.0]), "b": [nx.tensor(3.0), nx.tensor([4.0, 5.0])]}
    g = nx.grad(loss)(params, 2.0)
    assert set(g) == {"w", "b"} and isinstance(g["b"], list) and len(g["b"]) == 2
    np.testing.assert_allclose(g["w"].numpy(), [6.0, 6.0])
    np.testing.assert_allclose(g["b"][0].numpy(), 6.0)
    np.testing.assert_allclose(g["b"][1].numpy(), [8.0, 10.0])


def test_argnums_tuple_and_value_and_grad():
    def f(x, y, z):
        return nx.sum(x * y) + z
    x, y = nx.tensor([1.0, 2.0]), nx.tensor([3.0, 4.0])
    gx, gz = nx.grad(f, argnums=(0, 2))(x, y, nx.tensor(1.5))
    np.testing.assert_allclose(gx.numpy(), [3.0, 4.0])
    np.testing.assert_allclose(gz.numpy(), 1.0)
    value, gy = nx.value_and_grad(f, argnums=1)(x, y, 0.0)
    np.testing.assert_allclose(value.numpy(), 11.0)
    np.testing.assert_allclose(gy.numpy(), [1.0, 2.0])


def test_has_aux():
    def f(x):
        return nx.sum(x ** 2), {"mean": nx.mean(x), "n": 3}
    (value, aux), g = nx.value_and_grad(f, has_aux=True)(nx.tensor([1.0, 2.0, 3.0]))
    np.testing.assert_allclose(value.numpy(), 14.0)
    np.testing.assert_allclose(aux["mean"].numpy(), 2.0)
    np.testing.assert_allclose(g.numpy(), [2.0, 4.0, 6.0])
    g2, aux2 = nx.grad(f, has_aux=True)(nx.tensor([1.0, 2.0, 3.0]))
    np.testing.assert_allclose(g2.numpy(), [2.0, 4.0, 6.0])
    np.testing.assert_allclose(aux2["n"].numpy(), 3)


def test_stop_grad():
    def f(x):
        return nx.sum(x * nx.stop_grad(x))
    np.testing.assert_allclose(nx.grad(f)(nx.tensor([1.0, 2.0])).numpy(), [1.0, 2.0])
    np.testing.assert_allclose(nx.stop_grad(nx.tensor([1.0])).numpy(), [1.0])  # eagerly the identity


def _clipped():
    @nx.custom_grad
    def clip_gradient(x, limit):
        return x

    def forward(x, limit):
        return x, limit

    def backward(limit, g):
        return nx.clip(g, -limit, limit), None
    return clip_gradient.defvjp(forward, backward)


def test_custom_grad():
    clip_gradient = _clipped()

    def f(x):
        return nx.sum(clip_gradient(x, nx.tensor(0.5)) * nx.tensor([1.0, -2.0, 0.25]))
    x = nx.tensor([1.0, 2.0, 3.0])
    np.testing.assert_allclose(f(x).numpy(), 1.0 - 4.0 + 0.75)  # eagerly: the function itself
    np.testing.assert_allclose(nx.defn(f)(x).numpy(), -2.25)  # compiled without a gradient: a call
    np.testing.assert_allclose(nx.grad(f)(x).numpy(), [0.5, -0.5, 0.25])


def test_custom_grad_residuals_and_second_order():
    @nx.custom_grad
    def softplus(x):
        return nx.log1p(nx.exp(x))

    def forward(x):
        return softplus(x), nx.sigmoid(x)

    def backward(s, g):
        return (g * s,)
    softplus.defvjp(forward, backward)
    check_grads(lambda x: softplus(x), [np.array([-1.0, 0.5, 2.0])], order=2)


def test_grad_of_grad_of_a_composite():
    def f(x):
        return nx.logsumexp(nx.tanh(x) * x) + nx.mean(nx.exp(-x * x))
    x = np.array([0.3, -0.7, 1.1])
    check_grads(f, [x], order=2)
    second = nx.grad(lambda x: nx.sum(nx.grad(f)(x)))(nx.tensor(x))
    h = 1e-5
    numeric = [(np.sum(nx.grad(f)(x + h * e).numpy()) - np.sum(nx.grad(f)(x - h * e).numpy())) / (2 * h)
               for e in np.eye(3)]
    np.testing.assert_allclose(second.numpy(), numeric, rtol=1e-6)


def test_closure_over_traced_values_inside_defn():
    @nx.defn
    def step(w, x):
        return nx.grad(lambda w: nx.sum(nx.tanh(x @ w)))(w)
    w, x = nx.tensor(np.ones((3, 2))), nx.tensor(np.arange(6.0).reshape(2, 3) / 10)
    expected = x.numpy().T @ (1 - np.tanh(x.numpy() @ w.numpy()) ** 2)
    np.testing.assert_allclose(step(w, x).numpy(), expected, rtol=1e-12)


def test_complex_gradient_follows_jax():
    # f(z) = |z|^2 = x^2 + y^2: df/dx - i df/dy = 2 conj(z) (jax.grad gives 6 - 8j at 3 + 4j).
    g = nx.grad(lambda z: nx.sum(nx.real(z * nx.conj(z))))(nx.tensor([3 + 4j]))
    np.testing.assert_allclose(g.numpy(), [6 - 8j])


# ---- the IR ----

def test_ir_has_grad_op_then_a_call_and_no_dead_forward_work():
    def f(x, y):
        return nx.sum(nx.exp(x) * y)
    lowered = nx.defn(nx.grad(f, argnums=1)).lower(nx.template((4,), "f32"), nx.template((4,), "f32"))
    traced = lowered.as_text("nx")
    assert '"nx.grad"(%arg0, %arg1) {callee = @f, wrt = array<i64: 1>}' in traced
    assert "func.func private @f(" in traced
    optimized = lowered.as_text("nx-optimized")
    assert "nx.grad" not in optimized and "call @f_vjp" in optimized and "@f(" not in optimized
    # d/dy sum(exp(x) * y) = exp(x): the product and the sum of the forward pass are gone.
    assert "nx.multiply" not in optimized and "nx.sum" not in optimized and "nx.exp" in optimized


# ---- errors ----

def test_gradient_with_respect_to_an_integer_is_an_error():
    with pytest.raises(nx.NxTypeError, match="cannot differentiate with respect to argument 0.*s64"):
        nx.grad(lambda x: nx.sum(x * 1.0))(nx.tensor([1, 2]))


def test_gradient_needs_a_real_scalar():
    with pytest.raises(nx.NxTypeError, match=r"must return a real floating-point scalar, got f32\[2\]"):
        nx.grad(lambda x: x * 2)(nx.tensor([1.0, 2.0]))
    with pytest.raises(nx.NxTypeError, match="must return a real floating-point scalar, got c64"):
        nx.grad(lambda x: nx.sum(x))(nx.tensor([1j]))


def test_bad_argnums():
    with pytest.raises(nx.NxValueError, match="argnums"):
        nx.grad(lambda x: x, argnums=(0, 0))
    with pytest.raises(nx.NxValueError, match="positional argument 1"):
        nx.grad(lambda x: nx.sum(x), argnums=1)(nx.tensor([1.0]))


def test_qr_gradient_of_a_wide_matrix_is_a_located_error():
    def f(x):
        q, r = nx.linalg.qr(x)
        return nx.sum(r)
    with pytest.raises(nx.NxValueError, match="gradient of qr is defined for matrices with at least as many rows") \
            as error:
        nx.grad(f)(nx.tensor(np.ones((2, 3))))
    assert error.value.location[0] == __file__
