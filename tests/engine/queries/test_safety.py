"""Issue 8, item 1: the query checker reads exactly the text the store runs."""
from __future__ import annotations

import pytest

from maturity_graph import run_query
from maturity_graph.errors import InputError, QueryRejected
from maturity_graph.queries.safety import check_read_only, executable_text


def test_escaped_quotes_around_service_are_refused_and_nothing_connects(listener):
    text = ('SELECT * WHERE { BIND("\\u0022" AS ?a) SERVICE <http://127.0.0.1:%d/x> { ?s ?p ?o } '
            'BIND("\\u0022" AS ?b) }' % listener.port)
    with pytest.raises(QueryRejected, match=r"\\u0022 stands for '\"'"):
        run_query(text)
    assert listener.count == 0


def test_escaped_quotes_around_a_computed_service_in_filter_exists_are_refused(listener):
    text = ('PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT * WHERE { BIND("\\u0022" AS ?a) '
            '?x rdfs:label ?label . BIND(IRI(CONCAT("http://127.0.0.1:%d/", ENCODE_FOR_URI(?label))) AS ?ep) '
            'FILTER EXISTS { SERVICE ?ep { ?s ?p ?o } } BIND("\\u0022" AS ?b) }' % listener.port)
    with pytest.raises(QueryRejected):
        run_query(text)
    assert listener.count == 0


def test_a_comment_ended_by_a_carriage_return_does_not_hide_service(listener):
    # rdflib ends a comment at LF only, Oxigraph at CR too: both now read the CR as a line end.
    text = "SELECT * WHERE { ?s ?p ?o # note\rSERVICE <http://127.0.0.1:%d/x> { ?s ?p ?o }\n}" % listener.port
    with pytest.raises(QueryRejected, match="SERVICE is refused"):
        run_query(text)
    assert listener.count == 0


@pytest.mark.parametrize("text, refused", [
    ('SELECT * WHERE { BIND("\\u0022" AS ?a) }', r"\\u0022 stands for"),
    ('SELECT * WHERE { BIND("\\U00000022" AS ?a) }', r"\\U00000022 stands for"),
    ("\\u0053ELECT * WHERE { ?s ?p ?o }", r"\\u0053 stands for 'S'"),
    ('SELECT * WHERE { BIND("a\\u005Cu0022" AS ?a) }', r"\\u005C stands for"),
    ('SELECT * WHERE { BIND("\\U0022" AS ?a) }', "escape sequence left"),
    ('SELECT * WHERE { BIND("\\uD83D\\uDE00" AS ?a) }', "not a Unicode character"),
    ('SELECT * WHERE { BIND("\\U00110000" AS ?a) }', "not a Unicode character"),
])
def test_escapes_that_read_differently_are_refused(text, refused):
    with pytest.raises(QueryRejected, match=refused):
        check_read_only(text)


def test_escapes_for_characters_outside_ascii_are_expanded_in_the_text_that_runs():
    checked = check_read_only('SELECT ?a WHERE { BIND("caf\\u00E9 \\U0001F600" AS ?a) }\r\n')
    assert checked.text == 'SELECT ?a WHERE { BIND("café 😀" AS ?a) }\n'
    assert executable_text("a\rb\r\nc") == "a\nb\nc"


def test_the_expanded_text_is_what_runs():
    rows = run_query('SELECT ?a WHERE { BIND("caf\\u00E9" AS ?a) }').rows
    assert [str(r[0]) for r in rows] == ["café"]


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE ?ep { ?s ?p ?o } } }",
    "SELECT * WHERE { ?s ?p ?o } ORDER BY (EXISTS { SERVICE <http://127.0.0.1:9/> { ?a ?b ?c } })",
    "SELECT * WHERE { ?s ?p ?o } GROUP BY ?s HAVING (EXISTS { service <http://127.0.0.1:9/> { ?a ?b ?c } })",
    "ASK { MINUS { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } } }",
    "SELECT * { { SELECT * { GRAPH ?g { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } } } } }",
    "SELECT (EXISTS { SeRvIcE <http://127.0.0.1:9/> { ?a ?b ?c } } AS ?x) WHERE { ?s ?p ?o }",
    "CONSTRUCT { ?s ?p ?o } WHERE { OPTIONAL { SERVICE SILENT <http://127.0.0.1:9/> { ?s ?p ?o } } }",
])
def test_service_is_refused_wherever_it_is(text):
    with pytest.raises(QueryRejected, match="SERVICE is refused"):
        check_read_only(text)


@pytest.mark.parametrize("text", [
    "LOAD <http://127.0.0.1:9/x.ttl>",
    "CLEAR ALL",
    "ADD DEFAULT TO <urn:g>",
    "CREATE GRAPH <urn:g>",
])
def test_updates_are_refused(text):
    with pytest.raises(QueryRejected, match="UPDATE is refused"):
        check_read_only(text)


def test_parse_errors_are_one_line():
    with pytest.raises(QueryRejected) as err:
        check_read_only("SELECT ?s WHERE { ?s ?p }\n\n\n")
    assert "\n" not in str(err.value) and "line 1" in str(err.value)


@pytest.mark.parametrize("value", ["<not an iri>", "<http://a b>", "<relative>", "<>"])
def test_a_bad_iri_parameter_is_an_input_error(value):
    with pytest.raises(InputError, match="parameter s: .* is not an absolute IRI"):
        run_query("SELECT ?s WHERE { ?s ?p ?o }", params={"s": value})
