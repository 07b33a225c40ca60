"""`trend`: every result's stage over time per subject and framework, with the reasons (issue 10, item 4)."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from rdflib import URIRef

from maturity_graph import InputError, Trend, assess, diff, trend, trend_assessments
from maturity_graph.assessment.result import AssessmentResult, AssessmentScope, Subject
from tests.conftest import REPO, evidence_turtle, level, up_to

LAKEVIEW = REPO / "examples" / "lakeview-agency"
Q1, Q3 = LAKEVIEW / "ztmm-2026q1.ttl", LAKEVIEW / "ztmm-2026q3.ttl"


def stage_labels(result_trend) -> list[str | None]:
    return [p.stage.label if p is not None and p.stage else None for p in result_trend.points]


def by_id(series) -> dict:
    return {r.id: r for r in series.results}


@pytest.fixture(scope="module")
def lakeview() -> Trend:
    return trend([Q3, Q1])  # given out of order: ordered by date


def test_lakeview_series_is_ordered_by_date(lakeview):
    (series,) = lakeview.series
    assert series.framework == "ztmm"
    assert [s.date for s in series.snapshots] == [dt.date(2026, 3, 31), dt.date(2026, 9, 30)]
    assert [s.source for s in series.snapshots] == [str(Q1), str(Q3)]
    results = by_id(series)
    assert stage_labels(results["ID-AUTH"]) == ["Advanced", "Initial"]
    assert stage_labels(results["DV-DTP"]) == ["Initial", "Advanced"]
    assert stage_labels(results["NW-SEG"]) == ["Initial", "Initial"] and results["NW-SEG"].steps == ()


def test_lakeview_moves_carry_the_reasons_diff_gives(lakeview):
    (series,) = lakeview.series
    moves = {r.id: r.steps for r in series.results if r.steps}
    pair = diff([Q1], [Q3])
    assert set(moves) == {m.id for m in pair.movements}
    for m in pair.movements:
        (step,) = moves[m.id]
        assert (step.old_date, step.new_date) == (pair.old_as_of, pair.new_as_of)
        assert step.movement.reasons == m.reasons and step.direction == m.direction
    expired = {r.detail for r in moves["ID-AUTH"][0].movement.reasons}
    assert expired == {"evidence from 2026-03-16 expired on 2026-06-16"}


def test_lakeview_regressed_at_its_last_snapshot(lakeview):
    (series,) = lakeview.series
    assert {s.movement.id for s in series.regressions} == {"ID-AUTH", "DA-GOV", "ID"}
    assert lakeview.regressed
    body = lakeview.as_dict()
    assert body["regressed"] is True
    auth = next(r for r in body["series"][0]["results"] if r["id"] == "ID-AUTH")
    assert [p["stage"]["label"] for p in auth["stages"]] == ["Advanced", "Initial"]
    assert auth["moves"][0]["direction"] == "down" and auth["moves"][0]["from"] == "2026-03-31"


@pytest.fixture(scope="module")
def three(tmp_path_factory):
    """SPO at Level 3, then 2 (one L3 requirement not met), then 3 again, one quarter apart."""
    folder = tmp_path_factory.mktemp("three")
    l3 = level("SPO", 3)
    snapshots = {"2026-03-31": up_to("SPO", 3, date="2026-03-01"),
                 "2026-06-30": up_to("SPO", 3, date="2026-03-01") + [(l3[0], "not_met", "2026-06-01")],
                 "2026-09-30": up_to("SPO", 3, date="2026-09-01")}
    paths = []
    for day, claims in snapshots.items():
        path = folder / f"sbd-{day}.ttl"
        path.write_text(evidence_turtle(claims, as_of=day), encoding="utf-8")
        paths.append(path)
    return paths


def test_three_snapshots_each_move_is_explained_and_only_the_last_gates(three):
    result = trend(reversed(three), frameworks=["sbd"])
    (series,) = result.series
    spo = by_id(series)["SPO"]
    assert [p.stage.rank for p in spo.points] == [3, 2, 3]
    assert [(s.old_date.isoformat(), s.direction) for s in spo.steps] == [("2026-03-31", "down"), ("2026-06-30", "up")]
    assert {r.change for r in spo.steps[0].movement.reasons} == {"evidence withdrawn: newer evidence says not met"}
    assert {r.change for r in spo.steps[1].movement.reasons} == {"newly met"}
    assert series.regressions == [] and not result.regressed  # it fell, then came back
    assert trend(three[:2], frameworks=["sbd"]).regressed


def test_two_snapshots_on_the_same_day_are_refused(three):
    with pytest.raises(InputError, match="both hold a sbd assessment of the unnamed subject on 2026-03-31"):
        trend([three[0], three[0]], frameworks=["sbd"])


def test_one_snapshot_is_a_series_of_one(three):
    (series,) = trend([three[0]], frameworks=["sbd"]).series
    assert len(series.snapshots) == 1 and all(r.steps == () for r in series.results)
    assert series.regressions == []


# --------------------------------------------------------------------------- subjects


def scoped(result: AssessmentResult, id_: str) -> AssessmentResult:
    subject = Subject(URIRef(f"https://example.org/{id_}"), id_, f"Product {id_}", "Product")
    scope = AssessmentScope(URIRef(f"https://example.org/{id_}-{result.as_of}"), id_, subject, date=result.as_of)
    frameworks = [dataclasses.replace(fw, scope=scope, as_of=result.as_of) for fw in result.frameworks]
    return AssessmentResult(result.as_of, frameworks, result.catalogue)


@pytest.fixture(scope="module")
def assessed(three):
    return [assess([p], frameworks=["sbd"]) for p in three]


def test_series_are_grouped_per_subject(assessed):
    a1, a2, a3 = assessed
    snapshots = [("q1.ttl", scoped(a1, "A")), ("q2.ttl", scoped(a2, "B")), ("q3.ttl", scoped(a3, "A")),
                 ("q3b.ttl", scoped(a1, "B"))]
    result = trend_assessments(snapshots)
    assert [(s.subject.id, [p.source for p in s.snapshots]) for s in result.series] == [
        ("A", ["q1.ttl", "q3.ttl"]), ("B", ["q3b.ttl", "q2.ttl"])]
    a, b = result.series
    assert by_id(a)["SPO"].steps == () and [s.direction for s in by_id(b)["SPO"].steps] == ["down"]
    assert not a.regressions and [s.movement.id for s in b.regressions] == ["SPO"]
    assert by_id(b)["SPO"].steps[0].movement.subject.id == "B"


def test_subject_filter(assessed):
    a1, a2, a3 = assessed
    snapshots = [("q1.ttl", scoped(a1, "A")), ("q2.ttl", scoped(a2, "B")), ("q3.ttl", scoped(a3, "A"))]
    assert [s.subject.id for s in trend_assessments(snapshots, subjects=["A"]).series] == ["A"]
    assert [s.subject.id for s in trend_assessments(snapshots, subjects=["product b"]).series] == ["B"]
    assert [s.subject.id for s in trend_assessments(snapshots, subjects=["https://example.org/B"]).series] == ["B"]
    with pytest.raises(InputError, match="no assessment of subject Z in the snapshots; they assess Product A"):
        trend_assessments(snapshots, subjects=["Z"])


ONE_GRAPH = """@prefix ev: <https://w3id.org/maturity-graph/ev#> .
@prefix sbd: <https://w3id.org/maturity-graph/framework/sbd/2025-06-18/> .
@prefix ex: <https://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .

ex:widget a ev:Product ; rdfs:label "Widget" ; ev:identifier "W1" .
ex:q1 a ev:Assessment ; ev:subject ex:widget ; ev:assessmentDate "2026-03-31"^^xsd:date .
ex:q3 a ev:Assessment ; ev:subject ex:widget ; ev:assessmentDate "2026-09-30"^^xsd:date .
ex:auditor a prov:Person ; rdfs:label "Auditor" .
ex:i1 a ev:Attestation ; ev:inAssessment ex:q1 ; ev:addresses sbd:security-policy-ownership-level-2-r1 ;
    ev:status ev:Met ; ev:date "2026-03-01"^^xsd:date ; prov:wasAttributedTo ex:auditor ;
    ev:artifact "https://evidence.example/1"^^xsd:anyURI .
ex:i2 a ev:Attestation ; ev:inAssessment ex:q3 ; ev:addresses sbd:security-policy-ownership-level-2-r1 ;
    ev:status ev:NotMet ; ev:date "2026-09-01"^^xsd:date ; prov:wasAttributedTo ex:auditor .
"""


def test_one_graph_with_two_dated_assessments_of_a_subject(tmp_path):
    path = tmp_path / "widget.ttl"
    path.write_text(ONE_GRAPH, encoding="utf-8")
    if len(assess([path], frameworks=["sbd"]).frameworks) < 2:
        pytest.skip("the pipeline does not assess each ev:Assessment of a graph on its own yet")
    (series,) = trend([path], frameworks=["sbd"]).series
    assert series.subject.id == "W1"
    assert [s.date for s in series.snapshots] == [dt.date(2026, 3, 31), dt.date(2026, 9, 30)]
    assert [s.assessment for s in series.snapshots] == ["https://example.org/q1", "https://example.org/q3"]
    spo = by_id(series)["SPO"]
    assert [s.direction for s in spo.steps] == ["down"]
    assert {r.change for r in spo.steps[0].movement.reasons} == {"evidence withdrawn: newer evidence says not met"}
    assert [s.movement.id for s in series.regressions] == ["SPO"]
