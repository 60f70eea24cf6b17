"""The convolutional example (examples/cnn.py) trains under IREE (its full 15 epochs) and under the evaluator (5), and
reaches the accuracy it promises."""
import pathlib
import re
import subprocess
import sys

import pytest

EXAMPLE = pathlib.Path(__file__).parents[1] / "examples" / "cnn.py"


@pytest.mark.parametrize("compiler, epochs", [("iree", 15), ("evaluator", 5)])
def test_cnn_example_reaches_97_percent(compiler, epochs):
    run = subprocess.run([sys.executable, str(EXAMPLE), "--epochs", str(epochs), "--compiler", compiler],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    found = re.search(r"^test accuracy: (\d+\.\d)%$", run.stdout, re.MULTILINE)
    assert found, run.stdout
    assert float(found.group(1)) >= 97.0, run.stdout
