"""`mgraph roadmap`: per assessment and framework, the unmet requirements on the way to the target, in order."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from maturity_graph import roadmap

from ..options import as_date, as_of_option, framework_option, output_option, subject_option
from ..render import roadmap as _roadmap_formats  # noqa: F401 - registers the formats
from ..render.registry import RENDERERS, Kind


@click.command("roadmap")
@click.argument("evidence", nargs=-1, required=True, type=click.Path(path_type=Path))
@framework_option(multiple=True)
@subject_option()
@as_of_option()
@RENDERERS.option(Kind.ROADMAP)
@output_option()
def roadmap_command(evidence: tuple[Path, ...], frameworks: tuple[str, ...], subjects: tuple[str, ...],
                    as_of: dt.datetime | None, fmt: str, output: str | None) -> int:
    """What to do next to reach the target, per subject and framework: the unmet requirements of each stage
    up to each capability's target, lower stages first, then by priority, effort and requirement id, with
    the owner, due date, priority and effort of the planned actions in EVIDENCE (overdue ones flagged)."""
    plan = roadmap(evidence, frameworks=list(frameworks) or None, subjects=list(subjects), as_of=as_date(as_of))
    RENDERERS.write(Kind.ROADMAP, fmt, plan, output)
    return 0
