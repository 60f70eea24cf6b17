"""nx.export and nx.load: an exported MLP gives, in a fresh process, through nx.load, nx-run and iree-run-module, the
results of the in-process defn call; the signature beside the .vmfb keeps containers, types, shapes and names; a
call of another signature, and a signature file of another format, version or IREE, are refused clearly."""
import collections
import json
import shutil
import subprocess
import sys
import textwrap

import ml_dtypes
import numpy as np
import pytest

import numerix as nx
from numerix.dialect.errors import NxTypeError, NxValueError
from numerix.runtime.iree_executable import present_drivers

MLP = textwrap.dedent("""
    import numpy as np
    import numerix as nx

    def mlp(params, x):
        hidden = nx.tanh(nx.dot(x, params["w1"]) + params["b1"])
        logits = nx.dot(hidden, params["w2"]) + params["b2"]
        return nx.exp(logits - nx.reduce_max(logits, axes=[1], keep_axes=True))

    rng = np.random.default_rng(0)
    params = {"w1": rng.standard_normal((4, 16)).astype(np.float32), "b1": rng.standard_normal(16).astype(np.float32),
              "w2": rng.standard_normal((16, 3)).astype(np.float32), "b2": np.zeros(3, np.float32)}
    x = rng.standard_normal((5, 4)).astype(np.float32)
""")
Pair = collections.namedtuple("Pair", "low high")


@pytest.fixture(scope="module")
def exported_mlp(tmp_path_factory):
    """(folder, expected result): the MLP exported for this machine (host, as defn builds it, so the code is the same
    and the results are equal) with its inputs as .npy files in flattening order, and the in-process defn result."""
    folder = tmp_path_factory.mktemp("mlp")
    (folder / "mlp_def.py").write_text(MLP)
    namespace = {}
    exec(compile(MLP, str(folder / "mlp_def.py"), "exec"), namespace)
    params, x, mlp = namespace["params"], namespace["x"], namespace["mlp"]
    signature = nx.export(mlp, params, x, path=str(folder / "mlp.vmfb"), host=True)
    for index, array in enumerate([params["w1"], params["b1"], params["w2"], params["b2"], x]):
        np.save(folder / f"in{index}.npy", array)
    expected = nx.defn(mlp)(params, x).numpy()
    assert expected.shape == (5, 3) and np.isfinite(expected).all()
    return folder, expected, signature


def _fresh_process(code, cwd):
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=cwd)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_exported_mlp_runs_in_a_fresh_process_through_load_nx_run_and_iree_run_module(exported_mlp):
    folder, expected, _ = exported_mlp
    inputs = [str(folder / f"in{i}.npy") for i in range(5)]
    _fresh_process(textwrap.dedent("""
        import numpy as np, numerix as nx
        from numerix import trace
        from numerix.runtime import iree

        def refused(*args, **kwargs):
            raise AssertionError("nx.load traced or compiled")

        trace.TraceBackend.__init__ = iree.compile_stablehlo = iree._compile = refused
        f = nx.load("mlp.vmfb")
        w1, b1, w2, b2, x = (np.load(f"in{i}.npy") for i in range(5))
        np.save("loaded.npy", f({"w1": w1, "b1": b1, "w2": w2, "b2": b2}, x).numpy())
    """), folder)
    np.testing.assert_array_equal(np.load(folder / "loaded.npy"), expected)

    nx_run = shutil.which("nx-run")
    assert nx_run, "pip install -e . declares the nx-run console script"
    done = subprocess.run([nx_run, "mlp.vmfb", "--function", "mlp", *(f"--input={p}" for p in inputs),
                           "--output", "out.npz"], capture_output=True, text=True, timeout=300, cwd=folder)
    assert done.returncode == 0, done.stderr
    np.testing.assert_array_equal(np.load(folder / "out.npz")["result"], expected)

    iree_run = shutil.which("iree-run-module")
    assert iree_run, "iree-run-module (from iree-base-runtime) is not on the PATH"
    done = subprocess.run([iree_run, "--module=mlp.vmfb", "--function=mlp", "--device=local-sync",
                           *(f"--input=@{p}" for p in inputs), "--output=@iree.npy"],
                          capture_output=True, text=True, timeout=300, cwd=folder)
    assert done.returncode == 0, done.stderr
    np.testing.assert_array_equal(np.load(folder / "iree.npy"), expected)


def test_signature_records_containers_types_shapes_and_versions(exported_mlp):
    folder, _, signature = exported_mlp
    assert json.loads((folder / "mlp.json").read_text()) == signature
    assert signature["format"] == "numerix-export" and signature["version"] == 1
    assert signature["numerix"] == "0.1.0" and signature["target"] == "llvm-cpu" and signature["device"] is None
    types = signature["functions"]["mlp"]
    params, x = types["inputs"]
    assert params["kind"] == "dict" and params["keys"] == ["w1", "b1", "w2", "b2"]
    assert params["items"][0] == {"kind": "tensor", "type": "f32", "shape": [4, 16], "names": [None, None]}
    assert x["shape"] == [5, 4] and types["outputs"]["shape"] == [5, 3]
    f = nx.load(str(folder / "mlp.vmfb"))
    assert f.signature() == "({'w1': f32[4, 16], 'b1': f32[16], 'w2': f32[16, 3], 'b2': f32[3]}, f32[5, 4])"
    assert f.input_paths() == ["0.w1", "0.b1", "0.w2", "0.b2", "1"]


def test_containers_statics_names_and_captured_arrays_round_trip(tmp_path):
    offset = np.arange(1 << 16, dtype=np.float32)  # large enough to be captured: compiled in as a constant

    def f(pair, scale, mode):
        total = pair.low * scale + nx.sum(offset)
        return {"sum": total if mode == "plain" else -total, "parts": [pair.high, None]}

    low = nx.tensor(np.arange(3, dtype=np.float32), names=["i"])
    high = nx.tensor(np.ones((2, 2), ml_dtypes.bfloat16), type="bf16")
    path = str(tmp_path / "f.vmfb")
    nx.export(f, Pair(low, high), 2.0, "plain", path=path)
    loaded = nx.load(path)
    out = loaded(Pair(np.arange(3, dtype=np.float32), high), 3.0, "plain")
    assert list(out) == ["sum", "parts"] and out["parts"][1] is None
    np.testing.assert_allclose(out["sum"].numpy(), np.arange(3) * 3 + offset.sum())
    assert out["sum"].names == ("i",)  # the export's names
    assert out["parts"][0].type == nx.bf16 and out["parts"][0].numpy().tolist() == [[1, 1], [1, 1]]
    assert repr(loaded).startswith("<nx.load f((f32[i: 3], bf16[2, 2]), f32[], static 'plain')")


@pytest.mark.parametrize("args, message", [
    ((np.zeros(3, np.float32), np.zeros(3, np.float32)), r"called with \(f32\[3\], f32\[3\]\)"),
    ((np.zeros(4, np.float64), np.zeros(3, np.float32)), r"called with \(f64\[4\], f32\[3\]\)"),
    (((np.zeros(4, np.float32),), np.zeros(3, np.float32)), r"called with \(\(f32\[4\]\), f32\[3\]\)"),
    ((np.zeros(4, np.float32),), r"called with \(f32\[4\]\)"),
])
def test_a_call_of_another_signature_is_refused(tmp_path, args, message):
    path = str(tmp_path / "g.vmfb")
    nx.export(lambda a, b: nx.sum(a) + b, nx.template((4,), "f32"), nx.template((3,), "f32"), path=path)
    loaded = nx.load(path)
    with pytest.raises(NxValueError, match=r"exported for arguments \(f32\[4\], f32\[3\]\), " + message):
        loaded(*args)
    with pytest.raises(NxTypeError, match=r"array 1 \(1\) is float64\[3\]; lambda takes f32\[3\] there"):
        loaded.run_arrays([np.zeros(4, np.float32), np.zeros(3)])


def test_signature_files_of_another_format_version_or_iree_are_refused(tmp_path):
    path = tmp_path / "h.vmfb"
    signature = nx.export(lambda a: a + 1, nx.template((2,), "s32"), path=str(path))
    assert nx.load(str(path))(np.array([1, 2], np.int32)).numpy().tolist() == [2, 3]
    for change, message in [({"version": 2}, "signature format version 2; this numerix reads version 1"),
                            ({"iree": "2.0.0"}, "built by IREE 2.0.0; this numerix runs IREE"),
                            ({"format": "other"}, "not a numerix export signature")]:
        (tmp_path / "h.json").write_text(json.dumps({**signature, **change}))
        with pytest.raises(NxValueError, match=message):
            nx.load(str(path))
    (tmp_path / "h.json").unlink()
    with pytest.raises(NxValueError, match="h.json: No such file.*write it beside the .vmfb"):
        nx.load(str(path))


def test_export_checks_its_options_and_loads_only_where_the_device_is(tmp_path):
    template = nx.template((2,), "f32")
    with pytest.raises(NxValueError, match="unknown options"):
        nx.export(lambda a: a, template, path=str(tmp_path / "a.vmfb"), optimize=True)
    with pytest.raises(NxValueError, match="cuda_target='sm_80' is an option of target cuda"):
        nx.export(lambda a: a, template, path=str(tmp_path / "a.vmfb"), cuda_target="sm_80")
    path = str(tmp_path / "cuda.vmfb")
    signature = nx.export(lambda a: a * 2, template, path=path, device="cuda:0", cuda_target="sm_80")
    assert signature["target"] == "cuda" and signature["device"] == "cuda:0"
    if "cuda" in present_drivers():
        assert nx.load(path)(np.ones(2, np.float32)).numpy().tolist() == [2, 2]
    else:
        with pytest.raises(NxValueError, match="IREE driver 'cuda' cannot run here .*drivers present: local-sync"):
            nx.load(path)
    with pytest.raises(NxValueError, match="device 'local-task' does not run target cuda"):
        nx.load(path, device="local-task")
