"""export/rdf.py: Turtle and JSON-LD of the mapping graph parse back into isomorphic graphs."""
from __future__ import annotations

import io
import json

from rdflib import Graph
from rdflib.compare import isomorphic

from maturity_graph.exporters import export, export_context
from maturity_graph.exporters.rdf import to_graph


def _text(mappings, fmt) -> str:
    buffer = io.StringIO()
    export(mappings, fmt, buffer, source_framework="ztmm", target_framework="csmm")
    return buffer.getvalue()


def test_turtle_and_jsonld_are_isomorphic(mappings):
    expected = to_graph(mappings, context=export_context(source_framework="ztmm", target_framework="csmm"))
    turtle = Graph().parse(data=_text(mappings, "turtle"), format="turtle")
    jsonld_text = _text(mappings, "jsonld")
    jsonld = Graph().parse(data=jsonld_text, format="json-ld")
    assert len(expected) > 50
    assert isomorphic(turtle, expected)
    assert isomorphic(jsonld, expected)
    context = json.loads(jsonld_text)["@context"]
    assert isinstance(context, dict) and context["mm"] == "https://w3id.org/maturity-graph/mm#"
