# Found by the differential fuzzer (python -m tests.fuzz.long, seed 101): defn iree raised NxValueError: circular dependency: input operation uses partition output _ = "stream.async.dispatch"(_, _, _, _, _.
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
#   <stdin>:7:3: error: circular dependency: input operation uses partition output %15 = "stream.async.dispatch"(%9, %8, %3, %2, %0, %0, %3, %2, %3, %2, %3) <{affinity = #hal.device.affinity<@__device
#     func.func @batch(%arg0: tensor<f32>, %arg1: tensor<1xi1>, %arg2: tensor<1x1xf32>) -> (tensor<i1>, tensor<1x1xi1>, tensor<1x1xf32>) {
#     ^
#     at /tmp/wfuzz/tests/fuzz/differential.py:57:68
import numerix as nx  # noqa: F401  (the program calls it)

# test_differential.py replays this program and expects this failure while the bug is open (None: fixed).
XFAIL = None  # fixed: iree-while-result-barriers (passes/while_result_barriers.py) bars the loop's results
INPUTS = [
    ('x0', 'f32', (), 259),
    ('x21', 'bool', (1,), 260),
    ('x23', 'f32', (1, 1), 476),
]


def program(x0, x21, x23):
    v1 = nx.cond(nx.all(nx.greater(x0, 0)), lambda v: nx.sin(v), lambda v: nx.cos(v), x0)
    v2 = nx.equal(v1, 0.5)
    v24 = nx.select(x21, x23, x21)
    v25 = nx.argmin(v24, axis=1, keepdims=True)
    v26 = nx.less_equal(v24, 2.0)
    v27 = nx.fori_loop(0, 3, lambda i, v: v * 0.5 + nx.sin(v) * 0.25, v24)
    v28 = nx.outer(v25, v27)
    v29 = nx.cond(nx.all(nx.greater(v28, -1)), lambda v: nx.sin(v), lambda v: nx.cos(v), v28)
    return (v2, v26, v29,)
