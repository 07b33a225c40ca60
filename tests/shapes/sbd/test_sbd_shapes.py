"""Structure of the SbD framework data and behaviour of its requirement shapes.

Every requirement shape gets a conforming and a non-conforming case in
tests/shapes/test_all_frameworks.py; the hand-written cases in cases/ are checked here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, Namespace
from rdflib.namespace import RDF, RDFS, SKOS

from tests.conftest import SHARED
from tests.shapes.harness import MM, parse
from tests.shapes.harness import SBD as FW

SEED = SHARED / "seeds/sbd-maturity-model.txt"
CASES = Path(__file__).parent / "cases"

SBD = Namespace("https://w3id.org/maturity-graph/framework/sbd/2025-06-18/")
MMT = Namespace("https://w3id.org/maturity-graph/test#")


# ---------------------------------------------------------------- structure
# (shape, concept, capability/stage, source-reference and identifier checks common to every
# framework, and the behaviour scenarios, are in tests/shapes/test_all_frameworks.py)


def test_counts():
    g = FW.graph
    assert len(set(g.subjects(RDF.type, MM.Dimension))) == 4
    assert len(set(g.subjects(RDF.type, MM.Capability))) == 13
    assert len(set(g.subjects(RDF.type, MM.Stage))) == 5
    assert len(FW.criteria) == 65
    fw = SBD.model
    assert (fw, RDF.type, MM.Framework) in g
    assert len(set(g.objects(fw, MM.hasDimension))) == 4
    assert len(set(g.objects(fw, MM.hasStage))) == 5
    assert g.value(fw, MM.targetStage) == SBD["level-3"]
    assert sorted(int(g.value(s, MM.rank)) for s in g.objects(fw, MM.hasStage)) == [1, 2, 3, 4, 5]
    caps = [c for d in g.objects(fw, MM.hasDimension) for c in g.objects(d, MM.hasCapability)]
    assert len(caps) == len(set(caps)) == 13


def test_baseline_and_requirements():
    g = FW.graph
    for crit in FW.criteria:
        reqs = list(g.objects(crit, MM.requires))
        baseline = g.value(crit, MM.isBaseline)
        if baseline is not None and baseline.toPython() is True:
            assert not reqs, f"{crit} is baseline but has requirements"
        else:
            assert reqs, f"{crit} is not baseline and has no requirement"
        if g.value(crit, MM.stage) == SBD["level-1"]:
            is_baseline = baseline is not None and baseline.toPython() is True
            assert is_baseline or g.value(crit, SKOS.editorialNote), crit
    for req in FW.requirements:
        owners = list(g.subjects(MM.requires, req))
        assert len(owners) == 1, req


def test_rollups_and_policy():
    g = FW.graph
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


def test_source_text_and_reference():
    g = FW.graph
    seed = SEED.read_text(encoding="utf-8") if SEED.exists() else None
    for crit in FW.criteria:
        text = g.value(crit, MM.sourceText)
        assert text is not None, crit
        if seed is not None:
            assert str(text) in seed, crit
        ref = g.value(crit, MM.source)
        assert g.value(ref, MM.sourceRow) == Literal(
            str(g.value(g.value(crit, MM.capability), RDFS.label))
        )


# ---------------------------------------------------------------- hand-written cases

CASE_FILES = sorted(CASES.glob("*.test.ttl"))


def test_there_are_hand_written_cases():
    assert len(CASE_FILES) >= 3


@pytest.mark.parametrize("path", CASE_FILES, ids=[p.name for p in CASE_FILES])
def test_hand_written_case(path):
    data = parse(path)
    found = FW.violations(data)
    cases = list(data.subjects(RDF.type, MMT.ShapeCase))
    assert cases, f"{path.name} declares no mmt:ShapeCase"
    for case in cases:
        req = data.value(case, MMT.requirement)
        assert (req, RDF.type, MM.Requirement) in FW.graph, req
        expected = data.value(case, MMT.expectSatisfied).toPython()
        assert (req not in found) is expected, (case, req, found.get(req))
