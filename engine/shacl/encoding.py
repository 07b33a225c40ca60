"""A compiled ShapesProgram as plain JSON data and back, so cache.py can keep it on disk without pickle.

Only what validate() and its report read is kept: the queries, the class and class-target tables, the
fallback and unsupported lists, and for each reporting shape its node, path, severity and messages.
A program read back holds shapes with those fields only (no constraints, no targets) and no graph.
RDF terms are written explicitly: ["i", iri], ["b", blank-node id of the shapes graph],
["l", lexical form, datatype or null, language or null]. Anything else read back raises EncodingError.
"""
from __future__ import annotations

from typing import Any, cast

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from .compiler import CompiledQuery, Group, Member, ShapesProgram
from .paths import PathForm
from .shapes import Shape

LISTED = ("sequence", "alternative")  # path kinds whose inner part is a list of paths
UNARY = ("inverse", "zeroOrMore", "oneOrMore", "zeroOrOne")


class EncodingError(ValueError):
    """Data that is not an encoded program (a corrupt, truncated or foreign cache file)."""


def encode_program(program: ShapesProgram) -> dict[str, Any]:
    """The program as JSON-ready data; shared reporting shapes are written once and named by index."""
    table: list[dict[str, Any]] = []
    index: dict[int, int] = {}

    def shape_ref(shape: Shape) -> int:
        if id(shape) not in index:
            index[id(shape)] = len(table)
            table.append({"node": encode_term(shape.node),
                          "path": None if shape.path is None else encode_path(shape.path),
                          "severity": encode_term(shape.severity), "messages": list(shape.messages)})
        return index[id(shape)]

    groups = [{"members": [[shape_ref(s) for s in member.positions] for member in group.members],
               "queries": [_encode_query(q) for q in group.queries]} for group in program.groups]
    return {
        "shapes": table,
        "groups": groups,
        "classes": [encode_term(c) for c in program.classes],
        "class_targets": [[[n, encode_term(c)] for n, c in pairs] for pairs in program.class_targets],
        "fallback": [encode_term(s.node) for s in program.fallback],
        "unsupported": [[encode_term(node), reason] for node, reason in program.unsupported],
    }


def decode_program(data: object) -> ShapesProgram:
    """The program `encode_program` wrote; EncodingError if `data` is anything else."""
    try:
        return _decode_program(data)
    except (KeyError, IndexError, TypeError, ValueError, AttributeError, RecursionError) as err:
        raise EncodingError(f"not an encoded SHACL program: {err}") from err


def _decode_program(data: Any) -> ShapesProgram:
    shapes = [Shape(node=decode_term(s["node"]), path=None if s["path"] is None else decode_path(s["path"]),
                    severity=cast(URIRef, decode_term(s["severity"])), messages=_strings(s["messages"]))
              for s in _list(data["shapes"])]
    groups = []
    for number, group in enumerate(_list(data["groups"])):
        members = []
        for refs in _list(group["members"]):
            positions = [shapes[_index(r, len(shapes))] for r in _list(refs)]
            members.append(Member(shape=positions[0], positions=positions))
        groups.append(Group(members=members, queries=[_decode_query(q, number) for q in _list(group["queries"])]))
    return ShapesProgram(
        groups=groups,
        classes=[_iri(c) for c in _list(data["classes"])],
        class_targets=[[(_int(n), _iri(c)) for n, c in _list(pairs)] for pairs in _list(data["class_targets"])],
        fallback=[Shape(node=decode_term(node), path=None) for node in _list(data["fallback"])],
        unsupported=[(decode_term(node), _str(reason)) for node, reason in _list(data["unsupported"])])


def _encode_query(query: CompiledQuery) -> dict[str, Any]:
    return {"text": query.text, "position": query.position, "component": encode_term(query.component),
            "messages": list(query.messages), "tagged": [[p, encode_term(c)] for p, c in query.tagged]}


def _decode_query(data: Any, group: int) -> CompiledQuery:
    return CompiledQuery(text=_str(data["text"]), group=group, position=_int(data["position"]),
                         component=_iri(data["component"]), messages=_strings(data["messages"]),
                         tagged=tuple((_int(p), _iri(c)) for p, c in _list(data["tagged"])))


def encode_term(node: Node) -> list[str | None]:
    if isinstance(node, URIRef):
        return ["i", str(node)]
    if isinstance(node, BNode):
        return ["b", str(node)]
    if isinstance(node, Literal):
        return ["l", str(node), None if node.datatype is None else str(node.datatype), node.language]
    raise EncodingError(f"{node!r} is not an RDF term")


def decode_term(data: Any) -> Node:
    kind = data[0]
    if kind == "i" and len(data) == 2:
        return URIRef(_str(data[1]))
    if kind == "b" and len(data) == 2:
        return BNode(_str(data[1]))
    if kind == "l" and len(data) == 4:
        datatype, lang = data[2], data[3]
        return Literal(_str(data[1]), datatype=None if datatype is None else URIRef(_str(datatype)),
                       lang=None if lang is None else _str(lang))
    raise EncodingError(f"{data!r} is not an encoded term")


def encode_path(form: PathForm) -> list[Any]:
    """A predicate path as its term; a complex path as ["p", kind, inner] (inner a list for sequences and
    alternatives)."""
    if isinstance(form, URIRef):
        return encode_term(form)
    kind, inner = form
    if kind in LISTED:
        return ["p", kind, [encode_path(part) for part in cast("tuple[PathForm, ...]", inner)]]
    return ["p", kind, encode_path(cast("PathForm", inner))]


def decode_path(data: Any) -> PathForm:
    if data[0] != "p":
        return _iri(data)
    kind = data[1]
    if kind in LISTED:
        return (kind, tuple(decode_path(part) for part in _list(data[2])))
    if kind in UNARY:
        return (kind, decode_path(data[2]))
    raise EncodingError(f"{kind!r} is not a path kind")


def _iri(data: Any) -> URIRef:
    node = decode_term(data)
    if not isinstance(node, URIRef):
        raise EncodingError(f"{data!r} is not an IRI")
    return node


def _list(data: Any) -> list[Any]:
    if not isinstance(data, list):
        raise EncodingError(f"expected a list, found {type(data).__name__}")
    return data


def _str(data: Any) -> str:
    if not isinstance(data, str):
        raise EncodingError(f"expected a string, found {type(data).__name__}")
    return data


def _int(data: Any) -> int:
    if not isinstance(data, int) or isinstance(data, bool):
        raise EncodingError(f"expected an integer, found {type(data).__name__}")
    return data


def _index(data: Any, size: int) -> int:
    number = _int(data)
    if not 0 <= number < size:
        raise EncodingError(f"shape index {number} is out of range")
    return number


def _strings(data: Any) -> tuple[str, ...]:
    return tuple(_str(item) for item in _list(data))
