"""Targets for every model, as data (issue 10, item 3): precedence, per-capability targets, bad settings."""
from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import URIRef

from maturity_graph import EvidenceError, assess, load_evidence, validate_evidence
from maturity_graph.evidence.findings import import_prowler
from tests.conftest import REPO

NORTHWIND = REPO / "examples" / "northwind-devices" / "sbd-evidence.ttl"
LAKEVIEW = REPO / "examples" / "lakeview-agency" / "ztmm-2026q1.ttl"
BRIGHTWATER = REPO / "examples" / "brightwater-health" / "ctemmm-evidence.ttl"
KESTREL = REPO / "examples" / "kestrel-logistics" / "cnamm-evidence.ttl"
FERNHILL = REPO / "examples" / "fernhill-payments"

PREFIXES = """@prefix ev: <https://w3id.org/maturity-graph/ev#> .
@prefix sbd: <https://w3id.org/maturity-graph/framework/sbd/2025-06-18/> .
@prefix ztmm: <https://w3id.org/maturity-graph/framework/ztmm/2.0/> .
@prefix ctemmm: <https://w3id.org/maturity-graph/framework/ctemmm/1.0.0/> .
@prefix csmm: <https://w3id.org/maturity-graph/framework/csmm/unversioned/> .
@prefix cnamm: <https://w3id.org/maturity-graph/framework/cnamm/unversioned/> .
@prefix ex: <https://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
# The Northwind assessment, of a product, so that organisation settings can name it with ev:appliesTo.
THERMOSTAT = """
ex:northwind-sbd-2026q1 ev:subject ex:thermostat .
ex:thermostat a ev:Product ; rdfs:label "Thermostat" ; ev:identifier "THERMO" .
ex:doorbell a ev:Product ; rdfs:label "Doorbell" .
"""


def ex(local: str) -> URIRef:
    return URIRef(f"https://example.org/{local}")


def _settings(tmp_path: Path, body: str, name: str = "targets.ttl") -> Path:
    path = tmp_path / name
    path.write_text(PREFIXES + body, encoding="utf-8")
    return path


def _distances(fa) -> dict[str, int | None]:
    return {r.id: r.distance_to_target for r in fa.results}


@pytest.fixture(scope="module")
def northwind() -> dict[str, int | None]:
    fa = assess([NORTHWIND]).framework("sbd")
    assert [(t.origin, t.capability, t.stage.rank) for t in fa.targets] == [("published", None, 3)]
    return {r.id: r.stage.rank if r.stage else None for r in fa.results}


def test_the_published_target_stays_the_default_for_sbd(northwind):
    fa = assess([NORTHWIND]).framework("sbd")
    assert fa.target is not None and fa.target.rank == 3
    # docs/evidence.md: four capabilities at Level 2, so one stage below the target; overall Level 2
    below = sorted(r.id for r in fa.of_kind("capability") if r.distance_to_target)
    assert below == ["HSC", "PCS", "RSK", "SST"]
    assert fa.get("sbd").distance_to_target == 1
    assert fa.targets[0].as_dict() == {"capability": None, "stage": {"rank": 3, "label": "Level 3: Defined"},
                                       "chosen_by": "published", "set_on": None, "applies_to": None, "setting": None}


def test_an_organisation_wide_target_replaces_the_published_one(tmp_path, northwind):
    path = _settings(tmp_path, "ex:northwind ev:targetSetting [ ev:framework sbd:model ; "
                               "ev:targetStage sbd:level-5 ] .")
    fa = assess([NORTHWIND, path]).framework("sbd")
    assert fa.target is not None and fa.target.rank == 5
    assert [(t.chosen_by, t.set_on) for t in fa.targets] == [("organisation", ex("northwind"))]
    assert _distances(fa) == {k: 5 - v for k, v in northwind.items()}


def test_precedence_assessment_then_subject_then_organisation_then_published(tmp_path, northwind):
    organisation = "ex:northwind ev:targetSetting [ ev:framework sbd:model ; ev:targetStage sbd:level-4 ] .\n"
    for_subject = ("ex:northwind ev:targetSetting ex:for-thermostat .\n"
                   "ex:for-thermostat ev:framework sbd:model ; ev:targetStage sbd:level-5 ; "
                   "ev:appliesTo ex:thermostat .\n")
    for_other = ("ex:northwind ev:targetSetting [ ev:framework sbd:model ; ev:targetStage sbd:level-1 ; "
                 "ev:appliesTo ex:doorbell ] .\n")
    on_assessment = ("ex:northwind-sbd-2026q1 ev:targetSetting ex:this-one .\n"
                     "ex:this-one a ev:TargetSetting ; ev:framework sbd:model ; ev:targetStage sbd:level-2 .\n")

    def target(*parts: str) -> tuple[int, str, str | None]:
        fa = assess([NORTHWIND, _settings(tmp_path, THERMOSTAT + "".join(parts))]).framework("sbd")
        assert fa.target is not None
        first = fa.targets[0]
        return fa.target.rank, first.origin, str(first.setting) if first.setting else None

    assert target(for_other) == (3, "published", None)  # a setting for another subject does not apply
    assert target(organisation, for_other) == (4, "organisation", None)
    assert target(organisation, for_subject, for_other) == (5, "subject", str(ex("for-thermostat")))
    assert target(organisation, for_subject, on_assessment) == (2, "assessment", str(ex("this-one")))


def test_a_capability_setting_beats_the_framework_setting_of_the_same_origin(tmp_path, northwind):
    path = _settings(tmp_path, """
ex:northwind ev:targetSetting [ ev:framework sbd:model ; ev:targetStage sbd:level-4 ] ,
    [ ev:framework sbd:model ; ev:targetStage sbd:level-2 ; ev:targetCapability sbd:risk-assessment ] .
""")
    fa = assess([NORTHWIND, path]).framework("sbd")
    assert [(t.capability, t.stage.rank) for t in fa.targets] == [(None, 4), ("RSK", 2)]
    distances = _distances(fa)
    assert distances["RSK"] == 0  # at Level 2, its own target
    assert distances["SPO"] == 4 - northwind["SPO"] == 1
    assert distances["D1"] == 4 - northwind["D1"]  # dimensions use the framework's target
    assert distances["sbd"] == 2


def test_a_more_local_framework_setting_beats_an_organisation_capability_setting(tmp_path, northwind):
    path = _settings(tmp_path, """
ex:northwind ev:targetSetting [ ev:framework sbd:model ; ev:targetStage sbd:level-5 ;
    ev:targetCapability sbd:risk-assessment ] .
ex:northwind-sbd-2026q1 ev:targetSetting [ ev:framework sbd:model ; ev:targetStage sbd:level-4 ] .
""")
    fa = assess([NORTHWIND, path]).framework("sbd")
    assert [(t.capability, t.origin) for t in fa.targets] == [(None, "assessment")]
    assert _distances(fa)["RSK"] == 4 - northwind["RSK"]


def test_a_capability_setting_alone_keeps_the_published_target_for_the_rest(tmp_path, northwind):
    path = _settings(tmp_path, "ex:northwind-sbd-2026q1 ev:targetSetting [ ev:framework sbd:model ; "
                               "ev:targetStage sbd:level-5 ; ev:targetCapability sbd:risk-assessment ] .")
    fa = assess([NORTHWIND, path]).framework("sbd")
    assert [(t.capability, t.origin, t.stage.rank) for t in fa.targets] == [(None, "published", 3),
                                                                           ("RSK", "assessment", 5)]
    assert _distances(fa)["RSK"] == 5 - northwind["RSK"]
    assert _distances(fa)["SPO"] == 0


def test_a_target_stage_of_another_framework_is_an_error_naming_the_setting(tmp_path):
    path = _settings(tmp_path, "ex:northwind ev:targetSetting ex:wrong .\n"
                               "ex:wrong ev:framework sbd:model ; ev:targetStage ztmm:advanced .")
    with pytest.raises(EvidenceError, match=r"target setting https://example.org/wrong .* not a stage of sbd") as err:
        assess([NORTHWIND, path])
    assert err.value.node == str(ex("wrong"))


def test_a_capability_of_another_framework_is_an_error(tmp_path):
    path = _settings(tmp_path, "ex:northwind ev:targetSetting [ ev:framework sbd:model ; ev:targetStage sbd:level-4 ; "
                               "ev:targetCapability ztmm:identity-authentication ] .")
    with pytest.raises(EvidenceError, match=r"a target setting of https://example.org/northwind names capability .* "
                                            r"not a capability of sbd"):
        assess([NORTHWIND, path])


def test_two_different_targets_of_the_same_origin_are_an_error(tmp_path):
    path = _settings(tmp_path, "ex:northwind ev:targetSetting [ ev:framework sbd:model ; ev:targetStage sbd:level-4 ] ,"
                               " [ ev:framework sbd:model ; ev:targetStage sbd:level-5 ] .")
    with pytest.raises(EvidenceError, match="two different target stages are set for framework sbd"):
        assess([NORTHWIND, path])


def test_evidence_without_an_assessment_keeps_the_published_target(tmp_path):
    path = _settings(tmp_path, """
@prefix prov: <http://www.w3.org/ns/prov#> .
ex:org a prov:Organization ; rdfs:label "Org" ;
    ev:targetSetting [ ev:framework sbd:model ; ev:targetStage sbd:level-5 ] .
ex:auditor a prov:Person ; rdfs:label "Auditor" .
ex:item a ev:Attestation ; ev:addresses sbd:security-policy-ownership-level-2-r1 ; ev:status ev:Met ;
    ev:date "2026-03-01"^^xsd:date ; prov:wasAttributedTo ex:auditor ;
    ev:artifact "https://evidence.example/1"^^xsd:anyURI .
""")
    fa = assess([path], as_of=None).framework("sbd")
    assert fa.scope is None or fa.scope.iri is None
    assert [(t.origin, t.stage.rank) for t in fa.targets] == [("published", 3)]
    assert fa.get("SPO").distance_to_target == 1


@pytest.mark.parametrize("body, path, message", [
    ("ex:northwind ev:targetSetting [ ev:framework sbd:model ; ev:targetStage ex:nowhere ] .", "ev:targetStage",
     "exactly one stage"),
    ("ex:northwind ev:targetSetting [ ev:targetStage sbd:level-4 ] .", "ev:framework", "exactly one bundled framework"),
    ("ex:northwind ev:targetSetting [ ev:framework sbd:model ; ev:targetStage sbd:level-4 ; "
     "ev:targetCapability sbd:level-3 ] .", "ev:targetCapability", "one capability"),
    ("ex:loose a ev:TargetSetting ; ev:framework sbd:model ; ev:targetStage sbd:level-4 .", "^ev:targetSetting",
     "counts only when an assessment"),
    ("ex:northwind-sbd-2026q1 ev:targetSetting [ ev:framework sbd:model ; ev:targetStage sbd:level-4 ; "
     "ev:appliesTo ex:thermostat ] .", "^ev:targetSetting", "for that assessment only"),
    ("ex:northwind ev:targetSetting [ ev:framework sbd:model ; ev:targetStage sbd:level-4 ; ev:appliesTo ex:nobody ] .",
     "ev:appliesTo", "typed ev:Subject"),
])
def test_malformed_target_settings_are_violations(tmp_path, body, path, message):
    check = validate_evidence(load_evidence([NORTHWIND, _settings(tmp_path, THERMOSTAT + body)]))
    assert not check.conforms
    assert any(v.path == path and message in v.message for v in check.violations), check.violations


def test_well_formed_target_settings_conform(tmp_path):
    body = THERMOSTAT + """
ex:northwind ev:targetSetting [ a ev:TargetSetting ; ev:framework sbd:model ; ev:targetStage sbd:level-4 ;
    ev:targetCapability sbd:risk-assessment ; ev:appliesTo ex:thermostat , ex:doorbell ] .
ex:northwind-sbd-2026q1 ev:targetSetting [ ev:framework sbd:model ; ev:targetStage sbd:level-3 ] .
"""
    check = validate_evidence(load_evidence([NORTHWIND, _settings(tmp_path, body)]))
    assert check.conforms, check.violations


def _org_target(tmp_path: Path, organisation: str, framework: str, stage: str) -> Path:
    return _settings(tmp_path, f"{organisation} ev:targetSetting [ ev:framework {framework}:model ; "
                               f"ev:targetStage {framework}:{stage} ] .", name=f"{framework}-target.ttl")


@pytest.mark.parametrize("evidence, organisation, framework, stage, rank", [
    ([LAKEVIEW], "ex:lakeview-transit", "ztmm", "advanced", 3),
    ([BRIGHTWATER], "ex:brightwater-health", "ctemmm", "level-4", 4),
    ([KESTREL], "ex:kestrel-logistics", "cnamm", "optimized", 3),
])
def test_targets_for_the_other_models_change_distance_to_target(tmp_path, evidence, organisation, framework, stage,
                                                                rank):
    before = assess(evidence).framework(framework)
    assert before.target is None and before.targets == []
    assert all(r.distance_to_target is None for r in before.results)
    after = assess([*evidence, _org_target(tmp_path, organisation, framework, stage)]).framework(framework)
    assert after.target is not None and after.target.rank == rank
    assert [(t.chosen_by, t.stage.rank) for t in after.targets] == [("organisation", rank)]
    for old, new in zip(before.results, after.results, strict=True):
        assert old.stage == new.stage  # a target never changes a stage
        if new.assessed and new.stage is not None:
            assert new.distance_to_target == max(0, rank - new.stage.rank), new.id
    assert any(r.distance_to_target for r in after.results)


def _fernhill(result):
    """The CSMM results of Fernhill's own assessment (the scan may be an assessment of its own)."""
    found = [fa for fa in result.frameworks
             if fa.framework == "csmm" and fa.scope is not None and fa.scope.iri == ex("fernhill-csmm-2026-11")]
    assert len(found) == 1, [fa.scope for fa in result.frameworks]
    return found[0]


def test_a_csmm_target_changes_distance_to_target(tmp_path):
    scan = tmp_path / "scan.ttl"
    import_prowler(FERNHILL / "prowler-scan.ocsf.json", framework="csmm",
                   assessment=str(ex("fernhill-csmm-2026-11"))).graph.serialize(scan, format="turtle")
    evidence = [scan, FERNHILL / "attestations.ttl"]
    before = _fernhill(assess(evidence, frameworks=["csmm"]))
    assert before.target is None
    path = _settings(tmp_path, """
ex:fernhill-payments ev:targetSetting [ ev:framework csmm:model ; ev:targetStage csmm:l5 ] ,
    [ ev:framework csmm:model ; ev:targetStage csmm:l1 ; ev:targetCapability csmm:iam-pillar ] .
""")
    after = _fernhill(assess([*evidence, path], frameworks=["csmm"]))
    assert [(t.capability, t.stage.rank) for t in after.targets] == [(None, 5), ("IAM-P", 1)]
    capabilities = {r.id: r for r in after.of_kind("capability")}
    assert any(r.assessed for r in capabilities.values())
    for r in capabilities.values():
        target = 1 if r.id == "IAM-P" else 5
        reached = r.stage.rank if r.stage is not None else 0  # below the first stage: all the way
        assert r.distance_to_target == (max(0, target - reached) if r.assessed else None), r.id
