"""Issue 8, items 1 and 7: user queries run in a child with no network, and within time, row and memory limits."""
from __future__ import annotations

import os
import signal
import socket
import threading
import time
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from maturity_graph import run_query
from maturity_graph.errors import QueryRejected, StoreError
from maturity_graph.queries import runner
from maturity_graph.queries.safety import CheckedQuery
from maturity_graph.queries.sandbox import QueryLimits, run_sandboxed, unavailable
from maturity_graph.store import open_store

sandboxed = pytest.mark.skipif(unavailable() is not None, reason=unavailable() or "")
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def store():
    graph = Graph()
    for i in range(200):
        graph.add((URIRef(f"urn:s{i}"), URIRef("urn:p"), Literal(f"label {i}")))
    filled = open_store("oxigraph")
    filled.add_graph(graph)
    return filled


def _accept_everything(text: str, prefixes: object = None) -> CheckedQuery:
    """A checker with a hole as big as it gets: the sandbox alone must keep the network out."""
    return CheckedQuery(text=text, form="SelectQuery", projected=())


def _children() -> set[str]:
    found = set()
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        try:
            found |= set((task / "children").read_text().split())
        except OSError:
            pass
    return found


def test_answers_come_back_whole(store):
    assert len(run_sandboxed(store, "SELECT * WHERE { ?s ?p ?o }").rows) == 200
    assert run_sandboxed(store, 'ASK { ?s ?p "label 7" }').boolean is True
    graph = run_sandboxed(store, "CONSTRUCT { ?s <urn:q> ?o } WHERE { ?s ?p ?o }").graph
    assert len(graph) == 200


@sandboxed
@pytest.mark.parametrize("text", [
    "SELECT * WHERE { ?s ?p ?o SERVICE <{ep}> { ?a ?b ?c } }",
    "SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <{ep}> { ?a ?b ?c } } }",
    "SELECT * WHERE { ?s ?p ?o BIND(IRI(CONCAT('{ep}', ENCODE_FOR_URI(?o))) AS ?ep) "
    "FILTER EXISTS { SERVICE ?ep { ?a ?b ?c } } }",
])
def test_the_sandbox_alone_stops_service(store, listener, text):
    """No checker here: the sandbox must stop the call by itself (inside EXISTS the failure is just false)."""
    try:
        run_sandboxed(store, text.replace("{ep}", f"http://127.0.0.1:{listener.port}/x"))
    except StoreError as err:
        assert "failed while running" in str(err)
    assert listener.count == 0


@sandboxed
def test_a_refused_service_is_an_error_of_the_query(store, listener):
    with pytest.raises(StoreError, match="the query failed while running: Operation not permitted"):
        run_sandboxed(store, "SELECT * WHERE { ?s ?p ?o SERVICE <http://127.0.0.1:%d/x> { ?a ?b ?c } }" % listener.port)
    assert listener.count == 0


@sandboxed
def test_a_checker_that_lets_everything_through_still_reaches_nothing(monkeypatch, listener):
    monkeypatch.setattr(runner, "check_read_only", _accept_everything)
    with pytest.raises(StoreError):
        run_query("SELECT * WHERE { SERVICE <http://127.0.0.1:%d/x> { ?s ?p ?o } }" % listener.port)
    assert listener.count == 0


@sandboxed
def test_the_filter_is_installed_in_the_child_only(store):
    def filters():
        return [line for line in Path("/proc/self/status").read_text().splitlines() if line.startswith("Seccomp")]

    before = filters()
    run_sandboxed(store, "ASK { ?s ?p ?o }")
    assert filters() == before
    socket.socket().close()  # this process keeps its network


def test_timeout(store):
    before = _children()
    started = time.monotonic()
    with pytest.raises(QueryRejected, match=r"ran longer than 1 s \(raise the limit with --timeout\)"):
        run_sandboxed(store, CARTESIAN, limits=QueryLimits(timeout=1))
    assert time.monotonic() - started < 10
    assert _children() <= before  # the child was killed and reaped


def test_max_rows(store):
    with pytest.raises(QueryRejected, match=r"more than 50 rows \(raise the limit with --max-rows\)"):
        run_sandboxed(store, "SELECT * WHERE { ?s ?p ?o }", limits=QueryLimits(max_rows=50))
    with pytest.raises(QueryRejected, match="more than 50 rows"):
        run_sandboxed(store, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", limits=QueryLimits(max_rows=50))
    assert len(run_sandboxed(store, "SELECT * WHERE { ?s ?p ?o }", limits=QueryLimits(max_rows=200)).rows) == 200


@sandboxed
def test_memory_budget(store):
    text = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a"
    with pytest.raises(QueryRejected, match=r"more than 64 MiB of memory \(raise the limit with --max-memory\)"):
        run_sandboxed(store, text, limits=QueryLimits(max_memory=64, timeout=60))


@sandboxed
def test_ctrl_c_kills_the_query_and_reaches_the_caller(store):
    before = _children()
    timer = threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    started = time.monotonic()
    try:
        with pytest.raises(KeyboardInterrupt):
            run_sandboxed(store, CARTESIAN, limits=QueryLimits(timeout=30))
    finally:
        timer.cancel()
    assert time.monotonic() - started < 10
    assert _children() <= before


def test_errors_met_while_iterating_are_store_errors(store):
    # Oxigraph refuses port 1 before connecting, and says so only when the row is asked for.
    answer = store.stream("SELECT * WHERE { ?s ?p ?o SERVICE <http://127.0.0.1:1/> { ?a ?b ?c } }")
    with pytest.raises(StoreError, match="failed while running"):
        list(answer.rows)


def test_limits_must_be_positive():
    for bad in ({"timeout": 0}, {"max_rows": 0}, {"max_memory": 0}):
        with pytest.raises(ValueError):
            QueryLimits(**bad)
