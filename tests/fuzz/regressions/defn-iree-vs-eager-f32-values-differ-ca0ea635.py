# Found by the differential fuzzer (python -m tests.fuzz.long, seed 23): defn iree vs eager: f32 values differ.
#
# Failure:
#   program 0 output v11 (rtol 1e-05, atol 9.72e-05):
#   Not equal to tolerance rtol=1e-05, atol=9.72328e-05
#
#   nan location mismatch:
#    ACTUAL: array(0.82177)
#    DESIRED: array(nan)
import numerix as nx  # noqa: F401  (the program calls it)

# test_differential.py replays this program and expects this failure while the bug is open (None: fixed).
XFAIL = None  # fixed
INPUTS = [
    ('x5', 'f32', (), 0),
]


def program(x5):
    v6 = nx.exp(x5)
    v8 = nx.exp(v6)
    v9 = nx.clip(v8, -2, -1)
    v10 = nx.log(v9)
    v11 = nx.exp(v10)
    return (v11,)
