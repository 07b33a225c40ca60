"""Structure of the CISA ZTMM v2.0 framework data and behaviour of its requirement shapes.

Attestation requirements follow the SbD pattern. Measured requirements (those with an
mm:threshold) are met only by an ev:Observation of the right measure and population whose
ev:value reaches the threshold: a claim without the measurement does not count. The standard
scenarios are in tests/shapes/test_all_frameworks.py; the measured ones are here, one pyshacl
run per scenario (tests/shapes/harness.py), then one assertion per requirement.
"""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SH, SKOS

from tests.conftest import SHARED
from tests.shapes.harness import EV, EX, MM, XSD
from tests.shapes.harness import ZTMM as FW

SOURCE = SHARED / "frameworks-src/ztmm/ztmm-v2.0.json"

ZTMM = Namespace("https://w3id.org/maturity-graph/framework/ztmm/2.0/")
ZTMMSH = "https://w3id.org/maturity-graph/shapes/ztmm/2.0/"

ENTERPRISE = {ZTMM["visibility-analytics"], ZTMM["automation-orchestration"], ZTMM["governance"]}


def measured() -> list[URIRef]:
    g = FW.graph
    return [r for r in FW.requirements if g.value(r, MM.threshold) is not None]


def is_true(value) -> bool:
    return value is not None and value.toPython() is True


def value_shape(req: URIRef) -> URIRef:
    return URIRef(ZTMMSH + str(req).rsplit("/", 1)[1] + "-value")


# ---------------------------------------------------------------- structure
# (shape, concept, capability/stage, source-reference and identifier checks common to every
# framework, and the standard behaviour scenarios, are in tests/shapes/test_all_frameworks.py)


def test_counts():
    g = FW.graph
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
    assert len(FW.criteria) == 160
    assert g.value(fw, MM.targetStage) is None


def test_pillar_cross_cutting_rows_point_to_enterprise_capabilities():
    g = FW.graph
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
    g = FW.graph
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


def test_baseline_and_requirements():
    g = FW.graph
    baselines = [c for c in FW.criteria if is_true(g.value(c, MM.isBaseline))]
    assert len(baselines) == 40
    assert {g.value(c, MM.stage) for c in baselines} == {ZTMM.traditional}
    for crit in FW.criteria:
        reqs = list(g.objects(crit, MM.requires))
        if crit in baselines:
            assert not reqs and g.value(crit, SKOS.editorialNote) is not None, crit
        else:
            assert reqs, crit
    for req in FW.requirements:
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
    g = FW.graph
    rows = source_rows()
    for crit in FW.criteria:
        ref = g.value(crit, MM.source)
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
    g = FW.graph
    for d in g.objects(ZTMM.model, MM.hasDimension):
        for cap in g.objects(d, MM.hasCapability):
            table = str(g.value(d, MM.source / MM.sourceTable)).split(":")[0]
            row = rows[(table, str(g.value(cap, RDFS.label)))]
            notes = [str(n) for n in g.objects(cap, SKOS.changeNote)]
            if row.get("v1_note"):
                assert len(notes) == 1 and row["v1_note"] in notes[0], cap
            else:
                assert not notes, cap


def test_measured_requirements_and_thresholds():
    g, s = FW.graph, FW.shapes
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
    for req in set(FW.requirements) - set(reqs):
        assert g.value(req, MM.measure) is None and g.value(req, MM.population) is None, req


# ---------------------------------------------------------------- behaviour
# Measured requirements: an ev:Observation of the right measure and population at the
# threshold is met (the "met-with-artifact" scenario in test_all_frameworks.py); below it,
# of another population or as a bare attestation it is not.

REQS = FW.requirements
MEASURED = measured()
MEASURED_IDS = FW.ids(MEASURED)
WITH_POPULATION = [r for r in MEASURED if FW.graph.value(r, MM.population) is not None]
WITH_POPULATION_IDS = FW.ids(WITH_POPULATION)


@pytest.mark.parametrize("req", MEASURED, ids=MEASURED_IDS)
def test_value_below_threshold_violates(req):
    FW.assert_violates("below-threshold", req)


@pytest.mark.parametrize("req", MEASURED, ids=MEASURED_IDS)
def test_attestation_without_measurement_violates(req):
    """A measured requirement counts the measurement, never the claim."""
    FW.assert_violates("attestation-only", req)


@pytest.mark.parametrize("req", WITH_POPULATION, ids=WITH_POPULATION_IDS)
def test_wrong_population_violates(req):
    FW.assert_violates("wrong-population", req)


def test_attestation_scenario_still_satisfies_attestation_requirements():
    result = FW.scenario_result("attestation-only")
    for req in set(REQS) - set(MEASURED):
        assert req not in result, req


def test_value_above_threshold_conforms():
    g = FW.graph
    req = next(r for r in MEASURED if g.value(g.value(r, MM.threshold), MM.defaultValue).toPython() < 1)
    data = Graph()
    FW.evidence(data, EX["above"], req, status=EV.Met, value_delta=Decimal("0.05"))
    assert req not in FW.violations(data)
