"""The assessment pipeline: well-formedness, freshness, requirement shapes, stages, roll-ups."""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from .. import bundled
from ..catalogue import Catalogue, Framework, RequirementRow, load_catalogue
from ..errors import EvidenceError, MaturityGraphError
from ..evidence.freshness import current_evidence, default_as_of, judge_claims
from ..evidence.load import EvidenceSet, load_evidence
from ..namespaces import EV, EVIDENCE_GRAPH, RES, RESULTS_GRAPH
from ..store import Store
from ..validate.wellformed import validate_evidence
from .capabilities import capability_results
from .context import FrameworkContext
from .overrides import attach_overrides, validity_overrides
from .requirements import RequirementOutcome, decide_requirements
from .result import AssessmentResult, FrameworkAssessment
from .rollup import dimension_results, overall_result, tier_results
from .stages import derive_capability_stages, requirement_results_graph
from .thresholds import effective_thresholds
from .weightings import effective_weightings

log = logging.getLogger(__name__)

KIND_CLASS = {"capability": EV.CapabilityResult, "dimension": EV.DimensionResult, "tier": EV.TierResult,
              "overall": EV.OverallResult}


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
    graph_store.add_graph(evidence.graph, into=EVIDENCE_GRAPH)
    if chosen is None:
        chosen = frameworks_in_scope(graph_store, catalogue)
        if not chosen:
            raise MaturityGraphError(
                "the evidence names no framework and addresses no requirement; choose one with --framework")
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
        req_graph = requirement_results_graph(
            outcomes, lambda r, base=base, rows=rows_by_id: RES[base + "requirement/" + rows[r].id])
        graph_store.add_graph(req_graph, into=RESULTS_GRAPH)
        result_graph += req_graph
        reached = derive_capability_stages(graph_store, fw)
        weights = effective_weightings(graph_store, fw)
        ctx = FrameworkContext.build(fw, catalogue, outcomes, reached, weights)
        fa = _framework_results(ctx)
        fa.thresholds = thresholds
        fa.weights = [w for by_part in weights.values() for w in by_part.values()]
        attach_overrides(fa, ctx, thresholds=thresholds, weights=fa.weights,
                         validity=validity_overrides(graph_store, fw), rows=rows_by_id, names=catalogue.names)
        result_graph += _results_graph(fa, fw, base, as_of, outcomes, rows_by_id)
        assessments.append(fa)
    log.debug("assessed %s as of %s", [fw.id for fw in chosen], as_of)
    return AssessmentResult(as_of=as_of, frameworks=assessments, graph=result_graph)


def _framework_results(ctx: FrameworkContext) -> FrameworkAssessment:
    fw = ctx.framework
    fa = FrameworkAssessment(framework=fw.id, label=fw.label, version=fw.version, target=ctx.target,
                             requirements=ctx.outcomes)
    capabilities = capability_results(ctx)
    dimensions = dimension_results(ctx, capabilities)
    tiers = tier_results(ctx, capabilities)
    fa.results = capabilities + dimensions + tiers + overall_result(ctx, capabilities, dimensions)
    return fa


def _results_graph(fa: FrameworkAssessment, fw: Framework, base: str, as_of: dt.date,
                   outcomes: dict[URIRef, RequirementOutcome], rows_by_id: dict[URIRef, RequirementRow]) -> Graph:
    graph = Graph()
    day = Literal(as_of.isoformat(), datatype=XSD.date)
    node_of = {}
    for result in fa.results:
        node = RES[f"{base}{result.kind}/{result.id}"]
        node_of[result.id] = node
        graph.add((node, RDF.type, KIND_CLASS[result.kind]))
        stage_label = result.stage.label if result.stage else "not assessed"
        graph.add((node, RDFS.label, Literal(f"{result.label}: {stage_label}", lang="en")))
        graph.add((node, EV.resultFor, result.iri))
        graph.add((node, EV.framework, fw.iri))
        graph.add((node, EV.asOf, day))
        graph.add((node, EV.assessed, Literal(result.assessed, datatype=XSD.boolean)))
        if result.stage:
            graph.add((node, EV.stageReached, result.stage.iri))
        if result.next_stage:
            graph.add((node, EV.nextStage, result.next_stage.iri))
        if result.score is not None:
            graph.add((node, EV.score, Literal(str(result.score), datatype=XSD.decimal)))
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
