"""CSMM's empty Monitoring L1 cell, end to end (issue 8).

The source publishes no Level 1 Monitoring controls. The pillar roll-up says, as data, that such a
level is left out (csmm:pillar-score mm:unpublishedStage mm:StageLeftOut): no points, no lock, never
reached on its own. Before, the engine scored it as a passed level: 20 points for nothing.
"""
from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from maturity_graph import assess, load_catalogue
from maturity_graph.catalogue import Catalogue
from maturity_graph.errors import ContentError
from tests.conftest import level

DAY = "2026-03-20"


def monitoring(write_evidence, met: int, not_met: int = 0, l3: bool = False):
    """Evidence on Monitoring's L2 controls (the first `met` met, the next `not_met` not met)."""
    l2 = level("MON-P", 2, "csmm")
    claims = [(r, "met", DAY) for r in l2[:met]] + [(r, "not_met", DAY) for r in l2[met:met + not_met]]
    if l3:
        claims += [(r, "met", DAY) for r in level("MON-P", 3, "csmm")]
    return assess([write_evidence(claims)], frameworks=["csmm"]).framework("csmm").get("MON-P")


def test_the_rule_is_data():
    catalogue = load_catalogue()
    rule = next(r for r in catalogue.rules(catalogue.get("csmm")).roll_ups if r.method.endswith("WeightedGatedScore"))
    assert str(rule.unpublished) == "https://w3id.org/maturity-graph/mm#StageLeftOut"


def test_a_passed_l2_is_the_first_level_and_worth_25_points(write_evidence):
    mon = monitoring(write_evidence, met=2)
    assert mon.stage.rank == 2
    assert mon.score == Decimal("25.0")  # before issue 8: 40.0 (20 free + 20)
    assert mon.next_stage.rank == 3


def test_below_the_l2_gate_there_is_no_level_and_the_gaps_are_l2s(write_evidence):
    """The empty L1 is not reached on nothing: the pillar has no level, and its gaps are the L2
    controls that hold it, not the unpublished cell."""
    mon = monitoring(write_evidence, met=1, not_met=1)
    assert mon.assessed and mon.stage is None
    assert mon.next_stage.rank == 2
    assert [g.id for g in mon.gaps] == ["CSMM-MON-L2-ALARMS"]
    assert mon.note.startswith("below L2 Guarded, the first stage the source publishes")
    assert mon.score == Decimal("15.0")  # 25 x 3/5; before issue 8: 32.0 (20 free + 20 x 3/5)


def test_strength_above_does_not_fill_the_empty_cell(write_evidence):
    mon = monitoring(write_evidence, met=2, l3=True)
    assert mon.stage.rank == 3
    assert mon.score == Decimal("50.0")  # 25 + 25; before issue 8: 60.0


def test_a_gated_score_over_an_unpublished_stage_needs_the_rule(write_evidence, monkeypatch):
    """Without mm:unpublishedStage the engine refuses to guess how to score the empty cell."""
    catalogue = load_catalogue()
    csmm = catalogue.get("csmm")
    rules = catalogue.rules(csmm)
    stripped = replace(rules, roll_ups=tuple(replace(r, unpublished=None) for r in rules.roll_ups))
    original = Catalogue.rules

    def rules_without_the_rule(self, framework):
        return stripped if framework == csmm else original(self, framework)

    monkeypatch.setattr(Catalogue, "rules", rules_without_the_rule)
    claims = [(r, "met", DAY) for r in level("MON-P", 2, "csmm")]
    with pytest.raises(ContentError, match="MON-P.*mm:unpublishedStage"):
        assess([write_evidence(claims)], frameworks=["csmm"])
