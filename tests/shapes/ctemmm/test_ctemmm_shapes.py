"""Structure of the CTEM Maturity Model v1.0.0 framework data and behaviour of its shapes.

The source is a reconstruction of a damaged scrape whose licence terms are unknown, so the
framework carries structure and requirements in maturity-graph's words only: no
mm:sourceText anywhere. The structure tests compare the file with the reconstruction's
JSON (when it is present) and with the counts stated in its SOURCES.md. Every requirement
shape gets a conforming and a non-conforming case in tests/shapes/test_all_frameworks.py.
"""

from __future__ import annotations

import json
from functools import cache

import pytest
from rdflib import Literal, Namespace
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from tests.conftest import SHARED
from tests.shapes.harness import CTEMMM as FW
from tests.shapes.harness import MM

SOURCE = SHARED / "frameworks-src/ctemmm/ctemmm-v1.0.0-reconstructed.json"

CTEMMM = Namespace("https://w3id.org/maturity-graph/framework/ctemmm/1.0.0/")

PHASES = {"Scoping": 9, "Discovery": 7, "Prioritization": 7, "Validation": 8, "Mobilization": 7}

# the reconstruction's 17 gaps (SOURCES.md), by capability name
TIER_GAPS = {
    "Threat Landscape Alignment",
    "Exposure Surface Scoping Strategy",
    "Stakeholder Engagement & Objective Setting",
    "Business Impact Modeling & Asset Criticality",
    "Exposure Risk Scoring Model",
    "Campaign & Cluster Analysis",
    "Red Team / Purple Team Operations",
    "Zero Trust Control Validation",
}
LEVEL_5_GAPS = {
    "Attack Path Analysis & Blast Radius Estimation",
    "Campaign & Cluster Analysis",
    "Control Effectiveness Testing",
    "Remediation Validation",
    "Proof-of-Exploit Feasibility",
    "Breach & Attack Simulation (BAS) Integration",
    "Red Team / Purple Team Operations",
    "Zero Trust Control Validation",
    "Feedback Loops to Threat Detection & Response",
}


@cache
def source() -> dict | None:
    return json.loads(SOURCE.read_text(encoding="utf-8")) if SOURCE.exists() else None


def label(node) -> str:
    return str(FW.graph.value(node, RDFS.label))


def is_true(value) -> bool:
    return value is not None and value.toPython() is True


# ---------------------------------------------------------------- structure
# (shape, concept, capability/stage, source-reference and identifier checks common to every
# framework, and the behaviour scenarios, are in tests/shapes/test_all_frameworks.py)


def test_counts():
    g = FW.graph
    fw = CTEMMM.model
    assert (fw, RDF.type, MM.Framework) in g
    dims = sorted(g.objects(fw, MM.hasDimension), key=lambda d: int(g.value(d, MM.order)))
    assert [label(d) for d in dims] == list(PHASES)
    assert [len(set(g.objects(d, MM.hasCapability))) for d in dims] == list(PHASES.values())
    assert len(set(g.subjects(RDF.type, MM.Dimension))) == 5
    assert len(set(g.subjects(RDF.type, MM.Capability))) == 38
    caps = [c for d in dims for c in g.objects(d, MM.hasCapability)]
    assert len(caps) == len(set(caps)) == 38
    assert len(set(g.objects(fw, MM.hasStage))) == 5
    assert sorted(int(g.value(s, MM.rank)) for s in g.objects(fw, MM.hasStage)) == [1, 2, 3, 4, 5]
    assert g.value(fw, MM.targetStage) is None
    assert len(FW.criteria) == 190
    assert len([c for c in FW.criteria if g.value(c, MM.gap) is None]) == 181


def test_tiers():
    g = FW.graph
    tiers = {str(g.value(t, RDFS.label)): int(g.value(t, MM.tierRank)) for t in g.subjects(RDF.type, MM.Tier)}
    assert tiers == {"Foundational": 1, "Enhanced": 2, "Strategic": 3}
    caps = set(g.subjects(RDF.type, MM.Capability))
    with_tier = {c for c in caps if g.value(c, MM.tier) is not None}
    assert len(with_tier) == 30
    assert {label(c) for c in caps - with_tier} == TIER_GAPS
    for cap in caps - with_tier:
        gaps = list(g.objects(cap, MM.gap))
        assert len(gaps) == 1, cap
        assert (gaps[0], RDF.type, MM.SourceGap) in g
        assert "original publication" in str(g.value(gaps[0], RDFS.comment))
    for cap in with_tier:
        assert g.value(cap, MM.gap) is None, cap
    src = source()
    if src is not None:
        by_name = {c["name"]: c for p in src["phases"] for c in p["capabilities"]}
        for cap in caps:
            tier = by_name[label(cap)]["tier"]
            value = g.value(cap, MM.tier)
            assert (None if value is None else int(g.value(value, MM.tierRank))) == tier, cap


def test_level_5_gaps():
    g = FW.graph
    gapped = [c for c in FW.criteria if g.value(c, MM.gap) is not None]
    assert len(gapped) == 9
    assert {label(g.value(c, MM.capability)) for c in gapped} == LEVEL_5_GAPS
    for crit in gapped:
        assert g.value(crit, MM.stage) == CTEMMM["level-5"]
        assert not list(g.objects(crit, MM.requires)), crit
        assert not is_true(g.value(crit, MM.isBaseline)), crit
        gap = g.value(crit, MM.gap)
        assert (gap, RDF.type, MM.SourceGap) in g
        assert "unreachable" in str(g.value(gap, RDFS.comment))
    assert len(set(g.subjects(RDF.type, MM.SourceGap))) == 17


def test_gaps_match_the_reconstruction():
    src = source()
    if src is None:
        pytest.skip("reconstruction JSON not available")
    expected = set(src["gaps"])
    g = FW.graph
    found = {f"{label(next(d for d in g.subjects(MM.hasCapability, c)))} / {label(c)}: tier not shown in scrape"
             for c in g.subjects(RDF.type, MM.Capability) if g.value(c, MM.gap) is not None}
    found |= {f"{label(next(d for d in g.subjects(MM.hasCapability, g.value(c, MM.capability))))} / "
              f"{label(g.value(c, MM.capability))}: Level 5 text missing from scrape"
              for c in FW.criteria if g.value(c, MM.gap) is not None}
    assert found == expected
    missing = {(c["name"], level) for p in src["phases"] for c in p["capabilities"]
               for level, text in c["levels"].items() if text is None}
    assert missing == {(name, "Level 5") for name in LEVEL_5_GAPS}


def test_baseline_and_requirements():
    g = FW.graph
    for crit in FW.criteria:
        reqs = list(g.objects(crit, MM.requires))
        baseline = is_true(g.value(crit, MM.isBaseline))
        gap = g.value(crit, MM.gap) is not None
        assert sum((baseline, bool(reqs), gap)) == 1, crit
        if g.value(crit, MM.stage) == CTEMMM["level-1"]:
            assert baseline or g.value(crit, SKOS.editorialNote), crit
        if reqs:
            assert 1 <= len(reqs) <= 3, crit
            orders = sorted(int(g.value(r, MM.order)) for r in reqs)
            assert orders == list(range(1, len(reqs) + 1)), crit
    for req in FW.requirements:
        assert len(list(g.subjects(MM.requires, req))) == 1, req


def test_rollups_and_policy():
    g = FW.graph
    rollups = set(g.objects(CTEMMM.model, MM.rollUp))
    got = {(g.value(r, MM.level), g.value(r, MM.method)) for r in rollups}
    assert got == {
        (MM.CapabilityLevel, MM.CumulativeGating),
        (MM.DimensionLevel, MM.MinimumStage),
        (MM.TierLevel, MM.TierReadiness),
    }
    for r in rollups:
        assert g.value(r, MM.authority) == MM.ChosenByMaturityGraph
    policy = g.value(CTEMMM.model, MM.evidencePolicy)
    assert int(g.value(policy, MM.validityDays)) == 365


def test_no_source_text_anywhere():
    """Licence terms unknown: the file quotes no level text."""
    g = FW.graph
    assert not list(g.subject_objects(MM.sourceText))
    src = source()
    if src is None:
        return
    texts = [t for p in src["phases"] for c in p["capabilities"] for t in c["levels"].values() if t]
    texts += [c["purpose"] for p in src["phases"] for c in p["capabilities"]]
    literals = [str(o) for o in g.objects() if isinstance(o, Literal)]
    literals += [str(o) for o in FW.shapes.objects() if isinstance(o, Literal)]
    for text in texts:
        for lit in literals:
            assert text not in lit, text
            # no sentence of the source is reused whole either
            for sentence in text.split(". "):
                if len(sentence) > 40:
                    assert sentence not in lit, sentence


def test_licence():
    g = FW.graph
    licence = g.value(CTEMMM.model, DCTERMS.license)
    assert licence == CTEMMM.licence
    assert (licence, RDF.type, DCTERMS.LicenseDocument) in g
    assert "all rights reserved" in str(g.value(licence, RDFS.label))


def test_source_reference():
    g = FW.graph
    for crit in FW.criteria:
        ref = g.value(crit, MM.source)
        cap = g.value(crit, MM.capability)
        assert str(g.value(ref, MM.sourceRow)) == label(cap)
        phase = next(g.subjects(MM.hasCapability, cap))
        assert str(g.value(ref, MM.sourceTable)) == label(phase)
        assert str(g.value(ref, MM.sourceColumn)) == f"Level {int(g.value(g.value(crit, MM.stage), MM.rank))}"


def test_structure_matches_the_reconstruction():
    src = source()
    if src is None:
        pytest.skip("reconstruction JSON not available")
    g = FW.graph
    dims = sorted(g.objects(CTEMMM.model, MM.hasDimension), key=lambda d: int(g.value(d, MM.order)))
    for phase, dim in zip(src["phases"], dims, strict=True):
        assert label(dim) == phase["name"]
        caps = sorted(g.objects(dim, MM.hasCapability), key=lambda c: int(g.value(c, MM.order)))
        assert [label(c) for c in caps] == [c["name"] for c in phase["capabilities"]]
