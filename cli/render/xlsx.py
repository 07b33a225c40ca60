"""Excel output: one sheet per table, with a frozen bold header, a filter and widths that fit the text."""
from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from maturity_graph import workbook_bytes

MAX_WIDTH = 60


def _shown(value: object) -> object:
    """What a cell holds: numbers as numbers, true/false and everything else as text."""
    if value is None or isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def xlsx_bytes(sheets: Sequence[tuple[str, Sequence[str], Sequence[Sequence[object]]]]) -> bytes:
    """A workbook of (title, headers, rows) sheets. Every text cell is typed as text, so a cell whose evidence
    text starts with = is shown, never run as a formula."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, headers, rows in sheets:
        ws = wb.create_sheet(title)
        shown = [[_shown(v) for v in row] for row in rows]
        widths = [len(h) for h in headers]
        for row in shown:
            widths = [max(w, min(MAX_WIDTH, len(str(v or "")))) for w, v in zip(widths, row, strict=True)]
        for index, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(index)].width = width + 2
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(shown) + 1}"
        ws.append([_cell(ws, h, font=bold) for h in headers])
        for row in shown:
            ws.append([_cell(ws, v) for v in row])
    return workbook_bytes(wb)


def _cell(ws: object, value: object, *, font: object = None) -> object:
    from openpyxl.cell import WriteOnlyCell

    written = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        written.data_type = "s"  # text, even when it starts with =: shown, never run
    if font is not None:
        written.font = font
    return written
