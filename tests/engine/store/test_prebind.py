"""Bindings sent as query text mean what Oxigraph's substitutions mean (the embedded store is the oracle).

More examples: MGRAPH_FUZZ_EXAMPLES=200 (default 40; the hand-built cases always run).
"""
from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from maturity_graph.errors import StoreError
from maturity_graph.store import open_store
from maturity_graph.store.prebind import names_graphs, prebind, without_comments

EXAMPLES = int(os.environ.get("MGRAPH_FUZZ_EXAMPLES", "40"))
DATA = b"""@prefix ex: <https://example.org/> .
ex:a ex:name "a {x}" ; ex:rank 1 ; ex:kind ex:k1 .
ex:b ex:name "b # not a comment" ; ex:rank 2 ; ex:kind ex:k2 .
ex:c ex:name "c" ; ex:rank 3 ; ex:kind ex:k1 .
"""

# Each query with the variables it may have bound (Oxigraph wants a bound variable in scope: projected).
QUERIES = [
    # a BIND that reads ?level before any pattern binds it: only pre-binding gives it a value
    ('PREFIX ex: <https://example.org/> # a comment with { a brace\n'
     'SELECT ?s ?level ?out WHERE { BIND(IF(?level = "high", "yes", "no") AS ?out) ?s ex:rank ?r }', {"level"}),
    # braces and hashes inside strings and IRIs
    ('SELECT ?s ?n ?kind WHERE { ?s <https://example.org/name> ?n ; <https://example.org/kind> ?kind . '
     'FILTER(?n != "}{#" && ?s != <https://example.org/x#y>) }', {"kind"}),
    # CONSTRUCT with a template, bound variable used in the template
    ('CONSTRUCT { ?s <https://example.org/tag> ?level } WHERE { ?s <https://example.org/rank> ?r }',
     {"level"}),
    # aggregates: pre-binding filters before grouping, so the count is per bound kind
    ('SELECT ?kind (COUNT(?s) AS ?n) WHERE { ?s <https://example.org/kind> ?kind } GROUP BY ?kind', {"kind"}),
    # a nested group, and ASK
    ('ASK WHERE { { ?s <https://example.org/kind> ?kind } FILTER(?kind != ?level) }', {"kind"}),
]

terms = st.one_of(
    st.text(max_size=12).map(Literal),
    st.sampled_from(["en", "de-CH"]).flatmap(lambda lang: st.text(max_size=6).map(lambda t: Literal(t, lang=lang))),
    st.integers(-5, 5).map(lambda i: Literal(str(i), datatype=XSD.integer)),
    st.sampled_from([URIRef("https://example.org/k1"), URIRef("https://example.org/k2"),
                     URIRef("https://example.org/odd#x")]),
)


@pytest.fixture(scope="module")
def store():
    store = open_store()
    store.load(DATA, fmt="turtle", source="data.ttl")
    return store


def both(store, query: str, bindings: dict) -> tuple[object, object]:
    """Oxigraph's own substitution, and the same query pre-bound as text with no bindings."""
    def answer(result):
        if result.kind == "graph":
            return set(result.graph)
        return result.boolean if result.kind == "ask" else sorted(map(repr, result.rows))
    return answer(store.query(query, bindings=bindings)), answer(store.query(prebind(query, bindings)))


@pytest.mark.parametrize("query, allowed", QUERIES)
def test_prebinding_means_what_substitution_means(store, query, allowed):
    for bindings in ({"level": Literal("high")}, {"level": Literal("low"), "kind": URIRef("https://example.org/k1")},
                     {"kind": URIRef("https://example.org/k2")}):
        bound = {k: v for k, v in bindings.items() if k in allowed}
        expected, got = both(store, query, bound)
        assert got == expected


@settings(max_examples=EXAMPLES, deadline=None)
@given(level=terms, kind=terms)
def test_any_term_is_bound_as_itself(store, level, kind):
    for query, allowed in QUERIES:
        bound = {k: v for k, v in {"level": level, "kind": kind}.items() if k in allowed}
        expected, got = both(store, query, bound)
        assert got == expected


def test_what_cannot_be_bound_is_refused():
    with pytest.raises(StoreError, match="blank node"):
        prebind(QUERIES[0][0], {"level": BNode()})
    with pytest.raises(StoreError, match="not a SPARQL variable"):
        prebind(QUERIES[0][0], {"level) } DROP ALL #": Literal("x")})
    with pytest.raises(StoreError, match="WHERE clause was not found"):
        prebind("CONSTRUCT WHERE { ?s ?p ?o }", {"s": URIRef("https://example.org/a")})


def test_comments_go_and_strings_and_iris_stay():
    text = 'SELECT ?s # GRAPH in a comment\nWHERE { ?s <https://example.org/a#b> "# kept" ; ?p """x\n# kept""" }'
    assert without_comments(text) == text.replace("# GRAPH in a comment", "")
    assert not names_graphs(text) and names_graphs("ASK { graph ?g { } }")
