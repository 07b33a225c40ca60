"""Text and JSON views of mappings, findings and carried evidence, and the mapping exporters' formats."""
from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from maturity_graph import (
    EXPORTERS,
    ApplyResult,
    CrosswalkCheck,
    Disagreement,
    Mapping,
    export,
    load_catalogue,
    prefixed,
)

from .json import envelope
from .registry import RENDERERS, Kind, Options
from .table import table
from .terminal import terminal_safe


@dataclass(frozen=True)
class MappingSet:
    """Mappings from one framework to another, as a command found them (derived, composed or curated)."""

    mappings: Sequence[Mapping]
    source: str
    target: str
    disagreements: Sequence[Disagreement] | None = None  # derive: where the curated crosswalk says otherwise


def relations_text(mapping: Mapping) -> str:
    return " | ".join(sorted(r.value for r in mapping.relations))


def mappings_table(mappings: list[Mapping], names) -> str:
    rows = [[prefixed(m.subject, names), relations_text(m), prefixed(m.object, names),
             "" if m.strength is None else m.strength, m.review_status] for m in mappings]
    return table(["SUBJECT", "RELATION", "OBJECT", "STRENGTH", "REVIEW"], rows) + f"\n{len(mappings)} mapping(s)\n"


def mapping_dict(mapping: Mapping) -> dict:
    return {
        "subject": str(mapping.subject),
        "object": str(mapping.object),
        "relations": sorted(r.value for r in mapping.relations),
        "strength": mapping.strength,
        "confidence": mapping.confidence,
        "review_status": mapping.review_status,
        "shared_concepts": [str(c) for c in mapping.shared],
        "subject_only_concepts": [str(c) for c in mapping.subject_only],
        "object_only_concepts": [str(c) for c in mapping.object_only],
        "via": [mapping_dict(m) for m in mapping.via],
    }


@RENDERERS.register(Kind.MAPPINGS, "table")
def _mappings_table(found: MappingSet, options: Options) -> bytes:
    return mappings_table(list(found.mappings), load_catalogue().names).encode("utf-8")


@RENDERERS.register(Kind.MAPPINGS, "json")
def _mappings_json(found: MappingSet, options: Options) -> bytes:
    extra = {} if found.disagreements is None else {"disagreements": [d.as_dict() for d in found.disagreements]}
    return envelope("ok", [mapping_dict(m) for m in found.mappings], **extra)


def _exporter(fmt: str) -> None:
    """The library's mapping exporters (EXPORTERS) as formats of mappings."""
    @RENDERERS.register(Kind.MAPPINGS, fmt)
    def render(found: MappingSet, options: Options) -> bytes:
        buffer = io.BytesIO()
        export(found.mappings, fmt, buffer, source_framework=found.source, target_framework=found.target,
               raw_cells=options.raw_cells)
        return buffer.getvalue()


for _name in sorted(EXPORTERS):
    _exporter(_name)


@RENDERERS.register(Kind.CROSSWALK_CHECK, "table")
def _check_table(result: CrosswalkCheck, options: Options) -> bytes:
    if result.ok:
        return f"{len(result.files)} file(s), {result.mappings} mapping(s): no findings\n".encode()
    return terminal_safe("\n".join(f.sentence() for f in result.findings) + "\n").encode("utf-8")


@RENDERERS.register(Kind.CROSSWALK_CHECK, "json")
def _check_json(result: CrosswalkCheck, options: Options) -> bytes:
    return envelope("ok" if result.ok else "findings", [f.as_dict() for f in result.findings], files=list(result.files))


def _ids(iri: object) -> str | None:
    return prefixed(iri, load_catalogue().names)  # type: ignore[arg-type]


@RENDERERS.register(Kind.CARRIED, "table")
def _carried_table(result: ApplyResult, options: Options) -> bytes:
    rows = [[_ids(c.source_criterion), c.relation.value, _ids(c.target_criterion),
             "carried" if c.full else "partial only", len(c.target_requirements)]
            for c in result.carried + result.partial]
    text = table(["SOURCE CELL (MET)", "RELATION", "TARGET CELL", "EFFECT", "REQUIREMENTS"], rows)
    return (text + f"\n{len(result.carried)} carried, {len(result.partial)} partial; "
            f"{result.not_carried} mapping(s) carry nothing (unreviewed, rejected or not cell to cell)\n").encode()


@RENDERERS.register(Kind.CARRIED, "json")
def _carried_json(result: ApplyResult, options: Options) -> bytes:
    return envelope("ok", [c.as_dict(_ids) for c in result.carried],
                    partial=[c.as_dict(_ids) for c in result.partial], not_carried=result.not_carried)


@RENDERERS.register(Kind.CARRIED, "turtle")
def _carried_turtle(result: ApplyResult, options: Options) -> bytes:
    return result.graph.serialize(format="turtle").encode("utf-8")
