"""DLPack for the types NumPy's DLPack lacks: bf16, f8 (e5m2) and f8_e4m3fn, which ml_dtypes stores and DLPack
names (kDLBfloat, kDLFloat8_e5m2, kDLFloat8_e4m3fn). NumPy exchanges them as unsigned integers of their width; the
dtype field of that DLManagedTensor is rewritten on the way out and read (and rewritten back) on the way in. The
sub-byte integers have no DLPack form that NumPy or JAX reads (DLPack packs them; ml_dtypes does not): refused."""
import ctypes

import numpy as np

from numerix.dialect import dtypes
from numerix.dialect.errors import NxTypeError

# DLPack 1.1's type codes (dlpack.h DLDataTypeCode) of the types numerix keeps in ml_dtypes, and back.
_CODES = {"bf16": 4, "f8_e4m3fn": 10, "f8": 12}
_BY_CODE = {code: dtypes.TYPES[name] for name, code in _CODES.items()}
_UINT = 1  # kDLUInt
# Offset of DLTensor.dtype.code in the capsule's struct: DLTensor {void *data; DLDevice device; int32 ndim;
# DLDataType dtype; ...} starts a DLManagedTensor, and follows {version, manager_ctx, deleter, flags} in a
# DLManagedTensorVersioned.
_DTYPE_OFFSET = 8 + 8 + 4
_VERSIONED_OFFSET = 8 + 8 + 8 + 8

_get_pointer = ctypes.pythonapi.PyCapsule_GetPointer
_get_pointer.restype = ctypes.c_void_p
_get_pointer.argtypes = [ctypes.py_object, ctypes.c_char_p]
_get_name = ctypes.pythonapi.PyCapsule_GetName
_get_name.restype = ctypes.c_char_p
_get_name.argtypes = [ctypes.py_object]


def _code_field(capsule):
    """The DLDataType code byte of a DLPack capsule (legacy "dltensor" or versioned "dltensor_versioned")."""
    name = _get_name(capsule)
    start = _get_pointer(capsule, name) + (_VERSIONED_OFFSET if name == b"dltensor_versioned" else 0)
    return ctypes.c_uint8.from_address(start + _DTYPE_OFFSET)


def export(array, **kwargs):
    """array.__dlpack__(**kwargs) for any array numerix holds: an ml_dtypes float goes out under its DLPack code."""
    t = dtypes.of_numpy(array.dtype)
    if t not in dtypes.ML_DTYPES:
        return array.__dlpack__(**kwargs)
    if t.name not in _CODES:
        raise NxTypeError(f"DLPack has no form of {t.name} that NumPy or JAX reads (it packs sub-byte integers); "
                          "convert with as_type first", op="__dlpack__")
    capsule = array.view(np.dtype(f"u{t.itemsize}")).__dlpack__(**kwargs)
    _code_field(capsule).value = _CODES[t.name]
    return capsule


class _AsUnsigned:
    """A DLPack producer handing out `source`'s capsule with an ml_dtypes float's code turned into kDLUInt, so that
    NumPy imports it; `type` is the numerix type the code named (None: a type NumPy reads as it is)."""

    def __init__(self, source):
        self.source = source
        self.type = None

    def __dlpack__(self, **kwargs):
        capsule = self.source.__dlpack__(**kwargs)
        code = _code_field(capsule)
        self.type = _BY_CODE.get(code.value)
        if self.type is not None:
            code.value = _UINT
        return capsule

    def __dlpack_device__(self):
        return self.source.__dlpack_device__()


def from_dlpack(x, copy):
    """np.from_dlpack(x, copy=copy), with bf16 and the 8-bit floats read as ml_dtypes arrays."""
    producer = _AsUnsigned(x)
    array = np.from_dlpack(producer, copy=copy)
    return array if producer.type is None else array.view(producer.type.np)
