"""numerix's types: Nx's set (u2, u4, u8..u64, s2, s4, s8..s64, f8 (e5m2), f8_e4m3fn, f16, bf16, f32, f64, c64, c128)
plus bool, with Nx/JAX promotion. The sub-byte integers and the 8-bit floats are stored one element per byte (as
ml_dtypes stores them) and computed in a wider type (`compute_type`).

A DType is also the array API's dtype object (`nx.float32 == t.dtype`)."""
import builtins

import ml_dtypes
import numpy as np

from .errors import NxTypeError


TENSOR = []  # [nx.tensor], filled by frontend/operands.py: what calling a type makes


class DType:
    """A numerix type: its Nx name, kind, bits and NumPy dtype. Calling one makes a tensor of it (Nx's nx.f32(data)).

    Examples:
        >>> nx.f32.name, nx.f32.bits, nx.f32.nx_type
        ('f32', 32, ('f', 32))
        >>> nx.s16([1, 2])
        nx.Tensor<
          s16[2]
          [1, 2]
        >
    """
    __slots__ = ("name", "kind", "bits", "np")

    def __init__(self, name, kind, bits, np_dtype):
        self.name = name  # Nx spelling: "f32"
        self.kind = kind  # "u", "s", "f" (f8_e4m3fn too), "bf", "c" or "bool"
        self.bits = bits
        self.np = np.dtype(np_dtype)

    def __repr__(self):
        return f"nx.{ARRAY_API_NAMES[self.name]}"

    def __str__(self):
        return self.name

    def __eq__(self, other):
        if isinstance(other, DType):
            return self is other
        try:
            return self is as_dtype(other)
        except (NxTypeError, TypeError):
            return False

    def __hash__(self):
        return hash(self.name)

    def __reduce__(self):
        return as_dtype, (self.name,)

    def __call__(self, data):
        """Nx's shorthand `Nx.f32(data)`: nx.f32(data) is nx.tensor(data, type=nx.f32), and so for every type (the
        frontend, a higher layer, puts nx.tensor in TENSOR)."""
        return TENSOR[0](data, self)

    @property
    def itemsize(self):
        return max(self.bits // 8, 1)

    @property
    def nx_type(self):
        """Nx's tuple form, e.g. ("f", 32); ("f8_e4m3fn", 8) for the one type whose Nx kind is its name."""
        return (self.name, self.bits) if self.name == "f8_e4m3fn" else (self.kind, self.bits)

    @property
    def is_bool(self):
        return self.kind == "bool"

    @property
    def is_integer(self):
        return self.kind in ("u", "s")

    @property
    def is_unsigned(self):
        return self.kind == "u"

    @property
    def is_float(self):
        """Real floating point (f8, f8_e4m3fn, f16, bf16, f32, f64)."""
        return self.kind in ("f", "bf")

    @property
    def is_complex(self):
        return self.kind == "c"

    @property
    def is_inexact(self):
        return self.kind in ("f", "bf", "c")

    @property
    def real_type(self):
        """The real counterpart of a complex type (c64 -> f32); other types are their own."""
        return {"c64": f32, "c128": f64}.get(self.name, self)

    @property
    def compute_type(self):
        """The type a value of this type is computed in, the result rounded to this type once: f32 for f16, bf16 and
        the 8-bit floats, as XLA does (NumPy's f16 loops are slow, ml_dtypes' bf16 and f8 lack most ufuncs, LAPACK
        and BLAS have no 16-bit types, and an f32 result rounds correctly to 16 bits or fewer for +-*/ and sqrt); s8
        and u8 for the sub-byte integers (their results wrap back as NumPy's astype wraps); every other type is its
        own."""
        if self.is_float and self.bits <= 16:
            return f32
        if self.is_integer and self.bits < 8:
            return TYPES[f"{self.kind}8"]
        return self


_TABLE = [
    ("bool", "bool", 8, np.bool_, "bool"),
    ("u2", "u", 2, ml_dtypes.uint2, "uint2"),
    ("u4", "u", 4, ml_dtypes.uint4, "uint4"),
    ("u8", "u", 8, np.uint8, "uint8"),
    ("u16", "u", 16, np.uint16, "uint16"),
    ("u32", "u", 32, np.uint32, "uint32"),
    ("u64", "u", 64, np.uint64, "uint64"),
    ("s2", "s", 2, ml_dtypes.int2, "int2"),
    ("s4", "s", 4, ml_dtypes.int4, "int4"),
    ("s8", "s", 8, np.int8, "int8"),
    ("s16", "s", 16, np.int16, "int16"),
    ("s32", "s", 32, np.int32, "int32"),
    ("s64", "s", 64, np.int64, "int64"),
    ("f8", "f", 8, ml_dtypes.float8_e5m2, "float8_e5m2"),
    ("f8_e4m3fn", "f", 8, ml_dtypes.float8_e4m3fn, "float8_e4m3fn"),
    ("f16", "f", 16, np.float16, "float16"),
    ("bf16", "bf", 16, ml_dtypes.bfloat16, "bfloat16"),
    ("f32", "f", 32, np.float32, "float32"),
    ("f64", "f", 64, np.float64, "float64"),
    ("c64", "c", 64, np.complex64, "complex64"),
    ("c128", "c", 128, np.complex128, "complex128"),
]
TYPES = {name: DType(name, kind, bits, npd) for name, kind, bits, npd, _ in _TABLE}
ARRAY_API_NAMES = {name: api for name, *_, api in _TABLE}
_BY_NP = {t.np: t for t in TYPES.values()}

bool_ = TYPES["bool"]
u2, u4, s2, s4 = (TYPES[n] for n in ("u2", "u4", "s2", "s4"))
f8, f8_e4m3fn = TYPES["f8"], TYPES["f8_e4m3fn"]
u8, u16, u32, u64 = (TYPES[n] for n in ("u8", "u16", "u32", "u64"))
s8, s16, s32, s64 = (TYPES[n] for n in ("s8", "s16", "s32", "s64"))
f16, bf16, f32, f64 = (TYPES[n] for n in ("f16", "bf16", "f32", "f64"))
c64, c128 = TYPES["c64"], TYPES["c128"]
# The types NumPy lacks, whose arrays ml_dtypes gives: NumPy's own buffer, DLPack and text paths do not know them.
ML_DTYPES = frozenset(t for t in TYPES.values() if t.np.type.__module__.startswith("ml_dtypes"))

DEFAULT_FLOAT = f32
DEFAULT_INT = s64
DEFAULT_COMPLEX = c64

_ALIASES = {"pred": "bool", "b": "bool", "uint8": "u8", "uint16": "u16", "uint32": "u32", "uint64": "u64",
            "int8": "s8", "int16": "s16", "int32": "s32", "int64": "s64", "i8": "s8", "i16": "s16",
            "i32": "s32", "i64": "s64", "float16": "f16", "bfloat16": "bf16", "float32": "f32",
            "float64": "f64", "complex64": "c64", "complex128": "c128", "half": "f16", "float": "f32",
            "double": "f64", "uint2": "u2", "uint4": "u4", "int2": "s2", "int4": "s4", "i2": "s2", "i4": "s4",
            "f8_e5m2": "f8", "float8_e5m2": "f8", "float8_e4m3fn": "f8_e4m3fn"}


def as_dtype(spec):
    """Accepts a DType, an Nx name ("f32"), an Nx tuple (("f", 32)), a NumPy dtype or scalar type, or a Python
    type (bool, int, float, complex: the defaults). Anything else is an NxTypeError that names it.

    Examples:
        >>> nx.as_dtype("f32"), nx.as_dtype(("s", 16)), nx.as_dtype(float)
        (nx.float32, nx.int16, nx.float32)
    """
    if isinstance(spec, DType):
        return spec
    if isinstance(spec, str):
        name = _ALIASES.get(spec, spec)
        if name in TYPES:
            return TYPES[name]
    elif isinstance(spec, tuple) and len(spec) == 2:
        kind, bits = spec
        kind = {"i": "s", "pred": "bool"}.get(kind, kind)
        name = "bool" if kind == "bool" else kind if kind == "f8_e4m3fn" and bits == 8 else f"{kind}{bits}"
        if name in TYPES and (kind != "bool" or bits in (1, 8)):
            return TYPES[name]
    elif spec is builtins.bool:
        return bool_
    elif spec is int:
        return DEFAULT_INT
    elif spec is float:
        return DEFAULT_FLOAT
    elif spec is complex:
        return DEFAULT_COMPLEX
    else:
        try:
            found = _BY_NP.get(np.dtype(spec))
        except (TypeError, ValueError):
            found = None
        if found is not None:
            return found
    raise NxTypeError(f"unknown type {spec!r}; expected one of {', '.join(TYPES)} (or a NumPy dtype, an Nx tuple "
                      "such as ('f', 32), or bool/int/float/complex)", op="type")


def of_numpy(np_dtype):
    """The numerix type of a NumPy dtype; NumPy types numerix lacks (strings, objects, datetimes) are errors."""
    found = _BY_NP.get(np.dtype(np_dtype))
    if found is None:
        raise NxTypeError(f"NumPy dtype {np.dtype(np_dtype)} has no numerix type", op="tensor")
    return found


# ---- promotion (Nx/JAX lattice) ----

def _int_join(a, b):
    if a.kind == b.kind:
        return a if a.bits >= b.bits else b
    u, s = (a, b) if a.kind == "u" else (b, a)
    if s.bits > u.bits:
        return s
    return TYPES[f"s{min(u.bits * 2, 64)}"]


def _float_join(a, b):
    if a is b:
        return a
    if {a.name, b.name} == {"f16", "bf16"}:
        return f32
    if a.bits == b.bits == 8:  # as Nx and JAX: the two 8-bit formats have no common 8-bit type
        raise NxTypeError(f"cannot merge {a.name} and {b.name}, convert one of them with as_type first",
                          op="promote")
    return a if a.bits >= b.bits else b


def _complex_of(real_bits):
    return c128 if real_bits > 32 else c64


def promote_types(a, b):
    """The result type of a binary op on tensors of types a and b (Nx's and JAX's promotion).

    Examples:
        >>> nx.promote_types(nx.u8, nx.s8), nx.promote_types("f16", "bf16")
        (nx.int16, nx.float32)
    """
    a, b = as_dtype(a), as_dtype(b)
    if a is b:
        return a
    if a.is_bool:
        return b
    if b.is_bool:
        return a
    if a.is_complex or b.is_complex:
        bits = max(x.bits // 2 if x.is_complex else (x.bits if x.is_inexact else 0) for x in (a, b))
        return _complex_of(bits)
    if a.is_float and b.is_float:
        return _float_join(a, b)
    if a.is_float:
        return a
    if b.is_float:
        return b
    return _int_join(a, b)


def weak_type(value):
    """The kind a Python scalar has when it meets a tensor: "bool", "int", "float" or "complex", or None."""
    if isinstance(value, (builtins.bool, np.bool_)):
        return "bool"
    if isinstance(value, (int, np.integer)) and not isinstance(value, np.generic):
        return "int"
    if isinstance(value, float) and not isinstance(value, np.generic):
        return "float"
    if isinstance(value, complex) and not isinstance(value, np.generic):
        return "complex"
    return None


def promote_weak(tensor_type, weak):
    """The result type of a tensor of `tensor_type` meeting a Python scalar of kind `weak` (JAX's weak typing:
    f16 * 2.0 stays f16, s8 + 1 stays s8, s32 + 2.5 becomes the default float)."""
    t = as_dtype(tensor_type)
    if weak == "bool":
        return t
    if weak == "int":
        return DEFAULT_INT if t.is_bool else t
    if weak == "float":
        return t if t.is_inexact else DEFAULT_FLOAT
    if weak == "complex":
        if t.is_complex:
            return t
        return _complex_of(t.bits) if t.is_float else DEFAULT_COMPLEX
    raise NxTypeError(f"not a Python scalar kind: {weak!r}", op="promote")


def default_type_of_scalar(value):
    return {"bool": bool_, "int": DEFAULT_INT, "float": DEFAULT_FLOAT, "complex": DEFAULT_COMPLEX}[weak_type(value)]


def to_float(t):
    """The floating type an op on floats computes in for input type t (ints and bool go to the default float)."""
    t = as_dtype(t)
    return t if t.is_inexact else DEFAULT_FLOAT


class finfo:
    """The array API's finfo: bits, eps, max, min, smallest_normal, dtype.

    Examples:
        >>> nx.finfo(nx.f32).eps, nx.finfo("bf16").bits
        (1.1920928955078125e-07, 16)
    """

    def __init__(self, type):
        t = type.type if hasattr(type, "type") and not isinstance(type, DType) else as_dtype(type)
        if not t.is_inexact:
            raise NxTypeError(f"finfo needs a floating or complex type, got {t}", op="finfo")
        info = ml_dtypes.finfo(t.real_type.np)  # NumPy's finfo lacks ml_dtypes' types
        self.dtype = t.real_type
        self.bits = self.dtype.bits
        self.eps = float(info.eps)
        self.max = float(info.max)
        self.min = float(info.min)
        self.smallest_normal = float(info.smallest_normal)
        self.resolution = float(info.resolution)

    def __repr__(self):
        return f"finfo(dtype={self.dtype.name}, bits={self.bits}, eps={self.eps}, max={self.max})"


class iinfo:
    """The array API's iinfo: bits, max, min, dtype.

    Examples:
        >>> nx.iinfo(nx.u8).max, nx.iinfo("s4").min
        (255, -8)
    """

    def __init__(self, type):
        t = type.type if hasattr(type, "type") and not isinstance(type, DType) else as_dtype(type)
        if not t.is_integer:
            raise NxTypeError(f"iinfo needs an integer type, got {t}", op="iinfo")
        info = ml_dtypes.iinfo(t.np)  # NumPy's iinfo lacks ml_dtypes' types
        self.dtype = t
        self.bits = t.bits
        self.max = int(info.max)
        self.min = int(info.min)

    def __repr__(self):
        return f"iinfo(dtype={self.dtype.name}, bits={self.bits}, min={self.min}, max={self.max})"
