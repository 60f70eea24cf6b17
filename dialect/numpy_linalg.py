"""NumPy rules for the linear algebra nx ops. f16 and bf16 compute in f32 (LAPACK and BLAS have no half types)."""
import math

import numpy as np

from numerix.dialect.errors import NxValueError

from .rules import numpy_rule, widen_half


@numpy_rule("dot")
@widen_half
def _dot(a, b, contract_axes_a, batch_axes_a, contract_axes_b, batch_axes_b):
    """dot_general as one batched matmul: a to (batch, free, contract), b to (batch, contract, free)."""
    free_a = [i for i in range(a.ndim) if i not in contract_axes_a + batch_axes_a]
    free_b = [j for j in range(b.ndim) if j not in contract_axes_b + batch_axes_b]
    batch_shape = [a.shape[i] for i in batch_axes_a]
    free_a_shape, free_b_shape = [a.shape[i] for i in free_a], [b.shape[j] for j in free_b]
    contracted = math.prod(a.shape[i] for i in contract_axes_a)
    a3 = np.transpose(a, batch_axes_a + tuple(free_a) + contract_axes_a).reshape(
        math.prod(batch_shape), math.prod(free_a_shape), contracted)
    b3 = np.transpose(b, batch_axes_b + contract_axes_b + tuple(free_b)).reshape(
        math.prod(batch_shape), contracted, math.prod(free_b_shape))
    return np.matmul(a3, b3).reshape(batch_shape + free_a_shape + free_b_shape)


def _lapack(op, fn):
    """Runs a LAPACK-backed NumPy function; its LinAlgError (a singular or non-positive-definite matrix, a
    factorization that did not converge) becomes a numerix error naming the op."""
    def wrapped(*arrays, **attrs):
        try:
            return fn(*arrays, **attrs)
        except np.linalg.LinAlgError as e:
            shapes = ", ".join(f"{a.dtype}{list(a.shape)}" for a in arrays)
            raise NxValueError(f"{e} (operands {shapes})", op=op) from None
    return widen_half(wrapped)


numpy_rule("cholesky")(_lapack("cholesky", np.linalg.cholesky))
numpy_rule("eigh")(_lapack("eigh", lambda x: tuple(np.linalg.eigh(x, UPLO="L"))))
numpy_rule("qr")(_lapack("qr", lambda x, mode: tuple(np.linalg.qr(x, mode=mode))))
numpy_rule("svd")(_lapack("svd", lambda x, full_matrices: tuple(np.linalg.svd(x, full_matrices=full_matrices))))
numpy_rule("solve")(_lapack("solve", np.linalg.solve))
numpy_rule("det")(_lapack("det", np.linalg.det))
numpy_rule("slogdet")(_lapack("slogdet", lambda x: tuple(np.linalg.slogdet(x))))
