"""Nx.Heatmap: a tensor that prints as a terminal heatmap (nx.to_heatmap makes one). The layout is Nx's inspect
output, character for character: a vector is one line, a matrix one line per row after an empty line, and higher
ranks nest matrices in brackets; each vector or matrix is scaled from its own smallest to largest finite value."""
import math
import sys

import numpy as np

_GREYS = (232, 255)  # the 256-colour palette's grey ramp, darkest to lightest
_RESET = "\x1b[0m"
INSPECT_LIMIT = 50  # matrices shown before "...": Elixir's Inspect default, which Nx's heatmap obeys


class Heatmap:
    __slots__ = ("tensor", "ansi_enabled", "ansi_whitespace")

    def __init__(self, tensor, ansi_enabled, ansi_whitespace):
        self.tensor = tensor
        self.ansi_enabled = ansi_enabled  # None: decided when printed, by whether stdout is a terminal
        self.ansi_whitespace = ansi_whitespace

    def __getitem__(self, index):
        """Indexes the tensor: a scalar comes back as a tensor, anything larger as a heatmap with the same options."""
        part = self.tensor[index]
        return Heatmap(part, self.ansi_enabled, self.ansi_whitespace) if part.shape else part

    def __repr__(self):
        t = self.tensor
        ansi = sys.stdout.isatty() if self.ansi_enabled is None else self.ansi_enabled
        values = t.numpy().astype(np.float64)
        dims = "".join(f"[{n}: {d}]" if n is not None else f"[{d}]" for d, n in zip(t.shape, t.names))
        if values.ndim == 1:
            body = self._line(values, ansi)
        elif values.ndim == 2:
            body = self._matrix(values, ansi, 2)
        else:
            body = self._nested(values, ansi, 2, [INSPECT_LIMIT])
        return f"nx.Heatmap<\n  {t.type.name}{dims}\n  {body}\n>"

    __str__ = __repr__

    def _nested(self, values, ansi, indent, limit):
        """Brackets around the sub-arrays of axis 0, each at indent + 2; `limit` counts the matrices left to show."""
        inner = "\n" + " " * (indent + 2)
        parts = []
        for sub in values:
            if limit[0] == 0:
                parts.append("...")
                break
            if sub.ndim == 2:
                parts.append(self._matrix(sub, ansi, indent + 2))
                limit[0] -= 1
            else:
                parts.append(self._nested(sub, ansi, indent + 2, limit))
        # A matrix starts with its own line break; a bracket does not, so one goes before the first.
        lead = "" if values.ndim == 3 else inner
        return "[" + lead + ("," + inner).join(parts) + "\n" + " " * indent + "]"

    def _matrix(self, values, ansi, indent):
        low, base = _scale(values)
        return "".join("\n" + " " * indent + self._row(row, ansi, low, base) for row in values)

    def _line(self, values, ansi):
        low, base = _scale(values)
        return self._row(values, ansi, low, base)

    def _row(self, row, ansi, low, base):
        if not ansi:
            return "".join(str(_round((v - low) / base * 9)) if math.isfinite(v) else
                           "x" if math.isnan(v) else "+" if v > 0 else "-" for v in row.tolist())
        cells = []
        for v in row.tolist():
            if math.isnan(v):
                cells.append("\x1b[41m" + self.ansi_whitespace)  # red
            elif math.isinf(v):
                cells.append(f"\x1b[48;5;{_GREYS[v > 0]}m\u221e")
            else:
                grey = _GREYS[0] + _round((v - low) / base * (_GREYS[1] - _GREYS[0]))
                cells.append(f"\x1b[48;5;{grey}m{self.ansi_whitespace}")
        return "".join(cells) + _RESET


def _scale(values):
    """The smallest finite value and the finite range (1 where every finite value is equal, or there are none)."""
    finite = values[np.isfinite(values)]
    if not finite.size:
        return 0.0, 1.0
    low, high = float(finite.min()), float(finite.max())
    return low, (high - low) or 1.0


def _round(x):
    """Elixir's round, half away from zero (Python's rounds half to even); x is never negative here."""
    return math.floor(x + 0.5)
