"""The exception tree. Each error's message is one sentence a user can act on."""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


class MaturityGraphError(Exception):
    """Root of every error the library raises on purpose (the CLI exits 2 on these)."""


class InputError(MaturityGraphError):
    """A file the user gave is missing, unreadable or malformed."""

    def __init__(self, message: str, *, path: str | Path | None = None, line: int | None = None):
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        super().__init__(message)

    def __str__(self) -> str:
        where = self.path or ""
        if where and self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}" if where else self.message


class RowErrors(InputError):
    """Several rows of one file are bad. str() names them all on one line (logs, tracebacks);
    lines() lists one row a line, as the CLI prints them, so a long list stays readable."""

    SHOWN = 50  # rows listed before "... and N more"

    def __init__(self, summary: str, rows: Sequence[str], *, path: str | Path | None = None,
                 line: int | None = None):
        self.summary = summary
        self.rows = tuple(rows)
        super().__init__(f"{summary}: {'; '.join(self._shown())}", path=path, line=line)

    def _shown(self) -> list[str]:
        hidden = len(self.rows) - self.SHOWN
        return [*self.rows[: self.SHOWN], *([f"... and {hidden} more"] if hidden > 0 else [])]

    def lines(self) -> list[str]:
        """The summary (where, and how many), then one line per row; a single row stays one line."""
        if len(self.rows) <= 1:
            return [str(self)]
        head = InputError(self.summary, path=self.path, line=self.line)
        return [f"{head}:", *(f"  {row}" for row in self._shown())]


class EvidenceError(MaturityGraphError):
    """An evidence graph parsed but is not well-formed (it breaks shapes/core)."""

    def __init__(self, message: str, *, node: str | None = None):
        self.message = message
        self.node = node
        super().__init__(message)


class UnknownFrameworkError(MaturityGraphError):
    """The user named a framework that is not bundled."""

    def __init__(self, name: str, known: list[str]):
        self.name = name
        self.known = known
        super().__init__(f"unknown framework {name!r}; known frameworks: {', '.join(known)}")


class QueryRejected(MaturityGraphError):
    """A SPARQL query is not read-only, reaches the network, or does not parse."""


class StoreError(MaturityGraphError):
    """The graph store failed to load or answer."""


class ContentError(MaturityGraphError):
    """Bundled content (ontology, shapes, queries) is broken: a bug in the package, not in user input."""
