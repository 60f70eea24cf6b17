# Found by the differential fuzzer's quick profile (its vmap check, then alone): defn iree raised NxValueError:
# iree-compile failed: 'linalg.generic' op write affecting operations on global resources are restricted to workgroup
# distributed contexts. An argmax along an axis of one element lowers to a constant, and IREE 3.13 turned the argsort
# of it, along that unit axis, into a copy onto the constant. Fixed: a sort along an axis of one element makes no
# stablehlo.sort (dialect/lower_reduction.py's sort).
import numerix as nx  # noqa: F401  (the program calls it)

# test_differential.py replays this program and expects this failure while the bug is open (None: fixed).
XFAIL = None  # fixed
INPUTS = [
    ('x0', 'f32', (1,), 0),
]


def program(x0):
    v1 = nx.exp(x0)
    v2 = nx.argmax(v1, axis=0, keepdims=True)
    v3 = nx.argsort(v2, axis=0)
    return (v3,)
