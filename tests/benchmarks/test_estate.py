"""The scale benchmark's estate generator makes evidence users could have made: valid, every bundled model, real."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pyoxigraph
import pytest

from benchmarks.estate import ASSESSMENT_DATE, build_estate, parse_size, size_name
from maturity_graph import load_catalogue
from maturity_graph.cli import main

EV = "https://w3id.org/maturity-graph/ev#"
SIZE = 3_000


@pytest.fixture(scope="module")
def estate(tmp_path_factory):
    return build_estate(SIZE, tmp_path_factory.mktemp("estate"))


def objects(path: Path, predicate: str) -> list[pyoxigraph.Term]:
    return [t.object for t in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.N_TRIPLES)
            if t.predicate.value == predicate]


def test_size_is_close_to_the_target(estate):
    triples = sum(1 for _ in pyoxigraph.parse(path=str(estate.path), format=pyoxigraph.RdfFormat.N_TRIPLES))
    assert triples == estate.triples
    assert SIZE <= triples < SIZE * 1.02
    assert estate.attestations > 100 and estate.findings >= 40 and estate.accounts >= 2


def test_passes_mgraph_validate(estate, capsys):
    code = main(["validate", str(estate.path), "-f", "json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert json.loads(out)["status"] == "conforms"


def test_assess_covers_every_bundled_model(estate, capsys):
    code = main(["assess", str(estate.path), "-f", "json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    results = json.loads(out)["results"]
    assert {r["framework"] for r in results} == set(load_catalogue().ids())
    assert len(load_catalogue().ids()) == 6
    reasons = {gap["reason"] for r in results for gap in r["gaps"]}
    assert any("expired" in reason for reason in reasons)  # some evidence is stale
    assert any(r["stage"] is not None for r in results)  # and some of it carries a stage


def test_evidence_has_what_users_write(estate):
    addressed = {str(o.value) for o in objects(estate.path, EV + "addresses")}
    catalogue = load_catalogue()
    for fw_id in catalogue.ids():
        requirements = {str(r.requirement) for r in catalogue.requirement_rows(catalogue.get(fw_id))}
        assert addressed & requirements, fw_id
    days = {dt.date.fromisoformat(o.value) for o in objects(estate.path, EV + "date")}
    assert max(days) <= ASSESSMENT_DATE and min(days) < ASSESSMENT_DATE - dt.timedelta(days=365)
    assert objects(estate.path, EV + "value") and objects(estate.path, EV + "note")
    assert objects(estate.path, "http://www.w3.org/ns/prov#wasAttributedTo")
    checks = objects(estate.path, EV + "account")  # one per Prowler check result, from the real importer
    assert len({c.value for c in checks}) == estate.accounts
    assessments = [t for t in pyoxigraph.parse(path=str(estate.path), format=pyoxigraph.RdfFormat.N_TRIPLES)
                   if t.object.value == EV + "Assessment"]
    assert len(assessments) == 1  # one estate-wide assessment: the scan joins it (--assessment)


def test_same_seed_same_bytes(estate, tmp_path):
    again = build_estate(SIZE, tmp_path)
    assert again.path.read_bytes() == estate.path.read_bytes()
    assert again.scan.read_bytes() == estate.scan.read_bytes()
    (tmp_path / "other").mkdir()
    other = build_estate(SIZE, tmp_path / "other", seed=8)
    assert other.path.read_bytes() != estate.path.read_bytes()


@pytest.mark.parametrize(("text", "value"), [("10k", 10_000), ("100k", 100_000), ("1M", 1_000_000),
                                             ("2500", 2_500), ("1.5M", 1_500_000)])
def test_sizes_read_and_named(text, value):
    assert parse_size(text) == value
    assert parse_size(size_name(value)) == value


def test_bad_size_is_refused():
    with pytest.raises(ValueError, match="not a size"):
        parse_size("lots")
