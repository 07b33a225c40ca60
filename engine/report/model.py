"""The report's content: the AssessmentResult arranged for reading, one section per framework and subject.

Nothing here decides anything: every stage, score, gap and reason is the result's own; this module
only orders them, words them as `mgraph assess` does, and picks the chart that suits the model.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from ..assessment.portfolio import PortfolioResult
from ..assessment.result import AssessmentResult, FrameworkAssessment, StageResult, stage_text
from .charts import Chart, bars, radar, stage_colours
from .freshness import EvidenceUse

# A portfolio's subjects get no chart each: its heat map is the chart, and 1,000 charts would make a
# report of tens of megabytes that takes minutes to draw.
RADAR_MIN_AXES = 3


def display_label(label: str, id_: str) -> str:
    """The label with its id in brackets, unless the label already shows it: no "(SST) (SST)"."""
    if not id_ or label == id_ or re.search(rf"\({re.escape(id_)}\)", label):
        return label
    return f"{label} ({id_})"


def _number(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():f}"


@dataclass(frozen=True)
class Row:
    """One line of a scorecard."""

    kind: str
    label: str
    stage: str
    rank: int | None  # None: not assessed; 0: below the first stage
    score: str
    target: str
    distance: str
    overrides: str
    carried: str
    kind_note: str = ""


@dataclass(frozen=True)
class GapRow:
    capability: str
    next_stage: str
    requirement: str
    text: str
    reason: str


@dataclass(frozen=True)
class WorkingRow:
    capability: str
    stage: str
    passed: str
    total: str
    share: str
    state: str


@dataclass
class Section:
    """One framework assessed for one subject (or for the evidence as a whole)."""

    anchor: str
    title: str
    framework: str
    subject: str | None
    organisation: str | None
    assessment: str | None
    as_of: dt.date
    target: str | None
    scored: bool
    rows: list[Row]
    overall: list[str]
    gaps: list[GapRow]
    working: list[WorkingRow]
    overrides: list[tuple[str, str, str, str, str]]
    targets: list[tuple[str, str, str]]
    evidence: list[EvidenceUse]
    not_assessed: list[str]
    carried: list[str]
    charts: list[Chart] = field(default_factory=list)


@dataclass(frozen=True)
class HeatCell:
    text: str
    title: str
    background: str
    colour: str


@dataclass
class Portfolio:
    """A framework assessed for several subjects: subjects down, results across, one coloured cell each."""

    anchor: str
    title: str
    columns: list[tuple[str, str]]  # (id, label)
    rows: list[tuple[str, str, list[HeatCell]]]  # (subject, as-of, cells)
    summary: list[tuple[str, list[HeatCell]]]  # LOWEST / MEDIAN
    legend: list[HeatCell]
    rule: str


@dataclass
class Report:
    as_of: dt.date
    organisations: list[str]
    subjects: list[str]
    sources: list[str]
    portfolios: list[Portfolio]
    sections: list[Section]
    version: str


def build_report(result: AssessmentResult, *, sources: Sequence[str], evidence: dict[int, list[EvidenceUse]],
                 version: str) -> Report:
    groups: dict[str, list[int]] = {}
    for n, fa in enumerate(result.frameworks):
        groups.setdefault(fa.framework, []).append(n)
    portfolios = []
    sections = []
    for fw_id, members in groups.items():
        several = len(members) > 1
        if several:
            portfolios.append(_portfolio(result, [result.frameworks[n] for n in members],
                                         [p for p in result.portfolio if p.framework == fw_id]))
        for n in members:
            sections.append(_section(result, result.frameworks[n], n, evidence.get(n, []), charts=not several))
    scopes = result.scopes
    organisations = sorted({s.organisation for s in scopes if s.organisation})
    subjects = list(dict.fromkeys(
        display_label(s.subject.label, s.subject.id) + (f", {s.subject.kind}" if s.subject.kind else "")
        for s in scopes if s.subject is not None))
    return Report(result.as_of, organisations, subjects, list(sources), portfolios, sections, version)


def _scale(result: AssessmentResult, fa: FrameworkAssessment) -> list[tuple[int, str, Decimal | None]]:
    rules = result.catalogue.rules(result.catalogue.get(fa.framework))
    return [(s.rank, s.label, s.value) for s in rules.stages]


def _section(result: AssessmentResult, fa: FrameworkAssessment, n: int, evidence: list[EvidenceUse], *,
             charts: bool) -> Section:
    scope = fa.scope
    subject = display_label(scope.subject.label, scope.subject.id) if scope and scope.subject else None
    as_of = fa.as_of or result.as_of
    scored = any(r.score is not None for r in fa.results)
    targets = {t.capability: t.stage.label for t in fa.targets}
    refs = {o: f"[{k}]" for k, o in enumerate(fa.overrides, 1)}
    capabilities = fa.of_kind("capability")

    def row(r: StageResult) -> Row:
        target = targets.get(r.id if r.kind == "capability" else None, targets.get(None, ""))
        kind_note = r.capability_kind or ""
        return Row(r.kind, display_label(r.label, r.id), stage_text(r),
                   (r.stage.rank if r.stage else 0) if r.assessed else None, _number(r.score), target,
                   "" if r.distance_to_target is None else str(r.distance_to_target),
                   " ".join(refs[o] for o in r.overrides if o in refs), ", ".join(r.via_crosswalk), kind_note)

    rows: list[Row] = []
    listed: set[str] = set()
    groups = fa.of_kind("group")
    for dim in fa.of_kind("dimension"):
        rows.append(row(dim))
        for group in (g for g in groups if g.dimension == dim.id):
            rows.append(row(group))
            for cap in (c for c in capabilities if c.id in group.parts):
                rows.append(row(cap))
                listed.add(cap.id)
        for cap in capabilities:
            if cap.id not in listed and (cap.dimension == dim.id or (cap.id in dim.parts and cap.dimension is None)):
                rows.append(row(cap))
                listed.add(cap.id)
    rows.extend(row(c) for c in capabilities if c.id not in listed)
    rows.extend(row(t) for t in fa.of_kind("tier"))
    rows.extend(row(o) for o in fa.of_kind("overall"))
    overall = []
    for o in fa.of_kind("overall"):
        score = f", score {_number(o.score)}" if o.score is not None else ""
        overall.append(f"Overall ({o.rule}, {o.rule_whose}): {stage_text(o)}{score}")
    gaps = [GapRow(display_label(c.label, c.id), c.next_stage.label if c.next_stage else "", g.id, g.text, g.reason)
            for c in capabilities for g in c.gaps]
    working = [WorkingRow(display_label(c.label, c.id), w.label, _number(w.passed), _number(w.total),
                          f"{w.ratio * 100:.0f}%" if w.published else "",
                          ("passed" if w.gate_passed else "below gate") if w.unlocked and w.published
                          else ("locked" if w.published else "not published, left out"))
               for c in capabilities for w in c.working]
    section = Section(
        anchor=f"s{n + 1}-{fa.framework}",
        title=f"{fa.label} ({fa.framework} {fa.version})",
        framework=fa.framework,
        subject=subject,
        organisation=scope.organisation if scope else None,
        assessment=(scope.label or (str(scope.iri) if scope.iri else None)) if scope else None,
        as_of=as_of,
        target=fa.target.label if fa.target else None,
        scored=scored,
        rows=rows,
        overall=overall,
        gaps=gaps,
        working=working,
        overrides=[(refs[o], o.kind, o.id, _number(o.value), _number(o.default)) for o in fa.overrides],
        targets=[(t.capability or "whole framework", t.stage.label, t.chosen_by) for t in fa.targets],
        evidence=evidence,
        not_assessed=[display_label(c.label, c.id) for c in capabilities if not c.assessed],
        carried=[f"{display_label(c.label, c.id)}: {', '.join(c.via_crosswalk)}" for c in capabilities
                 if c.via_crosswalk],
    )
    if charts:
        section.charts = _charts(result, fa, section)
    return section


def _charts(result: AssessmentResult, fa: FrameworkAssessment, section: Section) -> list[Chart]:
    """Scored models: score bars (a gauge per dimension and overall); staged models: a radar of dimensions."""
    scale = _scale(result, fa)
    key = section.anchor
    target = fa.target.rank if fa.target else None
    if section.scored:
        return [_gauges(fa, scale, key)]
    dims = fa.of_kind("dimension")
    charts = []
    ranks_scale = [label for _, label, _ in scale]
    ticks = [(0.0, "0")] + [(float(rank), str(rank)) for rank, _, _ in scale]
    if len(dims) >= RADAR_MIN_AXES:
        alt = _stage_alt("Stage reached per dimension", dims, fa)
        charts.append(radar(f"{key}-radar", [d.label for d in dims], [_rank(d) for d in dims], scale=ranks_scale,
                            target=target, alt=alt))
    elif dims:
        charts.append(bars(f"{key}-dims", [display_label(d.label, d.id) for d in dims],
                           [float(_rank(d)) if d.assessed else None for d in dims], low=0, high=len(scale),
                           empty=[stage_text(d) for d in dims],
                           ticks=ticks, target=target, xlabel="stage (rank)",
                           alt=_stage_alt("Stage reached per dimension", dims, fa)))
    capabilities = fa.of_kind("capability")
    if capabilities:
        charts.append(bars(f"{key}-caps", [display_label(c.label, c.id) for c in capabilities],
                           [float(_rank(c)) if c.assessed else None for c in capabilities], low=0, high=len(scale),
                           empty=[stage_text(c) for c in capabilities],
                           ticks=ticks, target=target, xlabel="stage (rank; " + ", ".join(
                               f"{rank} = {label}" for rank, label, _ in scale) + ")",
                           alt=_stage_alt("Stage reached per capability", capabilities, fa)))
    return charts


def _gauges(fa: FrameworkAssessment, scale: list[tuple[int, str, Decimal | None]], key: str) -> Chart:
    """Scored models (CSMM, CNAMM): a bar per scored result on the score's scale, like a row of gauges.

    A result without a score of its own is placed at its stage's value where the scale has values
    (CNAMM's functions, 1.0 to 5.0, which the weighted score averages).
    """
    stage_values = {rank: value for rank, _, value in scale if value is not None}

    def value(r: StageResult) -> float | None:
        if r.score is not None:
            return float(r.score)
        found = stage_values.get(r.stage.rank) if r.stage is not None else None
        return float(found) if found is not None else None

    shown = [r for kind in ("capability", "group", "dimension", "tier", "overall") for r in fa.of_kind(kind)
             if any(value(other) is not None for other in fa.of_kind(kind))]
    values = [value(r) for r in shown]
    # From 0, so the lowest stage (CNAMM's Foundation, 1.0) still has a bar
    low, high = (0.0, float(max(stage_values.values()))) if stage_values else (0.0, 100.0)
    ticks = ([(0.0, "0")] + [(float(v), f"{v.normalize():f}") for v in stage_values.values()] if stage_values
             else [(float(t), str(t)) for t in range(0, 101, 20)])
    labels = ["Overall" if r.kind == "overall" else display_label(r.label, r.id) for r in shown]
    words = [_number(r.score) or (f"{stage_text(r)} ({v:g})" if v is not None else stage_text(r))
             for r, v in zip(shown, values, strict=True)]
    alt = f"Score on a scale of {low:g} to {high:g}: " + "; ".join(
        f"{label} {word}" for label, word in zip(labels, words, strict=True)) + "."
    return bars(f"{key}-scores", labels, values, low=low, high=high, ticks=ticks, target=None, xlabel="score",
                alt=alt, empty=[stage_text(r) for r in shown])


def _rank(r: StageResult) -> int:
    return r.stage.rank if r.stage else 0


def _stage_alt(what: str, results: list[StageResult], fa: FrameworkAssessment) -> str:
    target = f" Target: {fa.target.label}." if fa.target else ""
    return f"{what}: " + "; ".join(f"{display_label(r.label, r.id)}: {stage_text(r)}" for r in results) + "." + target


def _portfolio(result: AssessmentResult, members: list[FrameworkAssessment], spread: list[PortfolioResult]
               ) -> Portfolio:
    first = members[0]
    scale = _scale(result, first)
    colours = stage_colours(len(scale))
    names = {rank: label for rank, label, _ in scale}
    columns = [r for kind in ("capability", "group", "dimension", "tier", "overall") for r in first.of_kind(kind)]

    def cell(r: StageResult | None, column: StageResult) -> HeatCell:
        if r is None or not r.assessed:
            return HeatCell("-", f"{column.id}: not assessed", "#ffffff", "#000000")
        rank = r.stage.rank if r.stage else 0
        score = f" ({r.score})" if r.score is not None and r.kind != "capability" else ""
        background, colour = colours[rank]
        return HeatCell(f"{rank}{score}", f"{column.id}: {stage_text(r)}{score}", background, colour)

    rows = []
    for fa in members:
        by_id = {(r.kind, r.id): r for r in fa.results}
        name = fa.scope.name if fa.scope is not None else ""
        if fa.scope is not None and fa.scope.subject is not None:
            name = display_label(fa.scope.subject.label, fa.scope.subject.id)
        rows.append((name, (fa.as_of or result.as_of).isoformat(), [cell(by_id.get((c.kind, c.id)), c)
                                                                     for c in columns]))
    by_result = {(p.kind, p.id): p for p in spread}
    summary = []
    for label, pick in (("LOWEST", "lowest"), ("MEDIAN", "median")):
        cells = []
        for c in columns:
            found = by_result.get((c.kind, c.id))
            stage = getattr(found, pick) if found is not None else None
            if found is None or (stage is None and not found.assessed):
                cells.append(HeatCell("-", f"{c.id}: not assessed", "#ffffff", "#000000"))
            else:
                rank = stage.rank if stage else 0
                text = stage.label if stage else "below the first stage"
                cells.append(HeatCell(str(rank), f"{c.id}: {text}", *colours[rank]))
        summary.append((label, cells))
    legend = [HeatCell(str(rank), names.get(rank, "below the first stage"), *colours[rank]) for rank in colours]
    rule = spread[0].rule if spread else None
    rule_text = f"{rule.label}, maturity-graph's rule" if rule is not None and rule.ours else (
        rule.label if rule is not None else "")
    subjects = len({fa.scope.subject.id if fa.scope and fa.scope.subject else (fa.scope.name if fa.scope else "")
                    for fa in members})
    return Portfolio(anchor=f"portfolio-{first.framework}",
                     title=f"{first.label} ({first.framework} {first.version}): {subjects} subjects",
                     columns=[(c.id, c.label) for c in columns], rows=rows, summary=summary, legend=legend,
                     rule=rule_text)
