"""Nx's low-precision types: s2, s4, u2, u4 (stored a byte per element, computed in s8/u8) and f8 (e5m2),
f8_e4m3fn (computed in f32, rounded once): names, promotion, rounding against ml_dtypes, ops eagerly, on the
evaluator and on IREE, serialization and DLPack."""
import ml_dtypes
import numpy as np
import pytest

import numerix as nx
from numerix.dialect import dtypes

F8 = ["f8", "f8_e4m3fn"]
SUB_BYTE = ["s2", "s4", "u2", "u4"]


def _bits(array):
    """Bit patterns, every NaN as one pattern (ml_dtypes and IREE may differ in a NaN's sign)."""
    wide = array.astype(np.float32)
    return np.where(np.isnan(wide), -1, array.view(np.uint8).astype(np.int16))


def _rounding_probes(type):
    """All 256 bit patterns as f32, the midpoints between neighbouring finite values (ties) and one f32 step either
    side of each, and values past the largest, below the smallest subnormal, infinities, NaN."""
    patterns = np.arange(256, dtype=np.uint8).view(type.np).astype(np.float32)
    finite = np.unique(patterns[np.isfinite(patterns)])
    ties = ((finite[:-1].astype(np.float64) + finite[1:]) / 2).astype(np.float32)
    beside = [np.nextafter(ties, np.float32(d)) for d in (np.inf, -np.inf)]
    extremes = np.float32([1e6, -1e6, 61439, 61440, 465, 464, 480, 1e-30, -1e-30, 1e-45, np.inf, -np.inf, np.nan])
    return np.concatenate([patterns, ties, *beside, extremes])


def test_names_tuples_and_constructors():
    assert nx.s4 is nx.int4 and nx.u2 is nx.uint2 and nx.f8 is nx.float8_e5m2 and nx.f8_e4m3fn is nx.float8_e4m3fn
    assert nx.as_dtype(("f", 8)) is nx.f8 and nx.as_dtype(("f8_e4m3fn", 8)) is nx.f8_e4m3fn
    assert nx.as_dtype(("s", 4)) is nx.s4 and nx.as_dtype("u2") is nx.u2 and nx.as_dtype(ml_dtypes.int4) is nx.s4
    assert nx.f8.nx_type == ("f", 8) and nx.f8_e4m3fn.nx_type == ("f8_e4m3fn", 8) and nx.u4.nx_type == ("u", 4)
    t = nx.s4([1, -8, 7])
    assert t.type is nx.s4 and t.numpy().tolist() == [1, -8, 7]
    with pytest.raises(nx.NxValueError, match="does not fit type s4"):
        nx.s4([8])
    assert nx.f8_e4m3fn([448.0, 0.1]).numpy().astype(np.float32).tolist() == [448.0, 0.1015625]


def test_info():
    assert (nx.iinfo(nx.s4).min, nx.iinfo(nx.s4).max, nx.iinfo(nx.u2).max, nx.iinfo(nx.s2).min) == (-8, 7, 3, -2)
    assert (nx.finfo(nx.f8).max, nx.finfo(nx.f8).eps) == (57344.0, 0.25)
    assert (nx.finfo(nx.f8_e4m3fn).max, nx.finfo(nx.f8_e4m3fn).eps) == (448.0, 0.125)


@pytest.mark.parametrize("a, b, expected", [
    ("s4", "u4", "s8"), ("s2", "u2", "s4"), ("u4", "s8", "s8"), ("s4", "s2", "s4"), ("u4", "f8", "f8"),
    ("f8", "f16", "f16"), ("f8_e4m3fn", "f32", "f32"), ("f8", "bf16", "bf16"), ("f8_e4m3fn", "c64", "c64"),
    ("s64", "f8_e4m3fn", "f8_e4m3fn"),
])
def test_promotion(a, b, expected):
    assert nx.promote_types(a, b) is nx.as_dtype(expected)
    assert nx.promote_types(b, a) is nx.as_dtype(expected)


def test_the_two_f8_formats_do_not_merge():
    with pytest.raises(nx.NxTypeError, match="cannot merge f8 and f8_e4m3fn"):
        nx.add(nx.f8([1.0]), nx.f8_e4m3fn([1.0]))


def test_weak_scalars_keep_the_type():
    assert (nx.s4([1]) + 1).type is nx.s4 and (nx.f8([1.0]) * 2.5).type is nx.f8


@pytest.mark.parametrize("name", F8)
def test_rounding_to_f8_is_ml_dtypes(name):
    """Every f8 value, every tie (rounded to even), a step either side, overflow (inf for f8, NaN for f8_e4m3fn),
    underflow and NaN, from f32, f64 (including f64 values a hair past a tie, which f32 would round onto it) and
    f16: eagerly, on the evaluator and on IREE, bit for bit as ml_dtypes."""
    type = nx.as_dtype(name)
    probes = _rounding_probes(type)
    near_ties = np.concatenate([_rounding_probes(type).astype(np.float64) * (1 + s * 2.0 ** -40) for s in (1, -1)])
    sources = [probes, near_ties, probes.astype(np.float16)]
    with np.errstate(over="ignore"):
        expected = [s.astype(type.np) for s in sources]
    convert = lambda *xs: tuple(nx.as_type(x, type) for x in xs)  # noqa: E731
    tensors = [nx.tensor(s) for s in sources]
    for results in (convert(*tensors), nx.defn(convert)(*tensors), nx.defn(convert, compiler="evaluator")(*tensors)):
        for got, want in zip(results, expected):
            np.testing.assert_array_equal(_bits(got.numpy()), _bits(want))


@pytest.mark.parametrize("name", F8)
def test_every_f8_value_widens_exactly(name):
    type = nx.as_dtype(name)
    patterns = np.arange(256, dtype=np.uint8).view(type.np)
    widen = lambda x: (nx.as_type(x, nx.f32), nx.as_type(x, nx.f64), nx.as_type(x, nx.bf16))  # noqa: E731
    for f32, f64, bf16 in (widen(nx.tensor(patterns)), nx.defn(widen)(patterns),
                           nx.defn(widen, compiler="evaluator")(patterns)):
        np.testing.assert_array_equal(f32.numpy(), patterns.astype(np.float32))
        np.testing.assert_array_equal(f64.numpy(), patterns.astype(np.float64))
        np.testing.assert_array_equal(bf16.numpy().astype(np.float32), patterns.astype(np.float32))


def _float_ops(x, y):
    """(ops exact in f32 before the one rounding, ops whose f32 result may differ from NumPy's by an f32 ulp)."""
    exact = (x + y, x - y, x * y, x / y, -x, nx.abs(x), nx.sign(x), nx.maximum(x, y), x < y, nx.floor(x),
             nx.round(y), nx.isinf(x / 0), nx.isfinite(x / 0), nx.isnan(x), nx.sum(x), nx.min(y, axes=[1]),
             nx.max(y), nx.argmax(x, axis=1), nx.cumulative_sum(x, axis=1), nx.dot(x, nx.transpose(y)),
             nx.as_type(x, nx.f32), nx.as_type(x, nx.s8), nx.reshape(x, (4, 3)), nx.concatenate([x, y]),
             nx.sort(y, axis=1), nx.select(x < y, x, y), nx.pad(x, 0, [(1, 0, 0), (0, 1, 1)]))
    approximate = (nx.exp(x), nx.sqrt(nx.abs(y)), nx.tanh(x), nx.log(nx.abs(x) + 1), nx.mean(y))
    return exact, approximate


@pytest.mark.parametrize("name", F8)
def test_f8_ops_in_every_mode(name):
    """Computed in f32 and rounded once to the type: IREE and the evaluator give what the eager ops give, bit for
    bit where f32 arithmetic is exact before the rounding, and within one unit of the type elsewhere (exp, tanh and
    sqrt in f32 differ from NumPy's by an f32 ulp, which can move a rounding)."""
    type = nx.as_dtype(name)
    rng = np.random.default_rng(0)
    x, y = (nx.tensor(rng.uniform(-3, 3, (3, 4)), type=type) for _ in range(2))
    eager_exact, eager_approximate = _float_ops(x, y)
    for exact, approximate in (nx.defn(_float_ops)(x, y), nx.defn(_float_ops, compiler="evaluator")(x, y)):
        for got, want in zip(exact, eager_exact):
            assert got.type is want.type and got.shape == want.shape
            same = _bits if want.type is type else np.asarray
            np.testing.assert_array_equal(same(got.numpy()), same(want.numpy()))
        for got, want in zip(approximate, eager_approximate):
            assert got.type is want.type
            np.testing.assert_allclose(got.numpy().astype(np.float64), want.numpy().astype(np.float64),
                                       rtol=nx.finfo(type).eps)


def test_f8_arithmetic_rounds_each_step():
    """(x * 3.3) * 5.7 rounds to f8 after each product, as ml_dtypes does step by step (IREE once dropped bf16's
    intermediate roundings; the integer rounding keeps them)."""
    x = nx.f8(np.linspace(-4, 4, 41))
    chain = lambda t: (t * 3.3) * 5.7  # noqa: E731
    f8, f32 = ml_dtypes.float8_e5m2, np.float32
    weak = [f32(c).astype(f8).astype(f32) for c in (3.3, 5.7)]  # a Python float takes the tensor's type (3.5, 6)
    step = (x.numpy().astype(f32) * weak[0]).astype(f8)
    expected = (step.astype(f32) * weak[1]).astype(f8)
    for got in (chain(x), nx.defn(chain)(x), nx.defn(chain, compiler="evaluator")(x)):
        np.testing.assert_array_equal(_bits(got.numpy()), _bits(expected))


def _int_ops(wide):
    """Sub-byte integers made inside defn from s8 and converted back (test_sub_byte_arguments_and_results_on_iree
    passes them in and out)."""
    out = []
    for name in SUB_BYTE:
        x = nx.as_type(wide, name)
        wrapped = (x + x, x * x + x, x - 1, x // nx.maximum(x, 1), nx.max(x), x & 1, nx.abs(x))
        out += [nx.as_type(v, nx.s8) for v in wrapped]
        out += [nx.as_type(nx.as_type(wide, nx.f32) * 0.7, name), x > 0]
    return [o if o.type.bits >= 8 else nx.as_type(o, nx.s8) for o in out]


def test_sub_byte_integers_wrap_as_numpy_astype():
    """Arithmetic wraps into the type's range (as ml_dtypes' astype wraps); float conversions truncate and saturate
    (NaN -> 0), eagerly, on the evaluator and on IREE."""
    wide = nx.s8(np.arange(-9, 10))
    eager = _int_ops(wide)
    for compiled in (nx.defn(_int_ops)(wide), nx.defn(_int_ops, compiler="evaluator")(wide)):
        for got, want in zip(compiled, eager):
            np.testing.assert_array_equal(got.numpy(), want.numpy())
    s4 = nx.as_type(wide, nx.s4).numpy()
    np.testing.assert_array_equal(s4, np.arange(-9, 10).astype(ml_dtypes.int4))  # wraps: -9 -> 7, 8 -> -8
    np.testing.assert_array_equal(eager[0].numpy(), (np.arange(-9, 10) * 2).astype(ml_dtypes.int2).astype(np.int8))
    saturated = nx.as_type(nx.f32([-100.0, 100.0, np.nan, 2.9, -2.9]), nx.s4).numpy().astype(np.int8)
    np.testing.assert_array_equal(saturated, [-8, 7, 0, 2, -2])


def _sub_byte_program(x):
    """Ops on a sub-byte tensor, whose values IREE keeps between dispatches (a sort, a value several fusions read,
    loop and branch state, a constant), its results in its own type."""
    y = x + 1
    doubled = nx.while_loop(lambda s: s[0] < 3, lambda s: (s[0] + 1, s[1] + s[1] + 1), (nx.tensor(0), y))[1]
    kept = nx.cond(nx.sum(x) > 0, lambda: y, lambda: x - y)
    constant = nx.as_type(nx.tensor([1, -1, 2] * 5), x.type)
    return (x, y, x * x - y, nx.sort(y), nx.reverse(y) * y, nx.max(x), nx.cumulative_sum(x, axis=0), doubled,
            kept, y + constant, nx.concatenate([x, y]), nx.select(x > y, x, y), nx.reshape(y, (3, 5)),
            nx.as_type(x, nx.s8), nx.as_type(nx.as_type(x, nx.s8) * 3, x.type), x > 0, nx.argsort(y))


@pytest.mark.parametrize("name", SUB_BYTE)
def test_sub_byte_arguments_and_results_on_iree(name):
    """s2..u4 in and out of a compiled function (an odd count of elements, which IREE 3.13 refused when packed) and
    kept inside it: IREE and the evaluator give what the eager ops give, as the same bytes (ml_dtypes' form: the
    value's bits in the low bits of its byte)."""
    type = nx.as_dtype(name)
    info = nx.iinfo(type)
    x = nx.tensor(np.resize(np.arange(info.min, info.max + 1), 15), type=type)
    eager = _sub_byte_program(x)
    for compiled in (nx.defn(_sub_byte_program)(x), nx.defn(_sub_byte_program, compiler="evaluator")(x)):
        for got, want in zip(compiled, eager):
            assert got.type is want.type and got.shape == want.shape
            np.testing.assert_array_equal(got.numpy().view(np.uint8), want.numpy().view(np.uint8))


@pytest.mark.parametrize("name", F8 + SUB_BYTE + ["bf16"])
def test_serialize_and_binary_round_trip(name):
    type = nx.as_dtype(name)
    values = nx.tensor(np.arange(8).reshape(2, 4) % 4 - (2 if name[0] == "s" else 0), type=type)
    kind = int if type.is_integer else float
    back = nx.deserialize(nx.serialize({"t": values, "list": [values]}, compressed=6))
    for got in (back["t"], back["list"][0], nx.reshape(nx.from_binary(nx.to_binary(values), type), (2, 4))):
        assert got.type is type
        np.testing.assert_array_equal(got.numpy().view(np.uint8), values.numpy().view(np.uint8))
    flat = nx.to_flat_list(values)
    assert flat == values.numpy().astype(np.float64).reshape(-1).tolist()
    assert all(isinstance(v, kind) for v in flat)


@pytest.mark.parametrize("name", F8 + ["bf16"])
def test_dlpack_with_jax(name):
    jnp = pytest.importorskip("jax.numpy")
    type = nx.as_dtype(name)
    values = nx.tensor([1.5, -2.0, 0.25, 448.0], type=type)
    exported = jnp.from_dlpack(values)
    assert exported.dtype == type.np
    np.testing.assert_array_equal(np.asarray(exported).view(np.uint8), values.numpy().view(np.uint8))
    imported = nx.from_dlpack(jnp.asarray(values.numpy()))
    assert imported.type is type and imported.numpy().tolist() == values.numpy().tolist()
    assert nx.from_dlpack(values).type is type


def test_dlpack_refuses_sub_byte_integers():
    with pytest.raises(nx.NxTypeError, match="DLPack has no form of s4"):
        np.from_dlpack(nx.s4([1, 2]))


def test_ml_dtypes_set():
    assert {t.name for t in dtypes.ML_DTYPES} == {"bf16", "f8", "f8_e4m3fn", "s2", "s4", "u2", "u4"}
