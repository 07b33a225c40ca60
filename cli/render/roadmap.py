"""Human-readable roadmap: the targets of each assessment and framework, then one line per requirement to meet."""
from __future__ import annotations

from maturity_graph import Roadmap, RoadmapItem, RoadmapSection, Target

from .json import envelope_of
from .registry import RENDERERS, Kind, Options
from .table import table
from .terminal import terminal_safe

HEADERS = ["SUBJECT", "FRAMEWORK", "CAPABILITY", "STAGE", "REQUIREMENT", "TEXT", "WHY UNMET", "OWNER", "DUE",
           "PRIORITY", "EFFORT"]


def _target(target: Target) -> str:
    whose = {"assessment": "set by the assessment", "subject": "set by the organisation for the subject",
             "organisation": "set by the organisation", "published": "published by the framework"}[target.origin]
    what = f"{target.capability}: " if target.capability is not None else ""
    return f"{what}{target.stage.label} ({whose})"


def _heading(section: RoadmapSection) -> str:
    who = section.scope.name if section.scope is not None else "the evidence"
    if not section.targets:
        aim = "no target: set one with ev:targetSetting (docs/assessment.md#targets-and-roadmap)"
    else:
        aim = "target " + "; ".join(_target(t) for t in section.targets)
    done = "" if section.items or not section.targets else ", reached"
    overdue = sum(1 for i in section.items if i.overdue)
    late = f", {overdue} overdue" if overdue else ""
    return (f"{who}, {section.label} ({section.framework}), as of {section.as_of.isoformat()}: {aim}{done}; "
            f"{len(section.items)} requirements to meet{late}\n")


def _row(item: RoadmapItem) -> list[object]:
    action = item.action
    due = ""
    if action is not None and action.due is not None:
        due = action.due.isoformat() + (" OVERDUE" if item.overdue else "")
    effort = f"{action.effort.normalize():f}" if action is not None and action.effort is not None else ""
    return [item.subject or item.assessment or "", item.framework, item.capability, item.stage.label,
            item.requirement, item.text, item.reason, action.owner if action is not None and action.owner else "", due,
            action.priority if action is not None and action.priority is not None else "", effort]


def roadmap_text(plan: Roadmap) -> str:
    out = [_heading(section) for section in plan.sections]
    items = plan.items
    out.append("\n")
    if items:
        out.append("Order: lower stages first, then priority (1 first; without a priority after), then effort "
                   "(smaller first), then requirement id.\n\n")
        out.append(table(HEADERS, [_row(item) for item in items]))
    else:
        out.append("Nothing to do: every capability with a target has reached it.\n")
    return terminal_safe("".join(out))  # labels, owners and reasons can come from the evidence


@RENDERERS.register(Kind.ROADMAP, "table")
def _table(plan: Roadmap, options: Options) -> bytes:
    return roadmap_text(plan).encode("utf-8")


@RENDERERS.register(Kind.ROADMAP, "json")
def _json(plan: Roadmap, options: Options) -> bytes:
    return envelope_of(plan.as_dict(), "items")
