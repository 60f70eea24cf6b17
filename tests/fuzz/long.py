"""The differential fuzzer's long profile: many random programs, each run eagerly, on the evaluator, on IREE and
through every nx-opt pass (differential.py).

    python -m tests.fuzz.long --programs 10000            # from the repository root
    python -m tests.fuzz.long --programs 500 --seed 7 --batch 8 --max-steps 8

It prints its progress (programs checked, programs per second). On a new failure hypothesis shrinks the batch to a
minimal program, which is written to tests/fuzz/regressions/ as a reproducer (reproducers.py) with its failure:
commit it, and test_differential.py replays it, as an expected failure until the bug is fixed. A failure that an open
reproducer already explains (same kind, its ops all used) is counted, not written again. After each new failure the
run goes on with the next seed until it has checked --programs programs. Exit status: 1 if it wrote a reproducer.

It uses the test suite's compile cache (conftest's NUMERIX_CACHE_DIR); each new program is a new IREE compile, so a
run is as fast as iree-compile is (batches of programs share one)."""
import argparse
import math
import time

from hypothesis import HealthCheck, given, seed, settings

from . import reproducers
from .differential import Discrepancy, check_batch
from .programs import MAX_STEPS, Program, batches

# Each shrinking step is a new IREE compile; a failure shrunk for this long is small enough to read.
SHRINK_SECONDS = 120


class Run:
    """Counts and reports progress across hypothesis sessions."""

    def __init__(self, target, batch_size, max_steps, first_seed):
        self.target, self.batch_size, self.max_steps, self.seed = target, batch_size, max_steps, first_seed
        self.checked = self.known = 0
        self.written = []
        self.bugs = reproducers.known_bugs()
        self.started = self.last_report = time.monotonic()

    def session(self):
        """One hypothesis run from self.seed: until the target or a new failure, which it shrinks and writes."""
        failing = []
        examples = math.ceil((self.target - self.checked) / ((1 + self.batch_size) / 2)) + 1

        @seed(self.seed)
        @settings(max_examples=examples, database=None, deadline=None, derandomize=False,
                  suppress_health_check=list(HealthCheck), print_blob=False,
                  report_multiple_bugs=False)
        @given(batches(self.batch_size, self.max_steps))
        def check(batch):
            if not failing and self.checked >= self.target:
                return  # hypothesis may ask for a few more examples than needed
            if failing and time.monotonic() - failing[0][2] > SHRINK_SECONDS:
                # Out of shrinking time: only the smallest failure so far still fails, so hypothesis stops there.
                if batch == failing[-1][0]:
                    raise failing[-1][1]
                return
            try:
                check_batch(batch)
            except Discrepancy as e:
                if not failing and reproducers.is_known(e.kind, batch, self.bugs):
                    self.known += 1
                    return
                if failing and e.kind != failing[0][1].kind:
                    return  # shrinking keeps to the failure it started from, not another it meets on the way
                if not failing:
                    print(f"failure: {e.kind}; shrinking it", flush=True)
                failing.append((batch, e, time.monotonic()))  # the last one is hypothesis's shrunk example
                raise
            finally:
                if not failing:  # shrinking runs are not new programs
                    self.checked += len(batch)
                    self.report()

        try:
            check()
        except Exception as e:  # a Discrepancy, or hypothesis's complaint about one (flaky, ...): keep the smallest
            if failing:
                self.record(*failing[-1][:2])
            else:  # the generator itself failed: say so, and go on with the next seed
                print(f"session with seed {self.seed} failed outside the check: {type(e).__name__}: {e}", flush=True)
        self.seed += 1

    def record(self, batch, discrepancy):
        program, discrepancy = _reduced(Program.merge(batch), discrepancy)
        path = reproducers.write(program, discrepancy, f"python -m tests.fuzz.long, seed {self.seed}")
        self.written.append(path)
        self.bugs.append((discrepancy.kind, program.ops()))
        print(f"\nNEW FAILURE: {discrepancy.kind}\n{discrepancy.detail.strip()[-2000:]}\nprogram:\n{program.source()}"
              f"reproducer: {path}\n", flush=True)

    def report(self, force=False):
        now = time.monotonic()
        if force or now - self.last_report >= 10:
            self.last_report = now
            elapsed = now - self.started
            print(f"{self.checked}/{self.target} programs, {elapsed:.0f} s, {self.checked / elapsed:.2f} programs/s, "
                  f"{len(self.written)} new failures, {self.known} known", flush=True)


def _reduced(program, discrepancy):
    """Hypothesis shrinks each step but seldom drops a whole program of a batch; so, greedily, leave out each output
    (and the steps only it reads) while the program still fails the same way."""
    reduced = True
    while reduced and len(program.outputs) > 1:
        reduced = False
        for output in program.outputs:
            smaller = program.without_output(output)
            try:
                check_batch([smaller])
            except Discrepancy as e:
                if e.kind == discrepancy.kind:
                    program, discrepancy, reduced = smaller, e, True
                    break
    return program, discrepancy


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz.long", description=__doc__.split("\n\n")[0])
    parser.add_argument("--programs", type=int, default=10000, help="programs to check (default 10000)")
    parser.add_argument("--batch", type=int, default=8, help="most programs per defn, i.e. per IREE compile")
    parser.add_argument("--max-steps", type=int, default=MAX_STEPS, help="most ops per program")
    parser.add_argument("--seed", type=int, default=0, help="hypothesis seed of the first session")
    args = parser.parse_args(argv)
    run = Run(args.programs, args.batch, args.max_steps, args.seed)
    while run.checked < run.target:
        run.session()
    run.report(force=True)
    for path in run.written:
        print(f"reproducer: {path}")
    return 1 if run.written else 0


if __name__ == "__main__":
    raise SystemExit(main())
