"""numerix's exception classes. Each message names the op, what it got and what it expected, and the
user's source line (the first stack frame outside numerix), so an error inside defn points at user code."""
import itertools
import os
import sys

_PACKAGE_ROOTS = tuple(
    os.path.dirname(os.path.abspath(__file__)).rsplit(os.sep, 1)[0] + os.sep + d + os.sep
    for d in ("frontend", "dialect", "passes", "runtime", "tools")
)


def _column(frame):
    """The 1-based column of the frame's current instruction (Python 3.11+ keeps positions), else 1."""
    positions = getattr(frame.f_code, "co_positions", None)
    if positions is None:
        return 1
    position = next(itertools.islice(positions(), frame.f_lasti // 2, None), None)
    return position[2] + 1 if position and position[2] is not None else 1


def user_location():
    """(file, line, col) of the innermost stack frame outside numerix's own folders, or None."""
    frame = sys._getframe(1)
    while frame is not None:
        name = frame.f_code.co_filename
        filename = name if name.startswith("<") else os.path.abspath(name)
        if not filename.startswith(_PACKAGE_ROOTS) and not filename.startswith("<frozen"):
            return filename, frame.f_lineno, _column(frame)
        frame = frame.f_back
    return None


class NxError(Exception):
    """Base of numerix's errors; `op` names the operation, `location` the user's (file, line, col)."""

    def __init__(self, message, op=None, location=None):
        self.op = op
        self.location = location if location is not None else user_location()
        self.message = message
        text = f"{op}: {message}" if op else message
        if self.location:
            text += f"\n  at {self.location[0]}:{self.location[1]}:{self.location[2]}"
        super().__init__(text)


class NxTypeError(NxError, TypeError):
    """A wrong type: an unknown dtype, an op that does not support a dtype, a tensor where a static value is needed."""


class NxValueError(NxError, ValueError):
    """A wrong value: incompatible shapes, a bad axis, a name clash, an out-of-range index."""


class NxShapeError(NxValueError):
    """Shapes that do not fit together (broadcasting, contraction, concatenation)."""


class NxTraceError(NxError, TypeError):
    """Something a traced value cannot do, such as Python control flow on it inside defn."""


class NxIndexError(NxValueError, IndexError):
    """An index out of range, or an index of a kind that cannot index (NumPy raises IndexError for these)."""
