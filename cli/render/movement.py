"""Human-readable `mgraph diff` and `mgraph trend` output."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from maturity_graph import Diff, Movement, Trend, stage_text

from .json import envelope_of
from .registry import RENDERERS, Kind, Options
from .table import table
from .terminal import terminal_safe


def _subject(subject: Any) -> str:
    return "" if subject is None else f"{subject.label} ({subject.id})"


def _movement_lines(m: Movement, *, prefix: str = "", with_subject: bool = True) -> list[str]:
    who = f"{_subject(m.subject)}: " if m.subject is not None and with_subject else ""
    lines = [f"{m.direction.upper():<5} {prefix}{who}{m.framework} {m.kind} {m.id} {m.label}: "
             f"{stage_text(m.old)} -> {stage_text(m.new)}"]
    for r in m.reasons:
        lines.append(f"      {r.id}  {r.change}: {r.text} ({r.detail})")
    if m.parts_moved:
        lines.append(f"      because {', '.join(m.parts_moved)} moved")
    return lines


def _unpaired(title: str, entries: Iterable[Any]) -> list[str]:
    return [f"{title} {_subject(e.subject) or 'the unnamed subject'}: {e.framework}" for e in entries]


def diff_text(result: Diff) -> str:
    head = f"Between {result.old_as_of.isoformat()} and {result.new_as_of.isoformat()}: "
    extra = _unpaired("ADDED", result.added) + _unpaired("REMOVED", result.removed)
    if not result.movements:
        return terminal_safe("\n".join([head + "nothing moved.", *extra]) + "\n")
    up = sum(m.direction == "up" for m in result.movements)
    lines = [head + f"{len(result.movements)} moved ({up} up, {len(result.movements) - up} down).", ""]
    for m in result.movements:
        lines.extend(_movement_lines(m))
    if extra:
        lines.extend(["", *extra])
    return terminal_safe("\n".join(lines) + "\n")


def trend_text(result: Trend) -> str:
    """Per subject and framework: a table of each result's stage at each date, then every move with its reasons."""
    parts = []
    for series in result.series:
        who = _subject(series.subject) or "unnamed subject"
        dates = [s.date.isoformat() for s in series.snapshots]
        parts.append(f"{series.label} ({series.framework}), {who}: {len(dates)} snapshot(s), "
                     f"{dates[0]} to {dates[-1]}\n\n")
        rows = [[r.kind, r.id, r.label, *(stage_text(p) if p is not None else "-" for p in r.points)]
                for r in series.results]
        parts.append(table(["KIND", "ID", "LABEL", *dates], rows))
        steps = sorted((s for r in series.results for s in r.steps), key=lambda s: s.old_date)
        if steps:
            lines = ["", "Moves:"]
            for step in steps:
                lines.extend(_movement_lines(step.movement,
                                             prefix=f"{step.old_date.isoformat()} -> {step.new_date.isoformat()} ",
                                             with_subject=False))
            parts.append("\n".join(lines) + "\n")
        else:
            parts.append("\nNothing moved.\n")
        if series.regressions:
            parts.append(f"Regressed at the last snapshot: {', '.join(s.movement.id for s in series.regressions)}\n")
        parts.append("\n")
    return terminal_safe("".join(parts).rstrip("\n") + "\n")


@RENDERERS.register(Kind.DIFF, "table")
def _diff_table(result: Diff, options: Options) -> bytes:
    return diff_text(result).encode("utf-8")


@RENDERERS.register(Kind.DIFF, "json")
def _diff_json(result: Diff, options: Options) -> bytes:
    return envelope_of(result.as_dict(), "movements", "moved" if result.movements else "unchanged")


@RENDERERS.register(Kind.TREND, "table")
def _trend_table(result: Trend, options: Options) -> bytes:
    return trend_text(result).encode("utf-8")


@RENDERERS.register(Kind.TREND, "json")
def _trend_json(result: Trend, options: Options) -> bytes:
    moved = any(r.steps for s in result.series for r in s.results)
    return envelope_of(result.as_dict(), "series", "moved" if moved else "unchanged")
