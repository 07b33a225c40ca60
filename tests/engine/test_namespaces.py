"""engine/namespaces.py agrees with ontology/mm.ttl and ontology/ev.ttl."""
from __future__ import annotations

import pytest
from rdflib import Graph, URIRef

from maturity_graph.namespaces import EV, MM
from tests.conftest import REPO


@pytest.mark.parametrize("ns, path", [(MM, "ontology/mm.ttl"), (EV, "ontology/ev.ttl")])
def test_closed_namespace_matches_ontology(ns, path):
    base = str(ns._NS)
    graph = Graph().parse(REPO / path)
    defined = {str(s)[len(base):] for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(base) and str(s) != base}
    declared = set(ns.__annotations__)
    assert defined == declared


def test_misspelt_term_raises():
    with pytest.raises(AttributeError):
        MM.Capabilty  # noqa: B018
