"""Where IREE's data tiling (--iree-opt-data-tiling) pays: f32 matmuls of growing size, and the digits example's
training step, each compiled with and without it (compile time, no cache) and then timed alternately through
defn's Executable, on the driver defn picks.

python -m benchmarks.experiments.data_tiling"""
import os
import sys
import time

import numpy as np

import numerix as nx
from benchmarks.experiments.common import interleaved, optimized, show
from benchmarks.workloads import WORKLOADS
from numerix.runtime import iree
from numerix.passes import iree_policy, pipeline
from numerix.passes.iree_policy import choose_driver, execution_flags
from numerix.runtime.iree_executable import Executable

SIZES = ((64, 64, 64), (128, 128, 128), (256, 256, 256), (256, 784, 512), (512, 512, 512), (768, 768, 768),
         (1024, 512, 1024), (2048, 512, 512), (512, 2048, 512), (1024, 1024, 1024))


def program(fn, args):
    """(StableHLO text, entry, inputs, outputs, driver, NumPy arguments) of defn's program for fn on args."""
    defn = nx.defn(fn)
    lowered = defn.lower(*args)
    module, flops = optimized(lowered)
    with module.context:
        inputs, outputs = iree.entry_signature(module, lowered.entry)
        driver = choose_driver("llvm-cpu", inputs, outputs, flops)
        text = pipeline.lower(module)
    arrays = [leaf.numpy() for leaf in defn._signature(args, {})[1]] + list(lowered.captured)
    return text, lowered.entry, inputs, outputs, driver, arrays


def compare(title, fn, args, samples):
    text, entry, inputs, outputs, driver, arrays = program(fn, args)
    # flops=0: no data tiling
    flags = iree_policy.flags_for("llvm-cpu", flops=0, libm=iree_policy.needs_libm(text)) + execution_flags(driver)
    variants, compile_times = {}, {}
    for name, extra in (("data tiling", [iree_policy.DATA_TILING]), ("no data tiling", [])):
        start = time.perf_counter()
        vmfb = iree._compile(text, "llvm-cpu", flags + extra)
        compile_times[name] = time.perf_counter() - start
        executable = Executable(vmfb, entry, inputs, outputs, driver)
        variants[name] = lambda executable=executable: executable(*arrays)
    print(f"{title} ({driver}); compile: " + ", ".join(f"{k} {v:.2f} s" for k, v in compile_times.items()))
    show(title, interleaved(variants, samples))


def main():
    rng = np.random.default_rng(0)
    for m, k, n in SIZES:
        a = nx.tensor(rng.standard_normal((m, k), dtype=np.float32))
        b = nx.tensor(rng.standard_normal((k, n), dtype=np.float32))
        compare(f"matmul {m}x{k}x{n}", lambda a, b: a @ b, (a, b), 200 if m * k * n < 1 << 27 else 40)
        if (m, k, n) == (256, 784, 512):  # the MLP step's gradient matmul: x^T @ dz
            compare(f"matmul {k}x{m}x{n}, left side transposed", lambda a, b: nx.transpose(a) @ b,
                    (nx.tensor(rng.standard_normal((m, k), dtype=np.float32)),
                     nx.tensor(rng.standard_normal((m, n), dtype=np.float32))), 200)
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "examples"))
    import digits
    params = digits.init_params(rng, [64, digits.HIDDEN, 10])
    velocity = [{k: nx.zeros_like(v) for k, v in layer.items()} for layer in params]
    x = nx.tensor(rng.random((digits.BATCH, 64), dtype=np.float32))
    labels = nx.tensor(np.eye(10, dtype=np.float32)[rng.integers(0, 10, digits.BATCH)])
    compare("digits example's training step", digits.train_step, (params, velocity, x, labels), 500)
    workload = WORKLOADS["mlp"]
    call = workload.build["numerix"](workload.inputs())
    compare("benchmarks' MLP step", call.defn.fn, call.args, 100)
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
