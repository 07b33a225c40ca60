"""The default store: embedded Oxigraph, in memory or on disk, fast to load and to query."""
from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Node

from ..errors import StoreError
from ..rdf import OXIGRAPH_FORMATS, load_error, to_oxigraph_term, to_oxigraph_triples, to_rdflib_term
from .interface import QueryResult, QueryStream, Store


class OxigraphStore(Store):
    name = "oxigraph"

    def __init__(self) -> None:
        self._store = ox.Store()

    def add_graph(self, graph: Graph, *, into: URIRef | None = None) -> None:
        name = _graph_name(into)
        self._store.extend(ox.Quad(t.subject, t.predicate, t.object, name) for t in to_oxigraph_triples(graph))

    def load(self, data: bytes | Path, *, fmt: str, source: str, into: URIRef | None = None) -> int:
        """Oxigraph's bulk loader parses and inserts in one pass; a syntax error leaves the store as it was."""
        before = len(self._store)
        kind = OXIGRAPH_FORMATS[fmt]
        target = _graph_name(into) if into is not None else None
        try:
            if isinstance(data, Path):
                self._store.bulk_load(path=str(data), format=kind, to_graph=target)
            else:
                self._store.bulk_load(data, format=kind, to_graph=target)
        except (SyntaxError, ValueError, OSError, MemoryError) as err:
            raise load_error(err, fmt=kind, source=source) from None
        return len(self._store) - before

    def query(self, text: str, *, bindings: Mapping[str, Node] | None = None, union: bool = False,
              graphs: Sequence[URIRef] | None = None) -> QueryResult:
        answer = self.stream(text, bindings=bindings, union=union, graphs=graphs)
        if answer.kind == "ask":
            return QueryResult(kind="ask", boolean=answer.boolean)
        if answer.kind == "select":
            return QueryResult(kind="select", variables=answer.variables, rows=list(answer.rows))
        graph = Graph()
        graph.addN((s, p, o, graph) for s, p, o in answer.rows)
        return QueryResult(kind="graph", graph=graph)

    def stream(self, text: str, *, bindings: Mapping[str, Node] | None = None, union: bool = False,
               graphs: Sequence[URIRef] | None = None) -> QueryStream:
        """Rows are converted as Oxigraph yields them; its errors, at the start or midway, become StoreError."""
        substitutions = {ox.Variable(k): to_oxigraph_term(v) for k, v in (bindings or {}).items()}
        default = [ox.NamedNode(str(g)) for g in graphs] if graphs is not None else None
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

    def export(self, graphs: Sequence[URIRef]) -> Graph:
        copy = Graph()
        for name in graphs:
            for quad in self._store.quads_for_pattern(None, None, None, ox.NamedNode(str(name))):
                copy.add((to_rdflib_term(quad.subject), to_rdflib_term(quad.predicate), to_rdflib_term(quad.object)))
        return copy


def _produced(answer) -> Iterator:
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
    for solution in _produced(answer):
        yield tuple(None if solution[v] is None else to_rdflib_term(solution[v]) for v in variables)


def _triples(answer: ox.QueryTriples) -> Iterator[tuple[Node, Node, Node]]:
    for triple in _produced(answer):
        yield to_rdflib_term(triple.subject), to_rdflib_term(triple.predicate), to_rdflib_term(triple.object)


def _graph_name(into: URIRef | None) -> ox.NamedNode | ox.DefaultGraph:
    return ox.DefaultGraph() if into is None else ox.NamedNode(str(into))
