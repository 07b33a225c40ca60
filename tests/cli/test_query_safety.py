"""`mgraph query` end to end (issue 8, items 1, 7 and 10): no network, bounded, exit codes as documented."""
from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from maturity_graph.cli import main
from maturity_graph.queries import runner, seccomp
from maturity_graph.queries.safety import CheckedQuery
from maturity_graph.queries.sandbox import unavailable
from tests.badinput.harness import LAUNCH, REPO

CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
sandboxed = pytest.mark.skipif(unavailable() is not None, reason=unavailable() or "")


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def test_escaped_quotes_around_service(capsys, listener):
    text = 'SELECT * WHERE { BIND("\\u0022" AS ?a) SERVICE <http://127.0.0.1:%d/x> { ?s ?p ?o } BIND("\\u0022" AS ?b) }'
    code, out, err = run(capsys, "query", "-q", text % listener.port)
    assert code == 2 and out == ""
    assert "\\u0022 stands for" in one_line(err)
    assert listener.count == 0


def test_escaped_quotes_around_filter_exists_with_a_computed_endpoint(capsys, listener):
    text = ('PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT * WHERE { BIND("\\u0022" AS ?a) '
            '?x rdfs:label ?label . BIND(IRI(CONCAT("http://127.0.0.1:%d/", ENCODE_FOR_URI(?label))) AS ?ep) '
            'FILTER EXISTS { SERVICE ?ep { ?s ?p ?o } } BIND("\\u0022" AS ?b) }')
    code, _, err = run(capsys, "query", "-q", text % listener.port)
    assert code == 2
    one_line(err)
    assert listener.count == 0


@sandboxed
def test_an_error_while_rows_are_read_exits_2(capsys, listener, monkeypatch):
    """With the checker bypassed, SERVICE fails in the sandbox while rows are read: the query's error, exit 2."""
    monkeypatch.setattr(runner, "check_read_only", _accept_everything)
    code, _, err = run(capsys, "query", "-q", "SELECT * WHERE { SERVICE <http://127.0.0.1:%d/x> { ?s ?p ?o } }"
                       % listener.port)
    assert code == 2
    assert "the query failed while running" in one_line(err)
    assert listener.count == 0


@pytest.mark.parametrize("value", ["<not an iri>", "<http://a b>"])
def test_a_bad_iri_parameter_exits_2(capsys, value):
    code, _, err = run(capsys, "query", "-q", "SELECT ?s WHERE { ?s ?p ?o }", "--param", f"s={value}")
    assert code == 2
    assert "is not an absolute IRI" in one_line(err)


@pytest.mark.parametrize("argv, message", [
    (["--timeout", "1", "-q", CARTESIAN], r"ran longer than 1 s \(raise the limit with --timeout\)"),
    (["--max-rows", "5", "-q", "SELECT * WHERE { ?s ?p ?o }"], r"more than 5 rows \(raise the limit with --max-rows\)"),
    (["--max-memory", "64", "-q", "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a"],
     r"more than 64 MiB of memory \(raise the limit with --max-memory\)"),
    (["--timeout", "0", "-q", "ASK {}"], r"--timeout"),
])
def test_limits(capsys, argv, message):
    import re

    code, out, err = run(capsys, "query", *argv)
    assert code == 2 and out == ""
    assert re.search(message, one_line(err))


def test_verbose_says_when_there_is_no_network_sandbox(capsys, caplog, monkeypatch):
    monkeypatch.setattr(seccomp, "unavailable", lambda: "no network sandbox on Plan 9")
    def said():
        return [r.getMessage() for r in caplog.records if r.name == "maturity_graph.queries.sandbox"]

    logger = logging.getLogger("maturity_graph.queries.sandbox")
    try:
        assert run(capsys, "query", "-q", "ASK {}")[0] == 0
        assert said() == []
        code, out, _ = run(capsys, "-v", "query", "-q", "ASK {}")
        assert code == 0 and "true" in out
        assert said() == ["no network sandbox on Plan 9; relying on the query check"]
    finally:
        logger.setLevel(logging.NOTSET)  # the command raised it for -v; this process lives on


def _accept_everything(text: str, prefixes: object = None) -> CheckedQuery:
    """A checker with a hole as big as it gets: the sandbox alone must keep the network out."""
    return CheckedQuery(text=text, form="SelectQuery", projected=())


def _children(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []


@sandboxed
def test_ctrl_c_stops_a_runaway_query_with_exit_130():
    proc = subprocess.Popen([sys.executable, "-c", LAUNCH, "query", "-q", CARTESIAN], cwd=REPO,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    try:
        deadline = time.monotonic() + 60
        while not _children(proc.pid) and time.monotonic() < deadline:  # the query is running in its child
            time.sleep(0.05)
        child = _children(proc.pid)
        assert child, "the query never started"
        time.sleep(1)
        sent = time.monotonic()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=10)
    finally:
        proc.kill()
    assert proc.returncode == 130
    assert time.monotonic() - sent < 5
    assert one_line(err.decode()) == "mgraph: interrupted"
    assert not Path(f"/proc/{child[0]}").exists() or "Z" in Path(f"/proc/{child[0]}/stat").read_text().split()[2]
