"""CI gates through main(): exit 1 when the condition holds, after the normal output (issue 10, item 5)."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from maturity_graph import load_catalogue
from maturity_graph.cli import main
from tests.conftest import REPO, up_to

NORTHWIND = REPO / "examples" / "northwind-devices" / "sbd-evidence.ttl"
LAKEVIEW = REPO / "examples" / "lakeview-agency"
Q1, Q3 = str(LAKEVIEW / "ztmm-2026q1.ttl"), str(LAKEVIEW / "ztmm-2026q3.ttl")


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


# --------------------------------------------------------------------------- assess --fail-below-target


def test_below_target_fails_after_writing_the_scorecard(capsys):
    code, out, err = run(capsys, "assess", NORTHWIND, "--fail-below-target")
    assert code == 1
    assert "Gaps to the next stage:" in out  # the normal output came first
    line = err.strip()
    assert len(line.splitlines()) == 1 and "Traceback" not in err
    assert line.startswith("mgraph: 8 result(s) below target: sbd RSK, sbd SST, sbd HSC, sbd PCS, sbd D1")
    assert line.endswith("sbd overall")


def test_without_the_option_below_target_is_exit_0(capsys):
    assert run(capsys, "assess", NORTHWIND)[0] == 0


def test_at_target_passes(capsys, write_evidence):
    catalogue = load_catalogue()
    capabilities = [row.capability_id for row in catalogue.structure(catalogue.get("sbd"))]
    path = write_evidence([claim for cap in capabilities for claim in up_to(cap, 3)])
    code, out, err = run(capsys, "assess", path, "--fail-below-target", "-f", "json")
    assert (code, err) == (0, "")
    results = json.loads(out)["results"]
    assert {r["distance_to_target"] for r in results} == {0}  # exactly at the target, not above it


def test_no_target_never_fails(capsys):
    code, _, err = run(capsys, "assess", Q1, "--fail-below-target")
    assert (code, err) == (0, "")


def test_junit_is_written_whole_and_the_gate_still_applies(capsys, tmp_path):
    report = tmp_path / "report.xml"
    code, out, _ = run(capsys, "assess", NORTHWIND, "-f", "junit", "-o", report, "--fail-below-target")
    assert code == 1 and out == ""
    root = ET.parse(report).getroot()
    assert root.tag == "testsuites" and (root.get("tests"), root.get("failures")) == ("89", "6")
    code, out, _ = run(capsys, "assess", NORTHWIND, "-f", "junit")
    assert code == 0 and ET.fromstring(out.encode("utf-8")).get("failures") == "6"


# --------------------------------------------------------------------------- diff --fail-on-regression


@pytest.mark.parametrize(("old", "new", "expected"), [(Q1, Q3, 1), (Q3, Q1, 1), (Q3, Q3, 0)],
                         ids=["q1-q3", "q3-q1", "unchanged"])
def test_diff_fails_on_regression(capsys, old, new, expected):
    code, out, _ = run(capsys, "diff", old, new, "--fail-on-regression")
    assert code == expected
    assert out.startswith("Between ")


def test_diff_without_the_option_is_exit_0(capsys):
    code, out, _ = run(capsys, "diff", Q1, Q3, "-f", "json")
    body = json.loads(out)
    assert code == 0 and body["status"] == "moved" and body["regressed"] is True
    assert (body["added"], body["removed"]) == ([], [])
    assert {m["id"] for m in body["results"] if m["direction"] == "down"} == {"ID-AUTH", "DA-GOV", "ID"}


def test_diff_moving_up_only_passes(capsys, write_evidence):
    old = write_evidence(up_to("SPO", 2), name="old.ttl")
    new = write_evidence(up_to("SPO", 3), name="new.ttl")
    code, out, _ = run(capsys, "diff", old, new, "--fail-on-regression")
    assert code == 0 and "UP    sbd capability SPO" in out


# --------------------------------------------------------------------------- trend


def test_trend_table_and_gate(capsys):
    code, out, _ = run(capsys, "trend", Q3, Q1, "--fail-on-regression")
    assert code == 1
    assert "2026-03-31   2026-09-30" in out
    row = next(line for line in out.splitlines() if line.startswith("capability  ID-AUTH "))
    assert row.split()[-2:] == ["Advanced", "Initial"]
    assert "DOWN  2026-03-31 -> 2026-09-30 ztmm capability ID-AUTH Authentication: Advanced -> Initial" in out
    assert "evidence expired: Phishing-resistant MFA is enforced for privileged accounts." in out
    assert "Regressed at the last snapshot: ID-AUTH, DA-GOV, ID" in out


def test_trend_json_and_output_file(capsys, tmp_path):
    target = tmp_path / "trend.json"
    code, out, _ = run(capsys, "trend", Q1, Q3, "-f", "json", "-o", target, "--framework", "ztmm")
    assert (code, out) == (0, "")
    body = json.loads(target.read_text(encoding="utf-8"))
    assert body["status"] == "moved" and body["regressed"] is True
    (series,) = body["results"]
    assert [s["date"] for s in series["snapshots"]] == ["2026-03-31", "2026-09-30"]
    assert sorted(series["regressions"]) == ["DA-GOV", "ID", "ID-AUTH"]


def test_trend_improving_passes(capsys, write_evidence):
    old = write_evidence(up_to("SPO", 2), name="old.ttl", as_of="2026-03-31")
    new = write_evidence(up_to("SPO", 3), name="new.ttl", as_of="2026-06-30")
    code, out, _ = run(capsys, "trend", old, new, "--fail-on-regression")
    assert code == 0 and "UP    2026-03-31 -> 2026-06-30 sbd capability SPO" in out


def test_trend_bad_input_is_one_line_exit_2(capsys, tmp_path):
    code, _, err = run(capsys, "trend", Q1, "--subject", "nobody")
    assert code == 2 and len(err.strip().splitlines()) == 1 and "no assessment of subject nobody" in err
    code, _, err = run(capsys, "trend", Q1, Q1)
    assert code == 2 and "a trend needs one per day" in err
    code, _, err = run(capsys, "trend", Q1, Q3, "-o", Q3)
    assert code == 2 and "Traceback" not in err
    code, _, err = run(capsys, "trend")
    assert code == 2 and "usage error" in err


# --------------------------------------------------------------------------- subjects, end to end

PORTFOLIO = """@prefix ev: <https://w3id.org/maturity-graph/ev#> .
@prefix sbd: <https://w3id.org/maturity-graph/framework/sbd/2025-06-18/> .
@prefix ex: <https://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .

ex:auditor a prov:Person ; rdfs:label "Auditor" .
"""


def portfolio(path, day: str, statuses: dict[str, str]):
    """One graph: per product id, an assessment on `day` with one SbD SPO Level 2 claim of the given status."""
    parts = [PORTFOLIO]
    for product, status in statuses.items():
        parts.append(f"""
ex:{product} a ev:Product ; rdfs:label "Product {product}" ; ev:identifier "{product}" .
ex:{product}-{day} a ev:Assessment ; ev:subject ex:{product} ; ev:assessmentDate "{day}"^^xsd:date .
ex:{product}-{day}-spo a ev:Attestation ; ev:inAssessment ex:{product}-{day} ;
    ev:addresses sbd:security-policy-ownership-level-2-r1 ; ev:status ev:{status} ;
    ev:date "{day}"^^xsd:date ; prov:wasAttributedTo ex:auditor ;
    ev:artifact "https://evidence.example/{product}"^^xsd:anyURI .
""")
    path.write_text("".join(parts), encoding="utf-8")
    return path


def test_diff_pairs_subjects_and_reports_added_and_removed(capsys, tmp_path):
    old = portfolio(tmp_path / "old.ttl", "2026-03-31", {"P1": "Met", "P2": "Met"})
    new = portfolio(tmp_path / "new.ttl", "2026-09-30", {"P1": "Met", "P3": "Met"})
    code, out, _ = run(capsys, "diff", old, new, "--fail-on-regression")
    assert code == 1  # P2 is no longer assessed
    assert "nothing moved" in out
    assert "ADDED Product P3 (P3): sbd" in out and "REMOVED Product P2 (P2): sbd" in out
    code, out, _ = run(capsys, "diff", old, portfolio(tmp_path / "same.ttl", "2026-09-30", {"P1": "Met", "P2": "Met"}),
                       "--fail-on-regression")
    assert (code, out.strip()) == (0, "Between 2026-03-31 and 2026-09-30: nothing moved.")


def test_trend_per_subject_with_subject_filter(capsys, tmp_path):
    q1 = portfolio(tmp_path / "q1.ttl", "2026-03-31", {"P1": "Met", "P2": "Met"})
    q3 = portfolio(tmp_path / "q3.ttl", "2026-09-30", {"P1": "Met", "P2": "NotMet"})
    code, out, _ = run(capsys, "trend", q1, q3, "-f", "json", "--fail-on-regression")
    assert code == 1
    series = {s["subject"]["id"]: s for s in json.loads(out)["results"]}
    assert set(series) == {"P1", "P2"}
    assert series["P1"]["regressions"] == [] and series["P2"]["regressions"] == ["SPO"]
    code, out, _ = run(capsys, "trend", q1, q3, "--subject", "P1", "--fail-on-regression")
    assert code == 0 and "Product P1 (P1)" in out and "P2" not in out
