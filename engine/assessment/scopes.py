"""Which assessments a run holds, and the part of the evidence each one sees.

One graph may hold many assessments of many subjects (products, business units, cloud accounts,
agency components). Each is assessed on its own: evidence belongs to exactly one assessment
(ev:inAssessment) or is shared on purpose (every assessment that uses it says ev:drawsOn), and is
never pooled. Evidence that names no ev:Assessment at all is assessed as one, as before subjects.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import unquote

from rdflib import XSD, Literal, URIRef

from .. import bundled
from ..errors import MaturityGraphError
from ..namespaces import CURRENT_GRAPH, DECIDED_GRAPH, NO_ASSESSMENT, STAND_IN
from ..rdf import sparql_term
from ..store.terms import literal
from .result import AssessmentScope, Subject

if TYPE_CHECKING:
    from ..run import Run

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
# The key of the stand-ins that no evidence counts for: no assessment's key (those end in a digest, or are "all").
NO_EVIDENCE = "no-evidence"


def assessment_scopes(run: Run) -> list[AssessmentScope]:
    """Every ev:Assessment of the run's evidence, ordered by subject, then date; one unnamed scope if none."""
    scopes = []
    for row in run.query("assessments.rq", __package__):
        node = row["assessment"]
        if not isinstance(node, URIRef):
            continue  # a blank-node assessment cannot be named in a result IRI; shapes/core refuses it
        day = literal(row["day"]).toPython() if row["day"] is not None else None
        subject = None
        if isinstance(row["subjectNode"], URIRef):
            iri = row["subjectNode"]
            label = _text(row["subjectName"]) or _last_segment(iri)
            kind = _text(row["kind"])
            subject = Subject(iri, _text(row["identifier"]) or label, label, kind.lower() if kind else None)
        scopes.append(AssessmentScope(node, _key(node, subject), subject, _text(row["organisation"]),
                                      day if isinstance(day, dt.date) else None, _text(row["name"])))
    if not scopes:
        return [AssessmentScope(None, "all")]
    return sorted(scopes, key=lambda s: (s.name.casefold(), s.date or dt.date.min, str(s.iri)))


def choose_scopes(scopes: Sequence[AssessmentScope], wanted: Sequence[str]) -> list[AssessmentScope]:
    """The scopes whose subject (id, label or IRI) or assessment (IRI or label) is named in `wanted`."""
    if not wanted:
        return list(scopes)
    names = {name.strip().casefold() for name in wanted}
    called = {scope.key: _names(scope) for scope in scopes}
    chosen = [s for s in scopes if called[s.key] & names]
    known_names = set().union(*called.values())
    missing = [name for name in wanted if name.strip().casefold() not in known_names]
    if missing:
        known = sorted({s.subject.id for s in scopes if s.subject} | {s.name for s in scopes})
        raise MaturityGraphError(f"no assessment of subject {missing[0]!r} in the evidence; "
                                 f"subjects: {', '.join(known[:20]) or 'none named'}")
    return chosen


def scope_slots(scope: AssessmentScope | None, *, alone: bool) -> dict[str, str]:
    """What a scoped query's slots say: ASSESSMENT names the assessment (or one that matches nothing);
    CLAIMS is the pattern binding the assessment's claims (claims.rq), every claim when the run holds one
    assessment or none (all its evidence is then the assessment's: validate/membership.py refuses the rest);
    CURRENT and DECIDED are its working graphs (graph:current, and decided_graph)."""
    slots = {"CURRENT": sparql_term(CURRENT_GRAPH), "DECIDED": sparql_term(decided_graph(scope, alone=alone))}
    if scope is None or scope.iri is None or alone:
        term = sparql_term(scope.iri if scope is not None and scope.iri is not None else NO_ASSESSMENT)
        return {**slots, "ASSESSMENT": term, "CLAIMS": _fragment("all")}
    term = sparql_term(scope.iri)
    claims = bundled.fill_slots(_fragment("scoped"), {"ASSESSMENT": term}, name="claims.rq scoped")
    return {**slots, "ASSESSMENT": term, "CLAIMS": claims}


def claims_of_scopes(days: Sequence[tuple[AssessmentScope, dt.date]], *, alone: bool) -> str:
    """What the CLAIMS_OF_SCOPES slot says: the claims of every assessment in `days`, each judged on its day.

    Binds ?assessment ?key ?asOf with each claim; when the run holds one assessment or none, every claim is
    that assessment's (as in scope_slots).
    """
    rows = " ".join(f"({sparql_term(scope.iri or NO_ASSESSMENT)} {sparql_term(Literal(scope.key))} "
                    f"{sparql_term(Literal(day.isoformat(), datatype=XSD.date))})" for scope, day in days)
    everything = alone or all(scope.iri is None for scope, _ in days)
    fragment = _fragment("each-all" if everything else "each-scoped")
    return bundled.fill_slots(fragment, {"SCOPES": rows}, name="claims.rq each")


def stood_for(node: object) -> tuple[str, URIRef] | None:
    """The assessment key and requirement a stand-in (evidence/count-current.ru) is checked for; the key is
    NO_EVIDENCE for the stand-in of no evidence at all (evidence/stand-ins.ru)."""
    text = str(node)
    if not isinstance(node, URIRef) or not text.startswith(STAND_IN):
        return None
    key, _, requirement = text[len(STAND_IN):].partition("/")
    return key, _requirement(requirement)


@lru_cache(maxsize=4096)
def _requirement(encoded: str) -> URIRef:
    """A requirement from its percent-encoded form in a stand-in: a few hundred, met once per assessment each."""
    return URIRef(unquote(encoded))


def decided_graph(scope: AssessmentScope | None, *, alone: bool) -> URIRef:
    """The graph an assessment's decided results go into (graph:current, which evidence counts, is written once
    for every assessment of a run: evidence/freshness.py judge_scopes).

    In a run of several assessments each gets a decided graph of its own: Oxigraph's in-memory store keeps what
    a dropped graph held, so refilling one graph for each of 1,500 assessments made every query on it slower
    (benchmarks/bench_graph_churn.py); graphs of their own stay as fast as the first.
    """
    if scope is None or scope.iri is None or alone:
        return DECIDED_GRAPH
    return URIRef(f"{DECIDED_GRAPH}/{scope.key}")


def _fragment(name: str) -> str:
    return "\n".join(line for line in bundled.sections(__package__, "claims.rq")[name].splitlines()
                     if not line.startswith("#"))


def _names(scope: AssessmentScope) -> set[str]:
    """What --subject may call an assessment: its key, IRI or label, or its subject's id, label or IRI."""
    subject = scope.subject
    candidates = [scope.key, str(scope.iri) if scope.iri else "", scope.label or ""]
    if subject is not None:
        candidates += [subject.id, subject.label, str(subject.iri)]
    return {c.casefold() for c in candidates if c}


def _key(node: URIRef, subject: Subject | None) -> str:
    """Short, readable and unique: the subject's (or assessment's) name as a slug, and a digest of the IRI."""
    base = subject.id if subject is not None else _last_segment(node)
    slug = _NOT_SLUG.sub("-", base.casefold()).strip("-")[:40] or "assessment"
    return f"{slug}-{hashlib.sha256(str(node).encode()).hexdigest()[:8]}"


def _last_segment(iri: URIRef) -> str:
    return re.split(r"[/#:]", str(iri).rstrip("/#"))[-1] or str(iri)


def _text(term: object) -> str | None:
    text = " ".join(str(term).split()) if term is not None else ""
    return text or None
