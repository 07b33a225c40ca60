"""A run leaves a store as it found it, except for the result graph it is asked to keep (issue 9, item 5)."""
from __future__ import annotations

from maturity_graph import assess
from maturity_graph.namespaces import RESULTS_GRAPH
from maturity_graph.store import open_store
from maturity_graph.store.loading import load_into
from tests.conftest import REPO

LAKEVIEW = REPO / "examples" / "lakeview-agency" / "ztmm-2026q1.ttl"


def _graphs(directory):
    store = open_store(directory=directory)
    try:
        return {g: store.count(g) for g in store.graph_names()}
    finally:
        store.close()


def test_only_write_results_changes_the_store_and_a_plain_run_keeps_earlier_results(tmp_path):
    store = open_store(directory=tmp_path / "store")
    load_into(store, [LAKEVIEW])
    store.close()
    loaded = _graphs(tmp_path / "store")
    assert RESULTS_GRAPH not in loaded

    store = open_store(directory=tmp_path / "store")
    kept = assess(None, store=store, write_results=True)
    store.close()
    after_write = _graphs(tmp_path / "store")
    assert after_write == {**loaded, RESULTS_GRAPH: len(kept.graph)}  # the result graph and nothing else

    store = open_store(directory=tmp_path / "store")
    again = assess(None, store=store)
    store.close()
    assert _graphs(tmp_path / "store") == after_write  # no working graph left, earlier results untouched
    assert [r.stage for r in again.results] == [r.stage for r in kept.results]
