"""IREE 3.13 stores the real part of a hoisted constant complex value in place of its imaginary part; the
iree-complex-constant-barriers pass keeps such values out of IREE's constant expressions."""
import numpy as np

import numerix as nx


def test_complex_constant_keeps_its_imaginary_part():
    weights = nx.tensor(np.array([1.0, 2.0, 3.0]))

    def fn(x):
        row = nx.reshape(nx.as_type(weights, x.type), (1, 3))
        diagonal = row * nx.eye(3, type=x.type)  # complex, from constants alone
        return diagonal, x @ diagonal
    x = np.arange(9.0).reshape(3, 3) + 1j
    diagonal, product = nx.defn(fn, compiler="iree")(nx.tensor(x))
    np.testing.assert_array_equal(diagonal.numpy(), np.diag([1.0, 2.0, 3.0]).astype(np.complex128))
    np.testing.assert_allclose(product.numpy(), x @ np.diag([1.0, 2.0, 3.0]), rtol=1e-15)
