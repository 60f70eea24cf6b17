"""Where a small defn call's microseconds go, layer by layer, and what the IREE call itself costs by driver and by
the way arguments reach IREE (copied into a new buffer, or imported without a copy).

python -m benchmarks.experiments.call_path [workload]   (default: tiny)"""
import os
import sys
import timeit

import iree.runtime as rt
import numpy as np

from benchmarks.experiments.common import compile_vmfb, numerix_program

LOOPS = {"tiny": 20000, "chain": 30, "softmax": 30, "mlp": 30}


def aligned(array, alignment=64):
    """A copy of `array` whose data starts on a 64-byte boundary. IREE's CPU code assumes that alignment: importing
    a NumPy array that lacks it (NumPy aligns large arrays to 16 bytes) crashes the process."""
    raw = np.empty(array.nbytes + alignment, np.uint8)
    offset = (-raw.ctypes.data) % alignment
    out = raw[offset:offset + array.nbytes].view(array.dtype).reshape(array.shape)
    out[...] = array
    return out


def per_call(fn, loops, repeat=7):
    return min(timeit.repeat(fn, number=loops, repeat=repeat)) / loops


class LowLevel:
    """The least Python between a call and IREE: the function looked up once, one VmContext per driver."""

    def __init__(self, vmfb, entry, driver):
        self.instance = rt.VmInstance()
        self.device = rt.get_driver(driver).create_default_device(allocators=["caching"])
        hal = rt.create_hal_module(self.instance, self.device)
        self.module = rt.VmModule.copy_buffer(self.instance, vmfb)
        self.context = rt.VmContext(self.instance, [hal, self.module])
        self.function = self.module.lookup_function(entry)
        self.allocator = self.device.allocator
        self.memory = int(rt.MemoryType.DEVICE_LOCAL)
        self.host_memory = int(rt.MemoryType.HOST_LOCAL | rt.MemoryType.DEVICE_VISIBLE)
        self.usage = int(rt.BufferUsage.DEFAULT)

    def copied_args(self, arrays):
        args = rt.VmVariantList(len(arrays))
        for a in arrays:
            args.push_ref(self.allocator.allocate_buffer_copy(self.memory, self.usage, self.device, a,
                                                              int(rt.HalElementType.FLOAT_32)))
        return args

    def imported_args(self, arrays):
        args = rt.VmVariantList(len(arrays))
        for a in arrays:
            buffer = self.allocator.import_host_allocation(a, self.host_memory, self.usage)
            args.push_ref(rt.HalBufferView(buffer, a.shape, int(rt.HalElementType.FLOAT_32)))
        return args

    def invoke(self, args, outputs):
        results = rt.VmVariantList(outputs)
        self.context.invoke(self.function, args, results)
        return results


def main(name="tiny"):
    text, flags, entry, arrays, compiled, call = numerix_program(name)
    loops = LOOPS.get(name, 30)
    vmfb = compile_vmfb(text, flags)
    outputs = len(compiled.lowered.out_types)
    fn, fn_args = call.defn, call.args
    key, leaves = fn._signature(fn_args, {})
    rows = {}
    rows["defn call"] = per_call(call, loops)
    rows["  _signature + cache lookup"] = per_call(lambda: fn._cache.get(fn._signature(fn_args, {})[0]), loops)
    rows["  Compiled.run"] = per_call(lambda: compiled.run(leaves), loops)
    rows["    Executable.__call__ (driver %s)" % compiled.executable.driver] = per_call(
        lambda: compiled.executable(*arrays), loops)
    aligned_arrays = [aligned(a) for a in arrays]
    keep = []  # IREE objects torn down in the wrong order crash the process: keep them to the end
    for driver in ("local-sync", "local-task"):
        low = LowLevel(vmfb, entry, driver)
        keep.append(low)
        args = low.copied_args(arrays)
        rows[f"{driver}: args copied + invoke + results mapped"] = per_call(
            lambda: [np.frombuffer(low.invoke(low.copied_args(arrays), outputs).get_as_object(
                i, rt.HalBufferView).map(), np.float32) for i in range(outputs)], loops)
        rows[f"{driver}: args imported (no copy, 64-byte aligned) + invoke + mapped"] = per_call(
            lambda: [np.frombuffer(low.invoke(low.imported_args(aligned_arrays), outputs).get_as_object(
                i, rt.HalBufferView).map(), np.float32) for i in range(outputs)], loops)
        rows[f"{driver}: building the copied argument list alone"] = per_call(lambda: low.copied_args(arrays), loops)
        rows[f"{driver}: building the imported argument list alone"] = per_call(
            lambda: low.imported_args(aligned_arrays), loops)
        rows[f"{driver}: invoke alone (argument list reused)"] = per_call(lambda: low.invoke(args, outputs), loops)
        check = [np.frombuffer(low.invoke(low.imported_args(aligned_arrays), outputs).get_as_object(
            i, rt.HalBufferView).map(), np.float32) for i in range(outputs)]
        expected = compiled.executable(*arrays)
        assert all(np.array_equal(c.reshape(e.shape), e) for c, e in zip(check, expected)), "imported args differ"
    unit, unit_name = (1e-6, "us") if rows["defn call"] < 1e-3 else (1e-3, "ms")
    print(f"{name}: best of 7 repeats of {loops} calls, per call")
    for row, value in rows.items():
        print(f"  {row:60s} {value / unit:10.2f} {unit_name}")


if __name__ == "__main__":
    main(*sys.argv[1:])
    sys.stdout.flush()
    os._exit(0)  # skips IREE's teardown, which can crash on the order Python frees its objects in
