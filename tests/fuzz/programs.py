"""Random nx programs for the differential fuzzer, as a hypothesis strategy (`programs()`, `batches()`).

A `Program` is straight-line Python over public numerix functions, one op a line:

    def program(x0, x1):
        v2 = nx.sin(x0)
        v3 = nx.where(nx.greater(x1, 0.5), v2, x0)
        return (v3,)

with its inputs (name, type, shape, seed of conftest.sample's data). `source()` prints it, `from_source` reads it
back (a regression file is such source), `function()` makes it callable. The generator runs each step eagerly while
it draws it, so it knows every value: a step that numerix rejects (NxError) is not used, and neither is one whose
result three correct backends could disagree on (guards.py): overflow, infinities, values near a discontinuity or a
singularity. What remains must agree everywhere, within a tolerance that `tolerance()` derives from the types and
the magnitudes each result was computed from."""
import ast
import re
import warnings
from dataclasses import dataclass

import numpy as np
from hypothesis import strategies as st

import numerix as nx
from conftest import RTOL, sample

from . import guards
from .ops import WEIGHTED_MAKERS

# The input types and how often each is drawn: the common ones most, the narrow and complex ones now and then.
INPUT_TYPES = ["f32"] * 6 + ["f64"] * 3 + ["s32"] * 3 + ["s64", "u8", "bool", "bool", "f16", "bf16", "c64"]
MAX_STEPS = 6
ATTEMPTS_PER_STEP = 12  # makers tried before a program ends early (most rejections are operands of the wrong type)
_NAME = re.compile(r"\b[xv]\d+\b")


@dataclass(frozen=True)
class Program:
    inputs: tuple  # (name, type, shape, seed)
    steps: tuple  # (name, Python expression over earlier names)
    outputs: tuple  # names

    def source(self, name="program"):
        lines = [f"def {name}({', '.join(i[0] for i in self.inputs)}):"]
        lines += [f"    {target} = {expr}" for target, expr in self.steps]
        lines.append(f"    return ({''.join(o + ', ' for o in self.outputs).rstrip()})")
        return "\n".join(lines) + "\n"

    def function(self):
        namespace = {"nx": nx}
        exec(compile(self.source(), "<fuzz program>", "exec"), namespace)  # noqa: S102 (our own generated source)
        return namespace["program"]

    def arguments(self):
        """The inputs' data, as eager tensors."""
        return [nx.tensor(sample(type, shape, seed=seed)) for _, type, shape, seed in self.inputs]

    def ops(self):
        """The public functions it calls (and "getitem", "@", ...): the signature of a bug it shows."""
        found = set()
        for _, expr in self.steps:
            found.update(re.findall(r"nx\.(\w+)", expr))
            found.update(op for op in ("[", "@", " + ", " - ", " * ", " / ", " < ", " >= ") if op in expr)
        return frozenset(found)

    @classmethod
    def merge(cls, programs):
        """One program computing what a batch computes (a reproducer is one program), its names renumbered."""
        inputs, steps, outputs = [], [], []
        counter = iter(range(10 ** 6))
        for program in programs:
            names = {n: f"x{next(counter)}" for n, _, _, _ in program.inputs}
            inputs += [(names[n], t, s, seed) for n, t, s, seed in program.inputs]
            for name, expr in program.steps:
                renamed = _NAME.sub(lambda m: names[m.group(0)], expr)
                names[name] = f"v{next(counter)}"
                steps.append((names[name], renamed))
            outputs += [names[n] for n in program.outputs]
        return cls(tuple(inputs), tuple(steps), tuple(outputs))

    def without_output(self, output):
        """The program without one of its outputs, the steps only it read, and the inputs no step reads then."""
        outputs = tuple(o for o in self.outputs if o != output)
        needed = set(outputs)
        steps = []
        for name, expr in reversed(self.steps):
            if name in needed:
                steps.insert(0, (name, expr))
                needed.update(_NAME.findall(expr))
        return Program(tuple(i for i in self.inputs if i[0] in needed), tuple(steps), outputs)

    @classmethod
    def from_source(cls, text, inputs):
        """The program of `text` (its function `program`), with `inputs` as `source()`'s inverse takes them."""
        function = next(n for n in ast.parse(text).body if isinstance(n, ast.FunctionDef) and n.name == "program")
        steps = tuple((s.targets[0].id, ast.get_source_segment(text, s.value))
                      for s in function.body if isinstance(s, ast.Assign))
        returned = function.body[-1].value
        outputs = tuple(e.id for e in (returned.elts if isinstance(returned, ast.Tuple) else [returned]))
        return cls(tuple((n, t, tuple(s), seed) for n, t, s, seed in inputs), steps, outputs)

    def tolerance(self):
        """(rtol, atol) per output. Each step may add a rounding error of its type (conftest.RTOL) relative to the
        magnitudes it was computed from; so a result allows RTOL (the widest of its types) times the steps it depends
        on, relative to the largest magnitude among them (its scale, which grows with each sum's length)."""
        values = evaluate(self)
        result = []
        for name in self.outputs:
            v = values[name]
            types = [values[n].type for n in v.cone] + [v.type]
            rtol = max([RTOL[t] for t in types if t in RTOL], default=0.0) * max(1, len(v.cone))
            result.append((rtol, rtol * max(1.0, v.scale)))
        return result


@dataclass
class Value:
    """A value of a program as the generator and tolerance() see it: its eager result and where it came from."""
    name: str
    tensor: object
    array: np.ndarray
    type: str
    scale: float  # the largest magnitude it was computed from
    cone: frozenset  # the steps it depends on

    @property
    def shape(self):
        return tuple(self.array.shape)

    @property
    def rank(self):
        return self.array.ndim


def _magnitude(array):
    finite = guards.finite(np.asarray(array)) if np.asarray(array).dtype.kind in "fc" else np.asarray(array)
    return float(np.max(np.abs(finite.astype(np.complex128)))) if finite.size else 0.0


def _input_value(name, type, shape, seed):
    tensor = nx.tensor(sample(type, shape, seed=seed))
    array = tensor.numpy()
    return Value(name, tensor, array, type, _magnitude(array), frozenset())


def _run_step(name, expr, operands):
    """The Value of step `name`: `expr` run eagerly on its operands (Values)."""
    tensor = eval(expr, {"nx": nx}, {o.name: o.tensor for o in operands})  # noqa: S307 (our own generated code)
    array = tensor.numpy()
    scale = max([o.scale for o in operands] + [_magnitude(array), 1.0])
    # A sum's rounding error is relative to the sum of the magnitudes: up to its length times the largest.
    if any(f"nx.{r}(" in expr for r in _REDUCING) or "@" in expr:
        scale *= max(1.0, max(o.array.size for o in operands) / max(1, array.size))
    cone = frozenset([name]).union(*[o.cone for o in operands])
    return Value(name, tensor, array, tensor.type.name, scale, cone)


def evaluate(program):
    """Every value of the program, computed eagerly step by step."""
    values = {n: _input_value(n, t, s, seed) for n, t, s, seed in program.inputs}
    for name, expr in program.steps:
        values[name] = _run_step(name, expr, [values[n] for n in dict.fromkeys(_NAME.findall(expr))])
    return values


# The ops whose rounding error is relative to a sum of magnitudes (sums, products, contractions).
_REDUCING = ("sum", "prod", "mean", "logsumexp", "var", "cumulative_sum", "cumulative_prod", "outer", "vecdot",
             "matmul", "dot")


def _acceptable(call, value):
    """The checks every step passes, on top of its op's guard: no infinity, NaN only where the op may make it, floats
    below FLOAT_BOUND, and integers that did not overflow."""
    array = np.asarray(value.array)
    if array.dtype.kind in "fcV" or value.type in ("bf16", "f16"):
        wide = array.astype(np.complex128)
        if np.isinf(wide).any():
            return False
        new_nan = np.isnan(wide) & ~_nan_from_operands(call, array.shape)
        if new_nan.any() and not call.nan_ok:
            return False
        return _magnitude(array) <= guards.FLOAT_BOUND
    if array.dtype.kind in "iu":
        if array.dtype.itemsize == 8:
            return _magnitude(array) <= guards.INT64_BOUND
        return not call.may_overflow or _same_in_s64(call, array)
    return True


def _nan_from_operands(call, shape):
    """Where a NaN of the result may come from a NaN operand (elementwise, or anywhere, for other ops)."""
    flags = [np.isnan(np.asarray(o.array).astype(np.complex128)) for o in call.operands if o.array.dtype.kind in "fcV"
             or o.type in ("bf16", "f16")]
    if not any(f.any() for f in flags):
        return np.zeros(shape, bool)
    try:
        return np.broadcast_to(np.logical_or.reduce(np.broadcast_arrays(*flags)), shape)
    except ValueError:
        return np.ones(shape, bool)


def _same_in_s64(call, array):
    """An integer step overflowed if computing it on its operands converted to s64 gives other values."""
    namespace = {o.name: nx.astype(o.tensor, "s64") if nx.as_dtype(o.type).is_integer else o.tensor
                 for o in call.operands if isinstance(o, Value)}
    try:
        wide = eval(call.expr, {"nx": nx}, namespace).numpy()  # noqa: S307
    except nx.NxError:
        return False
    return wide.shape == array.shape and bool(np.all(wide == array.astype(np.int64)))


@st.composite
def programs(draw, max_steps=MAX_STEPS):
    """A random program over 1 to 3 inputs whose shapes broadcast together (dims set to 1 or leading dims left out of
    one base shape), of up to `max_steps` steps; its outputs are the values no later step reads."""
    base = draw(st.lists(st.integers(1, 4), max_size=3))
    inputs = []
    for i in range(draw(st.integers(1, 3))):
        shape = [d if draw(st.integers(0, 3)) else 1 for d in base[draw(st.integers(0, len(base))):]]
        inputs.append((f"x{i}", draw(st.sampled_from(INPUT_TYPES)), tuple(shape), draw(st.integers(0, 999))))
    values = {n: _input_value(n, t, s, seed) for n, t, s, seed in inputs}
    steps = []
    for index in range(len(inputs), len(inputs) + draw(st.integers(1, max_steps))):
        name = f"v{index}"
        drawn = _draw_step(draw, name, list(values.values()))
        if drawn is None:
            break
        steps.append((name, drawn[0]))
        if drawn[1] is None:  # an eager crash: no value to go on from
            break
        values[name] = drawn[1]
    read = {n for _, expr in steps for n in _NAME.findall(expr)}
    outputs = tuple(name for name, _ in steps if name not in read) or tuple(i[0] for i in inputs)
    return Program(tuple(inputs), tuple(steps), outputs)


def _draw_step(draw, name, pool):
    """(expression, Value) of an acceptable step; (expression, None) for a step numerix crashed on eagerly (not
    with an NxError); None after ATTEMPTS_PER_STEP tries."""
    for _ in range(ATTEMPTS_PER_STEP):
        call = draw(st.sampled_from(WEIGHTED_MAKERS))(draw, pool)
        if call is None:
            continue
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                value = _run_step(name, call.expr, [o for o in call.operands if isinstance(o, Value)])
            except nx.NxError:  # not a valid use of the op (a type it does not take, a shape that does not fit)
                continue
            except Exception:  # numerix crashed eagerly: a bug, which the program ends with, for the runner to report
                return call.expr, None
            if (call.guard is None or call.guard(*call.operands)) and _acceptable(call, value):
                return call.expr, value
    return None


def batches(max_programs=4, max_steps=MAX_STEPS):
    """Several programs, compiled as one defn (each IREE compile costs most of a second)."""
    return st.lists(programs(max_steps), min_size=1, max_size=max_programs)
