"""Showing RDF terms to people: prefixed names where a prefix is known, plain text for literals."""
from __future__ import annotations

from rdflib import Graph, Literal
from rdflib.term import Node

from maturity_graph.rdf import prefixed


def show(term: Node | None, names: Graph) -> str:
    if term is None:
        return ""
    if isinstance(term, Literal):
        return str(term)
    return prefixed(term, names)


def json_value(term: Node | None):
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        return value if isinstance(value, (bool, int, float, str)) else str(term)
    return str(term)
