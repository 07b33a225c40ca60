"""`mgraph trend`: the stage of every result over time, per subject, with the reasons for each move."""
from __future__ import annotations

from pathlib import Path

import click

from maturity_graph import trend

from ..exit import ExitStatus
from ..options import framework_option, output_option, subject_option
from ..render import movement as _movement_formats  # noqa: F401 - registers the formats
from ..render.registry import RENDERERS, Kind


@click.command("trend")
@click.argument("snapshots", nargs=-1, required=True, type=click.Path(path_type=Path))
@framework_option(multiple=True)
@subject_option()
@RENDERERS.option(Kind.TREND)
@click.option("--fail-on-regression", is_flag=True,
              help="Exit 1 (after writing the output) when any result moved down between the last two snapshots "
                   "of its subject.")
@output_option()
def trend_command(snapshots: tuple[Path, ...], frameworks: tuple[str, ...], subjects: tuple[str, ...], fmt: str,
                  fail_on_regression: bool, output: str | None) -> int:
    """Show each result's stage at each snapshot, per subject and framework, and why it moved: SNAPSHOTS are
    evidence files (each judged on its own assessment date), or one file holding several dated assessments."""
    result = trend(list(snapshots), frameworks=list(frameworks) or None, subjects=list(subjects) or None)
    RENDERERS.write(Kind.TREND, fmt, result, output)
    return ExitStatus.FINDINGS if fail_on_regression and result.regressed else ExitStatus.OK
