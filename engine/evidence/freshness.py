"""Which evidence counts on a given day.

A claim (an item addressing a requirement) counts when it is dated on or before the as-of
day, no older than the validity period, and not superseded by a newer claim about the same
requirement. "Unknown" supersedes nothing: a blank spreadsheet row must not erase evidence.

Without --as-of, evidence is judged on its latest assessment date, and an importer takes that
date from the latest row or scan result. One mistyped date (2062 for 2026, or 9999-12-31) would
then silently expire everything else, so such a date is warned about, on one line, wherever
evidence is read: `mgraph validate`, `mgraph assess` and `mgraph evidence import`.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from rdflib import RDFS, Graph, URIRef
from rdflib.term import Node

from ..namespaces import CURRENT_GRAPH, EV
from ..store.terms import iri, literal

if TYPE_CHECKING:
    from ..run import Run

log = logging.getLogger(__name__)

# A latest date more than this many days after every other date in the evidence is warned about:
# judged on it, evidence under every bundled framework's validity period (at most 365 days) has
# expired, which is almost always a typing mistake rather than a plan.
FAR_APART_DAYS = 366
# A date up to one day after today is not "in the future": scanners write UTC, a day ahead of
# the clocks west of Greenwich in the evening.
FUTURE_GRACE_DAYS = 1


class ClaimState(StrEnum):
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
    value: Node | None = None  # ev:value, for measured requirements
    carried: bool = False  # carried from another framework through a crosswalk (ev:viaMapping)

    @property
    def expires(self) -> dt.date | None:
        return None if self.validity_days is None else plus_days(self.date, self.validity_days)


def plus_days(day: dt.date, days: int) -> dt.date:
    """day + days, held inside the calendar: evidence valid beyond 9999-12-31 just never expires."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max if days > 0 else dt.date.min


def judge_claims(run: Run, *, as_of: dt.date) -> list[Claim]:
    """Every claim in the run's evidence, each marked current, stale, future or superseded."""
    rows = run.query("evidence-claims.rq", __package__)
    raw = []
    for row in rows:
        date = _day(row["date"])
        if date is None:
            continue
        validity = row["validity"]
        days = int(literal(validity)) if validity is not None else None
        if date > as_of:
            state = ClaimState.FUTURE
        elif days is not None and plus_days(date, days) < as_of:
            state = ClaimState.STALE
        else:
            state = ClaimState.CURRENT
        raw.append((row, date, days, state))
    newest: dict[Node, dt.date] = {}
    for row, date, _, state in raw:
        if state is ClaimState.CURRENT and row["status"] != EV.Unknown:
            req = iri(row["requirement"])
            newest[req] = max(date, newest.get(req, date))
    claims = []
    for row, date, days, state in raw:
        item, requirement = row["item"], iri(row["requirement"])
        assert item is not None  # the query binds ?item in every row
        latest = newest.get(requirement)
        if state is ClaimState.CURRENT and latest is not None and date < latest:
            state = ClaimState.SUPERSEDED
        claims.append(Claim(item, requirement, iri(row["framework"]), date, iri(row["status"]), days, state,
                            row["value"], row["carried"] is not None))
    claims.sort(key=lambda c: (str(c.requirement), c.date, str(c.item)))
    return claims


def mark_current(run: Run, claims: Iterable[Claim]) -> int:
    """Write `item ev:countsFor requirement` for every current claim into the run's graph:current.

    Requirement shapes follow ev:countsFor backwards, so what counts on the as-of day is decided
    once, here, and the shapes see only that.
    """
    graph = Graph()
    for claim in claims:
        if claim.state is ClaimState.CURRENT:
            graph.add((claim.item, EV.countsFor, claim.requirement))
    run.store.drop(CURRENT_GRAPH)
    run.store.add_graph(graph, into=CURRENT_GRAPH)
    return len(graph)


def default_as_of(evidence: Graph | Run) -> dt.date:
    """The latest assessment date in the evidence, else today."""
    if isinstance(evidence, Graph):
        dates = [d for d in map(_day, evidence.objects(None, EV.assessmentDate)) if d is not None]
        return max(dates) if dates else dt.date.today()
    rows = evidence.query("latest-assessment-date.rq", __package__)
    latest = _day(rows[0]["latest"]) if rows else None
    return latest or dt.date.today()


def date_warning(
    evidence: Graph | Run,
    *,
    today: dt.date | None = None,
    source_of: Callable[[Node], str | None] | None = None,
) -> str | None:
    """One sentence about the evidence's latest date when it is after today or far after every other date.

    Both ev:date and ev:assessmentDate count. None when the dates look plausible.
    """
    today = today or dt.date.today()
    if isinstance(evidence, Graph):
        dated = _dated_in_graph(evidence)
        labels = _labels_in_graph(evidence)
    else:
        dated = _dated_in_run(evidence)
        labels = _labels_in_run(evidence)
        source_of = source_of or evidence.source_of
    if not dated:
        return None
    latest = max(d for d, *_ in dated)
    _, _, _, node = min(entry for entry in dated if entry[0] == latest)
    where = _where(labels(node), node, source_of)
    if latest > plus_days(today, FUTURE_GRACE_DAYS):
        return (f"{where} is dated {latest.isoformat()}, later than today ({today.isoformat()}); "
                "judged on that day, older evidence counts as expired: check the date, or pass --as-of")
    earlier = [d for d, *_ in dated if d < latest]
    if earlier and (latest - max(earlier)).days > FAR_APART_DAYS:
        gap = (latest - max(earlier)).days
        return (f"{where} is dated {latest.isoformat()}, {gap} days after any other date in the evidence "
                f"({max(earlier).isoformat()}); judged on that day, older evidence counts as expired: "
                "check the date, or pass --as-of")
    return None


def _dated_in_graph(evidence: Graph) -> list[tuple[dt.date, int, str, Node]]:
    dated = []
    for rank, prop in enumerate((EV.date, EV.assessmentDate)):
        for node, value in evidence.subject_objects(prop):
            day = _day(value)
            if day is not None:
                dated.append((day, rank, str(node), node))
    return dated


def _labels_in_graph(evidence: Graph) -> Callable[[Node], list[str]]:
    return lambda node: [str(label) for label in evidence.objects(node, RDFS.label)]


def _labels_in_run(run: Run) -> Callable[[Node], list[str]]:
    def labels(node: Node) -> list[str]:
        rows = run.query("labels-of.rq", __package__, node=node)
        return [str(row["label"]) for row in rows if row["label"] is not None]

    return labels


def _dated_in_run(run: Run) -> list[tuple[dt.date, int, str, Node]]:
    """The two latest dates only (with the first node of each), aggregated in the store."""
    dated = []
    for row in run.query("latest-dates.rq", __package__):
        day = _day(row["day"])
        if day is not None and row["first"] is not None:
            dated.append((day, int(literal(row["rank"])), str(row["first"]), row["first"]))
    return dated


def warn_about_dates(
    evidence: Graph | Run,
    *,
    today: dt.date | None = None,
    source_of: Callable[[Node], str | None] | None = None,
) -> str | None:
    """Log date_warning's sentence, if any, as one warning line; return it."""
    message = date_warning(evidence, today=today, source_of=source_of)
    if message:
        log.warning(message)
    return message


def _day(value: object) -> dt.date | None:
    """A literal's calendar date, or None when it is not a valid xsd:date (dateTimes included)."""
    day = value.toPython() if hasattr(value, "toPython") else value
    if isinstance(day, dt.datetime) or not isinstance(day, dt.date):
        return None
    return day


def _where(labels: list[str], node: Node, source_of: Callable[[Node], str | None] | None) -> str:
    labels = sorted(labels)  # sorted: the same words every run
    name = " ".join(labels[0].split())[:80] if labels else None
    name = name or (f"<{node}>" if isinstance(node, URIRef) else "a blank node")
    source = source_of(node) if source_of is not None else None
    return f"{source}: {name}" if source else name
