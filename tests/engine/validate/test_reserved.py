"""Evidence may describe evidence only (issue 8, item 2): two forged triples once put every SbD
capability at Level 5 and `validate` said the file conformed."""
from __future__ import annotations

import json

import pytest

from maturity_graph import EvidenceError, assess, load_evidence, validate_evidence
from maturity_graph.assessment import pipeline as assessment_module
from maturity_graph.validate.wellformed import ValidationResult
from tests.conftest import REPO, up_to

NORTHWIND = REPO / "examples" / "northwind-devices" / "sbd-evidence.ttl"
LAKEVIEW = REPO / "examples" / "lakeview-agency" / "ztmm-2026q1.ttl"
KESTREL = REPO / "examples" / "kestrel-logistics" / "cnamm-evidence.ttl"

MODELS = {
    "sbd": "https://w3id.org/maturity-graph/framework/sbd/2025-06-18/model",
    "ztmm": "https://w3id.org/maturity-graph/framework/ztmm/2.0/model",
    "cnamm": "https://w3id.org/maturity-graph/framework/cnamm/unversioned/model",
}

FORGERY = """
@prefix mm: <https://w3id.org/maturity-graph/mm#> .
@prefix ex: <https://example.org/forgery/> .
<{model}> mm:hasStage ex:x .
ex:x mm:rank "5" .
"""


def _forged(tmp_path, source, model):
    path = tmp_path / f"forged-{source.name}"
    path.write_text(source.read_text(encoding="utf-8") + FORGERY.format(model=model), encoding="utf-8")
    return path


def _stages(result):
    return {(r.framework, r.kind, r.id): (r.stage.rank if r.stage else None, r.score) for r in result.results}


@pytest.mark.parametrize("fw, source", [("sbd", NORTHWIND), ("ztmm", LAKEVIEW), ("cnamm", KESTREL)])
def test_validation_names_the_forged_nodes(tmp_path, fw, source):
    check = validate_evidence(load_evidence([_forged(tmp_path, source, MODELS[fw])]))
    assert not check.conforms
    offending = {(v.focus, v.path) for v in check.violations if "evidence may describe evidence only" in v.message}
    assert (f"{fw}:model", "mm:hasStage") in offending
    assert ("<https://example.org/forgery/x>", "mm:rank") in offending or any(p == "mm:rank" for _, p in offending)


def test_assess_refuses_forged_evidence(tmp_path):
    with pytest.raises(EvidenceError, match="evidence may describe evidence only"):
        assess([_forged(tmp_path, NORTHWIND, MODELS["sbd"])])


@pytest.mark.parametrize("fw, source", [("sbd", NORTHWIND), ("ztmm", LAKEVIEW), ("cnamm", KESTREL)])
def test_rules_are_read_from_content_only(tmp_path, monkeypatch, fw, source):
    """Even if the check above had a bug, rule queries read stages from the content graph only."""
    honest = _stages(assess([source]))
    monkeypatch.setattr(assessment_module, "check_run",
                        lambda run, engine="sparql": ValidationResult(files=[], violations=[]))
    forged = _stages(assess([_forged(tmp_path, source, MODELS[fw])]))
    assert forged == honest


def test_jsonld_graph_named_like_bundled_content_is_refused(tmp_path):
    doc = {
        "@context": {"mm": "https://w3id.org/maturity-graph/mm#", "ex": "https://example.org/"},
        "@id": "https://w3id.org/maturity-graph/graph/content",
        "@graph": [
            {"@id": MODELS["sbd"], "mm:hasStage": {"@id": "ex:x"}},
            {"@id": "ex:x", "mm:rank": "5"},
        ],
    }
    path = tmp_path / "forged.jsonld"
    path.write_text(json.dumps(doc), encoding="utf-8")
    check = validate_evidence(load_evidence([path]))
    assert {v.path for v in check.violations
            if "evidence may describe evidence only" in v.message} == {"mm:hasStage", "mm:rank"}


@pytest.mark.parametrize("triple", [
    "ex:mine rdfs:subClassOf ev:Attestation .",
    "ev:Attestation rdfs:label \"renamed\" .",
    "ex:shape sh:targetClass ev:Attestation .",
    "ex:thing owl:sameAs sbd:model .",
    "sbd:security-policy-ownership-level-2-r1 rdfs:comment \"always met\" .",
])
def test_every_family_of_content_statement_is_refused(write_evidence, triple):
    path = write_evidence(up_to("SPO", 2))
    path.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
                    + path.read_text(encoding="utf-8") + "\n" + triple + "\n", encoding="utf-8")
    check = validate_evidence(load_evidence([path]))
    assert any("evidence may describe evidence only" in v.message for v in check.violations), check.violations


@pytest.mark.parametrize("example", sorted((REPO / "examples").rglob("*.ttl")), ids=lambda p: p.name)
def test_bundled_examples_describe_evidence_only(example):
    check = validate_evidence(load_evidence([example]))
    assert not [v for v in check.violations if "evidence may describe evidence only" in v.message]


def test_evidence_cannot_say_what_counts_on_the_day(tmp_path):
    """ev:countsFor is what the engine derives for current evidence; stated in a file, expired evidence
    would satisfy its requirement. The file is refused, by path, naming the property."""
    text = NORTHWIND.read_text(encoding="utf-8")
    forged = tmp_path / "counts-for.ttl"
    forged.write_text(text + """
<https://example.org/forgery/item> <https://w3id.org/maturity-graph/ev#countsFor>
    <https://w3id.org/maturity-graph/framework/sbd/2025-06-18/threat-modeling-level-2-r1> .
""", encoding="utf-8")
    check = validate_evidence([forged])
    offending = [v for v in check.violations if v.path == "ev:countsFor"]
    assert offending and offending[0].file == str(forged)
    assert "evidence may describe evidence only" in offending[0].message
    with pytest.raises(EvidenceError, match="countsFor"):
        assess([forged])


def test_a_content_subject_is_reported_once_as_a_content_subject(tmp_path):
    """A triple whose subject and predicate are both content's is one violation, about the subject: a subject
    the content describes is the graver fault, and the same triple is not listed twice."""
    check = validate_evidence(load_evidence([_forged(tmp_path, NORTHWIND, MODELS["sbd"])]))
    on_model = [v for v in check.violations if (v.focus, v.path) == ("sbd:model", "mm:hasStage")]
    assert len(on_model) == 1
    assert on_model[0].message.startswith("describes a term of the bundled content or vocabulary")
