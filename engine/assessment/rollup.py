"""Roll-ups above the capability: capability groups, dimensions, tiers and the whole framework.

Which method applies at which level is data (the framework's mm:RollUp nodes). The numbers (rank and
score of each whole) come from rollup.rq on the run's store (stages.py), over the parts' results written
into each assessment's decided graph, for all the assessments of a framework at once; this module checks the
rule, picks the parts to show and writes the notes and gaps.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from decimal import Decimal

from rdflib import URIRef

from ..catalogue import CapabilityRow, RollUpRule
from ..errors import ContentError
from ..namespaces import MM
from .context import FrameworkContext, alike_weights
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
        missing = [p.id for p in parts if not _counts(p)]
        scored = [f"{p.id} ({p.score})" for p in parts if not p.assessed and _counts(p)]
        below = [p.id for p in parts if p.assessed and p.stage is None]
        if missing:
            note = f"not assessed: {', '.join(missing)} not assessed"
        elif scored:
            note = f"counted at the score given with no current evidence: {', '.join(scored)}"
        elif below:
            note = f"below {ctx.first_stage.label}: {', '.join(below)}"
    assessed = bool(parts) and all(_counts(p) for p in parts)
    return StageResult(
        framework=ctx.framework.id, kind=kind, id=id_, label=label, iri=iri,
        stage=ctx.stage(rank), next_stage=ctx.stage((rank or 0) + 1) if assessed else None,
        gaps=tuple(gaps.values()),
        distance_to_target=ctx.distance(rank if rank is not None else (0 if assessed else None)),
        rule=rule.label, rule_is_ours=ctx.is_ours(rule), rule_by=rule.authority_label,
        parts=tuple(p.id for p in parts), note=note,
        assessed=assessed, score=score, tier=tier,
    )


def _counts(part: StageResult) -> bool:
    """Whether a part counts in its whole's result: it was assessed, or its method scored it anyway (a coverage
    sum scores a capability without current evidence 0)."""
    return part.assessed or part.score is not None


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


def roll_ups(contexts: Sequence[FrameworkContext], capabilities: Sequence[list[StageResult]]
             ) -> list[list[StageResult]]:
    """Per context (one assessment each, all of one framework), its group, dimension, tier and overall results, in
    that order. Level by level for all the contexts at once: each level's parts are written into the decided graphs
    (stages.record_parts) before one query derives the level above for every assessment."""
    for ctx, caps in zip(contexts, capabilities, strict=True):
        record_parts(ctx.store, caps, decided=ctx.decided)
    groups = group_results(contexts, capabilities)
    for ctx, found in zip(contexts, groups, strict=True):
        record_parts(ctx.store, found, decided=ctx.decided)
    dimensions = dimension_results(contexts, capabilities, groups)
    for ctx, dims in zip(contexts, dimensions, strict=True):
        record_parts(ctx.store, dims, decided=ctx.decided)
    tiers = tier_results(contexts, capabilities)
    overall = overall_result(contexts, capabilities, dimensions)
    return [g + d + t + o for g, d, t, o in zip(groups, dimensions, tiers, overall, strict=True)]


def _numbers(contexts: Sequence[FrameworkContext], rule: RollUpRule) -> list[dict[URIRef, RollUpNumbers]]:
    """Each context's numbers at the rule's level: one query per set of effective weights (most runs have one)."""
    found: dict[URIRef, dict[URIRef, RollUpNumbers]] = {}
    for weights, group in alike_weights(contexts, rule):
        first = group[0]
        found.update(roll_up_numbers(first.store, first.framework.iri, rule.level, weights,
                                     decided=[ctx.decided for ctx in group]))
    return [found[ctx.decided] for ctx in contexts]


def group_results(contexts: Sequence[FrameworkContext], capabilities: Sequence[list[StageResult]]
                  ) -> list[list[StageResult]]:
    """Per capability group (mm:group), its capabilities rolled up; capabilities must be recorded."""
    rule = contexts[0].roll_up(MM.GroupLevel) if contexts else None
    if rule is None:
        return [[] for _ in contexts]
    method = _method(rule)
    members: dict[URIRef, list[CapabilityRow]] = {}
    for place in contexts[0].structure:
        if place.group is None:
            raise ContentError(f"roll-up {rule.iri} rolls up capability groups, but {place.capability_id} has none")
        members.setdefault(place.group, []).append(place)
    results = []
    for ctx, caps, numbers in zip(contexts, capabilities, _numbers(contexts, rule), strict=True):
        by_iri = {c.iri: c for c in caps}
        found = []
        for group, places in members.items():
            first = places[0]
            assert first.group_id is not None and first.group_label is not None  # the structure query binds all three
            result = method(ctx, rule, "group", first.group_id, first.group_label, group,
                            [by_iri[p.capability] for p in places], numbers.get(group))
            found.append(replace(result, dimension=first.dimension_id))
        results.append(found)
    return results


def dimension_results(contexts: Sequence[FrameworkContext], capabilities: Sequence[list[StageResult]],
                      groups: Sequence[list[StageResult]]) -> list[list[StageResult]]:
    """Per dimension, its capabilities (of the roll-up's part kind) rolled up, or its capability groups where the
    part kind is mm:CapabilityGroup; the parts must be recorded."""
    rule = contexts[0].roll_up(MM.DimensionLevel) if contexts else None
    if rule is None:
        return [[] for _ in contexts]
    method = _method(rule)
    of_groups = rule.part_kind == MM.CapabilityGroup
    members: dict[URIRef, list[CapabilityRow]] = {}
    for place in contexts[0].structure:
        if rule.part_kind is None or place.kind == rule.part_kind or of_groups:
            members.setdefault(place.dimension, []).append(place)
    results = []
    for ctx, caps, grouped, numbers in zip(contexts, capabilities, groups, _numbers(contexts, rule), strict=True):
        by_iri = {c.iri: c for c in caps} | {g.iri: g for g in grouped}
        results.append([
            method(ctx, rule, "dimension", places[0].dimension_id, places[0].dimension_label, dimension,
                   _parts(places, by_iri, of_groups), numbers.get(dimension))
            for dimension, places in members.items()
        ])
    return results


def _parts(places: Sequence[CapabilityRow], by_iri: dict[URIRef, StageResult], of_groups: bool
           ) -> list[StageResult]:
    """A dimension's parts: its capabilities' results, or its groups' (each once, in reading order)."""
    if not of_groups:
        return [by_iri[p.capability] for p in places]
    if any(p.group is None for p in places):
        raise ContentError(f"a dimension rolls up capability groups, but {places[0].dimension_id} has a capability "
                           "without one")
    return [by_iri[group] for group in dict.fromkeys(p.group for p in places if p.group is not None)]


def overall_result(contexts: Sequence[FrameworkContext], capabilities: Sequence[list[StageResult]],
                   dimensions: Sequence[list[StageResult]]) -> list[list[StageResult]]:
    """The framework's parts rolled up; capabilities and dimensions must be recorded."""
    rule = contexts[0].roll_up(MM.OverallLevel) if contexts else None
    if rule is None:
        return [[] for _ in contexts]
    method = _method(rule)
    results = []
    for ctx, caps, dims, numbers in zip(contexts, capabilities, dimensions, _numbers(contexts, rule), strict=True):
        weighs_capabilities = any(c.iri in ctx.weights.get(rule.iri, {}) for c in caps)
        parts = caps if weighs_capabilities or not dims else dims
        fw = ctx.framework
        results.append([method(ctx, rule, "overall", fw.id, fw.label, fw.iri, parts, numbers.get(fw.iri))])
    return results


def tier_results(contexts: Sequence[FrameworkContext], capabilities: Sequence[list[StageResult]]
                 ) -> list[list[StageResult]]:
    """Tier readiness: per tier, the lowest stage over capabilities of that tier and every lower tier."""
    rule = contexts[0].roll_up(MM.TierLevel) if contexts else None
    if rule is None:
        return [[] for _ in contexts]
    if rule.method != MM.TierReadiness:
        raise ContentError(f"tier roll-up method {rule.method} is not implemented")
    structure = contexts[0].structure
    # the structure query binds a tier with its rank, identifier and label, or none of them
    tiers = sorted({(p.tier_rank, p.tier, p.tier_id, p.tier_label) for p in structure
                    if p.tier is not None and p.tier_rank is not None and p.tier_id is not None
                    and p.tier_label is not None})
    unknown = [p.capability_id for p in structure if p.tier is None]
    results = []
    for ctx, caps, numbers in zip(contexts, capabilities, _numbers(contexts, rule), strict=True):
        by_iri = {c.iri: c for c in caps}
        found: list[StageResult] = []
        for rank, tier, tier_id, tier_label in tiers:
            parts = [by_iri[p.capability] for p in structure if p.tier_rank is not None and p.tier_rank <= rank]
            result = _minimum(ctx, rule, "tier", tier_id, tier_label, tier, parts, numbers.get(tier))
            if unknown:
                extra = f"tier unknown in the source, not counted: {', '.join(unknown)}"
                result = _replace_note(result, f"{result.note}; {extra}" if result.note else extra)
            found.append(result)
        results.append(found)
    return results


def _replace_note(result: StageResult, note: str) -> StageResult:
    return replace(result, note=note)
