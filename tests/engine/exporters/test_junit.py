"""`junit_xml`: an assessment as JUnit XML that CI systems read (issue 10, item 5).

The document is parsed back and its shape checked: testsuites > testsuite > testcase, counts that
match the elements, one test case per requirement, failures carrying the reason.
"""
from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET

import pytest

from maturity_graph import assess, junit_xml, load_catalogue
from tests.conftest import REPO

NORTHWIND = REPO / "examples" / "northwind-devices" / "sbd-evidence.ttl"
LAKEVIEW = REPO / "examples" / "lakeview-agency" / "ztmm-2026q1.ttl"


def parsed(result) -> ET.Element:
    data = junit_xml(result)
    assert data.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    return ET.fromstring(data)


def check_shape(root: ET.Element) -> None:
    """The schema Jenkins, GitLab and GitHub read, with counts that add up."""
    assert root.tag == "testsuites"
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    for suite in root:
        assert suite.tag == "testsuite" and suite.get("name")
        cases = suite.findall("testcase")
        assert [c.tag for c in suite if c.tag != "properties"] == ["testcase"] * len(cases)
        counts = {"tests": len(cases), "failures": len(suite.findall("testcase/failure")),
                  "skipped": len(suite.findall("testcase/skipped"))}
        assert {k: int(suite.get(k)) for k in counts} == counts and suite.get("errors") == "0"
        for case in cases:
            assert case.get("classname") and case.get("name")
            assert len(list(case)) <= 1  # passed, or one failure, or one skipped
        for k in totals:
            totals[k] += counts[k]
    assert {k: int(root.get(k)) for k in totals} == totals and root.get("errors") == "0"


@pytest.fixture(scope="module")
def northwind():
    return assess([NORTHWIND])


@pytest.fixture(scope="module")
def lakeview():
    return assess([LAKEVIEW])


def test_one_case_per_requirement_one_suite_per_capability(northwind):
    root = parsed(northwind)
    check_shape(root)
    catalogue = load_catalogue()
    rows = catalogue.requirement_rows(catalogue.get("sbd"))
    assert int(root.get("tests")) == len(rows) == catalogue.counts(catalogue.get("sbd")).requirements
    assert len(root.findall("testsuite")) == len(northwind.framework("sbd").of_kind("capability")) == 13
    names = [c.get("name") for c in root.iter("testcase")]
    assert sorted(n.split(" ", 1)[0] for n in names) == sorted(r.id for r in rows)
    spo = next(s for s in root if " SPO " in s.get("name"))
    assert {c.get("classname") for c in spo.iter("testcase")} == {"sbd.SPO"}
    props = {p.get("name"): p.get("value") for p in spo.iter("property")}
    assert props["target"] == "Level 3: Defined" and props["stage"] == "Level 3: Defined"


def test_failures_are_the_unmet_requirements_up_to_the_target(northwind):
    """SbD has a published target (Level 3): the failures are the gaps of the capabilities below it."""
    root = parsed(northwind)
    fw = northwind.framework("sbd")
    below = [c for c in fw.of_kind("capability") if c.distance_to_target]
    expected = {g.id: g.reason for c in below for g in c.gaps}
    failures = {c.get("name").split(" ", 1)[0]: c.find("failure") for c in root.iter("testcase")
                if c.find("failure") is not None}
    assert set(failures) == set(expected) and len(expected) == 6
    for id_, failure in failures.items():
        assert failure.get("message") == expected[id_]
        assert expected[id_] in failure.text
    hsc = next(c for c in root.iter("testcase") if c.get("name").startswith("SBD-HSC-L3-1 "))
    assert hsc.find("failure").get("message") == "evidence from 2024-12-02 expired on 2025-12-02"
    beyond = next(c for c in root.iter("testcase") if c.get("name").startswith("SBD-SPO-L4-2 "))
    assert beyond.find("skipped").get("message").startswith("not required yet (Level 4: Managed is beyond the target)")


def test_without_a_target_the_failures_are_the_gaps_to_the_next_stage(lakeview):
    root = parsed(lakeview)
    check_shape(root)
    fw = lakeview.framework("ztmm")
    for cap in fw.of_kind("capability"):
        suite = next(s for s in root if s.get("name").endswith(f"ztmm {cap.id} {cap.label}"))
        failed = {c.get("name").split(" ", 1)[0] for c in suite.iter("testcase") if c.find("failure") is not None}
        assert failed == {g.id for g in cap.gaps}, cap.id


def test_not_applicable_is_skipped_with_its_reason(lakeview):
    root = parsed(lakeview)
    case = next(c for c in root.iter("testcase") if c.get("name").startswith("ZTMM-AW-PUB-I-1 "))
    assert case.find("skipped").get("message") == "not applicable: not applicable, with a justification"
    assert case.get("classname") == "ztmm.AW-PUB"


def test_untrusted_text_is_escaped_and_round_trips(northwind):
    """A reason holding markup and control characters: the document parses, markup reads back as text,
    characters XML cannot hold (or a CI page would act on) read back as visible escapes."""
    fw = northwind.framework("sbd")
    row = next(r for r in load_catalogue().requirement_rows(load_catalogue().get("sbd")) if r.id == "SBD-RSK-L3-2")
    hostile = "<script>alert('x')</script> & \"quoted\" \x1b[2J\x00\x07 \u202e\ud800 ]]> end"
    outcome = dataclasses.replace(fw.requirements[row.requirement], reason=hostile)
    changed = dataclasses.replace(fw, requirements={**fw.requirements, row.requirement: outcome})
    result = dataclasses.replace(northwind, frameworks=[changed])
    root = parsed(result)
    check_shape(root)
    failure = next(c for c in root.iter("testcase") if c.get("name").startswith("SBD-RSK-L3-2 ")).find("failure")
    expected = "<script>alert('x')</script> & \"quoted\" \\x1b[2J\\x00\\x07 \\u202e\\ud800 ]]> end"
    assert failure.get("message") == expected
    assert failure.text.endswith(expected)
    assert b"<script>" not in junit_xml(result)


HOSTILE_SUBJECT = """@prefix ev: <https://w3id.org/maturity-graph/ev#> .
@prefix sbd: <https://w3id.org/maturity-graph/framework/sbd/2025-06-18/> .
@prefix ex: <https://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .

ex:widget a ev:Product ; rdfs:label "<b>Widget</b> \\u001B[31m & co" ; ev:identifier "W<1>" .
ex:q1 a ev:Assessment ; ev:subject ex:widget ; ev:assessmentDate "2026-03-31"^^xsd:date .
ex:auditor a prov:Person ; rdfs:label "Auditor" .
ex:i1 a ev:Attestation ; ev:inAssessment ex:q1 ; ev:addresses sbd:security-policy-ownership-level-2-r1 ;
    ev:status ev:Met ; ev:date "2026-03-01"^^xsd:date ; prov:wasAttributedTo ex:auditor ;
    ev:artifact "https://evidence.example/1"^^xsd:anyURI .
"""


def test_a_hostile_subject_from_evidence(tmp_path):
    """Evidence text reaches the document through the subject's label and identifier."""
    path = tmp_path / "hostile.ttl"
    path.write_text(HOSTILE_SUBJECT, encoding="utf-8")
    result = assess([path], frameworks=["sbd"])
    root = parsed(result)
    check_shape(root)
    if result.framework("sbd").scope is None:
        pytest.skip("results do not name their assessment yet")
    assert {s.get("name").split(" / ")[0] for s in root} == {"<b>Widget</b> \\x1b[31m & co, 2026-03-31"}
    assert {c.get("classname") for c in root.iter("testcase")} >= {"W<1>.sbd.SPO"}
