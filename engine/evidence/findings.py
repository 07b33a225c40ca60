"""Scanner findings as evidence: check results mapped to framework controls through a reviewed table.

A control passes only when every check mapped to it ran and passed on every resource in the
scan; a FAIL on any resource fails it; a MANUAL, muted or missing check leaves it unknown,
never passed. Each control-level ev:Finding keeps its provenance: one ev:CheckResult per
check and resource (account, region, resource, check id, time), linked by prov:wasDerivedFrom.
"""
from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV

from .. import bundled
from ..catalogue import Catalogue, Framework, load_catalogue
from ..errors import ContentError, InputError
from ..namespaces import EV
from .freshness import warn_about_dates
from .prowler import CheckResult, ProwlerScan, parse_prowler, read_scan

IRI_PREFIX = "urn:maturity-graph:scan:"
MAPPING_COLUMNS = ("check_id", "control_id", "rationale", "reviewer")


@dataclass(frozen=True)
class ScannerMapping:
    """A reviewed table from scanner check ids to the ids of one framework's controls."""

    scanner: str
    framework: str
    controls_by_check: dict[str, tuple[str, ...]]

    @property
    def checks_by_control(self) -> dict[str, tuple[str, ...]]:
        found: dict[str, list[str]] = {}
        for check, controls in self.controls_by_check.items():
            for control in controls:
                found.setdefault(control, []).append(check)
        return {c: tuple(sorted(checks)) for c, checks in found.items()}


@dataclass
class FindingsImport:
    """What an import produced: the evidence graph, and what the scan held that maps to nothing."""

    graph: Graph
    scan: ProwlerScan
    framework: Framework
    statuses: dict[str, str] = field(default_factory=dict)
    unmapped_checks: tuple[str, ...] = ()


def load_mapping(scanner: str, framework: str) -> ScannerMapping:
    """The bundled mapping crosswalks/scanners/<scanner>--<framework>.tsv."""
    name = f"{scanner}--{framework}.tsv"
    node = bundled.content_dir("crosswalks", "scanners", name)
    try:
        text = node.read_text(encoding="utf-8")
    except FileNotFoundError:
        # the user chose the framework: there is no reviewed table for it, which is not a bug
        folder = bundled.content_dir("crosswalks", "scanners")
        known = sorted(f.name[len(scanner) + 2:-4] for f in folder.iterdir() if f.name.startswith(f"{scanner}--"))
        raise InputError(f"no reviewed mapping from {scanner} checks to {framework} controls; "
                         f"{scanner} output can be imported for: {', '.join(known) or 'no framework'}") from None
    rows = csv.DictReader(io.StringIO("".join(line for line in text.splitlines(True) if not line.startswith("#"))),
                          delimiter="\t")
    if tuple(rows.fieldnames or ())[:2] != MAPPING_COLUMNS[:2]:
        raise ContentError(f"crosswalks/scanners/{name} must start with the columns {', '.join(MAPPING_COLUMNS)}")
    found: dict[str, list[str]] = {}
    for row in rows:
        found.setdefault(row["check_id"].strip(), []).append(row["control_id"].strip())
    return ScannerMapping(scanner, framework, {k: tuple(v) for k, v in found.items()})


def control_status(checks: tuple[str, ...], results_by_check: dict[str, list[CheckResult]]) -> str:
    """met, not_met or unknown for one control, from the results of the checks mapped to it."""
    results = [r for check in checks for r in results_by_check.get(check, [])]
    if any(r.status == "FAIL" and not r.muted for r in results):
        return "not_met"
    ran = {check for check in checks if results_by_check.get(check)}
    if ran == set(checks) and all(r.status == "PASS" and not r.muted for r in results):
        return "met"
    return "unknown"


STATUS_TERMS = {"met": EV.Met, "not_met": EV.NotMet, "unknown": EV.Unknown}


def import_prowler(path: str | Path, *, framework: str = "csmm", catalogue: Catalogue | None = None) -> FindingsImport:
    """Read Prowler output (OCSF JSON, CSV or v3 JSON) into evidence for a framework's controls."""
    catalogue = catalogue or load_catalogue()
    fw = catalogue.get(framework)
    data = read_scan(path)  # read once: the IRIs are named after exactly the bytes parsed
    scan = parse_prowler(path, data=data)
    mapping = load_mapping("prowler", fw.id)
    requirements = {row.id: row for row in catalogue.requirement_rows(fw)}
    unknown_controls = sorted({c for cs in mapping.controls_by_check.values() for c in cs} - set(requirements))
    if unknown_controls:
        raise ContentError(f"crosswalks/scanners/prowler--{fw.id}.tsv names controls {fw.id} does not have: "
                           f"{', '.join(unknown_controls)}")
    results_by_check: dict[str, list[CheckResult]] = {}
    for result in scan.results:
        results_by_check.setdefault(result.check_id, []).append(result)
    base = Namespace(f"{IRI_PREFIX}{hashlib.sha256(data).hexdigest()[:16]}:")
    graph, statuses = _to_graph(scan, fw, mapping, requirements, results_by_check, base)
    warn_about_dates(graph, source_of=lambda _: str(path))
    unmapped = tuple(sorted(set(results_by_check) - set(mapping.controls_by_check)))
    return FindingsImport(graph, scan, fw, statuses, unmapped)


def _to_graph(scan: ProwlerScan, fw: Framework, mapping: ScannerMapping, requirements, results_by_check, base):
    graph = Graph()
    for prefix, ns in (("ev", EV._NS), ("prov", PROV), ("xsd", XSD), ("rdfs", RDFS), ("dcterms", DCTERMS)):
        graph.bind(prefix, ns)
    times = [r.time for r in scan.results if r.time is not None]
    day = max(times).date() if times else None
    if day is None:
        raise InputError("the scan carries no timestamps, so its evidence cannot be dated", path=scan.path)
    assessment, agent, report = base["assessment"], base["scanner"], URIRef(f"{base}report")
    graph.add((assessment, RDF.type, EV.Assessment))
    graph.add((assessment, RDFS.label, Literal(f"Prowler scan {scan.path.name} mapped to {fw.label}")))
    graph.add((assessment, EV.assessmentDate, Literal(day.isoformat(), datatype=XSD.date)))
    graph.add((assessment, EV.framework, fw.iri))
    graph.add((assessment, DCTERMS.source, Literal(scan.path.name)))
    graph.add((agent, RDF.type, PROV.SoftwareAgent))
    graph.add((agent, RDFS.label, Literal(f"Prowler {scan.prowler_version}" if scan.prowler_version else "Prowler")))
    check_nodes: dict[tuple[str, str, str], URIRef] = {}
    for index, r in enumerate(scan.results):
        node = base[f"check-{index + 1}"]
        check_nodes[(r.check_id, r.resource_uid, r.finding_uid)] = node
        graph.add((node, RDF.type, EV.CheckResult))
        graph.add((node, EV.checkId, Literal(r.check_id)))
        graph.add((node, EV.checkStatus, Literal(r.status)))
        graph.add((node, EV.resource, Literal(r.resource_uid)))
        graph.add((node, EV.account, Literal(r.account)))
        graph.add((node, EV.region, Literal(r.region)))
        if r.time is not None:
            graph.add((node, PROV.generatedAtTime, Literal(r.time.isoformat(), datatype=XSD.dateTime)))
        if r.muted:
            graph.add((node, EV.note, Literal("muted in Prowler: does not count as a pass")))
    statuses = {}
    for control, checks in sorted(mapping.checks_by_control.items()):
        status = control_status(checks, results_by_check)
        statuses[control] = status
        node = base[f"control-{control}"]
        graph.add((node, RDF.type, EV.Finding))
        graph.add((node, RDFS.label, Literal(f"{control} from Prowler checks {', '.join(checks)}")))
        graph.add((node, EV.inAssessment, assessment))
        graph.add((node, EV.addresses, requirements[control].requirement))
        graph.add((node, EV.status, STATUS_TERMS[status]))
        graph.add((node, EV.date, Literal(day.isoformat(), datatype=XSD.date)))
        graph.add((node, EV.artifact, Literal(str(report), datatype=XSD.anyURI)))
        graph.add((node, PROV.wasAttributedTo, agent))
        missing = [c for c in checks if not results_by_check.get(c)]
        if missing:
            graph.add((node, EV.note, Literal(f"mapped checks not in the scan: {', '.join(missing)}")))
        for check in checks:
            for r in results_by_check.get(check, []):
                graph.add((node, PROV.wasDerivedFrom, check_nodes[(r.check_id, r.resource_uid, r.finding_uid)]))
    return graph, statuses


SCANNER_IMPORTERS: dict[str, Callable[..., FindingsImport]] = {"prowler": import_prowler}
