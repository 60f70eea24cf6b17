# Found by the differential fuzzer (python -m tests.fuzz.long, seed 2): defn iree raised NxValueError: iree: IREE's embedded llvm-cpu runtime has no log10f (f64 math from libm): build for this machine in.
#
# Failure:
#   File "/work/main/runtime/iree.py", line 63, in build_optimized
#       return Build(compile_stablehlo(text, target, flags), module_key(text, target, flags), inputs, outputs, driver)
#                    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
#     File "/work/main/runtime/iree.py", line 73, in compile_stablehlo
#       return CACHE.get(module_key(text, target, flags), lambda: _compile(text, target, flags))
#              ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
#     File "/work/main/runtime/cache.py", line 76, in get
#       found = compile()
#               ^^^^^^^^^
#     File "/work/main/runtime/iree.py", line 73, in <lambda>
#       return CACHE.get(module_key(text, target, flags), lambda: _compile(text, target, flags))
#                                                                 ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
#     File "/work/main/runtime/iree.py", line 84, in _compile
#       raise _explain(error, target, flags) from None
#   numerix.dialect.errors.NxValueError: iree: IREE's embedded llvm-cpu runtime has no log10f (f64 math from libm): build for this machine instead (defn does; nx-compile --host), with a system linker
#     at /work/main/tests/fuzz/differential.py:52:68
import numerix as nx  # noqa: F401  (the program calls it)

# test_differential.py replays this program and expects this failure while the bug is open (None: fixed).
XFAIL = None  # fixed
INPUTS = [
    ('x0', 'f32', (), 0),
]


def program(x0):
    v1 = nx.log10(x0)
    return (v1,)
