"""The spreadsheet loop's outputs: a template to fill in (the library's TEMPLATE_WRITERS), and an evidence graph."""
from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

from rdflib import Graph

from maturity_graph import TEMPLATE_WRITERS

from .registry import RENDERERS, Kind, Options

# The syntaxes an evidence graph is written in, by format name: rdflib's names for them
GRAPH_SYNTAXES = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld"}
BINARY_TEMPLATES = ("xlsx",)


def _template(fmt: str) -> None:
    @RENDERERS.register(Kind.TEMPLATE, fmt, binary=fmt in BINARY_TEMPLATES)
    def render(rows: Sequence[Mapping[str, str]], options: Options) -> bytes:
        buffer = io.BytesIO()
        TEMPLATE_WRITERS[fmt](rows, buffer)
        return buffer.getvalue()


def _graph(fmt: str, syntax: str) -> None:
    @RENDERERS.register(Kind.EVIDENCE_GRAPH, fmt)
    def render(graph: Graph, options: Options) -> bytes:
        return graph.serialize(format=syntax).encode("utf-8")


for _fmt in sorted(TEMPLATE_WRITERS):
    _template(_fmt)
for _fmt, _syntax in sorted(GRAPH_SYNTAXES.items()):
    _graph(_fmt, _syntax)
