"""The spreadsheet loop: template -> filled sheet -> evidence graph."""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from rdflib import RDF, RDFS, Graph, Literal
from rdflib.compare import isomorphic
from rdflib.namespace import PROV

from maturity_graph.catalogue import load_catalogue
from maturity_graph.errors import InputError
from maturity_graph.evidence.load import EvidenceSet
from maturity_graph.evidence.spreadsheet import (
    COLUMNS,
    SHEET_READERS,
    STATUSES,
    TEMPLATE_WRITERS,
    import_sheet,
    read_csv_rows,
    read_xlsx_rows,
    template_rows,
    write_template_csv,
    write_template_xlsx,
)
from maturity_graph.namespaces import EV
from maturity_graph.validate.wellformed import validate_evidence

DATA = Path(__file__).resolve().parents[2] / "data" / "sheets"
CATALOGUE = load_catalogue()
SBD = CATALOGUE.get("sbd")
REQUIREMENTS = CATALOGUE.requirement_rows(SBD)
BY_ID = {r.id: r for r in REQUIREMENTS}
IDS = [r.id for r in REQUIREMENTS]


# --------------------------------------------------------------------------- helpers


def _write_csv(path: Path, header, records) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(records)
    return path


def _write_xlsx(path: Path, header, records) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "evidence"
    ws.append(list(header))
    for record in records:
        ws.append([None if v == "" else v for v in record])
    wb.save(path)
    return path


SHEET_WRITERS = {"csv": _write_csv, "xlsx": _write_xlsx}


def _record(req_id, status="", date="", link="", attester="", notes="", framework="sbd"):
    return {"framework": framework, "requirement_id": req_id, "status": status, "date": date,
            "evidence_link": link, "attester": attester, "notes": notes}


def _filled_template(fills: dict[str, dict]) -> list[dict]:
    rows = template_rows("sbd")
    for row in rows:
        row.update(fills.get(row["requirement_id"], {}))
    return rows


def _attestations(graph: Graph) -> set[tuple]:
    """What each attestation says, independent of node names."""
    out = set()
    for node in graph.subjects(RDF.type, EV.Attestation):
        attester = graph.value(node, PROV.wasAttributedTo)
        artifact = graph.value(node, EV.artifact)
        note = graph.value(node, EV.note)
        out.add((
            graph.value(node, EV.addresses),
            graph.value(node, EV.status),
            graph.value(node, EV.date).toPython(),
            str(artifact) if artifact is not None else None,
            str(graph.value(attester, RDFS.label)) if attester is not None else None,
            str(note) if note is not None else None,
        ))
    return out


def _assert_wellformed(graph: Graph) -> None:
    result = validate_evidence(EvidenceSet(graph=graph), catalogue=CATALOGUE)
    assert result.conforms, result.violations


# --------------------------------------------------------------------------- template


def test_template_has_one_row_per_requirement_in_reading_order():
    rows = template_rows("sbd")
    assert len(rows) == len(REQUIREMENTS)
    assert [r["requirement_id"] for r in rows] == IDS
    assert all(tuple(r) == COLUMNS for r in rows)
    first = rows[0]
    assert first["framework"] == "sbd"
    assert first["requirement"] == REQUIREMENTS[0].text
    assert first["stage"] == REQUIREMENTS[0].stage_label
    assert first["dimension"] == REQUIREMENTS[0].place.dimension_label
    assert first["capability"] == REQUIREMENTS[0].place.capability_label
    assert all(r[c] == "" for r in rows for c in ("status", "evidence_link", "date", "attester", "notes"))


def test_template_accepts_framework_case_variants():
    assert template_rows("SBD") == template_rows(SBD)


def test_csv_template_header_is_exact():
    buffer = io.BytesIO()
    write_template_csv(template_rows("sbd"), buffer)
    text = buffer.getvalue().decode("utf-8")
    assert text.splitlines()[0] == ",".join(COLUMNS)
    assert len(list(csv.reader(io.StringIO(text)))) == len(REQUIREMENTS) + 1


@pytest.mark.parametrize("fmt", sorted(TEMPLATE_WRITERS))
def test_template_reads_back_as_the_same_rows(tmp_path, fmt):
    rows = template_rows("sbd")
    path = tmp_path / f"template.{fmt}"
    with path.open("wb") as stream:
        TEMPLATE_WRITERS[fmt](rows, stream)
    sheet = SHEET_READERS[path.suffix](path)
    assert sheet.columns == COLUMNS
    assert list(sheet.rows) == rows


def test_xlsx_template_has_validations_frozen_bold_header_widths_and_instructions(tmp_path):
    path = tmp_path / "template.xlsx"
    with path.open("wb") as stream:
        write_template_xlsx(template_rows("sbd"), stream)
    wb = load_workbook(path)
    assert wb.sheetnames == ["evidence", "instructions"]
    ws = wb["evidence"]
    assert [c.value for c in ws[1]] == list(COLUMNS)
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "A2"
    last = len(REQUIREMENTS) + 1
    letter = {name: get_column_letter(i + 1) for i, name in enumerate(COLUMNS)}
    checks = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    expected = {
        "status": ("list", None, '"met,not_met,not_applicable,unknown"', None),
        "value": ("decimal", "between", "0", "1"),
        "date": ("date", "between", "DATE(1900,1,1)", "TODAY()+1"),
        "priority": ("whole", "between", "1", "5"),
        "due_date": ("date", "greaterThanOrEqual", "DATE(1900,1,1)", None),
        "effort": ("decimal", "greaterThanOrEqual", "0", None),
    }
    assert len(checks) == len(expected)
    for name, (kind, operator, low, high) in expected.items():
        dv = checks[f"{letter[name]}2:{letter[name]}{last}"]
        assert (dv.type, dv.operator, dv.formula1, dv.formula2) == (kind, operator, low, high), name
        assert dv.allow_blank and dv.showErrorMessage and dv.error, name
    assert checks[f"{letter['date']}2:{letter['date']}{last}"].errorStyle == "warning"  # --assessment-date may allow it
    for name in ("date", "due_date"):
        assert ws[f"{letter[name]}2"].number_format == "yyyy-mm-dd"
    widths = {name: ws.column_dimensions[letter[name]].width for name in COLUMNS}
    assert all(8 <= width <= 70 for width in widths.values())
    assert widths["requirement"] == max(widths.values()) and widths["requirement_id"] >= len("SBD-SPO-L2-1")
    assert ws[f"{letter['requirement']}2"].alignment.wrap_text
    text = "\n".join(str(r[0]) for r in wb["instructions"].iter_rows(values_only=True) if r[0])
    for expected_text in (SBD.label, SBD.version, SBD.license, "counts for 365 days after its date", "YYYY-MM-DD",
                          "met: an evidence link", "and an attester", "not_applicable: the reason in notes",
                          "the measured value", "priority", "due_date", "effort", "subject_id", "one product"):
        assert expected_text in text, expected_text


def test_xlsx_template_names_each_frameworks_validity_window():
    for fw_id, days in (("csmm", 30), ("ztmm", 92)):
        buffer = io.BytesIO()
        write_template_xlsx(template_rows(fw_id), buffer)
        text = "\n".join(str(r[0]) for r in load_workbook(buffer)["instructions"].iter_rows(values_only=True) if r[0])
        assert f"counts for {days} days after its date" in text


def test_xlsx_template_is_deterministic():
    first, second = io.BytesIO(), io.BytesIO()
    write_template_xlsx(template_rows("sbd"), first)
    write_template_xlsx(template_rows("sbd"), second)
    assert first.getvalue() == second.getvalue()


def test_untouched_template_gives_no_attestations(tmp_path):
    path = tmp_path / "template.csv"
    with path.open("wb") as stream:
        write_template_csv(template_rows("sbd"), stream)
    with pytest.raises(InputError, match="no row has a status and a date"):
        import_sheet(path)
    graph = import_sheet(path, assessment_date=dt.date(2026, 1, 31))
    assert not _attestations(graph)
    assessment = next(graph.subjects(RDF.type, EV.Assessment))
    assert graph.value(assessment, EV.framework) == SBD.iri
    _assert_wellformed(graph)


# --------------------------------------------------------------------------- the loop

FILLS = {
    IDS[0]: {"status": "met", "date": "2026-03-01", "evidence_link": "https://wiki.example.com/policy",
             "attester": "Ana Silva"},
    IDS[1]: {"status": "Not Met", "date": "2026-03-02", "attester": "Ana Silva", "notes": "draft only"},
    IDS[2]: {"status": "not_applicable", "date": "2026-03-03", "attester": "Bo Chen",
             "notes": "no external users"},
    IDS[3]: {"status": "met", "date": "2026-02-15", "evidence_link": "s3://bucket/reports/q1.pdf",
             "attester": "Çelik, \"Deniz\""},
    IDS[4]: {"status": "unknown", "date": "2026-03-04"},
}
EXPECTED = {
    (BY_ID[IDS[0]].requirement, EV.Met, dt.date(2026, 3, 1), "https://wiki.example.com/policy", "Ana Silva", None),
    (BY_ID[IDS[1]].requirement, EV.NotMet, dt.date(2026, 3, 2), None, "Ana Silva", "draft only"),
    (BY_ID[IDS[2]].requirement, EV.NotApplicable, dt.date(2026, 3, 3), None, "Bo Chen", "no external users"),
    (BY_ID[IDS[3]].requirement, EV.Met, dt.date(2026, 2, 15), "s3://bucket/reports/q1.pdf", "Çelik, \"Deniz\"", None),
    (BY_ID[IDS[4]].requirement, EV.Unknown, dt.date(2026, 3, 4), None, None, None),
}


def _filled_sheet(tmp_path: Path, fmt: str) -> Path:
    rows = _filled_template(FILLS)
    path = tmp_path / f"filled.{fmt}"
    with path.open("wb") as stream:
        TEMPLATE_WRITERS[fmt](rows, stream)
    if fmt == "xlsx":
        # as a person would: real date cells typed into the template
        wb = load_workbook(path)
        ws = wb["evidence"]
        column = COLUMNS.index("date") + 1
        for (cell,) in ws.iter_rows(min_row=2, min_col=column, max_col=column):
            if isinstance(cell.value, str):
                cell.value = dt.date.fromisoformat(cell.value)
        wb.save(path)
    return path


@pytest.mark.parametrize("fmt", sorted(TEMPLATE_WRITERS))
def test_filled_template_imports_as_attestations(tmp_path, fmt):
    path = _filled_sheet(tmp_path, fmt)
    before = hashlib.sha256(path.read_bytes()).digest()
    graph = import_sheet(path, organisation="Example Ltd")
    assert hashlib.sha256(path.read_bytes()).digest() == before
    assert _attestations(graph) == EXPECTED
    assessment = next(graph.subjects(RDF.type, EV.Assessment))
    assert graph.value(assessment, EV.assessmentDate) == Literal(dt.date(2026, 3, 4))
    assert list(graph.objects(assessment, EV.framework)) == [SBD.iri]
    organisation = graph.value(assessment, EV.organisation)
    assert (organisation, RDF.type, PROV.Organization) in graph
    assert str(graph.value(organisation, RDFS.label)) == "Example Ltd"
    assert len(set(graph.subjects(RDF.type, PROV.Person))) == 3
    for node in graph.subjects(RDF.type, EV.Attestation):
        assert graph.value(node, EV.inAssessment) == assessment
        assert re.fullmatch(r"SBD-[A-Z]+-L\d-\d \(row \d+\)", str(graph.value(node, RDFS.label)))
    _assert_wellformed(graph)


@pytest.mark.parametrize("fmt", sorted(TEMPLATE_WRITERS))
def test_import_is_deterministic(tmp_path, fmt):
    path = _filled_sheet(tmp_path, fmt)
    first, second = import_sheet(path), import_sheet(path)
    assert isomorphic(first, second)
    assert set(first) == set(second)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    assert all(str(s).startswith(f"urn:maturity-graph:sheet:{digest}:") for s in first.subjects(unique=True))


def test_graph_survives_turtle_round_trip(tmp_path):
    graph = import_sheet(_filled_sheet(tmp_path, "csv"), organisation="Example Ltd")
    again = Graph().parse(data=graph.serialize(format="turtle"), format="turtle")
    assert isomorphic(graph, again)


def test_assessment_date_can_be_given(tmp_path):
    graph = import_sheet(_filled_sheet(tmp_path, "csv"), assessment_date=dt.date(2026, 4, 1))
    assert Literal(dt.date(2026, 4, 1)) in set(graph.objects(None, EV.assessmentDate))


def test_handwritten_sheet_with_bom_extra_column_and_variants():
    path = DATA / "filled.csv"
    graph = import_sheet(path)
    req = {i: BY_ID[i].requirement for i in IDS}
    assert _attestations(graph) == {
        (req["SBD-SPO-L2-1"], EV.Met, dt.date(2026, 3, 1), "https://wiki.example.com/policy", "Ana Silva", None),
        (req["SBD-SPO-L3-1"], EV.NotMet, dt.date(2026, 3, 2), None, "Ana Silva", "in progress, due Q3"),
        (req["SBD-SPO-L3-2"], EV.NotApplicable, dt.date(2026, 3, 3), None, "Bo Chen", "no external users"),
        (req["SBD-SPO-L4-2"], EV.Unknown, dt.date(2026, 3, 4), None, None, None),
    }
    labels = sorted(str(graph.value(n, RDFS.label)) for n in graph.subjects(RDF.type, EV.Attestation))
    assert labels == ["SBD-SPO-L2-1 (row 2)", "SBD-SPO-L3-1 (row 3)", "SBD-SPO-L3-2 (row 4)", "SBD-SPO-L4-2 (row 6)"]
    _assert_wellformed(graph)


# --------------------------------------------------------------------------- bad rows

HEADER = ("framework", "requirement_id", "status", "date", "evidence_link", "attester", "notes")
BAD_RECORDS = [
    ("sbd", IDS[0], "met", "2026-03-01", "https://x.example/a", "Ana", ""),  # row 2: fine
    ("sbd", IDS[1], "done", "2026-03-01", "", "", ""),  # row 3: status
    ("sbd", IDS[2], "met", "31/02/2026", "https://x.example/a", "Ana", ""),  # row 4: date
    ("sbd", "SBD-XXX-L9-1", "met", "2026-03-01", "", "", ""),  # row 5: unknown id
    ("ztmm9", IDS[3], "met", "2026-03-01", "", "", ""),  # row 6: unknown framework
    ("sbd", IDS[4], "met", "", "https://x.example/a", "Ana", ""),  # row 7: no date
    ("sbd", IDS[5], "met", "2026-03-01", "docs/policy.pdf", "Ana", ""),  # row 8: relative link
    ("", "", "", "", "", "", ""),  # row 9: blank, skipped
    ("sbd", IDS[6], "met", "2026-03-01", "", "", ""),  # row 10: fine
    ("sbd", IDS[6], "not_met", "2026-03-01", "", "", ""),  # row 11: conflicts with row 10
    ("sbd", IDS[7], "", "", "", "", ""),  # row 12: untouched
]
BAD_ROWS = [3, 4, 5, 6, 7, 8, 11]


@pytest.mark.parametrize("fmt", sorted(SHEET_WRITERS))
def test_every_bad_row_is_reported_at_once(tmp_path, fmt):
    path = SHEET_WRITERS[fmt](tmp_path / f"bad.{fmt}", HEADER, BAD_RECORDS)
    with pytest.raises(InputError) as info:
        import_sheet(path)
    err = info.value
    assert err.line == 3
    assert err.path == str(path)
    assert err.message.startswith(f"{len(BAD_ROWS)} bad rows: ")
    reported = {int(n) for n in re.findall(r"(?:: |; )row (\d+): ", err.message)}
    assert reported == set(BAD_ROWS)
    assert 'status "done" is not one of met, not_met, not_applicable, unknown' in err.message
    assert 'date "31/02/2026" is not a date written YYYY-MM-DD' in err.message
    assert 'requirement id "SBD-XXX-L9-1" is not a requirement of framework sbd' in err.message
    assert 'framework "ztmm9"' in err.message
    assert f"{IDS[6]} on 2026-03-01 is not_met here but met in row 10" in err.message
    assert '"docs/policy.pdf"' in err.message


@pytest.mark.parametrize(
    ("link", "ok"),
    [
        ("https://example.com/a?b=c#d", True),
        ("file:///srv/evidence/policy.pdf", True),
        ("s3://bucket/key", True),
        ("urn:isbn:0451450523", True),
        ("policy.pdf", False),
        ("/srv/policy.pdf", False),
        ("https://example.com/a b", False),
        ("https:///nohost", False),
        ("C:\\docs\\policy.pdf", False),
        ("mailto:", False),
    ],
)
def test_evidence_link_must_be_absolute(tmp_path, link, ok):
    path = _write_csv(tmp_path / "s.csv", HEADER, [("sbd", IDS[0], "met", "2026-03-01", link, "Ana", "")])
    if ok:
        assert len(_attestations(import_sheet(path))) == 1
    else:
        with pytest.raises(InputError, match="row 2: evidence link"):
            import_sheet(path)


def test_same_status_twice_on_a_date_is_not_a_conflict(tmp_path):
    path = _write_csv(tmp_path / "s.csv", HEADER, [("sbd", IDS[0], "met", "2026-03-01", "", "", "")] * 2)
    assert len(list(import_sheet(path).subjects(RDF.type, EV.Attestation))) == 2


# --------------------------------------------------------------------------- broken files


def test_wrong_suffix_lists_supported_suffixes(tmp_path):
    path = tmp_path / "evidence.ods"
    path.write_bytes(b"whatever")
    with pytest.raises(InputError, match=r"supported suffixes: \.csv, \.xlsx"):
        import_sheet(path)


def test_xlsx_that_is_not_a_workbook():
    with pytest.raises(InputError, match="not an Excel workbook"):
        import_sheet(DATA / "not-a-workbook.xlsx")


def test_zip_that_is_not_a_workbook(tmp_path):
    import zipfile

    path = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("hello.txt", "hi")
    with pytest.raises(InputError, match="not an Excel workbook"):
        import_sheet(path)


def test_empty_csv():
    with pytest.raises(InputError, match="empty"):
        import_sheet(DATA / "empty.csv")


def test_empty_xlsx(tmp_path):
    path = tmp_path / "empty.xlsx"
    Workbook().save(path)
    with pytest.raises(InputError, match="empty"):
        import_sheet(path)


def test_missing_columns_are_named():
    with pytest.raises(InputError, match=r"lacks the column date") as info:
        import_sheet(DATA / "missing-columns.csv")
    assert info.value.line == 1


def test_csv_that_is_not_utf8(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes(",".join(HEADER).encode() + b"\nsbd,SBD-SPO-L2-1,met,2026-03-01,,Jos\xe9,\n")
    with pytest.raises(InputError, match="UTF-8"):
        import_sheet(path)


def test_missing_file(tmp_path):
    with pytest.raises(InputError):
        import_sheet(tmp_path / "nope.csv")


def test_readers_are_usable_alone(tmp_path):
    path = _write_xlsx(tmp_path / "s.xlsx", HEADER, [("sbd", IDS[0], "met", dt.date(2026, 3, 1), "", "", "")])
    sheet = read_xlsx_rows(path)
    assert sheet.rows[0]["date"] == dt.date(2026, 3, 1)
    path = _write_csv(tmp_path / "s.csv", HEADER, [("sbd", IDS[0], "met", "2026-03-01", "", "", "")])
    assert read_csv_rows(path).rows[0]["date"] == "2026-03-01"


# --------------------------------------------------------------------------- properties

_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=25)


def _spelling(status: str, upper: bool, sep: str) -> str:
    text = status.replace("_", sep)
    return text.upper() if upper else text


_row = st.fixed_dictionaries({
    "status": st.sampled_from(sorted(STATUSES)),
    "upper": st.booleans(),
    "sep": st.sampled_from(["_", "-", " "]),
    "date": st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
    "link": st.one_of(
        st.just(""),
        st.builds(
            lambda scheme, tail: f"{scheme}{tail}",
            st.sampled_from(["https://example.com/", "http://h.example/", "file:///srv/", "s3://bucket/", "urn:x:"]),
            st.text(st.characters(whitelist_categories=("Ll", "Lu", "Nd"), max_codepoint=0x7F), max_size=12),
        ),
    ),
    "attester": _TEXT,
    "notes": _TEXT,
})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ids=st.lists(st.sampled_from(IDS), min_size=1, max_size=8, unique=True), data=st.data())
def test_csv_round_trip_gives_exactly_the_rows(ids, data):
    rows = [data.draw(_row) for _ in ids]
    records = [
        ("sbd", req_id, _spelling(r["status"], r["upper"], r["sep"]), r["date"].isoformat(), r["link"], r["attester"],
         r["notes"])
        for req_id, r in zip(ids, rows, strict=True)
    ]
    with tempfile.TemporaryDirectory() as folder:  # dated up to 2100: judged on a day after all of them
        graph = import_sheet(_write_csv(Path(folder) / "sheet.csv", HEADER, records),
                             assessment_date=dt.date(2100, 12, 31))
    expected = {
        (BY_ID[req_id].requirement, STATUSES[r["status"]], r["date"], r["link"] or None,
         r["attester"].strip() or None, r["notes"].strip() or None)
        for req_id, r in zip(ids, rows, strict=True)
    }
    assert _attestations(graph) == expected
    names = {r["attester"].strip() for r in rows} - {""}
    assert len(set(graph.subjects(RDF.type, PROV.Person))) == len(names)


@settings(max_examples=60, deadline=None)
@given(status=_TEXT, date=_TEXT)
def test_arbitrary_status_and_date_text_is_accepted_or_an_input_error(status, date):
    record = ("sbd", IDS[0], status, date, "https://example.com/e", "Ana", "why")
    with tempfile.TemporaryDirectory() as folder:
        try:
            graph = import_sheet(_write_csv(Path(folder) / "s.csv", HEADER, [record]),
                                 assessment_date=dt.date(2026, 1, 1))
        except InputError as err:
            assert err.line in (None, 2)
            return
    found = _attestations(graph)
    key = re.sub(r"[-\s]", "_", status.strip().lower()) or "unknown"
    if not found:
        assert key == "unknown" and not date.strip()
        return
    ((_, got_status, got_date, *_),) = found
    assert got_status == STATUSES[key]
    assert got_date == dt.date.fromisoformat(date.strip())


def test_details_without_status_are_rejected_not_dropped(tmp_path):
    rows = template_rows("sbd")
    rows[0].update(evidence_link="https://wiki.example/policy", attester="Pat Lee")
    path = tmp_path / "half.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(InputError, match="row 2: evidence_link, attester filled in but no status or date") as err:
        import_sheet(path)
    assert err.value.line == 2
