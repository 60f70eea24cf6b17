"""Loading executables keeps the process's open files and $TMPDIR flat. IREE's loader of system-linked modules
(those linked against libm, passes/iree_policy.py) leaves one open file and one empty $TMPDIR/iree_dylib_XXXXXX per
load, and a process died after about 1,000 loads; runtime/iree_executable.py releases them, and a module that does
not compute in f64 links embedded, which writes no file. Each count runs in a new process with its own TMPDIR, so
that nothing else counts."""
import json
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest

import numerix as nx
from numerix.runtime.iree import build

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


@pytest.mark.skipif(shutil.which("ld") is None, reason="without a system linker every module links embedded")
def test_only_modules_that_compute_in_f64_link_against_libm():
    x = np.linspace(-2, 2, 8)
    for dtype, linked in (("float32", b"embedded-elf-"), ("float64", b"system-elf-")):
        lowered = nx.defn(lambda a: nx.tanh(a) * 2.0).lower(x.astype(dtype))
        assert linked in build(lowered.module, lowered.entry).vmfb, dtype
