"""Issue 9 item 5: `mgraph load` puts content and evidence into named graphs of a store that outlives the run."""
from __future__ import annotations

import pytest
from rdflib import URIRef

from maturity_graph.cli import main
from maturity_graph.namespaces import CONTENT_GRAPH, GRAPH
from maturity_graph.store import open_store
from maturity_graph.store.loading import evidence_graph_name, load_into
from tests.conftest import evidence_turtle, up_to
from tests.engine.store.server import free_port

NT = '<https://example.org/s> <https://example.org/p> "x" .\n<https://example.org/s> <https://example.org/p> "y" .\n'


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def files(tmp_path):
    first = tmp_path / "acme evidence.ttl"
    first.write_text(evidence_turtle(up_to("SPO", 3)), encoding="utf-8")
    other = tmp_path / "other"
    other.mkdir()
    second = other / "acme evidence.ttl"  # the same file name again: a graph of its own
    second.write_text(evidence_turtle(up_to("RSK", 2)), encoding="utf-8")
    third = tmp_path / "scan.nt"
    third.write_text(NT, encoding="utf-8")
    return [first, second, third]


def test_load_into_a_server_then_query_the_graphs(capsys, oxigraph_server, files):
    endpoint = open_store(endpoint=f"{oxigraph_server}/query", update_endpoint=f"{oxigraph_server}/update")
    endpoint.update("DROP ALL")
    code, out, err = run(capsys, "load", *map(str, files), "--endpoint", f"{oxigraph_server}/query",
                         "--update-endpoint", f"{oxigraph_server}/update", "--graph-store", f"{oxigraph_server}/store")
    assert (code, err) == (0, "")
    graphs = [CONTENT_GRAPH, GRAPH["evidence/acme-evidence.ttl"], GRAPH["evidence/acme-evidence.ttl-2"],
              GRAPH["evidence/scan.nt"]]
    lines = out.splitlines()
    assert [line.split("\t")[0] for line in lines] == [str(g) for g in graphs]
    assert lines[3] == f"{GRAPH['evidence/scan.nt']}\t2 triples\t{files[2]}"
    assert endpoint.graph_names() == sorted(graphs)
    for line, graph in zip(lines, graphs, strict=True):
        assert int(line.split("\t")[1].split()[0]) == endpoint.count(graph) > 0
    # the first file's claims are in its graph and not in the other's
    ask = ("ASK { ?a <https://w3id.org/maturity-graph/ev#addresses> ?r . "
           "FILTER(CONTAINS(STR(?r), 'security-policy-ownership')) }")
    assert endpoint.query(ask, graphs=[graphs[1]]).boolean and not endpoint.query(ask, graphs=[graphs[2]]).boolean

    # loading again replaces, never doubles; --no-content leaves the content graph as it was
    code, out, _ = run(capsys, "load", str(files[2]), "--no-content", "--endpoint", f"{oxigraph_server}/query",
                       "--update-endpoint", f"{oxigraph_server}/update")
    assert code == 0 and out.splitlines() == [f"{GRAPH['evidence/scan.nt']}\t2 triples\t{files[2]}"]
    assert endpoint.count(GRAPH["evidence/scan.nt"]) == 2 and CONTENT_GRAPH in endpoint.graph_names()


def test_load_into_a_store_directory(capsys, tmp_path, files):
    folder = tmp_path / "store"
    code, out, _ = run(capsys, "load", str(files[2]), "--store-dir", str(folder))
    assert code == 0 and len(out.splitlines()) == 2
    store = open_store(directory=folder)
    assert store.graph_names() == [CONTENT_GRAPH, GRAPH["evidence/scan.nt"]] and store.count(CONTENT_GRAPH) > 10_000
    store.close()


@pytest.mark.parametrize("argv, expected", [
    (["load", "x.ttl"], "give a store to load into"),
    (["load", "--no-content", "--store-dir", "{dir}/s"], "nothing to load"),
    (["load", "x.ttl", "--store-dir", "{dir}/s", "--endpoint", "http://127.0.0.1:9/q"], "not both"),
    (["load", "x.ttl", "--update-endpoint", "http://127.0.0.1:9/u"], "need --endpoint"),
    (["load", "--endpoint", "ftp://127.0.0.1/q", "--update-endpoint", "http://127.0.0.1:9/u"], "http:// or https://"),
    (["load", "{dir}/notes.txt", "--store-dir", "{dir}/s"], "cannot load '.txt' files"),
    (["load", "{dir}/missing.ttl", "--store-dir", "{dir}/s"], "file not found"),
])
def test_load_errors_are_one_line_exit_2(capsys, tmp_path, argv, expected):
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    code, out, err = run(capsys, *(a.replace("{dir}", str(tmp_path)) for a in argv))
    assert code == 2 and out == "" and expected in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "s").exists()  # refused before a store was made


def test_a_down_endpoint_is_exit_2_with_one_line(capsys, files):
    url = f"http://127.0.0.1:{free_port()}"
    code, out, err = run(capsys, "load", str(files[2]), "--endpoint", f"{url}/query", "--update-endpoint",
                         f"{url}/update")
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
    assert "connection refused" in err and url in err


def test_graph_names_are_unique_and_safe(tmp_path):
    taken: set[URIRef] = set()
    names = []
    for name in ["a.ttl", "a.ttl", "ü ber/../x.ttl", ""]:
        graph = evidence_graph_name(tmp_path / name if name else tmp_path, taken)
        taken.add(graph)
        names.append(str(graph).removeprefix(str(GRAPH)))
    assert names[:2] == ["evidence/a.ttl", "evidence/a.ttl-2"]
    assert names[2] == "evidence/x.ttl" and all(" " not in n and "/.." not in n for n in names)


def test_load_into_checks_every_file_before_writing(tmp_path, files):
    store = open_store()
    with pytest.raises(Exception, match="file not found"):
        load_into(store, [files[2], tmp_path / "missing.ttl"])
    assert store.graph_names() == []
