"""How lean can a small defn call get? Prototypes of a shorter call path, each measured against today's defn call on
the same compiled function (a 4-element add unless told otherwise), the variants alternating.

- fast key: for positional tensor arguments only (no statics, no containers, the common case), the cache key is the
  tuple of their TensorTypes, looked up in a second dict, instead of the general flattening with its per-argument
  path strings;
- lean run: one function from arguments to result tensors: each argument copied into an IREE buffer, the function
  invoked, results mapped and wrapped as Tensors directly (the key already fixed shapes and types, so the
  executable's own shape and type checks are left out; contiguity is still checked);
- imported arguments, cached: a 64-byte aligned argument is imported into IREE without a copy and its buffer view
  kept (by the tensor's identity, weakly: Tensor's == is elementwise, so no WeakKeyDictionary) for the next call
  with the same tensor.

python -m benchmarks.experiments.lean_call [workload]"""
import os
import sys
import timeit
import weakref

import iree.runtime as rt
import numpy as np

from benchmarks.experiments.call_path import aligned
from benchmarks.experiments.common import numerix_program
from benchmarks.workloads import WORKLOADS, arrays as flat_arrays
from benchmarks.measure import check


class LeanPath:
    def __init__(self, program, import_aligned):
        from numerix.dispatch import NUMPY, default_backend
        from numerix.tensor import Tensor
        self.Tensor, self.NUMPY, self.default_backend = Tensor, NUMPY, default_backend
        self.fn = program.call.defn
        executable = program.compiled.executable
        self.executable = executable
        self.invoke = executable._context.invoke
        self.function = executable._function
        self.allocate = executable._allocate
        self.memory, self.usage, self.device = executable._memory, executable._usage, executable._device
        self.elements = [slot.element for slot in executable._inputs]
        self.outputs = [(ttype, ttype.shape, ttype.type.np) for ttype in program.compiled.lowered.out_types]
        self.single = len(self.outputs) == 1 and program.compiled.lowered.out_tree[0] == "tensor"
        self.fast = {tuple(leaf.ttype for leaf in program.call.args): program.compiled}
        self.import_aligned = import_aligned
        self.imported = {}  # id(tensor) -> (weak reference to it, its array, the buffer view over that array)
        self.host_memory = int(rt.MemoryType.HOST_LOCAL | rt.MemoryType.DEVICE_VISIBLE)
        self.import_host = executable._device.allocator.import_host_allocation

    def buffer(self, tensor, element):
        if self.import_aligned:
            found = self.imported.get(id(tensor))
            if found is not None and found[0]() is tensor and found[1] is tensor.data:
                return found[2]
        array = tensor.data
        if not array.flags.c_contiguous:
            array = np.ascontiguousarray(array)
        if self.import_aligned and array.ctypes.data % 64 == 0:
            view = rt.HalBufferView(self.import_host(array, self.host_memory, self.usage), array.shape, element)
            key = id(tensor)
            self.imported[key] = (weakref.ref(tensor, lambda _: self.imported.pop(key, None)), tensor.data, view)
            return view
        return self.allocate(self.memory, self.usage, self.device, array, element)

    def __call__(self, *args):
        if getattr(self.default_backend(), "traced", False):
            return self.fn(*args)
        try:
            compiled = self.fast.get(tuple([a.ttype for a in args]))
        except AttributeError:
            compiled = None
        if compiled is None or any(type(a) is not self.Tensor for a in args):
            return self.fn(*args)  # the general path
        arguments = rt.VmVariantList(len(args))
        for tensor, element in zip(args, self.elements):
            arguments.push_ref(self.buffer(tensor, element))
        results = rt.VmVariantList(len(self.outputs))
        self.invoke(self.function, arguments, results)
        Tensor, numpy = self.Tensor, self.NUMPY
        tensors = [Tensor(np.frombuffer(results.get_as_object(i, rt.HalBufferView).map(), dtype).reshape(shape),
                          ttype, numpy) for i, (ttype, shape, dtype) in enumerate(self.outputs)]
        return tensors[0] if self.single else tensors


def per_call(fn, loops, repeat=9):
    return min(timeit.repeat(fn, number=loops, repeat=repeat)) / loops


def main(name="tiny"):
    import numerix as nx
    program = numerix_program(name)
    workload = WORKLOADS[name]
    reference = flat_arrays(workload.reference(workload.inputs()))
    args = program.call.args
    aligned_args = tuple(nx.tensor(aligned(a.numpy())) for a in args)
    lean_copy, lean_import = LeanPath(program, False), LeanPath(program, True)
    variants = {"defn call today": lambda: program.call.defn(*args),
                "lean path, arguments copied": lambda: lean_copy(*args),
                "lean path, aligned arguments imported, cached": lambda: lean_import(*aligned_args)}
    for title, call in variants.items():
        ok, error = check(flat_arrays(call()), reference, workload.rtol, workload.atol)
        assert ok, f"{title}: wrong result ({error})"
    loops = 20000 if name == "tiny" else 20
    unit, unit_name = (1e-6, "us") if name == "tiny" else (1e-3, "ms")
    print(f"{name}: best of 9 repeats of {loops} calls (variants alternate by repeat), per call")
    results = {title: [] for title in variants}
    for _ in range(9):
        for title, call in variants.items():
            results[title].append(per_call(call, loops, repeat=1))
    for title, times in results.items():
        print(f"  {title:50s} {min(times) / unit:8.2f} {unit_name} (median {np.median(times) / unit:.2f})")
    sys.stdout.flush()
    os._exit(0)  # skips IREE's teardown, which can crash on the order Python frees its objects in


if __name__ == "__main__":
    main(*sys.argv[1:])
