"""CSV export: one row per mapping, with the labels and frameworks of both elements.

Cells that a spreadsheet would run as a formula get a leading ' (see formulas.py) unless the
export context asks for raw cells.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import TextIO

from ..crosswalk.model import Mapping
from .formulas import neutralise_formula
from .interface import ExportContext, Exporter

CSV_COLUMNS = (
    "subject_id",
    "subject_label",
    "subject_framework",
    "relation",
    "object_id",
    "object_label",
    "object_framework",
    "strength",
    "confidence",
    "rationale",
    "review_status",
    "justification",
    "author",
    "reviewer",
    "mapping_date",
    "comment",
)


def to_csv_rows(mappings: Sequence[Mapping], *, context: ExportContext) -> list[dict[str, str]]:
    """One dict per mapping keyed by CSV_COLUMNS; several possible relations are joined by '|'."""
    rows = []
    for m in mappings:
        subject_fw, object_fw = context.framework_of(m.subject), context.framework_of(m.object)
        rows.append(
            {
                "subject_id": context.curie(m.subject),
                "subject_label": context.label(m.subject) or "",
                "subject_framework": subject_fw.ref if subject_fw else "",
                "relation": "|".join(sorted(r.value for r in m.relations)),
                "object_id": context.curie(m.object),
                "object_label": context.label(m.object) or "",
                "object_framework": object_fw.ref if object_fw else "",
                "strength": "" if m.strength is None else str(m.strength),
                "confidence": "" if m.confidence is None else repr(float(m.confidence)),
                "rationale": m.rationale or "",
                "review_status": m.review_status,
                "justification": m.justification,
                "author": "|".join(m.author),
                "reviewer": "|".join(m.reviewer),
                "mapping_date": m.date.isoformat() if m.date else "",
                "comment": m.comment or "",
            }
        )
    return sorted(rows, key=lambda row: tuple(row[c] for c in CSV_COLUMNS))


def write_csv(rows: Sequence[dict[str, str]], stream: TextIO, *, raw_cells: bool = False) -> None:
    writer = csv.DictWriter(stream, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    if not raw_cells:
        rows = [{k: neutralise_formula(v) for k, v in row.items()} for row in rows]
    writer.writerows(rows)


class CSVExporter(Exporter):
    name = "csv"
    media_type = "text/csv"
    suffix = ".csv"

    def render(self, mappings: Sequence[Mapping], *, context: ExportContext) -> str:
        buffer = io.StringIO()
        write_csv(to_csv_rows(mappings, context=context), buffer, raw_cells=context.raw_cells)
        return buffer.getvalue()
