"""Scanner findings as evidence: check results mapped to framework controls through a reviewed table.

A scan of many cloud accounts is many assessments, never one: each account (or each subject
the user maps accounts to, subject_map.py) gets its own ev:Assessment of its own ev:subject, and
its controls are judged on its own results. A scan of one subject can instead join an assessment
described elsewhere (`assessment`: attestations for the controls no scanner sees); then the file
that describes it owns its subject, date and organisation, and the import writes none.

A control passes only when every check mapped to it ran and passed on every resource of the
subject; a FAIL on any resource fails it; a MANUAL, muted or missing check leaves it unknown,
never passed. Each control-level ev:Finding keeps its
provenance: one ev:CheckResult per check and resource (account, region, resource, check id,
time), linked by prov:wasDerivedFrom.

A scan is read one finding at a time: each check result is written as soon as it is read, and
only a tally per subject and check (and the numbers of the results each control derives from) is
kept for the assessments and control findings written at the end. write_prowler_import streams to a file this way;
import_prowler builds the same triples into an rdflib Graph.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import shutil
import tempfile
from array import array
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
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
from .subject_map import SubjectMap, SubjectSpec, read_subject_map
from .subjects import KINDS, kind_class
from .triples import WRITERS, GraphSink, Object, TripleSink, Typed

IRI_PREFIX = "urn:maturity-graph:scan:"
# an absolute IRI as Turtle writes one between <>: a scheme, a colon, then no space, control or <>"{}|^`\
# (Oxigraph then checks the rest of RFC 3987: percent-encoding, hosts, ...)
ABSOLUTE_IRI = re.compile(r'[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20\x7f<>"{}|^`\\]+')
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


@dataclass(frozen=True)
class SubjectImport:
    """One assessment an import wrote (or joined): its subject, the accounts it covers, its controls' statuses."""

    assessment: URIRef
    subject: URIRef | None  # None when the import joined an assessment described elsewhere: its subject is that one
    id: str  # the subject's ev:identifier, else its label: what `mgraph assess --subject` matches
    label: str
    kind: URIRef  # ev:CloudAccount, ev:Product, ... or ev:Subject
    accounts: tuple[str, ...]  # the scan's account ids it covers, in the order first seen
    results: int  # check results of those accounts
    date: dt.date  # the day of the latest of those results: the assessment's date, unless it was joined
    statuses: dict[str, str]  # control id -> met, not_met or unknown


class _Assessed:
    """`statuses` over an import's assessments, for callers that want one dict (the summary line)."""

    subjects: tuple[SubjectImport, ...]

    @property
    def statuses(self) -> dict[str, str]:
        """control id -> status for a scan of one subject; "<subject id> <control id>" -> status for several."""
        if len(self.subjects) == 1:
            return dict(self.subjects[0].statuses)
        return {f"{s.id} {control}": status for s in self.subjects for control, status in s.statuses.items()}


@dataclass
class FindingsImport(_Assessed):
    """What an import produced: the evidence graph, one entry per assessment, the checks that map to nothing."""

    graph: Graph
    scan: ProwlerScan
    framework: Framework
    subjects: tuple[SubjectImport, ...] = ()
    unmapped_checks: tuple[str, ...] = ()


@dataclass
class ScanImport(_Assessed):
    """What a streamed import wrote: the scan's tally, one entry per assessment, the checks that map to nothing."""

    scan: ScanTally
    framework: Framework
    subjects: tuple[SubjectImport, ...] = ()
    unmapped_checks: tuple[str, ...] = ()


def import_prowler(path: str | Path, *, framework: str = "csmm", catalogue: Catalogue | None = None,
                   progress: Progress | None = None, subject: str | None = None, subject_id: str | None = None,
                   subject_kind: str | None = None, subject_map: SubjectMap | str | Path | None = None,
                   organisation: str | None = None, assessment: str | None = None) -> FindingsImport:
    """Read Prowler output (OCSF JSON, CSV or v3 JSON) into an evidence graph for a framework's controls.

    One ev:Assessment per cloud account of the scan; `subject_map` (a SubjectMap or the path of its
    CSV) assesses accounts as the subjects it names, `subject` (with `subject_id` and `subject_kind`,
    a word of subjects.KINDS) the whole scan as one subject, and `organisation` names the
    organisation of every assessment. `assessment` (an absolute IRI) joins the evidence of a scan
    of one subject to an assessment described elsewhere, and writes no assessment, subject or
    organisation. The graph and every result are held in memory; write_prowler_import streams instead.
    """
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    results: list[CheckResult] = []
    joined = joined_assessment(assessment, organisation)
    summary = _import(path, framework, catalogue, lambda _: GraphSink(graph), progress,
                      _Grouping.of_options(subject, subject_id, subject_kind, subject_map), organisation, joined,
                      keep=results.append)
    scan = ProwlerScan(Path(path), summary.scan.format, tuple(results), summary.scan.prowler_version)
    return FindingsImport(graph, scan, summary.framework, summary.subjects, summary.unmapped_checks)


def write_prowler_import(
    path: str | Path,
    target: str | Path | None,
    *,
    fmt: str = "turtle",
    framework: str = "csmm",
    catalogue: Catalogue | None = None,
    progress: Progress | None = None,
    inputs: Iterable[str | Path] = (),
    subject: str | None = None,
    subject_id: str | None = None,
    subject_kind: str | None = None,
    subject_map: SubjectMap | str | Path | None = None,
    organisation: str | None = None,
    assessment: str | None = None,
) -> ScanImport:
    """Import a Prowler scan straight into a Turtle or N-Triples file, holding one finding at a time.

    `target` None or "-" is standard output, written only once the import succeeded (the triples
    wait in a temporary file); any other target is written as engine/output.py writes, whole or
    not at all, and refused if it is one of `inputs`. The subject options, `organisation` and
    `assessment` are import_prowler's.
    """
    if fmt not in WRITERS:
        raise InputError(f"unknown output format {fmt!r} for a streamed import; known: {', '.join(WRITERS)}")
    writer = WRITERS[fmt]
    grouping = _Grouping.of_options(subject, subject_id, subject_kind, subject_map)  # a bad map: no output
    joined = joined_assessment(assessment, organisation)
    if target is None or os.fspath(target) == STDOUT:
        with tempfile.TemporaryFile() as spool:
            summary = _import(path, framework, catalogue, lambda prefixes: writer(spool, prefixes), progress,
                              grouping, organisation, joined)
            spool.seek(0)
            with open_output(STDOUT) as out:
                shutil.copyfileobj(spool, out, 1 << 20)
        return summary
    with open_output(target, inputs=inputs) as out:
        return _import(path, framework, catalogue, lambda prefixes: writer(out, prefixes), progress,
                       grouping, organisation, joined)


def joined_assessment(assessment: str | None, organisation: str | None) -> URIRef | None:
    """The assessment a scan's evidence joins, checked: an absolute IRI, and no organisation of the import's own."""
    if assessment is None:
        return None
    iri = assessment.strip()
    problem = None if ABSOLUTE_IRI.fullmatch(iri) else "a scheme, a colon, then no spaces or <>\"{}|^`\\"
    if problem is None:
        try:
            ox.NamedNode(iri)  # the store reads it back: what Oxigraph refuses would fail there, later
        except ValueError as err:
            problem = str(err).splitlines()[0][:120] if str(err) else "not RFC 3987"
    if problem is not None:
        raise InputError(f"the assessment to join {assessment!r:.120} is not an absolute IRI "
                         f"({problem}; e.g. https://example.org/assessment-1)")
    if organisation is not None:
        raise InputError("an organisation (--organisation) is the import's own assessment's; a scan that joins "
                         f"<{iri}> takes its organisation from the file that describes it")
    return URIRef(iri)


# --------------------------------------------------------------------------- one assessment per subject


@dataclass
class _Account:
    """An account as the scan names it: the first provider and account name any of its findings gives."""

    provider: str = ""
    name: str = ""


@dataclass
class _Group:
    """One subject's share of the scan while it is read: tallies per check, and which results each control
    derives from (their numbers in the file, 8 bytes each), so no result is held."""

    key: str  # the subject's part of its nodes' IRIs: unique in the scan, the same for the same scan
    spec: SubjectSpec | None  # what the user named it as; None for an account the user did not name
    accounts: dict[str, _Account] = field(default_factory=dict)
    checks: dict[str, _CheckTally] = field(default_factory=dict)
    derived: dict[str, array[int]] = field(default_factory=dict)
    latest: dt.datetime | None = None
    results: int = 0

    def add(self, index: int, result: CheckResult, controls: Iterable[str]) -> None:
        self.results += 1
        account = self.accounts.setdefault(result.account, _Account())
        account.provider = account.provider or result.provider
        account.name = account.name or result.account_name
        if result.time is not None and (self.latest is None or result.time > self.latest):
            self.latest = result.time
        self.checks.setdefault(result.check_id, _CheckTally()).add(result)
        for control in controls:
            self.derived.setdefault(control, array("Q")).append(index)

    def describe(self) -> tuple[str, str | None, URIRef]:
        """The subject's label, identifier and class.

        A subject the user gave no kind is a cloud account when it covers one account of the scan
        (its identifier the account id, its label the account's name or "<provider> account <id>"),
        else a plain ev:Subject.
        """
        spec = self.spec
        only = next(iter(self.accounts.items())) if len(self.accounts) == 1 else None
        kind = spec.kind if spec is not None and spec.kind is not None else EV.CloudAccount if only else EV.Subject
        identifier = spec.identifier if spec is not None else None
        if identifier is None and only is not None and kind == EV.CloudAccount:
            identifier = only[0] or None
        if spec is not None:
            return spec.label, identifier, kind
        assert only is not None  # an account the user did not name is a group of its own
        uid, account = only
        return account.name or f"{account.provider or 'cloud'} account {uid or '(no id in the scan)'}", identifier, kind


class _Grouping:
    """Which subject each account's results go to: the one subject of the whole scan, the map's, or its own."""

    def __init__(self, subject: SubjectSpec | None = None, subject_map: SubjectMap | None = None):
        self._subject = subject
        self._map = subject_map
        self._of_account: dict[str, _Group] = {}
        self.groups: dict[str, _Group] = {}

    @classmethod
    def of_options(cls, subject: str | None, subject_id: str | None, subject_kind: str | None,
                   subject_map: SubjectMap | str | Path | None) -> _Grouping:
        """The grouping import_prowler's options ask for; InputError for a bad map file or options that clash."""
        if subject is None:
            if subject_id is not None or subject_kind is not None:
                raise InputError("a subject id or kind needs the subject's name (--subject)")
            whole = None
        else:
            if subject_map is not None:
                raise InputError("give one subject for the whole scan or a subject map, not both")
            if not subject.strip():
                raise InputError("the subject's name is empty")
            kind = kind_class(subject_kind) if subject_kind else None
            if subject_kind and kind is None:
                raise InputError(f"unknown subject kind {subject_kind!r:.60}; known kinds: {', '.join(KINDS)}")
            whole = SubjectSpec(subject.strip(), (subject_id or "").strip() or None, kind)
        if subject_map is not None and not isinstance(subject_map, SubjectMap):
            subject_map = read_subject_map(subject_map)
        return cls(whole, subject_map)

    def of(self, account: str) -> _Group:
        group = self._of_account.get(account)
        if group is None:
            spec = self._subject or (self._map.get(account) if self._map is not None else None)
            key = f"subject/{quote(spec.key, safe='')}" if spec is not None else f"account/{quote(account, safe='')}"
            group = self.groups.setdefault(key, _Group(key, spec))
            self._of_account[account] = group
        return group


def _import(
    path: str | Path,
    framework: str,
    catalogue: Catalogue | None,
    open_sink: Callable[[Mapping[str, str]], TripleSink],
    progress: Progress | None,
    grouping: _Grouping,
    organisation: str | None,
    joined: URIRef | None,
    keep: Callable[[CheckResult], None] | None = None,
) -> ScanImport:
    """The import itself: check results go to the sink as they are read, the assessments and controls at the end."""
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
    checks: set[str] = set()
    # the terms, looked up once: a DefinedNamespace attribute costs microseconds, per triple
    check_result, check_id, check_status, resource, account, region, note, generated, date_time = (
        EV.CheckResult, EV.checkId, EV.checkStatus, EV.resource, EV.account, EV.region, EV.note,
        PROV.generatedAtTime, XSD.dateTime)
    for index, r in enumerate(scan_results(path, tally, progress=progress), start=1):
        pairs: list[tuple[URIRef, Object]] = [
            (RDF.type, check_result),
            (check_id, r.check_id),
            (check_status, r.status),
            (resource, r.resource_uid),
            (account, r.account),
            (region, r.region),
        ]
        if r.time is not None:
            pairs.append((generated, Typed(r.time.isoformat(), date_time)))
        if r.muted:
            pairs.append((note, "muted in Prowler: does not count as a pass"))
        sink.subject(base[f"check-{index}"], pairs)
        grouping.of(r.account).add(index, r, mapping.controls_by_check.get(r.check_id, ()))
        checks.add(r.check_id)
        if keep is not None:
            keep(r)
    if tally.digest != digest:
        raise InputError("the file changed while it was read; import it again once it is complete", path=path)
    groups = [grouping.groups[key] for key in sorted(grouping.groups)]
    if all(group.latest is None for group in groups):
        raise InputError("the scan carries no timestamps, so its evidence cannot be dated", path=path)
    if joined is not None and len(groups) > 1:
        raise InputError(_one_subject_to_join(joined, groups), path=path)
    subjects = _write_assessments(sink, tally, fw, mapping, requirements, groups, base, organisation, joined)
    sink.close()
    unmapped = tuple(sorted(checks - set(mapping.controls_by_check)))
    return ScanImport(tally, fw, subjects, unmapped)


def _one_subject_to_join(joined: URIRef, groups: Sequence[_Group]) -> str:
    """Why a scan of several subjects cannot join one assessment, naming its accounts."""
    accounts = [account or "(no id)" for group in groups for account in group.accounts]
    named = ", ".join(accounts[:10]) + (f" and {len(accounts) - 10} more" if len(accounts) > 10 else "")
    return (f"the scan holds {len(groups)} subjects (accounts {named}), but only the evidence of one subject can "
            f"join the assessment <{joined}>: map its accounts to one subject with --subject-map (or --subject), "
            "or import each account with its own --assessment")


def _write_assessments(sink: TripleSink, tally: ScanTally, fw: Framework, mapping: ScannerMapping,
                       requirements: Mapping[str, RequirementRow], groups: Sequence[_Group], base: Namespace,
                       organisation: str | None, joined: URIRef | None) -> tuple[SubjectImport, ...]:
    """The scanner, and per subject its node, its assessment and one ev:Finding per mapped control, judged on
    that subject's results alone (with `joined`, the one subject's findings in that assessment, and no
    assessment or subject node); warns about an odd date."""
    agent, report = base["scanner"], URIRef(f"{base}report")
    version = tally.prowler_version
    sink.subject(agent, [(RDF.type, PROV.SoftwareAgent), (RDFS.label, f"Prowler {version}" if version else "Prowler")])
    org = base["organisation"] if organisation and organisation.strip() else None
    if org is not None:
        assert organisation is not None
        sink.subject(org, [(RDF.type, PROV.Organization), (RDFS.label, organisation.strip())])
    summary = Graph()  # the assessments' dates and labels only: what the date warning looks at
    written = []
    # per control, made once for every subject: (control, its checks, requirement, checks as text)
    controls = [(control, mapped, requirements[control].requirement, ", ".join(mapped))
                for control, mapped in sorted(mapping.checks_by_control.items())]
    finding, in_assessment, addresses, status_of, dated, artifact, attributed, note, derived_from = (
        EV.Finding, EV.inAssessment, EV.addresses, EV.status, EV.date, EV.artifact, PROV.wasAttributedTo, EV.note,
        PROV.wasDerivedFrom)
    link = Typed(str(report), XSD.anyURI)
    for group in groups:
        label, identifier, kind = group.describe()
        if group.latest is None:
            accounts = ", ".join(group.accounts)
            raise InputError(f"the findings of {label} (account {accounts:.200}) carry no timestamps, so its "
                             "evidence cannot be dated", path=tally.path)
        day = group.latest.date()
        date = Typed(day.isoformat(), XSD.date)
        title = f"Prowler scan {tally.path.name} of {label}, mapped to {fw.label}"
        subject: URIRef | None = None
        if joined is None:
            subject, assessment = base[f"{group.key}/subject"], base[f"{group.key}/assessment"]
            sink.subject(subject, [(RDF.type, kind), (RDFS.label, label),
                                   *([(EV.identifier, identifier)] if identifier is not None else [])])
            sink.subject(assessment, [
                (RDF.type, EV.Assessment),
                (RDFS.label, title),
                (EV.assessmentDate, date),
                (EV.framework, fw.iri),
                (EV.subject, subject),
                (DCTERMS.source, tally.path.name),
                *([(EV.organisation, org)] if org is not None else []),
            ])
        else:
            assessment = joined  # its date, subject and organisation are the describing file's
        GraphSink(summary).subject(assessment, [(RDFS.label, title), (EV.assessmentDate, date)])
        statuses = {}
        for control, mapped, requirement, named in controls:
            status = statuses[control] = _status(mapped, group.checks)
            pairs: list[tuple[URIRef, Object]] = [
                (RDF.type, finding),
                (RDFS.label, f"{control} of {label} from Prowler checks {named}"),
                (in_assessment, assessment),
                (addresses, requirement),
                (status_of, STATUS_TERMS[status]),
                (dated, date),
                (artifact, link),
                (attributed, agent),
            ]
            missing = [c for c in mapped if c not in group.checks]
            if missing:
                pairs.append((note, f"mapped checks not in the scan: {', '.join(missing)}"))
            links = group.derived.get(control, array("Q"))
            sink.subject(base[f"{group.key}/control/{control}"],
                         [*pairs, *((derived_from, base[f"check-{i}"]) for i in links)])
        written.append(SubjectImport(assessment, subject, identifier if identifier is not None else label, label,
                                     kind, tuple(group.accounts), group.results, day, statuses))
    warn_about_dates(summary, source_of=lambda _: str(tally.path))
    return tuple(written)


SCANNER_IMPORTERS: dict[str, Callable[..., FindingsImport]] = {"prowler": import_prowler}
SCANNER_STREAMERS: dict[str, Callable[..., ScanImport]] = {"prowler": write_prowler_import}
