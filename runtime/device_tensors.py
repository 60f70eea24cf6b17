"""Device-resident tensor storage for the iree backend (frontend/backends.py): an IREE buffer view on one device,
with the two transfers that cross between it and the host, counted, and calls of compiled programs that take such
buffers and leave their results on the device.

Every CPU driver (local-sync, local-task) allocates host memory that any of them reads: a buffer made on one is passed
as it is to a program loaded on the other, so on the CPU a tensor is resident for every program, whichever driver
the IREE policy picked for it. A GPU buffer is resident only for programs on its own device (driver and index).

TRANSFERS counts the crossings ("to_host": a buffer read back into NumPy; "to_device": NumPy data uploaded), so that
tests and users can check that chained calls stay on the device."""
import collections
import math

import iree.runtime as rt
import numpy as np

from numerix.dialect.errors import NxValueError

from .iree_executable import _CPU_DRIVERS, _ELEMENT_TYPES, _RAW, device_runtime

TRANSFERS = collections.Counter()  # "to_host", "to_device": how many buffers crossed each way
_HOST_VISIBLE = int(rt.MemoryType.HOST_VISIBLE)
_DEVICE_MEMORY = int(rt.MemoryType.DEVICE_LOCAL)
_USAGE = int(rt.BufferUsage.DEFAULT)
_READBACK_MEMORY = int(rt.MemoryType.HOST_LOCAL | rt.MemoryType.DEVICE_VISIBLE)
_READBACK_USAGE = int(rt.BufferUsage.TRANSFER_TARGET | rt.BufferUsage.MAPPING_SCOPED)


def place(driver, index):
    """Where a buffer of `driver`'s device `index` can be read without a transfer: "cpu" for the CPU drivers (they
    share host memory), else the device itself."""
    return "cpu" if driver in _CPU_DRIVERS else (driver, index)


class DeviceBuffer:
    """One tensor's data on a device: an IREE buffer view of `shape` and NumPy `dtype`. It keeps its device alive and
    lets the view go first (an IREE buffer freed after its device jumped into freed memory:
    iree_executable._DeviceMemory). `release()` frees the memory now (nx.backend_deallocate, a donated argument);
    reading a released buffer is an NxValueError. `donated`: the next program call that takes it releases it, and
    may write a result into its memory. `shared`: another DeviceBuffer has the same memory (a program returned its
    argument), so that it is never written in place."""
    __slots__ = ("view", "shape", "dtype", "driver", "index", "donated", "shared", "_device")

    def __init__(self, view, shape, dtype, driver, index, device):
        self.view = view
        self.shape = tuple(shape)
        self.dtype = np.dtype(dtype)
        self.driver = driver
        self.index = index
        self.donated = False
        self.shared = False
        self._device = device

    @property
    def place(self):
        return place(self.driver, self.index)

    @property
    def released(self):
        return self.view is None

    def release(self):
        self.view = None

    def __del__(self):
        self.view = None  # before the device, not left to the order in which the interpreter clears slots

    def to_numpy(self, op="to_numpy"):
        """The values as a read-only NumPy array: one transfer to the host (a copy, so that the buffer can be freed
        or donated while the array lives)."""
        view = self.checked_view(op)
        TRANSFERS["to_host"] += 1
        if not math.prod(self.shape):
            return np.empty(self.shape, self.dtype)
        buffer = view.get_buffer()
        if buffer.memory_type() & _HOST_VISIBLE:
            data = bytes(view.map())
        else:  # device-only memory (a GPU's): copy it into host memory through the device's queue
            host = self._device.allocator.allocate_buffer(memory_type=_READBACK_MEMORY, allowed_usage=_READBACK_USAGE,
                                                          allocation_size=buffer.byte_length())
            semaphore = self._device.create_semaphore(0)
            self._device.queue_copy(buffer, host, rt.HalFence.create_at(semaphore, 0),
                                    rt.HalFence.create_at(semaphore, 1))
            rt.HalFence.create_at(semaphore, 1).wait()
            data = bytes(host.map())
        return np.frombuffer(data, self.dtype).reshape(self.shape)  # bytes: read-only

    def checked_view(self, op):
        if self.view is None:
            raise NxValueError(f"the tensor's device memory ({self.dtype}{list(self.shape)} on {self.driver}:"
                               f"{self.index}) was deallocated or donated to a defn call; it has no values any more",
                               op=op)
        return self.view


def upload(array, driver, index, nx_type_name):
    """A DeviceBuffer of `array` (of nx type `nx_type_name`) on `driver`'s device `index`: one transfer to it."""
    runtime = device_runtime(driver, index)
    TRANSFERS["to_device"] += 1
    raw = _RAW.get(nx_type_name)
    element = int(_ELEMENT_TYPES[nx_type_name])
    data = np.ascontiguousarray(array.view(raw) if raw is not None else array)  # rank 0 becomes rank 1
    if not data.size:  # IREE allocates no zero-byte buffer; an empty view of a one-element one stands for it
        data = np.zeros(1, data.dtype)
    buffer = runtime.device.allocator.allocate_buffer_copy(
        memory_type=_DEVICE_MEMORY, allowed_usage=_USAGE, device=runtime.device, buffer=data,
        element_type=element).get_buffer()
    view = rt.HalBufferView(buffer, array.shape, element)
    return DeviceBuffer(view, array.shape, array.dtype, driver, index, runtime.device)


def call(executable, values, type_names):
    """Runs an IREE Executable on `values` (DeviceBuffers, or NumPy arrays of nx types `type_names`, uploaded), each
    buffer resident where the executable runs passed as it is; returns its results as DeviceBuffers on its device.
    The donated buffers among `values` are released after the call; where the program can write a result into a
    donated buffer (runtime/iree.py InPlaceVariants), it does, and the result takes over its memory."""
    driver, index = executable.driver, executable.index
    here = place(driver, index)
    views = []
    for value, type_name in zip(values, type_names):
        if isinstance(value, DeviceBuffer) and value.place != here:  # another device: through the host
            value = value.to_numpy("defn")
        if not isinstance(value, DeviceBuffer):
            value = upload(value, driver, index, type_name)
        views.append(value.checked_view("defn"))
    storage = []
    in_place = _in_place(executable, values, here)
    if in_place is not None:
        executable, ties = in_place
        storage = [views[argument] for argument, _ in ties]
    device = executable.device
    results = [DeviceBuffer(view, shape, dtype, driver, index, device)
               for view, (shape, dtype) in zip(executable.call_views(views, storage), executable.result_types)]
    _mark_shared(results, values)
    for value in values:
        if isinstance(value, DeviceBuffer) and value.donated:
            value.release()
    return results


def _in_place(executable, values, here):
    """The variant of `executable` that writes results into the donated buffers among `values`, and its ties; None
    where there is none. A buffer is written in place only where nothing else reads its memory: passed once, resident
    here, and not shared with another DeviceBuffer."""
    variants = getattr(executable, "in_place", None)  # a program compiled from a traced module has them
    if variants is None:
        return None
    donated = [i for i, value in enumerate(values)
               if isinstance(value, DeviceBuffer) and value.donated and not value.shared and value.place == here
               and sum(v is value for v in values) == 1]
    return variants.variant(donated) if donated else None


def _mark_shared(results, values):
    """Marks the results that are an argument's own memory (a program that returns its argument), and that argument,
    as shared; a donated argument that shared its memory with nothing hands it over unshared."""
    arguments = [(v, v.view.get_buffer()) for v in values
                 if isinstance(v, DeviceBuffer) and (v.shared or not v.donated)]
    for result in results if arguments else ():
        buffer = result.view.get_buffer()
        for argument, argument_buffer in arguments:
            if argument_buffer == buffer:
                result.shared = argument.shared = True
