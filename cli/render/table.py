"""Plain-text tables for the terminal."""
from __future__ import annotations

from collections.abc import Sequence

from .terminal import terminal_safe


def cell_text(value: object) -> str:
    """A cell on one line, with nothing in it that could act on the terminal."""
    return terminal_safe(("" if value is None else str(value)).replace("\n", " ").replace("\t", " "))


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """Left-aligned columns separated by two spaces, with a rule under the header."""
    headers = [cell_text(h) for h in headers]
    cells = [[cell_text(c) for c in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in cells:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))
    def line(values):
        return "  ".join(v.ljust(w) for v, w in zip(values, widths, strict=False)).rstrip()
    out = [line(headers), line(["-" * w for w in widths])]
    out.extend(line(row) for row in cells)
    return "\n".join(out) + "\n"
