"""Reproducers the long profile found, as files under tests/fuzz/regressions/ that test_differential.py replays.

A reproducer is Python a reader can run by hand:

    XFAIL = "defn iree raised NxValueError"   # the failure's kind while the bug is open; None once fixed
    INPUTS = [("x0", "f32", (3, 4), 17)]      # name, type, shape, conftest.sample seed

    def program(x0):
        v1 = nx.sin(x0)
        return (v1,)

preceded by comments saying how it was found and how it failed. A failure whose kind matches an open reproducer's
XFAIL, in a program that uses every op the reproducer uses, counts as that known bug (`is_known`)."""
import ast
import hashlib
import os
import re

from .programs import Program

DIRECTORY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "regressions")
_DETAIL_LINES = 40


def paths(directory=DIRECTORY):
    if not os.path.isdir(directory):
        return []
    return sorted(os.path.join(directory, n) for n in os.listdir(directory) if n.endswith(".py"))


def load(path):
    """(program, XFAIL) of a reproducer file."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    constants = {n.targets[0].id: ast.literal_eval(n.value) for n in ast.parse(text).body
                 if isinstance(n, ast.Assign) and n.targets[0].id in ("XFAIL", "INPUTS")}
    return Program.from_source(text, constants["INPUTS"]), constants.get("XFAIL")


def known_bugs(directory=DIRECTORY):
    """(kind, ops) of each open reproducer."""
    bugs = []
    for path in paths(directory):
        program, xfail = load(path)
        if xfail:
            bugs.append((xfail, program.ops()))
    return bugs


def stage(kind):
    """The part of a failure's kind that names where it happened ("defn iree", "nx-opt --nx-fold exited 1"), not
    what the error said: another engineer's change may reword an open bug's error while the bug stays."""
    return re.split(r" raised |: ", kind, maxsplit=1)[0]


def is_known(kind, programs, bugs):
    """A failure of this kind in these programs is an open reproducer's bug."""
    used = frozenset().union(*[p.ops() for p in programs])
    return any(kind == known_kind and ops <= used for known_kind, ops in bugs)


def write(program, discrepancy, how_found, directory=DIRECTORY):
    """Writes the reproducer of `discrepancy` (a differential.Discrepancy) and returns its path."""
    os.makedirs(directory, exist_ok=True)
    source = program.source()
    digest = hashlib.sha1((discrepancy.kind + source + repr(program.inputs)).encode()).hexdigest()[:8]
    slug = re.sub(r"[^a-z0-9]+", "-", discrepancy.kind.lower()).strip("-")[:60]
    path = os.path.join(directory, f"{slug}-{digest}.py")
    detail = discrepancy.detail.strip().splitlines()[-_DETAIL_LINES:]
    header = [f"# Found by the differential fuzzer ({how_found}): {discrepancy.kind}.", "#", "# Failure:"]
    header += [f"#   {line}"[:200].rstrip() for line in detail]
    inputs = "\n".join(f"    {i!r}," for i in program.inputs)
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(header + [
            "import numerix as nx  # noqa: F401  (the program calls it)",
            "",
            "# test_differential.py replays this program and expects this failure while the bug is open (None: fixed).",
            f"XFAIL = {discrepancy.kind!r}",
            "INPUTS = [",
            inputs,
            "]",
            "", "", source]))
    return path
