# Found by the differential fuzzer (python -m tests.fuzz.long, seed 33): defn iree raised NxValueError: iree: iree-compile failed for target llvm-cpu (flags --iree-input-demote-f64-to-f32=false --iree-glo.
#
# Failure:
#   File "/work/main/runtime/iree.py", line 65, in build_optimized
#       return Build(compile_stablehlo(text, target, flags), module_key(text, target, flags), inputs, outputs, driver)
#                    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
#     File "/work/main/runtime/iree.py", line 75, in compile_stablehlo
#       return CACHE.get(module_key(text, target, flags), lambda: _compile(text, target, flags))
#              ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
#     File "/work/main/runtime/cache.py", line 76, in get
#       found = compile()
#               ^^^^^^^^^
#     File "/work/main/runtime/iree.py", line 75, in <lambda>
#       return CACHE.get(module_key(text, target, flags), lambda: _compile(text, target, flags))
#                                                                 ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
#     File "/work/main/runtime/iree.py", line 86, in _compile
#       raise _explain(error, target, flags) from None
#   numerix.dialect.errors.NxValueError: iree: iree-compile failed for target llvm-cpu (flags --iree-input-demote-f64-to-f32=false --iree-global-opt-enable-warn-on-uninitialized-values=false --iree-ll
#   Error invoking IREE compiler tool iree-compile
#   Error code: 1
#   Diagnostics:
#     at /work/main/tests/fuzz/differential.py:57:68
import numerix as nx  # noqa: F401  (the program calls it)

# test_differential.py replays this program and expects this failure while the bug is open (None: fixed).
XFAIL = None  # fixed: a sort's key of rank 2 or more passes through an optimization barrier
INPUTS = [
    ('x0', 'f32', (2, 2, 1), 0),
]


def program(x0):
    v1 = x0[:, [0]]
    v2 = nx.sort(v1, axis=0)
    return (v2,)
