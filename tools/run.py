"""nx-run: runs a function exported by nx.export or nx-compile from the shell.

    nx-run model.vmfb [--function mlp] --input w.npy --input x.npy ... [--output out.npz] [--device local-task]

The signature beside the module (model.json) says what the function takes: one .npy file per tensor of its
arguments, in nx.defn's flattening order (containers depth first, dict keys in their order), each of that tensor's
shape and type; `nx-run model.vmfb` with no input lists them. The results go to an .npz archive, each under its path
in the result tree ("result" for a single tensor, "0", "1" for a tuple's, "w" for a dict's, "0.w" nested), or are
printed without --output. Nothing is traced or compiled. Errors print `nx-run: error: ...`, exit code 1."""
import argparse
import sys

import numpy as np

from numerix.dialect.errors import NxError
from numerix.export import leaf_paths, load

from .compile import UsageError


def build_parser():
    parser = argparse.ArgumentParser(prog="nx-run", description=__doc__.split("\n\n")[0])
    parser.add_argument("module", help="the .vmfb (its signature .json beside it)")
    parser.add_argument("--function", help="the exported function's name (checked; the module has one)")
    parser.add_argument("--input", action="append", default=[], dest="inputs", metavar="FILE.npy",
                        help="one argument tensor (repeatable, in the function's order)")
    parser.add_argument("--output", help="the .npz archive to write the results to (default: print them)")
    parser.add_argument("--device", help="the IREE device: local-sync (the default on CPU), local-task, cuda:0, ...")
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    try:
        function = load(args.module, device=args.device)
        if args.function is not None and args.function != function.entry:
            raise UsageError(f"{args.module} exports {function.entry!r}, not {args.function!r}")
        if not args.inputs:
            print(_listing(function))
            return 0
        results = function.run_arrays([_read(path) for path in args.inputs])
    except UsageError as e:
        print(f"nx-run: error: {e}", file=sys.stderr)
        return 1
    except NxError as e:
        print(f"nx-run: error: {e.message}", file=sys.stderr)
        return 1
    named = dict(zip(leaf_paths(function.outputs), results))
    if args.output is None:
        for name, array in named.items():
            print(f"{name}: {array.dtype}{list(array.shape)}\n{array}")
        return 0
    try:
        np.savez(args.output, **named)
    except OSError as e:
        print(f"nx-run: error: cannot write {args.output}: {e.strerror}", file=sys.stderr)
        return 1
    return 0


def _read(path):
    try:
        array = np.load(path, allow_pickle=False)
    except (OSError, ValueError) as e:
        raise UsageError(f"cannot read {path} as a .npy array: {e}") from None
    if not isinstance(array, np.ndarray):  # an .npz archive
        raise UsageError(f"{path} is an archive of arrays; --input takes one .npy array per tensor")
    return array


def _listing(function):
    """What the function takes, one --input per line, and what it returns."""
    lines = [f"{function.entry}{function.signature()} on {function.device}; inputs, in order:"]
    lines += [f"  --input  {path}: {ttype}" for path, ttype in zip(function.input_paths(), function.input_types)]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
