"""The spreadsheet loop: a fill-in template per framework, and its import as an evidence graph.

Most organisations keep evidence in a spreadsheet. The template lists one requirement per row;
the person who fills it sets a status, a date, a link and their name. Import checks every row
and reports every problem at once, so a sheet is fixed in one pass rather than one error a run.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import itertools
import logging
import math
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV

from ..catalogue import Catalogue, Framework, RequirementRow, load_catalogue
from ..errors import InputError, MaturityGraphError, UnknownFrameworkError
from ..inputs import MIB, read_input, size_limit
from ..namespaces import EV
from ..progress import EVERY, Progress
from .freshness import warn_about_dates
from .workbook import EXCEL_LAST_ROW, column_letter

log = logging.getLogger(__name__)

COLUMNS = (
    "framework",
    "dimension",
    "capability",
    "stage",
    "requirement_id",
    "requirement",
    "measure",
    "status",
    "value",
    "evidence_link",
    "date",
    "attester",
    "notes",
)
# dimension, capability, stage, requirement and measure only help the reader; value,
# evidence_link, attester and notes may be dropped by a user who never fills them.
REQUIRED_COLUMNS = ("framework", "requirement_id", "status", "date")

STATUSES: dict[str, URIRef] = {
    "met": EV.Met,
    "not_met": EV.NotMet,
    "not_applicable": EV.NotApplicable,
    "unknown": EV.Unknown,
}
STATUS_MEANINGS = {
    "met": "the requirement is met; counts only with an evidence link and an attester",
    "not_met": "the requirement is not met",
    "not_applicable": "the requirement does not apply; give the reason in notes, and an attester",
    "unknown": "nobody knows yet; counts as not met",
}

SHEET_NAME = "evidence"
ABOUT_SHEET_NAME = "about"
IRI_PREFIX = "urn:maturity-graph:sheet:"

Cell = str | dt.date | dt.datetime

_DATE_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
# Plain decimal notation only: "1e-999999999" would be a billion digits once written as xsd:decimal.
_DECIMAL_TEXT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)", re.ASCII)
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]+", re.ASCII)
_NEEDS_HOST = {"http", "https", "ftp", "ftps", "s3", "gs", "ssh", "sftp"}
# Fixed timestamps inside the workbook, so the same rows always give the same bytes.
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_FIXED_DOC_TIME = dt.datetime(2000, 1, 1)


# --------------------------------------------------------------------------- template


def template_rows(framework: str | Framework, *, catalogue: Catalogue | None = None) -> list[dict[str, str]]:
    """One empty evidence row per requirement of a framework, in the framework's reading order."""
    catalogue = catalogue or load_catalogue()
    fw = framework if isinstance(framework, Framework) else catalogue.get(framework)
    return [
        {
            "framework": fw.id,
            "dimension": row.place.dimension_label,
            "capability": row.place.capability_label,
            "stage": row.stage_label,
            "requirement_id": row.id,
            "requirement": row.text,
            "measure": _measure_text(row),
            "status": "",
            "value": "",
            "evidence_link": "",
            "date": "",
            "attester": "",
            "notes": "",
        }
        for row in catalogue.requirement_rows(fw)
    ]


def _measure_text(row: RequirementRow) -> str:
    """What a measured requirement asks for, so the person filling the sheet knows what value to give."""
    if not row.measured:
        return ""
    what = row.measure_label or str(row.measure)
    if row.population is not None:
        what += f" of {row.population_label or row.population}"
    if row.threshold_default is not None:
        what += f"; a ratio from 0 to 1, at least {row.threshold_default}"
    return what


def write_template_csv(rows: Iterable[Mapping[str, str]], stream: BinaryIO) -> None:
    """UTF-8 CSV, header first; spreadsheet programs and scripts both read it."""
    text = io.TextIOWrapper(stream, encoding="utf-8", newline="", write_through=True)
    try:
        writer = csv.DictWriter(text, fieldnames=COLUMNS, extrasaction="ignore", lineterminator="\r\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in COLUMNS})
        text.flush()
    finally:
        text.detach()  # leave the caller's stream open


_WIDTHS = {
    "framework": 11,
    "dimension": 28,
    "capability": 30,
    "stage": 22,
    "requirement_id": 18,
    "requirement": 70,
    "measure": 40,
    "status": 16,
    "value": 10,
    "evidence_link": 45,
    "date": 12,
    "attester": 22,
    "notes": 45,
}


def write_template_xlsx(rows: Iterable[Mapping[str, str]], stream: BinaryIO) -> None:
    """An Excel workbook: the rows to fill with a status dropdown, and a sheet saying how to fill them."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.worksheet import Worksheet

    rows = list(rows)
    wb = Workbook()
    wb.properties.creator = "maturity-graph"
    wb.properties.created = _FIXED_DOC_TIME
    ws = wb.active
    assert isinstance(ws, Worksheet)  # a new workbook's one sheet
    ws.title = SHEET_NAME
    ws.append(list(COLUMNS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    for row in rows:
        ws.append([row.get(c, "") or None for c in COLUMNS])
    last = max(len(rows) + 1, 2)
    wrap = Alignment(wrap_text=True, vertical="top")
    for index, name in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = _WIDTHS[name]
        if name == "date":
            for (cell,) in ws.iter_rows(min_row=2, max_row=last, min_col=index, max_col=index):
                cell.number_format = "yyyy-mm-dd"
        if name == "requirement":
            for (cell,) in ws.iter_rows(min_row=2, max_row=len(rows) + 1, min_col=index, max_col=index):
                cell.alignment = wrap
    status_col = get_column_letter(COLUMNS.index("status") + 1)
    dropdown = DataValidation(
        type="list",
        formula1='"' + ",".join(STATUSES) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="status",
        error="Choose met, not_met, not_applicable or unknown.",
    )
    dropdown.add(f"{status_col}2:{status_col}{last}")
    ws.add_data_validation(dropdown)
    if rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{last}"

    about = wb.create_sheet(ABOUT_SHEET_NAME)
    about.column_dimensions["A"].width = 110
    for line in _about_lines(rows):
        about.append([line])
    about["A1"].font = Font(bold=True)

    buffer = io.BytesIO()
    wb.save(buffer)
    stream.write(_normalise_zip(buffer.getvalue()))


def _about_lines(rows: list[Mapping[str, str]]) -> list[str]:
    catalogue = load_catalogue()
    frameworks = []
    for fw_id in dict.fromkeys(r.get("framework", "") for r in rows):
        try:
            frameworks.append(catalogue.get(fw_id))
        except UnknownFrameworkError:
            continue
    lines = ["How to fill in this evidence sheet", ""]
    for fw in frameworks:
        lines += [
            f"Framework: {fw.label} (id {fw.id}, version {fw.version})",
            f"Licence of the requirement text: {fw.license or 'see the framework source'}",
            f"Publisher: {fw.publisher or 'unknown'}",
            "",
        ]
    lines += [
        "Fill one row per requirement in the sheet 'evidence'. Leave rows you have not assessed empty.",
        "Do not change the framework or requirement_id columns; the other descriptive columns are for reading only.",
        "",
        "status, one of:",
        *(f"  {name}: {meaning}" for name, meaning in STATUS_MEANINGS.items()),
        "",
        "A met row counts only with an evidence link (an absolute link such as https://..., file://... or s3://...) "
        "and an attester.",
        "A not_applicable row needs the reason in notes, and an attester.",
        "date: the day the evidence was produced or last confirmed, written YYYY-MM-DD (for example 2026-03-31).",
        "Every row with a status other than unknown needs a date.",
        "attester: the name of the person who stands behind the row.",
    ]
    return lines


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite a workbook with fixed timestamps, so the same rows always give the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>2000-01-01T00:00:00Z\g<2>",
                    content,
                )
            entry = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            target.writestr(entry, content)
    return out.getvalue()


TEMPLATE_WRITERS: dict[str, Callable[[Iterable[Mapping[str, str]], BinaryIO], None]] = {
    "csv": write_template_csv,
    "xlsx": write_template_xlsx,
}


# --------------------------------------------------------------------------- reading

# Limits on a sheet; each one breached is an InputError naming the file and the limit.
# The file itself (MGRAPH_MAX_INPUT_MB raises it): a filled template of 10,000 rows is 2 to 3 MiB
# of CSV or 1 MiB of xlsx, so 32 MiB leaves room for long notes.
MAX_SHEET_BYTES = 32 * MIB
# Rows holding something, below the header: the five bundled frameworks have about 750
# requirements together, so this is a dozen dated rounds of all of them in one sheet.
MAX_SHEET_ROWS = 10_000
# Named columns: the template has 13; the rest of a wide sheet is the user's own notes.
MAX_SHEET_COLUMNS = 100
# Excel's own limit on the text of one cell.
MAX_CELL_CHARS = 32_767
# Columns whose cells must hold typed values: a formula's result is whatever Excel last cached,
# and a file written by a script has no cached result at all, so a status would read as blank.
NO_FORMULA_COLUMNS = ("status", "date", "value", "evidence_link")


@dataclass(frozen=True)
class SheetRows:
    """A sheet as read: normalised column names, and the rows below the header that hold something.

    numbers[i] is the row number the user sees for rows[i] (the header is row 1); blank rows are
    left out. Cells are text, or dates where the workbook stores real dates.
    """

    columns: tuple[str, ...]
    rows: tuple[dict[str, Cell], ...]
    numbers: tuple[int, ...] = ()

    def number(self, index: int) -> int:
        return self.numbers[index] if self.numbers else index + 2


def _column_name(value: object) -> str:
    return re.sub(r"[\s-]+", "_", str(value if value is not None else "").strip().lower())


def _to_sheet(records: Iterable[tuple[int, Sequence[Cell]]], path: str | Path,
              progress: Progress | None = None) -> SheetRows:
    """Name the columns from the header row and keep the rows below it that hold something, within the limits."""
    records = iter(records)
    first = next(records, None)
    header = list(first[1]) if first is not None and first[0] == 1 else []
    while header and _blank(header[-1]):
        header.pop()
    if not header:
        raise InputError("the sheet is empty; row 1 must hold the column names", path=path, line=1)
    if len(header) > MAX_SHEET_COLUMNS:
        raise InputError(
            f"the header row names a column in {column_letter(len(header))}, past the limit of {MAX_SHEET_COLUMNS} "
            f"columns; delete the unused columns", path=path, line=1)
    columns = tuple(_column_name(c) for c in header)
    _refuse_duplicate_columns(columns, path)
    _refuse_long_cells(1, header, path)
    rows: list[dict[str, Cell]] = []
    numbers: list[int] = []
    for number, record in records:
        if number > EXCEL_LAST_ROW:
            raise InputError(f"the sheet has more than {EXCEL_LAST_ROW:,} rows, Excel's limit", path=path,
                             line=number)
        record = record[: len(columns)]
        if all(_blank(c) for c in record):
            continue
        if len(rows) == MAX_SHEET_ROWS:
            raise InputError(
                f"the sheet has more than {MAX_SHEET_ROWS:,} filled rows, the limit for one sheet; "
                "split it into several files", path=path, line=number)
        _refuse_long_cells(number, record, path)
        row: dict[str, Cell] = {name: "" for name in columns if name}
        for name, value in zip(columns, record, strict=False):  # a record may stop short
            if name:
                row[name] = value
        rows.append(row)
        numbers.append(number)
        if progress is not None and len(rows) % EVERY == 0:
            progress(len(rows), None)
    if progress is not None:
        progress(len(rows), None)
    return SheetRows(columns=columns, rows=tuple(rows), numbers=tuple(numbers))


def _refuse_duplicate_columns(columns: tuple[str, ...], path: str | Path) -> None:
    """A column the importer reads, named twice: which one holds the value? Refuse rather than pick one."""
    for name in COLUMNS:
        places = [column_letter(i + 1) for i, c in enumerate(columns) if c == name]
        if len(places) > 1:
            raise InputError(
                f"the header names the column {name} {len(places)} times ({', '.join(places)}); "
                "keep one and rename or delete the others", path=path, line=1)


def _refuse_long_cells(number: int, record: Sequence[Cell], path: str | Path) -> None:
    for index, value in enumerate(record):
        if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
            raise InputError(
                f"cell {column_letter(index + 1)}{number} holds {len(value):,} characters, over the limit of "
                f"{MAX_CELL_CHARS:,} (Excel's own); link to long text instead", path=path, line=number)


def _read(path: str | Path) -> bytes:
    return read_input(path, limit=size_limit(MAX_SHEET_BYTES), what="an evidence sheet")


def _blank(value: Cell) -> bool:
    return isinstance(value, str) and not value.strip()


def read_csv_rows(path: str | Path, *, data: bytes | None = None, progress: Progress | None = None) -> SheetRows:
    """Read a CSV sheet (UTF-8, with or without a byte-order mark)."""
    data = _read(path) if data is None else data
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise InputError(
            f"the file is not UTF-8 text (byte {err.start}); save it as 'CSV UTF-8'", path=path, line=line
        ) from err
    reader = csv.reader(io.StringIO(text, newline=""), strict=False)

    def records() -> Iterator[tuple[int, list[str]]]:
        number = 0
        try:
            for number, record in enumerate(reader, start=1):
                yield number, record
        except csv.Error as err:
            problem = str(err)
            if "field larger than field limit" in problem:
                problem = f"a cell is over the limit of {MAX_CELL_CHARS:,} characters"
            raise InputError(f"the CSV cannot be read after row {number}: {problem}", path=path,
                             line=number + 1) from None

    return _to_sheet(records(), path, progress)


def read_xlsx_rows(path: str | Path, *, data: bytes | None = None, progress: Progress | None = None) -> SheetRows:
    """Read the sheet named 'evidence' of an Excel workbook, or its first worksheet.

    Cells holding formulas are refused in the status, date, value and evidence_link columns;
    elsewhere they give the value Excel cached for them.
    """
    from .workbook import open_worksheet, read_error

    data = _read(path) if data is None else data
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise InputError("the file is not an Excel workbook (.xlsx); save it as an Excel workbook or as CSV", path=path)
    with open_worksheet(data, path=path, prefer=SHEET_NAME) as ws:
        try:
            header = [_xlsx_cell(v) for _, values in ws.rows(first=1, last=1) for v in values]
            while header and _blank(header[-1]):
                header.pop()
            width = min(len(header), MAX_SHEET_COLUMNS + 1)
            rows = ((n, [_xlsx_cell(v) for v in values])
                    for n, values in ws.rows(first=2, width=max(width, 1), skip_blank=True))
            sheet = _to_sheet(itertools.chain([(1, header)], rows), path, progress)
        except MaturityGraphError:
            raise
        except Exception as err:  # openpyxl raises many kinds of error on a damaged sheet
            raise read_error(err, path=path) from None
    _refuse_formulas(sheet, ws.scan.formulas, path)
    return sheet


def _refuse_formulas(sheet: SheetRows, formulas: Mapping[tuple[int, int], str], path: str | Path) -> None:
    guarded = {i + 1: name for i, name in enumerate(sheet.columns) if name in NO_FORMULA_COLUMNS}
    found = sorted((row, column) for row, column in formulas if row > 1 and column in guarded)
    if not found:
        return
    row, column = found[0]
    cells = ", ".join(f"{column_letter(c)}{r}" for r, c in found[:5])
    cells += f" and {len(found) - 5} more" if len(found) > 5 else ""
    raise InputError(
        f"cell {column_letter(column)}{row} ({guarded[column]}) holds a formula (={formulas[(row, column)]}); "
        f"the importer reads typed values only, in {', '.join(NO_FORMULA_COLUMNS)}: replace the formulas in "
        f"{cells} by their values (Paste Special > Values)", path=path, line=row)


def _xlsx_cell(value: object) -> Cell:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time(0) else value
    if isinstance(value, (dt.date, str)):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        if math.isfinite(value):
            return format(Decimal(repr(value)), "f")
    return str(value)


SHEET_READERS: dict[str, Callable[..., SheetRows]] = {
    ".csv": read_csv_rows,
    ".xlsx": read_xlsx_rows,
}


# --------------------------------------------------------------------------- import


@dataclass(frozen=True)
class _Entry:
    """One filled-in row, checked."""

    number: int
    requirement: RequirementRow
    status: str
    date: dt.date
    link: str | None
    attester: str | None
    note: str | None
    value: Decimal | None = None


def import_sheet(
    path: str | Path,
    *,
    catalogue: Catalogue | None = None,
    organisation: str | None = None,
    assessment_date: dt.date | None = None,
    progress: Progress | None = None,
) -> Graph:
    """Read a filled-in evidence sheet into an evidence graph; raise one InputError listing every bad row.

    The same file always gives the same graph with the same IRIs, so re-importing is harmless.
    ``progress(rows, None)`` is called as filled rows are read (an xlsx sheet is read row by row, by
    openpyxl in read-only mode); a sheet is bounded by MAX_SHEET_BYTES and MAX_SHEET_ROWS.
    """
    catalogue = catalogue or load_catalogue()
    path = Path(path)
    reader = SHEET_READERS.get(path.suffix.lower())
    if reader is None:
        raise InputError(
            f"cannot read a {path.suffix or 'suffix-less'} file as an evidence sheet; "
            f"supported suffixes: {', '.join(SHEET_READERS)}",
            path=path,
        )
    data = _read(path)
    sheet = reader(path, data=data, progress=progress)
    missing = [c for c in REQUIRED_COLUMNS if c not in sheet.columns]
    if missing:
        raise InputError(
            f"the header row lacks the column{'s' if len(missing) > 1 else ''} {', '.join(missing)}; "
            f"expected {', '.join(COLUMNS)}",
            path=path,
            line=1,
        )
    entries, frameworks, problems = _check_rows(sheet, catalogue)
    if problems:
        bad_rows = sorted({n for n, _ in problems})
        listing = "; ".join(f"row {n}: {message}" for n, message in problems)
        raise InputError(
            f"{len(bad_rows)} bad row{'s' if len(bad_rows) > 1 else ''}: {listing}",
            path=path,
            line=bad_rows[0],
        )
    if assessment_date is None:
        if not entries:
            raise InputError(
                "no row has a status and a date, so the assessment has no date; fill in at least one row",
                path=path,
            )
        assessment_date = max(e.date for e in entries)
    digest = hashlib.sha256(data).hexdigest()[:16]
    graph = _to_graph(entries, frameworks, Namespace(f"{IRI_PREFIX}{digest}:"), path.name, organisation,
                      assessment_date)
    warn_about_dates(graph, source_of=lambda _: str(path))
    log.debug("imported %s: %d attestations", path, len(entries))
    return graph


def _check_rows(sheet: SheetRows, catalogue: Catalogue) -> tuple[list[_Entry], list[Framework], list[tuple[int, str]]]:
    entries: list[_Entry] = []
    frameworks: dict[str, Framework] = {}
    problems: list[tuple[int, str]] = []
    seen: dict[tuple[URIRef, dt.date], tuple[str, int]] = {}
    ids: dict[str, dict[str, RequirementRow]] = {}
    for index, row in enumerate(sheet.rows):
        number = sheet.number(index)
        if all(_blank(v) for v in row.values()):
            continue
        row_problems: list[str] = []
        status = _status(row.get("status", ""), row_problems)
        date = _date(row.get("date", ""), row_problems)
        details = [c for c in ("value", "evidence_link", "attester", "notes") if not _blank(row.get(c, ""))]
        if status is None and date is None and details and not row_problems:
            problems.append((number, f"{', '.join(details)} filled in but no status or date: "
                                     "set both, or clear the row so nothing is lost silently"))
            continue
        if status in (None, "unknown") and date is None and not row_problems:
            # an untouched template row: skipped, but it still says which framework is in scope
            fw = _framework(row.get("framework", ""), catalogue, [])
            if fw is not None:
                frameworks.setdefault(fw.id, fw)
            continue
        fw = _framework(row.get("framework", ""), catalogue, row_problems)
        if fw is not None:
            frameworks.setdefault(fw.id, fw)
        status = status or "unknown"
        if date is None and not _bad_date(row.get("date", "")):
            row_problems.append(f"status {status} needs a date written YYYY-MM-DD")
        requirement = None
        req_id = _text(row.get("requirement_id", ""))
        if not req_id:
            row_problems.append("requirement_id is blank")
        elif fw is not None:
            by_id = ids.setdefault(fw.id, {r.id.upper(): r for r in catalogue.requirement_rows(fw)})
            requirement = by_id.get(req_id.upper())
            if requirement is None:
                row_problems.append(f"requirement id {_quote(req_id)} is not a requirement of framework {fw.id}")
        value = _value(row.get("value", ""), requirement, row_problems)
        link = _text(row.get("evidence_link", "")) or None
        if link is not None and not _is_absolute_uri(link):
            row_problems.append(
                f"evidence link {_quote(link)} is not an absolute link with a scheme and no spaces "
                "(like https://wiki.example.com/policy)"
            )
        if requirement is not None and date is not None:
            earlier = seen.get((requirement.requirement, date))
            if earlier is not None and earlier[0] != status:
                row_problems.append(
                    f"{requirement.id} on {date.isoformat()} is {status} here but {earlier[0]} in row {earlier[1]}"
                )
            seen.setdefault((requirement.requirement, date), (status, number))
        if row_problems:
            problems.extend((number, p) for p in row_problems)
            continue
        # a row without a requirement or a date has a problem noted above
        assert requirement is not None and date is not None
        entries.append(
            _Entry(
                number=number,
                requirement=requirement,
                status=status,
                date=date,
                link=link,
                attester=_text(row.get("attester", "")) or None,
                note=_text(row.get("notes", "")) or None,
                value=value,
            )
        )
    return entries, list(frameworks.values()), problems


def _text(value: Cell) -> str:
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value.strip()


def _quote(value: str) -> str:
    shown = value if len(value) <= 60 else value[:57] + "..."
    return '"' + shown.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


def _framework(value: Cell, catalogue: Catalogue, problems: list[str]) -> Framework | None:
    text = _text(value)
    if not text:
        problems.append("framework is blank")
        return None
    try:
        return catalogue.get(text)
    except UnknownFrameworkError:
        problems.append(f"framework {_quote(text)} is not one of {', '.join(catalogue.ids())}")
        return None


def _status(value: Cell, problems: list[str]) -> str | None:
    text = _text(value)
    if not text:
        return None
    key = re.sub(r"[-\s]", "_", text.lower())
    if key in STATUSES:
        return key
    problems.append(f"status {_quote(text)} is not one of {', '.join(STATUSES)}")
    return None


def _value(cell: Cell, requirement: RequirementRow | None, problems: list[str]) -> Decimal | None:
    """A measured ratio: 0.95 or 95%; only for requirements that ask for a measurement."""
    text = _text(cell)
    if not text:
        return None
    if requirement is not None and not requirement.measured:
        problems.append(f"{requirement.id} takes no measured value, but the value column holds {_quote(text)}")
        return None
    percent = text.endswith("%")
    digits = text.rstrip("%").strip()
    if not _DECIMAL_TEXT.fullmatch(digits):
        problems.append(f"value {_quote(text)} is not a number (write a ratio like 0.95 or a percentage like 95%)")
        return None
    number = Decimal(digits)
    if percent:
        number = number / 100
    if not number.is_finite() or not 0 <= number <= 1:
        problems.append(f"value {_quote(text)} is not a ratio between 0 and 1 (or 0% to 100%)")
        return None
    return number


def _bad_date(value: Cell) -> bool:
    return not isinstance(value, dt.date) and bool(_text(value))


def _date(value: Cell, problems: list[str]) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    if not text:
        return None
    if _DATE_TEXT.fullmatch(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    problems.append(f"date {_quote(text)} is not a date written YYYY-MM-DD")
    return None


def _is_absolute_uri(link: str) -> bool:
    if any(ch.isspace() or ord(ch) < 0x20 or ch in '<>"{}|\\^`' for ch in link):
        return False
    scheme, sep, rest = link.partition(":")
    if not sep or not rest or not _SCHEME.fullmatch(scheme):
        return False
    try:
        parts = urlsplit(link)
    except ValueError:
        return False
    if scheme.lower() in _NEEDS_HOST and not parts.netloc:
        return False
    return True


def _slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")[:40].strip("-")
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
    return f"{slug}-{digest}" if slug else digest


def _to_graph(
    entries: list[_Entry],
    frameworks: list[Framework],
    base: Namespace,
    source: str,
    organisation: str | None,
    assessment_date: dt.date,
) -> Graph:
    graph = Graph()
    for prefix, ns in (("ev", EV._NS), ("prov", PROV), ("xsd", XSD), ("rdfs", RDFS), ("dcterms", DCTERMS)):
        graph.bind(prefix, ns)
    for fw in frameworks:
        graph.bind(fw.id, Namespace(str(fw.iri).rsplit("/", 1)[0] + "/"))

    assessment = base["assessment"]
    graph.add((assessment, RDF.type, EV.Assessment))
    graph.add((assessment, RDFS.label, Literal(f"Assessment imported from {source}")))
    graph.add((assessment, EV.assessmentDate, Literal(assessment_date.isoformat(), datatype=XSD.date)))
    graph.add((assessment, DCTERMS.source, Literal(source)))
    for fw in sorted(frameworks, key=lambda f: f.id):
        graph.add((assessment, EV.framework, fw.iri))
    if organisation and organisation.strip():
        org = base["organisation"]
        graph.add((org, RDF.type, PROV.Organization))
        graph.add((org, RDFS.label, Literal(organisation.strip())))
        graph.add((assessment, EV.organisation, org))

    for entry in entries:
        node = base[f"row-{entry.number}"]
        measured = entry.value is not None
        graph.add((node, RDF.type, EV.Observation if measured else EV.Attestation))
        if measured:
            assert entry.requirement.measure is not None  # _value takes a value only for a measured requirement
            graph.add((node, EV.measure, entry.requirement.measure))
            if entry.requirement.population is not None:
                graph.add((node, EV.population, entry.requirement.population))
            graph.add((node, EV.value, Literal(format(entry.value, "f"), datatype=XSD.decimal)))
        graph.add((node, RDFS.label, Literal(f"{entry.requirement.id} (row {entry.number})")))
        graph.add((node, EV.inAssessment, assessment))
        graph.add((node, EV.addresses, entry.requirement.requirement))
        graph.add((node, EV.status, STATUSES[entry.status]))
        graph.add((node, EV.date, Literal(entry.date.isoformat(), datatype=XSD.date)))
        if entry.link:
            graph.add((node, EV.artifact, Literal(entry.link, datatype=XSD.anyURI)))
        if entry.note:
            graph.add((node, EV.note, Literal(entry.note)))
        if entry.attester:
            person = base[f"attester-{_slug(entry.attester)}"]
            graph.add((person, RDF.type, PROV.Person))
            graph.add((person, RDFS.label, Literal(entry.attester)))
            graph.add((node, PROV.wasAttributedTo, person))
    return graph
