"""NumPy rule for the fft nx op (NumPy's pocketfft; the backend casts results back to the inferred type, so c64
stays c64)."""
import numpy as np

from .rules import numpy_rule

_TRANSFORMS = {"fft": np.fft.fftn, "ifft": np.fft.ifftn, "rfft": np.fft.rfftn, "irfft": np.fft.irfftn}


@numpy_rule("fft")
def _fft(x, kind, lengths):
    axes = tuple(range(x.ndim - len(lengths), x.ndim))
    return _TRANSFORMS[kind](x, s=lengths, axes=axes)
