"""The discrete Fourier transform nx op, shaped like StableHLO's fft: it transforms the trailing len(lengths) axes.

kind: "fft" (complex -> complex), "ifft" (complex -> complex, scaled by 1/n as StableHLO's IFFT is), "rfft" (real ->
complex, the last axis keeping lengths[-1] // 2 + 1 frequencies) or "irfft" (complex -> real of `lengths`). Unlike
StableHLO, an operand axis may differ from its length: it is cut or zero-padded at the end first (NumPy's `n`), so
the lowering inserts the slice or pad."""
from numerix.dialect import dtypes
from numerix.dialect.errors import NxTypeError, NxValueError
from .rules import define
from .schema import TensorType

_COMPLEX_OF = {"f32": dtypes.c64, "f64": dtypes.c128}


def _infer_fft(types, kind, lengths):
    (x,) = types
    if kind not in ("fft", "ifft", "rfft", "irfft"):
        raise NxValueError(f"kind must be fft, ifft, rfft or irfft, got {kind!r}", op="fft")
    if not 1 <= len(lengths) <= len(x.shape):
        raise NxValueError(f"needs 1 to rank (here {len(x.shape)}) lengths, got {list(lengths)} for {x}", op="fft")
    if any(n < 1 for n in lengths):
        raise NxValueError(f"lengths must be positive, got {list(lengths)}", op="fft")
    if kind == "rfft":
        if x.type.name not in _COMPLEX_OF:
            raise NxTypeError(f"rfft needs an f32 or f64 operand, got {x}", op="fft")
        out_type = _COMPLEX_OF[x.type.name]
    elif not x.type.is_complex:
        raise NxTypeError(f"{kind} needs a complex operand, got {x}", op="fft")
    else:
        out_type = x.type.real_type if kind == "irfft" else x.type
    trailing = list(lengths)
    if kind == "rfft":
        trailing[-1] = lengths[-1] // 2 + 1
    shape = x.shape[:len(x.shape) - len(lengths)] + tuple(trailing)
    return TensorType(shape, out_type, x.names)


define("fft", 1, _infer_fft, attrs={"kind": "str", "lengths": "ints"})
