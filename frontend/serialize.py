"""Serialization and conversion: nx.serialize / nx.deserialize (numerix's binary format, described below), Nx's
raw-bytes and list conversions (to_binary, from_binary, to_flat_list), batches (to_batched), templates
(to_template), NumPy files (load_numpy, load_numpy_archive) and the terminal heatmap (to_heatmap).

The serialized format, version 1. Integers are unsigned little-endian unless said otherwise; a `str` is a u32 byte
length followed by that many UTF-8 bytes. No code runs on loading (unlike pickle): the reader only builds tensors,
tuples, lists, dicts and None, and any byte it does not expect is an NxValueError.

    header   8 bytes  magic b"\\x89NXT\\r\\n\\x1a\\n" (the non-ASCII first byte and the CR LF pair expose a text-mode
                      transfer, as PNG's magic does)
             u16      format version: 1
             u8       flags: bit 0 set means all that follows is one zlib stream (serialize's `compressed` level)
    body     node     the serialized value; the data ends with it, so trailing bytes are an error

    node     a u8 tag, then by tag:
      "T"  tensor    str type ("bool", "u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64", "f16", "bf16", "f32",
                     "f64", "c64", "c128"; "u2", "u4", "s2", "s4", "f8", "f8_e4m3fn" one byte per element, as
                     ml_dtypes stores them: the value's bits in the low bits, the rest 0) | u32 rank | rank x u64
                     dimension | rank x name (u32 0 for an unnamed axis, else 1 + the name's UTF-8 byte length,
                     then those bytes) | u64 byte count | the elements,
                     row-major, each little-endian (complex: the real part, then the imaginary; bool: one byte, 0 or 1)
      "V"  vectorized u32 count | count x str (the vectorized axes' names) | a "T" node of its data, the
                     vectorized axes leading
      "("  tuple     u64 count | count x node
      "["  list      u64 count | count x node
      "{"  dict      u64 count | count x (key, node); a key is "s" str (a str key) or "i" s64 (an int key)
      "N"  None

As Nx does, Python numbers and NumPy arrays inside a container are written as tensors (nx.tensor's types), so they
come back as tensors. Tuple subclasses (named tuples) and other objects are refused: rebuilding them would mean
importing code by name when loading, the hazard this format avoids."""
import io
import os
import struct
import zipfile
import zlib

import numpy as np

from numerix.dialect import dtypes
from numerix.dialect.errors import NxTraceError, NxTypeError, NxValueError

from .defn import Template
from .heatmap import Heatmap
from .operands import shared_tensor, tensor, to_tensor
from .shape import concatenate, slice_along_axis
from .tensor import Tensor, is_traced
from .vectorize import devectorize, vectorize

__all__ = ["serialize", "deserialize", "to_binary", "from_binary", "to_flat_list", "to_batched", "to_template",
           "to_heatmap", "load_numpy", "load_numpy_archive"]

MAGIC = b"\x89NXT\r\n\x1a\n"
VERSION = 1
_COMPRESSED = 1  # the flag bit
_HEADER = struct.Struct("<HB")  # version, flags
_MAX_DEPTH = 256  # container nesting deeper than this is corrupt input (and would exhaust Python's stack)
_MAX_RANK = 64  # NumPy's limit, so every tensor numerix can make


# ---- the serialized format ----

def serialize(tensor_or_container, compressed=0):
    """Nx.serialize: a tensor, a number, None, or tuples, lists and dicts (str or int keys) of them, as bytes in
    numerix's format (this module's docstring). `compressed` is a zlib level, 0 (none, the default) to 9.
    Eager only: a traced tensor has no values to write.

    Examples:
        >>> data = nx.serialize({"w": nx.tensor([1.0, 2.0]), "step": 3})
        >>> nx.deserialize(data)["w"]
        nx.Tensor<
          f32[2]
          [1., 2.]
        >
    """
    if not isinstance(compressed, int) or isinstance(compressed, bool) or not 0 <= compressed <= 9:
        raise NxValueError(f"compressed must be a zlib level from 0 to 9, got {compressed!r}", op="serialize")
    parts = []
    _write(tensor_or_container, parts, 0)
    body = b"".join(parts)
    if compressed:
        return MAGIC + _HEADER.pack(VERSION, _COMPRESSED) + zlib.compress(body, compressed)
    return MAGIC + _HEADER.pack(VERSION, 0) + body


def _write(value, parts, depth):
    if depth > _MAX_DEPTH:
        raise NxValueError(f"containers nest deeper than {_MAX_DEPTH} levels", op="serialize")
    if isinstance(value, Template):
        raise NxTypeError(f"nx.template {value.ttype} has no data to serialize", op="serialize")
    if isinstance(value, (np.ndarray, np.generic)) or dtypes.weak_type(value) is not None:
        value = tensor(value)
    if isinstance(value, Tensor) and value.vectorized:
        parts.append(b"V" + struct.pack("<I", len(value.vectorized)))
        parts.extend(_str(name) for name, _ in value.vectorized)
        _write_tensor(devectorize(value, keep_names=False), parts)
    elif isinstance(value, Tensor):
        _write_tensor(value, parts)
    elif value is None:
        parts.append(b"N")
    elif type(value) is tuple or type(value) is list:
        parts.append(b"(" if type(value) is tuple else b"[")
        parts.append(struct.pack("<Q", len(value)))
        for item in value:
            _write(item, parts, depth + 1)
    elif type(value) is dict:
        parts.append(b"{" + struct.pack("<Q", len(value)))
        for key, item in value.items():
            if isinstance(key, str):
                parts.append(b"s" + _str(key))
            elif isinstance(key, int) and not isinstance(key, bool) and -2**63 <= key < 2**63:
                parts.append(b"i" + struct.pack("<q", key))
            else:
                raise NxTypeError(f"dict keys must be str or 64-bit int to serialize, got {key!r}", op="serialize")
            _write(item, parts, depth + 1)
    else:
        hint = "; pass tuple(x) or x._asdict()" if isinstance(value, tuple) else ""
        raise NxTypeError(f"cannot serialize a {type(value).__name__}: numerix serializes tensors, numbers, None "
                          f"and tuples, lists and dicts of them{hint}", op="serialize")


def _str(text):
    data = text.encode("utf-8")
    return struct.pack("<I", len(data)) + data


def _element_unit(type):
    """The unsigned integer dtype of one scalar component, the unit in which bytes are ordered: the whole element,
    or each half of a complex one."""
    size = type.itemsize // 2 if type.is_complex else type.itemsize
    return f"u{size}"


def _write_tensor(t, parts):
    if is_traced(t):
        raise NxTraceError(f"cannot serialize a traced tensor {t.ttype} inside defn; return it from the function "
                           "and serialize the result", op="serialize")
    unit = _element_unit(t.type)
    data = t.numpy().reshape(-1).view(unit).astype("<" + unit, copy=False).tobytes()
    parts.append(b"T" + _str(t.type.name) + struct.pack(f"<I{len(t.shape)}Q", len(t.shape), *t.shape))
    for name in t.names:
        parts.append(struct.pack("<I", 0) if name is None else struct.pack("<I", len(name.encode("utf-8")) + 1)
                     + name.encode("utf-8"))
    parts.append(struct.pack("<Q", len(data)))
    parts.append(data)


def deserialize(data):
    """Nx.deserialize: the value nx.serialize wrote, from bytes (bytes, bytearray or memoryview). Input that is not
    numerix's format, another version of it, truncated or corrupt is an NxValueError saying what is wrong where.

    Examples:
        >>> nx.deserialize(nx.serialize((nx.tensor([1, 2]), None)))
        (nx.Tensor<
          s64[2]
          [1, 2]
        >, None)
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise NxTypeError(f"deserialize reads bytes, got {type(data).__name__}", op="deserialize")
    head = bytes(data[:len(MAGIC) + _HEADER.size])
    if not head.startswith(MAGIC):
        raise NxValueError(f"not numerix serialized data (it starts {head[:8]!r}, not {MAGIC!r})"
                           + _other_format_hint(head), op="deserialize")
    if len(head) < len(MAGIC) + _HEADER.size:
        raise NxValueError("serialized data is truncated inside its header", op="deserialize")
    version, flags = _HEADER.unpack_from(head, len(MAGIC))
    if version != VERSION:
        raise NxValueError(f"cannot deserialize numerix format v{version}; this numerix reads v{VERSION}",
                           op="deserialize")
    if flags & ~_COMPRESSED:
        raise NxValueError(f"unknown flags {flags:#04x} in the header", op="deserialize")
    start = len(head)
    if flags & _COMPRESSED:
        try:
            data, start = zlib.decompress(bytes(data[start:])), 0
        except zlib.error as e:
            raise NxValueError(f"the compressed body is corrupt ({e})", op="deserialize") from None
    reader = _Reader(data, start)
    value = reader.node(0)
    if reader.pos != len(data):
        raise NxValueError(f"{len(data) - reader.pos} unexpected bytes after the serialized value (at byte "
                           f"{reader.pos})", op="deserialize")
    return value


def _other_format_hint(head):
    if head.startswith(b"\x93NUMPY"):
        return "; this is a NumPy .npy file: use nx.load_numpy"
    if head.startswith(b"PK\x03\x04"):
        return "; this is a zip archive (a NumPy .npz?): use nx.load_numpy_archive"
    return ""


class _Reader:
    """Reads nodes from `data` (any bytes-like object) at `pos`, checking every length against what is left."""

    def __init__(self, data, pos):
        self.data = data
        self.pos = pos

    def _take(self, size, what):
        if size > len(self.data) - self.pos:
            raise NxValueError(f"serialized data is truncated: {what} needs {size} bytes at byte {self.pos}, "
                               f"{len(self.data) - self.pos} left", op="deserialize")
        start, self.pos = self.pos, self.pos + size
        return start

    def unpack(self, fmt, what):
        layout = struct.Struct("<" + fmt)
        return layout.unpack_from(self.data, self._take(layout.size, what))

    def text(self, size, what):
        start = self._take(size, what)
        try:
            return bytes(self.data[start:start + size]).decode("utf-8")
        except UnicodeDecodeError:
            raise NxValueError(f"{what} at byte {start} is not UTF-8", op="deserialize") from None

    def node(self, depth):
        if depth > _MAX_DEPTH:
            raise NxValueError(f"containers nest deeper than {_MAX_DEPTH} levels at byte {self.pos}",
                               op="deserialize")
        at = self.pos
        (tag,) = self.unpack("c", "a node tag")
        if tag == b"T":
            return self.tensor()
        if tag == b"V":
            return self.vectorized(at)
        if tag == b"N":
            return None
        if tag in (b"(", b"["):
            (count,) = self.unpack("Q", "a length")
            # Each item takes at least one byte, so a count beyond what is left is corrupt (not a huge allocation).
            self._check_count(count, at)
            items = [self.node(depth + 1) for _ in range(count)]
            return tuple(items) if tag == b"(" else items
        if tag == b"{":
            (count,) = self.unpack("Q", "a length")
            self._check_count(count, at)
            out = {}
            for _ in range(count):
                key = self.key()
                if key in out:
                    raise NxValueError(f"dict key {key!r} repeats (before byte {self.pos})", op="deserialize")
                out[key] = self.node(depth + 1)
            return out
        raise NxValueError(f"unknown node tag {tag!r} at byte {at}", op="deserialize")

    def _check_count(self, count, at):
        if count > len(self.data) - self.pos:
            raise NxValueError(f"the container at byte {at} claims {count} items, more than the data holds",
                               op="deserialize")

    def vectorized(self, at):
        (count,) = self.unpack("I", "a count of vectorized axes")
        names = [self.text(self.unpack("I", "an axis name length")[0], "a vectorized axis name") for _ in range(count)]
        (tag,) = self.unpack("c", "a node tag")
        data = self.tensor() if tag == b"T" else None
        if data is None or data.ndim < count:
            raise NxValueError(f"the vectorized tensor at byte {at} needs the data of a tensor of rank at least "
                               f"{count}", op="deserialize")
        return vectorize(data, names)

    def key(self):
        at = self.pos
        (kind,) = self.unpack("c", "a dict key")
        if kind == b"s":
            (size,) = self.unpack("I", "a key length")
            return self.text(size, "a dict key")
        if kind == b"i":
            return self.unpack("q", "an int key")[0]
        raise NxValueError(f"unknown dict key kind {kind!r} at byte {at}", op="deserialize")

    def tensor(self):
        at = self.pos - 1
        (size,) = self.unpack("I", "a type name length")
        name = self.text(size, "a type name")
        type = dtypes.TYPES.get(name)
        if type is None:
            raise NxValueError(f"unknown type {name!r} for the tensor at byte {at}", op="deserialize")
        (rank,) = self.unpack("I", "a rank")
        if rank > _MAX_RANK:
            raise NxValueError(f"rank {rank} of the tensor at byte {at} exceeds {_MAX_RANK}", op="deserialize")
        shape = self.unpack(f"{rank}Q", "the dimensions")
        names = []
        for _ in range(rank):
            (size,) = self.unpack("I", "an axis name length")
            names.append(None if size == 0 else self.text(size - 1, "an axis name"))
        (nbytes,) = self.unpack("Q", "a byte count")
        expected = int(np.prod(shape, dtype=object)) * type.itemsize
        if nbytes != expected:
            raise NxValueError(f"the tensor at byte {at}, {type.name}{list(shape)}, has {nbytes} bytes of data, not "
                               f"{expected}", op="deserialize")
        start = self._take(nbytes, f"the data of the tensor at byte {at}")
        unit = _element_unit(type)
        raw = np.frombuffer(self.data, "<" + unit, nbytes // int(unit[1:]), start)
        if type.is_bool and raw.size and raw.max() > 1:
            raise NxValueError(f"the bool tensor at byte {at} holds bytes other than 0 and 1", op="deserialize")
        array = raw.astype("=" + unit, copy=False).view(type.np).reshape(shape)
        # nx.tensor reads bytes in place and copies memory the caller can still write (a bytearray).
        return tensor(array, names=names)


# ---- raw bytes and lists ----

def _values(op, t):
    """The NumPy values of a tensor (or number), eagerly."""
    t = to_tensor(t)
    if is_traced(t):
        raise NxTraceError(f"{op} needs values; a traced tensor {t.ttype} has none inside defn (return it from the "
                           "function instead)", op=op)
    return t.numpy()


def _limited(op, array, limit):
    flat = array.reshape(-1)
    if limit is None:
        return flat
    if not isinstance(limit, (int, np.integer)) or isinstance(limit, bool) or limit < 0:
        raise NxValueError(f"limit must be a non-negative int, got {limit!r}", op=op)
    return flat[:limit]


def to_binary(tensor, limit=None):
    """Nx.to_binary: the tensor's elements (the first `limit` of them when given) as bytes, row-major, in the
    machine's byte order. Eager only.

    Examples:
        >>> nx.to_binary(nx.tensor([72, 105], type="u8"))
        b'Hi'
        >>> len(nx.to_binary(nx.tensor([1.0, 2.0, 3.0]), limit=2))
        8
    """
    return _limited("to_binary", _values("to_binary", tensor), limit).tobytes()


def from_binary(binary, type):
    """Nx.from_binary: a one-dimensional tensor of `type` from raw bytes in the machine's byte order.

    Examples:
        >>> nx.from_binary(bytes([1, 2, 3]), "u8")
        nx.Tensor<
          u8[3]
          [1, 2, 3]
        >
    """
    type = dtypes.as_dtype(type)
    if not isinstance(binary, (bytes, bytearray, memoryview)):
        raise NxTypeError(f"from_binary reads bytes, got {binary.__class__.__name__}", op="from_binary")
    size = memoryview(binary).nbytes
    if size % type.itemsize:
        raise NxValueError(f"binary of {size} bytes does not match the given size: not a whole number of "
                           f"{type.name} elements ({type.itemsize} bytes each)", op="from_binary")
    array = np.frombuffer(binary, type.np)
    if type.is_bool and array.size and array.view(np.uint8).max() > 1:
        raise NxValueError("a bool binary holds bytes other than 0 and 1", op="from_binary")
    return tensor(array)


def to_flat_list(tensor, limit=None):
    """Nx.to_flat_list: the elements (the first `limit` when given) as a flat list of Python numbers (bool, int,
    float or complex; inf and nan as floats). Eager only.

    Examples:
        >>> nx.to_flat_list(nx.tensor([[1, 2], [3, 4]]))
        [1, 2, 3, 4]
        >>> nx.to_flat_list(nx.tensor([1.0, nx.nan]), limit=1)
        [1.0]
    """
    array = _values("to_flat_list", tensor)
    type = dtypes.of_numpy(array.dtype)
    if type in dtypes.ML_DTYPES:
        array = array.astype(type.compute_type.np)  # exact; ml_dtypes' scalars are not Python numbers
    return _limited("to_flat_list", array, limit).tolist()


# ---- batches and templates ----

def to_batched(tensor, batch_size, leftover="repeat"):
    """Nx.to_batched: an iterator over batches of `batch_size` along axis 0. When the axis does not divide evenly,
    `leftover="repeat"` (the default) fills the last batch with the first entries again and `leftover="discard"`
    drops the rest. Arguments are checked at once; the batches are sliced as the iterator is read. A vectorized
    tensor is batched along its first vectorized axis, as Nx does: each batch keeps the vectorized axes, the first
    of size `batch_size`.

    Examples:
        >>> [batch.shape for batch in nx.to_batched(nx.iota((5, 2)), 2)]
        [(2, 2), (2, 2), (2, 2)]
        >>> list(nx.to_batched(nx.tensor([1, 2, 3]), 2))[1]
        nx.Tensor<
          s64[2]
          [3, 1]
        >
    """
    t = to_tensor(tensor)
    if not isinstance(batch_size, (int, np.integer)) or isinstance(batch_size, bool) or batch_size < 1:
        raise NxValueError(f"batch_size must be a positive int, got {batch_size!r}", op="to_batched")
    if leftover not in ("repeat", "discard"):
        raise NxValueError(f"leftover must be 'repeat' or 'discard', got {leftover!r}", op="to_batched")
    if not t.shape and not t.vectorized:
        raise NxValueError(f"cannot batch a scalar tensor {t.ttype}", op="to_batched")
    data = devectorize(t, keep_names=False)
    if data.shape[0] < batch_size:
        raise NxValueError(f"cannot batch beyond original tensor: batch_size {batch_size} is larger than axis 0 of "
                           f"{data.ttype}", op="to_batched")
    return _batches(data, int(batch_size), leftover == "repeat", [name for name, _ in t.vectorized])


def _batches(t, size, repeat, vectorized_names):
    """The batches of t along axis 0, each vectorized again along `vectorized_names` (t's leading axes)."""
    total = t.shape[0]
    full, rest = divmod(total, size)
    for start in range(0, full * size, size):
        yield _revectorized(slice_along_axis(t, start, size), vectorized_names)
    if rest and repeat:
        yield _revectorized(concatenate([slice_along_axis(t, full * size, rest), slice_along_axis(t, 0, size - rest)]),
                            vectorized_names)


def _revectorized(batch, names):
    return vectorize(batch, names) if names else batch


def to_template(tensor_or_container):
    """Nx.to_template: nx.template specs (shape, type, names; no data) for a tensor, a number, or tuples, lists and
    dicts of them, kept in the same structure: what f.lower(...) takes.

    Examples:
        >>> nx.to_template({"x": nx.tensor([1.0, 2.0])})
        {'x': nx.template(f32[2])}
    """
    value = tensor_or_container
    if isinstance(value, Template):
        return value
    if isinstance(value, Tensor):
        return Template(value.ttype)
    if isinstance(value, (np.ndarray, np.generic)) or dtypes.weak_type(value) is not None:
        return Template(tensor(value).ttype)
    if value is None:
        return None
    if isinstance(value, tuple):
        items = [to_template(v) for v in value]
        return type(value)(*items) if hasattr(value, "_fields") else type(value)(items)
    if isinstance(value, list):
        return [to_template(v) for v in value]
    if isinstance(value, dict):
        return {k: to_template(v) for k, v in value.items()}
    raise NxTypeError(f"cannot make a template of a {type(value).__name__}: expected tensors, numbers, None and "
                      "tuples, lists and dicts of them", op="to_template")


def to_heatmap(tensor, ansi_enabled=None, ansi_whitespace="\u3000"):
    """Nx.to_heatmap: a heatmap of the tensor that prints as Nx prints it: each matrix (the last two axes; a vector
    is one line) scaled from its smallest to its largest finite value, shown as ANSI grey backgrounds, or, without
    ANSI, as digits 0 to 9 (+, - and x for inf, -inf and nan). `ansi_enabled=None` uses ANSI when stdout is a
    terminal; `ansi_whitespace` is the character each ANSI cell shows (a full-width space by default).

    Examples:
        >>> nx.to_heatmap(nx.tensor([[1, 2, 3], [4, 5, 6]]), ansi_enabled=False)
        nx.Heatmap<
          s64[2][3]
        <BLANKLINE>
          024
          579
        >
    """
    t = to_tensor(tensor)
    if not t.shape:
        raise NxValueError(f"cannot show heatmap for scalar tensors, got {t.ttype}", op="to_heatmap")
    if is_traced(t):
        raise NxTraceError(f"a heatmap needs values; a traced tensor {t.ttype} has none inside defn",
                           op="to_heatmap")
    if t.type.is_complex:
        raise NxTypeError(f"a heatmap needs real values, got {t.ttype}", op="to_heatmap")
    if ansi_enabled not in (None, True, False) or not isinstance(ansi_whitespace, str):
        raise NxTypeError(f"ansi_enabled must be None, True or False and ansi_whitespace a str, got "
                          f"{ansi_enabled!r} and {ansi_whitespace!r}", op="to_heatmap")
    return Heatmap(t, ansi_enabled, ansi_whitespace)


# ---- NumPy files ----

def _read(op, data):
    """The bytes of `data`: a path (str or os.PathLike) is read from disk; bytes-like data is used as it is."""
    if isinstance(data, (str, os.PathLike)):
        with open(data, "rb") as f:
            return f.read()
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data)  # bytes: nothing can write them, so the tensors read them in place
    raise NxTypeError(f"{op} takes bytes or a path, got {type(data).__name__}", op=op)


def load_numpy(data):
    """Nx.load_numpy!: the tensor in a NumPy .npy file, given its bytes or its path. Any dtype numerix has (bool,
    ints, floats, complex), either byte order, C or Fortran order; object arrays are refused (never unpickled).

    Examples:
        >>> import io, numpy as np
        >>> buffer = io.BytesIO()
        >>> np.save(buffer, np.array([1.5, 2.5], dtype=np.float32))
        >>> nx.load_numpy(buffer.getvalue())
        nx.Tensor<
          f32[2]
          [1.5, 2.5]
        >
    """
    raw = _read("load_numpy", data)
    f = io.BytesIO(raw)
    try:
        version = np.lib.format.read_magic(f)
        read_header = {(1, 0): np.lib.format.read_array_header_1_0,
                       (2, 0): np.lib.format.read_array_header_2_0}.get(version)
        if read_header is None:
            raise ValueError(f"version {version[0]}.{version[1]} is not one numerix reads (1.0, 2.0)")
        shape, fortran_order, dtype = read_header(f)
    except ValueError as e:
        raise NxValueError(f"unable to parse NumPy file, it may be corrupted or invalid: {e}",
                           op="load_numpy") from None
    try:
        type = dtypes.of_numpy(dtype.newbyteorder("="))
    except (NxTypeError, ValueError, TypeError):
        raise NxTypeError(f"the NumPy file holds dtype {dtype}, which numerix has no type for",
                          op="load_numpy") from None
    count = int(np.prod(shape, dtype=object))
    if len(raw) - f.tell() != count * dtype.itemsize:
        raise NxValueError(f"unable to parse NumPy file, it may be corrupted or invalid: {dtype}{list(shape)} takes "
                           f"{count * dtype.itemsize} bytes of data, the file has {len(raw) - f.tell()}",
                           op="load_numpy")
    array = np.frombuffer(raw, dtype, count, f.tell()).reshape(shape, order="F" if fortran_order else "C")
    if type.is_bool and array.size and array.view(np.uint8).max() > 1:
        raise NxValueError("the bool NumPy file holds bytes other than 0 and 1", op="load_numpy")
    if not dtype.isnative:
        return shared_tensor(array.astype(type.np))  # swapped into a copy of its own
    return tensor(array)  # over `raw`, bytes nothing else holds: read in place (a Fortran-order one is copied)


def load_numpy_archive(data):
    """Nx.load_numpy_archive!: the arrays of a NumPy .npz archive (given its bytes or its path) as a list of
    (name, tensor) pairs in the archive's order, names without their .npy suffix; dict(...) of it maps them.

    Examples:
        >>> import io, numpy as np
        >>> buffer = io.BytesIO()
        >>> np.savez(buffer, a=np.array([1, 2], dtype=np.int8), b=np.ones(2, dtype=np.float32))
        >>> [(name, t.type) for name, t in nx.load_numpy_archive(buffer.getvalue())]
        [('a', nx.int8), ('b', nx.float32)]
    """
    source = data if isinstance(data, (str, os.PathLike)) else io.BytesIO(_read("load_numpy_archive", data))
    try:
        with zipfile.ZipFile(source) as archive:
            members = [(info.filename, archive.read(info)) for info in archive.infolist()]
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as e:
        raise NxValueError(f"unable to parse NumPy archive, it may be corrupted or invalid: {e}",
                           op="load_numpy_archive") from None
    return [(name[:-len(".npy")] if name.endswith(".npy") else name, load_numpy(raw)) for name, raw in members]
