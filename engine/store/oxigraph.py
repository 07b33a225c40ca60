"""The default store: Oxigraph in memory, fast to load and to query."""
from __future__ import annotations

from collections.abc import Mapping

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import Node

from ..errors import StoreError
from ..rdf import parse_triples, to_oxigraph_term, to_oxigraph_triples, to_rdflib_graph, to_rdflib_term
from .interface import QueryResult, Store


class OxigraphStore(Store):
    name = "oxigraph"

    def __init__(self) -> None:
        self._store = ox.Store()

    def add_graph(self, graph: Graph) -> None:
        self._store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in to_oxigraph_triples(graph))

    def load_turtle(self, data: bytes, *, source: str) -> None:
        triples = parse_triples(data, fmt=ox.RdfFormat.TURTLE, source=source)
        self._store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)

    def query(self, text: str, *, bindings: Mapping[str, Node] | None = None) -> QueryResult:
        substitutions = {ox.Variable(k): to_oxigraph_term(v) for k, v in (bindings or {}).items()}
        try:
            answer = self._store.query(text, substitutions=substitutions or None)
        except SyntaxError as err:
            raise StoreError(f"query does not parse: {err}") from err
        except (OSError, RuntimeError) as err:
            raise StoreError(f"query failed: {err}") from err
        if isinstance(answer, ox.QueryBoolean):
            return QueryResult(kind="ask", boolean=bool(answer))
        if isinstance(answer, ox.QuerySolutions):
            variables = [v.value for v in answer.variables]
            rows = [
                tuple(None if solution[v] is None else to_rdflib_term(solution[v]) for v in variables)
                for solution in answer
            ]
            return QueryResult(kind="select", variables=variables, rows=rows)
        return QueryResult(kind="graph", graph=to_rdflib_graph(answer))

    def __len__(self) -> int:
        return len(self._store)
