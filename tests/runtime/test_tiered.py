"""Tiered execution (runtime/tiered.py): a first call runs on the evaluator while iree-compile runs in the background,
later calls switch to the compiled program. The suite turns tiering off (conftest); these tests turn it on, each
with an empty compile cache, so that every program here must be compiled."""
import multiprocessing
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import numerix as nx
from numerix.dialect.errors import NxValueError
from numerix.runtime import iree, tiered
from numerix.runtime.iree_executable import Executable
from numerix.runtime.tiered import TieredExecutable

from conftest import assert_close, sample


@pytest.fixture(autouse=True)
def tiering(tmp_path, monkeypatch):
    monkeypatch.setenv("NUMERIX_CACHE_DIR", str(tmp_path))
    iree.CACHE.clear_memory()
    iree.PROGRAMS.clear_memory()
    tiered.set_tiered(True)
    yield
    tiered.set_tiered(False)


def _compiled(f):
    (compiled,) = f._cache.values()
    return compiled


def test_the_first_call_runs_on_the_evaluator_and_later_calls_on_iree():
    def f(a, b):
        return nx.sum(nx.tanh(a) * b + 0.25, axis=1), a @ nx.transpose(b)
    a, b = nx.tensor(sample("f32", (3, 5), seed=1)), nx.tensor(sample("f32", (3, 5), seed=2))
    expected = nx.defn(f, compiler="evaluator")(a, b)
    step = nx.defn(f)
    first = step(a, b)
    compiled = _compiled(step)
    assert isinstance(compiled.executable, TieredExecutable)
    compiled.wait()
    assert isinstance(compiled.executable, Executable)  # the Compiled calls IREE directly from now on
    second = step(a, b)  # by the fast key, which finds the same Compiled
    for got, want in zip(first, expected):
        np.testing.assert_array_equal(got.numpy(), want.numpy())  # the evaluator tier is the evaluator
    for got, want in zip(second, expected):
        assert_close(got, want.numpy(), "f32")


def test_a_gradient_step_agrees_between_the_tiers():
    def loss(w, x):
        return nx.mean(nx.log1p(nx.exp(x @ w)))
    step = nx.defn(lambda w, x: nx.value_and_grad(loss)(w, x))
    w, x = nx.tensor(sample("f32", (4, 2), seed=3)), nx.tensor(sample("f32", (6, 4), seed=4))
    value, grad = step(w, x)
    assert isinstance(_compiled(step).executable, TieredExecutable)
    _compiled(step).wait()
    compiled_value, compiled_grad = step(w, x)
    assert_close(value, compiled_value.numpy(), "f32")
    assert_close(grad, compiled_grad.numpy(), "f32")


def test_tiered_false_and_the_global_setting_wait_for_iree():
    x = nx.tensor(np.arange(4, dtype=np.float32))
    off = nx.defn(lambda a: a * 3.0 - 1.0, tiered=False)
    assert float(nx.sum(off(x))) == 14.0
    assert isinstance(_compiled(off).executable, Executable)
    tiered.set_tiered(False)
    default = nx.defn(lambda a: a * 5.0 - 1.0)
    default(x)
    assert isinstance(_compiled(default).executable, Executable)
    tiered.set_tiered(True)
    on = nx.defn(lambda a: a * 7.0 - 1.0, tiered=True)
    on(x)
    assert isinstance(_compiled(on).executable, TieredExecutable)
    _compiled(on).wait()


def test_the_evaluator_compiler_is_never_tiered():
    f = nx.defn(lambda a: a + 1.0, compiler="evaluator")
    f(nx.tensor(np.ones(3, np.float32)))
    assert not isinstance(_compiled(f).executable, TieredExecutable)


def test_work_the_evaluator_would_be_slow_on_waits_for_iree():
    x = nx.tensor(np.ones((8,), np.float32))
    # A loop whose trip count is not static has no bound on the evaluator.
    unbounded = nx.defn(lambda a: nx.while_loop(lambda v: nx.sum(v) < 1000.0, lambda v: v * 1.5, a))
    assert float(unbounded(x)[0]) > 100
    assert isinstance(_compiled(unbounded).executable, Executable)
    # A static loop of many trips: each trip is Python on the evaluator.
    long_loop = nx.defn(lambda a: nx.fori_loop(0, 100_000, lambda i, v: v * 0.5 + 1.0, a, unroll=1))
    long_loop(x)
    assert isinstance(_compiled(long_loop).executable, Executable)
    # A large contraction.
    big = nx.tensor(np.ones((1024, 1024), np.float32))
    matmul = nx.defn(lambda a, b: a @ b @ a @ b)
    matmul(big, big)
    assert isinstance(_compiled(matmul).executable, Executable)


def test_the_estimate_counts_loop_trips():
    def looped(trips):
        f = nx.defn(lambda a: nx.fori_loop(0, trips, lambda i, v: v * 0.5 + 1.0, a, unroll=1))
        module = f.lower(nx.template((8,), "f32")).module
        return tiered.evaluator_seconds(module, f.entry)
    assert looped(1000) == pytest.approx(10 * looped(100), rel=0.05)


def test_a_failed_background_compile_is_raised_at_the_next_call_and_each_after():
    x = nx.tensor(np.ones(4, np.float32))
    f = nx.defn(lambda a: a - 2.0, flags=["--no-such-iree-compile-flag"])
    assert float(nx.sum(f(x))) == -4.0  # the evaluator's answer
    with pytest.raises(NxValueError, match="iree-compile failed"):
        _compiled(f).wait()
    for _ in range(2):
        with pytest.raises(NxValueError, match="no-such-iree-compile-flag"):
            f(x)


def _run_python(code, cache):
    env = dict(os.environ, NUMERIX_CACHE_DIR=str(cache), NUMERIX_TIERED="1")
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=env, capture_output=True, text=True,
                          timeout=120)


def test_exit_waits_for_the_compile_and_a_new_process_loads_it_from_disk(tmp_path):
    code = """
        import threading
        import numpy as np
        import numerix as nx
        from numerix.runtime.iree_executable import Executable
        f = nx.defn(lambda a: nx.exp(a) * 0.5)
        print(float(nx.sum(f(nx.tensor(np.zeros(4, np.float32))))))
        (compiled,) = f._cache.values()
        print(type(compiled.executable).__name__)
    """
    first = _run_python(code, tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stdout.split() == ["2.0", "TieredExecutable"]
    second = _run_python(code, tmp_path)  # the first process's exit waited for its compile, which the disk kept
    assert second.returncode == 0, second.stderr
    assert second.stdout.split() == ["2.0", "Executable"]


def test_a_failure_no_call_reported_is_printed_at_exit(tmp_path):
    done = _run_python("""
        import numpy as np
        import numerix as nx
        f = nx.defn(lambda a: a + 1.0, flags=["--no-such-iree-compile-flag"])
        f(nx.tensor(np.ones(2, np.float32)))
    """, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "background compile of @lambda failed" in done.stderr
    assert "no-such-iree-compile-flag" in done.stderr


def _forked_child(queue, f, x):
    queue.put((float(nx.sum(f(x))), type(_compiled(f).wait().executable).__name__))


def test_a_child_forked_while_the_compile_runs_compiles_again():
    f = nx.defn(lambda a: nx.cos(a) + 3.0)
    x = nx.tensor(np.zeros(5, np.float32))
    assert float(nx.sum(f(x))) == 20.0
    assert _compiled(f).executable.compiling
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_forked_child, args=(queue, f, x))
    child.start()
    child.join(120)
    if child.is_alive():
        child.kill()
        raise AssertionError("the forked child hung waiting for its parent's compile")
    assert queue.get(timeout=10) == (20.0, "Executable")
    _compiled(f).wait()
