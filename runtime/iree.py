"""The "iree" compiler for defn, and `build`, the one path from a traced nx module to IREE's .vmfb that it and
nx-compile take: numerix's nx pipeline (passes/pipeline.py), the IREE policy (passes/iree_policy.py: iree-compile
flags, driver, data tiling), the lowering to StableHLO, iree-compile through the compile cache; defn's compiler then
loads the .vmfb into an `Executable`.

Options (`nx.defn(f, target=..., device=..., flags=[...])`): `target` is an IREE target backend (llvm-cpu, the
default; vmvx, cuda, rocm, vulkan-spirv, metal-spirv compile anywhere, and run where their driver has a device);
`device` the device that runs it, "driver" or "driver:index" ("cuda:0", "local-task"; without a target it picks
the target, iree_policy.py's DEVICE_TARGETS); `driver` the driver alone (default: the target's; on CPU local-sync
or local-task by the size of the work, see iree_policy.py); `flags` extra iree-compile flags; `subnormals` "keep"
(the default, as NumPy) or "flush" (to zero, as IREE and XLA do: faster on subnormal data; see iree_policy.py);
and what the target compiles for (iree_policy.py's TARGET_OPTIONS: cuda_target="sm_80", rocm_target="gfx942",
vulkan_target="rdna3", cpu, cpu_features). The environment variables NUMERIX_TARGET and NUMERIX_DEVICE, read once
when numerix is imported, set the default target and device of every defn that names none."""
import json
import os
import re
from typing import NamedTuple

from iree.compiler import CompilerToolError, compile_str, ir
from iree.compiler.version import VERSION

from numerix.dialect import ir as nx_ir
from numerix.dialect.errors import NxTypeError, NxValueError
from numerix.passes import pipeline
from numerix.passes.to_stablehlo import tie_donated
from numerix.dialect import ops as nx_ops
from numerix.passes.iree_policy import (
    DATA_TILING, DEFAULT_DRIVERS, DEVICE_TARGETS, NO_CONST_EVAL, SUBNORMALS, TARGET_OPTIONS, choose_driver,
    contraction_flops, execution_flags, flags_for, has_branches, has_convolutions, needs_libm, parse_device, runs_on,
    target_option_flags,
)

from .cache import CompileCache, key, source_fingerprint
from .evaluator import Evaluator
from .iree_executable import Executable, device_runtime
from .tiered import TieredExecutable, runs_on_evaluator

CACHE = CompileCache()  # StableHLO text, target, flags -> .vmfb
PROGRAMS = CompileCache(kind="iree-programs")  # traced nx text, options -> {"driver", "module": CACHE's key}
OPTIONS = ("target", "device", "driver", "flags", "subnormals", *TARGET_OPTIONS)
# The global defaults, from the environment once: a defn's options must not change under its cached programs.
DEFAULTS = {option: os.environ[variable] for option, variable in (("target", "NUMERIX_TARGET"),
                                                                  ("device", "NUMERIX_DEVICE"))
            if os.environ.get(variable)}


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
    return lower_optimized(module, entry, target, flags, driver, artifact, host, subnormals).build()


class Lowering(NamedTuple):
    """A module lowered to StableHLO, with the flags and driver the policy chose: what iree-compile takes."""
    text: str
    target: str
    flags: list
    inputs: list
    outputs: list
    driver: str
    ties: tuple = ()  # (donated argument, result) pairs that write the result in place (to_stablehlo.tie_donated)

    @property
    def module_key(self):
        return module_key(self.text, self.target, self.flags)

    def build(self):
        return Build(compile_stablehlo(self.text, self.target, self.flags), self.module_key, self.inputs,
                     self.outputs, self.driver)


def lower_optimized(module, entry, target="llvm-cpu", flags=(), driver=None, artifact=False, host=True,
                    subnormals="keep", donated=()):
    """The Lowering of a module that has been through numerix's nx pipeline (rewritten in place); the `donated`
    arguments are tied to results that can be written into their buffers (to_stablehlo.tie_donated)."""
    with module.context:
        inputs, outputs = entry_signature(module, entry)
        flops = contraction_flops(module)
        if not artifact:
            driver = driver or choose_driver(target, inputs, outputs, flops)
        text = pipeline.lower(module)
        ties = tuple(tie_donated(module, entry, donated)) if donated else ()
        if ties:
            text = str(module)
    flags = flags_for(target, flops, host, needs_libm(text), subnormals, has_branches(text),
                      has_convolutions(text)) + execution_flags(driver) + list(flags)
    return Lowering(text, target, flags, inputs, outputs, driver, ties)


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
        if NO_CONST_EVAL not in flags and "jit_eval" in str(error) and _UNDEFINED.search(str(error)):
            return _compile(text, target, flags + [NO_CONST_EVAL])  # see iree_policy.NO_CONST_EVAL
        raise _explain(error, target, flags) from None


_UNDEFINED = re.compile(r"undefined symbol: (\w+)")
_UNKNOWN_TARGET = re.compile(r"Unknown \w+ target '([^']*)'|(?:missing GPU target)")
_TARGET_FLAGS = {TARGET_OPTIONS[name][0]: TARGET_OPTIONS[name][1] for name in
                 ("cuda_target", "rocm_target", "vulkan_target")}
_TARGET_EXAMPLES = {"cuda": "cuda_target='sm_80' (or sm_90, ampere, hopper, a100, h100)",
                    "rocm": "rocm_target='gfx942' (or gfx90a, mi300x, rdna3)",
                    "vulkan-spirv": "vulkan_target='rdna3' (or ampere, valhall4, sm_89, rtx4090)"}


def _explain(error, target, flags):
    text = str(error)
    missing = sorted(set(_UNDEFINED.findall(text)))
    if missing:
        return NxValueError(
            f"IREE's embedded {target} runtime has no {', '.join(missing)} (f64 math from libm): build for this "
            "machine instead (defn does; nx-compile --host), with a system linker ('ld', from binutils) on the PATH "
            "to link the host's libm",
            op="iree")
    unknown_target = _UNKNOWN_TARGET.search(text)
    if unknown_target:
        named = [f for f in flags if f.startswith(_TARGET_FLAGS.get(target, "--")) and "=" in f]
        value = named[-1].split("=", 1)[1] if named else unknown_target.group(1) or "?"
        return NxValueError(f"IREE does not know the {target} target {value!r}: name a GPU architecture, code name or "
                            f"product, e.g. {_TARGET_EXAMPLES.get(target, 'see iree-compile --help')}", op="iree")
    if "ROCM target not set" in text:
        return NxValueError("target rocm compiles for one GPU architecture, which must be named: "
                            "nx.defn(f, target='rocm', rocm_target='gfx942') (or mi300x, rdna3, ...), the flag "
                            "--iree-rocm-target=gfx942, or nx-compile --rocm-target=gfx942", op="iree")
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
        settings = checked_options(options)
        return _load(build_optimized(module, entry, settings.target, settings.flags, settings.driver,
                                     subnormals=settings.subnormals), entry, settings.index)

    tiers = True  # compile_traced takes tiered=True (runtime/tiered.py)

    def compile_traced(self, module, entry, options, debug=False, tiered=False):
        """An Executable of the function `entry` of a module as traced (rewritten in place). A program built from the
        same traced text before, with the same options, by the same numerix (source_fingerprint) and IREE, for this
        machine (the flags that depend on it, as a module that needs libm gets them), is loaded from PROGRAMS without
        running the passes, the lowering or iree-compile (the passes and the lowering were most of a disk-cache load
        in a new process; docs/iree.md). Which modules need libm is numerix's decision (its source is in the key).
        When debugging, the passes run whatever is cached, to show their IR. `tiered`: a program that must be
        compiled, and that the evaluator runs sooner than iree-compile would build it, is a TieredExecutable: the
        evaluator runs the calls until iree-compile, in the background, is done (runtime/tiered.py)."""
        settings = checked_options(options)
        target, flags, driver, subnormals = settings.target, settings.flags, settings.driver, settings.subnormals
        if pipeline.dumps_enabled(debug):
            return _load(build(module, entry, target, flags, driver, debug=debug, subnormals=subnormals), entry,
                         settings.index)
        with module.context:
            inputs, outputs = entry_signature(module, entry)
        text = module.operation.get_asm()
        program_key = _program_key(text, entry, settings)
        found = _cached_program(program_key)
        if found is not None:
            driver, vmfb, _ = found
            return _donating(Executable(vmfb, entry, inputs, outputs, driver, settings.index), module, entry, options)
        source = nx_ops.clone_module(module)  # the passes below rewrite `module`; a donating variant starts anew
        pipeline.optimize(module)
        interim = _interim(module, entry) if tiered else None  # decoded before the lowering rewrites the module
        lowering = lower_optimized(module, entry, target, flags, driver, subnormals=subnormals)

        def build_and_record():
            built = lowering.build()
            PROGRAMS.write(program_key, json.dumps({"driver": built.driver, "module": built.module_key}).encode())
            return built

        def load(built):
            return _donating(_load(built, entry, settings.index), source, entry, options)
        if interim is not None and not CACHE.holds(lowering.module_key):
            return TieredExecutable(interim, build_and_record, load, entry)
        return load(build_and_record())


class Settings(NamedTuple):
    """defn's options for the iree compiler, checked, with the global defaults (DEFAULTS) filled in."""
    options: dict  # as given, with the defaults: what keys a program
    target: str
    flags: list  # the target options' flags, then the user's own
    driver: str  # None: the policy's choice
    index: int  # of the device among the driver's
    subnormals: str


def checked_options(options, load=True):
    """The Settings of defn's (or nx.export's) options. A program that will be loaded here (`load`) needs its
    device present: that is checked now, before compiling, and the error names the drivers present."""
    unknown = sorted(set(options) - set(OPTIONS))
    if unknown:
        raise NxValueError(f"unknown options {unknown}; the iree compiler takes {', '.join(OPTIONS)}", op="iree")
    if "device" in options and "driver" in options:
        raise NxValueError(f"device={options['device']!r} and driver={options['driver']!r}: a device names its "
                           "driver, give one of them", op="iree")
    options = _with_defaults(options)
    driver, index = parse_device(options["device"]) if "device" in options else (options.get("driver"), 0)
    if driver is not None and driver not in DEVICE_TARGETS:
        raise NxValueError(f"unknown driver {driver!r}; drivers: {', '.join(DEVICE_TARGETS)}", op="iree")
    target = options.get("target") or (DEVICE_TARGETS[driver] if driver else "llvm-cpu")
    if driver is not None and not runs_on(target, driver):
        raise NxValueError(f"driver {driver!r} does not run target {target} modules (it runs "
                           f"{DEVICE_TARGETS[driver]}'s)", op="iree")
    subnormals = options.get("subnormals", "keep")
    if subnormals not in SUBNORMALS:
        raise NxValueError(f"subnormals={subnormals!r}: expected one of {', '.join(map(repr, SUBNORMALS))}", op="iree")
    if load:
        device_runtime(driver or DEFAULT_DRIVERS[target] or "local-sync", index)
    flags = target_option_flags(target, options) + list(options.get("flags", ()))
    return Settings(options, target, flags, driver, index, subnormals)


def _with_defaults(options):
    """`options` with the global default target and device (DEFAULTS) where it names none; the default device only
    where it runs the target."""
    target = options.get("target", DEFAULTS.get("target"))
    if target is not None and target not in DEFAULT_DRIVERS:
        origin = "" if "target" in options else " (NUMERIX_TARGET)"
        raise NxValueError(f"unknown target {target!r}{origin}; targets: {', '.join(DEFAULT_DRIVERS)}", op="iree")
    filled = dict(options)
    if "target" in DEFAULTS and "target" not in options:
        filled["target"] = target
    if "device" in DEFAULTS and "device" not in options and "driver" not in options:
        driver, _ = parse_device(DEFAULTS["device"])
        if target is None or runs_on(target, driver):
            filled["device"] = DEFAULTS["device"]
    return filled


def _load(built, entry, index=0):
    return Executable(built.vmfb, entry, built.inputs, built.outputs, built.driver, index)


def _interim(module, entry):
    """The evaluator's executable of a module after numerix's passes, where the evaluator runs a call sooner than
    iree-compile builds the program (runtime/tiered.py); else None, as where it cannot run one of its ops."""
    if not runs_on_evaluator(module, entry):
        return None
    try:
        return Evaluator().compile(module, entry, {})
    except (NxValueError, NxTypeError):  # an op without a NumPy rule
        return None


def _cached_program(program_key):
    """(driver, .vmfb bytes, ties) of a program in PROGRAMS whose module is still in CACHE, else None."""
    record = PROGRAMS.read(program_key)
    if record is None:
        return None
    record = json.loads(record)
    vmfb = CACHE.read(record["module"])
    return None if vmfb is None else (record["driver"], vmfb, [tuple(t) for t in record.get("ties", ())])


def _program_key(text, entry, settings, donated=()):
    """PROGRAMS' key of traced nx `text` built with `settings`, with its `donated` arguments tied where they can be.
    """
    donation = ("donated", *map(str, donated)) if donated else ()
    return key(text, entry, settings.target, repr(sorted(settings.options.items())),
               *flags_for(settings.target, flops=0), source_fingerprint(), VERSION, *donation)


def _donating(executable, module, entry, options):
    """`executable`, with `in_place` to build its variants that write results into donated arguments' buffers."""
    executable.in_place = InPlaceVariants(module, entry, options)
    return executable


class InPlaceVariants:
    """The programs of one traced module that write results into the buffers of donated arguments (nx.donatable),
    one per set of donated arguments, compiled on first use and cached as every program is. `variant(donated)` is
    (Executable, ties): ties are the (argument, result) pairs whose result is written into the argument's buffer,
    passed to it as storage after the arguments (Executable.call_views); None where no result can be."""

    def __init__(self, module, entry, options):
        self._text = module.operation.get_asm()
        self._module, self._entry, self._options = module, entry, options
        self._variants = {}

    def variant(self, donated):
        donated = tuple(donated)
        if donated not in self._variants:
            self._variants[donated] = self._build(donated)
        return self._variants[donated]

    def _build(self, donated):
        settings = checked_options(self._options)
        entry = self._entry
        program_key = _program_key(self._text, entry, settings, donated)
        with self._module.context:
            inputs, outputs = entry_signature(self._module, entry)
        found = _cached_program(program_key)
        if found is None:
            module = nx_ops.clone_module(self._module)
            pipeline.optimize(module)
            lowering = lower_optimized(module, entry, settings.target, settings.flags, settings.driver,
                                       subnormals=settings.subnormals, donated=donated)
            built = lowering.build()
            PROGRAMS.write(program_key, json.dumps({"driver": built.driver, "module": built.module_key,
                                                    "ties": lowering.ties}).encode())
            found = (built.driver, built.vmfb, list(lowering.ties))
        driver, vmfb, ties = found
        if not ties:
            return None
        return Executable(vmfb, entry, inputs, outputs, driver, settings.index), ties
