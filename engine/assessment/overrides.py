"""Which results an organisation's settings changed, so every output can show them beside the result.

A threshold override changes the capability whose requirement it measures; a weight override
changes every result of the roll-up it weighs; an evidence validity period changes which claims
are current, so it is shown for the framework as a whole.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING

from rdflib import Graph, URIRef

from ..catalogue import Framework, RequirementRow
from ..namespaces import MM
from ..rdf import prefixed
from .context import FrameworkContext
from .result import FrameworkAssessment, Override, StageResult
from .thresholds import ThresholdValue
from .weightings import Weight

if TYPE_CHECKING:
    from ..run import Run

LEVEL_OF_KIND = {"capability": MM.CapabilityLevel, "group": MM.GroupLevel, "dimension": MM.DimensionLevel,
                 "tier": MM.TierLevel, "overall": MM.OverallLevel}


def validity_overrides(run: Run, framework: Framework, assessments: Sequence[URIRef | None]
                       ) -> dict[URIRef | None, list[Override]]:
    """Each assessment's evidence validity period where it differs from the framework's; one query for all."""
    found: dict[URIRef | None, list[Override]] = {assessment: [] for assessment in assessments}
    for row in run.query("validity-settings.rq", __package__, framework=framework.iri):
        value = Decimal(str(row["days"]))
        default = Decimal(str(row["default"])) if row["default"] is not None else None
        assessment = row["assessment"]
        if isinstance(assessment, URIRef) and assessment in found and value != default:
            found[assessment].append(Override("evidence validity (days)", str(row["assessmentLabel"]), value, default))
    return found


def attach_overrides(fa: FrameworkAssessment, ctx: FrameworkContext, *, thresholds: list[ThresholdValue],
                     weights: list[Weight], validity: list[Override], rows: dict[URIRef, RequirementRow],
                     names: Graph) -> None:
    """Put each override on the results it changed, and all of them on the framework."""
    by_capability: dict[str, list[Override]] = {}
    for t in thresholds:
        if t.overridden:
            row: RequirementRow = rows[t.requirement]
            override = Override("threshold", t.id, t.value, t.default)
            by_capability.setdefault(row.place.capability_id, []).append(override)
    by_roll_up: dict[URIRef, list[Override]] = {}
    order = {iri: n for n, iri in enumerate(dict.fromkeys(
        part for row in ctx.structure for part in (row.dimension, row.capability)))}
    for w in sorted(weights, key=lambda w: (order.get(w.of, len(order)), str(w.of))):  # in the framework's order
        if w.overridden:
            by_roll_up.setdefault(w.roll_up, []).append(Override("weight", prefixed(w.of, names) or str(w.of), w.value,
                                                                 w.default))
    changed: list[StageResult] = []
    for result in fa.results:
        rule = ctx.roll_up(LEVEL_OF_KIND[result.kind])
        mine = tuple(by_capability.get(result.id, []) if result.kind == "capability" else ())
        mine += tuple(by_roll_up.get(rule.iri, []) if rule is not None else ())
        changed.append(replace(result, overrides=mine) if mine else result)
    fa.results = changed
    fa.overrides = (validity + [o for group in by_capability.values() for o in group]
                    + [o for group in by_roll_up.values() for o in group])
