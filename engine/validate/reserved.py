"""Evidence may describe evidence only.

An evidence file that states facts about a framework, a stage, a shape or a vocabulary term
could rewrite the rules it is judged by (two triples once put every SbD capability at Level 5).
Rule queries read only the content graph, and this check refuses such evidence outright, naming
each offending node: a triple is refused when its subject is a term the bundled content defines
(or any term in the project's or the W3C vocabularies' namespaces), or when its predicate belongs
to a content vocabulary (mm:, the framework and shape namespaces, sh:, owl:, or an RDFS schema
property) or is ev:countsFor, which only the engine derives. The test is one query over the
run's evidence graphs (content-statements.rq).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib.term import Node

from ..rdf import prefixed
from .report import Violation

if TYPE_CHECKING:
    from ..run import Run

MESSAGES = {
    "subject": "describes a term of the bundled content or vocabulary; evidence may describe evidence only",
    "predicate": "uses a property of the content vocabulary; evidence may describe evidence only",
}


def content_statements(run: Run) -> list[Violation]:
    """One violation per evidence triple that describes content rather than evidence."""
    rows = run.query("content-statements.rq", __package__)
    bad_subjects = {row["s"] for row in rows if str(row["kind"]) == "subject"}
    found: dict[tuple[Node | None, Node | None, Node | None], Violation] = {}
    for row in rows:
        subject, kind = row["s"], str(row["kind"])
        if kind == "predicate" and subject in bad_subjects:
            continue
        key = (subject, row["p"], row["o"])
        found.setdefault(key, _violation(run, subject, row["p"], row["o"], MESSAGES[kind]))
    return sorted(found.values(), key=lambda v: (v.focus, v.path or "", v.value or ""))


def _violation(run: Run, subject: Node | None, predicate: Node | None, value: Node | None, message: str) -> Violation:
    names = run.catalogue.names
    return Violation(focus=prefixed(subject, names) or "?", path=prefixed(predicate, names),
                     value=prefixed(value, names), message=message, severity="Violation", source_shape=None,
                     file=run.source_of(subject) if subject is not None else None)
