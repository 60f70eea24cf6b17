"""nx-compile: compiles a numerix function ahead of time for argument types given on the command line.

    nx-compile path/to/module.py:function f32[4] f32[2,3] --emit=nx|stablehlo|vmfb -o out

The function (plain or already wrapped by nx.defn) is traced for those types; --emit picks the output: the nx module
after the default pipeline, its StableHLO, or an IREE .vmfb (the default) whose exported function is named after
the Python function and runs in iree-run-module. A .vmfb is portable by default (IREE's embedded linking, a generic
CPU); --host builds for this machine only (its CPU, linked against its libm), which f64 functions such as sin need.
Large arrays the function captures are embedded as constants. Errors print `nx-compile: error: ...`, exit code 1."""
import argparse
import importlib.util
import inspect
import os
import re
import sys

from iree.compiler import ir

import numerix as nx
from numerix.defn import Defn
from numerix.dialect import ops as nx_ops
from numerix.dialect.errors import NxError
from numerix.passes import pipeline
from numerix.runtime import iree

_TYPE_SPEC = re.compile(r"^(\w+)\[(.*)\]$")


class UsageError(Exception):
    """A bad command line: printed as it is."""


def parse_template(spec):
    """'f32[2,3]' -> nx.template((2, 3), 'f32'); 'f32[]' or 'f32' is a scalar."""
    match = _TYPE_SPEC.match(spec.strip())
    type_name, dims = (match.group(1), match.group(2)) if match else (spec.strip(), "")
    try:
        shape = tuple(int(d) for d in dims.split(",") if d.strip())
    except ValueError:
        raise UsageError(f"cannot read argument type {spec!r}; expects a type and shape like f32[2,3]") from None
    return nx.template(shape, type_name)


def load_function(target):
    """'path/to/module.py:function' -> the function (a defn, or a plain function wrapped in one)."""
    path, _, name = target.rpartition(":")
    if not path or not name:
        raise UsageError(f"expects path/to/module.py:function, got {target!r}")
    if not os.path.isfile(path):
        raise UsageError(f"no such file: {path}")
    spec = importlib.util.spec_from_file_location(os.path.splitext(os.path.basename(path))[0], path)
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.pop(0)
    fn = getattr(module, name, None)
    if fn is None:
        raise UsageError(f"{path} has no function {name!r}")
    return fn if isinstance(fn, Defn) else nx.defn(fn)


def embed_captured(lowered):
    """The lowered module with the arrays it captured (passed as trailing arguments) turned into constants."""
    module = nx_ops.clone_module(lowered.module)
    if not lowered.captured:
        return module
    with module.context, ir.Location.unknown():
        function = next(op for op in module.body.operations if op.operation.name == "func.func"
                        and ir.StringAttr(op.attributes["sym_name"]).value == lowered.entry)
        block = function.regions[0].blocks[0]
        first = len(block.arguments) - len(lowered.captured)
        with ir.InsertionPoint.at_block_begin(block):
            for argument, array in zip(list(block.arguments)[first:], lowered.captured):
                argument.replace_all_uses_with(nx_ops.build_constant(array, ir.Location.unknown()))
        for index in reversed(range(first, len(block.arguments))):
            block.erase_argument(index)
        function_type = ir.FunctionType(ir.TypeAttr(function.attributes["function_type"]).value)
        function.attributes["function_type"] = ir.TypeAttr.get(
            ir.FunctionType.get(list(function_type.inputs)[:first], list(function_type.results)))
    return module


def compile_to(fn, templates, emit, target, host, flags=()):
    """The output (text or bytes) of compiling `fn` for `templates`."""
    try:
        inspect.signature(fn.fn).bind(*templates)
    except TypeError as e:
        raise UsageError(f"{len(templates)} argument types for {fn.entry}{inspect.signature(fn.fn)}: {e}") from None
    except ValueError:  # no signature to check (a builtin): tracing will tell
        pass
    lowered = fn.lower(*templates)
    module = embed_captured(lowered)
    if emit == "vmfb":
        return iree.build(module, lowered.entry, target, flags, artifact=True, host=host).vmfb
    pipeline.optimize(module)
    return pipeline.lower(module) if emit == "stablehlo" else str(module)


def build_parser():
    parser = argparse.ArgumentParser(prog="nx-compile", description=__doc__.split("\n\n")[0])
    parser.add_argument("function", help="path/to/module.py:function")
    parser.add_argument("types", nargs="*", help="argument types, e.g. f32[4] s64[2,3] f64[] (one per argument)")
    parser.add_argument("--emit", choices=("nx", "stablehlo", "vmfb"), default="vmfb")
    parser.add_argument("-o", dest="output", help="output file (default: stdout for text, FUNCTION.vmfb for vmfb)")
    parser.add_argument("--target", default="llvm-cpu", help="IREE target backend (default llvm-cpu)")
    parser.add_argument("--host", action="store_true",
                        help="build for this machine only: its CPU, linked against its libm (f64 sin, cos, ...)")
    parser.add_argument("--flag", action="append", default=[], dest="flags", metavar="IREE_FLAG",
                        help="one more iree-compile flag, e.g. --flag=--iree-rocm-target=gfx942 (repeatable)")
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    try:
        fn = load_function(args.function)
        out = compile_to(fn, [parse_template(t) for t in args.types], args.emit, args.target, args.host, args.flags)
    except UsageError as e:
        print(f"nx-compile: error: {e}", file=sys.stderr)
        return 1
    except NxError as e:  # located in the user's module when it comes from there
        user_file = os.path.abspath(args.function.rpartition(":")[0])
        where = f" (at {e.location[0]}:{e.location[1]})" if e.location and e.location[0] == user_file else ""
        print(f"nx-compile: error: {e.op + ': ' if e.op else ''}{e.message}{where}", file=sys.stderr)
        return 1
    output = args.output or (f"{fn.entry}.vmfb" if args.emit == "vmfb" else "-")
    try:
        if output == "-":
            if isinstance(out, bytes):
                sys.stdout.buffer.write(out)
            else:
                sys.stdout.write(out)
        else:
            with open(output, "wb" if isinstance(out, bytes) else "w") as f:
                f.write(out)
    except OSError as e:
        print(f"nx-compile: error: cannot write {output}: {e.strerror}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
