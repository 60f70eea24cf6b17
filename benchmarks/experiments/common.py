"""Shared by the experiments: the StableHLO text and flags numerix compiles for a workload, compiling it with other
flags, and interleaved timing."""
import os
import random
import time
from typing import NamedTuple

import numpy as np

from benchmarks.workloads import WORKLOADS

# Experiments time compiled programs: a first call must not leave them on the evaluator (runtime/tiered.py).
os.environ.setdefault("NUMERIX_TIERED", "0")


class Program(NamedTuple):
    text: str  # StableHLO, as defn hands it to iree-compile
    flags: list  # iree-compile flags defn uses, less the execution model's (iree_policy.execution_flags)
    entry: str
    arrays: list  # the executable's NumPy arguments, in order
    compiled: object  # defn's Compiled program
    call: object  # the workload's numerix call (call.defn, call.args)


def numerix_program(name):
    """The program numerix compiles for a workload, as defn compiles it."""
    from numerix.passes import iree_policy, pipeline
    workload = WORKLOADS[name]
    call = workload.build["numerix"](workload.inputs())
    call()
    fn, args = call.defn, call.args
    key, leaves = fn._signature(args, {})
    compiled = fn._cache[key]
    module, flops = optimized(compiled.lowered)
    with module.context:
        text = pipeline.lower(module)
    # Without the execution model's flags: each experiment calls its own way.
    flags = iree_policy.flags_for("llvm-cpu", flops, libm=iree_policy.needs_libm(text),
                                  branches=iree_policy.has_branches(text),
                                  convolutions=iree_policy.has_convolutions(text))
    arrays = [leaf.numpy() for leaf in leaves] + list(compiled.lowered.captured)
    return Program(text, flags, fn.entry, arrays, compiled, call)


def optimized(lowered):
    """A copy of a Lowered program's module after defn's nx pipeline, and its contraction_flops."""
    from numerix.dialect import ops as nx_ops
    from numerix.passes import iree_policy, pipeline
    module = nx_ops.clone_module(lowered.module)
    with module.context:
        pipeline.run_pipeline(module)
        return module, iree_policy.contraction_flops(module)


def compile_vmfb(text, flags):
    from iree.compiler import compile_str
    return compile_str(text, target_backends=["llvm-cpu"], input_type="stablehlo", extra_args=list(flags))


def interleaved(variants, samples, calls_per_sample=1):
    """{name: (median, p90, caller CPU median)} of seconds per call, the variants alternating sample by sample, in a
    new random order each time (so no variant always follows the same other one).

    Variants that share a process share its caches: the one with more memory (an intermediate the other does not
    write) finds more of it evicted by the others, and looks slower than it is when run alone. Settle a close call
    with one process per variant, each with its own NUMERIX_CACHE_DIR: defn finds programs by their traced text
    and numerix's source, so a compiler patched in a process still loads the program another variant cached (a
    softmax comparison was wrong both ways)."""
    wall = {name: [] for name in variants}
    cpu = {name: [] for name in variants}
    names = list(variants)
    order = random.Random(0)
    for _ in range(samples):
        for name in order.sample(names, len(names)):
            fn = variants[name]
            start, start_cpu = time.perf_counter(), time.thread_time()
            for _ in range(calls_per_sample):
                fn()
            wall[name].append((time.perf_counter() - start) / calls_per_sample)
            cpu[name].append((time.thread_time() - start_cpu) / calls_per_sample)
    return {name: (float(np.median(wall[name])), float(np.percentile(wall[name], 90)), float(np.median(cpu[name])))
            for name in names}


def show(title, results, unit=1e-3, unit_name="ms"):
    print(title)
    best = min(r[0] for r in results.values())
    for name, (median, p90, cpu) in results.items():
        print(f"  {name:55s} median {median / unit:9.3f} {unit_name}  p90 {p90 / unit:9.3f}  caller CPU "
              f"{cpu / unit:8.3f}  x{median / best:.2f}")
