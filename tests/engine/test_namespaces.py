"""engine/namespaces.py agrees with ontology/mm.ttl and ontology/ev.ttl.

Regenerate the term lists with: MGRAPH_WRITE_NAMESPACES=1 python -m pytest tests/engine/test_namespaces.py
"""
from __future__ import annotations

import os
import re

import pytest
from rdflib import Graph, URIRef

from maturity_graph.namespaces import EV, MM
from tests.conftest import REPO

MODULE = REPO / "engine" / "namespaces.py"
SOURCES = [(MM, "MM", "ontology/mm.ttl"), (EV, "EV", "ontology/ev.ttl")]


def defined_terms(ns, path) -> list[str]:
    base = str(ns._NS)
    graph = Graph().parse(REPO / path)
    return sorted({str(s)[len(base):] for s in graph.subjects() if isinstance(s, URIRef)
                   and str(s).startswith(base) and str(s) != base})


def test_closed_namespaces_match_ontology():
    text = MODULE.read_text(encoding="utf-8")
    for ns, name, path in SOURCES:
        block = "".join(f"    {t}: URIRef\n" for t in defined_terms(ns, path))
        pattern = (rf'(class {name}\(DefinedNamespace\):\n(?:.*\n)*?    _NS = Namespace\("[^"]*"\)\n\n)'
                   r'((?:    \w+: URIRef\n)+)')
        text = re.sub(pattern, lambda m, block=block: m.group(1) + block, text)
    if os.environ.get("MGRAPH_WRITE_NAMESPACES") == "1":
        MODULE.write_text(text, encoding="utf-8")
    assert MODULE.read_text(encoding="utf-8") == text, (
        "engine/namespaces.py is stale: regenerate it (see this file's docstring)")


def test_misspelt_term_raises():
    with pytest.raises(AttributeError):
        MM.Capabilty  # noqa: B018
