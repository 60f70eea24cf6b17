"""The "iree" compiler for defn: lowers the nx module (pipeline.LOWERING_PASSES: each fusion to a linalg.generic,
the rest to StableHLO), compiles it with IREE (through the compile cache) and loads it into an `Executable`.

Options (`nx.defn(f, target=..., driver=..., flags=[...])`): `target` is an IREE target backend (llvm-cpu, the
default; vmvx, cuda, rocm, vulkan-spirv, metal-spirv compile anywhere, and run where their driver has a device);
`driver` an IREE runtime driver (default: the target's; on CPU local-sync or local-task by the size of the work,
see passes/iree_policy.py); `flags` extra iree-compile flags. The flags always given, the driver and data tiling
are the IREE policy's (passes/iree_policy.py)."""
import json
import re

from iree.compiler import CompilerToolError, compile_str, ir
from iree.compiler.version import VERSION

from numerix.dialect import ir as nx_ir
from numerix.dialect.errors import NxValueError
from numerix.passes.iree_policy import (
    DATA_TILING, DEFAULT_DRIVERS, choose_driver, contraction_flops, execution_flags, flags_for,
)
from numerix.passes.pipeline import LOWERING_PASSES
from numerix.passes.registry import run_passes

from .cache import CompileCache, key, source_fingerprint
from .iree_executable import Executable

CACHE = CompileCache()  # StableHLO text, target, flags -> .vmfb
PROGRAMS = CompileCache(kind="iree-programs")  # traced nx text, options -> {"driver", "module": CACHE's key}
OPTIONS = ("target", "driver", "flags")


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
        if DATA_TILING in flags:
            # IREE 3.13's data tiling fails to materialise some contractions (f64 and complex factorizations, c64
            # dot_general): it is only a speed-up, so such a module compiles without it.
            return _compile(text, target, [f for f in flags if f != DATA_TILING])
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
