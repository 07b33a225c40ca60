"""validate(): compiled queries on a store, pyshacl for what the compiler leaves, one report."""
from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Sequence

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from ..errors import MaturityGraphError
from ..store.interface import Store
from ..store.terms import iri
from .compiler import NO_VALUE, ShapesProgram, compile_shapes, term
from .fragments import fill, fragments
from .oracle import pyshacl_rows, reachable, reporting_tree
from .report import Report, ReportRow

log = logging.getLogger(__name__)
ENGINES = ("sparql", "pyshacl")
TOKEN = re.compile(r"\{\{(closure|class-pairs):(\d+)\}\}")


def validate(store: Store, shapes: ShapesProgram | Graph, *, graphs: Sequence[URIRef],
             engine: str = "sparql") -> Report:
    """Validate the union of `graphs` in `store` against the shapes; `engine` is "sparql" or "pyshacl"."""
    if engine not in ENGINES:
        raise MaturityGraphError(f"unknown SHACL engine {engine!r}; use sparql or pyshacl")
    program = shapes if isinstance(shapes, ShapesProgram) else compile_shapes(shapes)
    if engine == "pyshacl":
        return Report(rows=pyshacl_rows(store.export(graphs), program.shapes))
    rows = _compiled_rows(store, program, graphs)
    if program.fallback:
        for node, reason in program.unsupported:
            log.info("SHACL: pyshacl runs %s (%s)", node, reason)
        roots = [shape.node for shape in program.fallback]
        keep = reporting_tree(program.shapes, roots)
        found = pyshacl_rows(store.export(graphs), reachable(program.shapes, roots))
        rows += [row for row in found if row.source_shape in keep]
    return Report(rows=sorted(set(rows), key=repr), fell_back=list(program.unsupported))


def _compiled_rows(store: Store, program: ShapesProgram, graphs: Sequence[URIRef]) -> list[ReportRow]:
    closures = _closures(store, program, graphs)
    rows: list[ReportRow] = []
    for group in program.groups:
        for query in group.queries:
            text = TOKEN.sub(lambda m: closures[(m.group(1), int(m.group(2)))], query.text)
            answer = store.query(text, graphs=graphs)
            for shape, this, value, path, *tag in answer.rows:
                member = group.members[int(shape.toPython())]  # type: ignore[union-attr]
                position, component = (query.tagged[int(tag[0].toPython())] if query.tagged  # type: ignore[union-attr]
                                       else (query.position, query.component))
                source = member.positions[position]
                if value is None and component == SH.SPARQLConstraintComponent and source.path is None:
                    value = this  # as pyshacl: a node shape's SPARQL result without ?value names the focus node
                messages = query.messages or source.messages
                rows.append(ReportRow(
                    focus=this,  # type: ignore[arg-type]
                    path=path if path is not None else source.path,  # type: ignore[arg-type]
                    value=None if component in NO_VALUE else value,
                    source_shape=source.node, component=component, severity=source.severity,
                    message=_message(messages[0], this, value) if messages else None))
    return rows


def _closures(store: Store, program: ShapesProgram, graphs: Sequence[URIRef]) -> dict[tuple[str, int], str]:
    """Each class named by sh:class or sh:targetClass with its subclasses, read once for the whole run."""
    if not program.classes and not program.class_targets:
        return {}
    below: dict[Node, set[Node]] = defaultdict(set)
    for sub, sup in store.query(fragments()["subclasses.rq"], graphs=graphs).rows:
        below[iri(sup)].add(iri(sub))

    def closure(cls: URIRef) -> list[URIRef]:
        found, stack = {cls}, [cls]
        while stack:
            for sub in below.get(stack.pop(), ()):
                if sub not in found:
                    found.add(sub)  # type: ignore[arg-type]
                    stack.append(sub)  # type: ignore[arg-type]
        return sorted(found)

    texts = {("closure", i): " ".join(term(c) for c in closure(cls)) for i, cls in enumerate(program.classes)}
    for i, pairs in enumerate(program.class_targets):
        texts[("class-pairs", i)] = " ".join(fill("pair", LEFT=Literal(n).n3(), RIGHT=term(c))
                                             for n, cls in pairs for c in closure(cls))
    return texts


def _message(text: str, this: Node | None, value: Node | None) -> str:
    """A message with {$this} and {?value} written in, as SPARQL-based constraints' templates use them."""
    for name, node in (("this", this), ("value", value)):
        if node is not None:
            text = re.sub(r"\{[?$]" + name + r"\}", str(node).replace("\\", "\\\\"), text)
    return text
