# Found by the differential fuzzer (python -m tests.fuzz.long, seed 1010): defn iree vs eager: f32 values differ.
#
# Failure:
#   program 0 output v31 (rtol 1e-05, atol 6.2e-05):
#   Not equal to tolerance rtol=1e-05, atol=6.20032e-05
#
#   Mismatched elements: 1 / 1 (100%)
#   Mismatch at index:
#    [0, 0]: 1.0 (ACTUAL), 4.86415433883667 (DESIRED)
#   Max absolute difference among violations: 3.86415434
#   Max relative difference among violations: 0.79441442
#    ACTUAL: array([[1.]])
#    DESIRED: array([[4.864154]])
import numerix as nx  # noqa: F401  (the program calls it)

# test_differential.py replays this program and expects this failure while the bug is open (None: fixed).
XFAIL = None
INPUTS = [
    ('x23', 'bool', (1,), 476),
    ('x24', 'f32', (1, 1), 174),
    ('x25', 'f32', (3, 1), 161),
]


def program(x23, x24, x25):
    v26 = (x24 + x25)
    v27 = nx.where(nx.greater(v26, 1), v26, x23)
    v28 = nx.window_min(v27, (1, 1), strides=(2, 2), padding='valid')
    v29 = nx.window_sum(v27, (2, 1), strides=(1, 2), padding='valid')
    v30 = nx.min(v29, axis=-2, keepdims=True)
    v31 = nx.logsumexp(v30, axis=(0, 1), keepdims=True)
    return (v28, v31,)
