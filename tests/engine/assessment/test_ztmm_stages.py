"""ZTMM stages on hand-made evidence: functions, pillars, cross-cutting capabilities, thresholds.

Rules under test (ontology/frameworks/ztmm.ttl): a capability's stage is cumulative with
Traditional as the baseline of an assessed capability; a pillar's functional stage is the lowest
of its functions (mm:partKind mm:Function), its cross-cutting rows never fold in; the enterprise
dimension XC has no functional stage; no overall result; evidence counts for 92 days; a measured
requirement needs an ev:Observation at or above its threshold, which the evidence may override.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cache

import pytest

from maturity_graph import EvidenceError, assess, load_catalogue

ZTMM = "https://w3id.org/maturity-graph/framework/ztmm/2.0/"
CPT = "https://w3id.org/maturity-graph/concept/"
RANK = {"initial": 2, "advanced": 3, "optimal": 4}

HEADER = """@prefix ev: <https://w3id.org/maturity-graph/ev#> .
@prefix ztmm: <https://w3id.org/maturity-graph/framework/ztmm/2.0/> .
@prefix cpt: <https://w3id.org/maturity-graph/concept/> .
@prefix ex: <https://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .

ex:assessment a ev:Assessment ;
    ev:assessmentDate "{as_of}"^^xsd:date ;
    ev:framework ztmm:model{extra} .

ex:auditor a prov:Person ;
    rdfs:label "Test Auditor" .
"""
STATUS = {"met": "ev:Met", "not_met": "ev:NotMet", "not_applicable": "ev:NotApplicable", "unknown": "ev:Unknown"}


@cache
def rows() -> dict:
    catalogue = load_catalogue()
    return {row.id: row for row in catalogue.requirement_rows(catalogue.get("ztmm"))}


def ids(cap: str, stage: str) -> list[str]:
    """Requirement ids of one ZTMM capability at one stage (initial, advanced, optimal)."""
    found = [r.id for r in rows().values() if r.place.capability_id == cap and r.rank == RANK[stage]]
    assert found, (cap, stage)
    return found


def claim(req_id: str, status: str = "met", date: str = "2026-03-01", *, artifact: bool = True,
          value: str | None = None, attest: bool = False, population: str | None = None) -> dict:
    return {"id": req_id, "status": status, "date": date, "artifact": artifact, "value": value, "attest": attest,
            "population": population}


def up_to(cap: str, top: str, date: str = "2026-03-01") -> list[dict]:
    """Claims meeting every requirement of a capability from Initial up to `top`; measured ones at their default
    threshold."""
    stages = [s for s in RANK if RANK[s] <= RANK[top]]
    return [claim(i, date=date) for s in stages for i in ids(cap, s)]


def not_met_at_initial(cap: str, date: str = "2026-03-01") -> list[dict]:
    """One Initial requirement stated not met: the capability is assessed, at Traditional."""
    return [claim(ids(cap, "initial")[0], "not_met", date)]


def decimal(value) -> str:
    """A Turtle decimal literal (1 would be an xsd:integer, which the evidence shapes refuse)."""
    text = str(value)
    return text if "." in text else text + ".0"


def ztmm_turtle(claims: list[dict], *, as_of: str = "2026-03-31", validity_days: int | None = None,
                thresholds: dict[str, str] | None = None) -> str:
    extra = ""
    settings = []
    if validity_days:
        extra += f" ;\n    ev:evidenceValidityDays {validity_days}"
    for n, (threshold_id, value) in enumerate((thresholds or {}).items()):
        requirement = rows()[threshold_id.removesuffix("-T")].requirement
        extra += f" ;\n    ev:thresholdSetting ex:setting-{n}"
        settings.append(f"ex:setting-{n} a ev:ThresholdSetting ;\n    ev:threshold <{requirement}-threshold> ;\n"
                        f"    ev:thresholdValue {decimal(value)} .\n")
    parts = [HEADER.format(as_of=as_of, extra=extra), *settings]
    for n, c in enumerate(claims):
        row = rows()[c["id"]]
        observed = row.measured and not c["attest"] and c["status"] == "met"
        lines = [f"ex:item-{n} a {'ev:Observation' if observed else 'ev:Attestation'}", "ev:inAssessment ex:assessment",
                 f"ev:addresses <{row.requirement}>", f"ev:status {STATUS[c['status']]}",
                 f'ev:date "{c["date"]}"^^xsd:date', "prov:wasAttributedTo ex:auditor"]
        if observed:
            population = c["population"] or str(row.population)[len(CPT):]
            lines += [f"ev:measure <{row.measure}>", f"ev:population cpt:{population}",
                      f"ev:value {decimal(c['value'] if c['value'] is not None else row.threshold_default)}"]
        if c["artifact"] and c["status"] == "met":
            lines.append(f'ev:artifact "https://evidence.example/{n}"^^xsd:anyURI')
        if c["status"] == "not_applicable":
            lines.append('ev:note "Does not apply to this agency."')
        parts.append(" ;\n    ".join(lines) + " .\n")
    return "\n".join(parts)


@pytest.fixture
def ztmm(tmp_path):
    """Assess hand-made ZTMM evidence; returns the ztmm FrameworkAssessment."""
    def run(claims, *, as_of_day: dt.date | None = None, **kwargs):
        path = tmp_path / "evidence.ttl"
        path.write_text(ztmm_turtle(claims, **kwargs), encoding="utf-8")
        return assess([path], frameworks=["ztmm"], as_of=as_of_day).framework("ztmm")
    return run


def stage(fw, id_: str) -> str | None:
    result = fw.get(id_)
    return result.stage.label if result.stage else None


def outcome(fw, req_id: str):
    return fw.requirements[rows()[req_id].requirement]


IDENTITY_FUNCTIONS = ("ID-AUTH", "ID-STORE", "ID-RISK", "ID-ACCESS")


# --------------------------------------------------------------------------- pillars


def test_the_pillar_is_capped_by_its_weakest_function(ztmm):
    claims = up_to("ID-AUTH", "advanced") + up_to("ID-STORE", "advanced") + up_to("ID-RISK", "advanced") \
        + up_to("ID-ACCESS", "initial")
    fw = ztmm(claims)
    assert [stage(fw, f) for f in IDENTITY_FUNCTIONS] == ["Advanced", "Advanced", "Advanced", "Initial"]
    identity = fw.get("ID")
    assert identity.stage.label == "Initial"
    assert identity.parts == IDENTITY_FUNCTIONS
    assert {g.id for g in identity.gaps} == set(ids("ID-ACCESS", "advanced"))


def test_all_functions_advanced_make_the_pillar_advanced(ztmm):
    fw = ztmm([c for f in IDENTITY_FUNCTIONS for c in up_to(f, "advanced")])
    assert stage(fw, "ID") == "Advanced"


def test_a_function_without_evidence_leaves_the_pillar_not_assessed(ztmm):
    fw = ztmm(up_to("ID-AUTH", "advanced") + up_to("ID-STORE", "advanced") + up_to("ID-RISK", "advanced"))
    assert stage(fw, "ID-ACCESS") is None
    identity = fw.get("ID")
    assert identity.stage is None
    assert "ID-ACCESS" in identity.note


def test_traditional_is_the_baseline_of_an_assessed_function(ztmm):
    fw = ztmm(not_met_at_initial("ID-AUTH") + up_to("ID-STORE", "advanced"))
    assert stage(fw, "ID-AUTH") == "Traditional"
    assert stage(fw, "ID-RISK") is None  # nothing said: not assessed, never silently Traditional


def test_stages_are_cumulative(ztmm):
    """Advanced evidence above a failed Initial requirement does not count."""
    initial = ids("ID-STORE", "initial")
    claims = [claim(initial[0], "not_met")] + [claim(i) for i in initial[1:]] \
        + [claim(i) for i in ids("ID-STORE", "advanced")]
    assert stage(ztmm(claims), "ID-STORE") == "Traditional"


# --------------------------------------------------------------------------- cross-cutting


def test_strong_governance_does_not_lift_a_traditional_pillar(ztmm):
    data_functions = ("DA-INV", "DA-CAT", "DA-AVAIL", "DA-ACCESS", "DA-ENC")
    claims = [c for f in data_functions for c in not_met_at_initial(f)] + up_to("DA-GOV", "advanced")
    fw = ztmm(claims)
    assert stage(fw, "DA-GOV") == "Advanced"
    assert stage(fw, "DA") == "Traditional"
    assert fw.get("DA").parts == data_functions  # the cross-cutting rows are not parts of the pillar


def test_a_traditional_governance_row_does_not_pull_an_advanced_pillar_down(ztmm):
    device_functions = ("DV-PECM", "DV-ASCRM", "DV-ACCESS", "DV-DTP")
    claims = [c for f in device_functions for c in up_to(f, "advanced")] + not_met_at_initial("DV-GOV") \
        + not_met_at_initial("DV-VA")
    fw = ztmm(claims)
    assert stage(fw, "DV") == "Advanced"
    assert (stage(fw, "DV-GOV"), stage(fw, "DV-VA"), stage(fw, "DV-AO")) == ("Traditional", "Traditional", None)
    assert fw.get("DV-GOV").capability_kind == "cross-cutting"
    assert fw.get("DV-GOV").aspect == "XC-GOV"


def test_the_enterprise_dimension_has_no_functional_stage(ztmm):
    fw = ztmm(up_to("XC-GOV", "initial") + not_met_at_initial("XC-AO"))
    assert (stage(fw, "XC-GOV"), stage(fw, "XC-AO"), stage(fw, "XC-VA")) == ("Initial", "Traditional", None)
    assert "XC" not in {r.id for r in fw.of_kind("dimension")}
    assert all(r.stage is None for r in fw.of_kind("dimension"))  # no pillar has any evidence
    assert fw.of_kind("overall") == []


def test_no_overall_result_even_when_every_pillar_is_assessed(ztmm):
    pillars = {"ID": IDENTITY_FUNCTIONS, "DV": ("DV-PECM", "DV-ASCRM", "DV-ACCESS", "DV-DTP"),
               "NW": ("NW-SEG", "NW-TRAFFIC", "NW-ENC", "NW-RES"),
               "AW": ("AW-ACCESS", "AW-ATP", "AW-PUB", "AW-SADD", "AW-AST"),
               "DA": ("DA-INV", "DA-CAT", "DA-AVAIL", "DA-ACCESS", "DA-ENC")}
    fw = ztmm([c for functions in pillars.values() for f in functions for c in up_to(f, "initial")])
    assert {r.id: stage(fw, r.id) for r in fw.of_kind("dimension")} == dict.fromkeys(pillars, "Initial")
    assert fw.of_kind("overall") == []


# --------------------------------------------------------------------------- evidence validity


def test_expired_evidence_moves_a_function_down(ztmm):
    claims = up_to("ID-AUTH", "initial", date="2026-03-20") + up_to("ID-AUTH", "advanced", date="2026-01-10")[2:]
    assert [c["id"] for c in claims[2:]] == ids("ID-AUTH", "advanced")
    assert stage(ztmm(claims), "ID-AUTH") == "Advanced"
    # 2026-01-10 + 92 days = 2026-04-12: counted on that day, expired the day after
    assert stage(ztmm(claims, as_of_day=dt.date(2026, 4, 12)), "ID-AUTH") == "Advanced"
    later = ztmm(claims, as_of_day=dt.date(2026, 4, 13))
    assert stage(later, "ID-AUTH") == "Initial"
    assert {g.reason for g in later.get("ID-AUTH").gaps} == {"evidence from 2026-01-10 expired on 2026-04-12"}


def test_the_assessment_may_set_its_own_validity_period(ztmm):
    claims = up_to("ID-AUTH", "advanced", date="2026-01-10")
    assert stage(ztmm(claims, as_of_day=dt.date(2026, 6, 1), validity_days=180), "ID-AUTH") == "Advanced"
    assert stage(ztmm(claims, as_of_day=dt.date(2026, 6, 1)), "ID-AUTH") is None  # all expired: not assessed


# --------------------------------------------------------------------------- what counts


def test_a_bare_claim_does_not_count(ztmm):
    claims = up_to("ID-STORE", "initial") + [claim("ZTMM-ID-STORE-A-1", artifact=False)]
    fw = ztmm(claims)
    assert stage(fw, "ID-STORE") == "Initial"
    assert not outcome(fw, "ZTMM-ID-STORE-A-1").satisfied
    assert outcome(fw, "ZTMM-ID-STORE-A-1").reason.startswith("claimed without")


def test_not_applicable_with_a_reason_counts(ztmm):
    fw = ztmm([claim("ZTMM-AW-PUB-I-1", "not_applicable")])
    assert stage(fw, "AW-PUB") == "Initial"


@pytest.mark.parametrize("value, satisfied, reached", [
    ("0.8", False, "Traditional"),
    ("0.99", False, "Traditional"),
    ("1", True, "Initial"),
    ("1.00", True, "Initial"),
])
def test_a_measured_requirement_needs_its_threshold(ztmm, value, satisfied, reached):
    """ZTMM-ID-AUTH-I-1: MFA coverage of user accounts, default threshold 1.0 (ours: CISA's cell
    has no quantifier, docs/readings.md; it was 0.8 before issue 8)."""
    assert rows()["ZTMM-ID-AUTH-I-1"].threshold_default == Decimal("1.0")
    fw = ztmm([claim("ZTMM-ID-AUTH-I-1", value=value), claim("ZTMM-ID-AUTH-I-2")])
    assert outcome(fw, "ZTMM-ID-AUTH-I-1").satisfied is satisfied
    assert stage(fw, "ID-AUTH") == reached


def test_a_source_threshold_of_all_needs_all(ztmm):
    """ZTMM-DA-ENC-I-1: CISA says all data in transit is encrypted; 0.99 is not all."""
    fw = ztmm([claim("ZTMM-DA-ENC-I-1", value="0.99")])
    assert not outcome(fw, "ZTMM-DA-ENC-I-1").satisfied
    assert next(t for t in fw.thresholds if t.id == "ZTMM-DA-ENC-I-1-T").ours is False


def test_a_measured_requirement_does_not_accept_an_attestation(ztmm):
    fw = ztmm([claim("ZTMM-ID-AUTH-I-1", attest=True), claim("ZTMM-ID-AUTH-I-2")])
    assert not outcome(fw, "ZTMM-ID-AUTH-I-1").satisfied
    assert stage(fw, "ID-AUTH") == "Traditional"


def test_an_observation_of_the_wrong_population_does_not_count(ztmm):
    fw = ztmm([claim("ZTMM-ID-AUTH-I-1", value="1", population="privileged-accounts"), claim("ZTMM-ID-AUTH-I-2")])
    assert not outcome(fw, "ZTMM-ID-AUTH-I-1").satisfied


def test_a_measured_requirement_may_be_not_applicable(ztmm):
    fw = ztmm([claim("ZTMM-DA-AVAIL-I-2", "not_applicable"), claim("ZTMM-DA-AVAIL-I-1")])
    assert stage(fw, "DA-AVAIL") == "Initial"


# --------------------------------------------------------------------------- threshold overrides


def test_a_threshold_override_changes_the_outcome(ztmm):
    claims = [claim("ZTMM-ID-AUTH-I-1", value="0.9"), claim("ZTMM-ID-AUTH-I-2")]
    default = ztmm(claims)
    assert stage(default, "ID-AUTH") == "Traditional"  # the default is 1.0
    assert stage(ztmm(claims, thresholds={"ZTMM-ID-AUTH-I-1-T": "0.85"}), "ID-AUTH") == "Initial"
    raised = ztmm(claims, thresholds={"ZTMM-ID-AUTH-I-1-T": "0.95"})
    assert stage(raised, "ID-AUTH") == "Traditional"
    assert outcome(raised, "ZTMM-ID-AUTH-I-1").reason == "measured 0.9, below the threshold 0.95"
    setting = next(t for t in raised.thresholds if t.id == "ZTMM-ID-AUTH-I-1-T")
    assert (setting.value, setting.default, setting.overridden) == (Decimal("0.95"), Decimal("1.0"), True)
    assert setting.as_dict()["chosen_by"] == "organisation"
    # at the raised threshold it counts again
    met = ztmm([claim("ZTMM-ID-AUTH-I-1", value="0.95"), claim("ZTMM-ID-AUTH-I-2")],
               thresholds={"ZTMM-ID-AUTH-I-1-T": "0.95"})
    assert stage(met, "ID-AUTH") == "Initial"


def test_an_override_touches_only_its_own_threshold(ztmm):
    """ZTMM-ID-AUTH-A-2 measures the same population with another measure and keeps its 0.5."""
    claims = up_to("ID-AUTH", "initial") + [claim("ZTMM-ID-AUTH-A-1"), claim("ZTMM-ID-AUTH-A-2", value="0.6"),
                                            claim("ZTMM-ID-AUTH-A-3")]
    fw = ztmm(claims, thresholds={"ZTMM-ID-AUTH-I-1-T": "0.8"})
    assert stage(fw, "ID-AUTH") == "Advanced"
    assert [t.id for t in fw.thresholds if t.overridden] == ["ZTMM-ID-AUTH-I-1-T"]


def test_two_values_for_one_threshold_are_an_error(ztmm, tmp_path):
    text = ztmm_turtle([claim("ZTMM-ID-AUTH-I-1", value="0.9")], thresholds={"ZTMM-ID-AUTH-I-1-T": "0.95"})
    text += ("\nex:assessment ev:thresholdSetting ex:setting-9 .\nex:setting-9 a ev:ThresholdSetting ;\n"
             f"    ev:threshold <{rows()['ZTMM-ID-AUTH-I-1'].requirement}-threshold> ;\n    ev:thresholdValue 0.85 .\n")
    path = tmp_path / "two.ttl"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(EvidenceError, match="ZTMM-ID-AUTH-I-1-T"):
        assess([path], frameworks=["ztmm"])
