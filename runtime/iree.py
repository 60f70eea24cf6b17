"""The "iree" compiler for defn, and `build`, the one path from a traced nx module to IREE's .vmfb that it and
nx-compile take: numerix's nx pipeline (passes/pipeline.py), the IREE policy (passes/iree_policy.py: iree-compile
flags, driver, data tiling), the lowering to StableHLO, iree-compile through the compile cache; defn's compiler then
loads the .vmfb into an `Executable`.

Options (`nx.defn(f, target=..., driver=..., flags=[...])`): `target` is an IREE target backend (llvm-cpu, the
default; vmvx, cuda, rocm, vulkan-spirv, metal-spirv compile anywhere, and run where their driver has a device);
`driver` an IREE runtime driver (default: the target's; on CPU local-sync or local-task by the size of the work,
see iree_policy.py); `flags` extra iree-compile flags; `subnormals` "keep" (the default, as NumPy) or "flush" (to
zero, as IREE and XLA do: faster on subnormal data; see iree_policy.py)."""
import json
import re
from typing import NamedTuple

from iree.compiler import CompilerToolError, compile_str, ir
from iree.compiler.version import VERSION

from numerix.dialect import ir as nx_ir
from numerix.dialect.errors import NxValueError
from numerix.passes import pipeline
from numerix.passes.iree_policy import (
    DATA_TILING, DEFAULT_DRIVERS, SUBNORMALS, choose_driver, contraction_flops, execution_flags, flags_for,
    has_branches, has_convolutions, needs_libm,
)

from .cache import CompileCache, key, source_fingerprint
from .iree_executable import Executable

CACHE = CompileCache()  # StableHLO text, target, flags -> .vmfb
PROGRAMS = CompileCache(kind="iree-programs")  # traced nx text, options -> {"driver", "module": CACHE's key}
OPTIONS = ("target", "driver", "flags", "subnormals")


class Build(NamedTuple):
    """A module as iree-compile made it, and what loading it takes."""
    vmfb: bytes
    module_key: str  # CACHE's key of the .vmfb
    inputs: list  # the nx TensorTypes of the entry function's arguments
    outputs: list  # and of its results
    driver: str  # the driver it is built for; None for an artifact


def build(module, entry, target="llvm-cpu", flags=(), driver=None, artifact=False, host=True, debug=False,
          subnormals="keep"):
    """The .vmfb of a module as traced (rewritten in place): defn's path (IreeCompiler loads it) and nx-compile's
    (it writes it). `flags` are extra iree-compile flags. Built for numerix to load here, on `driver` (None: the
    policy's choice), or as an `artifact` that other tools run: no driver is picked and it keeps IREE's synchronous
    calling convention. `host=False` builds for any machine of the target's kind instead of this one (its CPU, its
    libm). CPU code keeps or flushes `subnormals`."""
    pipeline.optimize(module, debug=debug)
    return build_optimized(module, entry, target, flags, driver, artifact, host, subnormals)


def build_optimized(module, entry, target="llvm-cpu", flags=(), driver=None, artifact=False, host=True,
                    subnormals="keep"):
    """`build` for a module that has been through numerix's nx pipeline."""
    with module.context:
        inputs, outputs = entry_signature(module, entry)
        flops = contraction_flops(module)
        if not artifact:
            driver = driver or choose_driver(target, inputs, outputs, flops)
        text = pipeline.lower(module)
    flags = flags_for(target, flops, host, needs_libm(text), subnormals, has_branches(text),
                      has_convolutions(text)) + execution_flags(driver) + list(flags)
    return Build(compile_stablehlo(text, target, flags), module_key(text, target, flags), inputs, outputs, driver)


def module_key(text, target, flags):
    return key(text, target, *flags, VERSION)


def compile_stablehlo(text, target="llvm-cpu", flags=()):
    """The .vmfb bytes of a StableHLO module, from the cache when it holds them."""
    flags = list(flags)
    return CACHE.get(module_key(text, target, flags), lambda: _compile(text, target, flags))


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

    def compile(self, module, entry, options):
        """An Executable of the function `entry` of an nx module that has been through numerix's pipeline."""
        target, flags, driver, subnormals = _checked(options)
        return _load(build_optimized(module, entry, target, flags, driver, subnormals=subnormals), entry)

    def compile_traced(self, module, entry, options, debug=False):
        """An Executable of the function `entry` of a module as traced (rewritten in place). A program built from the
        same traced text before, with the same options, by the same numerix (source_fingerprint) and IREE, for this
        machine (the flags that depend on it, as a module that needs libm gets them), is loaded from PROGRAMS without
        running the passes, the lowering or iree-compile (the passes and the lowering were most of a disk-cache load
        in a new process; docs/iree.md). Which modules need libm is numerix's decision (its source is in the key).
        When debugging, the passes run whatever is cached, to show their IR."""
        target, flags, driver, subnormals = _checked(options)
        if pipeline.dumps_enabled(debug):
            return _load(build(module, entry, target, flags, driver, debug=debug, subnormals=subnormals), entry)
        with module.context:
            inputs, outputs = entry_signature(module, entry)
        program_key = key(module.operation.get_asm(), entry, target, repr(sorted(options.items())),
                          *flags_for(target, flops=0), source_fingerprint(), VERSION)
        found = _cached_program(program_key)
        if found is not None:
            driver, vmfb = found
            return Executable(vmfb, entry, inputs, outputs, driver)
        built = build(module, entry, target, flags, driver, subnormals=subnormals)
        PROGRAMS.write(program_key, json.dumps({"driver": built.driver, "module": built.module_key}).encode())
        return _load(built, entry)


def _checked(options):
    """(target, flags, driver, subnormals) of defn's options, checked."""
    unknown = sorted(set(options) - set(OPTIONS))
    if unknown:
        raise NxValueError(f"unknown options {unknown}; the iree compiler takes {', '.join(OPTIONS)}", op="iree")
    target = options.get("target", "llvm-cpu")
    if target not in DEFAULT_DRIVERS:
        raise NxValueError(f"unknown target {target!r}; targets: {', '.join(DEFAULT_DRIVERS)}", op="iree")
    subnormals = options.get("subnormals", "keep")
    if subnormals not in SUBNORMALS:
        raise NxValueError(f"subnormals={subnormals!r}: expected one of {', '.join(map(repr, SUBNORMALS))}", op="iree")
    return target, list(options.get("flags", ())), options.get("driver"), subnormals


def _load(built, entry):
    return Executable(built.vmfb, entry, built.inputs, built.outputs, built.driver)


def _cached_program(program_key):
    """(driver, .vmfb bytes) of a program in PROGRAMS whose module is still in CACHE, else None."""
    record = PROGRAMS.read(program_key)
    if record is None:
        return None
    record = json.loads(record)
    vmfb = CACHE.read(record["module"])
    return None if vmfb is None else (record["driver"], vmfb)
