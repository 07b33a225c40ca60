"""Capability stages by cumulative gating, derived with SPARQL over requirement results."""
from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from .. import bundled
from ..catalogue import Framework
from ..namespaces import EV
from ..store import Store
from .requirements import RequirementOutcome


def requirement_results_graph(outcomes: dict[URIRef, RequirementOutcome], node_for) -> Graph:
    """The requirement outcomes as ev:RequirementResult triples."""
    graph = Graph()
    for requirement, outcome in outcomes.items():
        node = node_for(requirement)
        graph.add((node, RDF.type, EV.RequirementResult))
        graph.add((node, EV.requirement, requirement))
        graph.add((node, EV.outcome, outcome.outcome))
        graph.add((node, EV.satisfied, Literal(outcome.satisfied, datatype=XSD.boolean)))
        graph.add((node, RDFS.comment, Literal(outcome.reason, lang="en")))
        for item in outcome.evidence:
            graph.add((node, EV.reliesOn, item))
    return graph


def derive_capability_stages(store: Store, framework: Framework) -> dict[URIRef, int]:
    """Highest rank each capability holds; the store must already hold the requirement results."""
    text = bundled.query_text(__package__, "stage-reached.rq")
    rows = store.query(text, bindings={"framework": framework.iri}).dicts()
    return {row["capability"]: int(row["reached"]) for row in rows}
