"""The RCC5 composition table and composed (multi-hop) mappings."""
from __future__ import annotations

from itertools import combinations, product

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Namespace

from maturity_graph.crosswalk.compose import (
    AUTHOR,
    JUSTIFICATION,
    compose,
    compose_path,
    compose_relations,
    load_composition_table,
    parse_composition_table,
)
from maturity_graph.crosswalk.derive import relation_between
from maturity_graph.crosswalk.model import Mapping, Relation
from maturity_graph.errors import ContentError

EX = Namespace("https://example.org/")
ALL = frozenset(Relation)
EQ, SUB, SUP, INT, DIS = (Relation.EQUAL, Relation.SUBSET_OF, Relation.SUPERSET_OF,
                          Relation.INTERSECTS_WITH, Relation.NOT_RELATED)
RELATION_SETS = [frozenset(c) for n in range(len(Relation) + 1) for c in combinations(Relation, n)]


def brute_force_composition(size: int) -> dict[tuple[Relation, Relation], frozenset[Relation]]:
    """For every (r1, r2): the relations X-Z over all non-empty X, Y, Z of a universe of `size` elements."""
    subsets = [frozenset(c) for n in range(1, size + 1) for c in combinations(range(size), n)]
    relation = {(x, y): relation_between(x, y) for x in subsets for y in subsets}
    found: dict[tuple[Relation, Relation], set[Relation]] = {}
    for x, y, z in product(subsets, repeat=3):
        found.setdefault((relation[x, y], relation[y, z]), set()).add(relation[x, z])
    return {pair: frozenset(relations) for pair, relations in found.items()}


def test_table_equals_brute_force_composition_of_sets():
    assert dict(load_composition_table()) == brute_force_composition(5)


def test_table_has_the_textbook_entries():
    table = load_composition_table()
    assert table[(SUB, SUB)] == {SUB}
    assert table[(SUB, SUP)] == ALL  # two subsets of one set can relate in any way
    assert table[(SUP, SUB)] == ALL - {DIS}  # both contain the same non-empty set
    assert table[(DIS, DIS)] == ALL
    assert table[(SUB, DIS)] == {DIS}


@pytest.mark.parametrize("r", list(Relation))
def test_equal_is_the_identity(r):
    assert compose_relations({EQ}, {r}) == {r}
    assert compose_relations({r}, {EQ}) == {r}


@pytest.mark.parametrize(("r1", "r2"), list(product(Relation, repeat=2)))
def test_inverse_of_a_composition_is_the_composition_of_inverses_reversed(r1, r2):
    inverse = frozenset(r.inverse for r in compose_relations({r1}, {r2}))
    assert inverse == compose_relations({r2.inverse}, {r1.inverse})


def test_composition_is_associative_on_every_triple_of_relation_sets():
    # RCC5 is a relation algebra (Duentsch, Wang and McCloskey 2001), so its weak composition
    # is associative; checked exhaustively over all 32^3 triples of relation sets.
    table = load_composition_table()
    composed = {(a, b): compose_relations(a, b, table=table) for a in RELATION_SETS for b in RELATION_SETS}
    for a, b, c in product(RELATION_SETS, repeat=3):
        assert composed[composed[a, b], c] == composed[a, composed[b, c]], (a, b, c)


relation_sets = st.frozensets(st.sampled_from(list(Relation)))


@given(relation_sets, relation_sets, relation_sets)
def test_composition_is_associative(a, b, c):
    assert compose_relations(compose_relations(a, b), c) == compose_relations(a, compose_relations(b, c))


@given(relation_sets, relation_sets, relation_sets)
def test_composition_is_monotone_and_distributes_over_union(a, b, c):
    assert compose_relations(a | b, c) == compose_relations(a, c) | compose_relations(b, c)
    assert compose_relations(a, b) <= compose_relations(a | c, b)


def test_empty_set_composes_to_empty():
    assert compose_relations(frozenset(), ALL) == frozenset()


def _m(subject: str, obj: str, *relations: Relation, **kw) -> Mapping:
    return Mapping(subject=EX[subject], object=EX[obj], relations=frozenset(relations), **kw)


def test_compose_two_mappings():
    m1 = _m("a", "b", SUB, strength=8, confidence=0.9, review_status="reviewed")
    m2 = _m("b", "c", INT)
    m = compose(m1, m2)
    assert (m.subject, m.object) == (EX.a, EX.c)
    assert m.relations == {SUB, INT, DIS}
    assert m.relation is None
    assert m.via == (m1, m2)
    assert (m.justification, m.review_status, m.strength, m.confidence, m.author) == (
        JUSTIFICATION, "unreviewed", None, None, (AUTHOR,))


def test_compose_keeps_a_single_relation_where_the_table_does():
    m = compose(_m("a", "b", SUB), _m("b", "c", SUB))
    assert m.relation is SUB


def test_compose_refuses_a_broken_path():
    with pytest.raises(ValueError, match="same element"):
        compose(_m("a", "b", SUB), _m("x", "c", SUB))


def test_compose_path():
    path = [_m("a", "b", SUB), _m("b", "c", SUB), _m("c", "d", EQ), _m("d", "e", SUP)]
    m = compose_path(path)
    assert (m.subject, m.object, m.relations) == (EX.a, EX.e, ALL)
    assert m.via == tuple(path)
    assert compose_path(path[:3]).relations == {SUB}
    assert compose_path(path[:1]) is path[0]
    with pytest.raises(ValueError, match="at least one"):
        compose_path([])
    with pytest.raises(ValueError, match="mapping 2 ends at"):
        compose_path([path[0], path[1], path[3]])


def test_compose_path_agrees_with_nested_compose():
    path = [_m("a", "b", INT), _m("b", "c", SUP, DIS), _m("c", "d", SUB)]
    assert compose_path(path).relations == compose(compose(path[0], path[1]), path[2]).relations


def test_a_table_with_a_missing_pair_is_refused():
    text = "first\tsecond\tpossible\nequal\tequal\tequal\n"
    with pytest.raises(ContentError, match="lacks the pairs"):
        parse_composition_table(text)


def test_a_table_with_an_unknown_relation_is_refused():
    text = "# comment\nfirst\tsecond\tpossible\nequal\tequal\tsame\n"
    with pytest.raises(ContentError, match="row 2"):
        parse_composition_table(text)
