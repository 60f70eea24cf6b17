# Found by the differential fuzzer (python -m tests.fuzz.long, seed 22): defn iree raised NxValueError: LLVM Translation failed for operation: builtin.unrealized_conversion_cast.
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
#   numerix.dialect.errors.NxValueError: iree: iree-compile failed for target llvm-cpu (flags --iree-input-demote-f64-to-f32=false --iree-llvmcpu-target-cpu=host --iree-llvmcpu-reassociate-fp-reductio
#   Error invoking IREE compiler tool iree-compile
#   Error code: 1
#   Diagnostics:
#   <unknown>:0: error: LLVM Translation failed for operation: builtin.unrealized_conversion_cast
#   <stdin>:2:1: error: failed to translate the MLIR LLVM dialect to the native llvm::Module
#   module {
#   ^
#   <stdin>:2:1: error: failed to serialize executable for target backend llvm-cpu
#   module {
#   ^
#   <stdin>:2:1: error: failed to serialize executables
#   module {
#   ^
#     at /work/main/tests/fuzz/differential.py:57:68
import numerix as nx  # noqa: F401  (the program calls it)

# test_differential.py replays this program and expects this failure while the bug is open (None: fixed).
XFAIL = None  # fixed
INPUTS = [
    ('x39', 's32', (4,), 212),
]


def program(x39):
    v43 = x39[-3::2]
    v44 = nx.cumulative_prod(v43, axis=0, reverse=True)
    return (v44,)
