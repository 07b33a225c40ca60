"""Structure of the CNAMM framework data and behaviour of its requirement shapes.

CSNP states no licence for CNAMM, so the encoding carries names and structure only: no
mm:sourceText, requirements in maturity-graph's words. Every requirement shape gets a
conforming and a non-conforming case, among them evidence without an attester, in
tests/shapes/test_all_frameworks.py (see harness.CNAMM).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import Namespace
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from tests.conftest import SHARED
from tests.shapes.harness import CNAMM as FW
from tests.shapes.harness import MM, XSD

FRAMEWORK_FILE = FW.framework_file
SEED = SHARED / "seeds/cnamm.txt"

CNAMM = Namespace("https://w3id.org/maturity-graph/framework/cnamm/unversioned/")

FUNCTIONS = [
    ("strategy-risk-governance", "SRG", "Strategy and Risk Governance"),
    ("identity-access-governance", "IAG", "Identity and Access Governance"),
    ("supply-chain-vendor-security", "SCV", "Supply Chain and Vendor Security"),
    ("runtime-security-operations", "RSO", "Runtime Security Operations"),
    ("infrastructure-platform-security", "IPS", "Infrastructure and Platform Security"),
    ("threat-detection-response", "TDR", "Threat Detection and Response"),
    ("application-data-protection", "ADP", "Application and Data Protection"),
    ("resilience-service-assurance", "RSA", "Resilience and Service Assurance"),
]
UNDESCRIBED = {"threat-detection-response", "resilience-service-assurance"}
STAGES = [
    ("foundation", "Foundation", "1.0"),
    ("standardized", "Standardized", "2.0"),
    ("optimized", "Optimized", "3.0"),
    ("leading", "Leading", "4.0"),
    ("transformative", "Transformative", "5.0"),
]


# ---------------------------------------------------------------- structure
# (shape, concept, capability/stage, source-reference and identifier checks common to every
# framework, and the behaviour scenarios, are in tests/shapes/test_all_frameworks.py)


def test_counts():
    g = FW.graph
    fw = CNAMM.model
    assert (fw, RDF.type, MM.Framework) in g
    assert str(g.value(fw, DCTERMS.identifier)) == "cnamm"
    assert len(set(g.subjects(RDF.type, MM.Dimension))) == 8
    assert len(set(g.subjects(RDF.type, MM.Capability))) == 8
    assert len(set(g.subjects(RDF.type, MM.Stage))) == 5
    assert len(FW.criteria) == 40
    assert g.value(fw, MM.targetStage) is None


def test_functions_in_source_order_with_one_capability_each():
    g = FW.graph
    assert set(g.objects(CNAMM.model, MM.hasDimension)) == {CNAMM[k] for k, _, _ in FUNCTIONS}
    for order, (kebab, fid, name) in enumerate(FUNCTIONS, 1):
        dim = CNAMM[kebab]
        assert str(g.value(dim, RDFS.label)) == name
        assert str(g.value(dim, DCTERMS.identifier)) == fid
        assert int(g.value(dim, MM.order)) == order
        assert g.value(dim, RDFS.comment) is not None
        assert list(g.objects(dim, MM.hasCapability)) == [CNAMM[f"{kebab}-function"]]
        cap = CNAMM[f"{kebab}-function"]
        assert str(g.value(cap, DCTERMS.identifier)) == f"{fid}-F"
        assert str(g.value(cap, RDFS.label)) == name


def test_stages_and_values():
    g = FW.graph
    stages = sorted(g.objects(CNAMM.model, MM.hasStage), key=lambda s: int(g.value(s, MM.rank)))
    assert stages == [CNAMM[local] for local, _, _ in STAGES]
    for rank, (stage, (_, label, value)) in enumerate(zip(stages, STAGES, strict=True), 1):
        assert int(g.value(stage, MM.rank)) == rank
        assert str(g.value(stage, RDFS.label)) == label
        assert str(g.value(stage, DCTERMS.identifier)) == value
        stage_value = g.value(stage, MM.stageValue)
        assert stage_value.datatype == XSD.decimal
        assert stage_value.toPython() == Decimal(value)
        assert g.value(stage, RDFS.comment) is not None


def test_every_function_has_one_criterion_per_stage_all_with_requirements():
    g = FW.graph
    for kebab, fid, _name in FUNCTIONS:
        cap = CNAMM[f"{kebab}-function"]
        crits = list(g.subjects(MM.capability, cap))
        assert sorted(g.value(c, MM.stage) for c in crits) == sorted(g.objects(CNAMM.model, MM.hasStage))
        for crit in crits:
            rank = int(g.value(g.value(crit, MM.stage), MM.rank))
            assert str(g.value(crit, DCTERMS.identifier)) == f"CNAMM-{fid}-L{rank}"
            assert g.value(crit, MM.isBaseline) is None, crit
            reqs = list(g.objects(crit, MM.requires))
            assert 2 <= len(reqs) <= 4, crit
            ids = sorted(str(g.value(r, DCTERMS.identifier)) for r in reqs)
            assert ids == [f"CNAMM-{fid}-L{rank}-{i}" for i in range(1, len(reqs) + 1)]
            if rank == 1:
                assert g.value(crit, SKOS.editorialNote) is not None, crit
    for req in FW.requirements:
        assert len(list(g.subjects(MM.requires, req))) == 1, req


def test_source_gaps():
    g = FW.graph
    gaps = set(g.subjects(RDF.type, MM.SourceGap))
    assert len(gaps) == 3
    level_gap = g.value(CNAMM.model, MM.gap)
    assert level_gap == CNAMM["level-count-gap"]
    assert "four" in str(g.value(level_gap, RDFS.comment))
    for kebab, _, _ in FUNCTIONS:
        cap = CNAMM[f"{kebab}-function"]
        cap_gaps = list(g.objects(cap, MM.gap))
        if kebab in UNDESCRIBED:
            assert cap_gaps == [CNAMM[f"{kebab}-description-gap"]]
        else:
            assert cap_gaps == []
    for gap in gaps:
        assert g.value(gap, RDFS.label) is not None and g.value(gap, RDFS.comment) is not None


def test_no_source_text_and_references():
    """Issue 8: CSNP publishes no table of functions by levels, so no criterion cites a cell of one.
    Each cites the two entries that exist: its level in "CNAMM Maturity Levels", and its function in
    "Key Business Functions" (or "Key Business Functions Evaluated" where the page gives only the name)."""
    g = FW.graph
    assert not list(g.subjects(MM.sourceText, None))
    assert "mm:sourceText" not in FRAMEWORK_FILE.read_text(encoding="utf-8")
    assert g.value(CNAMM.model, MM.licenceStatus) == MM.LicenceNotStated
    seed = SEED.read_text(encoding="utf-8") if SEED.exists() else None
    for crit in FW.criteria:
        refs = {str(g.value(ref, MM.sourceTable)): ref for ref in g.objects(crit, MM.source)}
        assert not any(g.value(ref, MM.sourceColumn) for ref in refs.values()), crit
        function = str(g.value(g.value(crit, MM.capability), RDFS.label))
        kebab = next(k for k, _, name in FUNCTIONS if name == function)
        section = "Key Business Functions Evaluated" if kebab in UNDESCRIBED else "Key Business Functions"
        assert set(refs) == {"CNAMM Maturity Levels", section}, crit
        stage_label = str(g.value(g.value(crit, MM.stage), RDFS.label))
        assert str(g.value(refs["CNAMM Maturity Levels"], MM.sourceRow)) == stage_label
        assert str(g.value(refs[section], MM.sourceRow)) == function
        if seed is not None:
            for heading in refs:
                assert f"\n{heading}\n" in seed, heading


def test_names_come_from_the_seed():
    if not SEED.exists():
        pytest.skip("seed text not available")
    seed = SEED.read_text(encoding="utf-8")
    for _, _, name in FUNCTIONS:
        assert name in seed
    for _, label, value in STAGES:
        assert f"{label}: {value}" in seed


def test_no_description_is_quoted():
    """The seed's level and function descriptions (lines of six words or more) appear in no
    file of ours: CSNP states no licence, so only names are carried over."""
    if not SEED.exists():
        pytest.skip("seed text not available")
    lines = [ln.strip(" \u2022") for ln in SEED.read_text(encoding="utf-8").splitlines()]
    descriptions = [ln for ln in lines if len(ln.split()) >= 6 and "four" not in ln and "context" not in ln]
    assert len(descriptions) > 10
    ours = [FRAMEWORK_FILE, *FW.shape_files]
    for path in ours:
        text = path.read_text(encoding="utf-8")
        for d in descriptions:
            assert d not in text, (path.name, d)


def test_rollups_weights_and_policy():
    g = FW.graph
    rollups = set(g.objects(CNAMM.model, MM.rollUp))
    assert rollups == {CNAMM["function-rollup"], CNAMM["overall-score"]}
    fr = CNAMM["function-rollup"]
    assert (g.value(fr, MM.level), g.value(fr, MM.method)) == (MM.CapabilityLevel, MM.CumulativeGating)
    score = CNAMM["overall-score"]
    assert g.value(score, MM.level) == MM.OverallLevel
    assert g.value(score, MM.method) == MM.WeightedAverage
    for r in rollups:
        assert g.value(r, MM.authority) == MM.ChosenByMaturityGraph
    weightings = list(g.objects(score, MM.weighting))
    assert len(weightings) == 8
    weighed = {g.value(w, MM.weightOf) for w in weightings}
    assert weighed == {CNAMM[f"{k}-function"] for k, _, _ in FUNCTIONS}
    weights = [g.value(w, MM.weight).toPython() for w in weightings]
    assert all(isinstance(x, Decimal) for x in weights)
    assert len(set(weights)) == 1
    assert sum(weights) == Decimal(1)
    for w in weightings:
        assert (w, RDF.type, MM.Weighting) in g
        assert g.value(w, MM.authority) == MM.ChosenByMaturityGraph
        assert g.value(w, RDFS.label) is not None
    policy = g.value(CNAMM.model, MM.evidencePolicy)
    assert int(g.value(policy, MM.validityDays)) == 365
    assert g.value(policy, MM.authority) == MM.ChosenByMaturityGraph


def test_one_shape_file_per_function():
    files = {p.stem for p in FW.shape_files}
    assert files == {k for k, _, _ in FUNCTIONS}
