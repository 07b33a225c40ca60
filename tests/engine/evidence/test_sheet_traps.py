"""Sheets in use (issue 10): subjects, planned work, and the traps flagged at import."""
from __future__ import annotations

import csv
import datetime as dt
import logging
import os
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import RDF, RDFS, XSD, Graph, Literal
from rdflib.compare import isomorphic

from maturity_graph.catalogue import load_catalogue
from maturity_graph.cli import main
from maturity_graph.errors import InputError, RowErrors
from maturity_graph.evidence.load import EvidenceSet
from maturity_graph.evidence.spreadsheet import import_sheet
from maturity_graph.namespaces import EV
from maturity_graph.validate.wellformed import validate_evidence

CATALOGUE = load_catalogue()
SBD_IDS = [r.id for r in CATALOGUE.requirement_rows(CATALOGUE.get("sbd"))]
BY_ID = {r.id: r for r in CATALOGUE.requirement_rows(CATALOGUE.get("sbd"))}
# an attestation requirement (no measured value) of each framework that says what it assesses
PLAIN = {fw: next(r.id for r in CATALOGUE.requirement_rows(CATALOGUE.get(fw)) if not r.measured)
         for fw in ("csmm", "ztmm")}
TODAY = dt.date(2026, 12, 3)
LINK, WHO = "https://wiki.example/policy", "Ana Silva"
HEADER = ("framework", "requirement_id", "status", "date", "evidence_link", "attester", "notes", "value",
          "priority", "owner", "due_date", "effort", "subject", "subject_id")


def _sheet(folder: Path, rows: list[dict[str, str]], name: str = "sheet.csv") -> Path:
    path = folder / name
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=HEADER)
        writer.writeheader()
        for row in rows:
            writer.writerow({"framework": "sbd", **row})
    return path


def _met(req: str, date: str = "2026-03-01", **more: str) -> dict[str, str]:
    return {"requirement_id": req, "status": "met", "date": date, "evidence_link": LINK, "attester": WHO, **more}


def _assessments(graph: Graph) -> dict[str, object]:
    """Each assessment by its subject's label (None: no subject)."""
    found = {}
    for assessment in graph.subjects(RDF.type, EV.Assessment):
        subject = graph.value(assessment, EV.subject)
        found[str(graph.value(subject, RDFS.label)) if subject is not None else None] = assessment
    return found


def _wellformed(graph: Graph) -> None:
    result = validate_evidence(EvidenceSet(graph=graph), catalogue=CATALOGUE)
    assert result.conforms, result.violations


# --------------------------------------------------------------------------- future rows


def test_a_row_dated_after_tomorrow_is_refused_naming_it(tmp_path):
    path = _sheet(tmp_path, [_met(SBD_IDS[0]), _met(SBD_IDS[1], "2027-12-01"), _met(SBD_IDS[2], "2026-12-04")])
    with pytest.raises(RowErrors) as info:
        import_sheet(path, today=TODAY)
    assert info.value.line == 3 and info.value.rows == (
        f"row 3: {SBD_IDS[1]} is dated 2027-12-01, later than today (2026-12-03): evidence dated after the as-of day "
        "does not count, and as the assessment date it would expire every other row; check the date, or pass "
        "--assessment-date",)  # row 4, a day ahead, is within the grace


def test_an_assessment_date_allows_later_rows_and_refuses_rows_after_it(tmp_path):
    path = _sheet(tmp_path, [_met(SBD_IDS[0]), _met(SBD_IDS[1], "2027-12-01")])
    graph = import_sheet(path, today=TODAY, assessment_date=dt.date(2027, 12, 31))
    assert set(graph.objects(None, EV.assessmentDate)) == {Literal(dt.date(2027, 12, 31))}
    with pytest.raises(RowErrors, match=r"row 3: .* is dated 2027-12-01, after the assessment date \(2027-06-30\)"):
        import_sheet(path, today=TODAY, assessment_date=dt.date(2027, 6, 30))


# --------------------------------------------------------------------------- rows that will not count


def test_rows_that_will_not_count_are_warned_about_one_a_row_and_still_imported(tmp_path, caplog):
    measured = next(r.id for r in CATALOGUE.requirement_rows(CATALOGUE.get("ztmm")) if r.measured)
    rows = [
        _met(SBD_IDS[0]),  # row 2: counts
        {**_met(SBD_IDS[1]), "attester": ""},  # row 3: met without attester
        {**_met(SBD_IDS[2]), "evidence_link": "", "attester": ""},  # row 4: without both
        {"requirement_id": SBD_IDS[3], "status": "not_applicable", "date": "2026-03-01", "attester": WHO},  # row 5
        {"requirement_id": SBD_IDS[4], "status": "not_applicable", "date": "2026-03-01", "notes": "no users",
         "attester": WHO},  # row 6: counts
        {**_met(measured), "framework": "ztmm"},  # row 7: measured, no value
        {**_met(measured, "2026-03-02"), "framework": "ztmm", "value": "0.9"},  # row 8: measured, with value
        {"requirement_id": SBD_IDS[5], "status": "not_met", "date": "2026-03-01"},  # row 9: says not met
    ]
    with caplog.at_level(logging.WARNING, logger="maturity_graph"):
        graph = import_sheet(_sheet(tmp_path, rows), today=TODAY)
    warned = [r.getMessage() for r in caplog.records if r.name.endswith("spreadsheet")]
    assert [int(re.search(r"\(row (\d+)\)", w).group(1)) for w in warned] == [3, 4, 5, 7]
    assert all("so it will not count" in w and "\n" not in w for w in warned)
    assert "is met without an attester" in warned[0]
    assert "is met without an evidence link or an attester" in warned[1]
    assert "is not_applicable without a reason in notes" in warned[2]
    assert f"{measured} (row 7) is met without a value" in warned[3] and "a ratio from 0 to 1" in warned[3]
    assert len(list(graph.subjects(EV.status, None))) == len(rows)  # imported all the same


# --------------------------------------------------------------------------- errors one a line


def test_cli_lists_bad_rows_one_a_line_and_writes_nothing(tmp_path, capsys):
    rows = [_met(SBD_IDS[0]), {**_met(SBD_IDS[1]), "status": "done"}, _met("SBD-NOPE-L9-9"),
            {**_met(SBD_IDS[2]), "date": "31/02/2026", "priority": "9"}, _met(SBD_IDS[3], "2999-01-01")]
    path = _sheet(tmp_path, rows)
    out = tmp_path / "out.ttl"
    assert main(["evidence", "import", str(path), "-o", str(out)]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == f"mgraph: error: {path}:3: 4 bad rows:"
    assert [re.match(r"  row (\d+): ", line).group(1) for line in lines[1:]] == ["3", "4", "5", "6"]
    assert 'status "done" is not one of' in lines[1]
    assert 'date "31/02/2026" is not a date written YYYY-MM-DD; priority "9" is not a whole number' in lines[3]
    assert "is dated 2999-01-01, later than today" in lines[4]
    assert not out.exists()


def test_a_long_list_of_bad_rows_is_cut_after_fifty(tmp_path, capsys):
    path = _sheet(tmp_path, [{**_met(req), "status": "done"} for req in SBD_IDS[:60]])
    assert main(["evidence", "import", str(path)]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1 + 50 + 1 and lines[-1] == "  ... and 10 more"


def test_a_bad_cell_cannot_reach_the_terminal_raw(tmp_path, capsys):
    path = _sheet(tmp_path, [{**_met(SBD_IDS[0]), "status": "\x1b[31mred"}, {**_met(SBD_IDS[1]), "status": "x"}])
    assert main(["evidence", "import", str(path)]) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err and len(err.splitlines()) == 3


# --------------------------------------------------------------------------- subjects


def test_two_subjects_give_two_assessments_each_item_in_exactly_one(tmp_path):
    rows = [
        _met(SBD_IDS[0], "2026-03-01", subject="Payments App", subject_id="PAY"),
        _met(SBD_IDS[0], "2026-05-01", subject="Mobile App"),
        _met(SBD_IDS[1], "2026-02-01", subject="payments  app"),  # the same subject, written otherwise
        {"requirement_id": SBD_IDS[2], "priority": "1", "owner": "Platform team", "subject": "Mobile App"},
    ]
    path = _sheet(tmp_path, rows)
    graph = import_sheet(path, organisation="Example Ltd", today=TODAY)
    found = _assessments(graph)
    assert set(found) == {"Payments App", "Mobile App"}
    pay, mobile = found["Payments App"], found["Mobile App"]
    assert graph.value(pay, EV.assessmentDate) == Literal(dt.date(2026, 3, 1))  # its own rows' latest date
    assert graph.value(mobile, EV.assessmentDate) == Literal(dt.date(2026, 5, 1))
    assert graph.value(graph.value(pay, EV.subject), EV.identifier) == Literal("PAY")
    assert graph.value(graph.value(mobile, EV.subject), EV.identifier) is None
    for assessment in (pay, mobile):
        assert (graph.value(assessment, EV.subject), RDF.type, EV.Product) in graph  # sbd assesses products
        assert graph.value(assessment, EV.organisation) is not None
    members = {node: list(graph.objects(node, EV.inAssessment)) for node in graph.subjects(EV.addresses, None)}
    assert all(len(of) == 1 for of in members.values())
    assert sorted(str(graph.value(n, RDFS.label)) for n, (a,) in members.items() if a == pay) == [
        f"{SBD_IDS[0]} (row 2)", f"{SBD_IDS[1]} (row 4)"]
    assert len(set(graph.subjects(EV.inAssessment, mobile))) == 2  # row 3 and the plan of row 5
    again = import_sheet(path, organisation="Example Ltd", today=TODAY)
    assert isomorphic(graph, again) and set(graph) == set(again)  # the same IRIs every time
    _wellformed(import_sheet(_sheet(tmp_path, rows[:3], "evidence-only.csv"), organisation="Example Ltd",
                             today=TODAY))


def test_subject_option_kind_and_defaults(tmp_path):
    path = _sheet(tmp_path, [_met(SBD_IDS[0])])
    plain = import_sheet(path, today=TODAY)
    assert list(_assessments(plain)) == [None]  # as before: one assessment, no subject
    assert next(plain.subjects(RDF.type, EV.Assessment)).endswith(":assessment")
    named = import_sheet(path, subject="Payments", subject_id="PAY-1", subject_kind="business-unit", today=TODAY)
    (assessment,) = _assessments(named).values()
    subject = named.value(assessment, EV.subject)
    assert (subject, RDF.type, EV.BusinessUnit) in named and named.value(subject, EV.identifier) == Literal("PAY-1")
    _wellformed(named)
    for framework, kind in (("csmm", EV.CloudAccount), ("ztmm", EV.AgencyComponent)):
        sheet = _sheet(tmp_path, [{**_met(PLAIN[framework]), "framework": framework, "subject": "X"}],
                       f"{framework}.csv")
        assert (None, RDF.type, kind) in import_sheet(sheet, today=TODAY), framework
    mixed = _sheet(tmp_path, [_met(SBD_IDS[0], subject="X"),
                              {**_met(PLAIN["csmm"]), "framework": "csmm", "subject": "X"}], "mixed.csv")
    assert (None, RDF.type, EV.Subject) in import_sheet(mixed, today=TODAY)  # frameworks disagree: ev:Subject


def test_subject_mistakes_are_bad_rows(tmp_path):
    rows = [_met(SBD_IDS[0], subject="A", subject_id="1"), _met(SBD_IDS[1]),  # row 3: no subject
            _met(SBD_IDS[2], subject="a", subject_id="2"),  # row 4: another id for A
            _met(SBD_IDS[3], subject="B", subject_id="1")]  # row 5: A's id for B
    with pytest.raises(RowErrors) as info:
        import_sheet(_sheet(tmp_path, rows), today=TODAY)
    assert [r.split(":")[0] for r in info.value.rows] == ["row 3", "row 4", "row 5"]
    assert "subject is blank, but other rows name a subject (row 2)" in info.value.rows[0]
    assert 'subject "a" has subject_id "2" here but "1"' in info.value.rows[1]
    assert 'subject_id "1" is also the id of subject "A" (row 2)' in info.value.rows[2]
    # with --subject, the rows without one are its rows
    graph = import_sheet(_sheet(tmp_path, rows[:2]), subject="Rest", today=TODAY)
    assert set(_assessments(graph)) == {"A", "Rest"}


# --------------------------------------------------------------------------- planned work


def test_planned_work_becomes_planned_actions_not_evidence(tmp_path):
    rows = [
        {**_met(SBD_IDS[0]), "priority": "2", "owner": "Ana", "due_date": "2027-01-31", "effort": "1.5"},
        {"requirement_id": SBD_IDS[1], "priority": "1", "notes": "after the audit"},  # plans only: no status
        {"requirement_id": SBD_IDS[2], "status": "unknown", "owner": "Bo", "due_date": "2027-03-01"},
    ]
    graph = import_sheet(_sheet(tmp_path, rows), subject="Payments", today=TODAY)
    (assessment,) = _assessments(graph).values()
    plans = {graph.value(p, EV.addresses): p for p in graph.subjects(RDF.type, EV.PlannedAction)}
    assert set(plans) == {BY_ID[i].requirement for i in SBD_IDS[:3]}
    first, second, third = (plans[BY_ID[i].requirement] for i in SBD_IDS[:3])
    assert graph.value(first, EV.priority) == Literal(2, datatype=XSD.integer)
    assert graph.value(first, EV.owner) == Literal("Ana", datatype=XSD.string)
    assert graph.value(first, EV.dueDate) == Literal(dt.date(2027, 1, 31))
    assert graph.value(first, EV.effort) == Literal("1.5", datatype=XSD.decimal)
    assert str(graph.value(second, RDFS.comment)) == "after the audit"
    assert graph.value(third, EV.priority) is None
    assert graph.value(third, EV.owner) == Literal("Bo", datatype=XSD.string)
    for plan in plans.values():
        assert graph.value(plan, EV.inAssessment) == assessment
        assert graph.value(plan, EV.status) is None and (plan, RDF.type, EV.Attestation) not in graph
    assert len(list(graph.subjects(EV.status, None))) == 1  # only row 2 is evidence


def test_planned_work_alone_needs_no_status_or_date_columns(tmp_path):
    path = tmp_path / "plan.csv"
    path.write_text(f"framework,requirement_id,priority,owner\nsbd,{SBD_IDS[0]},3,Ana\n", encoding="utf-8")
    with pytest.raises(InputError, match="the assessment has no date"):
        import_sheet(path, today=TODAY)
    graph = import_sheet(path, today=TODAY, assessment_date=dt.date(2026, 6, 30))
    assert len(list(graph.subjects(RDF.type, EV.PlannedAction))) == 1


@pytest.mark.parametrize(("cells", "problem"), [
    ({"priority": "0"}, 'priority "0" is not a whole number from 1'),
    ({"priority": "1.5"}, 'priority "1.5" is not a whole number'),
    ({"effort": "-2"}, 'effort "-2" is not a number of person-days'),
    ({"effort": "lots"}, 'effort "lots" is not a number'),
    ({"due_date": "next week"}, 'due_date "next week" is not a date written YYYY-MM-DD'),
    ({"owner": "Ana", "attester": "Bo"}, "attester filled in but no status or date"),
])
def test_bad_planning_cells_are_bad_rows(tmp_path, cells, problem):
    with pytest.raises(RowErrors, match=re.escape(problem)) as info:
        import_sheet(_sheet(tmp_path, [{"requirement_id": SBD_IDS[0], "owner": "Ana", **cells}]), today=TODAY)
    assert info.value.line == 2


# --------------------------------------------------------------------------- property

_cells = st.fixed_dictionaries({
    "requirement_id": st.sampled_from(SBD_IDS[:6] + ["SBD-NOPE-1", ""]),
    "status": st.sampled_from(["met", "not_met", "not_applicable", "unknown", "", "done"]),
    "date": st.one_of(st.just(""), st.dates(dt.date(2025, 1, 1), dt.date(2027, 12, 31)).map(dt.date.isoformat)),
    "evidence_link": st.sampled_from(["", LINK, "docs/x.pdf"]),
    "attester": st.sampled_from(["", WHO]),
    "notes": st.sampled_from(["", "why"]),
    "priority": st.sampled_from(["", "1", "5", "9"]),
    "owner": st.sampled_from(["", "Ops"]),
    "subject": st.sampled_from(["", "Alpha", "alpha", "Beta"]),
    "subject_id": st.sampled_from(["", "A1", "B1"]),
})


@settings(max_examples=int(os.environ.get("MGRAPH_FUZZ_EXAMPLES", "40")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(_cells, min_size=1, max_size=8), subject=st.sampled_from([None, "Default"]))
def test_any_filled_sheet_imports_with_one_assessment_per_item_or_names_a_row(rows, subject):
    with tempfile.TemporaryDirectory() as folder:
        path = _sheet(Path(folder), rows)
        try:
            graph = import_sheet(path, subject=subject, today=TODAY, assessment_date=None)
        except RowErrors as err:
            numbers = [int(r.split(":")[0].removeprefix("row ")) for r in err.rows]
            assert numbers == sorted(set(numbers)) and all(2 <= n <= len(rows) + 1 for n in numbers)
            assert err.line == numbers[0]
            return
        except InputError as err:  # nothing dated: the one error that names no row
            assert "has no date" in str(err)
            return
    assessments = set(graph.subjects(RDF.type, EV.Assessment))
    for node in set(graph.subjects(EV.addresses, None)):
        (assessment,) = graph.objects(node, EV.inAssessment)
        assert assessment in assessments
    for assessment in assessments:
        assert len(list(graph.objects(assessment, EV.subject))) <= 1
