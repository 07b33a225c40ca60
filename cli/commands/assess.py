"""`mgraph assess`: the stage reached per capability, dimension and overall, with the gaps."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from maturity_graph import StoreSpec, assess, below_target

from ..exit import ExitStatus, keep_until_exit
from ..options import (
    as_date,
    as_of_option,
    engine_option,
    framework_option,
    output_option,
    raw_cells_option,
    reads_store,
    store_options,
    subject_option,
    with_crosswalks_option,
)
from ..render import assessment as _assessment_formats  # noqa: F401 - registers the assessment's formats
from ..render.registry import RENDERERS, Kind, Options
from ..render.terminal import terminal_safe


@click.command("assess")
@click.argument("evidence", nargs=-1, type=click.Path(path_type=Path))
@framework_option(multiple=True)
@subject_option()
@as_of_option()
@RENDERERS.option(Kind.ASSESSMENT)
@click.option("--fail-below-target", is_flag=True,
              help="Exit 1 (after writing the output) when any result with a target is below it, or not assessed.")
@with_crosswalks_option()
@engine_option()
@store_options
@click.option("--write-results", is_flag=True,
              help="Leave the result graph in the store's graph:results (with --store-dir, or --endpoint and "
                   "--update-endpoint); by default a store is only read.")
@output_option()
@raw_cells_option()
def assess_command(evidence: tuple[Path, ...], frameworks: tuple[str, ...], subjects: tuple[str, ...],
                   as_of: dt.datetime | None,
                   fail_below_target: bool, with_crosswalks: bool, engine: str, store_spec: StoreSpec,
                   write_results: bool, fmt: str, output: str | None, raw_cells: bool) -> int:
    """Derive stages from EVIDENCE files (Turtle, N-Triples or JSON-LD), or from the evidence in a store
    (--store-dir or --endpoint, filled by mgraph load)."""
    named_store = reads_store(evidence, store_spec)
    if write_results and not named_store:
        raise click.UsageError("--write-results needs a store that outlives the run: --store-dir DIR or --endpoint URL")
    store = store_spec.open()  # in memory unless named
    try:
        result = assess(list(evidence) or None, frameworks=list(frameworks) or None, as_of=as_date(as_of),
                        engine=engine, store=store, write_results=write_results, with_crosswalks=with_crosswalks,
                        subjects=subjects)
    finally:
        if named_store:
            store.close()
        else:
            keep_until_exit(store)  # freeing it is the process's end's work (cli.main)
    RENDERERS.write(Kind.ASSESSMENT, fmt, result, output, Options(raw_cells=raw_cells))
    if fail_below_target and (short := below_target(result)):
        named = [" ".join([*([s.subject.id] if s.subject else []), s.result.framework,
                           "overall" if s.result.kind == "overall" else s.result.id]) for s in short]
        more = f" and {len(named) - 10} more" if len(named) > 10 else ""
        click.echo(terminal_safe(f"mgraph: {len(short)} result(s) below target: {', '.join(named[:10])}{more}",
                                 one_line=True), err=True)
        return ExitStatus.FINDINGS
    return ExitStatus.OK
