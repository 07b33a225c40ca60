"""Human-readable assessment report: a scorecard per framework, then the gaps to the next stage."""
from __future__ import annotations

from maturity_graph import AssessmentResult

from .table import table


def _stage(result) -> str:
    return result.stage.label if result.stage else "not assessed"


def assessment_text(result: AssessmentResult) -> str:
    out = []
    for fw in result.frameworks:
        target = f"; target {fw.target.label}" if fw.target else ""
        out.append(f"{fw.label} ({fw.framework} {fw.version}), as of {result.as_of.isoformat()}{target}\n\n")
        capabilities = {r.id: r for r in fw.of_kind("capability")}
        rows = []
        for dim in fw.of_kind("dimension"):
            rows.append([dim.label, _stage(dim), "" if dim.distance_to_target is None else dim.distance_to_target])
            for part in dim.parts:
                cap = capabilities[part]
                rows.append([f"  {cap.label} ({cap.id})", _stage(cap), "" if cap.distance_to_target is None else cap.distance_to_target])
        if not rows:
            for cap in capabilities.values():
                rows.append([f"{cap.label} ({cap.id})", _stage(cap), "" if cap.distance_to_target is None else cap.distance_to_target])
        out.append(table(["DIMENSION / CAPABILITY", "STAGE", "BELOW TARGET"], rows))
        for overall in fw.of_kind("overall"):
            whose = "maturity-graph's rule" if overall.rule_is_ours else "the framework's rule"
            out.append(f"\nOverall ({overall.rule}, {whose}): {_stage(overall)}\n")
        gap_rows = []
        for cap in capabilities.values():
            for gap in cap.gaps:
                gap_rows.append([cap.id, cap.next_stage.label if cap.next_stage else "", gap.id, gap.text, gap.reason])
        if gap_rows:
            out.append("\nGaps to the next stage:\n")
            out.append(table(["CAPABILITY", "NEXT STAGE", "REQUIREMENT", "TEXT", "WHY UNMET"], gap_rows))
        missing = [c.id for c in capabilities.values() if not c.assessed]
        if missing:
            out.append(f"\nNot assessed (no current evidence): {', '.join(missing)}\n")
        out.append("\n")
    return "".join(out)
