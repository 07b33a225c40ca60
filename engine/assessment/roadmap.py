"""The roadmap: per assessment and framework, what to do next to reach the target, in a documented order.

For each capability below its target (targets.py), the unmet requirements of every stage from the
one after the stage reached up to the target, ordered by:

1. stage, lower first: a stage cannot be reached before the ones below it, and raising the lowest
   capabilities first is what raises a lowest-part roll-up (an SbD domain, the overall stage);
2. priority of the planned action (ev:priority, 1 first); requirements without a plan come after;
3. effort (ev:effort, smaller first); without an estimate after;
4. requirement id (numbers in it compared as numbers).

Planned actions (ev:PlannedAction ev:addresses a requirement, ev:inAssessment an assessment) give the
owner, due date, priority and effort; one whose due date is before the as-of day is overdue. They
are read from the run's evidence graphs and never make a requirement met.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from rdflib import Literal, URIRef
from rdflib.term import Node

from .. import bundled
from ..catalogue import Catalogue, RequirementRow
from ..namespaces import is_evidence_graph
from ..store import Store, open_store
from .result import AssessmentResult, AssessmentScope, FrameworkAssessment, StageRef
from .targets import Target

_DIGITS = re.compile(r"(\d+)")


@dataclass(frozen=True)
class PlannedAction:
    """Work planned towards one requirement: who, by when, how urgent, how big (each optional)."""

    action: URIRef | None  # the ev:PlannedAction node where it is an IRI
    requirement: URIRef
    assessment: URIRef | None  # None: the evidence names no assessment
    label: str | None = None
    priority: int | None = None
    owner: str | None = None
    due: dt.date | None = None
    effort: Decimal | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"action": str(self.action) if self.action is not None else None, "label": self.label,
                "priority": self.priority, "owner": self.owner, "due": self.due.isoformat() if self.due else None,
                "effort": float(self.effort) if self.effort is not None else None}


@dataclass(frozen=True)
class RoadmapItem:
    """One unmet requirement on the way to a capability's target, with its plan where there is one."""

    framework: str
    capability: str
    capability_label: str
    stage: StageRef
    target: Target
    requirement: str
    requirement_iri: URIRef
    text: str
    reason: str
    action: PlannedAction | None = None
    overdue: bool = False
    assessment: str | None = None  # the assessment's key (AssessmentScope.key)
    subject: str | None = None  # the subject's id (ev:identifier, else its label); None without ev:subject

    def as_dict(self) -> dict[str, Any]:
        action = self.action
        return {
            "assessment": self.assessment, "subject": self.subject, "framework": self.framework,
            "capability": self.capability, "capability_label": self.capability_label, "stage": self.stage.as_dict(),
            "target": self.target.as_dict(), "requirement": self.requirement,
            "requirement_iri": str(self.requirement_iri), "text": self.text, "reason": self.reason,
            "action": action.as_dict() if action is not None else None, "overdue": self.overdue,
        }


@dataclass(frozen=True)
class RoadmapSection:
    """The roadmap of one assessment in one framework."""

    framework: str
    label: str
    scope: AssessmentScope | None
    as_of: dt.date
    targets: tuple[Target, ...]
    items: tuple[RoadmapItem, ...]

    @property
    def subject(self) -> str | None:
        scope = self.scope
        return scope.subject.id if scope is not None and scope.subject is not None else None

    def as_dict(self) -> dict[str, Any]:
        scope = self.scope
        return {"assessment": scope.key if scope is not None else None, "subject": self.subject,
                "name": scope.name if scope is not None else None,
                "framework": self.framework, "label": self.label, "as_of": self.as_of.isoformat(),
                "targets": [t.as_dict() for t in self.targets], "items": len(self.items),
                "overdue": sum(1 for i in self.items if i.overdue)}


@dataclass
class Roadmap:
    """What `roadmap` returns: one section per assessment and framework, in the assessment's order."""

    as_of: dt.date
    sections: list[RoadmapSection] = field(default_factory=list)

    @property
    def items(self) -> list[RoadmapItem]:
        return [item for section in self.sections for item in section.items]

    def as_dict(self) -> dict[str, Any]:
        return {"as_of": self.as_of.isoformat(), "sections": [s.as_dict() for s in self.sections],
                "items": [i.as_dict() for i in self.items]}


def planned_actions(store: Store, *, graphs: Sequence[URIRef] | None = None) -> list[PlannedAction]:
    """The planned actions in the store's evidence graphs (or in `graphs`), one per requirement addressed."""
    chosen = list(graphs) if graphs is not None else [g for g in store.graph_names() if is_evidence_graph(g)]
    if not chosen:
        return []
    text = bundled.query_text(__package__, "planned-actions.rq")
    found = []
    for row in store.query(text, graphs=chosen).dicts():
        requirement = row["requirement"]
        if not isinstance(requirement, URIRef):
            continue  # shapes/core refuses it: ev:addresses names a requirement
        found.append(PlannedAction(
            _iri(row["action"]), requirement, _iri(row["assessment"]), _text(row["label"]),
            _integer(row["priority"]), _text(row["owner"]), _date(row["due"]), _decimal(row["effort"])))
    return found


def roadmap(evidence: Iterable[str | Path], *, frameworks: Sequence[str] | None = None, subjects: Sequence[str] = (),
            as_of: dt.date | None = None, catalogue: Catalogue | None = None) -> Roadmap:
    """Assess the evidence and order, per assessment and framework, what remains to reach each target.

    One run: the planned actions are read from the same store the assessment ran on.
    """
    from .pipeline import assess  # the pipeline imports targets.py, which this module's types come from

    store = open_store()
    try:
        result = assess(list(evidence), frameworks=frameworks, as_of=as_of, store=store, subjects=subjects,
                        catalogue=catalogue)
        return build_roadmap(result, planned_actions(store))
    finally:
        store.close()


def build_roadmap(result: AssessmentResult, actions: Sequence[PlannedAction]) -> Roadmap:
    """The roadmap of every assessment and framework in `result`."""
    sections = [roadmap_section(fa, actions, catalogue=result.catalogue, as_of=fa.as_of or result.as_of)
                for fa in result.frameworks]
    return Roadmap(result.as_of, sections)


def roadmap_section(fa: FrameworkAssessment, actions: Sequence[PlannedAction], *, catalogue: Catalogue,
                    as_of: dt.date) -> RoadmapSection:
    """The roadmap of one assessment in one framework: its unmet requirements up to each capability's target."""
    framework = catalogue.get(f"{fa.framework}@{fa.version}")
    targets = tuple(fa.targets) or ((Target(fa.target, "published"),) if fa.target is not None else ())
    overall = next((t for t in targets if t.capability_iri is None), None)
    own = {t.capability_iri: t for t in targets if t.capability_iri is not None}
    rows: dict[URIRef, list[RequirementRow]] = {}
    for row in catalogue.requirement_rows(framework):
        rows.setdefault(row.place.capability, []).append(row)
    scope = fa.scope
    mine = _actions_of(actions, scope.iri if scope is not None else None)
    subject = scope.subject.id if scope is not None and scope.subject is not None else None
    items = []
    for result in fa.of_kind("capability"):
        target = own.get(result.iri, overall)
        reached = result.stage.rank if result.stage is not None else 0
        if target is None or reached >= target.stage.rank:
            continue
        for row in rows.get(result.iri, []):
            outcome = fa.requirements.get(row.requirement)
            if not reached < row.rank <= target.stage.rank or outcome is None or outcome.satisfied:
                continue
            action = mine.get(row.requirement)
            items.append(RoadmapItem(
                fa.framework, result.id, result.label, StageRef(row.rank, row.stage_label, row.stage), target,
                row.id, row.requirement, row.text, outcome.reason, action,
                action is not None and action.due is not None and action.due < as_of,
                scope.key if scope is not None else None, subject))
    items.sort(key=_order)
    return RoadmapSection(fa.framework, fa.label, scope, as_of, targets, tuple(items))


def _order(item: RoadmapItem) -> tuple[Any, ...]:
    """The documented order: stage, then priority (planned first), then effort, then requirement id."""
    action = item.action
    priority = action.priority if action is not None else None
    effort = action.effort if action is not None else None
    return (item.stage.rank, priority is None, priority or 0, effort is None, effort or Decimal(0),
            _natural(item.requirement))


def _actions_of(actions: Sequence[PlannedAction], assessment: URIRef | None) -> dict[URIRef, PlannedAction]:
    """Per requirement, the assessment's most urgent action: lowest priority, then earliest due date."""
    chosen: dict[URIRef, PlannedAction] = {}
    for action in sorted(actions, key=_urgency):
        if action.assessment == assessment:
            chosen.setdefault(action.requirement, action)
    return chosen


def _urgency(action: PlannedAction) -> tuple[Any, ...]:
    return (action.priority is None, action.priority or 0, action.due is None, action.due or dt.date.min,
            str(action.action))


def _natural(text: str) -> tuple[tuple[int, int | str], ...]:
    """`R2` before `R10`: digits compare as numbers."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in _DIGITS.split(text) if part)


def _iri(term: Node | None) -> URIRef | None:
    return term if isinstance(term, URIRef) else None


def _text(term: Node | None) -> str | None:
    text = " ".join(str(term).split()) if term is not None else ""
    return text or None


def _integer(term: Node | None) -> int | None:
    value = term.toPython() if isinstance(term, Literal) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _date(term: Node | None) -> dt.date | None:
    value = term.toPython() if isinstance(term, Literal) else None
    return value if isinstance(value, dt.date) and not isinstance(value, dt.datetime) else None


def _decimal(term: Node | None) -> Decimal | None:
    if not isinstance(term, Literal):
        return None
    try:
        value = Decimal(str(term))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None
