"""The ops a random program is made of, each as a maker: `make(draw, pool)` draws operands from the values computed so
far and static arguments, and returns a `Call`: the Python expression of the step (public numerix API only), the
operands it reads, and the guard (guards.py) its operands must pass for all three backends to agree. A maker returns
None where the pool has no fitting operand; an expression that numerix rejects (NxError) is simply not used, so
makers need not know every typing rule."""
from typing import Callable, NamedTuple, Optional

import numpy as np
from hypothesis import strategies as st

import numerix as nx

from . import guards as g


class Call(NamedTuple):
    expr: str
    operands: tuple  # the Values it reads
    guard: Optional[Callable] = None  # guard(*operands) -> bool
    nan_ok: bool = False  # may make NaN (a domain op drawn outside its domain, clear of the boundary)
    may_overflow: bool = False  # integer results are checked against the same step computed in s64


def _kind(value):
    t = nx.as_dtype(value.type)
    return "complex" if t.is_complex else "float" if t.is_inexact else "bool" if t.is_bool else "int"


def _pick(draw, pool, accept=lambda v: True):
    """An operand from the pool that `accept`s it; the newest one half the time, so that steps form chains rather
    than many short branches off the inputs."""
    candidates = [v for v in reversed(pool) if accept(v)]
    if not candidates:
        return None
    return candidates[0] if draw(st.booleans()) else draw(st.sampled_from(candidates))


def _axis(draw, value):
    return draw(st.integers(-value.rank, value.rank - 1)) if value.rank else None


def _axes(draw, value):
    """None (all), one axis, or a tuple of distinct axes."""
    choice = draw(st.integers(0, 2))
    if value.rank == 0 or choice == 0:
        return None
    if choice == 1:
        return _axis(draw, value)
    return tuple(sorted(draw(st.sets(st.integers(0, value.rank - 1), min_size=1, max_size=value.rank))))


def _kwargs(**kwargs):
    return "".join(f", {k}={v!r}" for k, v in kwargs.items() if v is not None)


def _scalar(draw, value):
    """A Python number the other operand of a binary op may be (a weak scalar: it takes the tensor's type)."""
    kind = _kind(value)
    if kind == "bool":
        return draw(st.sampled_from([True, False]))
    if kind == "int":
        return draw(st.sampled_from([0, 1, 2, 3, 5]))
    return draw(st.sampled_from([0.5, -1.25, 2.0, 3.0, 0.75]))


class _Literal(NamedTuple):
    """A Python scalar operand: it has no name, and guards see it as a value of its tensor operand's type."""
    name: str
    array: np.ndarray
    type: str
    scale: float
    rank: int = 0
    shape: tuple = ()


def _second_operand(draw, pool, a):
    """The other operand of a binary op: a Python scalar now and then, else a value whose shape broadcasts with a."""
    if draw(st.integers(0, 3)) == 0:
        number = _scalar(draw, a)
        return _Literal(repr(number), np.asarray(number), a.type, max(1.0, abs(number)))
    return _pick(draw, pool, lambda v: _broadcasts(a.shape, v.shape))


def _broadcasts(*shapes):
    try:
        np.broadcast_shapes(*shapes)
        return True
    except ValueError:
        return False


# ---- elementwise ----

def _singular(points):
    """Guard of a real function singular (or with a domain boundary) at `points`; complex operands stay off the real
    axis, where these functions have their branch cuts."""
    def guard(x):
        if _kind(x) == "complex":
            return g.off_real_axis(x)
        return g.away_from(points, x, g.SINGULAR_DISTANCE)
    return guard


def _tan_guard(x):
    if _kind(x) == "complex":
        return g.off_real_axis(x)
    return bool(np.all(np.abs(np.cos(g.finite(np.asarray(x.array, np.float64)))) >= g.SINGULAR_DISTANCE))


def _if_float(guard):
    return lambda *xs: guard(*xs) if any(g.is_float(x) for x in xs) else True


# name: (guard or None, whether it may leave its domain and make NaN)
UNARY = {
    "exp": (None, False), "exp2": (None, False), "expm1": (None, False), "log": (_singular([0]), True),
    "log1p": (_singular([-1]), True),
    "log2": (_singular([0]), True), "log10": (_singular([0]), True), "sqrt": (_singular([0]), True),
    "rsqrt": (_singular([0]), True), "reciprocal": (_singular([0]), False), "cbrt": (_singular([0]), False),
    "sin": (None, False), "cos": (None, False), "tan": (_tan_guard, False), "asin": (_singular([-1, 1]), True),
    "acos": (_singular([-1, 1]), True), "atan": (None, False), "sinh": (None, False), "cosh": (None, False),
    "tanh": (None, False), "asinh": (None, False), "acosh": (_singular([1]), True),
    "atanh": (_singular([-1, 1]), True), "erf": (None, False), "erfc": (None, False),
    "erf_inv": (_singular([-1, 1]), True), "sigmoid": (None, False), "negate": (None, False), "abs": (None, False),
    "square": (None, False), "sign": (g.nonzero, False), "floor": (g.away_from_integers, False),
    "ceil": (g.away_from_integers, False), "trunc": (g.away_from_integers, False),
    "round": (lambda x: g.away_from_integers(x, 0.5), False), "conj": (None, False), "real": (None, False),
    "imag": (None, False), "angle": (lambda x: g.off_real_axis(x) if _kind(x) == "complex" else g.nonzero(x), False),
    "isnan": (None, False), "isfinite": (None, False), "isinf": (None, False), "signbit": (g.definite_sign, False),
    "bitwise_not": (None, False), "logical_not": (g.nonzero, False), "population_count": (None, False),
    "count_leading_zeros": (None, False),
}
OVERFLOWING_UNARY = {"negate", "abs", "square"}


def unary(name):
    guard, nan_ok = UNARY[name]

    def make(draw, pool):
        x = _pick(draw, pool)
        # A domain op is drawn outside its domain now and then, to check that NaN comes out in the same places.
        outside = nan_ok and draw(st.integers(0, 9)) == 0
        return Call(f"nx.{name}({x.name})", (x,), guard, nan_ok=outside, may_overflow=name in OVERFLOWING_UNARY)
    return make


def _divisor(b):
    """Floats: away from 0 by SINGULAR_DISTANCE (a quotient's error grows as 1/b^2); integers: no zero at all."""
    a = np.asarray(b.array)
    if _kind(b) in ("int", "bool"):
        return bool(np.all(a != 0))
    return bool(np.all(np.abs(g.finite(a)) >= g.SINGULAR_DISTANCE))


def _floor_division(a, b):
    """floor_divide and remainder jump where a / b is an integer."""
    if not _divisor(b):
        return False
    if not (g.is_float(a) or g.is_float(b)):
        return True
    x, y = np.broadcast_arrays(np.asarray(a.array, np.float64), np.asarray(b.array, np.float64))
    q = g.finite(x / y)
    return bool(np.all(np.abs(q - np.round(q)) >= max(g.margin(a), g.margin(b))))


def _power(a, b):
    """Real floats: a positive base (a negative one makes NaN for every non-integer exponent) and a small exponent;
    integers: a non-negative exponent (s64 overflow is checked by the caller)."""
    if _kind(a) == "complex" or _kind(b) == "complex":
        return False
    base, exponent = np.asarray(a.array, np.float64), np.asarray(b.array, np.float64)
    if g.is_float(a) or g.is_float(b):
        return bool(np.all(base >= g.SINGULAR_DISTANCE) and np.all(np.abs(exponent) <= 4))
    return bool(np.all(exponent >= 0) and np.all(exponent <= 8))


def _atan2(y, x):
    """atan2 jumps on the negative x axis and is undefined at the origin."""
    ys, xs = np.broadcast_arrays(np.asarray(y.array, np.float64), np.asarray(x.array, np.float64))
    distance = max(g.margin(y), g.margin(x), g.SINGULAR_DISTANCE)
    return bool(np.all((np.abs(ys) >= distance) | (xs >= distance)))


def _shift(a, b):
    """A shift by a negative amount or by the bit width or more is implementation-defined."""
    amounts = np.asarray(b.array, np.int64)
    return bool(np.all(amounts >= 0) and np.all(amounts < nx.as_dtype(a.type).bits))


def _sign_of_second(a, b):
    return g.definite_sign(b)


# name: (guard or None, whether integer results may overflow)
BINARY = {
    "add": (None, True), "subtract": (None, True), "multiply": (None, True),
    "divide": (lambda a, b: _divisor(b), False), "floor_divide": (_floor_division, False),
    "remainder": (_floor_division, False), "quotient": (lambda a, b: _divisor(b), False), "pow": (_power, True),
    "maximum": (None, False), "minimum": (None, False), "atan2": (_atan2, False), "hypot": (None, False),
    "copysign": (_sign_of_second, False), "nextafter": (_if_float(g.apart), False), "logaddexp": (None, False),
    "bitwise_and": (None, False), "bitwise_or": (None, False), "bitwise_xor": (None, False),
    "left_shift": (_shift, True), "right_shift": (_shift, False),
    "logical_and": (lambda a, b: g.nonzero(a) and g.nonzero(b), False),
    "logical_or": (lambda a, b: g.nonzero(a) and g.nonzero(b), False),
    "logical_xor": (lambda a, b: g.nonzero(a) and g.nonzero(b), False),
    "equal": (g.apart, False), "not_equal": (g.apart, False), "less": (g.apart, False),
    "less_equal": (g.apart, False), "greater": (g.apart, False), "greater_equal": (g.apart, False),
}
OPERATORS = {"add": "+", "subtract": "-", "multiply": "*", "divide": "/", "less": "<", "greater_equal": ">="}


def binary(name):
    guard, may_overflow = BINARY[name]

    def make(draw, pool):
        a = _pick(draw, pool)
        b = _second_operand(draw, pool, a)
        if b is None:
            return None
        if name in OPERATORS and draw(st.booleans()):  # the Tensor operators too, not only the functions
            expr = f"({a.name} {OPERATORS[name]} {b.name})"
        else:
            expr = f"nx.{name}({a.name}, {b.name})"
        return Call(expr, (a, b), guard, may_overflow=may_overflow)
    return make


def make_where(draw, pool):
    """where(condition, x, y): the condition an existing bool value, or a comparison with a threshold."""
    x = _pick(draw, pool)
    y = _pick(draw, pool, lambda v: _broadcasts(x.shape, v.shape))
    condition = _pick(draw, pool, lambda v: v.type == "bool" and _broadcasts(x.shape, y.shape, v.shape))
    function = draw(st.sampled_from(["where", "select"]))
    if condition is not None and draw(st.booleans()):
        return Call(f"nx.{function}({condition.name}, {x.name}, {y.name})", (condition, x, y))
    c = _pick(draw, pool, lambda v: _kind(v) in ("int", "float") and _broadcasts(x.shape, y.shape, v.shape))
    if c is None:
        return None
    threshold = draw(st.sampled_from([0, 1, -1, 0.5, 2.5]))
    literal = _Literal(repr(threshold), np.asarray(threshold), c.type, 1.0)
    return Call(f"nx.{function}(nx.greater({c.name}, {threshold!r}), {x.name}, {y.name})", (c, x, y),
                lambda c, x, y: g.apart(c, literal))


def make_clip(draw, pool):
    x = _pick(draw, pool, lambda v: _kind(v) in ("int", "float"))
    if x is None:
        return None
    low = draw(st.sampled_from([-2, -1, 0, 0.5]))
    high = low + draw(st.sampled_from([1, 2, 3.5]))
    if _kind(x) == "int":
        low, high = int(low), int(high)
    return Call(f"nx.clip({x.name}, {low!r}, {high!r})", (x,))


def make_astype(draw, pool):
    x = _pick(draw, pool)
    target = draw(st.sampled_from(["f32", "f64", "s32", "s64", "u8", "bool", "f16", "bf16", "c64"]))

    def guard(x):
        t = nx.as_dtype(target)
        if t.is_bool:
            return g.nonzero(x)
        if t.is_integer and g.is_float(x):
            return _kind(x) != "complex" and g.away_from_integers(x) and g.within_range(x, target)
        return g.within_range(x, target)
    return Call(f"nx.astype({x.name}, {target!r})", (x,), guard)


# ---- reductions, scans, sorting ----

REDUCTIONS = {"sum": True, "prod": True, "max": False, "min": False, "mean": False, "all": False, "any": False,
              "count_nonzero": False, "logsumexp": False, "var": False}


def reduction(name):
    def make(draw, pool):
        x = _pick(draw, pool)
        axes = _axes(draw, x)
        keepdims = draw(st.booleans()) or None
        guard = g.nonzero if name in ("all", "any", "count_nonzero") else None
        return Call(f"nx.{name}({x.name}{_kwargs(axis=axes, keepdims=keepdims)})", (x,), guard,
                    may_overflow=REDUCTIONS[name])
    return make


def arg_reduction(name):
    def make(draw, pool):
        x = _pick(draw, pool, lambda v: _kind(v) in ("int", "float", "bool"))
        if x is None:
            return None
        axis = _axis(draw, x) if draw(st.booleans()) else None
        keepdims = (draw(st.booleans()) or None) if axis is not None else None
        return Call(f"nx.{name}({x.name}{_kwargs(axis=axis, keepdims=keepdims)})", (x,),
                    lambda x: g.clear_extremum(x, axis))
    return make


def scan(name):
    def make(draw, pool):
        x = _pick(draw, pool, lambda v: v.rank > 0)
        if x is None:
            return None
        axis, reverse = _axis(draw, x), draw(st.booleans()) or None
        return Call(f"nx.{name}({x.name}{_kwargs(axis=axis, reverse=reverse)})", (x,),
                    may_overflow=name in ("cumulative_sum", "cumulative_prod"))
    return make


def make_sort(draw, pool):
    x = _pick(draw, pool, lambda v: v.rank > 0 and _kind(v) != "complex")
    if x is None:
        return None
    axis, descending = _axis(draw, x), draw(st.booleans()) or None
    if draw(st.booleans()):
        return Call(f"nx.sort({x.name}{_kwargs(axis=axis, descending=descending)})", (x,))
    return Call(f"nx.argsort({x.name}{_kwargs(axis=axis, descending=descending)})", (x,),
                lambda x: g.distinct_along(x, axis))


# ---- shapes ----

def _factorizations(size, rank):
    if rank == 0:
        return [()] if size == 1 else []
    return [(d, *rest) for d in range(1, size + 1) if size % d == 0 for rest in _factorizations(size // d, rank - 1)]


def make_reshape(draw, pool):
    x = _pick(draw, pool)
    size = int(np.prod(x.shape))
    if size == 0:  # an empty tensor's reshapes are not worth telling apart
        return None
    shape = draw(st.sampled_from([s for rank in range(4) for s in _factorizations(size, rank)]))
    if draw(st.booleans()) and shape:  # -1 lets numerix work out one dimension
        shape = (*shape[:-1], -1)
    return Call(f"nx.reshape({x.name}, {shape!r})", (x,))


def make_transpose(draw, pool):
    x = _pick(draw, pool, lambda v: v.rank > 1)
    if x is None:
        return None
    axes = tuple(draw(st.permutations(range(x.rank))))
    return Call(f"nx.transpose({x.name}, axes={axes!r})", (x,))


def make_reshaping(draw, pool):
    """expand_dims, squeeze, flip, roll, moveaxis, tile, repeat, broadcast_to, pad: one of the small shape ops."""
    x = _pick(draw, pool)
    op = draw(st.sampled_from(["expand_dims", "squeeze", "flip", "roll", "moveaxis", "tile", "repeat",
                               "broadcast_to", "pad"]))
    if op == "expand_dims":
        return Call(f"nx.expand_dims({x.name}, axis={draw(st.integers(-x.rank - 1, x.rank))})", (x,))
    if op == "broadcast_to":
        shape = (draw(st.integers(1, 3)), *[draw(st.sampled_from([d, d if d != 1 else 3])) for d in x.shape])
        return Call(f"nx.broadcast_to({x.name}, {shape!r})", (x,))
    if op == "tile":
        reps = tuple(draw(st.integers(1, 2)) for _ in range(draw(st.integers(1, max(1, x.rank)))))
        return Call(f"nx.tile({x.name}, {reps!r})", (x,))
    if x.rank == 0:
        return None
    if op == "squeeze":
        ones = [i for i, d in enumerate(x.shape) if d == 1]
        return Call(f"nx.squeeze({x.name}, axis={tuple(ones)!r})", (x,)) if ones else None
    if op == "flip":
        return Call(f"nx.flip({x.name}{_kwargs(axis=_axes(draw, x))})", (x,))
    if op == "roll":
        shift = draw(st.integers(-3, 3))
        return Call(f"nx.roll({x.name}, {shift}{_kwargs(axis=_axis(draw, x) if draw(st.booleans()) else None)})",
                    (x,))
    if op == "moveaxis":
        return Call(f"nx.moveaxis({x.name}, {_axis(draw, x)}, {_axis(draw, x)})", (x,))
    if op == "repeat":
        return Call(f"nx.repeat({x.name}, {draw(st.integers(1, 3))}, axis={_axis(draw, x)})", (x,))
    config = [(draw(st.integers(0, 2)), draw(st.integers(-1, 2)), draw(st.integers(0, 1))) for _ in x.shape]
    if any(d + lo + hi + (d - 1) * interior < 0 for d, (lo, hi, interior) in zip(x.shape, config)):
        return None
    return Call(f"nx.pad({x.name}, {_scalar(draw, x)!r}, {config!r})", (x,))


def make_concatenate(draw, pool):
    x = _pick(draw, pool, lambda v: v.rank > 0)
    if x is None:
        return None
    axis = _axis(draw, x)
    if draw(st.booleans()):
        y = _pick(draw, pool, lambda v: v.shape == x.shape)
        return Call(f"nx.stack([{x.name}, {y.name}], axis={draw(st.integers(-x.rank - 1, x.rank))})", (x, y))
    y = _pick(draw, pool, lambda v: v.rank == x.rank and all(
        a == b for i, (a, b) in enumerate(zip(v.shape, x.shape)) if i != axis % x.rank))
    return Call(f"nx.concatenate([{x.name}, {y.name}], axis={axis})", (x, y))


# ---- indexing ----

def _index_entry(draw, dim):
    kind = draw(st.integers(0, 4))
    if dim == 0:  # an empty axis (a slice made it) takes no integer index
        return ":"
    if kind == 0:
        return repr(draw(st.integers(-dim, dim - 1)))
    if kind == 1:
        return ":"
    start = draw(st.one_of(st.none(), st.integers(-dim, dim)))
    stop = draw(st.one_of(st.none(), st.integers(-dim, dim)))
    step = draw(st.sampled_from([None, 2, -1, -2]))
    return ":".join("" if v is None else repr(v) for v in (start, stop)) + ("" if step is None else f":{step}")


def make_index(draw, pool):
    """t[...] with basic entries (ints, slices, None, ...), or a list of ints along one axis (a gather)."""
    x = _pick(draw, pool, lambda v: v.rank > 0)
    if x is None:
        return None
    if draw(st.integers(0, 3)) == 0:
        axis = draw(st.integers(0, x.rank - 1))
        if x.shape[axis] == 0:
            return None
        indices = draw(st.lists(st.integers(-x.shape[axis], x.shape[axis] - 1), min_size=1, max_size=4))
        if draw(st.booleans()):
            return Call(f"nx.take({x.name}, nx.tensor({indices!r}), axis={axis})", (x,))
        return Call(f"{x.name}[{', '.join([':'] * axis + [repr(indices)])}]", (x,))
    count = draw(st.integers(1, x.rank))
    entries = [_index_entry(draw, d) for d in x.shape[:count]]
    if draw(st.integers(0, 4)) == 0:
        entries.insert(draw(st.integers(0, len(entries))), "None")
    if draw(st.integers(0, 4)) == 0:
        entries.insert(0, "...")
    return Call(f"{x.name}[{', '.join(entries)}]", (x,))


# ---- contractions ----

def make_contraction(draw, pool):
    """matmul (a @ b, b transposed or not), dot, vecdot, outer: a second operand whose axis fits a's last."""
    a = _pick(draw, pool, lambda v: v.rank > 0 and _kind(v) != "bool")
    if a is None:
        return None
    op = draw(st.sampled_from(["matmul", "matmul_t", "dot", "vecdot", "outer"]))
    k = a.shape[-1]
    if op == "outer":
        b = _pick(draw, pool, lambda v: v.rank > 0 and _kind(v) != "bool")
        return Call(f"nx.outer({a.name}, {b.name})", (a, b), may_overflow=True)
    if op == "matmul_t":  # b's last axis meets a's last: a @ b^T, so a value contracts with itself too
        b = _pick(draw, pool, lambda v: v.rank > 1 and v.shape[-1] == k)
        if b is None:
            return None
        return Call(f"({a.name} @ nx.matrix_transpose({b.name}))", (a, b), may_overflow=True)
    if op == "vecdot":
        b = _pick(draw, pool, lambda v: v.rank > 0 and v.shape[-1] == k and _broadcasts(a.shape, v.shape))
        if b is None:
            return None
        return Call(f"nx.vecdot({a.name}, {b.name})", (a, b), may_overflow=True)
    b = _pick(draw, pool, lambda v: (v.rank == 1 and v.shape[0] == k) or (v.rank > 1 and v.shape[-2] == k))
    if b is None:
        return None
    return Call(f"nx.{op}({a.name}, {b.name})", (a, b), may_overflow=True)


# ---- gradients ----

SMOOTH = ("sin", "cos", "tanh", "exp", "square", "sigmoid", "atan")


def make_grad(draw, pool):
    """The gradient of sum(f(t)) at a real float value, for a smooth f: traced as nx.grad, expanded by nx-grad."""
    x = _pick(draw, pool, lambda v: _kind(v) == "float")
    if x is None:
        return None
    return Call(f"nx.grad(lambda t: nx.sum(nx.{draw(st.sampled_from(SMOOTH))}(t)))({x.name})", (x,))


# ---- control flow ----

def make_cond(draw, pool):
    """nx.cond on whether every element of a value is past a threshold (each clear of it), choosing one of two
    elementwise functions of a float value."""
    x = _pick(draw, pool, lambda v: _kind(v) == "float")
    c = _pick(draw, pool, lambda v: _kind(v) in ("int", "float"))
    if x is None or c is None:
        return None
    threshold = draw(st.sampled_from([0, 1, -1, 0.5]))
    literal = _Literal(repr(threshold), np.asarray(threshold), c.type, 1.0)
    first, second = draw(st.sampled_from([("sin", "cos"), ("tanh", "negative"), ("square", "abs")]))
    return Call(f"nx.cond(nx.all(nx.greater({c.name}, {threshold!r})), lambda v: nx.{first}(v), "
                f"lambda v: nx.{second}(v), {x.name})", (c, x), lambda c, x: g.apart(c, literal))


def make_fori(draw, pool):
    """A fori_loop of a contracting map over a float value: 3 trips, or 20 (run unrolled, with a remainder)."""
    x = _pick(draw, pool, lambda v: _kind(v) == "float")
    if x is None:
        return None
    trips = draw(st.sampled_from([3, 20]))
    return Call(f"nx.fori_loop(0, {trips}, lambda i, v: v * 0.5 + nx.sin(v) * 0.25, {x.name})", (x,))


# ---- windows, convolution, random numbers ----

def make_window(draw, pool):
    """window_sum, window_max or window_min over a real value: windows of 1 to 3 elements per axis (within the axis,
    so that "valid" leaves a result), strides 1 or 2, "valid" or "same" padding."""
    x = _pick(draw, pool, lambda v: v.rank > 0 and _kind(v) in ("int", "float") and min(v.shape) > 0)
    if x is None:
        return None
    window = tuple(draw(st.integers(1, min(n, 3))) for n in x.shape)
    strides = tuple(draw(st.integers(1, 2)) for _ in x.shape)
    padding = draw(st.sampled_from(["valid", "same"]))
    op = draw(st.sampled_from(["window_sum", "window_max", "window_min"]))
    return Call(f"nx.{op}({x.name}, {window}, strides={strides}, padding={padding!r})", (x,),
                may_overflow=op == "window_sum")


def make_conv(draw, pool):
    """nx.conv of a float value of rank 3 or 4 (batch, features, spatial axes) with a fixed kernel of 1 or 2 output
    features and a window of 1 to 2 elements per spatial axis, strides 1 or 2, "valid" or "same" padding."""
    x = _pick(draw, pool, lambda v: v.rank in (3, 4) and _kind(v) == "float" and min(v.shape) > 0)
    if x is None:
        return None
    features = draw(st.integers(1, 2))
    kernel = (features, x.shape[1]) + tuple(draw(st.integers(1, min(n, 2))) for n in x.shape[2:])
    size = int(np.prod(kernel))
    strides = draw(st.integers(1, 2))
    padding = draw(st.sampled_from(["valid", "same"]))
    return Call(f"nx.conv({x.name}, nx.reshape(nx.arange({size}, dtype={x.name}.dtype) * 0.25 - 0.5, {kernel}), "
                f"strides={strides}, padding={padding!r})", (x,))


def make_random(draw, pool):
    """A float value plus uniform numbers of its shape and type from a fixed key (Threefry under defn)."""
    x = _pick(draw, pool, lambda v: _kind(v) == "float" and v.type in ("f32", "f64"))
    if x is None:
        return None
    seed = draw(st.integers(0, 2 ** 32 - 1))
    return Call(f"{x.name} + nx.random.uniform_split(nx.random.key({seed}), shape={x.name}.shape, "
                f"type={x.name}.dtype)", (x,))


# Each maker with its weight: how often a step tries it (elementwise ops are many, so each has a small weight).
MAKERS = (
    [(unary(name), 1) for name in UNARY]
    + [(binary(name), 2) for name in BINARY]
    + [(make_where, 6), (make_clip, 2), (make_astype, 6)]
    + [(reduction(name), 3) for name in REDUCTIONS]
    + [(arg_reduction(name), 3) for name in ("argmax", "argmin")]
    + [(scan(name), 2) for name in ("cumulative_sum", "cumulative_prod", "cumulative_max", "cumulative_min")]
    + [(make_sort, 4), (make_reshape, 6), (make_transpose, 6), (make_reshaping, 12), (make_concatenate, 6),
       (make_index, 12), (make_contraction, 12), (make_grad, 4), (make_cond, 4), (make_fori, 3)]
    + [(make_window, 8), (make_conv, 6), (make_random, 3)]
)
WEIGHTED_MAKERS = [maker for maker, weight in MAKERS for _ in range(weight)]
