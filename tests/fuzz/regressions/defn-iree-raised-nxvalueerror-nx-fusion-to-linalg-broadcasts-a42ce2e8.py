# Found by the differential fuzzer (python -m tests.fuzz.long, seed 21): defn iree raised NxValueError: nx-fusion-to-linalg: broadcasts to [_, _, _] inside a fusion over [_, _, _].
#
# Failure:
#   File "/work/main/passes/registry.py", line 20, in run
#       return fn(module)
#              ^^^^^^^^^^
#     File "/work/main/passes/fusion_to_linalg.py", line 111, in fusion_to_linalg
#       results = _Generic(op).lower()
#                 ^^^^^^^^^^^^^^^^^^^^
#     File "/work/main/passes/fusion_to_linalg.py", line 222, in lower
#       plan = self._plan()
#              ^^^^^^^^^^^^
#     File "/work/main/passes/fusion_to_linalg.py", line 286, in _plan
#       plan[op.result] = ("input", self._input(self.arguments.index(source), self._broadcast_map(op)))
#                                                                             ^^^^^^^^^^^^^^^^^^^^^^^
#     File "/work/main/passes/fusion_to_linalg.py", line 204, in _broadcast_map
#       raise _error(self.fusion, f"broadcasts to {list(attrs['shape'])} inside a fusion over {list(self.shape)}")
#   numerix.dialect.errors.NxValueError: nx-fusion-to-linalg: broadcasts to [1, 1, 1] inside a fusion over [1, 3, 1]
#     at <fuzz program>:5:10
import numerix as nx  # noqa: F401  (the program calls it)

# test_differential.py replays this program and expects this failure while the bug is open (None: fixed).
XFAIL = None  # fixed
INPUTS = [
    ('x0', 'f32', (3, 1), 0),
]


def program(x0):
    v1 = nx.max(x0, keepdims=True)
    v2 = nx.exp(v1)
    v3 = nx.broadcast_to(v2, (1, 1, 1))
    v4 = nx.pow(v3, x0)
    return (v4,)
