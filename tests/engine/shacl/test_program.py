"""What the compiler makes of the bundled shapes, and how validate() hands the rest to pyshacl."""
from __future__ import annotations

import logging
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import SH

from maturity_graph.errors import MaturityGraphError
from maturity_graph.shacl import compile_shapes, validate
from maturity_graph.shacl.report import rows_of
from maturity_graph.store import open_store
from tests.conftest import REPO

SHAPES = REPO / "engine" / "content" / "shapes"
DATA = URIRef("urn:test:data")


def _graph(paths: list[Path]) -> Graph:
    graph = Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


def test_bundled_shapes_all_compile() -> None:
    """Nothing bundled falls back, the SPARQL-based constraints (stage ranks, cross-framework mappings) included."""
    program = compile_shapes(_graph(sorted(SHAPES.rglob("*.ttl"))))
    assert program.unsupported == []
    components = {q.component for g in program.groups for q in g.queries}
    assert SH.SPARQLConstraintComponent in components


@pytest.mark.parametrize("framework", ["sbd", "ztmm", "cnamm", "csmm", "ctemmm"])
def test_requirement_shapes_group_into_few_queries(framework: str) -> None:
    """Shapes that differ only in target, names and messages share one query. ZTMM's measured requirements
    also differ in nested constants (measure, population, threshold): one query per distinct set of those."""
    paths = sorted((SHAPES / framework).glob("*.ttl")) + [SHAPES / "core" / "supporting-evidence.ttl"]
    program = compile_shapes(_graph(paths))
    shapes = sum(len(group.members) for group in program.groups)
    assert program.unsupported == []
    assert shapes >= 20  # every requirement shape of the framework is compiled ...
    assert program.query_count < (20 if framework != "ztmm" else shapes / 4)  # ... into few queries


def test_evidence_shapes_scan_each_node_shape_once() -> None:
    """The value checks of a class- or predicate-targeted shape's direct properties are one scanned query
    (each result tagged with its shape and component); only the missing-value checks need the focus nodes."""
    program = compile_shapes(_graph([SHAPES / "core" / "evidence.ttl"]))
    evidence = next(g for g in program.groups if str(g.members[0].shape.node).endswith("/Evidence"))
    scanned = [q for q in evidence.queries if q.tagged]
    assert len(scanned) == 1 and len(evidence.queries) == 4  # + ev:date, ev:status, ev:addresses minCount 1
    components = {c for _, c in scanned[0].tagged}
    assert {SH.ClassConstraintComponent, SH.DatatypeConstraintComponent, SH.MaxCountConstraintComponent,
            SH.InConstraintComponent, SH.PatternConstraintComponent, SH.OrConstraintComponent} <= components
    # 15 queries for the evidence, assessment and setting shapes; subjects, targets, planned actions,
    # IRI-named assessments and status holders (issue 10) add 14 small ones (4.8 s of checks at 1M, as before)
    assert program.query_count <= 29


def test_requirement_shapes_keep_the_focus_driven_form() -> None:
    """sh:targetNode names a few nodes: following them beats scanning every ev:countsFor triple."""
    paths = sorted((SHAPES / "sbd").glob("*.ttl")) + [SHAPES / "core" / "supporting-evidence.ttl"]
    program = compile_shapes(_graph(paths))
    assert not any(q.tagged for g in program.groups for q in g.queries)


def _sparql_shapes() -> Graph:
    """One Core shape, and one SPARQL constraint that does not project $this (so it is left to pyshacl)."""
    return Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:Count a sh:NodeShape ; sh:targetClass ex:Thing ; sh:property [ sh:path ex:p ; sh:maxCount 1 ] .
        ex:Sparql a sh:NodeShape ; sh:targetClass ex:Thing ;
            sh:sparql [ sh:select '''SELECT ?value
                WHERE { $this <http://example.org/p> ?value . FILTER (?value > 0) }''' ] .
        """, format="turtle")


def _store() -> object:
    store = open_store()
    store.load(b"""@prefix ex: <http://example.org/> .
        ex:a a ex:Thing ; ex:p 1 , 2 . ex:b a ex:Thing ; ex:p 0 . _:c a ex:Thing ; ex:p 5 .""",
               fmt="turtle", source="things", into=DATA)
    return store


def test_unsupported_shape_runs_through_pyshacl_and_says_so(caplog: pytest.LogCaptureFixture) -> None:
    shapes = _sparql_shapes()
    program = compile_shapes(shapes)
    assert [str(node) for node, _ in program.unsupported] == ["http://example.org/Sparql"]
    store = _store()
    with caplog.at_level(logging.INFO, logger="maturity_graph.shacl.run"):
        report = validate(store, program, graphs=[DATA])  # type: ignore[arg-type]
    assert "pyshacl runs http://example.org/Sparql" in caplog.text
    assert report.fell_back == program.unsupported
    oracle = validate(store, program, graphs=[DATA], engine="pyshacl")  # type: ignore[arg-type]
    assert report.keys() == oracle.keys()
    components = sorted(str(row.component).split("#")[1] for row in report.rows)
    assert components == ["MaxCountConstraintComponent", "SPARQLConstraintComponent", "SPARQLConstraintComponent",
                          "SPARQLConstraintComponent"]


def test_sparql_constraints_run_whole_graph() -> None:
    """$this left unbound and joined with the focus nodes; ?value, ?path, $currentShape and $PATH as pyshacl."""
    shapes = Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:decl sh:declare [ sh:prefix "ex" ;
            sh:namespace "http://example.org/"^^<http://www.w3.org/2001/XMLSchema#anyURI> ] .
        ex:Big a sh:NodeShape ; sh:targetClass ex:Thing ;
            sh:sparql [ sh:prefixes ex:decl ;
                        sh:select "SELECT $this ?value WHERE { $this ex:p ?value . FILTER (?value > 1) }" ] ;
            sh:sparql [ sh:prefixes ex:decl ; sh:message "no value" ;
                        sh:select "SELECT $this WHERE { $this ex:p 0 . FILTER (isIRI($currentShape)) }" ] .
        ex:Prop a sh:PropertyShape ; sh:targetClass ex:Thing ; sh:path ex:p ;
            sh:sparql [ sh:select "SELECT $this ?value WHERE { $this $PATH ?value . FILTER (?value = 2) }" ] ;
            sh:sparql [ sh:select "SELECT $this ?path WHERE { $this ?path 5 }" ] .
        """, format="turtle")
    program = compile_shapes(shapes)
    assert program.unsupported == []
    store = _store()
    compiled = validate(store, program, graphs=[DATA])  # type: ignore[arg-type]
    oracle = validate(store, program, graphs=[DATA], engine="pyshacl")  # type: ignore[arg-type]
    assert len(compiled.rows) == 5
    assert compiled.keys() == oracle.keys()


def test_report_graph_holds_the_rows() -> None:
    store = _store()
    report = validate(store, _sparql_shapes(), graphs=[DATA])  # type: ignore[arg-type]
    graph = report.graph()
    assert (None, SH.conforms, None) in graph
    assert {row.key() for row in rows_of(graph)} == report.keys()
    assert not report.conforms


def test_unknown_engine_is_refused() -> None:
    with pytest.raises(MaturityGraphError, match="unknown SHACL engine 'jena'"):
        validate(open_store(), Graph(), graphs=[DATA], engine="jena")
