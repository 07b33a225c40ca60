"""Evidence may describe evidence only.

An evidence file that states facts about a framework, a stage, a shape or a vocabulary term
could rewrite the rules it is judged by (two triples once put every SbD capability at Level 5).
Rule queries read only the content graph, and this check refuses such evidence outright, naming
each offending node: a triple is refused when its subject is a term the bundled content defines
(or any term in the project's or the W3C vocabularies' namespaces), or when its predicate belongs
to a content vocabulary (mm:, the framework and shape namespaces, sh:, owl:, or an RDFS schema
property).
"""
from __future__ import annotations

from collections.abc import Mapping

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS, XSD
from rdflib.term import Node

from ..namespaces import BASE, EV
from ..rdf import prefixed
from .report import Violation

VOCABULARY_NAMESPACES = (str(RDF), str(RDFS), str(OWL), str(SH), str(XSD), str(SKOS))
CONTENT_PREDICATE_NAMESPACES = (str(SH), str(OWL))
SCHEMA_PREDICATES = frozenset({RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range})
SOURCE = "evidence may describe evidence only"


def _reserved_subject(node: Node, defined: frozenset[URIRef]) -> bool:
    if not isinstance(node, URIRef):
        return False
    text = str(node)
    return node in defined or text.startswith(BASE) or text.startswith(VOCABULARY_NAMESPACES)


def _content_predicate(predicate: Node) -> bool:
    text = str(predicate)
    if text.startswith(str(EV._NS)):
        return False
    return text.startswith(BASE) or text.startswith(CONTENT_PREDICATE_NAMESPACES) or predicate in SCHEMA_PREDICATES


def content_statements(evidence: Graph, *, defined: frozenset[URIRef], names: Graph,
                       origin: Mapping[Node, str] | None = None) -> list[Violation]:
    """One violation per evidence triple that describes content rather than evidence."""
    bad_subjects = {s for s in set(evidence.subjects(unique=True)) if _reserved_subject(s, defined)}
    bad_predicates = {p for p in set(evidence.predicates(unique=True)) if _content_predicate(p)}
    found = []
    for subject in bad_subjects:
        for predicate, value in evidence.predicate_objects(subject):
            found.append(_violation(subject, predicate, value, names, origin,
                                    "describes a term of the bundled content or vocabulary; evidence may describe "
                                    "evidence only"))
    for predicate in bad_predicates:
        for subject, value in evidence.subject_objects(predicate):
            if subject in bad_subjects:
                continue
            found.append(_violation(subject, predicate, value, names, origin,
                                    "uses a property of the content vocabulary; evidence may describe evidence only"))
    return sorted(found, key=lambda v: (v.focus, v.path or "", v.value or ""))


def _violation(subject: Node, predicate: Node, value: Node, names: Graph, origin: Mapping[Node, str] | None,
               message: str) -> Violation:
    return Violation(
        focus=prefixed(subject, names) or "?",
        path=prefixed(predicate, names),
        value=prefixed(value, names),
        message=message,
        severity="Violation",
        source_shape=None,
        file=(origin or {}).get(subject),
    )
