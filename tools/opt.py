"""nx-opt: mlir-opt for the nx dialect. Reads a .mlir file (or stdin), verifies it, runs the passes its flags name in
the order given (one flag per registered pass: --nx-verify, --nx-cse, ..., --nx-to-stablehlo; --pass-pipeline= for
upstream MLIR passes), verifying after each, and prints the module. Bad input gives MLIR-style diagnostics
(`file:line:col: error: message`) on stderr and exit code 1, never a traceback."""
import argparse
import sys

from iree.compiler import ir, passmanager

from numerix.dialect import ir as nx_ir
from numerix.dialect import ops as nx_ops
from numerix.dialect.errors import NxError
from numerix.passes import iree_policy, pipeline
from numerix.passes.registry import PASSES
from numerix.passes.verify import verify

SPLIT_MARKER = "// -----"
# Lowered output for iree-compile: by default it demotes f64 to f32, changing the function's signature and its
# precision, so output that computes in f64 says which flag keeps it (nx-compile and defn pass it).
_F64_NOTE = (f"// iree-compile: this module computes in f64; pass {iree_policy.KEEP_F64}, or IREE computes it in f32 "
             "with f32 arguments and results\n")


class _Step(argparse.Action):
    """Appends (kind, name) to the ordered list of steps, so passes run in the order of their flags."""

    def __call__(self, parser, namespace, values, option_string=None):
        steps = getattr(namespace, "steps", None) or []
        steps.append(self.const if self.nargs == 0 else ("pipeline", values))
        namespace.steps = steps


def build_parser(passes):
    parser = argparse.ArgumentParser(prog="nx-opt", description=__doc__.split("\n\n")[0])
    parser.add_argument("input", nargs="?", default="-", help="input .mlir file ('-' or none: stdin)")
    parser.add_argument("-o", dest="output", default="-", help="output file (default: stdout)")
    parser.add_argument("--split-input-file", action="store_true",
                        help=f"process each chunk between '{SPLIT_MARKER}' lines on its own")
    parser.add_argument("--mlir-print-debuginfo", action="store_true",
                        help='print locations (the input\'s own are named "-")')
    group = parser.add_argument_group("passes, run in the order given")
    for name, fn in sorted(passes.items()):
        group.add_argument(f"--{name}", action=_Step, nargs=0, const=("pass", name), dest="steps",
                           help=_summary(fn))
    group.add_argument("--pass-pipeline", action=_Step, dest="steps", metavar="PIPELINE",
                       help="an upstream MLIR pass pipeline, e.g. 'builtin.module(canonicalize)'")
    return parser


def _summary(fn):
    """The first sentence of a pass's docstring, or of its module's."""
    doc = " ".join((fn.__doc__ or sys.modules[fn.__module__].__doc__ or "").split())
    return doc.split(". ")[0]


def main(argv=None):
    try:
        parser = build_parser(pipeline.load_passes())
        args = parser.parse_args(argv)
        return _run(args)
    except Exception as e:  # a bug in a pass: still a diagnostic, not a traceback
        print(f"nx-opt: error: internal error: {type(e).__name__}: {e}", file=sys.stderr)
        return 1


def _run(args):
    display = "<stdin>" if args.input == "-" else args.input
    try:
        if args.input == "-":
            text = sys.stdin.read()
        else:
            with open(args.input, encoding="utf-8") as f:
                text = f.read()
    except (OSError, UnicodeDecodeError) as e:
        print(f"nx-opt: error: cannot read {display}: {getattr(e, 'strerror', None) or e}", file=sys.stderr)
        return 1
    chunks = _split(text) if args.split_input_file else [(text, 0)]
    results = [_process(chunk, offset, display, args.steps or [], args.mlir_print_debuginfo)
               for chunk, offset in chunks]
    output = f"\n{SPLIT_MARKER}\n".join(r for r in results if r is not None)
    try:
        if args.output == "-":
            sys.stdout.write(output)
        else:
            with open(args.output, "w", encoding="utf-8") as f:
                f.write(output)
    except OSError as e:
        print(f"nx-opt: error: cannot write {args.output}: {e.strerror}", file=sys.stderr)
        return 1
    return 1 if any(r is None for r in results) else 0


def _split(text):
    """(chunk, number of lines before it) for each chunk between marker lines."""
    chunks, current, start = [], [], 0
    for number, line in enumerate(text.splitlines(keepends=True)):
        if line.strip() == SPLIT_MARKER:
            chunks.append(("".join(current), start))
            current, start = [], number + 1
        else:
            current.append(line)
    chunks.append(("".join(current), start))
    return chunks


def _process(text, line_offset, display, steps, debug_info):
    """The module's text after the steps, or None after printing diagnostics."""
    def report(location, severity, message):
        file, line, col = location
        if location == nx_ops.UNKNOWN_LOCATION:
            print(f"{display}: {severity}: {message}", file=sys.stderr)
            return
        if file == "-":  # the parser names its input "-"
            file, line = display, line + line_offset
        print(f"{file}:{line}:{col}: {severity}: {message}", file=sys.stderr)

    with nx_ir.new_context():
        try:
            module = ir.Module.parse(text)
            verify(module)
            for kind, name in steps:
                if kind == "pass":
                    PASSES[name](module)
                else:
                    try:
                        manager = passmanager.PassManager.parse(name)
                    except ValueError as e:  # an unknown pass or a malformed pipeline
                        print(f"nx-opt: error: invalid --pass-pipeline: {e}".rstrip(), file=sys.stderr)
                        return None
                    manager.run(module.operation)
                verify(module)
            text = module.operation.get_asm(enable_debug_info=debug_info)
            return _F64_NOTE + text if "stablehlo." in text and iree_policy.computes_in_f64(text) else text
        except ir.MLIRError as e:
            for d in e.error_diagnostics:
                report(nx_ops.location_of_text(str(d.location)), "error", d.message)
                for note in d.notes:
                    report(nx_ops.location_of_text(str(note.location)), "note", note.message)
        except NxError as e:
            report(e.location or nx_ops.UNKNOWN_LOCATION, "error", f"{e.op}: {e.message}" if e.op else e.message)
        return None


if __name__ == "__main__":
    sys.exit(main())
