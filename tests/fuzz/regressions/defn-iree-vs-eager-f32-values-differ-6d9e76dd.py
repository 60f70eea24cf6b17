# Found by the differential fuzzer (python -m tests.fuzz.long, seed 404): defn iree vs eager: f32 values differ.
#
# Failure:
#   program 0 output v7 (rtol 4e-06, atol 0.000128):
#   Not equal to tolerance rtol=4e-06, atol=0.000127916
#
#   Mismatched elements: 6 / 9 (66.7%)
#   First 5 mismatches are at indices:
#    [0, 1]: 0.0 (ACTUAL), 2.3138177394866943 (DESIRED)
#    [0, 2]: 0.0 (ACTUAL), 3.16402268409729 (DESIRED)
#    [1, 0]: 0.0 (ACTUAL), 2.3138177394866943 (DESIRED)
#    [1, 2]: 0.0 (ACTUAL), 23.38587760925293 (DESIRED)
#    [2, 0]: 0.0 (ACTUAL), 3.16402268409729 (DESIRED)
#   Max absolute difference among violations: 23.38587761
#   Max relative difference among violations: 1.
#    ACTUAL: array([[ 0.313051,  0.      ,  0.      ],
#          [ 0.      , 17.101854,  0.      ],
#          [ 0.      ,  0.      , 31.978947]])
#    DESIRED: array([[ 0.313051,  2.313818,  3.164023],
#          [ 2.313818, 17.101854, 23.385878],
#          [ 3.164023, 23.385878, 31.978947]])
import numerix as nx  # noqa: F401  (the program calls it)

# test_differential.py replays this program and expects this failure while the bug is open (None: fixed).
XFAIL = None  # fixed: reduce_window's result leaves through an optimization barrier
INPUTS = [
    ('x3', 'f32', (4, 1), 0),
]


def program(x3):
    v6 = nx.window_sum(x3, (2, 1), strides=(1, 1), padding='valid')
    v7 = (v6 @ nx.matrix_transpose(v6))
    return (v7,)
