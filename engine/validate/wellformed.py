"""Well-formedness of evidence graphs: shapes/core/evidence.ttl run by pyshacl."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import lru_cache

from rdflib import Graph

from ..catalogue import Catalogue, bundled_graph, load_catalogue
from ..evidence.freshness import warn_about_dates
from ..evidence.load import EvidenceSet
from .literals import malformed_decimals
from .report import Violation, read_report
from .reserved import content_statements
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
    class and property axioms, not individuals), so a dangling requirement IRI is caught. Evidence
    that describes content instead of evidence is refused first (validate/reserved.py).
    """
    catalogue = catalogue or load_catalogue()
    violations = content_statements(evidence.graph, defined=catalogue.defined_terms, names=catalogue.names,
                                    origin=evidence.origin)
    bad_numbers, unreadable = malformed_decimals(evidence.graph, names=catalogue.names, origin=evidence.origin)
    violations += bad_numbers
    data = evidence.graph
    if unreadable:  # pyshacl cannot compare them: check the rest without them
        data = Graph()
        data += evidence.graph
        for triple in unreadable:
            data.remove(triple)
    report = shacl_report(data, catalogue.content_graph, shapes=wellformedness_shapes())
    violations += read_report(report, names=catalogue.names, origin=evidence.origin)
    log.debug("well-formedness: %d results", len(violations))
    warn_about_dates(evidence.graph, source_of=evidence.source_of)  # a far-future date expires the rest
    return ValidationResult(files=[str(f) for f in evidence.files], violations=violations)
