"""The result graph: a projection of the typed result objects, the same facts the JSON and table show.

Results are built once, as objects (result.py); this module writes them as triples. The
requirement results are written first, on their own, because the capability stages are derived
from them by a graph query (stage-reached.rq) before the rest of the objects exist.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD
from rdflib.term import Node

from ..catalogue import Catalogue, Framework, RequirementRow
from ..namespaces import EV, RES
from .requirements import RequirementOutcome
from .result import AssessmentResult, AssessmentScope, FrameworkAssessment

Triple = tuple[Node, Node, Node]
KIND_CLASS = {"capability": EV.CapabilityResult, "group": EV.GroupResult, "dimension": EV.DimensionResult,
              "tier": EV.TierResult, "overall": EV.OverallResult}


def result_base(framework: Framework, as_of: dt.date, scope: AssessmentScope | None) -> str:
    """Unique per assessment, framework and day, so results of many runs can share one store."""
    named = f"{scope.key}/" if scope is not None and scope.iri is not None else ""
    return f"{named}{framework.id}/{as_of.isoformat()}/"


def decided_triples(outcomes: Mapping[URIRef, RequirementOutcome]) -> list[Triple]:
    """What the stage queries read of the requirement outcomes, for an assessment's decided graph: one triple
    per requirement, `requirement ev:outcome outcome` (met and not applicable are satisfied), and
    `requirement ev:measured value` where current evidence measures it (coverage-sum.rq adds the values). A
    decided graph holds one assessment, so the requirement itself can stand for its result there."""
    triples: list[Triple] = [(requirement, EV.outcome, outcome.outcome) for requirement, outcome in outcomes.items()]
    triples += [(requirement, EV.measured, Literal(outcome.measured, datatype=XSD.decimal))
                for requirement, outcome in outcomes.items() if outcome.measured is not None]
    return triples


def requirement_triples(framework: Framework, as_of: dt.date, outcomes: Mapping[URIRef, RequirementOutcome],
                        rows: Mapping[URIRef, RequirementRow], scope: AssessmentScope | None) -> list[Triple]:
    """The requirement outcomes as ev:RequirementResult nodes: triples, not a graph, since the result graph
    is built from them (an rdflib graph per framework would index them for nothing)."""
    triples: list[Triple] = []
    base = result_base(framework, as_of, scope)
    assessment = scope.iri if scope is not None else None
    for requirement, outcome in outcomes.items():
        node = RES[f"{base}requirement/{rows[requirement].id}"]
        if assessment is not None:
            triples.append((node, EV.assessment, assessment))
        triples += [(node, RDF.type, EV.RequirementResult), (node, EV.requirement, requirement),
                    (node, EV.outcome, outcome.outcome),
                    (node, EV.satisfied, Literal(outcome.satisfied, datatype=XSD.boolean)),
                    (node, RDFS.comment, Literal(outcome.reason, lang="en"))]
        if outcome.measured is not None:
            triples.append((node, EV.measured, Literal(outcome.measured, datatype=XSD.decimal)))
        triples += [(node, EV.reliesOn, item) for item in outcome.evidence]
    return triples


def result_graph(result: AssessmentResult, catalogue: Catalogue) -> Graph:
    """Every framework's requirement, capability, dimension, tier and overall results as triples."""
    graph = Graph()
    graph.namespace_manager = catalogue.names.namespace_manager
    for scope in result.scopes:
        graph += _scope_triples(scope)
    for fa in result.frameworks:
        framework = catalogue.get(fa.framework)
        rows = {row.requirement: row for row in catalogue.requirement_rows(framework)}
        day = fa.as_of or result.as_of
        graph.addN((*triple, graph) for triple in requirement_triples(framework, day, fa.requirements, rows, fa.scope))
        graph += _stage_results(fa, framework, day, rows)
    graph += _portfolio_results(result)
    return graph


def _portfolio_results(result: AssessmentResult) -> Graph:
    """ev:PortfolioResult nodes, named by the assessments they span so that two portfolios never share one."""
    graph = Graph()
    if not result.portfolio:
        return graph
    span = hashlib.sha256(" ".join(sorted(s.key for s in result.scopes)).encode()).hexdigest()[:12]
    day = Literal(result.as_of.isoformat(), datatype=XSD.date)
    for found in result.portfolio:
        node = RES[f"portfolio/{span}/{found.framework}/{found.kind}/{found.id}"]
        graph.add((node, RDF.type, EV.PortfolioResult))
        graph.add((node, RDFS.label, Literal(f"{found.label}: across {found.subjects} subjects", lang="en")))
        graph.add((node, EV.resultFor, found.iri))
        graph.add((node, EV.framework, result.catalogue.get(found.framework).iri))
        graph.add((node, EV.asOf, day))
        graph.add((node, EV.rule, found.rule.iri))
        graph.add((node, EV.count, Literal(found.subjects, datatype=XSD.integer)))
        graph.add((node, EV.assessedCount, Literal(found.assessed, datatype=XSD.integer)))
        if found.lowest is not None:
            graph.add((node, EV.lowestStage, found.lowest.iri))
        if found.median is not None:
            graph.add((node, EV.medianStage, found.median.iri))
        for count in found.counts:
            rank = count.stage.rank if count.stage is not None else 0
            tally = RES[f"portfolio/{span}/{found.framework}/{found.kind}/{found.id}/{rank}"]
            graph.add((node, EV.stageCount, tally))
            graph.add((tally, EV.count, Literal(count.subjects, datatype=XSD.integer)))
            if count.stage is not None:
                graph.add((tally, EV.stageReached, count.stage.iri))
            else:  # assessed, below the first stage: no stage to name
                graph.add((tally, RDFS.label, Literal("below the first stage", lang="en")))
    return graph


def _scope_triples(scope: AssessmentScope) -> Graph:
    """The assessment and its subject, named in the result graph so that it stands on its own."""
    graph = Graph()
    if scope.iri is None:
        return graph
    graph.add((scope.iri, RDF.type, EV.Assessment))
    if scope.date is not None:
        graph.add((scope.iri, EV.assessmentDate, Literal(scope.date.isoformat(), datatype=XSD.date)))
    if scope.subject is not None:
        graph.add((scope.iri, EV.subject, scope.subject.iri))
        graph.add((scope.subject.iri, RDFS.label, Literal(scope.subject.label)))
        graph.add((scope.subject.iri, EV.identifier, Literal(scope.subject.id)))
    return graph


def _stage_results(fa: FrameworkAssessment, framework: Framework, as_of: dt.date,
                   rows: Mapping[URIRef, RequirementRow]) -> Graph:
    graph = Graph()
    base = result_base(framework, as_of, fa.scope)
    day = Literal(as_of.isoformat(), datatype=XSD.date)
    assessment = fa.scope.iri if fa.scope is not None else None
    node_of = {}
    for result in fa.results:
        node = RES[f"{base}{result.kind}/{result.id}"]
        node_of[result.id] = node
        graph.add((node, RDF.type, KIND_CLASS[result.kind]))
        stage_label = result.stage.label if result.stage else "not assessed"
        graph.add((node, RDFS.label, Literal(f"{result.label}: {stage_label}", lang="en")))
        graph.add((node, EV.resultFor, result.iri))
        graph.add((node, EV.framework, framework.iri))
        graph.add((node, EV.asOf, day))
        if assessment is not None:
            graph.add((node, EV.assessment, assessment))
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
            for req, row in rows.items():
                if row.place.capability == result.iri and row.rank <= result.stage.rank:
                    for item in fa.requirements[req].evidence:
                        graph.add((node, EV.reliesOn, item))
    return graph
