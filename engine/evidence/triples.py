"""Triples written as an importer makes them: to Turtle or N-Triples bytes, or into an rdflib Graph.

An import of a large scan must not hold its graph: each subject's triples go out as soon as they
are made, grouped under the subject, and the caller's stream (a temporary file renamed at the end,
engine/output.py) makes the result appear whole or not at all. Objects are given as IRIs
(URIRef), plain strings (xsd:string literals) or Typed literals, so that no rdflib Literal is
built per triple on the fast path; the Graph sink builds them, giving the same triples.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple, Protocol

from rdflib import RDF, Graph, Literal, URIRef

from ..errors import ContentError

if TYPE_CHECKING:
    from _typeshed import SupportsWrite


class Typed(NamedTuple):
    """A literal with a datatype: its lexical form as written, and the datatype's IRI."""

    lexical: str
    datatype: URIRef


Object = URIRef | str | Typed
Pairs = Sequence[tuple[URIRef, Object]]


class TripleSink(Protocol):
    """Where an importer puts its triples, one subject at a time."""

    def subject(self, node: URIRef, pairs: Pairs) -> None: ...

    def close(self) -> None: ...


class GraphSink:
    """Triples into an rdflib Graph, for callers that want the graph itself."""

    def __init__(self, graph: Graph):
        self.graph = graph

    def subject(self, node: URIRef, pairs: Pairs) -> None:
        add = self.graph.add
        for predicate, obj in pairs:
            if isinstance(obj, Typed):
                add((node, predicate, Literal(obj.lexical, datatype=obj.datatype)))
            elif isinstance(obj, URIRef):
                add((node, predicate, obj))
            else:
                add((node, predicate, Literal(obj)))

    def close(self) -> None:
        pass


# Characters IRIREF forbids (Turtle and N-Triples alike); our IRIs come from content, never from a scan.
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
# Characters a string literal must escape; the rest of Unicode is written as it is.
_ESCAPE = re.compile(r'[\x00-\x1f\x7f"\\]')
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
# A local name that needs no escaping in a prefixed name (a conservative subset of PN_LOCAL).
_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?", re.ASCII)
_FLUSH_AT = 1 << 20


def _escape(char: re.Match[str]) -> str:
    c = char.group()
    return _ESCAPES.get(c) or f"\\u{ord(c):04X}"


def _string(text: str) -> str:
    text = text.encode("utf-8", "replace").decode("utf-8") if not text.isascii() else text  # no lone surrogates
    return '"' + _ESCAPE.sub(_escape, text) + '"'


def _iri(iri: str) -> str:
    if _BAD_IRI.search(iri):
        raise ContentError(f"cannot write the IRI {iri!r:.80} in Turtle or N-Triples: it holds a forbidden character")
    return f"<{iri}>"


class _TextSink:
    """Bytes to a binary stream in blocks of about a MiB; the stream is the caller's to close."""

    def __init__(self, stream: SupportsWrite[bytes]):
        self._stream = stream
        self._parts: list[str] = []
        self._size = 0

    def _put(self, text: str) -> None:
        self._parts.append(text)
        self._size += len(text)
        if self._size >= _FLUSH_AT:
            self.flush()

    def flush(self) -> None:
        if self._parts:
            self._stream.write("".join(self._parts).encode("utf-8"))
            self._parts, self._size = [], 0

    def close(self) -> None:
        self.flush()


class NTriplesWriter(_TextSink):
    """N-Triples: one triple a line, every IRI in full; any RDF tool reads it, line by line."""

    def __init__(self, stream: SupportsWrite[bytes], prefixes: Mapping[str, str] | None = None):
        super().__init__(stream)

    def _term(self, obj: Object) -> str:
        if isinstance(obj, Typed):
            return f"{_string(obj.lexical)}^^{_iri(obj.datatype)}"
        if isinstance(obj, URIRef):
            return _iri(obj)
        return _string(obj)

    def subject(self, node: URIRef, pairs: Pairs) -> None:
        head = _iri(node)
        self._put("".join(f"{head} {_iri(p)} {self._term(o)} .\n" for p, o in pairs))


class TurtleWriter(_TextSink):
    """Turtle: the prefixes first, then one block per subject."""

    def __init__(self, stream: SupportsWrite[bytes], prefixes: Mapping[str, str] | None = None):
        super().__init__(stream)
        self._prefixes = sorted((prefixes or {}).items(), key=lambda item: -len(item[1]))
        self._names: dict[str, str] = {}
        for name, namespace in sorted((prefixes or {}).items()):
            self._put(f"@prefix {name}: {_iri(namespace)} .\n")
        self._put("\n")

    def _name(self, iri: str, *, remember: bool = True) -> str:
        known = self._names.get(iri)
        if known is not None:
            return known
        written = None
        for name, namespace in self._prefixes:
            if iri.startswith(namespace) and _LOCAL.fullmatch(iri[len(namespace):]):
                written = f"{name}:{iri[len(namespace):]}"
                break
        written = written or _iri(iri)
        if remember and len(self._names) < 10_000:  # predicates, classes and datatypes recur
            self._names[iri] = written
        return written

    def _term(self, obj: Object) -> str:
        if isinstance(obj, Typed):
            return f"{_string(obj.lexical)}^^{self._name(obj.datatype)}"
        if isinstance(obj, URIRef):
            return self._name(obj)
        return _string(obj)

    def subject(self, node: URIRef, pairs: Pairs) -> None:
        if not pairs:
            return
        lines = [
            ("a" if p == RDF.type else self._name(p)) + " " + self._term(o) for p, o in pairs
        ]
        self._put(self._name(node, remember=False) + " " + " ;\n    ".join(lines) + " .\n\n")


WRITERS: dict[str, type[NTriplesWriter] | type[TurtleWriter]] = {"turtle": TurtleWriter, "nt": NTriplesWriter}
