"""Human-readable assessment report: a scorecard per framework, then the gaps to the next stage."""
from __future__ import annotations

from maturity_graph import (
    REQUIREMENT_COLUMNS,
    RESULT_COLUMNS,
    AssessmentResult,
    junit_xml,
    requirement_rows,
    result_rows,
    stage_text,
)

from .csv import csv_bytes
from .json import envelope_of
from .markdown import markdown_table
from .registry import RENDERERS, Kind, Options
from .table import table
from .terminal import terminal_safe
from .xlsx import xlsx_bytes


def _score(result) -> str:
    return "" if result.score is None else f"{result.score}"


def _working(capabilities) -> list[str]:
    """Per scored capability, each level's passed weight over total weight, and whether it counted."""
    lines = []
    for cap in capabilities:
        if not cap.working:
            continue
        steps = []
        for w in cap.working:
            if not w.published:
                steps.append(f"{w.label.split()[0]} not published, left out")
                continue
            state = "passed" if w.unlocked and w.gate_passed else ("below gate" if w.unlocked else "locked")
            steps.append(f"{w.label.split()[0]} {w.passed:g}/{w.total:g} ({w.ratio * 100:.0f}%, {state})")
        lines.append(f"  {cap.id}: " + "; ".join(steps))
    return ["\nWorking (passed weight / total weight per level):\n", "\n".join(lines) + "\n"] if lines else []


def _below(result) -> object:
    return "" if result.distance_to_target is None else result.distance_to_target


def _override_refs(fw, result) -> str:
    """Footnote numbers of the organisation overrides that changed this result."""
    return " ".join(f"[{fw.overrides.index(o) + 1}]" for o in result.overrides if o in fw.overrides)


def _overrides(fw) -> list[str]:
    if not fw.overrides:
        return []
    rows = [[f"[{n}]", o.kind, o.id, f"{o.value.normalize():f}",
             "" if o.default is None else f"{o.default.normalize():f}"] for n, o in enumerate(fw.overrides, 1)]
    return ["\nOrganisation overrides (settings in the evidence that replace the framework's defaults):\n",
            table(["REF", "SETTING", "OF", "VALUE", "DEFAULT"], rows)]


def scorecard_text(fw) -> str:
    """Dimensions down, functional stage then one column per cross-cutting aspect (ZTMM's reading)."""
    capabilities = fw.of_kind("capability")
    aspects = [c for c in capabilities if c.capability_kind == "cross-cutting" and c.aspect is None]
    by_dimension_aspect = {(c.dimension, c.aspect): c for c in capabilities if c.aspect}
    headers = ["DIMENSION", "FUNCTIONS"] + [a.label.upper() for a in aspects]
    rows = []
    for dim in fw.of_kind("dimension"):
        cells = [dim.label, stage_text(dim)]
        for aspect in aspects:
            cross = by_dimension_aspect.get((dim.id, aspect.id))
            cells.append(stage_text(cross) if cross else "")
        rows.append(cells)
    if aspects:
        rows.append(["Enterprise-wide", ""] + [stage_text(a) for a in aspects])
    detail = [[f"{c.dimension} {c.label} ({c.id})", "function" if c.capability_kind == "function" else "cross-cutting",
               stage_text(c)]
              + ([_override_refs(fw, c)] if fw.overrides else []) for c in capabilities]
    detail_headers = ["CAPABILITY", "KIND", "STAGE"] + (["OVERRIDES"] if fw.overrides else [])
    return (table(headers, rows) + "\n" + table(detail_headers, detail))


def assessment_text(result: AssessmentResult) -> str:
    """One scorecard per framework assessed for one subject; a portfolio grid where several were."""
    out = []
    groups: dict[str, list] = {}
    for fw in result.frameworks:
        groups.setdefault(fw.framework, []).append(fw)
    for fw_id, members in groups.items():
        if len(members) > 1:
            out.append(portfolio_text(members, [p for p in result.portfolio if p.framework == fw_id]))
        else:
            out.append(_scorecard(members[0], result))
    return terminal_safe("".join(out))  # labels, gap texts and reasons can come from the evidence


def _whose(fw) -> str:
    scope = fw.scope
    if scope is None or scope.iri is None:
        return ""
    who = scope.subject
    subject = f"{who.label} ({who.kind or 'subject'} {who.id})" if who is not None else scope.name
    organisation = f", {scope.organisation}" if scope.organisation else ""
    return f"{subject}{organisation}: "


def _cell(result) -> str:
    if result is None or not result.assessed:
        return "-"
    rank = str(result.stage.rank) if result.stage else "0"
    return f"{rank} ({result.score})" if result.score is not None and result.kind != "capability" else rank


def portfolio_text(members: list, spread: list) -> str:
    """Subjects down, capabilities then dimensions then overall across, each cell the stage's rank
    (with the score where the model scores); the portfolio roll-up's lowest and median rows below."""
    first = members[0]
    columns = [r for kind in ("capability", "group", "dimension", "tier", "overall") for r in first.of_kind(kind)]
    headers = ["SUBJECT", "AS OF"] + [c.id for c in columns]
    rows = []
    for fw in members:
        by_id = {(r.kind, r.id): r for r in fw.results}
        name = fw.scope.name if fw.scope is not None else ""
        rows.append([name, fw.as_of.isoformat() if fw.as_of else ""]
                    + [_cell(by_id.get((c.kind, c.id))) for c in columns])
    by_result = {(p.kind, p.id): p for p in spread}
    for label, pick in (("LOWEST", "lowest"), ("MEDIAN", "median")):
        cells = []
        for c in columns:
            found = by_result.get((c.kind, c.id))
            stage = getattr(found, pick) if found is not None else None
            cells.append(str(stage.rank) if stage else ("0" if found is not None and found.assessed else "-"))
        rows.append([label, ""] + cells)
    target = f"; target {first.target.label}" if first.target else ""
    subjects = len({_subject_id(fw) for fw in members})
    counted = (f"{subjects} subjects" if subjects == len(members)
               else f"{len(members)} assessments of {subjects} subject{'s' if subjects != 1 else ''}")
    out = [f"{first.label} ({first.framework} {first.version}): {counted}{target}\n\n",
           table(headers, rows)]
    stages = sorted({(r.stage.rank, r.stage.label) for fw in members for r in fw.results if r.stage})
    legend = "; ".join(f"{rank} = {label}" for rank, label in stages)
    rule = spread[0].rule if spread else None
    whose = f" ({rule.label}, maturity-graph's rule)" if rule is not None and rule.ours else ""
    out.append(f"\nStages: {legend}; 0 = below the first stage; - = not assessed. LOWEST and MEDIAN are across "
               f"the subjects' latest assessments{whose}.\n")
    out.append(f"Columns: {', '.join(f'{c.id} = {c.label}' for c in columns)}\n\n")
    return "".join(out)


def _subject_id(fw) -> str:
    """Who a framework's results are of: its subject's id, else its assessment's name (several dates: one subject)."""
    scope = fw.scope
    if scope is None:
        return ""
    return scope.subject.id if scope.subject is not None else scope.name


def _scorecard(fw, result: AssessmentResult) -> str:
    out = []
    day = fw.as_of or result.as_of
    target = f"; target {fw.target.label}" if fw.target else ""
    out.append(f"{_whose(fw)}{fw.label} ({fw.framework} {fw.version}), as of {day.isoformat()}{target}\n\n")
    capabilities = {r.id: r for r in fw.of_kind("capability")}
    if any(c.capability_kind == "cross-cutting" for c in capabilities.values()):
        out.append(scorecard_text(fw))
        out.extend(_overrides(fw))
        out.extend(_gaps_and_missing(capabilities))
        return "".join(out)
    scored = any(r.score is not None for r in fw.results)
    headers = (["DIMENSION / CAPABILITY", "STAGE"] + (["SCORE"] if scored else [])
               + (["BELOW TARGET"] if fw.target else []) + (["OVERRIDES"] if fw.overrides else []))

    def row(label, result, *, fw=fw, scored=scored):
        return ([label, stage_text(result)] + ([_score(result)] if scored else [])
                + ([_below(result)] if fw.target else []) + ([_override_refs(fw, result)] if fw.overrides else []))

    groups = {r.id: r for r in fw.of_kind("group")}
    rows = []
    for dim in fw.of_kind("dimension"):
        rows.append(row(dim.label, dim))
        for part in dim.parts:
            group = groups.get(part)
            if group is None:
                rows.append(row(f"  {capabilities[part].label} ({part})", capabilities[part]))
                continue
            rows.append(row(f"  {group.label} ({part})", group))
            rows.extend(row(f"    {capabilities[cap].label} ({cap})", capabilities[cap]) for cap in group.parts)
    if not rows:
        rows = [row(f"{cap.label} ({cap.id})", cap) for cap in capabilities.values()]
    out.append(table(headers, rows))
    out.extend(_working(capabilities.values()))
    tiers = fw.of_kind("tier")
    if tiers:
        out.append("\nTier readiness (lowest stage over the tier and every lower tier):\n")
        out.append(table(["TIER", "STAGE", "NOTE"], [[t.label, stage_text(t), t.note or ""] for t in tiers]))
    for overall in fw.of_kind("overall"):
        score = f", score {_score(overall)}" if overall.score is not None else ""
        refs = f" {_override_refs(fw, overall)}" if overall.overrides else ""
        out.append(f"\nOverall ({overall.rule}, {overall.rule_whose}): {stage_text(overall)}{score}{refs}\n")
    out.extend(_overrides(fw))
    out.extend(_gaps_and_missing(capabilities))
    return "".join(out)


def _gaps_and_missing(capabilities: dict) -> list[str]:
    out = []
    gap_rows = []
    for cap in capabilities.values():
        for gap in cap.gaps:
            gap_rows.append([cap.id, cap.next_stage.label if cap.next_stage else "", gap.id, gap.text, gap.reason])
    if gap_rows:
        out.append("\nGaps to the next stage:\n")
        out.append(table(["CAPABILITY", "NEXT STAGE", "REQUIREMENT", "TEXT", "WHY UNMET"], gap_rows))
    carried = [f"{c.id} ({', '.join(c.via_crosswalk)})" for c in capabilities.values() if c.via_crosswalk]
    if carried:
        out.append(f"\nMet through a crosswalk (evidence carried from another framework): {'; '.join(carried)}\n")
    missing = [c.id for c in capabilities.values() if not c.assessed]
    if missing:
        out.append(f"\nNot assessed (no current evidence): {', '.join(missing)}\n")
    out.append("\n")
    return out


@RENDERERS.register(Kind.ASSESSMENT, "table")
def _table(result: AssessmentResult, options: Options) -> bytes:
    return assessment_text(result).encode("utf-8")


@RENDERERS.register(Kind.ASSESSMENT, "json")
def _json(result: AssessmentResult, options: Options) -> bytes:
    return envelope_of(result.as_dict(), "results")


@RENDERERS.register(Kind.ASSESSMENT, "turtle")
def _turtle(result: AssessmentResult, options: Options) -> bytes:
    return result.graph.serialize(format="turtle").encode("utf-8")


@RENDERERS.register(Kind.ASSESSMENT, "junit")
def _junit(result: AssessmentResult, options: Options) -> bytes:
    return junit_xml(result)


RESULT_HEADERS = [name for name, _ in RESULT_COLUMNS]


@RENDERERS.register(Kind.ASSESSMENT, "csv")
def _csv(result: AssessmentResult, options: Options) -> bytes:
    """One row per result (RESULT_COLUMNS, docs/outputs.md)."""
    return csv_bytes(RESULT_HEADERS, result_rows(result), raw_cells=options.raw_cells)


@RENDERERS.register(Kind.ASSESSMENT, "markdown")
def _markdown(result: AssessmentResult, options: Options) -> bytes:
    """A title, the as-of day and one table of the results (RESULT_COLUMNS)."""
    table_text = markdown_table(RESULT_HEADERS, result_rows(result))
    text = f"# Assessment results\n\nAs of {result.as_of.isoformat()}.\n\n{table_text}"
    return text.encode("utf-8", "backslashreplace")


@RENDERERS.register(Kind.ASSESSMENT, "xlsx", binary=True)
def _xlsx(result: AssessmentResult, options: Options) -> bytes:
    """A results sheet (RESULT_COLUMNS) and a requirements sheet (REQUIREMENT_COLUMNS)."""
    return xlsx_bytes([("results", RESULT_HEADERS, result_rows(result)),
                       ("requirements", [name for name, _ in REQUIREMENT_COLUMNS], requirement_rows(result))])
