"""Runs a batch of fuzz programs (programs.py) every way numerix can, and raises `Discrepancy` where two disagree:

- eagerly (NumPy backend), under `nx.defn(..., compiler="evaluator")` and under `nx.defn(...)` (IREE): result types
  equal, values within each output's tolerance (Program.tolerance, compared by conftest.assert_close: ints and bools
  exact, NaN in the same places);
- the traced module through each registered pass alone with nx-opt (numerix.tools.opt, in process), and nx-fuse
  followed by nx-fusion-to-linalg (alone it has no fusion to lower): exit code 0 and output that parses; an output
  still in the nx dialect (the nx passes preserve meaning) must compute on the evaluator what eager code computed.
  A module with nx.grad ops (the programs' nx.grad calls) is lowered after nx-grad only, and evaluated only once
  nx-grad has expanded it: the evaluator has no rule for nx.grad itself;
- mapped over a batch of two copies of its arguments, by nx.vmap under both compilers (in the same modules) and
  eagerly on vectorized tensors: each entry of the batch must agree with the eager results (the batching rules).

All programs of a batch are one defn, so a batch costs one IREE compile."""
import contextlib
import io
import os
import re
import tempfile
import traceback

import numpy as np
from iree.compiler import ir

import numerix as nx
from conftest import assert_close, parse, run
from numerix.passes import pipeline
from numerix.tools import opt

# Pass sequences nx-opt runs on the traced module: each registered pass alone (so a new pass is fuzzed as soon as it
# is registered), and the one that does nothing before nx-fuse has made fusions, after it.
EXTRA_SEQUENCES = [("nx-fuse", "nx-fusion-to-linalg")]
_LOWERED = re.compile(r"\b(stablehlo|linalg|arith|math|tensor|chlo)\.")
_LOWERING = re.compile(r"stablehlo|linalg|barriers")  # the passes that lower (by name)
_GRAD = '"nx.grad"'


class Discrepancy(AssertionError):
    """Two ways of running a program disagree, or one crashed. `kind` names what, without values: the long profile
    tells a bug it has seen before from a new one by it."""

    def __init__(self, kind, detail):
        super().__init__(f"{kind}\n{detail}")
        self.kind = kind
        self.detail = detail


def check_batch(programs):
    """Raises Discrepancy unless every way of running these programs agrees with running them eagerly."""
    functions = [p.function() for p in programs]
    arguments = [p.arguments() for p in programs]
    flat_arguments = [a for args in arguments for a in args]
    expected = [_eager(fn, args) for fn, args in zip(functions, arguments)]
    tolerances = [t for p in programs for t in p.tolerance()]
    flat_expected = [r for results in expected for r in results]
    names = [f"program {i} output {o}" for i, p in enumerate(programs) for o in p.outputs]
    arities = [len(a) for a in arguments]
    batch = _batched(functions, arities)
    mapped = _batched([nx.vmap(fn) for fn in functions], arities)
    stacked = [nx.stack([a, a]) for a in flat_arguments]
    count = len(flat_expected)

    def batch_and_mapped(*args):
        return batch(*args[:len(flat_arguments)]) + mapped(*args[len(flat_arguments):])
    for compiler in ("evaluator", "iree"):
        actual = _crash_is_discrepancy(f"defn {compiler}", lambda: nx.defn(batch_and_mapped, compiler=compiler)(
            *flat_arguments, *stacked))
        _compare(f"defn {compiler} vs eager", actual[:count], flat_expected, tolerances, names)
        _compare_entries(f"vmap on {compiler} vs eager", actual[count:], flat_expected, tolerances, names)
    vectorized = _crash_is_discrepancy("eager vectorized", lambda: batch(*[nx.vectorize(a, "batch") for a in stacked]))
    _compare_entries("eager vectorized vs eager", [nx.devectorize(v) for v in vectorized], flat_expected, tolerances,
                     names)
    _check_passes(batch, flat_arguments, flat_expected, tolerances, names)


def _compare_entries(what, actual, expected, tolerances, names):
    """Results mapped over a batch of two copies of the arguments: both entries against the eager results."""
    for entry in (0, 1):
        _compare(what, [a[entry] for a in actual], expected, tolerances, names)


def _batched(functions, arities):
    def batch(*args):
        results, start = [], 0
        for fn, arity in zip(functions, arities):
            results.extend(fn(*args[start:start + arity]))
            start += arity
        return tuple(results)
    return batch


def _eager(fn, args):
    return tuple(_crash_is_discrepancy("eager", lambda: fn(*args)))


def _crash_is_discrepancy(what, compute):
    try:
        return compute()
    except Exception as e:  # any exception from a program the generator ran eagerly without error is a bug
        raise Discrepancy(f"{what} raised {type(e).__name__}: {_summary(e)}", _short_traceback(e)) from e


def _summary(e):
    """What an error says, without the numbers, names and types that differ from program to program: the first MLIR
    diagnostic (iree-compile's failures share their first line) or the first line, shortened."""
    text = str(e)
    found = re.search(r"error: (.*)", text)
    line = (found.group(1) if found else text.splitlines()[0] if text else "").strip()
    line = re.sub(r"tensor<[^>]*>|%[\w#]+|@[\w$.]+|\b\d+\b", "_", line)
    return line[:100]


def _short_traceback(e):
    return "".join(traceback.format_exception(type(e), e, e.__traceback__)[-6:])


def _compare(what, actual, expected, tolerances, names):
    """Tensors (or arrays, with `expected`'s types) against the eager results, each at its own tolerance."""
    assert len(actual) == len(expected), f"{what}: {len(actual)} results for {len(expected)}"
    for got, want, (rtol, atol), name in zip(actual, expected, tolerances, names):
        type = want.type.name
        got_type = got.type.name if isinstance(got, nx.Tensor) else nx.as_dtype(np.asarray(got).dtype).name
        if got_type != type:
            raise Discrepancy(f"{what}: result type differs", f"{name}: {got_type}, eagerly {type}")
        try:
            assert_close(np.asarray(got), want.numpy(), type, rtol=rtol or None, atol=atol or None)
        except AssertionError as e:
            raise Discrepancy(f"{what}: {type} values differ", f"{name} (rtol {rtol:.3g}, atol {atol:.3g}):{e}")


def _check_passes(batch, arguments, expected, tolerances, names):
    text = nx.defn(batch, compiler="evaluator").lower(*arguments).nx_text()
    entry = re.search(r"func\.func @([\w$.]+)\(", text).group(1)
    arrays = [a.numpy() for a in arguments]
    if _GRAD not in text:
        traced = run(parse(text), *arrays, entry=entry)
        _compare("traced module on the evaluator vs eager", traced, expected, tolerances, names)
    sequences = [(name,) for name in sorted(pipeline.load_passes())] + EXTRA_SEQUENCES
    if _GRAD in text:  # nothing lowers nx.grad: the lowering passes take the module nx-grad has expanded
        sequences = [("nx-grad", *s) if _LOWERING.search(" ".join(s)) else s for s in sequences]
    with tempfile.TemporaryDirectory() as directory:
        source = os.path.join(directory, "traced.mlir")
        with open(source, "w", encoding="utf-8") as f:
            f.write(text)
        for sequence in sequences:
            flags = " ".join(f"--{name}" for name in sequence)
            output = _nx_opt(source, sequence, os.path.join(directory, "out.mlir"))
            try:
                module = parse(output)
            except ir.MLIRError as e:
                raise Discrepancy(f"nx-opt {flags}: output does not parse", str(e)) from e
            if not _LOWERED.search(output) and _GRAD not in output:  # the evaluator runs nx.grad once expanded
                rewritten = _crash_is_discrepancy(f"evaluator after nx-opt {flags}",
                                                  lambda: run(module, *arrays, entry=entry))
                _compare(f"nx-opt {flags} on the evaluator vs eager", rewritten, expected, tolerances, names)


def _nx_opt(source, passes, output):
    """nx-opt SOURCE --pass... -o OUTPUT, in process (a new interpreter per pass would cost a second each)."""
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr):
        code = opt.main([source, *[f"--{name}" for name in passes], "-o", output])
    if code != 0:
        raise Discrepancy(f"nx-opt {' '.join('--' + p for p in passes)} exited {code}", stderr.getvalue())
    with open(output, encoding="utf-8") as f:
        return f.read()
