# Found by the differential fuzzer (python -m tests.fuzz.long, seed 31): defn iree vs eager: f32 values differ.
#
# Failure:
#   program 0 output v6 (rtol 1.2e-05, atol 3.26e-05):
#   Not equal to tolerance rtol=1.2e-05, atol=3.26194e-05
#
#   Mismatched elements: 1 / 1 (100%)
#   Max absolute difference among violations: 0.89286494
#   Max relative difference among violations: 0.32846664
#    ACTUAL: array(3.611147)
#    DESIRED: array(2.718282)
import numerix as nx  # noqa: F401  (the program calls it)

# test_differential.py replays this program and expects this failure while the bug is open (None: fixed).
XFAIL = None  # fixed
INPUTS = [
    ('x0', 'bool', (2, 1, 1), 0),
]


def program(x0):
    v1 = nx.reshape(x0, (2, 1))
    v2 = v1[..., :, None, 0]
    v3 = nx.greater_equal(v2, v2)
    v4 = nx.var(v3)
    v5 = nx.exp(v4)
    v6 = nx.exp(v5)
    return (v6,)
