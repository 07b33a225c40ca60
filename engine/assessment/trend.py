"""The stage of every result over time, per subject and framework, with the reasons for each move
(`mgraph trend`).

Snapshots are evidence files, each assessed on its own day; one file may hold several assessments
(of several subjects, or of one subject on several ev:assessmentDate). Every framework assessment
is grouped by subject and framework and ordered by its as-of day, and each pair of consecutive
points is explained as `diff` explains two snapshots (movement.py). A regression (what
`trend --fail-on-regression` gates on) is a move down between the last two points of a series.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..catalogue import Catalogue, load_catalogue
from ..errors import InputError
from .movement import Movement, PairKey, framework_movements, pair_key, subject_of, subject_text
from .pipeline import assess
from .result import AssessmentResult, FrameworkAssessment, StageResult, Subject


@dataclass(frozen=True)
class Snapshot:
    """One point of a series: the day it was judged on and where it came from."""

    date: dt.date
    source: str
    assessment: str | None = None  # the ev:Assessment node, when the evidence names one

    def as_dict(self) -> dict[str, Any]:
        return {"date": self.date.isoformat(), "source": self.source, "assessment": self.assessment}


@dataclass(frozen=True)
class Step:
    """A result's move between two consecutive snapshots."""

    old_date: dt.date
    new_date: dt.date
    movement: Movement

    @property
    def direction(self) -> str:
        return self.movement.direction

    def as_dict(self) -> dict[str, Any]:
        move = self.movement.as_dict()
        return {"from": self.old_date.isoformat(), "to": self.new_date.isoformat(), "direction": self.direction,
                "old_stage": move["old_stage"], "new_stage": move["new_stage"], "reasons": move["reasons"],
                "parts_moved": move["parts_moved"]}


@dataclass(frozen=True)
class ResultTrend:
    """One capability, dimension, tier or overall result of one subject, at each snapshot of its series."""

    kind: str
    id: str
    label: str
    points: tuple[StageResult | None, ...]  # one per snapshot of the series; None where the result is absent
    steps: tuple[Step, ...]

    def as_dict(self, snapshots: Sequence[Snapshot]) -> dict[str, Any]:
        return {
            "kind": self.kind, "id": self.id, "label": self.label,
            "stages": [{"date": snap.date.isoformat(),
                        "stage": p.stage.as_dict() if p is not None and p.stage else None,
                        "assessed": p is not None and p.assessed,
                        "score": float(p.score) if p is not None and p.score is not None else None}
                       for snap, p in zip(snapshots, self.points, strict=True)],
            "moves": [s.as_dict() for s in self.steps],
        }


@dataclass(frozen=True)
class Series:
    """Every result of one subject's framework over time, oldest snapshot first."""

    subject: Subject | None
    framework: str
    label: str
    snapshots: tuple[Snapshot, ...]
    results: tuple[ResultTrend, ...]

    @property
    def regressions(self) -> list[Step]:
        """The moves down between the last two snapshots."""
        if len(self.snapshots) < 2:
            return []
        last = self.snapshots[-1].date
        return [s for r in self.results for s in r.steps if s.new_date == last and s.direction == "down"]

    def as_dict(self) -> dict[str, Any]:
        return {"subject": self.subject.as_dict() if self.subject else None, "framework": self.framework,
                "label": self.label, "snapshots": [s.as_dict() for s in self.snapshots],
                "results": [r.as_dict(self.snapshots) for r in self.results],
                "regressions": [r.movement.id for r in self.regressions]}


@dataclass(frozen=True)
class Trend:
    series: tuple[Series, ...]

    @property
    def regressed(self) -> bool:
        return any(s.regressions for s in self.series)

    def as_dict(self) -> dict[str, Any]:
        return {"series": [s.as_dict() for s in self.series], "regressed": self.regressed}


def _point(fw: FrameworkAssessment, result: AssessmentResult, source: str) -> Snapshot:
    scope = fw.scope
    date = fw.as_of or (scope.date if scope is not None else None) or result.as_of
    assessment = str(scope.iri) if scope is not None and scope.iri is not None else None
    return Snapshot(date, source, assessment)


def _matches(subject: Subject | None, wanted: Sequence[str]) -> bool:
    """Whether `subject` is named in `wanted` by its identifier, label or IRI, ignoring case (as assess does)."""
    if subject is None:
        return False
    names = {subject.id.casefold(), subject.label.casefold(), str(subject.iri).casefold()}
    return any(w.strip().casefold() in names for w in wanted)


def _series(points: list[tuple[Snapshot, FrameworkAssessment]], catalogue: Catalogue) -> Series:
    points.sort(key=lambda p: p[0].date)
    for (a, fw), (b, _) in zip(points, points[1:], strict=False):
        if a.date == b.date:
            raise InputError(f"{a.source} and {b.source} both hold a {fw.framework} assessment of "
                             f"{subject_text(subject_of(fw))} on {a.date.isoformat()}; a trend needs one per day")
    snapshots = tuple(s for s, _ in points)
    steps: dict[str, list[Step]] = {}
    for (a, old_fw), (b, new_fw) in zip(points, points[1:], strict=False):
        for m in framework_movements(old_fw, new_fw, catalogue=catalogue):
            steps.setdefault(m.id, []).append(Step(a.date, b.date, m))
    latest = points[-1][1]
    order = {r.id: r for _, fw in points for r in fw.results}  # every result seen, in reading order
    by_snapshot = [{r.id: r for r in fw.results} for _, fw in points]
    results = tuple(
        ResultTrend(r.kind, r.id, r.label, tuple(found.get(r.id) for found in by_snapshot), tuple(steps.get(r.id, ())))
        for r in order.values())
    return Series(subject_of(latest), latest.framework, latest.label, snapshots, results)


def trend_assessments(snapshots: Sequence[tuple[str, AssessmentResult]], *, subjects: Sequence[str] | None = None,
                      catalogue: Catalogue | None = None) -> Trend:
    """Group assessment results (each with the name of its source) into series per subject and framework."""
    catalogue = catalogue or load_catalogue()
    grouped: dict[PairKey, list[tuple[Snapshot, FrameworkAssessment]]] = {}
    for source, result in snapshots:
        for fw in result.frameworks:
            if subjects and not _matches(subject_of(fw), subjects):
                continue
            grouped.setdefault(pair_key(fw), []).append((_point(fw, result, source), fw))
    if subjects and not grouped:
        seen = sorted({subject_text(subject_of(fw)) for _, r in snapshots for fw in r.frameworks})
        raise InputError(f"no assessment of subject {', '.join(subjects)} in the snapshots; "
                         f"they assess {', '.join(seen) or 'nothing'}")
    ordered = sorted(grouped.items(), key=lambda item: (item[0][0] or "", item[0][1]))
    return Trend(tuple(_series(points, catalogue) for _, points in ordered))


def trend(
    snapshots: Iterable[str | Path],
    *,
    frameworks: Sequence[str] | None = None,
    subjects: Sequence[str] | None = None,
    catalogue: Catalogue | None = None,
) -> Trend:
    """Assess each evidence snapshot on its own day and show every result's stage over time, with the reasons."""
    catalogue = catalogue or load_catalogue()
    results = [(str(path), assess([path], frameworks=frameworks, catalogue=catalogue)) for path in snapshots]
    return trend_assessments(results, subjects=subjects, catalogue=catalogue)
