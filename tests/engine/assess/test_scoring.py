"""The gated-score and weighted-average arithmetic that docs/scoring.md describes (issue 4)."""
from __future__ import annotations

from decimal import Decimal as D

from hypothesis import given, strategies as st

from maturity_graph.assess.scoring import gated_score, weighted_average

GATE = D("0.8")


def stages(*levels):
    """levels: per stage a list of (weight, passed)."""
    return [(rank, f"L{rank}", [(D(w), ok) for w, ok in controls]) for rank, controls in enumerate(levels, start=1)]


def test_all_passed_is_top_level_and_100():
    rank, score, working = gated_score(stages(*[[(4, True), (1, True)]] * 5), GATE)
    assert (rank, score) == (5, D("100.0"))
    assert all(w.unlocked and w.gate_passed for w in working)


def test_l1_gate_failure_caps_the_pillar_whatever_higher_levels_do():
    # L1: 3 of 7 weight passed (43%), L2-L5 perfect
    rank, score, working = gated_score(stages([(4, False), (3, True)], *[[(4, True)]] * 4), GATE)
    assert rank is None
    assert score == D("8.6")  # only L1's 3/7 of its 20 points
    assert [w.unlocked for w in working] == [True, False, False, False, False]


def test_gate_is_inclusive_and_higher_levels_count_only_when_unlocked():
    # L1 exactly 80%, L2 50% (fails its gate), L3 perfect but locked
    rank, score, _ = gated_score(stages([(4, True), (1, False)], [(1, True), (1, False)], [(3, True)], [(1, True)], [(1, True)]), GATE)
    assert rank == 1
    assert score == D("26.0")  # 20*0.8 + 20*0.5


def test_severity_weight_changes_the_score():
    light = gated_score(stages([(1, True), (1, False)]), GATE)[1]
    heavy = gated_score(stages([(4, True), (1, False)]), GATE)[1]
    assert heavy > light


def test_stage_without_controls_passes_with_nothing_to_weigh():
    rank, score, working = gated_score(stages([], [(1, True)]), GATE)
    assert rank == 2
    assert working[0].ratio == 1 and working[0].total == 0
    assert score == D("100.0")


def test_a_different_gate_moves_the_level():
    levels = stages([(1, True), (1, True), (1, True), (1, False)])  # 75%
    assert gated_score(levels, D("0.8"))[0] is None
    assert gated_score(levels, D("0.7"))[0] == 1


@given(st.lists(st.lists(st.tuples(st.integers(1, 4), st.booleans()), max_size=6), min_size=1, max_size=5))
def test_score_bounds_and_monotone_in_passing(levels):
    rank, score, working = gated_score(stages(*levels), GATE)
    assert D(0) <= score <= D(100)
    improved = [[(w, True) for w, _ in controls] for controls in levels]
    better_rank, better_score, _ = gated_score(stages(*improved), GATE)
    assert better_score >= score
    assert (better_rank or 0) >= (rank or 0)


def test_weighted_average():
    assert weighted_average([(D(4), D("0.3")), (D(2), D("0.7"))]) == D("2.6")
    assert weighted_average([(D(4), D(0))]) is None
    assert weighted_average([(D(3), D(1)), (D(5), D(1))]) == D(4)
