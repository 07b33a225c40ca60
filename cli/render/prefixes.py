"""`mgraph query --prefixes`: the predeclared prefixes, in the formats `mgraph query` has."""
from __future__ import annotations

from collections.abc import Mapping

from .csv import csv_bytes
from .json import envelope
from .registry import RENDERERS, Kind, Options
from .table import table

HEADERS = ["PREFIX", "NAMESPACE"]


@RENDERERS.register(Kind.PREFIXES, "table")
def prefixes_table(prefixes: Mapping[str, str], options: Options) -> bytes:
    return (table(HEADERS, [[f"{p}:", iri] for p, iri in prefixes.items()]) + f"\n{len(prefixes)} prefix(es)\n"
            ).encode("utf-8")


@RENDERERS.register(Kind.PREFIXES, "csv")
def prefixes_csv(prefixes: Mapping[str, str], options: Options) -> bytes:
    return csv_bytes(["prefix", "namespace"], [[p, iri] for p, iri in prefixes.items()], raw_cells=options.raw_cells)


@RENDERERS.register(Kind.PREFIXES, "json")
def prefixes_json(prefixes: Mapping[str, str], options: Options) -> bytes:
    return envelope("ok", [{"prefix": p, "namespace": iri} for p, iri in prefixes.items()])
