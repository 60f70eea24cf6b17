"""nx.random: Nx.Random, counter-based pseudo-random numbers with explicit keys.

A key is a u32 tensor of shape (2,), made by `key(seed)`. The bits are Threefry-2x32 with 20 rounds (Random123's
threefry2x32_20, as JAX and Nx use it) of counters 0, 1, 2, ..., so every function is a pure function of its key.
Each step is written with the ops Nx.Random composes, in the types Nx computes them in, and the logarithms and
erf_inv are computed in f64 and rounded once, as Nx's binary backend computes every op: the numbers are those of
Nx's documented examples. Eager code and the evaluator give the same bits; so does IREE, except where its CPU code
fuses a scale and a shift into one multiply-add, and in f64 logarithms and erf_inv (docs/coming-from-nx.md).

The functions without `_split` split their key first, draw with the second half and return (numbers, new_key), as
Nx returns {numbers, new_key}; the `_split` ones draw with the key they are given. Drawn numbers are constants for
nx.grad (Nx stops gradients at every result, so mean and standard deviation get none either); shuffle and choice
pass gradients through to the tensor they reorder."""
import math

import numpy as np

from numerix.dialect import dtypes
from numerix.dialect.errors import NxShapeError, NxTypeError, NxValueError

from .contraction import dot
from .control_flow import fori_loop
from .creation import iota, shape_of
from .elementwise import (
    add, bitcast, bitwise_and, bitwise_left_shift, bitwise_or, bitwise_right_shift, bitwise_xor, complex, erf_inv,
    less, less_equal, log, maximum, multiply, negate, quotient, remainder, select, sqrt, subtract,
)
from .grad import stop_grad
from .indexing import take, take_along_axis
from .linalg import cholesky, eigh, svd
from .operands import as_type, axis_index, broadcast_to, rename, result_type, to_tensor
from .reduction import argmin, argsort, cumulative_sum
from .shape import concatenate, new_axis, reshape, slice_along_axis, stack
from .tensor import Tensor

__all__ = ["key", "split", "fold_in", "threefry2x32", "threefry2x32_20_concat", "randint", "randint_split",
           "uniform", "uniform_split", "normal", "normal_split", "multivariate_normal", "multivariate_normal_split",
           "shuffle", "choice", "gumbel", "gumbel_split"]


def __dir__():
    """The public API only, not the names this module imports."""
    return [*__all__, *(name for name in globals() if name.startswith("__"))]


_UNSIGNED = {8: dtypes.u8, 16: dtypes.u16, 32: dtypes.u32, 64: dtypes.u64}
_MANTISSA_BITS = {"f16": 10, "bf16": 7, "f32": 23, "f64": 52}


# ---- arguments ----

def _key(op, key):
    """The key, checked as Nx's assert_key! does: a u32 tensor of shape (2,)."""
    if not isinstance(key, Tensor):
        raise NxTypeError(f"expected key to be a u32 tensor of shape (2,) (from nx.random.key), got "
                          f"{type(key).__name__} {key!r}", op=op)
    if key.shape != (2,):
        raise NxShapeError(f"expected key to have shape (2,), got {key.ttype}", op=op)
    if key.type is not dtypes.u32:
        raise NxTypeError(f"expected key with 32-bit unsigned integer type, got {key.ttype}", op=op)
    return key


def _float_type(op, type, values, complex_ok=True):
    """The `type` option, or the floating type of `values` (Nx's infer_float_type), checked to be a float (or a
    complex where the function draws both parts)."""
    t = dtypes.as_dtype(type) if type is not None else dtypes.to_float(result_type(op, *values))
    if not (t.is_float or complex_ok and t.is_complex):
        kinds = "float or complex" if complex_ok else "float"
        raise NxTypeError(f"expected {kinds} type, got type {t.name}", op=op)
    return t


def _flag(op, name, value):
    if not isinstance(value, (bool, np.bool_)):
        raise NxTypeError(f"{name} must be True or False, got {value!r}", op=op)
    return bool(value)


def _count(op, name, value, least):
    if not isinstance(value, (int, np.integer)) or isinstance(value, (bool, np.bool_)) or value < least:
        raise NxValueError(f"{name} must be an int >= {least}, got {value!r}", op=op)
    return int(value)


def _named(t, names):
    return t if names is None else rename(t, names)


# ---- the Threefry-2x32 block and the bits drawn from it ----

_KEY_PARITY = 0x1BD11BDA
_ROTATIONS = ((13, 15, 26, 6), (17, 29, 16, 24))


def _rotate_left(x, r, r_complement):
    """x rotated left by r bits; r_complement is 32 - r (given, so that a traced r costs no op of its own)."""
    return bitwise_or(bitwise_left_shift(x, r), bitwise_right_shift(x, r_complement))


def _pack(x0, x1):
    """u32 pairs as u64 words, x0 high: one tensor for the two words of each block."""
    return bitwise_or(bitwise_left_shift(as_type(x0, dtypes.u64), 32), as_type(x1, dtypes.u64))


def _threefry_words(x0, x1, key):
    """The Threefry-2x32-20 blocks of (x0, x1) (u32 tensors of one shape) under `key`, as u64 words, the first
    output word high (Nx's threefry2x32_20_pair): five groups of four add-rotate-xor rounds, a key injection after
    each. The groups are one loop, its state the blocks packed in one tensor, so that each trip is one fusion (one
    IREE dispatch) whatever the size: unrolled, twenty rounds on two tensors compile to dozens of dispatches."""
    if x0.size == 0:
        return as_type(x0, dtypes.u64)
    ks = (key[0], key[1], bitwise_xor(bitwise_xor(key[0], key[1]), _KEY_PARITY))
    rotations = tuple(tuple((to_tensor(r, dtypes.u32), to_tensor(32 - r, dtypes.u32)) for r in group)
                      for group in _ROTATIONS)

    def group(i, state):
        words, (k_next, k_then, k_last), (now, then) = state
        x0, x1 = _halves(words)
        for r, r_complement in now:
            x0 = add(x0, x1)
            x1 = bitwise_xor(_rotate_left(x1, r, r_complement), x0)
        x0 = add(x0, k_next)
        # The trip number broadcast first: the whole injection is then part of the trip's one fusion.
        x1 = add(add(x1, k_then), as_type(broadcast_to(i, x1.shape), dtypes.u32))
        return _pack(x0, x1), (k_then, k_last, k_next), (then, now)

    start = _pack(add(x0, ks[0]), add(x1, ks[1]))
    words, _, _ = fori_loop(1, 6, group, (start, (ks[1], ks[2], ks[0]), rotations), unroll=1)
    return words


def _halves(words):
    """The high and low u32 halves of u64 words."""
    return as_type(bitwise_right_shift(words, 32), dtypes.u32), as_type(words, dtypes.u32)


def _threefry(key, counter):
    """Threefry-2x32 of a u32 tensor of counters: flattened, padded with a 0 to an even count, its first half the
    blocks' first words and its second half their second words; the outputs go back in the counters' places."""
    n = counter.size
    half = (n + 1) // 2
    flat = reshape(counter, (n,))
    if n % 2:
        flat = concatenate([flat, to_tensor([0], dtypes.u32)])
    words = _threefry_words(slice_along_axis(flat, 0, half), slice_along_axis(flat, half, half), key)
    out = concatenate(_halves(words))
    return reshape(slice_along_axis(out, 0, n) if n % 2 else out, counter.shape)


def _random_bits(key, shape, bits):
    """`bits`-wide unsigned random bits of `shape` (Nx's random_bits): the Threefry outputs of counters 0, 1, ...;
    64-bit words join the outputs of counters i and size + i, 8- and 16-bit ones keep an output's low bits."""
    if bits == 64:
        counters = iota((2, math.prod(shape)), type=dtypes.u32)
        return reshape(_threefry_words(counters[0], counters[1], key), shape)
    out = _threefry(key, iota(shape, type=dtypes.u32))
    return out if bits == 32 else as_type(out, _UNSIGNED[bits])


def threefry2x32(key, counter):
    """The Threefry-2x32 block (20 rounds) of each counter under `key`, as JAX's threefry_2x32: `counter` is a u32
    tensor of any shape, flattened and split into halves that are the blocks' two words (a 0 pads an odd count);
    the result is a u32 tensor of the counter's shape. For counter [x0, x1] it is Random123's
    threefry2x32_20((x0, x1), key).

    Examples:
        >>> nx.random.threefry2x32(nx.random.key(0), nx.tensor([0, 1], type="u32"))
        nx.Tensor<
          u32[2]
          [ 928981903, 3453687069]
        >
    """
    op = "random.threefry2x32"
    k = _key(op, key)
    c = to_tensor(counter, dtypes.u32) if not isinstance(counter, Tensor) else counter
    if c.type is not dtypes.u32:
        raise NxTypeError(f"expected a u32 counter, got {c.ttype}", op=op)
    return _threefry(k, c)


def threefry2x32_20_concat(xs, ks):
    """Nx's threefry2x32_20_concat: Threefry-2x32-20 of the blocks (xs[0], xs[1]) (xs: u32 of shape (2, n, ...))
    under key `ks`, the two output words concatenated along the first axis (shape (2n, ...)).

    Examples:
        >>> nx.random.threefry2x32_20_concat(nx.tensor([[0], [1]], type="u32"), nx.random.key(0))
        nx.Tensor<
          u32[2]
          [ 928981903, 3453687069]
        >
    """
    op = "random.threefry2x32_20_concat"
    k = _key(op, ks)
    x = to_tensor(xs, dtypes.u32) if not isinstance(xs, Tensor) else xs
    if x.type is not dtypes.u32 or x.ndim < 2 or x.shape[0] != 2:
        raise NxValueError(f"expected u32 blocks of shape (2, n, ...), got {x.ttype}", op=op)
    return concatenate(_halves(_threefry_words(x[0], x[1], k)), axis=0)


# ---- keys ----

def key(seed):
    """A key from an integer seed (a Python int, or a scalar u64 or s64 tensor: Nx.Random.key): its high and low
    32-bit words. A negative seed is taken as its two's complement, as Nx reads an s64 seed.

    Examples:
        >>> nx.random.key(42)
        nx.Tensor<
          u32[2]
          [ 0, 42]
        >
    """
    op = "random.key"
    if isinstance(seed, Tensor):
        if seed.type not in (dtypes.u64, dtypes.s64):
            raise NxTypeError(f"expected seed to be an integer, u64 tensor or s64 tensor, got {seed.ttype}", op=op)
        s = seed if seed.type is dtypes.u64 else bitcast(seed, dtypes.u64)
    elif isinstance(seed, (int, np.integer)) and not isinstance(seed, (bool, np.bool_)):
        if not -(1 << 63) <= seed < 1 << 64:
            raise NxValueError(f"seed {seed} does not fit 64 bits", op=op)
        s = to_tensor(int(seed) % (1 << 64), dtypes.u64)
    else:
        raise NxTypeError(f"expected seed to be an integer, u64 tensor or s64 tensor, got {seed!r}", op=op)
    if s.ndim != 0:
        raise NxValueError(f"expected a scalar seed, got {s.ttype}", op=op)
    words = stack([bitwise_right_shift(s, 32), bitwise_and(s, 0xFFFFFFFF)])
    return as_type(words, dtypes.u32)


def split(key, *, parts=2):
    """`parts` new keys from `key`, stacked on a leading axis (shape (parts, 2)).

    Examples:
        >>> nx.random.split(nx.random.key(42))
        nx.Tensor<
          u32[2][2]
          [[2465931498, 3679230171],
           [ 255383827,  267815257]]
        >
    """
    op = "random.split"
    k = _key(op, key)
    return _threefry(k, iota((_count(op, "parts", parts, 1), 2), type=dtypes.u32))


def fold_in(key, data):
    """A key made from `key` and integer `data` (Nx.Random.fold_in): the Threefry block of data's high and low 32
    bits. Data of shape S gives keys of shape S + (2,).

    Examples:
        >>> nx.random.fold_in(nx.random.key(42), 99)
        nx.Tensor<
          u32[2]
          [2015327502, 1351855566]
        >
    """
    op = "random.fold_in"
    k = _key(op, key)
    d = to_tensor(data)
    if not d.type.is_integer:
        raise NxTypeError(f"expected integer data, got {d.ttype}", op=op)
    d = as_type(d, dtypes.u64)
    words = [as_type(reshape(w, (d.size,)), dtypes.u32)
             for w in (bitwise_right_shift(d, 32), bitwise_and(d, 0xFFFFFFFF))]
    return reshape(stack(_halves(_threefry_words(*words, k)), axis=-1), d.shape + (2,))


# ---- integers ----

def _truncated_remainder(x, y):
    """Nx's remainder (the sign of x): x - quotient(x, y) * y (nx.remainder takes the sign of y)."""
    return subtract(x, multiply(quotient(x, y), y))


def randint(key, min_val, max_val, *, shape=(), type=None, names=None):
    """Uniform integers in [min_val, max_val) and the new key (Nx.Random.randint).

    Examples:
        >>> values, new_key = nx.random.randint(nx.random.key(42), 0, 10, shape=(5,))
        >>> values
        nx.Tensor<
          s64[5]
          [1, 7, 8, 1, 1]
        >
    """
    op = "random.randint"
    keys = split(_key(op, key))
    return _randint(op, keys[1], min_val, max_val, shape, type, names), keys[0]


def randint_split(key, min_val, max_val, *, shape=(), type=None, names=None):
    """randint from a key already split: the numbers only.

    Examples:
        >>> nx.random.randint_split(nx.random.key(42), 0, 10, shape=(5,))
        nx.Tensor<
          s64[5]
          [2, 5, 2, 0, 9]
        >
    """
    op = "random.randint_split"
    return _randint(op, _key(op, key), min_val, max_val, shape, type, names)


def _randint(op, key, min_val, max_val, shape, type, names):
    """Integers of `shape` and integer `type` (by default the bounds' type) in [min_val, max_val), by Nx's
    construction: two draws of the type's width, each reduced modulo the span and joined as
    high * (2^(bits/2))^2 + low, modulo the span, with the sums in s64 as Nx computes them."""
    shape = shape_of(op, shape)
    type = dtypes.as_dtype(type) if type is not None else result_type(op, min_val, max_val)
    if not type.is_integer:
        raise NxTypeError(f"expected integer type, got type {type.name}", op=op)
    lo, hi = (broadcast_to(to_tensor(v), shape) for v in (min_val, max_val))
    unsigned = _UNSIGNED[type.bits]
    bits = _random_bits(key, (2,) + shape, type.bits)
    span = as_type(subtract(hi, lo), unsigned)
    wide_span = as_type(span, dtypes.s64)
    step = _truncated_remainder(to_tensor(1 << type.bits // 2, dtypes.s64), wide_span)
    multiplier = _truncated_remainder(multiply(step, step), wide_span)
    high, low = (as_type(remainder(b, span), dtypes.s64) for b in (bits[0], bits[1]))
    offset = _truncated_remainder(add(multiply(high, multiplier), low), wide_span)
    return _named(as_type(add(lo, offset), type), names)


# ---- floats ----

def _float_or_complex(type, shape, draw):
    """draw(real_type, draw_shape) for a real type; for a complex one, the real and imaginary parts from one draw
    of twice as many numbers, interleaved on a last axis of 2 (Nx's float_or_complex)."""
    if not type.is_complex:
        return draw(type, shape)
    parts = draw(type.real_type, shape + (2,))
    return complex(*(reshape(slice_along_axis(parts, i, 1, axis=-1), shape) for i in (0, 1)))


def _parameters(op, values, shape, type):
    """Bounds, means or scales (name -> value) as real tensors of `type`'s real type, broadcast to `shape`; for
    complex types they apply to both parts. A Python number is made in that type, as Nx makes it."""
    out = []
    for what, value in values.items():
        if result_type(op, value).is_complex:
            raise NxTypeError(f"{what} must be real (for a complex type it applies to both parts), got {value!r}",
                              op=op)
        out.append(broadcast_to(to_tensor(value, type.real_type), shape))
    return out


def _for_draw(t, draw_shape):
    """A parameter of the result's shape, for a draw of `draw_shape` (the same, or with a last axis of 2 for the
    parts of a complex result)."""
    return t if t.shape == draw_shape else broadcast_to(new_axis(t, -1), draw_shape)


def _uniform_real(key, lo, hi, shape, type):
    """Uniform floats of real `type` in [lo, hi) (tensors of `type`): random mantissa bits under the exponent of
    1.0 give [1, 2); less 1, scaled and shifted (under IREE, whose CPU code contracts x * s + m into one fused
    multiply-add, the scaled and shifted values may differ in the last bit)."""
    bits = type.bits
    one_bits = int(np.array(1, type.np).view(_UNSIGNED[bits].np))
    mantissa = bitwise_right_shift(_random_bits(key, shape, bits), bits - _MANTISSA_BITS[type.name])
    unit = subtract(bitcast(bitwise_or(mantissa, one_bits), type), 1.0)
    return maximum(add(multiply(unit, subtract(hi, lo)), lo), lo)


def uniform(key, min_val=0.0, max_val=1.0, *, shape=(), type=None, names=None):
    """Uniform floats in [min_val, max_val) and the new key (Nx.Random.uniform).

    Examples:
        >>> values, new_key = nx.random.uniform(nx.random.key(42), shape=(3,))
        >>> values
        nx.Tensor<
          f32[3]
          [0.2851702, 0.6119449, 0.1756525]
        >
        >>> new_key
        nx.Tensor<
          u32[2]
          [2465931498, 3679230171]
        >
    """
    op = "random.uniform"
    keys = split(_key(op, key))
    return _uniform(op, keys[1], min_val, max_val, shape, type, names), keys[0]


def uniform_split(key, min_val=0.0, max_val=1.0, *, shape=(), type=None, names=None):
    """uniform from a key already split: the numbers only.

    Examples:
        >>> nx.random.uniform_split(nx.random.key(42), -1.0, 1.0, shape=(3,))
        nx.Tensor<
          f32[3]
          [ 0.14828873, -0.7996836 , -0.88107777]
        >
    """
    op = "random.uniform_split"
    return _uniform(op, _key(op, key), min_val, max_val, shape, type, names)


def _uniform(op, key, min_val, max_val, shape, type, names):
    """Uniform floats of `shape` and float or complex `type` (by default the bounds' float type; a complex type
    draws both parts in the interval)."""
    shape = shape_of(op, shape)
    type = _float_type(op, type, (min_val, max_val))
    lo, hi = _parameters(op, {"min_val": min_val, "max_val": max_val}, shape, type)

    def draw(real, draw_shape):
        return _uniform_real(key, _for_draw(lo, draw_shape), _for_draw(hi, draw_shape), draw_shape, real)
    return stop_grad(_named(_float_or_complex(type, shape, draw), names))


def _above_minus_one(type):
    """The float after -1 towards 0 in `type`, the lowest uniform draw that erf_inv maps to a normal one (Nx's
    next_after_minus_1: -1's bit pattern less one)."""
    unsigned = _UNSIGNED[type.bits].np
    return float(np.array(int(np.array(-1, type.np).view(unsigned)) - 1, unsigned).view(type.np))


# Giles' single-precision polynomials for erf_inv ("Approximating the erfinv function", 2010), in w = -log(1 - x^2):
# (bound on w, shift of w, whether the polynomial is in sqrt(w), coefficients from the highest power).
_ERF_INV_PIECES = (
    (5.0, 2.5, False, (2.81022636e-08, 3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087,
                       -0.00125372503, -0.00417768164, 0.246640727, 1.50140941)),
    (math.inf, 3.0, True, (-0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773,
                           -0.0076224613, 0.00943887047, 1.00167406, 2.83297682)),
)


def _in_f64(fn, x):
    """fn(x) computed in f64 and rounded once to x's type, as Nx's binary backend computes each op (on Elixir
    floats). NumPy's and IREE's own f32 log and erf_inv differ in the last bit; their f64 results round alike."""
    return fn(x) if x.type is dtypes.f64 else as_type(fn(as_type(x, dtypes.f64)), x.type)


def _giles_erf_inv(x):
    """erf_inv(x) for |x| < 1 by Giles' polynomials, evaluated as Nx's binary backend evaluates them (the `complex`
    package's erf_inv, in f64): x P(w) for w = -log((1 - x)(1 + x))."""
    w = negate(log(multiply(subtract(1, x), add(1, x))))
    result = None
    for bound, shift, in_root, coefficients in reversed(_ERF_INV_PIECES):
        t = subtract(sqrt(w) if in_root else w, shift)
        p = to_tensor(coefficients[0], x.type)
        for c in coefficients[1:]:
            p = add(multiply(p, t), c)
        result = p if result is None else select(less(w, bound), p, result)
    return multiply(result, x)


def _erf_inv(u):
    """The erf_inv of the normal draws: for f16, bf16 and f32 Nx's (Giles' polynomials in f64, rounded once), bit
    for bit; for f64 nx.erf_inv, since the polynomials hold single precision only."""
    return erf_inv(u) if u.type is dtypes.f64 else _in_f64(_giles_erf_inv, u)


def _normal_real(key, mean, scale, shape, type):
    """Normal floats of real `type`: sqrt(2) erf_inv(u) for u uniform in (-1, 1), scaled and shifted."""
    u = _uniform_real(key, to_tensor(_above_minus_one(type), type), to_tensor(1, type), shape, type)
    z = multiply(sqrt(to_tensor(2, type)), _erf_inv(u))
    return add(multiply(scale, z), mean)


def normal(key, mean=0.0, standard_deviation=1.0, *, shape=(), type=None, names=None):
    """Normal floats of `mean` and `standard_deviation` and the new key (Nx.Random.normal).

    Examples:
        >>> values, new_key = nx.random.normal(nx.random.key(42), shape=(3,))
        >>> values
        nx.Tensor<
          f32[3]
          [-0.5675502 ,  0.28439185, -0.9320608 ]
        >
    """
    op = "random.normal"
    keys = split(_key(op, key))
    return _normal(op, keys[1], mean, standard_deviation, shape, type, names), keys[0]


def normal_split(key, mean=0.0, standard_deviation=1.0, *, shape=(), type=None, names=None):
    """normal from a key already split: the numbers only.

    Examples:
        >>> nx.random.normal_split(nx.random.key(42), 10.0, 0.5, shape=(3,), type="f64")
        nx.Tensor<
          f64[3]
          [10.30613268, 10.56129419, 10.56866605]
        >
    """
    op = "random.normal_split"
    return _normal(op, _key(op, key), mean, standard_deviation, shape, type, names)


def _normal(op, key, mean, standard_deviation, shape, type, names):
    """Normal floats of `shape` and float or complex `type` (by default the parameters' float type; a complex type
    draws both parts with this mean and deviation)."""
    shape = shape_of(op, shape)
    type = _float_type(op, type, (mean, standard_deviation))
    m, s = _parameters(op, {"mean": mean, "standard_deviation": standard_deviation}, shape, type)

    def draw(real, draw_shape):
        return _normal_real(key, _for_draw(m, draw_shape), _for_draw(s, draw_shape), draw_shape, real)
    return stop_grad(_named(_float_or_complex(type, shape, draw), names))


_FACTORIZATIONS = ("cholesky", "svd", "eigh")


def multivariate_normal(key, mean, covariance, *, shape=None, type=None, names=None, method="cholesky"):
    """Samples of the multivariate normal distribution N(mean, covariance) and the new key
    (Nx.Random.multivariate_normal).

    Examples:
        >>> mean, covariance = nx.tensor([0.0, 10.0]), nx.tensor([[1.0, 0.0], [0.0, 4.0]])
        >>> samples, new_key = nx.random.multivariate_normal(nx.random.key(42), mean, covariance, shape=(2,))
        >>> samples
        nx.Tensor<
          f32[2][2]
          [[-0.5675502, 11.771261 ],
           [-0.9320608, 12.928232 ]]
        >
    """
    op = "random.multivariate_normal"
    keys = split(_key(op, key))
    return _multivariate_normal(op, keys[1], mean, covariance, shape, type, names, method), keys[0]


def multivariate_normal_split(key, mean, covariance, *, shape=None, type=None, names=None, method="cholesky"):
    """multivariate_normal from a key already split: the samples only.

    Examples:
        >>> mean, covariance = nx.tensor([0.0, 10.0]), nx.tensor([[1.0, 0.0], [0.0, 4.0]])
        >>> nx.random.multivariate_normal_split(nx.random.key(42), mean, covariance)
        nx.Tensor<
          f32[2]
          [-2.1698258, 10.929602 ]
        >
    """
    op = "random.multivariate_normal_split"
    return _multivariate_normal(op, _key(op, key), mean, covariance, shape, type, names, method)


def _multivariate_normal(op, key, mean, covariance, shape, type, names, method):
    """Samples of N(mean, covariance) (mean of shape (d,), covariance (d, d) positive semi-definite) of shape
    `shape` + (d,) (`shape` is the batch, () by default): mean + z A^T for standard normals z and
    A A^T = covariance, A from `method`: "cholesky", or "svd" or "eigh" (U sqrt(S)), which also take singular
    covariances."""
    if method not in _FACTORIZATIONS:
        raise NxValueError(f"method must be one of {', '.join(map(repr, _FACTORIZATIONS))}, got {method!r}", op=op)
    type = _float_type(op, type, (mean, covariance), complex_ok=False)
    m, c = to_tensor(mean, type), to_tensor(covariance, type)
    if m.ndim != 1:
        raise NxValueError(f"expected mean to have rank 1, got {m.ttype}", op=op)
    if c.ndim != 2 or c.shape[0] != c.shape[1]:
        raise NxValueError(f"expected covariance to be a square matrix, got {c.ttype}", op=op)
    if c.shape[0] != m.shape[0]:
        raise NxValueError(f"expected mean and covariance to have the same dimensions, got {m.ttype} and "
                           f"{c.ttype}", op=op)
    dim = m.shape[0]
    out_shape = (() if shape is None else shape_of(op, shape)) + (dim,)
    if method == "cholesky":
        factor = cholesky(c)
    else:  # U sqrt(S) from covariance = U diag(S) U^T
        vectors, values = svd(c)[:2] if method == "svd" else eigh(c)[::-1]
        factor = multiply(vectors, sqrt(values))
    z = reshape(_normal_real(key, to_tensor(0, type), to_tensor(1, type), out_shape, type), (-1, dim))
    return stop_grad(reshape(add(m, dot(z, [1], factor, [1])), out_shape, names=names))


def gumbel(key, *, shape=(), type=dtypes.f32):
    """Standard Gumbel floats and the new key (Nx.Random.gumbel).

    Examples:
        >>> values, new_key = nx.random.gumbel(nx.random.key(42), shape=(3,))
        >>> values
        nx.Tensor<
          f32[3]
          [-0.22687185,  0.711081  , -0.5534527 ]
        >
    """
    op = "random.gumbel"
    keys = split(_key(op, key))
    return _gumbel(op, keys[1], shape, type), keys[0]


def gumbel_split(key, *, shape=(), type=dtypes.f32):
    """gumbel from a key already split: the numbers only.

    Examples:
        >>> nx.random.gumbel_split(nx.random.key(42), shape=(2,), type="f64")
        nx.Tensor<
          f64[2]
          [0.58901365, 1.86600638]
        >
    """
    op = "random.gumbel_split"
    return _gumbel(op, _key(op, key), shape, type)


def _gumbel(op, key, shape, type):
    """Standard Gumbel floats -log(-log(u)) of `shape` and float `type`, for u uniform in
    [smallest normal, 1)."""
    shape = shape_of(op, shape)
    type = dtypes.as_dtype(type)
    if not type.is_float:
        raise NxTypeError(f"output type must be floating-point, got: {type.name}", op=op)
    tiny = float(dtypes.finfo(type).smallest_normal)
    u = _uniform_real(key, to_tensor(tiny, type), to_tensor(1, type), shape, type)
    return stop_grad(negate(_in_f64(log, negate(_in_f64(log, u)))))


# ---- permutations and samples ----

def _shuffle_rounds(size):
    """Nx's round count: ceil(3 log(size) / log(2^32 - 1)) in f32 (enough sorts by 32-bit keys that ties between
    them are unlikely), each log rounded from f64 to f32 as Nx computes it; no round for fewer than 2 elements."""
    if size < 2:
        return 0
    f32 = np.float32
    return int(np.ceil(f32(3) * f32(math.log(size)) / f32(math.log(2 ** 32 - 1))))


def _shuffle_independent(key, t, axis):
    """Each lane along `axis` permuted on its own: sorted by random 32-bit keys, in Nx's number of rounds."""
    for _ in range(_shuffle_rounds(t.size)):
        keys = split(key)
        sort_keys = _random_bits(keys[1], t.shape, 32)
        t = take_along_axis(t, argsort(sort_keys, axis=axis), axis=axis)
        key = keys[0]
    return t, key


def shuffle(key, tensor, *, axis=0, independent=False):
    """`tensor` with its slices along `axis` in a random order (one permutation for all; with `independent`, each
    lane along the axis permuted on its own) and the new key (Nx.Random.shuffle).

    Examples:
        >>> shuffled, new_key = nx.random.shuffle(nx.random.key(42), nx.tensor([1, 2, 3, 4, 5]))
        >>> shuffled
        nx.Tensor<
          s64[5]
          [3, 4, 1, 2, 5]
        >
    """
    op = "random.shuffle"
    k = _key(op, key)
    t = to_tensor(tensor)
    if t.ndim == 0:
        raise NxValueError(f"cannot shuffle rank-0 {t.ttype}", op=op)
    a = axis_index(op, t, axis)
    if _flag(op, "independent", independent):
        return _shuffle_independent(k, t, a)
    order, new_key = _shuffle_independent(k, iota((t.shape[a],)), 0)
    return take(t, order, axis=a), new_key


def choice(key, tensor, probabilities=None, *, samples=1, axis=None, replace=True):
    """`samples` slices of `tensor` along `axis` (elements of the flattened tensor when axis is None), drawn with
    or without replacement, uniformly or with `probabilities` (one per slice), and the new key
    (Nx.Random.choice).

    Examples:
        >>> samples, new_key = nx.random.choice(nx.random.key(42), nx.tensor([10, 20, 30]), samples=4)
        >>> samples
        nx.Tensor<
          s64[4]
          [30, 30, 30, 20]
        >
        >>> samples, new_key = nx.random.choice(nx.random.key(42), nx.iota((3,)), samples=3, replace=False)
        >>> samples
        nx.Tensor<
          s64[3]
          [2, 0, 1]
        >
    """
    op = "random.choice"
    k = _key(op, key)
    t = to_tensor(tensor)
    if t.ndim == 0:
        raise NxValueError(f"tensor must have rank 1 or greater, got {t.ttype}", op=op)
    if axis is None:
        t, a = reshape(t, (t.size,)), 0
    else:
        a = axis_index(op, t, axis)
    samples = _count(op, "samples", samples, 1)
    replace = _flag(op, "replace", replace)
    n = t.shape[a]
    if not replace and samples > n:
        raise NxValueError(f"cannot take more samples ({samples}) than the input size ({n}) when replace=False",
                           op=op)
    if probabilities is None:
        if replace:
            index, new_key = randint(k, 0, n, shape=(samples,), type=dtypes.u32)
            return take(t, index, axis=a), new_key
        shuffled, new_key = shuffle(k, t, axis=a)
        return slice_along_axis(shuffled, 0, samples, axis=a), new_key
    p = to_tensor(probabilities)
    if p.ndim != 1 or p.size != n:
        raise NxValueError(f"probabilities must have rank 1 and size {n} (the sampled axis), got {p.ttype}", op=op)
    if not p.type.is_float:
        raise NxTypeError(f"probabilities must be floats, got {p.ttype}", op=op)
    if replace:
        # The first slice whose cumulative probability passes a uniform draw of the total.
        cumulative = cumulative_sum(p)
        u, new_key = uniform(k, shape=(samples,), type=p.type)
        r = multiply(cumulative[-1], subtract(1, u))
        index = argmin(less_equal(new_axis(cumulative, 0), new_axis(r, 1)), axis=1)
        return take(t, index, axis=a), new_key
    # Gumbel top-k: the slices of the `samples` largest log p + Gumbel noise.
    g, new_key = gumbel(k, shape=(n,), type=p.type)
    index = slice_along_axis(argsort(subtract(negate(g), _in_f64(log, p))), 0, samples)
    return take(t, index, axis=a), new_key
