"""Structure of the SbD framework data and behaviour of its requirement shapes.

Every requirement shape gets a conforming and a non-conforming case: one validation
per scenario over a data graph with one piece of evidence per requirement, then one
assertion per requirement.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SH, SKOS

ROOT = Path(__file__).parents[3]
SEED = Path("/work/shared/seeds/sbd-maturity-model.txt")
CASES = Path(__file__).parent / "cases"

MM = Namespace("https://w3id.org/maturity-graph/mm#")
EV = Namespace("https://w3id.org/maturity-graph/ev#")
SBD = Namespace("https://w3id.org/maturity-graph/framework/sbd/2025-06-18/")
MMT = Namespace("https://w3id.org/maturity-graph/test#")
EX = Namespace("https://example.org/")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")


def _parse(*paths: Path) -> Graph:
    g = Graph()
    for p in paths:
        g.parse(p, format="turtle")
    return g


@cache
def framework() -> Graph:
    return _parse(ROOT / "ontology/frameworks/sbd.ttl")


@cache
def concepts() -> Graph:
    return _parse(ROOT / "ontology/concepts.ttl")


@cache
def shapes() -> Graph:
    return _parse(
        ROOT / "shapes/core/supporting-evidence.ttl",
        *sorted((ROOT / "shapes/sbd").glob("*.ttl")),
    )


@cache
def ontology() -> Graph:
    return _parse(ROOT / "ontology/ev.ttl", ROOT / "ontology/mm.ttl")


def requirements() -> list[URIRef]:
    g = framework()
    return sorted(s for s in g.subjects(RDF.type, MM.Requirement))


def criteria() -> list[URIRef]:
    return sorted(framework().subjects(RDF.type, MM.Criterion))


def violations(data: Graph) -> dict[URIRef, set]:
    """Focus node -> set of source shapes of its violations."""
    _, report, _ = validate(
        data,
        shacl_graph=shapes(),
        ont_graph=ontology(),
        advanced=False,
        inference="none",
    )
    out: dict[URIRef, set] = {}
    for r in report.subjects(RDF.type, SH.ValidationResult):
        if report.value(r, SH.resultSeverity) != SH.Violation:
            continue
        focus = report.value(r, SH.focusNode)
        out.setdefault(focus, set()).add(report.value(r, SH.sourceShape))
    return out


def property_shape(req: URIRef) -> URIRef:
    node_shape = framework().value(req, MM.shape)
    return shapes().value(node_shape, SH.property)


# ---------------------------------------------------------------- structure


def test_counts():
    g = framework()
    assert len(set(g.subjects(RDF.type, MM.Dimension))) == 4
    assert len(set(g.subjects(RDF.type, MM.Capability))) == 13
    assert len(set(g.subjects(RDF.type, MM.Stage))) == 5
    assert len(criteria()) == 65
    fw = SBD.model
    assert (fw, RDF.type, MM.Framework) in g
    assert len(set(g.objects(fw, MM.hasDimension))) == 4
    assert len(set(g.objects(fw, MM.hasStage))) == 5
    assert g.value(fw, MM.targetStage) == SBD["level-3"]
    assert sorted(int(g.value(s, MM.rank)) for s in g.objects(fw, MM.hasStage)) == [1, 2, 3, 4, 5]
    caps = [c for d in g.objects(fw, MM.hasDimension) for c in g.objects(d, MM.hasCapability)]
    assert len(caps) == len(set(caps)) == 13


def test_every_capability_has_one_criterion_per_stage():
    g = framework()
    for cap in g.subjects(RDF.type, MM.Capability):
        stages = [g.value(c, MM.stage) for c in g.subjects(MM.capability, cap)]
        assert sorted(stages) == sorted(g.objects(SBD.model, MM.hasStage)), cap


def test_baseline_and_requirements():
    g = framework()
    for crit in criteria():
        reqs = list(g.objects(crit, MM.requires))
        baseline = g.value(crit, MM.isBaseline)
        if baseline is not None and baseline.toPython() is True:
            assert not reqs, f"{crit} is baseline but has requirements"
        else:
            assert reqs, f"{crit} is not baseline and has no requirement"
        if g.value(crit, MM.stage) == SBD["level-1"]:
            is_baseline = baseline is not None and baseline.toPython() is True
            assert is_baseline or g.value(crit, SKOS.editorialNote), crit
    for req in requirements():
        owners = list(g.subjects(MM.requires, req))
        assert len(owners) == 1, req


def test_rollups_and_policy():
    g = framework()
    rollups = set(g.objects(SBD.model, MM.rollUp))
    assert {g.value(r, MM.level) for r in rollups} == {
        MM.CapabilityLevel,
        MM.DimensionLevel,
        MM.OverallLevel,
    }
    for r in rollups:
        assert g.value(r, MM.method) is not None and g.value(r, MM.authority) is not None
    policy = g.value(SBD.model, MM.evidencePolicy)
    assert int(g.value(policy, MM.validityDays)) == 365


def test_every_requirement_has_its_shape():
    g, s = framework(), shapes()
    for req in requirements():
        shape_nodes = list(g.objects(req, MM.shape))
        assert len(shape_nodes) == 1, req
        node_shape = shape_nodes[0]
        assert (node_shape, RDF.type, SH.NodeShape) in s, node_shape
        assert list(s.objects(node_shape, SH.targetNode)) == [req]
        assert (node_shape, RDFS.seeAlso, req) in s
        for p in (SH.name, SH.message, SH.severity):
            assert s.value(node_shape, p) is not None, (node_shape, p)
        prop = s.value(node_shape, SH.property)
        assert s.value(prop, SH.qualifiedValueShape) is not None
        assert s.value(prop, SH.message) is not None
    # no orphan shapes
    sbdsh = "https://w3id.org/maturity-graph/shapes/sbd/"
    targeted = {n for n in s.subjects(RDF.type, SH.NodeShape) if str(n).startswith(sbdsh)}
    assert targeted == set(g.objects(None, MM.shape))
    assert not list(s.subjects(SH.sparql, None))


def test_concepts_defined_and_used():
    g, c = framework(), concepts()
    defined = set(c.subjects(RDF.type, SKOS.Concept))
    used = set()
    for req in requirements():
        cs = set(g.objects(req, MM.concept))
        assert cs, f"{req} has no concept"
        used |= cs
    assert used <= defined, sorted(used - defined)
    closure = set(used)
    frontier = set(used)
    while frontier:
        frontier = {b for x in frontier for b in c.objects(x, SKOS.broader)} - closure
        closure |= frontier
    # other frameworks share the scheme: every concept SbD reaches is defined here; that
    # every concept is used by some framework is the QA query unused-concept.rq
    assert closure <= defined, sorted(closure - defined)
    for con in closure:
        assert len(list(c.objects(con, RDFS.label))) == 1, con
        assert c.value(con, SKOS.definition) is not None, con
        assert c.value(con, SKOS.inScheme) is not None, con
        assert c.value(con, SKOS.broader) is not None or c.value(con, SKOS.topConceptOf) is not None


def test_source_text_and_reference():
    g = framework()
    seed = SEED.read_text(encoding="utf-8") if SEED.exists() else None
    for crit in criteria():
        text = g.value(crit, MM.sourceText)
        assert text is not None, crit
        if seed is not None:
            assert str(text) in seed, crit
        ref = g.value(crit, MM.source)
        assert ref is not None and (ref, RDF.type, MM.SourceReference) in g, crit
        for p in (MM.sourceDocument, MM.sourceTable, MM.sourceRow, MM.sourceColumn):
            assert g.value(ref, p) is not None, (crit, p)
        assert g.value(ref, MM.sourceRow) == Literal(
            str(g.value(g.value(crit, MM.capability), RDFS.label))
        )


def test_identifiers_unique_and_labels_single():
    g = framework()
    ids = [str(o) for o in g.objects(None, DCTERMS.identifier)]
    assert len(ids) == len(set(ids))
    for s in set(g.subjects(RDF.type, None)):
        if isinstance(s, BNode):
            continue
        assert len(list(g.objects(s, RDFS.label))) == 1, s


# ---------------------------------------------------------------- behaviour

ALICE = EX["alice"]


def _evidence(g: Graph, node: URIRef, reqs, status, artifact=True, note=None, attester=True):
    g.add((node, RDF.type, EV.Attestation))
    for r in reqs:
        g.add((node, EV.addresses, r))
    g.add((node, EV.status, status))
    g.add((node, EV.date, Literal("2025-06-01", datatype=XSD.date)))
    if artifact:
        url = f"https://example.org/artifacts/{node.split('/')[-1]}"
        g.add((node, EV.artifact, Literal(url, datatype=XSD.anyURI)))
    if attester:
        g.add((node, PROV.wasAttributedTo, ALICE))
    if note:
        g.add((node, EV.note, Literal(note)))


SCENARIOS = {
    "met-with-artifact": dict(status=EV.Met),
    "bare-claim": dict(status=EV.Met, artifact=False),
    "not-met": dict(status=EV.NotMet),
    "not-applicable": dict(
        status=EV.NotApplicable, artifact=False, note="The product has no such component."
    ),
    "no-evidence": None,
}


@cache
def scenario_result(name: str) -> dict:
    g = Graph()
    g.add((ALICE, RDF.type, PROV.Person))
    kwargs = SCENARIOS[name]
    if kwargs is not None:
        for i, req in enumerate(requirements()):
            _evidence(g, EX[f"{name}-{i}"], [req], **kwargs)
    return violations(g)


@cache
def cross_result() -> dict:
    """Good evidence only for even-numbered requirements."""
    g = Graph()
    g.add((ALICE, RDF.type, PROV.Person))
    for i, req in enumerate(requirements()):
        if i % 2 == 0:
            _evidence(g, EX[f"cross-{i}"], [req], status=EV.Met)
    return violations(g)


REQS = requirements()
IDS = [str(framework().value(r, DCTERMS.identifier)) for r in REQS]


@pytest.mark.parametrize("req", REQS, ids=IDS)
def test_met_with_artifact_conforms(req):
    assert req not in scenario_result("met-with-artifact")


@pytest.mark.parametrize("req", REQS, ids=IDS)
def test_bare_claim_violates(req):
    result = scenario_result("bare-claim")
    assert req in result
    assert property_shape(req) in result[req]


@pytest.mark.parametrize("req", REQS, ids=IDS)
def test_not_met_violates(req):
    assert property_shape(req) in scenario_result("not-met").get(req, set())


@pytest.mark.parametrize("req", REQS, ids=IDS)
def test_not_applicable_with_reason_conforms(req):
    assert req not in scenario_result("not-applicable")


@pytest.mark.parametrize("req", REQS, ids=IDS)
def test_no_evidence_violates(req):
    assert property_shape(req) in scenario_result("no-evidence").get(req, set())


@pytest.mark.parametrize("req", REQS, ids=IDS)
def test_evidence_for_another_requirement_does_not_count(req):
    i = REQS.index(req)
    assert (req in cross_result()) == (i % 2 == 1)


def test_not_applicable_without_reason_violates():
    req = REQS[0]
    g = Graph()
    _evidence(g, EX["na-no-note"], [req], status=EV.NotApplicable, artifact=False)
    assert req in violations(g)


# ---------------------------------------------------------------- hand-written cases

CASE_FILES = sorted(CASES.glob("*.test.ttl"))


def test_there_are_hand_written_cases():
    assert len(CASE_FILES) >= 3


@pytest.mark.parametrize("path", CASE_FILES, ids=[p.name for p in CASE_FILES])
def test_hand_written_case(path):
    data = _parse(path)
    found = violations(data)
    cases = list(data.subjects(RDF.type, MMT.ShapeCase))
    assert cases, f"{path.name} declares no mmt:ShapeCase"
    for case in cases:
        req = data.value(case, MMT.requirement)
        assert (req, RDF.type, MM.Requirement) in framework(), req
        expected = data.value(case, MMT.expectSatisfied).toPython()
        assert (req not in found) is expected, (case, req, found.get(req))
