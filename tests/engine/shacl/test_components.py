"""Each compiled constraint component against pyshacl on small graphs: the same results, field by field.

Every case has nodes that conform and nodes that do not (blank nodes and odd literals among them), so
an engine that reports nothing, or everything, disagrees with pyshacl and fails.
"""
from __future__ import annotations

import pytest
from rdflib import Graph, URIRef

from maturity_graph.shacl import compile_shapes, validate
from maturity_graph.store import open_store

DATA = URIRef("urn:test:data")
PREFIXES = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
"""
PEOPLE = """
ex:Person rdfs:subClassOf ex:Agent . ex:Student rdfs:subClassOf ex:Person .
ex:a a ex:Person ; ex:name "Ann"@en , "Anne"@fr ; ex:age 30 ; ex:knows ex:b , _:x ; ex:code "ab-12" ;
    ex:start "2020-01-01"^^xsd:date ; ex:end "2021-01-01"^^xsd:date ; ex:alias "Ann"@en ; ex:status ex:Active .
ex:b a ex:Student ; ex:name "Bob" , "Bobby"@en , "Bobbie"@en ; ex:age "old" ; ex:knows "Carl" ; ex:code "AB_12" ;
    ex:start "2022-01-01"^^xsd:date ; ex:end "2021-01-01"^^xsd:date ; ex:alias "Bob" ; ex:status ex:Gone .
_:x a ex:Robot ; ex:name "R2" ; ex:age 2.5 ; ex:knows _:x ; ex:start 5 ; ex:end "x" .
ex:c a ex:Person ; ex:age -1 ; ex:age 150 ; ex:unknownProperty 1 .
"""
CASES = {
    "class": "ex:S a sh:NodeShape ; sh:targetClass ex:Agent ; sh:property [ sh:path ex:knows ; sh:class ex:Person ] .",
    "class-node": "ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:name ; sh:class ex:Person .",
    "datatype": """ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:age ; sh:property [ sh:path ex:age ;
        sh:datatype xsd:integer ] .""",
    "datatype-lang": """ex:S a sh:PropertyShape ; sh:targetSubjectsOf ex:name ; sh:path ex:name ;
        sh:datatype rdf:langString .""",
    "nodeKind": "ex:S a sh:NodeShape ; sh:targetObjectsOf ex:knows ; sh:nodeKind sh:IRI .",
    "counts": """ex:S a sh:NodeShape ; sh:targetClass ex:Agent ; sh:property [ sh:path ex:name ; sh:minCount 2 ;
        sh:maxCount 2 ] .""",
    "ranges": """ex:S a sh:NodeShape ; sh:targetNode ex:a , ex:b , ex:c ;
        sh:property [ sh:path ex:age ; sh:minInclusive 0 ; sh:maxExclusive 120 ] ;
        sh:property [ sh:path ex:start ; sh:minExclusive "2021-01-01"^^xsd:date ;
        sh:maxInclusive "2030-01-01"^^xsd:date ] .""",
    "lengths": """ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:knows ; sh:property [ sh:path ex:knows ;
        sh:minLength 5 ; sh:maxLength 20 ] .""",
    "pattern": """ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:code ;
        sh:property [ sh:path ex:code ; sh:pattern "^[a-z]+-[0-9]+$" ] ;
        sh:property [ sh:path ex:code ; sh:pattern "^ab" ; sh:flags "i" ] .""",
    "languageIn": """ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:name ; sh:property [ sh:path ex:name ;
        sh:languageIn ( "en" ) ] .""",
    "uniqueLang": """ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:name ; sh:property [ sh:path ex:name ;
        sh:uniqueLang true ] .""",
    "equals-disjoint": """ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:name ;
        sh:property [ sh:path ex:name ; sh:equals ex:alias ] ; sh:property [ sh:path ex:name ;
        sh:disjoint ex:alias ] .""",
    "lessThan": """ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:start ;
        sh:property [ sh:path ex:start ; sh:lessThan ex:end ] ; sh:property [ sh:path ex:start ;
        sh:lessThanOrEquals ex:end ] .""",
    "hasValue-in": """ex:S a sh:NodeShape ; sh:targetClass ex:Agent ;
        sh:property [ sh:path ex:status ; sh:hasValue ex:Active ] ; sh:property [ sh:path ex:status ;
        sh:in ( ex:Active ex:Paused ) ] .""",
    "closed": """ex:S a sh:NodeShape ; sh:targetClass ex:Person ; sh:closed true ;
        sh:ignoredProperties ( rdf:type ) ; sh:property [ sh:path ex:name ] , [ sh:path ex:age ] .""",
    "not-and-or": """ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:age ;
        sh:not [ sh:class ex:Robot ] ;
        sh:and ( [ sh:property [ sh:path ex:age ; sh:minCount 1 ] ] [ sh:property [ sh:path ex:name ;
        sh:minCount 1 ] ] ) ;
        sh:or ( [ sh:property [ sh:path ex:age ; sh:datatype xsd:integer ] ] [ sh:property [ sh:path ex:age ;
        sh:datatype xsd:decimal ] ] ) .""",
    "xone": """ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:age ;
        sh:xone ( [ sh:class ex:Person ] [ sh:property [ sh:path ex:name ; sh:minCount 2 ] ] ) .""",
    "node-unfused": """ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:knows ; sh:property [ sh:path ex:knows ;
        sh:node ex:Named ] .
        ex:Named a sh:NodeShape ; sh:property [ sh:path ex:name ; sh:minCount 2 ] ;
        sh:property [ sh:path ex:knows ; sh:class ex:Person ] .""",
    "node-fused": """ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:knows ; sh:property [ sh:path ex:knows ;
        sh:node ex:Named ] .
        ex:Named a sh:NodeShape ; sh:class ex:Agent ; sh:property [ sh:path ex:name ; sh:minCount 1 ;
        sh:datatype xsd:string ] .""",
    "qualified": """ex:S a sh:NodeShape ; sh:targetClass ex:Agent ;
        sh:property [ sh:path ex:knows ; sh:qualifiedValueShape [ sh:class ex:Person ] ; sh:qualifiedMinCount 1 ;
        sh:qualifiedMaxCount 1 ] .""",
    "qualified-unfused": """ex:S a sh:NodeShape ; sh:targetClass ex:Agent ;
        sh:property [ sh:path ex:knows ; sh:qualifiedValueShape [ sh:property [ sh:path ex:name ; sh:minCount 2 ] ] ;
                      sh:qualifiedMinCount 1 ] .""",
    "qualified-disjoint": """ex:S a sh:NodeShape ; sh:targetClass ex:Agent ;
        sh:property [ sh:path ex:knows ; sh:qualifiedValueShape [ sh:class ex:Person ] ; sh:qualifiedMinCount 1 ;
                      sh:qualifiedValueShapesDisjoint true ] ;
        sh:property [ sh:path ex:knows ; sh:qualifiedValueShape [ sh:class ex:Student ] ; sh:qualifiedMaxCount 0 ;
                      sh:qualifiedValueShapesDisjoint true ] .""",
    "paths": """ex:S a sh:NodeShape ; sh:targetNode ex:a , ex:c ;
        sh:property [ sh:path ( ex:knows ex:name ) ; sh:minCount 2 ] ;
        sh:property [ sh:path [ sh:inversePath ex:knows ] ; sh:maxCount 0 ] ;
        sh:property [ sh:path [ sh:alternativePath ( ex:name ex:alias ) ] ; sh:datatype xsd:string ] ;
        sh:property [ sh:path [ sh:oneOrMorePath ex:knows ] ; sh:nodeKind sh:IRI ] ;
        sh:property [ sh:path [ sh:zeroOrMorePath ex:knows ] ; sh:class ex:Agent ] ;
        sh:property [ sh:path [ sh:zeroOrOnePath ex:knows ] ; sh:maxCount 1 ] .""",
    "severity-message-deactivated": """ex:S a sh:NodeShape ; sh:targetClass ex:Agent ;
        sh:property [ sh:path ex:age ; sh:datatype xsd:integer ; sh:severity sh:Warning ; sh:message "whole years" ] ;
        sh:property [ sh:path ex:name ; sh:minCount 5 ; sh:deactivated true ] .
        ex:T a sh:NodeShape ; sh:targetClass ex:Agent ; sh:deactivated true ; sh:class ex:Robot .""",
    # Several constraints on one property, broken several ways at once by the same nodes: the scanned form
    # checks them in one query and tags each result with its shape and component. _:x (a Robot, not an
    # Agent) breaks them too but is no focus node, so it must not be reported.
    "several-on-one-property": """ex:S a sh:NodeShape ; sh:targetClass ex:Agent ;
        sh:property [ sh:path ex:age ; sh:minCount 1 ; sh:maxCount 1 ; sh:datatype xsd:integer ;
                      sh:minInclusive 0 ; sh:maxExclusive 120 ] ;
        sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:maxCount 1 ; sh:datatype xsd:string ; sh:minLength 4 ;
                      sh:pattern "^[A-Z]" ; sh:languageIn ( "en" ) ; sh:uniqueLang true ] ;
        sh:property [ sh:path ex:knows ; sh:maxCount 1 ; sh:class ex:Person ; sh:nodeKind sh:IRI ;
                      sh:in ( ex:a ex:c ) ] ;
        sh:property [ sh:path [ sh:inversePath ex:knows ] ; sh:maxCount 0 ; sh:class ex:Student ] ;
        sh:property [ sh:path ex:start ; sh:lessThan ex:end ; sh:disjoint ex:alias ; sh:maxLength 8 ] ;
        sh:property [ sh:path ex:status ; sh:minCount 1 ;
                      sh:or ( [ sh:hasValue ex:Active ] [ sh:hasValue ex:Retired ] ) ] .""",
    "several-on-the-focus-node": """ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:age , ex:name ;
        sh:class ex:Person ; sh:nodeKind sh:IRI ;
        sh:property [ sh:path ex:code ; sh:minCount 1 ; sh:pattern "^[a-z]+-[0-9]+$" ] ;
        sh:property [ sh:path ex:knows ; sh:minCount 1 ; sh:class ex:Agent ] .""",
    "implicit-class-target": "ex:Person a rdfs:Class , sh:NodeShape ; sh:property [ sh:path ex:age ; sh:maxCount 1 ] .",
}


def _store() -> object:
    store = open_store()
    store.load((PREFIXES + PEOPLE).encode(), fmt="turtle", source="people", into=DATA)
    return store


@pytest.mark.parametrize("name", sorted(CASES))
def test_compiled_matches_pyshacl(name: str) -> None:
    shapes = Graph().parse(data=PREFIXES + CASES[name], format="turtle")
    program = compile_shapes(shapes)
    assert program.unsupported == []
    store = _store()
    compiled = validate(store, program, graphs=[DATA])  # type: ignore[arg-type]
    oracle = validate(store, program, graphs=[DATA], engine="pyshacl")  # type: ignore[arg-type]
    assert compiled.rows, "every case breaks its shapes somewhere"
    assert compiled.keys() == oracle.keys()
    assert compiled.conforms == oracle.conforms


def test_incomparable_values_are_violations() -> None:
    """SHACL: a value that cannot be compared with the bound fails (pyshacl orders 5 and a date by type name)."""
    shapes = Graph().parse(data=PREFIXES + """ex:S a sh:NodeShape ; sh:targetNode ex:s ;
        sh:property [ sh:path ex:start ;
        sh:minExclusive "2021-01-01"^^xsd:date ; sh:maxInclusive "2030-01-01"^^xsd:date ] .""", format="turtle")
    store = open_store()
    store.load((PREFIXES + 'ex:s ex:start 5 , "2022-01-01"^^xsd:date .').encode(), fmt="turtle", source="s", into=DATA)
    report = validate(store, shapes, graphs=[DATA])
    assert {(row.value.toPython(), row.component.split("#")[1]) for row in report.rows} == {  # type: ignore[union-attr]
        (5, "MinExclusiveConstraintComponent"), (5, "MaxInclusiveConstraintComponent")}
