"""Scanner findings as evidence: check results mapped to framework controls through a reviewed table.

A control passes only when every check mapped to it ran and passed on every resource in the
scan; a FAIL on any resource fails it; a MANUAL, muted or missing check leaves it unknown,
never passed. Each control-level ev:Finding keeps its provenance: one ev:CheckResult per
check and resource (account, region, resource, check id, time), linked by prov:wasDerivedFrom.

A scan is read one finding at a time: each check result is written as soon as it is read, and
only a tally per check (and the numbers of the results each control derives from) is kept for
the control findings written at the end. write_prowler_import streams to a file this way;
import_prowler builds the same triples into an rdflib Graph.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import os
import shutil
import tempfile
from array import array
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, RDFS, XSD, Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV

from .. import bundled
from ..catalogue import Catalogue, Framework, RequirementRow, load_catalogue
from ..errors import ContentError, InputError
from ..namespaces import EV
from ..output import STDOUT, open_output
from ..progress import Progress
from .freshness import warn_about_dates
from .prowler import CheckResult, ProwlerScan, ScanTally, scan_digest, scan_results
from .triples import WRITERS, GraphSink, Object, TripleSink, Typed

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


@dataclass
class _CheckTally:
    """What the results of one check add up to, for the controls it is mapped to."""

    results: int = 0
    failed: bool = False  # a FAIL that is not muted
    all_passed: bool = True  # every result a PASS that is not muted

    def add(self, result: CheckResult) -> None:
        self.results += 1
        self.failed = self.failed or (result.status == "FAIL" and not result.muted)
        self.all_passed = self.all_passed and result.status == "PASS" and not result.muted


def control_status(checks: tuple[str, ...], results_by_check: dict[str, list[CheckResult]]) -> str:
    """met, not_met or unknown for one control, from the results of the checks mapped to it."""
    tallies: dict[str, _CheckTally] = {}
    for check in checks:
        for result in results_by_check.get(check, []):
            tallies.setdefault(check, _CheckTally()).add(result)
    return _status(checks, tallies)


def _status(checks: tuple[str, ...], tallies: Mapping[str, _CheckTally]) -> str:
    """A FAIL on any resource fails the control; it is met only when every check ran and all passed."""
    ran = [tallies[c] for c in checks if c in tallies]
    if any(t.failed for t in ran):
        return "not_met"
    if len(ran) == len(checks) and all(t.all_passed for t in ran):
        return "met"
    return "unknown"


STATUS_TERMS = {"met": EV.Met, "not_met": EV.NotMet, "unknown": EV.Unknown}
PREFIXES = {"ev": str(EV._NS), "prov": str(PROV), "xsd": str(XSD), "rdfs": str(RDFS), "dcterms": str(DCTERMS)}


@dataclass
class ScanImport:
    """What a streamed import wrote: the scan's tally, and what the scan held that maps to nothing."""

    scan: ScanTally
    framework: Framework
    statuses: dict[str, str] = field(default_factory=dict)
    unmapped_checks: tuple[str, ...] = ()


def import_prowler(path: str | Path, *, framework: str = "csmm", catalogue: Catalogue | None = None,
                   progress: Progress | None = None) -> FindingsImport:
    """Read Prowler output (OCSF JSON, CSV or v3 JSON) into an evidence graph for a framework's controls.

    The graph and every result are held in memory; write_prowler_import streams instead.
    """
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    results: list[CheckResult] = []
    summary = _import(path, framework, catalogue, lambda _: GraphSink(graph), progress, keep=results.append)
    scan = ProwlerScan(Path(path), summary.scan.format, tuple(results), summary.scan.prowler_version)
    return FindingsImport(graph, scan, summary.framework, summary.statuses, summary.unmapped_checks)


def write_prowler_import(
    path: str | Path,
    target: str | Path | None,
    *,
    fmt: str = "turtle",
    framework: str = "csmm",
    catalogue: Catalogue | None = None,
    progress: Progress | None = None,
    inputs: Iterable[str | Path] = (),
) -> ScanImport:
    """Import a Prowler scan straight into a Turtle or N-Triples file, holding one finding at a time.

    `target` None or "-" is standard output, written only once the import succeeded (the triples
    wait in a temporary file); any other target is written as engine/output.py writes, whole or
    not at all, and refused if it is one of `inputs`.
    """
    if fmt not in WRITERS:
        raise InputError(f"unknown output format {fmt!r} for a streamed import; known: {', '.join(WRITERS)}")
    writer = WRITERS[fmt]
    if target is None or os.fspath(target) == STDOUT:
        with tempfile.TemporaryFile() as spool:
            summary = _import(path, framework, catalogue, lambda prefixes: writer(spool, prefixes), progress)
            spool.seek(0)
            with open_output(STDOUT) as out:
                shutil.copyfileobj(spool, out, 1 << 20)
        return summary
    with open_output(target, inputs=inputs) as out:
        return _import(path, framework, catalogue, lambda prefixes: writer(out, prefixes), progress)


def _import(
    path: str | Path,
    framework: str,
    catalogue: Catalogue | None,
    open_sink: Callable[[Mapping[str, str]], TripleSink],
    progress: Progress | None,
    keep: Callable[[CheckResult], None] | None = None,
) -> ScanImport:
    """The import itself: check results go to the sink as they are read, the controls at the end."""
    catalogue = catalogue or load_catalogue()
    fw = catalogue.get(framework)
    mapping = load_mapping("prowler", fw.id)
    requirements = {row.id: row for row in catalogue.requirement_rows(fw)}
    unknown_controls = sorted({c for cs in mapping.controls_by_check.values() for c in cs} - set(requirements))
    if unknown_controls:
        raise ContentError(f"crosswalks/scanners/prowler--{fw.id}.tsv names controls {fw.id} does not have: "
                           f"{', '.join(unknown_controls)}")
    path = Path(path)
    digest = scan_digest(path)  # a first pass: the IRIs are named after exactly the bytes parsed
    base = Namespace(f"{IRI_PREFIX}{digest[:16]}:")
    sink = open_sink({**PREFIXES, "scan": str(base)})
    tally = ScanTally(path)
    checks: dict[str, _CheckTally] = {}
    derived: dict[str, array[int]] = {control: array("Q") for control in mapping.checks_by_control}
    latest: dt.datetime | None = None
    for index, r in enumerate(scan_results(path, tally, progress=progress), start=1):
        node = base[f"check-{index}"]
        pairs: list[tuple[URIRef, Object]] = [
            (RDF.type, EV.CheckResult),
            (EV.checkId, r.check_id),
            (EV.checkStatus, r.status),
            (EV.resource, r.resource_uid),
            (EV.account, r.account),
            (EV.region, r.region),
        ]
        if r.time is not None:
            pairs.append((PROV.generatedAtTime, Typed(r.time.isoformat(), XSD.dateTime)))
            latest = r.time if latest is None or r.time > latest else latest
        if r.muted:
            pairs.append((EV.note, "muted in Prowler: does not count as a pass"))
        sink.subject(node, pairs)
        checks.setdefault(r.check_id, _CheckTally()).add(r)
        for control in mapping.controls_by_check.get(r.check_id, ()):
            derived[control].append(index)
        if keep is not None:
            keep(r)
    if tally.digest != digest:
        raise InputError("the file changed while it was read; import it again once it is complete", path=path)
    if latest is None:
        raise InputError("the scan carries no timestamps, so its evidence cannot be dated", path=path)
    statuses = _write_controls(sink, tally, fw, mapping, requirements, checks, derived, base, latest.date())
    sink.close()
    unmapped = tuple(sorted(set(checks) - set(mapping.controls_by_check)))
    return ScanImport(tally, fw, statuses, unmapped)


def _write_controls(sink: TripleSink, tally: ScanTally, fw: Framework, mapping: ScannerMapping,
                    requirements: Mapping[str, RequirementRow], checks: Mapping[str, _CheckTally],
                    derived: Mapping[str, array[int]], base: Namespace, day: dt.date) -> dict[str, str]:
    """The assessment, the scanner, and one ev:Finding per mapped control; warns about an odd date."""
    assessment, agent, report = base["assessment"], base["scanner"], URIRef(f"{base}report")
    date = Typed(day.isoformat(), XSD.date)
    version = tally.prowler_version
    subjects: list[tuple[URIRef, list[tuple[URIRef, Object]]]] = [
        (assessment, [
            (RDF.type, EV.Assessment),
            (RDFS.label, f"Prowler scan {tally.path.name} mapped to {fw.label}"),
            (EV.assessmentDate, date),
            (EV.framework, fw.iri),
            (DCTERMS.source, tally.path.name),
        ]),
        (agent, [(RDF.type, PROV.SoftwareAgent), (RDFS.label, f"Prowler {version}" if version else "Prowler")]),
    ]
    statuses = {}
    for control, mapped in sorted(mapping.checks_by_control.items()):
        status = _status(mapped, checks)
        statuses[control] = status
        pairs: list[tuple[URIRef, Object]] = [
            (RDF.type, EV.Finding),
            (RDFS.label, f"{control} from Prowler checks {', '.join(mapped)}"),
            (EV.inAssessment, assessment),
            (EV.addresses, requirements[control].requirement),
            (EV.status, STATUS_TERMS[status]),
            (EV.date, date),
            (EV.artifact, Typed(str(report), XSD.anyURI)),
            (PROV.wasAttributedTo, agent),
        ]
        missing = [c for c in mapped if c not in checks]
        if missing:
            pairs.append((EV.note, f"mapped checks not in the scan: {', '.join(missing)}"))
        subjects.append((base[f"control-{control}"], pairs))
    summary = Graph()  # the dated nodes only: what the date warning looks at
    summary_sink = GraphSink(summary)
    for node, pairs in subjects:
        summary_sink.subject(node, pairs)
        links = derived.get(control_of(node, base), array("Q"))
        sink.subject(node, [*pairs, *((PROV.wasDerivedFrom, base[f"check-{i}"]) for i in links)])
    warn_about_dates(summary, source_of=lambda _: str(tally.path))
    return statuses


def control_of(node: URIRef, base: Namespace) -> str:
    """The control id of a control finding's node ("" for any other node)."""
    prefix = f"{base}control-"
    return node[len(prefix):] if node.startswith(prefix) else ""


SCANNER_IMPORTERS: dict[str, Callable[..., FindingsImport]] = {"prowler": import_prowler}
SCANNER_STREAMERS: dict[str, Callable[..., ScanImport]] = {"prowler": write_prowler_import}
