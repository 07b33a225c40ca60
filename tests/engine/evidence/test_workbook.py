"""Sheets that explode or mislead (issue 8, items 6 and 10): every limit breached is one InputError.

The hostile workbooks are generated here: openpyxl writes the ordinary parts, and the sheet's
XML is swapped for hand-written XML where openpyxl would refuse to write the trick.
"""
from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Iterable
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font

from maturity_graph.errors import InputError
from maturity_graph.evidence import spreadsheet, workbook
from maturity_graph.evidence.spreadsheet import import_sheet, read_csv_rows, read_xlsx_rows
from maturity_graph.namespaces import EV

HEADER = ["framework", "requirement_id", "status", "date", "evidence_link", "attester", "notes"]
ROW = ["sbd", "SBD-SPO-L2-1", "met", "2026-03-01", "https://wiki.example/policy", "Ana", ""]
SHEET_PART = "xl/worksheets/sheet1.xml"
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _workbook(rows: Iterable[list] = (HEADER, ROW), title: str = "evidence") -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    return wb


def _save(wb: Workbook, path: Path) -> Path:
    wb.save(path)
    return path


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _header_xml() -> str:
    return '<row r="1">' + "".join(_inline(f"{chr(65 + i)}1", name) for i, name in enumerate(HEADER)) + "</row>"


def _with_sheet_xml(path: Path, chunks: Iterable[bytes], *, compress: int = zipfile.ZIP_DEFLATED) -> Path:
    """A copy of an ordinary workbook whose first sheet's XML is the given chunks, streamed into the zip."""
    source = io.BytesIO()
    _workbook().save(source)
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(path, "w", compress) as target:
        for info in original.infolist():
            if info.filename == SHEET_PART:
                with target.open(SHEET_PART, "w", force_zip64=True) as stream:
                    for chunk in chunks:
                        stream.write(chunk)
            else:
                target.writestr(info.filename, original.read(info.filename))
    return path


def _sheet_xml(path: Path, body: str, *, dimension: str | None = None) -> Path:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    xml = f'<worksheet xmlns="{NS}">{dim}<sheetData>{_header_xml()}{body}</sheetData></worksheet>'
    return _with_sheet_xml(path, [xml.encode("utf-8")])


def _refused(path: Path, *needles: str) -> InputError:
    with pytest.raises(InputError) as info:
        import_sheet(path)
    message = str(info.value)
    assert message.startswith(str(path)) and "\n" not in message
    for needle in needles:
        assert needle in message, message
    return info.value


# --------------------------------------------------------------------------- inputs that explode


def test_a_styled_blank_cell_at_the_last_row_is_read_in_seconds(tmp_path):
    """Was 50-80 s and 3.8 GB: openpyxl built every cell up to row 1,048,576."""
    wb = _workbook()
    wb.active.cell(row=1_048_576, column=1).font = Font(bold=True)
    path = _save(wb, tmp_path / "styled.xlsx")
    started = time.monotonic()
    graph = import_sheet(path)
    assert time.monotonic() - started < 15
    assert len(set(graph.subjects(EV.status, EV.Met))) == 1


def test_a_bogus_dimension_does_not_decide_how_far_rows_are_read(tmp_path):
    path = _sheet_xml(tmp_path / "dim.xlsx", '<row r="2">' + "".join(
        _inline(f"{chr(65 + i)}2", v) for i, v in enumerate(ROW) if v) + "</row>", dimension="A1:XFD1048576")
    started = time.monotonic()
    sheet = read_xlsx_rows(path)
    assert time.monotonic() - started < 15
    assert sheet.numbers == (2,) and sheet.rows[0]["status"] == "met"


def test_a_decompression_bomb_is_refused_on_its_declared_size(tmp_path):
    """Was MemoryError: 200 MB of zeros deflate into a member of about 200 KB."""
    zeros = b"0" * (1 << 20)
    head = f'<worksheet xmlns="{NS}"><sheetData>{_header_xml()}<row r="2"><c r="G2" t="inlineStr"><is><t>'
    chunks = [head.encode(), *(zeros for _ in range(200)), b"</t></is></c></row></sheetData></worksheet>"]
    path = _with_sheet_xml(tmp_path / "bomb.xlsx", chunks)
    assert path.stat().st_size < 1_000_000
    started = time.monotonic()
    _refused(path, SHEET_PART, "unpacks to 200 MiB", "16 MiB")
    assert time.monotonic() - started < 5


def test_a_part_lying_about_its_size_is_read_no_further_than_declared(tmp_path):
    """zipfile stops at the declared size and the CRC fails, so the declared-size checks hold."""
    import struct

    body = "".join(f'<row r="{n}">{_inline(f"A{n}", "x" * 60)}</row>' for n in range(2, 50_000))
    path = _sheet_xml(tmp_path / "liar.xlsx", body)
    data = bytearray(path.read_bytes())
    name = SHEET_PART.encode()
    for signature, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        at = data.find(signature)
        while at != -1:
            if data[at + name_at:at + name_at + len(name)] == name:
                struct.pack_into("<I", data, at + size_at, 2048)
            at = data.find(signature, at + 4)
    path.write_bytes(bytes(data))
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo(SHEET_PART).file_size == 2048
    _refused(path, "CRC")


def test_a_part_compressed_beyond_any_sheet_is_refused(tmp_path):
    chunks = [f'<worksheet xmlns="{NS}"><sheetData>{_header_xml()}'.encode(), b" " * (8 << 20),
              b"</sheetData></worksheet>"]
    _refused(_with_sheet_xml(tmp_path / "ratio.xlsx", chunks), "decompression bomb", "100 to 1")


def test_the_zip_directory_limits(tmp_path, monkeypatch):
    path = _save(_workbook(), tmp_path / "ok.xlsx")
    monkeypatch.setattr(workbook, "MAX_XLSX_ENTRIES", 5)
    _refused(path, "parts, over the limit of 5")
    monkeypatch.setattr(workbook, "MAX_XLSX_ENTRIES", 1000)
    monkeypatch.setattr(workbook, "MAX_XLSX_UNPACKED_BYTES", 1000)
    _refused(path, "the workbook unpacks to")


def test_cells_without_references_cannot_run_past_the_last_column(tmp_path):
    """Was 34 s and 950 MB for a 35 KB file: 1.6 million unreferenced cells in one row."""
    _refused(_sheet_xml(tmp_path / "wide.xlsx", '<row r="2">' + "<c/>" * 16_385 + "</row>"),
             "past Excel's last column")


def test_a_row_past_the_last_excel_row_is_refused(tmp_path):
    _refused(_sheet_xml(tmp_path / "far.xlsx", f'<row r="1048577">{_inline("A1048577", "sbd")}</row>'),
             "past Excel's last row")


def test_the_cell_and_row_counts_are_limited(tmp_path, monkeypatch):
    body = "".join(f'<row r="{n}"><c r="A{n}" s="1"/><c r="B{n}" s="1"/></row>' for n in range(2, 30))
    path = _sheet_xml(tmp_path / "many.xlsx", body)
    read_xlsx_rows(path)
    monkeypatch.setattr(workbook, "MAX_SHEET_CELLS", 40)
    _refused(path, "more than 40 cells")
    monkeypatch.setattr(workbook, "MAX_SHEET_CELLS", 1000)
    monkeypatch.setattr(workbook, "MAX_SHEET_XML_ROWS", 20)
    _refused(path, "more than 20 rows")


def test_filled_rows_and_named_columns_are_limited(tmp_path, monkeypatch):
    rows = [HEADER] + [["sbd", "SBD-SPO-L2-1", "met", "2026-03-01", "https://w.example/", "Ana", ""]] * 4
    xlsx = _save(_workbook(rows), tmp_path / "rows.xlsx")
    csv_path = tmp_path / "rows.csv"
    csv_path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    monkeypatch.setattr(spreadsheet, "MAX_SHEET_ROWS", 3)
    for path in (xlsx, csv_path):
        assert _refused(path, "more than 3 filled rows").line == 5
    wide = _save(_workbook([HEADER + [""] * 93 + ["late"], ROW]), tmp_path / "wide.xlsx")
    _refused(wide, "column in CW", "limit of 100 columns")


def test_a_csv_longer_than_excel_is_refused(tmp_path):
    path = tmp_path / "long.csv"
    path.write_bytes(",".join(HEADER).encode() + b"\n" + b"\n" * 1_048_576 + b"sbd\n")
    _refused(path, "more than 1,048,576 rows")


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_cell_over_excels_limit_is_refused(tmp_path, suffix):
    rows = [HEADER, ROW[:-1] + ["x" * 40_000]]
    path = tmp_path / f"cell{suffix}"
    if suffix == ".csv":
        path.write_text("\n".join(",".join(r) for r in rows), encoding="utf-8")
    else:  # openpyxl cuts text at 32,767 characters when it writes, so the XML is written by hand
        cells = "".join(_inline(f"{chr(65 + i)}2", v) for i, v in enumerate(ROW[:6]))
        path = _sheet_xml(path, f'<row r="2">{cells}{_inline("G2", "x" * 40_000)}</row>')
    _refused(path, "G2 holds 40,000 characters", "32,767")


def test_a_csv_cell_beyond_the_csv_modules_limit_is_an_input_error(tmp_path):
    path = tmp_path / "huge.csv"
    path.write_text(",".join(HEADER) + "\n" + "sbd," + "y" * 200_000 + "\n", encoding="utf-8")
    _refused(path, "after row 1", "32,767")


# --------------------------------------------------------------------------- sheets that mislead


def test_rows_out_of_order_are_refused_not_dropped(tmp_path):
    """openpyxl silently drops a row listed after a later one."""
    def row(n):
        return f'<row r="{n}">' + _inline(f"A{n}", "sbd") + _inline(f"B{n}", "SBD-SPO-L2-1") + "</row>"

    _refused(_sheet_xml(tmp_path / "order.xlsx", row(5) + row(3)), "row 3 after row 5")
    _refused(_sheet_xml(tmp_path / "twice.xlsx", row(3) + row(3)), "row 3 after row 3")
    cells = '<row r="2">' + _inline("B2", "x") + _inline("A2", "y") + "</row>"
    _refused(_sheet_xml(tmp_path / "cells.xlsx", cells), "cell A2 out of place")


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_column_named_twice_is_refused(tmp_path, suffix):
    """Was silent: the second status column was dropped."""
    rows = [HEADER + ["Status"], ROW[:2] + ["", *ROW[3:], "met"]]
    path = tmp_path / f"dup{suffix}"
    if suffix == ".csv":
        path.write_text("\n".join(",".join(r) for r in rows), encoding="utf-8")
    else:
        _save(_workbook(rows), path)
    assert _refused(path, "column status 2 times (C, H)").line == 1


def test_a_formula_in_the_status_column_is_refused_naming_the_cell(tmp_path):
    """Was imported: the status was whatever Excel had cached (or blank, for a file written by a script)."""
    path = _save(_workbook([HEADER, ROW[:2] + ['=IF(1,"met","not_met")'] + ROW[3:]]), tmp_path / "f.xlsx")
    err = _refused(path, "cell C2 (status) holds a formula (=IF(1,\"met\",\"not_met\"))", "Paste Special")
    assert err.line == 2


@pytest.mark.parametrize("column, letter", [("date", "D"), ("evidence_link", "E")])
def test_formulas_in_the_other_typed_columns_are_refused(tmp_path, column, letter):
    row = list(ROW)
    row[HEADER.index(column)] = "=A2"
    _refused(_save(_workbook([HEADER, row]), tmp_path / "f.xlsx"), f"cell {letter}2 ({column}) holds a formula")


def test_a_formula_elsewhere_gives_its_cached_value(tmp_path):
    cells = "".join(_inline(f"{chr(65 + i)}2", v) for i, v in enumerate(ROW[:5]))
    cells += '<c r="F2" t="str"><f>"An"&amp;"a"</f><v>Ana</v></c>'
    graph = import_sheet(_sheet_xml(tmp_path / "cached.xlsx", f'<row r="2">{cells}</row>'))
    assert {str(o) for o in graph.objects(None, EV.status)} == {str(EV.Met)}
    assert "Ana" in {str(label) for label in graph.objects(None, None)}


def test_chartsheets_are_input_errors(tmp_path):
    """Were AttributeError and IndexError (exit 3)."""
    def chart_workbook(chart_name: str) -> Workbook:
        wb = _workbook(title="data")
        chart = BarChart()
        chart.add_data(Reference(wb["data"], min_col=1, min_row=1, max_row=2))
        wb.create_chartsheet(chart_name, 0).add_chart(chart)
        return wb

    _refused(_save(chart_workbook("evidence"), tmp_path / "named.xlsx"), "'evidence' is a chart")
    only = Workbook()
    only.create_chartsheet("chart", 0).add_chart(BarChart())
    del only["Sheet"]
    _refused(_save(only, tmp_path / "only.xlsx"), "no worksheet with rows")
    first = _save(chart_workbook("chart"), tmp_path / "first.xlsx")
    assert len(set(import_sheet(first).subjects(EV.status, EV.Met))) == 1  # the first worksheet is used


@pytest.mark.parametrize("content", [b"", b"PK\x05\x06" + b"\0" * 18, b"not a zip"], ids=["empty", "empty-zip", "text"])
def test_files_that_are_not_workbooks(tmp_path, content):
    path = tmp_path / "x.xlsx"
    path.write_bytes(content)
    _refused(path, "Excel workbook")


def test_a_doctype_in_the_sheet_is_refused(tmp_path):
    xml = (f'<!DOCTYPE x [<!ENTITY a "aaaa">]><worksheet xmlns="{NS}"><sheetData>{_header_xml()}'
           "</sheetData></worksheet>")
    path = _with_sheet_xml(tmp_path / "dtd.xlsx", [xml.encode()])
    with pytest.raises(InputError):
        import_sheet(path)


@pytest.mark.parametrize("value, problem", [("1e-999999999", "not a number"), ("1E+9999", "not a number"),
                                            ("NaN", "not a number"), ("0x1", "not a number")])
def test_measured_values_in_exponent_form_are_row_problems(tmp_path, value, problem):
    from maturity_graph.catalogue import load_catalogue

    catalogue = load_catalogue()
    measured = next(r.id for r in catalogue.requirement_rows(catalogue.get("ztmm")) if r.measured)
    path = tmp_path / "m.csv"
    path.write_text(f"framework,requirement_id,status,date,value\nztmm,{measured},met,2026-03-01,{value}\n",
                    encoding="utf-8")
    assert _refused(path, problem).line == 2


def test_a_tiny_measured_value_is_written_as_a_plain_decimal(tmp_path):
    from maturity_graph.catalogue import load_catalogue

    catalogue = load_catalogue()
    measured = next(r.id for r in catalogue.requirement_rows(catalogue.get("ztmm")) if r.measured)
    path = tmp_path / "m.csv"
    path.write_text(f"framework,requirement_id,status,date,value\nztmm,{measured},met,2026-03-01,0.0000001\n",
                    encoding="utf-8")
    (value,) = import_sheet(path).objects(None, EV.value)
    assert str(value) == "0.0000001"  # not 1E-7, which is no xsd:decimal


def test_blank_rows_are_skipped_but_row_numbers_kept(tmp_path):
    path = tmp_path / "gaps.csv"
    path.write_text(",".join(HEADER) + "\n\n,,\n" + ",".join(ROW) + "\n", encoding="utf-8")
    sheet = read_csv_rows(path)
    assert sheet.numbers == (4,) and sheet.rows[0]["requirement_id"] == "SBD-SPO-L2-1"
