"""The one-paragraph summary of a scanner import, for stderr."""
from __future__ import annotations

from collections import Counter

from maturity_graph import FindingsImport, ScanImport

from .terminal import terminal_safe


def findings_summary(imported: FindingsImport | ScanImport) -> str:
    scan = imported.scan
    counts = Counter(imported.statuses.values())
    lines = [
        f"{scan.path.name}: {scan.count} check results ({scan.passed} pass, {scan.failed} fail, "
        f"{scan.manual} manual) over {len(scan.check_ids)} checks",
        f"{imported.framework.id} controls evidenced: {counts['met']} met, {counts['not_met']} not met, "
        f"{counts['unknown']} unknown (manual, muted or missing checks never pass)",
    ]
    if len(imported.subjects) > 1:  # each judged on its own results; the counts above add them up
        named = [f"{s.label} ({', '.join(s.accounts)})" for s in imported.subjects[:10]]
        more = f", and {len(imported.subjects) - 10} more" if len(imported.subjects) > 10 else ""
        lines.append(f"{len(imported.subjects)} assessments, one per subject: {'; '.join(named)}{more}")
    if imported.unmapped_checks:
        lines.append(f"{len(imported.unmapped_checks)} checks map to no {imported.framework.id} control: "
                     + ", ".join(imported.unmapped_checks))
    return terminal_safe("\n".join(lines))  # check ids and the file name come from the scan
