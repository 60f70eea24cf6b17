"""Nx.Defn.Kernel's hooks: nx.hook, nx.print_value, nx.print_expr, nx.tap, eagerly, on the evaluator and called back
from a running IREE program (in program order, each run, every dtype), under grad and vmap; errors; and nx.export,
whose artifact runs in iree-run-module without them."""
import shutil
import subprocess

import numpy as np
import pytest

import numerix as nx
from conftest import assert_close
from numerix.dialect.errors import NxTypeError, NxValueError
from numerix.passes.registry import PASSES

COMPILERS = [pytest.param({"compiler": "evaluator"}, id="evaluator"),
             pytest.param({"tiered": False}, id="iree")]


def _add_and_mult(seen):
    """Nx's example: two hooks, each returned."""
    def add_and_mult(a, b):
        add = nx.hook(a + b, lambda t: seen.append(("add", t.numpy().item())))
        mult = nx.hook(a * b, lambda t: seen.append(("mult", t.numpy().item())))
        return add, mult
    return add_and_mult


def test_hook_eagerly_calls_at_once():
    seen = []
    add, mult = _add_and_mult(seen)(nx.tensor(2), nx.tensor(3))
    assert seen == [("add", 5), ("mult", 6)]
    assert (add.numpy().item(), mult.numpy().item()) == (5, 6)


@pytest.mark.parametrize("options", COMPILERS)
def test_hook_runs_in_order_at_each_call(options):
    seen = []
    f = nx.defn(_add_and_mult(seen), **options)
    add, mult = f(nx.tensor(2), nx.tensor(3))
    assert (add.numpy().item(), mult.numpy().item()) == (5, 6)
    f(nx.tensor(4), nx.tensor(5))
    assert seen == [("add", 5), ("mult", 6), ("add", 9), ("mult", 20)]


def test_hooks_in_a_loop_and_every_dtype_on_iree():
    """One program: a hook in a loop body (one call per trip, in order), and hooks on tensors whose bytes only the
    nx type reads right (unsigned, bf16, 8-bit floats, sub-byte integers, bool, complex) and on a container."""
    seen = []
    values = {"u32": nx.tensor([1, 2**32 - 1], type=nx.u32), "bf16": nx.tensor([1.5, -2.0], type=nx.bf16),
              "f8": nx.tensor([0.5, 2.0], type=nx.f8), "s4": nx.tensor([-8, 7], type=nx.s4),
              "bool": nx.tensor([True, False]), "c64": nx.tensor([1 + 2j, -3j], type=nx.c64)}

    @nx.defn(tiered=False)
    def f(i, xs):
        count = nx.fori_loop(0, i, lambda k, acc: nx.hook(acc + 1, lambda t: seen.append(("trip", int(t)))),
                             nx.tensor(0))
        hooked = nx.hook(xs, lambda got: seen.append(("all", {k: v.numpy() for k, v in got.items()})))
        return count, {k: v for k, v in hooked.items()}

    count, out = f(nx.tensor(3), values)
    assert count.numpy().item() == 3
    assert seen[:3] == [("trip", 1), ("trip", 2), ("trip", 3)]
    (kind, got), = seen[3:]
    for name, t in values.items():
        assert got[name].dtype == t.numpy().dtype, name
        np.testing.assert_array_equal(got[name], t.numpy())
        np.testing.assert_array_equal(out[name].numpy(), t.numpy())


def test_hook_waits_for_large_async_work():
    """A large program runs under IREE's async-external model (its import takes fences): the hook sees the finished
    value."""
    x = np.random.default_rng(0).random((384, 384), dtype=np.float32)
    seen = []
    f = nx.defn(lambda a: nx.hook(nx.dot(a, a), lambda t: seen.append(t.numpy())) * 2, tiered=False)
    out = f(x)
    assert_close(seen[0], x.astype(np.float64) @ x, nx.f32)
    assert_close(out.numpy(), 2 * seen[0], nx.f32)


@pytest.mark.parametrize("options", COMPILERS)
def test_hook_on_a_constant_runs_at_each_call(options):
    """nx-fold would compute a constant hook while compiling: it leaves hooks to run."""
    calls = []
    f = nx.defn(lambda: nx.hook(nx.tensor([1, 2]), lambda t: calls.append(t.numpy().tolist())), **options)
    f()
    f()
    assert calls == [[1, 2], [1, 2]]


@pytest.mark.parametrize("options", COMPILERS)
def test_hook_exception_reaches_the_caller(options):
    class Boom(Exception):
        pass

    def explode(t):
        raise Boom(f"saw {t.numpy().tolist()}")
    f = nx.defn(lambda a: nx.hook(a * 2, explode), **options)
    with pytest.raises(Boom, match=r"saw \[2\.0\]"):
        f(nx.tensor([1.0]))


def test_print_value_label_and_function(capsys):
    f = nx.defn(lambda t: nx.print_value(nx.tanh(t), lambda t: nx.sum(t), label="tanh") + 1, tiered=False)
    out = f(nx.tensor([0.0, 0.0]))
    assert capsys.readouterr().out == "tanh: nx.Tensor<\n  f32\n  0.\n>\n"
    np.testing.assert_array_equal(out.numpy(), [1.0, 1.0])
    nx.print_value(nx.tensor([1, 2]))
    assert capsys.readouterr().out == "nx.Tensor<\n  s64[2]\n  [1, 2]\n>\n"


def test_print_value_under_grad_prints_the_forward_value(capsys):
    """Nx's tanh_grad example: the gradient flows through the hook unchanged. The forward value prints where the
    gradient program computes it (value_and_grad); nx.grad alone never needs the hooked value, and nx-dce drops it."""
    def loss(t):
        return nx.sum(nx.print_value(nx.tanh(t)))
    grad = nx.defn(nx.grad(loss), compiler="evaluator")
    value_and_grad = nx.defn(nx.value_and_grad(loss), compiler="evaluator")
    x = nx.tensor([0.5])
    g = grad(x)
    assert_close(g.numpy(), [1 - np.tanh(0.5) ** 2], nx.f32)
    _, g = value_and_grad(x)
    assert_close(g.numpy(), [1 - np.tanh(0.5) ** 2], nx.f32)
    assert capsys.readouterr().out == "nx.Tensor<\n  f32[1]\n  [0.4621172]\n>\n"


def test_hook_under_vmap_sees_the_batch():
    seen = []
    f = nx.vmap(lambda x: nx.hook(x * 2, lambda t: seen.append(t.numpy())))
    out = nx.defn(f, compiler="evaluator")(nx.tensor([[1, 2], [3, 4], [5, 6]]))
    np.testing.assert_array_equal(out.numpy(), [[2, 4], [6, 8], [10, 12]])
    np.testing.assert_array_equal(seen[0], [[2, 4], [6, 8], [10, 12]])


def test_named_hooks():
    seen = []
    t = nx.tensor([1.0])
    assert nx.hook(t, "numerix_test_named") is t  # a name alone: nothing to call
    nx.hook(t, "numerix_test_named", lambda v: seen.append(v.numpy().tolist()))
    assert seen == [[1.0]]


def test_hook_errors():
    t = nx.tensor([1.0])
    with pytest.raises(NxTypeError, match="name must be a string"):
        nx.hook(t, 3, lambda v: None)
    with pytest.raises(NxTypeError, match="must be callable"):
        nx.hook(t, "name", 3)
    with pytest.raises(NxTypeError, match="label must be a string"):
        nx.print_value(t, label=3)
    with pytest.raises(NxTypeError, match="must be callable"):
        nx.tap(t, None)
    with pytest.raises(NxValueError, match="no Python function is registered for hook"):
        nx.dispatch.apply("hook", [t], id=10**9)


def test_print_expr_and_tap(capsys):
    traced = []

    @nx.defn(compiler="evaluator")
    def f(a, b):
        return nx.tap(nx.print_expr(nx.tanh(a) + b * b, label="expr"), lambda t: traced.append(repr(t)))
    f(nx.tensor([1.0]), nx.tensor([2.0]))
    printed = capsys.readouterr().out
    assert printed.startswith("expr: nx.Tensor<\n  f32[1]\n")
    assert '"nx.tanh"(%arg0)' in printed and '"nx.multiply"(%arg1, %arg1)' in printed
    assert traced and "traced" in traced[0]  # tap runs while tracing
    nx.print_expr(nx.tensor(3))
    assert capsys.readouterr().out == "nx.Tensor<\n  s64\n  3\n>\n"


def test_strip_hooks_pass():
    f = nx.defn(lambda a: nx.hook(a + 1, lambda t: None) * 2, compiler="evaluator")
    module = f.lower(nx.tensor([1.0])).module
    assert '"nx.hook"' in str(module)
    PASSES["nx-strip-hooks"](module)
    assert '"nx.hook"' not in str(module) and '"nx.multiply"' in str(module)


def test_export_removes_hooks(tmp_path):
    calls = []

    def hooked(a):
        return nx.print_value(nx.hook(a + 1, lambda t: calls.append(1))) * 2
    path = str(tmp_path / "hooked.vmfb")
    signature = nx.export(hooked, nx.template((3,), "f32"), path=path)
    loaded = nx.load(path)
    np.testing.assert_array_equal(loaded(nx.tensor([1.0, 2.0, 3.0])).numpy(), [4.0, 6.0, 8.0])
    assert calls == []
    iree_run = shutil.which("iree-run-module")
    assert iree_run, "iree-run-module (from iree-base-runtime) is not on the PATH"
    (entry,) = signature["functions"]
    run = subprocess.run([iree_run, f"--module={path}", f"--function={entry}", "--device=local-sync",
                          "--input=3xf32=1 2 3"], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert "3xf32=4 6 8" in run.stdout
