"""The one small interface every graph store implements (DESIGN.md section 6).

A run owns one store. Content, each evidence source and the results live in named graphs
(`namespaces.GRAPH`); rule queries name the graph they read, and validation queries say which
graphs form their default graph (`graphs=`), so nothing in the evidence graph can stand in for a rule.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.term import Node


@dataclass(frozen=True)
class QueryResult:
    """A query's answer: rows of rdflib terms for SELECT, a boolean for ASK, a graph for CONSTRUCT/DESCRIBE."""

    kind: str
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None

    def dicts(self) -> list[dict[str, Node | None]]:
        return [dict(zip(self.variables, row, strict=True)) for row in self.rows]


@dataclass(frozen=True)
class QueryStream:
    """A query's answer as it is produced, so a caller can stop after as many rows as it allows.

    `rows` yields tuples of rdflib terms: one per solution for SELECT, one (s, p, o) per triple for
    CONSTRUCT/DESCRIBE (kind "graph"); errors met while rows are produced are raised as StoreError.
    """

    kind: str
    variables: list[str] = field(default_factory=list)
    rows: Iterator[tuple[Node | None, ...]] = field(default_factory=lambda: iter(()))
    boolean: bool | None = None


class Store(ABC):
    """A dataset that can be filled, queried and updated with standard SPARQL 1.1.

    Triples go into a named graph (`into`; None is the default graph).
    """

    name: str
    read_only: bool = False

    @abstractmethod
    def add_graph(self, graph: Iterable[tuple[Node, Node, Node]], *, into: URIRef | None = None) -> None:
        """Add every triple of an rdflib graph (or any triples: the engine's working triples skip rdflib's
        indexes) to one graph of the store."""

    @abstractmethod
    def load(self, data: bytes | Path, *, fmt: str, source: str, into: URIRef | None = None) -> int:
        """Parse RDF (a file, read as a stream, or bytes) straight into one graph; return the triples added.

        `fmt` is a key of rdf.OXIGRAPH_FORMATS; quads formats keep their graph names unless `into` is given.
        Errors name `source` (and the line where the parser gives one).
        """

    def query(self, text: str, *, bindings: Mapping[str, Node] | None = None, union: bool = False,
              graphs: Sequence[URIRef] | None = None) -> QueryResult:
        """Run one SPARQL query; bindings pre-bind variables (by name, without '?'), which must be projected.

        The query's default graph is the store's default graph; with `union`, the union of all graphs
        (for users' own queries); with `graphs`, the union of those named graphs (for validation, whose
        shapes read data without naming graphs). The whole answer, collected from stream().
        """
        answer = self.stream(text, bindings=bindings, union=union, graphs=graphs)
        if answer.kind == "ask":
            return QueryResult(kind="ask", boolean=answer.boolean)
        if answer.kind == "select":
            return QueryResult(kind="select", variables=answer.variables, rows=list(answer.rows))
        graph = Graph()
        graph.addN((*_triple(row), graph) for row in answer.rows)
        return QueryResult(kind="graph", graph=graph)

    @abstractmethod
    def stream(self, text: str, *, bindings: Mapping[str, Node] | None = None, union: bool = False,
               graphs: Sequence[URIRef] | None = None) -> QueryStream:
        """Like query(), but rows come one at a time as the store produces them, so a caller can stop early."""

    @abstractmethod
    def update(self, text: str) -> None:
        """Run one SPARQL 1.1 Update (the engine's own, from .rq files; never a user's)."""

    @abstractmethod
    def drop(self, graph: URIRef) -> None:
        """Remove one named graph and its triples (silently if absent)."""

    @abstractmethod
    def graph_names(self) -> list[URIRef]:
        """The named graphs that hold at least one triple."""

    @abstractmethod
    def count(self, graph: URIRef | None = None) -> int:
        """Triples in one graph (None: in the whole dataset)."""

    @abstractmethod
    def export(self, graphs: Sequence[URIRef]) -> Graph:
        """An rdflib copy of the union of some graphs: only for pyshacl (the oracle) and small results."""

    def close(self) -> None:  # noqa: B027 - most stores have nothing to release
        """Release what the store holds open (files, connections)."""

    def __len__(self) -> int:
        return self.count()


def _triple(row: tuple[Node | None, ...]) -> tuple[Node, Node, Node]:
    """A CONSTRUCT/DESCRIBE row: (s, p, o), every term bound."""
    s, p, o = row
    assert s is not None and p is not None and o is not None
    return s, p, o
