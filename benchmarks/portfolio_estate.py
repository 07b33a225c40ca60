"""Synthetic but realistic portfolio evidence: many product and cloud account assessments in one graph; seeded.

A portfolio is what a large organisation's GRC team holds (issue 10): one Secure-by-Design
assessment per product and one CSMM assessment per cloud account, each of its own subject
(ev:Product, ev:CloudAccount) and with its own evidence, never pooled. Products attest SbD
requirements (mostly met with an artifact and an attester; some not met, unknown, or not applicable
with a note; some expired, some superseded by a newer claim); a handful of organisation-wide
attestations (the product security policy, the CVD policy, training) are attested once and drawn
on (ev:drawsOn) by most product assessments. Accounts get a Prowler scan (OCSF JSON, each account
scanned for the checks of some CSMM controls) turned into one assessment per account by the real
importer, plus the cloud team's attestations for the controls no scanner checks, filed into that
account's assessment. Everything ends up in one N-Triples file, as in estate.py.

    build_portfolio(1000, 500, Path("out"))   # -> Portfolio(path=out/portfolio-1000x500.nt, triples=~1M, ...)
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pyoxigraph
from estate import (
    ASSESSMENT_DATE,
    BASE,
    EV,
    FIRST,
    HOSTS,
    LAST,
    PROV,
    RDF_TYPE,
    RDFS_LABEL,
    REGIONS,
    RESOURCE_TYPES,
    ROLES,
    UNITS,
    UNMAPPED_CHECKS,
    emit_support,
    ocsf_record,
    text,
    typed,
)

from maturity_graph import Catalogue, import_prowler, load_catalogue
from maturity_graph.catalogue import RequirementRow
from maturity_graph.evidence.findings import load_mapping

ORGANISATION = "Halden Group"
PRODUCT_FRAMEWORK = "sbd"
ACCOUNT_FRAMEWORK = "csmm"
# Share of an account's CSMM controls its scan runs the checks of (teams scan the services they use).
SCANNED_CONTROLS = (0.35, 0.65)
# Organisation-wide SbD evidence, attested once and drawn on by most products: requirement id, what it is.
SHARED_SBD = (("SBD-SPO-L2-1", "Halden Group product security policy v4, approved by the board"),
              ("SBD-TRN-L2-1", "Group secure development training catalogue"),
              ("SBD-TRN-L5-2", "Security training in the group engineering onboarding"),
              ("SBD-CVD-L3-3", "Group coordinated vulnerability disclosure policy with safe harbour"),
              ("SBD-PCS-L3-2", "Group patch SLAs, published on the trust centre"))
SHARE_RATE = 0.8  # a product draws on each organisation-wide item with this chance (acquired ones keep their own)
ADJECTIVES = ("Aurora", "Beacon", "Cobalt", "Delta", "Ember", "Fjord", "Granite", "Harbor", "Iris", "Juniper",
              "Keystone", "Lumen", "Meridian", "Nimbus", "Orbit", "Pioneer", "Quartz", "Ridge", "Summit", "Tidal",
              "Umber", "Vector", "Willow", "Xenon", "Zephyr")
NOUNS = ("Pay", "Ledger", "Portal", "Gateway", "Vault", "Connect", "Insight", "Mobile", "Cards", "Trade", "Lend",
         "Claims", "Quote", "Wallet", "Identity", "Notify", "Reports", "Onboard", "Loyalty", "Treasury", "Pensions",
         "Mortgage", "Savings", "Broker", "Rates", "Risk", "Fraud", "Billing", "Payroll", "Support", "Docs",
         "Search", "Analytics", "Sync", "Forms", "Kiosk", "Branch", "Chat", "Market", "Exchange")
LEVEL = re.compile(r"-L(\d)-")
COVERAGE = {1: 0.95, 2: 0.9, 3: 0.65, 4: 0.4, 5: 0.2}  # chance a product attests a requirement of each level


@dataclass(frozen=True)
class Portfolio:
    """One generated portfolio: the N-Triples file and what went into it."""

    path: Path
    triples: int
    products: int
    accounts: int
    attestations: int  # the products' and accounts' own claims (superseded ones included)
    superseded: int  # older claims a newer one on the same requirement replaces
    expired: int  # claims older than the framework's validity period
    shared: int  # organisation-wide items drawn on by product assessments
    draws: int  # ev:drawsOn links
    findings: int  # Prowler findings in the scan
    scan: Path


ScanImporter = Callable[[Path, Path], None]


def portfolio_name(products: int, accounts: int) -> str:
    return f"{products}x{accounts}"


def import_in_process(scan: Path, out: Path) -> None:
    """The scan as evidence, one assessment per account of the organisation (`mgraph evidence import
    --from prowler --organisation "Halden Group"` calls the same)."""
    import_prowler(scan, organisation=ORGANISATION).graph.serialize(out, format="nt", encoding="utf-8")


def build_portfolio(products: int, accounts: int, directory: Path, *, seed: int = 7,
                    importer: ScanImporter = import_in_process, catalogue: Catalogue | None = None) -> Portfolio:
    """Write a portfolio of `products` SbD and `accounts` CSMM assessments to `directory`.

    `importer` turns the OCSF scan into an RDF file; the benchmark passes one that runs and times
    `mgraph evidence import --from prowler --organisation "Halden Group"`.
    """
    catalogue = catalogue or load_catalogue()
    rng = random.Random(f"portfolio:{seed}:{products}:{accounts}")
    name = portfolio_name(products, accounts)
    scan = directory / f"portfolio-scan-{name}.ocsf.json"
    findings = write_portfolio_scan(scan, accounts, rng) if accounts else 0
    lines: list[str] = []
    assessments: dict[str, str] = {}
    if accounts:
        imported = directory / f"portfolio-scan-{name}.nt"
        importer(scan, imported)
        triples = list(pyoxigraph.parse(path=str(imported), format=pyoxigraph.RdfFormat.N_TRIPLES))
        lines = sorted({f"{t.subject} {t.predicate} {t.object} .\n" for t in triples})
        assessments = account_assessments(triples)
        if len(assessments) != accounts:
            raise RuntimeError(f"the import of {scan} made {len(assessments)} account assessments, not {accounts}")
    path = directory / f"portfolio-{name}.nt"
    with path.open("wb") as out:
        out.writelines(line.encode() for line in lines)
        writer = PortfolioWriter(catalogue, rng, out)
        writer.write(products, assessments)
    return Portfolio(path, len(lines) + writer.triples, products, accounts, writer.attestations, writer.superseded,
                     writer.expired, writer.shared, writer.draws, findings, scan)


def account_assessments(triples: list[pyoxigraph.Triple]) -> dict[str, str]:
    """Account id -> the N-Triples term of the assessment the importer made for it, in account order."""
    identifier = {str(t.subject): str(t.object.value) for t in triples
                  if t.predicate.value == EV + "identifier" and isinstance(t.object, pyoxigraph.Literal)}
    found = {identifier[str(t.object)]: str(t.subject) for t in triples
             if t.predicate.value == EV + "subject" and str(t.object) in identifier}
    return dict(sorted(found.items()))


class PortfolioWriter:
    """Writes the organisation's own evidence: products' assessments and claims, and the accounts' attestations."""

    def __init__(self, catalogue: Catalogue, rng: random.Random, out: BinaryIO) -> None:
        self.rng = rng
        self.out = out
        self.sbd = catalogue.get(PRODUCT_FRAMEWORK)
        self.product_rows = catalogue.requirement_rows(self.sbd)
        self.account_rows = catalogue.requirement_rows(catalogue.get(ACCOUNT_FRAMEWORK))
        self.scanned = set(load_mapping("prowler", ACCOUNT_FRAMEWORK).checks_by_control)
        self.triples = self.attestations = self.superseded = self.expired = self.shared = self.draws = 0
        self.organisation = f"<{BASE}halden-group>"

    def emit(self, s: str, p: str, o: str) -> None:
        self.out.write(f"{s} <{p}> {o} .\n".encode())
        self.triples += 1

    def write(self, products: int, accounts: dict[str, str]) -> None:
        self.emit(self.organisation, RDF_TYPE, f"<{PROV}Organization>")
        self.emit(self.organisation, RDFS_LABEL, text(ORGANISATION))
        people = self.people(max(8, products + len(accounts) // 2))
        shared = self.shared_items(people)
        for number in range(products):
            self.product(number, people, shared)
        cloud_team = people[: max(4, len(people) // 10)]
        for number, (account, assessment) in enumerate(accounts.items()):
            self.account(number, account, assessment, cloud_team)

    def people(self, count: int) -> list[str]:
        """Attesters: engineers, leads and now and then an outside auditor."""
        people = [f"<{BASE}person-{i}>" for i in range(count)]
        for i, person in enumerate(people):
            kind = "Organization" if i % 25 == 24 else "Person"
            label = (f"{LAST[i % len(LAST)]} Assurance LLP" if kind == "Organization" else
                     f"{FIRST[i % len(FIRST)]} {LAST[(i // len(FIRST)) % len(LAST)]} ({ROLES[i % len(ROLES)]})")
            self.emit(person, RDF_TYPE, f"<{PROV}{kind}>")
            self.emit(person, RDFS_LABEL, text(label))
        return people

    def shared_items(self, people: list[str]) -> dict[str, str]:
        """The organisation-wide attestations: requirement IRI -> item; they belong to no one assessment."""
        by_id = {row.id: row for row in self.product_rows}
        items = {}
        for number, (row_id, label) in enumerate(SHARED_SBD):
            row = by_id[row_id]
            node = f"<{BASE}group/shared-{number}>"
            day = ASSESSMENT_DATE - dt.timedelta(days=self.rng.randint(50, 200))
            link = f"https://grc.halden.example/group/policies/{row_id.lower()}"
            self.emit(node, RDF_TYPE, f"<{EV}Attestation>")
            self.emit(node, RDFS_LABEL, text(label, "en"))
            self.emit(node, f"{EV}addresses", f"<{row.requirement}>")
            self.emit(node, f"{EV}status", f"<{EV}Met>")
            self.emit(node, f"{EV}date", typed(day.isoformat(), "date"))
            self.emit(node, f"{PROV}wasAttributedTo", people[number % len(people)])
            self.emit(node, f"{EV}artifact", typed(link, "anyURI"))
            self.emit(node, f"{EV}artifactHash", text("sha256:" + hashlib.sha256(link.encode()).hexdigest()))
            items[str(row.requirement)] = node
            self.shared += 1
        return items

    def product(self, number: int, people: list[str], shared: dict[str, str]) -> None:
        rng = self.rng
        code = f"HP-{number + 1:04d}"
        label = product_label(number)
        unit = UNITS[number % len(UNITS)]
        subject = f"<{BASE}product/{code}>"
        assessment = f"<{BASE}product/{code}/sbd-2026q4>"
        date = ASSESSMENT_DATE - dt.timedelta(days=rng.randint(0, 45))
        self.emit(subject, RDF_TYPE, f"<{EV}Product>")
        self.emit(subject, RDFS_LABEL, text(label))
        self.emit(subject, f"{EV}identifier", text(code))
        self.emit(assessment, RDF_TYPE, f"<{EV}Assessment>")
        self.emit(assessment, RDFS_LABEL, text(f"{label}, Secure-by-Design self-assessment, Q4 2026", "en"))
        self.emit(assessment, f"{EV}organisation", self.organisation)
        self.emit(assessment, f"{EV}subject", subject)
        self.emit(assessment, f"{EV}assessmentDate", typed(date.isoformat(), "date"))
        self.emit(assessment, f"{EV}scope", text(f"{label} ({unit}): service, clients and build pipeline"))
        self.emit(assessment, f"{EV}framework", f"<{self.sbd.iri}>")
        drawn = set()
        for requirement, item in shared.items():
            if rng.random() < SHARE_RATE:
                self.emit(assessment, f"{EV}drawsOn", item)
                drawn.add(requirement)
                self.draws += 1
        team = [rng.choice(people) for _ in range(3)]
        maturity = rng.uniform(0.65, 1.4)  # some products are further along than others
        for row in self.product_rows:
            if str(row.requirement) in drawn or rng.random() > COVERAGE.get(level_of(row), 0.5) * maturity:
                continue
            if rng.random() < 0.1:  # an older claim, replaced by the newer one below
                older = date - dt.timedelta(days=rng.randint(120, 330))
                status = rng.choices(("NotMet", "Met", "Unknown"), (60, 30, 10))[0]
                self.claim(assessment, code, row, status, older, rng.choice(team), unit)
                self.superseded += 1
                self.claim(assessment, code, row, self.status(), date - dt.timedelta(days=rng.randint(0, 90)),
                           rng.choice(team), unit)
            else:
                self.claim(assessment, code, row, self.status(), product_date(rng, date), rng.choice(team), unit,
                           validity=365, as_of=date)

    def status(self) -> str:
        return self.rng.choices(("Met", "NotMet", "NotApplicable", "Unknown"), (72, 14, 6, 8))[0]

    def account(self, number: int, account: str, assessment: str, team: list[str]) -> None:
        """The cloud team's attestations for one account: every control no scanner checks, a few it does."""
        rng = self.rng
        for row in self.account_rows:
            manual = row.id not in self.scanned
            if rng.random() > (0.85 if manual else 0.12):
                continue
            status = rng.choices(("Met", "NotMet", "NotApplicable", "Unknown"), (68, 20, 5, 7))[0]
            days = rng.randint(0, 25) if rng.random() < 0.8 else rng.randint(31, 120)
            self.claim(assessment, f"account-{account}", row, status, ASSESSMENT_DATE - dt.timedelta(days=days),
                       team[number % len(team)], "cloud-platform", validity=30, as_of=ASSESSMENT_DATE)

    def claim(self, assessment: str, owner: str, row: RequirementRow, status: str, day: dt.date, attester: str,
              unit: str, *, validity: int | None = None, as_of: dt.date | None = None) -> None:
        """One attestation of the assessment on one requirement."""
        rng = self.rng
        node = f"<{BASE}{owner.lower()}/e{self.attestations}>"
        self.emit(node, RDF_TYPE, f"<{EV}Attestation>")
        self.emit(node, RDFS_LABEL, text(f"{row.id} for {owner}: {row.text[:80]}", "en"))
        self.emit(node, f"{EV}inAssessment", assessment)
        self.emit(node, f"{EV}addresses", f"<{row.requirement}>")
        self.emit(node, f"{EV}status", f"<{EV}{status}>")
        self.emit(node, f"{EV}date", typed(day.isoformat(), "date"))
        self.emit(node, f"{PROV}wasAttributedTo", attester)
        emit_support(self.emit, node, status,
                     lambda: f"https://{rng.choice(HOSTS)}/{unit}/{owner.lower()}/{row.id.lower()}", rng)
        self.attestations += 1
        if validity is not None and ((as_of or ASSESSMENT_DATE) - day).days > validity:
            self.expired += 1


def product_label(number: int) -> str:
    """Unique product names: Aurora Pay, Beacon Pay, ..., then Aurora Ledger; a second round gets a numeral."""
    cycle = len(ADJECTIVES) * len(NOUNS)
    base = f"{ADJECTIVES[number % len(ADJECTIVES)]} {NOUNS[(number // len(ADJECTIVES)) % len(NOUNS)]}"
    return base if number < cycle else f"{base} {number // cycle + 1}"


def level_of(row: RequirementRow) -> int:
    match = LEVEL.search(row.id)
    return int(match.group(1)) if match else 3


def product_date(rng: random.Random, assessed: dt.date) -> dt.date:
    """Most product evidence is from this year; about one claim in nine is older than SbD's 365 days."""
    roll = rng.random()
    days = rng.randint(0, 120) if roll < 0.6 else rng.randint(121, 360) if roll < 0.89 else rng.randint(400, 900)
    return assessed - dt.timedelta(days=days)


def write_portfolio_scan(path: Path, accounts: int, rng: random.Random) -> int:
    """A Prowler 5 OCSF JSON scan of `accounts` AWS accounts; returns the number of findings written."""
    by_control = load_mapping("prowler", ACCOUNT_FRAMEWORK).checks_by_control
    written = 0
    with path.open("w", encoding="utf-8") as out:
        out.write("[")
        for record in account_records(accounts, by_control, rng):
            out.write(("," if written else "") + "\n" + json.dumps(record))
            written += 1
        out.write("\n]\n")
    return written


def account_records(accounts: int, by_control: dict[str, tuple[str, ...]],
                    rng: random.Random) -> Iterator[dict[str, object]]:
    """Each account scanned for the checks of some controls (and a few checks no control maps), one resource each,
    and two or three resources for the odd check."""
    start = dt.datetime.combine(ASSESSMENT_DATE, dt.time(6, 0), tzinfo=dt.UTC)
    controls = sorted(by_control)
    made = 0
    for a in range(accounts):
        account = f"{210000000000 + a * 7919:012d}"
        chosen = rng.sample(controls, round(len(controls) * rng.uniform(*SCANNED_CONTROLS)))
        checks = sorted({check for control in chosen for check in by_control[control]})
        checks += rng.sample(UNMAPPED_CHECKS, 3)
        healthy = rng.uniform(0.75, 0.97)  # some accounts are cleaner than others
        for check in checks:
            service = check.split("_", 1)[0]
            for copy in range(1 if rng.random() < 0.85 else rng.randint(2, 3)):
                region = rng.choice(REGIONS)
                roll = rng.random()
                status = "PASS" if roll < healthy else "MANUAL" if roll > 0.99 else "FAIL"
                muted = rng.random() < 0.02
                resource = f"arn:aws:{service}:{region}:{account}:{service}-resource-{copy}"
                yield ocsf_record(check, status, muted, account, region, resource,
                                  RESOURCE_TYPES.get(service, "Other"), start + dt.timedelta(seconds=made))
                made += 1
