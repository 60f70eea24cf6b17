"""The general contraction nx op `dot` (StableHLO's dot_general): its schema, NumPy rule, VJP and lowering, and its
FLOP count (the IREE policy, passes/iree_policy.py, reads it too).

It lowers to stablehlo.dot_general, or, when it is large, to a linalg.generic marked for IREE's data tiling (from
`b.data_tiling_flops` flops, which passes/iree_policy.py sets); one of no flops (a sum over an empty axis, or no
result elements) is a zero constant. f16 and bf16 compute in f32 and round once."""
import math

import numpy as np
from iree.compiler import ir

from . import algebra as alg, batching
from .dtypes import f32, f64
from .errors import NxShapeError, NxValueError
from .lower_convert import convert
from .lowering import storage_element
from .rules import define, widen_half
from .schema import TensorType, check_axes, require, same_types


def dot_flops(a_shape, contract_axes_a, out_shape):
    """Multiplies and adds of a contraction."""
    return 2 * math.prod(out_shape) * math.prod(a_shape[axis] for axis in contract_axes_a)


def _infer_dot(types, contract_axes_a, batch_axes_a, contract_axes_b, batch_axes_b):
    """Contracts a's contract axes with b's, pairwise, and pairs the batch axes. The result's axes are the batch
    axes, then a's free axes, then b's free axes, each in operand order (dot_general's layout). Names: a batch
    axis takes a's name (b's where a's is unnamed); free axes keep theirs."""
    a, b = types
    same_types("dot", types)
    require("dot", a, "number")
    for t, contract, batch in ((a, contract_axes_a, batch_axes_a), (b, contract_axes_b, batch_axes_b)):
        check_axes("dot", contract + batch, len(t.shape))
    if len(contract_axes_a) != len(contract_axes_b) or len(batch_axes_a) != len(batch_axes_b):
        raise NxValueError(f"needs as many contract (and batch) axes in a as in b: contract {list(contract_axes_a)} "
                           f"vs {list(contract_axes_b)}, batch {list(batch_axes_a)} vs {list(batch_axes_b)}", op="dot")
    for kind, axes_a, axes_b in (("contract", contract_axes_a, contract_axes_b),
                                 ("batch", batch_axes_a, batch_axes_b)):
        for i, j in zip(axes_a, axes_b):
            if a.shape[i] != b.shape[j]:
                raise NxShapeError(f"{kind} axis {i} of a ({a}) has size {a.shape[i]} but axis {j} of b ({b}) has "
                                   f"size {b.shape[j]}", op="dot")
    free_a = [i for i in range(len(a.shape)) if i not in contract_axes_a + batch_axes_a]
    free_b = [j for j in range(len(b.shape)) if j not in contract_axes_b + batch_axes_b]
    shape = [a.shape[i] for i in batch_axes_a] + [a.shape[i] for i in free_a] + [b.shape[j] for j in free_b]
    names = [a.names[i] if a.names[i] is not None else b.names[j] for i, j in zip(batch_axes_a, batch_axes_b)]
    names += [a.names[i] for i in free_a] + [b.names[j] for j in free_b]
    return TensorType(tuple(shape), a.type, tuple(names))


@widen_half  # BLAS has no half types
def _numpy_dot(a, b, contract_axes_a, batch_axes_a, contract_axes_b, batch_axes_b):
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


def _dot_cotangent(g, other, this_axes, free_this, batch_this, contract_this, g_other_free, other_free,
                   batch_other, contract_other):
    """The cotangent of one dot operand: g contracted with the other operand over the other's free axes, batch
    axes paired, then permuted into this operand's axis order. g holds (batch, a's free, b's free)."""
    nb = len(batch_this)
    out = alg.apply("dot", [g, other], contract_axes_a=tuple(g_other_free), batch_axes_a=tuple(range(nb)),
                    contract_axes_b=tuple(other_free), batch_axes_b=tuple(batch_other))
    # out holds (batch, this operand's free axes, the other's contract axes in its axis order).
    position = {}
    for i, axis in enumerate(batch_this):
        position[axis] = i
    for i, axis in enumerate(free_this):
        position[axis] = nb + i
    paired = dict(zip(contract_other, contract_this))
    for i, axis in enumerate(sorted(contract_other)):
        position[paired[axis]] = nb + len(free_this) + i
    order = tuple(position[axis] for axis in range(this_axes))
    return alg.transpose(out, order)


def _vjp_dot(cotangents, operands, results, contract_axes_a, batch_axes_a, contract_axes_b, batch_axes_b):
    # The transpose of dot_general, without conjugation (JAX's convention for complex numbers).
    (g,), (a, b) = cotangents, operands
    free_a = [i for i in range(a.ndim) if i not in contract_axes_a + batch_axes_a]
    free_b = [j for j in range(b.ndim) if j not in contract_axes_b + batch_axes_b]
    nb = len(batch_axes_a)
    g_free_a = range(nb, nb + len(free_a))
    g_free_b = range(nb + len(free_a), g.ndim)
    a_cotangent = _dot_cotangent(g, b, a.ndim, free_a, batch_axes_a, contract_axes_a, g_free_b, free_b,
                                 batch_axes_b, contract_axes_b)
    b_cotangent = _dot_cotangent(g, a, b.ndim, free_b, batch_axes_b, contract_axes_b, g_free_a, free_a,
                                 batch_axes_a, contract_axes_a)
    return [a_cotangent, b_cotangent]


def _lower_dot(b, node):
    a, c = node.args
    dtype = node.types[0].type
    wide_type = dtype.compute_type
    attrs = node.attrs
    out = node.out[0]
    flops = dot_flops(node.types[0].shape, attrs["contract_axes_a"], out.shape)
    if flops == 0:  # an empty result, or sums over an empty axis: IREE's code generation crashes on the latter
        return b.constant(0, out.shape, dtype)
    if dtype in (f32, f64) and flops >= b.data_tiling_flops:
        return _marked_contraction(b, node)
    numbers = ir.Attribute.parse(
        f"#stablehlo.dot<lhs_batching_dimensions = {list(attrs['batch_axes_a'])}, "
        f"rhs_batching_dimensions = {list(attrs['batch_axes_b'])}, "
        f"lhs_contracting_dimensions = {list(attrs['contract_axes_a'])}, "
        f"rhs_contracting_dimensions = {list(attrs['contract_axes_b'])}>")
    operands = [convert(b, a, dtype, wide_type), convert(b, c, dtype, wide_type)]
    if wide_type is not dtype and math.prod(node.types[0].shape[i] for i in attrs["contract_axes_a"]) == 1:
        # IREE 3.13 fails to build a dot over one element of widened f16/bf16 operands read by a gather ("failed to
        # legalize unresolved source materialization"; the fuzzer's x[[0]] @ x[[0]] in f16): the widened operands
        # reach it through a barrier.
        operands = b.barrier(*operands)
    product = b.emit("stablehlo.dot_general", operands, b.tensor(out.shape, wide_type), dot_dimension_numbers=numbers)
    return convert(b, product, wide_type, dtype)


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


def _batch_dot(operands, batched, contract_axes_a, batch_axes_a, contract_axes_b, batch_axes_b):
    """Both batched: one more batch axis, in front. One batched: its batch axis is a free axis of the contraction,
    moved to the front of the result from where dot_general's layout puts it."""
    a, b = operands
    shifted_a = (batching.shift(contract_axes_a), batching.shift(batch_axes_a)) if batched[0] else \
        (contract_axes_a, batch_axes_a)
    shifted_b = (batching.shift(contract_axes_b), batching.shift(batch_axes_b)) if batched[1] else \
        (contract_axes_b, batch_axes_b)
    if all(batched):
        return alg.apply("dot", [a, b], contract_axes_a=shifted_a[0], batch_axes_a=(0,) + shifted_a[1],
                         contract_axes_b=shifted_b[0], batch_axes_b=(0,) + shifted_b[1])
    out = alg.apply("dot", [a, b], contract_axes_a=shifted_a[0], batch_axes_a=shifted_a[1],
                    contract_axes_b=shifted_b[0], batch_axes_b=shifted_b[1])
    free_a = a.ndim - len(contract_axes_a) - len(batch_axes_a)
    return batching.move_axis(out, len(batch_axes_a) + (0 if batched[0] else free_a), 0)


define("dot", 2, _infer_dot, attrs={"contract_axes_a": "ints", "batch_axes_a": "ints", "contract_axes_b": "ints",
                                    "batch_axes_b": "ints"},
       numpy=_numpy_dot, vjp=_vjp_dot, lower=_lower_dot, batch=_batch_dot)
