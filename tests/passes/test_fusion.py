"""nx-fuse and nx-fusion-to-linalg: which ops fuse; every fusible elementwise op on every type its schema accepts, run
fused through IREE and compared with its NumPy rule (one module per type, so one IREE compile each); reductions that
end a chain; constants, conversions and odd shapes inside fusions; softmax and a 10-op chain through defn with fusion
on against the evaluator; programs past IREE's limit of 32 tensors a dispatch reads and writes; and, as a property,
that fusing random programs keeps their meaning bit for bit. tests/lit/fuse*.mlir and fusion_to_linalg*.mlir show
the IR."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from iree.compiler import ir
from iree.compiler.dialects import func

import numerix as nx
from conftest import ALL_TYPES, assert_close
from lowering_cases import (Case, build_module, elementwise_cases, elementwise_reference, mismatches, samples,
                            special_rows, tensor_type)
from numerix.dialect import dtypes
from numerix.dialect import ir as nx_ir
from numerix.dialect import ops as nx_ops
from numerix.dialect.elementwise import ELEMENTWISE
from numerix.dialect.reduction import REDUCTIONS
from numerix.dialect.schema import SCHEMAS, TensorType
from numerix.dispatch import apply
from numerix.passes import fuse, pipeline
from numerix.passes.fusion_to_linalg import SCALAR_EMITTERS, can_emit
from numerix.passes.registry import run_passes
from numerix.runtime.compilers import get_compiler
# The elementwise sweep's cases and its NumPy comparison (ULP bounds, special values) are the StableHLO sweep's.

REAL_TYPES = [t for t in ALL_TYPES if not dtypes.TYPES[t].is_complex]


def fused(module):
    with module.context:
        run_passes(module, ["nx-fuse"])
    return module


def compiled(module, entry="main"):
    return get_compiler("iree").compile(module, entry, {})


def evaluated(module, entry="main"):
    return get_compiler("evaluator").compile(module, entry, {})


def nx_op_names(module, outside_fusions_only=False):
    names = []
    for op in nx_ops.all_ops(module):
        inside = op.parent is not None and op.parent.name == "nx.fusion"
        if nx_ops.is_nx(op) and not (outside_fusions_only and inside):
            names.append(op.name)
    return names


def assert_same(actual, expected):
    actual, expected = np.ascontiguousarray(actual), np.ascontiguousarray(expected)
    assert (actual.dtype, actual.shape) == (expected.dtype, expected.shape)
    assert actual.tobytes() == expected.tobytes(), f"\n{actual}\n!=\n{expected}"


# ---- what fuses ----

def test_every_elementwise_op_and_every_reduction_fuses():
    assert set(SCALAR_EMITTERS) == set(ELEMENTWISE)
    assert set(REDUCTIONS) == {name for name, schema in SCHEMAS.items() if "keep_axes" in schema.attrs}


def test_a_fusion_cannot_be_applied_as_an_op():
    with pytest.raises(nx.NxValueError, match="made by the nx-fuse pass"):
        apply("fusion", [nx.tensor([1.0])])


# ---- every fusible op, every type, through IREE ----

@pytest.mark.parametrize("type_name", REAL_TYPES + ["c64", "c128"])
def test_fused_elementwise_ops_match_numpy(type_name):
    dtype = dtypes.TYPES[type_name]
    x, y = samples(dtype)
    pred = np.arange(x.size) % 3 == 0
    arrays = [x, y, pred]
    arg_types = [tensor_type(a) for a in arrays]
    cases = elementwise_cases(dtype, arg_types)
    module = fused(build_module(arg_types, cases))
    # Each op's result is returned, so each is its own fusion: the module is one fusion per case and nothing else
    # (complex: most cases, those whose lowering has scalar code).
    outside = nx_op_names(module, outside_fusions_only=True)
    if dtype.is_complex:
        assert outside.count("nx.fusion") >= len(cases) * 3 // 4, outside
    else:
        assert outside == ["nx.fusion"] * len(cases)
    outputs = iter(compiled(module)(*arrays))
    failures = []
    with np.errstate(all="ignore"):
        for case in cases:
            got = [next(outputs) for _ in case.out]
            for g, w in zip(got, elementwise_reference(case, arrays, dtype)):
                failures += mismatches(case, arrays, np.asarray(g), w, dtype, special_rows(case, dtype, x, y))
    assert not failures, f"{len(failures)} fused ops differ from NumPy on {type_name}:\n" + "\n".join(failures)


@pytest.mark.parametrize("type_name", ["c64", "c128"])
def test_fused_values_made_complex_match_numpy(type_name):
    """Complex values fuse: IREE 3.13 once miscompiled generics that built complex numbers from constant parts (the
    imaginary parts came out equal to the real ones); built from (real, imaginary) pairs with complex.create, they
    compile right (docs/iree.md)."""
    dtype = dtypes.TYPES[type_name]
    real = np.linspace(-2, 3, 6).astype(dtype.real_type.np)
    cases = [Case("as_type", [0], {"type": dtype}, [tensor_type(real)]),
             Case("complex", [0, 0], {}, [tensor_type(real)])]
    module = fused(build_module([tensor_type(real)], cases))
    assert nx_op_names(module, outside_fusions_only=True) == ["nx.fusion"] * 2
    as_complex, paired = compiled(module)(real)
    np.testing.assert_array_equal(as_complex, real.astype(dtype.np))
    np.testing.assert_array_equal(paired, real + 1j * real)


# ---- reductions ending a chain ----

def _reduction_cases():
    """(reduction, operand type, axes, keep_axes) for every reduction on every real type it accepts."""
    found = []
    for name in REDUCTIONS:
        for type_name in REAL_TYPES:
            x = TensorType.of((5, 6), dtypes.TYPES[type_name])
            for axes, keep in (((1,), False), ((0, 1), True)):
                try:
                    SCHEMAS[name].check([x], {"axes": axes, "keep_axes": keep})
                except nx.NxError:
                    continue
                found.append((name, x, axes, keep))
    return found


def _chain_then_reduce(argument, name, axes, keep):
    """reduce(f(x)) with an elementwise f the type takes, so the reduction ends a fused chain."""
    t = nx_ops.tensor_type_of(argument.type, "argument")
    first = "logical_not" if t.type.is_bool else "bitwise_not" if t.type.is_unsigned else "abs"
    inner = nx_ops.build(first, [argument], {}, SCHEMAS[first].check([t], {}), ir.Location.unknown())
    attrs = {"axes": axes, "keep_axes": keep}
    out = SCHEMAS[name].check([t], attrs)
    return nx_ops.build(name, [inner.result], attrs, out, ir.Location.unknown()).result


def _reduction_input(name, t):
    """Special values for max, min and integer sums; for float sums and products, values whose rounding does not
    depend on the order of the additions enough to matter (NumPy adds pairwise, IREE in vector lanes)."""
    if t.is_inexact and name in ("sum", "product"):
        return np.random.default_rng(0).uniform(0.5, 1.5, (5, 6)).astype(t.np)
    return np.resize(samples(t)[0], (5, 6))


def test_fused_reductions_match_numpy():
    cases = _reduction_cases()
    arg_types = [x for _, x, _, _ in cases]
    arrays = [_reduction_input(name, x.type) for name, x, _, _ in cases]
    with nx_ir.new_context(), ir.Location.unknown():
        module = ir.Module.create()
        with ir.InsertionPoint(module.body):
            function = func.FuncOp("main", ([nx_ir.tensor_type(t) for t in arg_types], []))
        block = function.add_entry_block()
        with ir.InsertionPoint(block):
            results = [_chain_then_reduce(a, name, axes, keep)
                       for a, (name, _, axes, keep) in zip(block.arguments, cases)]
            func.ReturnOp(results)
            function.attributes["function_type"] = ir.TypeAttr.get(ir.FunctionType.get(
                [a.type for a in block.arguments], [r.type for r in results]))
    expected = evaluated(module)(*arrays)
    fused(module)
    assert nx_op_names(module, outside_fusions_only=True) == ["nx.fusion"] * len(cases)
    for (name, x, axes, keep), got, want in zip(cases, compiled(module)(*arrays), expected):
        if x.type.is_inexact and name in ("sum", "product"):
            assert_close(got, want, x.type.name, rtol=8 * dtypes.finfo(x.type).eps)
        else:
            assert_same(got, want)


# ---- constants, conversions and shapes inside fusions ----

@pytest.mark.parametrize("type_name", REAL_TYPES)
def test_constants_and_conversions_inside_a_fusion(type_name):
    """Splat constants of the type (its extremes and specials) meet a conversion chain in one fusion."""
    t = dtypes.TYPES[type_name]
    info = np.iinfo(t.np) if t.is_integer else None
    constants = [True] if t.is_bool else [info.max, info.min] if info else [np.inf, -0.0, np.nan, 0.5]

    def chain(x):
        y = nx.as_type(x, t)
        outs = [y]
        for c in constants:
            k = nx.full(x.shape, c, dtype=t)
            outs.append(nx.as_type(nx.maximum(y, k), nx.f64) - nx.as_type(nx.equal(y, k), nx.f64))
        return tuple(outs)

    x = np.concatenate([samples(dtypes.f64)[0][:64], [2.0 ** 40, -(2.0 ** 40), 300.0, -1.0]])
    f = nx.defn(chain, compiler="iree")
    assert '"nx.fusion"' in f.lower(x).as_text("nx-optimized")
    reference = nx.defn(chain, compiler="evaluator")(x)
    for got, want in zip(f(x), reference):
        assert_same(got.numpy(), want.numpy())


@pytest.mark.parametrize("shape, axes", [((), None), ((0, 3), (1,)), ((2, 0), (1,)), ((3, 4), (0, 1))])
def test_odd_shapes(shape, axes):
    def g(x, s):
        y = nx.tanh(x * s) + 1.0
        return y if axes is None else nx.sum(y * y, axis=axes, keepdims=True)

    x = np.linspace(-2, 2, int(np.prod(shape))).astype(np.float32).reshape(shape)
    s = np.float32(1.5)
    f = nx.defn(g, compiler="iree")
    assert '"nx.fusion"' in f.lower(x, s).as_text("nx-optimized")
    assert_close(f(x, s).numpy(), nx.defn(g, compiler="evaluator")(x, s).numpy(), "f32")


def broadcasts_only(xp, x, m, v, c, b, k):
    """Fusions that read nothing but broadcasts and splat constants (xp: numerix or NumPy). Those ending in a reduction
    along a broadcast axis have no input that spans it: the generic reads an empty tensor for that loop's extent."""
    def stretch_sum(y):
        return xp.broadcast_to(xp.sum(y, axis=1, keepdims=True), (4, 8)) * 0.1

    return (stretch_sum(stretch_sum(x)),  # the second sum's fusion reads only the first sum, broadcast
            xp.sum(xp.broadcast_to(m, (4, 8)) * 2.0, axis=1),  # an axis of size 1 stretched
            xp.max(xp.broadcast_to(v, (3, 4)) - 1.0, axis=0),  # a new axis
            xp.sum(xp.broadcast_to(c, (4, 8)) * 2.0),  # a scalar, over all axes
            xp.prod(xp.broadcast_to(c, (2, 3)) * 0.5, axis=0, keepdims=True),
            xp.sum(xp.broadcast_to(c, (4, 8))),  # no elementwise op: not a fusion
            xp.broadcast_to(c, (4, 8)) * 2.0,  # no reduction
            xp.any(xp.logical_not(xp.broadcast_to(b, (4, 8))), axis=1),
            xp.max(xp.broadcast_to(k, (4, 8)) + 3, axis=1))


@pytest.mark.parametrize("compiler", ["iree", "evaluator"])
def test_fusions_that_read_only_broadcasts(compiler):
    rows = np.arange(4, dtype=np.float32)
    args = (np.arange(32, dtype=np.float32).reshape(4, 8), rows.reshape(4, 1), rows, np.float32(1.5), np.bool_(False),
            rows.astype(np.uint8).reshape(4, 1))
    f = nx.defn(lambda *a: broadcasts_only(nx, *a), compiler=compiler)
    assert f.lower(*args).as_text("nx-optimized").count('"nx.fusion"') == 8
    for got, want in zip(f(*args), broadcasts_only(np, *args)):
        assert_close(got.numpy(), want, want.dtype)


# ---- through defn, against the evaluator ----

def softmax(x):
    m = nx.max(x, axis=1, keepdims=True)
    e = nx.exp(x - m)
    return e / nx.sum(e, axis=1, keepdims=True)


def ten_op_chain(x):
    y = x * 1.5 + 0.5
    y = y * x - 0.25
    y = nx.abs(y) + 1.0
    y = nx.sqrt(y) * 0.75
    return nx.maximum(y, x) - x


@pytest.mark.parametrize("fn, shape, fusions", [(softmax, (64, 256), 2), (ten_op_chain, (4096,), 1)],
                         ids=["softmax", "10-op chain"])
def test_defn_fuses_by_default(fn, shape, fusions):
    x = np.random.default_rng(0).normal(size=shape).astype(np.float32)
    f = nx.defn(fn, compiler="iree")
    assert f.lower(x).as_text("nx-optimized").count('"nx.fusion"') == fusions
    assert_close(f(x).numpy(), nx.defn(fn, compiler="evaluator")(x).numpy(), "f32")


def test_logsumexp_fuses_its_chain_into_the_reduction():
    x = np.random.default_rng(1).normal(size=(8, 100)).astype(np.float32)
    f = nx.defn(lambda x: nx.logsumexp(x, axis=1), compiler="iree")
    text = f.lower(x).as_text("nx-optimized")
    assert '"nx.exp"' in text and '"nx.sum"' in text
    region = text[text.index('"nx.exp"'):]
    assert region.index('"nx.sum"') < region.index('"nx.yield"')  # exp and sum in one fusion
    assert_close(f(x).numpy(), nx.defn(lambda x: nx.logsumexp(x, axis=1), compiler="evaluator")(x).numpy(), "f32")


# ---- IREE's binding limit: a dispatch reads and writes at most 32 tensors ----

def long_chain(*xs):
    out = xs[0]
    for x in xs[1:]:
        out = out * 1.01 + x
    return out


def chain_of_returned_parts(*xs):
    """Three chains of 12 arguments, each continuing the last: nx-fuse keeps them apart (each part is returned), and
    IREE would merge all three into one dispatch of 39 bindings."""
    a = long_chain(*xs[:12])
    b = long_chain(a, *xs[12:24])
    return a, b, long_chain(b, *xs[24:36])


def _numpy(fn, xs):
    """fn run by NumPy on the arrays: a tuple of arrays."""
    out = fn(*xs)
    return out if isinstance(out, tuple) else (out,)


@pytest.mark.parametrize("fn, count, fusions", [(long_chain, 40, 2), (long_chain, 100, 4),
                                                (chain_of_returned_parts, 36, 3)],
                         ids=["40-argument chain", "100-argument chain", "chain of returned parts"])
def test_programs_past_the_binding_limit_run(fn, count, fusions):
    """One fusion of a chain over 40 arguments would be a dispatch of 41 bindings, which IREE refuses to load: nx-fuse
    splits it, and nx-fusion-to-linalg keeps IREE from merging the parts again."""
    xs = [np.random.default_rng(i).uniform(-1, 1, 8).astype(np.float32) for i in range(count)]
    f = nx.defn(fn, compiler="iree")
    assert f.lower(*xs).as_text("nx-optimized").count('"nx.fusion"') == fusions
    got = f(*xs)
    for g, want in zip(got if isinstance(got, tuple) else (got,), _numpy(fn, xs)):
        assert_close(g.numpy(), want, "f32")


def test_many_results_of_one_input_run():
    x = np.linspace(-1, 1, 8, dtype=np.float32)
    f = nx.defn(lambda x: tuple(x * (1.0 + i) + i for i in range(40)), compiler="iree")
    results = f(x)
    assert len(results) == 40
    for i, got in enumerate(results):
        assert_close(got.numpy(), x * np.float32(1.0 + i) + np.float32(i), "f32")


def test_a_dispatch_past_the_binding_limit_is_a_clear_error(monkeypatch):
    """One fusion of the 40-argument chain (nx-fuse's limits lifted here) is one dispatch of 41 bindings, which IREE
    refuses to load: an NxValueError naming the cause, not IREE's IndexError."""
    monkeypatch.setattr(fuse, "MAX_BINDINGS", 41)
    monkeypatch.setattr(fuse, "MAX_OPS", 1000)
    lowered = nx.defn(long_chain).lower(*[np.ones(8, np.float32)] * 40)
    module = fused(nx_ops.clone_module(lowered.module))
    assert nx_op_names(module, outside_fusions_only=True) == ["nx.fusion"]
    with pytest.raises(nx.NxValueError, match="more tensors than the 32 buffer bindings"):
        compiled(module, lowered.entry)


def test_a_very_long_chain_is_cut_into_fusions_of_at_most_max_ops():
    """iree-compile's time grows faster than linearly with one dispatch's body, so nx-fuse cuts a chain of 3 * 70 ops
    into fusions of at most MAX_OPS ops, and the result is the same."""
    def chain(a):
        for _ in range(70):
            a = nx.sin(a) * 0.5 + 0.1
        return a
    x = np.linspace(-1, 1, 8, dtype=np.float32)
    module = fused(nx_ops.clone_module(nx.defn(chain).lower(x).module))
    copied = ("nx.fusion", "nx.yield", "nx.constant", "nx.broadcast")  # splats and broadcasts are copied in
    sizes = [len([op for op in nx_ops.all_ops(fusion) if nx_ops.is_nx(op) and op.name not in copied])
             for fusion in nx_ops.all_ops(module) if fusion.name == "nx.fusion"]
    assert sorted(sizes) == [18, 64, 64, 64], sizes
    # IREE would merge them back into one dispatch: each reaches the next through an optimization barrier.
    lowered = pipeline.lower(module)
    assert lowered.count("linalg.generic") == 4 and lowered.count("stablehlo.optimization_barrier") == 3
    np.testing.assert_allclose(nx.defn(chain)(x).numpy(), chain(nx.tensor(x)).numpy(), rtol=1e-6, atol=1e-6)


# ---- property: fusing keeps meaning ----

X, V = TensorType.of((4, 3), dtypes.f32), TensorType.of((3,), dtypes.f32)
UNARY_STEPS = ["negate", "exp", "log1p", "abs", "tanh", "sin"]
BINARY_STEPS = ["add", "multiply", "max", "subtract"]


@st.composite
def programs(draw):
    """Random programs over x: f32[4][3] and v: f32[3]: elementwise steps, broadcasts of v, row sums broadcast back,
    splat constants, and a random set of returned values."""
    steps = []
    count = 2
    for _ in range(draw(st.integers(1, 12))):
        kind = draw(st.sampled_from(["unary", "binary", "broadcast", "constant", "row_sum"]))
        if kind == "unary":
            steps.append(("unary", draw(st.sampled_from(UNARY_STEPS)), draw(st.integers(0, count - 1))))
        elif kind == "binary":
            steps.append(("binary", draw(st.sampled_from(BINARY_STEPS)), draw(st.integers(0, count - 1)),
                          draw(st.integers(0, count - 1))))
        else:
            steps.append((kind, draw(st.integers(0, count - 1))))
        count += 1
    returned = draw(st.sets(st.integers(2, count - 1), max_size=3)) | {count - 1}
    return steps, sorted(returned)


def _program_module(steps, returned):
    """The program as an nx module; values that are not [4][3] are widened to it first."""
    with nx_ir.new_context(), ir.Location.unknown() as location:
        module = ir.Module.create()
        with ir.InsertionPoint(module.body):
            function = func.FuncOp("main", ([nx_ir.tensor_type(X), nx_ir.tensor_type(V)], []))
        block = function.add_entry_block()
        with ir.InsertionPoint(block):
            values = [block.arguments[0], block.arguments[1]]

            def emit(name, operands, attrs=None):
                attrs = attrs or {}
                types = [nx_ops.tensor_type_of(v.type, "operand") for v in operands]
                return nx_ops.build(name, operands, attrs, SCHEMAS[name].check(types, attrs), location).result

            def full(value):
                shape = tuple(ir.RankedTensorType(value.type).shape)
                if shape == X.shape:
                    return value
                return emit("broadcast", [value], {"shape": X.shape, "axes": (1,) if shape == (3,) else (0,)})

            for step in steps:
                kind = step[0]
                if kind == "unary":
                    values.append(emit(step[1], [full(values[step[2]])]))
                elif kind == "binary":
                    values.append(emit(step[1], [full(values[step[2]]), full(values[step[3]])]))
                elif kind == "broadcast":
                    values.append(full(values[step[1]]))
                elif kind == "constant":
                    values.append(emit("constant", [], {"value": np.full(X.shape, 0.5 + step[1], np.float32)}))
                else:
                    values.append(emit("sum", [full(values[step[1]])], {"axes": (1,), "keep_axes": False}))
            results = [full(values[i]) for i in returned]
            func.ReturnOp(results)
            function.attributes["function_type"] = ir.TypeAttr.get(ir.FunctionType.get(
                [a.type for a in block.arguments], [r.type for r in results]))
    return module


def _from_constants(op):
    producers = [nx_ops.defining_op(v) for v in op.operands]
    return all(p is not None and (p.name == "nx.constant" or _from_constants(p)) for p in producers)


@settings(max_examples=60, deadline=None)
@given(programs())
def test_fusing_keeps_meaning(program):
    module = _program_module(*program)
    rng = np.random.default_rng(0)
    arrays = [rng.normal(size=X.shape).astype(np.float32), rng.normal(size=V.shape).astype(np.float32)]
    expected = evaluated(module)(*arrays)
    fused(module)
    with module.context:
        run_passes(module, ["nx-verify"])
    # Every elementwise op that has scalar code and reads a tensor is inside a fusion: broadcasts, lone reductions
    # and ops on constants alone (nx-fold's) may stay outside.
    for op in nx_ops.all_ops(module):
        if nx_ops.is_nx(op) and op.parent.name == "func.func" and nx_ops.schema_name(op) in ELEMENTWISE:
            assert not can_emit(op) or _from_constants(op), op
    for got, want in zip(evaluated(module)(*arrays), expected):
        assert_same(got, want)
