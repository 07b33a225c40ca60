"""`mgraph validate`: are these evidence graphs well-formed?"""
from __future__ import annotations

from pathlib import Path

import click

from maturity_graph import StoreSpec, validate_evidence

from ..exit import ExitStatus, keep_until_exit
from ..options import emit, engine_option, format_option, reads_store, store_options
from ..render.json import envelope
from ..render.table import table
from ..render.terminal import terminal_safe


@click.command("validate")
@click.argument("evidence", nargs=-1, type=click.Path(path_type=Path))
@format_option(["table", "json"], "table")
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
    if fmt == "json":
        emit(envelope("conforms" if result.conforms else "violations", [v.as_dict() for v in result.violations],
                      files=result.files), None)
    elif result.conforms:
        emit(terminal_safe(f"{', '.join(result.files)}: conforms\n").encode("utf-8"), None)
    else:
        rows = [[v.file or "", v.focus, v.path or "", v.message + (f" (value {v.value})" if v.value else "")]
                for v in result.violations]
        text = table(["FILE", "NODE", "PROPERTY", "PROBLEM"], rows)
        emit(f"{text}\n{len(result.violations)} violation(s)\n".encode(), None)
    return status
