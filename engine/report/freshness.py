"""What each result rests on, and when it expires: the evidence items used, with their date and validity.

The AssessmentResult names the items each requirement's outcome relies on; their dates and the
validity period that applied are read from the run's store in one query (evidence-dates.rq).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rdflib import Literal
from rdflib.term import Node

from .. import bundled
from ..assessment.requirements import Reason
from ..assessment.result import AssessmentResult
from ..evidence.freshness import plus_days
from ..store.interface import Store


@dataclass(frozen=True)
class EvidenceUse:
    """One evidence item, the requirements it counts for, and the day it stops counting."""

    item: str
    label: str | None
    date: dt.date | None
    valid_days: int | None
    requirements: tuple[str, ...]
    carried: bool = False

    @property
    def expires(self) -> dt.date | None:
        """The day the item expires, as assessment reasons say it ("expired on"): its date plus the validity period.

        None where the item is undated here or no validity period applies."""
        if self.date is None or self.valid_days is None:
            return None
        return plus_days(self.date, self.valid_days)


def evidence_uses(result: AssessmentResult, store: Store | None) -> dict[int, list[EvidenceUse]]:
    """Per framework assessment (by its index in result.frameworks), its evidence items, soonest expiry first.

    Without a store (a result built elsewhere) the items are listed without dates.
    """
    dated, periods = _dates(store) if store is not None else ({}, {})
    out: dict[int, list[EvidenceUse]] = {}
    for n, fa in enumerate(result.frameworks):
        framework = result.catalogue.get(fa.framework).iri
        assessment = fa.scope.iri if fa.scope is not None else None
        period = periods.get(assessment) if assessment is not None else None
        period = period if period is not None else periods.get(framework)
        items: dict[Node, tuple[list[str], bool]] = {}
        for requirement, outcome in fa.requirements.items():
            name = result.catalogue.identifier(requirement) or str(requirement)
            for item in outcome.evidence:
                names, carried = items.get(item, ([], False))
                names.append(name)
                items[item] = (names, carried or outcome.cause == Reason.CARRIED)
        uses = []
        for item, (names, carried) in items.items():
            label, date = dated.get(item, (None, None))
            uses.append(EvidenceUse(str(item), label, date, period if date is not None else None,
                                    tuple(sorted(set(names))), carried))
        out[n] = sorted(uses, key=_soonest)
    return out


def _soonest(use: EvidenceUse) -> tuple[dt.date, str]:
    return (use.expires or dt.date.max, use.item)


def _dates(store: Store) -> tuple[dict[Node, tuple[str | None, dt.date | None]], dict[Node, int]]:
    """Each dated item's label and date; each assessment's and framework's validity period in days."""
    dated: dict[Node, tuple[str | None, dt.date | None]] = {}
    for item, date, label in store.stream(bundled.query_text(__package__, "evidence-dates.rq"), union=True).rows:
        if item is not None:
            dated[item] = (str(label) if label is not None else None, _day(date))
    periods: dict[Node, int] = {}
    for node, days in store.query(bundled.query_text(__package__, "validity-periods.rq"), union=True).rows:
        period = _int(days)
        if node is not None and period is not None:
            periods[node] = period
    return dated, periods


def _day(term: Node | None) -> dt.date | None:
    value = term.toPython() if isinstance(term, Literal) else None
    return value if isinstance(value, dt.date) and not isinstance(value, dt.datetime) else None


def _int(term: Node | None) -> int | None:
    try:
        return int(str(term)) if term is not None else None
    except ValueError:
        return None
