"""VJP rules of the elementwise nx ops. Operands and results share one shape (the frontend broadcast them), so each
rule is a formula in the cotangent g, the operands and the result. Holomorphic ops multiply by their derivative
(JAX's convention, see vjp.py); where a formula would divide by zero or take log(0) in a branch that `select`
discards, the operand is replaced first, so that a second derivative does not meet 0 * inf either."""
import math

from numerix.dialect import algebra as alg

from .vjp import vjp_rule


def _replace(x, where, value):
    """x with `value` where `where` holds: keeps a formula finite where its result is not used."""
    return alg.select(where, alg.full_like(x, value), x)


def _unary(derivative):
    """A rule from `derivative(g, x, y) -> cotangent of x`."""
    return lambda cotangents, operands, results: [derivative(cotangents[0], operands[0], results[0])]


def _binary(derivatives):
    """A rule from `derivatives(g, a, b, result) -> (cotangent of a, cotangent of b)`."""
    return lambda cotangents, operands, results: list(derivatives(cotangents[0], *operands, results[0]))


UNARY = {
    "exp": lambda g, x, y: g * y,
    "expm1": lambda g, x, y: g * (y + 1),
    "log": lambda g, x, y: g / x,
    "log1p": lambda g, x, y: g / (x + 1),
    "log2": lambda g, x, y: g / (x * math.log(2)),
    "log10": lambda g, x, y: g / (x * math.log(10)),
    "sqrt": lambda g, x, y: g / (y * 2),
    "rsqrt": lambda g, x, y: g * y / x * -0.5,
    "cbrt": lambda g, x, y: g / (y * y * 3),
    "sin": lambda g, x, y: g * alg.cos(x),
    "cos": lambda g, x, y: -g * alg.sin(x),
    "tan": lambda g, x, y: g * (y * y + 1),
    "asin": lambda g, x, y: g * alg.rsqrt(1 - x * x),
    "acos": lambda g, x, y: -g * alg.rsqrt(1 - x * x),
    "atan": lambda g, x, y: g / (x * x + 1),
    "sinh": lambda g, x, y: g * alg.cosh(x),
    "cosh": lambda g, x, y: g * alg.sinh(x),
    "tanh": lambda g, x, y: g * (1 - y * y),
    "asinh": lambda g, x, y: g * alg.rsqrt(x * x + 1),
    # sqrt(x - 1) * sqrt(x + 1), not sqrt(x * x - 1): the same on reals, and the principal branch on complex.
    "acosh": lambda g, x, y: g / (alg.sqrt(x - 1) * alg.sqrt(x + 1)),
    "atanh": lambda g, x, y: g / (1 - x * x),
    "erf": lambda g, x, y: g * alg.exp(-x * x) * (2 / math.sqrt(math.pi)),
    "erfc": lambda g, x, y: g * alg.exp(-x * x) * (-2 / math.sqrt(math.pi)),
    "erf_inv": lambda g, x, y: g * alg.exp(y * y) * (math.sqrt(math.pi) / 2),
    "sigmoid": lambda g, x, y: g * y * (1 - y),
    "negate": lambda g, x, y: -g,
    "conjugate": lambda g, x, y: alg.conjugate(g),
    "square": lambda g, x, y: g * x * 2,
    "reciprocal": lambda g, x, y: -g * y * y,
    # real(z) pairs its real cotangent with Re(dz); on a real operand it is the identity.
    "real": lambda g, x, y: alg.as_type(g, x.type),
}
for _name, _derivative in UNARY.items():
    vjp_rule(_name)(_unary(_derivative))


@vjp_rule("abs")
def _abs(cotangents, operands, results):
    (g,), (x,), (y,) = cotangents, operands, results
    if not x.type.is_complex:
        return [g * alg.sign(x)]  # sign is piecewise constant: its own derivative is zero almost everywhere
    # d|z| = Re(conj(z) dz) / |z|; 0 at z = 0 (JAX's choice), with |z| kept away from 0 for the second derivative.
    return [alg.as_type(g / _replace(y, y == 0, 1), x.type) * alg.conjugate(x)]


@vjp_rule("imag")
def _imag(cotangents, operands, results):
    (g,), (x,) = cotangents, operands
    if not x.type.is_complex:
        return [None]  # the imaginary part of a real number is 0
    return [alg.apply("complex", [alg.zeros_like(g), -g])]  # Im(dz) = Re(-i dz)


@vjp_rule("angle")
def _angle(cotangents, operands, results):
    (g,), (x,) = cotangents, operands
    if not x.type.is_complex:
        return [None]  # 0 or pi, piecewise constant
    # angle = atan2(b, a) for z = a + ib: d angle = (a db - b da) / |z|^2 = Re(-i conj(z) dz) / |z|^2.
    a, b = alg.real(x), alg.imag(x)
    scale = g / _replace(a * a + b * b, (a == 0) & (b == 0), 1)
    return [alg.apply("complex", [-b * scale, -a * scale])]


def _pow(g, x, y, result):
    # d/dx = y x^(y-1): where y == 0 it is 0, and x^(y-1) is taken at y = 1 there so that 0 * 0^-1 cannot appear.
    dx = g * y * alg.pow(x, _replace(y, y == 0, 1) - 1)
    # d/dy = log(x) x^y: where x == 0 the result is 0 (or 1 at y == 0, whose derivative in y JAX also takes as 0).
    dy = g * alg.log(_replace(x, x == 0, 1)) * result
    return dx, dy


def _max_min(g, a, b, result):
    # JAX's rule: the operand equal to the result takes the cotangent; at a tie each takes half.
    a_is, b_is = alg.as_type(a == result, g.type), alg.as_type(b == result, g.type)
    share = 1 - a_is * b_is * 0.5
    return g * a_is * share, g * b_is * share


def _hypot(g, a, b, result):
    scale = g / _replace(result, result == 0, 1)
    return a * scale, b * scale


def _atan2(g, a, b, result):
    scale = g / _replace(a * a + b * b, (a == 0) & (b == 0), 1)
    return b * scale, -a * scale


BINARY = {
    "add": lambda g, a, b, r: (g, g),
    "subtract": lambda g, a, b, r: (g, -g),
    "multiply": lambda g, a, b, r: (g * b, g * a),
    "divide": lambda g, a, b, r: (g / b, -g * r / b),
    "remainder": lambda g, a, b, r: (g, -g * alg.floor(a / b)),  # a - b * floor(a / b), NumPy's sign rule
    "pow": _pow,
    "atan2": _atan2,
    "hypot": _hypot,
    "max": _max_min,
    "min": _max_min,
    # |a| with b's sign: d/da = sign(a) * (+1 or -1 by b's sign bit); nothing flows to b.
    "copysign": lambda g, a, b, r: (g * alg.sign(a) * alg.copysign(alg.ones_like(b), b), None),
    "logaddexp": lambda g, a, b, r: (g * alg.exp(a - r), g * alg.exp(b - r)),
}
for _name, _derivatives in BINARY.items():
    vjp_rule(_name)(_binary(_derivatives))


@vjp_rule("select")
def _select(cotangents, operands, results):
    (g,), (pred, _, _) = cotangents, operands
    zeros = alg.zeros_like(g)
    return [None, alg.select(pred, g, zeros), alg.select(pred, zeros, g)]


@vjp_rule("as_type")
def _as_type(cotangents, operands, results, type):
    # Complex to real keeps the real part, so the real cotangent becomes a complex one with no imaginary part;
    # real to complex pairs only the real part of the cotangent. as_type does both.
    (g,), (x,) = cotangents, operands
    return [alg.as_type(g, x.type)]


@vjp_rule("complex")
def _complex(cotangents, operands, results):
    (g,) = cotangents
    return [alg.real(g), -alg.imag(g)]  # Re(g (da + i db)) = Re(g) da - Im(g) db
