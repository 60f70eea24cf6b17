"""What one worker process measures; each prints one JSON line (run.py starts them, each in a fresh process).

timing WORKLOAD LIBRARY: builds the workload in one library, checks its result against the reference, then times
  it. It records wall time, and CPU time of the calling thread (a caller that busy-waits shows CPU close to wall).
compile numerix|jax mlp|digits: the MLP step's (or the digits example's step's) first call in a fresh process, split
  into its phases, and the first call of the compiled program (numerix: with the compile cache in NUMERIX_CACHE_DIR,
  cold or filled by an earlier process; tiered or not by NUMERIX_TIERED).
memory LIBRARY WORKLOAD CALLS: the process's resident memory while it makes CALLS calls.
compile_size N: numerix's first call of `a = sin(a) * 0.5 + 0.1` unrolled N times, cold cache: how compile time grows
  with the program.
subnormals keep|flush normal|subnormal: numerix's time per call of a multiply-add chain with subnormals kept (the
  default) or flushed, on normal data or on the same data times 1e-39 (subnormal)."""
import gc
import json
import os
import sys
import time

import numpy as np

from .workloads import WORKLOADS, arrays

LIBRARIES = ("numerix", "numpy", "jax")


def available_libraries():
    if os.environ.get("BENCH_LIBRARIES"):  # an experiment's choice
        return tuple(os.environ["BENCH_LIBRARIES"].split(","))
    try:
        import jax  # noqa: F401  (only whether it is there)
    except ImportError:
        return LIBRARIES[:2]
    return LIBRARIES


def check(result, reference, rtol, atol):
    """(ok, worst error as a multiple of the tolerance, or a reason)."""
    if len(result) != len(reference):
        return False, f"{len(result)} results, expected {len(reference)}"
    worst = 0.0
    for got, want in zip(result, reference):
        if got.shape != want.shape or got.dtype != want.dtype:
            return False, f"{got.dtype}{list(got.shape)}, expected {want.dtype}{list(want.shape)}"
        if not np.all(np.isfinite(got) == np.isfinite(want)):
            return False, "non-finite values where the reference has none (or the other way)"
        tolerance = atol + rtol * np.abs(want.astype(np.float64))
        error = np.abs(got.astype(np.float64) - want)
        worst = max(worst, float(np.max(np.where(tolerance > 0, error / np.maximum(tolerance, 1e-300),
                                                 np.where(error > 0, np.inf, 0.0)))))
    return worst <= 1.0, worst


def _cpu_jiffies():
    """(busy jiffies of the whole machine, of this process): the difference is other processes' load."""
    with open("/proc/stat") as f:
        fields = [int(v) for v in f.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    with open("/proc/self/stat") as f:
        own = f.read().rsplit(")", 1)[1].split()
    return sum(fields[:8]) - idle, int(own[11]) + int(own[12])  # utime, stime of all threads


def timing(name, library):
    """`library`'s samples of workload `name`, keyed by the library (run.py merges a round's processes)."""
    workload = WORKLOADS[name]
    inputs = workload.inputs()
    reference = arrays(workload.reference(inputs))
    start = time.perf_counter()
    call = workload.build[library](inputs)
    ok, error = check(arrays(call()), reference, workload.rtol, workload.atol)
    setup = time.perf_counter() - start
    for _ in range(max(3, 50 // workload.calls_per_sample)):  # warm up
        call()
    wall, cpu = [], []
    repeat = range(workload.calls_per_sample)
    busy_before, own_before = _cpu_jiffies()
    started = time.perf_counter()
    for _ in range(workload.samples):
        gc.collect()
        start, start_cpu = time.perf_counter(), time.thread_time()
        for _ in repeat:
            call()
        end, end_cpu = time.perf_counter(), time.thread_time()
        wall.append((end - start) / workload.calls_per_sample)
        cpu.append((end_cpu - start_cpu) / workload.calls_per_sample)
    busy, own = _cpu_jiffies()
    layers = call_layers(call, 2000 if workload.calls_per_sample > 1 else 20) if library == "numerix" else None
    other_load = (busy - busy_before - (own - own_before)) / os.sysconf("SC_CLK_TCK") / (time.perf_counter() - started)
    return {"workload": name, "wall": {library: wall}, "cpu": {library: cpu},
            "checks": {library: {"ok": ok, "error": error}}, "setup": {library: setup}, "other_load": other_load,
            "layers": layers}


def call_layers(call, count):
    """Median seconds of each layer of a defn call, timed alternately: the whole call; handing the arguments to
    IREE (copied into IREE buffers, or imported without a copy); the executable (that, the IREE call, results
    mapped or copied out); and, in a loop of its own (right after large work it would time the cache misses of
    whatever runs next), finding the compiled program as the call does (by the arguments' types when they are
    eager tensors passed by position, else by the flattened signature). Reaches into defn's and the executable's
    internals, so it returns None when they have changed shape."""
    try:
        fn, args = call.defn, call.args
        key, leaves = fn._signature(args, {})
        compiled = fn._cache[key]
        arrays = [leaf.numpy() for leaf in leaves] + list(compiled.lowered.captured)
        executable = compiled.executable

        from numerix.runtime.compilers import get_compiler

        def lookup():  # what a call does: the key of positional eager tensors where it can, else the signature
            fast_key = fn._fast_key(get_compiler(fn.compiler), args)
            if fast_key is None:
                fn._cache.get(fn._signature(args, {})[0])
            else:
                fn._fast.get(fast_key)
        staging = executable._staging  # small arguments: refilled buffers instead of new ones
        layers = {"defn call": call,
                  "arguments to IREE": (lambda: executable.staged_arguments(staging, arrays)) if staging else
                  (lambda: executable.arguments(arrays)),
                  "executable": lambda: executable(*arrays)}
        lookup()
    except (AttributeError, KeyError, TypeError):
        return None
    times = {name: [] for name in layers}
    for _ in range(count):
        for name, layer in layers.items():
            start = time.perf_counter()
            layer()
            times[name].append(time.perf_counter() - start)
    medians = {name: float(np.median(t)) for name, t in times.items()}
    lookups = []
    for _ in range(20):
        start = time.perf_counter()
        for _ in range(100):
            lookup()
        lookups.append((time.perf_counter() - start) / 100)
    medians["signature and lookup"] = float(np.median(lookups))
    medians["driver"] = getattr(executable, "driver", "?")
    return medians


def _phases(targets):
    """Wraps module functions so that their time adds up under a phase name; returns the totals dict."""
    totals = {}

    def wrap(module, attribute, phase):
        inner = getattr(module, attribute)

        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return inner(*args, **kwargs)
            finally:
                totals[phase] = totals.get(phase, 0.0) + time.perf_counter() - start
        setattr(module, attribute, timed)
    for module, attribute, phase in targets:
        if hasattr(module, attribute):
            wrap(module, attribute, phase)
    return totals


def _compile_case(workload, nx_or_jax):
    """(step, args) of a first-call workload ("mlp", "digits") in numerix (nx) or JAX (jax)."""
    from . import workloads
    if nx_or_jax.__name__ == "jax":
        lib, tensor, value_and_grad = nx_or_jax, nx_or_jax.numpy.asarray, nx_or_jax.value_and_grad
    else:
        lib, tensor, value_and_grad = nx_or_jax, nx_or_jax.tensor, nx_or_jax.value_and_grad
    if workload == "mlp":
        inputs = workloads.mlp_inputs()
        step = workloads.mlp_jax_step() if lib.__name__ == "jax" else workloads.mlp_numerix_step()
        return step, ({k: tensor(inputs[k]) for k in workloads.PARAMS}, tensor(inputs["x"]), tensor(inputs["y"]))
    params, velocity, x, labels = workloads.digits_inputs()
    step = workloads.digits_step(lib.numpy if lib.__name__ == "jax" else lib, value_and_grad)
    step = lib.jit(step) if lib.__name__ == "jax" else lib.defn(step)
    as_tensors = [[{k: tensor(v) for k, v in layer.items()} for layer in tree] for tree in (params, velocity)]
    return step, (*as_tensors, tensor(x), tensor(labels))


def compile_numerix(workload):
    """The first call (the time to its result), then waiting for the compiled program (a tiered first call runs on
    the evaluator while iree-compile runs in the background: runtime/tiered.py) and its first call; NUMERIX_TIERED
    picks the variant."""
    start = time.perf_counter()
    import numerix as nx  # with it IREE's compiler and runtime, which runtime/iree.py imports
    imported = time.perf_counter() - start
    from numerix.passes import pipeline
    from numerix.runtime import iree, tiered
    step, args = _compile_case(workload, nx)
    # Phases nest: "nx passes", "lower to StableHLO", "iree-compile or disk cache read" and "load module" run
    # inside the defn's compile, after "trace" (iree-compile in a background thread when the call is tiered).
    totals = _phases([(type(step), "_lower", "trace"), (pipeline, "run_pipeline", "nx passes"),
                      (pipeline, "lower", "lower to StableHLO"),
                      (iree, "compile_stablehlo", "iree-compile or disk cache read"),
                      (iree, "Executable", "load module")])
    stats_before = dict(iree.CACHE.stats)
    start = time.perf_counter()
    step(*args)
    first = time.perf_counter() - start
    (compiled,) = step._cache.values()
    on_evaluator = isinstance(compiled.executable, tiered.TieredExecutable)
    compiled.wait()
    ready = time.perf_counter() - start
    start = time.perf_counter()
    step(*args)
    second = time.perf_counter() - start
    cache = {k: iree.CACHE.stats[k] - stats_before[k] for k in stats_before}
    return {"library": "numerix", "import": imported, "first_call": first, "first_compiled": ready + second,
            "next_call": second, "phases": totals, "cache": cache, "first_on_evaluator": on_evaluator}


def compile_jax(workload):
    start = time.perf_counter()
    import jax
    imported = time.perf_counter() - start
    step, args = _compile_case(workload, jax)
    jax.block_until_ready(args)
    start = time.perf_counter()
    lowered = step.lower(*args)
    traced = time.perf_counter() - start
    start = time.perf_counter()
    lowered.compile()
    compiled = time.perf_counter() - start
    # jit's own cache is separate from lower().compile(): the first call traces and compiles again, in a process
    # whose JAX is now warm; a fresh step function keeps the first call honest about tracing.
    step, _ = _compile_case(workload, jax)
    start = time.perf_counter()
    jax.block_until_ready(step(*args))
    first = time.perf_counter() - start
    start = time.perf_counter()
    jax.block_until_ready(step(*args))
    second = time.perf_counter() - start
    return {"library": "jax", "import": imported, "first_call": first, "first_compiled": first, "next_call": second,
            "phases": {"trace and lower": traced, "XLA compile": compiled}}


def compile_size(n):
    import numerix as nx
    from numerix.runtime import iree
    totals = _phases([(iree, "compile_stablehlo", "iree-compile")])

    @nx.defn
    def chain(a):
        for _ in range(n):
            a = nx.sin(a) * 0.5 + 0.1
        return a
    x = nx.tensor(np.linspace(-1, 1, 1024, dtype=np.float32))
    start = time.perf_counter()
    chain(x)
    return {"n": n, "first_call": time.perf_counter() - start, "iree_compile": totals.get("iree-compile")}


SUBNORMAL_SCALE = 1e-39


def subnormals(mode, data, samples=30):
    import numerix as nx

    @nx.defn(subnormals=mode)
    def chain(a):  # ten ops whose results stay subnormal on subnormal data
        for _ in range(5):
            a = a * 0.999 + a * 0.0001
        return a
    x = (_rng_data(4 << 20) + 0.5) * np.float32(SUBNORMAL_SCALE if data == "subnormal" else 1)
    x = nx.tensor(x.astype(np.float32))
    for _ in range(5):
        chain(x)
    wall = []
    for _ in range(samples):
        gc.collect()
        start = time.perf_counter()
        chain(x)
        wall.append(time.perf_counter() - start)
    flushed = float(np.mean(np.asarray(chain(x)) == 0))
    return {"mode": mode, "data": data, "median": float(np.median(wall)), "flushed": flushed}


def _rng_data(size):
    return np.random.default_rng(20240605).random(size, dtype=np.float32)


def _resident_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096


def memory(library, name, calls):
    workload = WORKLOADS[name]
    call = workload.build[library](workload.inputs())
    for _ in range(100):
        call()
    gc.collect()
    start = _resident_bytes()
    trace = [start]
    checkpoint = max(1, calls // 20)
    peak = start
    for i in range(1, calls + 1):
        call()
        if i % checkpoint == 0:
            resident = _resident_bytes()
            peak = max(peak, resident)
            trace.append(resident)
    gc.collect()
    return {"library": library, "workload": name, "calls": calls, "start": start, "end": _resident_bytes(),
            "peak": peak, "trace": trace}


def main(argv):
    kind, *rest = argv
    if kind != "compile":  # the others time compiled programs: no first calls on the evaluator (runtime/tiered.py)
        os.environ.setdefault("NUMERIX_TIERED", "0")
    if kind == "timing":
        result = timing(rest[0], rest[1])
    elif kind == "compile":
        result = compile_numerix(rest[1]) if rest[0] == "numerix" else compile_jax(rest[1])
    elif kind == "memory":
        result = memory(rest[0], rest[1], int(rest[2]))
    elif kind == "compile_size":
        result = compile_size(int(rest[0]))
    elif kind == "subnormals":
        result = subnormals(rest[0], rest[1])
    else:
        raise SystemExit(f"unknown measurement {kind!r}")
    print(json.dumps(result, default=float))


if __name__ == "__main__":
    main(sys.argv[1:])
