"""Freshness: which claims count on the as-of day (judged in the store), and far-off dates and long
validity never crash, and never pass silently (issue 8, item 8)."""
from __future__ import annotations

import datetime as dt
import logging
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from maturity_graph import EvidenceError, assess, load_evidence
from maturity_graph.assessment.scopes import assessment_scopes
from maturity_graph.evidence.freshness import (
    FAR_APART_DAYS,
    Judged,
    date_warning,
    default_as_of,
    judge_claims,
    plus_days,
)
from maturity_graph.evidence.spreadsheet import import_sheet
from maturity_graph.namespaces import CURRENT_GRAPH, EV
from maturity_graph.run import Run
from maturity_graph.validate.wellformed import validate_evidence
from tests.conftest import SBD, level

TODAY = dt.date(2026, 12, 3)
XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")
XSD_DATETIME = URIRef("http://www.w3.org/2001/XMLSchema#dateTime")
EXAMPLES = int(os.environ.get("MGRAPH_FUZZ_EXAMPLES", "40"))


def _claims(*dates: str) -> list[tuple[str, str, str]]:
    names = level("SPO", 2) + level("SPO", 3)
    return [(names[i], "met", d) for i, d in enumerate(dates)]


REQ, OTHER = level("SPO", 2)[0], level("SPO", 3)[0]


def _judge(path, as_of: dt.date) -> tuple[Judged, set[str]]:
    """What judge_claims finds, and the items graph:current says count (by local name)."""
    run = Run.open([path])
    try:
        scopes = assessment_scopes(run)
        run.use(scopes[0], alone=len(scopes) == 1)  # as the pipeline does: judged within the assessment
        judged = judge_claims(run, as_of=as_of)
        counted = {str(s).rsplit("/", 1)[-1] for s, p, _ in run.store.export([CURRENT_GRAPH]) if p == EV.countsFor}
        return judged, counted
    finally:
        run.close()


def _warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records
            if r.name == "maturity_graph.evidence.freshness" and r.levelno == logging.WARNING]


# --------------------------------------------------------------------------- arithmetic


def test_plus_days_stays_inside_the_calendar():
    assert plus_days(dt.date(2026, 1, 1), 31) == dt.date(2026, 2, 1)
    assert plus_days(dt.date(9999, 12, 31), 365) == dt.date.max
    assert plus_days(dt.date(2026, 1, 1), 10**12) == dt.date.max
    assert plus_days(dt.date(1, 1, 1), -5) == dt.date.min


def test_a_claim_dated_9999_12_31_counts_and_never_expires(write_evidence):
    path = write_evidence([(REQ, "met", "9999-12-31")], validity_days=365)
    judged, counted = _judge(path, dt.date(9999, 12, 31))
    assert counted == {"item-0"} and judged[URIRef(SBD + REQ)].last_stale is None


def test_evidence_dated_9999_12_31_assesses_without_overflow(write_evidence):
    """Was OverflowError (exit 3): 9999-12-31 + 365 days, judged as of 9999-12-31."""
    path = write_evidence(_claims("2026-03-01", "9999-12-31"), as_of="9999-12-31")
    result = assess([path])
    assert result.as_of == dt.date(9999, 12, 31)
    result = assess([path], as_of=dt.date(9999, 12, 31))
    assert result.framework("sbd") is not None


def test_dates_at_the_ends_of_the_calendar_assess(write_evidence):
    path = write_evidence(_claims("0001-01-01", "9999-12-31"), as_of="2026-03-31")
    for day in (dt.date.min, dt.date.max, dt.date(2026, 3, 31)):
        assert assess([path], as_of=day).as_of == day


# --------------------------------------------------------------------------- what counts on the day


def test_a_claim_counts_on_its_expiry_day_and_is_stale_the_day_after(write_evidence):
    path = write_evidence([(REQ, "met", "2026-03-01")], validity_days=30)
    judged, counted = _judge(path, dt.date(2026, 3, 31))
    assert counted == {"item-0"} and judged[URIRef(SBD + REQ)].last_stale is None
    judged, counted = _judge(path, dt.date(2026, 4, 1))
    assert counted == set()
    assert judged[URIRef(SBD + REQ)].last_stale == (dt.date(2026, 3, 1), dt.date(2026, 3, 31))


def test_the_expiry_is_named_in_the_reason(write_evidence):
    path = write_evidence([(REQ, "met", "2025-01-10"), (REQ, "met", "2025-02-20")], validity_days=30)
    sbd = assess([path], as_of=dt.date(2026, 3, 31)).framework("sbd")
    assert sbd is not None
    outcome = sbd.requirements[URIRef(SBD + REQ)]
    assert outcome.reason == "evidence from 2025-02-20 expired on 2025-03-22" and outcome.evidence == ()


def test_a_newer_claim_supersedes_older_ones_and_claims_of_one_day_all_count(write_evidence):
    path = write_evidence([(REQ, "met", "2026-01-01"), (REQ, "not_met", "2026-02-01"), (REQ, "met", "2026-02-01")])
    judged, counted = _judge(path, dt.date(2026, 3, 1))
    assert counted == {"item-1", "item-2"}
    assert [str(c.item).rsplit("/", 1)[-1] for c in judged[URIRef(SBD + REQ)].current] == ["item-1", "item-2"]


def test_unknown_supersedes_nothing_but_is_superseded(write_evidence):
    path = write_evidence([(REQ, "met", "2026-01-01"), (REQ, "unknown", "2026-02-01")])
    assert _judge(path, dt.date(2026, 3, 1))[1] == {"item-0", "item-1"}
    path = write_evidence([(REQ, "unknown", "2026-01-01"), (REQ, "met", "2026-02-01")], name="later.ttl")
    assert _judge(path, dt.date(2026, 3, 1))[1] == {"item-1"}


def test_a_claim_of_another_assessment_supersedes_nothing(write_evidence):
    """The newer "not met" belongs to another assessment (with a shorter period): judged within its own
    assessment, the older "met" still counts. Pooled, the newer claim would have withdrawn it."""
    path = write_evidence([(REQ, "met", "2026-01-01"), (REQ, "not_met", "2026-02-01")])
    text = path.read_text(encoding="utf-8").replace(
        "ex:item-1 a ev:Attestation ;\n    ev:inAssessment ex:assessment",
        "ex:item-1 a ev:Attestation ;\n    ev:inAssessment ex:short")
    text += ('\nex:short a ev:Assessment ; ev:assessmentDate "2026-02-01"^^xsd:date ; ev:evidenceValidityDays 10 .\n'
             'ex:assessment ev:evidenceValidityDays 365 .\n')
    path.write_text(text, encoding="utf-8")
    judged, counted = _judge(path, dt.date(2026, 3, 1))
    assert counted == {"item-0"}
    assert judged[URIRef(SBD + REQ)].last_stale is None  # a current claim says "met": no reason names it


def test_future_dated_claims_do_not_count_and_are_named(write_evidence):
    path = write_evidence([(REQ, "met", "2026-05-01")])
    judged, counted = _judge(path, dt.date(2026, 3, 1))
    assert counted == set() and judged[URIRef(SBD + REQ)].future
    sbd = assess([path], as_of=dt.date(2026, 3, 1)).framework("sbd")
    assert sbd is not None and sbd.requirements[URIRef(SBD + REQ)].reason == "evidence is dated after the as-of day"


def test_carried_claims_say_so(write_evidence):
    path = write_evidence([(REQ, "met", "2026-02-01"), (OTHER, "met", "2026-02-01")])
    path.write_text(path.read_text(encoding="utf-8") + "\nex:item-0 ev:viaMapping <urn:x:mapping> .\n",
                    encoding="utf-8")
    judged, _ = _judge(path, dt.date(2026, 3, 1))
    ((claim,),) = [judged[URIRef(SBD + REQ)].current]
    assert claim.carried and claim.date == dt.date(2026, 2, 1) and claim.status == EV.Met
    assert not judged[URIRef(SBD + OTHER)].current[0].carried
    assert set(judged.dates().values()) == {dt.date(2026, 2, 1)}


def test_evidence_at_the_start_of_the_calendar_expires(write_evidence):
    path = write_evidence([(REQ, "met", "0001-01-01")], validity_days=30)
    judged, counted = _judge(path, dt.date(1, 3, 1))
    assert counted == set() and judged[URIRef(SBD + REQ)].last_stale == (dt.date(1, 1, 1), dt.date(1, 1, 31))


def _reference(claims: list[tuple[str, str, dt.date]], as_of: dt.date, validity: int) -> set[str]:
    """The rule in Python, claim by claim (how the engine judged before the store did)."""
    def current(date: dt.date) -> bool:
        return date <= as_of and plus_days(date, validity) >= as_of
    newest: dict[str, dt.date] = {}
    for req, status, date in claims:
        if current(date) and status != "unknown":
            newest[req] = max(date, newest.get(req, date))
    return {f"item-{i}" for i, (req, _, date) in enumerate(claims)
            if current(date) and date >= newest.get(req, date)}


@settings(max_examples=max(3, EXAMPLES // 4), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(claims=st.lists(st.tuples(st.sampled_from([REQ, OTHER]),
                                 st.sampled_from(["met", "not_met", "not_applicable", "unknown"]),
                                 st.dates(dt.date(2025, 1, 1), dt.date(2026, 12, 31))), min_size=1, max_size=6),
       as_of=st.dates(dt.date(2025, 1, 1), dt.date(2027, 6, 30)),
       validity=st.integers(min_value=1, max_value=400))
def test_what_counts_is_what_the_rule_says(write_evidence, claims, as_of, validity):
    path = write_evidence([(req, status, date.isoformat()) for req, status, date in claims], validity_days=validity)
    assert _judge(path, as_of)[1] == _reference(claims, as_of, validity)


# --------------------------------------------------------------------------- validity bound


@pytest.mark.parametrize("days, ok", [(1, True), (365, True), (1096, True), (1097, False), (36500, False),
                                      (0, False), (-30, False), (3650000000, False), (10**30, False)])
def test_validity_days_must_be_between_1_and_1096(write_evidence, days, ok):
    path = write_evidence(_claims("2026-03-01"), validity_days=str(days))
    result = validate_evidence(load_evidence([path]))
    bad = [v for v in result.violations if "evidenceValidityDays" in (v.path or "")]
    assert bool(bad) != ok, result.violations
    if bad:
        assert "assessment" in bad[0].focus and "1096" in bad[0].message


def test_a_huge_validity_is_an_evidence_error_not_an_overflow(write_evidence):
    """Was OverflowError (exit 3): ev:evidenceValidityDays 3650000000."""
    path = write_evidence(_claims("2026-03-01"), validity_days="3650000000")
    with pytest.raises(EvidenceError, match="evidenceValidityDays"):
        assess([path])


# --------------------------------------------------------------------------- far-off dates are warned about


def _dated(*days: str, assessment: str | None = None) -> Graph:
    graph = Graph()
    for i, day in enumerate(days):
        node = URIRef(f"urn:x:item-{i}")
        graph.add((node, EV.date, Literal(day, datatype=XSD_DATE)))
        graph.add((node, RDFS.label, Literal(f"item {i}")))
    if assessment:
        graph.add((URIRef("urn:x:assessment"), EV.assessmentDate, Literal(assessment, datatype=XSD_DATE)))
    return graph


def test_plausible_dates_give_no_warning():
    assert date_warning(_dated("2026-01-10", "2026-03-01", assessment="2026-03-31"), today=TODAY) is None
    assert date_warning(_dated("2026-12-04"), today=TODAY) is None  # a UTC day ahead is not the future
    assert date_warning(Graph(), today=TODAY) is None


def test_a_date_after_today_is_named():
    message = date_warning(_dated("2026-01-10", "9999-12-31", assessment="2026-03-31"), today=TODAY)
    assert message is not None
    assert "item 1 is dated 9999-12-31, later than today (2026-12-03)" in message


def test_a_date_far_after_all_the_others_is_named():
    gap = FAR_APART_DAYS + 1
    late = (dt.date(2024, 1, 1) + dt.timedelta(days=gap)).isoformat()
    message = date_warning(_dated("2023-06-01", "2024-01-01", late, assessment=late), today=TODAY)
    assert message is not None and f"item 2 is dated {late}, {gap} days after any other date" in message
    near = (dt.date(2024, 1, 1) + dt.timedelta(days=FAR_APART_DAYS)).isoformat()
    assert date_warning(_dated("2024-01-01", near, assessment=near), today=TODAY) is None


def test_ill_typed_and_datetime_values_are_not_dates():
    graph = _dated("2026-01-10")
    graph.add((URIRef("urn:x:odd"), EV.date, Literal("2999-01-01T00:00:00", datatype=XSD_DATETIME)))
    graph.add((URIRef("urn:x:odd"), EV.assessmentDate, Literal("not a date", datatype=XSD_DATE)))
    assert date_warning(graph, today=TODAY) is None
    assert default_as_of(graph) == dt.date.today()


def test_validate_and_assess_warn_once_naming_the_file(write_evidence, caplog):
    path = write_evidence(_claims("2026-03-01", "2026-03-02"), as_of="2062-03-31")
    with caplog.at_level(logging.WARNING):
        validate_evidence(load_evidence([path]))
    assert len(_warnings(caplog)) == 1 and str(path) in _warnings(caplog)[0] and "2062-03-31" in _warnings(caplog)[0]
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        assess([path])
    assert len(_warnings(caplog)) == 1 and "later than today" in _warnings(caplog)[0]


def test_a_sheet_import_warns_about_a_far_future_row(tmp_path, caplog):
    """Was silent: the 9999-12-31 row became the assessment date and expired every other row. Such a row is
    now refused (test_sheet_traps.py) unless the assessment is dated that day, and then it is warned about."""
    path = tmp_path / "sheet.csv"
    path.write_text("framework,requirement_id,status,date,evidence_link,attester\n"
                    "sbd,SBD-SPO-L2-1,met,2026-03-01,https://wiki.example/p,Ana\n"
                    "sbd,SBD-SPO-L3-1,met,9999-12-31,https://wiki.example/p,Ana\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        graph = import_sheet(path, assessment_date=dt.date(9999, 12, 31))
    (message,) = _warnings(caplog)
    assert str(path) in message and "SBD-SPO-L3-1 (row 3) is dated 9999-12-31" in message
    assert next(graph.objects(None, EV.assessmentDate)).toPython() == dt.date(9999, 12, 31)


# --------------------------------------------------------------------------- property


@settings(max_examples=max(3, EXAMPLES // 8), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(dates=st.lists(st.dates(), min_size=1, max_size=3), as_of=st.dates(), assessment=st.dates(),
       validity=st.one_of(st.none(), st.integers(min_value=1, max_value=1096)), given_as_of=st.booleans())
def test_any_dates_and_validity_assess_or_are_refused(write_evidence, dates, as_of, assessment, validity, given_as_of):
    path = write_evidence(_claims(*(d.isoformat() for d in dates)), as_of=assessment.isoformat(),
                          validity_days=validity)
    result = assess([path], as_of=as_of if given_as_of else None)
    assert result.as_of == (as_of if given_as_of else assessment)
