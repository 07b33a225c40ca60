"""`mgraph frameworks`: the bundled frameworks and their sizes."""
from __future__ import annotations

import click

from maturity_graph import load_catalogue

from ..options import emit, format_option
from ..render.json import envelope
from ..render.table import table

COLUMNS = ["id", "version", "label", "dimensions", "capabilities", "stages", "criteria", "requirements", "license"]


@click.command("frameworks")
@format_option(["table", "json"], "table")
def frameworks_command(fmt: str) -> int:
    """List the bundled frameworks with their counts."""
    catalogue = load_catalogue()
    rows = []
    for fw_id in catalogue.ids():
        fw = catalogue.get(fw_id)
        counts = catalogue.counts(fw)
        rows.append({
            "id": fw.id, "version": fw.version, "label": fw.label, "dimensions": counts.dimensions,
            "capabilities": counts.capabilities, "stages": counts.stages, "criteria": counts.criteria,
            "requirements": counts.requirements, "license": fw.license,
        })
    if fmt == "json":
        emit(envelope("ok", rows), None)
    else:
        emit(table([c.upper() for c in COLUMNS], [[r[c] for c in COLUMNS] for r in rows]).encode(), None)
    return 0
