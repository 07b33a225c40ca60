"""One assessment per cloud account of a Prowler scan, or per subject as mapped (issue 10, item 1).

tests/data/prowler/ocsf-three-accounts.json holds 41 findings cut down from the shared Prowler 5.46
sample (prowler-5.46.0-aws-moto-123456789012.ocsf.json: only the fields the importer reads, the
account id rewritten), over three accounts whose findings are interleaved in the file:

- 111111111111 "payments-prod", 18 findings dated 2026-11-23, as the sample has them;
- 222222222222 "payments-staging", the same 18 dated 2026-11-20, with the S3 public access checks
  passing and rds_snapshots_public_access failing;
- 333333333333 (no name), 5 findings dated 2026-11-18: the KMS checks, and vpc_flow_logs_enabled failing.
"""
from __future__ import annotations

import datetime as dt
import json
import os
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.namespace import PROV

from maturity_graph.cli import main
from maturity_graph.errors import InputError
from maturity_graph.evidence.findings import control_status, import_prowler, load_mapping, write_prowler_import
from maturity_graph.evidence.prowler import parse_prowler
from maturity_graph.evidence.subject_map import SubjectSpec, parse_subject_map, read_subject_map
from maturity_graph.evidence.subjects import KINDS
from maturity_graph.namespaces import EV
from tests.conftest import REPO

DATA = REPO / "tests" / "data" / "prowler"
THREE = DATA / "ocsf-three-accounts.json"
EXAMPLE = REPO / "examples" / "fernhill-payments" / "prowler-scan.ocsf.json"
PROD, STAGING, SANDBOX = "111111111111", "222222222222", "333333333333"
CHECKS = load_mapping("prowler", "csmm").checks_by_control
EXAMPLES = int(os.environ.get("MGRAPH_FUZZ_EXAMPLES", "60"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _by_account(imported):
    return {s.accounts: s for s in imported.subjects}


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- one assessment per account


def test_three_accounts_are_three_assessments_each_of_its_account():
    imported = import_prowler(THREE)
    graph = imported.graph
    subjects = _by_account(imported)
    assert set(subjects) == {(PROD,), (STAGING,), (SANDBOX,)}
    assert len(set(graph.subjects(RDF.type, EV.Assessment))) == 3
    for (account,), entry in subjects.items():
        subject = graph.value(entry.assessment, EV.subject)
        assert subject == entry.subject
        assert (subject, RDF.type, EV.CloudAccount) in graph
        assert str(graph.value(subject, EV.identifier)) == account
    labels = {account: str(graph.value(s.subject, RDFS.label)) for (account,), s in subjects.items()}
    assert labels == {PROD: "payments-prod", STAGING: "payments-staging", SANDBOX: "aws account 333333333333"}
    assert {a: s.date for (a,), s in subjects.items()} == {
        PROD: dt.date(2026, 11, 23), STAGING: dt.date(2026, 11, 20), SANDBOX: dt.date(2026, 11, 18)}
    for entry in subjects.values():  # each assessment dated the latest finding of ITS account
        assert graph.value(entry.assessment, EV.assessmentDate).toPython() == entry.date
    assert {a: s.results for (a,), s in subjects.items()} == {PROD: 18, STAGING: 18, SANDBOX: 5}


def test_every_finding_is_in_exactly_one_assessment_and_derives_only_from_its_account():
    imported = import_prowler(THREE)
    graph = imported.graph
    account_of = {s.assessment: s.accounts[0] for s in imported.subjects}
    findings = list(graph.subjects(RDF.type, EV.Finding))
    assert len(findings) == 3 * len(CHECKS)
    owners = Counter()
    for finding in findings:
        assessments = list(graph.objects(finding, EV.inAssessment))
        assert len(assessments) == 1, finding
        owners[assessments[0]] += 1
        assert graph.value(finding, EV.date).toPython() == graph.value(assessments[0], EV.assessmentDate).toPython()
        for check in graph.objects(finding, PROV.wasDerivedFrom):
            assert str(graph.value(check, EV.account)) == account_of[assessments[0]]
    assert set(owners.values()) == {len(CHECKS)}
    # every check result of the file is counted in the subject of its own account
    results = Counter(r.account for r in imported.scan.results)
    assert {s.accounts[0]: s.results for s in imported.subjects} == dict(results)


def test_derived_evidence_is_per_account_never_pooled():
    imported = import_prowler(THREE)
    statuses = {s.accounts[0]: s.statuses for s in imported.subjects}
    assert statuses[PROD]["CSMM-STO-L1-S3PAB"] == "not_met"
    assert statuses[STAGING]["CSMM-STO-L1-S3PAB"] == "met"       # pooled with prod it would be not met
    assert statuses[PROD]["CSMM-STO-L1-RDSPRIV"] == "met"
    assert statuses[STAGING]["CSMM-STO-L1-RDSPRIV"] == "not_met"
    assert statuses[SANDBOX]["CSMM-NET-L2-FLOWLOG"] == "not_met"
    assert statuses[PROD]["CSMM-NET-L2-FLOWLOG"] == "met"
    assert statuses[SANDBOX]["CSMM-STO-L1-S3PAB"] == "unknown"  # none of its checks ran in that account
    results = parse_prowler(THREE).results
    for account, found in statuses.items():  # the rule, applied to each account's results alone
        own: dict[str, list] = {}
        for r in results:
            if r.account == account:
                own.setdefault(r.check_id, []).append(r)
        assert found == {control: control_status(checks, own) for control, checks in CHECKS.items()}
    assert imported.statuses[f"{STAGING} CSMM-STO-L1-S3PAB"] == "met"  # the one-dict view names the subject


def test_the_same_scan_gives_the_same_graph_and_iris_unique_per_account(tmp_path: Path):
    first, second = import_prowler(THREE), import_prowler(THREE)
    assert set(first.graph) == set(second.graph)
    nodes = [n for s in first.subjects for n in (s.assessment, s.subject)]
    assert len(set(nodes)) == 6
    assert all(PROD in str(s.assessment) for s in first.subjects if s.accounts == (PROD,))
    copy = tmp_path / "other-name.json"
    copy.write_bytes(THREE.read_bytes())
    assert {s.assessment for s in import_prowler(copy).subjects} == {s.assessment for s in first.subjects}


@pytest.mark.parametrize("fmt", ["turtle", "nt"])
def test_the_streamed_multi_account_file_holds_exactly_the_graph(tmp_path: Path, fmt: str):
    table = _write(tmp_path, "map.csv", f"account,subject,kind\n{PROD},Payments,product\n{STAGING},Payments,product\n")
    for options in ({}, {"subject_map": table, "organisation": "Fernhill Payments Ltd"}):
        out = tmp_path / f"out.{fmt}"
        summary = write_prowler_import(THREE, out, fmt=fmt, **options)
        imported = import_prowler(THREE, **options)
        assert set(Graph().parse(out, format=fmt)) == set(imported.graph)
        assert summary.subjects == imported.subjects


def test_the_import_is_well_formed_and_assessed_per_account(tmp_path: Path):
    from maturity_graph import assess
    from maturity_graph.validate.wellformed import validate_evidence

    out = tmp_path / "three.ttl"
    import_prowler(THREE).graph.serialize(out, format="turtle")
    checked = validate_evidence([out])
    assert checked.conforms, [v.sentence() for v in checked.violations]
    scopes = assess([out], frameworks=["csmm"]).scopes
    assert sorted(s.subject.id for s in scopes if s.subject) == [PROD, STAGING, SANDBOX]


def test_a_csv_scan_names_its_accounts_from_account_name(tmp_path: Path):
    header = "TIMESTAMP;ACCOUNT_UID;ACCOUNT_NAME;PROVIDER;CHECK_ID;STATUS;RESOURCE_UID;REGION\n"
    rows = [f"2026-11-0{day}T10:00:00;{account};{name};azure;vpc_flow_logs_enabled;PASS;res-{day};westeurope\n"
            for day, account, name in ((1, "sub-a", "Shop"), (2, "sub-b", ""), (3, "sub-a", "Shop"))]
    imported = import_prowler(_write(tmp_path, "scan.csv", header + "".join(rows)))
    graph = imported.graph
    found = {s.accounts[0]: (str(graph.value(s.subject, RDFS.label)), s.date) for s in imported.subjects}
    assert found == {"sub-a": ("Shop", dt.date(2026, 11, 3)), "sub-b": ("azure account sub-b", dt.date(2026, 11, 2))}


def test_an_account_without_timestamps_among_dated_ones_is_named(tmp_path: Path):
    records = json.loads(THREE.read_text(encoding="utf-8"))
    for record in records:
        if record["cloud"]["account"]["uid"] == SANDBOX:
            del record["finding_info"]["created_time_dt"]
    path = _write(tmp_path, "scan.json", json.dumps(records))
    with pytest.raises(InputError, match="findings of aws account 333333333333 .*no timestamps") as info:
        import_prowler(path)
    assert info.value.path == str(path) and "\n" not in str(info.value)


def test_the_example_is_one_account_named_from_the_scan():
    imported = import_prowler(EXAMPLE)
    (only,) = imported.subjects
    assert only.accounts == ("210987654321",) and only.label == "fernhill-prod" and only.id == "210987654321"
    assert only.kind == EV.CloudAccount and only.date == dt.date(2026, 11, 16) and only.results == 212
    assert imported.statuses == only.statuses and len(only.statuses) == len(CHECKS)


# --------------------------------------------------------------------------- as mapped


def test_accounts_mapped_to_one_subject_are_one_assessment(tmp_path: Path):
    table = _write(tmp_path, "accounts.csv", "account,subject,subject_id,kind\n"
                   f"{PROD},Payments platform,PAY,product\n{STAGING},Payments platform,PAY,product\n"
                   "999999999999,Not in this scan,,\n")
    imported = import_prowler(THREE, subject_map=table)
    graph = imported.graph
    subjects = _by_account(imported)
    assert set(subjects) == {(PROD, STAGING), (SANDBOX,)}
    payments = subjects[PROD, STAGING]
    assert (payments.subject, RDF.type, EV.Product) in graph
    assert str(graph.value(payments.subject, RDFS.label)) == "Payments platform"
    assert str(graph.value(payments.subject, EV.identifier)) == "PAY" and payments.id == "PAY"
    assert payments.date == dt.date(2026, 11, 23) and payments.results == 36
    assert payments.statuses["CSMM-STO-L1-S3PAB"] == "not_met"    # prod fails it, staging passes it
    assert payments.statuses["CSMM-STO-L1-RDSPRIV"] == "not_met"  # staging fails it
    assert subjects[SANDBOX,].statuses["CSMM-NET-L2-FLOWLOG"] == "not_met"  # unmapped: its own assessment
    finding = next(f for f in graph.subjects(EV.inAssessment, payments.assessment)
                   if str(f).endswith("/control/CSMM-STO-L1-S3PAB"))
    derived = {str(graph.value(c, EV.account)) for c in graph.objects(finding, PROV.wasDerivedFrom)}
    assert derived == {PROD, STAGING}


def test_a_mapped_subject_without_kind_is_a_cloud_account_only_when_it_covers_one(tmp_path: Path):
    table = _write(tmp_path, "accounts.csv",
                   f"account,subject\n{PROD},Core\n{STAGING},Core\n{SANDBOX},Sandbox (Priya)\n")
    imported = import_prowler(THREE, subject_map=table)
    graph = imported.graph
    subjects = _by_account(imported)
    core, sandbox = subjects[PROD, STAGING], subjects[SANDBOX,]
    assert (core.subject, RDF.type, EV.Subject) in graph and graph.value(core.subject, EV.identifier) is None
    assert core.id == "Core"
    assert (sandbox.subject, RDF.type, EV.CloudAccount) in graph
    assert str(graph.value(sandbox.subject, EV.identifier)) == SANDBOX
    assert str(graph.value(sandbox.subject, RDFS.label)) == "Sandbox (Priya)"


def test_one_subject_for_the_whole_scan_and_the_organisation(tmp_path: Path):
    imported = import_prowler(THREE, subject="Payments", organisation="Fernhill Payments Ltd")
    graph = imported.graph
    (only,) = imported.subjects
    assert set(only.accounts) == {PROD, STAGING, SANDBOX} and only.results == 41
    assert (only.subject, RDF.type, EV.Subject) in graph and only.label == "Payments"
    org = graph.value(only.assessment, EV.organisation)
    assert (org, RDF.type, PROV.Organization) in graph
    assert str(graph.value(org, RDFS.label)) == "Fernhill Payments Ltd"
    single = import_prowler(EXAMPLE, subject="Fernhill production")
    (account,) = single.subjects
    assert account.kind == EV.CloudAccount and account.id == "210987654321" and account.label == "Fernhill production"
    with pytest.raises(InputError, match="not both"):
        import_prowler(THREE, subject="x", subject_map=_write(tmp_path, "m.csv", f"account,subject\n{PROD},x\n"))


@pytest.mark.parametrize("text, line, needle", [
    ("", 1, "empty"),
    ("acount,subject\n1,x\n", 1, "unknown column 'acount'"),
    ("account,kind\n1,product\n", 1, "no column 'subject'"),
    ("account,subject,subject\n1,x,y\n", 1, "the column 'subject' twice"),
    ("account,subject\n1,x\n2\n", 3, "has 1 fields but the header has 2"),
    ("account,subject\n1,x\n\n,y\n", 4, "no account"),
    ("account,subject\n1,\n", 2, "no subject"),
    ("account,subject\n1,x\n2,y\n1,z\n", 4, "mapped twice (first at line 2)"),
    ("account,subject,kind\n1,x,widget\n", 2, "unknown kind 'widget'"),
    ("account,subject,kind\n1,x,product\n2,x,business unit\n", 3, "given differently at line 2"),
    ("account,subject\n1,\"x\n", 2, "cannot be read"),
    ("account,subject\n1,a\x07b\n", 2, "control character"),
], ids=lambda v: str(v)[:24])
def test_a_bad_map_is_an_input_error_naming_its_line(tmp_path: Path, text: str, line: int, needle: str):
    path = _write(tmp_path, "accounts.csv", text)
    with pytest.raises(InputError) as info:
        read_subject_map(path)
    assert needle in str(info.value) and info.value.line == line, str(info.value)
    assert str(info.value).startswith(f"{path}:{line}: ") and "\n" not in str(info.value)


def test_a_map_that_is_not_utf8_or_missing_is_an_input_error(tmp_path: Path):
    path = tmp_path / "accounts.csv"
    path.write_bytes(b"account,subject\n1,caf\xe9\n")
    with pytest.raises(InputError, match="not UTF-8") as info:
        read_subject_map(path)
    assert info.value.line == 2
    with pytest.raises(InputError, match="file not found"):
        read_subject_map(tmp_path / "nowhere.csv")


def test_kind_words_are_read_loosely(tmp_path: Path):
    table = parse_subject_map("Account,Subject,Kind\n1,a,Business Unit\n2,b,agency_component\n3,c,CLOUD-ACCOUNT\n",
                              tmp_path / "m.csv")
    assert [table.subjects[a].kind for a in "123"] == [EV.BusinessUnit, EV.AgencyComponent, EV.CloudAccount]


# --------------------------------------------------------------------------- the CLI


def test_the_cli_maps_subjects_and_refuses_a_bad_map(tmp_path: Path, capsys):
    table = _write(tmp_path, "accounts.csv",
                   f"account,subject,kind\n{PROD},Payments,product\n{STAGING},Payments,product\n")
    out = tmp_path / "scan.ttl"
    assert main(["evidence", "import", "--from", "prowler", str(THREE), "--subject-map", str(table),
                 "--organisation", "Fernhill", "-o", str(out), "-q"]) == 0
    err = capsys.readouterr().err
    assert "2 assessments" in err and "Payments" in err
    graph = Graph().parse(out)
    assert len(set(graph.subjects(RDF.type, EV.Assessment))) == 2
    assert len(set(graph.subjects(RDF.type, EV.Product))) == 1
    bad = _write(tmp_path, "bad.csv", f"account,subject\n{PROD},x\n{PROD},y\n")
    out2 = tmp_path / "never.ttl"
    for fmt in ("turtle", "jsonld"):
        assert main(["evidence", "import", "--from", "prowler", str(THREE), "--subject-map", str(bad),
                     "-f", fmt, "-o", str(out2)]) == 2
        err = capsys.readouterr().err
        assert err.strip() == f"error: {bad}:3: account '{PROD}' is mapped twice (first at line 2)" or (
            f"{bad}:3:" in err and len(err.strip().splitlines()) == 1), err
        assert not out2.exists()


# --------------------------------------------------------------------------- properties

_accounts = st.sampled_from(["111", "222", "333", "4/4", "acct é", ""])
_subjects = st.sampled_from(["Payments", "Retail, EU", 'Say "hi"', "Ops"])
_kinds = st.sampled_from(["", *KINDS])


@FUZZ
@given(table=st.dictionaries(_accounts.filter(bool), st.tuples(_subjects, _kinds), min_size=1, max_size=5),
       crlf=st.booleans(), quote_all=st.booleans())
def test_a_written_map_reads_back_as_written(tmp_path: Path, table: dict, crlf: bool, quote_all: bool):
    import csv
    import io

    # a subject is given one kind: the first row's
    kinds = {}
    for subject, kind in table.values():
        kinds.setdefault(subject, kind)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n" if crlf else "\n",
                        quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
    writer.writerow(["account", "subject", "kind"])
    for account, (subject, _) in table.items():
        writer.writerow([account, subject, kinds[subject]])
    read = parse_subject_map(buffer.getvalue(), tmp_path / "m.csv")
    assert read.subjects == {a: SubjectSpec(s, None, KINDS.get(kinds[s])) for a, (s, _) in table.items()}


@FUZZ
@given(parts=st.lists(st.sampled_from(["a", "1", ",", '"', "\n", "\r", " ", "é", "\x00", "account", "subject",
                                        "kind", "product", "subject_id", "account,subject\n"]), max_size=30))
def test_any_map_text_reads_or_is_a_one_line_error_naming_its_line(tmp_path: Path, parts: list[str]):
    text = "".join(parts)
    try:
        table = parse_subject_map(text, tmp_path / "m.csv")
    except InputError as err:
        assert "\n" not in str(err) and err.path == str(tmp_path / "m.csv")
        assert err.line is None or 1 <= err.line <= text.count("\n") + text.count("\r") + 2, (err.line, text)
    else:
        assert table.subjects and all(account and spec.label for account, spec in table.subjects.items())


_finding = st.fixed_dictionaries({
    "account": st.sampled_from(["111", "222", "333", "444"]),
    "check": st.sampled_from([*CHECKS["CSMM-STO-L1-S3PAB"], *CHECKS["CSMM-NET-L2-FLOWLOG"], "unmapped_check"]),
    "status": st.sampled_from(["PASS", "PASS", "FAIL", "MANUAL"]),
    "day": st.integers(min_value=1, max_value=28),
})


@FUZZ
@given(findings=st.lists(_finding, min_size=1, max_size=25),
       mapped=st.dictionaries(st.sampled_from(["111", "222", "333", "444", "555"]), st.sampled_from(["A", "B"]),
                              max_size=4))
def test_any_scan_groups_each_result_into_exactly_one_assessment(tmp_path: Path, findings: list, mapped: dict):
    records = [{
        "metadata": {"event_code": f["check"], "product": {"name": "Prowler", "version": "5.46.0"}},
        "status_code": f["status"], "class_uid": 2004,
        "finding_info": {"uid": f"f-{i}", "created_time_dt": f"2026-10-{f['day']:02d}T12:00:00"},
        "cloud": {"provider": "aws", "account": {"uid": f["account"]}, "region": "eu-west-1"},
        "resources": [{"uid": f"res-{i}"}],
    } for i, f in enumerate(findings)]
    scan = _write(tmp_path, "scan.json", json.dumps(records))
    table = None
    if mapped:
        table = _write(tmp_path, "map.csv", "account,subject\n" + "".join(f"{a},{s}\n" for a, s in mapped.items()))
    imported = import_prowler(scan, subject_map=table)
    subject_of = {f["account"]: mapped.get(f["account"], f["account"]) for f in findings}
    groups: dict[str, list[dict]] = {}
    for f in findings:
        groups.setdefault(subject_of[f["account"]], []).append(f)
    assert len(imported.subjects) == len(groups)
    assert sorted(a for s in imported.subjects for a in s.accounts) == sorted(subject_of)  # each in exactly one
    results = parse_prowler(scan).results
    for entry in imported.subjects:
        key = mapped.get(entry.accounts[0], entry.accounts[0])
        assert entry.label == key if key in mapped.values() else entry.id == key
        mine = groups[key]
        assert entry.results == len(mine)
        assert entry.date == dt.date(2026, 10, max(f["day"] for f in mine))
        own: dict[str, list] = {}
        for r in results:
            if r.account in entry.accounts:
                own.setdefault(r.check_id, []).append(r)
        for control in ("CSMM-STO-L1-S3PAB", "CSMM-NET-L2-FLOWLOG"):
            assert entry.statuses[control] == control_status(CHECKS[control], own)
    assessments = {s.assessment for s in imported.subjects}
    graph = imported.graph
    for finding in graph.subjects(RDF.type, EV.Finding):
        assert {o for o in graph.objects(finding, EV.inAssessment)} <= assessments
        assert len(list(graph.objects(finding, EV.inAssessment))) == 1
    assert all(isinstance(s.assessment, URIRef) for s in imported.subjects)
    # joining an assessment described elsewhere: only a scan of one subject, with the same statuses
    joined = "urn:example:joined"
    if len(groups) == 1:
        one = import_prowler(scan, subject_map=table, assessment=joined)
        assert one.statuses == imported.statuses
        assert set(one.graph.objects(None, EV.inAssessment)) == {URIRef(joined)}
        assert not set(one.graph.subjects(RDF.type, EV.Assessment))
    else:
        with pytest.raises(InputError, match="--subject-map") as info:
            import_prowler(scan, subject_map=table, assessment=joined)
        assert all(account in str(info.value) for account in subject_of)
