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
store is given (after the predeclared prefixes, below).

Predeclared prefixes (the project's, engine/prefixes.py) are handed to the checker beside the text
(rdflib's initNs) and to the store as PREFIX declarations put in front of the query on its first
line. Not as lines of their own, so the line numbers of the store's parse errors stay those of the
query as written; and not inside the text the checker parses, because rdflib looks for the text of a
SERVICE call by scanning the raw line with `#` as a comment start, so an IRI with a `#` in it earlier
on the same line (most of ours) hides the call and the query "does not parse". The two still read the
same query: the declarations are built from checked prefix names and IRIs (nothing in them can be
read as anything but PREFIX declarations), they end in a space (the query's first token is its own),
and a PREFIX the query declares comes later, so it wins in both (SPARQL readers keep the last
declaration of a prefix). A prefix the query uses that neither declares is named in one line,
instead of Oxigraph's "expected ..." far from the cause.

The sandbox (sandbox.py) is the second wall: if this check had a bug, the query still could not
reach the network.
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from pyparsing import ParseException, ParseResults
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from ..errors import QueryRejected
from ..prefixes import NOT_IN_IRIREF, PN_PREFIX

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
    # How many characters of `text` the predeclared prefixes take, in front of the query as given.
    prologue: int = 0


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


def prologue(prefixes: Mapping[str, str]) -> str:
    """PREFIX declarations for `prefixes`, on one line ending in a space (no line feed: see the module's docstring)."""
    for name, iri in prefixes.items():
        if not PN_PREFIX.fullmatch(name) or NOT_IN_IRIREF.search(iri) or ":" not in iri:
            raise QueryRejected(f"cannot predeclare the prefix {name!r} as <{iri}>: not a SPARQL prefix and IRI")
    return "".join(f"PREFIX {name}: <{iri}> " for name, iri in prefixes.items())


def _undeclared(parsed: object, predeclared: Mapping[str, str]) -> list[str]:
    """The prefixes the query uses, sorted, that neither a PREFIX of its text nor `predeclared` declares."""
    prologue_part = parsed[0] if isinstance(parsed, (list, ParseResults)) and len(parsed) else []
    declared = {_prefix_of(d) for d in _walk(prologue_part) if d.name == "PrefixDecl"} | set(predeclared)
    used = {_prefix_of(n) for n in _walk(parsed) if n.name == "pname"}
    return sorted(used - declared)


def _prefix_of(node: CompValue) -> str:
    """The prefix a PrefixDecl declares or a pname uses; the empty prefix (`:`) has no key (CompValue.get would
    answer the key itself)."""
    return str(node["prefix"]) if "prefix" in node else ""


def _undeclared_message(missing: list[str]) -> str:
    if len(missing) == 1:
        return (f"the query uses the prefix {missing[0]}: but declares no PREFIX {missing[0]}: "
                "(mgraph query --prefixes lists those predeclared)")
    names = ", ".join(f"{p}:" for p in missing)
    return (f"the query uses the prefixes {names} but declares no PREFIX for them "
            "(mgraph query --prefixes lists those predeclared)")


def check_read_only(text: str, prefixes: Mapping[str, str] | None = None) -> CheckedQuery:
    """Decide the executable text and refuse it unless it is a read-only query without SERVICE or FROM.

    `prefixes` (name -> namespace IRI) are predeclared: the query may use them without PREFIX lines.
    """
    prefixes = dict(prefixes or {})
    front = prologue(prefixes)
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
    missing = _undeclared(parsed, prefixes)
    if missing:
        raise QueryRejected(_undeclared_message(missing))
    try:
        algebra = translateQuery(parsed, initNs=prefixes)
    except RecursionError:
        raise QueryRejected("the query is nested too deeply to check") from None
    except Exception as err:  # rdflib raises assorted errors for semantically invalid queries
        raise QueryRejected(f"the query is not valid SPARQL: {_one_line(err)}") from None
    _refuse_remote(algebra.algebra)  # the parse tree was checked; the algebra is what rdflib would run
    form = algebra.algebra.name
    if form not in FORMS:
        raise QueryRejected(f"{form} is refused: mgraph query runs SELECT, ASK, CONSTRUCT and DESCRIBE only")
    projected = tuple(str(v) for v in (algebra.algebra.get("PV") or [])) if form == "SelectQuery" else ()
    return CheckedQuery(text=front + text, form=form, projected=projected, prologue=len(front))
