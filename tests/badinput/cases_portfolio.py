"""Portfolios (issue 10): subjects that are not there, maps and joins that cannot be, evidence outside
every assessment, trends with two snapshots of a day."""
from __future__ import annotations

from tests.badinput.harness import REPO, Case

NORTHWIND = (REPO / "examples" / "northwind-devices" / "sbd-evidence.ttl").read_text(encoding="utf-8")
LAKEVIEW = (REPO / "examples" / "lakeview-agency" / "ztmm-2026q1.ttl").read_text(encoding="utf-8")
SCAN = (REPO / "examples" / "fernhill-payments" / "prowler-scan.ocsf.json").read_text(encoding="utf-8")
ACCOUNT = "210987654321"
PREFIXES = """@prefix ev: <https://w3id.org/maturity-graph/ev#> .
@prefix sbd: <https://w3id.org/maturity-graph/framework/sbd/2025-06-18/> .
@prefix ex: <https://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
STRAY = PREFIXES + ("ex:stray a ev:Attestation ; ev:addresses sbd:security-policy-ownership-level-2-r1 ;\n"
                    '    ev:status ev:Met ; ev:date "2026-01-01"^^xsd:date .\n')
BLANK = PREFIXES + ('_:a a ev:Assessment ; ev:assessmentDate "2026-03-31"^^xsd:date .\n'
                    "ex:i a ev:Attestation ; ev:inAssessment _:a ;\n"
                    "    ev:addresses sbd:security-policy-ownership-level-2-r1 ;\n"
                    '    ev:status ev:Met ; ev:date "2026-01-01"^^xsd:date .\n')
NO_SUBJECT = r"no assessment of subject 'nope' in the evidence; subjects: Northwind Devices"

CASES = [
    Case(id="assess-unknown-subject", argv=["assess", "nw.ttl", "--subject", "nope"], files={"nw.ttl": NORTHWIND},
         message=NO_SUBJECT),
    Case(id="assess-junit-unknown-subject", argv=["assess", "nw.ttl", "-f", "junit", "-o", "out.xml", "--subject",
                                                  "nope"], files={"nw.ttl": NORTHWIND}, message=NO_SUBJECT),
    Case(id="roadmap-unknown-subject", argv=["roadmap", "nw.ttl", "--subject", "nope"], files={"nw.ttl": NORTHWIND},
         message=NO_SUBJECT),
    Case(id="roadmap-missing-file", argv=["roadmap", "missing.ttl"], message=r"missing\.ttl: file not found"),
    Case(id="trend-two-snapshots-of-one-day", argv=["trend", "a.ttl", "b.ttl"],
         files={"a.ttl": LAKEVIEW, "b.ttl": LAKEVIEW},
         message=r"a\.ttl and b\.ttl both hold a ztmm assessment of the unnamed subject on 2026-03-31"),
    Case(id="assess-evidence-outside-every-assessment", argv=["assess", "nw.ttl", "stray.ttl"],
         files={"nw.ttl": NORTHWIND, "stray.ttl": STRAY},
         message=r"stray\.ttl: node ex:stray, property ev:inAssessment: belongs to no assessment"),
    Case(id="assess-assessment-named-by-a-blank-node", argv=["assess", "blank.ttl"], files={"blank.ttl": BLANK},
         message=r"blank\.ttl: node _:\w+: an assessment must be named by an IRI"),
    Case(id="import-subject-map-account-twice",
         argv=["evidence", "import", "--from", "prowler", "scan.json", "--subject-map", "map.csv", "-o", "out.ttl"],
         files={"scan.json": SCAN, "map.csv": f"account,subject\n{ACCOUNT},Payments\n{ACCOUNT},Other\n"},
         message=rf"map\.csv:3: account '{ACCOUNT}' is mapped twice \(first at line 2\)"),
    Case(id="import-subject-map-unknown-column",
         argv=["evidence", "import", "--from", "prowler", "scan.json", "--subject-map", "map.csv", "-o", "out.ttl"],
         files={"scan.json": SCAN, "map.csv": "account,subjekt\n1,a\n"},
         message=r"map\.csv:1: the subject map header has unknown column 'subjekt'"),
    Case(id="import-join-a-malformed-assessment-iri",
         argv=["evidence", "import", "--from", "prowler", "scan.json", "--assessment", "http://[x", "-o", "out.ttl"],
         files={"scan.json": SCAN}, message=r"the assessment to join 'http://\[x' is not an absolute IRI"),
    Case(id="import-unknown-subject-kind",
         argv=["evidence", "import", "--from", "prowler", "scan.json", "--subject-kind", "spaceship", "-o", "out.ttl"],
         files={"scan.json": SCAN}, message=r"'spaceship' is not one of 'product'"),
]
