"""nx-compile: emits the nx module, its StableHLO or a .vmfb whose function, named after the Python function, runs
in iree-run-module; portable builds refuse f64 libm functions with an error that says what to do."""
import os
import shutil
import subprocess
import textwrap

import numpy as np
import pytest

from numerix.tools.compile import main

MODULE = textwrap.dedent("""
    import numpy as np
    import numerix as nx

    def affine(x, y):
        return nx.exp(x) * y + 1

    def wave(x):
        return nx.sin(x)

    BIG = np.arange(1 << 21, dtype=np.float32) % 7  # large enough to be captured, not inlined, by the tracer

    def shifted(x):
        return x + nx.sum(BIG)

    @nx.defn
    def already_defn(x):
        return -x

    def mismatched(x):
        return nx.add(x, nx.ones((3,)))
""")


@pytest.fixture
def module_path(tmp_path):
    path = tmp_path / "functions.py"
    path.write_text(MODULE)
    return str(path)


def _run_module(vmfb, function, *inputs):
    """The printed results of iree-run-module on the .vmfb."""
    tool = shutil.which("iree-run-module")
    assert tool, "iree-run-module (from iree-base-runtime) is not on the PATH"
    done = subprocess.run([tool, f"--module={vmfb}", f"--function={function}", "--device=local-task",
                           *(f"--input={i}" for i in inputs)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _values(output):
    """The numbers after '=' in iree-run-module's result line."""
    line = next(line for line in output.splitlines() if "=" in line and "x" in line.split("=")[0])
    return np.array([float(v) for v in line.split("=", 1)[1].replace("[", " ").replace("]", " ").split()])


def test_emit_nx_and_stablehlo(module_path, capsys):
    assert main([f"{module_path}:affine", "f32[4]", "f32[4]", "--emit=nx"]) == 0
    nx_text = capsys.readouterr().out
    assert "func.func @affine(%arg0: tensor<4xf32>, %arg1: tensor<4xf32>) -> tensor<4xf32>" in nx_text
    assert '"nx.exp"' in nx_text
    assert main([f"{module_path}:affine", "f32[4]", "f32[4]", "--emit=stablehlo"]) == 0
    stablehlo = capsys.readouterr().out
    # exp(x) * y + 1 is one fusion: a linalg.generic of scalar math (nx-fusion-to-linalg).
    assert "linalg.generic" in stablehlo and "math.exp" in stablehlo and "nx." not in stablehlo


def test_vmfb_runs_in_iree_run_module(module_path, tmp_path):
    out = str(tmp_path / "affine.vmfb")
    assert main([f"{module_path}:affine", "f32[4]", "f32[4]", "-o", out]) == 0
    result = _values(_run_module(out, "affine", "4xf32=0,1,2,3", "4xf32=1,1,2,2"))
    x, y = np.arange(4, dtype=np.float32), np.array([1, 1, 2, 2], np.float32)
    np.testing.assert_allclose(result, np.exp(x) * y + 1, rtol=1e-5)


def test_default_output_is_named_after_the_function(module_path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main([f"{module_path}:already_defn", "s32[2,2]"]) == 0
    assert os.path.getsize("already_defn.vmfb") > 0
    assert _values(_run_module("already_defn.vmfb", "already_defn", "2x2xi32=1,2,3,4")).tolist() == [-1, -2, -3, -4]


def test_captured_arrays_become_constants(module_path, tmp_path):
    out = str(tmp_path / "shifted.vmfb")
    assert main([f"{module_path}:shifted", "f32[2]", "-o", out]) == 0
    total = float((np.arange(1 << 21, dtype=np.float32) % 7).sum())
    np.testing.assert_allclose(_values(_run_module(out, "shifted", "2xf32=0,1")), [total, total + 1], rtol=1e-6)


def test_f64_libm_functions_need_a_host_build(module_path, tmp_path, capsys):
    out = str(tmp_path / "wave.vmfb")
    assert main([f"{module_path}:wave", "f64[3]", "-o", out]) == 1
    err = capsys.readouterr().err
    assert "no sin" in err and "nx-compile --host" in err
    assert main([f"{module_path}:wave", "f64[3]", "--host", "-o", out]) == 0
    np.testing.assert_allclose(_values(_run_module(out, "wave", "3xf64=0,1,2")), np.sin([0.0, 1.0, 2.0]), rtol=1e-6)


def test_rocm_is_built_for_the_architecture_a_flag_names(module_path, tmp_path, capsys):
    out = str(tmp_path / "affine.vmfb")
    assert main([f"{module_path}:affine", "f32[4]", "f32[4]", "--target", "rocm", "-o", out]) == 1
    assert "--iree-rocm-target=gfx942" in capsys.readouterr().err
    assert main([f"{module_path}:affine", "f32[4]", "f32[4]", "--target", "rocm", "--flag=--iree-rocm-target=gfx942",
                 "-o", out]) == 0
    with open(out, "rb") as f:
        assert b"hip" in f.read()


@pytest.mark.parametrize("argv, message", [
    (["{path}:affine", "f32[4]"], "1 argument types for affine(x, y)"),
    (["{path}:missing", "f32[4]"], "has no function 'missing'"),
    (["{path}:affine", "q32[4]", "f32[4]"], "unknown type 'q32'"),
    (["{path}:affine", "f32[a]", "f32[4]"], "cannot read argument type 'f32[a]'"),
    (["{path}:mismatched", "f32[4]"], "add: cannot broadcast shapes [4] and [3] (at {path}:21)"),
    (["nowhere.py:f", "f32[4]"], "no such file: nowhere.py"),
])
def test_errors_are_one_line_diagnostics(module_path, capsys, argv, message):
    assert main([a.format(path=module_path) for a in argv]) == 1
    err = capsys.readouterr().err
    assert err.startswith("nx-compile: error: ") and message.format(path=module_path) in err, err


def test_console_script_is_installed():
    assert shutil.which("nx-compile"), "pip install -e . declares the nx-compile console script"
