# Found by the differential fuzzer (python -m tests.fuzz.long, seed 202): defn iree raised IndexError: Error invoking function: c/runtime/src/iree/hal/buffer.c:_: OUT_OF_RANGE; attempted to access an add.
#
# Failure:
#   File "/tmp/wfuzzpkg/numerix/defn.py", line 213, in run
#       return self.run_arrays([leaf.numpy() for leaf in leaves])
#              ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
#     File "/tmp/wfuzzpkg/numerix/defn.py", line 218, in run_arrays
#       results = self.executable(*arrays, *lowered.captured)
#                 ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
#     File "/tmp/wfuzzpkg/numerix/runtime/iree_executable.py", line 191, in __call__
#       raise _binding_error(error) from None
#     File "/tmp/wfuzzpkg/numerix/runtime/iree_executable.py", line 174, in __call__
#       return self._call_staged(staging, arrays)
#              ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
#     File "/tmp/wfuzzpkg/numerix/runtime/iree_executable.py", line 221, in _call_staged
#       self._context.invoke(self._function, args, results)
#   IndexError: Error invoking function: c/runtime/src/iree/hal/buffer.c:437: OUT_OF_RANGE; attempted to access an address outside of the valid buffer range (offset=0, adjusted_length=4, end=3, buffer
#   [ 0] bytecode module@1:236 -
import numerix as nx  # noqa: F401  (the program calls it)

# test_differential.py replays this program and expects this failure while the bug is open (None: fixed).
XFAIL = None  # fixed: argmax and argmin along an axis of one element lower to the constant 0
INPUTS = [
    ('x0', 'f32', (), 0),
]


def program(x0):
    v1 = nx.argmax(x0)
    v2 = nx.exp(v1)
    v3 = nx.exp(v2)
    v4 = nx.less(v3, 0.5)
    v5 = nx.exp(v2)
    return (v4, v5,)
