"""The nx passes from Python: the verifier's located errors, the exactness of every fold identity on special values
(NaN, infinities, -0.0, subnormals, integer extremes), folds that must not happen, CSE/DCE keeping meaning, and the
default pipeline keeping the meaning of random programs. tests/lit holds the textual (FileCheck) tests of the same
passes."""
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from iree.compiler import ir

import numerix as nx
from conftest import assert_same, parse, run
from numerix.dialect import ir as nx_ir
from numerix.dialect.rules import FOLDS
from numerix.passes import fold as fold_module
from numerix.passes import pipeline
from numerix.passes.registry import PASSES


# ---- nx-verify ----

def _one_op(op_text):
    """A function of one argument returning the op's result, the op located at model.py:12:5."""
    arg_types, result_type = re.fullmatch(r'.*: \((\S+?)\) -> (\S+)', op_text).groups()
    return (f"func.func @f(%a: {arg_types}) -> {result_type} {{\n"
            f"  %0 = {op_text} loc(\"model.py\":12:5)\n"
            f"  return %0 : {result_type}\n}}\n")


@pytest.mark.parametrize("op_text, error, message", [
    ('"nx.add"(%a) : (tensor<2xf32>) -> tensor<2xf32>', nx.NxValueError, "'nx.add' op expects 2 operands, got 1"),
    ('"nx.nope"(%a) : (tensor<2xf32>) -> tensor<2xf32>', nx.NxValueError, "'nx.nope' op is not an nx op"),
    ('"nx.as_type"(%a) : (tensor<2xf32>) -> tensor<2xf32>', nx.NxValueError, "missing attribute 'type' \\(type\\)"),
    ('"nx.as_type"(%a) {type = 3 : i64} : (tensor<2xf32>) -> tensor<2xf32>', nx.NxTypeError,
     "attribute 'type' must be type"),
    ('"nx.as_type"(%a) {type = index} : (tensor<2xf32>) -> tensor<2xf32>', nx.NxTypeError,
     "attribute 'type' must be type"),
    ('"nx.exp"(%a) {x = 1 : i64} : (tensor<2xf32>) -> tensor<2xf32>', nx.NxValueError, "unknown attributes \\['x'\\]"),
    ('"nx.exp"(%a) : (tensor<2xf32>) -> tensor<2xf64>', nx.NxTypeError,
     "result 0 has type tensor<2xf64>; the operands and attributes give tensor<2xf32>"),
    ('"nx.eigh"(%a) : (tensor<2x2xf32>) -> tensor<2xf32>', nx.NxValueError, "has 1 results; expects 2"),
    ('"nx.bitwise_not"(%a) : (tensor<2xf32>) -> tensor<2xf32>', nx.NxTypeError, "does not support type f32"),
])
def test_verifier_rejects_with_the_ops_location(op_text, error, message):
    module = parse(_one_op(op_text))
    with pytest.raises(error, match=message) as info:
        PASSES["nx-verify"](module)
    assert info.value.location == ("model.py", 12, 5)
    assert info.value.op == "nx-verify"


def test_verifier_accepts_a_traced_program():
    f = nx.defn(lambda x, y: nx.where(x > y, nx.exp(x), y * 2), compiler="evaluator")
    module = parse(f.lower(nx.template((3,), "f32"), nx.template((2, 3), "f16")).nx_text(debug_info=True))
    PASSES["nx-verify"](module)


def test_verifier_runs_mlir_verification_first():
    module = parse("func.func @f(%a: tensor<2xf32>) -> tensor<2xf32> {\n  return %a : tensor<2xf32>\n}\n")
    with module.context:
        func = module.body.operations[0]
        func.attributes["function_type"] = ir.TypeAttr.get(ir.FunctionType.get([ir.F32Type.get()], []))
    with pytest.raises(nx.NxValueError, match="nx-verify"):
        PASSES["nx-verify"](module)


# ---- nx-fold: identities exact on special values ----

FLOAT_SPECIALS = [-0.0, 0.0, np.nan, np.inf, -np.inf, 1e-45, -3.5, 3.4e38]


def specials(type, shape=(8,)):
    t = nx.as_dtype(type)
    if t.is_bool:
        values = [True, False] * 4
    elif t.is_integer:
        info = np.iinfo(t.np)
        values = [info.min, info.max, 0, 1, info.min + 1, info.max - 1, 2, 3]
    elif t.is_complex:
        values = [complex(a, b) for a, b in zip(FLOAT_SPECIALS, reversed(FLOAT_SPECIALS))]
    else:
        values = FLOAT_SPECIALS
    with np.errstate(over="ignore"):  # 3.4e38 becomes inf in 16-bit floats, which is special too
        return np.resize(np.array(values).astype(t.np), shape)


def _binary_case(op, type, constant, side):
    element = nx_ir.element_type_str(nx.as_dtype(type))
    tensor = f"tensor<8x{element}>"
    value = {True: "true", False: "false"}.get(constant, constant) if isinstance(constant, bool) else constant
    operands = "%x, %c" if side == "right" else "%c, %x"
    return (f"func.func @f(%x: {tensor}) -> {tensor} {{\n"
            f'  %c = "nx.constant"() {{value = dense<{value}> : {tensor}}} : () -> {tensor}\n'
            f'  %r = "nx.{op}"({operands}) : ({tensor}, {tensor}) -> {tensor}\n'
            f"  return %r : {tensor}\n}}\n"), type


def _unary_case(body, type, result_type=None):
    tensor = f"tensor<8x{nx_ir.element_type_str(nx.as_dtype(type))}>"
    body = body.replace("T", tensor)
    return f"func.func @f(%x: {tensor}) -> {tensor} {{\n{body}\n  return %r : {tensor}\n}}\n", type


IDENTITY_CASES = {
    "x*1": _binary_case("multiply", "f32", "1.0", "right"), "1*x": _binary_case("multiply", "f64", "1.0", "left"),
    "int*1": _binary_case("multiply", "s8", "1", "right"), "bool*true": _binary_case("multiply", "bool", True, "left"),
    "x/1": _binary_case("divide", "f16", "1.0", "right"), "x**1": _binary_case("pow", "f32", "1.0", "right"),
    "int**1": _binary_case("pow", "s32", "1", "right"),
    "quotient-1": _binary_case("quotient", "s16", "1", "right"),
    "x+-0.0": _binary_case("add", "f32", "-0.0", "right"), "-0.0+x": _binary_case("add", "bf16", "-0.0", "left"),
    "int+0": _binary_case("add", "u8", "0", "right"), "bool+false": _binary_case("add", "bool", False, "right"),
    "x-0.0": _binary_case("subtract", "f64", "0.0", "right"), "int-0": _binary_case("subtract", "s64", "0", "right"),
    "and-ones": _binary_case("bitwise_and", "s16", "-1", "right"),
    "and-ones-unsigned": _binary_case("bitwise_and", "u8", "255", "left"),
    "or-0": _binary_case("bitwise_or", "u32", "0", "right"), "xor-0": _binary_case("bitwise_xor", "s8", "0", "left"),
    "logical-and-true": _binary_case("logical_and", "bool", True, "right"),
    "logical-or-false": _binary_case("logical_or", "bool", False, "left"),
    "logical-xor-false": _binary_case("logical_xor", "bool", False, "right"),
    "--x": _unary_case('  %n = "nx.negate"(%x) : (T) -> T\n  %r = "nx.negate"(%n) : (T) -> T', "f32"),
    "--int": _unary_case('  %n = "nx.negate"(%x) : (T) -> T\n  %r = "nx.negate"(%n) : (T) -> T', "s8"),
    "conj-conj": _unary_case('  %n = "nx.conjugate"(%x) : (T) -> T\n  %r = "nx.conjugate"(%n) : (T) -> T', "c64"),
    "not-not": _unary_case('  %n = "nx.bitwise_not"(%x) : (T) -> T\n  %r = "nx.bitwise_not"(%n) : (T) -> T', "u16"),
    "lnot-lnot": _unary_case('  %n = "nx.logical_not"(%x) : (T) -> T\n  %r = "nx.logical_not"(%n) : (T) -> T',
                             "bool"),
    "as_type-same": _unary_case('  %r = "nx.as_type"(%x) {type = f32} : (T) -> T', "f32"),
    "reshape-same": _unary_case('  %r = "nx.reshape"(%x) {shape = array<i64: 8>, names = ["i"]} : (T) -> T', "s32"),
    "broadcast-same": _unary_case('  %r = "nx.broadcast"(%x) {shape = array<i64: 8>, axes = array<i64: 0>} : (T) -> T',
                                  "f16"),
    "transpose-same": _unary_case('  %r = "nx.transpose"(%x) {axes = array<i64: 0>} : (T) -> T', "f64"),
    "select-true": _unary_case('  %p = "nx.constant"() {value = dense<true> : tensor<8xi1>} : () -> tensor<8xi1>\n'
                               '  %y = "nx.negate"(%x) : (T) -> T\n'
                               '  %r = "nx.select"(%p, %x, %y) : (tensor<8xi1>, T, T) -> T', "f32"),
    "select-false": _unary_case('  %p = "nx.constant"() {value = dense<false> : tensor<8xi1>} : () -> tensor<8xi1>\n'
                                '  %y = "nx.negate"(%x) : (T) -> T\n'
                                '  %r = "nx.select"(%p, %y, %x) : (tensor<8xi1>, T, T) -> T', "f32"),
}


@pytest.mark.parametrize("case", sorted(IDENTITY_CASES))
def test_fold_identities_are_exact(case):
    text, type = IDENTITY_CASES[case]
    x = specials(type)
    reference = run(parse(text), x)
    module = parse(text)
    PASSES["nx-verify"](module)
    PASSES["nx-fold"](module)
    PASSES["nx-dce"](module)
    assert "return %arg0" in str(module), f"{case} did not fold:\n{module}"
    assert_same(run(module, x)[0], reference[0])


def test_every_identity_rule_has_an_exactness_case():
    covered = {text.split('"nx.')[-1].split('"')[0] for text, _ in IDENTITY_CASES.values()}
    assert set(FOLDS) <= covered


@pytest.mark.parametrize("text, op", [
    _binary_case("multiply", "f32", "0.0", "right")[:1] + ("multiply",),  # NaN * 0 is NaN, -1 * 0 is -0.0
    _binary_case("add", "f32", "0.0", "right")[:1] + ("add",),  # -0.0 + 0.0 is +0.0
    _binary_case("subtract", "f32", "-0.0", "right")[:1] + ("subtract",),  # -0.0 - -0.0 is +0.0
    _binary_case("divide", "f32", "1.0", "left")[:1] + ("divide",),  # 1 / x
    _binary_case("multiply", "f32", "2.0", "right")[:1] + ("multiply",),
    _binary_case("bitwise_and", "u8", "127", "right")[:1] + ("bitwise_and",),
])
def test_fold_leaves_inexact_rewrites_alone(text, op):
    module = parse(text)
    PASSES["nx-fold"](module)
    assert f'"nx.{op}"' in str(module)


def test_double_logical_not_of_a_number_is_not_an_identity():
    text = ("func.func @f(%x: tensor<2xf32>) -> tensor<2xi1> {\n"
            '  %n = "nx.logical_not"(%x) : (tensor<2xf32>) -> tensor<2xi1>\n'
            '  %r = "nx.logical_not"(%n) : (tensor<2xi1>) -> tensor<2xi1>\n'
            "  return %r : tensor<2xi1>\n}\n")
    module = parse(text)
    PASSES["nx-fold"](module)
    assert str(module).count('"nx.logical_not"') == 2


def test_constant_folding_size_limit(monkeypatch):
    text = ("func.func @f() -> tensor<4xf32> {\n"
            '  %c = "nx.constant"() {value = dense<2.0> : tensor<f32>} : () -> tensor<f32>\n'
            '  %b = "nx.broadcast"(%c) {shape = array<i64: 4>, axes = array<i64>} : (tensor<f32>) -> tensor<4xf32>\n'
            "  return %b : tensor<4xf32>\n}\n")
    monkeypatch.setattr(fold_module, "FOLD_LIMIT", 3)
    module = parse(text)
    PASSES["nx-fold"](module)
    assert '"nx.broadcast"' in str(module)
    monkeypatch.setattr(fold_module, "FOLD_LIMIT", 4)
    PASSES["nx-fold"](module)
    assert '"nx.broadcast"' not in str(module)
    assert_same(run(module)[0], np.full(4, 2.0, np.float32))


# ---- the default pipeline keeps meaning ----

def test_pipeline_preserves_results_and_simplifies():
    def model(x, w):
        h = nx.tanh(x @ w + 0.5) * 1.0
        g = nx.tanh(x @ w + 0.5)
        return nx.sum(h * g, axis=1), -(-h)

    f = nx.defn(model, compiler="evaluator")
    x, w = np.linspace(-1, 1, 6, dtype=np.float32).reshape(2, 3), np.ones((3, 4), np.float32)
    lowered = f.lower(x, w)
    module = parse(lowered.nx_text())
    reference = run(module, x, w, entry="model")
    pipeline.run_pipeline(module)
    text = str(module)
    assert text.count('"nx.dot"') == 1 and text.count('"nx.tanh"') == 1 and '"nx.negate"' not in text
    for got, want in zip(run(module, x, w, entry="model"), reference):
        assert_same(got, want)


def test_passes_are_registered_and_loaded_by_name():
    passes = pipeline.load_passes()
    assert {"nx-verify", "nx-cse", "nx-dce", "nx-fold"} <= set(passes)
    assert pipeline.DEFAULT_PIPELINE[0] == "nx-verify"


# ---- a property: the default pipeline never changes what a program computes ----

PROGRAM_OPS = {"add": 2, "subtract": 2, "multiply": 2, "divide": 2, "maximum": 2, "negative": 1, "exp": 1,
               "abs": 1, "square": 1, "where": 3}


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(sorted(PROGRAM_OPS)), st.lists(st.integers(0, 9), min_size=3,
                                                                         max_size=3)), min_size=1, max_size=8))
def test_pipeline_keeps_the_meaning_of_random_programs(program):
    # Constants chosen to meet the folder: identities (1, -0.0, 0.0), NaN and infinities, a duplicate.
    constants = [1.0, -0.0, 0.0, np.nan, np.inf, 1.0]

    def f(x, y):
        values = [x, y] + [nx.tensor(c) for c in constants]
        for name, picks in program:
            # Picks 0-7 take the inputs and constants, 8 and 9 the two latest results.
            args = [values[p] if p < 8 else values[-(p - 7)] for p in picks[:PROGRAM_OPS[name]]]
            if name == "where":
                args[0] = nx.greater(args[0], 0.5)
            values.append(getattr(nx, name)(*args))
        return values[len(constants) + 2:]

    x = np.array([-0.0, 0.0, np.nan, -np.inf, 2.5, -1.0], np.float32)
    y = np.array([1.0, -0.0, 3.0, np.inf, np.nan, 0.0], np.float32)
    with np.errstate(all="ignore"):
        expected = f(nx.tensor(x), nx.tensor(y))
    got = nx.defn(f, compiler="evaluator")(x, y)
    for g, e in zip(got, expected, strict=True):
        assert_same(g.numpy(), e.numpy())


def test_invariant_reduction_guards_copy_the_constants_bodies_use(monkeypatch):
    """A generic's body may use a constant of the function (relu's 0 beside a contraction lowered to a marked
    generic, as large ones are): iree-invariant-reduction-guards' scratch copy takes the constant along. It once
    left the copy pointing outside itself, and the benchmark MLP's training step failed to build."""
    from numerix.passes import to_stablehlo
    monkeypatch.setattr(to_stablehlo, "DATA_TILING_HINT_FLOPS", 0)  # every contraction a marked generic
    rng = np.random.default_rng(0)
    w1, b1, w2, x = (rng.normal(size=s).astype(np.float32) for s in ((6, 5), (5,), (5, 3), (8, 6)))

    def loss(w1, b1, w2, x):
        return nx.sum(nx.maximum(x @ w1 + b1, 0.0) @ w2)
    step = nx.value_and_grad(loss, argnums=(0, 1, 2))
    got, want = nx.defn(step)(w1, b1, w2, x), step(*map(nx.tensor, (w1, b1, w2, x)))
    np.testing.assert_allclose(np.asarray(got[0]), np.asarray(want[0]), rtol=1e-5)
    for g, e in zip(got[1], want[1]):
        np.testing.assert_allclose(np.asarray(g), np.asarray(e), rtol=1e-5, atol=1e-5)
