"""Reading one sheet of an Excel workbook without letting the file decide how much work that is.

An .xlsx file is a zip of XML parts, and openpyxl trusts them: a styled blank cell at row
1,048,576 makes it build every cell above it; a 1 MB file can inflate a 1 GB string; cells
without a reference run on past the last column, and a row that repeats an earlier row number is
dropped without a word. So, before any value is read:

1. the zip's directory is checked: number of parts, the size each part declares (zipfile never
   inflates a part past its declared size, so the check holds before anything is inflated), and
   the compression ratio;
2. the chosen sheet's XML is scanned by expat: row and column numbers within Excel's grid and in
   order, a bounded number of cells, and where the formulas are;

and only then are the values read, by openpyxl in streaming mode with the sheet's own
<dimension> ignored. Formula cells give the value Excel cached for them; which columns may hold
formulas is the importer's business (spreadsheet.py).
"""
from __future__ import annotations

import io
import re
import warnings
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING
from xml.parsers import expat

from ..errors import InputError
from ..inputs import MIB

if TYPE_CHECKING:
    from openpyxl.chartsheet import Chartsheet

    # The stubs' type for a sheet of cells: a read-only workbook's sheets are ReadOnlyWorksheet, whose
    # stubbed iter_rows is declared on Worksheet, so only this blend of the two types the calls made here.
    from openpyxl.workbook.workbook import Workbook, _WorksheetLike

# Excel's own grid.
EXCEL_LAST_ROW = 1_048_576
EXCEL_LAST_COLUMN = 16_384
# A workbook has a dozen parts; even one with many sheets and pictures has a few hundred.
MAX_XLSX_ENTRIES = 1_000
# A template of 10,000 rows is about 5 MiB of sheet XML; no part of an evidence workbook
# needs more than 16 MiB, nor all parts together more than 64 MiB.
MAX_XLSX_PART_BYTES = 16 * MIB
MAX_XLSX_UNPACKED_BYTES = 64 * MIB
# Sheet XML compresses about 7 to 1; a part over 1 MiB compressed more than 100 to 1 is a bomb.
MAX_XLSX_RATIO = 100
_RATIO_FLOOR = 1 * MIB
# Rows and cells the sheet's XML may hold, filled or only formatted: a formatted area of 50,000
# rows, or 300,000 cells (10,000 rows of 30 columns). openpyxl reads about 50,000 cells a second,
# so these also bound the time a sheet takes to some seconds. Rows that are not in the XML at all
# (the gap up to a lone cell at row 1,048,576) cost next to nothing.
MAX_SHEET_XML_ROWS = 50_000
MAX_SHEET_CELLS = 300_000

_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_ROW, _CELL, _FORMULA = (f"{_MAIN_NS} {name}" for name in ("row", "c", "f"))
_REFERENCE = re.compile(r"([A-Z]{1,3})([0-9]{1,7})", re.ASCII)


@dataclass
class SheetScan:
    """What the expat pass over a sheet's XML found: the formulas, by (row, column), with their text."""

    formulas: dict[tuple[int, int], str] = field(default_factory=dict)


@dataclass
class _ScanState:
    """Where the expat pass is: the current row and column, the counts so far, the formula being read."""

    row: int = 0
    column: int = 0
    rows: int = 0
    cells: int = 0
    formula: tuple[int, int] | None = None
    text: list[str] = field(default_factory=list)


def column_letter(column: int) -> str:
    """1 -> A, 27 -> AA: how Excel names a column."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def check_zip(data: bytes, *, path: str | Path) -> None:
    """Refuse a workbook whose zip directory promises more than an evidence sheet can need."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as err:
        raise InputError(f"the file is not an Excel workbook that can be read ({err})", path=path) from None
    if len(entries) > MAX_XLSX_ENTRIES:
        raise InputError(
            f"the workbook holds {len(entries):,} parts, over the limit of {MAX_XLSX_ENTRIES:,}; "
            "save the evidence sheet on its own or as CSV", path=path)
    total = 0
    for entry in entries:
        size = entry.file_size
        total += size
        if size > MAX_XLSX_PART_BYTES:
            raise InputError(
                f"the workbook's part {entry.filename} unpacks to {size / MIB:,.0f} MiB, over the "
                f"{MAX_XLSX_PART_BYTES // MIB} MiB limit for one part (a decompression bomb, or far more "
                "than an evidence sheet); save the sheet as CSV", path=path)
        if size > _RATIO_FLOOR and size > MAX_XLSX_RATIO * max(entry.compress_size, 1):
            raise InputError(
                f"the workbook's part {entry.filename} is compressed {size // max(entry.compress_size, 1):,} to 1, "
                f"over the limit of {MAX_XLSX_RATIO} to 1: it looks like a decompression bomb", path=path)
    if total > MAX_XLSX_UNPACKED_BYTES:
        raise InputError(
            f"the workbook unpacks to {total / MIB:,.1f} MiB, over the {MAX_XLSX_UNPACKED_BYTES // MIB} MiB "
            "limit; save the evidence sheet on its own or as CSV", path=path)


def scan_sheet_xml(stream: IO[bytes] | io.BufferedIOBase, *, path: str | Path, sheet: str) -> SheetScan:
    """Check a sheet's XML with expat, streaming: grid bounds, order, cell count; note the formulas."""
    scan = SheetScan()
    state = _ScanState()

    def start(name: str, attrs: dict[str, str]) -> None:
        if name == _ROW:
            state.rows += 1
            if state.rows > MAX_SHEET_XML_ROWS:
                raise InputError(
                    f"sheet {sheet!r} holds more than {MAX_SHEET_XML_ROWS:,} rows (filled or only formatted); "
                    "delete the unused rows, or split the sheet", path=path)
            number = _row_number(attrs.get("r"), state.row + 1, path, sheet)
            if number <= state.row:
                raise InputError(
                    f"sheet {sheet!r} lists row {number} after row {state.row}; rows out of order would be "
                    "dropped: open the workbook in Excel and save it again", path=path, line=number)
            if number > EXCEL_LAST_ROW:
                raise InputError(f"sheet {sheet!r} has a row {number:,}, past Excel's last row "
                                 f"({EXCEL_LAST_ROW:,})", path=path, line=number)
            state.row, state.column = number, 0
        elif name == _CELL:
            state.cells += 1
            if state.cells > MAX_SHEET_CELLS:
                raise InputError(
                    f"sheet {sheet!r} holds more than {MAX_SHEET_CELLS:,} cells (filled or only formatted); "
                    "delete the unused rows and columns, or split the sheet", path=path)
            row, column = _cell_position(attrs.get("r"), state.row, state.column + 1, path, sheet)
            if row != state.row or column <= state.column:
                raise InputError(
                    f"sheet {sheet!r} has cell {attrs.get('r')} out of place (in row {state.row}, after column "
                    f"{column_letter(state.column) or 'none'}); open the workbook in Excel and save it again",
                    path=path, line=state.row or None)
            if column > EXCEL_LAST_COLUMN:
                raise InputError(f"sheet {sheet!r} has a cell past Excel's last column, XFD, in row {row}",
                                 path=path, line=row)
            state.column = column
        elif name == _FORMULA:
            state.formula, state.text = (state.row, state.column), []

    def end(name: str) -> None:
        if name == _FORMULA and state.formula is not None:
            scan.formulas[state.formula] = " ".join("".join(state.text).split())[:60]
            state.formula = None

    def text(data: str) -> None:
        if state.formula is not None and sum(map(len, state.text)) < 60:
            state.text.append(data)

    def refuse_doctype(*_: object) -> None:
        raise InputError(f"sheet {sheet!r} declares a DOCTYPE, which no workbook does", path=path)

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.StartDoctypeDeclHandler = refuse_doctype
    try:
        parser.ParseFile(stream)
    except expat.ExpatError as err:
        raise InputError(f"sheet {sheet!r} is not well-formed XML ({expat.errors.messages.get(err.code, err)})",
                         path=path) from None
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as err:
        raise InputError(f"sheet {sheet!r} cannot be unpacked ({err})", path=path) from None
    return scan


def _row_number(raw: str | None, default: int, path: str | Path, sheet: str) -> int:
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value.is_integer() or value < 1 or value > 2**53:
        raise InputError(f"sheet {sheet!r} has a row numbered {raw[:20]!r}", path=path)
    return int(value)


def _cell_position(raw: str | None, row: int, default_column: int, path: str | Path, sheet: str) -> tuple[int, int]:
    if raw is None:
        return row, default_column
    match = _REFERENCE.fullmatch(raw)
    if match is None:
        raise InputError(f"sheet {sheet!r} has a cell reference {raw[:20]!r} that is not like B7", path=path,
                         line=row or None)
    letters, digits = match.groups()
    column = 0
    for letter in letters:
        column = column * 26 + ord(letter) - ord("A") + 1
    return int(digits), column


@dataclass
class Worksheet:
    """One worksheet, checked: its rows come from rows()."""

    title: str
    scan: SheetScan
    _ws: _WorksheetLike

    def rows(self, *, first: int = 1, last: int | None = None, width: int | None = None,
             skip_blank: bool = False) -> Iterator[tuple[int, tuple[object, ...]]]:
        """(row number, values) from row `first`, each `width` cells wide when given.

        With skip_blank, rows without a value are left out; a gap of a million rows then costs
        a fraction of a second.
        """
        blank = (None,) * width if width else ()
        rows = self._ws.iter_rows(min_row=first, max_row=last, max_col=width, values_only=True)
        for number, values in enumerate(rows, start=first):
            if skip_blank and (not values or values == blank):
                continue
            yield number, tuple(values)


@contextmanager
def open_worksheet(data: bytes, *, path: str | Path, prefer: str) -> Iterator[Worksheet]:
    """The worksheet named `prefer` (else the first worksheet) of a workbook, checked, ready to read.

    Raises InputError for a file that is not a workbook, a bomb, a sheet that breaks the limits,
    or a chosen sheet that is a chart rather than a table of cells. openpyxl's warnings (styles
    and dates it cannot read) are silenced while the sheet is open: they would be lines on stderr.
    """
    from openpyxl import load_workbook

    check_zip(data, path=path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as err:  # openpyxl raises many kinds of error on a damaged file
            raise InputError(f"the file is not an Excel workbook that can be read ({_brief(err)})",
                             path=path) from None
        try:
            ws = _choose(wb, path=path, prefer=prefer)
            ws.reset_dimensions()  # a bogus <dimension> must not decide how far rows are read
            with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(_part_of(ws)) as stream:
                scan = scan_sheet_xml(stream, path=path, sheet=ws.title)
            yield Worksheet(ws.title, scan, ws)
        finally:
            wb.close()


def _choose(wb: Workbook, *, path: str | Path, prefer: str) -> _WorksheetLike:
    from openpyxl.chartsheet import Chartsheet

    if prefer in wb.sheetnames:
        sheet: _WorksheetLike | Chartsheet = wb[prefer]  # the stubs make every sheet a chart sheet too
        if isinstance(sheet, Chartsheet) or not hasattr(sheet, "iter_rows"):
            raise InputError(f"the sheet {prefer!r} is a chart, not a table of rows; "
                             "put the evidence rows in a worksheet", path=path)
        return sheet
    if not wb.worksheets:  # openpyxl lists chart sheets apart, in wb.chartsheets
        raise InputError("the workbook has no worksheet with rows (only charts); "
                         f"put the evidence rows in a worksheet named {prefer!r}", path=path)
    return wb.worksheets[0]


def _part_of(ws: object) -> str:
    """The zip part holding a read-only worksheet's XML (openpyxl keeps it as _worksheet_path)."""
    part = getattr(ws, "_worksheet_path", None)
    if not isinstance(part, str):
        raise RuntimeError("this openpyxl version does not say where a sheet's XML is; the importer needs openpyxl 3.1")
    return part


def _brief(err: BaseException) -> str:
    text = " ".join(str(err).split()) or type(err).__name__
    return text if len(text) <= 120 else text[:117] + "..."


def read_error(err: BaseException, *, path: str | Path) -> InputError:
    """An InputError for whatever openpyxl raised while reading a sheet already checked."""
    return InputError(f"the workbook cannot be read ({_brief(err)})", path=path)
