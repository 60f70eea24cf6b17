"""nx-strip-hooks: removes every nx.hook, its results replaced by its operands (which it gives back unchanged), so
that a module runs without Python: nx.export's artifacts, which iree-run-module and other IREE runtimes call, have
no numerix_hooks module to import (dialect/hook.py)."""
from numerix.dialect import ops as nx_ops
from numerix.dialect.hook import HOOKS

from .registry import register_pass


@register_pass("nx-strip-hooks")
def strip_hooks(module):
    for op in [op for op in nx_ops.all_ops(module) if nx_ops.is_nx(op) and nx_ops.schema_name(op) in HOOKS]:
        for result, operand in zip(op.results, op.operands):
            result.replace_all_uses_with(operand)
        op.erase()
    return module
