"""Synthetic but realistic evidence for a whole estate, at a chosen size in triples; seeded, deterministic.

An estate is what a large organisation feeds mgraph: one assessment naming every bundled
model; attestations and observations from many business units over several years (so some are
stale), each with a date, an attester, an artifact link and sometimes a digest, notes that justify
not-applicable claims; and a Prowler scan (OCSF JSON) of many AWS accounts turned into evidence by
the real importer. Everything ends up in one N-Triples file, the cheapest format for every reader,
so the load floor and mgraph read the same bytes.

    build_estate(100_000, Path("out"))   # -> Estate(path=out/estate-100k.nt, triples=~100k, ...)
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

import pyoxigraph

from maturity_graph import Catalogue, import_prowler, load_catalogue
from maturity_graph.evidence.findings import load_mapping

ASSESSMENT_DATE = dt.date(2026, 11, 30)
# About this share of the triples comes from the Prowler scan; the rest are attestations and observations.
SCAN_SHARE = 0.35
# Triples the importer writes per OCSF finding: a check result of seven, and about one link from a control.
TRIPLES_PER_FINDING = 8.0
FINDINGS_PER_ACCOUNT = 200

EV = "https://w3id.org/maturity-graph/ev#"
PROV = "http://www.w3.org/ns/prov#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
XSD = "http://www.w3.org/2001/XMLSchema#"
BASE = "https://halden.example/evidence/"
# The one assessment of the estate: the group's own attestations and every account's scan results.
ESTATE_ASSESSMENT = f"{BASE}assessment-2026q4"
ESTATE_SUBJECT = "Halden Group AWS estate"  # every account of the scan, as one subject

UNITS = ("retail-banking", "payments", "insurance", "wealth", "group-it", "data-platform", "mobile", "cards",
         "treasury", "hr-systems", "customer-identity", "trading")
FIRST = ("Amara", "Lukas", "Rosa", "Mei", "Nadia", "Owen", "Ingrid", "Kwame", "Priya", "Tomas", "Ines", "Sven",
         "Aiko", "Femi", "Lena", "Marco", "Noor", "Pavel", "Rhea", "Yusuf")
LAST = ("Okafor", "Brandt", "Marquez", "Tanaka", "Haddad", "Gallagher", "Solberg", "Asante", "Raman", "Duarte",
        "Lindqvist", "Sato", "Adeyemi", "Novak", "Rossi", "Khan", "Ivanova", "Costa", "Demir", "Walsh")
ROLES = ("Security Architect", "Platform Lead", "Risk Manager", "SOC Lead", "AppSec Engineer", "SRE Manager",
         "Identity Engineer", "Compliance Analyst", "CISO Office", "Cloud Engineer")
HOSTS = ("wiki.halden.example", "jira.halden.example", "git.halden.example", "grc.halden.example",
         "ci.halden.example")
NOTES = ("The business unit runs no workload of this kind; confirmed in the architecture review.",
         "Outsourced to the group platform; covered by the provider's SOC 2 report.",
         "Not in scope: the system is being retired this year.")
# Real Prowler AWS check ids that no CSMM control maps to: a real scan holds many of them.
UNMAPPED_CHECKS = (
    "account_maintain_current_contact_details", "account_security_contact_information_is_registered",
    "cloudtrail_insights_exist", "cloudwatch_log_group_kms_encryption_enabled",
    "ec2_securitygroup_allow_ingress_from_internet_to_any_port",
    "ec2_securitygroup_allow_ingress_from_internet_to_high_risk_tcp_ports",
    "ec2_securitygroup_allow_wide_open_public_ipv4", "iam_password_policy_minimum_length_14",
    "iam_password_policy_reuse_24", "iam_securityaudit_role_created", "iam_support_role_created",
    "organizations_delegated_administrators", "organizations_tags_policies_enabled_and_attached",
    "s3_bucket_server_access_logging_enabled",
)
RESOURCE_TYPES = {"ec2": "AwsEc2Instance", "s3": "AwsS3Bucket", "iam": "AwsIamRole", "rds": "AwsRdsDbInstance",
                  "kms": "AwsKmsKey", "cloudtrail": "AwsCloudTrailTrail", "vpc": "AwsEc2Vpc",
                  "guardduty": "AwsGuardDutyDetector", "cloudwatch": "AwsLogsLogGroup",
                  "backup": "AwsBackupBackupVault", "secretsmanager": "AwsSecretsManagerSecret",
                  "dynamodb": "AwsDynamoDbTable"}
REGIONS = ("eu-west-1", "eu-central-1", "us-east-1", "ap-southeast-2")


@dataclass(frozen=True)
class Estate:
    """One generated estate: the N-Triples file and what went into it."""

    path: Path
    triples: int
    attestations: int
    observations: int
    scan: Path
    findings: int
    accounts: int


ScanImporter = Callable[[Path, Path], None]


def parse_size(text: str) -> int:
    """10k -> 10000, 1M -> 1000000, 2500 -> 2500."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kKmM]?)\s*", text)
    if not match:
        raise ValueError(f"not a size: {text!r} (write 10k, 100k, 1M or a number)")
    factor = {"": 1, "k": 1_000, "m": 1_000_000}[match.group(2).lower()]
    return int(Decimal(match.group(1)) * factor)


def size_name(triples: int) -> str:
    """The short name of a size: 10000 -> 10k, 1000000 -> 1M."""
    if triples % 1_000_000 == 0:
        return f"{triples // 1_000_000}M"
    if triples % 1_000 == 0:
        return f"{triples // 1_000}k"
    return str(triples)


def import_in_process(scan: Path, out: Path) -> None:
    """Turn the scan into evidence with the library's importer (what `mgraph evidence import` calls), joining
    the estate-wide assessment: the group assesses its whole estate at once, every account included."""
    imported = import_prowler(scan, subject=ESTATE_SUBJECT, assessment=ESTATE_ASSESSMENT)
    imported.graph.serialize(out, format="nt", encoding="utf-8")


def build_estate(triples: int, directory: Path, *, seed: int = 7, importer: ScanImporter = import_in_process,
                 catalogue: Catalogue | None = None) -> Estate:
    """Write an estate of about `triples` triples to `directory` and return what was written.

    `importer` turns the OCSF scan into an RDF file (any syntax pyoxigraph guesses from the
    extension); the benchmark passes one that runs and times `mgraph evidence import`.
    """
    catalogue = catalogue or load_catalogue()
    rng = random.Random(f"{seed}:{triples}")
    name = size_name(triples)
    findings = max(40, round(triples * SCAN_SHARE / TRIPLES_PER_FINDING))
    accounts = max(2, findings // FINDINGS_PER_ACCOUNT)
    scan = directory / f"scan-{name}.ocsf.json"
    write_scan(scan, findings=findings, accounts=accounts, rng=rng)
    imported = directory / f"scan-{name}.ttl"
    importer(scan, imported)
    path = directory / f"estate-{name}.nt"
    # Sorted, so the file is the same bytes whatever order the importer wrote its triples in.
    lines = sorted({f"{t.subject} {t.predicate} {t.object} .\n"
                    for t in pyoxigraph.parse(path=str(imported), format=pyoxigraph.RdfFormat.TURTLE)})
    with path.open("wb") as out:
        out.writelines(line.encode() for line in lines)
        own = EstateWriter(catalogue, rng, out)
        own.write(max(0, triples - len(lines)))
    return Estate(path, len(lines) + own.triples, own.attestations, own.observations, scan, findings, accounts)


class EstateWriter:
    """Writes the organisation's own evidence as N-Triples until a triple budget is spent."""

    def __init__(self, catalogue: Catalogue, rng: random.Random, out: BinaryIO) -> None:
        self.rng = rng
        self.out = out
        self.rows = [row for fw_id in catalogue.ids() for row in catalogue.requirement_rows(catalogue.get(fw_id))]
        self.frameworks = [catalogue.get(fw_id).iri for fw_id in catalogue.ids()]
        self.triples = 0
        self.attestations = 0
        self.observations = 0

    def emit(self, s: str, p: str, o: str) -> None:
        self.out.write(f"{s} <{p}> {o} .\n".encode())
        self.triples += 1

    def write(self, budget: int) -> None:
        assessment = f"<{ESTATE_ASSESSMENT}>"
        organisation = f"<{BASE}halden-group>"
        self.emit(organisation, RDF_TYPE, f"<{PROV}Organization>")
        self.emit(organisation, RDFS_LABEL, text("Halden Group"))
        self.emit(assessment, RDF_TYPE, f"<{EV}Assessment>")
        self.emit(assessment, RDFS_LABEL, text("Halden Group, estate-wide maturity assessment, Q4 2026", "en"))
        self.emit(assessment, f"{EV}organisation", organisation)
        self.emit(assessment, f"{EV}assessmentDate", typed(ASSESSMENT_DATE.isoformat(), "date"))
        self.emit(assessment, f"{EV}scope", text(f"All {len(UNITS)} business units and the group platforms"))
        for framework in self.frameworks:
            self.emit(assessment, f"{EV}framework", f"<{framework}>")
        people = [f"<{BASE}person-{i}>" for i in range(max(6, budget // 4000))]
        for i, person in enumerate(people):
            kind = "Organization" if i % 25 == 24 else "Person"  # now and then an outside auditor
            label = (f"{LAST[i % len(LAST)]} Assurance LLP" if kind == "Organization" else
                     f"{FIRST[i % len(FIRST)]} {LAST[(i // len(FIRST)) % len(LAST)]} ({ROLES[i % len(ROLES)]})")
            self.emit(person, RDF_TYPE, f"<{PROV}{kind}>")
            self.emit(person, RDFS_LABEL, text(label))
        while self.triples < budget:
            self.item(assessment, people)

    def item(self, assessment: str, people: list[str]) -> None:
        rng = self.rng
        row = rng.choice(self.rows)
        observation = row.measured and rng.random() < 0.8
        index = self.attestations + self.observations
        unit = UNITS[index % len(UNITS)]
        node = f"<{BASE}{unit}/e{index}>"
        status = rng.choices(("Met", "NotMet", "NotApplicable", "Unknown"), (66, 18, 10, 6))[0]
        self.emit(node, RDF_TYPE, f"<{EV}{'Observation' if observation else 'Attestation'}>")
        self.emit(node, RDFS_LABEL, text(f"{row.id} in {unit}: {row.text[:80]}", "en"))
        self.emit(node, f"{EV}inAssessment", assessment)
        self.emit(node, f"{EV}addresses", f"<{row.requirement}>")
        if not observation and rng.random() < 0.1:  # one artifact that shows a sibling requirement too
            sibling = rng.choice(self.rows)
            if sibling.requirement != row.requirement and sibling.place.capability == row.place.capability:
                self.emit(node, f"{EV}addresses", f"<{sibling.requirement}>")
        self.emit(node, f"{EV}status", f"<{EV}{status}>")
        self.emit(node, f"{EV}date", typed(evidence_date(rng).isoformat(), "date"))
        self.emit(node, f"{PROV}wasAttributedTo", rng.choice(people))
        emit_support(self.emit, node, status, lambda: f"https://{rng.choice(HOSTS)}/{unit}/{row.id.lower()}/{index}",
                     rng)
        if observation:
            value = Decimal(rng.randint(550, 1000)) / 1000
            self.emit(node, f"{EV}measure", f"<{row.measure}>")
            if row.population is not None:  # a pack's measured requirements name no population
                self.emit(node, f"{EV}population", f"<{row.population}>")
            self.emit(node, f"{EV}value", typed(str(value), "decimal"))
            self.observations += 1
        else:
            self.attestations += 1


def emit_support(emit: Callable[[str, str, str], None], node: str, status: str, link: Callable[[], str],
                 rng: random.Random) -> None:
    """An item's artifact link (`link` makes it; now and then with a digest) and note, as assessors write them:
    a few claims bare, so that they cannot count, and a not-applicable one always with its reason."""
    if status != "NotApplicable" and rng.random() > 0.03:
        url = link()
        emit(node, f"{EV}artifact", typed(url, "anyURI"))
        if rng.random() < 0.3:
            emit(node, f"{EV}artifactHash", text("sha256:" + hashlib.sha256(url.encode()).hexdigest()))
    if status == "NotApplicable" or rng.random() < 0.05:
        emit(node, f"{EV}note", text(rng.choice(NOTES)))


def evidence_date(rng: random.Random) -> dt.date:
    """Most evidence is recent; a quarter is months old, a fifth older than any validity period."""
    roll = rng.random()
    days = rng.randint(0, 25) if roll < 0.55 else rng.randint(26, 330) if roll < 0.8 else rng.randint(400, 1100)
    return ASSESSMENT_DATE - dt.timedelta(days=days)


def text(value: str, lang: str | None = None) -> str:
    """An N-Triples string literal."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"@{lang}' if lang else f'"{escaped}"'


def typed(value: str, datatype: str) -> str:
    return f'"{value}"^^<{XSD}{datatype}>'


def write_scan(path: Path, *, findings: int, accounts: int, rng: random.Random) -> None:
    """A Prowler 5 OCSF JSON scan (the layout `prowler -M json-ocsf` writes) of `accounts` AWS accounts."""
    mapped = sorted(load_mapping("prowler", "csmm").controls_by_check)
    checks = mapped + list(UNMAPPED_CHECKS)
    with path.open("w", encoding="utf-8") as out:
        out.write("[")
        for number, record in enumerate(scan_records(findings, accounts, checks, rng)):
            out.write(("," if number else "") + "\n" + json.dumps(record))
        out.write("\n]\n")


def scan_records(findings: int, accounts: int, checks: list[str], rng: random.Random) -> Iterator[dict[str, object]]:
    start = dt.datetime.combine(ASSESSMENT_DATE, dt.time(6, 0), tzinfo=dt.UTC)
    per_account = -(-findings // accounts)
    made = 0
    for a in range(accounts):
        account = f"{210000000000 + a * 7919:012d}"
        order = checks[:]
        rng.shuffle(order)
        done = 0
        while done < per_account and made < findings:
            check = order[done % len(order)]
            service = check.split("_", 1)[0]
            region = rng.choice(REGIONS)
            status = rng.choices(("PASS", "FAIL", "MANUAL"), (72, 25, 3))[0]
            muted = rng.random() < 0.02
            when = start + dt.timedelta(seconds=made)
            resource = f"arn:aws:{service}:{region}:{account}:{service}-resource-{done}"
            yield ocsf_record(check, status, muted, account, region, resource, RESOURCE_TYPES.get(service, "Other"),
                              when)
            done += 1
            made += 1


def ocsf_record(check: str, status: str, muted: bool, account: str, region: str, resource: str, rtype: str,
                when: dt.datetime) -> dict[str, object]:
    """One OCSF Detection Finding as Prowler 5.x writes it (trimmed of the long compliance lists)."""
    title = check.replace("_", " ").capitalize()
    return {
        "message": f"{title}: {status.lower()} for {resource}.",
        "metadata": {"event_code": check,
                     "product": {"name": "Prowler", "uid": "prowler", "vendor_name": "Prowler", "version": "5.46.0"},
                     "profiles": ["cloud", "datetime"], "tenant_uid": "arn:aws:organizations::210000000000:o-halden",
                     "version": "1.5.0"},
        "severity_id": 3, "severity": "Medium",
        "status": "Suppressed" if muted else "New", "status_code": status, "status_detail": f"{title}.",
        "status_id": 3 if muted else 1,
        "unmapped": {"related_url": "", "categories": [], "depends_on": [], "related_to": [],
                     "additional_urls": [f"https://hub.prowler.com/check/{check}"], "notes": "",
                     "compliance": {"CIS-4.0.1": ["1.1"], "ISO27001-2022": ["A.5.5"]},
                     "scan_id": "01a208be-4374-7984-81bb-ec5229cf315b", "provider_uid": account, "provider": "aws"},
        "activity_name": "Create", "activity_id": 1,
        "finding_info": {"analytic": {"category": check.split("_", 1)[0], "name": title, "type": "Rule", "type_id": 1,
                                      "uid": check},
                         "created_time": int(when.timestamp()), "created_time_dt": when.isoformat(),
                         "desc": f"{title}.", "title": title,
                         "types": ["Software and Configuration Checks/AWS Foundational Security Best Practices"],
                         "uid": f"prowler-aws-{check}-{account}-{region}-{resource}"},
        "resources": [{"cloud_partition": "aws", "region": region, "data": {"details": "", "metadata": {}},
                       "group": {"name": check.split("_", 1)[0]}, "labels": [], "name": resource.rsplit(":", 1)[-1],
                       "type": rtype, "uid": resource}],
        "category_name": "Findings", "category_uid": 2, "class_name": "Detection Finding", "class_uid": 2004,
        "cloud": {"account": {"name": f"halden-{account[-4:]}", "type": "AWS Account", "type_id": 10, "uid": account,
                              "labels": []},
                  "org": {"name": "o-halden", "ou_uid": "", "ou_name": "",
                          "uid": "arn:aws:organizations::210000000000:organization/o-halden"},
                  "provider": "aws", "region": region},
        "remediation": {"desc": f"Make {title.lower()} hold.",
                        "references": [f"https://hub.prowler.com/check/{check}"]},
        "risk_details": "Left as it is, the setting weakens the account's security.",
        "time": int(when.timestamp()), "time_dt": when.isoformat(),
        "type_uid": 200401, "type_name": "Detection Finding: Create",
    }
