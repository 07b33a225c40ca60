"""Deciding each requirement with its SHACL shape over the evidence current on the as-of day.

The framework's requirement shapes run on the run's store (compiled to SPARQL, or through pyshacl
with engine="pyshacl"); a violation's focus node is an unmet requirement. What counts on the day is
already written as ev:countsFor (evidence/freshness.py judge_claims), which the shapes follow.
"""
from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import lru_cache
from typing import TYPE_CHECKING

from rdflib import URIRef
from rdflib.term import Node

from ..catalogue import Catalogue, Framework
from ..evidence.freshness import Judged, Judgement
from ..namespaces import EV
from ..shacl import ShapesProgram, validate
from ..shacl.cache import cached_program
from .thresholds import ThresholdValue, apply_thresholds

if TYPE_CHECKING:
    from ..run import Run

log = logging.getLogger(__name__)


class Reason(StrEnum):
    """Why a requirement has its outcome: one code per kind of reason (diff and reports group by it)."""

    MET = "met"
    CARRIED = "carried"
    NOT_APPLICABLE = "not_applicable"
    BELOW_THRESHOLD = "below_threshold"
    UNSUPPORTED_CLAIM = "unsupported_claim"
    STATED_NOT_MET = "stated_not_met"
    EXPIRED = "expired"
    FUTURE = "future"
    UNKNOWN = "unknown"
    NONE = "none"


@dataclass(frozen=True)
class RequirementOutcome:
    """A requirement's status on the as-of day, the evidence it rests on, and why."""

    requirement: URIRef
    satisfied: bool
    outcome: URIRef
    reason: str
    evidence: tuple[Node, ...] = field(default_factory=tuple)
    cause: Reason = Reason.NONE

    @property
    def stated(self) -> bool:
        """Whether any current evidence says something definite about the requirement."""
        return self.outcome != EV.Unknown


def _reason(satisfied: bool, judgement: Judgement, measured: list[Decimal], threshold: ThresholdValue | None
            ) -> tuple[URIRef, str, Reason]:
    """The outcome, a sentence saying why, and the reason's code."""
    current = judgement.current
    statuses = {c.status for c in current}
    if satisfied:
        met = [c for c in current if c.status == EV.Met]
        if met and all(c.carried for c in met):
            return (EV.Met, "met through a crosswalk: evidence carried from another framework by a reviewed mapping",
                    Reason.CARRIED)
        if met:
            return EV.Met, "met on current evidence", Reason.MET
        return EV.NotApplicable, "not applicable, with a justification", Reason.NOT_APPLICABLE
    if threshold is not None and measured and max(measured) < threshold.value:
        return (EV.NotMet,
                f"measured {max(measured).normalize():f}, below the threshold {threshold.value.normalize():f}",
                Reason.BELOW_THRESHOLD)
    if EV.Met in statuses or EV.NotApplicable in statuses:
        return (EV.NotMet, "claimed without the evidence its shape asks for (such as an artifact link, an attester, "
                "a justification, or a measurement at the threshold)", Reason.UNSUPPORTED_CLAIM)
    if EV.NotMet in statuses:
        return EV.NotMet, "current evidence says it is not met", Reason.STATED_NOT_MET
    if judgement.last_stale is not None:
        date, expires = judgement.last_stale
        return EV.Unknown, f"evidence from {date.isoformat()} expired on {expires.isoformat()}", Reason.EXPIRED
    if judgement.future:
        return EV.Unknown, "evidence is dated after the as-of day", Reason.FUTURE
    if EV.Unknown in statuses:
        return EV.Unknown, "evidence says the status is unknown", Reason.UNKNOWN
    return EV.Unknown, "no evidence", Reason.NONE


def _number(term: Node | None) -> Decimal | None:
    try:
        return Decimal(str(term)) if term is not None else None
    except InvalidOperation:
        return None


@lru_cache(maxsize=32)
def _program(catalogue: Catalogue, framework: Framework, thresholds: tuple[ThresholdValue, ...]) -> ShapesProgram:
    """Compiled once per framework and set of threshold overrides, and kept on disk between runs (shacl/cache.py).

    The key names the files catalogue.shapes_graph parses and the overrides apply_thresholds writes in.
    """
    return cached_program(catalogue.shape_files(framework),
                          lambda: apply_thresholds(catalogue.shapes_graph(framework), list(thresholds)),
                          settings=[f"{t.shape} sh:minInclusive {t.value}" for t in thresholds])


def decide_requirements(
    run: Run,
    framework: Framework,
    judged: Judged,
    *,
    thresholds: Sequence[ThresholdValue] = (),
    engine: str = "sparql",
) -> dict[URIRef, RequirementOutcome]:
    """Run the framework's requirement shapes; a violation's focus node is an unmet requirement.

    `judged` is what judge_claims found on the as-of day, which graph:current already holds.
    """
    catalogue = run.catalogue
    program = _program(catalogue, framework, tuple(t for t in thresholds if t.overridden))
    report = validate(run.store, program, graphs=[*run.data_graphs, run.current_graph], engine=engine)
    unmet = {row.focus for row in report.rows}
    threshold_of = {t.requirement: t for t in thresholds}
    outcomes: dict[URIRef, RequirementOutcome] = {}
    for requirement in catalogue.requirements(framework):
        judgement = judged[requirement]
        satisfied = requirement not in unmet
        measured = [m for m in (_number(c.value) for c in judgement.current) if m is not None]
        outcome, reason, cause = _reason(satisfied, judgement, measured, threshold_of.get(requirement))
        used = tuple(sorted({c.item for c in judgement.current}, key=str))
        outcomes[requirement] = RequirementOutcome(requirement, satisfied, outcome, reason, used, cause)
    log.debug("%s: %d requirements, %d unmet", framework.id, len(outcomes), len(unmet))
    return outcomes
