"""`mgraph assess`: the stage reached per capability, dimension and overall, with the gaps."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from maturity_graph import StoreSpec, assess

from ..exit import keep_until_exit
from ..options import (
    as_date,
    as_of_option,
    emit,
    engine_option,
    format_option,
    framework_option,
    output_option,
    reads_store,
    store_options,
)
from ..render.assessment import assessment_text
from ..render.json import envelope


@click.command("assess")
@click.argument("evidence", nargs=-1, type=click.Path(path_type=Path))
@framework_option(multiple=True)
@as_of_option()
@format_option(["table", "json", "turtle"], "table")
@click.option("--with-crosswalks", is_flag=True,
              help="Also count evidence carried from the other frameworks the evidence speaks about, through "
                   "reviewed curated crosswalks; what came that way is marked.")
@engine_option()
@store_options
@click.option("--write-results", is_flag=True,
              help="Leave the result graph in the store's graph:results (with --store-dir, or --endpoint and "
                   "--update-endpoint); by default a store is only read.")
@output_option()
def assess_command(evidence: tuple[Path, ...], frameworks: tuple[str, ...], as_of: dt.datetime | None,
                   with_crosswalks: bool, engine: str, store_spec: StoreSpec, write_results: bool, fmt: str,
                   output: str | None) -> int:
    """Derive stages from EVIDENCE files (Turtle, N-Triples or JSON-LD), or from the evidence in a store
    (--store-dir or --endpoint, filled by mgraph load)."""
    named_store = reads_store(evidence, store_spec)
    if write_results and not named_store:
        raise click.UsageError("--write-results needs a store that outlives the run: --store-dir DIR or --endpoint URL")
    store = store_spec.open()  # in memory unless named
    try:
        result = assess(list(evidence) or None, frameworks=list(frameworks) or None, as_of=as_date(as_of),
                        engine=engine, store=store, write_results=write_results, with_crosswalks=with_crosswalks)
    finally:
        if named_store:
            store.close()
        else:
            keep_until_exit(store)  # freeing it is the process's end's work (cli.main)
    if fmt == "json":
        body = result.as_dict()
        data = envelope("ok", body.pop("results"), **body)
    elif fmt == "turtle":
        data = result.graph.serialize(format="turtle").encode("utf-8")
    else:
        data = assessment_text(result).encode("utf-8")
    emit(data, output)
    return 0
