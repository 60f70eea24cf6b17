"""What numerix asks of IREE for a module, decided from its nx IR: the iree-compile flags, the runtime driver, the
FLOP counts both are decided by, and which contractions IREE packs (data tiling). Every such threshold is here,
beside the others, with its reason. The module sits in passes/, below runtime/, because nx-to-stablehlo reads one of
its decisions (which contractions dialect/contraction.py marks to pack); runtime/iree.py applies the rest.

Flags always given: f64 stays f64 (IREE demotes it to f32 unless told not to). For llvm-cpu the code is built for
this machine's CPU and, where a system linker exists and the module computes in f64 (needs_libm), linked by it
against the system's libm: f64 sin, cos, tan, tanh, atan2, fmod, pow, log and the like have no implementation in
IREE's embedded runtime, and libm's are within a few ULP of NumPy. Such a module is specific to this machine, which
is what an in-process compile wants; `flags_for(target, flops, host=False)` are for artifacts that run elsewhere
(nx-compile's default).

The CPU driver is chosen per function by the bytes it moves and the flops it takes: local-sync runs a call on the
calling thread (for small work, local-task's hand-off to its worker threads would cost more than the work),
local-task spreads large work over the cores, and is compiled for IREE's async-external model (runtime/
iree_executable.py says how it is called). The measurements behind each choice are in docs/iree.md."""
import functools
import math
import platform
import shutil
import warnings

from iree.compiler import ir

from numerix.dialect import ir as nx_ir
from numerix.dialect import ops as nx_ops
from numerix.dialect.contraction import dot_flops
from numerix.dialect.conv import conv_flops
from numerix.dialect.errors import NxValueError

# ---- the runtime driver ----

# target -> runtime driver; None: local-sync or local-task by the size of the work (choose_driver)
DEFAULT_DRIVERS = {"llvm-cpu": None, "vmvx": None, "cuda": "cuda", "rocm": "hip", "vulkan-spirv": "vulkan",
                   "metal-spirv": "metal"}
# Past either, local-task: the work is then long enough on one core that local-task's hand-off to its worker threads
# stops mattering and both cores pay (docs/iree.md).
LARGE_BYTES = 4 << 20  # arguments and results together
LARGE_FLOPS = 1 << 24  # of contractions and factorizations
_ASYNC_DRIVERS = ("local-task",)
ASYNC_FLAGS = ("--iree-execution-model=async-external",)


def choose_driver(target, inputs, outputs, flops):
    """The driver for a function of these argument and result TensorTypes whose contractions take `flops`."""
    driver = DEFAULT_DRIVERS[target]
    if driver is not None:
        return driver
    size = sum(math.prod(t.shape) * t.type.itemsize for t in list(inputs) + list(outputs))
    return "local-task" if size >= LARGE_BYTES or flops >= LARGE_FLOPS else "local-sync"


# A device is named by its driver and, after a colon, its index among the driver's devices: "cuda:0", "local-task".
# The driver alone is device 0. Each driver runs the modules of one target kind (the CPU drivers: llvm-cpu's and
# vmvx's), so a device named without a target picks its target.
DEVICE_TARGETS = {"local-sync": "llvm-cpu", "local-task": "llvm-cpu", "cuda": "cuda", "hip": "rocm",
                  "vulkan": "vulkan-spirv", "metal": "metal-spirv"}


def parse_device(device):
    """'cuda:1' -> ('cuda', 1); 'local-task' -> ('local-task', 0)."""
    driver, colon, index = str(device).partition(":")
    if driver not in DEVICE_TARGETS or (colon and not index.isdigit()):
        raise NxValueError(f"device {device!r}: expected a driver ({', '.join(DEVICE_TARGETS)}) and optionally "
                           "':' and a device index, e.g. 'cuda:0'", op="iree")
    return driver, int(index) if colon else 0


def runs_on(target, driver):
    """Whether `driver` runs modules built for `target`."""
    expected = DEFAULT_DRIVERS[target]
    return driver == expected if expected is not None else DEVICE_TARGETS[driver] == "llvm-cpu"


def execution_flags(driver):
    """The iree-compile flags of the execution model that calls on `driver` use; none for a module numerix does not
    load (driver None: other tools call it synchronously, IREE's default)."""
    return list(ASYNC_FLAGS) if driver in _ASYNC_DRIVERS else []


# ---- FLOP counts ----

_CUBIC = ("nx.cholesky", "nx.eigh", "nx.qr", "nx.svd", "nx.solve", "nx.det", "nx.slogdet")


def contraction_flops(module):
    """About how many flops the module's contractions, convolutions and matrix factorizations take: with the bytes
    it moves, what picks the CPU driver, and what turns data tiling on."""
    flops = 0
    for op in nx_ops.all_ops(module):
        if op.name == "nx.dot":
            flops += dot_flops(ir.RankedTensorType(op.operands[0].type).shape,
                               nx_ir.value("ints", op.attributes["contract_axes_a"]),
                               ir.RankedTensorType(op.results[0].type).shape)
        elif op.name == "nx.conv":
            flops += conv_flops(ir.RankedTensorType(op.operands[1].type).shape,
                                nx_ir.value("ints", op.attributes["kernel_permutation"]),
                                ir.RankedTensorType(op.results[0].type).shape)
        elif op.name in _CUBIC:
            shape = ir.RankedTensorType(op.operands[0].type).shape
            flops += math.prod(shape[:-2]) * max(shape[-2:]) ** 3
    return flops


# IREE 3.13 evaluates a module's constant expressions at compile time by compiling them into a module of its own
# (a "jit_eval" dispatch), always linked embedded: one that calls f64 libm functions (the constant atan of a complex
# number, computed in f64) fails to link there ("undefined symbol: atan2"), whatever the module's own linking. Such a
# module compiles without that evaluation: its constant expressions then run once, when the module is loaded (found
# by the differential fuzzer, seed 1313).
NO_CONST_EVAL = "--iree-opt-const-eval=false"


# ---- data tiling ----

DATA_TILING = "--iree-opt-data-tiling"
# Data tiling (contractions on packed operands, IREE's mmt4d) pays on large contractions and costs on small ones, and
# it adds compile time for each contraction it packs (benchmarks/experiments/data_tiling.py; docs/iree.md). So a
# module gets the flag only when its contractions reach DATA_TILING_FLOPS in all ...
DATA_TILING_FLOPS = 1 << 28  # 2 * 512^3
# ... and with it IREE packs every contraction, unless some are marked iree.opt.data_tiling: then only those. A real
# float contraction of DATA_TILING_HINT_FLOPS or more is lowered to a marked linalg.generic (dialect/contraction.py),
# so the small ones beside it (an MLP's 10-wide output layer and its gradients) stay unpacked: each packed contraction
# adds compile time, and a small one runs no faster packed. It is below DATA_TILING_FLOPS because the two answer
# different questions: that one whether a module gains from packing at all, this one which of its contractions to
# pack once it does (the MLP step's two of 2^27.6 flops each, which make it faster packed; docs/iree.md). Where data
# tiling is off, the mark does nothing: IREE compiles the generic as the matmul it is.
DATA_TILING_HINT_FLOPS = 1 << 26


# ---- iree-compile flags ----

KEEP_F64 = "--iree-input-demote-f64-to-f32=false"
# IREE warns, on stderr, that a generic "reads uninitialized values from an operand produced by a tensor.empty op"
# when a zero-size operand became an empty tensor: there is nothing to read, and the user's stderr is not IREE's.
QUIET = "--iree-global-opt-enable-warn-on-uninitialized-values=false"
# Floating-point reductions may sum in vector lanes, as NumPy's pairwise sums do: faster (softmax's row sums;
# docs/iree.md), and no further from NumPy than in order.
_REASSOCIATE = "--iree-llvmcpu-reassociate-fp-reductions"


# IREE's CPU runtime runs dispatches with subnormals flushed to zero: local-task's worker threads set the flush when
# they start, local-sync around each command buffer, and no compiler or runtime option turns it off. NumPy keeps
# subnormals (1e-40 * 2 is 2e-40, log(1e-40) is -92.1), so every dispatch function numerix builds for the CPU starts by
# clearing the flush bits of its thread's floating-point control register: once per workgroup, a few instructions.
# Flushing stays an option (subnormals="flush": the prologue sets the bits instead, so a worker thread that ran a
# keeping module flushes again): arithmetic on subnormals is slow in hardware (a chain over subnormal data ran 40x
# slower kept than flushed; BENCHMARKS.md), which is why IREE and XLA flush. iree-compile hands each hal.executable,
# before code generation, to a command that inserts the prologue first in each dispatch function: sed, a process of
# about a millisecond per executable (docs/iree.md). (LLVM's llvm.reset.fpenv would clear the bits too, but on x86
# it also reloads the x87 state with every register marked in use, and local-sync runs on the caller's thread:
# NumPy's long double math there then gave NaN.)
SUBNORMALS = ("keep", "flush")
_FLUSH_BITS = {
    # MXCSR's FTZ (bit 15) and DAZ (bit 6)
    "x86_64": ("%__nx_one = llvm.mlir.constant(1 : i32) : i32 "
               "%__nx_slot = llvm.alloca %__nx_one x i32 : (i32) -> !llvm.ptr "
               'llvm.call_intrinsic "llvm.x86.sse.stmxcsr"(%__nx_slot) : (!llvm.ptr) -> () '
               "%__nx_csr = llvm.load %__nx_slot : !llvm.ptr -> i32 "
               "%__nx_bits = llvm.mlir.constant({bits} : i32) : i32 "
               "%__nx_new = llvm.{op} %__nx_csr, %__nx_bits : i32 "
               "llvm.store %__nx_new, %__nx_slot : i32, !llvm.ptr "
               'llvm.call_intrinsic "llvm.x86.sse.ldmxcsr"(%__nx_slot) : (!llvm.ptr) -> ()', 0x8040),
    # FPCR's FZ (bit 24) and FZ16 (bit 19)
    "aarch64": ('%__nx_fpcr = llvm.call_intrinsic "llvm.aarch64.get.fpcr"() : () -> i64 '
                "%__nx_bits = llvm.mlir.constant({bits} : i64) : i64 "
                "%__nx_new = llvm.{op} %__nx_fpcr, %__nx_bits : i64 "
                'llvm.call_intrinsic "llvm.aarch64.set.fpcr"(%__nx_new) : (i64) -> ()', 0x1080000),
}
_ARCHITECTURES = {"x86_64": "x86_64", "amd64": "x86_64", "aarch64": "aarch64", "arm64": "aarch64"}


def subnormals_flag(subnormals="keep", machine=None):
    """The iree-compile flag that makes CPU dispatches keep (or flush) subnormals on this machine's architecture (or
    `machine`'s, as platform.machine() names it); None where IREE does not flush them (it sets the flush on x86 and
    AArch64 only), and where no sed is found (with a warning: then they flush)."""
    found = _FLUSH_BITS.get(_ARCHITECTURES.get((machine or platform.machine()).lower()))
    if found is None or not _has_sed():
        return None
    ops, bits = found
    mask = ~bits if subnormals == "keep" else bits  # (~bits: the register's signed integer, as MLIR spells it)
    ops = ops.format(op="and" if subnormals == "keep" else "or", bits=mask)
    return f"--iree-hal-preprocess-executables-with=sed -e 's/^ *func.func @[^ ]*() {{$/& {ops}/'"


def computes_in_f64(text):
    """Whether a lowered module (StableHLO text) computes in f64 (f64 or complex<f64>; a name that merely contains
    "f64" errs on the safe side)."""
    return "f64" in text


def needs_libm(text):
    """Whether a module, as lowered StableHLO text, may call libm: whether it computes in f64 (a false positive only
    costs the system linking below). Every other module links embedded: IREE's system-linked modules load several
    times slower (each is written to a temporary file and dlopen'ed; docs/iree.md) and its loader leaves a file behind
    (runtime/iree_executable.py); the same code runs either way."""
    return computes_in_f64(text)


# IREE 3.13 records a dispatch's buffers as indirect references into a binding table, and fails at run time on some
# modules with stablehlo.case regions ("indirect buffer reference slot 0 is out range of the declared binding
# capacity of the command buffer 0", in hal.command_buffer.copy_buffer; autograph's break under a traced if, unrolled
# before a loop). Direct bindings run them; only modules with a case get them (tests/frontend/test_autograph.py).
DIRECT_BINDINGS = "--iree-hal-indirect-command-buffers=false"


def has_branches(text):
    """Whether a lowered module (StableHLO text) holds a stablehlo.case (nx.switch's lowering)."""
    return "stablehlo.case" in text


def has_convolutions(text):
    """Whether a lowered module (StableHLO text) holds a stablehlo.convolution (nx.conv's lowering)."""
    return "stablehlo.convolution" in text


# IREE 3.13's CPU code for a convolution as it is (a generic over the window) ran a 3x3, 64-to-64-channel
# convolution of a (32, 64, 56, 56) batch 8x slower than as a matrix product over the unfolded windows (im2col):
# 3.9 s against 0.49 s (docs/iree.md).
IM2COL = "--iree-global-opt-use-im2col-for-convs"


def flags_for(target, flops, host=True, libm=True, subnormals="keep", branches=False, convolutions=False):
    """iree-compile flags for a module whose contractions, convolutions and factorizations take `flops`
    (contraction_flops) and that may call libm (needs_libm; True where it is not known): for running on this machine
    (its CPU, its libm), or for any machine of the target's kind (IREE's embedded linking and a generic CPU; f64
    functions that need libm then fail, saying so); CPU code keeps or flushes `subnormals` (SUBNORMALS); a module
    with `branches` (has_branches) gets direct buffer bindings, one with `convolutions` (has_convolutions) im2col."""
    flags = [KEEP_F64, QUIET] + ([DIRECT_BINDINGS] if branches else [])
    if target == "llvm-cpu":
        flags.append(f"--iree-llvmcpu-target-cpu={'host' if host else 'generic'}")
        if host and libm and shutil.which("ld"):
            flags.append("--iree-llvmcpu-link-embedded=false")
        flags.append(_REASSOCIATE)
        prologue = subnormals_flag(subnormals)
        if prologue:
            flags.append(prologue)
        if flops >= DATA_TILING_FLOPS:
            flags.append(DATA_TILING)
        if convolutions:
            flags.append(IM2COL)
    return flags


# What a target compiles for, as keywords of defn and nx.export (each the iree-compile flag it sets): a CUDA SM
# ("sm_80", or a name IREE knows: "ampere", "h100"), a ROCm chip ("gfx942", "mi300x"), a Vulkan target environment
# ("rdna3", "sm_89", "valhall4"), a CPU ("host", "generic", "znver4": instead of numerix's host or generic) and its
# features ("+avx2,+fma", on a named or the generic CPU). An option of another target than the one compiled for is
# an error, not ignored.
TARGET_OPTIONS = {
    "cpu": ("llvm-cpu", "--iree-llvmcpu-target-cpu"),
    "cpu_features": ("llvm-cpu", "--iree-llvmcpu-target-cpu-features"),
    "cuda_target": ("cuda", "--iree-cuda-target"),
    "rocm_target": ("rocm", "--iree-rocm-target"),
    "vulkan_target": ("vulkan-spirv", "--iree-vulkan-target"),
}


def target_option_flags(target, options):
    """The iree-compile flags of the TARGET_OPTIONS in `options` (a dict; other keys are not looked at), which come
    after flags_for's (the later of two flags wins)."""
    flags = []
    for name in sorted(set(options) & set(TARGET_OPTIONS)):
        owner, flag = TARGET_OPTIONS[name]
        if owner != target:
            raise NxValueError(f"{name}={options[name]!r} is an option of target {owner}; this compiles for {target}",
                               op="iree")
        flags.append(f"{flag}={options[name]}")
    # LLVM takes features on top of a named CPU only: with "host" (numerix's default CPU) IREE refuses them
    if "cpu_features" in options and options.get("cpu") == "host":
        raise NxValueError("cpu_features are added to a named CPU (or the generic one), not to cpu='host'; name the "
                           "CPU, or leave cpu out for a generic one", op="iree")
    if "cpu_features" in options and "cpu" not in options:
        flags.append(f"{TARGET_OPTIONS['cpu'][1]}=generic")
    return flags


@functools.cache
def _has_sed():
    """Whether sed is on the PATH (looked up once; where it is not, a warning, once)."""
    if shutil.which("sed"):
        return True
    warnings.warn("numerix: no 'sed' on the PATH, so compiled CPU code flushes subnormal floats to zero (IREE's "
                  "default; numerix resets it with sed's help, see docs/iree.md)", RuntimeWarning, stacklevel=2)
    return False
