"""The gated-score and weighted-average arithmetic that docs/scoring.md describes (issue 4)."""
from __future__ import annotations

from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from maturity_graph.assessment.scoring import gated_score, weighted_average

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
    rank, score, _ = gated_score(
        stages([(4, True), (1, False)], [(1, True), (1, False)], [(3, True)], [(1, True)], [(1, True)]), GATE)
    assert rank == 1
    assert score == D("26.0")  # 20*0.8 + 20*0.5


def test_severity_weight_changes_the_score():
    light = gated_score(stages([(1, True), (1, False)]), GATE)[1]
    heavy = gated_score(stages([(4, True), (1, False)]), GATE)[1]
    assert heavy > light


def test_stage_without_controls_passes_with_nothing_to_weigh():
    """A published stage whose controls are all not applicable (dropped before scoring) has nothing to weigh."""
    rank, score, working = gated_score(stages([], [(1, True)]), GATE)
    assert rank == 2
    assert working[0].ratio == 1 and working[0].total == 0
    assert score == D("100.0")


# ------------------------------------------------------------- a stage the source does not publish (issue 8)


def test_an_unpublished_stage_adds_no_points():
    """CSMM's Monitoring L1: L2 passed, L3 at half. Over the four published stages: 25 x 1.5 = 37.5,
    not 20 x (1 + 1 + 0.5) = 50.0 with 20 points for the empty cell."""
    levels = stages([], [(3, True), (2, True)], [(2, True), (2, False)], [(2, True)], [(2, False)])
    assert gated_score(levels, GATE)[1] == D("50.0")  # a published empty stage, as before
    rank, score, working = gated_score(levels, GATE, left_out={1})
    assert (rank, score) == (2, D("37.5"))
    assert [w.published for w in working] == [False, True, True, True, True]
    assert working[0].as_dict()["ratio"] is None and working[0].as_dict()["published"] is False


def test_an_unpublished_stage_blocks_nothing_and_is_never_reached():
    below = stages([], [(1, False), (1, True)], [(1, True)])
    rank, score, working = gated_score(below, GATE, left_out={1})
    assert rank is None  # L2 at 50% is below the gate, and L1 is not reached on nothing
    assert score == D("25.0")  # 50 points per published stage, half of L2's
    assert working[1].unlocked and not working[2].unlocked
    rank, score, _ = gated_score(stages([], [(1, True)], [(1, True)]), GATE, left_out={1})
    assert (rank, score) == (3, D("100.0"))


def test_an_unpublished_stage_in_the_middle_locks_nothing():
    rank, score, working = gated_score(stages([(1, True)], [], [(1, True)]), GATE, left_out={2})
    assert (rank, score) == (3, D("100.0"))
    assert working[2].unlocked


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.tuples(st.integers(1, 4), st.booleans()), min_size=1, max_size=4), min_size=2, max_size=5),
       st.data())
def test_leaving_a_stage_out_is_scoring_without_it(levels, data):
    """Leaving an unpublished stage out gives the score of the same stages without it, and the same
    level (as a rank of the remaining stages)."""
    ranks = list(range(1, len(levels) + 1))
    out = data.draw(st.sampled_from(ranks))
    levels[out - 1] = []
    rank, score, _ = gated_score(stages(*levels), GATE, left_out={out})
    kept = [controls for r, controls in zip(ranks, levels, strict=True) if r != out]
    kept_rank, kept_score, _ = gated_score(stages(*kept), GATE)
    assert score == kept_score
    remaining = [r for r in ranks if r != out]
    assert rank == (None if kept_rank is None else remaining[kept_rank - 1])


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
