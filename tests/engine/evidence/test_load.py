"""Loading evidence files: formats, safety, and errors that name the file and line."""
from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maturity_graph import InputError, assess, load_evidence
from maturity_graph.namespaces import EV
from tests.conftest import SBD

CONTEXT = {
    "ev": "https://w3id.org/maturity-graph/ev#",
    "sbd": SBD,
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "prov": "http://www.w3.org/ns/prov#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "ev:addresses": {"@type": "@id"},
    "ev:status": {"@type": "@id"},
    "ev:inAssessment": {"@type": "@id"},
    "prov:wasAttributedTo": {"@type": "@id"},
    "ev:date": {"@type": "xsd:date"},
    "ev:assessmentDate": {"@type": "xsd:date"},
    "ev:artifact": {"@type": "xsd:anyURI"},
}


def test_jsonld_evidence_assesses(tmp_path):
    doc = {"@context": CONTEXT, "@graph": [
        {"@id": "https://example.org/a", "@type": "ev:Assessment", "ev:assessmentDate": "2026-03-31"},
        {"@id": "https://example.org/p", "@type": "prov:Person", "rdfs:label": "Pat"},
        {"@id": "https://example.org/e", "@type": "ev:Attestation", "ev:inAssessment": "https://example.org/a",
         "ev:addresses": "sbd:security-policy-ownership-level-2-r1", "ev:status": "ev:Met", "ev:date": "2026-03-01",
         "ev:artifact": "https://wiki.example/policy", "prov:wasAttributedTo": "https://example.org/p"},
    ]}
    path = tmp_path / "evidence.jsonld"
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert (None, EV.status, EV.Met) in load_evidence([path]).graph
    assert assess([path]).framework("sbd").get("SPO").stage.rank == 2


def test_remote_jsonld_context_is_refused(tmp_path):
    path = tmp_path / "remote.jsonld"
    path.write_text(json.dumps({"@context": "http://127.0.0.1:9/context.jsonld", "@id": "urn:x", "urn:p": "v"}))
    with pytest.raises(InputError, match="remote JSON-LD contexts are not fetched"):
        load_evidence([path])


def test_unsupported_suffix(tmp_path):
    path = tmp_path / "evidence.rdf"
    path.write_text("<rdf:RDF/>")
    with pytest.raises(InputError, match="unsupported file type"):
        load_evidence([path])


def test_input_file_is_not_modified(tmp_path):
    path = tmp_path / "e.ttl"
    text = "@prefix ex: <https://example.org/> .\nex:a ex:b ex:c .\n"
    path.write_text(text)
    load_evidence([path])
    assert path.read_text() == text


@settings(max_examples=80, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=300).map(lambda s: s.encode("utf-8")))
def test_arbitrary_bytes_parse_or_fail_cleanly(tmp_path_factory, data):
    for suffix in (".ttl", ".jsonld", ".nt"):
        path = tmp_path_factory.mktemp("fuzz") / f"input{suffix}"
        path.write_bytes(data)
        try:
            load_evidence([path])
        except InputError as err:
            assert str(path) in str(err)
