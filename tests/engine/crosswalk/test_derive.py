"""Derived crosswalks: concept-set relations, the two derive queries, and the mapping graph."""
from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib import namespace as ns
from rdflib.compare import isomorphic

from maturity_graph.catalogue import load_catalogue
from maturity_graph.crosswalk.derive import (
    AUTHOR,
    CONTAINMENT,
    JUSTIFICATION,
    MIN_OVERLAP,
    concept_sets,
    confidence_between,
    derive_all,
    derive_mappings,
    derived_graph,
    derived_mapping,
    mapping_iri,
    matching_concepts,
    relation_between,
    strength_between,
)
from maturity_graph.crosswalk.model import Relation
from maturity_graph.errors import InputError
from maturity_graph.namespaces import MM
from tests.conftest import REPO
from tests.engine.store.server import store_of_kind

EX = Namespace("https://example.org/")
CPT = Namespace("https://w3id.org/maturity-graph/concept/")
SBD = Namespace("https://w3id.org/maturity-graph/framework/sbd/2025-06-18/")
ZTMM = Namespace("https://w3id.org/maturity-graph/framework/ztmm/2.0/")
SEMAPV = Namespace("https://w3id.org/semapv/vocab/")
FIXTURE = REPO / "tests" / "data" / "crosswalk" / "two-frameworks.ttl"


def s(*names: str) -> frozenset:
    return frozenset(EX[n] for n in names)


# --- relation_between, pure -------------------------------------------------------------------

@pytest.mark.parametrize(
    ("sa", "sb", "expected"),
    [
        (s("x", "y"), s("y", "x"), Relation.EQUAL),
        (s("x"), s("x", "y"), Relation.SUBSET_OF),
        (s("x", "y", "z"), s("z"), Relation.SUPERSET_OF),
        (s("x", "y"), s("y", "z"), Relation.INTERSECTS_WITH),
        (s("x"), s("y", "z"), Relation.NOT_RELATED),
    ],
)
def test_relation_between_gives_each_of_the_five_relations(sa, sb, expected):
    assert relation_between(sa, sb) is expected
    assert relation_between(sb, sa) is expected.inverse


def test_relation_between_refuses_an_empty_set():
    with pytest.raises(ValueError, match="non-empty"):
        relation_between(frozenset(), s("x"))


def test_strength_is_ceil_of_ten_times_jaccard_and_confidence_is_jaccard():
    assert strength_between(s("x", "y"), s("x", "y")) == 10
    assert confidence_between(s("x", "y"), s("x", "y")) == 1.0
    # 1 shared of 3: 10/3 = 3.33 -> 4
    assert strength_between(s("x", "y"), s("y", "z")) == 4
    assert confidence_between(s("x", "y"), s("y", "z")) == 0.333
    # 1 shared of 10: exactly 1, no float rounding up to 2
    ten = [f"c{i}" for i in range(10)]
    assert strength_between(s(ten[0]), s(*ten)) == 1
    assert strength_between(s("x"), s("y")) == 0


# --- the fixture: two made-up frameworks ------------------------------------------------------

@pytest.fixture(scope="module", params=["oxigraph", "endpoint"])
def fixture_store(request, tmp_path_factory):
    with store_of_kind(request.param, tmp_path_factory) as store:
        store.load(FIXTURE.read_bytes(), fmt="turtle", source=str(FIXTURE))
        yield store


def _triples(mappings):
    return [(m.subject.removeprefix(str(EX)), m.object.removeprefix(str(EX)), m.relation.value) for m in mappings]


def test_concept_sets_per_criterion_skip_the_baseline(fixture_store):
    sets = concept_sets(EX["fw-a"], level="criterion", store=fixture_store)
    assert sets == {
        EX["a-c1"]: s("x", "y"),
        EX["a-c2"]: s("x"),
        EX["a-c3"]: s("p", "q"),
        EX["a-c4"]: s("z"),
        EX["a-c5"]: s("x", "y", "w", "v"),
    }


def test_concept_sets_per_capability_are_unions_of_their_criteria(fixture_store):
    sets = concept_sets(EX["fw-b"], level="capability", store=fixture_store)
    assert sets == {EX["b-cap1"]: s("x", "y", "w"), EX["b-cap2"]: s("q", "r", "m")}


OLD_RULE = {"closure": False, "min_overlap": 1}  # maturity-graph 0.1: as tagged, any overlap


def test_fixture_criterion_mappings_under_the_old_rule(fixture_store):
    mappings = derive_mappings(EX["fw-a"], EX["fw-b"], store=fixture_store, **OLD_RULE)
    assert _triples(mappings) == [
        ("a-c1", "b-c1", "equal"),
        ("a-c1", "b-c2", "subset_of"),
        ("a-c2", "b-c1", "subset_of"),
        ("a-c2", "b-c2", "subset_of"),
        ("a-c3", "b-c3", "intersects_with"),
        ("a-c5", "b-c1", "superset_of"),
        ("a-c5", "b-c2", "superset_of"),
    ]
    c3 = mappings[4]
    assert (c3.shared, c3.subject_only, c3.object_only) == ((EX.q,), (EX.p,), (EX.r,))
    assert (c3.strength, c3.confidence) == (4, 0.333)


def test_fixture_one_shared_concept_no_longer_gives_subset_of(fixture_store):
    # a-c2 {x} and b-c1 {x y}, b-c2 {x y w}: one shared concept is too little to say one covers the other
    mappings = derive_mappings(EX["fw-a"], EX["fw-b"], store=fixture_store)
    assert _triples(mappings) == [
        ("a-c1", "b-c1", "equal"),
        ("a-c1", "b-c2", "subset_of"),
        ("a-c2", "b-c1", "intersects_with"),
        ("a-c2", "b-c2", "intersects_with"),
        ("a-c3", "b-c3", "intersects_with"),
        ("a-c5", "b-c1", "superset_of"),
        ("a-c5", "b-c2", "superset_of"),
    ]
    # the concept lists still tell the whole story: b-c1 asks everything a-c2 asks, and more
    weak = mappings[2]
    assert (weak.shared, weak.subject_only, weak.object_only) == ((EX.x,), (), (EX.y,))
    assert derive_mappings(EX["fw-a"], EX["fw-b"], store=fixture_store, min_overlap=1)[2].relation is Relation.SUBSET_OF


HIERARCHY = """
@prefix mm: <https://w3id.org/maturity-graph/mm#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ex: <https://example.org/> .
ex:scheme a skos:ConceptScheme .
ex:top skos:topConceptOf ex:scheme .
ex:broad skos:broader ex:top .
ex:narrow skos:broader ex:broad .
ex:sibling skos:broader ex:broad .
ex:other skos:broader ex:top .
ex:other2 skos:broader ex:top .
ex:fw-c mm:hasDimension ex:c-dim . ex:c-dim mm:hasCapability ex:c-cap .
ex:fw-d mm:hasDimension ex:d-dim . ex:d-dim mm:hasCapability ex:d-cap .
ex:c-c1 mm:capability ex:c-cap ; mm:requires [ mm:concept ex:narrow , ex:other ] .
ex:c-c2 mm:capability ex:c-cap ; mm:requires [ mm:concept ex:sibling ] .
ex:c-c3 mm:capability ex:c-cap ; mm:requires [ mm:concept ex:top ] .
ex:d-c1 mm:capability ex:d-cap ; mm:requires [ mm:concept ex:broad , ex:other ] .
ex:d-c2 mm:capability ex:d-cap ; mm:requires [ mm:concept ex:narrow ] .
ex:d-c3 mm:capability ex:d-cap ; mm:requires [ mm:concept ex:other2 ] .
"""


@pytest.fixture(scope="module", params=["oxigraph", "endpoint"])
def hierarchy_store(request, tmp_path_factory):
    with store_of_kind(request.param, tmp_path_factory) as store:
        store.load(HIERARCHY.encode(), fmt="turtle", source="hierarchy.ttl")
        yield store


def test_broader_closure(hierarchy_store):
    closed = concept_sets(EX["fw-c"], store=hierarchy_store, closure=True)
    assert closed == {EX["c-c1"]: s("narrow", "broad", "other"), EX["c-c2"]: s("sibling", "broad"),
                      EX["c-c3"]: s("top")}
    assert concept_sets(EX["fw-c"], store=hierarchy_store)[EX["c-c1"]] == s("narrow", "other")  # as tagged


def test_closure_relates_narrow_to_broad_but_not_siblings_or_top_concepts(hierarchy_store):
    mappings = derive_mappings(EX["fw-c"], EX["fw-d"], store=hierarchy_store)
    assert _triples(mappings) == [
        # asks narrow (hence broad) and other: covers d-c1 {broad, other}, two matching concepts
        ("c-c1", "d-c1", "superset_of"),
        # {narrow, broad, other} contains {narrow, broad}, but only one concept (narrow) is tagged: weak
        ("c-c1", "d-c2", "intersects_with"),
        # sibling implies broad, which d-c1 asks: one matching concept
        ("c-c2", "d-c1", "intersects_with"),
    ]
    # siblings (c-c2 sibling, d-c2 narrow) and a top concept (c-c3 top) match nothing. As tagged, the
    # containment is missed and one shared concept gave superset_of:
    assert _triples(derive_mappings(EX["fw-c"], EX["fw-d"], store=hierarchy_store, **OLD_RULE)) == [
        ("c-c1", "d-c1", "intersects_with"), ("c-c1", "d-c2", "superset_of")]


def test_matching_concepts_are_tagged_on_one_side_and_in_both_closed_sets():
    assert matching_concepts(s("narrow"), s("broad"), s("narrow", "broad"), s("broad")) == s("broad")
    assert matching_concepts(s("sibling"), s("narrow"), s("sibling", "broad"), s("narrow", "broad")) == frozenset()


def test_derived_mapping_needs_the_minimum_overlap_for_containment():
    one = derived_mapping(EX.a, EX.b, s("x"), s("x", "y"), min_overlap=2)
    assert one.relation is Relation.INTERSECTS_WITH and one.shared == (EX.x,)
    two = derived_mapping(EX.a, EX.b, s("x", "y"), s("x", "y", "z"), min_overlap=2)
    assert two.relation is Relation.SUBSET_OF
    assert derived_mapping(EX.a, EX.b, s("x"), s("x"), min_overlap=2).relation is Relation.INTERSECTS_WITH
    assert derived_mapping(EX.a, EX.b, s("x"), s("x"), min_overlap=1).relation is Relation.EQUAL


def test_fixture_min_shared_drops_weak_pairs(fixture_store):
    mappings = derive_mappings(EX["fw-a"], EX["fw-b"], store=fixture_store, min_shared=2)
    assert [(a, b) for a, b, _ in _triples(mappings)] == [
        ("a-c1", "b-c1"), ("a-c1", "b-c2"), ("a-c5", "b-c1"), ("a-c5", "b-c2")]


def test_fixture_capability_mappings(fixture_store):
    mappings = derive_mappings(EX["fw-a"], EX["fw-b"], level="capability", store=fixture_store)
    assert _triples(mappings) == [
        ("a-cap1", "b-cap1", "intersects_with"),
        ("a-cap1", "b-cap2", "intersects_with"),
        ("a-cap2", "b-cap1", "superset_of"),
    ]


def test_fixture_reverse_direction_gives_inverse_relations(fixture_store):
    forward = {(m.subject, m.object): m.relation for m in derive_mappings(EX["fw-a"], EX["fw-b"], store=fixture_store)}
    backward = {(m.object, m.subject): m.relation for m in derive_mappings(EX["fw-b"], EX["fw-a"], store=fixture_store)}
    assert backward == {pair: relation.inverse for pair, relation in forward.items()}


def test_bad_arguments_are_refused(fixture_store):
    with pytest.raises(ValueError, match="unknown level"):
        derive_mappings(EX["fw-a"], EX["fw-b"], level="dimension", store=fixture_store)
    with pytest.raises(ValueError, match="min_shared"):
        derive_mappings(EX["fw-a"], EX["fw-b"], min_shared=0, store=fixture_store)
    with pytest.raises(ValueError, match="min_overlap"):
        derive_mappings(EX["fw-a"], EX["fw-b"], min_overlap=0, store=fixture_store)
    with pytest.raises(InputError, match="two different frameworks"):
        derive_mappings(EX["fw-a"], EX["fw-a"], store=fixture_store)


@pytest.mark.parametrize("a, b", [("sbd", "sbd"), ("sbd", "sbd@2025-06-18")])
def test_same_bundled_framework_twice_is_an_input_error(a, b):
    with pytest.raises(InputError, match="two different frameworks"):
        derive_mappings(a, b)


# --- the bundled frameworks -------------------------------------------------------------------

@pytest.fixture(scope="module")
def sbd_ztmm():
    return derive_mappings("sbd", "ztmm", level="criterion", catalogue=load_catalogue())


@pytest.fixture(scope="module")
def sbd_ztmm_tagged():
    catalogue = load_catalogue()
    return concept_sets("sbd", catalogue=catalogue), concept_sets("ztmm", catalogue=catalogue)


def test_sbd_ztmm_relations_agree_with_their_concepts(sbd_ztmm, sbd_ztmm_tagged):
    tagged_a, tagged_b = sbd_ztmm_tagged
    assert sbd_ztmm
    for m in sbd_ztmm:
        sa = frozenset(m.shared) | frozenset(m.subject_only)
        sb = frozenset(m.shared) | frozenset(m.object_only)
        matched = matching_concepts(tagged_a[m.subject], tagged_b[m.object], sa, sb)
        assert m.shared and matched, m
        expected = relation_between(sa, sb)
        if expected in CONTAINMENT and len(matched) < MIN_OVERLAP:
            expected = Relation.INTERSECTS_WITH
        assert m.relations == {expected}
        assert m.relation is not Relation.NOT_RELATED
        assert 1 <= m.strength <= 10
        assert 0 < m.confidence <= 1
        assert (m.justification, m.review_status, m.rationale, m.author, m.date) == (
            JUSTIFICATION, "unreviewed", "semantic", (AUTHOR,), None)
        assert list(m.shared) == sorted(m.shared) and list(m.object_only) == sorted(m.object_only)


def test_sbd_ztmm_no_containment_from_a_single_matching_concept(sbd_ztmm, sbd_ztmm_tagged):
    tagged_a, tagged_b = sbd_ztmm_tagged
    for m in sbd_ztmm:
        if m.relation in CONTAINMENT:
            sa = frozenset(m.shared) | frozenset(m.subject_only)
            sb = frozenset(m.shared) | frozenset(m.object_only)
            assert len(matching_concepts(tagged_a[m.subject], tagged_b[m.object], sa, sb)) >= 2, m


def test_sbd_ztmm_concept_sets_match_the_listed_concepts(sbd_ztmm, sbd_ztmm_tagged):
    catalogue = load_catalogue()
    tagged_a, tagged_b = sbd_ztmm_tagged
    sets_a = concept_sets("sbd", catalogue=catalogue, closure=True)
    sets_b = concept_sets("ztmm", catalogue=catalogue, closure=True)
    for m in sbd_ztmm:
        assert sets_a[m.subject] == frozenset(m.shared) | frozenset(m.subject_only)
        assert sets_b[m.object] == frozenset(m.shared) | frozenset(m.object_only)
    # and every pair with a matching concept is listed
    listed = {(m.subject, m.object) for m in sbd_ztmm}
    expected = {(a, b) for a, sa in sets_a.items() for b, sb in sets_b.items()
                if matching_concepts(tagged_a[a], tagged_b[b], sa, sb)}
    assert listed == expected


@pytest.mark.parametrize("subject, obj", [
    # SbD risk assessment L5 (automated risk analysis) and ZTMM identity risk at Optimal (identity
    # risk assessment and automated risk analysis): subset_of from one shared concept before
    ("risk-assessment-level-5", "identity-risk-assessments-optimal"),
    # SbD's written product security policy and ZTMM's enterprise-wide policies: subset_of before
    ("security-policy-ownership-level-2", "governance-initial"),
    # the manufacturer's patch goal and ZTMM's device patching: subset_of before, curated not_related
    ("patch-cadence-slas-level-2", "devices-policy-enforcement-compliance-monitoring-initial"),
])
def test_sbd_ztmm_pairs_that_were_subset_of_from_one_shared_concept(sbd_ztmm, subject, obj):
    before = {(m.subject, m.object): m for m in derive_mappings("sbd", "ztmm", catalogue=load_catalogue(), **OLD_RULE)}
    assert before[(SBD[subject], ZTMM[obj])].relation is Relation.SUBSET_OF
    assert len(before[(SBD[subject], ZTMM[obj])].shared) == 1
    m = next(m for m in sbd_ztmm if (m.subject, m.object) == (SBD[subject], ZTMM[obj]))
    assert m.relation is Relation.INTERSECTS_WITH


def test_sbd_ztmm_known_pair(sbd_ztmm):
    pair = (SBD["risk-assessment-level-5"], ZTMM["identity-risk-assessments-optimal"])
    m = next(m for m in sbd_ztmm if (m.subject, m.object) == pair)
    # automated risk analysis is a risk assessment: the closure adds the broader concept on both sides
    assert m.shared == (CPT["automated-risk-analysis"], CPT["risk-assessment"])
    assert m.object_only == (CPT["identity-risk-assessment"],)
    assert (m.strength, m.confidence) == (7, 0.667)


def test_derive_all_covers_every_pair_once():
    catalogue = load_catalogue()
    result = derive_all(level="capability", catalogue=catalogue)
    ids = catalogue.ids()
    assert list(result) == [(a, b) for i, a in enumerate(ids) for b in ids[i + 1:]]
    assert all(a < b for a, b in result)
    assert result[("sbd", "ztmm")] == derive_mappings("sbd", "ztmm", level="capability", catalogue=catalogue)


# --- derived_graph ----------------------------------------------------------------------------

def _read_back(graph: Graph, node: URIRef) -> dict:
    return {
        "subject": graph.value(node, MM.mapsFrom),
        "object": graph.value(node, MM.mapsTo),
        "relations": frozenset(Relation.from_iri(r) for r in graph.objects(node, MM.relation)),
        "strength": graph.value(node, MM.strength).toPython(),
        "confidence": float(graph.value(node, MM.confidence).toPython()),
        "shared": tuple(sorted(graph.objects(node, MM.sharedConcept))),
        "subject_only": tuple(sorted(graph.objects(node, MM.subjectOnlyConcept))),
        "object_only": tuple(sorted(graph.objects(node, MM.objectOnlyConcept))),
    }


def test_derived_graph_round_trip(sbd_ztmm):
    graph = derived_graph(sbd_ztmm)
    nodes = set(graph.subjects(ns.RDF.type, MM.Mapping))
    assert len(nodes) == len(sbd_ztmm)
    again = Graph().parse(data=graph.serialize(format="turtle"), format="turtle")
    assert isomorphic(graph, again)
    for m in sbd_ztmm:
        node = mapping_iri(m)
        assert node in nodes
        assert _read_back(again, node) == {
            "subject": m.subject, "object": m.object, "relations": m.relations, "strength": m.strength,
            "confidence": m.confidence, "shared": m.shared,
            "subject_only": m.subject_only, "object_only": m.object_only,
        }
        assert again.value(node, MM.reviewStatus) == MM.Unreviewed
        assert again.value(node, MM.rationale) == MM.Semantic
        assert again.value(node, MM.justification) == SEMAPV.SemanticSimilarityThresholdMatching
    assert isomorphic(derived_graph(sbd_ztmm), graph)  # deterministic: same mappings, same graph


def test_mapping_iri_is_readable_and_names_both_frameworks(sbd_ztmm):
    m = next(m for m in sbd_ztmm
             if m.subject == SBD["risk-assessment-level-5"] and m.object == ZTMM["identity-risk-assessments-optimal"])
    assert mapping_iri(m) == URIRef(
        "https://w3id.org/maturity-graph/mapping/derived/sbd-risk-assessment-level-5--ztmm-identity-risk-assessments-optimal")
    assert len({mapping_iri(m) for m in sbd_ztmm}) == len(sbd_ztmm)


def test_derived_graph_literals_are_typed(sbd_ztmm):
    graph = derived_graph(sbd_ztmm[:1])
    node = mapping_iri(sbd_ztmm[0])
    assert graph.value(node, MM.strength).datatype == ns.XSD.integer
    assert graph.value(node, MM.confidence) == Literal(Decimal(str(sbd_ztmm[0].confidence)), datatype=ns.XSD.decimal)
