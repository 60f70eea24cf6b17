"""nx-compile: compiles a numerix function ahead of time for argument types given on the command line.

    nx-compile path/to/module.py:function f32[4] f32[2,3] --emit=nx|stablehlo|vmfb -o out

The function (plain or already wrapped by nx.defn) is traced for those types; --emit picks the output: the nx module
after the default pipeline, its StableHLO, or an IREE .vmfb (the default) whose exported function is named after
the Python function and runs in iree-run-module, with its signature beside it (FUNCTION.json: what nx.load and
nx-run read; numerix/export.py). --cuda-target, --rocm-target, --vulkan-target, --cpu and --cpu-features say what
the target compiles for (nx.defn's keywords of those names). A .vmfb is portable by default (IREE's embedded
linking, a generic CPU); --host builds for this machine only (its CPU, linked against its libm), which f64
functions such as sin need. Large arrays the function captures are embedded as constants. Errors print
`nx-compile: error: ...`, exit code 1."""
import argparse
import importlib.util
import inspect
import os
import re
import sys

import numerix as nx
from numerix.defn import Defn
from numerix.dialect.errors import NxError
from numerix.export import build_artifact, embed_captured, write_artifact
from numerix.passes import pipeline
from numerix.passes.iree_policy import TARGET_OPTIONS

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


def compile_to(fn, templates, emit, host, options):
    """The output of compiling `fn` for `templates`: the nx or StableHLO text, or (.vmfb bytes, its signature)."""
    try:
        inspect.signature(fn.fn).bind(*templates)
    except TypeError as e:
        raise UsageError(f"{len(templates)} argument types for {fn.entry}{inspect.signature(fn.fn)}: {e}") from None
    except ValueError:  # no signature to check (a builtin): tracing will tell
        pass
    if emit == "vmfb":
        return build_artifact(fn, templates, host, options)
    module = embed_captured(fn.lower(*templates))
    pipeline.optimize(module)
    return pipeline.lower(module) if emit == "stablehlo" else str(module)


def build_parser():
    parser = argparse.ArgumentParser(prog="nx-compile", description=__doc__.split("\n\n")[0])
    parser.add_argument("function", help="path/to/module.py:function")
    parser.add_argument("types", nargs="*", help="argument types, e.g. f32[4] s64[2,3] f64[] (one per argument)")
    parser.add_argument("--emit", choices=("nx", "stablehlo", "vmfb"), default="vmfb")
    parser.add_argument("-o", dest="output", help="output file (default: stdout for text, FUNCTION.vmfb for vmfb)")
    parser.add_argument("--target", help="IREE target backend (default: NUMERIX_TARGET, else llvm-cpu)")
    for option, (target, flag) in TARGET_OPTIONS.items():
        parser.add_argument(f"--{option.replace('_', '-')}", dest=option, help=f"for target {target}: {flag}")
    parser.add_argument("--host", action="store_true",
                        help="build for this machine only: its CPU, linked against its libm (f64 sin, cos, ...)")
    parser.add_argument("--flag", action="append", default=[], dest="flags", metavar="IREE_FLAG",
                        help="one more iree-compile flag, e.g. --flag=--iree-rocm-target=gfx942 (repeatable)")
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    try:
        fn = load_function(args.function)
        options = {name: getattr(args, name) for name in ("target", *TARGET_OPTIONS) if getattr(args, name)}
        out = compile_to(fn, [parse_template(t) for t in args.types], args.emit, args.host,
                         dict(options, flags=args.flags))
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
        if args.emit == "vmfb" and output != "-":
            write_artifact(output, *out)
        elif output == "-":
            if args.emit == "vmfb":
                sys.stdout.buffer.write(out[0])
            else:
                sys.stdout.write(out)
        else:
            with open(output, "w") as f:
                f.write(out)
    except OSError as e:
        print(f"nx-compile: error: cannot write {output}: {e.strerror}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
