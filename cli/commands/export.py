"""`mgraph export graph`: the whole dataset of a run (content, evidence, results) in one quads file."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from maturity_graph import export_dataset

from ..exit import ExitStatus
from ..options import (
    as_date,
    as_of_option,
    command_inputs,
    engine_option,
    framework_option,
    output_option,
    subject_option,
    with_crosswalks_option,
)
from ..render.dataset import dataset_summary
from ..render.registry import RENDERERS, Kind


@click.group("export")
def export_group() -> None:
    """Export a run's graphs for other tools (a triple store you already run)."""


@export_group.command("graph")
@click.argument("evidence", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@framework_option(multiple=True)
@subject_option()
@as_of_option()
@with_crosswalks_option("the results mark what came that way; the carried evidence is not exported")
@engine_option()
@RENDERERS.option(Kind.DATASET, "trig")
@output_option()
def export_graph_command(evidence: tuple[Path, ...], frameworks: tuple[str, ...], subjects: tuple[str, ...],
                         as_of: dt.datetime | None, with_crosswalks: bool, engine: str, fmt: str,
                         output: str | None) -> int:
    """Assess EVIDENCE and write the bundled content, each evidence file and the results, each in its named graph
    (graph:content, graph:evidence/<file name>, graph:results), as TriG or N-Quads for GraphDB, Fuseki, Stardog or
    Oxigraph (docs/export.md). Prints what went where on stderr."""
    dataset = export_dataset(list(evidence), output, fmt=fmt, frameworks=list(frameworks) or None,
                             as_of=as_date(as_of), subjects=subjects, with_crosswalks=with_crosswalks, engine=engine,
                             inputs=command_inputs())
    for line in dataset_summary(dataset):
        click.echo(line, err=True)
    return ExitStatus.OK
