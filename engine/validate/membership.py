"""Evidence is never pooled: each item belongs to one assessment, or is shared on purpose.

An item names its assessment with ev:inAssessment (at most one: shapes/core/evidence.ttl), and
evidence shared across assessments (an organisation-wide policy attested once) is named by each
assessment that uses it with ev:drawsOn. When the evidence holds assessments, an item that belongs
to none is refused here: assessed with every assessment it would be pooled, with none it would be lost.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..rdf import prefixed
from .report import Violation

if TYPE_CHECKING:
    from ..run import Run

MESSAGE = ("belongs to no assessment: add ev:inAssessment naming its assessment, or, for evidence several "
           "assessments share, have each of them name it with ev:drawsOn")


def unassigned_evidence(run: Run) -> list[Violation]:
    """One violation per evidence item outside every assessment (the first 1,000)."""
    names = run.catalogue.names
    found = []
    for row in run.query("unassigned-evidence.rq", __package__):
        item = row["item"]
        if item is not None:
            found.append(Violation(focus=prefixed(item, names) or "?", path="ev:inAssessment", value=None,
                                   message=MESSAGE, severity="Violation", source_shape=None,
                                   file=run.source_of(item)))
    return found
