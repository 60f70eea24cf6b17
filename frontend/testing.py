"""numerix.testing: checks of gradients against finite differences (JAX's check_grads)."""
import numpy as np

from numerix.dialect import dtypes
from numerix.dialect.errors import NxTypeError, NxValueError

from . import autograph as _autograph
from . import elementwise as ew
from .defn import defn
from .grad import grad
from .operands import as_type, tensor
from .reduction import sum as _sum
from .tensor import Tensor

__all__ = ["check_grads", "TOLERANCE"]


def __dir__():
    """The public API only, not the names this module imports."""
    return [*__all__, *(name for name in globals() if name.startswith("__"))]

# Relative tolerance per type of the least precise differentiated argument: the gradient computed in that type is
# compared with finite differences computed in f64.
TOLERANCE = {"f16": 5e-2, "bf16": 1e-1, "f32": 2e-3, "c64": 2e-3, "f64": 1e-6, "c128": 1e-6}


def check_grads(fn, args, order=1, *, compiler=None, eps=1e-6, rtol=None, seed=0):
    """Checks the gradients of `fn` at `args` (and, with order=2, the gradients of those gradients) against central
    finite differences, as jax.test_util.check_grads does, raising AssertionError when they disagree.

    fn(*args) returns a tensor or a container of tensors of any shape, real or complex; its inexact outputs are
    paired with random cotangents c into the real scalar L = Re(sum(c * fn(*args))), whose gradient nx.grad computes
    (compiled by `compiler`, the default when None) with respect to every inexact argument (the others stay fixed).
    The derivative of L along a random direction v is then compared with (L(x + eps v) - L(x - eps v)) / (2 eps),
    evaluated eagerly in f64 (c128), at the tolerance of the least precise argument type (TOLERANCE; or `rtol`).
    Order 2 repeats this for L2 = Re(sum(c2 * grad(L))), whose finite differences use grad(L) computed in f64.

    Examples:
        >>> nx.testing.check_grads(lambda x: nx.sum(nx.sin(x) * x), (nx.tensor([0.5, 1.0]),))
        >>> nx.testing.check_grads(nx.tanh, (nx.tensor([0.2], type="f64"),), order=2)
    """
    if order not in (1, 2):
        raise NxValueError(f"order must be 1 or 2, got {order!r}", op="check_grads")
    fn = _autograph.convert(fn)  # its Python control flow, as defn converts it (pairing below only calls fn)
    args = [a if isinstance(a, Tensor) else tensor(a) for a in args]
    wrt = tuple(i for i, a in enumerate(args) if a.type.is_inexact)
    if not wrt:
        raise NxTypeError(f"needs a floating-point or complex argument to differentiate, got "
                          f"{', '.join(str(a.ttype) for a in args)}", op="check_grads")
    rng = np.random.default_rng(seed)
    tol = rtol if rtol is not None else max(TOLERANCE[args[i].type.name] for i in wrt)
    pairing = _pairing(fn, args, rng)
    _check(pairing, args, wrt, rng, eps, tol, compiler, "first-order")
    if order == 2:
        first = defn(grad(pairing, argnums=wrt), compiler=compiler)  # inlined when traced, compiled when eager
        cotangents = [_random(args[i].shape, args[i].type, rng) for i in wrt]

        def second(*xs):
            gradients = first(*xs)
            return _total(ew.real(ew.multiply(g, as_type(c, g.type))) for g, c in zip(gradients, cotangents))
        _check(second, args, wrt, rng, eps, tol, compiler, "second-order")


def _random(shape, type, rng):
    values = rng.normal(size=shape)
    if type.is_complex:
        values = values + 1j * rng.normal(size=shape)
    return tensor(values.astype(_wide(type).np))


def _wide(type):
    """The type finite differences are computed in."""
    return dtypes.c128 if type.is_complex else dtypes.f64


def _total(terms):
    out = None
    for term in terms:
        term = _sum(term)
        out = term if out is None else ew.add(out, term)
    return out


def _leaves(out):
    if isinstance(out, Tensor):
        return [out]
    if isinstance(out, dict):
        out = list(out.values())
    if isinstance(out, (tuple, list)):
        return [leaf for item in out for leaf in _leaves(item)]
    raise NxTypeError(f"check_grads needs fn to return tensors (or tuples, lists and dicts of them), got "
                      f"{type(out).__name__}", op="check_grads")


def _pairing(fn, args, rng):
    """L(*xs) = Re(sum(c * fn(*xs))) over fn's inexact outputs, with c drawn once (from fn's output at args)."""
    outputs = [o for o in _leaves(fn(*args)) if o.type.is_inexact]
    if not outputs:
        raise NxTypeError("fn has no floating-point or complex output to differentiate", op="check_grads")
    cotangents = [_random(o.shape, o.type, rng) for o in outputs]

    def pairing(*xs):
        outs = [o for o in _leaves(fn(*xs)) if o.type.is_inexact]
        return _total(ew.real(ew.multiply(o, as_type(c, o.type))) for o, c in zip(outs, cotangents))
    return pairing


def _check(scalar, args, wrt, rng, eps, tol, compiler, what):
    gradients = defn(grad(scalar, argnums=wrt), compiler=compiler)(*args)
    directions = {i: rng.normal(size=args[i].shape) + (1j * rng.normal(size=args[i].shape)
                                                        if args[i].type.is_complex else 0) for i in wrt}
    # dL = Re(sum(gradient * dx)) (JAX's pairing for complex arguments).
    terms = [np.real(np.sum(np.asarray(g.numpy(), np.complex128) * directions[i])) for g, i in zip(gradients, wrt)]
    predicted = float(np.sum(terms))
    wide = [a.numpy().astype(_wide(a.type).np) if a.type.is_inexact else a.numpy() for a in args]

    def at(step):
        moved = list(wide)
        for i in wrt:
            moved[i] = wide[i] + step * directions[i]
        return float(np.real(scalar(*[tensor(m) for m in moved]).numpy()))
    numeric = (at(eps) - at(-eps)) / (2 * eps)
    scale = float(np.sum(np.abs(terms))) + abs(numeric)
    if not abs(predicted - numeric) <= tol * max(scale, 1e-3):
        raise AssertionError(f"{what} gradient disagrees with finite differences: directional derivative "
                             f"{predicted!r} (from the gradient) vs {numeric!r} (numeric), tolerance {tol} "
                             f"relative to {scale:.3g}")
