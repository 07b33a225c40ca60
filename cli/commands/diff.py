"""`mgraph diff`: what moved between two evidence snapshots, and why."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from maturity_graph import diff

from ..exit import ExitStatus
from ..options import as_date, framework_option, output_option
from ..render import movement as _movement_formats  # noqa: F401 - registers the formats
from ..render.registry import RENDERERS, Kind


@click.command("diff")
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@framework_option(multiple=True)
@click.option("--old-as-of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Judge OLD as of this day (default: its assessment date).")
@click.option("--new-as-of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Judge NEW as of this day (default: its assessment date).")
@RENDERERS.option(Kind.DIFF)
@click.option("--fail-on-regression", is_flag=True,
              help="Exit 1 (after writing the output) when any result moved down or stopped being assessed, or a "
                   "subject assessed in OLD is missing from NEW.")
@output_option()
def diff_command(old: Path, new: Path, frameworks: tuple[str, ...], old_as_of: dt.datetime | None,
                 new_as_of: dt.datetime | None, fmt: str, fail_on_regression: bool, output: str | None) -> int:
    """Show every capability and dimension that moved between OLD and NEW evidence, and why (per subject)."""
    result = diff([old], [new], frameworks=list(frameworks) or None,
                  old_as_of=as_date(old_as_of), new_as_of=as_date(new_as_of))
    RENDERERS.write(Kind.DIFF, fmt, result, output)
    return ExitStatus.FINDINGS if fail_on_regression and result.regressed else ExitStatus.OK
