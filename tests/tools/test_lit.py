"""Runs the lit + FileCheck pass tests (tests/lit) from pytest, one test per .mlir file, so the one test command
covers them; and checks that every registered pass has one."""
import pathlib
import re
import subprocess
import sys

import pytest

from numerix.passes.pipeline import load_passes

LIT_DIR = pathlib.Path(__file__).parents[1] / "lit"
LIT_FILES = sorted(LIT_DIR.glob("*.mlir"))


@pytest.mark.parametrize("path", LIT_FILES, ids=lambda p: p.name)
def test_lit(path):
    run = subprocess.run([sys.executable, "-c", "import lit.main; lit.main.main()", "-v", str(path)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_every_pass_has_a_lit_test():
    run_lines = [line for path in LIT_FILES for line in path.read_text(encoding="utf-8").splitlines()
                 if "RUN:" in line]
    untested = [name for name in sorted(load_passes())
                if not any(re.search(rf"--{re.escape(name)}(?![\w-])", line) for line in run_lines)]
    assert not untested, f"passes that no RUN line in tests/lit runs: {untested}"
