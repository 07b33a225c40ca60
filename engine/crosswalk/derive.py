"""Crosswalks derived from concept sets (DESIGN.md section 5).

Every requirement carries SKOS concepts (`mm:concept`). The concept set of an element is the
union of the concepts of the requirements under it: for a criterion (a cell), those of its
`mm:requires`; for a capability, those of all its criteria. Baseline and source-gap criteria
have no requirements, hence no concept set, and are skipped.

Two elements of different frameworks relate as their concept sets do, by the five set-theory
relations of NIST IR 8477: equal, subset of, superset of, intersects with, not related.
SPARQL finds the pairs that share a concept (`shared-concept-counts.rq`) and each element's
concept set (`concept-sets.rq`); the set comparison is `relation_between`, a pure function.

Concepts are compared as given: `skos:broader` is not followed, so an element tagged
`cpt:phishing-resistant-mfa` and one tagged `cpt:mfa` share nothing.
"""
from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from itertools import combinations

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, XSD

from .. import bundled
from ..catalogue import load_catalogue
from ..namespaces import MM
from ..store.interface import Store
from .model import Mapping, Relation, mapping_iri

log = logging.getLogger(__name__)

LEVELS = ("criterion", "capability")

JUSTIFICATION = "semapv:SemanticSimilarityThresholdMatching"
AUTHOR = "mgraph:derive"

BASE = "https://w3id.org/maturity-graph/"
DERIVED = Namespace(BASE + "mapping/derived/")

# The CURIE prefixes derived mappings use in their string fields, and what they expand to.
CURIE_PREFIXES = {
    "semapv": "https://w3id.org/semapv/vocab/",
    "mgraph": BASE,
}

REVIEW_STATUS_IRIS = {"reviewed": MM.Reviewed, "unreviewed": MM.Unreviewed, "rejected": MM.Rejected}
RATIONALE_IRIS = {"syntactic": MM.Syntactic, "semantic": MM.Semantic, "functional": MM.Functional}


def relation_between(sa: frozenset, sb: frozenset) -> Relation:
    """The NIST IR 8477 set-theory relation of concept set `sa` to concept set `sb`.

    Both sets must be non-empty: an element without concepts relates to nothing.
    """
    if not sa or not sb:
        raise ValueError("relation_between compares non-empty concept sets; an element without concepts has no relation")
    if sa == sb:
        return Relation.EQUAL
    if sa < sb:
        return Relation.SUBSET_OF
    if sa > sb:
        return Relation.SUPERSET_OF
    if sa & sb:
        return Relation.INTERSECTS_WITH
    return Relation.NOT_RELATED


def strength_between(sa: frozenset, sb: frozenset) -> int:
    """NIST IR 8477 strength 1-10 of a derived mapping: ceil(10 x Jaccard(sa, sb)).

    The formula is maturity-graph's choice, not NIST's: IR 8477 leaves strength to the mapper.
    Sets that share nothing have strength 0 (there is no mapping to weigh).
    """
    union = len(sa | sb)
    return -(-10 * len(sa & sb) // union) if union else 0


def confidence_between(sa: frozenset, sb: frozenset) -> float:
    """The Jaccard index |sa & sb| / |sa | sb|, rounded to 3 places (maturity-graph's choice)."""
    union = len(sa | sb)
    return round(len(sa & sb) / union, 3) if union else 0.0


def derived_mapping(subject: URIRef, obj: URIRef, sa: frozenset, sb: frozenset) -> Mapping:
    """The derived mapping between two elements with concept sets `sa` and `sb` (pure)."""
    return Mapping(
        subject=subject,
        object=obj,
        relations=frozenset({relation_between(sa, sb)}),
        strength=strength_between(sa, sb),
        confidence=confidence_between(sa, sb),
        rationale="semantic",
        justification=JUSTIFICATION,
        author=(AUTHOR,),
        review_status="unreviewed",
        shared=tuple(sorted(sa & sb)),
        subject_only=tuple(sorted(sa - sb)),
        object_only=tuple(sorted(sb - sa)),
        date=None,
    )


def concept_sets(framework: str | URIRef, *, level: str = "criterion", catalogue=None,
                 store: Store | None = None) -> dict[URIRef, frozenset[URIRef]]:
    """The concept set of every criterion or capability (as `level` says) of one framework.

    `framework` is an id (`sbd`, `sbd@2025-06-18`) from the catalogue, or the framework's IRI
    (a URIRef) for a framework held in the `store` you pass.
    """
    _check_level(level)
    store, catalogue = _store(store, catalogue)
    return _concept_sets(store, _framework_iri(framework, catalogue), level)


def derive_mappings(a: str | URIRef, b: str | URIRef, *, level: str = "criterion", catalogue=None,
                    min_shared: int = 1, store: Store | None = None) -> list[Mapping]:
    """One derived mapping per (element of A, element of B) pair sharing at least `min_shared` concepts.

    Elements are criteria or capabilities, as `level` says. Pairs that share no concept are
    "not related" and are not listed. Relation, strength (ceil(10 x Jaccard), ours) and
    confidence (Jaccard) come from the two concept sets; see `derived_mapping`. Mappings are
    sorted by subject, then object. `a` and `b` are framework ids, or framework IRIs for
    frameworks in the `store` you pass (by default a new store of the bundled catalogue).
    """
    _check_level(level)
    if min_shared < 1:
        raise ValueError(f"min_shared must be at least 1, not {min_shared}: pairs sharing nothing are not listed")
    store, catalogue = _store(store, catalogue)
    return _derive(store, _framework_iri(a, catalogue), _framework_iri(b, catalogue), level, min_shared)


def derive_all(*, level: str = "criterion", catalogue=None, min_shared: int = 1) -> dict[tuple[str, str], list[Mapping]]:
    """Derived mappings for every pair of distinct bundled frameworks (a, b) with a < b by id.

    Keys are (a, b) framework ids in that order; one store serves every pair.
    """
    _check_level(level)
    store, catalogue = _store(None, catalogue)
    sets = {fw_id: _concept_sets(store, catalogue.get(fw_id).iri, level) for fw_id in catalogue.ids()}
    result = {}
    for a, b in combinations(catalogue.ids(), 2):
        rows = _shared_counts(store, catalogue.get(a).iri, catalogue.get(b).iri, level)
        result[(a, b)] = _mappings(rows, sets[a], sets[b], min_shared)
        log.debug("derived %d %s-level mappings %s -> %s", len(result[(a, b)]), level, a, b)
    return result


def derived_graph(mappings: Iterable[Mapping]) -> Graph:
    """The mappings as `mm:Mapping` nodes, one per mapping, with IRIs made from subject and object (pure).

    A mapping's IRI is `https://w3id.org/maturity-graph/mapping/derived/<subject>--<object>`,
    where each side is the element's local name, prefixed with its framework id when the
    element sits under `https://w3id.org/maturity-graph/framework/`.
    """
    graph = Graph()
    graph.bind("mm", MM)
    graph.bind("derived", DERIVED)
    for m in mappings:
        node = mapping_iri(m)
        graph.add((node, RDF.type, MM.Mapping))
        graph.add((node, MM.mapsFrom, m.subject))
        graph.add((node, MM.mapsTo, m.object))
        for relation in sorted(m.relations, key=lambda r: r.value):
            graph.add((node, MM.relation, relation.iri))
        if m.strength is not None:
            graph.add((node, MM.strength, Literal(m.strength, datatype=XSD.integer)))
        if m.confidence is not None:
            graph.add((node, MM.confidence, Literal(Decimal(str(m.confidence)), datatype=XSD.decimal)))
        graph.add((node, MM.reviewStatus, REVIEW_STATUS_IRIS[m.review_status]))
        if m.rationale is not None:
            graph.add((node, MM.rationale, RATIONALE_IRIS[m.rationale]))
        graph.add((node, MM.justification, expand_curie(m.justification)))
        for author in m.author:
            graph.add((node, MM.author, expand_curie(author)))
        if m.date is not None:
            graph.add((node, MM.mappingDate, Literal(m.date, datatype=XSD.date)))
        for prop, concepts in ((MM.sharedConcept, m.shared), (MM.subjectOnlyConcept, m.subject_only),
                               (MM.objectOnlyConcept, m.object_only)):
            for concept in concepts:
                graph.add((node, prop, concept))
    return graph


def expand_curie(value: str) -> URIRef:
    """A CURIE with one of `CURIE_PREFIXES` as an IRI; an IRI as itself."""
    prefix, sep, local = value.partition(":")
    if sep and prefix in CURIE_PREFIXES:
        return URIRef(CURIE_PREFIXES[prefix] + local)
    return URIRef(value)


def _derive(store: Store, fa: URIRef, fb: URIRef, level: str, min_shared: int) -> list[Mapping]:
    if fa == fb:
        raise ValueError(f"derive_mappings needs two different frameworks, got {fa} twice")
    rows = _shared_counts(store, fa, fb, level)
    return _mappings(rows, _concept_sets(store, fa, level), _concept_sets(store, fb, level), min_shared)


def _mappings(rows: list[tuple[URIRef, URIRef, int]], sets_a: dict, sets_b: dict, min_shared: int) -> list[Mapping]:
    mappings = []
    for a, b, shared in rows:
        if shared < min_shared:
            continue
        mapping = derived_mapping(a, b, sets_a[a], sets_b[b])
        if len(mapping.shared) != shared:  # the two queries disagree: a bug, not bad input
            raise AssertionError(f"{a} and {b}: {shared} shared concepts counted, {len(mapping.shared)} in their sets")
        mappings.append(mapping)
    return sorted(mappings, key=lambda m: (str(m.subject), str(m.object)))


def _concept_sets(store: Store, framework: URIRef, level: str) -> dict[URIRef, frozenset[URIRef]]:
    text = bundled.query_text(__package__, "concept-sets.rq")
    collected: dict[URIRef, set[URIRef]] = defaultdict(set)
    for row in store.query(text, bindings={"framework": framework, "level": Literal(level)}).dicts():
        collected[row["element"]].add(row["concept"])
    return {element: frozenset(concepts) for element, concepts in collected.items()}


def _shared_counts(store: Store, fa: URIRef, fb: URIRef, level: str) -> list[tuple[URIRef, URIRef, int]]:
    text = bundled.query_text(__package__, "shared-concept-counts.rq")
    answer = store.query(text, bindings={"frameworkA": fa, "frameworkB": fb, "level": Literal(level)})
    return [(row["a"], row["b"], int(row["shared"])) for row in answer.dicts()]


def _check_level(level: str) -> None:
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; use one of: {', '.join(LEVELS)}")


def _store(store: Store | None, catalogue):
    if store is None:
        catalogue = catalogue if catalogue is not None else load_catalogue()
        store = catalogue.store()
    return store, catalogue


def _framework_iri(framework: str | URIRef, catalogue) -> URIRef:
    if isinstance(framework, URIRef):
        return framework
    return (catalogue if catalogue is not None else load_catalogue()).get(framework).iri
