"""`python -m benchmarks.run` (from the repository root): numerix (defn on IREE, the library's defaults) against NumPy
and, when it is installed, JAX jit; writes BENCHMARKS.md.

Every measurement runs in a fresh worker process (benchmarks/measure.py), several times per workload, the workloads
taking turns so that a slow spell of the machine spreads over all of them. Each library times in a process of its own,
the libraries taking turns in a random order each round: a library's threads may keep spinning after its call
(OpenBLAS's: ~100 ms of a core after each NumPy matmul, measured here), which in a shared process slows whichever
library runs next (numerix's MLP step: 3.1 ms after itself, 4.7 ms right after NumPy's). Medians and 90th
percentiles are over the samples of all of a workload's processes.
On a shared machine a worker first waits (up to 20 s, 120 s over the run: --patience) for other processes to quiet
down; the load they still put on the machine is measured and reported with the times.
Options: --processes N (timing processes per workload), --only chain,softmax,... (a subset), --memory-calls N,
--patience SECONDS, --output PATH, --update (with --only: replace only the measured sections of the existing file)."""
import argparse
import datetime
import json
import os
import random
import subprocess
import sys
import tempfile
import time

from . import machine, report
from .measure import available_libraries
from .workloads import WORKLOADS

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COMPILE_ROUNDS = 3
COMPILE_WORKLOADS = ("mlp", "digits")  # first-call timings: the MLP step, the digits example's step
COMPILE_SIZES = (50, 100, 200, 300, 600)  # unrolled ops of the compile-size chain (600 compiles in about 10 s)
MEMORY_WORKLOADS = ("tiny", "chain")
# NumPy's chain takes ~15 ms a call: 10,000 calls would be half the run's time budget for a library the memory goal
# does not concern; it allocates and frees the same temporaries each call, which a shorter run shows as well.
MEMORY_CALLS_CAP = {("numpy", "chain"): 1000, ("jax", "chain"): 2000}


class Patience:
    """Waits for a quiet machine before a measurement, within a budget of seconds for the whole run."""

    def __init__(self, budget):
        self.budget = budget

    def wait(self, log):
        start = time.monotonic()
        load = machine.wait_until_quiet(patience=min(20.0, self.budget)) if self.budget > 0 else None
        waited = time.monotonic() - start
        self.budget -= waited
        if waited > 1:
            log(f"  waited {waited:.0f} s for a quieter machine (other load now {load:.1f} cores)")


def worker(arguments, cache_dir, log, patience=None, environment=None):
    """Runs one measurement in a fresh process (with `environment`'s variables besides); its JSON result, or
    {"error": text}."""
    if patience is not None:
        patience.wait(log)
    env = dict(os.environ, NUMERIX_CACHE_DIR=cache_dir, **(environment or {}))
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "benchmarks.measure", *arguments], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    log(f"  {' '.join(arguments)}: {time.perf_counter() - started:.1f} s")
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-8:]
        log("    failed: " + " | ".join(tail))
        return {"error": "\n".join(tail)}
    return json.loads(done.stdout.strip().splitlines()[-1])


def merged(parts):
    """One round's timing processes of a workload, one per library, as one run of all the libraries."""
    errors = [p["error"] for p in parts if "error" in p]
    if errors:
        return {"error": "\n".join(errors)}
    run = {"workload": parts[0]["workload"], "layers": None,
           "other_load": max(p["other_load"] for p in parts)}
    for field in ("wall", "cpu", "checks", "setup"):
        run[field] = {library: value for p in parts for library, value in p[field].items()}
    run["layers"] = next((p["layers"] for p in parts if p["layers"]), None)
    return run


def run(options, log):
    workloads = [w for w in WORKLOADS if not options.only or w in options.only]
    libraries = available_libraries()
    results = {"timing": {w: [] for w in workloads}, "compile": [], "memory": [], "compile_size": [],
               "subnormals": []}
    patience = Patience(options.patience)
    with tempfile.TemporaryDirectory(prefix="numerix-bench-") as scratch:
        timing_cache = os.path.join(scratch, "timing")
        for round_index in range(options.processes):
            log(f"timing, round {round_index + 1} of {options.processes}")
            for name in workloads:
                order = random.Random(round_index).sample(libraries, len(libraries))
                parts = [worker(["timing", name, library], timing_cache, log, patience) for library in order]
                results["timing"][name].append(merged(parts))
        if not options.only or "compile" in options.only:
            for round_index in range(COMPILE_ROUNDS):
                for name in COMPILE_WORKLOADS:
                    log(f"compile {name}, round {round_index + 1} of {COMPILE_ROUNDS}")
                    cold = os.path.join(scratch, f"compile-{name}-{round_index}")
                    untiered = os.path.join(scratch, f"compile-{name}-untiered-{round_index}")
                    results["compile"].append({
                        "workload": name,
                        "cold": worker(["compile", "numerix", name], cold, log, patience),
                        "untiered": worker(["compile", "numerix", name], untiered, log, patience,
                                           {"NUMERIX_TIERED": "0"}),
                        "disk": worker(["compile", "numerix", name], cold, log, patience),
                        "jax": worker(["compile", "jax", name], cold, log, patience) if "jax" in libraries else None})
        if not options.only or "compile_size" in options.only:
            for n in COMPILE_SIZES:
                log(f"compile size {n}")
                results["compile_size"].append(worker(["compile_size", str(n)], os.path.join(scratch, f"size-{n}"),
                                                      log, patience))
        if not options.only or "subnormals" in options.only:
            for round_index in range(options.processes):
                for mode in ("keep", "flush"):
                    for data in ("normal", "subnormal"):
                        log(f"subnormals {mode}, {data} data, round {round_index + 1} of {options.processes}")
                        results["subnormals"].append(worker(["subnormals", mode, data],
                                                            os.path.join(scratch, f"subnormals-{mode}"), log,
                                                            patience))
        if not options.only or "memory" in options.only:
            log("memory")
            for name in MEMORY_WORKLOADS:
                for library in libraries:
                    calls = min(options.memory_calls, MEMORY_CALLS_CAP.get((library, name), options.memory_calls))
                    results["memory"].append(worker(["memory", library, name, str(calls)], timing_cache, log))
    return results


def measured_sections(options):
    """The kinds of BENCHMARKS.md's sections (titles before their colons) that a run with these options measures."""
    only = options.only or list(WORKLOADS) + ["compile", "compile_size", "subnormals", "memory"]
    kinds = ["Times per call", "Where a numerix call spends its time"] if set(only) & set(WORKLOADS) else []
    sections = {"compile": "Compile", "compile_size": "Compile time against program size",
                "subnormals": "Subnormals", "memory": "Memory over repeated calls"}
    return kinds + [title for name, title in sections.items() if name in only]


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--processes", type=int, default=3, help="timing processes per workload (default 3)")
    parser.add_argument("--only", type=lambda s: s.split(","), default=None,
                        help=f"a subset of {','.join(WORKLOADS)},compile,compile_size,subnormals,memory")
    parser.add_argument("--memory-calls", type=int, default=10_000)
    parser.add_argument("--patience", type=float, default=120.0,
                        help="seconds the run may spend in all waiting for a quiet machine (default 120)")
    parser.add_argument("--output", default=os.path.join(ROOT, "BENCHMARKS.md"))
    parser.add_argument("--update", action="store_true",
                        help="with --only: replace only the sections this run measured in the existing output, "
                             "keeping the others (and saying so under the title)")
    options = parser.parse_args(argv)

    def log(text):
        print(text, file=sys.stderr, flush=True)
    context = {"date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
               "command": "python -m benchmarks.run" + "".join(f" {a}" for a in (argv or sys.argv[1:])),
               "cpu": machine.cpu(), "memory_gib": machine.memory_gib(), "versions": machine.versions(),
               "load_before": machine.load_average(), "libraries": available_libraries()}
    context["bandwidth"] = machine.copy_bandwidth()
    started = time.perf_counter()
    results = run(options, log)
    context["duration"] = time.perf_counter() - started
    context["load_after"] = machine.load_average()
    text = report.markdown(results, context)
    if options.update:
        with open(options.output) as f:
            text = report.replace_sections(f.read(), text, context, measured_sections(options))
    with open(options.output, "w") as f:
        f.write(text)
    log(f"wrote {options.output} ({context['duration']:.0f} s)")


if __name__ == "__main__":
    main()
