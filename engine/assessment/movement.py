"""What moved between two snapshots of evidence, and why (`mgraph diff`).

Each snapshot is assessed on its own as-of day. A capability, dimension or overall result
that changed stage (or became assessed, or stopped being assessed) is a movement; its
reasons are the requirements whose outcome changed, classified from the requirement
outcomes' cause codes: newly met, newly not applicable, evidence expired, evidence
withdrawn (a newer "not met", or the evidence is gone), claim no longer supported.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..catalogue import Catalogue, RequirementRow, load_catalogue
from .pipeline import assess
from .requirements import RequirementOutcome
from .result import AssessmentResult, FrameworkAssessment, StageResult

CHANGE_BY_CAUSE = {
    "expired": "evidence expired",
    "stated_not_met": "evidence withdrawn: newer evidence says not met",
    "none": "evidence withdrawn: no evidence any more",
    "unknown": "evidence withdrawn: status now unknown",
    "future": "evidence withdrawn: dated after the as-of day",
    "unsupported_claim": "claim no longer supported by the evidence its shape asks for",
    "below_threshold": "measurement now below the threshold",
}


@dataclass(frozen=True)
class RequirementChange:
    id: str
    text: str
    change: str
    detail: str

    def as_dict(self) -> dict[str, str]:
        return {"id": self.id, "text": self.text, "change": self.change, "detail": self.detail}


@dataclass(frozen=True)
class Movement:
    """One result that moved between the old and the new snapshot."""

    framework: str
    kind: str
    id: str
    label: str
    old: StageResult
    new: StageResult
    reasons: tuple[RequirementChange, ...]
    parts_moved: tuple[str, ...] = ()

    @property
    def direction(self) -> str:
        old = self.old.stage.rank if self.old.stage else 0
        new = self.new.stage.rank if self.new.stage else 0
        return "up" if new > old else "down"

    def as_dict(self) -> dict[str, Any]:
        return {
            "framework": self.framework,
            "kind": self.kind,
            "id": self.id,
            "label": self.label,
            "direction": self.direction,
            "old_stage": self.old.stage.as_dict() if self.old.stage else None,
            "new_stage": self.new.stage.as_dict() if self.new.stage else None,
            "reasons": [r.as_dict() for r in self.reasons],
            "parts_moved": list(self.parts_moved),
        }


@dataclass(frozen=True)
class Diff:
    old_as_of: dt.date
    new_as_of: dt.date
    movements: list[Movement]

    def as_dict(self) -> dict[str, Any]:
        return {"old_as_of": self.old_as_of.isoformat(), "new_as_of": self.new_as_of.isoformat(),
                "movements": [m.as_dict() for m in self.movements]}


def _change(old: RequirementOutcome, new: RequirementOutcome) -> str | None:
    if not old.satisfied and new.satisfied:
        return {"met": "newly met", "carried": "newly met through a crosswalk"}.get(new.cause, "newly not applicable")
    if old.satisfied and not new.satisfied:
        return CHANGE_BY_CAUSE.get(new.cause, "no longer satisfied")
    return None


def _rank(result: StageResult) -> int | None:
    return result.stage.rank if result.stage else None


def _capability_reasons(old_fw: FrameworkAssessment, new_fw: FrameworkAssessment, old: StageResult,
                        new: StageResult, rows: Sequence[RequirementRow]) -> tuple[RequirementChange, ...]:
    top = max(_rank(old) or 0, _rank(new) or 0) + 1
    changes: list[RequirementChange] = []
    for row in rows:
        if row.place.capability != new.iri or row.rank > top:
            continue
        before, after = old_fw.requirements[row.requirement], new_fw.requirements[row.requirement]
        change = _change(before, after)
        if change:
            changes.append(RequirementChange(row.id, row.text, change, after.reason))
    return tuple(changes)


def diff_assessments(old: AssessmentResult, new: AssessmentResult, *, catalogue: Catalogue | None = None) -> Diff:
    catalogue = catalogue or load_catalogue()
    movements: list[Movement] = []
    for new_fw in new.frameworks:
        try:
            old_fw = old.framework(new_fw.framework)
        except KeyError:
            continue
        rows = catalogue.requirement_rows(catalogue.get(new_fw.framework))
        old_by_id = {r.id: r for r in old_fw.results}
        moved_ids: set[str] = set()
        for result in new_fw.results:
            before = old_by_id.get(result.id)
            if before is None or _rank(before) == _rank(result):
                continue
            moved_ids.add(result.id)
            reasons = _capability_reasons(old_fw, new_fw, before, result, rows) if result.kind == "capability" else ()
            parts = tuple(p for p in result.parts if p in moved_ids)
            movements.append(
                Movement(new_fw.framework, result.kind, result.id, result.label, before, result, reasons, parts))
    return Diff(old.as_of, new.as_of, movements)


def diff(
    old: Iterable[str | Path],
    new: Iterable[str | Path],
    *,
    frameworks: Sequence[str] | None = None,
    old_as_of: dt.date | None = None,
    new_as_of: dt.date | None = None,
    catalogue: Catalogue | None = None,
) -> Diff:
    """Assess two evidence snapshots, each on its own day, and explain what moved."""
    catalogue = catalogue or load_catalogue()
    before = assess(old, frameworks=frameworks, as_of=old_as_of, catalogue=catalogue)
    chosen = frameworks or [fw.framework for fw in before.frameworks]
    after = assess(new, frameworks=chosen, as_of=new_as_of, catalogue=catalogue)
    return diff_assessments(before, after, catalogue=catalogue)
