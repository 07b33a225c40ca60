"""SHACL validation reports turned into plain findings a GRC engineer can read."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rdflib import Graph
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from ..rdf import prefixed


@dataclass(frozen=True)
class Violation:
    """One SHACL result: which node, which property, what is wrong."""

    focus: str
    path: str | None
    value: str | None
    message: str
    severity: str
    source_shape: str | None
    file: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {
            "node": self.focus,
            "property": self.path,
            "value": self.value,
            "message": self.message,
            "severity": self.severity,
            "shape": self.source_shape,
            "file": self.file,
        }

    def sentence(self) -> str:
        where = f"{self.file}: " if self.file else ""
        prop = f", property {self.path}" if self.path else ""
        value = f" (value {self.value})" if self.value else ""
        return f"{where}node {self.focus}{prop}: {self.message}{value}"


def _path_text(report: Graph, path: Node | None, names: Graph) -> str | None:
    if path is None:
        return None
    inverse = report.value(path, SH.inversePath)
    if inverse is not None:
        return f"^{prefixed(inverse, names)}"
    return prefixed(path, names)


def read_report(report: Graph, *, names: Graph, source_of: Callable[[Node], str | None] | None = None
                ) -> list[Violation]:
    """All results of a pyshacl report graph, sorted by node then property."""
    found = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        message = report.value(result, SH.resultMessage)
        severity = report.value(result, SH.resultSeverity)
        focus = report.value(result, SH.focusNode)
        found.append(
            Violation(
                file=source_of(focus) if source_of is not None and focus is not None else None,
                focus=prefixed(focus, names) or "?",
                path=_path_text(report, report.value(result, SH.resultPath), names),
                value=prefixed(report.value(result, SH.value), names),
                message=str(message) if message is not None else "constraint not satisfied",
                severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
                source_shape=prefixed(report.value(result, SH.sourceShape), names),
            )
        )
    return sorted(found, key=lambda v: (v.focus, v.path or "", v.message))
