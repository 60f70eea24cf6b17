"""Writes one func.func of nx ops into a module: arguments, ops (already checked by their schema), constants and the
return. The tracer writes the user's functions with it, the nx-grad pass the reverse-mode ones; and it is an
emitter of dialect/algebra.py, so the VJP rules emit through it."""
import contextlib

from iree.compiler import ir
from iree.compiler.dialects import func

from . import ir as nx_ir
from . import ops as nx_ops


class FunctionBuilder:
    def __init__(self, module, name, location=None, private=False):
        """A new function in `module` named `name` (or name_1, name_2, ... where taken); `location` is
        (file, line, col) or None."""
        self.module = module
        self.context = module.context
        with self.context:
            self.location = nx_ops.mlir_location(location)
        with self.context, self.location, ir.InsertionPoint(module.body):
            self.func = func.FuncOp(_unique_name(module, name), ([], []),
                                    visibility="private" if private else None)
        self.block = self.func.add_entry_block()
        self.insertion_point = ir.InsertionPoint(self.block)
        self.op_location = None  # set by `at`: the location of the ops emitted now, instead of `location`

    @property
    def symbol(self):
        return self.func.attributes["sym_name"].value

    @contextlib.contextmanager
    def at(self, location):
        """Ops emitted inside get `location` (an ir.Location)."""
        previous, self.op_location = self.op_location, location
        try:
            yield
        finally:
            self.op_location = previous

    def argument(self, ttype):
        """A new argument of type `ttype`; returns its value."""
        with self.context, self.location:
            return self.block.add_argument(nx_ir.tensor_type(ttype), self.location)

    def emit(self, name, values, attrs, out_types, at=None):
        """nx op `name` on `values`; returns its results. `at`: the op's (file, line, col), else the location set by
        `at()` or the function's."""
        with self.context, self.location, self.insertion_point:
            location = nx_ops.mlir_location(at) if at is not None else self.op_location or self.location
            return nx_ops.build(name, values, attrs, out_types, location).results

    def constant(self, array, at=None):
        """The value of a NumPy array of an nx type (complex ones as dialect/ops.py's build_constant builds them);
        `at` as for `emit`."""
        with self.context, self.location, self.insertion_point:
            location = nx_ops.mlir_location(at) if at is not None else self.op_location or self.location
            return nx_ops.build_constant(array, location)

    def finish(self, values):
        """Returns `values` from the function and sets its type."""
        with self.context, self.location, self.insertion_point:
            func.ReturnOp(values)
            self.func.attributes["function_type"] = ir.TypeAttr.get(ir.FunctionType.get(
                [a.type for a in self.block.arguments], [v.type for v in values]))


def _unique_name(module, base):
    """`base`, or base_1, base_2, ...: a symbol name no function of the module has."""
    taken = set(nx_ops.functions(module.operation))
    name, count = base, 0
    while name in taken:
        count += 1
        name = f"{base}_{count}"
    return name
