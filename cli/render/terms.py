"""Showing RDF terms to people: prefixed names where a prefix is known, plain text for literals."""
from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node


def show(term: Node | None, names: Graph) -> str:
    if term is None:
        return ""
    if isinstance(term, Literal):
        return str(term)
    if isinstance(term, URIRef):
        try:
            return names.namespace_manager.normalizeUri(term)
        except Exception:  # rdflib cannot split every IRI into prefix and name
            return str(term)
    return term.n3()


def json_value(term: Node | None):
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        return value if isinstance(value, (bool, int, float, str)) else str(term)
    return str(term)
