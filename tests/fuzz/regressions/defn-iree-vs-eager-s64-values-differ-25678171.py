# Found by the differential fuzzer (python -m tests.fuzz.long, seed 7, reduced by hand): defn iree vs eager: s64 values differ.
#
# Failure:
#   program 0 output v3 (rtol 0, atol 0):
#   Arrays are not equal
#
#   Mismatched elements: 1 / 1 (100%)
#   Max absolute difference among violations: 1
#   Max relative difference among violations: 0.5
#    ACTUAL: array(1)
#    DESIRED: array(2)
import numerix as nx  # noqa: F401  (the program calls it)

# test_differential.py replays this program and expects this failure while the bug is open (None: fixed).
XFAIL = None  # fixed
INPUTS = [
    ('x0', 'f32', (2,), 0),
]


def program(x0):
    v1 = nx.logical_or(x0, 0.5)
    v3 = nx.sum(v1)
    return (v3,)
