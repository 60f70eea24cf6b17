"""What the lowerings of the matrix ops (factorize.py, spectral.py) are built from: the Matrices helper over a batch
of matrices, conjugation, sums along an axis, and computing f16/bf16 in f32. A library: it lowers no op itself."""
from iree.compiler import ir

from .dtypes import s64
from .ir import ints
from .lower_convert import convert
from .lower_reduction import reduce


def on_wide(fn):
    """Computes f16/bf16 in f32 and rounds the results once."""
    def lower(b, node):
        dtype = node.types[0].type
        wide_type = dtype.compute_type
        results = fn(b, [convert(b, a, t.type, wide_type) for a, t in zip(node.args, node.types)], wide_type, node)
        return [convert(b, r, o.type.compute_type, o.type) for r, o in zip(results, node.out)]
    return lower


class Matrices:
    """Helpers over a batch of matrices of shape lead + [n, w] and type t."""

    def __init__(self, b, shape, t):
        self.b, self.shape, self.t = b, list(shape), t
        self.lead = self.shape[:-2]
        self.rank = len(self.shape)
        self.rows = self.iota(self.shape, self.rank - 2)
        self.cols = self.iota(self.shape, self.rank - 1)
        self.zero = b.constant(0, (), s64)

    def iota(self, shape, axis):
        return self.b.emit("stablehlo.iota", [], self.b.tensor(shape, s64),
                           iota_dimension=ir.IntegerAttr.get(ir.IntegerType.get_signless(64), axis))

    def spread(self, value, dims, shape=None):
        """value broadcast to `shape` (the full shape by default), its axes landing on `dims`."""
        shape = self.shape if shape is None else shape
        return self.b.emit("stablehlo.broadcast_in_dim", [value],
                           ir.RankedTensorType.get(shape, ir.RankedTensorType(value.type).element_type),
                           broadcast_dimensions=ints(dims))

    def scalar_everywhere(self, scalar):
        return self.spread(scalar, [])

    def lead_everywhere(self, value, shape=None):
        return self.spread(value, list(range(len(self.lead))), shape)

    def column(self, m, j):
        """Column j (a 0-d s64) of m as lead + [n, 1]."""
        return self.b.dynamic_slice(m, [self.zero] * (self.rank - 1) + [j], self.lead + [self.shape[-2], 1])

    def row(self, m, i):
        return self.b.dynamic_slice(m, [self.zero] * (self.rank - 2) + [i, self.zero], self.lead + [1, self.shape[-1]])

    def element(self, m, i, j):
        """m[..., i, j] as lead."""
        out = self.b.dynamic_slice(m, [self.zero] * (self.rank - 2) + [i, j], self.lead + [1, 1])
        return self.b.emit("stablehlo.reshape", [out], self.b.tensor(self.lead, self.t))

    def magnitude(self, x):
        """|x| for reals, |re| + |im| for complex numbers (LAPACK's pivot measure)."""
        b, t = self.b, self.t
        if not t.is_complex:
            return b.unary("stablehlo.abs", x)
        return b.add(b.unary("stablehlo.abs", b.real(x, t)), b.unary("stablehlo.abs", b.imag(x, t)))

    def abs(self, x):
        b, t = self.b, self.t
        return b.unary("stablehlo.abs", x, b.like(x, t.real_type)) if t.is_complex else b.unary("stablehlo.abs", x)


def conjugate(b, x, t):
    return b.complex(b.real(x, t), b.unary("stablehlo.negate", b.imag(x, t)), t) if t.is_complex else x


def sum_over(b, x, axis, t):
    """x summed over `axis`, kept as a size-1 axis."""
    shape = b.shape(x)
    (out,) = reduce(b, [x], [b.constant(0, (), t)], (axis,), lambda acc, v: [b.add(acc, v)])
    kept = list(shape)
    kept[axis] = 1
    return b.emit("stablehlo.reshape", [out], b.tensor(kept, t))
