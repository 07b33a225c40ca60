"""Exporting mappings in the formats other tools read; one module per format behind interface.py.

`EXPORTERS` is the registry: the CLI builds its `--format` choice from it, so a new format is a
new module and one entry here.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import IO

from ..catalogue import Catalogue, Framework, load_catalogue
from ..crosswalk.model import Mapping
from ..errors import InputError
from .csv import CSVExporter
from .interface import ExportContext, Exporter
from .oscal import OSCALExporter
from .rdf import JSONLDExporter, TurtleExporter
from .sssom import SSSOMExporter

EXPORTERS: dict[str, Exporter] = {
    exporter.name: exporter
    for exporter in (SSSOMExporter(), OSCALExporter(), CSVExporter(), TurtleExporter(), JSONLDExporter())
}


def get_exporter(fmt: str) -> Exporter:
    try:
        return EXPORTERS[fmt]
    except KeyError:
        raise InputError(f"unknown export format {fmt!r}; use one of {', '.join(EXPORTERS)}") from None


def export_context(
    *,
    source_framework: str | Framework,
    target_framework: str | Framework,
    catalogue: Catalogue | None = None,
    title: str | None = None,
    raw_cells: bool = False,
) -> ExportContext:
    catalogue = catalogue or load_catalogue()

    def resolve(fw: str | Framework) -> Framework:
        return catalogue.get(fw) if isinstance(fw, str) else fw

    return ExportContext(resolve(source_framework), resolve(target_framework), catalogue, title=title,
                         raw_cells=raw_cells)


def export(
    mappings: Iterable[Mapping],
    fmt: str,
    stream: IO[str] | IO[bytes],
    *,
    source_framework: str | Framework,
    target_framework: str | Framework,
    catalogue: Catalogue | None = None,
    title: str | None = None,
    raw_cells: bool = False,
) -> None:
    """Write `mappings` between two frameworks to `stream` (text or binary) in format `fmt`.

    CSV cells a spreadsheet would run as formulas get a leading ' unless `raw_cells` (formulas.py)."""
    exporter = get_exporter(fmt)
    context = export_context(
        source_framework=source_framework, target_framework=target_framework, catalogue=catalogue, title=title,
        raw_cells=raw_cells,
    )
    exporter.write(list(mappings), stream, context=context)


__all__ = ["EXPORTERS", "ExportContext", "Exporter", "export", "export_context", "get_exporter"]
