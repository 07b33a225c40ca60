"""Issue 9 item 5: the endpoint store's wire behaviour: auth, failures as one line, no redirects, read-only, costs."""
from __future__ import annotations

import base64
import json
import time

import pytest
from rdflib import BNode, Literal, URIRef

from maturity_graph.errors import StoreError
from maturity_graph.store import open_store
from tests.engine.store.server import free_port, stub_server

ASK_TRUE = json.dumps({"head": {}, "boolean": True}).encode()


def sparql_json(handler):
    return 200, "application/sparql-results+json", ASK_TRUE, {}


def one_line_naming(err: pytest.ExceptionInfo[StoreError], url: str) -> str:
    message = str(err.value)
    assert "\n" not in message and url in message and "Traceback" not in message
    return message


def test_basic_auth_from_an_environment_variable(monkeypatch):
    monkeypatch.setenv("MGRAPH_TEST_AUTH", "auditor:s3cret:with-colon")
    with stub_server(sparql_json) as (base, seen):
        store = open_store(endpoint=f"{base}/sparql", auth_env="MGRAPH_TEST_AUTH")
        assert store.query("ASK { ?s ?p ?o }").boolean is True
    path, headers, body = seen.requests[0]
    assert path == "/sparql" and headers["Authorization"] == "Basic " + base64.b64encode(
        b"auditor:s3cret:with-colon").decode()
    assert headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert b"query=ASK" in body and "application/sparql-results+json" in headers["Accept"]


def test_bearer_auth_and_no_credentials_without_the_option(monkeypatch):
    monkeypatch.setenv("MGRAPH_TEST_TOKEN", "Bearer abc.def")
    with stub_server(sparql_json) as (base, seen):
        open_store(endpoint=f"{base}/q", auth_env="MGRAPH_TEST_TOKEN").query("ASK {}")
        open_store(endpoint=f"{base}/q").query("ASK {}")
    assert seen.requests[0][1]["Authorization"] == "Bearer abc.def"
    assert "Authorization" not in seen.requests[1][1]


@pytest.mark.parametrize("value, expected", [(None, "is not set"), ("just-a-token", "neither")])
def test_bad_credentials_variable_is_one_line_without_the_secret(monkeypatch, value, expected):
    if value is None:
        monkeypatch.delenv("MGRAPH_TEST_AUTH", raising=False)
    else:
        monkeypatch.setenv("MGRAPH_TEST_AUTH", value)
    with pytest.raises(StoreError, match=expected) as err:
        open_store(endpoint="http://127.0.0.1:9/q", auth_env="MGRAPH_TEST_AUTH")
    assert "MGRAPH_TEST_AUTH" in str(err.value) and "just-a-token" not in str(err.value)


def test_a_down_endpoint_is_one_line():
    url = f"http://127.0.0.1:{free_port()}/query"
    with pytest.raises(StoreError) as err:
        open_store(endpoint=url).query("ASK {}")
    assert "connection refused" in one_line_naming(err, url)


@pytest.mark.parametrize("status, content_type, body, expected", [
    (200, "text/html", b"<html><body>Welcome to nginx</body></html>", "answered text/html, not SPARQL results"),
    (200, "application/sparql-results+json", b"<html>oops</html>", "not valid SPARQL results"),
    (200, "application/sparql-results+json", b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": ',
     "not valid SPARQL results"),
    (502, "text/html", b"<html><h1>Bad Gateway</h1>\n<p>upstream</p></html>", "HTTP 502 Bad Gateway"),
    (400, "text/plain", b"Parse error:\nline 1\n" + b"x" * 1000, "HTTP 400 Bad Request: Parse error: line 1 xxx"),
])
def test_garbage_answers_are_one_line(status, content_type, body, expected):
    with stub_server(lambda handler: (status, content_type, body, {})) as (base, _):
        with pytest.raises(StoreError) as err:
            open_store(endpoint=f"{base}/query").query("SELECT ?x WHERE { ?x ?p ?o }")
    message = one_line_naming(err, f"{base}/query")
    assert expected in message and len(message) < 400 and "<html" not in message


def test_a_slow_endpoint_times_out():
    def slow(handler):
        time.sleep(1.5)
        return sparql_json(handler)
    with stub_server(slow) as (base, _):
        with pytest.raises(StoreError) as err:
            open_store(endpoint=f"{base}/query", timeout=0.3).query("ASK {}")
    assert "no answer within 0.3 s" in one_line_naming(err, f"{base}/query")


def test_redirects_are_refused_not_followed():
    def moved(handler):
        return 307, "text/plain", b"", {"Location": "http://elsewhere.example/query"}
    with stub_server(moved) as (base, seen):
        with pytest.raises(StoreError) as err:
            open_store(endpoint=f"{base}/query").query("ASK {}")
    assert "redirected (HTTP 307) to http://elsewhere.example/query" in one_line_naming(err, f"{base}/query")
    assert len(seen.requests) == 1


@pytest.mark.parametrize("url, expected", [
    ("file:///etc/passwd", "must be an http:// or https:// URL"),
    ("ftp://example.org/sparql", "must be an http:// or https:// URL"),
    ("example.org/sparql", "must be an http:// or https:// URL"),
    ("http:///sparql", "must be an http:// or https:// URL"),
    ("https://user:pw@example.org/sparql", "not in the URL"),
])
def test_only_http_urls_without_credentials(url, expected):
    with pytest.raises(StoreError, match=expected) as err:
        open_store(endpoint=url)
    assert "pw" not in str(err.value)


def test_without_an_update_endpoint_nothing_is_written():
    with stub_server(sparql_json) as (base, seen):
        store = open_store(endpoint=f"{base}/query")
        assert store.read_only
        for write in (lambda: store.update("CLEAR ALL"), lambda: store.drop(URIRef("https://example.org/g")),
                      lambda: store.load(b"", fmt="turtle", source="x.ttl", into=URIRef("https://example.org/g"))):
            with pytest.raises(StoreError, match="read-only; give an update endpoint"):
                write()
        assert seen.requests == []


def test_bindings_cannot_be_blank_nodes():
    with pytest.raises(StoreError, match="blank node"):
        open_store(endpoint="http://127.0.0.1:9/q").query("SELECT ?x {}", bindings={"x": BNode()})


def test_an_empty_graph_list_is_an_empty_dataset_not_the_default_graph():
    none = b"https%3A%2F%2Fw3id.org%2Fmaturity-graph%2Fgraph%2Fnone"
    with stub_server(sparql_json) as (base, seen):
        open_store(endpoint=f"{base}/q").query("ASK { ?s ?p ?o }", graphs=[])
        assert len(seen.requests) == 1 and b"default-graph-uri=" + none in seen.requests[0][2]
        assert b"named-graph-uri" not in seen.requests[0][2]  # no GRAPH in the query: no need to list them
        open_store(endpoint=f"{base}/q").query("ASK { GRAPH ?g { ?s ?p ?o } }", graphs=[])
    # the named graphs are listed first (the stub lists none), then named: the dataset keeps them reachable
    assert len(seen.requests) == 3 and b"named-graph-uri=" + none in seen.requests[2][2]


def test_counts_requests_and_bytes(oxigraph_server):
    store = open_store(endpoint=f"{oxigraph_server}/query", update_endpoint=f"{oxigraph_server}/update")
    graph = URIRef("https://example.org/counted")
    store.drop(graph)
    start = (store.requests, store.bytes_sent, store.bytes_received)
    store.load(b'<https://example.org/s> <https://example.org/p> "x" .', fmt="ntriples", source="x.nt", into=graph)
    assert store.requests - start[0] == 3  # count before, INSERT DATA, count after
    assert store.bytes_sent - start[1] > 50 and store.bytes_received > start[2]
    assert store.query("SELECT ?o WHERE { ?s ?p ?o }", graphs=[graph]).rows == [(Literal("x"),)]
    assert store.requests - start[0] == 4
    store.drop(graph)
