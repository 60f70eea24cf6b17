"""IREE 3.13 fuses an elementwise producer that has several users into a consumer that reads it through a map that
misses some of its elements (a gather at constant indices: (d0, d1) -> (d0, 0); a strided pick of one-element
windows: (d0) -> (d0 * 2)), and writes the producer's result for its other users through that same map: the
elements it misses are left uninitialized. iree-constant-gather-barriers and the window and convolution lowerings'
barriers keep such producers out. Each program is checked twice: its values against the evaluator (the
uninitialized memory may hold the right values by chance), and IREE's dispatches (no fused op writes a result
through a map that misses elements)."""
import numpy as np
import pytest
from iree.compiler import compile_str, ir

import numerix as nx
from numerix.dialect import ops as nx_ops

X = np.array([[2.0, -1.0, -2.0, -3.0], [5.0, -1.5, -2.5, -3.5]], np.float32)
COLUMN = np.array([[2.0], [-1.0], [0.5], [-3.0], [4.0], [1.5], [-0.5]], np.float32)


def _conv_pick(x):
    image = nx.reshape(x * 2, (1, 1, 7, 1))
    return nx.conv(image, nx.ones((1, 1, 1, 1)), strides=[2, 1]), x * 2 - 1


PROGRAMS = {
    # -x is read by the gather at column 0 only and by -x + 1 everywhere.
    "gather_same_column": (lambda x: ((-x)[:, [0, 0, 0]] * 2, -x + 1), X),
    # exp of a NaN-holding log beside the gather: the fuzzer's seed-909 program, without vmap.
    "gather_log_exp": (lambda x: (nx.exp(nx.log(x)[:, [0, 0, 0]]), nx.exp(nx.log(x))), X),
    "gather_under_vmap": (nx.vmap(lambda x: (nx.exp(nx.log(x)[[0, 0, 0]]), nx.exp(nx.log(x)))), X),
    # The fuzzer's seed-1010 program: a strided pick of one-element windows beside a window sum.
    "window_pick": (lambda x: (nx.window_min(x * 2, (1, 1), strides=(2, 2)),
                               nx.window_sum(x * 2, (2, 1), strides=(1, 2))), COLUMN),
    "window_pick_beside_elementwise": (lambda x: (nx.window_max(x * 2, (1, 1), strides=(2, 1)), x * 2 - 1), COLUMN),
    "convolution_pick": (_conv_pick, COLUMN),
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_values_agree_with_the_evaluator(name):
    program, x = PROGRAMS[name]
    with np.errstate(invalid="ignore"):
        expected = nx.defn(program, compiler="evaluator")(nx.tensor(x))
        got = nx.defn(program, compiler="iree")(nx.tensor(x))
    for g, e in zip(got, expected):
        np.testing.assert_allclose(g.numpy(), e.numpy(), rtol=1e-6)


def _partial_writes(module_text):
    """The output maps of IREE's fused multi-result linalg.generics that miss elements of their result: a result
    expression other than a dimension, unless a 0 on an axis of one element."""
    found = []
    with ir.Context():
        module = ir.Module.parse(module_text)
        for op in nx_ops.all_ops(module):
            if op.name != "linalg.generic" or len(op.results) < 2:
                continue
            maps = [ir.AffineMapAttr(a).value for a in ir.ArrayAttr(op.attributes["indexing_maps"])]
            for result, out_map in zip(op.results, maps[-len(op.results):]):
                shape = ir.RankedTensorType(result.type).shape
                for size, expr in zip(shape, out_map.results):
                    if not (isinstance(expr, ir.AffineDimExpr)
                            or isinstance(expr, ir.AffineConstantExpr) and size == 1):
                        found.append(str(out_map))
    return found


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_no_fused_op_writes_a_result_partly(name):
    program, x = PROGRAMS[name]
    text = nx.defn(program).lower(nx.tensor(x)).as_text("stablehlo")
    flow = compile_str(text, target_backends=["llvm-cpu"], input_type="stablehlo",
                       extra_args=["--compile-to=flow", "--iree-llvmcpu-target-cpu=host"]).decode()
    assert _partial_writes(flow) == []


def test_gathers_at_traced_indices_and_of_arguments_are_left_alone():
    lowered = nx.defn(lambda x, i: (x[:, i], (-x)[:, i], x[:, [0, 0]])).lower(nx.tensor(X), nx.tensor([1, 2]))
    assert "optimization_barrier" not in lowered.as_text("stablehlo")
