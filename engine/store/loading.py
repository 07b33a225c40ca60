"""Filling a store for later runs (`mgraph load`): the bundled content and each evidence file in a graph of its own.

Files go straight into the store (Oxigraph's bulk loader, or the endpoint's Graph Store Protocol or
update endpoint), never through rdflib, so a file of any size is streamed. Graph names:

- the bundled content (vocabulary and frameworks): graph:content
- an evidence file: graph:evidence/<file name>, where the file name keeps letters, digits, '.', '_'
  and '-' (anything else becomes '-'); a second file of the same name gets '-2', then '-3', in the
  order the files were given.

Loading a graph replaces what the graph held before, so loading the same files again gives the same store.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import URIRef

from ..catalogue import Catalogue, load_catalogue
from ..errors import InputError
from ..namespaces import CONTENT_GRAPH, evidence_graph
from .interface import Store

# File suffixes `mgraph load` streams, to Store.load format names (quads formats land in the file's graph too).
LOAD_FORMATS = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".nt": "ntriples",
    ".nq": "nquads",
    ".trig": "trig",
    ".jsonld": "jsonld",
    ".rdf": "rdfxml",
    ".owl": "rdfxml",
}


@dataclass(frozen=True)
class LoadedGraph:
    """One graph `load_into` filled: its name, where its triples came from and how many it now holds."""

    graph: URIRef
    source: str
    triples: int


def evidence_graph_name(path: Path, taken: set[URIRef]) -> URIRef:
    """graph:evidence/<file name>, made unique among `taken` with -2, -3, ..."""
    stem = re.sub(r"[^A-Za-z0-9._-]", "-", path.name) or "file"
    name, n = evidence_graph(stem), 1
    while name in taken:
        n += 1
        name = evidence_graph(f"{stem}-{n}")
    return name


def load_into(store: Store, files: Iterable[str | Path], *, content: bool = True,
              catalogue: Catalogue | None = None) -> list[LoadedGraph]:
    """Put the bundled content (with `content`) and every evidence file into named graphs of `store`.

    Every file is checked (exists, is a regular file, has a known suffix) before anything is written.
    """
    checked = loadable(files)
    loaded: list[LoadedGraph] = []
    if content:
        store.drop(CONTENT_GRAPH)
        for name, data in (catalogue or load_catalogue()).content_files():
            store.load(data, fmt="turtle", source=name, into=CONTENT_GRAPH)
        loaded.append(LoadedGraph(CONTENT_GRAPH, "the bundled content", store.count(CONTENT_GRAPH)))
    taken: set[URIRef] = set()
    for path, fmt in checked:
        graph = evidence_graph_name(path, taken)
        taken.add(graph)
        store.drop(graph)
        store.load(path, fmt=fmt, source=str(path), into=graph)
        loaded.append(LoadedGraph(graph, str(path), store.count(graph)))
    return loaded


def loadable(files: Iterable[str | Path]) -> list[tuple[Path, str]]:
    """Each file with its Store.load format; InputError naming the first that cannot be loaded (before any store
    is opened, so a refused file leaves no store behind)."""
    return [(Path(f), _format_of(Path(f))) for f in files]


def _format_of(path: Path) -> str:
    fmt = LOAD_FORMATS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(LOAD_FORMATS))
        raise InputError(f"cannot load {path.suffix or 'a file without a suffix'!r} files straight into a store; "
                         f"use one of {known} (convert scanner output with mgraph evidence import first)", path=path)
    if not path.exists():
        raise InputError("file not found", path=path)
    if not path.is_file():
        raise InputError("is not a regular file", path=path)
    return fmt
