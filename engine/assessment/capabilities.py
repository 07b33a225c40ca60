"""Capability results: the stage each capability reaches, by the framework's capability roll-up.

The numbers come from SPARQL on the run's store (stages.py): cumulative gating from stage-reached.rq,
a weighted gated score (CSMM) with its working from gated-score.rq, a coverage sum (OWASP SAMM) from
coverage-sum.rq. This module checks the rules the queries rely on and turns the numbers into results: notes,
gaps and the working table.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal

from rdflib import URIRef

from ..catalogue import CapabilityRow, RequirementRow, RollUpRule
from ..errors import ContentError
from ..namespaces import MM
from .context import FrameworkContext, alike_weights
from .requirements import Reason
from .result import Gap, StageResult
from .scoring import StageWorking
from .stages import Gated, coverage_sums, gated_stages

CAPABILITY_KINDS = {MM.Function: "function", MM.CrossCuttingCapability: "cross-cutting"}
SOURCE_GAP_REASON = "the source does not publish this stage, so it cannot be reached"
UNANSWERED_NOTE = "not assessed: no current evidence speaks to any of its requirements"


# What a capability method gives: the stage reached (None below the first), the score and its working.
Outcome = tuple[int | None, Decimal | None, tuple[StageWorking, ...]]
# The numbers a method's query found for one assessment, by capability.
Numbers = Mapping[URIRef, Gated | Decimal]


def _cumulative(ctx: FrameworkContext, place: CapabilityRow, rows: Sequence[RequirementRow],
                found: Numbers) -> Outcome:
    return ctx.reached.get(place.capability), None, ()


def _coverage(ctx: FrameworkContext, place: CapabilityRow, rows: Sequence[RequirementRow],
              found: Numbers) -> Outcome:
    """The coverage sum as the score; the stage beside it is cumulative gating's (mm:CoverageSum)."""
    score = found.get(place.capability, Decimal(0))  # a capability without requirements covers nothing
    assert isinstance(score, Decimal)  # capability_results ran coverage_sums for this method
    return ctx.reached.get(place.capability), score.quantize(Decimal("0.01")), ()


def _gated(ctx: FrameworkContext, place: CapabilityRow, rows: Sequence[RequirementRow],
           found: Numbers) -> Outcome:
    rule = ctx.roll_up(MM.CapabilityLevel)
    assert rule is not None  # capability_results chose this method from the capability roll-up
    if rule.gate is None:
        raise ContentError(f"roll-up {rule.iri} uses a gated score but gives no mm:gate")
    weights = ctx.weights.get(rule.iri, {})
    for row in rows:
        if row.severity is None or weights.get(row.severity) is None:
            raise ContentError(f"requirement {row.id} has no severity weight in roll-up {rule.iri}")
    unpublished = {g.rank for g in ctx.source_gaps.get(place.capability, []) if g.rank is not None}
    if unpublished and rule.unpublished != MM.StageLeftOut:
        raise ContentError(f"roll-up {rule.iri} scores {place.capability_id}, which has a stage the source does not "
                           "publish, but gives no mm:unpublishedStage rule this engine knows (mm:StageLeftOut)")
    numbers = found[place.capability]
    assert isinstance(numbers, Gated)  # capability_results ran gated_stages for this method
    working = []
    for stage in numbers.stages:
        info = ctx.rules.stage_at(stage.rank)
        assert info is not None  # the query's stages are the framework's
        working.append(StageWorking(stage.rank, info.label, stage.passed, stage.total, stage.unlocked,
                                    stage.published and stage.gate_passed, published=stage.published))
    return numbers.rank, numbers.score, tuple(working)


CapabilityMethod = Callable[[FrameworkContext, CapabilityRow, Sequence[RequirementRow], Numbers], Outcome]
CAPABILITY_METHODS: dict[str, CapabilityMethod] = {str(MM.CumulativeGating): _cumulative,
                                                   str(MM.WeightedGatedScore): _gated,
                                                   str(MM.CoverageSum): _coverage}
# Methods that score a capability no current evidence speaks to: SAMM scores an unanswered question 0.
SCORES_UNASSESSED: frozenset[CapabilityMethod] = frozenset({_coverage})


def capability_results(contexts: Sequence[FrameworkContext]) -> list[list[StageResult]]:
    """Each context's capability results (one assessment each, all of one framework). A weighted gated score is
    one query for every assessment with the same effective weights (most runs have one set); a coverage sum is
    one query for every assessment."""
    if not contexts:
        return []
    rule = contexts[0].roll_up(MM.CapabilityLevel)
    method_iri = str(rule.method) if rule else str(MM.CumulativeGating)
    try:
        method = CAPABILITY_METHODS[method_iri]
    except KeyError:
        raise ContentError(f"capability roll-up method {method_iri} is not implemented by this engine") from None
    found: dict[URIRef, Numbers] = {}
    if method is _gated and rule:
        for weights, group in alike_weights(contexts, rule):
            first = group[0]
            found.update(gated_stages(first.store, first.framework.iri, weights,
                                      decided=[ctx.decided for ctx in group]))
    elif method is _coverage:
        first = contexts[0]
        found.update(coverage_sums(first.store, first.framework.iri, decided=[ctx.decided for ctx in contexts]))
    return [_capability_results(ctx, rule, method, found.get(ctx.decided, {})) for ctx in contexts]


def _capability_results(ctx: FrameworkContext, rule: RollUpRule | None, method: CapabilityMethod,
                        found: Numbers) -> list[StageResult]:
    results: list[StageResult] = []
    for place in ctx.structure:
        rows = ctx.requirements.get(place.capability, [])
        assessed = any(ctx.outcomes[r.requirement].stated for r in rows)
        if assessed:
            rank, score, working = method(ctx, place, rows, found)
        else:
            score = method(ctx, place, rows, found)[1] if method in SCORES_UNASSESSED else None
            rank, working = None, ()
        next_rank = _next_rank(ctx, rule, place.capability, rank) if assessed else None
        gaps = _gaps(ctx, place.capability, rows, next_rank)
        if not assessed:
            note = UNANSWERED_NOTE if score is None else f"{UNANSWERED_NOTE}; scored {score}: a stage without " \
                "current evidence counts 0"
        elif rank is None:
            note = _below_first_note(ctx, rule, place.capability)
        else:
            note = None
        results.append(StageResult(
            framework=ctx.framework.id,
            kind="capability",
            id=place.capability_id,
            label=place.capability_label,
            iri=place.capability,
            stage=ctx.stage(rank),
            next_stage=ctx.stage(next_rank),
            gaps=gaps,
            distance_to_target=ctx.distance(rank if rank is not None else (0 if assessed else None), place.capability),
            rule=rule.label if rule else "cumulative gating",
            rule_is_ours=ctx.is_ours(rule) if rule else True,
            rule_by=rule.authority_label if rule else None,
            note=note,
            dimension=place.dimension_id,
            group=place.group_id,
            capability_kind=CAPABILITY_KINDS.get(place.kind) if place.kind is not None else None,
            aspect=ctx.capability_id(place.aspect) if place.aspect is not None else None,
            assessed=assessed,
            score=score,
            working=working,
            tier=place.tier_id,
            via_crosswalk=tuple(r.id for r in rows if ctx.outcomes[r.requirement].cause is Reason.CARRIED),
        ))
    return results


def _next_rank(ctx: FrameworkContext, rule: RollUpRule | None, capability: URIRef, rank: int | None) -> int:
    """The stage above the one reached; under mm:StageLeftOut a stage the source does not publish is skipped."""
    following = (rank or 0) + 1
    if rule is not None and rule.unpublished == MM.StageLeftOut:
        unpublished = {g.rank for g in ctx.source_gaps.get(capability, []) if g.rank is not None}
        while following in unpublished:
            following += 1
    return following


def _below_first_note(ctx: FrameworkContext, rule: RollUpRule | None, capability: URIRef) -> str:
    """Why a capability has no stage; under mm:StageLeftOut an unpublished stage cannot be the one missed."""
    left_out = rule is not None and rule.unpublished == MM.StageLeftOut
    unpublished = {g.rank for g in ctx.source_gaps.get(capability, []) if g.rank is not None} if left_out else set()
    first = next((s for s in ctx.rules.stages if s.rank not in unpublished), None)
    if first is None or first.rank == ctx.first_stage.rank:
        return f"below {ctx.first_stage.label}: the first stage's requirements are not all met"
    return f"below {first.label}, the first stage the source publishes for it: that stage is not reached"


def _gaps(ctx: FrameworkContext, capability: URIRef, rows: Sequence[RequirementRow], next_rank: int | None
          ) -> tuple[Gap, ...]:
    if next_rank is None:
        return ()
    unmet = tuple(
        Gap(r.id, r.text, r.requirement, ctx.outcomes[r.requirement].reason)
        for r in rows
        if r.rank == next_rank and not ctx.outcomes[r.requirement].satisfied
    )
    unpublished = tuple(
        Gap(g.criterion_id, g.comment, g.criterion, SOURCE_GAP_REASON)
        for g in ctx.source_gaps.get(capability, [])
        # the context keeps only a criterion's gaps, and the query binds a criterion with its identifier
        if g.rank == next_rank and g.criterion is not None and g.criterion_id is not None
    )
    return unmet + unpublished

