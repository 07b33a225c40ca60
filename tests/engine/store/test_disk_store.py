"""Issue 9 item 5: the on-disk Oxigraph store persists, and refuses a directory it must not touch."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from rdflib import URIRef

from maturity_graph.errors import StoreError
from maturity_graph.store import open_store

GRAPH = URIRef("https://example.org/g")
DATA = b'<https://example.org/s> <https://example.org/p> "kept" .\n'


def test_the_store_persists_across_close_and_open(tmp_path):
    folder = tmp_path / "store"
    store = open_store(directory=folder)
    assert store.load(DATA, fmt="ntriples", source="x.nt", into=GRAPH) == 1
    store.close()
    again = open_store(directory=folder)
    assert again.graph_names() == [GRAPH] and again.count(GRAPH) == 1
    assert str(again.query("SELECT ?o WHERE { ?s ?p ?o }", graphs=[GRAPH]).rows[0][0]) == "kept"
    again.close()


def test_a_store_in_use_is_one_line(tmp_path):
    folder = tmp_path / "store"
    store = open_store(directory=folder)
    with pytest.raises(StoreError) as err:
        open_store(directory=folder)
    assert str(err.value) == f"{folder}: the store is in use by another process (its lock is held)"
    store.close()


def test_a_store_held_by_another_process_is_one_line(tmp_path):
    folder = tmp_path / "store"
    open_store(directory=folder).close()
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, pyoxigraph
        store = pyoxigraph.Store({str(folder)!r})
        print("open", flush=True)
        sys.stdin.read()
        """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert holder.stdout.readline().strip() == b"open"
        with pytest.raises(StoreError, match="in use by another process"):
            open_store(directory=folder)
    finally:
        holder.communicate(b"", timeout=30)


def test_a_directory_of_other_files_is_refused_and_left_alone(tmp_path):
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(StoreError) as err:
        open_store(directory=folder)
    assert str(err.value).startswith(f"{folder}: is not an Oxigraph store")
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]


def test_a_file_is_not_a_store_directory(tmp_path):
    path = tmp_path / "file.ttl"
    path.write_text("", encoding="utf-8")
    with pytest.raises(StoreError, match="is not a directory"):
        open_store(directory=path)


def test_a_store_is_one_place():
    with pytest.raises(StoreError, match="not both"):
        open_store(directory=Path("x"), endpoint="http://127.0.0.1:9/q")
    with pytest.raises(StoreError, match="need --endpoint"):
        open_store(update_endpoint="http://127.0.0.1:9/u")
    with pytest.raises(StoreError, match="unknown store 'memory'"):
        open_store("memory")
