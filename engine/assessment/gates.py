"""CI gates on an assessment: which results sit below their target (`assess --fail-below-target`).

A capability's target is its own (an organisation's ev:TargetSetting for that capability), else
its framework's; a dimension, tier or overall result has its framework's (SbD's published target,
or the organisation's: targets.py decides which wins). A result is below its target when its
distance to the target is above 0, or when it is not assessed at all: a result nobody gave
evidence for has not reached anything. A result without a target is never below one.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .movement import subject_of
from .result import AssessmentResult, FrameworkAssessment, StageRef, StageResult, Subject


@dataclass(frozen=True)
class Shortfall:
    """One result below its target."""

    subject: Subject | None
    result: StageResult
    target: StageRef | None

    def as_dict(self) -> dict[str, Any]:
        return {"subject": self.subject.as_dict() if self.subject else None, "framework": self.result.framework,
                "kind": self.result.kind, "id": self.result.id, "assessed": self.result.assessed,
                "stage": self.result.stage.as_dict() if self.result.stage else None,
                "target": self.target.as_dict() if self.target else None,
                "distance_to_target": self.result.distance_to_target}


def target_of(fw: FrameworkAssessment, result: StageResult) -> StageRef | None:
    """The stage `result` is measured against: its capability's own target, else the framework's."""
    if result.kind == "capability":
        own = next((t.stage for t in fw.targets if t.capability == result.id), None)
        if own is not None:
            return own
    return next((t.stage for t in fw.targets if t.capability is None), fw.target)


def below_target(result: AssessmentResult) -> list[Shortfall]:
    """Every capability, dimension, tier and overall result below its target, in reading order."""
    found = []
    for fw in result.frameworks:
        for r in fw.results:
            target = target_of(fw, r)
            if (target is not None or r.distance_to_target is not None) and (
                    not r.assessed or (r.distance_to_target or 0) > 0):
                found.append(Shortfall(subject_of(fw), r, target))
    return found
