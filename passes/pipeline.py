"""The pass lists, in order: the nx pipeline that every module goes through before a compiler gets it, and the
lowering to what IREE takes; and the IR dumps that `nx.defn(..., debug=True)` or NUMERIX_DUMP_IR=1 print to stderr
after tracing and after each pass."""
import importlib
import os
import pkgutil
import sys

from . import (  # noqa: F401  (they register the passes the lists name)
    batch, complex_constant_barriers, constant_gather_barriers, cse, dce, fold, fuse, fusion_to_linalg, grad,
    reduction_guards, strided_slice_barriers, sub_byte_storage, to_stablehlo, verify, while_result_barriers,
)
from .registry import PASSES, run_passes

# Expand vmaps and gradients before simplifying, so the code they write is simplified too (nx-grad also expands the
# vmaps nested with gradients, in nesting order); fold before CSE so the constants it makes are merged; DCE sweeps
# what both left unused; fusion groups what remains.
OPTIMIZING_PASSES = ("nx-batch", "nx-grad", "nx-fold", "nx-cse", "nx-dce", "nx-fuse")
# For a module from outside (text that nx-opt reads, or a test parses): verify first.
DEFAULT_PIPELINE = ("nx-verify", *OPTIMIZING_PASSES)
# From nx to what IREE takes: each fusion into a linalg.generic, then everything else into StableHLO; then the
# guards against IREE 3.13's miscompiles of complex constant expressions, of gathers at constant indices and of
# reductions whose body folds to the same value on every trip, and against its failures to build a strided slice
# reversed in the same dispatch and a loop whose initial value has another user after it; last, sub-byte integer
# tensors stored as bytes, which IREE would pack.
LOWERING_PASSES = ("nx-fusion-to-linalg", "nx-to-stablehlo", "iree-complex-constant-barriers",
                   "iree-constant-gather-barriers", "iree-invariant-reduction-guards", "iree-strided-slice-barriers",
                   "iree-while-result-barriers", "iree-sub-byte-storage")


def load_passes():
    """Imports every module of numerix.passes, so each registers its passes (nx-opt builds its flags from them)."""
    package = sys.modules[__package__]
    for info in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{__package__}.{info.name}")
    return PASSES


def dumps_enabled(debug=False):
    return debug or os.environ.get("NUMERIX_DUMP_IR", "") not in ("", "0")


def dump_ir(stage, module):
    """Prints the module after `stage` to stderr, headed the way mlir-opt's --mlir-print-ir-after-all heads it."""
    print(f"// -----// IR Dump After {stage} //----- //\n{module}", file=sys.stderr, flush=True)


def run_pipeline(module, names=DEFAULT_PIPELINE, debug=False):
    """Runs the passes in order on `module` (in place), dumping the IR after each when debugging."""
    return run_passes(module, names, dump=dump_ir if dumps_enabled(debug) else None)


def optimize(module, debug=False):
    """The nx pipeline on a module the tracer built (in place). It is not verified again: the tracer checked each
    op against its schema as it built it. When debugging, it is, so the dumps show the module nx-verify saw."""
    return run_pipeline(module, DEFAULT_PIPELINE if dumps_enabled(debug) else OPTIMIZING_PASSES, debug)


def lower(module):
    """Lowers an optimized nx module to what IREE takes (in place); returns its text."""
    return str(run_passes(module, LOWERING_PASSES))
