# Found by the differential fuzzer (python -m tests.fuzz.long, seed 505): defn iree raised NxValueError: 'linalg.generic' op inferred input/output operand #_ has shape's dimension #_ to be _, but found _.
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
#   <stdin>:5:10: error: 'linalg.generic' op inferred input/output operand #1 has shape's dimension #0 to be 3, but found 2
#       %0 = stablehlo.convolution(%arg0, %cst) dim_numbers = [b, f, 0]x[o, i, 0]->[b, f, 0], window = {stride = [2], pad = [[0, 0]], lhs_dilate = [1], rhs_dilate = [1]} {batch_group_count = 1 : i64,
#            ^
#   <stdin>:3:3: note: called from
#     func.func @batch(%arg0: tensor<1x1x3xf32>) -> tensor<1x1x1xcomplex<f32>> {
#     ^
#     at /tmp/wfuzz/tests/fuzz/differential.py:57:68
import numerix as nx  # noqa: F401  (the program calls it)

# test_differential.py replays this program and expects this failure while the bug is open (None: fixed).
XFAIL = None  # fixed: the conv lowering cuts the input to what the strided windows reach
INPUTS = [
    ('x24', 'f32', (1, 1, 3), 300),
]


def program(x24):
    v26 = nx.conv(x24, nx.reshape(nx.arange(2, dtype=x24.dtype) * 0.25 - 0.5, (1, 1, 2)), strides=2, padding='valid')
    v27 = nx.astype(v26, 'c64')
    return (v27,)
