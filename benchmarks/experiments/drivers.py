"""Drivers and execution models on CPU: a workload's StableHLO (as defn produces it; extra iree-compile flags from
the command line) called synchronously on local-sync and on local-task, and compiled for IREE's async-external
model on local-task with three ways to wait for the result: the blocking fence wait, polling with 100 us sleeps,
and sleeping for most of the previous call's time before polling every 20 us. The variants alternate sample by
sample; the caller's CPU time per call shows whether the calling thread spins.

python -m benchmarks.experiments.drivers WORKLOAD [iree-compile flag ...]"""
import os
import sys
import time

import iree.runtime as rt
import numpy as np

from benchmarks.experiments.call_path import LowLevel
from benchmarks.experiments.common import compile_vmfb, interleaved, numerix_program, show
from benchmarks.measure import check
from benchmarks.workloads import WORKLOADS, arrays as flat_arrays

ASYNC = "--iree-execution-model=async-external"
_ELEMENT = {np.dtype(np.float32): int(rt.HalElementType.FLOAT_32)}


class Sync:
    """defn's synchronous call: arguments copied, invoke, results mapped."""

    def __init__(self, low, outputs):
        self.low, self.outputs = low, outputs

    def arguments(self, arrays, extra):
        low = self.low
        args = rt.VmVariantList(len(arrays) + extra)
        for a in arrays:
            args.push_ref(low.allocator.allocate_buffer_copy(low.memory, low.usage, low.device, a, _ELEMENT[a.dtype]))
        return args

    def results(self, results):
        return [np.frombuffer(results.get_as_object(i, rt.HalBufferView).map(), dtype).reshape(shape)
                for i, (shape, dtype) in enumerate(self.outputs)]

    def __call__(self, *arrays):
        return self.results(self.low.invoke(self.arguments(arrays, 0), len(self.outputs)))


class Async(Sync):
    """async-external: the function takes (wait fence, signal fence) after its arguments and returns as soon as the
    work is queued; `wait` decides how the caller waits for the signal fence."""

    def __init__(self, low, outputs, wait):
        super().__init__(low, outputs)
        self.semaphore = low.device.create_semaphore(0)
        self.value = 0
        self.wait = wait
        self.last = 0.0

    def __call__(self, *arrays):
        args = self.arguments(arrays, 2)
        args.push_ref(rt.HalFence.create_at(self.semaphore, self.value))
        self.value += 1
        signal = rt.HalFence.create_at(self.semaphore, self.value)
        args.push_ref(signal)
        start = time.perf_counter()
        results = self.low.invoke(args, len(self.outputs))
        self.wait(self, signal)
        self.last = time.perf_counter() - start  # from the call to the result: what the next call sleeps by
        return self.results(results)


# Polling reads the semaphore's value: fence.wait(timeout=...) is no poll (a 1 ns timeout takes ~90 us, 1 us takes
# a millisecond, and timeout=0 reads as no timeout at all).

def blocking_wait(call, fence):
    fence.wait()


def poll_100us(call, fence):
    while call.semaphore.query() < call.value:
        time.sleep(100e-6)


def sleep_then_poll(call, fence):
    """Sleeps 85% of the previous call's time, then polls every 20 us."""
    if call.last > 200e-6:
        time.sleep(call.last * 0.85)
    while call.semaphore.query() < call.value:
        time.sleep(20e-6)


def adaptive(call, fence):
    """Sleeps 70% of the fastest of the last 8 calls, then polls with sleeps of a 40th of it (at least 20 us)."""
    recent = call.recent = (getattr(call, "recent", []) + [call.last])[-8:]
    expected = min(recent)
    if expected > 300e-6:
        time.sleep(expected * 0.7)
    step = max(20e-6, expected / 40)
    while call.semaphore.query() < call.value:
        time.sleep(step)


def main(name, *flags):
    program = numerix_program(name)
    workload = WORKLOADS[name]
    reference = flat_arrays(workload.reference(workload.inputs()))
    outputs = [(t.shape, t.type.np) for t in program.compiled.lowered.out_types]
    leaves = program.call.defn._signature(program.call.args, {})[1]
    sync_vmfb = compile_vmfb(program.text, program.flags + list(flags))
    async_vmfb = compile_vmfb(program.text, program.flags + list(flags) + [ASYNC])
    print(f"{name}: defn picked driver {program.compiled.executable.driver}; extra flags {list(flags)}")
    keep, calls = [], {}
    variants = {"sync, local-sync": (sync_vmfb, "local-sync", None),
                "sync, local-task": (sync_vmfb, "local-task", None),
                "async-external, local-task, blocking fence wait": (async_vmfb, "local-task", blocking_wait),
                "async-external, local-task, poll with 100 us sleeps": (async_vmfb, "local-task", poll_100us),
                "async-external, local-task, sleep 85% then poll 20 us": (async_vmfb, "local-task", sleep_then_poll),
                "async-external, local-task, adaptive": (async_vmfb, "local-task", adaptive)}
    for variant, (vmfb, driver, wait) in variants.items():
        low = LowLevel(vmfb, program.entry, driver)
        keep.append(low)
        call = Sync(low, outputs) if wait is None else Async(low, outputs, wait)
        program.compiled.executable, default = call, program.compiled.executable  # defn's results, this call
        try:
            ok, error = check(flat_arrays(program.compiled.run(leaves)), reference, workload.rtol, workload.atol)
        finally:
            program.compiled.executable = default
        print(f"  {variant}: result {'ok' if ok else 'WRONG'} ({error})")
        for _ in range(5):
            call(*program.arrays)
        calls[variant] = lambda call=call: call(*program.arrays)
    samples = int(os.environ.get("SAMPLES", 60))
    show(f"{name} (median of {samples} alternating samples)", interleaved(calls, samples))
    sys.stdout.flush()
    os._exit(0)  # skips IREE's teardown, which can crash on the order Python frees its objects in


if __name__ == "__main__":
    main(*sys.argv[1:])
