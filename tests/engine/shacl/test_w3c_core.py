"""The W3C SHACL Core test suite (../shared/w3c-shacl-core) run through the compiled engine.

Data goes into a named graph of an Oxigraph store and is validated with graphs=[that graph]. The
expected report comes from the manifest; blank nodes (a different parse than the store's) compare by
presence. Tests whose shapes the compiler leaves to pyshacl run too, marked "-fallback" in their id.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
import rdflib
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, XSD, Namespace

from maturity_graph.shacl import compile_shapes, validate
from maturity_graph.shacl.report import rows_of
from maturity_graph.store import open_store
from tests.conftest import SHARED

SUITE = SHARED / "w3c-shacl-core"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = Namespace("http://www.w3.org/ns/shacl-test#")
DATA = URIRef("urn:test:data")
INTEGERS = {XSD.int, XSD.long, XSD.short, XSD.byte, XSD.nonNegativeInteger, XSD.positiveInteger, XSD.negativeInteger,
            XSD.nonPositiveInteger, XSD.unsignedInt, XSD.unsignedLong, XSD.unsignedShort, XSD.unsignedByte}

pytestmark = pytest.mark.skipif(not SUITE.is_dir(), reason=f"the W3C SHACL test suite is absent ({SUITE})")


@dataclass(frozen=True)
class Case:
    name: str
    manifest: Path
    node: URIRef
    data: Path
    shapes: Path


def _file(node: URIRef) -> Path:
    return Path(str(node).removeprefix("file://"))


def _cases() -> list[Case]:
    if not SUITE.is_dir():
        return []
    found, todo = [], [SUITE / "manifest.ttl"]
    while todo:
        path = todo.pop()
        graph = Graph().parse(path, format="turtle")
        todo += [_file(i) for i in graph.objects(None, MF.include)]
        for test in graph.subjects(RDF.type, SHT.Validate):
            if (test, MF.status, SHT.approved) not in graph:
                continue
            action = graph.value(test, MF.action)
            found.append(Case(name=f"{path.parent.name}/{str(test).rsplit('/', 1)[-1]}", manifest=path, node=test,
                              data=_file(graph.value(action, SHT.dataGraph)),
                              shapes=_file(graph.value(action, SHT.shapesGraph))))
    return sorted(found, key=lambda c: c.name)


def _shapes(case: Case) -> Graph:
    """The shapes graph as written: rdflib would read "1"^^xsd:boolean as "true" (uniqueLang-002 tells them apart)."""
    saved = rdflib.NORMALIZE_LITERALS
    rdflib.NORMALIZE_LITERALS = False
    try:
        return Graph().parse(case.shapes, format="turtle")
    finally:
        rdflib.NORMALIZE_LITERALS = saved


def _param(case: Case) -> object:
    shapes = _shapes(case)
    suffix = "-fallback" if compile_shapes(shapes).unsupported else ""
    return pytest.param(case, id=case.name + suffix)


def _canonical(key: tuple[object, ...]) -> tuple[object, ...]:
    """Literals as Oxigraph stores them: well-typed ones by value ("4.0"^^xsd:decimal is kept as "4"), and
    the derived integer types (xsd:byte, xsd:int ...) as xsd:integer, even out of range ("300"^^xsd:byte)."""
    def literal(part: object) -> object:
        if not isinstance(part, Literal) or part.datatype is None:
            return part
        if part.datatype in INTEGERS | {XSD.integer}:
            return ("literal", XSD.integer, str(part))
        datatype = part.datatype
        if part.ill_typed is False and isinstance(part.toPython(), (int, float, Decimal)):
            return ("literal", datatype, part.toPython())
        return ("literal", datatype, str(part))
    return tuple(literal(part) for part in key)


@pytest.mark.parametrize("case", [_param(c) for c in _cases()])
def test_w3c_core(case: Case) -> None:
    manifest = Graph().parse(case.manifest, format="turtle")
    expected_node = manifest.value(case.node, MF.result)
    expected = {_canonical(row.key(bnodes=False)) for row in rows_of(manifest, node=expected_node)}
    shapes = _shapes(case)
    store = open_store()
    # Oxigraph parses the file itself: an rdflib round trip would normalise ill-typed literals away.
    data = f"@base <{case.data.as_uri()}> .\n".encode() + case.data.read_bytes()
    store.load(data, fmt="turtle", source=str(case.data), into=DATA)
    report = validate(store, shapes, graphs=[DATA])
    assert {_canonical(key) for key in report.keys(bnodes=False)} == expected
    assert (not report.rows) == (manifest.value(expected_node, SH.conforms) == Literal(True))
