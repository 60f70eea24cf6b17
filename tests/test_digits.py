"""The digits example (examples/digits.py) trains for a few epochs, under IREE and under the evaluator, and with its
parameters on the IREE device, and reaches the accuracy it promises."""
import pathlib
import re
import subprocess
import sys

import pytest

EXAMPLE = pathlib.Path(__file__).parents[1] / "examples" / "digits.py"


@pytest.mark.parametrize("compiler, backend", [("iree", "numpy"), ("evaluator", "numpy"), ("iree", "iree")])
def test_digits_example_reaches_95_percent(compiler, backend):
    """("iree", "iree"): the parameters stay on the device, donated to each step."""
    run = subprocess.run([sys.executable, str(EXAMPLE), "--epochs", "10", "--compiler", compiler,
                          "--backend", backend], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    found = re.search(r"^test accuracy: (\d+\.\d)%$", run.stdout, re.MULTILINE)
    assert found, run.stdout
    assert float(found.group(1)) >= 95.0, run.stdout
