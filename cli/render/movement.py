"""Human-readable `mgraph diff` output."""
from __future__ import annotations

from maturity_graph import Diff

from .labels import stage_text
from .terminal import terminal_safe


def diff_text(result: Diff) -> str:
    head = f"Between {result.old_as_of.isoformat()} and {result.new_as_of.isoformat()}: "
    if not result.movements:
        return head + "nothing moved.\n"
    up = sum(m.direction == "up" for m in result.movements)
    lines = [head + f"{len(result.movements)} moved ({up} up, {len(result.movements) - up} down).", ""]
    for m in result.movements:
        lines.append(f"{m.direction.upper():<5} {m.framework} {m.kind} {m.id} {m.label}: "
                     f"{stage_text(m.old)} -> {stage_text(m.new)}")
        for r in m.reasons:
            lines.append(f"      {r.id}  {r.change}: {r.text} ({r.detail})")
        if m.parts_moved:
            lines.append(f"      because {', '.join(m.parts_moved)} moved")
    return terminal_safe("\n".join(lines) + "\n")
