"""numerix's exception classes. Each message names the op, what it got and what it expected, and the
user's source line (the first stack frame outside numerix), so an error inside defn points at user code."""
import itertools
import os
import sys


def _column(frame):
    """The 1-based column of the frame's current instruction (Python 3.11+ keeps positions), else 1."""
    positions = getattr(frame.f_code, "co_positions", None)
    if positions is None:
        return 1
    position = next(itertools.islice(positions(), frame.f_lasti // 2, None), None)
    return position[2] + 1 if position and position[2] is not None else 1


def _is_numerix(frame):
    """Whether a frame runs numerix's own code. Judged by the frame's module, not its file: the folders of a source
    checkout are not those of an installed package (site-packages/numerix/...)."""
    module = frame.f_globals.get("__name__", "")
    return module == "numerix" or module.startswith("numerix.")


def user_location():
    """(file, line, col) of the innermost stack frame outside numerix's own modules, or None."""
    frame = sys._getframe(1)
    while frame is not None:
        name = frame.f_code.co_filename
        if not _is_numerix(frame) and not name.startswith("<frozen"):
            return (name if name.startswith("<") else os.path.abspath(name)), frame.f_lineno, _column(frame)
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


class NxMemoryError(NxError, MemoryError):
    """More memory than the device can allocate, with the sizes asked for."""


class NxIndexError(NxValueError, IndexError):
    """An index out of range, or an index of a kind that cannot index (NumPy raises IndexError for these)."""
