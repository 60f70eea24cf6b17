"""An op's declaration, `define`, and the tables it fills, keyed by op name: SCHEMAS (operands, attributes, type
inference), NUMPY (how an op computes on NumPy arrays), VJP (how cotangents flow back through it), LOWERINGS
(dialect/lowering.py: its StableHLO code), FOLDS (an exact identity nx-fold applies), FUSION (how nx-fuse treats it)
and BATCH (how it maps over a leading batch axis: dialect/batching.py).
Each family declares its ops in its own module, every rule of an op in its one `define`; the passes, the evaluator and
the frontend read the tables.

A NumPy rule is `NUMPY[name](*arrays, **attrs) -> array or tuple of arrays`. It computes eager operations, the
reference evaluator interprets traced programs with it, and nx-fold folds constants with it, so an op's NumPy meaning
is written once. Rules receive operands already checked by the schema; `run_numpy` casts each result to the type
the schema inferred.

A VJP rule is `VJP[name](cotangents, operands, results, **attrs) -> list of operand cotangents` (None where an
operand gets no gradient); `cotangents` holds one entry per result, None for a result no cotangent reaches. Operands,
results and cotangents are Terms of dialect/algebra.py, and rules compose them with its functions, so that the
nx-grad pass emits their ops into IR and the tests compute them with NumPy; the ops a rule uses are differentiable
themselves, so a gradient of a gradient works. Ops marked `differentiable=False` in the schema (comparisons,
rounding, integer ops, stop_grad) have none.

Complex numbers follow JAX: a cotangent c of a complex value z stands for the real linear map dz -> Re(c * dz), so
a holomorphic op's rule multiplies by its derivative without conjugation, and the gradient of a real function f of
z = x + iy is df/dx - i df/dy (conjugate it for a step of gradient descent)."""
import numpy as np

from .dtypes import TYPES
from .lowering import LOWERINGS
from .schema import SCHEMAS, OpSchema

NUMPY = {}
VJP = {}
FOLDS = {}
FUSION = {}
BATCH = {}


def define(name, operands, infer, attrs=None, differentiable=True, results=1, numpy=None, vjp=None, lower=None,
           fold=None, fusion=None, batch=None):
    """Declares nx op `name`: `operands` (a count, None for one or more), `infer(operand types, **attrs)` giving the
    result TensorType(s) while checking them, its attribute kinds, whether it is differentiable, and its rules:
    `numpy(*arrays, **attrs)`, `vjp(cotangents, operands, results, **attrs)`, `lower(builder, node)` and the exact
    identity nx-fold may apply, `fold(op) -> value or None` (identities.py), and its fusion class for nx-fuse:
    "elementwise" (fused, its lowering run on a ScalarBuilder writes the fused body), "cheap" (elementwise, and
    cheap enough to compute again in each fusion that reads it, where its other operands are splat constants or
    broadcasts: a few ALU instructions per element cost less than writing the value out and reading it back),
    "reduction" (ends a fusion) or None (never fused); and its batching rule, `batch(operands, batched, **attrs)`
    (dialect/batching.py)."""
    if name in SCHEMAS:
        raise ValueError(f"nx.{name} is defined twice")
    if vjp is not None and not differentiable:
        raise ValueError(f"nx.{name} has a VJP rule but is declared not differentiable")
    SCHEMAS[name] = OpSchema(name, operands, dict(attrs or {}), infer, differentiable, results)
    for table, rule in ((NUMPY, numpy), (VJP, vjp), (LOWERINGS, lower), (FOLDS, fold), (FUSION, fusion),
                        (BATCH, batch)):
        if rule is not None:
            table[name] = rule
    return SCHEMAS[name]


def vjp_rule(name):
    """Registers `fn(cotangents, operands, results, **attrs)` as the VJP of a declared op whose rule belongs to a
    pass, not to the dialect (custom_grad's replays functions of the module: passes/grad.py)."""
    return _pass_rule(VJP, "VJP", name)


def batch_rule(name):
    """Registers `fn(operands, batched, **attrs)` as the batching rule of a declared op whose rule writes functions
    of the module (nx.switch's and nx.while's: passes/batch.py)."""
    return _pass_rule(BATCH, "batching", name)


def _pass_rule(table, what, name):
    def register(fn):
        if name in table or name not in SCHEMAS:
            raise ValueError(f"{what} rule for nx.{name}: the op is unknown or has one")
        table[name] = fn
        return fn
    return register


_WIDENED = {t.np: t.compute_type.np for t in TYPES.values() if t.compute_type is not t}


def widen_half(fn):
    """Computes each operand in its type's compute_type (f16/bf16 in f32: dtypes.DType.compute_type says why);
    run_numpy rounds the result back to the op's type."""
    def wrapped(*arrays, **attrs):
        if any(a.dtype in _WIDENED for a in arrays):
            return fn(*(a.astype(_WIDENED[a.dtype]) if a.dtype in _WIDENED else a for a in arrays), **attrs)
        return fn(*arrays, **attrs)
    wrapped.__name__ = fn.__name__
    return wrapped


def run_numpy(name, arrays, attrs, out_types):
    """Runs op `name` on NumPy arrays; returns a tuple of arrays of the inferred result types."""
    with np.errstate(all="ignore"):
        out = NUMPY[name](*arrays, **attrs)
    outs = out if isinstance(out, tuple) else (out,)
    return tuple(np.asarray(o).astype(t.type.np, copy=False).reshape(t.shape) for o, t in zip(outs, out_types))
