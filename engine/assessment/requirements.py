"""Deciding each requirement on current evidence with its SHACL shape (pyshacl is the authority)."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from ..catalogue import Catalogue, Framework
from ..evidence.freshness import Claim, ClaimState
from ..namespaces import EV
from ..validate.shacl import shacl_report
from .thresholds import ThresholdValue, apply_thresholds

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RequirementOutcome:
    """A requirement's status on the as-of day, the evidence it rests on, and why."""

    requirement: URIRef
    satisfied: bool
    outcome: URIRef
    reason: str
    evidence: tuple[Node, ...] = field(default_factory=tuple)
    cause: str = "none"

    @property
    def stated(self) -> bool:
        """Whether any current evidence says something definite about the requirement."""
        return self.outcome != EV.Unknown


def _reason(satisfied: bool, claims: list[Claim], measured: list[Decimal], threshold: ThresholdValue | None,
            carried: set) -> tuple[URIRef, str, str]:
    """The outcome, a sentence saying why, and a short cause code (used by diff)."""
    current = [c for c in claims if c.state is ClaimState.CURRENT]
    statuses = {c.status for c in current}
    if satisfied:
        met_items = {c.item for c in current if c.status == EV.Met}
        if met_items and met_items <= carried:
            return (EV.Met, "met through a crosswalk: evidence carried from another framework by a reviewed mapping",
                    "carried")
        if EV.Met in statuses:
            return EV.Met, "met on current evidence", "met"
        return EV.NotApplicable, "not applicable, with a justification", "not_applicable"
    if threshold is not None and measured and max(measured) < threshold.value:
        return (EV.NotMet,
                f"measured {max(measured).normalize():f}, below the threshold {threshold.value.normalize():f}",
                "below_threshold")
    if EV.Met in statuses or EV.NotApplicable in statuses:
        return (EV.NotMet, "claimed without the evidence its shape asks for (such as an artifact link, an attester, "
                "a justification, or a measurement at the threshold)", "unsupported_claim")
    if EV.NotMet in statuses:
        return EV.NotMet, "current evidence says it is not met", "stated_not_met"
    stale = [c for c in claims if c.state is ClaimState.STALE]
    if stale:
        last = max(stale, key=lambda c: c.date)
        return EV.Unknown, f"evidence from {last.date.isoformat()} expired on {last.expires.isoformat()}", "expired"
    if any(c.state is ClaimState.FUTURE for c in claims):
        return EV.Unknown, "evidence is dated after the as-of day", "future"
    if EV.Unknown in statuses:
        return EV.Unknown, "evidence says the status is unknown", "unknown"
    return EV.Unknown, "no evidence", "none"


def _number(term) -> Decimal | None:
    try:
        return Decimal(str(term)) if term is not None else None
    except InvalidOperation:
        return None


def decide_requirements(
    framework: Framework,
    current: Graph,
    claims: list[Claim],
    *,
    catalogue: Catalogue,
    thresholds: list[ThresholdValue] = (),
) -> dict[URIRef, RequirementOutcome]:
    """Run the framework's requirement shapes over current evidence; a violation's focus node is an unmet
    requirement."""
    shapes = apply_thresholds(catalogue.shapes_graph(framework), list(thresholds))
    report = shacl_report(current, catalogue.vocabulary, shapes=shapes)
    unmet = {report.value(r, SH.focusNode) for r in report.subjects(RDF.type, SH.ValidationResult)}
    by_requirement: dict[URIRef, list[Claim]] = {}
    for claim in claims:
        by_requirement.setdefault(claim.requirement, []).append(claim)
    threshold_of = {t.requirement: t for t in thresholds}
    carried = set(current.subjects(EV.viaMapping, None))
    outcomes = {}
    for requirement in catalogue.requirements(framework):
        mine = by_requirement.get(requirement, [])
        satisfied = requirement not in unmet
        measured = [_number(current.value(c.item, EV.value)) for c in mine if c.state is ClaimState.CURRENT]
        outcome, reason, cause = _reason(satisfied, mine, [m for m in measured if m is not None],
                                         threshold_of.get(requirement), carried)
        used = tuple(sorted({c.item for c in mine if c.state is ClaimState.CURRENT}, key=str))
        outcomes[requirement] = RequirementOutcome(requirement, satisfied, outcome, reason, used, cause)
    log.debug("%s: %d requirements, %d unmet", framework.id, len(outcomes), len(unmet))
    return outcomes
