"""Deciding each requirement with its SHACL shape over the evidence current on the as-of day.

The framework's requirement shapes run on the run's store (compiled to SPARQL, or through pyshacl
with engine="pyshacl"), once for every assessment of the run: each is checked on the requirement's
stand-ins, one per assessment, and a violation's focus node stands for an unmet requirement of one
assessment. What counts on each day is already written as ev:countsFor (evidence/freshness.py
judge_scopes), which the shapes follow.
"""
from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import lru_cache
from typing import TYPE_CHECKING

from rdflib import Graph, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from ..catalogue import Catalogue, Framework
from ..evidence.freshness import Judged, Judgement
from ..namespaces import CURRENT_GRAPH, EV
from ..shacl import ShapesProgram, validate
from ..shacl.cache import cached_program
from .scopes import NO_EVIDENCE, stood_for
from .thresholds import ThresholdValue, apply_thresholds

if TYPE_CHECKING:
    from ..run import Run

log = logging.getLogger(__name__)
# The outcomes, read once: _reason runs for every requirement of every assessment.
OUTCOME_MET, OUTCOME_NOT_MET, OUTCOME_NOT_APPLICABLE, OUTCOME_UNKNOWN = EV.Met, EV.NotMet, EV.NotApplicable, EV.Unknown


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
    measured: Decimal | None = None  # the highest current measurement, where evidence measures the requirement

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
        met = [c for c in current if c.status == OUTCOME_MET]
        if met and all(c.carried for c in met):
            return (OUTCOME_MET,
                    "met through a crosswalk: evidence carried from another framework by a reviewed mapping",
                    Reason.CARRIED)
        if met:
            return OUTCOME_MET, "met on current evidence", Reason.MET
        return OUTCOME_NOT_APPLICABLE, "not applicable, with a justification", Reason.NOT_APPLICABLE
    if threshold is not None and measured and max(measured) < threshold.value:
        return (OUTCOME_NOT_MET,
                f"measured {max(measured).normalize():f}, below the threshold {threshold.value.normalize():f}",
                Reason.BELOW_THRESHOLD)
    if OUTCOME_MET in statuses or OUTCOME_NOT_APPLICABLE in statuses:
        return (OUTCOME_NOT_MET,
                "claimed without the evidence its shape asks for (such as an artifact link, an attester, "
                "a justification, or a measurement at the threshold)", Reason.UNSUPPORTED_CLAIM)
    if OUTCOME_NOT_MET in statuses:
        return OUTCOME_NOT_MET, "current evidence says it is not met", Reason.STATED_NOT_MET
    if judgement.last_stale is not None:
        date, expires = judgement.last_stale
        return OUTCOME_UNKNOWN, f"evidence from {date.isoformat()} expired on {expires.isoformat()}", Reason.EXPIRED
    if judgement.future:
        return OUTCOME_UNKNOWN, "evidence is dated after the as-of day", Reason.FUTURE
    if OUTCOME_UNKNOWN in statuses:
        return OUTCOME_UNKNOWN, "evidence says the status is unknown", Reason.UNKNOWN
    return OUTCOME_UNKNOWN, "no evidence", Reason.NONE


def _number(term: Node | None) -> Decimal | None:
    try:
        return Decimal(str(term)) if term is not None else None
    except InvalidOperation:
        return None


@lru_cache(maxsize=32)
def _program(catalogue: Catalogue, framework: Framework, thresholds: tuple[ThresholdValue, ...]) -> ShapesProgram:
    """Compiled once per framework and set of threshold overrides, and kept on disk between runs (shacl/cache.py).

    The key names the files catalogue.shapes_graph parses, the overrides apply_thresholds writes in and the
    reading of targets that stand_in_targets makes.
    """
    return cached_program(catalogue.shape_files(framework),
                          lambda: stand_in_targets(apply_thresholds(catalogue.shapes_graph(framework),
                                                                    list(thresholds))),
                          settings=[f"{t.shape} sh:minInclusive {t.value}" for t in thresholds]
                          + ["sh:targetNode read as sh:targetClass (stand-ins)"])


def stand_in_targets(shapes: Graph) -> Graph:
    """The requirement shapes checked on stand-ins: each `sh:targetNode R` read as `sh:targetClass R`.

    A requirement is shared by every assessment of a run, so its shape cannot be checked on it once per
    assessment; the stand-ins of R, one per assessment (evidence/count-current.ru), are typed R, and each
    shape targets them instead, so one validation decides R for every assessment. What a shape checks
    (ev:countsFor backwards from its focus) is unchanged.
    """
    read = Graph()
    for s, p, o in shapes:
        read.add((s, SH.targetClass, o) if p == SH.targetNode else (s, p, o))
    return read


def decide_requirements(
    run: Run,
    framework: Framework,
    judged: Mapping[str, Judged],
    *,
    thresholds: Mapping[str, Sequence[ThresholdValue]],
    engine: str = "sparql",
) -> dict[str, dict[URIRef, RequirementOutcome]]:
    """Run the framework's requirement shapes for each assessment in `judged` (by key); a violation's focus node
    stands for an unmet requirement of one assessment.

    `judged` is what judge_scopes found on each as-of day, which graph:current already holds. Assessments
    with the same threshold overrides share one validation; `thresholds` gives each assessment's.
    """
    catalogue = run.catalogue
    groups: dict[tuple[ThresholdValue, ...], list[str]] = {}
    for key in judged:
        groups.setdefault(tuple(t for t in thresholds.get(key, ()) if t.overridden), []).append(key)
    requirements = catalogue.requirements(framework)
    outcomes: dict[str, dict[URIRef, RequirementOutcome]] = {}
    for overrides, keys in groups.items():
        program = _program(catalogue, framework, overrides)
        report = validate(run.store, program, graphs=[*run.data_graphs, CURRENT_GRAPH], engine=engine)
        unmet = {pair for row in report.rows if (pair := stood_for(row.focus)) is not None}
        for key in keys:
            threshold_of = {t.requirement: t for t in thresholds.get(key, ())}
            outcomes[key] = {requirement: _outcome(requirement, judged[key][requirement], unmet, key,
                                                   threshold_of.get(requirement))
                             for requirement in requirements}
            log.debug("%s %s: %d requirements, %d unmet", key, framework.id, len(requirements),
                      sum(not o.satisfied for o in outcomes[key].values()))
    return outcomes


def _outcome(requirement: URIRef, judgement: Judgement, unmet: set[tuple[str, URIRef]], key: str,
             threshold: ThresholdValue | None) -> RequirementOutcome:
    """One assessment's outcome: its stand-in's verdict, or, with no current evidence, the verdict on none."""
    satisfied = (key if judgement.current else NO_EVIDENCE, requirement) not in unmet
    measured = [m for m in (_number(c.value) for c in judgement.current) if m is not None]
    outcome, reason, cause = _reason(satisfied, judgement, measured, threshold)
    used = tuple(sorted({c.item for c in judgement.current}, key=str))
    return RequirementOutcome(requirement, satisfied, outcome, reason, used, cause,
                              max(measured) if measured else None)
