"""How many dispatches IREE makes of a workload's program (iree-compile --compile-to=flow, and the ones that touch
the MLP step's 256x10 region), and iree-compile's time under flag variants that could cut it: each compile is an
iree-compile process of its own (compile_str runs the tool), the variants alternating, median of `repeats`; then the
steady-state call of each variant's module, alternating, on defn's driver.

python -m benchmarks.experiments.dispatches [workload] [repeats]   (default: mlp 3)"""
import os
import re
import sys
import time

import numpy as np
from iree.compiler import compile_str

from benchmarks.experiments.call_path import LowLevel
from benchmarks.experiments.common import compile_vmfb, interleaved, numerix_program, show

VARIANTS = {
    "numerix's flags": [],
    "+ --mlir-disable-threading": ["--mlir-disable-threading"],
    "+ aggressive fusion": ["--iree-dispatch-creation-enable-aggressive-fusion"],
    "+ fuse multi-use": ["--iree-dispatch-creation-fuse-multi-use"],
    "+ --iree-hal-link-executables=false": ["--iree-hal-link-executables=false"],
    "+ --iree-llvmcpu-loop-unrolling=false": ["--iree-llvmcpu-loop-unrolling=false"],
}


def flow_dispatches(text, flags):
    """The flow.dispatch ops of the program after dispatch creation: (entry point, operand and result types)."""
    flow = compile_str(text, target_backends=["llvm-cpu"], input_type="stablehlo",
                       extra_args=list(flags) + ["--compile-to=flow"]).decode()
    return re.findall(r"flow\.dispatch @([\w:@]+)\(.*?\) : \((.*?)\) -> (.*)", flow)


def main(name="mlp", repeats="3"):
    repeats = int(repeats)
    program = numerix_program(name)
    for variant, extra in VARIANTS.items():
        if "threading" in variant or "link" in variant or "unrolling" in variant:
            continue  # these change code generation, not dispatch creation
        found = flow_dispatches(program.text, program.flags + extra)
        small = [d for d in found if "256x10x" in d[1] + d[2] or "10x" in d[2].split("tensor<", 1)[-1][:4]]
        print(f"{variant}: {len(found)} dispatches, {len(small)} of them in the 256x10 region")
        for entry, operands, results in found:
            print(f"    {entry.split('::')[-1][:60]:60s} ({operands[:70]}) -> {results[:50]}")
    times = {variant: [] for variant in VARIANTS}
    vmfbs = {}
    for _ in range(repeats):
        for variant, extra in VARIANTS.items():
            start = time.perf_counter()
            vmfbs[variant] = compile_vmfb(program.text, program.flags + extra)
            times[variant].append(time.perf_counter() - start)
    print(f"{name}: iree-compile, median (min) of {repeats}, variants alternating")
    for variant, seconds in times.items():
        print(f"  {variant:45s} {np.median(seconds):6.2f} s ({min(seconds):.2f})  {len(vmfbs[variant]):8,} bytes")
    driver = program.compiled.executable.driver
    keep, calls = [], {}
    for variant, vmfb in vmfbs.items():
        low = LowLevel(vmfb, program.entry, "local-sync")  # the same synchronous call for every variant
        keep.append(low)
        outputs = len(program.compiled.lowered.out_types)
        calls[variant] = (lambda low=low: low.invoke(low.copied_args(program.arrays), outputs))
    show(f"{name}: a call of each variant's module (local-sync; defn runs it on {driver})",
         interleaved(calls, 30 if name == "mlp" else 300))
    sys.stdout.flush()
    os._exit(0)  # skips IREE's teardown, which can crash on the order Python frees its objects in


if __name__ == "__main__":
    main(*sys.argv[1:])
