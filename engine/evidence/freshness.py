"""Which evidence counts on a given day.

A claim (an item addressing a requirement) counts when it is dated on or before the as-of
day, no older than the validity period, and not superseded by a newer claim about the same
requirement. "Unknown" supersedes nothing: a blank spreadsheet row must not erase evidence.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum

from rdflib import Graph, URIRef
from rdflib.term import Node

from .. import bundled
from ..namespaces import EV
from ..store import Store


class ClaimState(str, Enum):
    CURRENT = "current"
    STALE = "stale"
    FUTURE = "future"
    SUPERSEDED = "superseded"


@dataclass(frozen=True)
class Claim:
    """One evidence item speaking about one requirement, and whether it counts on the as-of day."""

    item: Node
    requirement: URIRef
    framework: URIRef
    date: dt.date
    status: URIRef
    validity_days: int | None
    state: ClaimState

    @property
    def expires(self) -> dt.date | None:
        return None if self.validity_days is None else self.date + dt.timedelta(days=self.validity_days)


def judge_claims(store: Store, *, as_of: dt.date) -> list[Claim]:
    """Every claim in the store's evidence, each marked current, stale, future or superseded."""
    rows = store.query(bundled.query_text(__package__, "evidence-claims.rq")).dicts()
    raw = []
    for row in rows:
        date = row["date"].toPython()
        if not isinstance(date, dt.date):
            continue
        validity = row["validity"]
        days = int(validity) if validity is not None else None
        if date > as_of:
            state = ClaimState.FUTURE
        elif days is not None and date + dt.timedelta(days=days) < as_of:
            state = ClaimState.STALE
        else:
            state = ClaimState.CURRENT
        raw.append((row, date, days, state))
    newest: dict[Node, dt.date] = {}
    for row, date, _, state in raw:
        if state is ClaimState.CURRENT and row["status"] != EV.Unknown:
            req = row["requirement"]
            newest[req] = max(date, newest.get(req, date))
    claims = []
    for row, date, days, state in raw:
        latest = newest.get(row["requirement"])
        if state is ClaimState.CURRENT and latest is not None and date < latest:
            state = ClaimState.SUPERSEDED
        claims.append(
            Claim(row["item"], row["requirement"], row["framework"], date, row["status"], days, state)
        )
    claims.sort(key=lambda c: (str(c.requirement), c.date, str(c.item)))
    return claims


def current_evidence(evidence: Graph, claims: list[Claim]) -> Graph:
    """A copy of the evidence in which only current claims still address their requirement."""
    current = Graph()
    current += evidence
    for claim in claims:
        if claim.state is not ClaimState.CURRENT:
            current.remove((claim.item, EV.addresses, claim.requirement))
    return current


def default_as_of(evidence: Graph) -> dt.date:
    """The latest assessment date in the evidence, else today."""
    dates = [d.toPython() for d in evidence.objects(None, EV.assessmentDate)]
    dates = [d for d in dates if isinstance(d, dt.date)]
    return max(dates) if dates else dt.date.today()
