"""Query text for stores that take text only: pre-binding variables (the SPARQL Protocol has no bindings), comments.

Oxigraph substitutes bindings before evaluation, so a bound variable is bound everywhere, even in a BIND
or FILTER that comes before any pattern binds it. The same meaning in standard SPARQL is an inline
VALUES block at the top of the WHERE clause: it is joined first, so everything after it sees the values.
A trailing VALUES clause would not do: it is joined after the WHERE clause (and after grouping).
"""
from __future__ import annotations

import re
from collections.abc import Mapping

from rdflib import BNode
from rdflib.term import Node

from ..errors import StoreError
from ..rdf import to_oxigraph_term

# What may hold a brace that is not the query's: comments, strings, IRIs (RDF 1.1's IRIREF; '<' with a
# space after it is the less-than operator) and everything else one character at a time.
_TOKEN = re.compile(r"""
    \#[^\n\r]*
  | '''(?:[^'\\]|\\.|'(?!''))*'''
  | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
  | '(?:[^'\\\n\r]|\\.)*'
  | "(?:[^"\\\n\r]|\\.)*"
  | <[^<>"{}|^`\\\x00-\x20]*>
  | [A-Za-z_]+
  | [\s\S]
""", re.VERBOSE)


def prebind(text: str, bindings: Mapping[str, Node] | None) -> str:
    """The query with `bindings` as a VALUES block opening its WHERE clause."""
    if not bindings:
        return text
    names, terms = [], []
    for name, value in bindings.items():
        if isinstance(value, BNode):
            raise StoreError(f"cannot bind ?{name} to a blank node in a query sent as text")
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise StoreError(f"cannot bind {name!r}: not a SPARQL variable name")
        names.append("?" + name)
        terms.append(str(to_oxigraph_term(value)))
    block = f" VALUES ({' '.join(names)}) {{ ({' '.join(terms)}) }} "
    where = _where_brace(text)
    if where is None:
        raise StoreError("cannot bind variables in this query: its WHERE clause was not found")
    return text[:where + 1] + block + text[where + 1:]


def without_comments(text: str) -> str:
    """The query without its comments: fewer bytes on the wire, and no word in a comment taken for a keyword."""
    return "".join(t for t in (m.group() for m in _TOKEN.finditer(text)) if not t.startswith("#"))


def names_graphs(text: str) -> bool:
    """Whether the query has a GRAPH pattern (outside strings, IRIs and comments), so it can read a named graph."""
    return any(m.group().upper() == "GRAPH" for m in _TOKEN.finditer(text))


def _where_brace(text: str) -> int | None:
    """The offset of the '{' opening the WHERE clause: the first top-level brace, or for CONSTRUCT with a
    template, the second (CONSTRUCT WHERE, whose pattern is its template too, cannot take a VALUES block)."""
    depth = parens = 0
    form: str | None = None
    after_form: str | None = None
    top_level = 0
    for match in _TOKEN.finditer(text):
        token = match.group()
        word = token.upper()
        if form is None and word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
            form = word
            continue
        if form is not None and after_form is None and not token.isspace():
            after_form = word
        if token == "(":
            parens += 1
        elif token == ")":
            parens -= 1
        elif token == "{":
            if depth == 0 and parens == 0:
                top_level += 1
                if form == "CONSTRUCT" and after_form == "WHERE":
                    return None
                if form != "CONSTRUCT" or top_level == 2:
                    return match.start()
            depth += 1
        elif token == "}":
            depth -= 1
    return None
