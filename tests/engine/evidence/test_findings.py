"""Prowler findings as CSMM evidence: the control rule, provenance, the shared samples and the CLI."""
from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path

import pytest
from rdflib import RDF, Graph
from rdflib.namespace import PROV

from maturity_graph import assess
from maturity_graph.cli import main
from maturity_graph.evidence.findings import control_status, import_prowler, load_mapping
from maturity_graph.evidence.prowler import CheckResult
from maturity_graph.namespaces import EV
from tests.conftest import REPO, SHARED

SAMPLES = SHARED / "evidence-samples/prowler"
OCSF = SAMPLES / "prowler-5.46.0-aws-moto-123456789012.ocsf.json"
CSV = SAMPLES / "prowler-5.46.0-aws-moto-123456789012.csv"
V3 = SAMPLES / "defectdojo-prowler-v3-native-many_vuln.json"
ALL_SAMPLES = [OCSF, CSV, V3]
EXAMPLE_SCAN = REPO / "examples" / "fernhill-payments" / "prowler-scan.ocsf.json"

needs_samples = pytest.mark.skipif(not SAMPLES.is_dir(), reason="shared Prowler samples are not present")


def _result(
    check: str, status: str = "PASS", resource: str = "arn:aws:s3:::bucket-a", *, muted: bool = False
) -> CheckResult:
    return CheckResult(
        check_id=check, status=status, severity="high", provider="aws", account="210987654321", region="eu-west-1",
        resource_uid=resource, resource_type="AwsS3Bucket", time=dt.datetime(2026, 11, 16, 6, 0, tzinfo=dt.UTC),
        title=check, finding_uid=f"prowler-aws-{check}-{resource}", muted=muted, source_format="ocsf",
    )


def _by_check(*results: CheckResult) -> dict[str, list[CheckResult]]:
    found: dict[str, list[CheckResult]] = {}
    for r in results:
        found.setdefault(r.check_id, []).append(r)
    return found


def _ocsf(check: str, status: str, resource: str, *, muted: bool = False, region: str = "eu-west-1") -> dict:
    """One OCSF Detection Finding in Prowler 5's layout (the fields the importer reads)."""
    return {
        "metadata": {"event_code": check, "product": {"name": "Prowler", "version": "5.46.0"}},
        "severity": "High",
        "status": "Suppressed" if muted else "New",
        "status_code": status,
        "status_id": 3 if muted else 1,
        "class_uid": 2004,
        "finding_info": {"uid": f"prowler-aws-{check}-210987654321-{region}-{resource}", "title": check,
                         "created_time_dt": "2026-11-16T06:12:04"},
        "cloud": {"provider": "aws", "account": {"uid": "210987654321"}, "region": region},
        "resources": [{"uid": resource, "type": "AwsS3Bucket", "region": region}],
    }


def _write_ocsf(tmp_path: Path, records: list[dict], name: str = "scan.ocsf.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(records), encoding="utf-8")
    return path


S3PAB_CHECKS = load_mapping("prowler", "csmm").checks_by_control["CSMM-STO-L1-S3PAB"]


# --------------------------------------------------------------------------- the control rule


def test_all_checks_pass_on_all_resources_is_met():
    results = [_result(c, "PASS", r) for c in S3PAB_CHECKS for r in ("arn:aws:s3:::a", "arn:aws:s3:::b")]
    assert control_status(S3PAB_CHECKS, _by_check(*results)) == "met"


def test_one_fail_on_one_resource_is_not_met():
    results = [_result(c, "PASS", r) for c in S3PAB_CHECKS for r in ("arn:aws:s3:::a", "arn:aws:s3:::b")]
    results[-1] = _result(S3PAB_CHECKS[-1], "FAIL", "arn:aws:s3:::b")
    assert control_status(S3PAB_CHECKS, _by_check(*results)) == "not_met"


def test_a_fail_wins_even_when_checks_are_missing_or_manual():
    results = [_result(S3PAB_CHECKS[0], "FAIL"), _result(S3PAB_CHECKS[1], "MANUAL")]
    assert control_status(S3PAB_CHECKS, _by_check(*results)) == "not_met"


def test_manual_is_unknown():
    results = [_result(c, "PASS") for c in S3PAB_CHECKS[1:]] + [_result(S3PAB_CHECKS[0], "MANUAL")]
    assert control_status(S3PAB_CHECKS, _by_check(*results)) == "unknown"


def test_a_mapped_check_missing_from_the_scan_is_unknown():
    results = [_result(c, "PASS") for c in S3PAB_CHECKS[1:]]
    assert control_status(S3PAB_CHECKS, _by_check(*results)) == "unknown"
    assert control_status(S3PAB_CHECKS, {}) == "unknown"


@pytest.mark.parametrize("status", ["FAIL", "PASS"])
def test_a_muted_result_is_unknown_never_met(status):
    results = [_result(c, "PASS") for c in S3PAB_CHECKS[1:]] + [_result(S3PAB_CHECKS[0], status, muted=True)]
    assert control_status(S3PAB_CHECKS, _by_check(*results)) == "unknown"


def test_the_rule_end_to_end_from_ocsf(tmp_path):
    """The same rule through import_prowler, with a muted FAIL written as Prowler 5 writes it."""
    checks = load_mapping("prowler", "csmm").checks_by_control
    sto_enc, rds_priv = checks["CSMM-STO-L1-ENC"], checks["CSMM-STO-L1-RDSPRIV"]
    records = [_ocsf(c, "PASS", r) for c in S3PAB_CHECKS for r in ("arn:aws:s3:::a", "arn:aws:s3:::b")]
    records += [_ocsf(c, "PASS", "arn:aws:s3:::a") for c in sto_enc]
    records.append(_ocsf(sto_enc[0], "FAIL", "arn:aws:s3:::b"))
    records += [_ocsf(c, "PASS", "db-1") for c in rds_priv[1:]] + [_ocsf(rds_priv[0], "FAIL", "db-1", muted=True)]
    records.append(_ocsf("not_a_mapped_check", "FAIL", "arn:aws:s3:::a"))
    imported = import_prowler(_write_ocsf(tmp_path, records))
    assert imported.statuses["CSMM-STO-L1-S3PAB"] == "met"
    assert imported.statuses["CSMM-STO-L1-ENC"] == "not_met"
    assert imported.statuses["CSMM-STO-L1-RDSPRIV"] == "unknown"
    assert imported.statuses["CSMM-IAM-L1-MFA"] == "unknown"          # nothing of it in the scan
    assert imported.unmapped_checks == ("not_a_mapped_check",)
    graph = imported.graph
    statuses = {str(graph.value(f, EV.addresses)).rsplit("/", 1)[-1]: graph.value(f, EV.status)
                for f in graph.subjects(RDF.type, EV.Finding)}
    assert statuses["storage-l1-s3-public-block"] == EV.Met
    assert statuses["storage-l1-encryption"] == EV.NotMet
    assert statuses["storage-l1-rds-private"] == EV.Unknown


# --------------------------------------------------------------------------- provenance


def _check_provenance(imported) -> int:
    """Every control finding of every assessment derives from exactly its own accounts' results of its checks."""
    graph = imported.graph
    mapping = load_mapping("prowler", "csmm").checks_by_control
    results = Counter((r.account, r.check_id) for r in imported.scan.results)
    accounts_of = {s.assessment: s.accounts for s in imported.subjects}
    assert set(graph.subjects(RDF.type, EV.Assessment)) == set(accounts_of)
    findings = list(graph.subjects(RDF.type, EV.Finding))
    assert len(findings) == len(mapping) * len(accounts_of)
    derived_total = 0
    for finding in findings:
        control = str(finding).rsplit("/control/", 1)[1]
        accounts = accounts_of[graph.value(finding, EV.inAssessment)]
        derived = list(graph.objects(finding, PROV.wasDerivedFrom))
        assert len(derived) == sum(results[a, c] for a in accounts for c in mapping[control]), control
        for node in derived:
            assert (node, RDF.type, EV.CheckResult) in graph
            for prop in (EV.account, EV.region, EV.resource, EV.checkId, PROV.generatedAtTime):
                assert graph.value(node, prop) is not None, (control, node, prop)
            assert str(graph.value(node, EV.checkId)) in mapping[control]
            assert str(graph.value(node, EV.account)) in accounts
            assert graph.value(node, EV.checkStatus) is not None
        derived_total += len(derived)
        assert graph.value(finding, PROV.wasAttributedTo) is not None
        assert graph.value(finding, EV.artifact) is not None
    return derived_total


def test_each_control_finding_is_derived_from_its_check_results():
    imported = import_prowler(EXAMPLE_SCAN)
    assert _check_provenance(imported) > 0
    graph = imported.graph
    check = next(n for n in graph.subjects(EV.checkId, None)
                 if str(graph.value(n, EV.checkId)) == "ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_22"
                 and str(graph.value(n, EV.checkStatus)) == "FAIL")
    assert str(graph.value(check, EV.account)) == "210987654321"
    assert str(graph.value(check, EV.region)) == "eu-west-1"
    assert str(graph.value(check, EV.resource)).endswith("security-group/sg-0f1a2b3c4d5e6f703")
    assert graph.value(check, PROV.generatedAtTime).toPython().date() == dt.date(2026, 11, 16)
    finding = next(graph.subjects(PROV.wasDerivedFrom, check))
    assert graph.value(finding, EV.status) == EV.NotMet


def test_missing_checks_are_named_on_the_finding(tmp_path):
    imported = import_prowler(_write_ocsf(tmp_path, [_ocsf(S3PAB_CHECKS[0], "PASS", "arn:aws:s3:::a")]))
    graph = imported.graph
    finding = next(f for f in graph.subjects(RDF.type, EV.Finding) if str(f).endswith("/control/CSMM-STO-L1-S3PAB"))
    note = str(graph.value(finding, EV.note))
    assert note.startswith("mapped checks not in the scan:")
    assert all(c in note for c in S3PAB_CHECKS[1:]) and S3PAB_CHECKS[0] not in note


# --------------------------------------------------------------------------- the shared samples


@needs_samples
@pytest.mark.parametrize("path", ALL_SAMPLES, ids=lambda p: p.name)
def test_every_sample_imports_and_assesses(path, tmp_path):
    if not path.is_file():
        pytest.skip(f"{path.name} is not present")
    imported = import_prowler(path, framework="csmm")
    controls_of = load_mapping("prowler", "csmm").controls_by_check
    assert _check_provenance(imported) == sum(len(controls_of.get(r.check_id, ())) for r in imported.scan.results)
    out = tmp_path / "scan.ttl"
    imported.graph.serialize(out, format="turtle")
    result = assess([out], frameworks=["csmm"])
    fw = result.framework("csmm")
    assert {r.id for r in fw.of_kind("capability")} == {"IAM-P", "NET-P", "STO-P", "CMP-P", "MON-P"}
    assert len(fw.of_kind("overall")) == 1


@needs_samples
def test_ocsf_and_csv_twins_give_the_same_controls():
    if not (OCSF.is_file() and CSV.is_file()):
        pytest.skip("the 5.46 samples are not present")
    from_ocsf, from_csv = import_prowler(OCSF), import_prowler(CSV)
    counts = Counter(from_ocsf.statuses.values())
    assert counts == Counter(from_csv.statuses.values())
    assert set(counts) <= {"met", "not_met", "unknown"} and counts["met"] and counts["not_met"] and counts["unknown"]
    assert from_ocsf.statuses == from_csv.statuses
    assert from_ocsf.unmapped_checks == from_csv.unmapped_checks


@needs_samples
def test_the_v3_sample_fails_its_mapped_control_and_reports_the_rest():
    if not V3.is_file():
        pytest.skip(f"{V3.name} is not present")
    imported = import_prowler(V3)
    assert imported.scan.format == "native-v3"
    assert [r.status for r in imported.scan.results] == ["FAIL", "FAIL", "FAIL"]
    not_met = {c for c, s in imported.statuses.items() if s == "not_met"}
    assert not_met == {"CSMM-IAM-L4-AA"}                          # accessanalyzer_enabled
    assert {s for c, s in imported.statuses.items() if c not in not_met} == {"unknown"}
    assert imported.unmapped_checks == ("account_maintain_current_contact_details", "acm_certificates_expiration_check")


# --------------------------------------------------------------------------- the CLI


@pytest.mark.parametrize("content", [
    '[{"metadata": {"event_code": "s3_bucket_public_access"}, "status_code": "PASS"',   # truncated
    '{"hello": "world"}',                                                                # not Prowler
    "",                                                                                  # empty
    '[{"metadata": {"event_code": "s3_bucket_public_access"}, "status_code": "MAYBE"}]',  # bad status
], ids=["truncated", "not-prowler", "empty", "bad-status"])
def test_a_malformed_file_exits_2_with_one_line_and_no_output(tmp_path, capsys, content):
    bad = tmp_path / "bad-scan.json"
    bad.write_text(content, encoding="utf-8")
    out = tmp_path / "out.ttl"
    status = main(["evidence", "import", "--from", "prowler", str(bad), "-o", str(out)])
    err = capsys.readouterr().err
    assert status == 2
    assert len(err.strip().splitlines()) == 1, err
    assert str(bad) in err
    assert not out.exists()


def test_the_cli_imports_the_example_and_reports_unmapped_checks(tmp_path, capsys):
    out = tmp_path / "scan.ttl"
    assert main(["evidence", "import", "--from", "prowler", str(EXAMPLE_SCAN), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "3 checks map to no csmm control" in err and "cloudtrail_insights_exist" in err
    assert len(Graph().parse(out)) > 0


# --------------------------------------------------------------------------- hostile scans (issue 8)


def test_a_scan_dated_9999_12_31_imports_with_a_warning_and_assesses(tmp_path, caplog):
    """Was OverflowError (exit 3) at assess: 9999-12-31 became the assessment date, plus 30 days."""
    import logging

    records = [_ocsf(c, "PASS", "arn:aws:s3:::a") for c in S3PAB_CHECKS]
    records[0]["finding_info"]["created_time_dt"] = "9999-12-31T23:59:59-05:00"
    path = _write_ocsf(tmp_path, records)
    with caplog.at_level(logging.WARNING, logger="maturity_graph.evidence.freshness"):
        imported = import_prowler(path)
    assert any("9999-12-31" in r.getMessage() and str(path) in r.getMessage() for r in caplog.records)
    out = tmp_path / "scan.ttl"
    imported.graph.serialize(out, format="turtle")
    assert assess([out], frameworks=["csmm"]).as_of == dt.date(9999, 12, 31)


def test_a_scan_without_timestamps_is_an_input_error(tmp_path):
    from maturity_graph.errors import InputError

    records = [_ocsf(c, "PASS", "arn:aws:s3:::a") for c in S3PAB_CHECKS]
    for record in records:
        del record["finding_info"]["created_time_dt"]
    path = _write_ocsf(tmp_path, records)
    with pytest.raises(InputError, match="no timestamps") as info:
        import_prowler(path)
    assert info.value.path == str(path)


def test_a_framework_without_a_mapping_is_an_input_error():
    from maturity_graph.errors import InputError

    with pytest.raises(InputError, match="no reviewed mapping from prowler checks to sbd controls.*csmm"):
        import_prowler(EXAMPLE_SCAN, framework="sbd")
