"""A store that is any SPARQL 1.1 endpoint (Oxigraph server, Fuseki, GraphDB, Stardog, Neptune).

Queries go by the SPARQL 1.1 Protocol (POST, form-encoded, so a long dataset list never meets a URL
length limit); answers are parsed by Oxigraph's streaming parsers into rdflib terms. Updates go to the
update endpoint; files are loaded with the Graph Store Protocol when its URL is known, and otherwise
streamed as one INSERT DATA (which any update endpoint accepts, and which keeps a file's blank nodes).
Without an update endpoint the store is read-only.
"""
from __future__ import annotations

import logging
import urllib.parse
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, TypeVar, cast

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from .. import bundled
from ..errors import StoreError
from ..rdf import OXIGRAPH_FORMATS, load_error, to_oxigraph_triples, to_rdflib_term
from . import DEFAULT_TIMEOUT
from .http import Answer, Client, authorization, check_url, is_loopback
from .interface import QueryResult, QueryStream, Store
from .prebind import names_graphs, prebind, without_comments

log = logging.getLogger(__name__)

_RESULTS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_GRAPHS = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,  # what SPARQL 1.0 servers call N-Triples
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/n-quads": ox.RdfFormat.N_QUADS,
}
_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.5"
# Formats sent as they are to a Graph Store Protocol endpoint (a triples format, so `?graph=` says where).
_GSP_TYPES = {"turtle": "text/turtle", "ntriples": "application/n-triples", "rdfxml": "application/rdf+xml"}
# A graph no one writes: the dataset of a query given `graphs=[]` (the protocol has no "empty default graph").
_NO_GRAPH = "https://w3id.org/maturity-graph/graph/none"
_PLACEHOLDER = "<urn:mgraph:graph>"


class EndpointStore(Store):
    """One SPARQL endpoint; `requests`, `bytes_sent` and `bytes_received` count what it cost."""

    name = "endpoint"

    def __init__(self, endpoint: str, *, update_endpoint: str | None = None, graph_store: str | None = None,
                 auth_env: str | None = None, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.endpoint = check_url(endpoint)
        self.update_endpoint = check_url(update_endpoint, what="update endpoint") if update_endpoint else None
        self.graph_store = check_url(graph_store, what="graph store") if graph_store else None
        if self.graph_store and not self.update_endpoint:
            raise StoreError(f"{self.graph_store}: a graph store URL needs an update endpoint too (--update-endpoint)")
        self.read_only = self.update_endpoint is None
        if timeout <= 0:
            raise StoreError(f"the endpoint timeout must be above 0 seconds, not {timeout:g}")
        auth = authorization(auth_env) if auth_env else None
        if auth:
            plain = [u for u in (self.endpoint, self.update_endpoint, self.graph_store)
                     if u and u.startswith("http://") and not is_loopback(u)]
            if plain:
                log.warning("sending credentials to %s without TLS: anyone on the way can read them", plain[0])
        self._client = Client(auth=auth, timeout=timeout)
        # The named graphs, listed once and again after each write of ours (a dataset must name them).
        self._named: list[URIRef] | None = None

    @property
    def requests(self) -> int:
        return self._client.requests

    @property
    def bytes_sent(self) -> int:
        return self._client.bytes_sent

    @property
    def bytes_received(self) -> int:
        return self._client.bytes_received

    # --- reading ---------------------------------------------------------------------------------

    def stream(self, text: str, *, bindings: Mapping[str, Node] | None = None, union: bool = False,
               graphs: Sequence[URIRef] | None = None) -> QueryStream:
        """Rows are parsed as they arrive; the connection closes when they run out (or on an error).

        With `union`, the dataset's default graph is the union of the endpoint's named graphs (one more
        request lists them): its own default graph is left out, and mgraph never writes there.
        `bindings` become a VALUES block opening the WHERE clause (prebind.py), as Oxigraph's substitutions do.
        """
        if union and graphs is None:
            graphs = self._named_graphs() or None
        answer = self._post_query(prebind(text, bindings), graphs)
        if answer.content_type in _RESULTS:
            try:
                parsed = ox.parse_query_results(cast(IO[bytes], answer), format=_RESULTS[answer.content_type])
            except (SyntaxError, ValueError, OSError) as err:
                answer.close()
                raise StoreError(f"{answer.url}: the answer is not valid SPARQL results: {_one_line(err)}") from None
            if isinstance(parsed, ox.QueryBoolean):
                answer.close()
                return QueryStream(kind="ask", boolean=bool(parsed))
            variables = [v.value for v in parsed.variables]
            return QueryStream(kind="select", variables=variables, rows=_solutions(parsed, variables, answer))
        if answer.content_type in _GRAPHS:
            triples = ox.parse(cast(IO[bytes], answer), format=_GRAPHS[answer.content_type])
            return QueryStream(kind="graph", rows=_triples(triples, answer))
        answer.close()
        shown = answer.content_type or "no content type"
        raise StoreError(f"{answer.url}: answered {shown}, not SPARQL results (is this a SPARQL endpoint?)")

    def graph_names(self) -> list[URIRef]:
        rows = self.query(bundled.query_text(__package__, "graph-names.rq")).rows
        self._named = sorted(row[0] for row in rows if isinstance(row[0], URIRef))
        return list(self._named)

    def _named_graphs(self) -> list[URIRef]:
        return list(self._named) if self._named is not None else self.graph_names()

    def count(self, graph: URIRef | None = None) -> int:
        """Triples in one graph; for the whole dataset, the default graph's plus every named graph's.

        On an endpoint whose default graph is already the union of the named graphs (GraphDB, Neptune,
        Oxigraph with --union-default-graph) the whole-dataset count counts named graphs' triples twice.
        """
        text = bundled.query_text(__package__, "count-triples.rq")
        if graph is not None:
            return _number(self.query(text, graphs=[graph]), self.endpoint)
        named = bundled.query_text(__package__, "count-named-triples.rq")
        return _number(self.query(text), self.endpoint) + _number(self.query(named), self.endpoint)

    def export(self, graphs: Sequence[URIRef]) -> Graph:
        text = bundled.query_text(__package__, "all-triples.rq")
        copy = Graph()
        rows = cast(Iterator[tuple[Node, Node, Node]], self.stream(text, graphs=list(graphs)).rows)
        copy.addN((s, p, o, copy) for s, p, o in rows)
        return copy

    # --- writing ---------------------------------------------------------------------------------

    def update(self, text: str) -> None:
        self._post_update(text.encode("utf-8"))

    def drop(self, graph: URIRef) -> None:
        self._post_update(_fill(bundled.query_text(__package__, "drop-graph.rq"), graph).encode("utf-8"))

    def add_graph(self, graph: Iterable[tuple[Node, Node, Node]], *, into: URIRef | None = None) -> None:
        """Small graphs (content, results): as N-Triples, by the Graph Store Protocol or one INSERT DATA."""
        body = ox.serialize(to_oxigraph_triples(graph), format=ox.RdfFormat.N_TRIPLES) or b""
        if self.graph_store:
            self._post_graph(body, content_type=_GSP_TYPES["ntriples"], into=into, source="a graph")
        else:
            self._post_update(_insert_data(ox.parse(body, format=ox.RdfFormat.N_TRIPLES), into))

    def load(self, data: bytes | Path, *, fmt: str, source: str, into: URIRef | None = None) -> int:
        """Stream a file (or bytes) to the endpoint; the triples added are counted by two queries around it."""
        self._writable()
        kind = OXIGRAPH_FORMATS[fmt]
        before = self.count(into)
        if self.graph_store and fmt in _GSP_TYPES:
            if isinstance(data, Path):
                with _open(data, source) as stream:
                    self._post_graph(stream, content_type=_GSP_TYPES[fmt], into=into, source=source,
                                     length=data.stat().st_size)
            else:
                self._post_graph(data, content_type=_GSP_TYPES[fmt], into=into, source=source)
        else:
            try:
                quads = ox.parse(path=data, format=kind) if isinstance(data, Path) else ox.parse(data, format=kind)
                self._post_update(_insert_data(quads, into), source=source)
            except (SyntaxError, ValueError, MemoryError) as err:
                raise load_error(err, fmt=kind, source=source) from None
            except OSError as err:
                raise load_error(err, fmt=kind, source=source) from None
        return self.count(into) - before

    # --- the wire --------------------------------------------------------------------------------

    def _post_query(self, text: str, graphs: Sequence[URIRef] | None) -> Answer:
        """With `graphs`, the protocol's dataset: those graphs as the default graph, and (as the embedded store
        keeps them) every named graph still reachable with GRAPH, which a dataset must list (named-graph-uri)."""
        text = without_comments(text)
        fields = [("query", text)]
        if graphs is not None:
            fields += [("default-graph-uri", str(g)) for g in graphs] or [("default-graph-uri", _NO_GRAPH)]
            if names_graphs(text):  # without GRAPH a query cannot reach a named graph: spare the listing
                named = self._named_graphs()
                fields += [("named-graph-uri", str(g)) for g in named] or [("named-graph-uri", _NO_GRAPH)]
        body = urllib.parse.urlencode(fields).encode("utf-8")
        return self._client.post(self.endpoint, body, content_type="application/x-www-form-urlencoded",
                                 accept=_ACCEPT)

    def _post_update(self, body: bytes | Iterator[bytes], *, source: str | None = None) -> None:
        url = self._writable()
        try:
            answer = self._client.post(url, body, content_type="application/sparql-update")
        except StoreError as err:
            if source is None:
                raise
            raise StoreError(f"{source}: {err}") from None
        _drain(answer)

    def _post_graph(self, body: bytes | IO[bytes], *, content_type: str, into: URIRef | None, source: str,
                    length: int | None = None) -> None:
        self._writable()
        assert self.graph_store is not None
        target = urllib.parse.urlencode({"graph": str(into)}) if into is not None else "default"
        url = self.graph_store + ("&" if "?" in self.graph_store else "?") + target
        if isinstance(body, bytes):
            payload: bytes | Iterator[bytes] = body
        else:
            payload = iter(lambda: body.read(1 << 16), b"")
        try:
            answer = self._client.post(url, payload, content_type=content_type, length=length)
        except StoreError as err:
            raise StoreError(f"{source}: {err}") from None
        _drain(answer)

    def _writable(self) -> str:
        self._named = None
        if self.update_endpoint is None:
            raise StoreError(f"{self.endpoint}: the store is read-only; give an update endpoint (--update-endpoint) "
                             "to write to it")
        return self.update_endpoint


def _fill(template: str, graph: URIRef) -> str:
    """An update template with its graph IRI put in (as Oxigraph writes it, so it is a valid, escaped IRI)."""
    return template.replace(_PLACEHOLDER, str(ox.NamedNode(str(graph))))


def _insert_data(quads: Iterator[ox.Quad], into: URIRef | None) -> Iterator[bytes]:
    """INSERT DATA for parsed quads, produced as they are parsed (a file's blank nodes stay one node each)."""
    yield b"INSERT DATA {\n"
    if into is not None:
        yield f"GRAPH {ox.NamedNode(str(into))} {{\n".encode()
    batch = []
    for quad in quads:
        triple = f"{quad.subject} {quad.predicate} {quad.object} ."
        if into is None and not isinstance(quad.graph_name, ox.DefaultGraph):
            triple = f"GRAPH {quad.graph_name} {{ {triple} }}"
        batch.append(triple)
        if len(batch) >= 1000:
            yield ("\n".join(batch) + "\n").encode("utf-8")
            batch = []
    if batch:
        yield ("\n".join(batch) + "\n").encode("utf-8")
    yield b"}\n}\n" if into is not None else b"}\n"


def _open(path: Path, source: str) -> IO[bytes]:
    try:
        return path.open("rb")
    except OSError as err:
        raise load_error(err, fmt=ox.RdfFormat.TURTLE, source=source) from None


def _drain(answer: Answer) -> None:
    try:
        while answer.read(1 << 16):
            pass
    finally:
        answer.close()


def _number(result: QueryResult, url: str) -> int:
    value = result.rows[0][0] if result.rows and result.rows[0] else None
    if isinstance(value, Literal) and str(value).isdigit():
        return int(str(value))
    raise StoreError(f"{url}: a COUNT query did not answer a number")


def _one_line(err: BaseException) -> str:
    return " ".join(str(err).split())


T = TypeVar("T")


def _solutions(parsed: ox.QuerySolutions, variables: list[str], answer: Answer) -> Iterator[tuple[Node | None, ...]]:
    try:
        for solution in _checked(parsed, answer):
            yield tuple(None if solution[v] is None else to_rdflib_term(solution[v]) for v in variables)
    finally:
        answer.close()


def _triples(parsed: Iterator[ox.Quad], answer: Answer) -> Iterator[tuple[Node, Node, Node]]:
    try:
        for quad in _checked(parsed, answer):
            yield to_rdflib_term(quad.subject), to_rdflib_term(quad.predicate), to_rdflib_term(quad.object)
    finally:
        answer.close()


def _checked(items: Iterator[T], answer: Answer) -> Iterator[T]:
    """Parse errors midway (a truncated or garbled answer) become one StoreError naming the URL."""
    iterator = iter(items)
    while True:
        try:
            item = next(iterator)
        except StopIteration:
            return
        except (SyntaxError, ValueError, OSError) as err:
            raise StoreError(f"{answer.url}: the answer is not valid SPARQL results: {_one_line(err)}") from None
        yield item
