"""Which evidence counts on a given day.

A claim (an item addressing a requirement) counts when it is dated on or before the as-of
day, no older than the validity period, and not superseded by a newer claim about the same
requirement. "Unknown" supersedes nothing: a blank spreadsheet row must not erase evidence.
Claims are judged in the store (claims-by-requirement.rq, count-current.ru): at 1M triples there
are some 78,000, and only what counts and what a reason names comes back to Python.

Without --as-of, evidence is judged on its latest assessment date, and an importer takes that
date from the latest row or scan result. One mistyped date (2062 for 2026, or 9999-12-31) would
then silently expire everything else, so such a date is warned about, on one line, wherever
evidence is read: `mgraph validate`, `mgraph assess` and `mgraph evidence import`.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rdflib import RDFS, Graph, Literal, URIRef
from rdflib.term import Node

from ..assessment.result import AssessmentScope
from ..assessment.scopes import claims_of_scopes, stood_for
from ..namespaces import EV
from ..rdf import sparql_term, values_rows
from ..store.terms import iri, literal

if TYPE_CHECKING:
    from ..run import Run

log = logging.getLogger(__name__)

# A latest date more than this many days after every other date in the evidence is warned about:
# judged on it, evidence under every bundled framework's validity period (at most 365 days) has
# expired, which is almost always a typing mistake rather than a plan.
FAR_APART_DAYS = 366
# Assessments judged in one pass of the queries: the store holds one pass's claims in memory at a time
# (at 1M triples, judging 1,500 assessments in one pass peaked 170 MB above the loaded store).
JUDGED_AT_ONCE = 250
# A date up to one day after today is not "in the future": scanners write UTC, a day ahead of
# the clocks west of Greenwich in the evening.
FUTURE_GRACE_DAYS = 1


@dataclass(frozen=True)
class Claim:
    """One evidence item that counts for one requirement on the as-of day."""

    item: Node
    requirement: URIRef
    date: dt.date
    status: URIRef
    value: Node | None = None  # ev:value, for measured requirements
    carried: bool = False  # carried from another framework through a crosswalk (ev:viaMapping)


def plus_days(day: dt.date, days: int) -> dt.date:
    """day + days, held inside the calendar: evidence valid beyond 9999-12-31 just never expires."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max if days > 0 else dt.date.min


@dataclass(frozen=True)
class Judgement:
    """One requirement's claims on the as-of day: those that count, and of the rest what its reason needs."""

    requirement: URIRef
    current: tuple[Claim, ...] = ()
    # The latest stale claim's date and expiry, when no current claim states anything definite
    # (met, not applicable or not met): only then does a reason name it.
    last_stale: tuple[dt.date, dt.date] | None = None
    future: bool = False  # whether any claim is dated after the as-of day


@dataclass(frozen=True)
class Judged:
    """Every requirement's Judgement on the as-of day (a requirement no evidence addresses has an empty one)."""

    as_of: dt.date
    by_requirement: dict[URIRef, Judgement]

    def __getitem__(self, requirement: URIRef) -> Judgement:
        return self.by_requirement.get(requirement) or Judgement(requirement)

    @property
    def current(self) -> list[Claim]:
        return [claim for judgement in self.by_requirement.values() for claim in judgement.current]

    def dates(self) -> dict[Node, dt.date]:
        """Each current item's date: what carried evidence is dated by (crosswalk/carry.py)."""
        return {claim.item: claim.date for claim in self.current}


def judge_claims(run: Run, *, as_of: dt.date) -> Judged:
    """Judge the claims of the run's assessment (Run.use; all the evidence when it has none) on the as-of day."""
    scope = run.scope or AssessmentScope(None, "all")
    return judge_scopes(run, [(scope, as_of)], alone=run.alone)[scope.key]


def judge_scopes(run: Run, days: Sequence[tuple[AssessmentScope, dt.date]], *, alone: bool) -> dict[str, Judged]:
    """Judge every claim (an evidence item addressing a requirement) of each assessment on its day, in the store.

    Many assessments at once: the queries group by assessment, so a portfolio of 1,500 costs a few queries per
    chunk of JUDGED_AT_ONCE assessments, not a few per assessment. What counts is written into graph:current
    (mark_current); what comes back is, per assessment key and requirement, the claims that count and, of the
    others, only what a reason says: the latest stale claim's date and expiry, and whether any claim is
    future-dated. The claims themselves (one per item and requirement, some 8% of the evidence's triples)
    never leave the store.
    """
    run.store.update(run.query_text(__package__, "stand-ins.ru"))
    # (assessment key, requirement) some of its evidence addresses, in the store's order
    addressed: dict[tuple[str, URIRef], None] = {}
    future: set[tuple[str, URIRef]] = set()
    last_stale: dict[tuple[str, URIRef], tuple[dt.date, dt.date]] = {}
    on_day = {scope.key: day for scope, day in days}
    for start in range(0, len(days), JUDGED_AT_ONCE):
        claims = claims_of_scopes(days[start:start + JUDGED_AT_ONCE], alone=alone)
        text = run.query_text(__package__, "claims-by-requirement.rq", CLAIMS_OF_SCOPES=claims)
        stale: dict[tuple[str, URIRef], Node] = {}
        for key, found, day, last, later in run.store.stream(text, graphs=run.evidence_graphs).rows:
            pair = (str(key), iri(found))
            addressed[pair] = None
            if day is None and last is not None:
                stale[pair] = last
            if later is not None and literal(later).toPython() is True:
                future.add(pair)
        mark_current(run, claims)
        last_stale.update(_last_stale(run, claims, stale, on_day))
    run.store.update(run.query_text(__package__, "superseded.ru", EVIDENCE=_using(run)))
    current: dict[tuple[str, URIRef], list[Claim]] = {}
    text = run.query_text(__package__, "current-claims.rq")
    for item, stand_in, found, date, status, value, carried in run.store.stream(text, graphs=run.evidence_graphs).rows:
        dated, stood = _day(date), stood_for(stand_in)
        assert dated is not None and item is not None and stood is not None  # count-current.ru marks only dated claims
        requirement = iri(found)
        current.setdefault((stood[0], requirement), []).append(
            Claim(item, requirement, dated, iri(status), value, carried is not None))
    judged: dict[str, dict[URIRef, Judgement]] = {key: {} for key in on_day}
    for pair in addressed:
        found_claims = tuple(sorted(current.get(pair, ()), key=lambda c: (c.date, str(c.item))))
        judged[pair[0]][pair[1]] = Judgement(pair[1], found_claims, last_stale.get(pair), pair in future)
    return {key: Judged(on_day[key], by_requirement) for key, by_requirement in judged.items()}


def mark_current(run: Run, claims: str) -> None:
    """Write what counts into the run's graph:current: `item ev:countsFor stand-in` for every current claim of
    the assessments `claims` (a CLAIMS_OF_SCOPES pattern) covers; superseded.ru takes out the superseded.

    Requirement shapes follow ev:countsFor backwards from a stand-in of their requirement, one per assessment
    (count-current.ru), so what counts on each as-of day is decided once, here, and the shapes see only that.
    """
    run.store.update(run.query_text(__package__, "count-current.ru", CLAIMS_OF_SCOPES=claims, EVIDENCE=_using(run)))


def _using(run: Run) -> str:
    """What an update's EVIDENCE slot says: the evidence graphs as its WHERE clause's default graph."""
    return "\n".join(f"USING {sparql_term(graph)}" for graph in run.evidence_graphs)


def _last_stale(run: Run, claims: str, latest: Mapping[tuple[str, URIRef], Node], on_day: Mapping[str, dt.date]
                ) -> dict[tuple[str, URIRef], tuple[dt.date, dt.date]]:
    """Per assessment key and requirement, the date and expiry of the stale claim on its latest stale day
    (latest-stale.rq).

    Of several, the first item's in IRI order: the one a list of claims sorted by date and item names first.
    """
    if not latest:
        return {}
    rows = values_rows((Literal(key), requirement, day) for (key, requirement), day in latest.items())
    text = run.query_text(__package__, "latest-stale.rq", LATEST=rows, CLAIMS_OF_SCOPES=claims)
    found: dict[tuple[str, URIRef], tuple[str, int, dt.date]] = {}
    for key, requirement, item, days in run.store.query(text, graphs=run.evidence_graphs).rows:
        assert isinstance(requirement, URIRef) and item is not None
        pair = (str(key), requirement)
        day = _day(latest[pair])
        if day is None or days is None:
            continue
        period = int(literal(days))
        if plus_days(day, period) < on_day[pair[0]]:  # stale, not a current claim of the same day
            found[pair] = min(found.get(pair, (str(item), period, day)), (str(item), period, day))
    return {pair: (day, plus_days(day, period)) for pair, (_, period, day) in found.items()}


def default_as_of(evidence: Graph | Run) -> dt.date:
    """The run's assessment's date, else the latest assessment date in the evidence, else today."""
    if not isinstance(evidence, Graph) and evidence.scope is not None and evidence.scope.date is not None:
        return evidence.scope.date
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
