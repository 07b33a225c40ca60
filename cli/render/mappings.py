"""Text and JSON views of mappings, findings and carried evidence."""
from __future__ import annotations

from maturity_graph import Mapping, prefixed

from .table import table


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
