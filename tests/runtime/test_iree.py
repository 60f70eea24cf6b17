"""The "iree" compiler on IREE's known pitfalls (docs/iree.md), each checked against NumPy: f64 stays f64 and its libm
functions are within a few ULP on 100k points; boolean add is OR; unsigned integers are unsigned; integer division
and remainder follow NumPy's signs; NaN compares as NumPy does. Then the executable's interface."""
import numpy as np
import pytest
from iree.compiler import compile_str

import numerix as nx
from numerix.dialect import dtypes
from numerix.dialect.errors import NxTypeError, NxValueError
from numerix.passes import pipeline
from numerix.passes.iree_policy import flags_for
from numerix.runtime.compilers import get_compiler
from numerix.runtime.iree import compile_stablehlo

from lowering_cases import Case, build_module, compile_and_run, tensor_type


def _run(cases_spec, arrays):
    """[(op, operand indices, attrs)] on `arrays` -> the first result of each case."""
    arg_types = [tensor_type(a) for a in arrays]
    cases = [Case(name, operands, attrs, arg_types) for name, operands, attrs in cases_spec]
    return [outs[0] for outs in compile_and_run(arg_types, cases, arrays)]


def _ulps(got, want):
    return np.abs(got - want) / np.spacing(np.abs(want))


F64_FUNCTIONS = {  # op: (NumPy, input range, max ULP)
    "sin": (np.sin, (-1e4, 1e4), 1), "cos": (np.cos, (-1e4, 1e4), 1), "tan": (np.tan, (-1e4, 1e4), 2),
    "tanh": (np.tanh, (-20, 20), 3), "log": (np.log, (1e-300, 1e300), 1), "exp": (np.exp, (-700, 700), 1),
    "expm1": (np.expm1, (-5, 5), 3), "log1p": (np.log1p, (-0.9, 5), 3), "sinh": (np.sinh, (-700, 700), 3),
    "asinh": (np.arcsinh, (-1e6, 1e6), 3),
}


def test_constant_f64_libm_expressions_build():
    """IREE evaluates constant expressions at compile time in a module of its own, linked without libm: a constant
    complex atan (computed in f64: atan2, sin, cos) failed to link there (the fuzzer's seed 1313). Such a module
    builds without that evaluation, and computes the constants when it is loaded."""
    def program(flag):
        z = nx.as_type(nx.argmax(flag), nx.c64)  # the constant 0, whatever the argument
        return nx.atan(z + 0.5j), nx.exp(nx.equal(nx.exp(nx.atan(z)), 0.5))
    atan, one = nx.defn(program, compiler="iree")(nx.tensor(True))
    np.testing.assert_allclose(atan.numpy(), np.arctan(np.complex64(0.5j)), rtol=1e-6)
    assert one.numpy() == 1.0


def test_f64_functions_are_within_a_few_ulp_on_100k_points():
    rng = np.random.default_rng(1)
    n = 100_000
    arrays, spec = [], []
    for i, (name, (_, (low, high), _)) in enumerate(F64_FUNCTIONS.items()):
        if low > 0:  # log-uniform over many decades
            arrays.append(np.exp(rng.uniform(np.log(low), np.log(high), n)))
        else:
            arrays.append(rng.uniform(low, high, n))
        spec.append((name, [i], {}))
    x, y = rng.uniform(-1e4, 1e4, n), rng.uniform(-1e3, 1e3, n)
    arrays += [x, y]
    spec += [("atan2", [len(arrays) - 2, len(arrays) - 1], {}), ("remainder", [len(arrays) - 2, len(arrays) - 1], {})]
    results = _run(spec, arrays)
    assert all(r.dtype == np.float64 for r in results)  # not demoted to f32
    worst = {}
    for (name, (reference, _, limit)), a, got in zip(F64_FUNCTIONS.items(), arrays, results):
        worst[name] = (_ulps(got, reference(a)).max(), limit)
    worst["atan2"] = (_ulps(results[-2], np.arctan2(x, y)).max(), 1)
    remainder = np.remainder(x, y)
    worst["remainder"] = (np.abs(results[-1] - remainder).max(), 0)  # fmod is exact
    over = {name: (float(err), limit) for name, (err, limit) in worst.items() if err > limit}
    assert not over, f"max ULP error (found, allowed): {over}"


def test_f64_is_not_demoted():
    x = np.array([1 + 2.0 ** -40, 1e30, 2.0 ** -100])
    (got,) = _run([("multiply", [0, 0], {})], [x])
    assert got.dtype == np.float64
    np.testing.assert_array_equal(got, x * x)  # f32 would give inf and 0 and lose the 2^-40


def test_bool_add_is_or_and_multiply_is_and():
    p = np.array([False, False, True, True])
    q = np.array([False, True, False, True])
    add, multiply = _run([("add", [0, 1], {}), ("multiply", [0, 1], {})], [p, q])
    np.testing.assert_array_equal(add, p | q)  # stablehlo.add on i1 would be XOR: True + True -> False
    np.testing.assert_array_equal(multiply, p & q)


@pytest.mark.parametrize("name", ["u8", "u32", "u64"])
def test_unsigned_integers_are_unsigned(name):
    t = dtypes.TYPES[name]
    top = np.iinfo(t.np).max
    x = np.array([top, top - 1, 5, 0, 1 << (t.bits - 1)], t.np)
    y = np.array([2, top, 3, 7, 3], t.np)
    spec = [("less", [0, 1], {}), ("floor_divide", [0, 1], {}), ("remainder", [0, 1], {}), ("max", [0, 1], {}),
            ("right_shift", [0, 1], {}), ("as_type", [0], {"type": dtypes.f64}), ("as_type", [0], {"type": dtypes.s64})]
    less, quotient, remainder, biggest, shifted, wide, signed = _run(spec, [x, y])
    np.testing.assert_array_equal(less, x < y)
    np.testing.assert_array_equal(quotient, x // y)
    np.testing.assert_array_equal(remainder, x % y)
    np.testing.assert_array_equal(biggest, np.maximum(x, y))
    np.testing.assert_array_equal(shifted, np.where(y < t.bits, x >> np.minimum(y, t.bits - 1), 0))
    np.testing.assert_array_equal(wide, x.astype(np.float64))
    np.testing.assert_array_equal(signed, x.astype(np.int64))


def test_integer_division_and_remainder_follow_numpy_signs():
    x = np.array([7, -7, 7, -7, 0, 5, -128, -128, 3], np.int8)
    y = np.array([2, 2, -2, -2, 3, 0, -1, 3, -128], np.int8)
    quotient, remainder = _run([("floor_divide", [0, 1], {}), ("remainder", [0, 1], {})], [x, y])
    with np.errstate(all="ignore"):
        np.testing.assert_array_equal(quotient, np.floor_divide(x, y))  # x // 0 is 0; -128 // -1 wraps to -128
        np.testing.assert_array_equal(remainder, np.remainder(x, y))  # the divisor's sign; x % 0 is 0


def test_float_floor_division_and_remainder_follow_numpy():
    x = np.array([7.5, -7.5, 7.5, -7.5, 1.0, -1.0, 0.0, np.inf, 5.0, 1e300])
    y = np.array([2.0, 2.0, -2.0, -2.0, 0.0, 0.0, -3.0, 2.0, np.inf, 1e-300])
    quotient, remainder = _run([("floor_divide", [0, 1], {}), ("remainder", [0, 1], {})], [x, y])
    with np.errstate(all="ignore"):
        np.testing.assert_array_equal(quotient, np.floor_divide(x, y))
        np.testing.assert_array_equal(remainder, np.remainder(x, y))


def test_nan_compares_as_numpy():
    x = np.array([np.nan, np.nan, 1.0, 1.0], np.float32)
    y = np.array([np.nan, 1.0, np.nan, 1.0], np.float32)
    names = ["equal", "not_equal", "less", "less_equal", "greater", "greater_equal"]
    results = _run([(n, [0, 1], {}) for n in names], [x, y])
    for name, got in zip(names, results):
        want = {"equal": x == y, "not_equal": x != y, "less": x < y, "less_equal": x <= y, "greater": x > y,
                "greater_equal": x >= y}[name]
        np.testing.assert_array_equal(got, want, err_msg=name)


def test_float_to_integer_saturates_and_nan_is_zero():
    x = np.array([np.nan, np.inf, -np.inf, 1e20, -1e20, 2.9, -2.9, 127.5, -128.9], np.float32)
    s8, u8 = _run([("as_type", [0], {"type": dtypes.s8}), ("as_type", [0], {"type": dtypes.u8})], [x])
    np.testing.assert_array_equal(s8, [0, 127, -128, 127, -128, 2, -2, 127, -128])
    np.testing.assert_array_equal(u8, [0, 255, 0, 255, 0, 2, 0, 127, 0])


def test_round_is_half_to_even():
    x = np.array([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4999999])
    (got,) = _run([("round", [0], {})], [x])
    np.testing.assert_array_equal(got, np.round(x))


# ---- the executable ----

def _add_module(shape=(4,), type=dtypes.f32):
    arg_types = [tensor_type(np.zeros(shape, type.np))] * 2
    return build_module(arg_types, [Case("add", [0, 1], {}, arg_types)])


def test_executable_checks_its_arguments():
    run = get_compiler("iree").compile(_add_module(), "main", {})
    a = np.ones(4, np.float32)
    with pytest.raises(NxTypeError, match=r"argument 1 is float64\[4\]; the function takes float32\[4\]"):
        run(a, np.ones(4))
    with pytest.raises(NxValueError, match="takes 2 arrays, got 1"):
        run(a)
    np.testing.assert_array_equal(run(a, a)[0], a + a)


def test_results_stay_valid_after_later_calls():
    run = get_compiler("iree").compile(_add_module(), "main", {})
    first = run(np.ones(4, np.float32), np.ones(4, np.float32))[0]
    for i in range(50):
        run(np.full(4, i, np.float32), np.ones(4, np.float32))
    np.testing.assert_array_equal(first, 2)


def test_empty_and_scalar_tensors():
    for shape in [(0, 3), ()]:
        run = get_compiler("iree").compile(_add_module(shape), "main", {})
        a = np.ones(shape, np.float32)
        (got,) = run(a, a)
        assert got.shape == shape and got.dtype == np.float32
        np.testing.assert_array_equal(got, a + a)


def test_unknown_options_and_targets_are_errors():
    with pytest.raises(NxValueError, match="unknown options"):
        get_compiler("iree").compile(_add_module(), "main", {"optimise": True})
    with pytest.raises(NxValueError, match="unknown target"):
        get_compiler("iree").compile(_add_module(), "main", {"target": "tpu"})


def test_local_task_driver_gives_the_same_answer():
    run = get_compiler("iree").compile(_add_module(), "main", {"driver": "local-task"})
    a = np.arange(4, dtype=np.float32)
    np.testing.assert_array_equal(run(a, a)[0], a + a)


def test_gpu_targets_compile_without_a_gpu():
    import iree.runtime as rt
    text = pipeline.lower(_add_module())
    vmfb = compile_stablehlo(text, "vulkan-spirv", flags_for("vulkan-spirv", flops=0))
    assert b"vulkan" in vmfb  # a Vulkan executable inside
    assert "main" in rt.VmModule.copy_buffer(rt.VmInstance(), vmfb).function_names


def test_rocm_asks_for_its_gpu_architecture():
    text = pipeline.lower(_add_module())
    with pytest.raises(NxValueError, match="--iree-rocm-target=gfx942"):
        compile_stablehlo(text, "rocm", flags_for("rocm", flops=0))
    assert b"hip" in compile_stablehlo(text, "rocm", flags_for("rocm", flops=0) + ["--iree-rocm-target=gfx942"])


def test_arguments_need_not_be_contiguous():
    run = get_compiler("iree").compile(_add_module((2, 3)), "main", {})
    a = np.arange(6, dtype=np.float32).reshape(3, 2).T
    assert not a.flags.c_contiguous
    np.testing.assert_array_equal(run(a, a)[0], a + a)


def _aligned(array, offset=0):
    """A copy of `array` whose data starts `offset` bytes past a 64-byte boundary."""
    raw = np.empty(array.nbytes + 64 + offset, np.uint8)
    start = (-raw.ctypes.data) % 64 + offset
    out = raw[start:start + array.nbytes].view(array.dtype).reshape(array.shape)
    out[...] = array
    return out


IMPORTED_SIZE = 1 << 15  # f32 elements: 128 KiB, past IMPORT_BYTES


def _read_only(array):
    array.flags.writeable = False
    return array


ARGUMENT_LAYOUTS = {  # layout: (make an argument from an array, imported without a copy)
    "aligned": (_aligned, True),
    "misaligned": (lambda a: _aligned(a, offset=4), False),
    "read-only": (lambda a: _read_only(_aligned(a)), False),
    "non-contiguous": (lambda a: _aligned(np.repeat(a, 2))[::2], False),
    "small": (lambda a: _aligned(a[:16]), False),
}


@pytest.mark.parametrize("layout", ARGUMENT_LAYOUTS)
@pytest.mark.parametrize("driver", ["local-sync", "local-task"])
def test_large_aligned_writeable_arguments_are_read_in_place(layout, driver):
    make, in_place = ARGUMENT_LAYOUTS[layout]
    values = np.random.default_rng(0).standard_normal(IMPORTED_SIZE).astype(np.float32)
    a, b = make(values), make(values[::-1].copy())
    expected_a, expected_b = a.copy(), b.copy()
    run = get_compiler("iree").compile(_add_module(a.shape), "main", {"driver": driver})
    imports = []
    real_import = run._import
    run._import = lambda *args: imports.append(1) or real_import(*args)
    (got,) = run(a, b)
    assert len(imports) == (2 if in_place else 0)
    np.testing.assert_array_equal(got, expected_a + expected_b)
    np.testing.assert_array_equal(a, expected_a)  # IREE did not write into the caller's arrays
    np.testing.assert_array_equal(b, expected_b)
    assert not np.shares_memory(got, a) and not np.shares_memory(got, b) and not got.flags.writeable


def test_results_never_share_memory_with_arguments():
    """A program that returns its argument, or a view of it, gives a copy: the caller may change the argument."""
    import numerix as nx
    f = nx.defn(lambda x: (x, nx.reshape(x, (IMPORTED_SIZE // 4, 4)), x + 1), compiler="iree")
    x = _aligned(np.arange(IMPORTED_SIZE, dtype=np.float32))
    same, reshaped, plus_one = f(nx.tensor(x))
    for result in (same, reshaped, plus_one):
        assert not np.shares_memory(result.numpy(), x) and not result.numpy().flags.writeable
    x[...] = -1
    np.testing.assert_array_equal(same.numpy(), np.arange(IMPORTED_SIZE))
    np.testing.assert_array_equal(reshaped.numpy().ravel(), np.arange(IMPORTED_SIZE))
    np.testing.assert_array_equal(plus_one.numpy(), np.arange(IMPORTED_SIZE) + 1)


def test_memory_stays_flat_over_repeated_calls():
    import resource
    run = get_compiler("iree").compile(_add_module((IMPORTED_SIZE,)), "main", {})
    aligned, copied = _aligned(np.ones(IMPORTED_SIZE, np.float32)), np.ones(IMPORTED_SIZE, np.float32)
    for _ in range(50):  # warms IREE's caching allocator
        run(aligned, aligned), run(copied, copied)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for _ in range(2000):  # 2000 * 4 arguments and results of 128 KiB: 1 GiB if any were kept
        run(aligned, aligned), run(copied, copied)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 32 << 10  # KiB


@pytest.mark.parametrize("large_result", [False, True], ids=["small results, copied", "a large result, mapped"])
def test_small_arguments_reuse_their_buffers_without_leaking_into_results(large_result):
    """Small arguments are copied into buffers kept between calls: a result IREE returns in one of them (the
    argument itself, a view of it, or either of two picked by a predicate) is copied before the next call refills it.
    (Small results are always copied; with a large one, results are mapped, and those in an argument's buffer
    copied.)"""
    import numerix as nx

    def program(x, y, pick):
        results = (x, nx.reshape(x, (2, 3)), x[1:], x + 1, nx.where(pick, x, y))
        return results + ((nx.broadcast_to(x[0], (256, 1024)),) if large_result else ())
    f = nx.defn(program, compiler="iree")

    def call(start, pick):
        x = np.arange(start, start + 6, dtype=np.float32)
        return x, [r.numpy() for r in f(nx.tensor(x), nx.tensor(-x), nx.tensor(pick))]
    first_x, first = call(0, True)
    second_x, second = call(10, False)
    for x, results, picked in ((first_x, first, first_x), (second_x, second, -second_x)):
        np.testing.assert_array_equal(results[0], x)
        np.testing.assert_array_equal(results[1], x.reshape(2, 3))
        np.testing.assert_array_equal(results[2], x[1:])
        np.testing.assert_array_equal(results[3], x + 1)
        np.testing.assert_array_equal(results[4], picked)
        assert not any(r.flags.writeable for r in results)


def test_concurrent_calls_of_one_function_on_threads():
    """A call made while another thread's call holds the kept argument buffers takes the general path."""
    import threading
    import numerix as nx
    f = nx.defn(lambda x: nx.sin(x) * 2 + x, compiler="iree")
    inputs = [np.full(8, i, np.float32) for i in range(4)]
    f(nx.tensor(inputs[0]))
    wrong = []

    def work(x):
        expected = np.sin(x) * 2 + x
        for _ in range(500):
            if not np.allclose(f(nx.tensor(x)).numpy(), expected, rtol=1e-6):
                wrong.append(x[0])
    threads = [threading.Thread(target=work, args=(x,)) for x in inputs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not wrong


def test_work_that_fails_while_it_runs_is_a_numerix_error():
    """Large work runs asynchronously: a failure reaches the caller through the semaphore it waits on."""
    import time
    run = get_compiler("iree").compile(_add_module(), "main", {"driver": "local-task"})
    assert run._fenced
    semaphore = run._device.create_semaphore(0)
    semaphore.fail("out of memory, say")
    with pytest.raises(NxValueError, match="the IREE call failed while it ran: .*out of memory, say"):
        run._wait(semaphore, time.perf_counter())


@pytest.mark.parametrize("type_name", ["c64", "c128"])
@pytest.mark.parametrize("name, reference", [
    ("atanh", np.arctanh), ("atan", np.arctan), ("exp", np.exp), ("sqrt", np.sqrt), ("sinh", np.sinh),
    ("cosh", np.cosh), ("tanh", np.tanh), ("sin", np.sin), ("cos", np.cos), ("tan", np.tan), ("asinh", np.arcsinh),
    ("asin", np.arcsin), ("acos", np.arccos), ("acosh", np.arccosh)])
def test_complex_functions_follow_numpy_at_infinities_and_huge_values(type_name, name, reference):
    """C99 Annex G's special values, as NumPy gives them, for the functions that follow them (lower_complex.py):
    atanh and atan at infinite parts give (+-0, +-pi/2) (the textbook formula gave 3 pi / 8), past 1/eps 1/z's real
    part (the formula's squares overflowed to 0); the others give NumPy's infinities, zeros and NaNs where their
    formulas' products gave NaN, and the inverse sines and cosines log(2z) where the formula overflowed to inf."""
    import numerix as nx
    dtype = dtypes.TYPES[type_name].np
    parts = [0.0, -0.0, 1.0, -1.0, 2.5, -0.5, 3e16, 1e18, np.inf, -np.inf, np.nan]  # no result is subnormal
    if type_name == "c128":
        parts.append(1e300)
    z = np.array([complex(x, y) for x in parts for y in parts], dtype)
    got = nx.defn(getattr(nx, name), compiler="iree")(z).numpy()
    eps = np.finfo(dtype).eps
    with np.errstate(all="ignore"):  # the infinities themselves
        want = reference(z)
        beside_nan = np.isnan(want)  # a part beside a NaN: C99 leaves its sign unspecified
        scale = np.where(beside_nan, 0, np.abs(want))
        for g, w in ((got.real, want.real), (got.imag, want.imag)):  # each part within 4 eps of |want|
            both_nan = np.isnan(g) & np.isnan(w)
            close = (g == w) & (np.signbit(g) == np.signbit(w)) | (np.abs(g - w) <= 4 * eps * scale) | \
                beside_nan & (np.abs(g) == np.abs(w))
            assert np.all(both_nan | close), [(z[i], got[i], want[i]) for i in np.flatnonzero(~(both_nan | close))]


@pytest.mark.parametrize("name, reference", [("asinh", np.arcsinh), ("asin", np.arcsin), ("acos", np.arccos),
                                             ("acosh", np.arccosh)])
def test_complex_inverse_sines_and_cosines_keep_their_digits(name, reference):
    """Kahan's formulas: within 8 eps of NumPy's (glibc's, accurate) near 0, +-1 and +-i and from |z| = 1e-15 to 1e10.
    log(w + sqrt(w^2 + 1)) rounded 1 + u before the log (asinh(1e-12 + 3e-12j) was 3e-5 off), and pi/2 - asin z
    cancelled near 1 (acos there was 1e7 ULP off)."""
    import numerix as nx
    rng = np.random.default_rng(0)
    offsets = 10 ** rng.uniform(-14, -1, (2, 400)) * rng.choice([-1, 1], (2, 400))
    wide = 10 ** rng.uniform(-15, 10, (2, 1000)) * rng.choice([-1, 1], (2, 1000))
    z = np.concatenate([center + offsets[0] + 1j * offsets[1] for center in (0, 1, -1, 1j, -1j)] +
                       [wide[0] + 1j * wide[1]])
    got = nx.defn(getattr(nx, name), compiler="iree")(z).numpy()
    want = reference(z)
    assert np.max(np.abs(got - want) / np.abs(want)) <= 8 * np.finfo(np.float64).eps


@pytest.mark.parametrize("name, reference", [("atanh", np.arctanh), ("atan", np.arctan)])
def test_complex_atanh_and_atan_are_finite_and_accurate_near_their_branch_points(name, reference):
    """Near atanh's z = -1 (atan's z = i) the formula's log1p argument came within rounding of -1: -inf or NaN for
    about 1 in 5 points. Within 8 eps of NumPy's around every branch point."""
    import numerix as nx
    rng = np.random.default_rng(0)
    offsets = 10 ** rng.uniform(-14, -1, (2, 500)) * rng.choice([-1, 1], (2, 500))
    z = np.concatenate([center + offsets[0] + 1j * offsets[1] for center in (1, -1, 1j, -1j)])
    got = nx.defn(getattr(nx, name), compiler="iree")(z).numpy()
    want = reference(z)
    assert np.max(np.abs(got - want) / np.abs(want)) <= 8 * np.finfo(np.float64).eps


@pytest.mark.parametrize("compiler", ["iree", "evaluator"])
def test_complex_log1p_keeps_the_digits_of_a_small_argument(compiler):
    """NumPy's complex log1p is log(1 + z), which rounds 1 + z first: 3e-5 off at 1e-12 + 3e-12j. numerix's (compiled
    and NumPy rule alike) is within 4 eps of the series z - z^2/2 + z^3/3 - z^4/4 below |z| = 1e-5."""
    import numerix as nx
    rng = np.random.default_rng(0)
    parts = 10 ** rng.uniform(-15, -5, (2, 1000)) * rng.choice([-1, 1], (2, 1000))
    z = parts[0] + 1j * parts[1]
    want = z - z ** 2 / 2 + z ** 3 / 3 - z ** 4 / 4
    got = nx.defn(nx.log1p, compiler=compiler)(z).numpy()
    assert np.max(np.abs(got - want) / np.abs(want)) <= 4 * np.finfo(np.float64).eps


def test_complex_zero_to_a_power_follows_numpy():
    """0 ** w is 0 wherever w's real part is positive (w = 2 + 1j too, which gave NaN), else NaN."""
    import numerix as nx
    w = np.array([2 + 1j, 1e-10 + 0.5j, 1j, -1 + 1j, complex(1, np.nan), 2, 0], np.complex128)
    z = np.zeros_like(w)
    with np.errstate(all="ignore"):
        want = z ** w
    np.testing.assert_array_equal(nx.defn(lambda a, b: a ** b, compiler="iree")(z, w).numpy(), want)


def test_complex_power_of_infinite_and_nan_bases_follows_numpy():
    """exp(w log z) takes C's complex product, which recovers infinities: (inf + NaN i) ** 0.5 is inf + NaN i as
    NumPy's (glibc's cpow) gives, not NaN + NaN i. Every pair of parts from {0, -0, 1, -1, 2.5, inf, -inf, NaN} to
    six powers, in c128."""
    import itertools

    import numerix as nx
    values = [0.0, -0.0, 1.0, -1.0, 2.5, np.inf, -np.inf, np.nan]
    z = np.array([complex(a, b) for a, b in itertools.product(values, values)])
    power = nx.defn(lambda a, b: a ** b, compiler="iree")
    for w in (0, 1, 2, -1, 0.5, 2 + 1j):
        w = np.full(z.shape, w, np.complex128)
        with np.errstate(all="ignore"):
            want = z ** w
        got = power(z, w).numpy()
        for part in ("real", "imag"):  # part by part: NumPy counts a complex number NaN when either part is
            np.testing.assert_allclose(getattr(got, part), getattr(want, part), rtol=1e-12, err_msg=f"w = {w[0]}")


def test_zero_size_inputs_compile_without_iree_warnings_on_stderr(capfd):
    # compiled here, not found in the disk cache: the warning came from iree-compile
    x = nx.tensor(np.zeros((0,), np.float32))
    lowered = nx.defn(lambda a: nx.any(a > nx.zeros_like(a))).lower(x)
    text = lowered.as_text("stablehlo")
    compile_str(text, target_backends=["llvm-cpu"], input_type="stablehlo", extra_args=flags_for("llvm-cpu", flops=0))
    assert "warning" not in capfd.readouterr().err
