# Found by the differential fuzzer (python -m tests.fuzz.long, seeds 1 to 4, reduced by hand to one step): defn iree raised NxValueError: LLVM Translation failed for operation: builtin.unrealized_conversion_cast.
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
#   numerix.dialect.errors.NxValueError: iree: iree-compile failed for target llvm-cpu (flags --iree-input-demote-f64-to-f32=false --iree-llvmcpu-target-cpu=host --iree-llvmcpu-reassociate-fp-reductio
#   Error invoking IREE compiler tool iree-compile
#   Error code: 1
#   Diagnostics:
#   <unknown>:0: error: LLVM Translation failed for operation: builtin.unrealized_conversion_cast
#   <stdin>:4:10: error: failed to translate the MLIR LLVM dialect to the native llvm::Module
#       %1 = stablehlo.reverse %0, dims = [0] : tensor<2xf32>
#            ^
#   <stdin>:2:3: note: called from
#     func.func @batch(%arg0: tensor<4xf32>) -> tensor<2xf32> {
#     ^
#   <stdin>:4:10: error: failed to serialize executable for target backend llvm-cpu
#       %1 = stablehlo.reverse %0, dims = [0] : tensor<2xf32>
#            ^
#   <stdin>:2:3: note: called from
#     func.func @batch(%arg0: tensor<4xf32>) -> tensor<2xf32> {
#     ^
#   <stdin>:4:10: error: failed to serialize executables
#       %1 = stablehlo.reverse %0, dims = [0] : tensor<2xf32>
#            ^
#   <stdin>:2:3: note: called from
#     func.func @batch(%arg0: tensor<4xf32>) -> tensor<2xf32> {
#     ^
#     at /work/main/tests/fuzz/differential.py:57:68
import numerix as nx  # noqa: F401  (the program calls it)

# test_differential.py replays this program and expects this failure while the bug is open (None: fixed).
XFAIL = None  # fixed
INPUTS = [
    ('x0', 'f32', (4,), 0),
]


def program(x0):
    v1 = x0[::-2]
    return (v1,)
