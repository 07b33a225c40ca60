"""`mgraph crosswalk derive|check|compose|apply|export`."""
from __future__ import annotations

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
)

from ..exit import ExitStatus
from ..options import as_date, as_of_option, output_option, raw_cells_option
from ..render.mappings import MappingSet
from ..render.registry import RENDERERS, Kind, Options


def pair_options(func):
    func = click.option("--to", "target", required=True, metavar="ID", help="Target framework id.")(func)
    return click.option("--from", "source", required=True, metavar="ID", help="Source framework id.")(func)


@click.group("crosswalk")
def crosswalk_group() -> None:
    """Crosswalks between frameworks: derived, curated, composed, checked, applied, exported."""


@crosswalk_group.command("derive")
@pair_options
@click.option("--level", type=click.Choice(["criterion", "capability"]), default="criterion", show_default=True)
@RENDERERS.option(Kind.MAPPINGS)
@output_option()
@raw_cells_option()
def derive_command(source, target, level, fmt, output, raw_cells) -> int:
    """Derive mappings from the concept sets of two frameworks; report where the curated crosswalk disagrees."""
    mappings = derive_mappings(source, target, level=level)
    differ = disagreements(mappings, curated_mappings(source, target))
    if differ:
        click.echo(f"{len(differ)} derived mapping(s) disagree with the curated crosswalk (the curated one stands); "
                   "see the JSON output's 'disagreements'", err=True)
    RENDERERS.write(Kind.MAPPINGS, fmt, MappingSet(mappings, source, target, differ), output,
                    Options(raw_cells=raw_cells))
    return ExitStatus.OK


@crosswalk_group.command("check")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@RENDERERS.option(Kind.CROSSWALK_CHECK)
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
    RENDERERS.write(Kind.CROSSWALK_CHECK, fmt, result, None)
    return ExitStatus.OK if result.ok else ExitStatus.FINDINGS


@crosswalk_group.command("compose")
@pair_options
@click.option("--via", required=True, metavar="ID", help="The framework to go through.")
@click.option("--include-unreviewed", is_flag=True, help="Compose unreviewed curated mappings too.")
@RENDERERS.option(Kind.MAPPINGS, only=["table", "json", "csv", "turtle", "jsonld"])
@output_option()
@raw_cells_option()
def compose_command(source, target, via, include_unreviewed, fmt, output, raw_cells) -> int:
    """Compose curated mappings SOURCE -> VIA -> TARGET; each result keeps every relation still possible."""
    mappings = compose_crosswalk(source, via, target, reviewed_only=not include_unreviewed)
    RENDERERS.write(Kind.MAPPINGS, fmt, MappingSet(mappings, source, target), output, Options(raw_cells=raw_cells))
    return ExitStatus.OK


@crosswalk_group.command("apply")
@click.argument("evidence", nargs=-1, required=True, type=click.Path(path_type=Path))
@pair_options
@as_of_option()
@RENDERERS.option(Kind.CARRIED)
@output_option()
def apply_command(evidence, source, target, as_of, fmt, output) -> int:
    """What EVIDENCE collected for SOURCE implies for TARGET through reviewed mappings.

    Equal and superset mappings carry a met cell (turtle: the carried evidence, to read next to the
    target's own); subset and intersects are partial and carry nothing."""
    result = apply_crosswalk(evidence, curated_mappings(source, target), source=source, target=target,
                             as_of=as_date(as_of))
    RENDERERS.write(Kind.CARRIED, fmt, result, output)
    return ExitStatus.OK


@crosswalk_group.command("export")
@pair_options
@RENDERERS.option(Kind.MAPPINGS, None, only=sorted(EXPORTERS))
@output_option()
@raw_cells_option()
def export_command(source, target, fmt, output, raw_cells) -> int:
    """Export the curated crosswalk SOURCE -> TARGET as SSSOM, OSCAL 1.2 mapping-collection, CSV, Turtle or JSON-LD."""
    RENDERERS.write(Kind.MAPPINGS, fmt, MappingSet(curated_mappings(source, target), source, target), output,
                    Options(raw_cells=raw_cells))
    return ExitStatus.OK
