"""Option decorators shared by several commands."""
from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from pathlib import Path

import click

from maturity_graph.output import write_output


def format_option(choices: list[str], default: str):
    return click.option(
        "-f", "--format", "fmt", type=click.Choice(choices), default=default, show_default=True,
        help="Output format.",
    )


def output_option(help_text: str = "Write to FILE instead of standard output (a file is written whole or not at "
                                   "all; - is standard output; an input file is refused)."):
    # A str, not a Path: Path("./-") would read as "-", and "./-" must stay a file named "-".
    return click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), default=None,
                        help=help_text)


def raw_cells_option():
    return click.option(
        "--raw-cells", is_flag=True,
        help="CSV: write cells exactly as they are. By default a cell starting with = + - @ (or a tab or carriage "
             "return) that is not a number gets a leading ' so a spreadsheet shows it rather than running it.",
    )


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


def emit(data: bytes, output: str | Path | None, *, inputs: Iterable[str | Path] | None = None) -> None:
    """Send a result to stdout (no -o, or -o -), a device or pipe, or a file that appears only once complete.

    The output is refused if it is one of `inputs`; by default those are every file the running
    command was given (each of its click.Path parameters but -o), so a new file option is covered too.
    """
    write_output(data, output, inputs=command_inputs() if inputs is None else inputs)


def command_inputs() -> list[str]:
    """The paths given to the running command's file parameters (every click.Path one but -o)."""
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return []
    found = []
    for param in ctx.command.params:
        if param.name == "output" or not isinstance(param.type, click.Path):
            continue
        value = ctx.params.get(param.name)
        values = value if isinstance(value, (list, tuple)) else [value]
        found.extend(os.fspath(v) for v in values if v is not None and os.fspath(v) != "-")
    return found
