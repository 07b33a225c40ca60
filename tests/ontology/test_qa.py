"""QA queries (D3FEND style): ontology/qa/*.rq and shapes/qa/*.rq.

Each query is a ``SELECT DISTINCT ?entity ?property ?value`` that returns one row per
offence. Every query runs on both rdflib and pyoxigraph, so they stay standard SPARQL 1.1:

- over the bundled content, where a query of level error must return zero rows;
- over tests/data/qa/base-framework.ttl (+ base-shapes.ttl for shapes/qa), a small
  well-formed framework, where every query must return zero rows;
- over that base plus tests/data/qa/<query-name>.ttl, which plants exactly that query's
  defect: the query must fire, and no other query of its folder may. A check that cannot
  fail is not a check.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

ROOT = Path(__file__).parents[2]
DATA = ROOT / "tests" / "data" / "qa"

# folder of queries -> what they run over
KINDS = ("ontology", "shapes")
QUERY_DIRS = {"ontology": ROOT / "ontology" / "qa", "shapes": ROOT / "shapes" / "qa"}
BASE_FILES = {
    "ontology": (DATA / "base-framework.ttl",),
    "shapes": (DATA / "base-framework.ttl", DATA / "base-shapes.ttl"),
}
ENGINES = ("rdflib", "oxigraph")

HEADER_SELECT = re.compile(r"^SELECT DISTINCT \?entity \?property \?value\b", re.MULTILINE)
HEADER_LEVEL = re.compile(r"^# level: (error|warning)$", re.MULTILINE)


def _frameworks() -> list[Path]:
    return sorted((ROOT / "ontology" / "frameworks").glob("*.ttl"))


def bundled_files(kind: str) -> tuple[Path, ...]:
    """What the queries of one folder run over in CI."""
    if kind == "ontology":
        return (*sorted((ROOT / "ontology").glob("*.ttl")), *_frameworks())
    return (*sorted((ROOT / "shapes").rglob("*.ttl")), *_frameworks())


def queries() -> list[tuple[str, Path]]:
    return [(kind, q) for kind in KINDS for q in sorted(QUERY_DIRS[kind].glob("*.rq"))]


def _id(item: tuple[str, Path]) -> str:
    kind, query = item
    return f"{kind}/{query.stem}"


def level(query: Path) -> str:
    match = HEADER_LEVEL.search(query.read_text(encoding="utf-8"))
    assert match, f"{query.relative_to(ROOT)}: header has no '# level: error|warning' line"
    return match.group(1)


@cache
def _rdflib_graph(files: tuple[Path, ...]) -> Graph:
    graph = Graph()
    for path in files:
        graph.parse(path, format="turtle")
    return graph


@cache
def _oxigraph_store(files: tuple[Path, ...]) -> ox.Store:
    store = ox.Store()
    for path in files:
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    return store


def run(engine: str, query: Path, files: Iterable[Path]) -> list[tuple[str | None, ...]]:
    """Rows of one query over some Turtle files, each row (entity, property, value) as text."""
    files = tuple(files)
    text = query.read_text(encoding="utf-8")
    if engine == "rdflib":
        result = _rdflib_graph(files).query(text)
        return sorted(tuple(None if t is None else t.n3() for t in row) for row in result)
    solutions = _oxigraph_store(files).query(text)
    names = [v.value for v in solutions.variables]
    assert names == ["entity", "property", "value"], f"{query.name} projects {names}"
    return sorted(tuple(None if s[n] is None else str(s[n]) for n in names) for s in solutions)


def _show(rows: list[tuple]) -> str:
    return "\n".join("  " + "  ".join(str(c) for c in row) for row in rows)


def test_there_are_queries():
    assert len(queries()) >= 16


@pytest.mark.parametrize("item", queries(), ids=_id)
def test_query_header(item):
    kind, query = item
    text = query.read_text(encoding="utf-8")
    assert text.startswith("# "), f"{query.name}: must open with a comment header"
    assert HEADER_SELECT.search(text), f"{query.name}: must be SELECT DISTINCT ?entity ?property ?value"
    assert level(query)
    assert re.search(r"^# Why: ", text, re.MULTILINE), f"{query.name}: header must say why the rule exists"
    assert "SERVICE" not in text.upper().replace("# ", ""), f"{query.name}: no SERVICE"


def test_every_query_has_a_fixture():
    """A check that cannot fail is not a check (STYLE.md (a), completeness test 3)."""
    missing = [_id(item) for item in queries() if not (DATA / f"{item[1].stem}.ttl").is_file()]
    assert not missing, f"QA queries without a fixture in tests/data/qa/: {missing}"
    stems = [q.stem for _, q in queries()]
    assert len(stems) == len(set(stems)), "QA query names must be unique across ontology/qa and shapes/qa"


def test_every_fixture_has_a_query():
    stems = {q.stem for _, q in queries()} | {"base-framework", "base-shapes"}
    stray = sorted(p.name for p in DATA.glob("*.ttl") if p.stem not in stems)
    assert not stray, f"fixtures without a query: {stray}"


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("item", queries(), ids=_id)
def test_bundled_content_passes(item, engine):
    kind, query = item
    rows = run(engine, query, bundled_files(kind))
    if level(query) == "error":
        assert not rows, f"{_id(item)} found {len(rows)} offence(s):\n{_show(rows)}"


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("item", queries(), ids=_id)
def test_base_fixture_passes(item, engine):
    kind, query = item
    rows = run(engine, query, BASE_FILES[kind])
    assert not rows, f"{_id(item)} fires on the clean base fixture:\n{_show(rows)}"


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("item", queries(), ids=_id)
def test_fixture_fires_its_query_only(item, engine):
    kind, query = item
    files = (*BASE_FILES[kind], DATA / f"{query.stem}.ttl")
    rows = run(engine, query, files)
    assert rows, f"{_id(item)} does not fire on its fixture {query.stem}.ttl"
    others = {
        other.stem: found
        for other_kind, other in queries()
        if other_kind == kind and other != query
        if (found := run(engine, other, files))
    }
    assert not others, f"{query.stem}.ttl also trips other checks:\n{others}"


@pytest.mark.parametrize("engine", ENGINES)
def test_unpublished_cell_is_not_an_empty_criterion(engine):
    """A criterion with an mm:gap for a cell the source does not publish (CTEMMM's missing
    Level 5 texts) has neither requirements nor mm:isBaseline, and is not an offence."""
    query = QUERY_DIRS["ontology"] / "criterion-without-requirements.rq"
    files = (*BASE_FILES["ontology"], DATA / "shacl" / "criterion-unpublished.ttl")
    assert not run(engine, query, files)
