"""Runs the lit + FileCheck pass tests (tests/lit) from pytest, one test per .mlir file, so the one test command
covers them."""
import pathlib
import subprocess
import sys

import pytest

LIT_DIR = pathlib.Path(__file__).parent / "lit"


@pytest.mark.parametrize("path", sorted(LIT_DIR.glob("*.mlir")), ids=lambda p: p.name)
def test_lit(path):
    run = subprocess.run([sys.executable, "-c", "import lit.main; lit.main.main()", "-v", str(path)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
