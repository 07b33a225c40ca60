"""Option decorators shared by several commands."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from maturity_graph.output import atomic_output


def format_option(choices: list[str], default: str):
    return click.option(
        "-f", "--format", "fmt", type=click.Choice(choices), default=default, show_default=True,
        help="Output format.",
    )


def output_option(help_text: str = "Write to FILE instead of standard output (written whole or not at all)."):
    return click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None, help=help_text)


def framework_option(multiple: bool = False, required: bool = False):
    return click.option(
        "--framework", "frameworks" if multiple else "framework", multiple=multiple, required=required,
        metavar="ID", help="Framework id, e.g. sbd (or sbd@2025-06-18)." + (" Repeatable." if multiple else ""),
    )


def as_of_option():
    return click.option(
        "--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
        help="Judge evidence as of this day (YYYY-MM-DD); default: the assessment date in the evidence.",
    )


def as_date(value) -> dt.date | None:
    return value.date() if value is not None else None


def emit(data: bytes, output: Path | None) -> None:
    """Send a result to stdout, or to a file that appears only once complete."""
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    with atomic_output(output) as stream:
        stream.write(data)
