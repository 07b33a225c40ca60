"""The one small interface every graph store implements (DESIGN.md section 6)."""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

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
    """A dataset that can be filled and queried with standard SPARQL 1.1.

    Triples go into a named graph (`into`; None is the default graph). One run's store keeps
    content, evidence and results in the named graphs of `namespaces.GRAPH`, and rule queries name
    the graph they read, so nothing in the evidence graph can stand in for a rule.
    """

    name: str

    @abstractmethod
    def add_graph(self, graph: Graph, *, into: URIRef | None = None) -> None:
        """Add every triple of an rdflib graph to one graph of the store."""

    @abstractmethod
    def load_turtle(self, data: bytes, *, source: str, into: URIRef | None = None) -> None:
        """Parse Turtle into one graph of the store; errors name the source."""

    @abstractmethod
    def query(self, text: str, *, bindings: Mapping[str, Node] | None = None, union: bool = False) -> QueryResult:
        """Run one SPARQL query; bindings pre-bind variables (by name, without '?'), which must be projected.

        With `union`, the query's default graph is the union of all graphs (for users' own queries);
        otherwise it is the store's default graph, and GRAPH clauses say where each pattern reads.
        """

    def stream(self, text: str, *, bindings: Mapping[str, Node] | None = None, union: bool = False) -> QueryStream:
        """Like query(), but rows come one at a time, so a caller can stop early (this default answers whole)."""
        result = self.query(text, bindings=bindings, union=union)
        rows = iter(result.rows) if result.kind != "graph" else iter(result.graph or ())
        return QueryStream(kind=result.kind, variables=result.variables, rows=rows, boolean=result.boolean)

    @abstractmethod
    def __len__(self) -> int:
        """The number of triples."""
