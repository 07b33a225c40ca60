"""Well-formedness of evidence: shapes/core/evidence.ttl, run on the run's store."""
from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .. import bundled
from ..catalogue import Catalogue, bundled_graph
from ..evidence.freshness import warn_about_dates
from ..evidence.load import EvidenceSet
from ..run import Run
from ..shacl import ShapesProgram, validate
from ..shacl.cache import cached_program
from ..store import Store
from .literals import malformed_decimals
from .membership import unassigned_evidence
from .report import Violation, read_report
from .reserved import content_statements
from .screen import screen_evidence

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
def wellformedness_shapes() -> ShapesProgram:
    """Compiled once per process, and kept on disk between processes (shacl/cache.py)."""
    return cached_program([bundled.content_dir("shapes", "core", "evidence.ttl")],
                          lambda: bundled_graph("shapes", "core", "evidence.ttl"))


def validate_evidence(evidence: EvidenceSet | Iterable[str | Path], *, catalogue: Catalogue | None = None,
                      engine: str = "sparql", store: Store | None = None) -> ValidationResult:
    """Check evidence files (or the evidence graphs already in `store`) against shapes/core."""
    run = Run.open(evidence if not (store is not None and _empty(evidence)) else None,
                   store=store, catalogue=catalogue)
    return check_run(run, engine=engine)


def check_run(run: Run, *, engine: str = "sparql") -> ValidationResult:
    """Check a run's evidence graphs.

    Evidence that describes content instead of evidence is refused (validate/reserved.py), decimals
    outside XSD's lexical space are named (validate/literals.py), evidence outside every assessment
    is named (validate/membership.py), then the shapes run with the
    bundled vocabulary and frameworks in the data graph, so a dangling requirement IRI is caught.
    """
    screened = screen_evidence(run)
    violations = content_statements(run, screened)
    bad_numbers = malformed_decimals(run, screened)
    violations += bad_numbers
    violations += unassigned_evidence(run)
    if bad_numbers and engine == "pyshacl":  # pyshacl cannot compare them: it would stop with an error
        log.info("pyshacl not run: the evidence holds decimals it cannot read")
    else:
        report = validate(run.store, wellformedness_shapes(), graphs=run.data_graphs, engine=engine)
        violations += read_report(report.graph(), names=run.catalogue.names, source_of=run.source_of)
    log.debug("well-formedness: %d results", len(violations))
    warn_about_dates(run)  # a far-future date expires the rest
    return ValidationResult(files=list(run.sources.values()), violations=violations)


def _empty(evidence: EvidenceSet | Iterable[str | Path]) -> bool:
    return isinstance(evidence, list | tuple) and not evidence
