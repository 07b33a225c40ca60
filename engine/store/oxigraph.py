"""The default store: embedded Oxigraph, in memory or on disk, fast to load and to query."""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, overload

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Node

from ..errors import StoreError
from ..rdf import OXIGRAPH_FORMATS, load_error, to_oxigraph_term, to_oxigraph_triples, to_rdflib_term
from .interface import QueryStream, Store

_BOM = b"\xef\xbb\xbf"
_MEMO_LIMIT = 200_000


class OxigraphStore(Store):
    """In memory, or on disk in `directory` (created if absent; kept after close, so a later run reopens it)."""

    name = "oxigraph"

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory
        self._store = ox.Store() if directory is None else _open_directory(directory)

    def add_graph(self, graph: Iterable[tuple[Node, Node, Node]], *, into: URIRef | None = None) -> None:
        name = _graph_name(into)
        self._store.extend(ox.Quad(t.subject, t.predicate, t.object, name) for t in to_oxigraph_triples(graph))

    def load(self, data: bytes | Path, *, fmt: str, source: str, into: URIRef | None = None) -> int:
        """Oxigraph parses and inserts as it reads, so a file is never held whole in memory.

        On disk the bulk loader writes sorted files straight into RocksDB; in memory the plain loader is
        as fast and peaks far lower (at 1M triples 392 MB against 616 MB for the bulk loader).
        A UTF-8 byte-order mark (Windows editors write one) is skipped: RDF syntaxes are UTF-8 anyway.
        """
        before = len(self._store)
        kind = OXIGRAPH_FORMATS[fmt]
        target = _graph_name(into) if into is not None else None
        try:
            if isinstance(data, Path):
                with data.open("rb") as stream:
                    if stream.read(len(_BOM)) != _BOM:
                        stream.seek(0)
                    self._load(stream, kind, target)
            else:
                self._load(data.removeprefix(_BOM), kind, target)
        except (SyntaxError, ValueError, OSError, MemoryError) as err:
            raise load_error(err, fmt=kind, source=source) from None
        return len(self._store) - before

    def _load(self, data: bytes | IO[bytes], kind: ox.RdfFormat, target: ox.NamedNode | ox.DefaultGraph | None
              ) -> None:
        on_disk = self.directory is not None
        if target is not None and kind.supports_datasets:
            # to_graph is for triples formats; quads are moved into the target graph as they stream by
            quads = (ox.Quad(q.subject, q.predicate, q.object, target) for q in ox.parse(data, format=kind))
            (self._store.bulk_extend if on_disk else self._store.extend)(quads)
        else:
            (self._store.bulk_load if on_disk else self._store.load)(data, format=kind, to_graph=target)

    def stream(self, text: str, *, bindings: Mapping[str, Node] | None = None, union: bool = False,
               graphs: Sequence[URIRef] | None = None) -> QueryStream:
        """Rows are converted as Oxigraph yields them; its errors, at the start or midway, become StoreError."""
        substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
            ox.Variable(k): to_oxigraph_term(v) for k, v in (bindings or {}).items()}
        default: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] | None = (
            [ox.NamedNode(str(g)) for g in graphs] if graphs is not None else None)
        try:
            answer = self._store.query(text, substitutions=substitutions or None, use_default_graph_as_union=union,
                                       default_graph=default)
        except SyntaxError as err:
            raise StoreError(f"the query does not parse: {_one_line(err)}") from err
        except Exception as err:  # Oxigraph raises OSError, RuntimeError or ValueError for evaluation errors
            raise StoreError(f"the query failed: {_one_line(err)}") from err
        if isinstance(answer, ox.QueryBoolean):
            return QueryStream(kind="ask", boolean=bool(answer))
        if isinstance(answer, ox.QuerySolutions):
            variables = [v.value for v in answer.variables]
            return QueryStream(kind="select", variables=variables, rows=_solutions(answer, variables))
        return QueryStream(kind="graph", rows=_triples(answer))

    def update(self, text: str) -> None:
        try:
            self._store.update(text)
        except SyntaxError as err:
            raise StoreError(f"the update does not parse: {_one_line(err)}") from err
        except Exception as err:  # see stream()
            raise StoreError(f"the update failed: {_one_line(err)}") from err

    def drop(self, graph: URIRef) -> None:
        name = ox.NamedNode(str(graph))
        if self._store.contains_named_graph(name):
            self._store.remove_graph(name)

    def graph_names(self) -> list[URIRef]:
        return sorted(URIRef(g.value) for g in self._store.named_graphs() if isinstance(g, ox.NamedNode)
                      and next(iter(self._store.quads_for_pattern(None, None, None, g)), None) is not None)

    def count(self, graph: URIRef | None = None) -> int:
        if graph is None:
            return len(self._store)
        return sum(1 for _ in self._store.quads_for_pattern(None, None, None, ox.NamedNode(str(graph))))

    def close(self) -> None:
        """On disk: write out what is buffered and release the directory's lock (the store is unusable after)."""
        if self.directory is not None and self._store is not None:
            try:
                self._store.flush()
            except OSError as err:
                raise StoreError(f"{self.directory}: could not write the store: {_one_line(err)}") from None
            finally:
                self._store = None  # type: ignore[assignment]  # dropping the last reference releases the lock

    def export(self, graphs: Sequence[URIRef]) -> Graph:
        copy = Graph()
        for name in graphs:
            for quad in self._store.quads_for_pattern(None, None, None, ox.NamedNode(str(name))):
                copy.add((to_rdflib_term(quad.subject), to_rdflib_term(quad.predicate), to_rdflib_term(quad.object)))
        return copy


# Files RocksDB (Oxigraph's on-disk engine) keeps in every store directory.
_STORE_MARKERS = ("CURRENT", "IDENTITY")


def _open_directory(directory: Path) -> ox.Store:
    """An on-disk store; a directory holding anything else is refused, never turned into a store around it."""
    if directory.exists() and not directory.is_dir():
        raise StoreError(f"{directory}: is not a directory (--store-dir needs a directory for the store)")
    if directory.is_dir():
        try:
            names = {p.name for p in directory.iterdir()}
        except OSError as err:
            raise StoreError(f"{directory}: cannot read the directory: {err.strerror or err}") from None
        if names and not all(marker in names for marker in _STORE_MARKERS):
            raise StoreError(f"{directory}: is not an Oxigraph store (it holds other files); give an empty or new "
                             "directory, or one an earlier run created")
    try:
        return ox.Store(str(directory))
    except OSError as err:
        if "lock" in str(err).lower():
            raise StoreError(f"{directory}: the store is in use by another process (its lock is held)") from None
        raise StoreError(f"{directory}: cannot open the store: {_one_line(err)}") from None
    except Exception as err:  # RocksDB reports a damaged store as RuntimeError
        raise StoreError(f"{directory}: is not a readable Oxigraph store: {_one_line(err)}") from None


@overload
def _produced(answer: ox.QuerySolutions) -> Iterator[ox.QuerySolution]: ...


@overload
def _produced(answer: ox.QueryTriples) -> Iterator[ox.Triple]: ...


def _produced(answer: ox.QuerySolutions | ox.QueryTriples) -> Iterator[ox.QuerySolution | ox.Triple]:
    """Oxigraph evaluates lazily: an error can surface at any row, and is the query's, not ours."""
    iterator = iter(answer)
    while True:
        try:
            item = next(iterator)
        except StopIteration:
            return
        except Exception as err:  # see stream()
            raise StoreError(f"the query failed while running: {_one_line(err)}") from err
        yield item


def _one_line(err: Exception) -> str:
    return " ".join(str(err).split())


def _solutions(answer: ox.QuerySolutions, variables: list[str]) -> Iterator[tuple[Node | None, ...]]:
    """Terms that repeat across rows (statuses, dates, requirement IRIs) are converted once per answer:
    building an rdflib Literal parses its value, and that, not the query, was most of a large query's time."""
    seen: dict[object, Node] = {}
    for solution in _produced(answer):
        row: list[Node | None] = []
        for variable in variables:
            term = solution[variable]
            if term is None:
                row.append(None)
                continue
            converted = seen.get(term)
            if converted is None:
                if len(seen) > _MEMO_LIMIT:  # a long answer of distinct terms: keep memory bounded
                    seen.clear()
                converted = seen[term] = to_rdflib_term(term)
            row.append(converted)
        yield tuple(row)


def _triples(answer: ox.QueryTriples) -> Iterator[tuple[Node, Node, Node]]:
    for triple in _produced(answer):
        yield to_rdflib_term(triple.subject), to_rdflib_term(triple.predicate), to_rdflib_term(triple.object)


def _graph_name(into: URIRef | None) -> ox.NamedNode | ox.DefaultGraph:
    return ox.DefaultGraph() if into is None else ox.NamedNode(str(into))
