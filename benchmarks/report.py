"""BENCHMARKS.md from the measurements run.py collected: tables, then the goals, met or by how much not."""
import numpy as np

from .workloads import WORKLOADS

NAMES = {"numerix": "numerix", "numpy": "NumPy", "jax": "JAX jit"}
# The machine's limits, measured on the development machine (docs/iree.md describes it): the low end of each
# measured range, so the goal "within 10% of the limit" is judged against the least the machine was seen to do.
PEAK_FLOPS = 205e9  # f32, OpenBLAS sgemm on both cores (205-215 GFLOP/s measured)
LIMITS = {"chain": "bandwidth", "scale": "bandwidth", "softmax": "bandwidth", "matmul": "flops", "conv": "flops",
          "conv_grad": "flops", "pool": "bandwidth"}
PROBE = "scale"  # memory-bound: how near the bandwidth a call can get, for the other bandwidth goals
TINY_GOAL = 5e-6
DISK_LOAD_GOAL = 0.050
COMPILE_RATIO_GOAL = 2.0
# "Flat": resident memory grows by at most 1 MiB over the second half of the calls. A pool that settles at a higher
# level early (IREE's caching allocator keeping a buffer more) is bounded; growth that goes on to the end is a leak.
FLAT_BYTES = 1 << 20
# What was tried for each goal numerix has fallen short of, and what limits it: found with benchmarks/experiments
# (each experiment's docstring says how to run it) and recorded in the issue notes; a goal met prints none of it.
TRIED = {
    "chain bandwidth": "fusing the chain into one dispatch (nx-fuse: 0.45x JAX's time, whose XLA fuses too); "
    "--iree-dispatch-creation-enable-aggressive-fusion (slower) and --iree-llvmcpu-distribution-size 16-4096 (no "
    "change), benchmarks/experiments/flags.py. What limits it: arithmetic, not memory: the one-op probe moves the "
    "same bytes in about half the time, and the chain adds a polynomial tanh and exp (with a division), a square "
    "root and six more ops per element, which two cores take longer to compute than to load and store",
    "softmax bandwidth": "reassociated float reductions (1.32 -> 1.02 ms, kept); recomputing exp instead of "
    "storing it (slower); leaving the ops unfused for IREE to raise into its own softmax dispatch (1.23 ms against "
    "0.92-1.0 ms for numerix's two fusions, one process per variant). What limits it: the exponentials go through "
    "memory between the two fusions (a reduction ends a fusion), and each element takes an exp and a division",
    "matmul speed": "IREE's data tiling (mmt4d: 35-50% faster, kept), --iree-llvmcpu-enable-ukernels=all and =mmt4d "
    "(no change), distribution sizes (no change), benchmarks/experiments/flags.py. What limits it: the machine: "
    "IREE's generated kernel, OpenBLAS's sgemm and XLA's run at 92-97% of peak, and which is fastest changes from "
    "run to run (numerix over the best other: 1.04, 0.98 and 1.01 in three runs of this command)",
    "tiny call": "argument buffers and lists made once and refilled (a copy into a new IREE buffer ~1 us, into a "
    "kept one ~0.2 us), a kept result list (0.45 us), small results copied out through bytes (1.1 -> 0.5 us), the "
    "function resolved once, defn's lookup keyed on the tensors' types alone; benchmarks/experiments/call_path.py "
    "and lean_call.py; then defn's fast path keyed on the NumPy backend alone, arguments checked once per signature "
    "instead of twice, result readers built once per executable (7.1 -> 6.0 us idle, 2026-12-06; "
    "benchmarks/experiments/small_call.py). What limits it: IREE's invoke through its Python binding takes ~1.7 us, "
    "reading a result ~0.65 us, and ~7 Python frames ~1.5 us, where JAX's dispatch is C++; a leaner binding cannot be "
    "built: iree-base-runtime's extension exports no IREE C symbols",
    "tiny call speed": "the call-path work listed under the 5 us goal below. What limits it: NumPy's add (about "
    "0.7 us) calls no compiled program; a call into any compiled runtime costs more (JAX jit's too)",
    "conv speed": "IREE's im2col for modules with a convolution (forward 3.9 -> 0.49 s: its own convolution code is "
    "a generic over the window at about 2 GFLOP/s), data tiling turned on by the convolution's FLOP count (gradient "
    "1.55 -> 0.9 s), channels-last operands and kernel (no change, with or without im2col), "
    "--iree-llvmcpu-enable-ukernels=all (no change), the unfolded windows built by numerix as one large matmul "
    "(slower: 1-2 s); one process per variant on a loaded machine. What limits it: IREE's im2col code, which "
    "unfolds each image's windows in memory and multiplies a 64-row kernel matrix by them, reaching about 15 GFLOP/s "
    "where XLA's CPU convolution reaches about 50",
    "MLP speed": "the driver picked by flops as well as bytes (local-sync 4.7 ms, local-task 2.8 ms), data tiling "
    "(2.65 against 2.94 ms without), the caller sleeping through the work instead of spinning (90th percentile 7.24 "
    "-> 2.91 ms), benchmarks/experiments/drivers.py and flags.py. What limits it: its two large matmuls "
    "(256x784x512, one of them transposed) take ~2.3-2.5 ms of it, as OpenBLAS's do (1.2-1.3 ms each against "
    "1.0-1.6 ms); the rest is about 30 small dispatches (a dozen of them on the 256x10 logits), each a hand-off to "
    "IREE's workers. The ratio has moved between 1.00 and 1.05 from run to run (a tie with NumPy within its noise)",
    "first compile": "iree-compile in process (iree.compiler.api: the same ~2 s), --iree-opt-level=O0, "
    "--iree-llvmcpu-mlir-opt-level=O0, embedded linking, more compiler threads (IREE_COMPILER_THREAD_COUNT: no "
    "change), no data tiling (1.0 s, but the step 12% slower); kept: data tiling marked on the two large matmuls only "
    "(iree-compile 2.0-2.3 -> 1.2-1.6 s, the step as fast), benchmarks/experiments/compile_time.py and "
    "data_tiling.py. What limits it: iree-compile, on one thread: each of the step's ~20 dispatches goes through "
    "IREE's code generation and LLVM (--mlir-timing: 0.9 and 0.6 s of the 2 s before the marks); numerix's passes "
    "and lowering add ~130 ms. JAX's XLA compiles about a dozen fusions. Then (2026-12-06, "
    "benchmarks/experiments/dispatches.py): IREE makes 18 dispatches of the step, 11 in its 256x10 region; "
    "--iree-dispatch-creation-enable-aggressive-fusion makes 12 and compiles in 1.45 s, but the step runs 8% slower; "
    "--iree-dispatch-creation-fuse-multi-use and --iree-llvmcpu-loop-unrolling=false change nothing; "
    "--iree-hal-link-executables=false takes 3.7 s; compiling dispatches in parallel buys nothing on 2 cores "
    "(--mlir-disable-threading: 1.64 against 1.59 s)",
    "first result": "tiered execution: the first call runs on the evaluator (NumPy, op by op) while iree-compile "
    "runs in a background thread, later calls on the compiled program once it is ready (runtime/tiered.py). What "
    "limits it: numerix's passes and the lowering to StableHLO run before the first result, in the calling thread "
    "(they share the MLIR context with the caller's next traces), ~200 ms of it, ~120 ms of which is the MLIR "
    "bindings importing iree.compiler.dialects.linalg (its opdsl named ops, yaml) the first time a context loads "
    "linalg; and the evaluator's run (the MLP step: ~50 ms, ~120 ms the first time, OpenBLAS starting)",
}
SPEED_TRIED = {"matmul": "matmul speed", "mlp": "MLP speed", "tiny": "tiny call speed", "conv": "conv speed",
               "conv_grad": "conv speed"}  # workload -> TRIED key
PHASES = ("trace", "nx passes", "lower to StableHLO", "iree-compile or disk cache read", "load module",
          "trace and lower", "XLA compile")


def seconds(value):
    if value is None or not np.isfinite(value):
        return "-"
    if value < 1e-3:
        return f"{value * 1e6:.2f} us"
    if value < 1:
        return f"{value * 1e3:.2f} ms"
    return f"{value:.2f} s"


def mib(value):
    return f"{value / (1 << 20):+.2f} MiB" if value is not None else "-"


def _median(values):
    values = [v for v in values if v is not None]
    return float(np.median(values)) if values else None


class Timing:
    """One workload's timing processes, pooled."""

    def __init__(self, name, runs):
        self.name = name
        self.workload = WORKLOADS[name]
        self.runs = [r for r in runs if "error" not in r]
        self.errors = [r["error"] for r in runs if "error" in r]
        libraries = self.runs[0]["wall"] if self.runs else {}
        self.libraries = [lib for lib in ("numerix", "numpy", "jax") if lib in libraries]

    def samples(self, library, kind="wall"):
        return np.concatenate([r[kind][library] for r in self.runs])

    def median(self, library, kind="wall"):
        return float(np.median(self.samples(library, kind)))

    def p90(self, library):
        return float(np.percentile(self.samples(library), 90))

    def process_spread(self, library):
        medians = [float(np.median(r["wall"][library])) for r in self.runs]
        return min(medians), max(medians)

    def correct(self, library):
        return all(r["checks"][library]["ok"] for r in self.runs)

    def check_text(self, library):
        errors = [r["checks"][library]["error"] for r in self.runs]
        if self.correct(library):
            return f"ok ({max(errors):.2f} of tol.)"
        return "WRONG: " + "; ".join(str(e) if isinstance(e, str) else f"{e:.3g} x tol." for e in errors)

    def best_other(self):
        others = [lib for lib in self.libraries if lib != "numerix"]
        return min(others, key=self.median) if others else None

    def ratio(self):
        best = self.best_other()
        return self.median("numerix") / self.median(best) if best else None

    def ratio_of_best_processes(self):
        """The ratio again, each library taken at its fastest process: a library whose threads suffered from other
        processes in some runs (OpenBLAS's do, badly) is then judged by its undisturbed run."""
        others = [lib for lib in self.libraries if lib != "numerix"]
        if not others:
            return None, None
        best = min(others, key=lambda lib: self.process_spread(lib)[0])
        return self.process_spread("numerix")[0] / self.process_spread(best)[0], best

    def layers(self):
        found = [r["layers"] for r in self.runs if r.get("layers")]
        if not found:
            return None
        return {k: found[0][k] if isinstance(found[0][k], str) else _median([f[k] for f in found]) for k in found[0]}

    def other_load(self):
        return _median([r.get("other_load") for r in self.runs])


def _rate(timing, library, bandwidth):
    """Achieved GB/s (reads and writes) or GFLOP/s at the median, with the machine's limit's share."""
    workload, median = timing.workload, timing.median(library)
    if LIMITS.get(timing.name) == "bandwidth":
        rate = workload.bytes_moved / median
        return f"{rate / 1e9:.1f} GB/s ({rate / bandwidth:.0%})"
    if workload.flops:
        rate = workload.flops / median
        share = f" ({rate / PEAK_FLOPS:.0%})" if LIMITS.get(timing.name) == "flops" else ""
        return f"{rate / 1e9:.0f} GFLOP/s{share}"
    return ""


def timing_section(timings, bandwidth):
    libraries = [lib for lib in ("numerix", "numpy", "jax") if any(lib in t.libraries for t in timings)]
    lines = ["## Times per call", "",
             "Each library times in processes of its own, the libraries taking turns in a random order each round "
             "(in a shared process, OpenBLAS's threads spinning after a NumPy call slowed the next library's call). "
             "Median (90th percentile) over all samples of all processes; the ratio is numerix's median over the "
             "best other library's (and, under it, the same with each library at its fastest process's median). "
             "Rates at the median: GB/s counts the bytes a call must read and write once "
             f"(share of the machine's bandwidth, {bandwidth / 1e9:.0f} GB/s: a copy over all cores, measured by "
             "this run); "
             "GFLOP/s counts 2mnk per matmul (share of 205 GFLOP/s).",
             "",
             "| workload | " + " | ".join(NAMES[lib] for lib in libraries) + " | numerix / best | numerix result |",
             "| --- |" + " --- |" * (len(libraries) + 2)]
    for t in timings:
        if t.name == PROBE:  # a diagnostic for the bandwidth goals, not a goal of its own
            continue
        if not t.runs:
            lines.append(f"| {t.workload.title} | failed: {t.errors[0].splitlines()[-1]} |")
            continue
        cells = _cells(t, libraries, lambda lib: f"{seconds(t.median(lib))} ({seconds(t.p90(lib))})"
                       + "".join(f"<br>{rate}" for rate in [_rate(t, lib, bandwidth)] if rate))
        ratio = t.ratio()
        best = t.best_other()
        ratio_text = f"**{ratio:.2f}** (vs {NAMES[best]})" if ratio is not None else "-"
        steady, steady_best = t.ratio_of_best_processes()
        if steady is not None:
            ratio_text += f"<br>best processes: {steady:.2f} (vs {NAMES[steady_best]})"
        lines.append(f"| {t.workload.title} | " + " | ".join(cells) + f" | {ratio_text} | "
                     f"{t.check_text('numerix')} |")
    lines += ["", "Spread of the per-process medians, CPU time of the calling thread per call (a caller that "
              "busy-waits on the work shows CPU close to its wall time), and the load of other processes on the "
              "machine while the samples ran (in cores; the machine has few, so read the numbers with it):", "",
              "| workload | " + " | ".join(f"{NAMES[lib]}: process medians / caller CPU" for lib in libraries)
              + " | other load |", "| --- |" + " --- |" * (len(libraries) + 1)]
    for t in timings:
        if t.name == PROBE:  # a diagnostic for the bandwidth goals, not a goal of its own
            continue
        if not t.runs:
            continue
        cells = _cells(t, libraries, lambda lib: "{}-{} / {}".format(
            *map(seconds, t.process_spread(lib)), seconds(t.median(lib, "cpu"))))
        load = t.other_load()
        lines.append(f"| {t.workload.title} | " + " | ".join(cells) + f" | {load:.2f} |")
    return lines


def layers_section(timings):
    lines = ["## Where a numerix call spends its time", "",
             "Medians of layers of the defn call, each timed on its own, alternately, in the timing processes: "
             "the whole call; handing the arguments to IREE (each copied into a new IREE buffer, or imported "
             "without a copy when it is large and aligned, or, when all are small, copied into buffers kept "
             "between calls); the executable (that, the IREE call, the results mapped as arrays or, when small, "
             "copied out); and, in a loop of its own, finding the compiled program as the call does (by the "
             "arguments' types when they are eager tensors passed by position, else by the flattened signature). "
             "The defn call less the executable is defn's Python around it (that lookup, arguments to NumPy, "
             "results wrapped as tensors); for large work it drowns in the run-to-run noise, so it is only given "
             "for the tiny call.",
             "", "| workload | IREE driver | defn call | signature and lookup | arguments to IREE | executable | "
             "defn's Python |", "| --- | --- | --- | --- | --- | --- | --- |"]
    for t in timings:
        layers = t.layers() if t.runs else None
        if not layers:
            continue
        around = seconds(layers["defn call"] - layers["executable"]) if t.name == "tiny" else ""
        lines.append(f"| {t.workload.title} | {layers.get('driver', '?')} | {seconds(layers['defn call'])} | "
                     f"{seconds(layers['signature and lookup'])} | {seconds(layers['arguments to IREE'])} | "
                     f"{seconds(layers['executable'])} | {around} |")
    return lines


def _compile_column(runs, key):
    runs = [r[key] for r in runs if r.get(key) and "error" not in r[key]]
    if not runs:
        return None
    phases = sorted({p for r in runs for p in r["phases"]})
    return {"import": _median([r["import"] for r in runs]), "first": _median([r["first_call"] for r in runs]),
            "first compiled": _median([r["first_compiled"] for r in runs]),
            "next": _median([r["next_call"] for r in runs]),
            "phases": {p: _median([r["phases"].get(p) for r in runs]) for p in phases},
            "cache": runs[0].get("cache"),
            "on evaluator": sum(bool(r.get("first_on_evaluator")) for r in runs), "runs": len(runs)}


COMPILE_TITLES = {"mlp": "the MLP step (784-512-10, batch 256)",
                  "digits": "the digits example's step (64-128-10 with momentum, batch 64)"}
COMPILE_COLUMNS = {"cold": "numerix (tiered), cold cache", "untiered": "numerix, tiered=False, cold cache",
                   "disk": "numerix, disk cache, new process", "jax": "JAX jit"}


def compile_section(results):
    """The first-call tables, one per workload; and the MLP step's columns (for the goals)."""
    workloads = list(dict.fromkeys(r.get("workload", "mlp") for r in results))
    lines = ["## Compile: time to the first result and to the first compiled call", "",
             f"Medians of {len(results) // max(len(workloads), 1)} rounds, each in fresh processes: numerix's first "
             "call with an empty NUMERIX_CACHE_DIR, tiered (the default: the first call runs on the evaluator while "
             "iree-compile runs in a background thread, runtime/tiered.py) and with tiering off, then a new process "
             "on the tiered run's cache, then JAX (no persistent cache, its default). numerix's import includes "
             "IREE's compiler and runtime. The first call includes tracing and one run; the first compiled call is "
             "the time from the first call's start until a call on the compiled program has returned (numerix "
             "waiting for the background compile in between; JAX's first call). Phases are parts of them (numerix: "
             "nested inside its compile, iree-compile in the background when tiered; JAX: `lower()` and `compile()` "
             "in the same process before the first call of a fresh jit)."]
    mlp_columns = {}
    for workload in workloads:
        runs = [r for r in results if r.get("workload", "mlp") == workload]
        columns = {key: _compile_column(runs, key) for key in COMPILE_COLUMNS}
        present = [k for k in columns if columns[k]]
        lines += ["", f"### {COMPILE_TITLES.get(workload, workload)}", "",
                  "| | " + " | ".join(COMPILE_COLUMNS[k] for k in present) + " |",
                  "| --- |" + " --- |" * len(present)]
        rows = [("import", "import"), ("first", "first call: time to the first result"),
                ("first compiled", "time to the first compiled call"), ("next", "a call after it")]
        for key, title in rows:
            lines.append(f"| {title} | " + " | ".join(seconds(columns[k][key]) for k in present) + " |")
        phases = {p for k in present for p in columns[k]["phases"]}
        for phase in [p for p in PHASES if p in phases] + sorted(phases - set(PHASES)):
            lines.append(f"| &nbsp;&nbsp;{phase} | " + " | ".join(seconds(columns[k]["phases"].get(phase))
                                                                  for k in present) + " |")
        if columns["cold"]:
            lines.append(f"\nThe tiered first call ran on the evaluator in {columns['cold']['on evaluator']} of "
                         f"{columns['cold']['runs']} runs.")
        for k in ("cold", "disk"):
            if columns[k] and columns[k]["cache"]:
                lines.append(f"\nCompile cache answers, {COMPILE_COLUMNS[k]}: {columns[k]['cache']}.")
        if workload == "mlp":
            mlp_columns = columns
    lines += ["", f"What was tried, and what limits each. The time to the first result: {TRIED['first result']}. The "
              f"time to the first compiled call, iree-compile's time: {TRIED['first compile']}."]
    return lines, mlp_columns


def replace_sections(old, new, context, kinds):
    """`old` (a BENCHMARKS.md) with the sections of `new` of the `kinds` measured (a kind: a title before its colon)
    in place of those of the same kind, or added before the goals; a line under the title says which were
    regenerated, and by what."""
    def split(text):
        head, *sections = text.split("\n## ")
        return head, {s.split("\n", 1)[0].split(":")[0]: "## " + s for s in sections}
    old_head, old_sections = split(old.rstrip("\n"))
    _, new_sections = split(new.rstrip("\n"))
    for kind in kinds:
        replacement = new_sections[kind].rstrip("\n") + "\n"
        if kind in ROW_SECTIONS and kind in old_sections:  # a row per workload: only the measured ones change
            replacement = _merged_rows(old_sections[kind], replacement)
        old_sections[kind] = replacement
    if "Goals" in old_sections:
        old_sections["Goals"] = old_sections.pop("Goals")
    replaced = ", ".join(f'"{k}"' for k in kinds)
    note = (f"\nSections {replaced} were regenerated alone (in the per-workload tables, only the rows of the "
            f"workloads measured) by `{context['command']}` on {context['date']}; the goals were not."
            if replaced else "")
    head = old_head.split("\nSections ")[0].rstrip("\n") + "\n" + note + "\n"
    return head + "\n" + "\n".join(s.rstrip("\n") + "\n" for s in old_sections.values())


# Sections whose tables have a row per workload: an update replaces (or adds) the rows of the workloads it measured.
ROW_SECTIONS = ("Times per call", "Where a numerix call spends its time")


def _tables(section):
    """The section's lines, and the runs of table lines in it as (start, end) index pairs."""
    lines = section.rstrip("\n").split("\n")
    runs, start = [], None
    for i, line in enumerate(lines + [""]):
        if line.startswith("|") and start is None:
            start = i
        elif not line.startswith("|") and start is not None:
            runs.append((start, i))
            start = None
    return lines, runs


def _merged_rows(old, new):
    """`old`'s section with each row of `new`'s tables in place of the row of the same workload (first cell) in the
    same table, or added at the end of that table; the text around the tables is `new`'s."""
    old_lines, old_runs = _tables(old)
    new_lines, new_runs = _tables(new)
    merged = []
    for (o_start, o_end), (n_start, n_end) in zip(old_runs, new_runs):
        rows = old_lines[o_start:o_end]
        for row in new_lines[n_start + 2:n_end]:  # (after the header and its rule)
            key = row.split("|")[1].strip()
            at = next((i for i, r in enumerate(rows) if i >= 2 and r.split("|")[1].strip() == key), None)
            if at is None:
                rows.append(row)
            else:
                rows[at] = row
        merged.append(rows)
    out, last = [], 0
    for (n_start, n_end), rows in zip(new_runs, merged):
        out += new_lines[last:n_start] + rows
        last = n_end
    return "\n".join(out + new_lines[last:]) + "\n"


def compile_size_section(results):
    lines = ["## Compile time against program size", "",
             "numerix's first call of `a = sin(a) * 0.5 + 0.1` unrolled n times over 1024 f32, each n in a fresh "
             "process with an empty NUMERIX_CACHE_DIR (one process each), and the iree-compile part of it. nx-fuse "
             "cuts a fusion at 64 ops, and fusions reach each other through barriers in clusters of at most 64 ops "
             "(IREE would merge them back into one dispatch, whose compile time grows faster than its body: "
             "docs/iree.md), so the time per op stays flat.", "",
             "| n | first call | iree-compile | iree-compile per op |", "| --- | --- | --- | --- |"]
    for r in results:
        if "error" in r:
            lines.append(f"| failed: {r['error'].splitlines()[-1]} | | | |")
            continue
        per_op = r["iree_compile"] / r["n"] if r["iree_compile"] else None
        lines.append(f"| {r['n']} | {seconds(r['first_call'])} | {seconds(r['iree_compile'])} | {seconds(per_op)} |")
    return lines


def subnormals_section(results):
    lines = ["## Subnormals: kept (the default) or flushed", "",
             "numerix keeps subnormal floats as NumPy does (IREE's CPU runtime flushes them to zero; each dispatch "
             "clears the flush first: passes/iree_policy.py); `nx.defn(f, subnormals=\"flush\")` flushes. Median "
             "time per call of `a = a * 0.999 + a * 0.0001` five times (ten ops) over 4M f32, on uniform data in "
             "[0.5, 1.5) and on the same data times 1e-39 (all subnormal), medians over the processes (one per "
             "variant and round, each mode with its own NUMERIX_CACHE_DIR); flushed: the share of results that "
             "came out 0.", "",
             "| data | kept | flushed | kept / flushed | results flushed to 0 (kept, flushed) |",
             "| --- | --- | --- | --- | --- |"]
    by = {}
    for r in results:
        if "error" not in r:
            by.setdefault((r["mode"], r["data"]), []).append(r)
    for data in ("normal", "subnormal"):
        keep, flush = by.get(("keep", data)), by.get(("flush", data))
        if not keep or not flush:
            lines.append(f"| {data} | failed | | | |")
            continue
        k, f = _median([r["median"] for r in keep]), _median([r["median"] for r in flush])
        lines.append(f"| {data} | {seconds(k)} | {seconds(f)} | {k / f:.2f} | "
                     f"{keep[0]['flushed']:.0%}, {flush[0]['flushed']:.0%} |")
    return lines


def _memory_by(results):
    return {(r["library"], r["workload"]): r for r in results if "error" not in r}


def memory_section(results):
    lines = ["## Memory over repeated calls", "",
             "Resident memory (RSS) of the process after 100 warm-up calls, and its change over the calls that "
             "follow (the result of each call is dropped before the next); peak is the highest of 20 evenly spaced "
             "readings; the last column is the change from the middle reading to the end (what a leak keeps "
             "adding).", "",
             "| library | workload | calls | RSS after warm-up | change at the end | peak change | change over the "
             "second half |", "| --- | --- | --- | --- | --- | --- | --- |"]
    for r in results:
        if "error" in r:
            lines.append(f"| failed | {r['error'].splitlines()[-1]} | | | | |")
            continue
        lines.append(f"| {NAMES[r['library']]} | {WORKLOADS[r['workload']].title} | {r['calls']:,} | "
                     f"{r['start'] / (1 << 20):.1f} MiB | {mib(r['end'] - r['start'])} | "
                     f"{mib(r['peak'] - r['start'])} | {mib(_second_half_growth(r))} |")
    return lines


def _second_half_growth(r):
    trace = r["trace"]
    return r["end"] - trace[len(trace) // 2]


def _why_slow(t):
    """What the measurements say about where a numerix call's time goes."""
    layers = t.layers()
    median = t.median("numerix")
    parts = [f"caller's CPU {seconds(t.median('numerix', 'cpu'))} a call"]
    if layers:
        parts.insert(0, f"driver {layers.get('driver', '?')}; arguments to IREE "
                        f"{seconds(layers['arguments to IREE'])} ({layers['arguments to IREE'] / median:.0%} of the "
                        f"call), signature and lookup {seconds(layers['signature and lookup'])}")
        if t.name == "tiny":
            parts.append(f"the executable {seconds(layers['executable'])}, defn's Python around it "
                         f"{seconds(layers['defn call'] - layers['executable'])}")
    return "; ".join(parts)


def goals_section(timings, compile_columns, memory, bandwidth):
    lines = ["## Goals", "", "| goal | measured | met |", "| --- | --- | --- |"]
    verdicts, notes = [], []

    def goal(text, measured, met, why=None, tried=None):
        verdicts.append(met)
        lines.append(f"| {text} | {measured} | {'yes' if met else '**no**'} |")
        if not met and why:
            notes.append(f"- {text}: {why}." + (f" Tried: {TRIED[tried]}." if tried else ""))
    for t in timings:
        if t.name == PROBE:  # a diagnostic for the bandwidth goals, not a goal of its own
            continue
        if not t.runs:
            goal(f"{t.workload.title}: runs", "failed", False)
            continue
        if not t.correct("numerix"):
            goal(f"{t.workload.title}: numerix's result matches NumPy's", t.check_text("numerix"), False)
        ratio = t.ratio()
        if ratio is not None:
            steady, steady_best = t.ratio_of_best_processes()
            unstable = (f"; unstable: at each library's fastest process {steady:.2f}x {NAMES[steady_best]}'s"
                        if (steady <= 1) != (ratio <= 1) else "")
            goal(f"{t.workload.title}: numerix at least as fast as {NAMES[t.best_other()]} (the best other)",
                 f"{ratio:.2f}x its time" + (f" ({(ratio - 1):.0%} slower)" if ratio > 1 else "") + unstable,
                 ratio <= 1, _why_slow(t), SPEED_TRIED.get(t.name))
        limit = LIMITS.get(t.name)
        if limit == "bandwidth":
            share = t.workload.bytes_moved / t.median("numerix") / bandwidth
            probe = next((p for p in timings if p.name == PROBE and p.runs and p is not t), None)
            why = _why_slow(t) + (f"; the bandwidth probe (one op over 32 MiB) reaches "
                                  f"{_rate(probe, 'numerix', bandwidth)} in the same call path" if probe else "")
            goal(f"{t.workload.title}: within 10% of the memory bandwidth ({bandwidth / 1e9:.0f} GB/s)",
                 f"{share:.0%} of it",
                 share >= 0.9, why, f"{t.name} bandwidth" if f"{t.name} bandwidth" in TRIED else None)
        elif limit == "flops":
            share = t.workload.flops / t.median("numerix") / PEAK_FLOPS
            goal(f"{t.workload.title}: within 10% of peak (205 GFLOP/s)", f"{share:.0%} of it", share >= 0.9,
                 _why_slow(t))
        if t.name == "tiny":
            median = t.median("numerix")
            goal("a tiny call takes at most 5 us", seconds(median), median <= TINY_GOAL, _why_slow(t), "tiny call")
    cold, untiered, disk, jax = (compile_columns.get(k) for k in ("cold", "untiered", "disk", "jax"))

    def phases(column):
        found = column["phases"]
        return ", ".join(f"{p} {seconds(found[p])}" for p in PHASES if found.get(p) is not None)
    if untiered and jax:
        ratio = untiered["first"] / jax["first"]
        goal("first compile of the MLP step within 2x of JAX's", f"{seconds(untiered['first'])} against "
             f"{seconds(jax['first'])}: {ratio:.1f}x", ratio <= COMPILE_RATIO_GOAL, phases(untiered), "first compile")
    if cold and jax:
        ratio = cold["first"] / jax["first"]
        goal("first result of the MLP step (tiered, cold cache) at or below JAX's first call",
             f"{seconds(cold['first'])} against {seconds(jax['first'])}: {ratio:.2f}x", ratio <= 1.0, phases(cold),
             "first result")
    if disk:
        goal("loading the MLP step from the disk cache in a new process takes at most 50 ms",
             f"first call {seconds(disk['first'])}", disk["first"] <= DISK_LOAD_GOAL,
             phases(disk) + f", the run itself about {seconds(disk['next'])}")
    for (library, name), r in sorted(_memory_by(memory).items()):
        if library == "numerix":
            late = _second_half_growth(r)
            goal(f"flat memory over {r['calls']:,} calls (no growth over the second half): {WORKLOADS[name].title}",
                 f"{mib(late)} over the second half; {mib(r['peak'] - r['start'])} at the peak, "
                 f"{mib(r['end'] - r['start'])} at the end", late <= FLAT_BYTES,
                 "memory still grows late in the run, a leak")
    lines.insert(2, f"{sum(verdicts)} of {len(verdicts)} met.\n")
    if notes:
        lines += ["", "Where numerix falls short: what the measurements above say about its time, what was tried, and "
                  "what limits it:", ""] + notes
    return lines


def markdown(results, context):
    timings = [Timing(name, runs) for name, runs in results["timing"].items()]
    cpu, versions, bandwidth = context["cpu"], context["versions"], context["bandwidth"]
    load = context["load_before"]
    lines = ["# Benchmarks", "",
             f"Generated by `{context['command']}` on {context['date']} in {context['duration']:.0f} s; rerun it "
             "rather than editing this file. Libraries compared: "
             + ", ".join(NAMES[lib] for lib in context["libraries"]) + ".", "",
             "## Machine", "",
             f"- CPU: {cpu['model']}, {cpu['cores']} cores ({', '.join(cpu['vector'])})",
             f"- Memory: {context['memory_gib']:.0f} GiB" if context["memory_gib"] else "- Memory: unknown",
             f"- Memory bandwidth: {bandwidth / 1e9:.1f} GB/s read and written, by a 16 MiB copy split over the "
             "cores (NumPy copyto, the fastest of 40, each after gc.collect() as the timed calls are): the limit of "
             "the bandwidth goals",
             "- Versions: " + ", ".join(f"{k} {v}" for k, v in versions.items()),
             f"- Load average (1 min) before and after the run: {load[0]:.2f}, {context['load_after'][0]:.2f}; "
             f"other processes kept {_median([t.other_load() for t in timings if t.runs]) or 0:.2f} cores busy "
             "(median over the timing processes)" if load else "- Load average: unknown",
             ""]
    lines += timing_section(timings, bandwidth) + [""]
    lines += layers_section(timings) + [""]
    compile_lines, compile_columns = (compile_section(results["compile"]) if results["compile"]
                                      else ([], {}))
    lines += compile_lines + [""]
    lines += compile_size_section(results["compile_size"]) + [""] if results.get("compile_size") else []
    lines += subnormals_section(results["subnormals"]) + [""] if results.get("subnormals") else []
    lines += memory_section(results["memory"]) + [""] if results["memory"] else []
    lines += goals_section(timings, compile_columns, results["memory"], bandwidth)
    return "\n".join(lines) + "\n"


def _cells(timing, libraries, cell):
    """One table cell per library: `cell(lib)`, or "-" for a library this workload did not run."""
    return [cell(lib) if lib in timing.libraries else "-" for lib in libraries]
