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
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO
from urllib.parse import urlsplit

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV

from ..catalogue import Catalogue, Framework, RequirementRow, load_catalogue
from ..errors import InputError, MaturityGraphError, RowErrors, UnknownFrameworkError
from ..inputs import MIB, read_input, size_limit
from ..namespaces import EV, MM
from ..progress import EVERY, Progress
from ..xlsx_bytes import workbook_bytes
from .freshness import FUTURE_GRACE_DAYS, plus_days, warn_about_dates
from .subjects import FRAMEWORK_KINDS, KINDS
from .workbook import EXCEL_LAST_ROW, column_letter

if TYPE_CHECKING:
    from openpyxl.worksheet.datavalidation import DataValidation

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
    "priority",
    "owner",
    "due_date",
    "effort",
    "subject",
    "subject_id",
)
# dimension, capability, stage, requirement and measure only help the reader; the other columns
# may be dropped by a user who never fills them. A sheet that plans work only (PLAN_COLUMNS) needs
# no status or date column.
REQUIRED_COLUMNS = ("framework", "requirement_id", "status", "date")
PLAN_COLUMNS = ("priority", "owner", "due_date", "effort")
LOWEST_PRIORITY = 5  # priority is a whole number from 1 (most urgent) to 5

STATUSES: dict[str, URIRef] = {
    "met": EV.Met,
    "not_met": EV.NotMet,
    "not_applicable": EV.NotApplicable,
    "unknown": EV.Unknown,
}
STATUS_MEANINGS = {
    "met": "the requirement is met; counts only with an evidence link and an attester (and, for a measured "
           "requirement, the measured value)",
    "not_met": "the requirement is not met",
    "not_applicable": "the requirement does not apply; give the reason in notes, and an attester",
    "unknown": "nobody knows yet; counts as not met",
}

SHEET_NAME = "evidence"
INSTRUCTIONS_SHEET_NAME = "instructions"
IRI_PREFIX = "urn:maturity-graph:sheet:"

Cell = str | dt.date | dt.datetime

_DATE_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
# Plain decimal notation only: "1e-999999999" would be a billion digits once written as xsd:decimal.
_DECIMAL_TEXT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)", re.ASCII)
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]+", re.ASCII)
_NEEDS_HOST = {"http", "https", "ftp", "ftps", "s3", "gs", "ssh", "sftp"}
# Fixed timestamps inside the workbook, so the same rows always give the same bytes.


# --------------------------------------------------------------------------- template


def template_rows(framework: str | Framework, *, catalogue: Catalogue | None = None) -> list[dict[str, str]]:
    """One empty evidence row per requirement of a framework, in the framework's reading order."""
    catalogue = catalogue or load_catalogue()
    fw = framework if isinstance(framework, Framework) else catalogue.get(framework)
    return [
        {
            **dict.fromkeys(COLUMNS, ""),
            "framework": fw.id,
            "dimension": row.place.dimension_label,
            "capability": row.place.capability_label,
            "stage": row.stage_label,
            "requirement_id": row.id,
            "requirement": row.text,
            "measure": _measure_text(row),
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


# Column widths in characters: wide enough for what a cell typically holds, so the sheet reads
# without resizing; long text (requirement, notes) wraps instead.
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
    "priority": 9,
    "owner": 22,
    "due_date": 12,
    "effort": 9,
    "subject": 24,
    "subject_id": 16,
}
_WRAPPED = ("requirement", "measure")
_DATE_COLUMNS = ("date", "due_date")


def write_template_xlsx(rows: Iterable[Mapping[str, str]], stream: BinaryIO) -> None:
    """An Excel workbook: the rows to fill, with checks on what each cell takes, and a sheet saying how to fill them.

    Excel checks each cell as it is typed (data validation): status from a list, dates as dates
    (the evidence date not after tomorrow, as the importer judges it), value a ratio from 0 to 1,
    priority a whole number from 1 to 5, effort a number of person-days.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.worksheet import Worksheet

    rows = list(rows)
    wb = Workbook()
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
        ws.column_dimensions[get_column_letter(index)].width = _WIDTHS[name]
        if name in _DATE_COLUMNS:
            for (cell,) in ws.iter_rows(min_row=2, max_row=last, min_col=index, max_col=index):
                cell.number_format = "yyyy-mm-dd"
        if name in _WRAPPED:
            for (cell,) in ws.iter_rows(min_row=2, max_row=len(rows) + 1, min_col=index, max_col=index):
                cell.alignment = wrap
    for name, validation in _validations().items():
        letter = get_column_letter(COLUMNS.index(name) + 1)
        validation.add(f"{letter}2:{letter}{last}")
        ws.add_data_validation(validation)
    if rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{last}"

    instructions = wb.create_sheet(INSTRUCTIONS_SHEET_NAME)
    instructions.column_dimensions["A"].width = 110
    for line in _instruction_lines(rows):
        instructions.append([line])
    instructions["A1"].font = Font(bold=True)

    stream.write(workbook_bytes(wb))


def _validations() -> dict[str, DataValidation]:
    """Per column, the data validation Excel applies as a cell is typed (what the importer would refuse)."""
    from openpyxl.worksheet.datavalidation import DataValidation

    found = {
        "status": DataValidation(type="list", formula1='"' + ",".join(STATUSES) + '"'),
        "value": DataValidation(type="decimal", operator="between", formula1="0", formula2="1"),
        # A warning, not a stop: the importer takes a later date when --assessment-date allows it.
        "date": DataValidation(type="date", operator="between", formula1="DATE(1900,1,1)",
                               formula2=f"TODAY()+{FUTURE_GRACE_DAYS}", errorStyle="warning"),
        "priority": DataValidation(type="whole", operator="between", formula1="1", formula2=str(LOWEST_PRIORITY)),
        "due_date": DataValidation(type="date", operator="greaterThanOrEqual", formula1="DATE(1900,1,1)"),
        "effort": DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0"),
    }
    errors = {
        "status": "Choose met, not_met, not_applicable or unknown.",
        "value": "A ratio from 0 to 1 (95% is 0.95).",
        "date": "A date, written YYYY-MM-DD, no later than tomorrow: a later row would not count and would "
                "expire every other row.",
        "priority": f"A whole number from 1 (most urgent) to {LOWEST_PRIORITY}.",
        "due_date": "A date, written YYYY-MM-DD.",
        "effort": "The effort in person-days: a number, 0 or more.",
    }
    for name, validation in found.items():
        validation.allow_blank = True
        validation.showErrorMessage = True
        validation.errorTitle = name
        validation.error = errors[name]
    return found


def _validity_days(fw: Framework, catalogue: Catalogue) -> int | None:
    """The framework's evidence validity period (mm:evidencePolicy / mm:validityDays), if it has one."""
    graph = catalogue.frameworks_graph
    policy = graph.value(fw.iri, MM.evidencePolicy)
    days = graph.value(policy, MM.validityDays) if policy is not None else None
    return int(days) if isinstance(days, Literal) and str(days).isdigit() else None


def _instruction_lines(rows: list[Mapping[str, str]]) -> list[str]:
    catalogue = load_catalogue()
    frameworks = []
    for fw_id in dict.fromkeys(r.get("framework", "") for r in rows):
        try:
            frameworks.append(catalogue.get(fw_id))
        except UnknownFrameworkError:
            continue
    lines = ["How to fill in this evidence sheet", ""]
    for fw in frameworks:
        days = _validity_days(fw, catalogue)
        kind = FRAMEWORK_KINDS.get(fw.id, "subject").replace("-", " ")
        lines += [
            f"Framework: {fw.label} (id {fw.id}, version {fw.version})",
            f"Licence of the requirement text: {fw.license or 'see the framework source'}",
            f"Publisher: {fw.publisher or 'unknown'}",
            f"Validity window: a row counts for {days} days after its date; older rows have expired."
            if days else "Validity window: the framework sets none.",
            f"The model assesses one {kind} at a time: name it in subject, or at import with --subject.",
            "",
        ]
    lines += [
        "Fill one row per requirement in the sheet 'evidence'. Leave rows you have not assessed empty.",
        "Do not change the framework or requirement_id columns; the other descriptive columns are for reading only.",
        "",
        "status, one of:",
        *(f"  {name}: {meaning}" for name, meaning in STATUS_MEANINGS.items()),
        "",
        "What a row needs to count (a row without it is imported with a warning, and does not count):",
        "  met: an evidence link (an absolute link such as https://..., file://... or s3://...) and an attester.",
        "  met, on a measured row (the measure column says what to measure): also the measured value in value, "
        "a ratio from 0 to 1 such as 0.95 (or 95%).",
        "  not_applicable: the reason in notes, and an attester.",
        "date: the day the evidence was produced or last confirmed, written YYYY-MM-DD (for example 2026-03-31). "
        "Every row with a status other than unknown needs a date.",
        "A date after tomorrow is refused at import: the latest date becomes the assessment date, and a row "
        "dated a year ahead would expire every other row (pass --assessment-date to assess on a later day).",
        "attester: the name of the person who stands behind the row.",
        "",
        "Planned work (optional, for rows not met yet; a row may hold a plan and no status):",
        f"  priority: a whole number from 1 (most urgent) to {LOWEST_PRIORITY}.",
        "  owner: who does the work, a person or a team.",
        "  due_date: when it is due, written YYYY-MM-DD.",
        "  effort: the estimated effort in person-days, such as 2 or 0.5.",
        "",
        "Several subjects in one sheet (optional): fill subject (a name, such as a product, business unit, cloud "
        "account or agency component) and subject_id (its short code or account id) on every filled row; "
        "each subject is assessed on its own. Leave both empty for one subject.",
    ]
    return lines


TEMPLATE_WRITERS: dict[str, Callable[[Iterable[Mapping[str, str]], BinaryIO], None]] = {
    "csv": write_template_csv,
    "xlsx": write_template_xlsx,
}


# --------------------------------------------------------------------------- reading

# Limits on a sheet; each one breached is an InputError naming the file and the limit.
# The file itself (MGRAPH_MAX_INPUT_MB raises it): a filled template of 10,000 rows is 2 to 3 MiB
# of CSV or 1 MiB of xlsx, so 32 MiB leaves room for long notes.
MAX_SHEET_BYTES = 32 * MIB
# Rows holding something, below the header: the six bundled frameworks have about 1,130
# requirements together, so this is eight dated rounds of all of them in one sheet.
MAX_SHEET_ROWS = 10_000
# Named columns: the template has 13; the rest of a wide sheet is the user's own notes.
MAX_SHEET_COLUMNS = 100
# Excel's own limit on the text of one cell.
MAX_CELL_CHARS = 32_767
# Columns whose cells must hold typed values: a formula's result is whatever Excel last cached,
# and a file written by a script has no cached result at all, so a status would read as blank.
NO_FORMULA_COLUMNS = ("status", "date", "value", "evidence_link", "priority", "due_date", "effort")


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


@dataclass(frozen=True)
class _Plan:
    """The planned work of one row: not evidence, so it never makes a requirement met."""

    number: int
    requirement: RequirementRow
    priority: int | None
    owner: str | None
    due: dt.date | None
    effort: Decimal | None
    note: str | None  # the notes of a row that only plans


@dataclass
class _Subject:
    """The rows of one subject (label None: the sheet names no subject), assessed on their own."""

    label: str | None
    identifier: str | None = None
    first_row: int = 0
    entries: list[_Entry] = field(default_factory=list)
    plans: list[_Plan] = field(default_factory=list)
    frameworks: dict[str, Framework] = field(default_factory=dict)

    @property
    def filled(self) -> bool:
        return bool(self.entries or self.plans)


@dataclass(frozen=True)
class _Checks:
    """What a row is judged against: the latest date a row may carry, and why it is that date."""

    latest: dt.date
    assessment_date: dt.date | None
    today: dt.date


def import_sheet(
    path: str | Path,
    *,
    catalogue: Catalogue | None = None,
    organisation: str | None = None,
    assessment_date: dt.date | None = None,
    subject: str | None = None,
    subject_id: str | None = None,
    subject_kind: str | None = None,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> Graph:
    """Read a filled-in evidence sheet into an evidence graph; raise one RowErrors listing every bad row.

    Rows are grouped by their subject (the subject column, else `subject`); each subject gets its
    own ev:Assessment, typed by `subject_kind` (a key of subjects.KINDS) or by what the framework
    assesses. A row dated after `assessment_date`, or without it after today plus a day's grace,
    is a bad row. Rows that import but will not count (met without an attester, ...) are logged
    as warnings, one a row. The same file always gives the same graph with the same IRIs, so
    re-importing is harmless. ``progress(rows, None)`` is called as filled rows are read; a sheet
    is bounded by MAX_SHEET_BYTES and MAX_SHEET_ROWS.
    """
    catalogue = catalogue or load_catalogue()
    path = Path(path)
    if subject_kind is not None and subject_kind not in KINDS:
        raise InputError(f"unknown subject kind {subject_kind!r}; known kinds: {', '.join(KINDS)}")
    reader = SHEET_READERS.get(path.suffix.lower())
    if reader is None:
        raise InputError(
            f"cannot read a {path.suffix or 'suffix-less'} file as an evidence sheet; "
            f"supported suffixes: {', '.join(SHEET_READERS)}",
            path=path,
        )
    data = _read(path)
    sheet = reader(path, data=data, progress=progress)
    plans_only = any(c in sheet.columns for c in PLAN_COLUMNS)
    missing = [c for c in REQUIRED_COLUMNS if c not in sheet.columns and not (plans_only and c in ("status", "date"))]
    if missing:
        raise InputError(
            f"the header row lacks the column{'s' if len(missing) > 1 else ''} {', '.join(missing)}; "
            f"expected {', '.join(COLUMNS)}",
            path=path,
            line=1,
        )
    today = today or dt.date.today()
    checks = _Checks(assessment_date or plus_days(today, FUTURE_GRACE_DAYS), assessment_date, today)
    default = _Subject(_name(subject) or _name(subject_id) or None, (subject_id or "").strip() or None)
    subjects, problems = _check_rows(sheet, catalogue, default, checks)
    if problems:
        by_row: dict[int, list[str]] = {}
        for number, message in problems:
            by_row.setdefault(number, []).append(message)
        raise RowErrors(
            f"{len(by_row)} bad row{'s' if len(by_row) > 1 else ''}",
            [f"row {number}: {'; '.join(messages)}" for number, messages in sorted(by_row.items())],
            path=path,
            line=min(by_row),
        )
    assessed = [s for s in subjects if s.filled]
    if not assessed:  # an untouched template: one assessment, of the frameworks in scope
        default.frameworks = {k: fw for s in subjects for k, fw in s.frameworks.items()}
        assessed = [default]
    every_date = [e.date for s in assessed for e in s.entries]
    dates = {}
    for group in assessed:
        day = assessment_date or max((e.date for e in group.entries), default=None) or max(every_date, default=None)
        if day is None:
            raise InputError(
                "no row has a status and a date, so the assessment has no date; fill in at least one row, "
                "or pass --assessment-date",
                path=path,
            )
        dates[id(group)] = day
    _warn_uncounted(path, [e for s in assessed for e in s.entries])
    digest = hashlib.sha256(data).hexdigest()[:16]
    graph = _to_graph(assessed, dates, Namespace(f"{IRI_PREFIX}{digest}:"), path.name, organisation, subject_kind)
    warn_about_dates(graph, source_of=lambda _: str(path))
    log.debug("imported %s: %d subjects, %d attestations, %d planned actions", path, len(assessed),
              sum(len(s.entries) for s in assessed), sum(len(s.plans) for s in assessed))
    return graph


def _name(value: str | None) -> str:
    """A subject's name as written, with runs of spaces made one."""
    return " ".join((value or "").split())


def _check_rows(sheet: SheetRows, catalogue: Catalogue, default: _Subject, checks: _Checks
                ) -> tuple[list[_Subject], list[tuple[int, str]]]:
    """Every row checked and sorted into its subject; the problems, by row number."""
    subjects: dict[str | None, _Subject] = {_key(default.label): default}
    owners: dict[str, tuple[str | None, int]] = {}  # subject_id -> the subject it names first, and where
    problems: list[tuple[int, str]] = []
    unnamed: list[int] = []  # filled rows of no subject, when no default subject is given
    seen: dict[tuple[str | None, URIRef, dt.date], tuple[str, int]] = {}
    ids: dict[str, dict[str, RequirementRow]] = {}
    for index, row in enumerate(sheet.rows):
        number = sheet.number(index)
        if all(_blank(v) for v in row.values()):
            continue
        row_problems: list[str] = []
        status = _status(row.get("status", ""), row_problems)
        date = _date(row.get("date", ""), row_problems)
        # a row states evidence when it has a status or a date, or a status or date that is wrong
        states = not (status in (None, "unknown") and date is None) or bool(row_problems)
        plan = _plan_cells(row, row_problems)
        details = [c for c in ("value", "evidence_link", "attester") if not _blank(row.get(c, ""))]
        if plan is None and not _blank(row.get("notes", "")):
            details.append("notes")
        if status is None and date is None and details and not row_problems:
            problems.append((number, f"{', '.join(details)} filled in but no status or date: "
                                     "set both, or clear the row so nothing is lost silently"))
            continue
        group = _subject_of(row, number, subjects, owners, default, row_problems)
        if not states and plan is None and not row_problems:
            # an untouched template row: skipped, but it still says which framework is in scope
            fw = _framework(row.get("framework", ""), catalogue, [])
            if fw is not None:
                group.frameworks.setdefault(fw.id, fw)
            continue
        fw = _framework(row.get("framework", ""), catalogue, row_problems)
        requirement = None
        req_id = _text(row.get("requirement_id", ""))
        if not req_id:
            row_problems.append("requirement_id is blank")
        elif fw is not None:
            by_id = ids.setdefault(fw.id, {r.id.upper(): r for r in catalogue.requirement_rows(fw)})
            requirement = by_id.get(req_id.upper())
            if requirement is None:
                row_problems.append(f"requirement id {_quote(req_id)} is not a requirement of framework {fw.id}")
        entry = None
        if states:
            entry = _entry(row, number, status or "unknown", date, requirement, checks, row_problems)
        if entry is not None:
            key = (_key(group.label), entry.requirement.requirement, entry.date)
            earlier = seen.setdefault(key, (entry.status, number))
            if earlier[0] != entry.status:
                row_problems.append(f"{entry.requirement.id} on {entry.date.isoformat()} is {entry.status} here "
                                    f"but {earlier[0]} in row {earlier[1]}")
        if row_problems:
            problems.extend((number, p) for p in row_problems)
            continue
        assert fw is not None and requirement is not None  # else a problem is noted above
        group.frameworks.setdefault(fw.id, fw)
        group.first_row = group.first_row or number
        if group.label is None:
            unnamed.append(number)
        if entry is not None:
            group.entries.append(entry)
        if plan is not None:
            priority, owner, due, effort = plan
            note = None if states else _text(row.get("notes", "")) or None
            group.plans.append(_Plan(number, requirement, priority, owner, due, effort, note))
    named = [s for key, s in subjects.items() if key is not None and s.filled]
    if named and unnamed:
        first = min(s.first_row for s in named)
        problems.extend((number, f"subject is blank, but other rows name a subject (row {first}): fill it in, "
                                 "or pass --subject to name the subject of the rows without one")
                        for number in unnamed)
    problems.sort(key=lambda p: p[0])
    return list(subjects.values()), problems


def _key(label: str | None) -> str | None:
    """Subjects are told apart by name, whatever the case and spacing."""
    return label.casefold() if label else None


def _subject_of(row: Mapping[str, Cell], number: int, subjects: dict[str | None, _Subject],
                owners: dict[str, tuple[str | None, int]], default: _Subject, problems: list[str]) -> _Subject:
    """The subject a row names (subject, else subject_id), else the default; a name and an id must agree."""
    ident = _text(row.get("subject_id", ""))
    label = _name(_text(row.get("subject", ""))) or _name(ident)
    if not label:
        return default
    key = _key(label)
    group = subjects.get(key)
    if group is None:
        group = subjects[key] = _Subject(label, ident or None)
    elif ident and group.identifier is not None and ident != group.identifier:
        problems.append(f"subject {_quote(label)} has subject_id {_quote(ident)} here but "
                        f"{_quote(group.identifier)} in an earlier row")
    elif ident and group.identifier is None:
        group.identifier = ident
    if ident:
        first_key, first_row = owners.setdefault(ident, (key, number))
        if first_key != key:
            problems.append(f"subject_id {_quote(ident)} is also the id of subject "
                            f"{_quote(subjects[first_key].label or '')} (row {first_row})")
    return group


def _entry(row: Mapping[str, Cell], number: int, status: str, date: dt.date | None,
           requirement: RequirementRow | None, checks: _Checks, problems: list[str]) -> _Entry | None:
    """The evidence a row states, checked; None when something is wrong (the problems say what)."""
    if date is None and not _bad_date(row.get("date", "")):
        problems.append(f"status {status} needs a date written YYYY-MM-DD")
    value = _value(row.get("value", ""), requirement, problems)
    link = _text(row.get("evidence_link", "")) or None
    if link is not None and not _is_absolute_uri(link):
        problems.append(
            f"evidence link {_quote(link)} is not an absolute link with a scheme and no spaces "
            "(like https://wiki.example.com/policy)"
        )
    if date is not None and date > checks.latest:
        what = requirement.id if requirement is not None else "the row"
        if checks.assessment_date is not None:
            problems.append(f"{what} is dated {date.isoformat()}, after the assessment date "
                            f"({checks.assessment_date.isoformat()}): evidence dated after the as-of day does not "
                            "count; check the date, or --assessment-date")
        else:
            problems.append(f"{what} is dated {date.isoformat()}, later than today ({checks.today.isoformat()}): "
                            "evidence dated after the as-of day does not count, and as the assessment date it "
                            "would expire every other row; check the date, or pass --assessment-date")
    if problems or requirement is None or date is None:
        return None
    return _Entry(number=number, requirement=requirement, status=status, date=date, link=link,
                  attester=_text(row.get("attester", "")) or None, note=_text(row.get("notes", "")) or None,
                  value=value)


def _plan_cells(row: Mapping[str, Cell], problems: list[str]
                ) -> tuple[int | None, str | None, dt.date | None, Decimal | None] | None:
    """priority, owner, due_date and effort, checked; None when the row plans nothing."""
    if all(_blank(row.get(c, "")) for c in PLAN_COLUMNS):
        return None
    priority = None
    text = _text(row.get("priority", ""))
    if text:
        if re.fullmatch(r"[0-9]{1,3}", text, re.ASCII) and 1 <= int(text) <= LOWEST_PRIORITY:
            priority = int(text)
        else:
            problems.append(f"priority {_quote(text)} is not a whole number from 1 (most urgent) "
                            f"to {LOWEST_PRIORITY}")
    due = _date(row.get("due_date", ""), problems, column="due_date")
    effort = None
    text = _text(row.get("effort", ""))
    if text:
        if _DECIMAL_TEXT.fullmatch(text) and Decimal(text) >= 0:
            effort = Decimal(text)
        else:
            problems.append(f"effort {_quote(text)} is not a number of person-days (like 2 or 0.5)")
    return priority, _text(row.get("owner", "")) or None, due, effort


def _warn_uncounted(path: Path, entries: Sequence[_Entry]) -> None:
    """One warning a row for rows that import but will not count, and why; at most RowErrors.SHOWN."""
    lines = []
    for entry in sorted(entries, key=lambda e: e.number):
        why = _why_uncounted(entry)
        if why:
            lines.append(f"{path}:{entry.number}: {entry.requirement.id} (row {entry.number}) {why}")
    for line in lines[: RowErrors.SHOWN]:
        log.warning("%s", line)
    if len(lines) > RowErrors.SHOWN:
        log.warning("%s: ... and %d more rows that will not count", path, len(lines) - RowErrors.SHOWN)


def _why_uncounted(entry: _Entry) -> str | None:
    """What a met or not-applicable row lacks to count, in the words of the shapes and of `assess`."""
    missing = []
    if entry.status == "met":
        if entry.link is None:
            missing.append("an evidence link")
        if entry.attester is None:
            missing.append("an attester")
        if entry.requirement.measured and entry.value is None:
            missing.append("a value")
        needs = "a met row needs an evidence link and an attester"
        if entry.requirement.measured:
            needs += f", and this measured row the value ({_measure_text(entry.requirement)})"
    elif entry.status == "not_applicable":
        if entry.note is None:
            missing.append("a reason in notes")
        if entry.attester is None:
            missing.append("an attester")
        needs = "a not_applicable row needs the reason in notes and an attester"
    if not missing:
        return None
    return (f"is {entry.status} without {' or '.join(missing)}, so it will not count (assess says: claimed without "
            f"the evidence its shape asks for): {needs}")


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


def _date(value: Cell, problems: list[str], *, column: str = "date") -> dt.date | None:
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
    problems.append(f"{column} {_quote(text)} is not a date written YYYY-MM-DD")
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
    subjects: list[_Subject],
    dates: Mapping[int, dt.date],
    base: Namespace,
    source: str,
    organisation: str | None,
    subject_kind: str | None,
) -> Graph:
    """One ev:Assessment per subject (with its ev:subject when it has one), its evidence and its planned actions."""
    graph = Graph()
    for prefix, ns in (("ev", EV._NS), ("prov", PROV), ("xsd", XSD), ("rdfs", RDFS), ("dcterms", DCTERMS)):
        graph.bind(prefix, ns)
    for fw in sorted({fw.id: fw for s in subjects for fw in s.frameworks.values()}.values(), key=lambda f: f.id):
        graph.bind(fw.id, Namespace(str(fw.iri).rsplit("/", 1)[0] + "/"))
    org = None
    if organisation and organisation.strip():
        org = base["organisation"]
        graph.add((org, RDF.type, PROV.Organization))
        graph.add((org, RDFS.label, Literal(organisation.strip())))

    for group in subjects:
        slug = _slug(_key(group.label) or "")
        assessment = base[f"assessment-{slug}"] if group.label else base["assessment"]
        graph.add((assessment, RDF.type, EV.Assessment))
        about = f" of {group.label}" if group.label else ""
        graph.add((assessment, RDFS.label, Literal(f"Assessment{about} imported from {source}")))
        graph.add((assessment, EV.assessmentDate, Literal(dates[id(group)].isoformat(), datatype=XSD.date)))
        graph.add((assessment, DCTERMS.source, Literal(source)))
        for fw in sorted(group.frameworks.values(), key=lambda f: f.id):
            graph.add((assessment, EV.framework, fw.iri))
        if org is not None:
            graph.add((assessment, EV.organisation, org))
        if group.label:
            node = base[f"subject-{slug}"]
            graph.add((assessment, EV.subject, node))
            graph.add((node, RDF.type, _kind(subject_kind, group.frameworks.values())))
            graph.add((node, RDFS.label, Literal(group.label)))
            if group.identifier:
                graph.add((node, EV.identifier, Literal(group.identifier)))
        for entry in group.entries:
            _add_entry(graph, base, assessment, entry)
        for plan in group.plans:
            _add_plan(graph, base, assessment, plan)
    return graph


def _kind(subject_kind: str | None, frameworks: Iterable[Framework]) -> URIRef:
    """--subject-kind, else what the subject's frameworks assess when they agree, else ev:Subject."""
    if subject_kind is not None:
        return KINDS[subject_kind]
    kinds = {FRAMEWORK_KINDS.get(fw.id) for fw in frameworks}
    (kind,) = kinds if len(kinds) == 1 else (None,)
    return KINDS[kind] if kind is not None else EV.Subject


def _add_entry(graph: Graph, base: Namespace, assessment: URIRef, entry: _Entry) -> None:
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


def _add_plan(graph: Graph, base: Namespace, assessment: URIRef, plan: _Plan) -> None:
    """An ev:PlannedAction: not typed ev:Evidence and without ev:status, so it never counts as evidence."""
    node = base[f"plan-{plan.number}"]
    graph.add((node, RDF.type, EV.PlannedAction))
    graph.add((node, RDFS.label, Literal(f"plan for {plan.requirement.id} (row {plan.number})")))
    graph.add((node, EV.addresses, plan.requirement.requirement))
    graph.add((node, EV.inAssessment, assessment))
    if plan.priority is not None:
        graph.add((node, EV.priority, Literal(str(plan.priority), datatype=XSD.integer)))
    if plan.owner:
        graph.add((node, EV.owner, Literal(plan.owner, datatype=XSD.string)))
    if plan.due is not None:
        graph.add((node, EV.dueDate, Literal(plan.due.isoformat(), datatype=XSD.date)))
    if plan.effort is not None:
        graph.add((node, EV.effort, Literal(format(plan.effort, "f"), datatype=XSD.decimal)))
    if plan.note:
        graph.add((node, RDFS.comment, Literal(plan.note)))
