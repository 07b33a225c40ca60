"""OWL consistency of the vocabulary, the concepts and every framework, checked by HermiT.

owlready2 reads no Turtle, so the files are merged with rdflib and handed over as
N-Triples in a fresh owlready2.World. Two negative tests plant contradictions to show
that the check can fail.

One adjustment is made before reasoning:

- DATATYPES_OUTSIDE_OWL2: rdfs:range axioms to datatypes that are not in the OWL 2
  datatype map are dropped, because HermiT refuses to load them at all
  (UnsupportedDatatypeException). The evidence vocabulary needs xsd:date; no evidence is
  loaded here, so nothing is lost.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS

owlready2 = pytest.importorskip("owlready2")

if shutil.which("java") is None:
    pytest.skip("HermiT needs a Java runtime and `java` is not on PATH (CI installs one)", allow_module_level=True)

ROOT = Path(__file__).parents[2]
MM = Namespace("https://w3id.org/maturity-graph/mm#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")  # a plain Namespace: pytest probes module attributes
SBD = Namespace("https://w3id.org/maturity-graph/framework/sbd/2025-06-18/")

DATATYPES_OUTSIDE_OWL2 = {XSD.date: "xsd:date is not in the OWL 2 datatype map; HermiT rejects it"}

def content() -> Graph:
    graph = Graph()
    for path in (
        ROOT / "ontology" / "mm.ttl",
        ROOT / "ontology" / "ev.ttl",
        ROOT / "ontology" / "concepts.ttl",
        *sorted((ROOT / "ontology" / "frameworks").glob("*.ttl")),
    ):
        graph.parse(path, format="turtle")
    for datatype in DATATYPES_OUTSIDE_OWL2:
        for triple in list(graph.triples((None, RDFS.range, datatype))):
            graph.remove(triple)
    return graph


def is_consistent(graph: Graph, tmp_path: Path) -> bool:
    path = tmp_path / "content.nt"
    graph.serialize(path, format="nt", encoding="utf-8")
    world = owlready2.World()
    world.get_ontology(path.as_uri()).load(format="ntriples")
    started = time.perf_counter()
    try:
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    except owlready2.OwlReadyInconsistentOntologyError:
        return False
    finally:
        print(f"HermiT: {time.perf_counter() - started:.2f} s for {len(graph)} triples")
        world.close()
    return True


def test_content_is_consistent(tmp_path):
    assert is_consistent(content(), tmp_path)


def test_disjoint_classes_are_detected(tmp_path):
    """mm.ttl declares mm:Criterion and mm:Requirement disjoint."""
    graph = content()
    graph.add((SBD["security-policy-ownership-level-2"], RDF.type, MM.Requirement))
    assert not is_consistent(graph, tmp_path)


def test_wrong_datatype_is_detected(tmp_path):
    """mm:rank ranges over xsd:integer; a stage ranked with a string contradicts it."""
    graph = content()
    stage = SBD["level-2"]
    graph.remove((stage, MM.rank, None))
    graph.add((stage, MM.rank, Literal("second")))
    assert not is_consistent(graph, tmp_path)


def test_functional_property_is_detected(tmp_path):
    """mm:stage is functional; a criterion at two different, distinct stages contradicts it."""
    graph = content()
    criterion = SBD["security-policy-ownership-level-2"]
    graph.add((criterion, MM.stage, SBD["level-3"]))
    graph.add((SBD["level-2"], URIRef("http://www.w3.org/2002/07/owl#differentFrom"), SBD["level-3"]))
    assert not is_consistent(graph, tmp_path)
