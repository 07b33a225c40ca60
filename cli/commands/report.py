"""`mgraph report`: the assessment as one self-contained HTML page, to open in a browser or print to PDF."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from maturity_graph import StoreSpec, assess, report_html

from ..exit import ExitStatus, keep_until_exit
from ..options import (
    as_date,
    as_of_option,
    emit,
    framework_option,
    output_option,
    subject_option,
    with_crosswalks_option,
)


@click.command("report")
@click.argument("evidence", nargs=-1, required=True, type=click.Path(path_type=Path))
@framework_option(multiple=True)
@subject_option()
@as_of_option()
@with_crosswalks_option()
@output_option("Write the HTML to FILE (written whole or not at all; - is standard output). Needed when standard "
               "output is a terminal.")
def report_command(evidence: tuple[Path, ...], frameworks: tuple[str, ...], subjects: tuple[str, ...],
                   as_of: dt.datetime | None, with_crosswalks: bool, output: str | None) -> int:
    """Assess EVIDENCE files and write the report: scorecards, charts, gaps, evidence freshness (docs/report.md)."""
    if output is None and sys.stdout.isatty():
        raise click.UsageError("give -o FILE: the report is an HTML page for a browser, not for a terminal")
    store = StoreSpec().open()
    keep_until_exit(store)  # freeing it is the process's end's work (cli.main)
    result = assess(list(evidence), frameworks=list(frameworks) or None, as_of=as_date(as_of), store=store,
                    with_crosswalks=with_crosswalks, subjects=subjects)
    emit(report_html(result, sources=evidence, store=store).encode("utf-8"), output)
    return ExitStatus.OK
