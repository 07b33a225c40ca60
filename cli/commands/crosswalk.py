"""`mgraph crosswalk derive|check|compose|apply|export`."""
from __future__ import annotations

import io
from pathlib import Path

import click

from maturity_graph import (
    EXPORTERS,
    InputError,
    apply_crosswalk,
    check_crosswalks,
    compose_crosswalk,
    curated_mappings,
    derive_mappings,
    disagreements,
    export,
    load_catalogue,
    prefixed,
)

from ..exit import ExitStatus
from ..options import as_date, as_of_option, emit, format_option, output_option, raw_cells_option
from ..render.json import envelope
from ..render.mappings import mapping_dict, mappings_table
from ..render.table import table
from ..render.terminal import terminal_safe


def pair_options(func):
    func = click.option("--to", "target", required=True, metavar="ID", help="Target framework id.")(func)
    return click.option("--from", "source", required=True, metavar="ID", help="Source framework id.")(func)


@click.group("crosswalk")
def crosswalk_group() -> None:
    """Crosswalks between frameworks: derived, curated, composed, checked, applied, exported."""


@crosswalk_group.command("derive")
@pair_options
@click.option("--level", type=click.Choice(["criterion", "capability"]), default="criterion", show_default=True)
@format_option(["table", "json", *sorted(EXPORTERS)], "table")
@output_option()
@raw_cells_option()
def derive_command(source, target, level, fmt, output, raw_cells) -> int:
    """Derive mappings from the concept sets of two frameworks; report where the curated crosswalk disagrees."""
    mappings = derive_mappings(source, target, level=level)
    differ = disagreements(mappings, curated_mappings(source, target))
    if differ:
        click.echo(f"{len(differ)} derived mapping(s) disagree with the curated crosswalk (the curated one stands); "
                   "see the JSON output's 'disagreements'", err=True)
    names = load_catalogue().names
    if fmt == "json":
        data = envelope("ok", [mapping_dict(m) for m in mappings], disagreements=[d.as_dict() for d in differ])
    elif fmt == "table":
        data = mappings_table(mappings, names).encode("utf-8")
    else:
        data = _exported(mappings, fmt, source, target, raw_cells=raw_cells)
    emit(data, output)
    return ExitStatus.OK


@crosswalk_group.command("check")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@format_option(["table", "json"], "table")
def check_command(files, fmt) -> int:
    """Check SSSOM mapping files (default: the bundled crosswalks) for bad values and contradictions
    (exit 0 clean, 1 findings, 2 bad input)."""
    for path in files:
        if not path.is_file():
            raise click.BadParameter(f"{path}: file not found", param_hint="FILES")
    result = check_crosswalks([str(p) for p in files] or None)
    if result.malformed:  # a file that is not SSSOM is bad input (exit 2), not a finding about mappings
        first, others = result.malformed[0], len(result.malformed) - 1
        raise InputError(first.message + (f" (and {others} more malformed file(s))" if others else ""),
                         path=first.file, line=first.line)
    if fmt == "json":
        emit(envelope("ok" if result.ok else "findings", [f.as_dict() for f in result.findings],
                      files=list(result.files)), None)
    elif result.ok:
        emit(f"{len(result.files)} file(s), {result.mappings} mapping(s): no findings\n".encode(), None)
    else:
        emit(terminal_safe("\n".join(f.sentence() for f in result.findings) + "\n").encode("utf-8"), None)
    return ExitStatus.OK if result.ok else ExitStatus.FINDINGS


@crosswalk_group.command("compose")
@pair_options
@click.option("--via", required=True, metavar="ID", help="The framework to go through.")
@click.option("--include-unreviewed", is_flag=True, help="Compose unreviewed curated mappings too.")
@format_option(["table", "json", "csv", "turtle", "jsonld"], "table")
@output_option()
@raw_cells_option()
def compose_command(source, target, via, include_unreviewed, fmt, output, raw_cells) -> int:
    """Compose curated mappings SOURCE -> VIA -> TARGET; each result keeps every relation still possible."""
    mappings = compose_crosswalk(source, via, target, reviewed_only=not include_unreviewed)
    if fmt == "json":
        data = envelope("ok", [mapping_dict(m) for m in mappings])
    elif fmt == "table":
        data = mappings_table(mappings, load_catalogue().names).encode("utf-8")
    else:
        data = _exported(mappings, fmt, source, target, raw_cells=raw_cells)
    emit(data, output)
    return ExitStatus.OK


@crosswalk_group.command("apply")
@click.argument("evidence", nargs=-1, required=True, type=click.Path(path_type=Path))
@pair_options
@as_of_option()
@format_option(["table", "json", "turtle"], "table")
@output_option()
def apply_command(evidence, source, target, as_of, fmt, output) -> int:
    """What EVIDENCE collected for SOURCE implies for TARGET through reviewed mappings.

    Equal and superset mappings carry a met cell (turtle: the carried evidence, to read next to the
    target's own); subset and intersects are partial and carry nothing."""
    result = apply_crosswalk(evidence, curated_mappings(source, target), source=source, target=target,
                             as_of=as_date(as_of))
    names = load_catalogue().names

    def ids(iri):
        return prefixed(iri, names)

    if fmt == "turtle":
        data = result.graph.serialize(format="turtle").encode("utf-8")
    elif fmt == "json":
        data = envelope("ok", [c.as_dict(ids) for c in result.carried],
                        partial=[c.as_dict(ids) for c in result.partial], not_carried=result.not_carried)
    else:
        rows = [[ids(c.source_criterion), c.relation.value, ids(c.target_criterion),
                 "carried" if c.full else "partial only", len(c.target_requirements)]
                for c in result.carried + result.partial]
        text = table(["SOURCE CELL (MET)", "RELATION", "TARGET CELL", "EFFECT", "REQUIREMENTS"], rows)
        data = (text + f"\n{len(result.carried)} carried, {len(result.partial)} partial; "
                f"{result.not_carried} mapping(s) carry nothing (unreviewed, rejected or not cell to cell)\n").encode()
    emit(data, output)
    return ExitStatus.OK


@crosswalk_group.command("export")
@pair_options
@click.option("-f", "--format", "fmt", type=click.Choice(sorted(EXPORTERS)), required=True, help="Export format.")
@output_option()
@raw_cells_option()
def export_command(source, target, fmt, output, raw_cells) -> int:
    """Export the curated crosswalk SOURCE -> TARGET as SSSOM, OSCAL 1.2 mapping-collection, CSV, Turtle or JSON-LD."""
    emit(_exported(curated_mappings(source, target), fmt, source, target, raw_cells=raw_cells), output)
    return ExitStatus.OK


def _exported(mappings, fmt, source, target, *, raw_cells: bool = False) -> bytes:
    buffer = io.BytesIO()
    export(mappings, fmt, buffer, source_framework=source, target_framework=target, raw_cells=raw_cells)
    return buffer.getvalue()
