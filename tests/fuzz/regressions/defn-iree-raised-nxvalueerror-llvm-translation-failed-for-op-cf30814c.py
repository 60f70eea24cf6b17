# Found by the differential fuzzer (python -m tests.fuzz.long, seed 103): defn iree raised NxValueError: LLVM Translation failed for operation: builtin.unrealized_conversion_cast.
#
# Failure:
#   File "/tmp/wfuzzpkg/numerix/runtime/iree.py", line 65, in build_optimized
#       return Build(compile_stablehlo(text, target, flags), module_key(text, target, flags), inputs, outputs, driver)
#                    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
#     File "/tmp/wfuzzpkg/numerix/runtime/iree.py", line 75, in compile_stablehlo
#       return CACHE.get(module_key(text, target, flags), lambda: _compile(text, target, flags))
#              ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
#     File "/tmp/wfuzzpkg/numerix/runtime/cache.py", line 76, in get
#       found = compile()
#               ^^^^^^^^^
#     File "/tmp/wfuzzpkg/numerix/runtime/iree.py", line 75, in <lambda>
#       return CACHE.get(module_key(text, target, flags), lambda: _compile(text, target, flags))
#                                                                 ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
#     File "/tmp/wfuzzpkg/numerix/runtime/iree.py", line 86, in _compile
#       raise _explain(error, target, flags) from None
#   numerix.dialect.errors.NxValueError: iree: iree-compile failed for target llvm-cpu (flags --iree-input-demote-f64-to-f32=false --iree-global-opt-enable-warn-on-uninitialized-values=false --iree-ll
#   Error invoking IREE compiler tool iree-compile
#   Error code: 1
#   Diagnostics:
#   <unknown>:0: error: LLVM Translation failed for operation: builtin.unrealized_conversion_cast
#   <stdin>:4:1: error: failed to translate the MLIR LLVM dialect to the native llvm::Module
#   module {
#   ^
#   <stdin>:4:1: error: failed to serialize executable for target backend llvm-cpu
#   module {
#   ^
#   <stdin>:4:1: error: failed to serialize executables
#   module {
#   ^
#     at /tmp/wfuzz/tests/fuzz/differential.py:57:68
import numerix as nx  # noqa: F401  (the program calls it)

# test_differential.py replays this program and expects this failure while the bug is open (None: fixed).
XFAIL = None  # fixed: iree-strided-slice-barriers also takes slices of part of an inner axis
INPUTS = [
    ('x11', 'f32', (4, 4, 1), 0),
]


def program(x11):
    v13 = x11[..., None, ::-1, 0, 0]
    v14 = nx.exp(v13)
    v15 = nx.all(v14)
    v16 = nx.exp(v15)
    return (v16,)
