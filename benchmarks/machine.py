"""The machine and the library versions, for the report."""
import importlib.metadata
import os
import platform


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
