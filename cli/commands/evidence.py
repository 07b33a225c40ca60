"""`mgraph evidence template|import`: the spreadsheet loop."""
from __future__ import annotations

import io
from pathlib import Path

import click

from maturity_graph import load_catalogue
from maturity_graph.evidence.spreadsheet import TEMPLATE_WRITERS, import_sheet, template_rows

from ..options import emit, output_option

GRAPH_FORMATS = {"turtle": "turtle", "jsonld": "json-ld"}


@click.group("evidence")
def evidence_group() -> None:
    """Spreadsheet templates for evidence, and importing filled-in sheets."""


@evidence_group.command("template")
@click.option("--framework", required=True, metavar="ID", help="Framework id, e.g. sbd.")
@click.option("-f", "--format", "fmt", type=click.Choice(sorted(TEMPLATE_WRITERS)), default="csv", show_default=True)
@output_option()
def template_command(framework: str, fmt: str, output: Path | None) -> int:
    """Write a sheet with one row per requirement, ready to fill in."""
    if fmt == "xlsx" and output is None:
        raise click.UsageError("an xlsx template needs -o FILE")
    catalogue = load_catalogue()
    buffer = io.BytesIO()
    TEMPLATE_WRITERS[fmt](template_rows(catalogue.get(framework), catalogue=catalogue), buffer)
    emit(buffer.getvalue(), output)
    return 0


@evidence_group.command("import")
@click.argument("sheet", type=click.Path(path_type=Path))
@output_option("Write the evidence graph to FILE (written whole or not at all).")
@click.option("-f", "--format", "fmt", type=click.Choice(sorted(GRAPH_FORMATS)), default="turtle", show_default=True)
@click.option("--organisation", default=None, help="Name of the organisation assessed.")
def import_command(sheet: Path, output: Path | None, fmt: str, organisation: str | None) -> int:
    """Turn a filled-in SHEET (.csv or .xlsx) into an evidence graph; bad rows are listed and nothing is written."""
    graph = import_sheet(sheet, organisation=organisation)
    emit(graph.serialize(format=GRAPH_FORMATS[fmt]).encode("utf-8"), output)
    return 0
