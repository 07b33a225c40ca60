"""Across subjects: each result's lowest and median stage and how many subjects reached each stage.

A portfolio is every assessment in a run that is about one framework (products for SbD, cloud
accounts for CSMM, ...), each subject counted once, by its latest assessment. The rule is data
(ontology/mm.ttl mm:PortfolioRollUp, chosen by maturity-graph: no bundled model sums up many
subjects); this module applies it to the results, which are few (one per subject and result).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from rdflib import URIRef

from .. import bundled
from ..catalogue import Catalogue
from ..errors import ContentError
from ..namespaces import MM
from ..store.terms import iri
from .result import FrameworkAssessment, StageRef, StageResult


@dataclass(frozen=True)
class PortfolioRule:
    iri: URIRef
    label: str
    ours: bool


@dataclass(frozen=True)
class StageCount:
    stage: StageRef | None  # None: assessed but below the first stage
    subjects: int

    def as_dict(self) -> dict[str, Any]:
        return {"stage": self.stage.as_dict() if self.stage else None, "subjects": self.subjects}


@dataclass(frozen=True)
class PortfolioResult:
    """One capability, dimension, tier or overall result across the subjects assessed against a framework."""

    framework: str
    kind: str
    id: str
    label: str
    iri: URIRef
    subjects: int
    assessed: int
    lowest: StageRef | None
    median: StageRef | None
    counts: tuple[StageCount, ...]
    below_target: int
    lowest_subjects: tuple[str, ...]
    rule: PortfolioRule

    def as_dict(self) -> dict[str, Any]:
        return {
            "framework": self.framework, "kind": self.kind, "id": self.id, "label": self.label,
            "iri": str(self.iri), "subjects": self.subjects, "assessed": self.assessed,
            "not_assessed": self.subjects - self.assessed,
            "lowest": self.lowest.as_dict() if self.lowest else None,
            "median": self.median.as_dict() if self.median else None,
            "distribution": [c.as_dict() for c in self.counts],
            "below_target": self.below_target,
            "lowest_subjects": list(self.lowest_subjects),
            "rule": {"label": self.rule.label, "ours": self.rule.ours},
        }


@cache
def portfolio_rule(catalogue: Catalogue) -> PortfolioRule:
    rows = catalogue.content_store.query(bundled.query_text(__package__, "portfolio-rule.rq")).dicts()
    if not rows or rows[0]["method"] != MM.StageSpread:
        raise ContentError("the content defines no portfolio roll-up (mm:PortfolioLevel with mm:StageSpread)")
    row = rows[0]
    return PortfolioRule(iri(row["rollUp"]), str(row["label"]), row["authority"] == MM.ChosenByMaturityGraph)


def latest_per_subject(frameworks: Sequence[FrameworkAssessment]) -> list[FrameworkAssessment]:
    """Of each subject's assessments against each framework, the latest (by as-of day, then assessment IRI)."""
    chosen: dict[tuple[str, str], FrameworkAssessment] = {}
    for fa in frameworks:
        who = _who(fa)
        held = chosen.get((fa.framework, who))
        if held is None or _when(fa) > _when(held):
            chosen[(fa.framework, who)] = fa
    return list(chosen.values())


def portfolio(frameworks: Sequence[FrameworkAssessment], catalogue: Catalogue) -> list[PortfolioResult]:
    """Per framework assessed for two or more subjects, every result across them, in reading order."""
    rule = portfolio_rule(catalogue)
    latest = latest_per_subject(frameworks)
    out: list[PortfolioResult] = []
    for fw_id in dict.fromkeys(fa.framework for fa in latest):
        members = [fa for fa in latest if fa.framework == fw_id]
        if len(members) < 2:
            continue
        ranks = {s.rank: s for s in _stages(catalogue, fw_id)}
        for first in members[0].results:
            peers = [(fa, _find(fa, first)) for fa in members]
            out.append(_spread(first, [(fa, r) for fa, r in peers if r is not None], ranks, rule))
    return out


def _spread(template: StageResult, peers: Sequence[tuple[FrameworkAssessment, StageResult]],
            ranks: dict[int, StageRef], rule: PortfolioRule) -> PortfolioResult:
    assessed = [(fa, r) for fa, r in peers if r.assessed]
    levels = sorted(r.stage.rank if r.stage else 0 for _, r in assessed)
    lowest = levels[0] if levels else None
    median = levels[(len(levels) - 1) // 2] if levels else None  # the lower middle: always a stage reached
    counts = tuple(StageCount(ranks.get(rank), levels.count(rank)) for rank in sorted(set(levels)))
    return PortfolioResult(
        framework=template.framework, kind=template.kind, id=template.id, label=template.label, iri=template.iri,
        subjects=len(peers), assessed=len(assessed),
        lowest=ranks.get(lowest) if lowest is not None else None,
        median=ranks.get(median) if median is not None else None,
        counts=counts,
        below_target=sum(1 for _, r in peers if r.distance_to_target),
        lowest_subjects=tuple(sorted(_who(fa) for fa, r in assessed if (r.stage.rank if r.stage else 0) == lowest)),
        rule=rule,
    )


def _find(fa: FrameworkAssessment, like: StageResult) -> StageResult | None:
    return next((r for r in fa.results if r.kind == like.kind and r.id == like.id), None)


def _stages(catalogue: Catalogue, fw_id: str) -> list[StageRef]:
    return [StageRef(s.rank, s.label, s.iri) for s in catalogue.rules(catalogue.get(fw_id)).stages]


def _who(fa: FrameworkAssessment) -> str:
    """The subject's id; an assessment without a subject stands for itself."""
    scope = fa.scope
    if scope is None:
        return ""
    return scope.subject.id if scope.subject is not None else scope.name


def _when(fa: FrameworkAssessment) -> tuple[dt.date, str]:
    return fa.as_of or dt.date.min, str(fa.scope.iri) if fa.scope is not None else ""
