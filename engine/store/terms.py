"""Typed reading of the terms in a query's rows, which are `Node | None` whatever the query says.

The engine's own queries bind some variables to an IRI or a literal in every row; a different term
there is a bug in the query (or the bundled content), not bad input, so it is an internal error.
"""
from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.term import Node


def iri(term: Node | None) -> URIRef:
    """A term the query always binds to an IRI."""
    if not isinstance(term, URIRef):
        raise AssertionError(f"expected an IRI from the query, got {term!r}")
    return term


def literal(term: Node | None) -> Literal:
    """A term the query always binds to a literal."""
    if not isinstance(term, Literal):
        raise AssertionError(f"expected a literal from the query, got {term!r}")
    return term
