"""nx-run: runs a module that nx-compile wrote (with its signature beside it) on .npy inputs, writing an .npz of
the results named by their place in the result tree; lists the inputs it expects; bad input is a one-line error."""
import json
import shutil
import textwrap

import numpy as np

from numerix.tools.compile import main as nx_compile
from numerix.tools.run import main as nx_run

MODULE = textwrap.dedent("""
    import numerix as nx

    def stats(x, weights):
        return {"mean": nx.mean(x * weights["scale"]), "shifted": (x + weights["shift"], -x)}
""")


def _compile(folder):
    """nx-compile takes one type per positional argument: stats takes a dict, so compile it through a wrapper."""
    (folder / "wrapped.py").write_text(MODULE + textwrap.dedent("""
        def run(x, scale, shift):
            return stats(x, {"scale": scale, "shift": shift})
    """))
    assert nx_compile([f"{folder}/wrapped.py:run", "f32[3]", "f32[]", "f32[3]", "-o", str(folder / "run.vmfb")]) == 0


def test_nx_compile_writes_the_signature_and_nx_run_runs_it(tmp_path, capsys):
    _compile(tmp_path)
    signature = json.loads((tmp_path / "run.json").read_text())
    assert signature["format"] == "numerix-export" and list(signature["functions"]) == ["run"]
    assert [node["shape"] for node in signature["functions"]["run"]["inputs"]] == [[3], [], [3]]

    x, scale, shift = np.array([1, 2, 3], np.float32), np.array(2, np.float32), np.array([10, 20, 30], np.float32)
    for name, array in (("x", x), ("scale", scale), ("shift", shift)):
        np.save(tmp_path / f"{name}.npy", array)
    inputs = [f"--input={tmp_path / name}.npy" for name in ("x", "scale", "shift")]

    assert nx_run([str(tmp_path / "run.vmfb")]) == 0
    listing = capsys.readouterr().out
    assert "--input  0: f32[3]" in listing and "--input  1: f32[]" in listing and "--input  2: f32[3]" in listing

    out = str(tmp_path / "out.npz")
    assert nx_run([str(tmp_path / "run.vmfb"), "--function", "run", *inputs, "--output", out]) == 0
    results = np.load(out)
    assert sorted(results) == ["mean", "shifted.0", "shifted.1"]
    np.testing.assert_allclose(results["mean"], np.mean(x * scale))
    np.testing.assert_array_equal(results["shifted.0"], x + shift)
    np.testing.assert_array_equal(results["shifted.1"], -x)

    assert nx_run([str(tmp_path / "run.vmfb"), *inputs, "--device", "local-task"]) == 0
    printed = capsys.readouterr().out
    assert "mean: float32[]\n4.0" in printed and "shifted.1: float32[3]\n[-1. -2. -3.]" in printed

    np.save(tmp_path / "wide.npy", x.astype(np.float64))
    np.savez(tmp_path / "archive.npz", x=x)
    (tmp_path / "lonely.vmfb").write_bytes(b"")
    for argv, message in [
        ([*inputs[:2]], "run takes 3 arrays, the tensors of (f32[3], f32[], f32[3]); got 2"),
        ([f"--input={tmp_path / 'wide.npy'}", *inputs[1:]], "array 0 (0) is float64[3]; run takes f32[3] there"),
        ([f"--input={tmp_path / 'archive.npz'}", *inputs[1:]], "archive.npz is an archive of arrays"),
        ([f"--input={tmp_path / 'missing.npy'}", *inputs[1:]], "cannot read"),
        (["--function", "other", *inputs], "run.vmfb exports 'run', not 'other'"),
        (["--device", "cuda:0", *inputs], "device 'cuda:0' does not run target llvm-cpu modules"),
        (["--device", "local-sync:3", *inputs], "device local-sync:3 does not exist"),
    ]:
        assert nx_run([str(tmp_path / "run.vmfb"), *argv]) == 1
        err = capsys.readouterr().err
        assert err.startswith("nx-run: error: ") and message in err, err
    assert nx_run([str(tmp_path / "lonely.vmfb")]) == 1
    assert "lonely.json: No such file" in capsys.readouterr().err


def test_console_script_is_installed():
    assert shutil.which("nx-run"), "pip install -e . declares the nx-run console script"
