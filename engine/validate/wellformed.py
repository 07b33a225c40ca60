"""Well-formedness of evidence graphs: shapes/core/evidence.ttl run by pyshacl."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import lru_cache

from rdflib import Graph

from ..catalogue import Catalogue, bundled_graph, load_catalogue
from ..evidence.load import EvidenceSet
from .report import Violation, read_report
from .shacl import shacl_report

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ValidationResult:
    """The outcome of checking evidence files against shapes/core."""

    files: list[str]
    violations: list[Violation] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        return not any(v.severity == "Violation" for v in self.violations)


@lru_cache(maxsize=1)
def wellformedness_shapes() -> Graph:
    return bundled_graph("shapes", "core", "evidence.ttl")


def validate_evidence(evidence: EvidenceSet, *, catalogue: Catalogue | None = None) -> ValidationResult:
    """Check evidence against shapes/core.

    The bundled vocabulary and frameworks join the data graph (pyshacl's ont_graph copies only
    class and property axioms, not individuals), so a dangling requirement IRI is caught.
    """
    catalogue = catalogue or load_catalogue()
    report = shacl_report(evidence.graph, catalogue.content_graph, shapes=wellformedness_shapes())
    violations = read_report(report, names=catalogue.names, origin=evidence.origin)
    log.debug("well-formedness: %d results", len(violations))
    return ValidationResult(files=[str(f) for f in evidence.files], violations=violations)
