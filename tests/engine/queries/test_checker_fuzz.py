"""Issue 8, item 1: generated queries that hide SERVICE every way we know never reach the network.

Each query mixes SERVICE (every case, SILENT, a constant or a computed endpoint) into every place a
group can go (FILTER EXISTS, OPTIONAL, MINUS, GRAPH, subqueries, UNION, BIND(EXISTS ...), ORDER
BY), then hides parts of it behind \\u / \\U escapes, escaped escapes, comments ended by CR or LF,
strings and prefixed names with escapes. Two properties:

- the checker alone: whatever it accepts runs on Oxigraph *in this process*, with no sandbox, and
  must not connect to the loopback module_listener (so a checker hole is found, not hidden by the sandbox);
- the sandbox alone: every generated query, checked or not, runs sandboxed and must not connect.

Either way only QueryRejected or StoreError may come out. More examples: MGRAPH_FUZZ_EXAMPLES=2000.
"""
from __future__ import annotations

import os
from itertools import islice

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef

from maturity_graph.errors import QueryRejected, StoreError
from maturity_graph.queries.safety import check_read_only
from maturity_graph.queries.sandbox import QueryLimits, run_sandboxed
from maturity_graph.store import open_store

EXAMPLES = int(os.environ.get("MGRAPH_FUZZ_EXAMPLES", "50"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

KEYWORDS = st.sampled_from(["SERVICE", "service", "Service", "sErViCe", "SERVICE SILENT", "service silent"])
SERVICES = st.sampled_from([
    "{kw} <{ep}> { ?s ?p ?o }",
    "{kw} <{ep}> { ?a ?b ?c }",
    "VALUES ?ep { <{ep}> } {kw} ?ep { ?a ?b ?c }",
    'BIND(IRI(CONCAT("{ep}", ENCODE_FOR_URI(STR(?o)))) AS ?ep) FILTER EXISTS { {kw} ?ep { ?a ?b ?c } }',
    "{kw}<{ep}>{?s ?p ?o}",
])
WRAPPERS = st.sampled_from([
    "{ {x} }", "OPTIONAL { {x} }", "MINUS { {x} }", "GRAPH ?g { {x} }", "FILTER EXISTS { {x} }",
    "FILTER NOT EXISTS { {x} }", "{ SELECT * WHERE { {x} } }", "{ {x} } UNION { ?s ?p ?o }",
    "BIND(EXISTS { {x} } AS ?e)", "FILTER(?o = ?o || EXISTS { {x} })",
])
FILLERS = st.sampled_from([
    "?s ?p ?o .", "?s ?p ?o .", "BIND(1 AS ?one)", "# a comment\n", "# a comment\r", "# a comment \\u000A ",
    'BIND("""long "" string""" AS ?l)', "BIND('''it''s''' AS ?l2)", 'FILTER(?o != "SERVICE <http://x> {")',
    "BIND(ex:a\\#b AS ?n)", "BIND(ex:a\\.b AS ?n2)", "BIND(<http://e/a\\u0062> AS ?i)",
    'BIND("a\\u005Cu0022" AS ?q3)', 'BIND("café ☃ 😀" AS ?u)', "BIND(ex:é AS ?n3)", "BIND(<http://e/ü> AS ?i2)",
    "# ünïcode comment\n",
])
# Pairs that one reader may take for the start and end of a string or comment, and another not.
HIDERS = st.sampled_from([
    ('BIND("\\u0022" AS ?h1) ', ' BIND("\\u0022" AS ?h2)'),
    ("BIND('\\u0027' AS ?h1) ", " BIND('\\u0027' AS ?h2)"),
    ('BIND("\\U00000022" AS ?h1) ', ' BIND("\\U00000022" AS ?h2)'),
    ('BIND("\\U0022" AS ?h1) ', ' BIND("\\U0022" AS ?h2)'),
    ("# hidden\r", "\n"),
    ("# hidden \\u000D", "\n"),
    ("# hidden \\u000A", "\n"),
])
FORMS = st.sampled_from(["SELECT *", "SELECT ?s", "ASK", "CONSTRUCT { ?s ?p ?o }", "DESCRIBE ?s", "select *"])
TAILS = st.sampled_from(["", " ORDER BY (EXISTS { {x} })", " LIMIT 5", " GROUP BY ?s HAVING (EXISTS { {x} })"])


@st.composite
def hidden_service(draw) -> str:
    """A SERVICE call, wrapped 0-3 times."""
    text = draw(SERVICES).replace("{kw}", draw(KEYWORDS))
    for _ in range(draw(st.integers(0, 3))):
        text = draw(WRAPPERS).replace("{x}", text)
    return text


@st.composite
def queries(draw) -> str:
    """A query template ({ep} is the endpoint) with SERVICE somewhere and noise around it."""
    parts = draw(st.lists(st.one_of(FILLERS, hidden_service()), min_size=0, max_size=5))
    service = draw(hidden_service())
    if draw(st.booleans()):
        start, end = draw(HIDERS)
        service = start + service + end
    parts.insert(draw(st.integers(0, len(parts))), service)
    glue = draw(st.sampled_from([" ", "\n", "\r", "\r\n", " . "]))
    tail = draw(TAILS).replace("{x}", draw(hidden_service()))
    return "PREFIX ex: <http://e/>\n" + draw(FORMS) + " WHERE { " + glue.join(parts) + " }" + tail


@st.composite
def escaped(draw, text: str) -> str:
    """Replace some characters (often only non-ASCII ones, which may be escaped) by \\uXXXX or \\UXXXXXXXX escapes."""
    if draw(st.booleans()):
        return text
    chars = list(text)
    wide = [i for i, c in enumerate(chars) if ord(c) > 0x7F]
    positions = st.sampled_from(wide) if wide and draw(st.booleans()) else st.integers(0, len(chars) - 1)
    for i in sorted(set(draw(st.lists(positions, max_size=8))), reverse=True):
        code = ord(chars[i])
        form = draw(st.sampled_from(["\\u%04X", "\\u%04x", "\\U%08X", "\\u005Cu%04X"]))
        chars[i] = form % code if code <= 0xFFFF or form.startswith("\\U") else chars[i]
    return "".join(chars)


@pytest.fixture(scope="module")
def store():
    graph = Graph()
    for i in range(3):
        graph.add((URIRef(f"http://e/s{i}"), URIRef("http://e/label"), Literal(f"secret label {i}")))
    filled = open_store("oxigraph")
    filled.add_graph(graph)
    filled.add_graph(graph, into=URIRef("http://e/graph"))
    return filled


def _endpoint(module_listener) -> str:
    return f"http://127.0.0.1:{module_listener.port}/sparql"


@FUZZ
@given(data=st.data())
def test_the_checker_alone_never_lets_service_through(data, module_listener, store):
    template = data.draw(queries())
    text = data.draw(escaped(template.replace("{ep}", _endpoint(module_listener))))
    before = module_listener.count
    try:
        checked = check_read_only(text)
    except QueryRejected:
        return
    try:  # no sandbox here on purpose: what the checker passed runs as it would without one
        list(islice(store.stream(checked.text, union=True).rows, 1000))
    except StoreError:
        pass
    assert module_listener.count == before, f"the checker passed a query that connected: {text!r}"


@settings(FUZZ, max_examples=max(5, EXAMPLES // 5))
@given(data=st.data())
def test_the_sandbox_alone_never_connects(data, module_listener, store):
    text = data.draw(escaped(data.draw(queries()).replace("{ep}", _endpoint(module_listener))))
    before = module_listener.count
    try:
        run_sandboxed(store, text, limits=QueryLimits(timeout=20))
    except (QueryRejected, StoreError):
        pass
    assert module_listener.count == before, f"a sandboxed query connected: {text!r}"


def test_the_generator_does_hide_service_from_a_naive_reader(module_listener, store):
    """The fuzz is only worth something if its queries do reach the network when nothing stops them."""
    text = 'SELECT * WHERE { BIND("\\u0022" AS ?a) ?s ?p ?o SERVICE <{ep}> { ?s ?p ?o } BIND("\\u0022" AS ?b) }'
    before = module_listener.count
    with pytest.raises(StoreError):
        list(store.stream(text.replace("{ep}", _endpoint(module_listener)), union=True).rows)
    assert module_listener.count == before + 1
