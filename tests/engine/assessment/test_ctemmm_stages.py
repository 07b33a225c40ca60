"""CTEM MM: source gaps are respected, phases are the lowest capability, tiers read as readiness (issue 4)."""
from __future__ import annotations

from maturity_graph import assess
from tests.conftest import up_to

TIER_1 = ["SCO-01", "DIS-01", "DIS-02", "DIS-03", "PRI-02", "VAL-01", "VAL-02", "VAL-03",
          "MOB-01", "MOB-02", "MOB-03", "MOB-04"]
TIER_2 = ["SCO-05", "SCO-06", "SCO-07", "DIS-04", "DIS-05", "DIS-06", "PRI-04", "VAL-04", "MOB-05", "MOB-06"]


def ctem(write_evidence, targets: dict[str, int]):
    claims = [c for cap, top in targets.items() for c in up_to(cap, top, framework="ctemmm")]
    return assess([write_evidence(claims)], frameworks=["ctemmm"]).framework("ctemmm")


def test_unpublished_level_5_cannot_be_reached(write_evidence):
    fw = ctem(write_evidence, {"PRI-04": 5, "SCO-01": 5})
    apa = fw.get("PRI-04")
    assert apa.stage.rank == 4
    assert [g.id for g in apa.gaps] == ["CTEMMM-PRI-04-L5"]
    assert "does not publish" in apa.gaps[0].reason
    assert fw.get("SCO-01").stage.rank == 5  # its Level 5 is published


def test_phase_is_lowest_capability(write_evidence):
    fw = ctem(write_evidence,
              {cap: 3 for cap in ["DIS-01", "DIS-02", "DIS-03", "DIS-04", "DIS-05", "DIS-06"]} | {"DIS-07": 2})
    assert fw.get("DIS").stage.rank == 2
    assert fw.get("SCO").stage is None  # nothing said about Scoping


def test_tier_readiness_counts_each_tier_and_every_lower_tier(write_evidence):
    targets = {cap: 3 for cap in TIER_1} | {cap: 4 for cap in TIER_2}
    targets["DIS-06"] = 2
    fw = ctem(write_evidence, targets)
    tiers = {t.id: t for t in fw.of_kind("tier")}
    assert set(tiers) == {"T1", "T2", "T3"}
    assert tiers["T1"].stage.rank == 3
    assert tiers["T1"].parts == tuple(TIER_1)
    assert tiers["T2"].stage.rank == 2  # DIS-06 is the weakest of tiers 1 and 2
    assert tiers["T3"].stage is None  # no tier-3 evidence: not assessed
    for tier in tiers.values():
        assert ("tier unknown in the source, not counted: "
                "SCO-02, SCO-03, SCO-04, PRI-01, PRI-03, PRI-05, VAL-05, VAL-06") in tier.note
    assert all(t.rule_is_ours for t in tiers.values())
