"""Thresholds a framework leaves open: defaults from the framework, overrides from the evidence.

A threshold is data (mm:Threshold with mm:defaultValue and mm:authority); the requirement's
shape carries the same number as sh:minInclusive on the property shape the threshold
mm:constrains. An organisation's ev:ThresholdSetting replaces that number in a copy of the
shapes graph before validation, so the shape stays the single place the rule is decided.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SH, XSD
from rdflib.term import Node

from ..catalogue import Framework
from ..errors import EvidenceError
from ..namespaces import MM
from ..store.terms import iri as iri_of

if TYPE_CHECKING:
    from ..run import Run


@dataclass(frozen=True)
class ThresholdValue:
    """The value a threshold has in one assessment, and where it comes from."""

    id: str
    iri: URIRef
    requirement: URIRef
    value: Decimal
    default: Decimal
    ours: bool
    overridden: bool
    shape: URIRef

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "value": float(self.value),
            "default": float(self.default),
            "chosen_by": "organisation" if self.overridden else ("maturity-graph" if self.ours else "source"),
        }


def effective_thresholds(run: Run, framework: Framework, assessments: Sequence[URIRef | None]
                         ) -> dict[URIRef | None, list[ThresholdValue]]:
    """Each assessment's thresholds (None: evidence that names no ev:Assessment, which overrides none), read
    with one query for all of them."""
    rows = run.query("thresholds.rq", __package__, framework=framework.iri)
    return {assessment: _thresholds_of(rows, assessment) for assessment in dict.fromkeys(assessments)}


def _thresholds_of(rows: Sequence[Mapping[str, Node | None]], assessment: URIRef | None) -> list[ThresholdValue]:
    found: dict[URIRef, ThresholdValue] = {}
    for row in rows:
        iri = iri_of(row["threshold"])
        override = row["override"] if assessment is not None and row["assessment"] == assessment else None
        if iri in found and (override is None or found[iri].overridden):
            if override is not None and Decimal(str(override)) != found[iri].value:
                raise EvidenceError(
                    f"two different values are given for threshold {row['id']}; keep one ev:ThresholdSetting",
                    node=str(iri))
            continue
        default = Decimal(str(row["default"]))
        value = Decimal(str(override)) if override is not None else default
        found[iri] = ThresholdValue(str(row["id"]), iri, iri_of(row["requirement"]), value, default,
                                    row["authority"] == MM.ChosenByMaturityGraph, override is not None,
                                    iri_of(row["shape"]))
    return sorted(found.values(), key=lambda t: t.id)


def apply_thresholds(shapes: Graph, thresholds: list[ThresholdValue]) -> Graph:
    """The shapes graph with every overridden threshold's sh:minInclusive set to the organisation's value."""
    changed = [t for t in thresholds if t.overridden]
    if not changed:
        return shapes
    graph = Graph()
    graph += shapes
    for t in changed:
        graph.set((t.shape, SH.minInclusive, Literal(str(t.value), datatype=XSD.decimal)))
    return graph
