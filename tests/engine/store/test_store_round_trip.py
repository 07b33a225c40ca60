"""Issue 9 item 5: both stores (embedded Oxigraph, a real Oxigraph server as a SPARQL endpoint) behave alike."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import XSD

from maturity_graph.errors import InputError, StoreError
from maturity_graph.rdf import parse_triples, to_rdflib_graph
from maturity_graph.store import Store, open_store

EX = "https://example.org/"
G1, G2, G3 = URIRef(EX + "g1"), URIRef(EX + "g2"), URIRef(EX + "g3")

TERMS = """@prefix ex: <https://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:a ex:count 3 ;
    ex:day "2026-03-31"^^xsd:date ;
    ex:ratio "0.5"^^xsd:decimal ;
    ex:odd "not a number"^^xsd:integer ;
    ex:name "plain" ;
    ex:typed "typed"^^xsd:string ;
    ex:label "colour"@en-GB , "Farbe"@de ;
    ex:text "quote \\" and\\nnewline and é and 😀" ;
    ex:part [ ex:name "first" ; ex:next [ ex:name "second" ] ] ;
    ex:same _:shared .
ex:b ex:same _:shared .
_:shared ex:name "shared" .
<https://example.org/ü?q=1> ex:name "unicode IRI" .
"""

SECOND = """<https://example.org/c> <https://example.org/name> "c" .
<https://example.org/d> <https://example.org/name> "d" .
"""


@pytest.fixture(params=["oxigraph", "endpoint", "endpoint-gsp"])
def store(request, tmp_path) -> Store:
    """A fresh store of each kind; the shared server is emptied first."""
    if request.param == "oxigraph":
        return open_store()
    base = request.getfixturevalue("oxigraph_server")
    store = open_store(endpoint=f"{base}/query", update_endpoint=f"{base}/update",
                       graph_store=f"{base}/store" if request.param == "endpoint-gsp" else None)
    store.update("DROP ALL")
    return store


def _file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _reference(text: str, fmt: str = "turtle") -> Graph:
    """The graph as the engine reads files (xsd:string literals are plain, as everywhere in the engine)."""
    kind = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES}[fmt]
    return to_rdflib_graph(parse_triples(text.encode(), fmt=kind, source="reference"))


def test_load_query_count_export_drop(store, tmp_path):
    assert store.load(_file(tmp_path, "terms.ttl", TERMS), fmt="turtle", source="terms.ttl", into=G1) == 17
    assert store.load(SECOND.encode(), fmt="ntriples", source="second.nt", into=G2) == 2
    assert store.graph_names() == [G1, G2]
    assert (store.count(G1), store.count(G2), store.count()) == (17, 2, 19)

    names = "SELECT ?s ?n WHERE { ?s <https://example.org/name> ?n }"
    only_second = {(str(s), str(n)) for s, n in store.query(names, graphs=[G2]).rows}
    assert only_second == {(EX + "c", "c"), (EX + "d", "d")}
    both = store.query(names, graphs=[G1, G2]).rows
    assert len(both) == 7 and len(store.query(names, union=True).rows) == 7
    assert store.query(names, graphs=[]).rows == []
    assert store.query(names).rows == []  # nothing was put in the default graph
    assert store.query("ASK { GRAPH <https://example.org/g2> { ?s ?p ?o } }").boolean is True
    # a query over some graphs still reaches every named graph with GRAPH (rules read the content graph so)
    across = ("SELECT ?n WHERE { ?s <https://example.org/name> ?n . "
              "GRAPH <https://example.org/g1> { <https://example.org/a> <https://example.org/count> ?c } }")
    assert {str(n) for (n,) in store.query(across, graphs=[G2]).rows} == {"c", "d"}

    store.update("INSERT DATA { GRAPH <https://example.org/g3> { <https://example.org/e> "
                 "<https://example.org/name> \"e\" } }")
    assert store.graph_names() == [G1, G2, G3] and store.count(G3) == 1

    assert isomorphic(store.export([G1]), _reference(TERMS))
    assert isomorphic(store.export([G2, G3]), _reference(SECOND + '<https://example.org/e> '
                                                                  '<https://example.org/name> "e" .\n', "nt"))
    store.drop(G1)
    store.drop(URIRef(EX + "never-there"))
    assert store.graph_names() == [G2, G3] and store.count() == 3


def test_terms_come_back_as_they_went_in(store):
    store.load(TERMS.encode(), fmt="turtle", source="terms.ttl", into=G1)
    rows = store.query("SELECT ?p ?o WHERE { <https://example.org/a> ?p ?o }", graphs=[G1]).rows
    got = {(str(p)[len(EX):], o) for p, o in rows}
    assert ("count", Literal("3", datatype=XSD.integer)) in got
    assert ("day", Literal("2026-03-31", datatype=XSD.date)) in got
    assert ("ratio", Literal("0.5", datatype=XSD.decimal)) in got
    assert ("odd", Literal("not a number", datatype=XSD.integer)) in got  # ill-typed, kept as written
    assert ("name", Literal("plain")) in got and ("typed", Literal("typed")) in got
    assert {o for p, o in got if p == "label"} == {Literal("colour", lang="en-gb"), Literal("Farbe", lang="de")}
    assert ("text", Literal('quote " and\nnewline and é and 😀')) in got
    assert isinstance(next(o for p, o in got if p == "part"), BNode)
    # one blank node reached from two subjects stays one node
    shared = store.query("SELECT DISTINCT ?x WHERE { ?s <https://example.org/same> ?x }", graphs=[G1]).rows
    assert len(shared) == 1 and isinstance(shared[0][0], BNode)
    assert store.query("SELECT ?n WHERE { <https://example.org/ü?q=1> ?p ?n }", graphs=[G1]).rows == [
        (Literal("unicode IRI"),)]


def test_bindings_construct_and_stream(store):
    store.load(SECOND.encode(), fmt="ntriples", source="second.nt", into=G2)
    query = "SELECT ?s ?n WHERE { ?s <https://example.org/name> ?n }"
    bound = store.query(query, graphs=[G2], bindings={"n": Literal("d")}).rows
    assert bound == [(URIRef(EX + "d"), Literal("d"))]
    built = store.query("CONSTRUCT { ?s a <https://example.org/Named> } WHERE { ?s <https://example.org/name> ?n }",
                        graphs=[G2])
    assert built.kind == "graph" and set(built.graph.subjects()) == {URIRef(EX + "c"), URIRef(EX + "d")}
    stream = store.stream(query + " ORDER BY ?n", graphs=[G2])
    assert stream.kind == "select" and next(stream.rows) == (URIRef(EX + "c"), Literal("c"))


def test_quads_keep_their_graphs_unless_told(store):
    quads = (f"<{EX}s> <{EX}p> \"1\" <{EX}q1> .\n"
             f"<{EX}s> <{EX}p> \"2\" <{EX}q2> .\n").encode()
    assert store.load(quads, fmt="nquads", source="two.nq") == 2
    assert store.graph_names() == [URIRef(EX + "q1"), URIRef(EX + "q2")]
    assert store.load(quads, fmt="nquads", source="two.nq", into=G3) == 2
    assert store.count(G3) == 2


def test_a_bad_file_names_itself_and_changes_nothing(store, tmp_path):
    store.load(SECOND.encode(), fmt="ntriples", source="second.nt", into=G2)
    bad = _file(tmp_path, "bad.ttl", "@prefix ex: <https://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b .\n")
    with pytest.raises((InputError, StoreError)) as caught:
        store.load(bad, fmt="turtle", source=str(bad), into=G2)
    message = str(caught.value)
    assert str(bad) in message and "\n" not in message
    assert f"{bad}:3:" in message or "line 3" in message  # the embedded parser's line, or the server's
    assert store.count(G2) == 2


def test_the_engine_s_errors_are_store_errors(store):
    with pytest.raises(StoreError) as caught:
        store.query("SELECT ?x WHERE { ?x ")
    assert "\n" not in str(caught.value)
