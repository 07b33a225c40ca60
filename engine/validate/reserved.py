"""Evidence may describe evidence only.

An evidence file that states facts about a framework, a stage, a shape or a vocabulary term
could rewrite the rules it is judged by (two triples once put every SbD capability at Level 5).
Rule queries read only the content graph, and this check refuses such evidence outright, naming
each offending node: a triple is refused when its subject is a term the bundled content defines
(or any term in the project's or the W3C vocabularies' namespaces), or when its predicate belongs
to a content vocabulary (mm:, the framework and shape namespaces, sh:, owl:, or an RDFS schema
property) or is ev:countsFor, which only the engine derives. The test is part of the one scan of
the run's evidence graphs that validate/screen.py runs.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib.term import Node

from ..rdf import prefixed
from .report import Violation
from .screen import ScreenedTriple

if TYPE_CHECKING:
    from ..run import Run

MESSAGES = {
    "subject": "describes a term of the bundled content or vocabulary; evidence may describe evidence only",
    "predicate": "uses a property of the content vocabulary; evidence may describe evidence only",
}


def content_statements(run: Run, screened: list[ScreenedTriple]) -> list[Violation]:
    """One violation per evidence triple that describes content rather than evidence.

    A triple whose subject is refused is not reported again for its predicate.
    """
    found: dict[tuple[Node, Node, Node], Violation] = {}
    for t in screened:
        if t.reserved_subject or t.reserved_predicate:
            message = MESSAGES["subject" if t.reserved_subject else "predicate"]
            found.setdefault((t.subject, t.predicate, t.value),
                             _violation(run, t.subject, t.predicate, t.value, message))
    return sorted(found.values(), key=lambda v: (v.focus, v.path or "", v.value or ""))


def _violation(run: Run, subject: Node | None, predicate: Node | None, value: Node | None, message: str) -> Violation:
    names = run.catalogue.names
    return Violation(focus=prefixed(subject, names) or "?", path=prefixed(predicate, names),
                     value=prefixed(value, names), message=message, severity="Violation", source_shape=None,
                     file=run.source_of(subject) if subject is not None else None)
