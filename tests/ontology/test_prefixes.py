"""One prefix table: ontology/prefixes.ttl.

Every Turtle file in ontology/, shapes/ and examples/ (recursively), and every QA query in
ontology/qa/ and shapes/qa/, declares only prefixes listed in ontology/prefixes.ttl, binds
each to the IRI given there, declares only prefixes it uses, and parses.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph

ROOT = Path(__file__).parents[2]
TABLE = ROOT / "ontology" / "prefixes.ttl"

# @prefix ex: <...> .   (Turtle)   and   PREFIX ex: <...>   (SPARQL style, also valid Turtle)
DECLARATION = re.compile(r"^\s*(?:@prefix|PREFIX)\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.MULTILINE | re.IGNORECASE)


def declarations(path: Path) -> list[tuple[str, str]]:
    return DECLARATION.findall(path.read_text(encoding="utf-8"))


def table() -> dict[str, str]:
    return dict(declarations(TABLE))


def turtle_files() -> list[Path]:
    found: list[Path] = []
    for top in ("ontology", "shapes", "examples"):
        found += sorted((ROOT / top).rglob("*.ttl"))
    return found


def query_files() -> list[Path]:
    return sorted((ROOT / "ontology" / "qa").glob("*.rq")) + sorted((ROOT / "shapes" / "qa").glob("*.rq"))


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_prefix_table_is_one_to_one():
    pairs = declarations(TABLE)
    assert len(pairs) >= 10
    names = [name for name, _ in pairs]
    iris = [iri for _, iri in pairs]
    assert len(names) == len(set(names)), "a prefix is listed twice in prefixes.ttl"
    assert len(iris) == len(set(iris)), "two prefixes share an IRI in prefixes.ttl"
    assert all(iri.startswith(("https://", "http://")) for iri in iris)


def test_there_are_files():
    assert len(turtle_files()) >= 8


@pytest.mark.parametrize("path", turtle_files() + query_files(), ids=_rel)
def test_prefixes_come_from_the_table(path):
    known = table()
    for name, iri in declarations(path):
        assert name in known, f"{_rel(path)}: prefix {name}: is not in ontology/prefixes.ttl"
        assert iri == known[name], f"{_rel(path)}: {name}: is bound to <{iri}>, prefixes.ttl says <{known[name]}>"


@pytest.mark.parametrize("path", [p for p in turtle_files() + query_files() if p != TABLE], ids=_rel)
def test_prefixes_are_declared_once_and_used(path):
    names = [name for name, _ in declarations(path)]
    assert len(names) == len(set(names)), f"{_rel(path)}: a prefix is declared twice"
    body = DECLARATION.sub("", path.read_text(encoding="utf-8"))
    unused = [name for name in names if not re.search(rf"(?<![\w.:/#-]){re.escape(name)}:", body)]
    assert not unused, f"{_rel(path)}: declares prefixes it does not use: {unused}"


@pytest.mark.parametrize("path", turtle_files(), ids=_rel)
def test_file_parses(path):
    graph = Graph()
    graph.parse(path, format="turtle")
    if path != TABLE:
        assert len(graph) > 0, f"{_rel(path)} holds no triples"
