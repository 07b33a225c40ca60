"""Progress of long work, reported through a callback so that the library itself never prints.

A reader that may run for seconds takes ``progress: Progress | None`` and calls it now and then
with how many items it has done and, when known, how many there are. The CLI passes a
TerminalProgress on standard error only when that is a terminal and --quiet was not given, so a
pipe, a log file or CI never gets the carriage returns.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

Progress = Callable[[int, int | None], None]
"""progress(done, total): `done` items so far; `total` is None when the reader cannot know it."""

# Items between two calls from a reader: often enough for a smooth line, rare enough to cost nothing.
EVERY = 512
# Seconds between two redraws of the line.
_REDRAW_SECONDS = 0.1


class TerminalProgress:
    """One line on a terminal, redrawn in place: "scan.json: 12,345 findings" or "... 40 of 100 rows".

    Call finish() when the work ends (or fails): it clears the line, so an error or a summary
    printed next starts at the left margin of an empty line.
    """

    def __init__(self, stream: TextIO, label: str, unit: str, *, clock: Callable[[], float] = time.monotonic):
        self._stream = stream
        self._label = label
        self._unit = unit
        self._clock = clock
        self._drawn_at: float | None = None
        self._width = 0

    def __call__(self, done: int, total: int | None) -> None:
        now = self._clock()
        if self._drawn_at is not None and now - self._drawn_at < _REDRAW_SECONDS and done != total:
            return
        self._drawn_at = now
        text = f"{self._label}: {done:,} {self._unit}" if total is None else \
            f"{self._label}: {done:,} of {total:,} {self._unit} ({100 * done // max(total, 1)}%)"
        self._write("\r" + text + " " * max(self._width - len(text), 0))
        self._width = len(text)

    def finish(self) -> None:
        """Blank the line if anything was drawn, leaving the cursor at its start."""
        if self._width:
            self._write("\r" + " " * self._width + "\r")
            self._width = 0

    def _write(self, text: str) -> None:
        try:
            self._stream.write(text)
            self._stream.flush()
        except (OSError, ValueError):  # a closed or broken terminal: progress is not worth failing for
            pass


def terminal_progress(stream: TextIO, label: str, unit: str, *, quiet: bool = False) -> TerminalProgress | None:
    """A TerminalProgress on `stream` if it is a terminal and not `quiet`; else None (report nothing)."""
    if quiet:
        return None
    try:
        interactive = stream.isatty()
    except (AttributeError, ValueError, OSError):
        interactive = False
    return TerminalProgress(stream, label, unit) if interactive else None
