"""The whole dataset of a run (engine/dataset.py): exported as TriG and N-Quads, it loads back graph for graph."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from maturity_graph import DATASET_FORMATS, InputError, assess, export_dataset, open_store
from maturity_graph.rdf import to_rdflib_term
from tests.conftest import REPO

GRAPH = "https://w3id.org/maturity-graph/graph/"
STAGES = (Path(__file__).with_name("dataset-stages.rq")).read_text(encoding="utf-8")

EXAMPLES = {
    "northwind": ["northwind-devices/sbd-evidence.ttl"],
    "alder-portfolio": ["alder-robotics/portfolio-2026q1.ttl"],
    "lakeview": ["lakeview-agency/ztmm-2026q1.ttl"],
    "brightwater": ["brightwater-health/ctemmm-evidence.ttl"],
    "kestrel": ["kestrel-logistics/cnamm-evidence.ttl", "kestrel-logistics/cnamm-weighted.ttl"],
}


def files_of(example: str) -> list[Path]:
    return [REPO / "examples" / name for name in EXAMPLES[example]]


def load_back(path: Path, fmt: str) -> ox.Store:
    """A fresh store, filled from the file by Oxigraph's own parser (as a triple store would read it)."""
    store = ox.Store()
    store.load(path=str(path), format=DATASET_FORMATS[fmt])
    return store


def graph_counts(store: ox.Store) -> dict[str, int]:
    return dict(Counter(q.graph_name.value for q in store if isinstance(q.graph_name, ox.NamedNode)))


def stages(store: ox.Store) -> Counter[tuple[str, str, int | None]]:
    return Counter((row["assessment"].value, row["element"].value, int(row["rank"].value) if row["rank"] else None)
                   for row in store.query(STAGES))


def reported_stages(report: dict) -> Counter[tuple[str, str, int | None]]:
    """What assess reports (as_dict: what `assess -f json` prints), in the same shape as stages()."""
    iris = {a["key"]: a["assessment"] for a in report["assessments"]}
    return Counter((iris[r["assessment"]], r["iri"], r["stage"]["rank"] if r["stage"] else None)
                   for r in report["results"])


@pytest.fixture(scope="module", params=sorted(EXAMPLES))
def ran(request, tmp_path_factory):
    """Per example: what a run's store holds after assess(write_results=True), the result, and both exports."""
    files = files_of(request.param)
    store = open_store()
    result = assess(files, store=store, write_results=True)
    held = {str(g): store.count(g) for g in store.graph_names()}
    # every graph but the (large, shared) content exactly as the store holds it: Oxigraph keeps values in
    # canonical form (xsd:decimal 70.0 as 70), so the store, not rdflib's result graph, is the reference
    copies = {str(g): store.export([g]) for g in store.graph_names() if str(g) != GRAPH + "content"}
    store.close()
    folder = tmp_path_factory.mktemp(request.param)
    exported = {fmt: (folder / f"dataset.{fmt}", export_dataset(files, folder / f"dataset.{fmt}", fmt=fmt))
                for fmt in DATASET_FORMATS}
    return request.param, held, result, exported, copies


@pytest.mark.parametrize("fmt", sorted(DATASET_FORMATS))
def test_the_file_holds_each_graph_the_run_held_with_its_triples(ran, fmt):
    example, held, _, exported, _ = ran
    path, dataset = exported[fmt]
    loaded = load_back(path, fmt)
    names = [GRAPH + "content", *(f"{GRAPH}evidence/{Path(f).name}" for f in EXAMPLES[example]), GRAPH + "results"]
    assert sorted(held) == sorted(names)
    assert graph_counts(loaded) == held
    assert {str(g): n for g, n in dataset.graphs.items()} == held
    assert len(loaded) == sum(held.values()) == dataset.triples  # nothing in the default graph


@pytest.mark.parametrize("fmt", sorted(DATASET_FORMATS))
def test_evidence_and_results_graphs_are_the_runs_triple_for_triple(ran, fmt):
    _, _, result, exported, copies = ran
    loaded = load_back(exported[fmt][0], fmt)
    assert GRAPH + "results" in copies and len(copies) >= 2
    for name, held in copies.items():
        graph = Graph()
        for quad in loaded.quads_for_pattern(None, None, None, ox.NamedNode(name)):
            graph.add((to_rdflib_term(quad.subject), to_rdflib_term(quad.predicate), to_rdflib_term(quad.object)))
        assert isomorphic(graph, held), name
    assert len(copies[GRAPH + "results"]) == len(result.graph)


@pytest.mark.parametrize("fmt", sorted(DATASET_FORMATS))
def test_sparql_over_graph_results_finds_the_stages_assess_reports(ran, fmt):
    _, _, result, exported, _ = ran
    found = stages(load_back(exported[fmt][0], fmt))
    assert found == reported_stages(result.as_dict())
    assert any(rank is not None for _, _, rank in found)


@pytest.mark.parametrize("ran", ["alder-portfolio"], indirect=True)
def test_the_portfolio_keeps_every_subjects_assessment(ran):
    _, _, result, exported, _ = ran
    found = stages(load_back(exported["trig"][0], "trig"))
    assessments = {iri for iri, _, _ in found}
    assert assessments == {str(scope.iri) for scope in result.scopes} and len(assessments) == 5


def test_trig_uses_the_project_prefixes(tmp_path):
    path = tmp_path / "d.trig"
    export_dataset(files_of("northwind"), path)
    head = path.read_text(encoding="utf-8")[:2000]
    assert f"@prefix graph: <{GRAPH}> ." in head and "graph:results {" in path.read_text(encoding="utf-8")


def test_a_selection_narrows_the_results_not_the_evidence(tmp_path):
    path = tmp_path / "one.nquads"
    files = files_of("alder-portfolio")
    dataset = export_dataset(files, path, fmt="nquads", subjects=["AMR-MAKO"])
    loaded = load_back(path, "nquads")
    assert {iri for iri, _, _ in stages(loaded)} == {str(s.iri) for s in dataset.result.scopes}
    assert len(dataset.result.scopes) == 1
    assert graph_counts(loaded)[f"{GRAPH}evidence/portfolio-2026q1.ttl"] == 898  # every line of the file, as loaded


def test_unknown_format_and_input_as_output_are_refused(tmp_path):
    files = files_of("northwind")
    with pytest.raises(InputError, match="unknown dataset format 'turtle'"):
        export_dataset(files, tmp_path / "x.ttl", fmt="turtle")
    copy = tmp_path / "evidence.ttl"
    copy.write_bytes(files[0].read_bytes())
    with pytest.raises(InputError, match="the output is the input file"):
        export_dataset([copy], copy, inputs=[copy])
    assert copy.read_bytes() == files[0].read_bytes()


def test_a_failed_write_leaves_no_file(tmp_path):
    target = tmp_path / "missing-folder" / "d.trig"
    with pytest.raises(InputError, match="the folder to write into does not exist"):
        export_dataset(files_of("northwind"), target)
    assert not target.parent.exists()


def test_a_full_disk_is_an_input_error():
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    with pytest.raises(InputError, match="/dev/full: cannot write the output"):
        export_dataset(files_of("northwind"), "/dev/full", fmt="nquads")



def test_a_failed_assessment_leaves_no_file_not_even_a_temporary_one(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text('<http://a> <http://b> "x\n', encoding="utf-8")
    with pytest.raises(InputError, match="not valid Turtle"):
        export_dataset([bad], tmp_path / "d.trig")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.ttl"]


@pytest.mark.parametrize("fmt", sorted(DATASET_FORMATS))
def test_a_second_parser_reads_the_same_graphs(tmp_path, fmt):
    """rdflib's TriG and N-Quads parsers, not Oxigraph's: the file is standard, not only Oxigraph's own."""
    from rdflib import Dataset as RdflibDataset

    path = tmp_path / f"d.{fmt}"
    dataset = export_dataset(files_of("northwind"), path, fmt=fmt)
    parsed = RdflibDataset()
    parsed.parse(str(path), format={"trig": "trig", "nquads": "nquads"}[fmt])
    counts = {g.identifier: len(g) for g in parsed.graphs() if len(g)}
    assert counts == dataset.graphs


def test_with_crosswalks_the_results_mark_what_was_carried_and_no_working_graph_is_kept(tmp_path):
    from maturity_graph import write_prowler_import

    fernhill = REPO / "examples" / "fernhill-payments"
    cloud = tmp_path / "cloud.ttl"
    write_prowler_import(fernhill / "prowler-scan.ocsf.json", cloud,
                         assessment="https://example.org/fernhill-csmm-2026-11")
    path = tmp_path / "fernhill.nquads"
    dataset = export_dataset([cloud, fernhill / "attestations.ttl"], path, fmt="nquads", frameworks=["ztmm"],
                             with_crosswalks=True)
    loaded = load_back(path, "nquads")
    assert sorted(graph_counts(loaded)) == [GRAPH + "content", GRAPH + "evidence/attestations.ttl",
                                            GRAPH + "evidence/cloud.ttl", GRAPH + "results"]
    assert any(r.via_crosswalk for fa in dataset.result.frameworks for r in fa.results)
    marked = loaded.query("ASK { GRAPH <https://w3id.org/maturity-graph/graph/results> "
                          "{ ?r <http://www.w3.org/2000/01/rdf-schema#comment> ?why "
                          "FILTER(CONTAINS(?why, 'met through a crosswalk')) } }")
    assert bool(marked)
    assert stages(loaded) == reported_stages(dataset.result.as_dict())
