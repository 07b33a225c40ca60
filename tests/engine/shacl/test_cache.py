"""Compiled programs kept on disk: a second process reads them instead of parsing and compiling the shapes."""
from __future__ import annotations

import json
import os
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import SH

from benchmarks.estate import build_estate
from maturity_graph import bundled, load_catalogue
from maturity_graph.assessment import pipeline
from maturity_graph.assessment.requirements import _program
from maturity_graph.assessment.thresholds import ThresholdValue
from maturity_graph.run import Run
from maturity_graph.shacl import ShapesProgram, compile_shapes, validate
from maturity_graph.shacl import cache as cache_module
from maturity_graph.shacl.cache import cache_dir, cached_program, code_digest, program_key
from maturity_graph.shacl.encoding import EncodingError, decode_program, decode_term, encode_program, encode_term
from maturity_graph.store import open_store
from maturity_graph.validate.wellformed import wellformedness_shapes
from tests.conftest import REPO

EXAMPLES = int(os.environ.get("MGRAPH_FUZZ_EXAMPLES", "40"))
DATA = URIRef("urn:test:data")
INTEGER = URIRef("http://www.w3.org/2001/XMLSchema#integer")
SHAPES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <https://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:ThingShape a sh:NodeShape ; sh:targetClass ex:Thing ; sh:message "a thing is incomplete"@en ;
    sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:datatype xsd:string ; sh:message "name it" ] ;
    sh:property [ sh:path ( ex:part ex:size ) ; sh:minInclusive 2.5 ; sh:severity sh:Warning ] ;
    sh:property [ sh:path [ sh:alternativePath ( ex:left [ sh:inversePath ex:right ] ) ] ; sh:maxCount 1 ] ;
    sh:property [ sh:path [ sh:oneOrMorePath ex:next ] ; sh:class ex:Thing ] .
ex:Named a sh:NodeShape ; sh:targetNode ex:a , ex:b ; sh:nodeKind sh:BlankNode ; sh:severity sh:Info ;
    sh:property [ sh:path ex:label ; sh:in ( "x" "y"@en 3 ) ; sh:pattern "^[xy]" ] .
"""
DATA_TTL = b"""@prefix ex: <https://example.org/> .
ex:t1 a ex:Thing ; ex:part [ ex:size 1 ] ; ex:left ex:x , ex:y ; ex:next ex:n1 .
ex:t2 a ex:Thing ; ex:name 5 ; ex:part [ ex:size 3 ] . ex:z ex:right ex:t2 . ex:w ex:right ex:t2 .
ex:a ex:label "z" , "y"@en . ex:b ex:label 4 .
"""
# A SPARQL constraint that does not project $this: the compiler leaves it to pyshacl.
FALLBACK = """@prefix sh: <http://www.w3.org/ns/shacl#> .
ex:Sparql a sh:NodeShape ; sh:targetClass ex:Thing ;
    sh:sparql [ sh:select "SELECT ?value WHERE { $this <https://example.org/name> ?value }" ] .
"""


class Counted:
    """compile_shapes and the graph builder, counted: a cache hit calls neither."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, shapes: Path) -> None:
        self.compiles = 0
        self.builds = 0
        self.shapes = shapes

        def counting(graph: Graph) -> ShapesProgram:
            self.compiles += 1
            return compile_shapes(graph)
        monkeypatch.setattr(cache_module, "compile_shapes", counting)

    def build(self) -> Graph:
        self.builds += 1
        return Graph().parse(self.shapes, format="turtle")

    def program(self, settings: list[str] | None = None) -> ShapesProgram:
        return cached_program([self.shapes], self.build, settings=settings or [])


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("MGRAPH_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def counted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Counted:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(SHAPES, encoding="utf-8")
    return Counted(monkeypatch, shapes)


def _entries(folder: Path) -> list[Path]:
    return sorted((folder / "shacl").glob("*.json"))


def _store() -> object:
    store = open_store()
    store.load(DATA_TTL, fmt="turtle", source="things", into=DATA)
    return store


def test_second_compile_reads_the_cache(cache: Path, counted: Counted) -> None:
    fresh = counted.program()
    assert (counted.compiles, counted.builds, len(_entries(cache))) == (1, 1, 1)
    cached = counted.program()
    assert (counted.compiles, counted.builds) == (1, 1)  # nothing parsed, nothing compiled
    assert cached.graph is None
    assert encode_program(cached) == encode_program(fresh)
    store = _store()
    expected = validate(store, fresh, graphs=[DATA])  # type: ignore[arg-type]
    report = validate(store, cached, graphs=[DATA])  # type: ignore[arg-type]
    assert report.rows == expected.rows  # blank-node shapes, paths, severities and messages included
    assert {type(row.source_shape) for row in report.rows} == {URIRef, BNode}
    assert {row.severity for row in report.rows} == {SH.Violation, SH.Warning, SH.Info}
    assert ("sequence", (URIRef("https://example.org/part"), URIRef("https://example.org/size"))) in {
        row.path for row in report.rows}
    assert "name it" in {row.message for row in report.rows}
    assert counted.builds == 1


def test_pyshacl_builds_the_shapes_graph_only_when_asked(cache: Path, counted: Counted) -> None:
    counted.program()
    cached = counted.program()
    store = _store()
    compiled = validate(store, cached, graphs=[DATA])  # type: ignore[arg-type]
    assert counted.builds == 1
    oracle = validate(store, cached, graphs=[DATA], engine="pyshacl")  # type: ignore[arg-type]
    assert counted.builds == 2 and cached.graph is not None
    assert compiled.keys(bnodes=False) == oracle.keys(bnodes=False) and compiled.rows


def test_fallback_shapes_of_a_cached_program_run_through_pyshacl(cache: Path, counted: Counted) -> None:
    counted.shapes.write_text(SHAPES + FALLBACK, encoding="utf-8")
    fresh = counted.program()
    cached = counted.program()
    assert counted.compiles == 1 and cached.unsupported == fresh.unsupported != []
    store = _store()
    expected = validate(store, fresh, graphs=[DATA])  # type: ignore[arg-type]
    report = validate(store, cached, graphs=[DATA])  # type: ignore[arg-type]
    assert counted.builds == 2  # the fallback needs the graph
    assert report.keys(bnodes=False) == expected.keys(bnodes=False)
    assert SH.SPARQLConstraintComponent in {row.component for row in report.rows}


def test_blank_node_fallback_shapes_are_not_stored(cache: Path, counted: Counted) -> None:
    """pyshacl would run them on a graph built anew, where their blank nodes have other ids."""
    counted.shapes.write_text(SHAPES + FALLBACK.replace("ex:Sparql", "[]"), encoding="utf-8")
    program = counted.program()
    assert isinstance(program.fallback[0].node, BNode)
    counted.program()
    assert counted.compiles == 2 and _entries(cache) == []


def test_key_follows_the_shape_bytes_and_the_settings(cache: Path, counted: Counted) -> None:
    first = program_key([counted.shapes])
    assert program_key([counted.shapes]) == first
    assert program_key([counted.shapes], ["ex:S sh:minInclusive 3"]) != first
    before = counted.program()
    counted.program(["ex:S sh:minInclusive 3"])
    assert counted.compiles == 2 and len(_entries(cache)) == 2
    counted.shapes.write_text(SHAPES.replace("2.5", "4.5"), encoding="utf-8")
    assert program_key([counted.shapes]) != first
    after = counted.program()
    assert counted.compiles == 3
    assert any("2.5" in q.text for g in before.groups for q in g.queries)
    assert not any("2.5" in q.text for g in after.groups for q in g.queries)
    assert any("4.5" in q.text for g in after.groups for q in g.queries)


def test_key_follows_the_package_code(tmp_path: Path) -> None:
    """The compiler's code, and the code that builds the graphs it compiles (thresholds, the catalogue), key it."""
    package = Path(cache_module.__file__).parent.parent
    copy = tmp_path / "maturity_graph"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__", "*.ttl", "*.tsv"))
    assert code_digest(copy) == cache_module.own_code()
    fragments = copy / "shacl" / "constraints.rq"
    fragments.write_text(fragments.read_text() + "\n#@ extra\n{}\n")
    assert code_digest(copy) != cache_module.own_code()
    fragments.write_text((package / "shacl" / "constraints.rq").read_text())
    thresholds = copy / "assessment" / "thresholds.py"
    thresholds.write_text(thresholds.read_text() + "\n# changed\n")
    assert code_digest(copy) != cache_module.own_code()


@pytest.mark.parametrize("damage", [b"", b"{\"format\": ", b"\xff\xfe not json", b"[1, 2, 3]", b"null"])
def test_corrupt_or_truncated_entry_is_ignored_and_rewritten(cache: Path, counted: Counted, damage: bytes) -> None:
    counted.program()
    (entry,) = _entries(cache)
    good = entry.read_bytes()
    entry.write_bytes(damage if damage else good[: len(good) // 2])
    assert cache_module.read_program(entry, entry.stem) is None
    program = counted.program()
    assert counted.compiles == 2 and program.query_count > 0
    rewritten = cache_module.read_program(entry, entry.stem)  # blank-node ids are those of the new compile
    assert rewritten is not None and rewritten.query_count == program.query_count
    counted.program()
    assert counted.compiles == 2


def test_entry_of_another_key_or_format_is_ignored(cache: Path, counted: Counted) -> None:
    counted.program()
    (entry,) = _entries(cache)
    data = json.loads(entry.read_bytes())
    for change in ({"key": "0" * 64}, {"format": "something else"}):
        entry.write_text(json.dumps({**data, **change}), encoding="utf-8")
        counted.program()
    assert counted.compiles == 3
    broken = {**data, "program": {**data["program"], "groups": [{"members": [[99]], "queries": []}]}}
    entry.write_text(json.dumps(broken), encoding="utf-8")
    counted.program()
    assert counted.compiles == 4 and cache_module.read_program(entry, entry.stem) is not None
    counted.program()
    assert counted.compiles == 4


def test_unwritable_cache_folder_only_costs_the_compile(tmp_path: Path, counted: Counted,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("MGRAPH_CACHE_DIR", str(blocker / "cache"))  # cannot be made, even as root
    first, second = counted.program(), counted.program()
    assert counted.compiles == 2 and first.query_count == second.query_count > 0
    assert not (blocker / "cache").exists() and not list(tmp_path.glob("**/*.tmp"))


def test_cache_off(tmp_path: Path, counted: Counted, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MGRAPH_CACHE_DIR", "off")
    monkeypatch.chdir(tmp_path)
    assert cache_dir() is None
    counted.program()
    counted.program()
    assert counted.compiles == 2 and not (tmp_path / "off").exists()


def test_cache_location(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MGRAPH_CACHE_DIR", str(tmp_path / "mine"))
    assert cache_dir() == tmp_path / "mine"
    monkeypatch.delenv("MGRAPH_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "maturity-graph"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_dir() == tmp_path / "home" / ".cache" / "maturity-graph"


def test_terms_and_paths_survive_the_round_trip() -> None:
    graph = Graph().parse(data=SHAPES, format="turtle")
    program = compile_shapes(graph)
    data = json.loads(json.dumps(encode_program(program)))
    again = decode_program(data)
    assert encode_program(again) == data
    fresh = [s for g in program.groups for m in g.members for s in m.positions]
    read = [s for g in again.groups for m in g.members for s in m.positions]
    assert [(s.node, s.path, s.severity, s.messages) for s in read] == [
        (s.node, s.path, s.severity, s.messages) for s in fresh]
    assert again.classes == program.classes and again.class_targets == program.class_targets
    assert [(q.text, q.position, q.component, q.tagged) for g in again.groups for q in g.queries] == [
        (q.text, q.position, q.component, q.tagged) for g in program.groups for q in g.queries]
    for term in (Literal("y", lang="en"), Literal("3", datatype=INTEGER), Literal("plain"), BNode("b0"),
                 URIRef("https://example.org/é")):
        back = decode_term(json.loads(json.dumps(encode_term(term))))
        assert back == term and type(back) is type(term)
        if isinstance(term, Literal):
            assert (back.datatype, back.language) == (term.datatype, term.language)  # type: ignore[union-attr]


JSON = st.recursive(st.none() | st.booleans() | st.integers(-3, 3) | st.sampled_from(["i", "b", "l", "p", "x"]),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
                        st.sampled_from(["shapes", "groups", "classes", "class_targets", "fallback", "unsupported",
                                         "members", "queries", "node", "path", "severity", "messages"]),
                        inner, max_size=6), max_leaves=30)


@settings(max_examples=EXAMPLES, deadline=None)
@given(JSON)
def test_decoding_foreign_data_raises_only_encoding_error(data: object) -> None:
    try:
        program = decode_program(data)
    except EncodingError:
        return
    assert isinstance(program, ShapesProgram)


def _clear_process_caches() -> None:
    _program.cache_clear()
    wellformedness_shapes.cache_clear()


@pytest.mark.parametrize("example", ["northwind", "estate"])
def test_cached_programs_assess_like_fresh_ones(example: str, cache: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A whole assessment from a cold cache and from a warm one (compiling nothing) agree to the byte."""
    if example == "northwind":
        evidence = sorted((REPO / "examples" / "northwind-devices").glob("*.ttl"))
    else:
        evidence = [build_estate(1_500, tmp_path).path]
    compiles = []
    original = cache_module.compile_shapes
    monkeypatch.setattr(cache_module, "compile_shapes", lambda g: compiles.append(1) or original(g))
    catalogue = load_catalogue()
    _clear_process_caches()
    try:
        cold = pipeline.assess(evidence, catalogue=catalogue).as_dict()
        assert len(compiles) >= 2 and len(_entries(cache)) == len(compiles)
        _clear_process_caches()
        warm = pipeline.assess(evidence, catalogue=catalogue).as_dict()
    finally:
        _clear_process_caches()
    assert len(compiles) == len(_entries(cache))
    assert json.dumps(warm, sort_keys=True, default=str) == json.dumps(cold, sort_keys=True, default=str)


def test_cached_requirement_programs_report_like_fresh_ones(cache: Path) -> None:
    """Every framework's program read back gives the very rows of the program it was written from."""
    catalogue = load_catalogue()
    run = Run.open(sorted((REPO / "examples" / "northwind-devices").glob("*.ttl")), catalogue=catalogue)
    try:
        for framework in (catalogue.get(name) for name in catalogue.ids()):
            files = [bundled.content_dir("shapes", "core", "supporting-evidence.ttl"),
                     *bundled.turtle_files("shapes", framework.id)]
            fresh = cached_program(files, lambda fw=framework: catalogue.shapes_graph(fw))
            cached = cached_program(files, lambda: pytest.fail("a hit builds no graph"))
            assert cached.graph is None and cached.query_count == fresh.query_count > 0
            expected = validate(run.store, fresh, graphs=run.data_graphs)
            report = validate(run.store, cached, graphs=run.data_graphs)
            assert report.rows == expected.rows and report.rows
    finally:
        run.close()


def test_requirement_programs_are_keyed_by_threshold_overrides(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An organisation's threshold is written into the shapes before compiling: its own entry, its own query."""
    compiles = []
    original = cache_module.compile_shapes
    monkeypatch.setattr(cache_module, "compile_shapes", lambda g: compiles.append(1) or original(g))
    catalogue = load_catalogue()
    ztmm = catalogue.get("ztmm")
    shape = URIRef("https://w3id.org/maturity-graph/shapes/ztmm/2.0/applications-workloads-application-threat-"
                   "protections-initial-r1-value")
    assert (shape, SH.minInclusive, None) in catalogue.shapes_graph(ztmm)
    override = ThresholdValue("ZTMM-AW-ATP-I-1-T", URIRef("urn:test:threshold"), URIRef("urn:test:requirement"),
                              Decimal("0.625"), Decimal("1.0"), False, True, shape)
    _clear_process_caches()
    try:
        default, own = _program(catalogue, ztmm, ()), _program(catalogue, ztmm, (override,))
        assert len(compiles) == 2 and len(_entries(cache)) == 2
        _clear_process_caches()
        again = _program(catalogue, ztmm, (override,))
        assert len(compiles) == 2 and again.graph is None
    finally:
        _clear_process_caches()
    assert any("0.625" in q.text for g in own.groups for q in g.queries)
    assert not any("0.625" in q.text for g in default.groups for q in g.queries)
    assert [q.text for g in again.groups for q in g.queries] == [q.text for g in own.groups for q in g.queries]
