# Found by the differential fuzzer (python -m tests.fuzz.long, seed 102): defn iree raised NxValueError: circular dependency: input operation uses partition output _ = "stream.async.dispatch"(_, _, _, _, _.
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
#   numerix.dialect.errors.NxValueError: iree: iree-compile failed for target llvm-cpu (flags --iree-input-demote-f64-to-f32=false --iree-global-opt-enable-warn-on-uninitialized-values=false --iree-ha
#   Error invoking IREE compiler tool iree-compile
#   Error code: 1
#   Diagnostics:
#   <stdin>:5:3: error: circular dependency: input operation uses partition output %10 = "stream.async.dispatch"(%9, %1, %0, %1, %1, %1) <{affinity = #hal.device.affinity<@__device_0>, entry_points =
#     func.func @batch(%arg0: tensor<2x1x3xf64>) -> (tensor<2x1x3xf64>, tensor<3x2x1xf64>) {
#     ^
#     at /tmp/wfuzz/tests/fuzz/differential.py:57:68
import numerix as nx  # noqa: F401  (the program calls it)

# test_differential.py replays this program and expects this failure while the bug is open (None: fixed).
XFAIL = None  # fixed: iree-while-result-barriers (a loop's results reach later ops through a barrier)
INPUTS = [
    ('x13', 'f64', (2, 1, 3), 239),
]


def program(x13):
    v14 = nx.grad(lambda t: nx.sum(nx.atan(t)))(x13)
    v15 = nx.cond(nx.all(nx.greater(v14, -1)), lambda v: nx.tanh(v), lambda v: nx.negative(v), v14)
    v16 = nx.fori_loop(0, 3, lambda i, v: v * 0.5 + nx.sin(v) * 0.25, v14)
    v18 = nx.moveaxis(v16, 2, 0)
    return (v15, v18,)
