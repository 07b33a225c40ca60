"""`diff` pairs results per subject and framework, and says when it regressed (issue 10, item 5).

Until every ev:Assessment of a graph is assessed on its own, scopes are set here on real results
(dataclasses.replace), as the pipeline sets them; a graph holding two subjects is in test_trend.py.
"""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from rdflib import URIRef

from maturity_graph import InputError, assess, diff, diff_assessments
from maturity_graph.assessment.result import AssessmentResult, AssessmentScope, Subject
from tests.conftest import REPO, level, up_to

LAKEVIEW = REPO / "examples" / "lakeview-agency"
Q1, Q3 = LAKEVIEW / "ztmm-2026q1.ttl", LAKEVIEW / "ztmm-2026q3.ttl"


def subject(id_: str) -> Subject:
    return Subject(URIRef(f"https://example.org/{id_}"), id_, f"Product {id_}", "Product")


def as_subjects(*parts: tuple[str, AssessmentResult]) -> AssessmentResult:
    """One result holding each part's frameworks as the assessment of the named subject."""
    frameworks = []
    for id_, result in parts:
        scope = AssessmentScope(URIRef(f"https://example.org/assessment-{id_}-{result.as_of}"), id_, subject(id_),
                                date=result.as_of)
        frameworks += [dataclasses.replace(fw, scope=scope, as_of=result.as_of) for fw in result.frameworks]
    first = parts[0][1]
    return AssessmentResult(first.as_of, frameworks, first.catalogue)


@pytest.fixture(scope="module")
def snapshots(tmp_path_factory):
    """SbD results: SPO at Level 2, SPO at Level 3, and RSK only (SPO not assessed)."""
    from tests.conftest import evidence_turtle

    folder = tmp_path_factory.mktemp("subjects")
    out = {}
    for name, claims in {"spo2": up_to("SPO", 2), "spo3": up_to("SPO", 3), "rsk": up_to("RSK", 3)}.items():
        path = folder / f"{name}.ttl"
        path.write_text(evidence_turtle(claims), encoding="utf-8")
        out[name] = assess([path], frameworks=["sbd"])
    return out


def test_results_are_paired_per_subject(snapshots):
    old = as_subjects(("A", snapshots["spo2"]), ("B", snapshots["spo3"]))
    new = as_subjects(("A", snapshots["spo3"]), ("B", snapshots["spo3"]))
    result = diff_assessments(old, new)
    assert {(m.subject.id, m.id) for m in result.movements} == {("A", "SPO")}
    assert (result.added, result.removed, result.regressed) == ((), (), False)
    assert result.as_dict()["movements"][0]["subject"]["id"] == "A"


def test_pairing_does_not_depend_on_order(snapshots):
    old = as_subjects(("A", snapshots["spo2"]), ("B", snapshots["spo3"]))
    new = as_subjects(("B", snapshots["spo2"]), ("A", snapshots["spo3"]))
    moved = {(m.subject.id, m.id): m.direction for m in diff_assessments(old, new).movements}
    assert moved[("A", "SPO")] == "up" and moved[("B", "SPO")] == "down"


def test_a_subject_on_one_side_is_added_or_removed_not_moved(snapshots):
    old = as_subjects(("A", snapshots["spo2"]), ("B", snapshots["spo2"]))
    new = as_subjects(("A", snapshots["spo3"]), ("C", snapshots["spo3"]))
    result = diff_assessments(old, new)
    assert {m.subject.id for m in result.movements} == {"A"}
    assert [(u.subject.id, u.framework) for u in result.added] == [("C", "sbd")]
    assert [(u.subject.id, u.framework) for u in result.removed] == [("B", "sbd")]
    assert result.regressions == []
    assert result.regressed  # B is no longer assessed at all
    body = result.as_dict()
    assert body["removed"][0]["subject"]["id"] == "B" and body["regressed"] is True


def test_two_assessments_of_one_subject_on_a_side_cannot_be_paired(snapshots):
    twice = as_subjects(("A", snapshots["spo2"]), ("A", snapshots["spo3"]))
    with pytest.raises(InputError, match="more than one sbd assessment of Product A"):
        diff_assessments(twice, as_subjects(("A", snapshots["spo3"])), old_name="old.ttl")


def test_results_without_subjects_pair_by_framework(snapshots):
    result = diff_assessments(snapshots["spo2"], snapshots["spo3"])
    assert [(m.subject, m.id, m.direction) for m in result.movements] == [(None, "SPO", "up")]
    assert not result.regressed


def test_stopped_being_assessed_is_a_regression(snapshots):
    result = diff_assessments(snapshots["spo3"], snapshots["rsk"])
    spo = next(m for m in result.movements if m.id == "SPO")
    assert spo.old.assessed and not spo.new.assessed
    assert spo.direction == "down" and spo in result.regressions and result.regressed
    assert {r.change for r in spo.reasons} == {"evidence withdrawn: no evidence any more"}


def test_losing_the_assessment_without_changing_rank_is_a_movement_down(snapshots):
    """A result assessed below the first stage, then not assessed at all: same (no) stage, still down."""
    spo = snapshots["spo3"].framework("sbd").get("SPO")
    below = dataclasses.replace(spo, stage=None, assessed=True)
    gone = dataclasses.replace(spo, stage=None, assessed=False)

    def with_spo(result: AssessmentResult, replacement) -> AssessmentResult:
        fw = result.framework("sbd")
        results = [replacement if r.id == "SPO" else r for r in fw.results]
        return AssessmentResult(result.as_of, [dataclasses.replace(fw, results=results)], result.catalogue)

    moved = diff_assessments(with_spo(snapshots["spo3"], below), with_spo(snapshots["spo3"], gone)).movements
    assert [(m.id, m.direction) for m in moved] == [("SPO", "down")]
    back = diff_assessments(with_spo(snapshots["spo3"], gone), with_spo(snapshots["spo3"], below)).movements
    assert [(m.id, m.direction) for m in back] == [("SPO", "up")]


def test_lakeview_q1_to_q3_regressed_and_back_too():
    forward = diff([Q1], [Q3])
    assert {m.id for m in forward.regressions} == {"ID-AUTH", "DA-GOV", "ID"}
    assert forward.regressed
    backward = diff([Q3], [Q1])
    assert {m.id for m in backward.regressions} == {"DV-DTP", "DV"}
    assert backward.regressed
    assert not diff([Q3], [Q3]).regressed


def test_only_moves_up_is_not_a_regression(write_evidence):
    old = write_evidence(up_to("SPO", 2), name="old.ttl")
    new = write_evidence(up_to("SPO", 3) + [(r, "met", "2026-03-01") for r in level("RSK", 2)], name="new.ttl")
    result = diff([old], [new], frameworks=["sbd"])
    assert result.movements and {m.direction for m in result.movements} == {"up"}
    assert not result.regressed and result.as_dict()["regressed"] is False


def test_expiry_alone_is_a_regression(write_evidence):
    path = write_evidence(up_to("SPO", 3, date="2026-01-10"))
    assert diff([path], [path], frameworks=["sbd"], new_as_of=dt.date(2027, 2, 1)).regressed
