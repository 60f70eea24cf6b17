"""The machine and the library versions, for the report."""
import concurrent.futures
import gc
import importlib.metadata
import os
import platform
import time

import numpy as np


def cpu():
    model, flags = "unknown", set()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                name, _, value = line.partition(":")
                name = name.strip()
                if name == "model name" and model == "unknown":
                    model = value.strip()
                elif name == "flags" and not flags:
                    flags = set(value.split())
    except OSError:
        pass
    vector = [f for f in ("avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512_bf16") if f in flags]
    return {"model": model, "cores": os.cpu_count(), "vector": vector}


def memory_gib():
    try:
        with open("/proc/meminfo") as f:
            return int(f.readline().split()[1]) / (1 << 20)
    except (OSError, ValueError, IndexError):
        return None


def load_average():
    try:
        return os.getloadavg()
    except OSError:
        return None


def versions():
    found = {"python": platform.python_version()}
    for package in ("numerix", "numpy", "iree-base-compiler", "iree-base-runtime", "jax", "jaxlib"):
        try:
            found[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            pass
    return found


def busy_cores(seconds=0.5):
    """How many cores the whole machine kept busy over `seconds` (this process sleeps meanwhile, so it is others)."""
    def busy():
        with open("/proc/stat") as f:
            fields = [int(v) for v in f.readline().split()[1:]]
        return sum(fields[:8]) - fields[3] - fields[4], sum(fields[:8])  # busy jiffies, all jiffies
    before = busy()
    time.sleep(seconds)
    after = busy()
    total = after[1] - before[1]
    return (after[0] - before[0]) / total * (os.cpu_count() or 1) if total else 0.0


def wait_until_quiet(threshold=0.3, patience=30.0):
    """Waits (at most `patience` seconds) until other processes keep less than `threshold` cores busy; returns the
    last load seen, in cores."""
    deadline = time.monotonic() + patience
    load = busy_cores()
    while load > threshold and time.monotonic() < deadline:
        load = busy_cores()
    return load


def copy_bandwidth(nbytes=16 << 20, samples=40):
    """The memory bandwidth the bandwidth goals are measured against: bytes read and written per second by a copy
    of `nbytes` split over all cores (NumPy's copyto, which lets go of the GIL), each sample timed as the workloads
    are (after gc.collect()); the fastest sample, so that the limit is the copy at its best."""
    count = nbytes // 4
    source, target = np.ones(count, np.float32), np.empty(count, np.float32)
    bounds = np.linspace(0, count, (os.cpu_count() or 1) + 1).astype(int)
    parts = [slice(a, b) for a, b in zip(bounds[:-1], bounds[1:])]
    best = float("inf")
    with concurrent.futures.ThreadPoolExecutor(len(parts)) as pool:
        for _ in range(samples):
            gc.collect()
            start = time.perf_counter()
            list(pool.map(lambda part: np.copyto(target[part], source[part]), parts))
            best = min(best, time.perf_counter() - start)
    return 2 * nbytes / best
