"""Validation reports: rows both engines produce, a key set to compare them, and the sh:ValidationReport graph.

Blank nodes: both engines read the same store (pyshacl an export of it), so a blank focus node or value
carries the store's own blank-node id in either report and compares by that id. Results of a
different store (the W3C suite's expected reports) compare blank nodes by presence (`keys(bnodes=False)`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from .paths import PathError, PathForm, read_path, write_path

ANY_BLANK = "_:blank"
Key = tuple[Any, ...]


@dataclass(frozen=True)
class ReportRow:
    """One validation result."""

    focus: Node
    path: PathForm | None
    value: Node | None
    source_shape: Node
    component: URIRef
    severity: URIRef
    message: str | None = None

    def key(self, *, bnodes: bool = True) -> Key:
        def plain(node: Any) -> Any:
            return ANY_BLANK if not bnodes and isinstance(node, BNode) else node
        return (plain(self.focus), self.path, plain(self.value), plain(self.source_shape), self.component,
                self.severity)


@dataclass
class Report:
    rows: list[ReportRow] = field(default_factory=list)
    fell_back: list[tuple[Node, str]] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        """As pyshacl with allow_warnings: only sh:Violation results break conformance."""
        return not any(row.severity == SH.Violation for row in self.rows)

    def keys(self, *, bnodes: bool = True) -> set[Key]:
        """The comparable content of the report: messages left out (pyshacl writes its own defaults)."""
        return {row.key(bnodes=bnodes) for row in self.rows}

    def graph(self) -> Graph:
        """The report as a sh:ValidationReport graph, laid out like pyshacl's."""
        graph = Graph()
        graph.bind("sh", SH)
        report = BNode()
        graph.add((report, RDF.type, SH.ValidationReport))
        graph.add((report, SH.conforms, Literal(self.conforms)))
        for row in self.rows:
            result = BNode()
            graph.add((report, SH.result, result))
            graph.add((result, RDF.type, SH.ValidationResult))
            graph.add((result, SH.focusNode, row.focus))
            if row.path is not None:
                graph.add((result, SH.resultPath, write_path(graph, row.path)))
            if row.value is not None:
                graph.add((result, SH.value, row.value))
            graph.add((result, SH.sourceShape, row.source_shape))
            graph.add((result, SH.sourceConstraintComponent, row.component))
            graph.add((result, SH.resultSeverity, row.severity))
            if row.message is not None:
                graph.add((result, SH.resultMessage, Literal(row.message)))
        return graph


def rows_of(report: Graph, shapes: Graph | None = None, *, node: Node | None = None) -> list[ReportRow]:
    """The results of a sh:ValidationReport graph (pyshacl's, or an expected one: `node`) as rows."""
    rows = []
    for result in report.objects(node, SH.result):
        path_node = report.value(result, SH.resultPath)
        path: PathForm | None = None
        if path_node is not None:
            path = _path(report, path_node, shapes)
        message = report.value(result, SH.resultMessage)
        rows.append(ReportRow(
            focus=report.value(result, SH.focusNode),  # type: ignore[arg-type]
            path=path,
            value=report.value(result, SH.value),
            source_shape=report.value(result, SH.sourceShape),  # type: ignore[arg-type]
            component=report.value(result, SH.sourceConstraintComponent),  # type: ignore[arg-type]
            severity=report.value(result, SH.resultSeverity),  # type: ignore[arg-type]
            message=None if message is None else str(message)))
    return sorted(rows, key=repr)


def _path(report: Graph, node: Node, shapes: Graph | None) -> PathForm:
    try:
        return read_path(report, node)
    except PathError:
        if shapes is None:
            raise
        return read_path(shapes, node)
