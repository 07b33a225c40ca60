"""pyshacl, the authority: runs shapes the compiler does not support, or all of them on request."""
from __future__ import annotations

from collections.abc import Iterable

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from ..errors import MaturityGraphError
from .report import ReportRow, rows_of


def pyshacl_rows(data: Graph, shapes: Graph) -> list[ReportRow]:
    """Validate `data` against `shapes` with the engine's fixed pyshacl options (nothing fetched, no inference)."""
    import pyshacl  # imported when used: a third of the CLI's start-up, and most runs never need it

    _, report, text = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=False,
                                       allow_warnings=True, do_owl_imports=False)
    if not isinstance(report, Graph):  # pyshacl answers a ValidationFailure for shapes it cannot run
        raise MaturityGraphError(f"pyshacl cannot run the shapes: {' '.join(str(text).split())}")
    return rows_of(report, shapes)


def reachable(shapes: Graph, roots: Iterable[Node]) -> Graph:
    """The triples of the shapes graph reachable from `roots`: enough for pyshacl to run just those shapes."""
    part = Graph()
    for prefix, namespace in shapes.namespaces():
        part.bind(prefix, namespace)
    seen: set[Node] = set()
    stack = list(roots)
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        for predicate, obj in shapes.predicate_objects(node):
            part.add((node, predicate, obj))
            if isinstance(obj, (URIRef, BNode)):
                stack.append(obj)
    return part


def reporting_tree(shapes: Graph, roots: Iterable[Node]) -> set[Node]:
    """The shapes whose results a targeted shape reports: itself and its property shapes, transitively."""
    found: set[Node] = set()
    stack = list(roots)
    while stack:
        node = stack.pop()
        if node not in found:
            found.add(node)
            stack.extend(shapes.objects(node, SH.property))
    return found
