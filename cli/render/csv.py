"""CSV output for spreadsheets."""
from __future__ import annotations

import csv
import io
from collections.abc import Sequence


def csv_bytes(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if c is None else str(c) for c in row])
    return buffer.getvalue().encode("utf-8")
