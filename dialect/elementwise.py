"""Elementwise nx ops: operands have equal shapes and (except select, shifts' counts aside) equal types."""
from numerix.dialect import dtypes
from numerix.dialect.errors import NxTypeError
from .schema import TensorType, define, merge_names, require, same_shapes, same_types


def _unary(accepts, result=None):
    """result: None keeps the operand's type; "bool" gives bool; "real" gives the real type of a complex."""
    def infer(types, op_name):
        (x,) = types
        require(op_name, x, accepts)
        if result == "bool":
            return x._replace(type=dtypes.bool_)
        if result == "real":
            return x._replace(type=x.type.real_type)
        return x
    return infer


def _binary(accepts, result=None):
    def infer(types, op_name):
        same_shapes(op_name, types)
        same_types(op_name, types)
        for t in types:
            require(op_name, t, accepts)
        names = merge_names(op_name, *(t.names for t in types))
        out_type = dtypes.bool_ if result == "bool" else types[0].type
        return TensorType(types[0].shape, out_type, names)
    return infer


def _def(name, n, infer, differentiable=True):
    define(name, n, lambda types, _n=name: infer(types, _n), differentiable=differentiable)


# name: (accepted type class, result kind, differentiable)
UNARY = {
    "exp": ("inexact", None, True), "expm1": ("inexact", None, True), "log": ("inexact", None, True),
    "log1p": ("inexact", None, True), "log2": ("inexact", None, True), "log10": ("inexact", None, True),
    "sqrt": ("inexact", None, True), "rsqrt": ("inexact", None, True), "cbrt": ("float", None, True),
    "sin": ("inexact", None, True), "cos": ("inexact", None, True), "tan": ("inexact", None, True),
    "asin": ("inexact", None, True), "acos": ("inexact", None, True), "atan": ("inexact", None, True),
    "sinh": ("inexact", None, True), "cosh": ("inexact", None, True), "tanh": ("inexact", None, True),
    "asinh": ("inexact", None, True), "acosh": ("inexact", None, True), "atanh": ("inexact", None, True),
    "erf": ("float", None, True), "erfc": ("float", None, True), "erf_inv": ("float", None, True),
    "sigmoid": ("inexact", None, True),
    "negate": ("number", None, True), "abs": ("number", "real", True), "sign": ("number", None, False),
    "floor": ("real_number", None, False), "ceil": ("real_number", None, False),
    "round": ("number", None, False), "trunc": ("real_number", None, False),
    "conjugate": ("number", None, True), "real": ("number", "real", True), "imag": ("number", "real", True),
    "angle": ("number", "real", True),
    "is_nan": ("number", "bool", False), "is_infinity": ("number", "bool", False),
    "is_finite": ("number", "bool", False), "signbit": ("real_number", "bool", False),
    "bitwise_not": ("integer_or_bool", None, False), "logical_not": ("any", "bool", False),
    "square": ("number", None, True), "reciprocal": ("inexact", None, True),
    "count_leading_zeros": ("integer", None, False), "population_count": ("integer", None, False),
}

BINARY = {
    "add": ("any", None, True), "subtract": ("number", None, True), "multiply": ("any", None, True),
    "divide": ("inexact", None, True),
    "quotient": ("real_number", None, False),  # floor division, NumPy's `//` (floats too)
    "remainder": ("real_number", None, True),  # NumPy's `%`: the sign of the divisor
    "pow": ("number", None, True), "atan2": ("float", None, True), "hypot": ("float", None, True),
    "max": ("any", None, True), "min": ("any", None, True),  # elementwise maximum / minimum (NaN-propagating)
    "copysign": ("float", None, True), "nextafter": ("float", None, False), "logaddexp": ("float", None, True),
    "bitwise_and": ("integer_or_bool", None, False), "bitwise_or": ("integer_or_bool", None, False),
    "bitwise_xor": ("integer_or_bool", None, False),
    "left_shift": ("integer", None, False), "right_shift": ("integer", None, False),
    "logical_and": ("any", "bool", False), "logical_or": ("any", "bool", False),
    "logical_xor": ("any", "bool", False),
    "equal": ("any", "bool", False), "not_equal": ("any", "bool", False), "less": ("real", "bool", False),
    "less_equal": ("real", "bool", False), "greater": ("real", "bool", False),
    "greater_equal": ("real", "bool", False),
}

for _name, (_accepts, _result, _diff) in UNARY.items():
    _def(_name, 1, _unary(_accepts, _result), _diff)
for _name, (_accepts, _result, _diff) in BINARY.items():
    _def(_name, 2, _binary(_accepts, _result), _diff)


def _infer_select(types):
    pred, on_true, on_false = types
    same_shapes("select", types)
    if not pred.type.is_bool:
        raise NxTypeError(f"predicate must be bool, got {pred}", op="select")
    same_types("select", [on_true, on_false])
    return TensorType(on_true.shape, on_true.type, merge_names("select", *(t.names for t in types)))


define("select", 3, _infer_select)
define("as_type", 1, lambda types, type: types[0]._replace(type=type), attrs={"type": "type"})


def _infer_bitcast(types, type):
    (x,) = types
    if x.type.bits != type.bits or x.type.is_complex != type.is_complex:
        raise NxTypeError(f"cannot reinterpret {x.type.name} as {type.name}: bit widths differ", op="bitcast")
    return x._replace(type=type)


define("bitcast", 1, _infer_bitcast, attrs={"type": "type"}, differentiable=False)


def _infer_complex(types):
    same_shapes("complex", types)
    same_types("complex", types)
    require("complex", types[0], "float")
    if types[0].type.bits < 32:
        raise NxTypeError(f"needs f32 or f64 parts, got {types[0].type.name}", op="complex")
    out = dtypes.c128 if types[0].type is dtypes.f64 else dtypes.c64
    return TensorType(types[0].shape, out, merge_names("complex", types[0].names, types[1].names))


define("complex", 2, _infer_complex)  # Nx's complex(re, im); also how complex constants reach the IR

ELEMENTWISE = frozenset(UNARY) | frozenset(BINARY) | {"select", "as_type", "bitcast", "complex"}
