"""The table of nx -> StableHLO lowerings and the builder they emit through.

One entry per nx op, from its declaration (rules.define's `lower`): `fn(b, node) -> Value or list of Values`, where `b`
is a Builder (it emits at the op's place, with the op's location) and `node` gives the lowered operands and the op's nx
types and attributes. Values carry *storage* types: unsigned integers are signless (IREE rejects `ui` types in most
ops), so a lowering reads signedness from `node.types`, never from a value, and picks unsigned ops itself (arith's
divui/cmpi ult, zero extension, ...). Ops that never reach the lowering are listed in NOT_LOWERED with the reason."""
import math
from typing import NamedTuple

import numpy as np
from iree.compiler import ir

from numerix.dialect import ir as nxir
from numerix.dialect.dtypes import bool_

LOWERINGS = {}
# nx ops that never reach this pass, with the reason (the pass reports it if one does).
NOT_LOWERED = {
    "grad": "nx-grad replaces it with calls of the gradient functions it writes; run nx-grad first",
    "value_and_grad": "nx-grad replaces it with calls of the gradient functions it writes; run nx-grad first",
    "vmap": "nx-batch replaces it with calls of the batched functions it writes; run nx-batch first",
    "fusion": "nx-fusion-to-linalg lowers each fusion to a linalg.generic; run it first",
    "yield": "it ends an nx.fusion's region, which nx-fusion-to-linalg lowers",
}


class Node(NamedTuple):
    """An nx op being lowered: `args` are the lowered operand values, `types` and `out` the nx TensorTypes of its
    operands and results, `attrs` its attributes as dialect/ops.py's read_attrs gives them."""
    name: str
    args: list
    types: list
    out: list
    attrs: dict


# arith.cmpi predicates of unsigned compares (stablehlo.compare ignores UNSIGNED on signless integers in IREE).
CMPI_UNSIGNED = {"EQ": 0, "NE": 1, "LT": 6, "LE": 7, "GT": 8, "GE": 9}
_COMPARE_KIND = {"f": "FLOAT", "bf": "FLOAT", "s": "SIGNED", "bool": "UNSIGNED", "c": "FLOAT"}


def storage_element(dtype):
    """The element type a value of nx type `dtype` has inside a lowered function: unsigned integers are signless."""
    return ir.Type.parse(nxir.element_type_str(dtype).replace("ui", "i"))


def _signed_value(value, bits):
    """An integer as the signed number with the same low `bits` bits (how attributes hold unsigned values)."""
    value = int(value) % (1 << bits)
    return value - (1 << bits) if value >= 1 << (bits - 1) else value


class Builder:
    """Emits ops at the current insertion point and location; the pass sets both to the nx op being lowered.
    `data_tiling_flops`: a real float contraction of that many flops or more is lowered to a linalg.generic marked for
    IREE's data tiling (the policy, passes/iree_policy.py, gives the number; by default none is marked)."""

    def __init__(self, data_tiling_flops=math.inf):
        self.data_tiling_flops = data_tiling_flops

    @staticmethod
    def shape(value):
        return list(ir.RankedTensorType(value.type).shape)

    @staticmethod
    def tensor(shape, dtype):
        return ir.RankedTensorType.get(list(shape), storage_element(dtype))

    def like(self, value, dtype):
        """The storage type of a tensor shaped like `value`, of nx type `dtype`."""
        return self.tensor(self.shape(value), dtype)

    @staticmethod
    def emit(name, operands, result_type, **attributes):
        op = ir.Operation.create(name, results=[result_type], operands=list(operands),
                                 attributes={k: v for k, v in attributes.items()})
        return op.result

    @staticmethod
    def emit_many(name, operands, result_types, **attributes):
        return list(ir.Operation.create(name, results=list(result_types), operands=list(operands),
                                        attributes=attributes).results)

    @staticmethod
    def barrier(*values):
        """The values passed through one stablehlo.optimization_barrier, which IREE neither fuses across nor folds."""
        return list(ir.Operation.create("stablehlo.optimization_barrier", results=[v.type for v in values],
                                        operands=list(values)).results)

    @staticmethod
    def with_region(name, operands, result_types, block_types, build_body, **attributes):
        """An op with one single-block region (a reduce or sort body): build_body(*block arguments) returns the
        values the body's stablehlo.return gives back. Returns the op's results."""
        op = ir.Operation.create(name, results=list(result_types), operands=list(operands),
                                 attributes=attributes, regions=1)
        block = op.regions[0].blocks.append(*block_types)
        with ir.InsertionPoint(block):
            returned = build_body(*block.arguments)
            ir.Operation.create("stablehlo.return", results=[], operands=list(returned))
        return list(op.results)

    def while_loop(self, inits, condition, body):
        """stablehlo.while over the values `inits`: condition(*values) gives an i1 scalar, body(*values) the next
        values. Returns the final values."""
        types = [v.type for v in inits]
        op = ir.Operation.create("stablehlo.while", results=types, operands=list(inits), regions=2)
        for region, fn in zip(op.regions, (lambda *v: [condition(*v)], body)):
            block = region.blocks.append(*types)
            with ir.InsertionPoint(block):
                ir.Operation.create("stablehlo.return", results=[], operands=list(fn(*block.arguments)))
        return list(op.results)

    @staticmethod
    def if_(predicate, then_fn, else_fn, result_types):
        """stablehlo.if on an i1 scalar: each branch function builds its values (capturing outer ones) and
        returns them."""
        op = ir.Operation.create("stablehlo.if", results=list(result_types), operands=[predicate], regions=2)
        for region, fn in zip(op.regions, (then_fn, else_fn)):
            with ir.InsertionPoint(region.blocks.append()):
                ir.Operation.create("stablehlo.return", results=[], operands=list(fn()))
        return list(op.results)

    def dynamic_slice(self, x, starts, sizes):
        """x[starts : starts + sizes], the starts 0-d s64 tensors."""
        return self.emit("stablehlo.dynamic_slice", [x, *starts],
                         ir.RankedTensorType.get(list(sizes), ir.RankedTensorType(x.type).element_type),
                         slice_sizes=ir.DenseI64ArrayAttr.get([int(v) for v in sizes]))

    # ---- constants ----
    def constant(self, value, shape, dtype):
        """A splat constant of nx type `dtype` (complex constants are built from their two parts)."""
        if dtype.is_complex:
            real = dtype.real_type
            value = complex(value)
            return self.emit("stablehlo.complex", [self.constant(value.real, shape, real),
                                                   self.constant(value.imag, shape, real)], self.tensor(shape, dtype))
        element = storage_element(dtype)
        if dtype.is_bool:
            scalar = ir.BoolAttr.get(bool(value))
        elif dtype.is_integer:
            scalar = ir.IntegerAttr.get(element, _signed_value(value, dtype.bits))
        else:
            scalar = ir.FloatAttr.get(element, float(value))
        tensor_type = ir.RankedTensorType.get(list(shape), element)
        splat = ir.DenseElementsAttr.get_splat(tensor_type, scalar)
        return self.emit("stablehlo.constant", [], tensor_type, value=splat)

    def full_like(self, value, fill, dtype):
        return self.constant(fill, self.shape(value), dtype)

    def array(self, array, dtype):
        """A constant holding a NumPy array as nx type `dtype` (real; unsigned stored signless)."""
        array = np.asarray(array).astype(dtype.np, copy=False)
        if dtype.is_unsigned or dtype.kind == "bf":  # the same bits, in a NumPy type the bindings read
            array = array.view(np.dtype(f"i{dtype.itemsize}"))
        attr = ir.DenseElementsAttr.get(np.ascontiguousarray(array) if array.ndim else array,
                                        type=storage_element(dtype), shape=list(array.shape))
        return self.emit("stablehlo.constant", [], self.tensor(array.shape, dtype), value=attr)

    # ---- elementwise ----
    def unary(self, name, x, result_type=None):
        return self.emit(name, [x], result_type or x.type)

    def binary(self, name, x, y, result_type=None):
        return self.emit(name, [x, y], result_type or x.type)

    def add(self, x, y):
        return self.binary("stablehlo.add", x, y)

    def sub(self, x, y):
        return self.binary("stablehlo.subtract", x, y)

    def mul(self, x, y):
        return self.binary("stablehlo.multiply", x, y)

    def div(self, x, y):
        return self.binary("stablehlo.divide", x, y)

    def and_(self, x, y):
        return self.binary("stablehlo.and", x, y)

    def or_(self, x, y):
        return self.binary("stablehlo.or", x, y)

    def xor(self, x, y):
        return self.binary("stablehlo.xor", x, y)

    def not_(self, x):
        return self.unary("stablehlo.not", x)

    def select(self, pred, on_true, on_false):
        return self.emit("stablehlo.select", [pred, on_true, on_false], on_true.type)

    def real(self, x, dtype):
        """The real part of a complex value of nx type `dtype`."""
        return self.unary("stablehlo.real", x, self.like(x, dtype.real_type))

    def imag(self, x, dtype):
        return self.unary("stablehlo.imag", x, self.like(x, dtype.real_type))

    def complex(self, re, im, dtype):
        return self.binary("stablehlo.complex", re, im, self.like(re, dtype))

    def compare(self, direction, x, y, dtype):
        """x <direction> y for values of nx type `dtype`; direction is EQ NE LT LE GT GE. Floats compare as IEEE
        (NaN: only NE holds); unsigned integers compare unsigned."""
        bool_type = self.like(x, bool_)
        if dtype.is_unsigned:
            return self.emit("arith.cmpi", [x, y], bool_type,
                             predicate=ir.IntegerAttr.get(ir.IntegerType.get_signless(64), CMPI_UNSIGNED[direction]))
        return self.emit("stablehlo.compare", [x, y], bool_type,
                         comparison_direction=ir.Attribute.parse(f"#stablehlo<comparison_direction {direction}>"),
                         compare_type=ir.Attribute.parse(f"#stablehlo<comparison_type {_COMPARE_KIND[dtype.kind]}>"))

    def compare_zero(self, direction, x, dtype):
        return self.compare(direction, x, self.full_like(x, 0, dtype), dtype)

    def is_nan(self, x, dtype):
        return self.compare("NE", x, x, dtype)

    def to_storage(self, value, tensor_type):
        """A value of nx type `tensor_type` (a function argument, a call's result) in storage form."""
        if not tensor_type.type.is_unsigned:
            return value
        return self.unary("stablehlo.bitcast_convert", value, self.tensor(tensor_type.shape, tensor_type.type))

    def to_nx(self, value, mlir_type):
        """A lowered value as the nx type `mlir_type` wants (where a return or a call takes it)."""
        return value if value.type == mlir_type else self.unary("stablehlo.bitcast_convert", value, mlir_type)

    def call(self, callee, args, types, out):
        """func.call @callee on lowered values `args` of nx TensorTypes `types`, giving `out`: the call takes and
        gives nx types (unsigned ones included), the lowering storage ones."""
        operands = [self.to_nx(value, nxir.tensor_type(t)) for value, t in zip(args, types)]
        call = ir.Operation.create("func.call", results=[nxir.tensor_type(t) for t in out], operands=operands,
                                   attributes={"callee": ir.FlatSymbolRefAttr.get(callee)})
        return [self.to_storage(result, t) for result, t in zip(call.results, out)]

    def convert(self, x, dtype):
        """stablehlo.convert to nx type `dtype` (signed and float sources; see lower_convert for the rest)."""
        return self.unary("stablehlo.convert", x, self.like(x, dtype))
