"""The mapping data every crosswalk module shares: set relations (NIST IR 8477) and mappings."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from enum import StrEnum

from rdflib import URIRef
from rdflib.term import Node

from ..namespaces import MM


class Relation(StrEnum):
    """The five set-theory relations, named as in the SSSOM extension column `strm_relation`."""

    EQUAL = "equal"
    SUBSET_OF = "subset_of"
    SUPERSET_OF = "superset_of"
    INTERSECTS_WITH = "intersects_with"
    NOT_RELATED = "not_related"

    @property
    def inverse(self) -> Relation:
        return {Relation.SUBSET_OF: Relation.SUPERSET_OF, Relation.SUPERSET_OF: Relation.SUBSET_OF}.get(self, self)

    @property
    def iri(self) -> URIRef:
        return RELATION_IRIS[self]

    @classmethod
    def from_iri(cls, iri: Node) -> Relation:
        return next(r for r, i in RELATION_IRIS.items() if i == iri)


RELATION_IRIS = {
    Relation.EQUAL: MM.Equal,
    Relation.SUBSET_OF: MM.SubsetOf,
    Relation.SUPERSET_OF: MM.SupersetOf,
    Relation.INTERSECTS_WITH: MM.IntersectsWith,
    Relation.NOT_RELATED: MM.NotRelated,
}

# SSSOM predicate for each relation (subject relation object); "not related" is relatedMatch
# with predicate_modifier Not.
SSSOM_PREDICATES = {
    Relation.EQUAL: "skos:exactMatch",
    Relation.SUBSET_OF: "skos:broadMatch",
    Relation.SUPERSET_OF: "skos:narrowMatch",
    Relation.INTERSECTS_WITH: "skos:relatedMatch",
    Relation.NOT_RELATED: "skos:relatedMatch",
}

RATIONALES = ("syntactic", "semantic", "functional")
REVIEW_STATUSES = ("reviewed", "unreviewed", "rejected")


@dataclass(frozen=True)
class Mapping:
    """One mapping from a criterion or capability of one framework to one of another.

    `relations` holds one relation for a curated or derived mapping, and the set still possible
    for a composed one.
    """

    subject: URIRef
    object: URIRef
    relations: frozenset[Relation]
    strength: int | None = None
    confidence: float | None = None
    rationale: str | None = None
    justification: str = "semapv:ManualMappingCuration"
    author: tuple[str, ...] = ()
    reviewer: tuple[str, ...] = ()
    date: dt.date | None = None
    review_status: str = "unreviewed"
    comment: str | None = None
    shared: tuple[URIRef, ...] = ()
    subject_only: tuple[URIRef, ...] = ()
    object_only: tuple[URIRef, ...] = ()
    source: str | None = None
    via: tuple[Mapping, ...] = field(default=(), compare=False)

    @property
    def relation(self) -> Relation | None:
        """The single relation, or None for a composed mapping that leaves several possible."""
        return next(iter(self.relations)) if len(self.relations) == 1 else None

    @property
    def reviewed(self) -> bool:
        return self.review_status == "reviewed"

    def reversed(self) -> Mapping:
        """The same mapping read from the object's side: ends swapped, relations inverted."""
        return replace(self, subject=self.object, object=self.subject,
                       relations=frozenset(r.inverse for r in self.relations),
                       subject_only=self.object_only, object_only=self.subject_only)


MAPPING_BASE = "https://w3id.org/maturity-graph/mapping/"
FRAMEWORK_BASE = "https://w3id.org/maturity-graph/framework/"


def local_part(iri: URIRef) -> str:
    """The last path segment of an IRI (criteria, capabilities and requirements have readable ones)."""
    return str(iri).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def element_local(iri: URIRef) -> str:
    """A framework element's local name qualified by its framework id (`sbd-risk-assessment-level-5`),
    so that names from two frameworks cannot collide."""
    text = str(iri)
    if text.startswith(FRAMEWORK_BASE):
        parts = text[len(FRAMEWORK_BASE):].split("/")
        if len(parts) >= 3:
            return f"{parts[0]}-{parts[-1]}"
    return local_part(iri)


def mapping_iri(mapping: Mapping) -> URIRef:
    """A stable IRI for a mapping: its set (the file's stem, or `derived`) and its two ends."""
    collection = mapping.source or "derived"
    return URIRef(f"{MAPPING_BASE}{collection}/{element_local(mapping.subject)}--{element_local(mapping.object)}")
