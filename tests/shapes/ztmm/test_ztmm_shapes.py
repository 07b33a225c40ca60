"""Structure of the CISA ZTMM v2.0 framework data and behaviour of its requirement shapes.

Attestation requirements follow the SbD pattern. Measured requirements (those with an
mm:threshold) are met only by an ev:Observation of the right measure and population whose
ev:value reaches the threshold: a claim without the measurement does not count. One pyshacl
run per scenario over every requirement, then one assertion per requirement.
"""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SH, SKOS

ROOT = Path(__file__).parents[3]
SOURCE = Path("/work/shared/frameworks-src/ztmm/ztmm-v2.0.json")

MM = Namespace("https://w3id.org/maturity-graph/mm#")
EV = Namespace("https://w3id.org/maturity-graph/ev#")
ZTMM = Namespace("https://w3id.org/maturity-graph/framework/ztmm/2.0/")
ZTMMSH = "https://w3id.org/maturity-graph/shapes/ztmm/2.0/"
CPT = Namespace("https://w3id.org/maturity-graph/concept/")
EX = Namespace("https://example.org/")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

ENTERPRISE = {ZTMM["visibility-analytics"], ZTMM["automation-orchestration"], ZTMM["governance"]}


def _parse(*paths: Path) -> Graph:
    g = Graph()
    for p in paths:
        g.parse(p, format="turtle")
    return g


@cache
def framework() -> Graph:
    return _parse(ROOT / "ontology/frameworks/ztmm.ttl")


@cache
def concepts() -> Graph:
    return _parse(ROOT / "ontology/concepts.ttl")


@cache
def shapes() -> Graph:
    return _parse(
        ROOT / "shapes/core/supporting-evidence.ttl",
        *sorted((ROOT / "shapes/ztmm").glob("*.ttl")),
    )


@cache
def ontology() -> Graph:
    return _parse(ROOT / "ontology/ev.ttl", ROOT / "ontology/mm.ttl")


def requirements() -> list[URIRef]:
    return sorted(framework().subjects(RDF.type, MM.Requirement))


def measured() -> list[URIRef]:
    g = framework()
    return [r for r in requirements() if g.value(r, MM.threshold) is not None]


def criteria() -> list[URIRef]:
    return sorted(framework().subjects(RDF.type, MM.Criterion))


def is_true(value) -> bool:
    return value is not None and value.toPython() is True


def violations(data: Graph) -> dict[URIRef, set]:
    """Focus node -> set of source shapes of its violations."""
    _, report, _ = validate(data, shacl_graph=shapes(), ont_graph=ontology(), advanced=False, inference="none")
    out: dict[URIRef, set] = {}
    for r in report.subjects(RDF.type, SH.ValidationResult):
        if report.value(r, SH.resultSeverity) != SH.Violation:
            continue
        out.setdefault(report.value(r, SH.focusNode), set()).add(report.value(r, SH.sourceShape))
    return out


def property_shape(req: URIRef) -> URIRef:
    return shapes().value(framework().value(req, MM.shape), SH.property)


def value_shape(req: URIRef) -> URIRef:
    return URIRef(ZTMMSH + str(req).rsplit("/", 1)[1] + "-value")


# ---------------------------------------------------------------- structure


def test_counts():
    g = framework()
    fw = ZTMM.model
    dims = list(g.objects(fw, MM.hasDimension))
    assert len(dims) == 6 and len(set(g.subjects(RDF.type, MM.Dimension))) == 6
    assert g.value(ZTMM["cross-cutting"], DCTERMS.identifier) == Literal("XC")
    assert len(set(g.subjects(RDF.type, MM.Function))) == 22
    cross = set(g.subjects(RDF.type, MM.CrossCuttingCapability))
    assert len(cross) == 18 and ENTERPRISE <= cross
    assert set(g.objects(ZTMM["cross-cutting"], MM.hasCapability)) == ENTERPRISE
    assert not set(g.subjects(RDF.type, MM.Function)) & cross
    caps = [c for d in dims for c in g.objects(d, MM.hasCapability)]
    assert len(caps) == len(set(caps)) == 40
    stages = sorted(g.objects(fw, MM.hasStage), key=lambda s: int(g.value(s, MM.rank)))
    assert stages == [ZTMM.traditional, ZTMM.initial, ZTMM.advanced, ZTMM.optimal]
    assert [str(g.value(s, DCTERMS.identifier)) for s in stages] == ["T", "I", "A", "O"]
    assert len(criteria()) == 160
    assert g.value(fw, MM.targetStage) is None


def test_pillar_cross_cutting_rows_point_to_enterprise_capabilities():
    g = framework()
    pillar_rows = set(g.subjects(RDF.type, MM.CrossCuttingCapability)) - ENTERPRISE
    assert len(pillar_rows) == 15
    for row in pillar_rows:
        aspect = g.value(row, MM.crossCuttingAspect)
        assert aspect in ENTERPRISE, row
        assert str(row).endswith(str(aspect).rsplit("/", 1)[1]), (row, aspect)
    for cap in ENTERPRISE:
        assert g.value(cap, MM.crossCuttingAspect) is None
        assert len(list(g.subjects(MM.crossCuttingAspect, cap))) == 5


def test_rollups_and_policy():
    g = framework()
    rollups = set(g.objects(ZTMM.model, MM.rollUp))
    assert {g.value(r, MM.level) for r in rollups} == {MM.CapabilityLevel, MM.DimensionLevel}
    for r in rollups:
        assert g.value(r, MM.authority) == MM.ChosenByMaturityGraph
    pillar = ZTMM["pillar-rollup"]
    assert g.value(pillar, MM.method) == MM.MinimumStage
    assert g.value(pillar, MM.partKind) == MM.Function
    assert g.value(ZTMM["capability-rollup"], MM.method) == MM.CumulativeGating
    assert g.value(ZTMM.model, SKOS.editorialNote) is not None
    policy = g.value(ZTMM.model, MM.evidencePolicy)
    assert int(g.value(policy, MM.validityDays)) == 92


def test_every_capability_has_one_criterion_per_stage():
    g = framework()
    for d in g.objects(ZTMM.model, MM.hasDimension):
        for cap in g.objects(d, MM.hasCapability):
            stages = [g.value(c, MM.stage) for c in g.subjects(MM.capability, cap)]
            assert sorted(stages) == sorted(g.objects(ZTMM.model, MM.hasStage)), cap


def test_baseline_and_requirements():
    g = framework()
    baselines = [c for c in criteria() if is_true(g.value(c, MM.isBaseline))]
    assert len(baselines) == 40
    assert {g.value(c, MM.stage) for c in baselines} == {ZTMM.traditional}
    for crit in criteria():
        reqs = list(g.objects(crit, MM.requires))
        if crit in baselines:
            assert not reqs and g.value(crit, SKOS.editorialNote) is not None, crit
        else:
            assert reqs, crit
    for req in requirements():
        assert len(list(g.subjects(MM.requires, req))) == 1, req
        assert list(g.objects(req, MM.concept)), req


@cache
def source_rows() -> dict | None:
    if not SOURCE.exists():
        return None
    data = json.loads(SOURCE.read_text(encoding="utf-8"))
    rows = {}
    for pillar in data["pillars"]:
        for row in pillar["rows"]:
            rows[(pillar["table"], row["name"])] = row
    for row in data["enterprise_cross_cutting"]:
        rows[(row["table"], row["name"])] = row
    return rows


def test_source_text_and_reference():
    g = framework()
    rows = source_rows()
    for crit in criteria():
        ref = g.value(crit, MM.source)
        assert ref is not None and (ref, RDF.type, MM.SourceReference) in g, crit
        for p in (MM.sourceDocument, MM.sourceTable, MM.sourceRow, MM.sourceColumn):
            assert g.value(ref, p) is not None, (crit, p)
        cap = g.value(crit, MM.capability)
        assert str(g.value(ref, MM.sourceRow)) == str(g.value(cap, RDFS.label)), crit
        assert str(g.value(ref, MM.sourceColumn)) == str(g.value(g.value(crit, MM.stage), RDFS.label)), crit
        assert g.value(ref, MM.sourcePage) is not None or g.value(crit, SKOS.editorialNote) is not None, crit
        text = g.value(crit, MM.sourceText)
        assert text is not None and text.language == "en", crit
        if rows is not None:
            table = str(g.value(ref, MM.sourceTable)).split(":")[0]
            row = rows[(table, str(g.value(ref, MM.sourceRow)))]
            assert str(text) == row["stages"][str(g.value(ref, MM.sourceColumn))], crit
            if row.get("page") is not None:
                assert int(g.value(ref, MM.sourcePage)) == row["page"], crit
            else:
                assert g.value(ref, MM.sourcePage) is None, crit


def test_change_notes_carry_v1_markers():
    rows = source_rows()
    if rows is None:
        pytest.skip("source JSON not available")
    g = framework()
    for d in g.objects(ZTMM.model, MM.hasDimension):
        for cap in g.objects(d, MM.hasCapability):
            table = str(g.value(d, MM.source / MM.sourceTable)).split(":")[0]
            row = rows[(table, str(g.value(cap, RDFS.label)))]
            notes = [str(n) for n in g.objects(cap, SKOS.changeNote)]
            if row.get("v1_note"):
                assert len(notes) == 1 and row["v1_note"] in notes[0], cap
            else:
                assert not notes, cap


def test_identifiers_unique_and_labels_single():
    g = framework()
    ids = [str(o) for o in g.objects(None, DCTERMS.identifier)]
    assert len(ids) == len(set(ids))
    for s in set(g.subjects(RDF.type, None)):
        if isinstance(s, URIRef):
            assert len(list(g.objects(s, RDFS.label))) == 1, s


def test_measured_requirements_and_thresholds():
    g, s = framework(), shapes()
    reqs = measured()
    assert 20 <= len(reqs) <= 45
    for req in reqs:
        threshold = g.value(req, MM.threshold)
        assert (threshold, RDF.type, MM.Threshold) in g, req
        assert g.value(req, MM.measure) in set(g.objects(req, MM.concept)), req
        default = g.value(threshold, MM.defaultValue)
        assert default is not None and default.datatype == XSD.decimal, req
        assert Decimal(0) < default.toPython() <= Decimal(1), req
        assert g.value(threshold, MM.authority) in {MM.PublishedBySource, MM.ChosenByMaturityGraph}, req
        assert g.value(threshold, RDFS.comment) is not None, req
        shape = g.value(threshold, MM.constrains)
        assert shape == value_shape(req), req
        assert (shape, RDF.type, SH.PropertyShape) in s, req
        assert s.value(shape, SH.path) == EV.value
        bound = s.value(shape, SH.minInclusive)
        assert bound.datatype == XSD.decimal and bound.toPython() == default.toPython(), req
        if default.toPython() < 1:
            assert g.value(threshold, MM.authority) == MM.ChosenByMaturityGraph, req
    for req in set(requirements()) - set(reqs):
        assert g.value(req, MM.measure) is None and g.value(req, MM.population) is None, req


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
    targeted = {n for n in s.subjects(SH.targetNode, None) if str(n).startswith(ZTMMSH)}
    assert targeted == set(g.objects(None, MM.shape))
    assert not list(s.subjects(SH.sparql, None))


def test_concepts_defined():
    g, c = framework(), concepts()
    defined = set(c.subjects(RDF.type, SKOS.Concept))
    used = {x for req in requirements() for p in (MM.concept, MM.measure, MM.population) for x in g.objects(req, p)}
    assert used <= defined, sorted(used - defined)
    for con in used:
        assert c.value(con, SKOS.definition) is not None, con


# ---------------------------------------------------------------- behaviour

ALICE = EX["alice"]


def _evidence(g: Graph, node: URIRef, req: URIRef, status, artifact=True, note=None, kind=None,
              value_delta=Decimal(0), population=None):
    fw = framework()
    threshold = fw.value(req, MM.threshold)
    if kind is None:
        kind = "observation" if threshold is not None else "attestation"
    g.add((node, RDF.type, EV.Observation if kind == "observation" else EV.Attestation))
    g.add((node, EV.addresses, req))
    g.add((node, EV.status, status))
    g.add((node, EV.date, Literal("2025-06-01", datatype=XSD.date)))
    g.add((node, PROV.wasAttributedTo, ALICE))
    if artifact:
        g.add((node, EV.artifact, Literal(f"https://example.org/artifacts/{node.split('/')[-1]}", datatype=XSD.anyURI)))
    if note:
        g.add((node, EV.note, Literal(note)))
    if kind == "observation" and threshold is not None:
        g.add((node, EV.measure, fw.value(req, MM.measure)))
        pop = population or fw.value(req, MM.population)
        if pop is not None:
            g.add((node, EV.population, pop))
        value = fw.value(threshold, MM.defaultValue).toPython() + value_delta
        g.add((node, EV.value, Literal(value, datatype=XSD.decimal)))


SCENARIOS = {
    "met": dict(status=EV.Met),
    "bare-claim": dict(status=EV.Met, artifact=False),
    "not-met": dict(status=EV.NotMet),
    "not-applicable": dict(status=EV.NotApplicable, artifact=False, note="Out of scope for this programme."),
    "no-evidence": None,
    "below-threshold": dict(status=EV.Met, value_delta=Decimal("-0.01")),
    "attestation-only": dict(status=EV.Met, kind="attestation"),
    "wrong-population": dict(status=EV.Met, population=EX["some-other-population"]),
}


@cache
def scenario_result(name: str) -> dict:
    g = Graph()
    g.add((ALICE, RDF.type, PROV.Person))
    kwargs = SCENARIOS[name]
    if kwargs is not None:
        for i, req in enumerate(requirements()):
            _evidence(g, EX[f"{name}-{i}"], req, **kwargs)
    return violations(g)


REQS = requirements()
IDS = [str(framework().value(r, DCTERMS.identifier)) for r in REQS]
MEASURED = measured()
MEASURED_IDS = [str(framework().value(r, DCTERMS.identifier)) for r in MEASURED]
WITH_POPULATION = [r for r in MEASURED if framework().value(r, MM.population) is not None]
WITH_POPULATION_IDS = [str(framework().value(r, DCTERMS.identifier)) for r in WITH_POPULATION]


@pytest.mark.parametrize("req", REQS, ids=IDS)
def test_met_conforms(req):
    assert req not in scenario_result("met")


@pytest.mark.parametrize("req", REQS, ids=IDS)
def test_bare_claim_violates(req):
    assert property_shape(req) in scenario_result("bare-claim").get(req, set())


@pytest.mark.parametrize("req", REQS, ids=IDS)
def test_not_met_violates(req):
    assert property_shape(req) in scenario_result("not-met").get(req, set())


@pytest.mark.parametrize("req", REQS, ids=IDS)
def test_not_applicable_with_reason_conforms(req):
    assert req not in scenario_result("not-applicable")


@pytest.mark.parametrize("req", REQS, ids=IDS)
def test_no_evidence_violates(req):
    assert property_shape(req) in scenario_result("no-evidence").get(req, set())


@pytest.mark.parametrize("req", MEASURED, ids=MEASURED_IDS)
def test_value_below_threshold_violates(req):
    assert property_shape(req) in scenario_result("below-threshold").get(req, set())


@pytest.mark.parametrize("req", MEASURED, ids=MEASURED_IDS)
def test_attestation_without_measurement_violates(req):
    """The evidence pack is the maturity, not the assertion."""
    assert property_shape(req) in scenario_result("attestation-only").get(req, set())


@pytest.mark.parametrize("req", WITH_POPULATION, ids=WITH_POPULATION_IDS)
def test_wrong_population_violates(req):
    assert property_shape(req) in scenario_result("wrong-population").get(req, set())


def test_attestation_scenario_still_satisfies_attestation_requirements():
    result = scenario_result("attestation-only")
    for req in set(REQS) - set(MEASURED):
        assert req not in result, req


def test_value_above_threshold_conforms():
    req = next(r for r in MEASURED if framework().value(framework().value(r, MM.threshold), MM.defaultValue).toPython() < 1)
    g = Graph()
    _evidence(g, EX["above"], req, status=EV.Met, value_delta=Decimal("0.05"))
    assert req not in violations(g)
