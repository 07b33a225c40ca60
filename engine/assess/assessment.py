"""The assessment pipeline: well-formedness, freshness, requirement shapes, stages, roll-ups."""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from .. import bundled
from ..catalogue import Catalogue, CapabilityRow, Framework, FrameworkRules, RequirementRow, load_catalogue
from ..errors import EvidenceError, MaturityGraphError
from ..evidence.freshness import current_evidence, default_as_of, judge_claims
from ..evidence.load import EvidenceSet, load_evidence
from ..namespaces import EV, MM, RES
from ..store import Store
from ..validate.wellformed import validate_evidence
from .requirements import RequirementOutcome, decide_requirements
from .result import AssessmentResult, FrameworkAssessment, Gap, StageRef, StageResult
from .rollup import roll_up_method
from .stages import derive_capability_stages, requirement_results_graph
from .thresholds import effective_thresholds

log = logging.getLogger(__name__)

KIND_CLASS = {"capability": EV.CapabilityResult, "dimension": EV.DimensionResult, "overall": EV.OverallResult}
CAPABILITY_KINDS = {MM.Function: "function", MM.CrossCuttingCapability: "cross-cutting"}


def frameworks_in_scope(store: Store, catalogue: Catalogue) -> list[Framework]:
    rows = store.query(bundled.query_text(__package__, "frameworks-in-evidence.rq")).dicts()
    found = [catalogue.by_iri(row["framework"]) for row in rows]
    return sorted((fw for fw in found if fw is not None), key=lambda fw: fw.id)


def assess(
    evidence: EvidenceSet | Iterable[str | Path],
    *,
    frameworks: Sequence[str] | None = None,
    as_of: dt.date | None = None,
    store: str = "oxigraph",
    catalogue: Catalogue | None = None,
) -> AssessmentResult:
    """Derive per capability, per dimension and overall stages from evidence.

    Evidence that breaks shapes/core stops the assessment with an EvidenceError naming the
    first offending node. Without `frameworks`, the frameworks the evidence speaks about are
    assessed; evidence that names none needs `frameworks`.
    """
    catalogue = catalogue or load_catalogue()
    if not isinstance(evidence, EvidenceSet):
        evidence = load_evidence(evidence)
    chosen = [catalogue.get(name) for name in frameworks] if frameworks else None
    check = validate_evidence(evidence, catalogue=catalogue)
    if not check.conforms:
        first = check.violations[0]
        more = len(check.violations) - 1
        tail = f" ({more} more; run mgraph validate for the full list)" if more else ""
        raise EvidenceError(f"evidence is not well-formed: {first.sentence()}{tail}", node=first.focus)
    as_of = as_of or default_as_of(evidence.graph)
    graph_store = catalogue.store(store)
    graph_store.add_graph(evidence.graph)
    if chosen is None:
        chosen = frameworks_in_scope(graph_store, catalogue)
        if not chosen:
            raise MaturityGraphError("the evidence names no framework and addresses no requirement; choose one with --framework")
    claims = judge_claims(graph_store, as_of=as_of)
    current = current_evidence(evidence.graph, claims)
    result_graph = Graph()
    result_graph.namespace_manager = catalogue.names.namespace_manager
    assessments = []
    for fw in chosen:
        mine = [c for c in claims if c.framework == fw.iri]
        thresholds = effective_thresholds(graph_store, fw)
        outcomes = decide_requirements(fw, current, mine, catalogue=catalogue, thresholds=thresholds)
        base = f"{fw.id}/{as_of.isoformat()}/"
        rows_by_id = {row.requirement: row for row in catalogue.requirement_rows(fw)}
        req_graph = requirement_results_graph(outcomes, lambda r: RES[base + "requirement/" + rows_by_id[r].id])
        graph_store.add_graph(req_graph)
        result_graph += req_graph
        reached = derive_capability_stages(graph_store, fw)
        fa = _framework_results(fw, catalogue, outcomes, reached)
        fa.thresholds = thresholds
        result_graph += _results_graph(fa, fw, base, as_of, outcomes, rows_by_id)
        assessments.append(fa)
    log.debug("assessed %s as of %s", [fw.id for fw in chosen], as_of)
    return AssessmentResult(as_of=as_of, frameworks=assessments, graph=result_graph)


def _stage_ref(rules: FrameworkRules, rank: int | None) -> StageRef | None:
    if rank is None:
        return None
    stage = rules.stage_at(rank)
    return StageRef(stage.rank, stage.label, stage.iri) if stage else None


def _framework_results(
    fw: Framework,
    catalogue: Catalogue,
    outcomes: dict[URIRef, RequirementOutcome],
    reached: dict[URIRef, int],
) -> FrameworkAssessment:
    rules = catalogue.rules(fw)
    target = _stage_ref(rules, rules.target.rank) if rules.target else None
    by_capability: dict[URIRef, list[RequirementRow]] = {}
    for row in catalogue.requirement_rows(fw):
        by_capability.setdefault(row.place.capability, []).append(row)
    fa = FrameworkAssessment(framework=fw.id, label=fw.label, version=fw.version, target=target, requirements=outcomes)
    ids = {place.capability: place.capability_id for place in catalogue.structure(fw)}
    source_gaps: dict[URIRef, list] = {}
    for gap in catalogue.gaps(fw):
        if gap.criterion is not None:
            source_gaps.setdefault(gap.capability, []).append(gap)

    def distance(rank: int | None) -> int | None:
        return None if rank is None or target is None else max(0, target.rank - rank)

    def rule_of(level: URIRef):
        rule = rules.roll_up(level)
        if rule is None:
            return None
        return rule, rule.authority == MM.ChosenByMaturityGraph

    cap_rule = rule_of(MM.CapabilityLevel)
    capabilities: list[tuple[CapabilityRow, StageResult]] = []
    for place in catalogue.structure(fw):
        rows = by_capability.get(place.capability, [])
        assessed = any(outcomes[r.requirement].stated for r in rows)
        rank = reached.get(place.capability) if assessed else None
        gaps = tuple(
            Gap(r.id, r.text, r.requirement, outcomes[r.requirement].reason)
            for r in rows
            if rank is not None and r.rank == rank + 1 and not outcomes[r.requirement].satisfied
        ) + tuple(
            Gap(g.criterion_id, g.comment, g.criterion, "the source does not publish this stage, so it cannot be reached")
            for g in source_gaps.get(place.capability, [])
            if rank is not None and g.rank == rank + 1
        )
        note = None if assessed else "not assessed: no current evidence speaks to any of its requirements"
        result = StageResult(
            framework=fw.id,
            kind="capability",
            id=place.capability_id,
            label=place.capability_label,
            iri=place.capability,
            stage=_stage_ref(rules, rank),
            next_stage=_stage_ref(rules, rank + 1) if rank is not None else None,
            gaps=gaps,
            distance_to_target=distance(rank),
            rule=cap_rule[0].label if cap_rule else "cumulative gating",
            rule_is_ours=cap_rule[1] if cap_rule else True,
            note=note,
            dimension=place.dimension_id,
            capability_kind=CAPABILITY_KINDS.get(place.kind),
            aspect=ids.get(place.aspect) if place.aspect is not None else None,
        )
        capabilities.append((place, result))
        fa.results.append(result)

    dim_rule = rule_of(MM.DimensionLevel)
    dimensions: list[StageResult] = []
    if dim_rule:
        method = roll_up_method(dim_rule[0].method)
        part_kind = dim_rule[0].part_kind
        seen: dict[URIRef, list[tuple[CapabilityRow, StageResult]]] = {}
        for place, result in capabilities:
            if part_kind is None or place.kind == part_kind:
                seen.setdefault(place.dimension, []).append((place, result))
        for dimension, members in seen.items():
            dimensions.append(_rolled_up(fw, rules, "dimension", members[0][0].dimension_id, members[0][0].dimension_label,
                                         dimension, [r for _, r in members], method, dim_rule, distance))
        fa.results.extend(dimensions)
    overall_rule = rule_of(MM.OverallLevel)
    if overall_rule and dimensions:
        method = roll_up_method(overall_rule[0].method)
        fa.results.append(_rolled_up(fw, rules, "overall", fw.id, fw.label, fw.iri, dimensions, method, overall_rule, distance))
    return fa


def _rolled_up(fw, rules, kind, id_, label, iri, parts: list[StageResult], method, rule, distance) -> StageResult:
    rank = method([p.stage.rank if p.stage else None for p in parts])
    gaps: dict[str, Gap] = {}
    if rank is not None:
        for part in parts:
            if part.stage and part.stage.rank == rank:
                for gap in part.gaps:
                    gaps.setdefault(gap.id, gap)
    missing = [p.id for p in parts if p.stage is None]
    note = f"not assessed: {', '.join(missing)} not assessed" if missing else None
    return StageResult(
        framework=fw.id,
        kind=kind,
        id=id_,
        label=label,
        iri=iri,
        stage=_stage_ref(rules, rank),
        next_stage=_stage_ref(rules, rank + 1) if rank is not None else None,
        gaps=tuple(gaps.values()),
        distance_to_target=distance(rank),
        rule=rule[0].label,
        rule_is_ours=rule[1],
        parts=tuple(p.id for p in parts),
        note=note,
    )


def _results_graph(fa: FrameworkAssessment, fw: Framework, base: str, as_of: dt.date,
                   outcomes: dict[URIRef, RequirementOutcome], rows_by_id: dict[URIRef, RequirementRow]) -> Graph:
    graph = Graph()
    day = Literal(as_of.isoformat(), datatype=XSD.date)
    node_of = {}
    for result in fa.results:
        node = RES[f"{base}{result.kind}/{result.id}"]
        node_of[result.id] = node
        graph.add((node, RDF.type, KIND_CLASS[result.kind]))
        graph.add((node, RDFS.label, Literal(f"{result.label}: {result.stage.label if result.stage else 'not assessed'}", lang="en")))
        graph.add((node, EV.resultFor, result.iri))
        graph.add((node, EV.framework, fw.iri))
        graph.add((node, EV.asOf, day))
        graph.add((node, EV.assessed, Literal(result.assessed, datatype=XSD.boolean)))
        if result.stage:
            graph.add((node, EV.stageReached, result.stage.iri))
        if result.next_stage:
            graph.add((node, EV.nextStage, result.next_stage.iri))
        if result.distance_to_target is not None:
            graph.add((node, EV.distanceToTarget, Literal(result.distance_to_target, datatype=XSD.integer)))
        if result.note:
            graph.add((node, RDFS.comment, Literal(result.note, lang="en")))
        for gap in result.gaps:
            graph.add((node, EV.gap, gap.iri))
    for result in fa.results:
        node = node_of[result.id]
        for part in result.parts:
            graph.add((node, PROV.wasDerivedFrom, node_of[part]))
        if result.kind == "capability" and result.stage:
            for req, row in rows_by_id.items():
                if row.place.capability == result.iri and row.rank <= result.stage.rank:
                    for item in outcomes[req].evidence:
                        graph.add((node, EV.reliesOn, item))
    return graph
