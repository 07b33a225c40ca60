"""Structure of the RemedySec CSMM framework data, its Prowler mapping and its shapes.

Every control (mm:Requirement) gets a conforming and a non-conforming case in
tests/shapes/test_all_frameworks.py: scanner findings (ev:Finding attested by a
prov:SoftwareAgent) and human attestations go through the same shapes (see harness.CSMM).
"""

from __future__ import annotations

import csv
from decimal import Decimal
from functools import cache

import pytest
from rdflib import Graph, Literal, Namespace
from rdflib.namespace import DCTERMS, RDF, RDFS, SH, SKOS

from maturity_graph.evidence.prowler import parse_prowler
from tests.conftest import SHARED
from tests.shapes.harness import CSMM as FW
from tests.shapes.harness import EV, EX, MM, ROOT, parse

SEED = SHARED / "seeds/csmm.txt"
PROWLER_SAMPLE = ROOT / "tests/data/prowler/prowler-5.46.0-aws-moto-123456789012.ocsf.json"
PROWLER_SAMPLE_SHARED = SHARED / "evidence-samples/prowler/prowler-5.46.0-aws-moto-123456789012.ocsf.json"
MAPPING = ROOT / "crosswalks/scanners/prowler--csmm.tsv"

CSMM = Namespace("https://w3id.org/maturity-graph/framework/csmm/unversioned/")

PILLARS = ("iam", "networking", "storage", "compute", "monitoring")
# published in RemedySec's maturity table: "IAM30% | Networking20% | Storage20% | Compute15% | Monitoring15%"
PUBLISHED_WEIGHTS = {"iam": "0.30", "networking": "0.20", "storage": "0.20", "compute": "0.15", "monitoring": "0.15"}
SEVERITY_WEIGHTS = {MM.Critical: "4.0", MM.High: "3.0", MM.Medium: "2.0", MM.Low: "1.0"}

# controls per pillar and level, as split by maturity-graph from the seed's table cells
CONTROLS_PER_CELL = {
    "iam": (4, 3, 4, 3, 1),
    "networking": (3, 3, 4, 2, 1),
    "storage": (3, 3, 3, 2, 1),
    "compute": (3, 2, 3, 2, 1),
    "monitoring": (0, 2, 2, 2, 1),
}

# Prowler AWS check ids used in the mapping that the sample scan does not contain (moto cannot
# exercise them or no such resource was seeded). Each was checked against the
# prowler-cloud/prowler source tree (prowler/providers/aws/services/<service>/<check_id>/).
EXTRA_PROWLER_CHECKS = {
    # listed in the sample's SOURCES.md as requested but not exercisable by moto
    "iam_root_mfa_enabled",
    "iam_no_root_access_key",
    "iam_avoid_root_usage",
    "accessanalyzer_enabled",
    "accessanalyzer_enabled_without_findings",
    "securityhub_enabled",
    # no such resource or service in the emulated account
    "iam_root_hardware_mfa_enabled",
    "iam_inline_policy_no_administrative_privileges",
    "elbv2_ssl_listeners",
    "elbv2_insecure_ssl_ciphers",
    "cloudfront_distributions_https_enabled",
    "cloudfront_distributions_using_deprecated_ssl_protocols",
    "shield_advanced_protection_in_internet_facing_load_balancers",
    "shield_advanced_protection_in_cloudfront_distributions",
    "route53_public_hosted_zones_cloudwatch_logging_enabled",
    "awslambda_function_no_secrets_in_variables",
    "ecr_registry_scan_images_on_push_enabled",
    "ecr_repositories_scan_vulnerabilities_in_latest_image",
    "ssm_managed_compliant_patching",
    "inspector2_is_enabled",
}


@cache
def mapping_rows() -> list[dict[str, str]]:
    lines = [line for line in MAPPING.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def sample_check_ids() -> set[str]:
    path = PROWLER_SAMPLE if PROWLER_SAMPLE.exists() else PROWLER_SAMPLE_SHARED
    if not path.exists():
        pytest.skip("the Prowler sample scan is not available")
    return set(parse_prowler(path).check_ids)


# ---------------------------------------------------------------- structure
# (shape, concept, capability/stage, source-reference and identifier checks common to every
# framework, and the behaviour scenarios, scanner findings among them, are in
# tests/shapes/test_all_frameworks.py)


def test_counts():
    g = FW.graph
    fw = CSMM.model
    assert (fw, RDF.type, MM.Framework) in g
    assert str(g.value(fw, DCTERMS.identifier)) == "csmm"
    assert len(set(g.subjects(RDF.type, MM.Dimension))) == 5
    assert len(set(g.subjects(RDF.type, MM.Capability))) == 5
    assert len(set(g.subjects(RDF.type, MM.Stage))) == 5
    assert len(FW.criteria) == 25
    stages = sorted(g.objects(fw, MM.hasStage), key=lambda s: int(g.value(s, MM.rank)))
    assert [str(g.value(s, RDFS.label)) for s in stages] == [
        "L1 Exposed",
        "L2 Guarded",
        "L3 Hardened",
        "L4 Verified",
        "L5 Autonomous",
    ]
    with_controls = [c for c in FW.criteria if list(g.objects(c, MM.requires))]
    assert len(with_controls) == 24
    assert len(FW.requirements) == sum(sum(v) for v in CONTROLS_PER_CELL.values())


def test_controls_per_cell():
    g = FW.graph
    for pillar, counts in CONTROLS_PER_CELL.items():
        for level, expected in enumerate(counts, 1):
            crit = CSMM[f"{pillar}-l{level}"]
            assert (crit, RDF.type, MM.Criterion) in g, crit
            assert g.value(crit, MM.capability) == CSMM[f"{pillar}-pillar"]
            assert g.value(crit, MM.stage) == CSMM[f"l{level}"]
            assert len(list(g.objects(crit, MM.requires))) == expected, crit


def test_monitoring_l1_is_a_source_gap():
    g = FW.graph
    crit = CSMM["monitoring-l1"]
    assert not list(g.objects(crit, MM.requires))
    assert g.value(crit, MM.isBaseline) is None
    gap = g.value(crit, MM.gap)
    assert gap == CSMM["monitoring-l1-gap"]
    assert (gap, RDF.type, MM.SourceGap) in g
    assert g.value(gap, RDFS.comment) is not None
    assert g.value(crit, MM.sourceText) is None  # the licence is unverified: nothing is quoted, not even the dash


def test_the_unpublished_level_is_left_out_by_a_rule_of_ours():
    """Issue 8: the gap note says the empty cell neither adds to nor holds back the pillar score; the
    pillar roll-up says so as data, and the rule is labelled as maturity-graph's."""
    g = FW.graph
    rule = g.value(CSMM["pillar-score"], MM.unpublishedStage)
    assert rule == MM.StageLeftOut
    vocabulary = parse(ROOT / "ontology/mm.ttl")
    assert vocabulary.value(rule, MM.authority) == MM.ChosenByMaturityGraph
    note = str(g.value(CSMM["monitoring-l1-gap"], RDFS.comment))
    assert "neither adds to nor holds back" in note and "mm:StageLeftOut" in note


def test_no_criterion_is_a_baseline():
    g = FW.graph
    assert not list(g.subjects(MM.isBaseline, None))
    for req in FW.requirements:
        assert len(list(g.subjects(MM.requires, req))) == 1, req


def test_every_control_has_severity_concept_shape_and_note():
    g = FW.graph
    for req in FW.requirements:
        sev = list(g.objects(req, MM.severity))
        assert len(sev) == 1 and sev[0] in SEVERITY_WEIGHTS, req
        notes = [str(n) for n in g.objects(req, SKOS.editorialNote)]
        assert any(n.startswith("Severity chosen by maturity-graph: ") for n in notes), req
        assert list(g.objects(req, MM.concept)), req
        assert len(list(g.objects(req, MM.shape))) == 1, req
        assert g.value(req, MM.order) is not None, req
        assert FW.identifier(req).startswith(FW.identifier(g.value(None, MM.requires, req) or req) + "-"), req


def test_every_severity_is_used():
    g = FW.graph
    assert {g.value(r, MM.severity) for r in FW.requirements} == set(SEVERITY_WEIGHTS)


def test_pillar_score_rollup():
    g = FW.graph
    r = CSMM["pillar-score"]
    assert r in set(g.objects(CSMM.model, MM.rollUp))
    assert g.value(r, MM.level) == MM.CapabilityLevel
    assert g.value(r, MM.method) == MM.WeightedGatedScore
    assert g.value(r, MM.authority) == MM.ChosenByMaturityGraph
    assert g.value(r, MM.gate).toPython() == Decimal("0.8")
    assert "80%" in str(g.value(r, RDFS.comment))
    weights = {g.value(w, MM.weightOf): g.value(w, MM.weight) for w in g.objects(r, MM.weighting)}
    assert {k: str(v) for k, v in weights.items()} == SEVERITY_WEIGHTS
    for w in g.objects(r, MM.weighting):
        assert (w, RDF.type, MM.Weighting) in g
        assert g.value(w, MM.authority) == MM.ChosenByMaturityGraph


def test_overall_score_uses_the_published_pillar_weights():
    g = FW.graph
    r = CSMM["overall-score"]
    assert r in set(g.objects(CSMM.model, MM.rollUp))
    assert g.value(r, MM.level) == MM.OverallLevel
    assert g.value(r, MM.method) == MM.WeightedAverage
    # the weights are RemedySec's; the formula and the lowest-pillar level are ours (issue 8)
    assert g.value(r, MM.authority) == MM.ChosenByMaturityGraph
    weights = {}
    for w in g.objects(r, MM.weighting):
        assert (w, RDF.type, MM.Weighting) in g
        assert g.value(w, MM.authority) == MM.PublishedBySource
        weights[g.value(w, MM.weightOf)] = g.value(w, MM.weight).toPython()
    assert weights == {CSMM[f"{p}-pillar"]: Decimal(v) for p, v in PUBLISHED_WEIGHTS.items()}
    assert sum(weights.values()) == Decimal("1.00")
    if SEED.exists():
        seed = SEED.read_text(encoding="utf-8")
        for label, v in (("IAM", 30), ("Networking", 20), ("Storage", 20), ("Compute", 15), ("Monitoring", 15)):
            assert f"{label}{v}%" in seed


def test_evidence_policy():
    g = FW.graph
    policy = g.value(CSMM.model, MM.evidencePolicy)
    assert int(g.value(policy, MM.validityDays)) == 30
    assert g.value(policy, MM.authority) == MM.ChosenByMaturityGraph


def test_licence_unverified_no_source_text_but_references():
    """Issue 8: RemedySec's Apache-2.0 is claimed for a repository nobody here has seen, so the
    licence is recorded as unverified, no cell is quoted, and every cell keeps its reference."""
    g = FW.graph
    assert g.value(CSMM.model, MM.licenceStatus) == MM.LicenceUnverified
    licence = g.value(CSMM.model, DCTERMS.license)
    assert licence == CSMM.licence and (licence, RDF.type, DCTERMS.LicenseDocument) in g
    assert "not verified" in str(g.value(licence, RDFS.label))
    assert not list(g.subject_objects(MM.sourceText))
    assert "mm:sourceText \"" not in FW.framework_file.read_text(encoding="utf-8")
    seed = SEED.read_text(encoding="utf-8") if SEED.exists() else None
    for crit in FW.criteria:
        ref = g.value(crit, MM.source)
        assert g.value(ref, MM.sourceRow) == Literal(str(g.value(g.value(crit, MM.stage), RDFS.label)))
        column = str(g.value(ref, MM.sourceColumn))
        if seed is not None:
            assert f"| {g.value(ref, MM.sourceRow)} |" in seed, crit
            assert column.replace(" ", "") in seed, crit


def test_shape_files_per_pillar():
    assert sorted(p.stem for p in (ROOT / "shapes/csmm").glob("*.ttl")) == sorted(PILLARS)
    for pillar in PILLARS:
        s = parse(ROOT / f"shapes/csmm/{pillar}.ttl")
        for node_shape in s.subjects(RDF.type, SH.NodeShape):
            req = s.value(node_shape, SH.targetNode)
            crit = FW.graph.value(None, MM.requires, req)
            assert FW.graph.value(crit, MM.capability) == CSMM[f"{pillar}-pillar"], node_shape


# ---------------------------------------------------------------- Prowler mapping


def test_mapping_header_and_columns():
    text = MAPPING.read_text(encoding="utf-8")
    header = [line for line in text.splitlines() if line.startswith("#")]
    assert header and text.startswith("# ")
    joined = "\n".join(header)
    for word in ("Licence: Apache-2.0", "maturity-graph", "How to read"):
        assert word in joined
    rows = mapping_rows()
    assert rows and list(rows[0]) == ["check_id", "control_id", "rationale", "reviewer"]
    for row in rows:
        assert all(row[k] for k in ("check_id", "control_id", "rationale", "reviewer")), row


def test_mapping_sorted_and_unique():
    pairs = [(r["control_id"], r["check_id"]) for r in mapping_rows()]
    assert pairs == sorted(pairs)
    assert len(pairs) == len(set(pairs))


def test_mapping_controls_exist():
    known = {FW.identifier(r) for r in FW.requirements}
    unknown = sorted({r["control_id"] for r in mapping_rows()} - known)
    assert not unknown, unknown


def test_mapping_checks_are_known():
    sample = sample_check_ids()
    assert len(sample) == 112
    assert not EXTRA_PROWLER_CHECKS & sample, "an allow-listed check is in the sample: drop it from the list"
    unknown = sorted({r["check_id"] for r in mapping_rows()} - sample - EXTRA_PROWLER_CHECKS)
    assert not unknown, f"check ids neither in the sample scan nor allow-listed: {unknown}"
    assert EXTRA_PROWLER_CHECKS <= {r["check_id"] for r in mapping_rows()}, "allow-list has unused entries"


def test_every_l1_control_is_seen_by_prowler():
    """L1 is configuration hygiene a scanner can see; every L1 control has at least one check."""
    g = FW.graph
    mapped = {r["control_id"] for r in mapping_rows()}
    for pillar in PILLARS:
        for req in g.objects(CSMM[f"{pillar}-l1"], MM.requires):
            assert FW.identifier(req) in mapped, req


# ---------------------------------------------------------------- behaviour


def test_finding_without_attester_violates():
    req = FW.requirements[0]
    g = Graph()
    FW.evidence(g, EX["no-attester"], req, status=EV.Met, attester=None, kind=EV.Finding)
    assert FW.property_shape(req) in FW.violations(g).get(req, set())
