"""The default nx pipeline that defn runs before handing a module to its compiler, and the IR dumps that
`nx.defn(..., debug=True)` or NUMERIX_DUMP_IR=1 print to stderr after tracing and after each pass."""
import importlib
import os
import pkgutil
import sys

from . import complex_constant_barriers, cse, dce, fold, fuse, grad, verify  # noqa: F401  (register the passes)
from .registry import PASSES, run_passes

# Verify first; expand gradients before simplifying, so the reverse-mode code is simplified too; fold before CSE so
# the constants it makes are merged; DCE sweeps what both left unused; fusion groups what remains.
DEFAULT_PIPELINE = ("nx-verify", "nx-grad", "nx-fold", "nx-cse", "nx-dce", "nx-fuse")
# From nx to what IREE takes: each fusion into a linalg.generic, then everything else into StableHLO; then the
# guard against IREE 3.13's miscompile of complex constant expressions.
LOWERING_PASSES = ("nx-fusion-to-linalg", "nx-to-stablehlo", "iree-complex-constant-barriers")


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
