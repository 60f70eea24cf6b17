"""A Builder (dialect/lowering.py) that emits scalar arith/math code instead of tensor StableHLO, so the body of a fused
`linalg.generic` is written by the very lowerings of dialect/lower_*.py: each numerics fix is written once.

The lowerings emit through `Builder.emit(name, ...)` and build constants and types through `constant`, `tensor`,
`shape` and `like`; here values are scalars of storage types (signless integers, i1, f16, bf16, f32, f64, complex),
and each StableHLO/CHLO op name is spelled as the scalar op that IREE itself lowers it to (arith/math ops pass
through as they are, being elementwise already). An op outside the table, or a Builder method that works on whole
tensors, is an error: that lowering then has no scalar code for those types, and the op does not fuse for them (the
fusion sweep in tests/passes/test_fusion.py lists where that happens). Complex scalars are only made, taken apart,
added, subtracted and negated (`_complex_op`): the lowerings compute on their parts."""
from iree.compiler import ir

from numerix.dialect.errors import NxValueError

from . import scalar_special
from .lowering import CMPI_UNSIGNED, Builder, _signed_value, storage_element

# arith.cmpf / arith.cmpi predicates by StableHLO comparison direction and compare type. FLOAT NE is unordered
# (NaN != NaN holds), the others ordered, as StableHLO specifies.
_CMPF = {"EQ": 1, "GT": 2, "GE": 3, "LT": 4, "LE": 5, "NE": 13}
_CMPI_SIGNED = {"EQ": 0, "NE": 1, "LT": 2, "LE": 3, "GT": 4, "GE": 5}

# StableHLO/CHLO op -> (arith/math op on floats, on integers); None where the op has no such operand kind.
_BY_KIND = {
    "stablehlo.add": ("arith.addf", "arith.addi"),
    "stablehlo.subtract": ("arith.subf", "arith.subi"),
    "stablehlo.multiply": ("arith.mulf", "arith.muli"),
    "stablehlo.divide": ("arith.divf", "arith.divsi"),
    "stablehlo.remainder": ("arith.remf", "arith.remsi"),
    "stablehlo.maximum": ("arith.maximumf", "arith.maxsi"),
    "stablehlo.minimum": ("arith.minimumf", "arith.minsi"),
    "stablehlo.abs": ("math.absf", "math.absi"),
    "stablehlo.power": ("math.powf", "math.ipowi"),
    "stablehlo.and": (None, "arith.andi"),
    "stablehlo.or": (None, "arith.ori"),
    "stablehlo.xor": (None, "arith.xori"),
    "stablehlo.shift_left": (None, "arith.shli"),
    "stablehlo.shift_right_arithmetic": (None, "arith.shrsi"),
    "stablehlo.shift_right_logical": (None, "arith.shrui"),
    "stablehlo.popcnt": (None, "math.ctpop"),
    "stablehlo.negate": ("arith.negf", None),
    "stablehlo.exponential": ("math.exp", None),
    "stablehlo.exponential_minus_one": ("math.expm1", None),
    "stablehlo.log": ("math.log", None),
    "stablehlo.log_plus_one": ("math.log1p", None),
    "stablehlo.sqrt": ("math.sqrt", None),
    "stablehlo.sine": ("math.sin", None),
    "stablehlo.cosine": ("math.cos", None),
    "stablehlo.tan": ("math.tan", None),
    "stablehlo.tanh": ("math.tanh", None),
    "stablehlo.atan2": ("math.atan2", None),
    "stablehlo.floor": ("math.floor", None),
    "stablehlo.ceil": ("math.ceil", None),
    "stablehlo.round_nearest_even": ("math.roundeven", None),
    "chlo.asin": ("math.asin", None),
    "chlo.acos": ("math.acos", None),
    "chlo.atan": ("math.atan", None),
}


def is_float(value):
    return isinstance(value.type, ir.FloatType)


class ScalarBuilder(Builder):
    """Builder's interface over scalars: `emit` translates each tensor op name to scalar code."""

    @staticmethod
    def shape(value):
        return []

    @staticmethod
    def tensor(shape, dtype):
        return storage_element(dtype)

    def constant(self, value, shape, dtype):
        element = storage_element(dtype)
        if dtype.is_complex:
            return self._complex_constant(complex(value), element)
        if dtype.is_bool:
            attr = ir.IntegerAttr.get(element, int(bool(value)))
        elif dtype.is_integer:
            attr = ir.IntegerAttr.get(element, _signed_value(value, dtype.bits))
        else:
            attr = ir.FloatAttr.get(element, float(value))
        return self.op("arith.constant", [], element, value=attr)

    def splat(self, attribute, dtype):
        """The scalar of a splat constant's element attribute (floats keep their exact bits, NaN signs included)."""
        if isinstance(attribute, ir.FloatAttr):
            return self.op("arith.constant", [], attribute.type, value=attribute)
        return self.constant(ir.BoolAttr(attribute).value if dtype.is_bool else ir.IntegerAttr(attribute).value, [],
                             dtype)

    def _complex_constant(self, value, element):
        part = element.element_type
        parts = ir.ArrayAttr.get([ir.FloatAttr.get(part, value.real), ir.FloatAttr.get(part, value.imag)])
        return self.op("complex.constant", [], element, value=parts)

    def scalar(self, value, like):
        """A constant of `like`'s storage type (integers as their signed bit pattern)."""
        element = like.type
        if isinstance(element, ir.ComplexType):
            return self._complex_constant(complex(value), element)
        if isinstance(element, ir.FloatType):
            attr = ir.FloatAttr.get(element, float(value))
        else:
            attr = ir.IntegerAttr.get(element, _signed_value(value, element.width) if element.width > 1 else value)
        return self.op("arith.constant", [], element, value=attr)

    # Builder's ops over whole tensors (regions, conditionals, slices, array constants) have no scalar form: a
    # lowering that uses them has no scalar code, and its op does not fuse.
    def _whole_tensor(self, *args, **kwargs):
        raise NxValueError("works on whole tensors, not elementwise", op="nx-fusion-to-linalg")

    with_region = while_loop = if_ = dynamic_slice = array = _whole_tensor

    @staticmethod
    def op(name, operands, result_type, **attributes):
        return ir.Operation.create(name, results=[result_type], operands=list(operands),
                                   attributes=attributes).result

    def emit(self, name, operands, result_type, **attributes):
        if name.startswith(("arith.", "math.")):  # already elementwise: the same op on scalars
            return self.op(name, operands, result_type, **attributes)
        if any(isinstance(v.type, ir.ComplexType) for v in operands):
            return self._complex_op(name, operands, result_type)
        if name in _BY_KIND:
            scalar_name = _BY_KIND[name][0 if is_float(operands[0]) else 1]
            if scalar_name is not None:
                return self.op(scalar_name, operands, result_type)
        special = _SPECIAL.get(name)
        if special is None:
            kind = operands[0].type if operands else result_type
            raise NxValueError(f"{name} on {kind} has no scalar form", op="nx-fusion-to-linalg")
        return special(self, operands, result_type, attributes)

    def _complex_op(self, name, operands, result_type):
        """Ops on complex scalars: the lowerings compute on (real, imaginary) pairs, so only these have a form here
        (any other op on complex values, whose complex-dialect meaning might differ, keeps its fusion out)."""
        if name in ("stablehlo.real", "stablehlo.imag", "stablehlo.select"):
            return _SPECIAL[name](self, operands, result_type, {})
        scalar_name = _COMPLEX.get(name)
        if scalar_name is None:
            raise NxValueError(f"{name} on {operands[0].type} has no scalar form", op="nx-fusion-to-linalg")
        return self.op(scalar_name, operands, result_type)

    # ---- ops whose scalar form is more than one op ----
    def compare_op(self, operands, result_type, attributes):
        direction = str(attributes["comparison_direction"]).split()[-1].rstrip(">")
        kind = str(attributes["compare_type"]).split()[-1].rstrip(">")
        if kind == "FLOAT":
            return self.cmpf(_CMPF[direction], *operands)
        table = CMPI_UNSIGNED if kind == "UNSIGNED" else _CMPI_SIGNED
        return self.cmpi(table[direction], *operands)

    def cmpf(self, predicate, x, y):
        return self.op("arith.cmpf", [x, y], ir.IntegerType.get_signless(1),
                       predicate=ir.IntegerAttr.get(ir.IntegerType.get_signless(64), predicate))

    def cmpi(self, predicate, x, y):
        return self.op("arith.cmpi", [x, y], ir.IntegerType.get_signless(1),
                       predicate=ir.IntegerAttr.get(ir.IntegerType.get_signless(64), predicate))

    def negate_op(self, operands, result_type, attributes):
        (x,) = operands
        return self.op("arith.subi", [self.scalar(0, x), x], result_type)

    def not_op(self, operands, result_type, attributes):
        (x,) = operands
        return self.op("arith.xori", [x, self.scalar(-1 if x.type.width > 1 else 1, x)], result_type)

    def select_op(self, operands, result_type, attributes):
        return self.op("arith.select", operands, result_type)

    def bitcast_op(self, operands, result_type, attributes):
        return self.op("arith.bitcast", operands, result_type)

    def is_finite_op(self, operands, result_type, attributes):
        """|x| < inf, ordered: false for NaN and the infinities."""
        (x,) = operands
        return self.cmpf(_CMPF["LT"], self.op("math.absf", [x], x.type), self.scalar(float("inf"), x))

    def sign_op(self, operands, result_type, attributes):
        """-1, 0 or 1; a float zero keeps its sign and NaN stays NaN (neither comparison holds)."""
        (x,) = operands
        zero = self.scalar(0, x)
        if is_float(x):
            positive, negative = self.cmpf(_CMPF["GT"], x, zero), self.cmpf(_CMPF["LT"], x, zero)
            rest = x
        else:
            positive, negative = self.cmpi(_CMPI_SIGNED["GT"], x, zero), self.cmpi(_CMPI_SIGNED["LT"], x, zero)
            rest = zero
        inner = self.op("arith.select", [negative, self.scalar(-1, x), rest], x.type)
        return self.op("arith.select", [positive, self.scalar(1, x), inner], x.type)

    def logistic_op(self, operands, result_type, attributes):
        """1 / (1 + exp(-x)), as IREE expands stablehlo.logistic."""
        (x,) = operands
        one = self.scalar(1, x)
        exp = self.op("math.exp", [self.op("arith.negf", [x], x.type)], x.type)
        return self.op("arith.divf", [one, self.op("arith.addf", [one, exp], x.type)], x.type)

    def convert_op(self, operands, result_type, attributes):
        """stablehlo.convert between storage types: integers are signed (i1 is unsigned: true is 1)."""
        (x,) = operands
        source, target = x.type, result_type
        if source == target:
            return x
        source_float, target_float = isinstance(source, ir.FloatType), isinstance(target, ir.FloatType)
        if not target_float and target.width == 1:
            if source_float:
                return self.cmpf(_CMPF["NE"], x, self.scalar(0, x))
            return self.cmpi(_CMPI_SIGNED["NE"], x, self.scalar(0, x))
        if source_float and target_float:
            if source.width == target.width:  # f16 <-> bf16: through f32, exact for both
                x = self.op("arith.extf", [x], ir.F32Type.get())
                return self.op("arith.truncf", [x], target)
            return self.op("arith.extf" if target.width > source.width else "arith.truncf", [x], target)
        if source_float:
            return self.op("arith.fptosi", [x], target)
        if target_float:
            return self.op("arith.uitofp" if source.width == 1 else "arith.sitofp", [x], target)
        if target.width > source.width:
            return self.op("arith.extui" if source.width == 1 else "arith.extsi", [x], target)
        return self.op("arith.trunci", [x], target)

    def erf_op(self, operands, result_type, attributes):
        return scalar_special.erf(self, operands[0])

    def erfc_op(self, operands, result_type, attributes):
        return scalar_special.erfc(self, operands[0])

    def erf_inv_op(self, operands, result_type, attributes):
        return scalar_special.erf_inv(self, operands[0])

    def next_after_op(self, operands, result_type, attributes):
        return scalar_special.next_after(self, *operands)


_COMPLEX = {"stablehlo.add": "complex.add", "stablehlo.subtract": "complex.sub", "stablehlo.negate": "complex.neg"}

_SPECIAL = {
    # complex values are (real, imaginary) pairs in the lowerings: only building and taking them apart has a form
    "stablehlo.complex": lambda self, operands, result_type, attributes: self.op("complex.create", operands,
                                                                              result_type),
    "stablehlo.real": lambda self, operands, result_type, attributes: self.op("complex.re", operands, result_type),
    "stablehlo.imag": lambda self, operands, result_type, attributes: self.op("complex.im", operands, result_type),
    "stablehlo.compare": ScalarBuilder.compare_op,
    "stablehlo.negate": ScalarBuilder.negate_op,
    "stablehlo.not": ScalarBuilder.not_op,
    "stablehlo.select": ScalarBuilder.select_op,
    "stablehlo.bitcast_convert": ScalarBuilder.bitcast_op,
    "stablehlo.is_finite": ScalarBuilder.is_finite_op,
    "stablehlo.sign": ScalarBuilder.sign_op,
    "stablehlo.logistic": ScalarBuilder.logistic_op,
    "stablehlo.convert": ScalarBuilder.convert_op,
    "chlo.erf": ScalarBuilder.erf_op,
    "chlo.erfc": ScalarBuilder.erfc_op,
    "chlo.erf_inv": ScalarBuilder.erf_inv_op,
    "chlo.next_after": ScalarBuilder.next_after_op,
}
