"""rdflib's in-memory store: slower, but the reference for Oxigraph's answers in tests."""
from __future__ import annotations

from collections.abc import Mapping

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef, Variable
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from ..errors import StoreError
from ..rdf import parse_triples, to_rdflib_graph
from .interface import QueryResult, Store


class MemoryStore(Store):
    name = "memory"

    def __init__(self) -> None:
        self._data = Dataset()

    def _graph(self, into: URIRef | None) -> Graph:
        return self._data.graph(DATASET_DEFAULT_GRAPH_ID if into is None else into)

    def add_graph(self, graph: Graph, *, into: URIRef | None = None) -> None:
        target = self._graph(into)
        target += graph

    def load_turtle(self, data: bytes, *, source: str, into: URIRef | None = None) -> None:
        to_rdflib_graph(parse_triples(data, fmt=ox.RdfFormat.TURTLE, source=source), self._graph(into))

    def query(self, text: str, *, bindings: Mapping[str, Node] | None = None, union: bool = False) -> QueryResult:
        init = {Variable(k): v for k, v in (bindings or {}).items()}
        self._data.default_union = union
        try:
            answer = self._data.query(text, initBindings=init)
        except Exception as err:  # rdflib raises parser and evaluation errors of many types
            raise StoreError(f"query failed: {err}") from err
        if answer.type == "ASK":
            return QueryResult(kind="ask", boolean=bool(answer.askAnswer))
        if answer.type == "SELECT":
            variables = [str(v) for v in answer.vars]
            return QueryResult(kind="select", variables=variables, rows=[tuple(row) for row in answer])
        return QueryResult(kind="graph", graph=answer.graph)

    def __len__(self) -> int:
        return sum(len(g) for g in self._data.graphs())
