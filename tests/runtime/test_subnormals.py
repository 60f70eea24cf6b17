"""Compiled CPU code keeps subnormals, as NumPy does: IREE's runtime flushes them to zero unless each dispatch clears
the flush (passes/iree_policy.py), and numerix's f32 exp, log, log2, log10, cbrt and tanh handle them. NumPy's own
accuracy sets (umath-validation-set-*.csv, shipped in its wheel: inputs, correctly rounded results and a ULP bound
per function and type) pass in full under defn."""
import os
import tempfile
import warnings

import numpy as np
import pytest
from iree.compiler import compile_str

import numerix as nx
from numerix.passes.iree_policy import subnormals_flag

_SETS = os.path.join(os.path.dirname(np.__file__), "_core", "tests", "data")
# NumPy's names for the functions numerix spells the array API's way
_NAMES = {"arccos": "acos", "arccosh": "acosh", "arcsin": "asin", "arcsinh": "asinh", "arctan": "atan",
          "arctanh": "atanh"}
_BITS = {"float32": np.uint32, "float64": np.uint64}


def _validation_sets(dtype):
    """{NumPy function name: (inputs, correctly rounded results, ULP bound)} of the files' rows of `dtype`."""
    sets = {}
    for file in sorted(f for f in os.listdir(_SETS) if f.startswith("umath-validation-set-") and f.endswith(".csv")):
        with open(os.path.join(_SETS, file)) as lines:
            rows = [line.strip().split(",") for line in lines
                    if line[0] not in "$#" and line.startswith(f"np.{dtype},")]
        if rows:
            def column(i):
                return np.array([int(row[i], 16) for row in rows], _BITS[dtype]).view(dtype)
            sets[file[len("umath-validation-set-"):-len(".csv")]] = (column(1), column(2), max(int(r[3]) for r in rows))
    return sets


def _ulps(got, want):
    """Units in the last place between same-typed floats, through their ordered bit patterns (0 where both NaN)."""
    signed = got.dtype.str.replace("f", "i")
    big = np.iinfo(signed).min

    def ordered(a):
        bits = a.view(signed).astype(object)
        return np.where(bits < 0, big - bits, bits)
    distance = np.abs(ordered(got) - ordered(want)).astype(float)
    return np.where(np.isnan(got) & np.isnan(want), 0, distance)


@pytest.mark.skipif(not os.path.isdir(_SETS), reason="this NumPy wheel ships no validation sets")
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_numpy_accuracy_sets_pass_under_defn(dtype):
    sets = _validation_sets(dtype)
    assert len(sets) >= 20 and all(hasattr(nx, _NAMES.get(name, name)) for name in sets)
    run = nx.defn(lambda inputs: {name: getattr(nx, _NAMES.get(name, name))(x) for name, x in inputs.items()})
    results = run({name: nx.tensor(x) for name, (x, _, _) in sets.items()})
    failures = []
    for name, (x, want, bound) in sets.items():
        got = np.asarray(results[name])
        ulps = _ulps(got, want)
        bad = np.flatnonzero(ulps > bound)
        if bad.size:
            i = bad[0]
            failures.append(f"{name}: {bad.size} of {x.size} rows over {bound} ULP, e.g. {name}({x[i]!r}) = "
                            f"{got[i]!r}, want {want[i]!r} ({ulps[i]:.0f} ULP)")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("driver", ["local-sync", "local-task"])
def test_subnormals_survive_both_cpu_drivers(driver):
    f = nx.defn(lambda a: (a * 2, nx.log(a), a / 4), driver=driver)
    twice, log, quarter = (np.asarray(r) for r in f(nx.tensor(np.full(8, 1e-40, np.float32))))
    np.testing.assert_array_equal(twice, np.float32(1e-40) * 2)
    np.testing.assert_allclose(log, np.log(np.float32(1e-40)), rtol=1e-6)
    np.testing.assert_array_equal(quarter, np.float32(1e-40) / 4)


@pytest.mark.parametrize("driver", ["local-sync", "local-task"])
def test_subnormals_flush_when_asked_and_the_modes_do_not_leak_into_each_other(driver):
    # local-task's worker threads keep whatever the last dispatch they ran left in their control register, so each
    # mode sets its own state: flush, keep, flush again on the same threads.
    x = nx.tensor(np.full(1 << 20, 1e-40, np.float32))  # large enough to be spread over local-task's threads
    modes = {mode: nx.defn(lambda a: a * 2, driver=driver, subnormals=mode) for mode in ("flush", "keep")}
    for mode in ("flush", "keep", "flush"):
        out = np.asarray(modes[mode](x))
        assert np.all(out == 0) if mode == "flush" else np.all(out == np.float32(1e-40) * 2), mode


def test_an_unknown_subnormals_mode_is_refused():
    with pytest.raises(ValueError, match="subnormals='ftz'.*'keep', 'flush'"):
        nx.defn(lambda a: a * 2, subnormals="ftz")(nx.tensor([1.0]))


def test_a_call_leaves_the_callers_floating_point_state_as_it_found_it():
    # local-sync runs dispatches on the calling thread. Resetting the whole environment (llvm.reset.fpenv) left x87's
    # registers marked in use there, and NumPy's float16 floor_divide (long double math) then gave NaN.
    nx.defn(lambda a: a * 2, driver="local-sync")(nx.tensor(np.ones(4, np.float32)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.floor_divide(np.float16(0.0), np.float16(1.0)) == 0
        assert np.float32(1e-40) * np.float32(2) != 0  # and the caller's own flush mode (none) is kept


def test_the_aarch64_dispatch_prologue_compiles_to_an_fpcr_write():
    module = """func.func @f(%a: tensor<4xf32>) -> tensor<4xf32> {
      %r = stablehlo.multiply %a, %a : tensor<4xf32>
      return %r : tensor<4xf32>
    }"""
    with tempfile.TemporaryDirectory() as dump:
        compile_str(module, target_backends=["llvm-cpu"], input_type="stablehlo",
                    extra_args=["--iree-llvmcpu-target-triple=aarch64-unknown-linux-gnu",
                                subnormals_flag("keep", "arm64"),
                                f"--iree-hal-dump-executable-intermediates-to={dump}"])
        (assembly,) = [f for f in os.listdir(dump) if f.endswith(".s")]
        text = open(os.path.join(dump, assembly)).read()
    assert "msr\tFPCR" in text and "mrs\tx" in text
