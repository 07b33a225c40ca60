"""Refusing SPARQL that is not a plain read-only query over local data.

Queries may come from others. An UPDATE could change the graph, SERVICE would call out to the
network, and FROM / FROM NAMED would make rdflib fetch remote graphs; all are refused before
anything runs.
"""
from __future__ import annotations

from dataclasses import dataclass

from pyparsing import ParseException, ParseResults
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from ..errors import QueryRejected


@dataclass(frozen=True)
class CheckedQuery:
    text: str
    form: str
    projected: tuple[str, ...]


def _walk(node, seen=None):
    seen = seen if seen is not None else set()
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, CompValue):
        yield node
        for value in node.values():
            yield from _walk(value, seen)
    elif isinstance(node, (list, tuple, ParseResults)):
        for value in node:
            yield from _walk(value, seen)


def check_read_only(text: str) -> CheckedQuery:
    """Parse a query and refuse updates, SERVICE and remote datasets."""
    try:
        parsed = parseQuery(text)
    except ParseException as err:
        try:
            parseUpdate(text)
        except ParseException:
            raise QueryRejected(f"the query does not parse: line {err.lineno}, column {err.col}: {err.msg}") from None
        raise QueryRejected("SPARQL UPDATE is refused: mgraph query is read-only") from None
    except Exception as err:  # rdflib's parser raises assorted errors on odd input
        raise QueryRejected(f"the query does not parse: {err}") from None
    for node in _walk(parsed):
        if node.name == "ServiceGraphPattern":
            raise QueryRejected("SERVICE is refused: mgraph query never reaches the network")
        if node.name == "DatasetClause":
            raise QueryRejected("FROM and FROM NAMED are refused: the query runs over the loaded graph only")
    try:
        algebra = translateQuery(parsed)
    except Exception as err:  # rdflib raises assorted errors for semantically invalid queries
        raise QueryRejected(f"the query is not valid SPARQL: {err}") from None
    form = algebra.algebra.name
    projected = tuple(str(v) for v in (algebra.algebra.get("PV") or [])) if form == "SelectQuery" else ()
    return CheckedQuery(text=text, form=form, projected=projected)
