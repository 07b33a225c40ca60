"""The result graph: a projection of the typed result objects, the same facts the JSON and table show.

Results are built once, as objects (result.py); this module writes them as triples. The
requirement results are written first, on their own, because the capability stages are derived
from them by a graph query (stage-reached.rq) before the rest of the objects exist.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD
from rdflib.term import Node

from ..catalogue import Catalogue, Framework, RequirementRow
from ..namespaces import EV, RES
from .requirements import RequirementOutcome
from .result import AssessmentResult, FrameworkAssessment

Triple = tuple[Node, Node, Node]
KIND_CLASS = {"capability": EV.CapabilityResult, "dimension": EV.DimensionResult, "tier": EV.TierResult,
              "overall": EV.OverallResult}


def result_base(framework: Framework, as_of: dt.date) -> str:
    return f"{framework.id}/{as_of.isoformat()}/"


def requirement_triples(framework: Framework, as_of: dt.date, outcomes: Mapping[URIRef, RequirementOutcome],
                        rows: Mapping[URIRef, RequirementRow]) -> list[Triple]:
    """The requirement outcomes as ev:RequirementResult nodes: triples, not a graph, since the pipeline
    writes them straight into the run's store (an rdflib graph would index them for nothing)."""
    triples: list[Triple] = []
    base = result_base(framework, as_of)
    for requirement, outcome in outcomes.items():
        node = RES[f"{base}requirement/{rows[requirement].id}"]
        triples += [(node, RDF.type, EV.RequirementResult), (node, EV.requirement, requirement),
                    (node, EV.outcome, outcome.outcome),
                    (node, EV.satisfied, Literal(outcome.satisfied, datatype=XSD.boolean)),
                    (node, RDFS.comment, Literal(outcome.reason, lang="en"))]
        triples += [(node, EV.reliesOn, item) for item in outcome.evidence]
    return triples


def result_graph(result: AssessmentResult, catalogue: Catalogue) -> Graph:
    """Every framework's requirement, capability, dimension, tier and overall results as triples."""
    graph = Graph()
    graph.namespace_manager = catalogue.names.namespace_manager
    for fa in result.frameworks:
        framework = catalogue.get(fa.framework)
        rows = {row.requirement: row for row in catalogue.requirement_rows(framework)}
        graph.addN((*triple, graph) for triple in requirement_triples(framework, result.as_of, fa.requirements, rows))
        graph += _stage_results(fa, framework, result.as_of, rows)
    return graph


def _stage_results(fa: FrameworkAssessment, framework: Framework, as_of: dt.date,
                   rows: Mapping[URIRef, RequirementRow]) -> Graph:
    graph = Graph()
    base = result_base(framework, as_of)
    day = Literal(as_of.isoformat(), datatype=XSD.date)
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
