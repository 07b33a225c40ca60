"""`mgraph query` with predeclared prefixes, and `mgraph query --prefixes` (issue 11, item 6)."""
from __future__ import annotations

import csv
import io
import json

import pytest

from maturity_graph import load_catalogue, prefix_map
from maturity_graph.cli import main
from tests.conftest import REPO

EXAMPLE = REPO / "examples" / "northwind-devices" / "sbd-evidence.ttl"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_prefixes_table_lists_ev_mm_and_every_bundled_framework(capsys):
    code, out, err = run(capsys, "query", "--prefixes")
    assert code == 0 and err == ""
    listed = {}
    for line in out.splitlines()[2:]:
        if line.strip() and line.split()[0].endswith(":"):
            prefix, namespace = line.split()
            listed[prefix[:-1]] = namespace
    assert listed["mm"] == "https://w3id.org/maturity-graph/mm#"
    assert listed["ev"] == "https://w3id.org/maturity-graph/ev#"
    for fw in load_catalogue().frameworks.values():
        assert str(fw.iri).startswith(listed[fw.id]), fw.id
    assert listed == prefix_map()
    assert out.rstrip().endswith(f"{len(listed)} prefix(es)")


def test_prefixes_as_json_and_csv(capsys, tmp_path):
    code, out, _ = run(capsys, "query", "--prefixes", "-f", "json")
    assert code == 0
    assert {r["prefix"]: r["namespace"] for r in json.loads(out)["results"]} == prefix_map()
    target = tmp_path / "prefixes.csv"
    code, out, _ = run(capsys, "query", "--prefixes", "-f", "csv", "-o", str(target))
    assert code == 0 and out == ""
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert {r["prefix"]: r["namespace"] for r in rows} == prefix_map()


def test_a_query_without_prefix_lines(capsys):
    code, out, err = run(capsys, "query", "-q", "SELECT ?c WHERE { GRAPH graph:content { ?c a mm:Capability } }",
                         str(EXAMPLE), "-f", "csv")
    assert code == 0, err
    capabilities = out.splitlines()[1:]
    assert "sbd:secure-update-mechanism" in capabilities  # shown with the same prefixes, ready to paste back
    assert len(capabilities) > 13


def test_the_users_prefix_wins(capsys):
    code, out, _ = run(capsys, "query", "-q", "PREFIX mm: <urn:other:> SELECT (mm:Capability AS ?c) {}", "-f", "json")
    assert code == 0 and json.loads(out)["results"] == [{"c": "urn:other:Capability"}]


@pytest.mark.parametrize("query, message", [
    ("SELECT ?c WHERE { ?c a foo:Capability }",
     "the query uses the prefix foo: but declares no PREFIX foo: (mgraph query --prefixes lists those predeclared)"),
    ("SELECT ?c WHERE {\n  ?c a mm:Capability ;\n     ex2:p ?x . ?x bar:q ?y\n}",
     "the query uses the prefixes bar:, ex2: but declares no PREFIX for them "
     "(mgraph query --prefixes lists those predeclared)"),
])
def test_a_missing_prefix_is_named_in_one_line(capsys, query, message):
    code, out, err = run(capsys, "query", "-q", query)
    assert code == 2 and out == ""
    assert err.strip().splitlines() == [f"mgraph: error: {message}"]


@pytest.mark.parametrize("query, message", [
    ("INSERT DATA { GRAPH graph:content { mm:a mm:b mm:c } }", "SPARQL UPDATE is refused"),
    ("SELECT * WHERE { ?s a mm:Capability SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", "SERVICE is refused"),
])
def test_update_and_service_are_refused(capsys, query, message):
    code, out, err = run(capsys, "query", "-q", query)
    assert code == 2 and out == "" and message in err and len(err.strip().splitlines()) == 1


def test_evidence_older_than_shows_ages(capsys):
    code, out, _ = run(capsys, "query", "--named", "evidence-older-than", "--param", "days=270", str(EXAMPLE),
                       "-f", "json")
    assert code == 0
    rows = json.loads(out)["results"]
    assert {(r["requirementId"], r["ageDays"]) for r in rows} == {
        ("SBD-HSC-L3-1", 484), ("SBD-HSC-L3-2", 484), ("SBD-HSC-L3-3", 484), ("SBD-CVD-L4-1", 274)}
    assert {r["asOf"] for r in rows} == {"2026-03-31"}
