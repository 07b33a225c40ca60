"""Predeclared prefixes (issue 11, item 6): one prefix map, used by `run_query` without PREFIX lines."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph

from maturity_graph import compact_iri, load_catalogue, named_queries, prefix_map, run_query
from maturity_graph.errors import QueryRejected
from maturity_graph.queries.safety import check_read_only
from tests.conftest import REPO

EXAMPLE = REPO / "examples" / "northwind-devices" / "sbd-evidence.ttl"
CAPABILITIES = "SELECT ?c WHERE { GRAPH graph:content { ?c a mm:Capability } }"
MISSING = "the query uses the prefix {0}: but declares no PREFIX {0}: (mgraph query --prefixes lists those predeclared)"


def test_the_map_is_ontology_prefixes_ttl_plus_semapv():
    table = Graph(bind_namespaces="none").parse(REPO / "ontology" / "prefixes.ttl", format="turtle")
    declared = {p: str(ns) for p, ns in table.namespaces()}
    assert len(declared) >= 20
    assert prefix_map() == {**declared, "semapv": "https://w3id.org/semapv/vocab/", "sssom": "https://w3id.org/sssom/"}


def test_every_bundled_framework_has_its_prefix():
    frameworks = load_catalogue().frameworks.values()
    assert len(frameworks) >= 5
    for fw in frameworks:
        assert prefix_map()[fw.id] == str(fw.iri).rsplit("/", 1)[0] + "/"
        assert compact_iri(str(fw.iri)) == f"{fw.id}:model"


def test_the_closed_namespaces_agree_with_the_map():
    """engine/namespaces.py keeps typed, closed namespaces (a misspelt term raises); their IRIs are the map's."""
    from maturity_graph.namespaces import CPT, EV, GRAPH, MM, RES

    got = {"mm": str(MM._NS), "ev": str(EV._NS), "cpt": str(CPT), "graph": str(GRAPH), "res": str(RES)}
    assert got == {p: prefix_map()[p] for p in got}


def test_compact_iri_only_gives_names_a_query_can_use():
    assert compact_iri("https://w3id.org/maturity-graph/mm#Capability") == "mm:Capability"
    assert compact_iri("https://w3id.org/semapv/vocab/ManualMappingCuration") == "semapv:ManualMappingCuration"
    assert compact_iri("https://w3id.org/maturity-graph/graph/") == "graph:"
    assert compact_iri("https://w3id.org/maturity-graph/result/a/b") is None  # '/' is not in a SPARQL local name
    assert compact_iri("https://w3id.org/maturity-graph/mm#-x") is None
    assert compact_iri("https://unknown.example/x") is None


def test_a_query_without_prefix_lines_runs_on_the_example():
    rows = run_query(CAPABILITIES, evidence=[EXAMPLE]).rows
    declared = "".join(f"PREFIX {p}: <{prefix_map()[p]}>\n" for p in ("mm", "graph"))
    assert rows == run_query(declared + CAPABILITIES, evidence=[EXAMPLE], prefixes={}).rows
    capabilities = {str(c) for (c,) in rows}
    assert f"{prefix_map()['sbd']}secure-update-mechanism" in capabilities
    assert len(capabilities) > 13  # SbD's 13 and the other frameworks'


def test_a_prefix_the_query_declares_wins():
    text = "PREFIX mm: <urn:elsewhere:> SELECT (mm:x AS ?v) ?c WHERE { OPTIONAL { ?c a mm:Capability } }"
    rows = run_query(text).rows
    assert rows == [(rows[0][0], None)] and str(rows[0][0]) == "urn:elsewhere:x"


def test_no_predeclared_prefixes_when_asked():
    with pytest.raises(QueryRejected, match=re.escape(MISSING.format("mm"))):
        run_query("SELECT ?c WHERE { ?c a mm:Capability }", prefixes={})
    with pytest.raises(QueryRejected, match="uses the prefixes graph:, mm: but declares no PREFIX for them"):
        run_query(CAPABILITIES, prefixes={})


@pytest.mark.parametrize("text, message", [
    ("INSERT DATA { mm:a mm:b mm:c }", "SPARQL UPDATE is refused"),
    ("DELETE WHERE { GRAPH graph:content { ?s a mm:Capability } }", "SPARQL UPDATE is refused"),
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s a mm:Capability } }", "SERVICE is refused"),
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s a foo:Capability } }", "SERVICE is refused"),
    ("SELECT * FROM <http://127.0.0.1:9/g> WHERE { ?s a mm:Capability }", "FROM and FROM NAMED are refused"),
])
def test_updates_and_network_are_refused_with_prefixes_predeclared(text, message):
    with pytest.raises(QueryRejected, match=message):
        check_read_only(text, prefix_map())


def test_the_checked_text_is_the_text_that_runs():
    checked = check_read_only(CAPABILITIES, prefix_map())
    assert checked.text.endswith(CAPABILITIES) and "\n" not in checked.text[: checked.prologue]
    assert checked.text[: checked.prologue].count("PREFIX ") == len(prefix_map())


@pytest.mark.parametrize("text, line, column", [
    ("SELECT ?c WHERE { ?c a mm:Capability ", 1, 38),
    ("SELECT ?c\nWHERE { ?c a mm:Capability ", 2, 28),
    ("# a comment\r\n\r\nSELECT ?c WHERE { ?c a mm:Capability ", 3, 38),
])
def test_parse_errors_keep_the_query_lines_and_columns(text, line, column):
    with pytest.raises(QueryRejected) as predeclared:
        check_read_only(text, prefix_map())
    with pytest.raises(QueryRejected) as plain:
        check_read_only(text)
    assert f"line {line}, column {column}:" in str(predeclared.value)
    assert str(predeclared.value) == str(plain.value)


def test_a_service_call_on_the_first_line_is_named_as_such():
    """rdflib finds a SERVICE call's text by scanning the raw line, taking a `#` in an IRI for a comment."""
    with pytest.raises(QueryRejected, match="SERVICE is refused"):
        check_read_only("SELECT * WHERE { ?s a mm:Capability . SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
                        prefix_map())


@pytest.mark.parametrize("prefixes", [{"x": "urn:a> } SERVICE <http://127.0.0.1:9/"}, {"a b": "urn:a"},
                                      {"x": "no-scheme"}, {"x": "urn:a\u003E"}])
def test_a_prefix_map_cannot_inject_text(prefixes):
    with pytest.raises(QueryRejected, match="cannot predeclare the prefix"):
        check_read_only("ASK {}", prefixes)


def test_several_missing_prefixes_are_all_named():
    with pytest.raises(QueryRejected, match=r"uses the prefixes :, bar:, foo: but declares no PREFIX for them"):
        check_read_only("SELECT * WHERE { ?s foo:p :o . ?o bar: ?x . ?x foo:q ?y }", prefix_map())


NAME_START = st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéΩ")
NAME_REST = st.text(alphabet="abcxyzXYZ019_-é", max_size=8)
PREFIX_NAMES = st.builds(lambda a, b: a + b, NAME_START, NAME_REST).filter(lambda p: p not in prefix_map())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prefix=PREFIX_NAMES, declared=st.booleans(), where=st.sampled_from(["subject", "object", "filter", "bind"]))
def test_an_undeclared_prefix_is_always_named(prefix, declared, where):
    use = {"subject": f"{prefix}:x ?p ?o", "object": f"?s mm:p {prefix}:x",
           "filter": f"?s ?p ?o FILTER(?o = {prefix}:x)", "bind": f"BIND({prefix}:x AS ?o)"}[where]
    text = (f"PREFIX {prefix}: <urn:p:>\n" if declared else "") + f"SELECT * WHERE {{ {use} }}"
    if declared:
        assert check_read_only(text, prefix_map()).form == "SelectQuery"
    else:
        with pytest.raises(QueryRejected) as err:
            check_read_only(text, prefix_map())
        assert str(err.value) == MISSING.format(prefix)


def test_evidence_older_than_shows_real_ages():
    query = named_queries()["evidence-older-than"]
    result = run_query(query.text, evidence=[EXAMPLE], declared=query.params, params={"days": "30"}).dicts()
    assert len(result) > 3
    for row in result:
        as_of = dt.date.fromisoformat(str(row["asOf"]))
        age = (as_of - dt.date.fromisoformat(str(row["date"]))).days
        assert int(row["ageDays"]) == age > 30
    assert {str(r["asOf"]) for r in result} == {"2026-03-31"}


def test_evidence_older_than_counts_leap_days_centuries_and_time_zones(write_evidence):
    from tests.conftest import up_to

    days = ["2000-02-29", "1999-12-31Z", "2024-02-29+05:00", "1900-03-01", "2026-03-30", "2026-03-31"]
    requirements = [r for r, _, _ in up_to("SPO", 5)]
    assert len(requirements) >= len(days)
    path = write_evidence([(r, "met", day) for r, day in zip(requirements, days, strict=False)])
    query = named_queries()["evidence-older-than"]
    rows = run_query(query.text, evidence=[path], declared=query.params, params={"days": "-1"},
                     as_of=dt.date(2026, 3, 31)).dicts()
    got = {str(r["date"])[:10]: int(r["ageDays"]) for r in rows}
    expected = {day[:10]: (dt.date(2026, 3, 31) - dt.date.fromisoformat(day[:10])).days for day in days}
    assert got == expected and got["2026-03-31"] == 0
