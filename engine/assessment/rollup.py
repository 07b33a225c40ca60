"""Roll-ups above the capability: dimensions, tiers and the whole framework.

Which method applies at which level is data (the framework's mm:RollUp nodes). The numbers (rank and
score of each whole) come from rollup.rq on the run's store (stages.py), over the parts' results written
into graph:decided; this module checks the rule, picks the parts to show and writes the notes and gaps.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from decimal import Decimal

from rdflib import URIRef

from ..catalogue import CapabilityRow, RollUpRule
from ..errors import ContentError
from ..namespaces import MM
from .context import FrameworkContext
from .result import Gap, StageResult
from .stages import RollUpNumbers, record_parts, roll_up_numbers


def _result(ctx: FrameworkContext, rule: RollUpRule, kind: str, id_: str, label: str, iri: URIRef,
            parts: Sequence[StageResult], rank: int | None, *, score: Decimal | None = None, note: str | None = None,
            tier: str | None = None) -> StageResult:
    gaps: dict[str, Gap] = {}
    if rank is not None:
        for part in parts:
            if part.stage is not None and part.stage.rank == rank:
                for gap in part.gaps:
                    gaps.setdefault(gap.id, gap)
    if note is None:
        missing = [p.id for p in parts if not p.assessed]
        below = [p.id for p in parts if p.assessed and p.stage is None]
        if missing:
            note = f"not assessed: {', '.join(missing)} not assessed"
        elif below:
            note = f"below {ctx.first_stage.label}: {', '.join(below)}"
    assessed = bool(parts) and all(p.assessed for p in parts)
    return StageResult(
        framework=ctx.framework.id, kind=kind, id=id_, label=label, iri=iri,
        stage=ctx.stage(rank), next_stage=ctx.stage((rank or 0) + 1) if assessed else None,
        gaps=tuple(gaps.values()),
        distance_to_target=ctx.distance(rank if rank is not None else (0 if assessed else None)),
        rule=rule.label, rule_is_ours=ctx.is_ours(rule), parts=tuple(p.id for p in parts), note=note,
        assessed=assessed, score=score, tier=tier,
    )


def _minimum(ctx: FrameworkContext, rule: RollUpRule, kind: str, id_: str, label: str, iri: URIRef,
             parts: Sequence[StageResult], numbers: RollUpNumbers | None) -> StageResult:
    return _result(ctx, rule, kind, id_, label, iri, parts, numbers.rank if numbers else None)


def _weighted(ctx: FrameworkContext, rule: RollUpRule, kind: str, id_: str, label: str, iri: URIRef,
              parts: Sequence[StageResult], numbers: RollUpNumbers | None) -> StageResult:
    """Weighted mean of the parts' scores or stage values; a part not assessed makes the result not assessed
    unless its weight is zero. The level is the highest stage whose value the score reaches, or, for stages
    without values, the lowest part's stage (rollup.rq)."""
    if numbers is None or numbers.weighted == 0:
        raise ContentError(f"roll-up {rule.iri} weighs none of its parts")
    weights = ctx.weights.get(rule.iri, {})
    counted = [p for p in parts if (weight := weights.get(p.iri)) is not None and weight.value > 0]
    if numbers.unassessed:
        missing = [p.id for p in counted if not p.assessed]
        return _result(ctx, rule, kind, id_, label, iri, counted, None,
                       note=f"not assessed: {', '.join(missing)} not assessed (give it weight 0 to leave it out)")
    if numbers.score is None:
        return _result(ctx, rule, kind, id_, label, iri, counted, None, note="not assessed: every weight is zero")
    return _result(ctx, rule, kind, id_, label, iri, counted, numbers.rank, score=numbers.score)


# A method of rolling parts up: (ctx, rule, kind, id, label, iri, parts, the query's numbers) -> the result.
PartMethod = Callable[[FrameworkContext, RollUpRule, str, str, str, URIRef, Sequence[StageResult],
                       RollUpNumbers | None], StageResult]

PART_METHODS: dict[str, PartMethod] = {str(MM.MinimumStage): _minimum, str(MM.WeightedAverage): _weighted}


def _method(rule: RollUpRule) -> PartMethod:
    try:
        return PART_METHODS[str(rule.method)]
    except KeyError:
        raise ContentError(f"roll-up method {rule.method} is not implemented for {rule.iri}") from None


def roll_ups(ctx: FrameworkContext, capabilities: list[StageResult]) -> list[StageResult]:
    """Dimension, tier and overall results, in that order; each level's parts are written into graph:decided
    (stages.record_parts) before the level above is derived from them."""
    record_parts(ctx.store, ctx.framework.iri, capabilities, decided=ctx.decided)
    dimensions = dimension_results(ctx, capabilities)
    record_parts(ctx.store, ctx.framework.iri, dimensions, decided=ctx.decided)
    return dimensions + tier_results(ctx, capabilities) + overall_result(ctx, capabilities, dimensions)


def _numbers(ctx: FrameworkContext, rule: RollUpRule) -> dict[URIRef, RollUpNumbers]:
    return roll_up_numbers(ctx.store, ctx.framework.iri, rule.level, ctx.effective_weights(rule), decided=ctx.decided)


def dimension_results(ctx: FrameworkContext, capabilities: list[StageResult]) -> list[StageResult]:
    """Per dimension, its capabilities (of the roll-up's part kind) rolled up; capabilities must be recorded."""
    rule = ctx.roll_up(MM.DimensionLevel)
    if rule is None:
        return []
    method = _method(rule)
    numbers = _numbers(ctx, rule)
    by_iri = {c.iri: c for c in capabilities}
    members: dict[URIRef, list[CapabilityRow]] = {}
    for place in ctx.structure:
        if rule.part_kind is None or place.kind == rule.part_kind:
            members.setdefault(place.dimension, []).append(place)
    return [
        method(ctx, rule, "dimension", places[0].dimension_id, places[0].dimension_label, dimension,
               [by_iri[p.capability] for p in places], numbers.get(dimension))
        for dimension, places in members.items()
    ]


def overall_result(
    ctx: FrameworkContext, capabilities: list[StageResult], dimensions: list[StageResult]
) -> list[StageResult]:
    """The framework's parts rolled up; capabilities and dimensions must be recorded."""
    rule = ctx.roll_up(MM.OverallLevel)
    if rule is None:
        return []
    method = _method(rule)
    weighs_capabilities = any(c.iri in ctx.weights.get(rule.iri, {}) for c in capabilities)
    parts = capabilities if weighs_capabilities or not dimensions else dimensions
    fw = ctx.framework
    return [method(ctx, rule, "overall", fw.id, fw.label, fw.iri, parts, _numbers(ctx, rule).get(fw.iri))]


def tier_results(ctx: FrameworkContext, capabilities: list[StageResult]) -> list[StageResult]:
    """Tier readiness: per tier, the lowest stage over capabilities of that tier and every lower tier."""
    rule = ctx.roll_up(MM.TierLevel)
    if rule is None:
        return []
    if rule.method != MM.TierReadiness:
        raise ContentError(f"tier roll-up method {rule.method} is not implemented")
    numbers = _numbers(ctx, rule)
    # the structure query binds a tier with its rank, identifier and label, or none of them
    tiers = sorted({(p.tier_rank, p.tier, p.tier_id, p.tier_label) for p in ctx.structure
                    if p.tier is not None and p.tier_rank is not None and p.tier_id is not None
                    and p.tier_label is not None})
    by_iri = {c.iri: c for c in capabilities}
    unknown = [p.capability_id for p in ctx.structure if p.tier is None]
    results: list[StageResult] = []
    for rank, tier, tier_id, tier_label in tiers:
        parts = [by_iri[p.capability] for p in ctx.structure if p.tier_rank is not None and p.tier_rank <= rank]
        result = _minimum(ctx, rule, "tier", tier_id, tier_label, tier, parts, numbers.get(tier))
        if unknown:
            extra = f"tier unknown in the source, not counted: {', '.join(unknown)}"
            result = _replace_note(result, f"{result.note}; {extra}" if result.note else extra)
        results.append(result)
    return results


def _replace_note(result: StageResult, note: str) -> StageResult:
    return replace(result, note=note)
