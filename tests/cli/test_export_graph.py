"""`mgraph export graph`: one TriG or N-Quads file a triple store loads, checked against `mgraph assess -f json`."""
from __future__ import annotations

import json
import subprocess
import sys

import pyoxigraph as ox
import pytest

from maturity_graph.cli import main
from tests.badinput.harness import LAUNCH
from tests.conftest import REPO
from tests.engine.test_dataset import GRAPH, graph_counts, reported_stages, stages

PORTFOLIO = str(REPO / "examples" / "alder-robotics" / "portfolio-2026q1.ttl")
NORTHWIND = str(REPO / "examples" / "northwind-devices" / "sbd-evidence.ttl")
FORMATS = {"trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}


def run(capsysbinary, *argv: str) -> tuple[int, bytes, str]:
    code = main(list(argv))
    out, err = capsysbinary.readouterr()
    return code, out, err.decode()


@pytest.fixture(scope="module")
def assessed_json():
    """What the `mgraph assess -f json` command prints for the portfolio (run once: it is the reference)."""
    done = subprocess.run([sys.executable, "-c", LAUNCH, "assess", PORTFOLIO, "-f", "json"], capture_output=True,
                          check=True, timeout=120)
    return json.loads(done.stdout)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_export_graph_of_the_portfolio_loads_back_with_the_stages_assess_reports(capsysbinary, tmp_path, fmt,
                                                                                 assessed_json):
    target = tmp_path / f"alder.{fmt}"
    code, out, err = run(capsysbinary, "export", "graph", PORTFOLIO, "-f", fmt, "-o", str(target))
    assert code == 0 and out == b""
    store = ox.Store()
    store.load(path=str(target), format=FORMATS[fmt])
    counts = graph_counts(store)
    assert sorted(counts) == [GRAPH + "content", GRAPH + "evidence/portfolio-2026q1.ttl", GRAPH + "results"]
    assert sorted(err.splitlines()) == sorted(f"{name}\t{n} triples" for name, n in counts.items())
    assert stages(store) == reported_stages(assessed_json)


def test_export_graph_writes_to_standard_output_without_o(capsysbinary):
    code, out, err = run(capsysbinary, "export", "graph", NORTHWIND, "-f", "nquads")
    assert code == 0
    store = ox.Store()
    store.load(out, format=ox.RdfFormat.N_QUADS)
    assert graph_counts(store)[GRAPH + "evidence/sbd-evidence.ttl"] == 242
    assert f"{GRAPH}results\t" in err


def test_framework_and_as_of_select_what_is_assessed(capsysbinary, tmp_path):
    target = tmp_path / "sbd.trig"
    code, _, _ = run(capsysbinary, "export", "graph", PORTFOLIO, "--framework", "sbd", "--as-of", "2026-01-01",
                     "-o", str(target))
    assert code == 0
    store = ox.Store()
    store.load(path=str(target), format=ox.RdfFormat.TRIG)
    frameworks = {row["f"].value for row in store.query(
        "SELECT DISTINCT ?f { GRAPH <https://w3id.org/maturity-graph/graph/results> "
        "{ ?r <https://w3id.org/maturity-graph/ev#framework> ?f } }")}
    assert frameworks and all("/framework/sbd/" in f for f in frameworks)
    dates = {row["d"].value for row in store.query(
        "SELECT DISTINCT ?d { GRAPH <https://w3id.org/maturity-graph/graph/results> "
        "{ ?r <https://w3id.org/maturity-graph/ev#asOf> ?d } }")}
    assert dates == {"2026-01-01"}


def test_a_format_export_graph_does_not_offer_is_a_usage_error(capsysbinary, tmp_path):
    code, _, err = run(capsysbinary, "export", "graph", NORTHWIND, "-f", "turtle", "-o", str(tmp_path / "x"))
    assert code == 2 and "Invalid value for '-f'" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "x").exists()
