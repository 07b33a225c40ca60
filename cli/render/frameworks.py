"""The bundled frameworks with their sizes: what `mgraph frameworks` lists."""
from __future__ import annotations

from typing import Any

from maturity_graph import Catalogue

from .json import envelope
from .registry import RENDERERS, Kind, Options
from .table import table

COLUMNS = ["id", "version", "label", "dimensions", "capabilities", "stages", "criteria", "requirements", "license"]


def framework_rows(catalogue: Catalogue) -> list[dict[str, Any]]:
    rows = []
    for fw_id in catalogue.ids():
        fw = catalogue.get(fw_id)
        counts = catalogue.counts(fw)
        rows.append({
            "id": fw.id, "version": fw.version, "label": fw.label, "dimensions": counts.dimensions,
            "capabilities": counts.capabilities, "stages": counts.stages, "criteria": counts.criteria,
            "requirements": counts.requirements, "license": fw.license,
        })
    return rows


@RENDERERS.register(Kind.FRAMEWORKS, "table")
def _table(catalogue: Catalogue, options: Options) -> bytes:
    return table([c.upper() for c in COLUMNS], [[r[c] for c in COLUMNS] for r in framework_rows(catalogue)]).encode()


@RENDERERS.register(Kind.FRAMEWORKS, "json")
def _json(catalogue: Catalogue, options: Options) -> bytes:
    return envelope("ok", framework_rows(catalogue))
