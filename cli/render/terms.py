"""Showing RDF terms to people: prefixed names where the project's prefix map (the one `mgraph query`
predeclares) fits, so a name shown can be pasted back into a query; plain text for literals."""
from __future__ import annotations

import math

from rdflib import Literal, URIRef
from rdflib.term import Node

from maturity_graph import compact_iri


def show(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, Literal):
        return str(term)
    if isinstance(term, URIRef):
        return compact_iri(str(term)) or f"<{term}>"
    return term.n3()


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
