"""Literals that rdflib accepts but XSD does not.

rdflib reads "NaN"^^xsd:decimal (and "Infinity", "sNaN") as a Python Decimal, so pyshacl does not
mark it ill-typed and its range checks fail with decimal.InvalidOperation instead of reporting the
value. XSD's decimal lexical space is digits with an optional sign and point; anything else is
reported here by one query over the run's evidence graphs (malformed-decimals.rq).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..rdf import prefixed
from .report import Violation

if TYPE_CHECKING:
    from ..run import Run

MESSAGE = ("not an xsd:decimal: a decimal is digits with an optional sign and point "
           "(NaN and infinities are not decimals)")


def malformed_decimals(run: Run) -> list[Violation]:
    """A violation for each xsd:decimal literal outside XSD's lexical space."""
    names = run.catalogue.names
    return [Violation(focus=prefixed(row["s"], names) or "?", path=prefixed(row["p"], names),
                      value=prefixed(row["o"], names), message=MESSAGE, severity="Violation", source_shape=None,
                      file=run.source_of(row["s"]) if row["s"] is not None else None)
            for row in run.query("malformed-decimals.rq", __package__)]
