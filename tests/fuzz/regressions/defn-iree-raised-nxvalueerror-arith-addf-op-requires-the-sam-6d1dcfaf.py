# Found by the differential fuzzer (python -m tests.fuzz.long, seed 1111): defn iree raised NxValueError: 'arith.addf' op requires the same type for all operands and results.
#
# Failure:
#   File "/tmp/wfuzz6pkg/numerix/runtime/iree.py", line 89, in build
#       return Build(compile_stablehlo(self.text, self.target, self.flags), self.module_key, self.inputs,
#                    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
#     File "/tmp/wfuzz6pkg/numerix/runtime/iree.py", line 118, in compile_stablehlo
#       return CACHE.get(module_key(text, target, flags), lambda: _compile(text, target, flags))
#              ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
#     File "/tmp/wfuzz6pkg/numerix/runtime/cache.py", line 76, in get
#       found = compile()
#               ^^^^^^^^^
#     File "/tmp/wfuzz6pkg/numerix/runtime/iree.py", line 118, in <lambda>
#       return CACHE.get(module_key(text, target, flags), lambda: _compile(text, target, flags))
#                                                                 ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
#     File "/tmp/wfuzz6pkg/numerix/runtime/iree.py", line 129, in _compile
#       raise _explain(error, target, flags) from None
#   numerix.dialect.errors.NxValueError: iree: iree-compile failed for target llvm-cpu (flags --iree-input-demote-f64-to-f32=false --iree-global-opt-enable-warn-on-uninitialized-values=false --iree-ll
#   Error invoking IREE compiler tool iree-compile
#   Error code: 1
#   Diagnostics:
#   <stdin>:19:10: error: 'arith.addf' op requires the same type for all operands and results
#       %4 = stablehlo.convolution(%2, %3) dim_numbers = [b, f, 0, 1]x[o, i, 0, 1]->[b, f, 0, 1], window = {stride = [1, 1], pad = [[0, 0], [0, 0]], lhs_dilate = [1, 1], rhs_dilate = [1, 1]} {batch_gr
#            ^
#   <stdin>:6:3: note: called from
#     func.func @batch_and_mapped(%arg0: tensor<4x1x1xf16>, %arg1: tensor<2x4x1x1xf16>) -> (tensor<3x1x3x2xf16>, tensor<2x3x1x3x2xf16>) {
#     ^
#     at /tmp/wfuzz6/tests/fuzz/differential.py:66:68
import numerix as nx  # noqa: F401  (the program calls it)

# test_differential.py replays this program and expects this failure while the bug is open (None: fixed).
XFAIL = None
INPUTS = [
    ('x36', 'f16', (4, 1, 1), 182),
]


def program(x36):
    v38 = nx.broadcast_to(x36, (3, 4, 3, 3))
    v39 = nx.reciprocal(v38)
    v40 = nx.conv(v39, nx.reshape(nx.arange(8, dtype=v39.dtype) * 0.25 - 0.5, (1, 4, 1, 2)), strides=1, padding='valid')
    return (v40,)
