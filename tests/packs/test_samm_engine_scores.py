"""OWASP SAMM's published scoring through the engine: every worked example of samm_scoring_examples.yaml is
answered as evidence (an observation of each activity's coverage question, attestations of its quality
criteria) and assessed with the bundled `samm` model; the stream, practice, business function and overall
scores are SAMM's. All examples are assessed in one run, one assessment (subject) each."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from maturity_graph import assess, load_catalogue
from maturity_graph.assessment.result import AssessmentResult
from maturity_graph.namespaces import EV

EXAMPLES = Path(__file__).with_name("samm_scoring_examples.yaml")
EX = Namespace("https://example.org/samm-scores/")
DAY = dt.date(2026, 11, 30)


def _examples() -> list[dict[str, Any]]:
    return list(yaml.safe_load(EXAMPLES.read_text(encoding="utf-8"))["examples"])


def _requirements() -> dict[str, tuple[URIRef, URIRef | None]]:
    """Each SAMM requirement id with its IRI and, for a coverage question, its measure."""
    catalogue = load_catalogue()
    return {row.id: (row.requirement, row.measure) for row in catalogue.requirement_rows(catalogue.get("samm"))}


def answer(graph: Graph, assessment: URIRef, activity: str, value: float, *, criteria_met: bool,
           requirements: dict[str, tuple[URIRef, URIRef | None]]) -> None:
    """An activity answered: its coverage question observed at `value`, its quality criteria attested."""
    coverage, measure = requirements[f"{activity}-COV"]
    assert measure is not None
    key = f"{assessment.rsplit('/', 1)[1]}-{activity}"
    common = [(EV.inAssessment, assessment), (EV.date, Literal("2026-11-02", datatype=XSD.date)),
              (PROV.wasAttributedTo, EX.assessor)]
    node = EX[f"{key}-answer"]
    for p, o in [(RDF.type, EV.Observation), (RDFS.label, Literal(f"SAMM answer to {activity}")),
                 (EV.addresses, coverage), (EV.measure, measure), (EV.value, Literal(str(value), datatype=XSD.decimal)),
                 (EV.status, EV.Met if value == 1 else EV.NotMet),
                 (EV.artifact, Literal(f"https://samm.example.org/interview/{key}", datatype=XSD.anyURI)), *common]:
        graph.add((node, p, o))
    index = 1
    while f"{activity}-QC{index}" in requirements:
        criterion = EX[f"{key}-qc{index}"]
        met = criteria_met or index > 1  # one unmet criterion is enough to make the answer No
        for p, o in [(RDF.type, EV.Attestation), (RDFS.label, Literal(f"{activity} quality criterion {index}")),
                     (EV.addresses, requirements[f"{activity}-QC{index}"][0]),
                     (EV.status, EV.Met if met else EV.NotMet), *common]:
            graph.add((criterion, p, o))
        if met:
            graph.add((criterion, EV.artifact,
                       Literal(f"https://samm.example.org/evidence/{key}/qc{index}", datatype=XSD.anyURI)))
        index += 1


@pytest.fixture(scope="module")
def assessed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, AssessmentResult]:
    requirements = _requirements()
    graph = Graph()
    graph.add((EX.assessor, RDF.type, PROV.Person))
    graph.add((EX.assessor, RDFS.label, Literal("SAMM assessor")))
    graph.add((EX.org, RDF.type, PROV.Organization))
    graph.add((EX.org, RDFS.label, Literal("Worked-example organisation")))
    samm = URIRef("https://w3id.org/maturity-graph/framework/samm/2.0/model")
    for example in _examples():
        assessment, subject = EX[f"assessment-{example['id']}"], EX[f"team-{example['id']}"]
        for p, o in [(RDF.type, EV.Assessment), (RDFS.label, Literal(example["id"])), (EV.framework, samm),
                     (EV.organisation, EX.org), (EV.assessmentDate, Literal(DAY.isoformat(), datatype=XSD.date)),
                     (EV.subject, subject)]:
            graph.add((assessment, p, o))
        graph.add((subject, RDF.type, EV.Product))
        graph.add((subject, RDFS.label, Literal(example["id"])))
        graph.add((subject, EV.identifier, Literal(example["id"])))
        if "all_answers" in example:
            answers = {rid.removesuffix("-COV"): float(example["all_answers"]) for rid in requirements
                       if rid.endswith("-COV")}
        else:
            answers = {activity: float(value) for activity, value in example["answers"].items()}
        for activity, value in answers.items():
            answer(graph, assessment, activity, value, criteria_met=activity not in example.get("quality_not_met", []),
                   requirements=requirements)
    path = tmp_path_factory.mktemp("samm") / "answers.ttl"
    graph.serialize(path, format="turtle")
    result = assess([path], frameworks=["samm"])
    by_subject = {}
    for fa in result.frameworks:
        assert fa.scope is not None and fa.scope.subject is not None
        by_subject[fa.scope.subject.id] = fa
    return by_subject


@pytest.mark.parametrize("example", _examples(), ids=lambda e: e["id"])
def test_engine_reproduces_samm_scores(assessed: dict[str, Any], example: dict[str, Any]) -> None:
    fa = assessed[example["id"]]
    scores = {(r.kind, r.id): r.score for r in fa.results}
    expected = example["scores"]
    for level, kind, places in (("streams", "capability", 2), ("practices", "group", 3),
                                ("business_functions", "dimension", 3)):
        for part, score in expected.get(level, {}).items():
            got = scores[(kind, part)]
            assert got is not None and float(got) == pytest.approx(round(score, places), abs=1e-9), (level, part, got)
    assert float(scores[("overall", "samm")] or -1) == pytest.approx(round(expected["overall"], 3), abs=1e-9)


def test_streams_not_answered_score_zero_and_say_so(assessed: dict[str, Any]) -> None:
    fa = assessed["blog-secure-build-baseline"]
    unanswered = fa.get("G-SM-A")
    assert unanswered.score == 0 and not unanswered.assessed
    assert "no current evidence" in (unanswered.note or "")
    practice = fa.get("G-SM")
    assert practice.kind == "group" and practice.score == 0 and practice.assessed
    assert practice.parts == ("G-SM-A", "G-SM-B")
    assert fa.get("I").parts == ("I-SB", "I-SD", "I-DM")  # a business function averages its practices


def test_stage_beside_the_score_is_cumulative(assessed: dict[str, Any]) -> None:
    """Levels do not gate the score, but the stage shown is the highest level held with every level below it."""
    fa = assessed["levels-do-not-gate"]
    stream = fa.get("D-TA-A")  # level 1 answered No, level 2 most or all, level 3 half
    assert stream.score == pytest.approx(1.5) and stream.stage is None
    everything = assessed["everything-in-place"]
    assert everything.get("D-TA-A").stage.label == "Maturity level 3"
    assert everything.get("samm").stage.label == "Maturity level 3"


def test_samm_rules_are_published_by_samm(assessed: dict[str, Any]) -> None:
    fa = assessed["blog-secure-build-baseline"]
    for kind in ("capability", "group", "dimension", "overall"):
        assert not any(r.rule_is_ours for r in fa.of_kind(kind)), kind
