"""SbD levels on hand-made cases (issue 2): cumulative gating, not applicable, staleness, roll-ups."""
from __future__ import annotations

import datetime as dt

import pytest

from maturity_graph import assess
from maturity_graph.store import open_store
from tests.conftest import level, up_to


def stage_of(result, kind, id_):
    r = result.framework("sbd").get(id_)
    assert r.kind == kind
    return r.stage.rank if r.stage else None


def test_meeting_level_3_without_level_2_gives_level_1(write_evidence):
    claims = [(local, "met", "2026-03-01") for local in level("SPO", 3)]
    claims += [(local, "not_met", "2026-03-01") for local in level("SPO", 2)]
    result = assess([write_evidence(claims)], frameworks=["sbd"])
    spo = result.framework("sbd").get("SPO")
    assert spo.stage.rank == 1
    assert spo.next_stage.rank == 2
    assert [g.id for g in spo.gaps] == ["SBD-SPO-L2-1"]


def test_cumulative_levels(write_evidence):
    result = assess([write_evidence(up_to("SPO", 4))], frameworks=["sbd"])
    spo = result.framework("sbd").get("SPO")
    assert spo.stage.rank == 4
    assert spo.distance_to_target == 0
    assert {g.id for g in spo.gaps} == {"SBD-SPO-L5-1"}


def test_not_applicable_leaves_level_unaffected(write_evidence):
    claims = up_to("VEX", 3)
    na = level("VEX", 2)
    claims = [(local, "not_applicable", "2026-03-01") if local in na else c
              for c, local in zip(claims, [c[0] for c in claims], strict=True)]
    result = assess([write_evidence(claims)], frameworks=["sbd"])
    assert stage_of(result, "capability", "VEX") == 3


def test_bare_claim_does_not_count(write_evidence):
    claims = [(local, "met", "2026-03-01", False) for local in level("SPO", 2)]
    result = assess([write_evidence(claims)], frameworks=["sbd"])
    spo = result.framework("sbd").get("SPO")
    assert spo.stage.rank == 1
    assert "claimed without" in spo.gaps[0].reason


def test_stale_evidence_lowers_the_level(write_evidence):
    path = write_evidence(up_to("SPO", 3, date="2025-01-10"))
    fresh = assess([path], frameworks=["sbd"], as_of=dt.date(2025, 6, 1))
    stale = assess([path], frameworks=["sbd"], as_of=dt.date(2026, 3, 31))
    assert stage_of(fresh, "capability", "SPO") == 3
    spo = stale.framework("sbd").get("SPO")
    assert spo.stage is None  # stale evidence says nothing current: not assessed
    assert stale.framework("sbd").get("SPO").note.startswith("not assessed")


def test_stale_evidence_moves_level_down_not_to_unassessed(write_evidence):
    claims = up_to("SPO", 2, date="2026-03-01") + [(req, "met", "2025-01-10") for req in level("SPO", 3)]
    result = assess([write_evidence(claims)], frameworks=["sbd"], as_of=dt.date(2026, 3, 31))
    spo = result.framework("sbd").get("SPO")
    assert spo.stage.rank == 2
    assert all("expired" in g.reason for g in spo.gaps)


def test_assessment_can_override_validity(write_evidence):
    path = write_evidence(up_to("SPO", 3, date="2026-01-01"), validity_days=30)
    result = assess([path], frameworks=["sbd"], as_of=dt.date(2026, 3, 31))
    assert result.framework("sbd").get("SPO").stage is None


def test_evidence_after_as_of_does_not_count(write_evidence):
    path = write_evidence(up_to("SPO", 3, date="2026-03-01"))
    result = assess([path], frameworks=["sbd"], as_of=dt.date(2026, 2, 1))
    assert result.framework("sbd").get("SPO").stage is None


def test_newer_not_met_supersedes_older_met(write_evidence):
    claims = up_to("SPO", 3, date="2026-01-01") + [(req, "not_met", "2026-02-01") for req in level("SPO", 3)]
    result = assess([write_evidence(claims)], frameworks=["sbd"])
    assert stage_of(result, "capability", "SPO") == 2


def test_domain_is_lowest_capability(write_evidence):
    claims = up_to("SPO", 4) + up_to("RSK", 2) + up_to("TRN", 3)
    result = assess([write_evidence(claims)], frameworks=["sbd"])
    d1 = result.framework("sbd").get("D1")
    assert d1.kind == "dimension"
    assert d1.stage.rank == 2
    assert d1.parts == ("SPO", "RSK", "TRN")
    assert {g.id for g in d1.gaps} == {g.id for g in result.framework("sbd").get("RSK").gaps}
    assert not d1.rule_is_ours


def test_domain_with_unassessed_capability_is_not_assessed(write_evidence):
    result = assess([write_evidence(up_to("SPO", 4) + up_to("RSK", 3))], frameworks=["sbd"])
    d1 = result.framework("sbd").get("D1")
    assert d1.stage is None
    assert "TRN" in d1.note


def test_overall_is_lowest_domain_and_labelled_ours(write_evidence):
    claims = []
    for cap, top in {"SPO": 3, "RSK": 3, "TRN": 4, "TMO": 3, "SST": 5, "HSC": 3, "SBM": 4, "TPV": 3,
                     "VEX": 3, "VMT": 3, "PCS": 2, "SUM": 3, "CVD": 3}.items():
        claims += up_to(cap, top)
    result = assess([write_evidence(claims)], frameworks=["sbd"])
    overall = result.framework("sbd").of_kind("overall")[0]
    assert overall.stage.rank == 2
    assert overall.rule_is_ours
    assert overall.distance_to_target == 1
    assert stage_of(result, "dimension", "D4") == 2
    assert stage_of(result, "dimension", "D2") == 3


def test_empty_evidence_gives_not_assessed(write_evidence):
    result = assess([write_evidence([])], frameworks=["sbd"])
    fw = result.framework("sbd")
    assert all(r.stage is None for r in fw.results)
    assert len(fw.of_kind("capability")) == 13
    assert len(fw.of_kind("dimension")) == 4


def test_unknown_status_does_not_make_a_capability_assessed(write_evidence):
    result = assess([write_evidence([(req, "unknown", "2026-03-01") for req in level("SPO", 2)])], frameworks=["sbd"])
    assert result.framework("sbd").get("SPO").stage is None


@pytest.mark.parametrize("store", [None])  # None: the default store; the endpoint: tests/engine/store
def test_both_stores_derive_the_same_stages(write_evidence, store):
    claims = up_to("SPO", 4) + up_to("RSK", 2) + up_to("SBM", 3)
    result = assess([write_evidence(claims)], frameworks=["sbd"], store=store)
    got = {r.id: (r.stage.rank if r.stage else None) for r in result.framework("sbd").results}
    assert got["SPO"] == 4 and got["RSK"] == 2 and got["SBM"] == 3 and got["D1"] is None


def test_result_graph_can_be_queried(write_evidence):
    from rdflib import URIRef
    result = assess([write_evidence(up_to("SPO", 3))], frameworks=["sbd"])
    store = open_store("oxigraph")
    store.add_graph(result.graph)
    answer = store.query(
        "PREFIX ev: <https://w3id.org/maturity-graph/ev#> "
        "SELECT ?stage WHERE { ?r a ev:CapabilityResult ; ev:resultFor ?cap ; ev:stageReached ?stage }",
        bindings={},
    )
    assert URIRef("https://w3id.org/maturity-graph/framework/sbd/2025-06-18/level-3") in {r[0] for r in answer.rows}
