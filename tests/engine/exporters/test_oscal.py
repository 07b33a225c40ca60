"""export/oscal.py: an OSCAL 1.2 mapping-collection that compliance-trestle loads."""
from __future__ import annotations

import io
import json
import uuid

from trestle.oscal.mapping import MappingCollection

from maturity_graph.exporters import export


def _document(mappings) -> dict:
    buffer = io.StringIO()
    export(mappings, "oscal", buffer, source_framework="ztmm", target_framework="csmm")
    return json.loads(buffer.getvalue())


def test_oscal_loads_through_trestle(mappings):
    document = _document(mappings)
    collection = MappingCollection.model_validate(document["mapping-collection"])
    mapping = collection.mappings if not isinstance(collection.mappings, list) else collection.mappings[0]
    assert len(collection.mappings) == 1, "one mapping per pair of frameworks"
    assert mapping.source_resource.href.endswith("/ztmm/2.0/model")
    assert mapping.target_resource.href.endswith("/csmm/unversioned/model")
    assert len(mapping.maps) == len(mappings)


def test_oscal_relationships_and_props(mappings):
    maps = _document(mappings)["mapping-collection"]["mappings"][0]["maps"]
    by_pair = {(m["sources"][0]["id-ref"], m["targets"][0]["id-ref"]): m for m in maps}
    assert by_pair[("identity-authentication-advanced", "iam-l1")]["relationship"] == "subset-of"
    assert by_pair[("identity-authentication-optimal", "iam-l3")]["relationship"] == "equal-to"
    assert by_pair[("identity-identity-stores-advanced", "storage-l1")]["relationship"] == "no-relationship"
    assert by_pair[("identity-authentication", "iam-pillar")]["relationship"] == "intersects-with"
    # csmm:iam-l2 superset_of ztmm:...-initial is turned round to run from ZTMM to CSMM
    assert by_pair[("identity-authentication-initial", "iam-l2")]["relationship"] == "subset-of"
    first = by_pair[("identity-authentication-advanced", "iam-l1")]
    props = {p["name"]: p["value"] for p in first["props"]}
    assert props["strength"] == "6" and props["review-status"] == "reviewed"
    assert first["matching-rationale"] == "semantic"
    assert first["confidence-score"] == {"percentage": 0.8}


def test_oscal_is_deterministic(mappings):
    assert _document(mappings) == _document(list(reversed(mappings)))
    document = _document(mappings)["mapping-collection"]
    for value in [document["uuid"]] + [m["uuid"] for m in document["mappings"][0]["maps"]]:
        assert uuid.UUID(value).version == 5
