"""SHACL property paths as hashable canonical forms, so shapes can be grouped and reports compared.

A predicate path is its IRI; a complex path is a tuple (kind, part) or (kind, (parts...)), kind one of
"inverse", "sequence", "alternative", "zeroOrMore", "oneOrMore", "zeroOrOne". Report rows carry these
forms; `write_path` turns one back into RDF for a report graph.
"""
from __future__ import annotations

from typing import cast

from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH
from rdflib.term import Node

PathForm = URIRef | tuple[str, "PathForm"] | tuple[str, tuple["PathForm", ...]]

UNARY = {SH.inversePath: "inverse", SH.zeroOrMorePath: "zeroOrMore", SH.oneOrMorePath: "oneOrMore",
         SH.zeroOrOnePath: "zeroOrOne"}
# SPARQL 1.1 property path syntax for each kind (section 9.1 of the SPARQL 1.1 recommendation).
SUFFIX = {"zeroOrMore": "*", "oneOrMore": "+", "zeroOrOne": "?"}


class PathError(ValueError):
    """A sh:path value that is not a well-formed SHACL path."""


def read_path(graph: Graph, node: Node, *, depth: int = 0) -> PathForm:
    """The canonical form of the path that starts at `node` in `graph`."""
    if depth > 32:
        raise PathError("the path nests too deeply (a cycle?)")
    if isinstance(node, URIRef):
        return node
    if not isinstance(node, BNode):
        raise PathError(f"{node!r} is not a path")
    if graph.value(node, RDF.first) is not None:
        parts = tuple(read_path(graph, item, depth=depth + 1) for item in Collection(graph, node))
        if len(parts) < 2:
            raise PathError("a sequence path needs at least two members")
        return ("sequence", parts)
    alternatives = graph.value(node, SH.alternativePath)
    if alternatives is not None:
        parts = tuple(read_path(graph, item, depth=depth + 1) for item in Collection(graph, alternatives))
        if len(parts) < 2:
            raise PathError("an alternative path needs at least two members")
        return ("alternative", parts)
    for predicate, kind in UNARY.items():
        inner = graph.value(node, predicate)
        if inner is not None:
            return (kind, read_path(graph, inner, depth=depth + 1))
    raise PathError("the blank node is not a SHACL path")


def sparql_path(form: PathForm) -> str:
    """The SPARQL property path expression of a canonical path."""
    if isinstance(form, URIRef):
        return f"<{form}>"
    kind, inner = form
    # the kind says which of the two shapes `inner` has; the type of a (str, ...) pair cannot say it
    if kind == "sequence":
        return "(" + "/".join(sparql_path(part) for part in cast("tuple[PathForm, ...]", inner)) + ")"
    if kind == "alternative":
        return "(" + "|".join(sparql_path(part) for part in cast("tuple[PathForm, ...]", inner)) + ")"
    if kind == "inverse":
        return "^" + sparql_path(cast("PathForm", inner))
    return "(" + sparql_path(cast("PathForm", inner)) + ")" + SUFFIX[kind]


def write_path(graph: Graph, form: PathForm) -> Node:
    """Add the RDF structure of a canonical path to `graph`; return the node that names it."""
    if isinstance(form, URIRef):
        return form
    kind, inner = form
    if kind in ("sequence", "alternative"):
        items = [write_path(graph, part) for part in cast("tuple[PathForm, ...]", inner)]  # as in sparql_path
        head = BNode()
        Collection(graph, head, items)
        if kind == "sequence":
            return head
        node = BNode()
        graph.add((node, SH.alternativePath, head))
        return node
    node = BNode()
    predicate = next(p for p, k in UNARY.items() if k == kind)
    graph.add((node, predicate, write_path(graph, cast("PathForm", inner))))  # as in sparql_path
    return node
