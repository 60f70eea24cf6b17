"""The Python side of nx.hook in a compiled program: the VM module `numerix_hooks`, written in Python
(iree.runtime.PyModuleInterface), whose function `call` a program that holds hooks imports (dialect/hook.py).

Each hook operand arrives as one call (hook id, operand index, !hal.buffer_view); the hook's function runs when the
last one has arrived, on NumPy copies of the values. Under IREE's async-external model (passes/iree_policy.py) every
import also takes a wait fence (null when IREE has already waited for the value) and a signal fence, which the call
signals when done, whatever happens; so the module is made in the form the program's model asks for. An exception
of the hook's function reaches IREE as a failed call, which fails the program's invoke; `raised` gives back the
original exception, so that the caller raises it instead of IREE's RuntimeError."""
import threading

import iree.runtime as rt
import numpy as np

from numerix.dialect.hook import IMPORT, IMPORT_MODULE, callback

_FUNCTION = IMPORT.split(".", 1)[1]
_IMPORT_NAME = IMPORT.encode()
# The NumPy type whose bytes each nx type travels as, where NumPy cannot read IREE's buffer as the type itself
# (ml_dtypes' types) or where IREE stores it wider (sub-byte integers as bytes: passes/sub_byte_storage.py).
_RAW = {"bf16": np.uint16, "f8": np.uint8, "f8_e4m3fn": np.uint8, "s2": np.int8, "s4": np.int8, "u2": np.uint8,
        "u4": np.uint8}
_STATE = threading.local()  # per calling thread: the operands received so far, the exception a hook raised


def imports_hooks(vmfb_module):
    """Whether a loaded .vmfb imports numerix_hooks.call (its flatbuffer holds each import's name as text)."""
    return _IMPORT_NAME in bytes(vmfb_module.stashed_flatbuffer_blob)


def hook_modules(vmfb_module, entry):
    """The modules a VmContext of `vmfb_module` needs besides the HAL's: numerix_hooks where it imports it, in the
    calling form of the model its function `entry` was compiled for (async-external's coarse fences, or none)."""
    if not imports_hooks(vmfb_module):
        return []
    function = vmfb_module.lookup_function(entry)
    fenced = function is not None and function.reflection.get("iree.abi.model") == "coarse-fences"
    interface = rt.PyModuleInterface(IMPORT_MODULE, _Hooks)
    interface.export(_FUNCTION, "0IIrrr_v" if fenced else "0IIr_v", _Hooks.call)
    return [interface.create()]


def raised():
    """The exception a hook's function raised during the invoke that just failed on this thread, else None (taken: a
    later failure does not see it)."""
    found = getattr(_STATE, "error", None)
    _STATE.error = None
    return found


class _Hooks:
    """One instance per VmContext (IREE makes it when the context loads the module)."""

    def __init__(self, interface):
        pass

    def call(self, hook_id, index, view, wait=None, signal=None):
        try:
            if wait is not None and wait.isinstance(rt.HalFence):
                wait.deref(rt.HalFence).wait()
            _receive(hook_id, index, view.deref(rt.HalBufferView))
        except BaseException as error:
            _STATE.error = error
            raise
        finally:
            if signal is not None:
                signal.deref(rt.HalFence).signal()


def _receive(hook_id, index, view):
    found = callback(hook_id)
    pending = getattr(_STATE, "pending", None)
    if pending is None:
        pending = _STATE.pending = {}
    arrays = pending.setdefault(hook_id, [None] * len(found.dtypes))
    arrays[index] = _array(view, found.dtypes[index])
    if index == len(arrays) - 1:
        del pending[hook_id]
        found.fn(tuple(arrays))


def _array(view, dtype):
    """A NumPy copy of a buffer view's value, of nx type `dtype` (the view's shape may have gained a batch axis)."""
    raw = np.frombuffer(bytes(view.map()), _RAW.get(dtype.name, dtype.np))
    return raw.view(dtype.np).reshape(tuple(view.shape))
