"""`--engine` on assess and validate, and assessing a store (`--store-dir`) that `mgraph load` filled (issue 9)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from maturity_graph import open_store
from maturity_graph.cli import main
from tests.conftest import REPO

EXAMPLE = REPO / "examples" / "northwind-devices" / "sbd-evidence.ttl"
RESULTS = "https://w3id.org/maturity-graph/graph/results"

BROKEN = """@prefix ev: <https://w3id.org/maturity-graph/ev#> .
@prefix sbd: <https://w3id.org/maturity-graph/framework/sbd/2025-06-18/> .
@prefix ex: <https://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

ex:assessment a ev:Assessment ; ev:assessmentDate "2026-03-31"^^xsd:date .
ex:item a ev:Attestation ; ev:inAssessment ex:assessment ; ev:status ev:Met ; ev:date "not a date" .
"""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, object]:
    code, out, err = run(capsys, *argv, "-f", "json")
    assert code == 0, err
    body: dict[str, object] = json.loads(out)
    return body


def test_both_engines_assess_the_example_alike(capsys: pytest.CaptureFixture[str]) -> None:
    sparql = _json(capsys, "assess", str(EXAMPLE))
    assert _json(capsys, "assess", str(EXAMPLE), "--engine", "pyshacl") == sparql
    assert sparql["results"]


def test_both_engines_report_the_same_violations(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text(BROKEN, encoding="utf-8")
    reports = []
    for engine in ("sparql", "pyshacl"):
        code, out, err = run(capsys, "validate", str(broken), "--engine", engine, "-f", "json")
        assert code == 1, err
        reports.append(sorted(json.dumps(v, sort_keys=True) for v in json.loads(out)["results"]))
    assert reports[0] == reports[1] and reports[0]


def test_an_unknown_engine_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "assess", str(EXAMPLE), "--engine", "jena")
    assert code == 2 and out == "" and "--engine" in err and len(err.splitlines()) == 1


def test_assessing_a_loaded_store_gives_what_assessing_the_file_gives(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    code, _, err = run(capsys, "load", str(EXAMPLE), "--store-dir", str(store_dir))
    assert code == 0, err
    from_file = _json(capsys, "assess", str(EXAMPLE))
    assert _json(capsys, "assess", "--store-dir", str(store_dir)) == from_file
    code, out, err = run(capsys, "validate", "--store-dir", str(store_dir))
    assert code == 0 and "conforms" in out, err


def test_a_store_is_written_only_with_write_results(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from rdflib import URIRef

    store_dir = tmp_path / "store"
    assert run(capsys, "load", str(EXAMPLE), "--store-dir", str(store_dir))[0] == 0

    def results() -> int:
        store = open_store(directory=store_dir)
        try:
            return store.count(URIRef(RESULTS))
        finally:
            store.close()

    assert run(capsys, "assess", "--store-dir", str(store_dir))[0] == 0
    assert results() == 0
    assert run(capsys, "assess", "--store-dir", str(store_dir), "--write-results")[0] == 0
    assert results() > 0


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["assess"], "give EVIDENCE files, or a store"),
        (["validate"], "give EVIDENCE files, or a store"),
        (["assess", str(EXAMPLE), "--store-dir", "{tmp}"], "not both"),
        (["validate", str(EXAMPLE), "--endpoint", "http://127.0.0.1:9/query"], "not both"),
        (["assess", str(EXAMPLE), "--write-results"], "--write-results needs a store"),
        (["assess", "--store-dir", "{tmp}", "--endpoint", "http://127.0.0.1:9/query"], "not both"),
    ],
)
def test_where_the_evidence_comes_from_is_checked_first(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str], message: str) -> None:
    code, out, err = run(capsys, *[a.replace("{tmp}", str(tmp_path / "store")) for a in argv])
    assert code == 2 and out == "" and message in err and len(err.splitlines()) == 1
    assert not (tmp_path / "store").exists()  # nothing was created


def test_an_unreachable_endpoint_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    # port 9 (discard) on the loopback interface: nothing listens there
    code, out, err = run(capsys, "assess", "--endpoint", "http://127.0.0.1:9/query", "--endpoint-timeout", "5")
    assert code == 2 and out == "" and len(err.splitlines()) == 1


@pytest.mark.parametrize("command", ["assess", "validate"])
def test_reading_a_missing_store_creates_nothing(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                 command: str) -> None:
    """A mistyped --store-dir is named, and no empty store is left behind in its place."""
    missing = tmp_path / "estaet"
    status, _, err = run(capsys, command, "--store-dir", str(missing))
    assert status == 2 and "no store there; fill one with mgraph load" in err
    assert not missing.exists()
