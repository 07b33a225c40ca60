"""`diff`: movements between two snapshots and their reasons (issue 3, any framework)."""
from __future__ import annotations

import datetime as dt

from maturity_graph import diff
from tests.conftest import level, up_to


def by_id(result):
    return {m.id: m for m in result.movements}


def test_newly_met_moves_up(write_evidence):
    old = write_evidence(up_to("SPO", 2), name="old.ttl")
    new = write_evidence(up_to("SPO", 3), name="new.ttl")
    moved = by_id(diff([old], [new], frameworks=["sbd"]))
    spo = moved["SPO"]
    assert spo.direction == "up"
    assert (spo.old.stage.rank, spo.new.stage.rank) == (2, 3)
    assert {r.id: r.change for r in spo.reasons} == {"SBD-SPO-L3-1": "newly met", "SBD-SPO-L3-2": "newly met"}


def test_expired_evidence_moves_down(write_evidence):
    path = write_evidence(up_to("SPO", 3, date="2026-01-10"))
    result = diff([path], [path], frameworks=["sbd"], new_as_of=dt.date(2027, 2, 1))
    spo = by_id(result)["SPO"]
    assert spo.direction == "down"
    assert spo.new.stage is None
    assert {r.change for r in spo.reasons} == {"evidence expired"}


def test_withdrawn_by_newer_not_met(write_evidence):
    old = write_evidence(up_to("SPO", 3, date="2026-01-10"), name="old.ttl")
    new = write_evidence(up_to("SPO", 3, date="2026-01-10")
                         + [(req, "not_met", "2026-03-01") for req in level("SPO", 3)], name="new.ttl")
    spo = by_id(diff([old], [new], frameworks=["sbd"]))["SPO"]
    assert (spo.old.stage.rank, spo.new.stage.rank) == (3, 2)
    assert {r.change for r in spo.reasons} == {"evidence withdrawn: newer evidence says not met"}


def test_removed_evidence_is_withdrawn_and_dimension_follows(write_evidence):
    everything = up_to("SPO", 3) + up_to("RSK", 3) + up_to("TRN", 3)
    old = write_evidence(everything, name="old.ttl")
    new = write_evidence([c for c in everything if c[0] not in level("RSK", 3)], name="new.ttl")
    moved = by_id(diff([old], [new], frameworks=["sbd"]))
    assert {r.change for r in moved["RSK"].reasons} == {"evidence withdrawn: no evidence any more"}
    assert moved["D1"].parts_moved == ("RSK",)
    assert (moved["D1"].old.stage.rank, moved["D1"].new.stage.rank) == (3, 2)


def test_nothing_moved(write_evidence):
    path = write_evidence(up_to("SPO", 3))
    assert diff([path], [path], frameworks=["sbd"]).movements == []
