"""The 4-element add called through defn, or through JAX's jit, in a process of its own: the median and 10th
percentile of per-call times over samples of 500 calls, and for numerix the layers of the call (the defn call,
Compiled.run_arrays, the executable). Run one process per variant, alternating, to compare call paths: for the code
before a change, put a copy of the packages first on PYTHONPATH (numerix/ from frontend/, numerix/dialect from
dialect/, ...).

python -m benchmarks.experiments.small_call numerix|jax [rounds]"""
import os
import sys
import time

import numpy as np

from benchmarks.workloads import WORKLOADS

os.environ.setdefault("NUMERIX_TIERED", "0")  # time the compiled program, not the evaluator's first calls

CALLS = 500


def samples(call, rounds):
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(CALLS):
            call()
        times.append((time.perf_counter() - start) / CALLS)
    return np.array(times)


def main(library="numerix", rounds="60"):
    rounds = int(rounds)
    workload = WORKLOADS["tiny"]
    call = workload.build[library](workload.inputs())
    call()
    layers = {"call": call}
    if library == "numerix":
        fn, args = call.defn, call.args
        compiled = next(iter(fn._cache.values()))
        arrays = [a.numpy() for a in args]
        layers["Compiled.run_arrays"] = lambda: compiled.run_arrays(arrays)
        layers["executable"] = lambda: compiled.executable(*arrays)
    for name, layer in layers.items():
        samples(layer, 5)  # warm up
    results = {name: [] for name in layers}
    for _ in range(rounds):  # layers alternate, so drift in the machine's load reaches each alike
        for name, layer in layers.items():
            results[name].extend(samples(layer, 1))
    for name, times in results.items():
        print(f"{library:8s} {name:22s} median {np.median(times) * 1e6:6.2f} us  p10 "
              f"{np.percentile(times, 10) * 1e6:6.2f} us")
    sys.stdout.flush()
    os._exit(0)  # skips IREE's teardown, which can crash on the order Python frees its objects in


if __name__ == "__main__":
    main(*sys.argv[1:])
