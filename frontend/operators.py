"""Tensor's operators (t + u, t[i], t.T, ...) and its array API namespace. The module functions do the work, and
those modules import tensor.py, so the methods are attached to Tensor here, once the functions exist."""
import numerix
from numerix.dialect.errors import NxValueError

from .contraction import matmul
from .elementwise import (
    abs, add, bitwise_and, bitwise_invert, bitwise_left_shift, bitwise_or, bitwise_right_shift, bitwise_xor, divide,
    equal, floor_divide, greater, greater_equal, less, less_equal, multiply, negative, not_equal, pow, remainder,
    subtract,
)
from .indexing import getitem, setitem
from .shape import matrix_transpose, transpose
from .tensor import Tensor


def _transposed(self):
    """The 2-d tensor transposed (the array API's Tensor.T)."""
    if self.ndim != 2:
        raise NxValueError(f"T needs a 2-d tensor, got {self.ttype}; use nx.transpose or .mT", op="T")
    return transpose(self)


def _matrix_transposed(self):
    """The last two axes swapped (the array API's Tensor.mT)."""
    if self.ndim < 2:
        raise NxValueError(f"mT needs at least 2 dimensions, got {self.ttype}", op="mT")
    return matrix_transpose(self)


def _array_namespace(self, *, api_version=None):
    """The array API namespace of tensors: numerix itself."""
    if api_version not in (None, "2021.12", "2022.12", "2023.12", "2024.12"):
        raise NxValueError(f"unsupported array API version {api_version!r}", op="__array_namespace__")
    return numerix


def _assign(self, index, value):
    """t[index] = value: t becomes the tensor with those elements replaced (indexing.setitem), a functional update
    that traces to put_slice, select or indexed_put inside defn."""
    self._rebind(setitem(self, index, value))


def _reflected(fn):
    """The method for `other <op> tensor`: fn with its operands swapped."""
    def method(self, other):
        return fn(other, self)
    return method


Tensor.T = property(_transposed)
Tensor.mT = property(_matrix_transposed)
Tensor.__array_namespace__ = _array_namespace
Tensor.__getitem__ = getitem
Tensor.__setitem__ = _assign
Tensor.__neg__ = negative
Tensor.__abs__ = abs
Tensor.__invert__ = bitwise_invert
Tensor.__add__, Tensor.__radd__ = add, _reflected(add)
Tensor.__sub__, Tensor.__rsub__ = subtract, _reflected(subtract)
Tensor.__mul__, Tensor.__rmul__ = multiply, _reflected(multiply)
Tensor.__truediv__, Tensor.__rtruediv__ = divide, _reflected(divide)
Tensor.__floordiv__, Tensor.__rfloordiv__ = floor_divide, _reflected(floor_divide)
Tensor.__mod__, Tensor.__rmod__ = remainder, _reflected(remainder)
Tensor.__pow__, Tensor.__rpow__ = pow, _reflected(pow)
Tensor.__matmul__, Tensor.__rmatmul__ = matmul, _reflected(matmul)
Tensor.__and__, Tensor.__rand__ = bitwise_and, _reflected(bitwise_and)
Tensor.__or__, Tensor.__ror__ = bitwise_or, _reflected(bitwise_or)
Tensor.__xor__, Tensor.__rxor__ = bitwise_xor, _reflected(bitwise_xor)
Tensor.__lshift__, Tensor.__rlshift__ = bitwise_left_shift, _reflected(bitwise_left_shift)
Tensor.__rshift__, Tensor.__rrshift__ = bitwise_right_shift, _reflected(bitwise_right_shift)
Tensor.__eq__ = equal
Tensor.__ne__ = not_equal
Tensor.__lt__ = less
Tensor.__le__ = less_equal
Tensor.__gt__ = greater
Tensor.__ge__ = greater_equal
