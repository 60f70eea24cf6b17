"""The differential fuzzer's quick profile, part of every pytest run: a fixed set of random nx programs (programs.py),
each run eagerly, on the evaluator, on IREE and through each nx-opt pass (differential.py), must agree; and every
reproducer the long profile wrote (regressions/) is replayed, an open bug's as a strict expected failure.

The examples are derandomized and use no database, so each run draws the same programs and finds their compiled
modules in the suite's disk cache. The long profile is `python -m tests.fuzz.long --programs 10000` (long.py)."""
import os

import pytest
from hypothesis import HealthCheck, given, settings

from . import reproducers
from .differential import Discrepancy, check_batch
from .programs import batches

# 20 batches of 1 to 4 programs, so 20 IREE compiles: about 13 s on two cores with a cold cache, 4 s warm.
QUICK = settings(max_examples=20, derandomize=True, database=None, deadline=None, print_blob=False,
                 suppress_health_check=list(HealthCheck))
OPEN_BUGS = reproducers.known_bugs()


@QUICK
@given(batches(max_programs=4))
def test_random_programs_agree_everywhere(batch):
    try:
        check_batch(batch)
    except Discrepancy as e:
        if reproducers.is_known(e.kind, batch, OPEN_BUGS):
            return  # an open bug, kept visible by its reproducer's strict xfail below
        raise


def _replay_cases():
    cases = []
    for path in reproducers.paths():
        program, xfail = reproducers.load(path)
        marks = [pytest.mark.xfail(strict=True, raises=Discrepancy, reason=xfail)] if xfail else []
        cases.append(pytest.param(path, program, xfail, marks=marks, id=os.path.basename(path)[:-3]))
    return cases


@pytest.mark.parametrize("path, program, xfail", _replay_cases())
def test_regression_replays(path, program, xfail):
    try:
        check_batch([program])
    except Discrepancy as e:
        # An open reproducer must fail where it was recorded to; failing elsewhere is a new problem.
        if xfail and reproducers.stage(e.kind) != reproducers.stage(xfail):
            raise RuntimeError(f"{path} was recorded as {xfail!r} but now fails as {e.kind!r}:\n{e}") from e
        raise
