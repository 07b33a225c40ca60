"""The stage and roll-up numbers derived by SPARQL (gated-score.rq, rollup.rq; issue 9, item 4), on small stores.

Each test writes a tiny framework into graph:content and results into graph:decided, runs the query
through stages.py and checks the numbers: against the formula written out in scoring.py (the
reference docs/scoring.md is checked against) for the gated score, and by hand for the roll-ups.

More examples: MGRAPH_FUZZ_EXAMPLES=200 (default 40).
"""
from __future__ import annotations

import os
from collections.abc import Sequence
from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDFS, XSD

from maturity_graph.assessment.scoring import gated_score, round_score, weighted_average
from maturity_graph.assessment.stages import gated_stages, roll_up_numbers
from maturity_graph.namespaces import CONTENT_GRAPH, DECIDED_GRAPH, EV, MM
from maturity_graph.store import open_store

EXAMPLES = int(os.environ.get("MGRAPH_FUZZ_EXAMPLES", "40"))
EX = Namespace("https://example.org/fw/")
DCT = Namespace("http://purl.org/dc/terms/")
FW = EX.model
GATE = D("0.8")

# A control: (weight, outcome), outcome "met", "not_met" or "na" (not applicable).
Control = tuple[D, str]
OUTCOMES = {"met": EV.Met, "not_met": EV.NotMet, "na": EV.NotApplicable}


def _content(stages: int, *, values: Sequence[D] | None = None) -> Graph:
    graph = Graph()
    for rank in range(1, stages + 1):
        stage = EX[f"s{rank}"]
        graph.add((FW, MM.hasStage, stage))
        graph.add((stage, MM.rank, Literal(rank)))
        graph.add((stage, RDFS.label, Literal(f"S{rank}")))
        if values is not None:
            graph.add((stage, MM.stageValue, Literal(values[rank - 1], datatype=XSD.decimal)))
    return graph


def gated_store(levels: Sequence[Sequence[Control]], gate: D = GATE, left_out: frozenset[int] = frozenset(),
                stage_left_out: bool = True):
    """A framework with one capability scored by a weighted gated score; each control has its own severity."""
    content = _content(len(levels))
    decided = Graph()
    rule, capability = EX["pillar-score"], EX.c1
    content.add((FW, MM.hasDimension, EX.d1))
    content.add((EX.d1, MM.hasCapability, capability))
    content.add((FW, MM.rollUp, rule))
    content.add((rule, MM.level, MM.CapabilityLevel))
    content.add((rule, MM.method, MM.WeightedGatedScore))
    content.add((rule, MM.gate, Literal(gate, datatype=XSD.decimal)))
    if stage_left_out:
        content.add((rule, MM.unpublishedStage, MM.StageLeftOut))
    weights = {}
    for rank, controls in enumerate(levels, start=1):
        criterion = EX[f"c1-s{rank}"]
        content.add((criterion, MM.capability, capability))
        content.add((criterion, MM.stage, EX[f"s{rank}"]))
        content.add((criterion, DCT.identifier, Literal(f"C1-S{rank}")))
        if rank in left_out:
            content.add((criterion, MM.gap, EX.gap))
            content.add((EX.gap, RDFS.comment, Literal("not published")))
        for i, (weight, outcome) in enumerate(controls):
            requirement, severity, weighting = EX[f"r{rank}-{i}"], EX[f"sev{rank}-{i}"], EX[f"w{rank}-{i}"]
            content.add((criterion, MM.requires, requirement))
            content.add((requirement, MM.severity, severity))
            content.add((rule, MM.weighting, weighting))
            content.add((weighting, MM.weightOf, severity))
            weights[weighting] = weight
            # as the pipeline writes a decided graph: the requirement's outcome (projection.requirement_triples)
            decided.add((requirement, EV.outcome, OUTCOMES[outcome]))
    store = open_store()
    store.add_graph(content, into=CONTENT_GRAPH)
    store.add_graph(decided, into=DECIDED_GRAPH)
    return store, weights


def sparql_gated(levels: Sequence[Sequence[Control]], gate: D = GATE, left_out: frozenset[int] = frozenset()):
    store, weights = gated_store(levels, gate, left_out)
    try:
        return gated_stages(store, FW, weights)[DECIDED_GRAPH][EX.c1]
    finally:
        store.close()


def test_one_query_scores_each_decided_graph_on_its_own():
    """A portfolio's assessments are scored by one query: each decided graph gets what it would get alone."""
    first = [[(D(4), "met"), (D(3), "met")], [(D(4), "met")], [(D(4), "not_met")]]
    second = [[(D(4), "not_met"), (D(3), "met")], [(D(4), "met")], [(D(4), "met")]]
    other = URIRef(f"{DECIDED_GRAPH}/other")
    store, weights = gated_store(first)
    second_store, _ = gated_store(second)
    try:
        store.add_graph(second_store.export([DECIDED_GRAPH]), into=other)
        both = gated_stages(store, FW, weights, decided=[DECIDED_GRAPH, other])
    finally:
        store.close()
        second_store.close()
    assert both[DECIDED_GRAPH][EX.c1] == sparql_gated(first)
    assert both[other][EX.c1] == sparql_gated(second)
    assert both[DECIDED_GRAPH][EX.c1].score != both[other][EX.c1].score


def reference(levels: Sequence[Sequence[Control]], gate: D = GATE, left_out: frozenset[int] = frozenset()):
    """scoring.py's formula; not-applicable controls are dropped before scoring, as the engine did."""
    stages = [(rank, f"S{rank}", [(w, o == "met") for w, o in controls if o != "na"])
              for rank, controls in enumerate(levels, start=1)]
    return gated_score(stages, gate, left_out=left_out)


def assert_same(levels, gate=GATE, left_out=frozenset()):
    got = sparql_gated(levels, gate, left_out)
    rank, score, working = reference(levels, gate, left_out)
    assert (got.rank, got.score) == (rank, score)
    assert str(got.score) == str(score)  # the same places shown
    assert [(s.rank, s.passed, s.total, s.published, s.published and s.gate_passed, s.unlocked) for s in got.stages] \
        == [(w.rank, w.passed, w.total, w.published, w.gate_passed, w.unlocked) for w in working]
    return got


def met(*weights: int) -> list[Control]:
    return [(D(w), "met") for w in weights]


def failed(*weights: int) -> list[Control]:
    return [(D(w), "not_met") for w in weights]


# ----------------------------------------------------------------------------------- gated score


def test_the_worked_examples_of_scoring_md():
    """L1 at 3/7 caps the pillar at 8.6 whatever L2-L5 do; L1 exactly at the gate unlocks L2."""
    capped = assert_same([failed(4) + met(3), *[met(4)] * 4])
    assert (capped.rank, capped.score) == (None, D("8.6"))
    assert [s.unlocked for s in capped.stages] == [True, False, False, False, False]
    inclusive = assert_same([met(4) + failed(1), met(1) + failed(1), met(3), met(1), met(1)])
    assert (inclusive.rank, inclusive.score) == (1, D("26.0"))


def test_not_applicable_controls_weigh_nothing_and_an_empty_stage_passes():
    got = assert_same([[(D(4), "na")], met(1)])
    assert got.stages[0].total == 0 and got.stages[0].gate_passed
    assert (got.rank, got.score) == (2, D("100.0"))


def test_an_unpublished_stage_is_left_out():
    """CSMM's Monitoring L1: no share of the score, no lock, never reached."""
    levels = [[], met(3, 2), met(2) + failed(2), met(2), failed(2)]
    got = assert_same(levels, left_out=frozenset({1}))
    assert (got.rank, got.score) == (2, D("37.5"))
    assert [s.published for s in got.stages] == [False, True, True, True, True]
    below = assert_same([[], met(1) + failed(1), met(1)], left_out=frozenset({1}))
    assert (below.rank, below.score) == (None, D("25.0"))


def test_an_unpublished_stage_counts_when_the_rule_does_not_leave_it_out():
    """Without mm:StageLeftOut the query scores the stage (the engine refuses such content before asking)."""
    store, weights = gated_store([[], met(1)], left_out=frozenset({1}), stage_left_out=False)
    try:
        got = gated_stages(store, FW, weights)[DECIDED_GRAPH][EX.c1]
    finally:
        store.close()
    assert [s.published for s in got.stages] == [True, True]
    assert (got.rank, got.score) == (2, D("100.0"))


def test_a_score_half_way_rounds_half_to_even():
    """SPARQL's ROUND rounds halves up; the query rounds them to even, as Decimal's ROUND_HALF_EVEN does."""
    quarter = assert_same([met(1) + failed(3), met(1), met(1), met(1)])  # 25 x 1/4 = 6.25
    assert quarter.score == D("6.2")
    three_quarters = assert_same([met(3) + failed(1), met(1), met(1), met(1)], gate=D("0.9"))  # 25 x 3/4
    assert three_quarters.score == D("18.8")
    thirds = assert_same([met(1) + failed(2), met(1), met(1), met(1), met(1), met(1)], gate=D("0.9"))
    assert thirds.score == round_score(D(100) / 6 / 3) == D("5.6")


def test_a_different_gate_moves_the_level():
    levels = [met(1, 1, 1) + failed(1)]  # 75%
    assert sparql_gated(levels, D("0.8")).rank is None
    assert sparql_gated(levels, D("0.7")).rank == 1


levels_strategy = st.lists(
    st.lists(st.tuples(st.integers(0, 40).map(lambda n: D(n) / 10), st.sampled_from(["met", "not_met", "na"])),
             max_size=4),
    min_size=1, max_size=5)


@settings(max_examples=EXAMPLES, deadline=None)
@given(levels_strategy, st.sampled_from([D("0.5"), D("0.8"), D("1")]), st.data())
def test_the_query_gives_the_formula_of_scoring_md(levels, gate, data):
    """Any controls, weights (0 to 4 in tenths), outcomes, gate and unpublished stages: the same level, score
    and working as the formula written out in scoring.py."""
    ranks = range(1, len(levels) + 1)
    left_out = frozenset(data.draw(st.sets(st.sampled_from(ranks), max_size=len(levels) - 1)))
    for rank in left_out:
        levels[rank - 1] = []
    assert_same(levels, gate, left_out)


# ----------------------------------------------------------------------------------- roll-ups


def rollup_store(parts: dict[str, tuple[bool, int | None, D | None]], *, method: URIRef = MM.WeightedAverage,
                 weights: dict[str, D] | None = None, values: Sequence[D] | None = None, stages: int = 3):
    """A framework whose overall roll-up weighs its capabilities; `parts` maps a capability to (assessed,
    stage rank, score) as its result in graph:decided."""
    content = _content(stages, values=values)
    decided = Graph()
    rule = EX.overall
    content.add((FW, MM.rollUp, rule))
    content.add((rule, MM.level, MM.OverallLevel))
    content.add((rule, MM.method, method))
    content.add((FW, MM.hasDimension, EX.d1))
    effective = {}
    for name, (assessed, rank, score) in parts.items():
        capability = EX[name]
        content.add((EX.d1, MM.hasCapability, capability))
        if weights is not None and name in weights:
            weighting = EX[f"weight-{name}"]
            content.add((rule, MM.weighting, weighting))
            content.add((weighting, MM.weightOf, capability))
            effective[weighting] = weights[name]
        decided.add((capability, EV.assessed, Literal(assessed)))
        if rank is not None:
            decided.add((capability, EV.stageReached, EX[f"s{rank}"]))
        if score is not None:
            decided.add((capability, EV.score, Literal(score, datatype=XSD.decimal)))
    store = open_store()
    store.add_graph(content, into=CONTENT_GRAPH)
    store.add_graph(decided, into=DECIDED_GRAPH)
    try:
        return roll_up_numbers(store, FW, MM.OverallLevel, effective)[DECIDED_GRAPH].get(FW)
    finally:
        store.close()


def test_minimum_stage_is_the_lowest_part_and_none_when_a_part_has_no_stage():
    both = rollup_store({"a": (True, 3, None), "b": (True, 2, None)}, method=MM.MinimumStage)
    assert both is not None and (both.rank, both.score) == (2, None)
    below = rollup_store({"a": (True, 3, None), "b": (True, None, None)}, method=MM.MinimumStage)
    assert below is not None and below.rank is None
    unassessed = rollup_store({"a": (True, 3, None), "b": (False, None, None)}, method=MM.MinimumStage)
    assert unassessed is not None and unassessed.rank is None


def test_a_framework_with_zero_weights_has_no_score():
    got = rollup_store({"a": (True, 3, D(80)), "b": (True, 1, D(10))}, weights={"a": D(0), "b": D(0)})
    assert got is not None
    assert (got.weighted, got.counted, got.score, got.rank) == (2, 0, None, None)


def test_a_part_not_weighed_is_not_counted_and_one_weighed_zero_is_left_out():
    got = rollup_store({"a": (True, 3, D(80)), "b": (True, 1, D(10)), "c": (True, 2, D(50))},
                       weights={"a": D(1), "b": D(0)})
    assert got is not None
    assert (got.weighted, got.counted, got.score, got.rank) == (2, 1, D("80.00"), 3)


def test_an_unassessed_part_makes_the_whole_unassessed_unless_its_weight_is_zero():
    parts = {"a": (True, 2, D(40)), "b": (False, None, None)}
    counted = rollup_store(parts, weights={"a": D(1), "b": D(1)})
    assert counted is not None and (counted.unassessed, counted.score, counted.rank) == (1, None, None)
    left_out = rollup_store(parts, weights={"a": D(1), "b": D(0)})
    assert left_out is not None and (left_out.unassessed, left_out.score, left_out.rank) == (0, D("40.00"), 2)


def test_the_level_is_the_highest_stage_value_the_mean_reaches():
    """CNAMM's rule: stages 1.0, 2.0, 3.0; functions at 3 and 1 and below the first stage (value 0)."""
    values = [D("1.0"), D("2.0"), D("3.0")]
    got = rollup_store({"a": (True, 3, None), "b": (True, 1, None), "c": (True, None, None)},
                       weights={"a": D(1), "b": D(1), "c": D(1)}, values=values)
    assert got is not None and (got.score, got.rank) == (D("1.33"), 1)
    weighted = rollup_store({"a": (True, 3, None), "b": (True, 1, None)}, weights={"a": D(3), "b": D(1)},
                            values=values)
    assert weighted is not None and (weighted.score, weighted.rank) == (D("2.50"), 2)
    below = rollup_store({"a": (True, None, None)}, weights={"a": D(1)}, values=values)
    assert below is not None and (below.score, below.rank) == (D("0.00"), None)


def test_without_stage_values_the_level_is_the_lowest_counted_part():
    got = rollup_store({"a": (True, 3, D("90")), "b": (True, 2, D("60")), "c": (True, None, D("5"))},
                       weights={"a": D("0.5"), "b": D("0.5"), "c": D(0)})
    assert got is not None and (got.score, got.rank) == (D("75.00"), 2)
    below = rollup_store({"a": (True, 3, D("90")), "c": (True, None, D("5"))}, weights={"a": D(1), "c": D(1)})
    assert below is not None and (below.score, below.rank) == (D("47.50"), None)


def test_a_mean_half_way_rounds_half_to_even():
    """0.125 rounds to 0.12 and 0.375 to 0.38 (SPARQL's ROUND would give 0.13 and 0.38)."""
    down = rollup_store({"a": (True, 1, D(0)), "b": (True, 1, D("0.25"))}, weights={"a": D(1), "b": D(1)})
    assert down is not None and down.score == D("0.12") == round_score(D("0.125"), 2)
    up = rollup_store({"a": (True, 1, D("0.25")), "b": (True, 1, D("0.5"))}, weights={"a": D(1), "b": D(1)})
    assert up is not None and up.score == D("0.38") == round_score(D("0.375"), 2)
    thirds = rollup_store({"a": (True, 1, D(1)), "b": (True, 1, D(0))}, weights={"a": D(1), "b": D(2)})
    assert thirds is not None and thirds.score == D("0.33")


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 1000).map(lambda n: D(n) / 10), st.integers(0, 8).map(lambda n: D(n) / 4)),
                min_size=1, max_size=6))
def test_the_mean_is_the_weighted_average_rounded_half_to_even(scored):
    parts = {f"p{i}": (True, 1, score) for i, (score, _) in enumerate(scored)}
    weights = {f"p{i}": weight for i, (_, weight) in enumerate(scored)}
    got = rollup_store(parts, weights=weights)
    mean = weighted_average([(s, w) for s, w in scored if w > 0])
    assert got is not None
    assert got.score == (round_score(mean, 2) if mean is not None else None)
