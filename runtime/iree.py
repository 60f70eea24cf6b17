"""The "iree" compiler for defn: lowers the nx module (pipeline.LOWERING_PASSES: each fusion to a linalg.generic,
the rest to StableHLO), compiles it with IREE (through the compile cache) and loads it into an `Executable`.

Options (`nx.defn(f, target=..., driver=..., flags=[...])`): `target` is an IREE target backend (llvm-cpu, the
default; vmvx, cuda, rocm, vulkan-spirv, metal-spirv compile anywhere, and run where their driver has a device);
`driver` an IREE runtime driver (default: the target's; on CPU local-sync or local-task by the size of the work,
see iree_executable.py); `flags` extra iree-compile flags.

Flags always given: f64 stays f64 (IREE demotes it to f32 unless told not to). For llvm-cpu the code is built for
this machine's CPU and, where a system linker exists, linked by it against the system's libm: f64 sin, cos, tan,
tanh, atan2, fmod, pow, log and the like have no implementation in IREE's embedded runtime, and libm's are within
a few ULP of NumPy. Such a module is specific to this machine, which is what an in-process compile wants;
`flags_for(target, flops, host=False)` are for artifacts that run elsewhere (nx-compile's default)."""
import json
import math
import re
import shutil

from iree.compiler import CompilerToolError, compile_str, ir
from iree.compiler.version import VERSION

from numerix.dialect import ir as nx_ir
from numerix.dialect import ops as nx_ops
from numerix.dialect.errors import NxValueError
from numerix.passes.lower_linalg import dot_flops
from numerix.passes.pipeline import LOWERING_PASSES
from numerix.passes.registry import run_passes

from .cache import CompileCache, key, source_fingerprint
from .iree_executable import DEFAULT_DRIVERS, Executable, choose_driver, execution_flags

CACHE = CompileCache()  # StableHLO text, target, flags -> .vmfb
PROGRAMS = CompileCache(kind="iree-programs")  # traced nx text, options -> {"driver", "module": CACHE's key}
OPTIONS = ("target", "driver", "flags")
_KEEP_F64 = "--iree-input-demote-f64-to-f32=false"


_DATA_TILING = "--iree-opt-data-tiling"
# Data tiling (contractions on packed operands, IREE's mmt4d) pays on large contractions and costs on small ones, and
# it adds compile time for each contraction it packs (benchmarks/experiments/data_tiling.py; the measurements are in
# docs/iree.md). passes/lower_linalg.py marks the large contractions, so that the small ones beside them are not
# packed.
DATA_TILING_FLOPS = 1 << 28  # 2 * 512^3
_REASSOCIATE = "--iree-llvmcpu-reassociate-fp-reductions"


def flags_for(target, flops, host=True):
    """iree-compile flags for a module whose contractions and factorizations take `flops` (contraction_flops): for
    running on this machine (its CPU, its libm), or for any machine of the target's kind (IREE's embedded linking and
    a generic CPU; f64 functions that need libm then fail, saying so)."""
    flags = [_KEEP_F64]
    if target == "llvm-cpu":
        flags.append(f"--iree-llvmcpu-target-cpu={'host' if host else 'generic'}")
        if host and shutil.which("ld"):
            flags.append("--iree-llvmcpu-link-embedded=false")
        # Floating-point reductions may sum in vector lanes, as NumPy's pairwise sums do: faster (softmax's row sums;
        # docs/iree.md), and no further from NumPy than in order.
        flags.append(_REASSOCIATE)
        if flops >= DATA_TILING_FLOPS:
            flags.append(_DATA_TILING)
    return flags


def stablehlo_text(module):
    """Lowers an nx module in place and returns its StableHLO text."""
    run_passes(module, LOWERING_PASSES)
    return str(module)


def module_key(text, target, flags):
    return key(text, target, *flags, VERSION)


def compile_stablehlo(text, target="llvm-cpu", flags=(), cache=CACHE):
    """The .vmfb bytes of a StableHLO module, from the cache when it holds them."""
    flags = list(flags)
    return cache.get(module_key(text, target, flags), lambda: _compile(text, target, flags))


def _compile(text, target, flags):
    try:
        return compile_str(text, target_backends=[target], input_type="stablehlo", extra_args=flags)
    except CompilerToolError as error:
        if _DATA_TILING in flags:
            # IREE 3.13's data tiling fails to materialise some contractions (f64 and complex factorizations, c64
            # dot_general): it is only a speed-up, so such a module compiles without it.
            return _compile(text, target, [f for f in flags if f != _DATA_TILING])
        raise _explain(error, target, flags) from None


_UNDEFINED = re.compile(r"undefined symbol: (\w+)")


def _explain(error, target, flags):
    text = str(error)
    missing = sorted(set(_UNDEFINED.findall(text)))
    if missing:
        return NxValueError(
            f"IREE's embedded {target} runtime has no {', '.join(missing)} (f64 math from libm): build for this "
            "machine instead (defn does; nx-compile --host), with a system linker ('ld', from binutils) on the PATH "
            "to link the host's libm",
            op="iree")
    if "ROCM target not set" in text:
        return NxValueError("target rocm compiles for one GPU architecture, which must be named: add the flag "
                            "--iree-rocm-target=gfx942 (or mi300x, rdna3, ...): nx.defn(f, target='rocm', "
                            "flags=[...]), or nx-compile --flag=...", op="iree")
    diagnostics = text.split("Invoked with:")[0].strip()
    return NxValueError(f"iree-compile failed for target {target} (flags {' '.join(flags)}):\n{diagnostics}",
                        op="iree")


def entry_signature(module, entry):
    """The nx TensorTypes of the arguments and results of the public function `entry`."""
    for op in module.body.operations:
        if op.operation.name == "func.func" and ir.StringAttr(op.attributes["sym_name"]).value == entry:
            function_type = ir.FunctionType(ir.TypeAttr(op.attributes["function_type"]).value)
            return ([nx_ir.to_tensor_type(t) for t in function_type.inputs],
                    [nx_ir.to_tensor_type(t) for t in function_type.results])
    raise NxValueError(f"the module has no function @{entry}", op="iree")


_CUBIC = ("nx.cholesky", "nx.eigh", "nx.qr", "nx.svd", "nx.solve", "nx.det", "nx.slogdet")


def contraction_flops(module):
    """About how many flops the module's contractions and matrix factorizations take: with the bytes it moves,
    what picks the CPU driver (choose_driver)."""
    flops = 0
    for op in nx_ops.all_ops(module):
        if op.name == "nx.dot":
            flops += dot_flops(ir.RankedTensorType(op.operands[0].type).shape,
                               nx_ir.value("ints", op.attributes["contract_axes_a"]),
                               ir.RankedTensorType(op.results[0].type).shape)
        elif op.name in _CUBIC:
            shape = ir.RankedTensorType(op.operands[0].type).shape
            flops += math.prod(shape[:-2]) * max(shape[-2:]) ** 3
    return flops


class IreeCompiler:
    name = "iree"

    def compile(self, module, entry, options, optimize=None):
        """`optimize`, when given, runs the nx pipeline on `module` in place (defn hands over the module as traced):
        a program compiled from the same traced text before, by the same numerix (source_fingerprint) and IREE, is
        then loaded from PROGRAMS without running the passes, the lowering or iree-compile (the passes and the
        lowering were most of a disk-cache load in a new process; docs/iree.md)."""
        unknown = sorted(set(options) - set(OPTIONS))
        if unknown:
            raise NxValueError(f"unknown options {unknown}; the iree compiler takes {', '.join(OPTIONS)}", op="iree")
        target = options.get("target", "llvm-cpu")
        if target not in DEFAULT_DRIVERS:
            raise NxValueError(f"unknown target {target!r}; targets: {', '.join(DEFAULT_DRIVERS)}", op="iree")
        with module.context:
            inputs, outputs = entry_signature(module, entry)
            if optimize is not None:
                program_key = key(module.operation.get_asm(), entry, target, repr(sorted(options.items())),
                                  source_fingerprint(), VERSION)
                found = _cached_program(program_key)
                if found is not None:
                    driver, vmfb = found
                    return Executable(vmfb, entry, inputs, outputs, driver)
                optimize()
            flops = contraction_flops(module)
            driver = options.get("driver") or choose_driver(target, inputs, outputs, flops)
            text = stablehlo_text(module)
        flags = flags_for(target, flops) + execution_flags(driver) + list(options.get("flags", ()))
        vmfb = compile_stablehlo(text, target, flags)
        if optimize is not None:
            record = {"driver": driver, "module": module_key(text, target, flags)}
            PROGRAMS.write(program_key, json.dumps(record).encode())
        return Executable(vmfb, entry, inputs, outputs, driver)


def _cached_program(program_key):
    """(driver, .vmfb bytes) of a program in PROGRAMS whose module is still in CACHE, else None."""
    record = PROGRAMS.read(program_key)
    if record is None:
        return None
    record = json.loads(record)
    vmfb = CACHE.read(record["module"])
    return None if vmfb is None else (record["driver"], vmfb)
