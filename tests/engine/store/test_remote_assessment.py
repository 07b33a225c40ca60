"""Issue 9 item 5: an assessment of what a SPARQL endpoint holds gives the embedded store's results."""
from __future__ import annotations

import pytest

from maturity_graph import assess
from maturity_graph.store import open_store
from maturity_graph.store.loading import load_into
from tests.conftest import REPO, evidence_turtle, up_to

EXAMPLES = [REPO / "examples" / "northwind-devices" / "sbd-evidence.ttl",
            REPO / "examples" / "lakeview-agency" / "ztmm-2026q1.ttl"]


def outcomes(result):
    return [(fw.framework, r.kind, r.id, r.stage.rank if r.stage else None)
            for fw in result.frameworks for r in fw.results]


@pytest.mark.parametrize("made", ["examples", "claims"])
def test_remote_assessment_matches_embedded(oxigraph_server, tmp_path, made):
    if made == "examples":
        files = [p for p in EXAMPLES if p.exists()]
        if not files:
            pytest.skip("the example evidence is absent")
    else:
        path = tmp_path / "claims.ttl"
        path.write_text(evidence_turtle(up_to("SPO", 4) + up_to("RSK", 2) + [(r, "not_met", "2026-03-01")
                                                                              for r, *_ in up_to("SBM", 3)]),
                        encoding="utf-8")
        files = [path]
    store = open_store(endpoint=f"{oxigraph_server}/query", update_endpoint=f"{oxigraph_server}/update",
                       graph_store=f"{oxigraph_server}/store")
    store.update("DROP ALL")
    load_into(store, files)
    for one in files:
        local = assess([one])
        remote_store = open_store(endpoint=f"{oxigraph_server}/query", update_endpoint=f"{oxigraph_server}/update")
        if len(files) > 1:  # assess one evidence graph at a time: keep only this file's graph
            for other in files:
                if other != one:
                    store.drop(next(g for g in store.graph_names() if str(g).endswith("/" + other.name)))
        remote = assess(None, store=remote_store)
        assert outcomes(remote) == outcomes(local)
        assert remote_store.requests > 10
        load_into(store, files, content=False)


def test_assessing_needs_the_update_endpoint_and_leaves_the_store_as_found(oxigraph_server):
    """A run writes working graphs; without an update endpoint it says so before reading anything, and with
    one it removes them, so the endpoint holds after the run exactly what it held before."""
    from maturity_graph import StoreError

    store = open_store(endpoint=f"{oxigraph_server}/query", update_endpoint=f"{oxigraph_server}/update")
    store.update("DROP ALL")
    load_into(store, [EXAMPLES[0]])
    before = {g: store.count(g) for g in store.graph_names()}
    with pytest.raises(StoreError, match="update endpoint"):
        assess(None, store=open_store(endpoint=f"{oxigraph_server}/query"))
    assess(None, store=store)
    assert {g: store.count(g) for g in store.graph_names()} == before
