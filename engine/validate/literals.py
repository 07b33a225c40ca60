"""Literals that rdflib accepts but XSD does not.

rdflib reads "NaN"^^xsd:decimal (and "Infinity", "sNaN") as a Python Decimal, so it is not
marked ill-typed, and pyshacl's range checks then fail with decimal.InvalidOperation instead of
reporting the value. XSD's decimal lexical space is digits with an optional sign and point;
anything else is reported here, and kept out of the graph the shapes see.
"""
from __future__ import annotations

import re
from collections.abc import Mapping

from rdflib import Graph, Literal
from rdflib.namespace import XSD
from rdflib.term import Node

from ..rdf import prefixed
from .report import Violation

DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


def malformed_decimals(evidence: Graph, *, names: Graph, origin: Mapping[Node, str] | None = None
                       ) -> tuple[list[Violation], list[tuple[Node, Node, Node]]]:
    """Violations for xsd:decimal literals outside XSD's lexical space, and the triples that hold them."""
    found, triples = [], []
    for s, p, o in evidence:
        if isinstance(o, Literal) and o.datatype == XSD.decimal and not DECIMAL.fullmatch(str(o).strip()):
            triples.append((s, p, o))
            found.append(Violation(focus=prefixed(s, names) or "?", path=prefixed(p, names), value=prefixed(o, names),
                                   message="not an xsd:decimal: a decimal is digits with an optional sign and point "
                                           "(NaN and infinities are not decimals)",
                                   severity="Violation", source_shape=None, file=(origin or {}).get(s)))
    return found, triples
