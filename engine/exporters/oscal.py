"""OSCAL 1.2 `mapping-collection` JSON: one `mapping` per pair of frameworks, one `map` per
mapping, relationships as OSCAL's set-theory tokens (NIST IR 8477).

UUIDs are version-5 UUIDs of the mapping set and element IRIs, so exporting the same mappings
twice gives the same document. Strength, review status, justification, author and reviewer,
which OSCAL has no field for, are `props` in the maturity-graph namespace.
"""
from __future__ import annotations

import datetime as dt
import io
import json
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, TextIO

from rdflib import URIRef

from ..catalogue import Framework
from ..crosswalk.model import Mapping, Relation
from ..crosswalk.sssom import MAPPING_SET_BASE
from ..errors import InputError
from .interface import ExportContext, Exporter

OSCAL_VERSION = "1.2.1"
PROPS_NS = "https://w3id.org/maturity-graph/ns/oscal"
RELATIONSHIPS = {
    Relation.EQUAL: "equal-to",
    Relation.SUBSET_OF: "subset-of",
    Relation.SUPERSET_OF: "superset-of",
    Relation.INTERSECTS_WITH: "intersects-with",
    Relation.NOT_RELATED: "no-relationship",
}
EPOCH = dt.date(1970, 1, 1)


JSON = dict[str, Any]  # a JSON object as json.loads gives it


def _uuid(*parts: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "|".join(parts)))


def _prop(name: str, value: str) -> dict[str, str]:
    return {"name": name, "ns": PROPS_NS, "value": value}


def _oriented(m: Mapping, context: ExportContext) -> Mapping:
    """A mapping from the target framework to the source one is turned round (inverse relation)."""
    subject_fw = context.framework_of(m.subject)
    if subject_fw == context.target_framework and context.framework_of(m.object) == context.source_framework:
        return replace(m, subject=m.object, object=m.subject, relations=frozenset(r.inverse for r in m.relations))
    return m


def _item(iri: URIRef, context: ExportContext) -> JSON:
    item: JSON = {"type": "control", "id-ref": str(iri).rstrip("/").rsplit("/", 1)[-1],
            "links": [{"href": str(iri), "rel": "reference"}]}
    props = []
    identifier = context.identifier(iri)
    if identifier:
        props.append(_prop("identifier", identifier))
    label = context.label(iri)
    if label:
        props.append(_prop("label", " ".join(label.split())))
    if props:
        item["props"] = props
    return item


def _map(m: Mapping, set_id: str, context: ExportContext) -> JSON:
    relation = m.relation
    if relation is None:
        raise InputError(
            f"the mapping {m.subject} -> {m.object} leaves several relations possible; "
            "an OSCAL map holds one relationship"
        )
    entry: JSON = {
        "uuid": _uuid(set_id, str(m.subject), relation.value, str(m.object)),
        "relationship": RELATIONSHIPS[relation],
        "sources": [_item(m.subject, context)],
        "targets": [_item(m.object, context)],
    }
    if m.rationale:
        entry["matching-rationale"] = m.rationale
    if m.confidence is not None:
        entry["confidence-score"] = {"percentage": float(m.confidence)}
    props = [_prop("review-status", m.review_status), _prop("mapping-justification", m.justification)]
    if m.strength is not None:
        props.append(_prop("strength", str(m.strength)))
    props += [_prop("author", a) for a in m.author] + [_prop("reviewer", r) for r in m.reviewer]
    if m.date is not None:
        props.append(_prop("mapping-date", m.date.isoformat()))
    entry["props"] = props
    if m.comment:
        entry["remarks"] = m.comment
    return entry


def _resource(fw: Framework) -> JSON:
    return {
        "type": "catalog",
        "href": str(fw.iri),
        "props": [_prop("framework", fw.id), _prop("framework-version", fw.version)],
        "remarks": fw.label,
    }


def to_oscal(mappings: Sequence[Mapping], *, context: ExportContext) -> JSON:
    """The OSCAL document as a dict: {"mapping-collection": {...}}."""
    set_id = MAPPING_SET_BASE + context.name
    oriented = [_oriented(m, context) for m in mappings]
    groups: dict[tuple[str, str], list[Mapping]] = {}
    fws: dict[str, Framework] = {}
    for m in oriented:
        subject_fw = context.framework_of(m.subject) or context.source_framework
        object_fw = context.framework_of(m.object) or context.target_framework
        fws[subject_fw.id], fws[object_fw.id] = subject_fw, object_fw
        groups.setdefault((subject_fw.id, object_fw.id), []).append(m)
    collection_mappings: list[JSON] = []
    for (source_id, target_id), members in sorted(groups.items()):
        maps = sorted((_map(m, set_id, context) for m in members), key=_map_key)
        collection_mappings.append(
            {
                "uuid": _uuid(set_id, "mapping", source_id, target_id),
                "source-resource": _resource(fws[source_id]),
                "target-resource": _resource(fws[target_id]),
                "maps": maps,
            }
        )
    if not collection_mappings:
        raise InputError("there are no mappings to export; an OSCAL mapping-collection needs at least one map")
    date = context.set_date(mappings) or EPOCH
    rationales = Counter(m.rationale for m in mappings if m.rationale)
    rationale = min(rationales.items(), key=lambda kv: (-kv[1], kv[0]))[0] if rationales else "semantic"
    curated = all(m.justification == "semapv:ManualMappingCuration" for m in mappings)
    reviewed = all(m.reviewed for m in mappings)
    content_key = "\n".join(sorted(m_["uuid"] for c in collection_mappings for m_ in c["maps"]))
    return {
        "mapping-collection": {
            "uuid": _uuid(set_id, content_key),
            "metadata": {
                "title": context.set_title,
                "last-modified": dt.datetime.combine(date, dt.time(0), tzinfo=dt.UTC).isoformat(),
                "version": date.isoformat(),
                "oscal-version": OSCAL_VERSION,
                "props": [_prop("mapping-set-id", set_id)],
            },
            "provenance": {
                "method": "human" if curated else "automation",
                "matching-rationale": rationale,
                "status": "complete" if reviewed else "draft",
                "mapping-description": (
                    f"Set-theory relationship mappings (NIST IR 8477) from {context.source_framework.label} "
                    f"to {context.target_framework.label}, exported by maturity-graph from {set_id}."
                ),
            },
            "mappings": collection_mappings,
        }
    }


def _map_key(entry: JSON) -> tuple[str, str, str]:
    return (entry["sources"][0]["links"][0]["href"], entry["relationship"], entry["targets"][0]["links"][0]["href"])


def write_oscal(document: JSON, stream: TextIO) -> None:
    stream.write(json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n")


class OSCALExporter(Exporter):
    name = "oscal"
    media_type = "application/json"
    suffix = ".json"

    def render(self, mappings: Sequence[Mapping], *, context: ExportContext) -> str:
        buffer = io.StringIO()
        write_oscal(to_oscal(mappings, context=context), buffer)
        return buffer.getvalue()
