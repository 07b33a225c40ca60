"""The CLI end to end through main(): outputs, exit codes, and one-line errors (issue 2)."""
from __future__ import annotations

import json

import pytest

from maturity_graph.cli import main
from tests.conftest import REPO, up_to

EXAMPLE = REPO / "examples" / "northwind-devices" / "sbd-evidence.ttl"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_frameworks_json(capsys):
    code, out, _ = run(capsys, "frameworks", "--format", "json")
    assert code == 0
    sbd = next(r for r in json.loads(out)["results"] if r["id"] == "sbd")
    assert (sbd["dimensions"], sbd["capabilities"], sbd["stages"], sbd["criteria"]) == (4, 13, 5, 65)
    assert sbd["requirements"] > 13


def test_assess_json_shape(capsys):
    code, out, _ = run(capsys, "assess", str(EXAMPLE), "--format", "json")
    assert code == 0
    body = json.loads(out)
    kinds = {r["kind"] for r in body["results"]}
    assert kinds == {"capability", "dimension", "overall"}
    for r in body["results"]:
        assert {"framework", "kind", "id", "label", "stage", "gaps"} <= set(r)
        assert r["stage"] is None or set(r["stage"]) == {"rank", "label"}
        for gap in r["gaps"]:
            assert gap["id"] and gap["text"]


def test_assess_turtle_loads_back_into_query(capsys, tmp_path):
    out_file = tmp_path / "results.ttl"
    code, _, _ = run(capsys, "assess", str(EXAMPLE), "--format", "turtle", "-o", str(out_file))
    assert code == 0
    query = tmp_path / "stages.rq"
    query.write_text(
        "PREFIX ev: <https://w3id.org/maturity-graph/ev#>\n"
        "SELECT (COUNT(?r) AS ?n) WHERE { ?r a ev:CapabilityResult ; ev:stageReached ?s }\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "query", str(query), str(out_file), "--format", "json")
    assert code == 0
    assert json.loads(out)["results"] == [{"n": 13}]


def test_validate_exit_codes(capsys, write_evidence, tmp_path):
    good = write_evidence(up_to("SPO", 3))
    assert run(capsys, "validate", str(good))[0] == 0
    bad = tmp_path / "bad.ttl"
    bad.write_text(good.read_text().replace('"2026-03-01"^^xsd:date', '"next week"^^xsd:date', 1), encoding="utf-8")
    code, out, _ = run(capsys, "validate", str(bad), "--format", "json")
    assert code == 1
    violations = json.loads(out)["results"]
    assert violations[0]["node"] == "ex:item-0"
    assert violations[0]["property"] == "ev:date"
    assert "date" in violations[0]["message"]


def test_named_queries(capsys):
    code, out, _ = run(capsys, "query", "--list")
    assert code == 0
    for name in ("capability-stages", "gaps-to-next-stage", "requirements-without-evidence", "evidence-older-than"):
        assert name in out
    code, out, _ = run(capsys, "query", "--named", "gaps-to-next-stage", str(EXAMPLE), "--format", "json")
    rows = json.loads(out)["results"]
    assert {"capabilityId": "HSC", "requirementId": "SBD-HSC-L3-1"}.items() <= next(
        r for r in rows if r["requirementId"] == "SBD-HSC-L3-1").items()
    code, out, _ = run(capsys, "query", "--named", "evidence-older-than", "--param", "days=270", str(EXAMPLE),
                       "--format", "csv")
    assert code == 0
    lines = out.strip().splitlines()
    assert lines[0] == "item,requirementId,date,ageDays,days,asOf"
    assert {line.split(",")[1] for line in lines[1:]} == {
        "SBD-HSC-L3-1", "SBD-HSC-L3-2", "SBD-HSC-L3-3", "SBD-CVD-L4-1"}


def test_spreadsheet_loop(capsys, tmp_path):
    import csv

    template = tmp_path / "template.csv"
    assert run(capsys, "evidence", "template", "--framework", "sbd", "-o", str(template))[0] == 0
    rows = list(csv.DictReader(template.open(encoding="utf-8")))
    for row in rows:
        if (row["capability"] == "Security Policy & Ownership"
                and row["stage"] in ("Level 2: Developing", "Level 3: Defined")):
            row.update(status="met", evidence_link="https://wiki.example/policy", date="2026-03-01", attester="Pat Lee")
        if row["requirement_id"] == "SBD-SPO-L4-1":
            row.update(status="not_met", date="2026-03-01", attester="Pat Lee")
    filled = tmp_path / "filled.csv"
    with filled.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    evidence = tmp_path / "evidence.ttl"
    code, _, err = run(capsys, "evidence", "import", str(filled), "-o", str(evidence))
    assert code == 0, err
    code, out, _ = run(capsys, "assess", str(evidence), "--format", "json")
    spo = next(r for r in json.loads(out)["results"] if r["id"] == "SPO")
    assert spo["stage"] == {"rank": 3, "label": "Level 3: Defined"}
    assert [g["id"] for g in spo["gaps"]] == ["SBD-SPO-L4-1", "SBD-SPO-L4-2"]


def one_line_error(code, out, err, *expected):
    assert code == 2
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) <= 2
    for text in expected:
        assert text in err


def test_malformed_turtle_names_the_line(capsys, tmp_path):
    bad = tmp_path / "broken.ttl"
    bad.write_text('@prefix ex: <https://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b "unterminated .\n',
                   encoding="utf-8")
    out_file = tmp_path / "out.json"
    code, out, err = run(capsys, "assess", str(bad), "--framework", "sbd", "-o", str(out_file))
    one_line_error(code, out, err, "broken.ttl:3")
    assert not out_file.exists()


def test_missing_file(capsys, tmp_path):
    code, out, err = run(capsys, "validate", str(tmp_path / "nope.ttl"))
    one_line_error(code, out, err, "nope.ttl", "not found")


def test_unknown_framework(capsys):
    code, out, err = run(capsys, "assess", str(EXAMPLE), "--framework", "nist-csf")
    one_line_error(code, out, err, "unknown framework 'nist-csf'", "sbd")


def test_wrong_datatype_stops_assess(capsys, write_evidence, tmp_path):
    good = write_evidence(up_to("SPO", 2))
    bad = tmp_path / "typed.ttl"
    bad.write_text(good.read_text().replace('"2026-03-01"^^xsd:date', '"2026-03-01"', 1), encoding="utf-8")
    out_file = tmp_path / "result.json"
    code, out, err = run(capsys, "assess", str(bad), "-f", "json", "-o", str(out_file))
    one_line_error(code, out, err, "ev:date", "ex:item-0")
    assert not out_file.exists()


@pytest.mark.parametrize("query, expected", [
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "UPDATE is refused"),
    ("DELETE WHERE { ?s ?p ?o }", "UPDATE is refused"),
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", "SERVICE is refused"),
    ("SELECT * FROM <http://127.0.0.1:9/data.ttl> WHERE { ?s ?p ?o }", "FROM and FROM NAMED are refused"),
    ("SELECT ?s WHERE { ?s ?p }", "does not parse"),
])
def test_rejected_queries(capsys, query, expected):
    code, out, err = run(capsys, "query", "-q", query, str(EXAMPLE))
    one_line_error(code, out, err, expected)


def test_bad_spreadsheet_status_writes_nothing(capsys, tmp_path):
    import csv

    template = tmp_path / "t.csv"
    run(capsys, "evidence", "template", "--framework", "sbd", "-o", str(template))
    rows = list(csv.DictReader(template.open(encoding="utf-8")))
    rows[0].update(status="done", date="2026-03-01", attester="Pat")
    bad = tmp_path / "bad.csv"
    with bad.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    out_file = tmp_path / "evidence.ttl"
    code, out, err = run(capsys, "evidence", "import", str(bad), "-o", str(out_file))
    one_line_error(code, out, err, "row 2", "done")
    assert not out_file.exists()
    assert not list(tmp_path.glob(".evidence.ttl.*"))
