"""The one way the engine runs pyshacl: fixed options, nothing fetched, no inference.

pyshacl's `ont_graph` copies only class and property axioms, not individuals, so callers pass
every graph the shapes must see (evidence, vocabulary, frameworks) and they are merged here.
"""
from __future__ import annotations

from rdflib import Graph


def shacl_report(*data: Graph, shapes: Graph) -> Graph:
    """Validate the union of `data` against `shapes`; return pyshacl's report graph."""
    import pyshacl  # imported when used: it is a third of the CLI's start-up

    merged = Graph()
    for graph in data:
        merged += graph
    report: Graph
    _, report, _ = pyshacl.validate(
        merged,
        shacl_graph=shapes,
        inference="none",
        advanced=False,
        allow_warnings=True,
        do_owl_imports=False,
    )
    return report
