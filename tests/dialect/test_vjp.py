"""The VJP table, checked on its own (without the tracer or the nx-grad pass): a recording backend keeps the ops a
function runs, `backpropagate` composes their rules on NumPy, and the result is compared with central finite
differences in f64 at every element. Second order: the adjoint sweep is itself recorded and swept again."""
import numpy as np
import pytest

import numerix as nx
from numerix.dialect.algebra import Term
from numerix.dialect.schema import SCHEMAS, TensorType
from numerix.dispatch import NUMPY, using_backend
from numerix.dialect.rules import VJP, run_numpy
from numerix.passes.vjp import Step, backpropagate
from numerix.tensor import Tensor

from vjp_cases import CASES, differentiable_ops


class Recorder:
    """An eager backend that computes with NumPy and records each op as a Step of Tensors."""
    name = "recorder"
    priority = 1

    def __init__(self):
        self.steps = []
        self._tensors = {}  # id -> each tensor it made (inputs and results)
        self._by_data = {}  # id(data) -> the first of them holding that array

    def run(self, name, operands, attrs, out_types):
        results = tuple(self._made(Tensor(t.data, t.ttype, self)) for t in NUMPY.run(name, operands, attrs, out_types))
        self.steps.append(Step(name, tuple(map(self.canonical, operands)), results, dict(attrs)))
        return results

    def from_numpy(self, array, ttype):
        return self._made(Tensor(array, ttype, self))

    def canonical(self, tensor):
        """The recorded tensor that `tensor` stands for: itself, or the one it copies (`+t` and the functions that
        return another tensor object than their argument share its data)."""
        if id(tensor) in self._tensors:
            return tensor
        return self._by_data.get(id(tensor.data), tensor)

    def _made(self, tensor):
        self._tensors[id(tensor)] = tensor
        self._by_data.setdefault(id(tensor.data), tensor)
        return tensor

    def to_numpy(self, tensor):
        return tensor.data


class Cell:
    """A value of the emitter below: an array and its nx type. Each op makes new cells, so a cell's identity
    stands for one value even where a NumPy rule hands back its operand's array."""
    __slots__ = ("array", "ttype")

    def __init__(self, array, ttype):
        self.array, self.ttype = array, ttype


class Emitter:
    """An emitter of dialect/algebra.py that computes with the NumPy rules and keeps the ops, so that what the rules
    emitted can be swept again as Nodes. One Term stands for each cell in those Nodes."""

    def __init__(self):
        self.ops = []
        self.terms = {}

    def emit(self, name, values, attrs, out_types):
        arrays = run_numpy(name, [v.array for v in values], attrs, out_types)
        cells = [Cell(a, t) for a, t in zip(arrays, out_types)]
        self.ops.append((name, values, cells, attrs))
        return cells

    def constant(self, array):
        return Cell(array, TensorType.of(array.shape, nx.as_dtype(array.dtype)))

    def term(self, cell):
        if cell not in self.terms:
            self.terms[cell] = Term(cell, cell.ttype, self)
        return self.terms[cell]

    def steps(self):
        return [Step(name, tuple(map(self.term, operands)), tuple(map(self.term, results)), attrs)
                for name, operands, results, attrs in self.ops]


def _outputs(out):
    return out if isinstance(out, tuple) else (out,)


def _seeds(terms, rng, emitter):
    """A random cotangent per inexact term."""
    seeds = {}
    for o in terms:
        if o.type.is_inexact:
            values = rng.normal(size=o.shape)
            if o.type.is_complex:
                values = values + 1j * rng.normal(size=o.shape)
            seeds[o] = emitter.term(emitter.constant(values.astype(o.type.np)))
    return seeds


def _recorded_gradient(fn, arrays, rng):
    """(emitter, inputs, outputs, seeds, gradients): fn run on recording tensors, its ops recorded as Nodes of the
    emitter's Terms, and swept back from random cotangents, the sweep recorded too (so that the gradients can be
    differentiated again)."""
    recorder = Recorder()
    tensors = [recorder.from_numpy(a, TensorType.of(a.shape, nx.as_dtype(a.dtype))) for a in arrays]
    with using_backend(recorder):
        outputs = [recorder.canonical(o) for o in _outputs(fn(*tensors))]
    emitter = Emitter()
    cells = {}

    def term(tensor):
        if id(tensor) not in cells:
            cells[id(tensor)] = Cell(tensor.data, tensor.ttype)
        return emitter.term(cells[id(tensor)])
    inputs = [term(t) for t in tensors]
    steps = [Step(n.name, tuple(map(term, n.operands)), tuple(map(term, n.results)), n.attrs) for n in recorder.steps]
    emitter.ops = [(n.name, [t.value for t in n.operands], [t.value for t in n.results], n.attrs) for n in steps]
    outputs = [term(o) for o in outputs]
    seeds = _seeds(outputs, rng, emitter)
    cotangents = backpropagate(steps, seeds)
    gradients = [emitter.term(cotangents[x].value) if x in cotangents else x for x in inputs]
    gradients = [g if x in cotangents else None for g, x in zip(gradients, inputs)]
    return emitter, inputs, outputs, seeds, gradients


def _array(term, like=None):
    """A term's NumPy value (zeros like `like` for a gradient nothing reached)."""
    return np.zeros(like.shape, like.type.np) if term is None else term.value.array


def _finite_difference(scalar_fn, arrays, eps=1e-6):
    """d scalar_fn / d arrays by central differences, per element; for complex inputs df/dx - i df/dy (JAX's
    convention)."""
    grads = []
    for k, a in enumerate(arrays):
        g = np.zeros(a.shape, np.complex128 if a.dtype.kind == "c" else np.float64)
        directions = (1, 1j) if a.dtype.kind == "c" else (1,)
        for index in np.ndindex(a.shape):
            for d in directions:
                def at(step):
                    moved = [b.copy() for b in arrays]
                    moved[k][index] += step * d
                    return scalar_fn(moved)
                slope = (at(eps) - at(-eps)) / (2 * eps)
                g[index] += slope if d == 1 else -1j * slope
        grads.append(g)
    return grads


def _wide(a):
    return a.astype(np.complex128 if a.dtype.kind == "c" else np.float64)


def _sample(inputs, type, seed):
    rng = np.random.default_rng(seed)
    arrays = []
    for spec in inputs:
        values = rng.uniform(spec.low, spec.high, spec.shape)
        if type.is_complex:
            values = values + 0.3j * rng.uniform(-1, 1, spec.shape)
        arrays.append(values.astype(type.np))
    return arrays


TOLERANCE = {"f64": 1e-6, "c128": 1e-6, "f32": 2e-3, "c64": 2e-3}


def _assert_close(actual, expected, type_name, what):
    actual, expected = _wide(np.asarray(actual)), _wide(np.asarray(expected))
    tol = TOLERANCE[type_name]
    scale = max(1.0, float(np.max(np.abs(expected), initial=0)))
    np.testing.assert_allclose(actual, expected, rtol=tol, atol=tol * scale, err_msg=what)


def _cases():
    for op in differentiable_ops():
        for i, case in enumerate(CASES.get(op, ())):
            types = ["f64", "f32"] + (["c128", "c64"] if case.complex else [])
            for t in types:
                yield pytest.param(op, i, t, id=f"{op}-{i}-{t}")


def test_every_differentiable_op_has_a_vjp_rule():
    missing = [op for op in differentiable_ops() if op not in VJP]
    assert not missing, f"differentiable ops without a VJP rule: {missing}"


def test_every_differentiable_op_has_a_case():
    missing = [op for op in differentiable_ops() if op not in CASES]
    assert not missing, f"differentiable ops without a gradient test case: {missing}"


def test_rules_only_for_differentiable_ops():
    assert not [op for op in VJP if not SCHEMAS[op].differentiable]


@pytest.mark.parametrize("op, index, type_name", list(_cases()))
def test_first_order(op, index, type_name):
    case = CASES[op][index]
    type = nx.as_dtype(type_name)
    arrays = _sample(case.inputs, type, seed=index)
    _, inputs, outputs, seeds, gradients = _recorded_gradient(case.fn, arrays, np.random.default_rng(7))
    wide_seeds = [_wide(_array(seeds[o])) if o in seeds else None for o in outputs]

    def scalar(moved):
        outs = _outputs(case.fn(*[nx.tensor(m) for m in moved]))
        return sum(float(np.real(np.sum(s * _wide(n.numpy())))) for s, n in zip(wide_seeds, outs) if s is not None)
    expected = _finite_difference(scalar, [_wide(a) for a in arrays])
    for k, (g, e) in enumerate(zip(gradients, expected)):
        assert g is None or g.type is type and g.shape == arrays[k].shape
        _assert_close(_array(g, inputs[k]), e, type_name, f"gradient of argument {k}")


@pytest.mark.parametrize("op, index, type_name", list(_cases()))
def test_second_order(op, index, type_name):
    """The gradient's own gradient: h(x) = <c, df(x)> swept back again from a second cotangent, against finite
    differences of h (h computed by the rules in f64)."""
    case = CASES[op][index]
    type = nx.as_dtype(type_name)
    arrays = _sample(case.inputs, type, seed=index)
    emitter, inputs, _, _, gradients = _recorded_gradient(case.fn, arrays, np.random.default_rng(7))
    reached = [g for g in gradients if g is not None]
    second_seeds = _seeds(reached, np.random.default_rng(11), emitter)
    second = backpropagate(emitter.steps(), second_seeds)
    seed_values = {k: _wide(_array(second_seeds[g])) for k, g in enumerate(gradients) if g in second_seeds}

    def scalar(moved):
        _, moved_inputs, _, _, grads = _recorded_gradient(case.fn, moved, np.random.default_rng(7))
        return sum(float(np.real(np.sum(s * _array(grads[k], moved_inputs[k])))) for k, s in seed_values.items())
    expected = _finite_difference(scalar, [_wide(a) for a in arrays])
    for k, (x, e) in enumerate(zip(inputs, expected)):
        got = _array(second.get(x), x)
        _assert_close(got, e, type_name, f"second-order gradient of argument {k}")
