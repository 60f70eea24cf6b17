"""Tiered execution: a defn's first call with a new signature runs on the evaluator (NumPy, op by op) while
iree-compile builds the program in a background thread; the calls after it switch to the compiled program once it
is ready (and later processes find it in the disk cache).

Which tier runs the first calls is decided from the module (`evaluator_seconds`): the evaluator only when its run is
estimated to take less than the cheapest iree-compile (COMPILE_FLOOR_SECONDS), so a first call is never much slower
than waiting for the compile; a loop whose trips are not static, or big contractions, wait for IREE instead.

The background work is the iree-compile subprocess alone (with the cache writes): tracing, numerix's passes and the
lowering to StableHLO stay in the calling thread, as they use the MLIR context that the caller's next traces use too;
the compiled module is loaded into IREE's runtime in the calling thread, at the first call that finds it ready.
A compile that fails in the background raises its error at the next call (and at every call after it); one that no
call reported by the time the process exits is printed to stderr then. Threads are not daemons: the interpreter waits
at exit for the compiles in flight (so that the disk cache gets them), then none is left. A forked child, which has
none of its parent's threads, starts the compiles that were in flight again (docs/decisions.md).

It is on by default for the iree compiler; `nx.defn(f, tiered=False)`, `set_tiered(False)` or the environment variable
NUMERIX_TIERED=0 turn it off (the test suite does, but for tests/runtime/test_tiered.py)."""
import atexit
import concurrent.futures
import math
import os
import sys
import threading

from iree.compiler import ir

from numerix.dialect import ops as nx_ops
from numerix.passes.iree_policy import contraction_flops

_ENABLED = [os.environ.get("NUMERIX_TIERED", "1") != "0"]

# The evaluator's cost, measured on the 2-core machine of BENCHMARKS.md and rounded to the slow side: ~10 us of
# Python per op (a 4-element add: 9.8 us a call), NumPy's elementwise work at about 1 GB/s of results (a 4M f32 op
# with its temporaries), contractions at 20 GFLOP/s (OpenBLAS does 100+ on both cores, less when shared).
OP_SECONDS = 20e-6
BYTES_PER_SECOND = 1e9
FLOPS_PER_SECOND = 20e9
# The shortest iree-compile measured for any module (a 4-element add: 0.30-0.34 s, the process's first compile):
# a run estimated under this takes less than any compile would.
COMPILE_FLOOR_SECONDS = 0.2


def set_tiered(enabled):
    """Turns tiered execution on or off for every defn that does not choose (tiered=None, the default)."""
    _ENABLED[0] = bool(enabled)


def tiered_enabled():
    return _ENABLED[0]


def evaluator_seconds(module, entry):
    """About how long the evaluator takes to run `entry` of an nx module after numerix's passes: infinite where a
    loop's trip count is not static."""
    functions = nx_ops.functions(module.operation)
    costs = {}

    def function(name):
        if name not in costs:
            costs[name] = math.inf  # a function calling itself (the evaluator refuses those) has no bound
            costs[name] = block(functions[name].regions[0].blocks[0])
        return costs[name]

    def block(body):
        return sum(operation(op.operation) for op in body.operations)

    def operation(op):
        if op.name == "nx.fusion":
            return block(op.regions[0].blocks[0])
        if op.name == "func.call":
            return function(ir.FlatSymbolRefAttr(op.attributes["callee"]).value)
        if op.name == "nx.while":
            attrs = nx_ops.read_attrs(op)
            trips = attrs["trips"]
            return math.inf if trips < 0 else trips * (function(attrs["cond"].name) + function(attrs["body"].name))
        if op.name == "nx.switch":
            return max(function(callee.name) for callee in nx_ops.read_attrs(op)["branches"])
        if not nx_ops.is_nx(op):
            return 0.0  # func.return, nx.yield
        size = sum(math.prod(t.shape) * t.type.itemsize for t in nx_ops.result_types(op))
        return OP_SECONDS + size / BYTES_PER_SECOND

    # Contractions counted once each, as the policy counts them (inside a loop they are small: an RNN's cell).
    return function(entry) + contraction_flops(module) / FLOPS_PER_SECOND


def runs_on_evaluator(module, entry):
    """Whether the evaluator should run the calls of `entry` until iree-compile is done."""
    return evaluator_seconds(module, entry) < COMPILE_FLOOR_SECONDS


class TieredExecutable:
    """`executable(*arrays)`: the evaluator's `interim` executable until `job()` (run in a background thread: the
    iree-compile) is done, then `load(job's result)`'s. Whoever holds it may `on_ready(adopt)`: adopt(executable)
    is called with the compiled executable, in the calling thread, at the first call that finds it ready, so the
    holder calls it directly from then on."""

    def __init__(self, interim, job, load, name):
        self._interim = interim
        self._job = job
        self._load = load
        self.name = name
        self._adopters = []
        self._final = None
        self._failure = None
        self._start()

    def on_ready(self, adopt):
        self._adopters.append(adopt)

    @property
    def compiling(self):
        """Whether the compiled program is not yet ready (nor failed)."""
        return self._final is None and self._failure is None and not self._future.done()

    def wait(self):
        """Waits for the background compile; the compiled executable (the compile's error, raised)."""
        self._settle(self._started().result)
        return self._final

    def __call__(self, *arrays):
        if self._final is not None:
            return self._final(*arrays)
        if self._failure is not None or self._started().done():
            self._settle(self._future.result)
            return self._final(*arrays)
        return self._interim(*arrays)

    def _started(self):
        """The future of the compile, started again in a forked child whose parent's thread did not finish it."""
        if self._generation != _GENERATION[0] and not self._future.done():
            self._start()
        return self._future

    def _settle(self, result):
        if self._failure is None and self._final is None:
            try:
                built = result()
            except BaseException as error:
                self._failure = error
            else:
                self._final = self._load(built)
                for adopt in self._adopters:
                    adopt(self._final)
        if self._failure is not None:
            _UNREPORTED.pop(id(self), None)
            raise self._failure

    def _start(self):
        self._generation = _GENERATION[0]
        self._future = concurrent.futures.Future()
        threading.Thread(target=self._run, name=f"numerix-compile-{self.name}", daemon=False).start()

    def _run(self):
        future = self._future
        try:
            future.set_result(self._job())
        except BaseException as error:  # kept for the next call; printed at exit if none comes
            _UNREPORTED[id(self)] = (self.name, error)
            future.set_exception(error)


# Background compiles that failed and that no call has reported yet: id -> (entry name, error).
_UNREPORTED = {}
_GENERATION = [0]


def _forked():
    _GENERATION[0] += 1


os.register_at_fork(after_in_child=_forked)


def _report_at_exit():
    """Runs after the interpreter has joined the compile threads (they are not daemons)."""
    for name, error in list(_UNREPORTED.values()):
        print(f"numerix: the background compile of @{name} failed, and no call came after it to report it: "
              f"{type(error).__name__}: {error}", file=sys.stderr)
    _UNREPORTED.clear()


atexit.register(_report_at_exit)
