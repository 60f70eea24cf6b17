"""Helpers for the lowering tests: nx modules built straight from the op schema, and sample data that meets every
special case (signed zeros, infinities, NaN, integer extremes, zero and -1 divisors, oversized shift counts)."""
import itertools

import numpy as np
from iree.compiler import ir
from iree.compiler.dialects import func

from numerix import dtypes
from numerix.dialect import ir as nx_ir
from numerix.dialect import ops as nx_ops
from numerix.dialect.schema import SCHEMAS, TensorType
from numerix.runtime.compilers import get_compiler
from numerix.runtime.numpy_backend import run


class Case:
    """One op of a sweep module: `name`, operand indices into the module's arguments, attributes, result types."""

    def __init__(self, name, operands, attrs, arg_types):
        self.name, self.operands, self.attrs = name, operands, attrs
        self.label = name + "".join(f" {k}={getattr(v, 'name', v)}" for k, v in attrs.items())
        self.out = SCHEMAS[name].check([arg_types[i] for i in operands], attrs)

    def reference(self, arrays):
        return run(self.name, [arrays[i] for i in self.operands], self.attrs, self.out)


def build_module(arg_types, cases, entry="main"):
    """An nx module whose function returns every case's results, in order."""
    with nx_ir.new_context(), ir.Location.unknown():
        module = ir.Module.create()
        result_types = [nx_ir.tensor_type(t) for case in cases for t in case.out]
        with ir.InsertionPoint(module.body):
            function = func.FuncOp(entry, ([nx_ir.tensor_type(t) for t in arg_types], result_types))
        block = function.add_entry_block()
        with ir.InsertionPoint(block):
            results = []
            for case in cases:
                op = nx_ops.build(case.name, [block.arguments[i] for i in case.operands], case.attrs, case.out,
                                  ir.Location.unknown())
                results.extend(op.results)
            func.ReturnOp(results)
    return module


def compile_and_run(arg_types, cases, arrays, options=None):
    """Each case's results (a list per case) from the module compiled by IREE."""
    module = build_module(arg_types, cases)
    outputs = iter(get_compiler("iree").compile(module, "main", options or {})(*arrays))
    return [[next(outputs) for _ in case.out] for case in cases]


def _pairs(specials, extra, rng_values):
    """x and y covering every pair of special values, then random pairs."""
    grid = np.array(list(itertools.product(specials, specials)), dtype=object)
    x = np.concatenate([grid[:, 0], extra, rng_values[0]])
    y = np.concatenate([grid[:, 1], extra[::-1], rng_values[1]])
    return x, y


def samples(dtype, seed=0):
    """(x, y): 1-D arrays of nx type `dtype` with every pair of that type's special values, then random ones."""
    rng = np.random.default_rng(seed)
    if dtype.is_bool:
        x, y = zip(*itertools.product([False, True], repeat=2))
        return np.array(x * 4, bool), np.array(y * 4, bool)
    if dtype.is_integer:
        info = np.iinfo(dtype.np)
        bits = dtype.bits
        specials = [0, 1, 2, 3, 7, bits - 1, bits, bits + 1, 100, info.max, info.max - 1, info.min]
        if not dtype.is_unsigned:
            specials += [-1, -2, -3, -7, info.min + 1]
        specials = sorted({v for v in specials if info.min <= v <= info.max})
        random = [rng.integers(info.min, info.max, 48, dtype=dtype.np, endpoint=True) for _ in range(2)]
        x, y = _pairs(specials, np.array(specials[::3], dtype=object), random)
        return x.astype(dtype.np), y.astype(dtype.np)
    real = dtype.real_type
    top = float(dtypes.finfo(real).max)
    specials = [0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 1.5, 2.5, -2.5, 3.0, -7.0, 0.1, 100.0, -1e4, np.inf, -np.inf,
                np.nan, top / 2]
    random = [np.concatenate([rng.normal(0, 3, 40), rng.uniform(-1, 1, 24)]) for _ in range(2)]
    extra = np.array([0.99, -0.9, 1e-3, 7.0, 20.0, 60.0, 1e3, 3e4], dtype=object)
    x, y = _pairs(specials, extra, random)
    if dtype.is_complex:
        # Complex pairs: the real samples as real parts, shifted ones as imaginary parts.
        shift = len(specials) // 3
        xr, yr = x.astype(np.float64), y.astype(np.float64)
        return _complex(xr, np.roll(yr, shift), dtype), _complex(yr, np.roll(xr, shift), dtype)
    return x.astype(np.float64).astype(dtype.np), y.astype(np.float64).astype(dtype.np)


def _complex(re, im, dtype):
    out = np.empty(re.shape, dtype.np)
    out.real, out.imag = re, im  # (re + 1j * im would turn an infinite im into a NaN real part)
    return out


def tensor_type(array):
    return TensorType.of(array.shape, dtypes.of_numpy(array.dtype))
