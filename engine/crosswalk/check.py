"""Consistency checks of mapping data: shapes/crosswalks/mapping.ttl (SHACL) and
contradictions.rq (SPARQL), over SSSOM files or any mapping graph.

A file that does not parse is one finding (with its line), not an exception, so one run
reports every broken file.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from collections.abc import Mapping as MappingABC
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH
from rdflib.query import ResultRow
from rdflib.term import Node

from .. import bundled
from ..catalogue import Catalogue, bundled_graph, load_catalogue
from ..errors import InputError
from ..namespaces import MM
from ..prefixes import prefix_map
from ..store.interface import Store
from ..validate.shacl import shacl_report
from .model import Relation
from .sssom import (
    MappingSetFile,
    curated_files,
    mapping_iris,
    mappings_graph,
    parse_sssom,
)

if TYPE_CHECKING:
    from rdflib.plugins.sparql.sparql import Query

log = logging.getLogger(__name__)

ERROR = "error"
WARNING = "warning"
SEVERITIES = {"Violation": ERROR, "Warning": WARNING, "Info": "info"}
FORMAT_RULE = "sssom-format"

CONTRADICTION_MESSAGES = {
    "equal-chain": "says not_related, but a chain of equal mappings ({first}, {second}) relates the same two elements",
    "inverse-disagreement": "and the mapping in the other direction ({first}) carry relations that are not inverses",
    "conflicting-relations": "and {first} map the same subject to the same object with different relations",
}


@dataclass(frozen=True)
class Origin:
    """Where a mapping node came from."""

    file: str | None
    line: int | None


@dataclass(frozen=True)
class Finding:
    """One problem with mapping data."""

    message: str
    severity: str = ERROR
    file: str | None = None
    line: int | None = None
    mapping: str | None = None
    node: str | None = None
    rule: str | None = None

    def as_dict(self) -> dict[str, str | int | None]:
        return {
            "file": self.file,
            "line": self.line,
            "mapping": self.mapping,
            "node": self.node,
            "message": self.message,
            "severity": self.severity,
            "rule": self.rule,
        }

    def sentence(self) -> str:
        where = self.file or ""
        if where and self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}" if where else self.message


@dataclass(frozen=True)
class CrosswalkCheck:
    """The outcome of checking mapping sets."""

    files: list[str]
    findings: list[Finding] = field(default_factory=list)
    mappings: int = 0

    @property
    def ok(self) -> bool:
        return not any(f.severity == ERROR for f in self.findings)

    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def malformed(self) -> list[Finding]:
        """Files that did not parse as SSSOM at all: bad input rather than findings about mappings."""
        return [f for f in self.findings if f.rule == FORMAT_RULE]


@lru_cache(maxsize=1)
def mapping_shapes() -> Graph:
    return bundled_graph("shapes", "crosswalks", "mapping.ttl")


@lru_cache(maxsize=1)
def _contradictions_query() -> Query:
    from rdflib.plugins.sparql import prepareQuery  # rdflib's SPARQL engine takes 0.15 s to import: only when checking

    return prepareQuery(bundled.query_text(__package__, "contradictions.rq"))


def check_crosswalks(
    paths: Iterable[str | Path] | None = None, *, catalogue: Catalogue | None = None
) -> CrosswalkCheck:
    """Check SSSOM mapping sets (default: the curated crosswalks/*.sssom.tsv of the catalogue's content roots,
    bundled and --content's) together."""
    sources: list[tuple[str, Path | Traversable]]
    if paths is None:
        roots = catalogue.roots if catalogue is not None else None
        sources = [(file.path, file.node) for file in curated_files(roots)]
    else:
        sources = [(str(p), Path(p)) for p in paths]
    findings: list[Finding] = []
    sets: list[MappingSetFile] = []
    for name, source in sources:
        try:
            sets.append(parse_sssom(source, source=name))
        except InputError as err:
            findings.append(Finding(message=err.message, file=err.path or name, line=err.line, rule=FORMAT_RULE))
    result = check_mapping_sets(sets, catalogue=catalogue)
    return CrosswalkCheck(
        files=[name for name, _ in sources],
        findings=_sorted(findings + result.findings),
        mappings=result.mappings,
    )


def check_mapping_sets(sets: Iterable[MappingSetFile], *, catalogue: Catalogue | None = None,
                       elements: Graph | None = None, context: Iterable[MappingSetFile] = ()) -> CrosswalkCheck:
    """Check parsed mapping sets together: shapes and contradictions over one graph.

    The ends of the mappings are looked up in the catalogue's content (default: the content in use), or in
    `elements` (what content_elements() gives for a store holding other content, such as a pack being checked);
    findings then name elements with the project's prefixes and those of the sets' curie_maps. The `context`
    sets (the bundled crosswalks, when a pack's are checked) take part in the contradictions only: a finding is
    always about a mapping of `sets`, at its line."""
    graph, others = Graph(), Graph()
    origin: dict[URIRef, Origin] = {}
    sets, context = list(sets), list(context)
    count = sum(len(mapping_set.mappings) for mapping_set in sets)
    for mapping_set in sets:
        graph += mappings_graph(mapping_set)
    for mapping_set in context:
        others += mappings_graph(mapping_set)
    for mapping_set in [*sets, *context]:
        for index, node in enumerate(mapping_iris(mapping_set)):
            origin[node] = Origin(mapping_set.path, mapping_set.line_of(index))
    names = _set_names([*sets, *context]) if elements is not None else None
    result = check_mapping_graph(graph, origin=origin, catalogue=catalogue, elements=elements, names=names,
                                 context=others if context else None)
    return CrosswalkCheck(files=[s.path or s.id for s in sets], findings=result.findings, mappings=count)


def check_mapping_graph(
    graph: Graph,
    *,
    origin: MappingABC[URIRef, Origin] | None = None,
    catalogue: Catalogue | None = None,
    elements: Graph | None = None,
    names: Graph | None = None,
    context: Graph | None = None,
) -> CrosswalkCheck:
    """Run shapes/crosswalks/mapping.ttl and contradictions.rq over a graph of mm:Mapping nodes.

    The bundled vocabulary and frameworks join the data graph, so a subject or object IRI that
    names no criterion or capability is reported: the catalogue's (default: the content in use), or
    `elements` when given (content_elements()). `names` carries the prefixes findings print IRIs with
    (default: the catalogue's prefix table). The mappings of `context` are not checked themselves, but join
    the search for contradictions with those of `graph`.
    """
    origin = origin or {}
    count = len(set(graph.subjects(RDF.type, MM.Mapping)))
    if count == 0:
        return CrosswalkCheck(files=[], findings=[], mappings=0)
    if elements is None or names is None:
        catalogue = catalogue or load_catalogue()
        elements = elements if elements is not None else _elements_graph(catalogue)
        names = names if names is not None else catalogue.names
    report = shacl_report(graph, elements, shapes=mapping_shapes())
    findings = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        value = report.value(result, SH.value)
        message = report.value(result, SH.resultMessage)
        severity = str(report.value(result, SH.resultSeverity) or SH.Violation).rsplit("#", 1)[-1]
        shape = report.value(result, SH.sourceShape)
        where = _origin_of(origin, focus)
        value_text = _term_text(value, names) if value != focus else None
        findings.append(
            Finding(
                message=(str(message) if message is not None else "constraint not satisfied")
                + (f" (value {value_text})" if value_text else ""),
                severity=SEVERITIES.get(severity, ERROR),
                file=where.file,
                line=where.line,
                mapping=str(focus),
                node=value_text,
                rule=str(shape).rsplit("/", 1)[-1] if isinstance(shape, URIRef) else None,
            )
        )
    # one finding per shape and value: a value can break several constraints of one shape
    findings = list(dict.fromkeys(findings))
    if context is None:
        findings += _contradictions(graph, origin, names)
    else:
        own = set(graph.subjects(RDF.type, MM.Mapping))
        findings += _contradictions(graph + context, origin, names, own=own)
    log.debug("crosswalk check: %d mappings, %d findings", count, len(findings))
    return CrosswalkCheck(files=[], findings=_sorted(findings), mappings=count)


def _elements_graph(catalogue: Catalogue) -> Graph:
    """content_elements() of the catalogue's content, once per catalogue."""
    key = id(catalogue)
    cached = _ELEMENTS.get(key)
    if cached is not None and cached[0] is catalogue:
        return cached[1]
    graph = content_elements(catalogue.content_store)
    _ELEMENTS[key] = (catalogue, graph)
    return graph


def content_elements(store: Store, graphs: Sequence[URIRef] | None = None) -> Graph:
    """What the mapping shapes need from the content in `store` (elements.rq; its default graph, or the union
    of `graphs`): the types of its elements, the links from criterion to capability to dimension to framework,
    and each framework's id. (The whole content graph gives the same results, several times slower.)"""
    graph = store.query(bundled.query_text(__package__, "elements.rq"), graphs=graphs).graph
    assert graph is not None  # a CONSTRUCT query's answer
    return graph


def _set_names(sets: Iterable[MappingSetFile]) -> Graph:
    """An empty graph binding the project's prefixes, then the prefixes the sets' curie_maps add (a pack's own),
    for printing IRIs as prefixed names. A prefix or namespace already bound is never rebound."""
    names = Graph(bind_namespaces="none")
    bound = prefix_map()
    for mapping_set in sets:
        for prefix, namespace in mapping_set.curie_map.items():
            if prefix not in bound and namespace not in bound.values():
                bound[prefix] = namespace
    for prefix, namespace in bound.items():
        names.bind(prefix, namespace)
    return names


_ELEMENTS: dict[int, tuple[Catalogue, Graph]] = {}
NOWHERE = Origin(None, None)


def _origin_of(origin: MappingABC[URIRef, Origin], node: Node | None) -> Origin:
    return origin.get(node, NOWHERE) if isinstance(node, URIRef) else NOWHERE


def _term_text(term: Node | None, names: Graph) -> str | None:
    """A subject or object IRI as a prefixed name where the prefix table knows it, else as is.

    (Only namespaces the table binds are shortened: rdflib would otherwise invent and bind an
    ns1: prefix into the shared table.)
    """
    if term is None:
        return None
    if isinstance(term, URIRef):
        text = str(term)
        for prefix, namespace in names.namespaces():
            if prefix and text.startswith(str(namespace)) and len(text) > len(str(namespace)):
                local = text[len(str(namespace)):]
                if "/" not in local and "#" not in local:
                    return f"{prefix}:{local}"
        return text
    return str(term)


def _contradictions(graph: Graph, origin: MappingABC[URIRef, Origin], names: Graph,
                    own: set[Node] | None = None) -> list[Finding]:
    """The contradictions among the mappings of `graph`; with `own`, only those involving one of them, each
    reported on (and at the line of) a mapping of `own`."""
    seen: set[tuple[Node, str, frozenset[Node]]] = set()
    findings = []
    for row in graph.query(_contradictions_query()):
        assert isinstance(row, ResultRow)  # a SELECT query's rows
        mapping, kind, first, second = row.mapping, str(row.kind), row.first, row.second
        at: Node | None = mapping  # the mapping whose line the finding is reported at
        if own is not None and mapping not in own:
            if kind == "equal-chain":  # about its not_related mapping, reported at a link of the chain of ours
                at = next((link for link in (first, second) if link in own), None)
                if at is None:
                    continue
            elif first in own:
                mapping, first = first, mapping  # the two mappings of a pair play the same part
                at = mapping
            else:
                continue
        key = (mapping, kind, frozenset(n for n in (first, second) if n is not None))
        if key in seen:
            continue
        seen.add(key)
        where = _origin_of(origin, at)
        label = _mapping_label(graph, mapping, names)
        others = {
            "first": _mapping_label(graph, first, names) if first is not None else "",
            "second": _mapping_label(graph, second, names) if second is not None else "",
        }
        other = _origin_of(origin, first)
        if other.line is not None:
            others["first"] += (f" at {other.file}:{other.line}" if other.file != where.file
                                else f" at line {other.line}")
        findings.append(
            Finding(
                message=f"the mapping {label} " + CONTRADICTION_MESSAGES[kind].format(**others),
                severity=ERROR,
                file=where.file,
                line=where.line,
                mapping=str(mapping),
                node=str(first) if first is not None else None,
                rule=kind,
            )
        )
    return findings


def _mapping_label(graph: Graph, mapping: Node, names: Graph) -> str:
    subject = graph.value(mapping, MM.mapsFrom)
    obj = graph.value(mapping, MM.mapsTo)
    relations = sorted(_relation_token(r) for r in graph.objects(mapping, MM.relation))
    return f"{_term_text(subject, names)} {'/'.join(relations)} {_term_text(obj, names)}"


def _relation_token(iri: Node) -> str:
    try:
        return Relation.from_iri(iri).value
    except StopIteration:
        return str(iri)


def _sorted(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.file or "", f.line or 0, f.rule or "", f.message))
