"""`mgraph serve`: a real Oxigraph server on loopback, queried over HTTP with the SPARQL 1.1 Protocol."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest

from maturity_graph import assess
from tests.badinput.harness import LAUNCH
from tests.conftest import REPO
from tests.engine.store.server import free_port, oxigraph_binary
from tests.engine.test_dataset import GRAPH, STAGES, reported_stages

PORTFOLIO = REPO / "examples" / "alder-robotics" / "portfolio-2026q1.ttl"
NORTHWIND = REPO / "examples" / "northwind-devices" / "sbd-evidence.ttl"
READY = "mgraph: SPARQL endpoint (read-only): "
SERVING = "mgraph: serving;"
NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))

needs_server = pytest.mark.skipif(oxigraph_binary() is None,
                                  reason="the oxigraph server is not installed (pip install 'maturity-graph[serve]')")


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    endpoint: str
    stderr: list[str]
    tmpdir: Path

    @property
    def base(self) -> str:
        return self.endpoint.removesuffix("/query")

    def stop(self, signum: int = signal.SIGTERM) -> tuple[int, str]:
        self.process.send_signal(signum)
        _, rest = self.process.communicate(timeout=30)
        return self.process.returncode, "".join(self.stderr) + rest.decode()


def start(tmp_path: Path, *argv: str, port: int | None = None) -> Server:
    """`mgraph serve` as its own process, with TMPDIR in tmp_path (to see its temporary store come and go)."""
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir(exist_ok=True)
    port = port or free_port()
    process = subprocess.Popen([sys.executable, "-c", LAUNCH, "serve", *argv, "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               env={**os.environ, "TMPDIR": str(tmpdir), "PYTHONPATH": str(REPO)})
    assert process.stderr is not None
    lines: list[str] = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = process.stderr.readline().decode()
        if not line:
            raise AssertionError(f"mgraph serve ended before it was ready: {''.join(lines)}")
        lines.append(line)
        if line.startswith(SERVING):
            endpoint = next(seen for seen in lines if seen.startswith(READY)).removeprefix(READY).strip()
            return Server(process, endpoint, lines, tmpdir)
    process.kill()
    raise AssertionError(f"mgraph serve was not ready within 120 s: {''.join(lines)}")


def sparql(endpoint: str, query: str) -> dict:
    """A SPARQL 1.1 Protocol query by POST, as a client or notebook sends it."""
    request = urllib.request.Request(endpoint, data=urllib.parse.urlencode({"query": query}).encode(),
                                     headers={"Accept": "application/sparql-results+json",
                                              "Content-Type": "application/x-www-form-urlencoded"})
    with NO_PROXY.open(request, timeout=30) as answer:
        return json.loads(answer.read())


def status_of(request: urllib.request.Request) -> int:
    try:
        with NO_PROXY.open(request, timeout=30) as answer:
            return answer.status
    except urllib.error.HTTPError as err:
        return err.code


@pytest.fixture(scope="module")
def portfolio_server(tmp_path_factory) -> Iterator[Server]:
    if oxigraph_binary() is None:
        pytest.skip("the oxigraph server is not installed (pip install 'maturity-graph[serve]')")
    server = start(tmp_path_factory.mktemp("serve"), str(PORTFOLIO))
    yield server
    code, _ = server.stop()
    assert code == 0


@needs_server
def test_graph_results_holds_the_stages_assess_reports(portfolio_server):
    answer = sparql(portfolio_server.endpoint, STAGES)
    found = Counter((b["assessment"]["value"], b["element"]["value"], int(b["rank"]["value"]) if "rank" in b else None)
                    for b in answer["results"]["bindings"])
    assert found == reported_stages(assess([PORTFOLIO]).as_dict())
    assert len({a for a, _, _ in found}) == 5


@needs_server
def test_content_evidence_and_results_are_named_graphs(portfolio_server):
    answer = sparql(portfolio_server.endpoint, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    counts = {b["g"]["value"]: int(b["n"]["value"]) for b in answer["results"]["bindings"]}
    assert sorted(counts) == [GRAPH + "content", GRAPH + "evidence/portfolio-2026q1.ttl", GRAPH + "results"]
    printed = dict(line.rstrip("\n").split("\t") for line in portfolio_server.stderr if line.startswith(GRAPH))
    assert {g: f"{n} triples" for g, n in counts.items()} == printed
    default = sparql(portfolio_server.endpoint, "ASK { ?s ?p ?o }")
    assert default["boolean"] is False  # each graph is named, as in the store; the default graph is empty


@needs_server
def test_updates_are_refused(portfolio_server):
    insert = "INSERT DATA { GRAPH <https://example.org/g> { <https://example.org/s> <https://example.org/p> 1 } }"
    by_update = urllib.request.Request(f"{portfolio_server.base}/update", data=insert.encode(),
                                       headers={"Content-Type": "application/sparql-update"})
    form = urllib.parse.urlencode({"update": insert}).encode()
    by_query = urllib.request.Request(portfolio_server.endpoint, data=form,
                                      headers={"Content-Type": "application/x-www-form-urlencoded"})
    by_store = urllib.request.Request(f"{portfolio_server.base}/store?default", method="PUT",
                                      data=b"<https://example.org/s> <https://example.org/p> 1 .",
                                      headers={"Content-Type": "application/n-triples"})
    drop = urllib.request.Request(f"{portfolio_server.base}/store?graph={GRAPH}results", method="DELETE")
    for request in (by_update, by_query, by_store, drop):
        assert 400 <= status_of(request) < 500, request.full_url
    still = sparql(portfolio_server.endpoint, f"ASK {{ GRAPH <{GRAPH}results> {{ ?s ?p ?o }} }}")
    assert still["boolean"] is True
    assert sparql(portfolio_server.endpoint, "ASK { GRAPH <https://example.org/g> { ?s ?p ?o } }")["boolean"] is False


@needs_server
def test_the_query_page_is_served(portfolio_server):
    with NO_PROXY.open(f"{portfolio_server.base}/", timeout=30) as answer:
        assert answer.status == 200 and b"<title>Oxigraph server</title>" in answer.read()
    assert any(line.startswith(f"mgraph: query page: {portfolio_server.base}/") for line in portfolio_server.stderr)


@needs_server
def test_sigterm_stops_the_server_and_removes_the_temporary_store(tmp_path):
    server = start(tmp_path, str(NORTHWIND))
    stores = list(server.tmpdir.glob("mgraph-serve-*"))
    assert len(stores) == 1 and (stores[0] / "CURRENT").is_file()
    assert any(str(stores[0]) in line for line in server.stderr)
    code, err = server.stop(signal.SIGTERM)
    assert code == 0 and "mgraph: server stopped" in err and "Traceback" not in err
    assert list(server.tmpdir.iterdir()) == []
    with pytest.raises(urllib.error.URLError):
        NO_PROXY.open(server.endpoint + "?query=ASK%7B%7D", timeout=5)


@needs_server
def test_ctrl_c_stops_it_and_a_store_dir_is_kept(tmp_path):
    kept = tmp_path / "kept"
    server = start(tmp_path, str(NORTHWIND), "--store-dir", str(kept), "--bind", "127.0.0.1")
    assert not any("warning" in line for line in server.stderr)  # loopback: no warning
    code, err = server.stop(signal.SIGINT)
    assert code == 130 and "Traceback" not in err
    store = ox.Store.read_only(str(kept))
    names = {g.value for g in store.named_graphs()}
    assert names == {GRAPH + "content", GRAPH + "evidence/sbd-evidence.ttl", GRAPH + "results"}
    assert list(server.tmpdir.iterdir()) == []
