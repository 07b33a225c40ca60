"""Showing RDF terms to people: prefixed names where a prefix is known, plain text for literals."""
from __future__ import annotations

import math

from rdflib import Graph, Literal
from rdflib.term import Node

from maturity_graph import prefixed


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
        if isinstance(value, float) and not math.isfinite(value):
            # JSON has no such numbers: the value as XSD writes it, a string
            return "NaN" if math.isnan(value) else ("INF" if value > 0 else "-INF")
        return value if isinstance(value, (bool, int, float, str)) else str(term)
    return str(term)
