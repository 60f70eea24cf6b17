"""Running a compiled IREE module from Python on NumPy arrays, with a lean call path: the function is resolved
once, each argument is one buffer copy or none, and each result is read in place: a read-only array that keeps
IREE's buffer alive, so IREE cannot reuse it under the caller, and the device that the buffer goes back to.

On the CPU drivers a large argument (IMPORT_BYTES or more) that is C-contiguous, writeable and 64-byte aligned is
imported into IREE without a copy (the HalBuffer keeps the array alive). Only then: IREE's CPU code assumes 64-byte
alignment (a misaligned import crashed the process), the bindings refuse read-only arrays, and below IMPORT_BYTES
the alignment check and import cost more than the copy (docs/iree.md). A program may return an argument unchanged,
or a view of it; such a result would share the caller's memory, so it is copied.

The driver is picked per function by the IREE policy (passes/iree_policy.py). Devices use IREE's caching allocator:
without it every call page-faults its fresh buffers; freed buffers stay with the process for reuse. The measurements
behind these choices are in docs/iree.md.

Work for local-task is compiled for IREE's async-external model: the call only queues the work, and the caller
waits for a fence by sleeping, not in IREE's blocking wait. A synchronous call, or a blocking wait, leaves the
calling thread busy-waiting while IREE's workers need both cores of a small machine, and timings turn bimodal
(benchmarks/experiments/drivers.py; docs/iree.md).

A module linked by the system linker (passes/iree_policy.py) is loaded by IREE's system-library loader, which
reserves a temporary name with mkstemp and never closes that file nor removes it: each load would keep one open file
and leave an empty $TMPDIR/iree_dylib_XXXXXX, and a process ran out of descriptors after about 1,000 loads. Loading
closes and removes them (_release_dylib_placeholders)."""
import atexit
import collections
import math
import os
import re
import threading
import time
import weakref
from typing import NamedTuple

import iree.runtime as rt
from iree.runtime import _binding
import numpy as np

from numerix.dialect.errors import NxMemoryError, NxTypeError, NxValueError

from .hooks import hook_modules, raised as hooks_raised

IMPORT_BYTES = 64 << 10  # an argument this large is imported without a copy where it can be
_CPU_DRIVERS = ("local-sync", "local-task")
_HOST_MEMORY = int(rt.MemoryType.HOST_LOCAL | rt.MemoryType.DEVICE_VISIBLE)
_STAGING_MEMORY = int(rt.MemoryType.DEVICE_LOCAL | rt.MemoryType.HOST_VISIBLE)
_USAGE = int(rt.BufferUsage.DEFAULT)

_E = rt.HalElementType
_ELEMENT_TYPES = {"bool": _E.BOOL_8, "u8": _E.UINT_8, "u16": _E.UINT_16, "u32": _E.UINT_32, "u64": _E.UINT_64,
                  "s8": _E.SINT_8, "s16": _E.SINT_16, "s32": _E.SINT_32, "s64": _E.SINT_64, "f16": _E.FLOAT_16,
                  "bf16": _E.BFLOAT_16, "f32": _E.FLOAT_32, "f64": _E.FLOAT_64, "c64": _E.COMPLEX_64,
                  "c128": _E.COMPLEX_128, "f8": _E.FLOAT_8_E5M2, "f8_e4m3fn": _E.FLOAT_8_E4M3_FN,
                  # the sub-byte integers cross as bytes (passes/sub_byte_storage.py)
                  "s2": _E.SINT_8, "s4": _E.SINT_8, "u2": _E.UINT_8, "u4": _E.UINT_8}
# bf16, the 8-bit floats and the sub-byte integers travel as integers of their storage's width: the bindings cannot
# read ml_dtypes' buffer format. (ml_dtypes keeps a sub-byte value in the low bits of its byte, the form the compiled
# function takes and gives.)
_RAW = {"bf16": np.dtype(np.uint16), "f8": np.dtype(np.uint8), "f8_e4m3fn": np.dtype(np.uint8),
        "s2": np.dtype(np.int8), "s4": np.dtype(np.int8), "u2": np.dtype(np.uint8), "u4": np.dtype(np.uint8)}
_BufferView = rt.HalBufferView
_NO_WAIT = rt.HalFence(0)  # an empty fence: the work waits for nothing


class _Runtime(NamedTuple):
    instance: object
    device: object
    hal: object


_RUNTIMES = {}
_INSTANCE = []
# A process forked from one that ran IREE has none of its worker threads: the parent's devices would wait on them
# forever. In the child the runtimes are made anew and each executable loads its module again at its next call (its
# generation is older); the parent's IREE objects are kept, never destroyed, as their destructors would wait too.
_GENERATION = [0]
_ABANDONED = []


def _forget_runtimes_in_child():
    _ABANDONED.append((dict(_RUNTIMES), list(_INSTANCE)))
    _RUNTIMES.clear()
    _INSTANCE.clear()
    _GENERATION[0] += 1


os.register_at_fork(after_in_child=_forget_runtimes_in_child)

# IREE's Python objects do not keep alive what their C objects use (a result list its buffers' device), and the
# interpreter's last garbage collection frees objects in no order: a process that had made small calls segfaulted at
# exit, jumping to address 0 inside IREE's _runtime.so while it freed a _Staging's attributes, in one order of
# them and not the other. So at exit numerix drops its IREE objects itself, each executable's before the runtimes.
# A result still alive keeps its own device (_DeviceMemory).
_LIVE = weakref.WeakSet()  # every Executable of this process


def _release_at_exit():
    for executable in list(_LIVE):
        executable.release()
    _RUNTIMES.clear()
    _INSTANCE.clear()


atexit.register(_release_at_exit)


def _new_driver(name):
    """A HAL driver made for this process: iree.runtime.get_driver keeps one per name for good, and in a forked child
    that one's worker threads stayed in the parent (create_hal_driver is what get_driver calls, uncached)."""
    return _binding.create_hal_driver(name)


def device_runtime(driver, index=0):
    """The runtime of device `index` of `driver` (passes/iree_policy.py's parse_device), made on first use."""
    found = _RUNTIMES.get((driver, index))
    if found is None:
        if not _INSTANCE:
            _INSTANCE.append(rt.VmInstance())
        try:
            hal_driver = _new_driver(driver)
            devices = hal_driver.query_available_devices()
        except (RuntimeError, ValueError) as error:  # the driver's library (libcuda, the Vulkan loader) is absent
            reason = str(error).split("; ", 1)[-1].splitlines()[0].rstrip(": ")
            raise NxValueError(f"IREE driver {driver!r} cannot run here ({reason}); drivers present: "
                               f"{', '.join(present_drivers())}", op="iree") from None
        if index >= len(devices):
            raise NxValueError(f"device {driver}:{index} does not exist: driver {driver!r} has {len(devices)} "
                               f"device(s) here; drivers present: {', '.join(present_drivers())}", op="iree")
        device = hal_driver.create_device(devices[index], allocators=["caching"])
        found = _RUNTIMES[driver, index] = _Runtime(_INSTANCE[0], device,
                                                    rt.create_hal_module(_INSTANCE[0], device))
    return found


def present_drivers():
    """The IREE drivers that have a device here: those built into the runtime whose library loads and which find
    one (iree.runtime lists cuda, hip and vulkan wherever it was built with them)."""
    present = []
    for name in rt.query_available_drivers():
        try:
            if _new_driver(name).query_available_devices():
                present.append(name)
        except (RuntimeError, ValueError):
            pass
    return present


class _Slot(NamedTuple):
    shape: tuple
    dtype: np.dtype
    raw: object  # the NumPy type the bytes travel as, or None
    element: int


def _slot(tensor_type):
    name = tensor_type.type.name
    return _Slot(tensor_type.shape, tensor_type.type.np, _RAW.get(name), int(_ELEMENT_TYPES[name]))


class Executable:
    """`executable(*arrays) -> tuple of NumPy arrays` for the function `entry` of a .vmfb."""

    def __init__(self, vmfb, entry, inputs, outputs, driver, index=0):
        _LIVE.add(self)
        runtime = device_runtime(driver, index)
        self._generation = _GENERATION[0]
        self._signature = (entry, inputs, outputs)
        self.driver = driver
        self.index = index  # of the device among the driver's
        self._module = rt.VmModule.copy_buffer(runtime.instance, vmfb)
        try:
            self._context = rt.VmContext(runtime.instance, [runtime.hal, *hook_modules(self._module, entry),
                                                            self._module])  # loads the executables
        except IndexError as error:  # IREE's OUT_OF_RANGE: loading records the dispatches, and checks their bindings
            raise _binding_error(error) from None
        finally:
            _release_dylib_placeholders()
        self._function = self._module.lookup_function(entry)
        if self._function is None:
            raise NxValueError(f"the compiled module has no function {entry!r}", op="iree")
        self._device = runtime.device
        self._allocate = runtime.device.allocator.allocate_buffer_copy
        self._memory = int(rt.MemoryType.DEVICE_LOCAL)
        self._usage = int(rt.BufferUsage.DEFAULT)
        self._import = runtime.device.allocator.import_host_allocation if driver in _CPU_DRIVERS else None
        # async-external ("coarse-fences"): the function takes a wait and a signal fence after its arguments.
        self._fenced = self._function.reflection.get("iree.abi.model") == "coarse-fences"
        self._recent = collections.deque(maxlen=8)  # seconds of the last calls, to sleep through most of the next
        self._inputs = [_slot(t) for t in inputs]
        self._outputs = [(t.shape, t.type.np, math.prod(t.shape)) for t in outputs]  # (shape, dtype, size)
        self.result_types = [(t.shape, t.type.np) for t in outputs]  # what each call returns, so callers need not check
        small = all(0 < math.prod(t.shape) * t.type.itemsize < IMPORT_BYTES for t in inputs)
        self._staging = _Staging(runtime.device, self._inputs, outputs) \
            if small and driver in _CPU_DRIVERS and not self._fenced else None

    def __call__(self, *arrays):
        self._check(arrays)
        return self.call_arrays(arrays)

    def call_arrays(self, arrays):
        """__call__ on a sequence of arrays that have the function's argument shapes and dtypes, not checked again:
        defn's signature fixed them (frontend/defn.py), and a small call's checks cost as much as filling its
        buffers."""
        if self._generation != _GENERATION[0]:
            self._load_again()
        try:
            staging = self._staging
            if staging is not None:
                with staging.lock:  # another thread's small call holds it for microseconds
                    return self._call_staged(staging, arrays)
            args, imported = self.arguments(arrays)
            results = rt.VmVariantList(len(self._outputs))
            self._invoke(args, results)
            outputs = self._results(results)
            return _unaliased(outputs, imported) if imported else outputs
        except IndexError as error:  # a dispatch in a conditional region is recorded when the call reaches it
            raise _binding_error(error) from None
        except RuntimeError as error:
            raise self._memory_error(error) from None

    def _invoke(self, args, results):
        """Calls the function on an argument list of its arguments alone, and waits for it."""
        if self._fenced:
            semaphore = self._device.create_semaphore(0)
            args.push_ref(_NO_WAIT)
            args.push_ref(rt.HalFence.create_at(semaphore, 1))
            start = time.perf_counter()
            self._context.invoke(self._function, args, results)
            self._wait(semaphore, start)
        else:
            self._context.invoke(self._function, args, results)

    @property
    def device(self):
        """The HAL device the function runs on."""
        return self._device

    def call_views(self, views, storage=()):
        """Runs on IREE buffer views that its device reads in place (runtime/device_tensors.py: device-resident
        tensors); returns the results' buffer views, left on the device. A result may be an argument's own buffer
        (a function that returns its argument): numerix writes a buffer once made only where it was donated, so
        both may share it. `storage`: the views that a program built for donation (runtime/iree.py
        InPlaceVariants) writes its tied results into, after its arguments."""
        if self._generation != _GENERATION[0]:
            self._load_again()
        if len(views) != len(self._inputs):
            raise NxValueError(f"takes {len(self._inputs)} buffers, got {len(views)}", op="iree")
        args = rt.VmVariantList(len(views) + len(storage) + 2 * self._fenced)
        for index, (view, slot) in enumerate(zip(views, self._inputs)):
            # IREE gives its results signless integer element types: the width is what must agree.
            if tuple(view.shape) != slot.shape or view.element_type & 0xFF != slot.element & 0xFF:
                raise NxTypeError(f"argument {index} is a buffer of shape {list(view.shape)} and IREE element type "
                                  f"{view.element_type:#x}; the function takes {slot.dtype}{list(slot.shape)}",
                                  op="iree")
            args.push_ref(view)
        for view in storage:
            args.push_ref(view)
        results = rt.VmVariantList(len(self._outputs))
        try:
            self._invoke(args, results)
        except IndexError as error:
            raise _binding_error(error) from None
        except RuntimeError as error:
            raise self._memory_error(error) from None
        return [results.get_as_object(i, _BufferView) for i in range(len(self._outputs))]

    def release(self):
        """Drops this executable's IREE objects, the staging buffers and the context before the module (at exit:
        _release_at_exit). A forked child's copy of its parent's keeps them: destroying them would wait on the
        parent's threads (_GENERATION). A call after this fails."""
        if self._generation == _GENERATION[0]:
            for name in ("_staging", "_function", "_context", "_module", "_allocate", "_import", "_device"):
                self.__dict__.pop(name, None)

    def _load_again(self):
        """Loads the module anew in a forked child (see _GENERATION), keeping the parent's objects alive."""
        _ABANDONED.append(self.__dict__.copy())
        self.__init__(bytes(self._module.stashed_flatbuffer_blob), *self._signature, self.driver, self.index)

    def _memory_error(self, error):
        """IREE's RESOURCE_EXHAUSTED as an NxMemoryError that says what the results alone take; any other error as
        it is; and where a hook's function failed (runtime/hooks.py), its own exception."""
        hooked = hooks_raised()
        if hooked is not None:
            return hooked
        if "RESOURCE_EXHAUSTED" not in str(error):
            return error
        sizes = [math.prod(shape) * np.dtype(dtype).itemsize for shape, dtype, *_ in self._outputs]
        return NxMemoryError(f"the compiled function needs more memory than the device can allocate: its results "
                             f"alone take {sum(sizes):,} bytes ({', '.join(f'{s:,}' for s in sizes)})", op="iree")

    def _call_staged(self, staging, arrays):
        args = self.staged_arguments(staging, arrays)
        if staging.copies_results:  # a copy of a small result costs less than mapping it and checking for aliases
            results = staging.results
            self._context.invoke(self._function, args, results)
            return tuple([read(results) for read in staging.readers])
        results = rt.VmVariantList(len(self._outputs))  # a kept list would hold the mapped results' buffers
        self._context.invoke(self._function, args, results)
        outputs = self._results(results)
        for index, candidates in staging.aliases:
            if any(np.may_share_memory(outputs[index], kept) for kept in candidates):
                outputs = outputs[:index] + (_read_only_copy(outputs[index]),) + outputs[index + 1:]
        return outputs

    @staticmethod
    def staged_arguments(staging, arrays):
        """The argument list of a call on `arrays` (checked, see call_arrays) with `staging`'s buffers, refilled (the
        caller holds its lock)."""
        for kept, array in zip(staging.arrays, arrays):
            kept[...] = array
        return staging.args

    def _results(self, results):
        device = self._device
        return tuple([_mapped(results.get_as_object(i, _BufferView), device, dtype, shape) if size else
                      np.empty(shape, dtype) for i, (shape, dtype, size) in enumerate(self._outputs)])

    def arguments(self, arrays):
        """The argument list of a call on `arrays` (each copied into a new IREE buffer, or imported), and the
        (start, end) addresses of the imported ones, which IREE reads in place."""
        allocate, memory, usage, device = self._allocate, self._memory, self._usage, self._device
        args = rt.VmVariantList(len(arrays) + 2 * self._fenced)
        imported = []
        for array, (shape, _, raw, element) in zip(arrays, self._inputs):
            if raw is not None:
                array = array.view(raw)
            if self._import is not None and array.nbytes >= IMPORT_BYTES and array.flags.c_contiguous \
                    and array.flags.writeable and array.ctypes.data % 64 == 0:
                args.push_ref(_BufferView(self._import(array, _HOST_MEMORY, usage), shape, element))
                imported.append((array.ctypes.data, array.ctypes.data + array.nbytes))
                continue
            if not array.flags.c_contiguous:
                array = np.ascontiguousarray(array)
            args.push_ref(allocate(memory, usage, device, array, element))
        return args, imported

    def _wait(self, semaphore, start):
        """Sleeps through 70% of the fastest recent call (the fastest: a slow outlier must not make the next call
        oversleep), then polls every 40th of it, at least 20 us apart. Sleeping leaves the cores to IREE's workers;
        polling more often costs them CPU, and a fixed coarse step suits large calls but not smaller ones
        (docs/iree.md)."""
        recent = self._recent
        expected = min(recent) if recent else 0.0
        if expected > 300e-6:
            time.sleep(0.7 * expected)
        step = max(20e-6, expected / 40)
        try:
            while semaphore.query() < 1:
                time.sleep(step)
        except RuntimeError as error:  # the work failed: IREE fails its semaphore, and querying raises
            memory = self._memory_error(error)
            if memory is not error:
                raise memory from None
            raise NxValueError(f"the IREE call failed while it ran: {str(error).splitlines()[0]}", op="iree") from None
        recent.append(time.perf_counter() - start)

    def _check(self, arrays):
        if len(arrays) != len(self._inputs):
            raise NxValueError(f"takes {len(self._inputs)} arrays, got {len(arrays)}", op="iree")
        for index, (array, slot) in enumerate(zip(arrays, self._inputs)):
            if array.shape != slot.shape or array.dtype != slot.dtype:
                raise NxTypeError(f"argument {index} is {array.dtype}{list(array.shape)}; the function takes "
                                  f"{slot.dtype}{list(slot.shape)}", op="iree")


# The name IREE's system-library loader reserves (runtime/src/iree/base/internal/dynamic_library_posix.c, IREE 3.13:
# mkstemp("$TMPDIR/iree_dylib_XXXXXX"), whose descriptor it drops; the library itself is that name + "_mem_.so", which
# IREE removes once loaded).
_PLACEHOLDER = re.compile(r"/iree_dylib_[A-Za-z0-9]{6}( \(deleted\))?$")
_PLACEHOLDER_LOCK = threading.Lock()  # two threads closing the same descriptor could close a reused one


def _release_dylib_placeholders():
    """Closes the descriptors of the names IREE's loader reserved and left open, and removes those empty files: IREE
    never uses either once the library is loaded. Where IREE is asked to keep its temporary files
    (IREE_PRESERVE_DYLIB_TEMP_FILES), the names stay reserved, so that a later load cannot overwrite a kept library.
    Without /proc (not Linux) nothing is found."""
    keep_files = bool(os.environ.get("IREE_PRESERVE_DYLIB_TEMP_FILES"))
    with _PLACEHOLDER_LOCK:
        try:
            descriptors = os.listdir("/proc/self/fd")
        except OSError:
            return
        for descriptor in descriptors:
            try:
                path = os.readlink(f"/proc/self/fd/{descriptor}")
            except OSError:  # the listing's own descriptor, closed by now
                continue
            found = _PLACEHOLDER.search(path)
            if found:
                os.close(int(descriptor))
                if not keep_files and not found.group(1):
                    try:
                        os.unlink(path)
                    except FileNotFoundError:  # removed meanwhile
                        pass


def _binding_error(error):
    """IREE's IndexError when a dispatch needs more buffer bindings than its HAL gives, or when its command buffers
    reference bindings they did not declare, as a numerix error; any other IndexError as it is."""
    if "indirect buffer reference" in str(error):
        return NxValueError("IREE cannot run the compiled module: its command buffers reference buffers they did not "
                            "declare (an IREE 3.13 bug with indirect command buffers, see docs/iree.md); IREE says: "
                            f"{str(error).splitlines()[0]}", op="iree")
    if "binding" not in str(error):
        return error
    return NxValueError("IREE cannot run the compiled module: a dispatch (one kernel, as IREE fused it) reads and "
                        "writes more tensors than the 32 buffer bindings IREE's HAL gives one; IREE says: "
                        f"{str(error).splitlines()[0]}", op="iree")


def _unaliased(outputs, imported):
    """`outputs`, each one that lies in an imported argument's memory replaced by a read-only copy."""
    copied = []
    for output in outputs:
        start = output.ctypes.data
        if output.nbytes and any(start < end and low < start + output.nbytes for low, end in imported):
            output = _read_only_copy(output)
        copied.append(output)
    return tuple(copied)


def _mapped(buffer_view, device, dtype, shape):
    """A read-only array of `dtype` shaped `shape` over IREE's result buffer in place, which keeps the buffer and
    `device` alive (_DeviceMemory)."""
    return np.asarray(_DeviceMemory(np.frombuffer(buffer_view.map(), np.uint8), device)).view(dtype).reshape(shape)


class _DeviceMemory:
    """The bytes of a mapped IREE buffer as NumPy reads them (__array_interface__: an array made from this object
    keeps it), with the device the buffer came from. An IREE buffer does not keep its device alive, yet freeing it
    calls into the device's caching allocator: a result that outlived its device (at exit, after _release_at_exit, or
    in the interpreter's last garbage collection) jumped into freed memory. So the bytes go first, then the device."""
    __slots__ = ("__array_interface__", "_bytes", "_device")

    def __init__(self, mapped_bytes, device):
        self.__array_interface__ = mapped_bytes.__array_interface__
        self._bytes = mapped_bytes
        self._device = device

    def __del__(self):
        del self._bytes  # before the device, not left to the order in which the interpreter clears slots


def _reader(index, shape, dtype):
    """A function of an IREE result list that returns a read-only copy of its result `index`, an array of `dtype`
    shaped `shape` (made once per function: a small call's Python costs as much as its copies)."""
    if math.prod(shape) == 0:
        return lambda results: np.empty(shape, dtype)
    if len(shape) == 1:  # already the flat buffer's shape
        return lambda results: np.frombuffer(bytes(results.get_as_object(index, _BufferView).map()), dtype)
    return lambda results: np.frombuffer(bytes(results.get_as_object(index, _BufferView).map()), dtype).reshape(shape)


def _read_only_copy(array):
    array = array.copy()
    array.flags.writeable = False
    return array


class _Staging:
    """Argument buffers made once and refilled by each call, for a function whose arguments are all small (below
    IMPORT_BYTES): a copy into a kept buffer costs a fraction of one into a new IREE buffer (docs/iree.md). The
    argument list is made once too, and so is the result list where the results are copied out (an invoke empties
    its result list first, which costs less than making one). A result that IREE returns in an argument's buffer (a
    function that returns its argument) is copied, since the next call refills that buffer. A call on another thread
    while one runs takes the general path (the lock is only tried)."""

    def __init__(self, device, slots, outputs):
        self.lock = threading.Lock()
        self.args = rt.VmVariantList(len(slots))
        self.results = rt.VmVariantList(len(outputs))  # used where the results are copied out
        self._mappings = []  # the arrays below view these: kept with them
        self.arrays = []  # of each argument's own dtype (bf16 over the uint16 it travels as)
        for slot in slots:
            dtype = slot.raw or slot.dtype
            buffer = device.allocator.allocate_buffer(memory_type=_STAGING_MEMORY, allowed_usage=_USAGE,
                                                      allocation_size=math.prod(slot.shape) * dtype.itemsize)
            self._mappings.append(buffer.map())
            self.arrays.append(self._mappings[-1].asarray(slot.shape, dtype).view(slot.dtype))
            self.args.push_ref(_BufferView(buffer, slot.shape, slot.element))
        # Small results are copied out (which also hands IREE's buffer back at once). Otherwise, (result index,
        # the argument buffers it could lie in: those at least its size), for results that could.
        self.copies_results = all(t.type.itemsize * math.prod(t.shape) < IMPORT_BYTES for t in outputs)
        self.readers = [_reader(index, t.shape, t.type.np) for index, t in enumerate(outputs)]
        self.aliases = []
        for index, t in enumerate(outputs if not self.copies_results else ()):
            nbytes = t.type.itemsize * math.prod(t.shape)
            candidates = [kept for kept in self.arrays if 0 < nbytes <= kept.nbytes]
            if candidates:
                self.aliases.append((index, candidates))
