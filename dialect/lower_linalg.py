"""Lowerings of the linear algebra nx ops (dialect/linalg.py). dot is stablehlo.dot_general, or, when it is large, a
linalg.generic marked for IREE's data tiling (from `b.data_tiling_flops` flops, which passes/iree_policy.py sets).
StableHLO has no solver ops IREE compiles, so the factorizations are loops (stablehlo.while) of O(n^2) masked updates
over the (batched) matrices: solve, det and slogdet eliminate with partial pivoting as LAPACK's getrf does (the largest
|re| + |im| in the column, the first one on ties), cholesky is the right-looking Cholesky. f16 and bf16 are computed in
f32 and rounded once, as the NumPy rules do.

Where NumPy raises LinAlgError (a singular matrix for solve, a matrix that is not positive definite for
cholesky), compiled code cannot raise: it gives NaN. det of a singular matrix is 0 and slogdet gives (0, -inf),
as NumPy does."""
import numpy as np
from iree.compiler import ir

from numerix.dialect.dtypes import bf16, bool_, f16, f32, f64, s64

from .linalg import dot_flops
from .lower_convert import convert
from .lower_reduction import arg_extreme, reduce
from .lowering import lowers, storage_element


def ints(values):
    return ir.DenseI64ArrayAttr.get([int(v) for v in values])


def _wide(dtype):
    return f32 if dtype in (f16, bf16) else dtype


@lowers("dot")
def _dot(b, node):
    a, c = node.args
    dtype = node.types[0].type
    wide = _wide(dtype)
    attrs = node.attrs
    if dtype in (f32, f64) and \
            dot_flops(node.types[0].shape, attrs["contract_axes_a"], node.out[0].shape) >= b.data_tiling_flops:
        return _marked_contraction(b, node)
    numbers = ir.Attribute.parse(
        f"#stablehlo.dot<lhs_batching_dimensions = {list(attrs['batch_axes_a'])}, "
        f"rhs_batching_dimensions = {list(attrs['batch_axes_b'])}, "
        f"lhs_contracting_dimensions = {list(attrs['contract_axes_a'])}, "
        f"rhs_contracting_dimensions = {list(attrs['contract_axes_b'])}>")
    out = node.out[0]
    product = b.emit("stablehlo.dot_general", [convert(b, a, dtype, wide), convert(b, c, dtype, wide)],
                     b.tensor(out.shape, wide), dot_dimension_numbers=numbers)
    return convert(b, product, wide, dtype)


def _marked_contraction(b, node):
    """dot as a linalg.generic over (result axes..., contracted axes...) marked iree.opt.data_tiling: a's and b's
    axes map onto those loops as dot_general's dimension numbers say, the body multiplies and accumulates."""
    (a, c), attrs, out = node.args, node.attrs, node.out[0]
    batch = (attrs["batch_axes_a"], attrs["batch_axes_b"])
    contract = (attrs["contract_axes_a"], attrs["contract_axes_b"])
    free = [[i for i in range(len(t.shape)) if i not in batch[k] + contract[k]] for k, t in enumerate(node.types)]
    results, loops = len(out.shape), len(out.shape) + len(contract[0])
    first_free = (len(batch[0]), len(batch[0]) + len(free[0]))  # where each operand's free axes start in the result
    maps = []
    for k, t in enumerate(node.types):
        loop_of = {axis: i for i, axis in enumerate(batch[k])}
        loop_of.update({axis: first_free[k] + i for i, axis in enumerate(free[k])})
        loop_of.update({axis: results + i for i, axis in enumerate(contract[k])})
        maps.append(ir.AffineMap.get(loops, 0, [ir.AffineDimExpr.get(loop_of[axis]) for axis in range(len(t.shape))]))
    maps.append(ir.AffineMap.get(loops, 0, [ir.AffineDimExpr.get(i) for i in range(results)]))
    result_type = b.tensor(out.shape, out.type)
    element = storage_element(out.type)
    init = ir.Operation.create("linalg.fill", results=[result_type], operands=[
        b.emit("arith.constant", [], element, value=ir.FloatAttr.get(element, 0.0)),
        ir.Operation.create("tensor.empty", results=[result_type]).result],
        attributes={"operandSegmentSizes": ir.DenseI32ArrayAttr.get([1, 1])}, regions=1)
    fill_body = init.regions[0].blocks.append(element, element)
    with ir.InsertionPoint(fill_body):
        ir.Operation.create("linalg.yield", results=[], operands=[fill_body.arguments[0]])
    iterators = ir.Attribute.parse("[" + ", ".join(
        f"#linalg.iterator_type<{'parallel' if i < results else 'reduction'}>" for i in range(loops)) + "]")
    generic = ir.Operation.create(
        "linalg.generic", results=[result_type], operands=[a, c, init.result],
        attributes={"indexing_maps": ir.ArrayAttr.get([ir.AffineMapAttr.get(m) for m in maps]),
                    "iterator_types": iterators, "iree.opt.data_tiling": ir.UnitAttr.get(),
                    "operandSegmentSizes": ir.DenseI32ArrayAttr.get([2, 1])},
        regions=1)
    body = generic.regions[0].blocks.append(element, element, element)
    with ir.InsertionPoint(body):
        x, y, accumulated = body.arguments
        total = b.emit("arith.addf", [accumulated, b.emit("arith.mulf", [x, y], element)], element)
        ir.Operation.create("linalg.yield", results=[], operands=[total])
    return generic.result


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


def _eliminate(b, m, n, t, jordan):
    """Elimination with partial pivoting of the matrices m (lead + [n, w]): LU (getrf's arithmetic: rows below
    the pivot lose a_ri / pivot times the pivot row), or Gauss-Jordan on an augmented matrix (every other row, the
    pivot row normalized; the last w - n columns then solve the system). Returns the eliminated m, det, log|det| and
    the phase of det (its sign)."""
    mat = Matrices(b, b.shape(m), t)
    real = t.real_type
    lead = mat.lead
    row_index = mat.iota(lead + [n], len(lead))

    def condition(i, *_):
        return b.compare("LT", i, b.constant(n, (), s64), s64)

    def body(i, m, det, log, phase):
        column = b.emit("stablehlo.reshape", [mat.column(m, i)], b.tensor(lead + [n], t))
        candidates = b.select(b.compare("GE", row_index, mat.spread(i, [], lead + [n]), s64),
                              mat.magnitude(column), b.constant(-1, lead + [n], real))
        pivot_row = arg_extreme(b, candidates, real, len(lead), "max", "low")  # lead
        p_full, i_full = mat.lead_everywhere(pivot_row), mat.scalar_everywhere(i)
        row_i = mat.row(m, i)
        at_p = b.compare("EQ", mat.rows, p_full, s64)
        (row_p,) = reduce(b, [b.select(at_p, m, b.constant(0, mat.shape, t))], [b.constant(0, (), t)],
                          (mat.rank - 2,), lambda acc, v: [b.add(acc, v)])
        row_p = b.emit("stablehlo.reshape", [row_p], b.tensor(lead + [1, mat.shape[-1]], t))
        full_rows = list(range(mat.rank))
        m = b.select(b.compare("EQ", mat.rows, i_full, s64), mat.spread(row_p, full_rows),
                     b.select(at_p, mat.spread(row_i, full_rows), m))
        pivot = mat.element(m, i, i)
        swapped = b.compare("NE", pivot_row, mat.spread(i, [], lead), s64)
        det = b.select(swapped, b.unary("stablehlo.negate", det), det)
        phase = b.select(swapped, b.unary("stablehlo.negate", phase), phase)
        size = mat.abs(pivot)
        zero_pivot = b.compare_zero("EQ", size, real)
        det = b.mul(det, pivot)
        log = b.add(log, b.unary("stablehlo.log", size))
        unit = b.div(pivot, convert(b, b.select(zero_pivot, b.constant(1, lead, real), size), real, t))
        phase = b.select(zero_pivot, b.constant(0, lead, t), b.mul(phase, unit))
        safe = mat.lead_everywhere(b.select(zero_pivot, b.constant(1, lead, t), pivot))  # a zero pivot: no NaN
        eliminated = b.compare("NE" if jordan else "GT", mat.rows, i_full, s64)
        pivot_row = mat.spread(mat.row(m, i), full_rows)
        column = mat.spread(mat.column(m, i), full_rows)
        if jordan:
            pivot_row = b.div(pivot_row, safe)
            factors = column
        else:
            factors = b.div(column, safe)
        m = b.sub(m, b.mul(b.select(eliminated, factors, b.constant(0, mat.shape, t)), pivot_row))
        if jordan:
            m = b.select(b.compare("EQ", mat.rows, i_full, s64), pivot_row, m)
        return [b.add(i, b.constant(1, (), s64)), m, det, log, phase]

    inits = [b.constant(0, (), s64), m, b.constant(1, lead, t), b.constant(0, lead, real), b.constant(1, lead, t)]
    return b.while_loop(inits, condition, body)[1:]


def on_wide(fn):
    """Computes f16/bf16 in f32 and rounds the results once."""
    def lower(b, node):
        dtype = node.types[0].type
        wide = _wide(dtype)
        results = fn(b, [convert(b, a, t.type, wide) for a, t in zip(node.args, node.types)], wide, node)
        return [convert(b, r, _wide(o.type), o.type) for r, o in zip(results, node.out)]
    return lower


@lowers("solve")
@on_wide
def _solve(b, args, t, node):
    a, rhs = args
    n = node.types[0].shape[-1]
    shape = b.shape(rhs)
    augmented = b.emit("stablehlo.concatenate", [a, rhs], b.tensor(shape[:-1] + [n + shape[-1]], t),
                       dimension=ir.IntegerAttr.get(ir.IntegerType.get_signless(64), len(shape) - 1))
    reduced, det, _, _ = _eliminate(b, augmented, n, t, jordan=True)
    rank = len(shape)
    solution = b.emit("stablehlo.slice", [reduced], b.tensor(shape, t), start_indices=ints([0] * (rank - 1) + [n]),
                      limit_indices=ints(shape[:-1] + [n + shape[-1]]), strides=ints([1] * rank))
    singular = b.compare_zero("EQ", det, t)
    singular = b.emit("stablehlo.broadcast_in_dim", [singular], b.tensor(shape, bool_),
                      broadcast_dimensions=ints(range(rank - 2)))
    return [b.select(singular, b.constant(np.nan, shape, t), solution)]


@lowers("det")
@on_wide
def _det(b, args, t, node):
    n = node.types[0].shape[-1]
    return [_eliminate(b, args[0], n, t, jordan=False)[1]]


@lowers("slogdet")
@on_wide
def _slogdet(b, args, t, node):
    n = node.types[0].shape[-1]
    _, _, log, phase = _eliminate(b, args[0], n, t, jordan=False)
    return [phase, log]


@lowers("cholesky")
@on_wide
def _cholesky(b, args, t, node):
    """Right-looking: column j is a[j:, j] / sqrt(a[j, j]); the trailing block loses its outer product (reading
    the lower triangle only, as NumPy does); the strict upper triangle is zeroed at the end."""
    (a,) = args
    n = node.types[0].shape[-1]
    mat = Matrices(b, b.shape(a), t)
    real = t.real_type
    full = list(range(mat.rank))

    def condition(j, _):
        return b.compare("LT", j, b.constant(n, (), s64), s64)

    def body(j, a):
        diagonal = mat.element(a, j, j)
        if t.is_complex:
            diagonal = convert(b, b.real(diagonal, t), real, t)
        root = b.unary("stablehlo.sqrt", diagonal)
        j_full = mat.scalar_everywhere(j)
        below = b.compare("GT", mat.rows, j_full, s64)
        column = mat.spread(mat.column(a, j), full)
        scaled = b.select(below, b.div(column, mat.lead_everywhere(root)), b.constant(0, mat.shape, t))
        transposed = b.emit("stablehlo.transpose", [scaled], scaled.type,
                            permutation=ints(list(range(mat.rank - 2)) + [mat.rank - 1, mat.rank - 2]))
        if t.is_complex:
            transposed = b.complex(b.real(transposed, t), b.unary("stablehlo.negate", b.imag(transposed, t)), t)
        # outer(scaled, conj(scaled)): column j of `scaled` against row j of its conjugate transpose
        outer = b.mul(mat.spread(mat.column(scaled, j), full), mat.spread(mat.row(transposed, j), full))
        a = b.sub(a, outer)
        on_column = b.and_(below, b.compare("EQ", mat.cols, j_full, s64))
        a = b.select(on_column, scaled, a)
        on_diagonal = b.and_(b.compare("EQ", mat.rows, j_full, s64), b.compare("EQ", mat.cols, j_full, s64))
        a = b.select(on_diagonal, mat.lead_everywhere(root), a)
        return [b.add(j, b.constant(1, (), s64)), a]

    _, a = b.while_loop([b.constant(0, (), s64), a], condition, body)
    upper = b.compare("GT", mat.cols, mat.rows, s64)
    return [b.select(upper, b.constant(0, mat.shape, t), a)]


def conj(b, x, t):
    return b.complex(b.real(x, t), b.unary("stablehlo.negate", b.imag(x, t)), t) if t.is_complex else x


def sum_over(b, x, axis, t):
    """x summed over `axis`, kept as a size-1 axis."""
    shape = b.shape(x)
    (out,) = reduce(b, [x], [b.constant(0, (), t)], (axis,), lambda acc, v: [b.add(acc, v)])
    kept = list(shape)
    kept[axis] = 1
    return b.emit("stablehlo.reshape", [out], b.tensor(kept, t))
