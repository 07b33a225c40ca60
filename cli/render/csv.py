"""CSV output for spreadsheets; a cell a spreadsheet would run as a formula gets a leading '."""
from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from maturity_graph import neutralise_formula


def csv_bytes(headers: Sequence[str], rows: Sequence[Sequence[object]], *, raw_cells: bool = False) -> bytes:
    """UTF-8 CSV, one line per row ending in \\n; unless `raw_cells`, formula-looking cells are neutralised."""
    def cell(value: object) -> str:
        text = "" if value is None else ("true" if value else "false") if isinstance(value, bool) else str(value)
        return text if raw_cells else neutralise_formula(text)

    # The writer quotes a cell only for the characters of its line terminator, so it is given \r\n
    # (a cell holding a bare \r is quoted too) and each row's terminator is then cut back to \n.
    row_buffer = io.StringIO()
    writer = csv.writer(row_buffer, lineterminator="\r\n")
    lines = []
    for row in [headers, *rows]:
        row_buffer.seek(0)
        row_buffer.truncate()
        writer.writerow([cell(c) for c in row])
        lines.append(row_buffer.getvalue()[:-2] + "\n")
    return "".join(lines).encode("utf-8", "backslashreplace")  # a lone surrogate cannot be UTF-8
