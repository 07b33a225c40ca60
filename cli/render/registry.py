"""The CLI's output formats, in one registry.

Each kind of result says once, next to its renderers, which formats it can be written in
(`RENDERERS.register`); a command offers its kind's formats as `-f/--format` (`RENDERERS.option`)
and writes through the registry (`RENDERERS.write`), so no command branches on format names, and a
new format is one function in one render module (as sssom-py keeps its writers in one table).
"""
from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

import click

from ..options import emit


class Kind(StrEnum):
    """What a command writes: each kind has its own formats."""

    ASSESSMENT = "assessment"
    VALIDATION = "validation"
    DIFF = "diff"
    TREND = "trend"
    ROADMAP = "roadmap"
    FRAMEWORKS = "frameworks"
    MAPPINGS = "mappings"
    CROSSWALK_CHECK = "crosswalk check"
    CARRIED = "carried evidence"
    TEMPLATE = "evidence template"
    EVIDENCE_GRAPH = "evidence graph"
    QUERY = "query"
    PREFIXES = "prefixes"
    DATASET = "dataset"
    PACK_CHECK = "framework check"


@dataclass(frozen=True)
class Options:
    """What the command line says about how to write, beyond the format."""

    raw_cells: bool = False  # CSV: cells exactly as they are, no ' before formula-looking text


Render = Callable[[Any, Options], bytes]
R = TypeVar("R", bound=Render)


@dataclass(frozen=True)
class Format:
    name: str
    render: Render | None  # None: the library writes this format itself, as it streams (a whole dataset)
    binary: bool  # not text: written to a file or a pipe, never to a terminal


class Registry:
    """Formats by kind of result, in the order they were registered."""

    def __init__(self) -> None:
        self._formats: dict[Kind, dict[str, Format]] = {}

    def register(self, kind: Kind, name: str, *, binary: bool = False) -> Callable[[R], R]:
        def add(render: R) -> R:
            formats = self._formats.setdefault(kind, {})
            if name in formats:
                raise ValueError(f"{kind} already has a {name} renderer")
            formats[name] = Format(name, render, binary)
            return render

        return add

    def register_streamed(self, kind: Kind, names: Sequence[str]) -> None:
        """Formats a library call writes to the output itself, as it goes (too large to hold as bytes): only their
        names are here, so the command offers them like any other."""
        formats = self._formats.setdefault(kind, {})
        for name in names:
            formats[name] = Format(name, None, binary=False)

    def formats(self, kind: Kind) -> list[str]:
        return list(self._formats.get(kind, {}))

    def option(self, kind: Kind, default: str | None = "table", *, only: Sequence[str] | None = None
               ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """`-f/--format`, offering the formats registered for `kind` (its render module must be imported), or
        those of them `only` names; without a default the option is required."""
        names = [name for name in self.formats(kind) if only is None or name in only]
        if only is not None and set(only) - set(names):
            raise ValueError(f"{kind} has no {', '.join(sorted(set(only) - set(names)))} renderer")
        if default is not None and default not in names:
            raise ValueError(f"{kind} has no {default} renderer")
        return click.option("-f", "--format", "fmt", type=click.Choice(names), default=default,
                            required=default is None, show_default=default is not None, help="Output format.")

    def render(self, kind: Kind, fmt: str, value: Any, options: Options | None = None) -> bytes:
        render = self._format(kind, fmt).render
        if render is None:
            raise ValueError(f"{kind} {fmt} is written by the library as it streams, not rendered")
        return render(value, options or Options())

    def write(self, kind: Kind, fmt: str, value: Any, output: str | Path | None, options: Options | None = None
              ) -> None:
        """Render `value` and write it where -o says (standard output by default), whole or not at all."""
        if self._format(kind, fmt).binary and _to_terminal(output):
            raise click.UsageError(f"{fmt} is not text: write it to a file with -o FILE (or to a pipe)")
        emit(self.render(kind, fmt, value, options), output)

    def _format(self, kind: Kind, fmt: str) -> Format:
        try:
            return self._formats[kind][fmt]
        except KeyError:
            raise click.UsageError(f"{kind} output has no format {fmt!r}; use one of "
                                   f"{', '.join(self.formats(kind))}") from None


def _to_terminal(output: str | Path | None) -> bool:
    return (output is None or str(output) == "-") and sys.stdout.isatty()


RENDERERS = Registry()
