"""f32 sin, cos and tan (dialect/lower_trig.py) against NumPy's f64 functions rounded to f32: within an ULP of the
correctly rounded result from tiny arguments to the largest f32, NaN for NaN and the infinities, -0 kept by sin and
tan. They are elementwise arithmetic alone (no branch, no libm call), so they fuse with their neighbours and build
for any CPU."""
import numpy as np

import numerix as nx
from numerix.runtime.iree import compile_stablehlo, flags_for

# The f32 closest to multiples of pi/2 (an exhaustive search of every f32 from pi/4 up: x 2/pi is within 1.03e-9 of
# an integer at 7.729179e+28), where the reduction cancels the most.
CLOSEST_TO_MULTIPLES = [7.729179e+28, 2.1999385e+10, 1.5458358e+29, 4.399877e+10, 2.5289821e+02, 3.0916716e+29,
                        4.6381834e+25, 1.522789e+12, 8.117627e+22, 8.799754e+10, 5.0579642e+02, 4.386558e+33]
# Where the reduction switches to another window of 2/pi (lower_trig._WINDOWS), with the floats just below.
WINDOW_BOUNDS = [2.0 ** 51, 2.0 ** 77, 2.0 ** 103]


def _ordered(x):
    """f32 bit patterns as integers that count representable floats (-0 and +0 are both 0)."""
    bits = x.view(np.int32).astype(np.int64)
    return np.where(bits < 0, -(bits & 0x7FFFFFFF), bits)


def _ulps(got, want):
    return np.abs(_ordered(got) - _ordered(want))


def _samples(rng, n=200_000):
    """(range name, f32 values): about a million arguments."""
    halves = rng.integers(-2 ** 19, 2 ** 19, n) * (np.pi / 2)
    near = np.nextafter(halves.astype(np.float32), np.float32(np.inf) * rng.choice([-1, 1], n))
    bounds = np.array(WINDOW_BOUNDS, np.float32)
    info = np.finfo(np.float32)  # (subnormals are flushed to zero on CPU)
    edges = np.concatenate([bounds, np.nextafter(bounds, np.float32(0)), [info.max, info.tiny]])
    exact_range = 2.0 ** 19 * np.pi / 2
    return {
        "tiny to 1": rng.choice([-1, 1], n) * 10.0 ** rng.uniform(-37, 0, n),
        "to 1e4": rng.uniform(-1e4, 1e4, n),
        "next to multiples of pi/2": near,
        "to 2^19 pi/2": rng.uniform(-exact_range, exact_range, n),
        "huge": rng.choice([-1, 1], n) * 2.0 ** rng.uniform(np.log2(exact_range), 128, n),
        "hardest and edges": np.concatenate([CLOSEST_TO_MULTIPLES, edges, np.negative(CLOSEST_TO_MULTIPLES),
                                             -edges]),
    }


def test_f32_sin_cos_tan_are_within_an_ulp_of_the_correctly_rounded_result():
    samples = {name: np.asarray(v, np.float32) for name, v in _samples(np.random.default_rng(0)).items()}
    specials = np.array([0.0, -0.0, np.inf, -np.inf, np.nan], np.float32)
    x = np.concatenate(list(samples.values()) + [specials])
    f = nx.defn(lambda a: (nx.sin(a), nx.cos(a), nx.tan(a)))
    results = [np.asarray(r) for r in f(nx.tensor(x))]
    worst, start = {}, 0
    for name, values in samples.items():
        rows = slice(start, start + values.size)
        start += values.size
        wide = values.astype(np.float64)
        for op, reference, got in zip(("sin", "cos", "tan"), (np.sin, np.cos, np.tan), results):
            worst[op, name] = int(_ulps(got[rows], reference(wide).astype(np.float32)).max())
    over = {key: ulps for key, ulps in worst.items() if ulps > 1}
    assert not over, f"max ULP from NumPy's f64 result rounded to f32: {over}"
    sin, cos, tan = (r[start:] for r in results)
    np.testing.assert_array_equal(np.signbit(sin[:2]), [False, True])
    np.testing.assert_array_equal(np.signbit(tan[:2]), [False, True])
    np.testing.assert_array_equal(cos[:2], [1, 1])
    assert np.isnan(np.concatenate([sin[2:], cos[2:], tan[2:]])).all()


def test_f32_trigonometry_fuses_and_needs_no_libm():
    f = nx.defn(lambda a: nx.tan(nx.sin(a) * 2 + nx.cos(a)))
    text = f.lower(nx.tensor(np.ones(8, np.float32))).as_text("stablehlo")
    assert text.count("linalg.generic") == 1  # the whole chain is one fusion
    assert not any(op in text for op in ("stablehlo.if", "stablehlo.sine", "stablehlo.cosine", "stablehlo.tan"))
    # IREE's embedded linking (nx-compile without --host) has no libm: a libm call would fail to link here.
    compile_stablehlo(text, flags=flags_for("llvm-cpu", flops=0, host=False))
