# Found by the differential fuzzer (python -m tests.fuzz.long, seed 909): vmap on iree vs eager: f32 values differ.
#
# Failure:
#   program 0 output v17 (rtol 8e-06, atol 2.32e-05):
#   Not equal to tolerance rtol=8e-06, atol=2.32067e-05
#
#   nan location mismatch:
#    ACTUAL: array([0.82177, 1.     , 1.     , 1.     ])
#    DESIRED: array([0.82177,     nan,     nan,     nan])
import numerix as nx  # noqa: F401  (the program calls it)

# test_differential.py replays this program and expects this failure while the bug is open (None: fixed).
XFAIL = None
INPUTS = [
    ('x11', 'f32', (4,), 0),
]


def program(x11):
    v12 = nx.log(x11)
    v13 = nx.exp(v12)
    v14 = nx.log(v13)
    v15 = v14[[0, 0, 0]]
    v16 = nx.exp(v15)
    v17 = nx.exp(v14)
    return (v16, v17,)
