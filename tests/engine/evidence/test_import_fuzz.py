"""Fuzzing the importers (issue 8): whatever the file holds, import gives a graph or an InputError.

Every input either imports, and the graph serialises as the CLI writes it, or raises a
MaturityGraphError subclass; any other exception is a bug (the CLI would exit 3). The sheets are
built from hostile cell values (extreme dates, huge and non-finite numbers, formulas, control
characters, duplicated columns); the scans from Prowler-shaped records whose fields take any
JSON value. More examples: MGRAPH_FUZZ_EXAMPLES=2000.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import tempfile
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from maturity_graph.catalogue import load_catalogue
from maturity_graph.errors import MaturityGraphError
from maturity_graph.evidence.findings import import_prowler, load_mapping
from maturity_graph.evidence.freshness import date_warning
from maturity_graph.evidence.spreadsheet import COLUMNS, import_sheet

EXAMPLES = int(os.environ.get("MGRAPH_FUZZ_EXAMPLES", "40"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

CATALOGUE = load_catalogue()
SBD_IDS = [r.id for r in CATALOGUE.requirement_rows(CATALOGUE.get("sbd"))][:20]
ZTMM_MEASURED = [r.id for r in CATALOGUE.requirement_rows(CATALOGUE.get("ztmm")) if r.measured][:5]
CHECKS = sorted(load_mapping("prowler", "csmm").controls_by_check)[:15]


def _imports_or_refuses(run) -> None:
    """The property: the import succeeds and its graph serialises, or a MaturityGraphError comes out."""
    try:
        graph = run()
    except MaturityGraphError as err:
        text = str(err)
        assert text and "\n" not in text.strip(), repr(text)  # the CLI prints it as one line
        event("refused")
        return
    event("imported")
    graph.serialize(format="turtle").encode("utf-8")
    graph.serialize(format="json-ld")
    date_warning(graph)


# --------------------------------------------------------------------------- hostile cell values


def _mostly(valid, hostile, odds: int = 8):
    """Valid but one time in `odds`, so that many examples get past the checks and reach the graph."""
    return st.integers(1, odds).flatmap(lambda n: hostile if n == 1 else valid)


_texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)
_date_texts = st.one_of(
    st.dates().map(dt.date.isoformat),
    st.sampled_from(["9999-12-31", "0001-01-01", "2026-02-30", "2026-13-01", "10000-01-01", "2026-1-1",
                     "2026-03-31T00:00:00", "31/03/2026", ""]),
)
_number_texts = st.one_of(
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(repr),
    st.sampled_from(["1e-999999999", "1E+999999999", "95%", "-0", "0.", ".5", "1" * 400, "NaN%", "inf", "0x1"]),
)
_hostile = st.one_of(_texts, _date_texts, _number_texts, st.sampled_from(
    ["=1+1", "urn:x:y", "s3://", "\x00\x1b", "a\r\nb", '"quoted"', ";", "#N/A", " ", "nope", "SBD"]))
_statuses = st.sampled_from(["met", "not_met", "Not Applicable", "not-applicable", "unknown", "MET", ""])
_links = st.one_of(st.sampled_from(["", "https://wiki.example/policy", "file:///srv/x", "s3://bucket/key", "urn:x:1"]),
                   st.text(alphabet="abcXYZ019-._~%/?#=&", max_size=12).map(lambda t: f"https://e.example/{t}"))
_ratios = st.one_of(st.decimals(min_value=0, max_value=1, places=3).map(str), st.sampled_from(["95%", "0.5", "1"]))


@st.composite
def _sheet_rows(draw):
    """A header and rows that mostly make sense, with hostile values mixed in."""
    extra = draw(st.lists(_mostly(st.sampled_from(["extra", "", "Comments"]),
                                  st.one_of(st.sampled_from(["Status", "requirement-id"]), _texts)), max_size=3))
    columns = draw(st.permutations(list(COLUMNS)))
    header = draw(_mostly(st.just(columns + extra), st.just(columns + extra + ["status"])))
    rows = []
    for _ in range(draw(st.integers(1, 4))):
        measured = draw(st.booleans())
        cells = {
            "framework": draw(_mostly(st.just("ztmm" if measured else "sbd"), _hostile, 24)),
            "requirement_id": draw(_mostly(st.sampled_from(ZTMM_MEASURED if measured else SBD_IDS), _hostile, 24)),
            "status": draw(_mostly(_statuses, _hostile, 24)),
            "date": draw(_mostly(st.dates(), _hostile, 24)),
            "value": draw(_mostly(_ratios if measured else st.just(""), _hostile, 24)),
            "evidence_link": draw(_mostly(_links, _hostile, 24)),
            "attester": draw(_texts),
            "notes": draw(_texts),
        }
        rows.append([cells.get(name, draw(_texts)) for name in header])
    return header, rows


def _as_text(value: object) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


@FUZZ
@given(sheet=_sheet_rows(), delimiter=st.sampled_from([",", ",", ",", ";"]), bom=st.booleans())
def test_any_csv_sheet_imports_or_is_an_input_error(sheet, delimiter, bom):
    header, rows = sheet
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows([[_as_text(v) for v in row] for row in rows])
    encoded = (b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode("utf-8")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sheet.csv"
        path.write_bytes(encoded)
        _imports_or_refuses(lambda: import_sheet(path, catalogue=CATALOGUE))


_xlsx_hostile = st.one_of(
    _hostile,
    st.integers(min_value=-(2**63), max_value=2**63),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(min_value=dt.date(1900, 3, 1)),
    st.datetimes(min_value=dt.datetime(1900, 3, 1)),
    st.times(),
    st.sampled_from(['=IF(1,"met","not_met")', "=TODAY()", "=A1", "=1/0", None]),
)


@FUZZ
@given(sheet=_sheet_rows(), data=st.data())
def test_any_xlsx_sheet_imports_or_is_an_input_error(sheet, data):
    header, rows = sheet
    wb = Workbook()
    ws = wb.active
    ws.title = data.draw(st.sampled_from(["evidence", "evidence", "Sheet", "evidence "]))
    for row in [header, *rows]:
        row = [data.draw(_mostly(st.just(v), _xlsx_hostile, 24)) for v in row]
        # openpyxl refuses to write control characters; Excel never holds them
        ws.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row])
    far_row = data.draw(st.sampled_from([None, None, 500, 1_048_576]))
    if far_row:
        ws.cell(row=far_row, column=data.draw(st.integers(1, 30)), value=data.draw(st.sampled_from([None, "x"])))
    if data.draw(st.booleans()):
        wb.create_sheet("about", 0).append(["notes"])
    buffer = io.BytesIO()
    wb.save(buffer)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sheet.xlsx"
        path.write_bytes(buffer.getvalue())
        _imports_or_refuses(lambda: import_sheet(path, catalogue=CATALOGUE))


_SHEET_XML_HEAD = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                   '<dimension ref="{dim}"/><sheetData>')
_references = st.one_of(
    st.builds(lambda col, row: f"{col}{row}", st.sampled_from(["A", "B", "C", "D", "Z", "XFD", "XFE", "AAAA", ""]),
              st.sampled_from(["1", "2", "3", "1048576", "1048577", "0", "99999999999", ""])),
    st.none(),
)
_cell_xml = st.builds(
    lambda ref, kind, value, formula: (
        f'<c{f" r={json.dumps(ref)}" if ref is not None else ""}{f" t={json.dumps(kind)}" if kind else ""}>'
        f'{f"<f>{formula}</f>" if formula else ""}'
        + (f"<is><t>{value}</t></is>" if kind == "inlineStr" else f"<v>{value}</v>" if value is not None else "")
        + "</c>"),
    _references,
    st.sampled_from([None, "inlineStr", "s", "n", "b", "e", "str", "d", "bogus"]),
    st.one_of(st.none(), st.sampled_from(["met", "0", "1", "-1", "99999", "2958466", "1e308", "nan", "inf",
                                          "2026-03-31", "9999-12-31T23:59:59", "x&amp;y", "SBD-SPO-L2-1", "sbd"])),
    st.sampled_from([None, None, "1+1", "A1"]),
)
_row_xml = st.builds(
    lambda number, cells: f'<row{f" r={json.dumps(number)}" if number is not None else ""}>{"".join(cells)}</row>',
    st.one_of(st.none(), st.sampled_from(["1", "2", "3", "2.0", "2.5", "0", "-1", "1048576", "1048577", "x"])),
    st.lists(_cell_xml, max_size=5),
)


@FUZZ
@given(dim=st.sampled_from(["A1:XFD1048576", "A1", "bogus", "A1:D3"]), rows=st.lists(_row_xml, max_size=6))
def test_any_sheet_xml_imports_or_is_an_input_error(dim, rows):
    """The sheet's XML itself is hostile: references out of the grid, out of order, bad types."""
    wb = Workbook()
    wb.active.title = "evidence"
    buffer = io.BytesIO()
    wb.save(buffer)
    header = ('<row r="1"><c r="A1" t="inlineStr"><is><t>framework</t></is></c>'
              '<c r="B1" t="inlineStr"><is><t>requirement_id</t></is></c><c r="C1" t="inlineStr"><is><t>status</t>'
              '</is></c><c r="D1" t="inlineStr"><is><t>date</t></is></c></row>')
    xml = _SHEET_XML_HEAD.format(dim=dim) + header + "".join(rows) + "</sheetData></worksheet>"
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = xml.encode() if info.filename == "xl/worksheets/sheet1.xml" else source.read(info.filename)
            target.writestr(info.filename, content)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sheet.xlsx"
        path.write_bytes(out.getvalue())
        _imports_or_refuses(lambda: import_sheet(path, catalogue=CATALOGUE))


# --------------------------------------------------------------------------- Prowler

_json_leaf = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**30), max_value=10**30), st.floats(),
    _texts, _date_texts, st.sampled_from(["PASS", "FAIL", "MANUAL", "INFO", "WARNING", "high", "Suppressed"]),
    st.sampled_from(["a\ud800", "\udfff"]),  # JSON escapes half a surrogate pair; found by this fuzzing
)


def _json_containers(children):
    return st.lists(children, max_size=3) | st.dictionaries(_texts, children, max_size=3)


_json_any = st.recursive(_json_leaf, _json_containers, max_leaves=8)
_zones = [None, dt.UTC, dt.timezone(dt.timedelta(hours=-5)), dt.timezone(dt.timedelta(hours=14))]
_timestamps = _mostly(st.datetimes(timezones=st.sampled_from(_zones)).map(dt.datetime.isoformat),
                      st.one_of(st.sampled_from(["9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+14:00",
                                                 "2026-11-16T06:12:04Z", "", "x"]),
                                st.integers(min_value=-(10**20), max_value=10**20), st.floats()), 6)
_checks = _mostly(st.sampled_from(CHECKS), _texts, 24)
_scan_statuses = _mostly(st.sampled_from(["PASS", "FAIL", "MANUAL", "pass", "INFO", "WARNING"]), _json_leaf, 24)


def _maybe(strategy):
    return _mostly(strategy, _json_any, 24)


_field = _mostly(_texts, st.one_of(_json_any, st.sampled_from(["x\ud800"])), 24)


_ocsf_record = st.fixed_dictionaries({
    "metadata": _maybe(st.fixed_dictionaries({"event_code": _maybe(_checks),
                                              "product": _maybe(st.fixed_dictionaries({"version": _field}))})),
    "status_code": _maybe(_scan_statuses),
    "status": _maybe(st.sampled_from(["New", "Suppressed"])),
    "status_id": _maybe(st.sampled_from([1, 3])),
    "severity": _maybe(st.sampled_from(["High", "Low", "Critical", "informational"])),
    "class_uid": st.just(2004),
    "finding_info": _maybe(st.fixed_dictionaries({"created_time_dt": _timestamps, "uid": _field, "title": _field})),
    "time": _maybe(_timestamps),
    "cloud": _maybe(st.fixed_dictionaries({"provider": _field, "region": _field,
                                           "account": _maybe(st.fixed_dictionaries({"uid": _field}))})),
    "resources": _maybe(st.lists(st.fixed_dictionaries({"uid": _field, "region": _field, "type": _field}),
                                 max_size=3)),
})
_v3_record = st.fixed_dictionaries({
    "CheckID": _maybe(_checks),
    "Status": _maybe(_scan_statuses),
    "Severity": _maybe(st.sampled_from(["high", "low", "critical"])),
    "AssessmentStartTime": _maybe(_timestamps),
    "ResourceArn": _field,
    "ResourceId": _field,
    "AccountId": _field,
    "Region": _field,
    "Muted": _maybe(st.booleans()),
    "FindingUniqueId": _field,
})


def _import(content: str | bytes, name: str):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass"))
        _imports_or_refuses(lambda: import_prowler(path, catalogue=CATALOGUE).graph)


@FUZZ
@given(records=st.lists(_ocsf_record, min_size=1, max_size=4), ndjson=st.booleans())
def test_any_ocsf_json_imports_or_is_an_input_error(records, ndjson):
    text = "\n".join(json.dumps(r) for r in records) if ndjson else json.dumps(records)
    _import(text, "scan.ocsf.json")


@FUZZ
@given(records=st.lists(_v3_record, min_size=1, max_size=4))
def test_any_v3_json_imports_or_is_an_input_error(records):
    _import(json.dumps(records), "scan.json")


_CSV_COLUMNS = ["CHECK_ID", "STATUS", "TIMESTAMP", "MUTED", "SEVERITY", "RESOURCE_UID", "ACCOUNT_UID", "REGION",
                "PROWLER_VERSION", "ASSESSMENT_START_TIME", "FINDING_UID"]


_CSV_CELLS = {
    "CHECK_ID": _checks,
    "STATUS": _scan_statuses.map(str),
    "TIMESTAMP": _timestamps.map(str),
    "ASSESSMENT_START_TIME": _timestamps.map(str),
    "MUTED": _mostly(st.sampled_from(["True", "False", "", "true"]), _texts),
    "SEVERITY": _mostly(st.sampled_from(["high", "low", "critical", ""]), _texts),
}


@FUZZ
@given(data=st.data())
def test_any_prowler_csv_imports_or_is_an_input_error(data):
    header = data.draw(st.lists(st.sampled_from(_CSV_COLUMNS), min_size=1, max_size=8, unique=True)
                       .map(lambda h: ["CHECK_ID", "STATUS", *[c for c in h if c not in ("CHECK_ID", "STATUS")]]))
    rows = []
    for _ in range(data.draw(st.integers(1, 4))):
        row = [data.draw(_CSV_CELLS.get(name, _texts)) for name in header]
        rows.append(row + data.draw(st.sampled_from([[], [], [], ["surplus"]])))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(header)
    writer.writerows(rows)
    _import(buffer.getvalue(), "scan.csv")
