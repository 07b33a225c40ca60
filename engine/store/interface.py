"""The one small interface every graph store implements (DESIGN.md section 6)."""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field

from rdflib import Graph
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
        return [dict(zip(self.variables, row)) for row in self.rows]


class Store(ABC):
    """A graph (default graph only) that can be filled and queried with standard SPARQL 1.1."""

    name: str

    @abstractmethod
    def add_graph(self, graph: Graph) -> None:
        """Add every triple of an rdflib graph."""

    @abstractmethod
    def load_turtle(self, data: bytes, *, source: str) -> None:
        """Parse Turtle into the store; errors name the source."""

    @abstractmethod
    def query(self, text: str, *, bindings: Mapping[str, Node] | None = None) -> QueryResult:
        """Run one SPARQL query; bindings pre-bind variables (by name, without '?'), which must be projected."""

    @abstractmethod
    def __len__(self) -> int:
        """The number of triples."""
