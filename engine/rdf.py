"""Reading RDF safely, and moving terms between Oxigraph and rdflib.

Files are parsed by Oxigraph: it is an order of magnitude faster than rdflib's parsers, it
reports line and column on syntax errors, and its JSON-LD parser never fetches a remote
context (it refuses instead), so parsing someone else's evidence cannot reach the network.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from .errors import InputError
from .inputs import MIB, read_input, size_limit

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

FORMATS_BY_SUFFIX = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
}

# Store.load() format names, and Oxigraph's format for each.
OXIGRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD,
}

# An evidence file above this size is refused before it is read (MGRAPH_MAX_INPUT_MB raises it).
# Hand-written evidence is kilobytes and an imported scan of 40,000 check results is about 30 MiB
# of Turtle; parsed, a graph takes about ten times its file size in memory.
MAX_RDF_BYTES = 128 * MIB
# Oxigraph's parsers refuse a single token (a literal or an IRI) above 16 MiB.
OXIGRAPH_TOKEN_LIMIT = 16 * MIB
_BOM = b"\xef\xbb\xbf"


def format_name(path: Path) -> str:
    """The Store.load name of an evidence file's format, from its suffix."""
    fmt = format_for(path)
    return next(name for name, kind in OXIGRAPH_FORMATS.items() if kind == fmt)


def format_for(path: Path) -> ox.RdfFormat:
    try:
        return FORMATS_BY_SUFFIX[path.suffix.lower()]
    except KeyError:
        known = ", ".join(sorted(FORMATS_BY_SUFFIX))
        raise InputError(f"unsupported file type {path.suffix or '(none)'!r}; use one of {known}", path=path) from None


def parse_triples(data: bytes, *, fmt: ox.RdfFormat, source: str) -> list[ox.Triple]:
    """Parse bytes into Oxigraph triples; syntax errors become an InputError with the line.

    A UTF-8 byte-order mark (Windows editors write one) is skipped: RDF syntaxes are UTF-8 anyway.
    """
    if data.startswith(_BOM):
        data = data[len(_BOM):]
    try:
        return [q.triple for q in ox.parse(data, format=fmt)]
    except (SyntaxError, ValueError, MemoryError) as err:
        raise load_error(err, fmt=fmt, source=source, size=len(data)) from None


def load_error(err: Exception, *, fmt: ox.RdfFormat, source: str, size: int | None = None) -> InputError:
    """One readable InputError for what Oxigraph's parsers and loader raise."""
    if isinstance(err, SyntaxError):
        line = err.lineno if isinstance(err.lineno, int) else None
        message = str(err.msg) if getattr(err, "msg", None) else str(err)
        if "LoadDocumentCallback" in message:
            message = "remote JSON-LD contexts are not fetched; put the context inline in the file"
        return InputError(f"not valid {fmt.name}: {message}", path=source, line=line)
    if isinstance(err, MemoryError):
        if "buffer maximal size" in str(err):
            return InputError(
                f"holds a literal or IRI longer than the parser's limit of {OXIGRAPH_TOKEN_LIMIT // MIB} MiB; "
                "keep large content in a separate file and link to it (ev:artifact)", path=source)
        amount = f" ({size // MIB} MiB)" if size is not None else ""
        return InputError(f"too large to parse in the memory available{amount}", path=source)
    if isinstance(err, OSError):
        return InputError(f"could not be loaded: {' '.join(str(err).split())}", path=source)
    return InputError(f"not valid {fmt.name}: {err}", path=source)


def read_triples(path: Path) -> list[ox.Triple]:
    """Parse one evidence file: a regular file of a known RDF syntax, at most MAX_RDF_BYTES long."""
    fmt = format_for(path)
    data = read_input(path, limit=size_limit(MAX_RDF_BYTES), what="an RDF file")
    return parse_triples(data, fmt=fmt, source=str(path))


def to_rdflib_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Triple):  # RDF 1.2 triple terms have no rdflib counterpart
        raise TypeError(f"cannot convert the triple term {term} to an rdflib term")
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == XSD_STRING:
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def to_oxigraph_term(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot convert {term!r} to an Oxigraph term")


def to_rdflib_graph(triples: Iterable[ox.Triple], graph: Graph | None = None) -> Graph:
    """Each distinct term is converted once: building an rdflib term validates or parses it, and
    a graph names the same predicates and classes over and over."""
    graph = graph if graph is not None else Graph()
    seen: dict[ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple, Node] = {}

    def convert(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Node:
        found = seen.get(term)
        if found is None:
            found = seen[term] = to_rdflib_term(term)
        return found

    graph.addN((convert(t.subject), convert(t.predicate), convert(t.object), graph) for t in triples)
    return graph


def sparql_term(term: Node) -> str:
    """A term as SPARQL text, as Oxigraph writes it, so an IRI or a literal is always valid and escaped."""
    return str(to_oxigraph_term(term))


def values_rows(rows: Iterable[Sequence[Node | None]]) -> str:
    """Rows for a query's VALUES block, `(t1 t2 ...)` each, UNDEF for None: what a {{SLOT}} of rows takes."""
    return " ".join("(" + " ".join("UNDEF" if t is None else sparql_term(t) for t in row) + ")" for row in rows)


def to_oxigraph_triples(graph: Iterable[tuple[Node, Node, Node]]) -> Iterator[ox.Triple]:
    """Each distinct predicate and object is converted once (as to_rdflib_graph does the other way): a run's
    working triples name the same predicates, requirements and values over and over."""
    seen: dict[Node, ox.NamedNode | ox.BlankNode | ox.Literal] = {}

    def convert(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        found = seen.get(term)
        if found is None:
            found = seen[term] = to_oxigraph_term(term)
        return found

    for s, p, o in graph:
        subject, predicate = to_oxigraph_term(s), convert(p)
        if isinstance(subject, ox.Literal) or not isinstance(predicate, ox.NamedNode):
            raise TypeError(f"not an RDF triple: {s!r} {p!r} {o!r}")
        yield ox.Triple(subject, predicate, convert(o))


def prefixed(term: Node | None, names: Graph) -> str | None:
    """A readable form of a term: a prefixed name where the prefix table knows the namespace."""
    if term is None:
        return None
    if isinstance(term, URIRef):
        try:
            return names.namespace_manager.normalizeUri(term)
        except Exception:  # rdflib cannot split every IRI into prefix and local name
            return str(term)
    return term.n3(names.namespace_manager)
