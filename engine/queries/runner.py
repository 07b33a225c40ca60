"""The read-only query service behind `mgraph query`: frameworks, curated crosswalks, evidence and
the results derived from it. Every query given here (named ones too) is checked (safety.py) and
run in the sandbox (sandbox.py), within a time, row and memory budget."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from ..assessment.pipeline import assess_run, frameworks_in_scope
from ..catalogue import Catalogue, load_catalogue
from ..crosswalk.sssom import bundled_mapping_sets, mappings_graph
from ..errors import InputError, QueryRejected
from ..namespaces import CONTENT_GRAPH, RESULTS_GRAPH
from ..prefixes import prefix_map
from ..run import Run
from ..store import QueryResult, open_store
from .safety import check_read_only
from .sandbox import QueryLimits, run_sandboxed

PARAM_LINE = re.compile(r"^#\s*param:\s*(\w+)\s+(\S+)\s+(.*?)\s*$", re.MULTILINE)
XSD_TYPES = {"xsd:integer": XSD.integer, "xsd:date": XSD.date, "xsd:string": XSD.string, "xsd:decimal": XSD.decimal}


@dataclass(frozen=True)
class NamedQuery:
    """A bundled query: its name, the first line of its header, its text and declared parameters."""

    name: str
    description: str
    text: str
    params: Mapping[str, tuple[str, str]] = field(default_factory=dict)


@lru_cache(maxsize=1)
def named_queries() -> dict[str, NamedQuery]:
    found = {}
    for node in sorted(resources.files(__package__).iterdir(), key=lambda n: n.name):
        if not node.name.endswith(".rq"):
            continue
        text = node.read_text(encoding="utf-8")
        header = []
        for line in text.splitlines():
            if not line.startswith("#") or line.lstrip("# ").startswith("Run by"):
                break
            header.append(line.lstrip("# ").strip())
        first = " ".join(header).split(": ", 1)[0].split(". ", 1)[0].rstrip(".")
        params = {m.group(1): (m.group(2), m.group(3)) for m in PARAM_LINE.finditer(text)}
        name = node.name[: -len(".rq")]
        found[name] = NamedQuery(name=name, description=first, text=text, params=params)
    return found


def named_query(name: str) -> NamedQuery:
    queries = named_queries()
    if name not in queries:
        raise InputError(f"no named query {name!r}; named queries: {', '.join(queries)}")
    return queries[name]


def _typed(name: str, value: str, datatype: str | None) -> Node:
    if datatype in XSD_TYPES:
        literal = Literal(value, datatype=XSD_TYPES[datatype])
        if getattr(literal, "ill_typed", False):
            raise InputError(f"parameter {name}: {value!r} is not a valid {datatype}")
        return literal
    if value.startswith("<") and value.endswith(">"):
        try:
            ox.NamedNode(value[1:-1])
        except ValueError as err:
            raise InputError(f"parameter {name}: {value!r} is not an absolute IRI ({err})") from None
        return URIRef(value[1:-1])
    if re.fullmatch(r"-?\d+", value):
        return Literal(int(value))
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return _typed(name, value, "xsd:date")
    return Literal(value)


def run_query(
    text: str,
    *,
    evidence: Iterable[str | Path] = (),
    frameworks: list[str] | None = None,
    as_of: dt.date | None = None,
    params: Mapping[str, str] | None = None,
    declared: Mapping[str, tuple[str, str]] | None = None,
    catalogue: Catalogue | None = None,
    prefixes: Mapping[str, str] | None = None,
    timeout: float = QueryLimits.timeout,
    max_rows: int = QueryLimits.max_rows,
    max_memory: int = QueryLimits.max_memory,
) -> QueryResult:
    """Run a read-only query over the bundled content, the evidence, and the results derived from it.

    The query may run for `timeout` seconds, return `max_rows` rows (triples for CONSTRUCT) and use
    `max_memory` MiB; past any of them it is stopped and QueryRejected says which limit to raise.
    The query may use the project's prefixes (prefix_map()) without declaring them; `prefixes` replaces
    those (`{}`: none predeclared).
    """
    checked = check_read_only(text, prefix_map() if prefixes is None else prefixes)
    limits = QueryLimits(timeout=timeout, max_rows=max_rows, max_memory=max_memory)
    declared = declared or {}
    for name in params or {}:
        if name not in checked.projected and name not in declared:
            returned = ", ".join(checked.projected) or "none"
            raise QueryRejected(f"parameter {name!r} is not a variable the query returns ({returned})")
    values: dict[str, Node] = {name: _typed(name, default, dtype) for name, (dtype, default) in declared.items()}
    for name, value in (params or {}).items():
        values[name] = _typed(name, value, declared.get(name, (None, None))[0])
    run = Run(open_store(), catalogue or load_catalogue())
    run.load_content()
    for mapping_set in bundled_mapping_sets():
        run.store.add_graph(mappings_graph(mapping_set), into=CONTENT_GRAPH)
    paths = list(evidence)
    if paths:
        run.load_files(paths)
        if frameworks or frameworks_in_scope(run):
            assessed = assess_run(run, frameworks=frameworks, as_of=as_of)  # each assessment on its own day
            run.reset_working_graphs()
            run.store.add_graph(assessed.graph, into=RESULTS_GRAPH)
            as_of = as_of or assessed.as_of
    as_of = as_of or dt.date.today()
    if "asOf" in checked.projected and "asOf" not in values:
        values["asOf"] = Literal(as_of.isoformat(), datatype=XSD.date)
    bindings = {k: v for k, v in values.items() if k in checked.projected}
    return run_sandboxed(run.store, checked.text, bindings=bindings, union=True, limits=limits)
