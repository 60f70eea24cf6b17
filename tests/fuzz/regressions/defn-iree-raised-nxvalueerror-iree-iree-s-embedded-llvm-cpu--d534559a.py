# Found by the differential fuzzer (python -m tests.fuzz.long, seed 1313): defn iree raised NxValueError: iree: IREE's embedded llvm-cpu runtime has no atan2, cos, sin (f64 math from libm): build for this m.
#
# Failure:
#   File "/tmp/wfuzz7pkg/numerix/runtime/iree.py", line 89, in build
#       return Build(compile_stablehlo(self.text, self.target, self.flags), self.module_key, self.inputs,
#                    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
#     File "/tmp/wfuzz7pkg/numerix/runtime/iree.py", line 118, in compile_stablehlo
#       return CACHE.get(module_key(text, target, flags), lambda: _compile(text, target, flags))
#              ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
#     File "/tmp/wfuzz7pkg/numerix/runtime/cache.py", line 76, in get
#       found = compile()
#               ^^^^^^^^^
#     File "/tmp/wfuzz7pkg/numerix/runtime/iree.py", line 118, in <lambda>
#       return CACHE.get(module_key(text, target, flags), lambda: _compile(text, target, flags))
#                                                                 ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
#     File "/tmp/wfuzz7pkg/numerix/runtime/iree.py", line 129, in _compile
#       raise _explain(error, target, flags) from None
#   numerix.dialect.errors.NxValueError: iree: IREE's embedded llvm-cpu runtime has no atan2, cos, sin (f64 math from libm): build for this machine instead (defn does; nx-compile --host), with a syste
#     at /tmp/wfuzz7/tests/fuzz/differential.py:66:68
import numerix as nx  # noqa: F401  (the program calls it)

# test_differential.py replays this program and expects this failure while the bug is open (None: fixed).
XFAIL = None
INPUTS = [
    ('x11', 'bool', (), 269),
]


def program(x11):
    v12 = nx.argmax(x11)
    v13 = nx.astype(v12, 'c64')
    v14 = nx.atan(v13)
    v15 = nx.exp(v14)
    v16 = nx.equal(v15, 0.5)
    v17 = nx.exp(v16)
    return (v17,)
