"""What moved between two snapshots of evidence, and why (`mgraph diff`).

Each snapshot is assessed on its own as-of day. Results are paired per subject and framework
(one graph may hold assessments of many subjects); a subject or framework found on one side
only is reported as added or removed, not as a movement. A capability, dimension, tier or
overall result that changed stage, or became or stopped being assessed, is a movement; its
reasons are the requirements whose outcome changed, classified from the requirement outcomes'
cause codes: newly met, newly not applicable, evidence expired, evidence withdrawn (a newer
"not met", or the evidence is gone), claim no longer supported.

A regression (what `diff --fail-on-regression` gates on) is a movement down: a lower stage, or
a result that stopped being assessed; or a subject and framework assessed in the old snapshot
and missing from the new one.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..catalogue import Catalogue, RequirementRow, load_catalogue
from ..errors import InputError
from .pipeline import assess
from .requirements import RequirementOutcome
from .result import AssessmentResult, FrameworkAssessment, StageResult, Subject

CHANGE_BY_CAUSE = {
    "expired": "evidence expired",
    "stated_not_met": "evidence withdrawn: newer evidence says not met",
    "none": "evidence withdrawn: no evidence any more",
    "unknown": "evidence withdrawn: status now unknown",
    "future": "evidence withdrawn: dated after the as-of day",
    "unsupported_claim": "claim no longer supported by the evidence its shape asks for",
    "below_threshold": "measurement now below the threshold",
}

PairKey = tuple[str | None, str]  # (subject id, framework id): what pairs results across snapshots


def subject_of(fw: FrameworkAssessment) -> Subject | None:
    """The subject a framework's results are about (None before subjects, or for an assessment naming none)."""
    return fw.scope.subject if fw.scope is not None else None


def pair_key(fw: FrameworkAssessment) -> PairKey:
    subject = subject_of(fw)
    return (subject.id if subject is not None else None, fw.framework)


def subject_text(subject: Subject | None) -> str:
    """How a subject is named in messages and reports."""
    return "the unnamed subject" if subject is None else f"{subject.label} ({subject.id})"


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
    subject: Subject | None = None

    @property
    def direction(self) -> str:
        """Up or down: by stage rank (no stage counts as 0), else by whether the result is assessed."""
        old = self.old.stage.rank if self.old.stage else 0
        new = self.new.stage.rank if self.new.stage else 0
        if new != old:
            return "up" if new > old else "down"
        return "down" if self.old.assessed and not self.new.assessed else "up"

    def as_dict(self) -> dict[str, Any]:
        return {
            "subject": self.subject.as_dict() if self.subject else None,
            "framework": self.framework,
            "kind": self.kind,
            "id": self.id,
            "label": self.label,
            "direction": self.direction,
            "old_stage": self.old.stage.as_dict() if self.old.stage else None,
            "new_stage": self.new.stage.as_dict() if self.new.stage else None,
            "old_assessed": self.old.assessed,
            "new_assessed": self.new.assessed,
            "reasons": [r.as_dict() for r in self.reasons],
            "parts_moved": list(self.parts_moved),
        }


@dataclass(frozen=True)
class Unpaired:
    """A subject's framework assessed in one snapshot only."""

    subject: Subject | None
    framework: str

    def as_dict(self) -> dict[str, Any]:
        return {"subject": self.subject.as_dict() if self.subject else None, "framework": self.framework}


@dataclass(frozen=True)
class Diff:
    old_as_of: dt.date
    new_as_of: dt.date
    movements: list[Movement]
    added: tuple[Unpaired, ...] = ()
    removed: tuple[Unpaired, ...] = ()

    @property
    def regressions(self) -> list[Movement]:
        return [m for m in self.movements if m.direction == "down"]

    @property
    def regressed(self) -> bool:
        """Whether anything moved down or stopped being assessed, a removed subject included."""
        return bool(self.regressions or self.removed)

    def as_dict(self) -> dict[str, Any]:
        return {"old_as_of": self.old_as_of.isoformat(), "new_as_of": self.new_as_of.isoformat(),
                "movements": [m.as_dict() for m in self.movements],
                "added": [a.as_dict() for a in self.added], "removed": [r.as_dict() for r in self.removed],
                "regressed": self.regressed}


def _change(old: RequirementOutcome, new: RequirementOutcome) -> str | None:
    if not old.satisfied and new.satisfied:
        return {"met": "newly met", "carried": "newly met through a crosswalk"}.get(new.cause, "newly not applicable")
    if old.satisfied and not new.satisfied:
        return CHANGE_BY_CAUSE.get(new.cause, "no longer satisfied")
    return None


def _rank(result: StageResult) -> int | None:
    return result.stage.rank if result.stage else None


def _moved(old: StageResult, new: StageResult) -> bool:
    return _rank(old) != _rank(new) or old.assessed != new.assessed


def _capability_reasons(old_fw: FrameworkAssessment, new_fw: FrameworkAssessment, old: StageResult,
                        new: StageResult, rows: Sequence[RequirementRow]) -> tuple[RequirementChange, ...]:
    top = max(_rank(old) or 0, _rank(new) or 0) + 1
    changes: list[RequirementChange] = []
    for row in rows:
        if row.place.capability != new.iri or row.rank > top:
            continue
        before, after = old_fw.requirements.get(row.requirement), new_fw.requirements.get(row.requirement)
        change = _change(before, after) if before is not None and after is not None else None
        if change and after is not None:
            changes.append(RequirementChange(row.id, row.text, change, after.reason))
    return tuple(changes)


def framework_movements(old_fw: FrameworkAssessment, new_fw: FrameworkAssessment, *,
                        catalogue: Catalogue) -> list[Movement]:
    """Every result of one subject's framework that moved from `old_fw` to `new_fw`, with its reasons."""
    rows = catalogue.requirement_rows(catalogue.get(new_fw.framework))
    old_by_id = {r.id: r for r in old_fw.results}
    moved_ids: set[str] = set()
    movements: list[Movement] = []
    for result in new_fw.results:
        before = old_by_id.get(result.id)
        if before is None or not _moved(before, result):
            continue
        moved_ids.add(result.id)
        reasons = _capability_reasons(old_fw, new_fw, before, result, rows) if result.kind == "capability" else ()
        parts = tuple(p for p in result.parts if p in moved_ids)
        movements.append(Movement(new_fw.framework, result.kind, result.id, result.label, before, result, reasons,
                                  parts, subject_of(new_fw)))
    return movements


def by_subject(result: AssessmentResult, *, side: str) -> dict[PairKey, FrameworkAssessment]:
    """Each framework assessment of `result` by subject and framework; two of one subject cannot be paired."""
    found: dict[PairKey, FrameworkAssessment] = {}
    for fw in result.frameworks:
        key = pair_key(fw)
        if key in found:
            raise InputError(f"{side} holds more than one {fw.framework} assessment of {subject_text(subject_of(fw))}; "
                             f"diff compares one per subject and framework (mgraph trend orders several by date)")
        found[key] = fw
    return found


def diff_assessments(old: AssessmentResult, new: AssessmentResult, *, catalogue: Catalogue | None = None,
                     old_name: str = "the old snapshot", new_name: str = "the new snapshot") -> Diff:
    """Pair the two results per subject and framework and explain what moved in each pair."""
    catalogue = catalogue or load_catalogue()
    old_by, new_by = by_subject(old, side=old_name), by_subject(new, side=new_name)
    movements: list[Movement] = []
    added: list[Unpaired] = []
    for key, new_fw in new_by.items():
        old_fw = old_by.get(key)
        if old_fw is None:
            added.append(Unpaired(subject_of(new_fw), new_fw.framework))
        else:
            movements.extend(framework_movements(old_fw, new_fw, catalogue=catalogue))
    removed = tuple(Unpaired(subject_of(fw), fw.framework) for key, fw in old_by.items() if key not in new_by)
    return Diff(old.as_of, new.as_of, movements, tuple(added), removed)


def _named(paths: Sequence[str | Path], fallback: str) -> str:
    return ", ".join(str(p) for p in paths) if paths else fallback


def diff(
    old: Iterable[str | Path],
    new: Iterable[str | Path],
    *,
    frameworks: Sequence[str] | None = None,
    old_as_of: dt.date | None = None,
    new_as_of: dt.date | None = None,
    catalogue: Catalogue | None = None,
) -> Diff:
    """Assess two evidence snapshots, each on its own day, and explain what moved per subject and framework."""
    catalogue = catalogue or load_catalogue()
    old_files, new_files = list(old), list(new)
    before = assess(old_files, frameworks=frameworks, as_of=old_as_of, catalogue=catalogue)
    chosen = frameworks or list(dict.fromkeys(fw.framework for fw in before.frameworks))
    after = assess(new_files, frameworks=chosen, as_of=new_as_of, catalogue=catalogue)
    return diff_assessments(before, after, catalogue=catalogue, old_name=_named(old_files, "the old snapshot"),
                            new_name=_named(new_files, "the new snapshot"))
