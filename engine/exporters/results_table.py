"""An assessment as tables: one row per result, one row per requirement.

The same projection of the one AssessmentResult as the JSON and the result graph, flattened for
spreadsheets and documents (the CLI writes these rows as CSV, Markdown and an Excel workbook with a
results sheet and a requirements sheet). What each column holds is the second field of
RESULT_COLUMNS and REQUIREMENT_COLUMNS (docs/outputs.md lists them).
"""
from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from ..assessment.gates import target_of
from ..assessment.result import AssessmentResult, FrameworkAssessment
from ..catalogue import RequirementRow
from ..namespaces import EV

Cell = str | int | Decimal | bool | None

RESULT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("assessment", "the assessment's key (as in the JSON output); empty when the evidence names no ev:Assessment"),
    ("subject", "the subject's identifier (a product, cloud account, business unit...); empty when none is named"),
    ("framework", "the framework's id (sbd, ztmm, ctemmm, csmm, cnamm, samm, or a pack's)"),
    ("as_of", "the day the evidence was judged on (YYYY-MM-DD)"),
    ("kind", "capability, group (SAMM: a practice), dimension, tier or overall"),
    ("id", "the capability's, group's, dimension's or tier's identifier in the framework; the framework's id for "
           "overall"),
    ("label", "its name in the framework"),
    ("assessed", "true, or false when no current evidence says anything definite about it"),
    ("stage", "the stage reached; empty when not assessed or below the first stage"),
    ("rank", "the stage's rank (1 is the first stage); empty as stage is"),
    ("score", "the score, where the framework scores (CSMM: 0 to 100; CNAMM: 1.0 to 5.0; SAMM: 0 to 3)"),
    ("target", "the target stage (the capability's own, else the framework's); empty when none is set"),
    ("distance", "how many stages below the target; 0 at or above it; empty without a target or assessment"),
    ("gaps", "how many requirements of the next stage are unmet"),
)

REQUIREMENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("assessment", "the assessment's key, as in the results"),
    ("subject", "the subject's identifier, as in the results"),
    ("framework", "the framework's id"),
    ("dimension", "the dimension's identifier"),
    ("capability", "the capability's identifier"),
    ("stage", "the stage the requirement belongs to"),
    ("requirement_id", "the requirement's identifier (ours, linked to its source cell in the framework graph)"),
    ("requirement", "what the requirement asks, in our words"),
    ("outcome", "met, not met, not applicable or unknown, on the as-of day"),
    ("reason", "why, in words (expired evidence, a claim without its artifact link, ...)"),
    ("evidence", "the evidence items it rests on (IRIs, space-separated)"),
)

_OUTCOMES = {EV.Met: "met", EV.NotMet: "not met", EV.NotApplicable: "not applicable", EV.Unknown: "unknown"}


def result_rows(result: AssessmentResult) -> list[list[Cell]]:
    """One row per capability, dimension, tier and overall result of every assessment, in reading order."""
    rows: list[list[Cell]] = []
    for fw in result.frameworks:
        day = (fw.as_of or result.as_of).isoformat()
        for r in fw.results:
            target = target_of(fw, r)
            rows.append([*_whose(fw), fw.framework, day, r.kind, r.id, r.label, r.assessed,
                         r.stage.label if r.stage else None, r.stage.rank if r.stage else None, r.score,
                         target.label if target else None, r.distance_to_target, len(r.gaps)])
    return rows


def requirement_rows(result: AssessmentResult) -> list[list[Cell]]:
    """One row per requirement of every assessed framework and assessment, by capability, stage and id."""
    rows: list[list[Cell]] = []
    for fw in result.frameworks:
        framework = result.catalogue.get(fw.framework)
        listed: Sequence[RequirementRow] = sorted(result.catalogue.requirement_rows(framework),
                                                  key=lambda r: (r.place.capability_id, r.rank, r.id))
        for row in listed:
            outcome = fw.requirements.get(row.requirement)
            rows.append([*_whose(fw), fw.framework, row.place.dimension_id, row.place.capability_id,
                         row.stage_label, row.id, row.text,
                         _OUTCOMES.get(outcome.outcome, str(outcome.outcome)) if outcome else None,
                         outcome.reason if outcome else None,
                         " ".join(str(item) for item in outcome.evidence) if outcome else None])
    return rows


def _whose(fw: FrameworkAssessment) -> list[Cell]:
    subject = fw.scope.subject if fw.scope is not None else None
    return [fw.scope.key if fw.scope is not None else None, subject.id if subject is not None else None]
