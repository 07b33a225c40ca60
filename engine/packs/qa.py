"""The content QA queries (ontology/qa/*.rq, shapes/qa/*.rq) as a library call, so packs are checked by the
same queries that gate the bundled content in CI (tests/ontology/test_qa.py runs them there).

Each query is a `SELECT DISTINCT ?entity ?property ?value`, one row per offence, with a header whose first
line names the defect and a `# level: error|warning` line.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from rdflib import URIRef
from rdflib.term import Node

from .. import bundled
from ..errors import ContentError
from ..store.interface import Store

FOLDERS = ("ontology", "shapes")  # the content folders whose qa/ queries check frameworks and shapes
LEVEL = re.compile(r"^# level: (error|warning)$", re.MULTILINE)


@dataclass(frozen=True)
class QaQuery:
    name: str
    folder: str
    level: str
    summary: str  # the header's first line, after the name: what the defect is
    text: str


@dataclass(frozen=True)
class QaRow:
    query: QaQuery
    entity: Node | None
    property: Node | None
    value: Node | None


@cache
def qa_queries() -> tuple[QaQuery, ...]:
    """Every bundled QA query, by folder and name."""
    found = []
    for folder in FOLDERS:
        qa = bundled.content_dir(folder, "qa")
        for node in sorted((n for n in qa.iterdir() if n.name.endswith(".rq")), key=lambda n: n.name):
            text = node.read_text(encoding="utf-8")
            level = LEVEL.search(text)
            if level is None:
                raise ContentError(f"bundled {folder}/qa/{node.name} has no '# level:' line; the installation is "
                                   "broken")
            name = node.name[: -len(".rq")]
            found.append(QaQuery(name, folder, level.group(1), _summary(text, name), text))
    return tuple(found)


def run_qa(store: Store, graphs: dict[str, Sequence[URIRef]]) -> list[QaRow]:
    """The rows of every QA query, each folder's queries over the union of its graphs in `store`."""
    rows = []
    for query in qa_queries():
        answer = store.query(query.text, graphs=graphs[query.folder])
        for entity, prop, value in answer.rows:
            rows.append(QaRow(query, entity, prop, value))
    return rows


def _summary(text: str, name: str) -> str:
    """The header's opening sentence(s), up to "One row:" / "Why:": what the defect is."""
    words = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        line = line.removeprefix("#").strip()
        if not line or line.startswith(("One row:", "Why:", "Runs over:", "level:")):
            break
        words.append(line)
    return " ".join(words).removeprefix(f"{name}:").strip()
