"""The evaluator (runtime/evaluator.py) on nx IR text: calls to private functions, and its refusals (recursion, ops
outside the nx dialect, arguments that do not match the function, an entry function the module lacks)."""
import numpy as np
import pytest

import numerix as nx
from conftest import assert_same, parse, run
from numerix.runtime.compilers import get_compiler


CALLS = """
func.func private @square(%x: tensor<2xf32>) -> tensor<2xf32> {
  %r = "nx.multiply"(%x, %x) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %r : tensor<2xf32>
}
func.func @f(%x: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>) {
  %s = func.call @square(%x) : (tensor<2xf32>) -> tensor<2xf32>
  %t = func.call @square(%s) : (tensor<2xf32>) -> tensor<2xf32>
  return %s, %t : tensor<2xf32>, tensor<2xf32>
}
"""


def test_evaluator_runs_calls_to_private_functions():
    s, t = run(parse(CALLS), np.array([2.0, -3.0], np.float32))
    assert_same(s, np.array([4.0, 9.0], np.float32))
    assert_same(t, np.array([16.0, 81.0], np.float32))


def test_evaluator_refuses_recursion_and_foreign_ops():
    recursive = ("func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {\n"
                 "  %r = func.call @f(%x) : (tensor<2xf32>) -> tensor<2xf32>\n"
                 "  return %r : tensor<2xf32>\n}\n")
    with pytest.raises(nx.NxValueError, match="cannot recurse"):
        run(parse(recursive), np.zeros(2, np.float32))
    foreign = ("func.func @f() -> tensor<2xf32> {\n"
               "  %r = arith.constant dense<1.0> : tensor<2xf32> loc(\"m.py\":4:2)\n"
               "  return %r : tensor<2xf32>\n}\n")
    with pytest.raises(nx.NxValueError, match="cannot run arith.constant") as info:
        run(parse(foreign))
    assert info.value.location == ("m.py", 4, 2)


def test_evaluator_checks_its_inputs():
    executable = get_compiler("evaluator").compile(parse(CALLS), "f", {})
    with pytest.raises(nx.NxValueError, match="takes 1 arrays, got 2"):
        executable(np.zeros(2, np.float32), np.zeros(2, np.float32))
    with pytest.raises(nx.NxTypeError, match="expects f32\\[2\\]"):
        executable(np.zeros(2, np.float64))
    with pytest.raises(nx.NxValueError, match="no function @g"):
        get_compiler("evaluator").compile(parse(CALLS), "g", {})
