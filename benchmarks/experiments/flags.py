"""iree-compile flags on CPU: each workload's StableHLO (exactly as defn produces it) compiled with numerix's flags
plus each variant, checked against the reference, then timed alternately (driver local-task, as defn picks for
these sizes; DRIVER=local-sync to change it) with a low-level call: arguments copied as defn copies them, the
function looked up once.

python -m benchmarks.experiments.flags [workload ...]   (default: chain softmax matmul mlp)"""
import os
import sys
import time

import iree.runtime as rt
import numpy as np

from benchmarks.experiments.call_path import LowLevel
from benchmarks.experiments.common import compile_vmfb, interleaved, numerix_program, show
from benchmarks.measure import check
from benchmarks.workloads import WORKLOADS, arrays as flat_arrays

VARIANTS = {
    "numerix's flags": [],
    "+ reassociate-fp-reductions": ["--iree-llvmcpu-reassociate-fp-reductions"],
    "+ opt-data-tiling": ["--iree-opt-data-tiling"],
    "+ target-cpu-features=host": ["--iree-llvmcpu-target-cpu-features=host"],
    "+ opt-level=O3": ["--iree-opt-level=O3"],
    "+ reassociate + data-tiling": ["--iree-llvmcpu-reassociate-fp-reductions", "--iree-opt-data-tiling"],
}
_ELEMENT = {np.dtype(np.float32): int(rt.HalElementType.FLOAT_32)}


class Call:
    """An executable for defn's Compiled (same calling convention), on the low-level path."""

    def __init__(self, low, outputs):
        self.low, self.outputs = low, outputs

    def __call__(self, *arrays):
        low = self.low
        args = rt.VmVariantList(len(arrays))
        for a in arrays:
            args.push_ref(low.allocator.allocate_buffer_copy(low.memory, low.usage, low.device, a, _ELEMENT[a.dtype]))
        results = low.invoke(args, len(self.outputs))
        return [np.frombuffer(results.get_as_object(i, rt.HalBufferView).map(), dtype).reshape(shape)
                for i, (shape, dtype) in enumerate(self.outputs)]


def main(names):
    keep = []
    for name in names:
        program = numerix_program(name)
        workload = WORKLOADS[name]
        reference = flat_arrays(workload.reference(workload.inputs()))
        outputs = [(t.shape, t.type.np) for t in program.compiled.lowered.out_types]
        leaves = program.call.defn._signature(program.call.args, {})[1]
        calls = {}
        for variant, extra in VARIANTS.items():
            start = time.perf_counter()
            try:
                vmfb = compile_vmfb(program.text, program.flags + extra)
            except Exception as error:  # a flag this IREE rejects: say so and go on
                print(f"{name}: {variant}: compile failed: {str(error).splitlines()[0]}")
                continue
            seconds = time.perf_counter() - start
            low = LowLevel(vmfb, program.entry, os.environ.get("DRIVER", "local-task"))
            keep.append(low)
            call = Call(low, outputs)
            program.compiled.executable, default = call, program.compiled.executable  # defn's results, this build
            try:
                ok, error = check(flat_arrays(program.compiled.run(leaves)), reference, workload.rtol, workload.atol)
            finally:
                program.compiled.executable = default
            print(f"{name}: {variant}: compiled in {seconds:.2f} s; result {'ok' if ok else 'WRONG'} ({error})")
            calls[variant] = lambda call=call: call(*program.arrays)
        samples = 40 if name != "matmul" else 25
        results = interleaved(calls, samples)
        show(f"{name} (median of {samples} alternating samples)", results)
        if workload.flops:
            for variant, (median, _, _) in results.items():
                print(f"  {variant:55s} {workload.flops / median / 1e9:.0f} GFLOP/s")
    sys.stdout.flush()
    os._exit(0)  # skips IREE's teardown, which can crash on the order Python frees its objects in


if __name__ == "__main__":
    main(sys.argv[1:] or ["chain", "softmax", "matmul", "mlp"])
