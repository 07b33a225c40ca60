"""check_pack(): a pack (built on the fly) or a built pack, checked like the bundled content.

The bundled content and the pack go into one store, each in its own graph; shapes/core/framework.ttl runs
through the engine's SHACL validator over the vocabulary, the frameworks and the pack, and the QA queries
over what tests/ontology/test_qa.py runs them over, plus the pack. Findings on the pack's nodes are kept
and named by the pack row each node was built from (prov:wasDerivedFrom, written by the builder).

Two checks of the bundled content do not apply to packs (docs/packs.md): concepts are optional in a pack
(a requirement without one takes no part in derived crosswalks), and a pack's threshold is a number its
author states, a reading of a vague quantifier only where its row names one (threshold-reading; the reader
checks that the number is the reading's share).

The pack's crosswalks/*.sssom.tsv are checked as `mgraph crosswalk check` checks them (crosswalks.py), against
the same store; their findings name the file and line.
"""
from __future__ import annotations

import re
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from .. import bundled
from ..crosswalk.check import Finding
from ..errors import InputError
from ..shacl import compile_shapes, validate
from ..store import open_store
from ..store.interface import Store
from .build import build_pack
from .crosswalks import check_pack_crosswalks
from .qa import run_qa
from .reader import is_built, is_pack

GRAPH = Namespace("https://w3id.org/maturity-graph/graph/pack-check/")
MODEL, VOCABULARY, FRAMEWORKS, SHAPES = GRAPH.model, GRAPH.vocabulary, GRAPH.frameworks, GRAPH.shapes
PACK_FRAMEWORK, PACK_SHAPES = GRAPH["pack-framework"], GRAPH["pack-shapes"]
MMSH = Namespace("https://w3id.org/maturity-graph/shapes/core/")
# (check, property) pairs that do not apply to a pack's nodes, and why (docs/packs.md says the same).
NOT_FOR_PACKS = {
    ("requirement-without-concept", None): "concepts are optional in a pack",
    ("threshold-reading", None): "a pack's threshold is its author's number unless its row names a reading",
    ("Requirement-concept", str(SH.MinCountConstraintComponent)): "concepts are optional in a pack",
}


@dataclass(frozen=True)
class PackFinding:
    """One offence on a node of the pack: which check, the node, and the pack rows it was built from."""

    check: str  # a QA query's name, or a shape of shapes/core/framework.ttl (shape:<name>)
    level: str
    node: str
    property: str | None
    value: str | None
    message: str
    rows: tuple[str, ...]  # "requirements.csv row 7"
    file: str | None = None  # a finding in a crosswalk file of the pack: the file, and its line
    line: int | None = None

    def sentence(self) -> str:
        """One line: the pack rows (or the node), the check, what it says, and the node's local name; for a
        crosswalk finding, the file and line, the check and what it says (which names the elements)."""
        if self.file is not None:
            where = f"{self.file}:{self.line}" if self.line is not None else self.file
            return f"{where}: {self.check}: {self.message}"
        where = "; ".join(self.rows) if self.rows else self.node
        local = re.split(r"[/#]", self.node)[-1] or self.node
        value = f" = {re.split(r'[/#]', self.value)[-1]}" if self.value else ""
        return f"{where}: {self.check} on {local}{value}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {"check": self.check, "level": self.level, "node": self.node, "property": self.property,
                "value": self.value, "message": self.message, "rows": list(self.rows), "file": self.file,
                "line": self.line}


@dataclass(frozen=True)
class PackCheck:
    path: Path
    framework_files: tuple[Path, ...]
    findings: tuple[PackFinding, ...]

    @property
    def ok(self) -> bool:
        return not any(f.level == "error" for f in self.findings)


def check_pack(path: str | Path) -> PackCheck:
    """Check a pack folder (built into a temporary folder first) or a built pack; InputError if it is neither."""
    folder = Path(path)
    if is_pack(folder):
        with tempfile.TemporaryDirectory(prefix="mgraph-pack-") as scratch:
            built = build_pack(folder, Path(scratch) / "built")
            found = _check_built(built.path, built.pack.crosswalks)
            return PackCheck(folder, (built.pack.sheet,), found)
    if is_built(folder):
        crosswalks = tuple(sorted((folder / "crosswalks").glob("*.sssom.tsv")))
        return PackCheck(folder, tuple(sorted((folder / "ontology" / "frameworks").glob("*.ttl"))),
                         _check_built(folder, crosswalks))
    raise InputError("neither a framework pack (a folder with framework.yaml) nor a built pack (a folder with "
                     "ontology/frameworks/*.ttl)", path=folder)


def _check_built(folder: Path, crosswalks: tuple[Path, ...]) -> tuple[PackFinding, ...]:
    """The findings on the built pack in `folder`, then those on its crosswalk files (the pack's own paths)."""
    with _store(folder) as store:
        shapes = compile_shapes(Graph().parse(
            data=bundled.content_dir("shapes", "core", "framework.ttl").read_text(encoding="utf-8"), format="turtle"))
        report = validate(store, shapes, graphs=[MODEL, FRAMEWORKS, PACK_FRAMEWORK])
        qa = run_qa(store, {"ontology": [MODEL, VOCABULARY, FRAMEWORKS, PACK_FRAMEWORK],
                            "shapes": [SHAPES, FRAMEWORKS, PACK_FRAMEWORK, PACK_SHAPES]})
        ours = {row[0] for row in store.query(_query("pack-subjects.rq"), graphs=[PACK_FRAMEWORK, PACK_SHAPES]).rows}
        rows: dict[Node, list[str]] = defaultdict(list)
        for entity, document, number in store.query(_query("pack-rows.rq"),
                                                     graphs=[PACK_FRAMEWORK, PACK_SHAPES]).rows:
            if entity is not None:
                rows[entity].append(f"{document} row {number}")
        mapped = check_pack_crosswalks(store, [MODEL, FRAMEWORKS, PACK_FRAMEWORK], crosswalks)
    findings = []
    for result in report.rows:
        name = _local(result.source_shape)
        if result.focus not in ours or (name, str(result.component)) in NOT_FOR_PACKS:
            continue
        findings.append(PackFinding(
            check=f"shape:{name}", level="error" if result.severity == SH.Violation else "warning",
            node=str(result.focus), property=_text(result.path if isinstance(result.path, URIRef) else None),
            value=_text(result.value), message=result.message or "breaks shapes/core/framework.ttl",
            rows=_rows_of(rows, result.focus)))
    for row in qa:
        if row.entity not in ours or (row.query.name, None) in NOT_FOR_PACKS:
            continue
        findings.append(PackFinding(
            check=row.query.name, level=row.query.level, node=str(row.entity), property=_text(row.property),
            value=_text(row.value), message=row.query.summary, rows=_rows_of(rows, row.entity)))
    content = sorted(set(findings), key=lambda f: (f.rows, f.node, f.check, f.property or "", f.value or ""))
    return (*content, *(_crosswalk_finding(f) for f in mapped))


def _crosswalk_finding(finding: Finding) -> PackFinding:
    """A finding of the crosswalk checks (already sorted by file and line) as one of the pack check."""
    return PackFinding(check=f"crosswalk:{finding.rule or 'mapping'}", level=finding.severity,
                       node=finding.mapping or finding.file or "", property=None, value=finding.node,
                       message=finding.message, rows=(), file=finding.file, line=finding.line)


@contextmanager
def _store(folder: Path) -> Iterator[Store]:
    """The bundled content and the built pack in one in-memory store, a graph for each part. A built file named as
    a bundled one replaces it (a rebuild of a bundled model, such as ontology/packs/samm, is checked in its place)."""
    replaced = {path.stem for path in (folder / "ontology" / "frameworks").glob("*.ttl")}
    store = open_store()
    try:
        for name in ("mm.ttl", "concepts.ttl"):
            _load_bundled(store, MODEL, bundled.content_dir("ontology", name), f"ontology/{name}")
        for node in bundled.turtle_files("ontology"):
            if node.name not in ("mm.ttl", "concepts.ttl"):
                _load_bundled(store, VOCABULARY, node, f"ontology/{node.name}")
        for node in bundled.turtle_files("ontology", "frameworks"):
            if node.name.removesuffix(".ttl") not in replaced:
                _load_bundled(store, FRAMEWORKS, node, f"ontology/frameworks/{node.name}")
        for name, node in _shape_files(bundled.content_dir("shapes"), "shapes"):
            if name.split("/")[1] not in replaced:
                _load_bundled(store, SHAPES, node, name)
        for path in sorted((folder / "ontology" / "frameworks").glob("*.ttl")):
            store.load(path, fmt="turtle", source=str(path), into=PACK_FRAMEWORK)
        for path in sorted((folder / "shapes").rglob("*.ttl")) if (folder / "shapes").is_dir() else ():
            store.load(path, fmt="turtle", source=str(path), into=PACK_SHAPES)
        yield store
    finally:
        store.close()


def _load_bundled(store: Store, graph: URIRef, node: Traversable, name: str) -> None:
    store.load(node.read_bytes(), fmt="turtle", source=name, into=graph)


def _shape_files(folder: Traversable, name: str) -> Iterator[tuple[str, Traversable]]:
    for node in sorted(folder.iterdir(), key=lambda n: n.name):
        if node.is_dir():
            yield from _shape_files(node, f"{name}/{node.name}")
        elif node.name.endswith(".ttl"):
            yield f"{name}/{node.name}", node


def _query(name: str) -> str:
    return bundled.query_text(__package__, name)


def _rows_of(rows: dict[Node, list[str]], node: Node | None) -> tuple[str, ...]:
    if node is None:
        return ()
    return tuple(sorted(set(rows.get(node, ())), key=lambda r: (r.rsplit(" ", 1)[0], int(r.rsplit(" ", 1)[1]))))


def _local(node: Node) -> str:
    text = str(node)
    return text[len(str(MMSH)):] if text.startswith(str(MMSH)) else text


def _text(node: Node | None) -> str | None:
    if node is None:
        return None
    return str(node)

