"""Crosswalks derived from concept sets (DESIGN.md section 5).

Every requirement carries SKOS concepts (`mm:concept`). The concept set of an element is the
union of the concepts of the requirements under it: for a criterion (a cell), those of its
`mm:requires`; for a capability, those of all its criteria. Baseline and source-gap criteria
have no requirements, hence no concept set, and are skipped.

Sets are compared after `skos:broader` closure: an element that asks for a concept also asks
for every broader one (phishing-resistant MFA is MFA), except the scheme's top concepts, which
are too general to relate anything. A concept *matches* when it is tagged on at least one side
and lies in both closed sets; siblings (MFA and single sign-on, both authentication) do not
match. Two elements of different frameworks relate as their closed sets do, by the five
set-theory relations of NIST IR 8477, with one rule of ours: equal, subset of and superset of
need at least `min_overlap` (2) matching concepts. One shared concept says the two elements
touch, not that one covers the other, so such a pair is proposed as intersects with.

SPARQL finds the pairs with a matching concept (`shared-concept-counts.rq`) and each element's
concepts with their closure (`concept-sets.rq`); the set comparison is `relation_between`, a
pure function. `closure=False` and `min_overlap=1` give the rule of maturity-graph 0.1
(concepts compared as tagged), which `crosswalk/precision.py` measures next to this one.
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
from ..catalogue import Catalogue, load_catalogue
from ..errors import InputError
from ..namespaces import MM
from ..store.interface import Store
from ..store.terms import iri, literal
from .model import Mapping, Relation, mapping_iri

log = logging.getLogger(__name__)

LEVELS = ("criterion", "capability")
MIN_OVERLAP = 2  # matching concepts needed before equal, subset of or superset of is proposed
CONTAINMENT = frozenset({Relation.EQUAL, Relation.SUBSET_OF, Relation.SUPERSET_OF})

Concepts = frozenset[URIRef]  # the concept IRIs of one element

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


def relation_between(sa: Concepts, sb: Concepts) -> Relation:
    """The NIST IR 8477 set-theory relation of concept set `sa` to concept set `sb`.

    Both sets must be non-empty: an element without concepts relates to nothing.
    """
    if not sa or not sb:
        raise ValueError(
            "relation_between compares non-empty concept sets; an element without concepts has no relation")
    if sa == sb:
        return Relation.EQUAL
    if sa < sb:
        return Relation.SUBSET_OF
    if sa > sb:
        return Relation.SUPERSET_OF
    if sa & sb:
        return Relation.INTERSECTS_WITH
    return Relation.NOT_RELATED


def strength_between(sa: Concepts, sb: Concepts) -> int:
    """NIST IR 8477 strength 1-10 of a derived mapping: ceil(10 x Jaccard(sa, sb)).

    The formula is maturity-graph's choice, not NIST's: IR 8477 leaves strength to the mapper.
    Sets that share nothing have strength 0 (there is no mapping to weigh).
    """
    union = len(sa | sb)
    return -(-10 * len(sa & sb) // union) if union else 0


def confidence_between(sa: Concepts, sb: Concepts) -> float:
    """The Jaccard index |sa & sb| / |sa | sb|, rounded to 3 places (maturity-graph's choice)."""
    union = len(sa | sb)
    return round(len(sa & sb) / union, 3) if union else 0.0


def derived_mapping(subject: URIRef, obj: URIRef, sa: Concepts, sb: Concepts, *,
                    matched: Concepts | None = None, min_overlap: int = 1) -> Mapping:
    """The derived mapping between two elements with (closed) concept sets `sa` and `sb` (pure).

    `matched` are the concepts that count towards `min_overlap` (by default `sa & sb`); with
    fewer of them, a containment relation is proposed as intersects with.
    """
    relation = relation_between(sa, sb)
    if relation in CONTAINMENT and len(sa & sb if matched is None else matched) < min_overlap:
        relation = Relation.INTERSECTS_WITH
    return Mapping(
        subject=subject,
        object=obj,
        relations=frozenset({relation}),
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


def matching_concepts(tagged_a: Concepts, tagged_b: Concepts, closed_a: Concepts, closed_b: Concepts) -> Concepts:
    """The concepts tagged on at least one side that both closed sets hold (pure): what two elements share."""
    return (tagged_a | tagged_b) & closed_a & closed_b


def concept_sets(framework: str | URIRef, *, level: str = "criterion", catalogue: Catalogue | None = None,
                 store: Store | None = None, closure: bool = False) -> dict[URIRef, frozenset[URIRef]]:
    """The concept set of every criterion or capability (as `level` says) of one framework:
    the concepts as tagged or, with `closure`, with every broader concept but the top ones.

    `framework` is an id (`sbd`, `sbd@2025-06-18`) from the catalogue, or the framework's IRI
    (a URIRef) for a framework held in the `store` you pass.
    """
    _check_level(level)
    store, catalogue = _store(store, catalogue)
    tagged, closed = _concept_sets(store, _framework_iri(framework, catalogue), level)
    return closed if closure else tagged


def derive_mappings(a: str | URIRef, b: str | URIRef, *, level: str = "criterion", catalogue: Catalogue | None = None,
                    min_shared: int = 1, min_overlap: int = MIN_OVERLAP, closure: bool = True,
                    store: Store | None = None) -> list[Mapping]:
    """One derived mapping per (element of A, element of B) pair with at least `min_shared` matching concepts.

    Elements are criteria or capabilities, as `level` says. Pairs with no matching concept are
    "not related" and are not listed. Relation, strength (ceil(10 x Jaccard), ours) and
    confidence (Jaccard) come from the two concept sets, closed under `skos:broader` unless
    `closure` is false; containment needs `min_overlap` matching concepts (see the module
    docstring and `derived_mapping`). Mappings are sorted by subject, then object. `a` and `b`
    are framework ids, or framework IRIs for frameworks in the `store` you pass (by default a
    new store of the bundled catalogue). The same framework twice is an InputError.
    """
    _check_level(level)
    _check_thresholds(min_shared, min_overlap)
    store, catalogue = _store(store, catalogue)
    fa, fb = _framework_iri(a, catalogue), _framework_iri(b, catalogue)
    if fa == fb:
        raise InputError(f"a crosswalk needs two different frameworks, got {a!r} and {b!r}, "
                         "which are the same framework")
    return _mappings(_shared_counts(store, fa, fb, level, closure), _concept_sets(store, fa, level),
                     _concept_sets(store, fb, level), min_shared, min_overlap, closure)


def derive_all(*, level: str = "criterion", catalogue: Catalogue | None = None, min_shared: int = 1,
               min_overlap: int = MIN_OVERLAP, closure: bool = True) -> dict[tuple[str, str], list[Mapping]]:
    """Derived mappings for every pair of distinct bundled frameworks (a, b) with a < b by id.

    Keys are (a, b) framework ids in that order; one store serves every pair.
    """
    _check_level(level)
    _check_thresholds(min_shared, min_overlap)
    catalogue = catalogue if catalogue is not None else load_catalogue()
    store = catalogue.content_store
    sets = {fw_id: _concept_sets(store, catalogue.get(fw_id).iri, level) for fw_id in catalogue.ids()}
    result: dict[tuple[str, str], list[Mapping]] = {}
    for a, b in combinations(catalogue.ids(), 2):
        rows = _shared_counts(store, catalogue.get(a).iri, catalogue.get(b).iri, level, closure)
        result[(a, b)] = _mappings(rows, sets[a], sets[b], min_shared, min_overlap, closure)
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


ConceptSets = tuple[dict[URIRef, Concepts], dict[URIRef, Concepts]]


def _mappings(rows: list[tuple[URIRef, URIRef, int]], sets_a: ConceptSets, sets_b: ConceptSets, min_shared: int,
              min_overlap: int, closure: bool) -> list[Mapping]:
    (tagged_a, closed_a), (tagged_b, closed_b) = sets_a, sets_b
    compared_a, compared_b = (closed_a, closed_b) if closure else (tagged_a, tagged_b)
    mappings = []
    for a, b, shared in rows:
        if shared < min_shared:
            continue
        matched = matching_concepts(tagged_a[a], tagged_b[b], compared_a[a], compared_b[b])
        if len(matched) != shared:  # the two queries disagree: a bug, not bad input
            raise AssertionError(f"{a} and {b}: {shared} matching concepts counted, {len(matched)} in their sets")
        mappings.append(derived_mapping(a, b, compared_a[a], compared_b[b], matched=matched, min_overlap=min_overlap))
    return sorted(mappings, key=lambda m: (str(m.subject), str(m.object)))


def _concept_sets(store: Store, framework: URIRef, level: str) -> ConceptSets:
    """Each element's tagged concepts and its closed set (tagged plus broader, top concepts left out)."""
    text = bundled.query_text(__package__, "concept-sets.rq")
    tagged: dict[URIRef, set[URIRef]] = defaultdict(set)
    closed: dict[URIRef, set[URIRef]] = defaultdict(set)
    for row in store.query(text, bindings={"framework": framework, "level": Literal(level)}).dicts():
        element, concept = iri(row["element"]), iri(row["concept"])
        closed[element].add(concept)
        if row["tag"] == concept:
            tagged[element].add(concept)
    return ({element: frozenset(concepts) for element, concepts in tagged.items()},
            {element: frozenset(concepts) for element, concepts in closed.items()})


def _shared_counts(store: Store, fa: URIRef, fb: URIRef, level: str, closure: bool) -> list[tuple[URIRef, URIRef, int]]:
    text = bundled.query_text(__package__, "shared-concept-counts.rq")
    bindings = {"frameworkA": fa, "frameworkB": fb, "level": Literal(level), "closure": Literal(closure)}
    return [(iri(row["a"]), iri(row["b"]), int(literal(row["shared"]).toPython()))
            for row in store.query(text, bindings=bindings).dicts()]


def _check_thresholds(min_shared: int, min_overlap: int) -> None:
    if min_shared < 1:
        raise ValueError(f"min_shared must be at least 1, not {min_shared}: pairs sharing nothing are not listed")
    if min_overlap < 1:
        raise ValueError(f"min_overlap must be at least 1, not {min_overlap}")


def _check_level(level: str) -> None:
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; use one of: {', '.join(LEVELS)}")


def _store(store: Store | None, catalogue: Catalogue | None) -> tuple[Store, Catalogue | None]:
    if store is None:
        catalogue = catalogue if catalogue is not None else load_catalogue()
        store = catalogue.content_store
    return store, catalogue


def _framework_iri(framework: str | URIRef, catalogue: Catalogue | None) -> URIRef:
    if isinstance(framework, URIRef):
        return framework
    return (catalogue if catalogue is not None else load_catalogue()).get(framework).iri
