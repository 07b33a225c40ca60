"""What `mgraph query` writes: a SELECT's or ASK's rows as a table, CSV or JSON; a CONSTRUCT or DESCRIBE's
triples as Turtle whatever the format."""
from __future__ import annotations

from collections.abc import Callable

from maturity_graph import QueryResult

from .csv import csv_bytes
from .json import envelope
from .registry import RENDERERS, Kind, Options
from .table import table
from .terms import json_value, show


def _rows(result: QueryResult) -> tuple[list[str], list[list[object]]]:
    if result.kind == "ask":
        return ["ask"], [[str(result.boolean).lower()]]
    return list(result.variables), [[show(v) for v in row] for row in result.rows]


def _triples_as_turtle(render: Callable[[QueryResult, Options], bytes]) -> Callable[[QueryResult, Options], bytes]:
    def rendered(result: QueryResult, options: Options) -> bytes:
        if result.kind == "graph":
            return result.graph.serialize(format="turtle").encode("utf-8")
        return render(result, options)

    return rendered


@RENDERERS.register(Kind.QUERY, "table")
@_triples_as_turtle
def _table(result: QueryResult, options: Options) -> bytes:
    headers, rows = _rows(result)
    return (table(headers, rows) + f"\n{len(rows)} row(s)\n").encode("utf-8")


@RENDERERS.register(Kind.QUERY, "csv")
@_triples_as_turtle
def _csv(result: QueryResult, options: Options) -> bytes:
    headers, rows = _rows(result)
    return csv_bytes(headers, rows, raw_cells=options.raw_cells)


@RENDERERS.register(Kind.QUERY, "json")
@_triples_as_turtle
def _json(result: QueryResult, options: Options) -> bytes:
    if result.kind == "ask":
        return envelope("ok", [{"ask": result.boolean}], variables=["ask"])
    return envelope("ok", [{h: json_value(v) for h, v in zip(result.variables, row, strict=True)}
                           for row in result.rows], variables=list(result.variables))
