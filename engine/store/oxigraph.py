"""The default store: Oxigraph in memory, fast to load and to query."""
from __future__ import annotations

from collections.abc import Iterator, Mapping

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Node

from ..errors import StoreError
from ..rdf import parse_triples, to_oxigraph_term, to_oxigraph_triples, to_rdflib_term
from .interface import QueryResult, QueryStream, Store


class OxigraphStore(Store):
    name = "oxigraph"

    def __init__(self) -> None:
        self._store = ox.Store()

    def add_graph(self, graph: Graph, *, into: URIRef | None = None) -> None:
        name = _graph_name(into)
        self._store.extend(ox.Quad(t.subject, t.predicate, t.object, name) for t in to_oxigraph_triples(graph))

    def load_turtle(self, data: bytes, *, source: str, into: URIRef | None = None) -> None:
        triples = parse_triples(data, fmt=ox.RdfFormat.TURTLE, source=source)
        name = _graph_name(into)
        self._store.extend(ox.Quad(t.subject, t.predicate, t.object, name) for t in triples)

    def query(self, text: str, *, bindings: Mapping[str, Node] | None = None, union: bool = False) -> QueryResult:
        answer = self.stream(text, bindings=bindings, union=union)
        if answer.kind == "ask":
            return QueryResult(kind="ask", boolean=answer.boolean)
        if answer.kind == "select":
            return QueryResult(kind="select", variables=answer.variables, rows=list(answer.rows))
        graph = Graph()
        graph.addN((s, p, o, graph) for s, p, o in answer.rows)
        return QueryResult(kind="graph", graph=graph)

    def stream(self, text: str, *, bindings: Mapping[str, Node] | None = None, union: bool = False) -> QueryStream:
        """Rows are converted as Oxigraph yields them; its errors, at the start or midway, become StoreError."""
        substitutions = {ox.Variable(k): to_oxigraph_term(v) for k, v in (bindings or {}).items()}
        try:
            answer = self._store.query(text, substitutions=substitutions or None, use_default_graph_as_union=union)
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

    def __len__(self) -> int:
        return len(self._store)


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
