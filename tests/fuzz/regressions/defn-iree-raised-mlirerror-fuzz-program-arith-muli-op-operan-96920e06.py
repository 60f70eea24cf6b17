# Found by the differential fuzzer (python -m tests.fuzz.long, seed 3): defn iree raised MLIRError: "<fuzz program>":_:_: 'arith.muli' op operand #_ must be signless-non-zero-bitwidth-integer-like, bu.
#
# Failure:
#   File "/work/main/runtime/iree.py", line 61, in build_optimized
#       text = pipeline.lower(module)
#              ^^^^^^^^^^^^^^^^^^^^^^
#     File "/work/main/passes/pipeline.py", line 54, in lower
#       return str(run_passes(module, LOWERING_PASSES))
#                  ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
#     File "/work/main/passes/registry.py", line 30, in run_passes
#       PASSES[name](module)
#     File "/work/main/passes/registry.py", line 20, in run
#       return fn(module)
#              ^^^^^^^^^^
#     File "/work/main/passes/to_stablehlo.py", line 100, in to_stablehlo
#       passmanager.PassManager.parse("builtin.module(cse)").run(module.operation)
#   iree.compiler._mlir_libs._mlir.ir.MLIRError: Failure while executing pass pipeline:
#   error: "<fuzz program>":3:10: 'arith.muli' op operand #0 must be signless-non-zero-bitwidth-integer-like, but got 'complex<f32>'
#    note: "<fuzz program>":3:10: see current operation: %35 = "arith.muli"(%arg2, %34) <{overflowFlags = #arith.overflow<none>}> : (complex<f32>, complex<f32>) -> complex<f32>
import numerix as nx  # noqa: F401  (the program calls it)

# test_differential.py replays this program and expects this failure while the bug is open (None: fixed).
XFAIL = None  # fixed
INPUTS = [
    ('x2', 'c64', (), 0),
]


def program(x2):
    v4 = nx.exp(x2)
    v5 = nx.prod(v4)
    return (v5,)
