"""`mgraph evidence template|import`: the spreadsheet loop."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from maturity_graph import (
    SCANNER_IMPORTERS,
    SCANNER_STREAMERS,
    import_sheet,
    load_catalogue,
    template_rows,
    terminal_progress,
)
from maturity_graph import SUBJECT_KINDS as KINDS

from ..options import as_date, command_inputs, output_option
from ..render import evidence as _evidence_formats  # noqa: F401 - registers the formats
from ..render.findings import findings_summary
from ..render.registry import RENDERERS, Kind

STREAMED_FORMATS = ("turtle", "nt")  # a scan in these is written as it is read, never held whole


@click.group("evidence")
def evidence_group() -> None:
    """Spreadsheet templates for evidence, and importing filled-in sheets."""


@evidence_group.command("template")
@click.option("--framework", required=True, metavar="ID", help="Framework id, e.g. sbd.")
@RENDERERS.option(Kind.TEMPLATE, "csv")
@output_option()
def template_command(framework: str, fmt: str, output: Path | None) -> int:
    """Write a sheet with one row per requirement, ready to fill in."""
    catalogue = load_catalogue()
    RENDERERS.write(Kind.TEMPLATE, fmt, template_rows(catalogue.get(framework), catalogue=catalogue), output)
    return 0


@evidence_group.command("import")
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--from", "origin", type=click.Choice(["sheet", *sorted(SCANNER_IMPORTERS)]), default="sheet",
              show_default=True, help="What SOURCE is: a filled-in sheet, or a scanner's output.")
@click.option("--framework", default="csmm", show_default=True, metavar="ID",
              help="For scanner output: the framework whose controls the scan evidences.")
@output_option("Write the evidence graph to FILE (written whole or not at all).")
@RENDERERS.option(Kind.EVIDENCE_GRAPH, "turtle")
@click.option("--organisation", default=None, help="The name of the organisation assessed.")
@click.option("--subject-map", type=click.Path(path_type=Path), default=None, metavar="CSV",
              help="For scanner output: a CSV of account,subject[,subject_id,kind]; accounts mapped to one subject "
                   "are one assessment of it (default: one assessment per cloud account).")
@click.option("--assessment", "assessment", default=None, metavar="IRI",
              help="For scanner output of one subject: its findings join the ev:Assessment IRI that another file "
                   "(e.g. attestations) describes; no assessment, subject, date or organisation of the import's "
                   "own is written.")
@click.option("--assessment-date", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="For a sheet: the assessments' date (default: each subject's latest row date); "
                   "a row dated after it is refused (without it, a row dated after tomorrow).")
@click.option("--subject", "subject", default=None, metavar="NAME",
              help="What a sheet's rows without a subject assess, or one subject for a whole scan (a product, "
                   "an account...).")
@click.option("--subject-id", "subject_id", default=None, metavar="ID",
              help="The --subject's short identifier (a product code, a cloud account id).")
@click.option("--subject-kind", type=click.Choice(list(KINDS)), default=None,
              help="For a sheet: what kind of subject each is (default: what the framework assesses: "
                   "sbd a product, csmm a cloud account, ztmm an agency component).")
@click.option("-q", "--quiet", is_flag=True,
              help="No progress line on stderr (it is shown only when stderr is a terminal).")
def import_command(source: Path, origin: str, framework: str, output: Path | None, fmt: str, organisation: str | None,
                   subject_map: Path | None, assessment: str | None, assessment_date, subject: str | None,
                   subject_id: str | None, subject_kind: str | None, quiet: bool) -> int:
    """Turn SOURCE into an evidence graph: a filled-in sheet (.csv or .xlsx; bad rows are listed and nothing
    is written) or scanner output (--from prowler: OCSF JSON, CSV or v3 JSON; in turtle or nt it is read
    and written one finding at a time, so a scan of any size fits in memory)."""
    unit = "rows" if origin == "sheet" else "findings"
    progress = terminal_progress(sys.stderr, source.name, unit, quiet=quiet)
    if origin == "sheet" and assessment is not None:
        raise click.UsageError("--assessment is for scanner output; a sheet's rows name their own assessments")
    try:
        if origin == "sheet":
            graph = import_sheet(source, organisation=organisation, assessment_date=as_date(assessment_date),
                                 subject=subject, subject_id=subject_id, subject_kind=subject_kind,
                                 progress=progress)
            imported = None
        elif fmt in STREAMED_FORMATS:
            imported = SCANNER_STREAMERS[origin](source, output, fmt=fmt, framework=framework, progress=progress,
                                                inputs=command_inputs(), subject_map=subject_map,
                                                organisation=organisation, subject=subject, subject_id=subject_id,
                                                subject_kind=subject_kind, assessment=assessment)
            graph = None
        else:
            imported = SCANNER_IMPORTERS[origin](source, framework=framework, progress=progress,
                                                subject_map=subject_map, organisation=organisation,
                                                subject=subject, subject_id=subject_id, subject_kind=subject_kind,
                                                assessment=assessment)
            graph = imported.graph
    finally:
        if progress is not None:
            progress.finish()
    if graph is not None:
        RENDERERS.write(Kind.EVIDENCE_GRAPH, fmt, graph, output)
    if imported is not None:  # after the write: a failed write is the one line on stderr
        click.echo(findings_summary(imported), err=True)
    return 0
