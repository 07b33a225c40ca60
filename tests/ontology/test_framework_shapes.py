"""shapes/core/framework.ttl: well-formedness of framework content.

The data graph is the vocabulary (mm.ttl, so roll-up methods and levels are typed), the
concepts and the framework files. The bundled content must conform; each planted defect in
tests/data/qa/ must produce exactly the violations expected of it, named by sh:sourceShape.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph, Namespace
from rdflib.namespace import RDF, RDFS, SH

ROOT = Path(__file__).parents[2]
DATA = ROOT / "tests" / "data" / "qa"
SHAPES = ROOT / "shapes" / "core" / "framework.ttl"
MMSH = Namespace("https://w3id.org/maturity-graph/shapes/core/")

# fixture (relative to tests/data/qa) -> the shapes whose violations it must produce, no more
PLANTED = {
    "missing-label.ttl": {MMSH["Capability-label"]},
    "multiple-labels.ttl": {MMSH["Capability-label"]},
    "criterion-without-source.ttl": {MMSH["Criterion-source"]},
    "criterion-without-requirements.ttl": {MMSH["Criterion-baseline"]},
    "baseline-with-requirements.ttl": {MMSH["Criterion-baseline"]},
    "requirement-without-shape.ttl": {MMSH["Requirement-shape"]},
    "requirement-without-concept.ttl": {MMSH["Requirement-concept"]},
    "concept-undefined.ttl": {MMSH["Requirement-concept"]},
    "concept-without-definition.ttl": {MMSH["Concept-definition"]},
    "unused-concept.ttl": {MMSH["Concept"]},
    "stage-rank-gap.ttl": {MMSH["Framework-stage-ranks"]},
    "shacl/stage-rank-zero.ttl": {MMSH["Stage-rank"]},
    "shacl/rollup-without-authority.ttl": {MMSH["RollUp-authority"]},
    "shacl/framework-header.ttl": {MMSH["Framework-license"], MMSH["Framework-stage"]},
    "shacl/source-without-document.ttl": {MMSH["Criterion-source"], MMSH["SourceReference-document"]},
    "shacl/criterion-with-gap.ttl": set(),
    "shacl/criterion-unpublished.ttl": set(),
    "shacl/criterion-unpublished-with-baseline-and-requirements.ttl": {MMSH["Criterion-baseline"]},
}


def _graph(*paths: Path) -> Graph:
    graph = Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


@cache
def shapes() -> Graph:
    return _graph(SHAPES)


def _violations(data: Graph) -> tuple[bool, Graph, str, set]:
    conforms, report, text = validate(data, shacl_graph=shapes(), inference="none")
    sources = set(report.objects(None, SH.sourceShape))
    return conforms, report, text, sources


def test_bundled_content_conforms():
    data = _graph(
        ROOT / "ontology" / "mm.ttl",
        ROOT / "ontology" / "concepts.ttl",
        *sorted((ROOT / "ontology" / "frameworks").glob("*.ttl")),
    )
    conforms, _, text, _ = _violations(data)
    assert conforms, text


def test_base_fixture_conforms():
    conforms, _, text, _ = _violations(_graph(ROOT / "ontology" / "mm.ttl", DATA / "base-framework.ttl"))
    assert conforms, text


@pytest.mark.parametrize("fixture", sorted(PLANTED))
def test_planted_defect(fixture):
    data = _graph(ROOT / "ontology" / "mm.ttl", DATA / "base-framework.ttl", DATA / fixture)
    conforms, report, text, sources = _violations(data)
    assert sources == PLANTED[fixture], text
    assert conforms is not bool(PLANTED[fixture])
    for result in report.subjects(RDF.type, SH.ValidationResult):
        assert report.value(result, SH.resultSeverity) == SH.Violation
        assert report.value(result, SH.resultMessage) is not None


def test_every_shape_is_named_with_message_and_severity():
    graph = shapes()
    named = set(graph.subjects(RDF.type, SH.NodeShape)) | set(graph.subjects(RDF.type, SH.PropertyShape))
    assert len(named) > 30
    for shape in named:
        assert str(shape).startswith(str(MMSH)), f"{shape}: shapes are named under mmsh:"
        assert graph.value(shape, SH.name) or graph.value(shape, RDFS.label), f"{shape}: no sh:name"
        assert graph.value(shape, SH.message), f"{shape}: no sh:message"
        assert graph.value(shape, SH.severity), f"{shape}: no sh:severity"
    anonymous = [s for s in graph.subjects(SH.path, None) if s not in named]
    assert not anonymous, f"property shapes must be named IRIs typed sh:PropertyShape: {anonymous}"


def test_sparql_constraints_say_why():
    graph = shapes()
    for shape in graph.subjects(SH.sparql, None):
        assert graph.value(shape, RDFS.comment), f"{shape}: sh:sparql without an rdfs:comment giving the reason"
