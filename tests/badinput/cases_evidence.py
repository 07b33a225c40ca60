"""Evidence that tries to rewrite the rules or set degenerate organisation settings (issue 8, items 2 and 3)."""
from __future__ import annotations

import json

from tests.badinput.harness import REPO, Case

NORTHWIND = "{repo}/examples/northwind-devices/sbd-evidence.ttl"
LAKEVIEW = "{repo}/examples/lakeview-agency/ztmm-2026q1.ttl"
KESTREL = "{repo}/examples/kestrel-logistics/cnamm-evidence.ttl"
SBD_MODEL = "https://w3id.org/maturity-graph/framework/sbd/2025-06-18/model"
PREFIXES = """@prefix ev: <https://w3id.org/maturity-graph/ev#> .
@prefix mm: <https://w3id.org/maturity-graph/mm#> .
@prefix cnamm: <https://w3id.org/maturity-graph/framework/cnamm/unversioned/> .
@prefix ztmm: <https://w3id.org/maturity-graph/framework/ztmm/2.0/> .
@prefix ex: <https://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
"""
FORGED = r"not well-formed: .*forged\.\w+: node .*evidence may describe evidence only"

CASES = [
    Case(id="evidence-adds-a-stage-to-a-framework", argv=["assess", NORTHWIND, "forged.ttl"],
         files={"forged.ttl": PREFIXES + f"<{SBD_MODEL}> mm:hasStage ex:x .\nex:x mm:rank \"5\" .\n"},
         message=FORGED),
    Case(id="evidence-relabels-a-stage", argv=["assess", LAKEVIEW, "forged.ttl"],
         files={"forged.ttl": PREFIXES + "ztmm:stage-optimal mm:rank 1 .\n"},
         message=FORGED),
    Case(id="evidence-declares-a-shape", argv=["assess", NORTHWIND, "forged.ttl"],
         files={"forged.ttl": PREFIXES + "ex:shape a sh:NodeShape ; sh:targetClass ev:Attestation .\n"},
         message=FORGED),
    Case(id="evidence-subclasses-the-vocabulary", argv=["assess", NORTHWIND, "forged.ttl"],
         files={"forged.ttl": PREFIXES + "ex:Mine rdfs:subClassOf ev:Attestation .\n"},
         message=FORGED),
    Case(id="jsonld-graph-named-like-content", argv=["assess", NORTHWIND, "forged.jsonld"],
         files={"forged.jsonld": json.dumps({
             "@context": {"mm": "https://w3id.org/maturity-graph/mm#"},
             "@id": "https://w3id.org/maturity-graph/graph/content",
             "@graph": [{"@id": SBD_MODEL, "mm:hasStage": {"@id": "https://example.org/x"}},
                        {"@id": "https://example.org/x", "mm:rank": "5"}]})},
         message=FORGED),
    Case(id="all-weights-zero", argv=["assess", KESTREL, "weights.ttl"],
         files={"weights.ttl": PREFIXES + "ex:kestrel-cnamm-2026q2 ev:weightSetting "
                + " , ".join(f"[ ev:weighting cnamm:weight-{w} ; ev:weightValue 0 ]"
                             for w in ("rso", "iag", "srg", "scv", "ips", "tdr", "adp", "rsa")) + " .\n"},
         message=r"every weight of roll-up .* to 0"),
    Case(id="nan-decimal-threshold", argv=["assess", "nan.ttl"],
         make=lambda d: (d / "nan.ttl").write_text(
             (REPO / "examples/lakeview-agency/ztmm-2026q1.ttl").read_text(encoding="utf-8")
             .replace("ev:thresholdValue 0.95", 'ev:thresholdValue "NaN"^^xsd:decimal'), encoding="utf-8"),
         message=r"nan\.ttl: node .*not an xsd:decimal"),
    Case(id="infinite-decimal-threshold", argv=["assess", "nan.ttl"],
         make=lambda d: (d / "nan.ttl").write_text(
             (REPO / "examples/lakeview-agency/ztmm-2026q1.ttl").read_text(encoding="utf-8")
             .replace("ev:thresholdValue 0.95", 'ev:thresholdValue "-Infinity"^^xsd:decimal'), encoding="utf-8"),
         message=r"not an xsd:decimal"),
]
