"""iree-compile's time for the MLP step's StableHLO (as defn produces it) under flag variants, and how the first call
of a new process on a warm disk cache splits (tracing, nx passes, lowering, cache read, module load, the run).

python -m benchmarks.experiments.compile_time"""
import os
import sys
import time

import numpy as np

from benchmarks.experiments.common import compile_vmfb, numerix_program

VARIANTS = {
    "numerix's flags": lambda flags: flags,
    "embedded linking (no system ld)": lambda flags: [f for f in flags if "link-embedded" not in f],
    "+ --iree-opt-level=O0": lambda flags: flags + ["--iree-opt-level=O0"],
    "+ --iree-llvmcpu-mlir-opt-level=O0": lambda flags: flags + ["--iree-llvmcpu-mlir-opt-level=O0"],
    "+ reassociate + data-tiling": lambda flags: flags + ["--iree-llvmcpu-reassociate-fp-reductions",
                                                          "--iree-opt-data-tiling"],
}


def main(name="mlp", repeats=3):
    program = numerix_program(name)
    print(f"{name}: iree-compile of defn's StableHLO ({len(program.text)} characters), best of {repeats}")
    for variant, make in VARIANTS.items():
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            compile_vmfb(program.text, make(program.flags))
            times.append(time.perf_counter() - start)
        print(f"  {variant:45s} {min(times):6.2f} s (median {np.median(times):.2f})")
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main(*sys.argv[1:])
