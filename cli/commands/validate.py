"""`mgraph validate`: are these evidence graphs well-formed?"""
from __future__ import annotations

from pathlib import Path

import click

from maturity_graph import StoreSpec, validate_evidence

from ..exit import ExitStatus, keep_until_exit
from ..options import engine_option, reads_store, store_options
from ..render import validation as _validation_formats  # noqa: F401 - registers the formats
from ..render.registry import RENDERERS, Kind


@click.command("validate")
@click.argument("evidence", nargs=-1, type=click.Path(path_type=Path))
@RENDERERS.option(Kind.VALIDATION)
@engine_option()
@store_options
def validate_command(evidence: tuple[Path, ...], fmt: str, engine: str, store_spec: StoreSpec) -> int:
    """Check EVIDENCE files, or the evidence in a store (--store-dir or --endpoint), against the evidence shapes
    (exit 0 conforms, 1 violations, 2 bad input)."""
    named_store = reads_store(evidence, store_spec)
    store = store_spec.open()  # in memory unless named
    try:
        result = validate_evidence(list(evidence), engine=engine, store=store)
    finally:
        if named_store:
            store.close()
        else:
            keep_until_exit(store)  # freeing it is the process's end's work (cli.main)
    status = ExitStatus.OK if result.conforms else ExitStatus.FINDINGS
    RENDERERS.write(Kind.VALIDATION, fmt, result, None)
    return status
