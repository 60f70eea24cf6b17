"""Loading executables keeps the process's open files and $TMPDIR flat. IREE's loader of system-linked modules
(those linked against libm, passes/iree_policy.py) leaves one open file and one empty $TMPDIR/iree_dylib_XXXXXX per
load, and a process died after about 1,000 loads; runtime/iree_executable.py releases them. Each check runs in a new
process with its own TMPDIR, so that nothing else counts."""
import json
import os
import subprocess
import sys

import pytest

LOADS = 300

_SCRIPT = """
import glob, json, os, sys
import numpy as np
import numerix as nx

x = np.linspace(-2, 2, 8).astype(sys.argv[1])
def counts():
    return len(os.listdir("/proc/self/fd")), len(glob.glob(os.path.join(os.environ["TMPDIR"], "iree_dylib_*")))
def load():  # a new defn object: the program comes from the cache, and is loaded again
    return nx.defn(lambda a: nx.tanh(a) * 2.0)(x)
np.testing.assert_allclose(np.asarray(load()), np.tanh(x) * 2.0, rtol=1e-6)
before = counts()
for _ in range(int(sys.argv[2])):
    load()
print(json.dumps({"before": before, "after": counts()}))
"""


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts open files in /proc")
@pytest.mark.parametrize("dtype", ["float32", "float64"])  # f64 tanh is libm's: a system-linked module
def test_loading_many_executables_keeps_open_files_and_tmp_flat(dtype, tmp_path):
    env = dict(os.environ, TMPDIR=str(tmp_path))
    done = subprocess.run([sys.executable, "-c", _SCRIPT, dtype, str(LOADS)], env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    counts = json.loads(done.stdout.splitlines()[-1])
    assert counts["after"] == counts["before"], counts
    assert counts["after"][1] == 0, counts
