r"""Deciding the exact text a user's query runs as, and refusing it unless it is a read-only query over local data.

Queries may come from others. An UPDATE could change the graph, SERVICE would call out to the
network, and FROM / FROM NAMED name remote graphs; all are refused before anything runs.

The check is only worth something if it reads the same query the store runs. rdflib and Oxigraph
disagree on two things the SPARQL grammar leaves to the reader of raw text: rdflib expands
`\uXXXX` escapes across the whole text before parsing (as SPARQL 1.1 section 19.2 says), while
Oxigraph expands them only inside strings and IRIs; and rdflib ends a `#` comment at a line feed
only, Oxigraph at a carriage return too. So `"\u0022" SERVICE <...> "\u0022"` was one long
string to the checker and a SERVICE call to Oxigraph. We therefore decide the text ourselves:

- line ends become line feeds;
- codepoint escapes are expanded once, and may only stand for characters outside ASCII (what
  they are for: `caf\u00E9`). An escaped quote, bracket, `#` or backslash is exactly what reads
  differently to different engines, so it is refused: write ASCII characters as themselves (in a
  string, `\"`);
- a text in which something that looks like an escape is still left is refused.

That text has nothing left for either parser to read differently; it is checked, and it is what the
store is given.

The sandbox (sandbox.py) is the second wall: if this check had a bug, the query still could not
reach the network.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from pyparsing import ParseException, ParseResults
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from ..errors import QueryRejected

FORMS = {"SelectQuery", "AskQuery", "ConstructQuery", "DescribeQuery"}
ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# What any reader could still take for an escape: rdflib also reads \U followed by only four digits.
LEFT_OVER = re.compile(r"\\[uU][0-9A-Fa-f]{4}")
LINE_END = re.compile(r"\r\n?")


@dataclass(frozen=True)
class CheckedQuery:
    """A query that passed the check: `text` is exactly what the store must run (not the text given)."""

    text: str
    form: str
    projected: tuple[str, ...]


def executable_text(text: str) -> str:
    """The one text both the checker and the store read: line ends normalised, codepoint escapes expanded once."""

    def expand(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise QueryRejected(f"{match.group(0)} is not a Unicode character: write the character itself")
        if code < 0x80:
            raise QueryRejected(
                f"{match.group(0)} stands for {chr(code)!r}: write ASCII characters as themselves (in a string, "
                "escape with a backslash), because SPARQL engines read escaped ones differently")
        return chr(code)

    expanded = ESCAPE.sub(expand, LINE_END.sub("\n", text))
    left = LEFT_OVER.search(expanded)
    if left:
        raise QueryRejected(
            f"the query has an escape sequence left after expanding escapes ({left.group(0)!r}): "
            "write the character itself")
    return expanded


def _walk(node: object, seen: set[int] | None = None) -> Iterator[CompValue]:
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


def _refuse_remote(tree: object) -> None:
    for node in _walk(tree):
        if node.name == "ServiceGraphPattern":
            raise QueryRejected("SERVICE is refused: mgraph query never reaches the network")
        if node.name == "DatasetClause":
            raise QueryRejected("FROM and FROM NAMED are refused: the query runs over the loaded graph only")


def _one_line(message: object) -> str:
    return " ".join(str(message).split())


def check_read_only(text: str) -> CheckedQuery:
    """Decide the executable text and refuse it unless it is a read-only query without SERVICE or FROM."""
    text = executable_text(text)
    try:
        parsed = parseQuery(text)
    except ParseException as err:
        try:
            parseUpdate(text)
        except Exception:  # not an update either: report the query parser's error
            raise QueryRejected(
                f"the query does not parse: line {err.lineno}, column {err.col}: {_one_line(err.msg)}") from None
        raise QueryRejected("SPARQL UPDATE is refused: mgraph query is read-only") from None
    except RecursionError:
        raise QueryRejected("the query is nested too deeply to check") from None
    except Exception as err:  # rdflib's parser raises assorted errors on odd input
        raise QueryRejected(f"the query does not parse: {_one_line(err)}") from None
    _refuse_remote(parsed)
    try:
        algebra = translateQuery(parsed)
    except RecursionError:
        raise QueryRejected("the query is nested too deeply to check") from None
    except Exception as err:  # rdflib raises assorted errors for semantically invalid queries
        raise QueryRejected(f"the query is not valid SPARQL: {_one_line(err)}") from None
    _refuse_remote(algebra.algebra)  # the parse tree was checked; the algebra is what rdflib would run
    form = algebra.algebra.name
    if form not in FORMS:
        raise QueryRejected(f"{form} is refused: mgraph query runs SELECT, ASK, CONSTRUCT and DESCRIBE only")
    projected = tuple(str(v) for v in (algebra.algebra.get("PV") or [])) if form == "SelectQuery" else ()
    return CheckedQuery(text=text, form=form, projected=projected)
