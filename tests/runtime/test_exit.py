"""A process that still holds results of compiled functions when it exits, exits cleanly. A result reads IREE's
buffer in place, and freeing that buffer calls into its device's allocator; results alive at exit were freed after
the device (numerix releases its IREE objects at exit, and the interpreter's last garbage collection frees in no
fixed order), and every such process segfaulted after printing its results (runtime/iree_executable.py,
_DeviceMemory)."""
import subprocess
import sys

RUNS = 3

# Results left alive at exit on each path that maps a result: local-task (the large work of `t * 2`), local-sync,
# the staged path of small arguments with a large result, f64 (a system-linked module) and bf16, and a result in a
# reference cycle, freed only by the last garbage collection.
_SCRIPT = """
import numpy as np
import numerix as nx

double = nx.defn(lambda t: t * 2)
large = nx.tensor(np.ones((1024, 1024), np.float32))
kept = [double(large) for _ in range(3)]
synchronous = nx.defn(lambda t: t * 2, driver="local-sync")(nx.tensor(np.ones((256, 256), np.float32)))
staged = nx.defn(lambda t: nx.broadcast(t, (4096, 16)))(nx.tensor(np.ones((16,), np.float32)))
sine = nx.defn(lambda a: nx.sin(a) + 1)
f64 = sine(nx.tensor(np.zeros(20000), type="f64"))
bf16 = sine(nx.tensor(np.zeros(40000, np.float32), type="bf16"))
cycle = [double(nx.tensor(np.ones((128, 128), np.float32)))]
cycle.append(cycle)
for result, expected in ((kept[-1], 2), (synchronous, 2), (staged, 1), (f64, 1), (bf16, 1), (cycle[0], 2)):
    assert float(nx.min(result)) == float(nx.max(result)) == expected
print("ok")
"""


def test_a_process_holding_results_at_exit_exits_cleanly():
    for _ in range(RUNS):
        done = subprocess.run([sys.executable, "-X", "faulthandler", "-c", _SCRIPT], capture_output=True, text=True,
                              timeout=120)
        assert (done.returncode, done.stdout) == (0, "ok\n"), done.stderr[-3000:]
