"""Turtle and JSON-LD of the mapping graph (mm:Mapping nodes, see crosswalk/sssom.py)."""
from __future__ import annotations

from collections.abc import Sequence

from rdflib import Graph

from ..crosswalk.model import Mapping
from ..crosswalk.sssom import mappings_graph
from .interface import ExportContext, Exporter
from .sssom import to_sssom_set


def to_graph(mappings: Sequence[Mapping], *, context: ExportContext) -> Graph:
    return mappings_graph(to_sssom_set(mappings, context=context))


def jsonld_context(graph: Graph) -> dict[str, str]:
    """An inline @context with the prefixes the graph binds (no remote context is ever named)."""
    return {prefix: str(ns) for prefix, ns in sorted(graph.namespaces()) if prefix}


class TurtleExporter(Exporter):
    name = "turtle"
    media_type = "text/turtle"
    suffix = ".ttl"

    def render(self, mappings: Sequence[Mapping], *, context: ExportContext) -> str:
        return to_graph(mappings, context=context).serialize(format="turtle")


class JSONLDExporter(Exporter):
    name = "jsonld"
    media_type = "application/ld+json"
    suffix = ".jsonld"

    def render(self, mappings: Sequence[Mapping], *, context: ExportContext) -> str:
        graph = to_graph(mappings, context=context)
        return graph.serialize(format="json-ld", context=jsonld_context(graph), indent=2, sort_keys=True)
