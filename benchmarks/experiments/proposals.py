"""The proposed changes, each alone and together, against today's numerix on the benchmark's workloads, in the
benchmark's way: one process, the variants alternating sample by sample, results checked first.

Variants (defn options where defn has them, else a stand-in for the Executable that the change would make):
- today: defn with its defaults;
- data-tiling: defn(..., flags=["--iree-opt-data-tiling"]);
- local-task: defn(..., driver="local-task") (defn picks local-sync for the MLP step: its arguments and results
  are under 4 MiB, its work 1.2 GFLOP);
- zero-copy: aligned arguments imported into IREE instead of copied (allocator.import_host_allocation): the
  workload's input arrays are copied once, up front, to 64-byte aligned memory, as numerix would allocate them;
- async wait: compiled with --iree-execution-model=async-external, the caller polls the semaphore, sleeping 100 us
  between polls, instead of blocking in IREE;
- all: data-tiling + local-task + zero-copy.

python -m benchmarks.experiments.proposals [workload ...]   (SAMPLES=n to change the samples per variant)"""
import os
import sys
import time

import iree.runtime as rt
import numpy as np

from benchmarks.experiments.call_path import aligned
from benchmarks.experiments.common import interleaved, show
from benchmarks.measure import check
from benchmarks.workloads import WORKLOADS, arrays as flat_arrays

DATA_TILING = ["--iree-opt-data-tiling"]
ASYNC = ["--iree-execution-model=async-external"]
_HOST_MEMORY = int(rt.MemoryType.HOST_LOCAL | rt.MemoryType.DEVICE_VISIBLE)


class Importing:
    """Stands in for defn's Executable: imports 64-byte aligned arguments without a copy (copies the others, as
    today), and, for an async-external module, passes the two fences and polls for the result."""

    def __init__(self, executable, asynchronous):
        self.inner = executable
        self.import_host = executable._device.allocator.import_host_allocation
        self.asynchronous = asynchronous
        if asynchronous:
            self.semaphore = executable._device.create_semaphore(0)
            self.value = 0

    def __call__(self, *arrays):
        inner = self.inner
        args = rt.VmVariantList(len(arrays) + 2 * self.asynchronous)
        for array, slot in zip(arrays, inner._inputs):
            if array.flags.c_contiguous and array.ctypes.data % 64 == 0:
                buffer = self.import_host(array, _HOST_MEMORY, inner._usage)
                args.push_ref(rt.HalBufferView(buffer, array.shape, slot.element))
            else:
                args.push_ref(inner._allocate(inner._memory, inner._usage, inner._device,
                                              np.ascontiguousarray(array), slot.element))
        if self.asynchronous:
            args.push_ref(rt.HalFence.create_at(self.semaphore, self.value))
            self.value += 1
            args.push_ref(rt.HalFence.create_at(self.semaphore, self.value))
        results = rt.VmVariantList(len(inner._outputs))
        inner._context.invoke(inner._function, args, results)
        if self.asynchronous:
            while self.semaphore.query() < self.value:
                time.sleep(100e-6)
        return tuple(np.frombuffer(results.get_as_object(i, rt.HalBufferView).map(), dtype).reshape(shape)
                     for i, (shape, dtype, *_) in enumerate(inner._outputs))


def _tree(value, leaf):
    if isinstance(value, tuple):
        return tuple(_tree(v, leaf) for v in value)
    if isinstance(value, dict):
        return {k: _tree(v, leaf) for k, v in value.items()}
    return leaf(value)


def build(call, zero_copy=False, asynchronous=False, **options):
    import numerix as nx
    fn = nx.defn(call.defn.fn, **options)
    args = _tree(call.args, lambda t: nx.tensor(aligned(t.numpy()))) if zero_copy else call.args
    key, _ = fn._signature(args, {})
    compiled = fn.lower(*args).compile()
    fn._cache[key] = compiled  # what defn's first call would have stored
    if zero_copy or asynchronous:
        compiled.executable = Importing(compiled.executable, asynchronous)
    return lambda: fn(*args)


def main(names):
    samples = int(os.environ.get("SAMPLES", 30))
    for name in names:
        workload = WORKLOADS[name]
        inputs = workload.inputs()
        reference = flat_arrays(workload.reference(inputs))
        today = workload.build["numerix"](inputs)
        calls = {"today": today}
        specs = {"data-tiling": dict(flags=DATA_TILING), "zero-copy": dict(zero_copy=True),
                 "async wait": dict(asynchronous=True, flags=ASYNC, driver="local-task"),
                 "all": dict(zero_copy=True, flags=DATA_TILING, driver="local-task")}
        if name == "mlp":
            specs["local-task"] = dict(driver="local-task")
        for title, spec in specs.items():
            calls[title] = build(today, **spec)
        for library in ("numpy", "jax"):
            try:
                calls[library] = workload.build[library](inputs)
            except ImportError:
                pass
        for title, call in calls.items():
            ok, error = check(flat_arrays(call()), reference, workload.rtol, workload.atol)
            print(f"{name}: {title}: result {'ok' if ok else 'WRONG'} ({error:.3g} of tolerance)")
            for _ in range(3):
                call()
        per_call = workload.calls_per_sample
        unit, unit_name = (1e-6, "us") if per_call > 1 else (1e-3, "ms")
        show(f"{name}: median of {samples} alternating samples", interleaved(calls, samples, per_call), unit,
             unit_name)
    sys.stdout.flush()
    os._exit(0)  # skips IREE's teardown, which can crash on the order Python frees its objects in


if __name__ == "__main__":
    main(sys.argv[1:] or ["chain", "softmax", "matmul", "mlp", "tiny"])
