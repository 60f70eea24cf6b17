"""nx.hook, Nx's hook (Nx.Defn.Kernel.hook/3): gives back its operands unchanged and calls a Python function with
their runtime values on the way, in program order.

The function is not in the IR: the op names it by `id`, a key of CALLBACKS, which frontend/hooks.py fills when it
traces a hook. Eagerly and on the evaluator the NumPy rule calls it. Compiled, the lowering exports each operand as
a !hal.buffer_view and calls the function IMPORT (one import for every hook, so that a module's imports are known
without reading it) with the hook's id, the operand's index and the view; runtime/hooks.py implements that import
in Python and calls the function once it has every operand of the hook. The op is kept as long as its results are
used, as Nx's hooks are: a hook whose value the function does not return is dropped with it (nx-dce). nx-fold never
folds it (HOOKS), which would call the function once while compiling instead of at each call."""
import itertools
from typing import Callable, NamedTuple

from iree.compiler import ir

from numerix.dialect.errors import NxValueError
from . import batching
from .rules import define

IMPORT_MODULE = "numerix_hooks"
IMPORT = f"{IMPORT_MODULE}.call"  # (hook id: i64, operand index: i64, the operand: !hal.buffer_view) -> ()
HOOKS = {"hook"}  # the ops with side effects, which nx-fold must leave to run


class Callback(NamedTuple):
    """What a hook calls: `fn(arrays)` with one NumPy array per operand, and the operands' nx types (a compiled
    program hands over bytes, which only the nx type reads right: u32 and s32, s4 and s8 travel alike)."""
    fn: Callable
    dtypes: tuple


CALLBACKS = {}  # hook id -> Callback
_IDS = itertools.count()


def register(fn, dtypes):
    """A new hook id, under which `fn(arrays)` is called with arrays of nx types `dtypes` (one per operand). Kept for
    the life of the process, as compiled programs that name it may be."""
    hook_id = next(_IDS)
    CALLBACKS[hook_id] = Callback(fn, tuple(dtypes))
    return hook_id


def callback(id):
    found = CALLBACKS.get(id)
    if found is None:
        raise NxValueError(f"no Python function is registered for hook {id} (hooks are registered by tracing "
                           "nx.hook in this process)", op="hook")
    return found


def _infer(types, id):
    return tuple(types)


def _numpy(*arrays, id):
    callback(id).fn(arrays)
    return arrays


def _vjp(cotangents, operands, results, id):
    # The values pass through unchanged, so do their cotangents; the function sees the forward values only.
    return list(cotangents)


def _lower(b, node):
    _declare_import(ir.InsertionPoint.current.block.owner)
    hook_id = _i64(node.attrs["id"])
    for index, value in enumerate(node.args):
        view = ir.Operation.create("hal.tensor.export", results=[ir.Type.parse("!hal.buffer_view")],
                                   operands=[value], attributes={"source_encoding": ir.TypeAttr.get(value.type)})
        ir.Operation.create("func.call", results=[], operands=[hook_id, _i64(index), view.result],
                            attributes={"callee": ir.FlatSymbolRefAttr.get(IMPORT)})
    return list(node.args)


def _i64(value):
    i64 = ir.IntegerType.get_signless(64)
    return ir.Operation.create("arith.constant", results=[i64], attributes={"value": ir.IntegerAttr.get(i64, value)}
                               ).result


def _declare_import(op):
    """Declares IMPORT in the module that holds `op`, once."""
    op = op.operation
    while op.name != "builtin.module":
        op = op.parent.operation
    body = op.regions[0].blocks[0]
    if any(f.operation.name == "func.func" and ir.StringAttr(f.operation.attributes["sym_name"]).value == IMPORT
           for f in body.operations):
        return
    i64 = ir.IntegerType.get_signless(64)
    function_type = ir.FunctionType.get([i64, i64, ir.Type.parse("!hal.buffer_view")], [])
    with ir.InsertionPoint.at_block_begin(body), ir.Location.unknown():
        ir.Operation.create("func.func", attributes={"sym_name": ir.StringAttr.get(IMPORT),
                                                     "sym_visibility": ir.StringAttr.get("private"),
                                                     "function_type": ir.TypeAttr.get(function_type)}, regions=1)


define("hook", None, _infer, attrs={"id": "int"}, results=None, numpy=_numpy, vjp=_vjp, lower=_lower,
       batch=batching.mapped("hook"))
