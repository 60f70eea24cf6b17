"""defn: tracing into the nx dialect, the signature cache, containers and static arguments, located errors, closures,
f.lower(), debug dumps; and a sweep that traces every op in the schema table and runs it with the evaluator against
the eager NumPy result, bit for bit."""
import collections
import inspect
import math

import numpy as np
import pytest

import numerix as nx
from conftest import sample
from numerix import trace as trace_module
from numerix.dialect.elementwise import BINARY, UNARY
from numerix.dialect import hook as hook_dialect
from numerix.dialect.grad import CALLS
from numerix.dialect.schema import SCHEMAS
from numerix.dispatch import apply
from numerix.passes.registry import PASSES
from numerix.runtime import compilers

EVAL = {"compiler": "evaluator"}


def line_of(marker):
    """The line of this file holding `marker` (a comment), so located-error tests do not hard-code numbers."""
    for number, line in enumerate(inspect.getsource(inspect.getmodule(line_of)).splitlines(), 1):
        if marker in line and "line_of(" not in line:
            return number
    raise AssertionError(marker)


def assert_same(actual, expected):
    """Equal type, shape and bits (NaN and -0.0 included): the evaluator runs the eager rules themselves."""
    actual, expected = np.ascontiguousarray(actual), np.ascontiguousarray(expected)
    assert (actual.dtype, actual.shape) == (expected.dtype, expected.shape)
    assert actual.tobytes() == expected.tobytes(), f"\n{actual}\n!=\n{expected}"


# ---- the sweep: every op in SCHEMAS ----
# Examples are (operands as NumPy arrays, attributes). An op added to the schema needs an entry here (or, for
# elementwise ops, in UNARY/BINARY with a type class below): the sweep fails and lists the ops that have none.

CLASS_TYPES = {"any": ("f32", "bool"), "number": ("f32", "s32"), "real": ("f64", "u8"), "real_number": ("s16", "f32"),
               "inexact": ("f32", "c64"), "float": ("f64", "bf16"), "integer": ("s32", "u16"),
               "integer_or_bool": ("s8", "bool"), "bool": ("bool",)}


def _spd(n=3, batch=()):
    a = sample("f64", batch + (n, n), seed=3)
    return a @ np.swapaxes(a, -1, -2) + n * np.eye(n)


GATHER_DIMS = {"offset_dims": (1,), "collapsed_slice_dims": (0,), "start_index_map": (0, 1), "index_vector_dim": 1,
               "slice_sizes": (1, 2)}


def _reduce_examples(type):
    return [([sample(type, (3, 4))], {"axes": (1,), "keep_axes": False}),
            ([sample(type, (3, 4))], {"axes": (0, 1), "keep_axes": True})]


# nx.hook calls a registered Python function, here one that does nothing (tests/frontend/test_hooks.py checks the
# calls themselves).
_QUIET_HOOK = hook_dialect.register(lambda arrays: None, (nx.f32, nx.s32))

EXAMPLES = {
    "hook": [([sample("f32", (2, 3)), sample("s32", (4,), seed=1)], {"id": _QUIET_HOOK})],
    "select": [([sample("bool"), sample("f32"), sample("f32", seed=1)], {})],
    "as_type": [([sample("f32", low=-300, high=300)], {"type": nx.s8}), ([sample("bf16")], {"type": nx.f64}),
                ([sample("c64")], {"type": nx.f32})],
    "bitcast": [([sample("f32")], {"type": nx.u32})],
    "complex": [([sample("f32"), sample("f32", seed=1)], {})],
    "broadcast": [([sample("f32", (3,))], {"shape": (2, 3), "axes": (1,)})],
    "reshape": [([sample("s64", (2, 3))], {"shape": (3, 2), "names": ("a", None)})],
    "transpose": [([sample("f16", (2, 3))], {"axes": (1, 0)})],
    "slice": [([sample("f32", (4, 5))], {"start_indices": (1, 0), "limit_indices": (3, 5), "strides": (1, 2)})],
    "put_slice": [([sample("f32", (4, 5)), sample("f32", (2, 2), seed=1), np.array(1, np.int64),
                    np.array(4, np.int64)], {})],
    "pad": [([sample("f32", (2, 3)), np.array(0.5, np.float32)], {"pads": ((1, 0, 1), (0, 2, 0))})],
    "concatenate": [([sample("u8", (2, 3)), sample("u8", (1, 3), seed=1)], {"axis": 0})],
    "reverse": [([sample("s32", (2, 3))], {"axes": (1,)})],
    "gather": [([sample("f32", (4, 5)), np.array([[0, 1], [3, 4]], np.int64)], GATHER_DIMS)],
    "scatter_add": [([sample("f32", (4, 5)), np.array([[0, 1], [3, 4], [0, 1]], np.int64),
                      sample("f32", (3, 2), seed=1)], GATHER_DIMS)],
    "stop_grad": [([sample("f64")], {})],
    "iota": [([], {"shape": (2, 3), "axis": 1, "type": nx.s32, "names": (None, "b")})],
    "constant": [([], {"value": sample("f32")}), ([], {"value": sample("bf16")})],
    "fft": [([sample("c64", (2, 4))], {"kind": "fft", "lengths": (4,)}),
            ([sample("f32", (2, 4))], {"kind": "rfft", "lengths": (4,)})],
    "dot": [([sample("f32", (2, 3)), sample("f32", (3, 4), seed=1)],
             {"contract_axes_a": (1,), "batch_axes_a": (), "contract_axes_b": (0,), "batch_axes_b": ()})],
    "cholesky": [([_spd()], {})],
    "eigh": [([_spd()], {})],
    "qr": [([sample("f64", (3, 2))], {"mode": "reduced"})],
    "svd": [([sample("f64", (3, 2))], {"full_matrices": False})],
    "solve": [([_spd(), sample("f64", (3, 2))], {})],
    "triangular_solve": [([_spd(), sample("f64", (3, 2))], {"lower": True}),
                         ([_spd(batch=(2,)), sample("f64", (2, 3, 1))], {"lower": False})],
    "lu": [([sample("f64", (2, 3, 3))], {})],
    "det": [([_spd(batch=(2,))], {})],
    "slogdet": [([_spd()], {})],
    "sum": _reduce_examples("s32"), "product": _reduce_examples("f32"),
    "reduce_max": _reduce_examples("f32"), "reduce_min": _reduce_examples("u8"),
    "all": _reduce_examples("bool"), "any": _reduce_examples("bool"),
    "argmax": [([sample("f32", (3, 4))], {"axis": 1, "keep_axis": False, "tie_break": "low"})],
    "argmin": [([sample("s8", (3, 4))], {"axis": 0, "keep_axis": True, "tie_break": "high"})],
    "cumulative_sum": [([sample("s32", (3, 4))], {"axis": 1, "reverse": False})],
    "cumulative_product": [([sample("f32", (3, 4))], {"axis": 0, "reverse": True})],
    "cumulative_max": [([sample("f32", (3, 4))], {"axis": 1, "reverse": True})],
    "cumulative_min": [([sample("s16", (3, 4))], {"axis": 1, "reverse": False})],
    "sort": [([sample("f32", (3, 4))], {"axis": 1, "descending": True})],
    "argsort": [([sample("s32", (3, 4))], {"axis": 1, "descending": False})],
    "top_k": [([sample("f32", (3, 4))], {"k": 2})],
    "window_sum": [([sample("s32", (4, 5))], {"window_dimensions": (2, 3), "strides": (1, 2), "padding_low": (1, 0),
                                              "padding_high": (0, 2), "window_dilations": (2, 1)})],
    "window_product": [([sample("c64", (4, 5))], {"window_dimensions": (2, 2), "strides": (2, 1),
                                                  "padding_low": (0, 1), "padding_high": (1, 0),
                                                  "window_dilations": (1, 1)})],
    "window_max": [([sample("bf16", (2, 4, 5))], {"window_dimensions": (1, 2, 2), "strides": (1, 2, 2),
                                                  "padding_low": (0, 0, 1), "padding_high": (0, 1, 0),
                                                  "window_dilations": (1, 1, 2)})],
    "window_min": [([sample("u8", (5,))], {"window_dimensions": (3,), "strides": (1,), "padding_low": (2,),
                                           "padding_high": (0,), "window_dilations": (1,)})],
    "window_scatter_max": [([sample("f32", (4, 5)), sample("f32", (2, 3), seed=1), np.array(0.5, np.float32)],
                            {"window_dimensions": (2, 2), "strides": (2, 2), "padding_low": (0, 1),
                             "padding_high": (0, 0)})],
    "window_scatter_min": [([sample("s16", (4, 5)), sample("s32", (3, 4), seed=1), np.array(2, np.int32)],
                            {"window_dimensions": (2, 2), "strides": (1, 1), "padding_low": (0, 0),
                             "padding_high": (0, 0)})],
    "conv": [([sample("f32", (2, 4, 5, 6)), sample("f32", (6, 2, 2, 3), seed=1)],
              {"strides": (2, 1), "padding_low": (1, 0), "padding_high": (0, -1), "input_dilation": (1, 2),
               "kernel_dilation": (2, 1), "feature_group_size": 2, "batch_group_size": 1,
               "input_permutation": (0, 1, 2, 3), "kernel_permutation": (0, 1, 2, 3),
               "output_permutation": (0, 3, 1, 2)})],
}
for _table, _arity in ((UNARY, 1), (BINARY, 2)):
    for _name, _op in _table.items():
        EXAMPLES[_name] = [([sample(t, seed=i) for i in range(_arity)], {}) for t in CLASS_TYPES[_op.accepts]]


# Ops naming a callee (nx.grad ...) cannot run eagerly: the nx-grad pass rewrites them; tests/frontend/test_grad.py
# has them.
# nx.fusion and nx.yield are made by nx-fuse, never traced; tests/passes/test_fusion.py has them.
SWEPT = sorted(set(SCHEMAS) - CALLS - {"fusion", "yield"})


def test_every_op_has_a_sweep_example():
    missing = sorted(set(SWEPT) - set(EXAMPLES))
    assert not missing, f"ops without an example in tests/frontend/test_defn.py EXAMPLES: {missing}"


def _sweep_cases():
    for name in SWEPT:
        for i, example in enumerate(EXAMPLES.get(name, [None])):
            yield pytest.param(name, example, id=f"{name}-{i}")


def _eager(name, arrays, attrs):
    out = apply(name, [nx.tensor(a) for a in arrays], **attrs)
    return out if isinstance(out, tuple) else (out,)


@pytest.mark.parametrize("name, example", list(_sweep_cases()))
def test_sweep_traced_op_runs_as_eager(name, example):
    if example is None:
        pytest.fail(f"nx.{name} has no example in EXAMPLES")
    arrays, attrs = example
    expected = _eager(name, arrays, attrs)

    # As arguments: the op itself is traced and interpreted.
    f = nx.defn(lambda *xs: apply(name, list(xs), **attrs), **EVAL)
    assert f'"nx.{name}"' in f.lower(*arrays).nx_text()
    got = f(*arrays)
    for g, e in zip(got if isinstance(got, tuple) else (got,), expected):
        assert g.ttype == e.ttype
        assert_same(g.numpy(), e.numpy())

    # As closed-over constants: nx-fold computes what it can at compile time, the evaluator the rest.
    constants = [nx.tensor(a) for a in arrays]
    g = nx.defn(lambda: apply(name, constants, **attrs), **EVAL)()
    for g_out, e in zip(g if isinstance(g, tuple) else (g,), expected):
        assert_same(g_out.numpy(), e.numpy())


# ---- calling, containers, static arguments, the cache ----

def test_defn_forms_and_results_as_tensors():
    @nx.defn(compiler="evaluator")
    def softplus(x):
        return nx.log1p(nx.exp(x))

    x = nx.tensor([[-1.0, 0.0, 2.0]], names=("batch", None))
    out = softplus(x)
    assert isinstance(out, nx.Tensor) and out.ttype == x.ttype
    np.testing.assert_allclose(out.numpy(), np.log1p(np.exp(x.numpy())), rtol=1e-6)
    assert softplus.__name__ == "softplus"
    plain = nx.defn(lambda x: x * 2, compiler="evaluator")
    np.testing.assert_array_equal(plain(np.arange(3)).numpy(), [0, 2, 4])


def test_containers_in_and_out():
    Pair = collections.namedtuple("Pair", "w b")

    @nx.defn(compiler="evaluator")
    def f(params, batch):
        w, b = params
        y = batch["x"] @ w + b
        return {"y": y, "parts": [Pair(w, b), (nx.sum(batch["x"]), None)], "n": 2.5}

    w, b, x = sample("f32", (3, 2)), sample("f32", (2,), seed=1), sample("f32", (4, 3), seed=2)
    out = f(Pair(nx.tensor(w), nx.tensor(b)), {"x": x})
    np.testing.assert_allclose(out["y"].numpy(), x @ w + b, rtol=1e-6)
    pair, (total, nothing) = out["parts"]
    assert isinstance(pair, Pair) and isinstance(out["parts"], list) and nothing is None
    assert_same(pair.w.numpy(), w)
    np.testing.assert_allclose(total.numpy(), x.sum(), rtol=1e-6)
    assert out["n"].type is nx.f32 and float(out["n"]) == 2.5


def test_numbers_are_tensor_arguments_and_named_statics_are_not():
    traces = []

    @nx.defn(compiler="evaluator", static_argnames="power")
    def f(x, scale, power):
        traces.append(1)
        return x ** power * scale

    x = nx.tensor([1.0, 2.0])
    np.testing.assert_array_equal(f(x, 2.0, 3).numpy(), [2.0, 16.0])
    np.testing.assert_array_equal(f(x, 5.0, 3).numpy(), [5.0, 40.0])  # another number: same program
    assert len(traces) == 1
    np.testing.assert_array_equal(f(x, 2.0, power=2).numpy(), [2.0, 8.0])  # a new static value: a new trace
    assert len(traces) == 2
    # A Python number is a tensor of its default type (Nx's rule), so it promotes like one: f16 * f32 -> f32.
    assert f(nx.tensor([1.0], type="f16"), 2.0, 1).type is nx.f32


def test_strings_callables_and_objects_are_static():
    traces = []

    class Config:
        def __init__(self, scale):
            self.scale = scale

    @nx.defn(compiler="evaluator")
    def f(x, activation, config, mode="sum"):
        traces.append(1)
        y = activation(x) * config.scale
        return nx.sum(y) if mode == "sum" else y

    config = Config(3.0)
    x = nx.tensor([-1.0, 2.0])
    assert float(f(x, nx.abs, config)) == 9.0
    assert float(f(x, nx.abs, config)) == 9.0
    assert len(traces) == 1
    np.testing.assert_array_equal(f(x, nx.negative, config, mode="each").numpy(), [3.0, -6.0])
    assert len(traces) == 2


def test_static_argnums_and_errors_for_static_values():
    f = nx.defn(lambda x, shape: nx.reshape(x, shape), static_argnums=1, compiler="evaluator")
    assert f(nx.iota((6,)), (2, 3)).shape == (2, 3)
    with pytest.raises(nx.NxTypeError, match="static .* must be hashable"):
        nx.defn(lambda x, opts: x, static_argnums=1, compiler="evaluator")(1.0, [1, 2])
    with pytest.raises(nx.NxTypeError, match="static but holds a tensor"):
        nx.defn(lambda x, y: x, static_argnums=1, compiler="evaluator")(1.0, nx.tensor(1.0))
    with pytest.raises(nx.NxValueError, match="does not take"):
        nx.defn(lambda x: x, static_argnames="nope")


def test_traces_once_per_signature():
    traces = []

    @nx.defn(compiler="evaluator")
    def f(x):
        traces.append(1)
        return x

    f(nx.tensor([1.0, 2.0]))
    f(nx.tensor([3.0, 4.0]))
    f(np.array([5.0, 6.0], np.float32))  # NumPy data of the same shape and type: the same signature
    assert len(traces) == 1
    f(nx.tensor([1.0, 2.0, 3.0]))  # shape
    f(nx.tensor([1, 2]))  # type
    f(nx.tensor([1.0, 2.0], names=("i",)))  # names
    f([nx.tensor(1.0)])  # structure
    assert len(traces) == 5
    f(nx.tensor([7.0, 8.0], names=("i",)))
    assert len(traces) == 5


def test_compiler_chosen_globally():
    f = nx.defn(lambda x: x * 2)
    before = compilers.get_compiler().name
    compilers.set_default_compiler("evaluator")
    try:
        assert float(f(nx.tensor(2.0))) == 4.0
        assert f.lower(nx.tensor(2.0)).compiler.name == "evaluator"
    finally:
        compilers.set_default_compiler(before)
    with pytest.raises(nx.NxValueError, match="unknown compiler 'nope'"):
        nx.defn(lambda x: x, compiler="nope")(1.0)


def test_positional_tensor_calls_are_keyed_by_their_types_and_compiler():
    """Calls whose arguments are all eager tensors by position skip the general signature: the same answers, one
    trace per (types, names, compiler), and a change of the default compiler is still seen."""
    traces = []

    @nx.defn
    def f(x, y):
        traces.append(1)
        return x * y

    x, y = nx.tensor([1.0, 2.0]), nx.tensor([3.0, 4.0])
    for _ in range(3):
        np.testing.assert_array_equal(f(x, y).numpy(), [3.0, 8.0])
    np.testing.assert_array_equal(f(np.float32([2, 2]), y).numpy(), [6.0, 8.0])  # the general path, same program
    assert len(traces) == 1
    np.testing.assert_array_equal(f(x, nx.tensor([1.0, 1.0], names=("i",))).numpy(), [1.0, 2.0])
    assert f(x, nx.tensor([1, 2])).type == nx.f32  # promoted: another signature
    assert len(traces) == 3
    before = compilers.get_compiler().name
    compilers.set_default_compiler("evaluator")
    try:
        np.testing.assert_array_equal(f(x, y).numpy(), [3.0, 8.0])
    finally:
        compilers.set_default_compiler(before)
    assert len(traces) == 4 and {key[0].name for key in f._cache} == {"iree", "evaluator"}


def test_results_of_an_unchecked_executable_are_checked(monkeypatch):
    """An executable that does not state its result types (a third-party compiler's) is checked on every call."""
    class Wrong:
        name = "wrong"

        def compile(self, module, entry, options):
            return lambda *arrays: (np.zeros(3, np.float64),)

    monkeypatch.setitem(compilers.COMPILERS, "wrong", Wrong())
    with pytest.raises(nx.NxValueError, match=r"compiler 'wrong' returned float64\[3\] where the program gives "
                                              r"f32\[2\]"):
        nx.defn(lambda x: x + 1, compiler="wrong")(nx.tensor([1.0, 2.0]))


def test_errors_locate_the_argument_inside_containers():
    class Unhashable:
        __hash__ = None

    f = nx.defn(lambda x, params, opts=None: x, compiler="evaluator")
    with pytest.raises(nx.NxTypeError, match=r"argument 1\['w'\]\[1\] is static .* got Unhashable"):
        f(1.0, {"w": (nx.tensor(1.0), Unhashable())})
    with pytest.raises(nx.NxTypeError, match=r"argument 'opts'\[0\] is static .* got Unhashable"):
        f(1.0, {}, opts=[Unhashable()])


def test_compiler_options_reach_the_compiler():
    with pytest.raises(nx.NxValueError, match=r"takes no options, got \['fast'\]"):
        nx.defn(lambda x: x, compiler="evaluator", fast=True)(1.0)


# ---- errors inside defn ----

def test_shape_error_names_the_users_line():
    @nx.defn(compiler="evaluator")
    def f(x, y):
        return x + y  # marker: shape error

    with pytest.raises(nx.NxShapeError) as info:
        f(nx.tensor([1.0, 2.0]), nx.tensor([1.0, 2.0, 3.0]))
    assert info.value.location[:2] == (__file__, line_of("# marker: shape error"))
    assert f"{__file__}:{line_of('# marker: shape error')}" in str(info.value)


def test_type_error_names_the_users_line():
    @nx.defn(compiler="evaluator")
    def f(x):
        return nx.bitwise_and(x, x)  # marker: type error

    with pytest.raises(nx.NxTypeError) as info:
        f(nx.tensor([1.0]))
    assert info.value.location[:2] == (__file__, line_of("# marker: type error"))


@pytest.mark.parametrize("use", [
    lambda t: 1 if t > 0 else 0, bool, int, float, lambda t: t.numpy(), lambda t: t.tolist(), np.asarray,
])
def test_python_control_flow_on_traced_values_is_a_trace_error(use):
    f = nx.defn(lambda x: use(x), compiler="evaluator")
    with pytest.raises(nx.NxTraceError) as info:
        f(nx.tensor(1.0))
    assert info.value.location[0] == __file__


def test_control_flow_error_points_at_the_if():
    @nx.defn(compiler="evaluator")
    def f(x):
        if x > 0:  # marker: control flow
            return x
        return -x

    with pytest.raises(nx.NxTraceError, match="control flow") as info:
        f(nx.tensor(1.0))
    assert info.value.location[:2] == (__file__, line_of("# marker: control flow"))


def test_leaked_tracer_is_an_error():
    leaked = []

    @nx.defn(compiler="evaluator")
    def f(x):
        leaked.append(x)
        return x

    f(nx.tensor(1.0))
    with pytest.raises(nx.NxTraceError, match="leaked"):
        leaked[0] + 1


def test_outputs_must_be_tensors_or_containers():
    with pytest.raises(nx.NxTraceError, match="returns tensors"):
        nx.defn(lambda x: "text", compiler="evaluator")(1.0)


# ---- closures, constants, nesting ----

def test_closed_over_tensors_become_constants():
    w = nx.tensor([[1.0, 2.0], [3.0, 4.0]])
    c = nx.tensor([1 + 2j, 3 - 4j])
    f = nx.defn(lambda x: (x @ w, c * x[0]), compiler="evaluator")
    text = f.lower(nx.tensor([[1.0, 1.0]])).nx_text()
    assert text.count('"nx.constant"') == 3 and '"nx.complex"' in text  # complex as nx.complex of two reals
    y, z = f(nx.tensor([[1.0, 1.0]]))
    assert_same(y.numpy(), np.array([[4.0, 6.0]], np.float32))
    assert_same(z.numpy(), np.array([1 + 2j, 3 - 4j], np.complex64))


def test_large_closed_over_tensors_become_arguments(monkeypatch):
    monkeypatch.setattr(trace_module, "LARGE_CONSTANT", 4)
    big = nx.tensor(np.arange(10.0, dtype=np.float32))
    small = nx.tensor([1.0, 2.0])
    f = nx.defn(lambda x: (x + big, x[:2] * small), compiler="evaluator")
    lowered = f.lower(nx.tensor(np.ones(10, np.float32)))
    assert "func.func @lambda(%arg0: tensor<10xf32>, %arg1: tensor<10xf32>)" in lowered.nx_text()
    assert len(lowered.captured) == 1
    y, z = f(nx.tensor(np.ones(10, np.float32)))
    assert_same(y.numpy(), np.arange(10.0, dtype=np.float32) + 1)
    assert_same(z.numpy(), np.array([1.0, 2.0], np.float32))


def test_data_made_inside_is_traced_as_constants():
    @nx.defn(compiler="evaluator")
    def f(x):
        return x + nx.tensor([10, 20]) + np.array([1, 2]) + nx.iota((2,))

    assert_same(f(nx.tensor([0, 0])).numpy(), np.array([11, 23], np.int64))


def test_nested_defn_is_inlined():
    inner = nx.defn(lambda x: x * 3, compiler="evaluator")
    outer = nx.defn(lambda x: inner(x) + 1, compiler="evaluator")
    text = outer.lower(nx.tensor(1.0)).nx_text()
    assert text.count("func.func") == 1 and '"nx.multiply"' in text
    assert float(outer(nx.tensor(2.0))) == 7.0


def test_defn_methods_get_their_instance_as_a_static_argument():
    class Layer:
        def __init__(self, scale):
            self.scale = scale

        @nx.defn(compiler="evaluator")
        def __call__(self, x):
            return x * self.scale

    assert float(Layer(2.0)(nx.tensor(3.0))) == 6.0
    assert float(Layer(5.0)(nx.tensor(3.0))) == 15.0


# ---- the traced IR and f.lower ----

def test_ops_carry_the_users_location_and_explicit_casts_and_broadcasts():
    @nx.defn(compiler="evaluator")
    def scaled(x, y):
        return x * y  # marker: located op

    text = scaled.lower(nx.tensor([[1, 2]], type="s32"), nx.tensor([1.5, 2.5])).nx_text(debug_info=True)
    assert "func.func @scaled(" in text
    assert f'loc("{__file__}":{line_of("# marker: located op")}:' in text
    assert '"nx.as_type"' in text and '"nx.broadcast"' in text and '"nx.multiply"' in text


def test_lower_stages_and_compile():
    @nx.defn(compiler="evaluator")
    def f(x):
        return -(-x) * 1.0 + nx.exp(x)

    lowered = f.lower(nx.template((2, 3), "f32"))
    assert lowered.nx_text().count('"nx.negate"') == 2
    assert lowered.as_text("nx") == lowered.nx_text() == str(lowered.module)
    assert {"nx", "nx-optimized"} <= set(lowered.stages())
    optimized = lowered.as_text("nx-optimized")
    assert '"nx.negate"' not in optimized and '"nx.multiply"' not in optimized
    assert lowered.nx_text().count('"nx.negate"') == 2  # stages leave the traced module alone
    compiled = lowered.compile()
    x = sample("f32", (2, 3))
    np.testing.assert_allclose(compiled(x).numpy(), x + np.exp(x), rtol=1e-6)
    with pytest.raises(nx.NxValueError, match=r"compiled for arguments \(f32\[2, 3\]\), called with \(f32\[3\]\)"):
        compiled(np.zeros(3, np.float32))
    with pytest.raises(nx.NxValueError, match="unknown stage"):
        lowered.as_text("llvm")


def test_templates_only_lower():
    f = nx.defn(lambda x: x, compiler="evaluator")
    with pytest.raises(nx.NxTypeError, match=r"template f32\[2\] has no data"):
        f(nx.template((2,), "f32"))
    t = nx.template((2, 3), nx.bf16, names=("a", None))
    assert (t.shape, t.type, t.names) == ((2, 3), nx.bf16, ("a", None))
    assert "tensor<2x3xbf16>" in f.lower(t).nx_text()
    with pytest.raises(nx.NxValueError, match="names"):
        nx.template((2,), "f32", names=("a", "b"))


def test_stablehlo_stage():
    # The reverse does not fuse and becomes StableHLO; the addition after it is fused into a linalg.generic.
    lowered = nx.defn(lambda x: nx.flip(x) + 1.0, compiler="evaluator").lower(nx.template((2,), "f32"))
    text = lowered.as_text("stablehlo")
    assert "stablehlo.reverse" in text and "linalg.generic" in text and "arith.addf" in text
    assert '"nx.' not in text


@pytest.mark.parametrize("compiler", ["iree", "evaluator"])
def test_a_traced_module_is_verified_only_when_debugging(compiler, monkeypatch, capfd):
    """The tracer checked each op against its schema as it built it: nx-verify runs on it only under debug=True."""
    verified = []
    monkeypatch.setitem(PASSES, "nx-verify", verified.append)
    x = nx.tensor([1.0, 2.0])
    nx.defn(lambda x: x * 2.0 + 1.0, compiler=compiler)(x)
    assert verified == []
    nx.defn(lambda x: x * 2.0 + 1.0, compiler=compiler, debug=True)(x)
    assert len(verified) == 1
    capfd.readouterr()  # the debug dumps


@pytest.mark.parametrize("how", ["debug", "env"])
def test_debug_dumps_ir_after_each_pass(how, capfd, monkeypatch):
    if how == "env":
        monkeypatch.setenv("NUMERIX_DUMP_IR", "1")
    f = nx.defn(lambda x: x * 1.0, compiler="evaluator", debug=how == "debug")
    f(nx.tensor([1.0]))
    err = capfd.readouterr().err
    for stage in ("trace", "nx-verify", "nx-fold", "nx-cse", "nx-dce"):
        assert f"// -----// IR Dump After {stage} //----- //" in err
    assert err.index("After nx-fold") < err.index("After nx-cse") < err.index("After nx-dce")


def test_no_dumps_by_default(capfd, monkeypatch):
    monkeypatch.delenv("NUMERIX_DUMP_IR", raising=False)
    nx.defn(lambda x: x * 1.0, compiler="evaluator")(nx.tensor([1.0]))
    assert "IR Dump" not in capfd.readouterr().err


def test_scalars_of_every_kind_round_trip():
    f = nx.defn(lambda a, b, c, d, e: (a, b, c, d, e), compiler="evaluator")
    out = f(True, 3, 2.5, 1 + 2j, np.float16(1.5))
    assert [o.type for o in out] == [nx.bool, nx.s64, nx.f32, nx.c64, nx.f16]
    assert [o.item() for o in out] == [True, 3, 2.5, 1 + 2j, 1.5]
    assert math.isclose(float(nx.defn(lambda: 0.1, compiler="evaluator")()), np.float32(0.1))


def test_an_allocation_past_the_device_is_a_memory_error():
    """4 TiB of results: IREE's RESOURCE_EXHAUSTED becomes an NxMemoryError (a MemoryError) with the sizes."""
    with pytest.raises(nx.NxMemoryError, match=r"^iree: the compiled function needs more memory than the device can "
                                               r"allocate: its results alone take 4,398,046,511,104 bytes") as info:
        nx.defn(lambda: nx.zeros((2**40,)))()
    assert isinstance(info.value, MemoryError)
