"""Literals that rdflib accepts but XSD does not.

rdflib reads "NaN"^^xsd:decimal (and "Infinity", "sNaN") as a Python Decimal, so pyshacl does not
mark it ill-typed and its range checks fail with decimal.InvalidOperation instead of reporting the
value. XSD's decimal lexical space is digits with an optional sign and point; anything else is
found by the evidence screen (validate/screen.py) and reported here.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..rdf import prefixed
from .report import Violation
from .screen import ScreenedTriple

if TYPE_CHECKING:
    from ..run import Run

MESSAGE = ("not an xsd:decimal: a decimal is digits with an optional sign and point "
           "(NaN and infinities are not decimals)")


def malformed_decimals(run: Run, screened: list[ScreenedTriple]) -> list[Violation]:
    """A violation for each xsd:decimal literal outside XSD's lexical space."""
    names = run.catalogue.names
    return [Violation(focus=prefixed(t.subject, names) or "?", path=prefixed(t.predicate, names),
                      value=prefixed(t.value, names), message=MESSAGE, severity="Violation", source_shape=None,
                      file=run.source_of(t.subject))
            for t in screened if t.bad_decimal]
