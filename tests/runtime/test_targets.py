"""Targets and devices: nx.defn(f, target=..., device=...) with the target options (a CUDA SM, a ROCm chip, a Vulkan
target environment, a CPU and its features), the global defaults NUMERIX_TARGET and NUMERIX_DEVICE, and a device
whose driver is absent refused with the drivers present named. CUDA, Vulkan and ROCm modules compile here without a
GPU and their artifacts are checked; running them needs the device, and skips, saying so, where it is absent."""
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest

import numerix as nx
from numerix.dialect.errors import NxValueError
from numerix.passes.iree_policy import parse_device, runs_on, target_option_flags
from numerix.runtime import iree
from numerix.runtime.iree_executable import present_drivers

X = np.array([0.5, -1.0, 2.0, 3.0], np.float32)


def _affine(a, b):
    return nx.exp(a) * b + 1


# target, its options, its driver, what iree-dump-module shows of the executable, bytes its code must hold
GPU_TARGETS = [
    ("cuda", {"cuda_target": "sm_80"}, "cuda", "cuda-nvptx-fb", b"sm_80"),
    ("rocm", {"rocm_target": "gfx942"}, "hip", "rocm-hsaco-fb", b"gfx942"),
    ("vulkan-spirv", {"vulkan_target": "rdna3"}, "vulkan", "vulkan-spirv-fb", b""),
]


@pytest.mark.parametrize("target, options, driver, executable_format, code", GPU_TARGETS,
                         ids=[t[0] for t in GPU_TARGETS])
def test_gpu_modules_compile_here_and_run_where_their_device_is(tmp_path, target, options, driver,
                                                                executable_format, code):
    path = tmp_path / f"{target}.vmfb"
    nx.export(_affine, X, X, path=str(path), target=target, **options)
    vmfb = path.read_bytes()
    assert len(vmfb) > 1000 and code in vmfb
    dump = subprocess.run([shutil.which("iree-dump-module"), str(path)], capture_output=True, text=True, timeout=60)
    assert dump.returncode == 0 and f"`{executable_format}`" in dump.stdout
    assert "sync func @affine(%input0: tensor<4xf32>, %input1: tensor<4xf32>) -> (%output0: tensor<4xf32>)" \
        in dump.stdout
    if driver not in present_drivers():
        pytest.skip(f"no {driver} device here (drivers present: {', '.join(present_drivers())}): {target} module "
                    "compiled and checked, not run")
    expected = np.exp(X) * X + 1
    np.testing.assert_allclose(nx.load(str(path))(X, X).numpy(), expected, rtol=1e-5)
    f = nx.defn(_affine, target=target, device=f"{driver}:0", **options)
    np.testing.assert_allclose(f(X, X).numpy(), expected, rtol=1e-5)


@pytest.mark.parametrize("device", ["cuda:0", "hip", "vulkan:0"])
def test_a_device_whose_driver_is_absent_names_the_drivers_present(device):
    driver = device.partition(":")[0]
    if driver in present_drivers():
        pytest.skip(f"the {driver} driver has a device here")
    f = nx.defn(_affine, device=device)  # the device picks its target
    with pytest.raises(NxValueError, match=rf"IREE driver '{driver}' cannot run here \(.*\); drivers present: "
                                           r"local-sync, local-task"):
        f(X, X)


def test_cpu_targets_devices_and_options_run_here():
    expected = np.exp(X) * X + 1
    variants = [dict(target="vmvx"), dict(device="local-task"), dict(device="local-sync:0"),
                dict(cpu="generic", cpu_features="+avx2"), dict(cpu_features="+sse4.2"), dict(cpu="host")]
    for options in variants:
        np.testing.assert_allclose(nx.defn(_affine, **options)(X, X).numpy(), expected, rtol=1e-6,
                                   err_msg=str(options))
    assert nx.defn(_affine, device="local-task").lower(X, X).compile().executable.driver == "local-task"


@pytest.mark.parametrize("options, message", [
    (dict(device="local-sync:1"), "device local-sync:1 does not exist: driver 'local-sync' has 1 device"),
    (dict(device="tpu:0"), "device 'tpu:0': expected a driver"),
    (dict(device="cuda:x"), "device 'cuda:x': expected a driver"),
    (dict(device="local-task", driver="local-sync"), "a device names its driver, give one of them"),
    (dict(target="cuda", device="local-task"), "driver 'local-task' does not run target cuda modules"),
    (dict(target="llvm-cpu", driver="cuda"), "driver 'cuda' does not run target llvm-cpu modules"),
    (dict(rocm_target="gfx942"), "rocm_target='gfx942' is an option of target rocm; this compiles for llvm-cpu"),
    (dict(cpu="host", cpu_features="+avx2"), "cpu_features are added to a named CPU"),
    (dict(target="tpu"), "unknown target 'tpu'"),
])
def test_bad_targets_devices_and_options_are_errors(options, message):
    with pytest.raises(NxValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        nx.defn(_affine, **options)(X, X)


@pytest.mark.parametrize("target, option", [("cuda", "cuda_target"), ("vulkan-spirv", "vulkan_target")])
def test_an_unknown_gpu_architecture_is_an_error_that_names_known_ones(tmp_path, target, option):
    with pytest.raises(NxValueError, match=f"IREE does not know the {target} target 'nonsense'.*e.g. {option}="):
        nx.export(_affine, X, X, path=str(tmp_path / "m.vmfb"), target=target, **{option: "nonsense"})


def test_device_and_target_option_parsing():
    assert parse_device("cuda:1") == ("cuda", 1) and parse_device("local-task") == ("local-task", 0)
    assert runs_on("vmvx", "local-sync") and runs_on("rocm", "hip") and not runs_on("cuda", "vulkan")
    assert target_option_flags("cuda", {"cuda_target": "sm_90", "flags": []}) == ["--iree-cuda-target=sm_90"]
    assert target_option_flags("llvm-cpu", {"cpu_features": "+avx2"}) == [
        "--iree-llvmcpu-target-cpu-features=+avx2", "--iree-llvmcpu-target-cpu=generic"]


def test_global_defaults_fill_what_a_defn_does_not_name(monkeypatch):
    monkeypatch.setitem(iree.DEFAULTS, "device", "local-task")
    assert nx.defn(_affine).lower(X, X).compile().executable.driver == "local-task"
    # a default device that does not run the target asked for is not used
    assert iree.checked_options({"target": "cuda"}, load=False).driver is None
    monkeypatch.setitem(iree.DEFAULTS, "target", "cuda")
    assert iree.checked_options({}, load=False).target == "cuda"
    assert iree.checked_options({"target": "vmvx"}, load=False).target == "vmvx"


def test_environment_variables_set_the_defaults():
    """NUMERIX_TARGET and NUMERIX_DEVICE are read when numerix is imported."""
    code = ("import numpy as np, numerix as nx\n"
            "f = nx.defn(lambda a: a + 1)\n"
            "print(f.lower(np.ones(2, np.float32)).compile().executable.driver)\n")
    env = dict(os.environ, NUMERIX_TARGET="vmvx", NUMERIX_DEVICE="local-task")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0 and done.stdout.strip() == "local-task", done.stderr
    env = dict(os.environ, NUMERIX_TARGET="tpu")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 1 and "unknown target 'tpu' (NUMERIX_TARGET)" in done.stderr
