"""The catalogue (issue 9): built from the bundled Turtle by Oxigraph alone; rdflib copies only on demand."""
from __future__ import annotations

import pytest
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SH

from maturity_graph.catalogue import Catalogue, load_catalogue
from maturity_graph.namespaces import MM

LAZY_GRAPHS = ("vocabulary", "frameworks_graph", "content_graph", "defined_terms", "_names_of")


@pytest.fixture(scope="module")
def fresh() -> Catalogue:
    """A catalogue of its own, so which caches it has filled is this module's to check."""
    return Catalogue()


def test_building_the_catalogue_makes_no_rdflib_graph_of_the_content(fresh: Catalogue) -> None:
    assert [name for name in LAZY_GRAPHS if name in vars(fresh)] == []
    assert fresh.ids() == ["cnamm", "csmm", "ctemmm", "samm", "sbd", "ztmm"]
    assert fresh.get("sbd@2025-06-18").label == "Secure-by-Design Maturity Model"
    assert fresh.counts(fresh.get("ztmm")).requirements == 222


def test_the_content_store_holds_what_the_content_graph_holds() -> None:
    catalogue = load_catalogue()
    graph = catalogue.content_graph
    assert catalogue.content_store.count() == len(graph) > 10_000
    assert catalogue.content_store.graph_names() == []  # all of it in the default graph
    frameworks = {URIRef(str(s)) for s in graph.subjects(RDF.type, MM.Framework)}
    assert frameworks == {fw.iri for fw in catalogue.frameworks.values()}


def test_the_content_graph_is_the_vocabulary_and_the_frameworks() -> None:
    catalogue = load_catalogue()
    # anonymous blank nodes get new ids each time a file is parsed: compare the rest
    named = {t for t in catalogue.content_graph if not any(isinstance(n, BNode) for n in t)}
    parts = {t for g in (catalogue.vocabulary, catalogue.frameworks_graph) for t in g
             if not any(isinstance(n, BNode) for n in t)}
    assert len(catalogue.content_graph) == len(catalogue.vocabulary) + len(catalogue.frameworks_graph)
    assert named == parts
    assert (MM.Framework, RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class")) in catalogue.vocabulary


def test_defined_terms_are_the_iris_the_content_describes() -> None:
    catalogue = load_catalogue()
    expected = {s for s in catalogue.content_graph.subjects(unique=True) if isinstance(s, URIRef)}
    assert catalogue.defined_terms == expected
    assert MM.Framework in catalogue.defined_terms


def test_labels_and_identifiers_come_from_the_content() -> None:
    catalogue = load_catalogue()
    graph = catalogue.content_graph
    checked = 0
    for subject in graph.subjects(unique=True):
        if not isinstance(subject, URIRef):
            continue
        label, identifier = graph.value(subject, RDFS.label), graph.value(subject, DCTERMS.identifier)
        assert catalogue.label(subject) == (str(label) if label is not None else None)
        assert catalogue.identifier(subject) == (str(identifier) if identifier is not None else None)
        checked += identifier is not None
    assert checked > 500
    assert catalogue.label(URIRef("https://example.org/not-in-the-content")) is None


def test_a_frameworks_shapes_graph_is_built_once_and_holds_its_shapes() -> None:
    catalogue = load_catalogue()
    sbd, ztmm = catalogue.get("sbd"), catalogue.get("ztmm")
    shapes = catalogue.shapes_graph(sbd)
    assert catalogue.shapes_graph(sbd) is shapes
    assert isinstance(shapes, Graph) and len(shapes) > 1000
    shape_iris = {str(s) for s in shapes.subjects(RDF.type, SH.NodeShape)}
    assert any("/sbd/" in iri for iri in shape_iris)
    assert not any("/ztmm/" in iri for iri in shape_iris)
    assert catalogue.shapes_graph(ztmm) is not shapes
