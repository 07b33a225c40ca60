"""Reading Prowler output (OCSF JSON, CSV, v3 native JSON) into CheckResult records."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maturity_graph.errors import InputError
from maturity_graph.evidence.prowler import (
    FORMAT_PARSERS,
    SEVERITIES,
    STATUSES,
    CheckResult,
    ProwlerScan,
    detect_format,
    parse_prowler,
)
from tests.conftest import SHARED

DATA = Path(__file__).resolve().parents[2] / "data" / "prowler"
SAMPLES = SHARED / "evidence-samples/prowler"
OCSF = SAMPLES / "prowler-5.46.0-aws-moto-123456789012.ocsf.json"
CSV = SAMPLES / "prowler-5.46.0-aws-moto-123456789012.csv"
V3 = SAMPLES / "defectdojo-prowler-v3-native-many_vuln.json"

needs_samples = pytest.mark.skipif(not SAMPLES.is_dir(), reason="shared Prowler samples are not present")


def _write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def _v3_record(**overrides: object) -> dict:
    record = {
        "AssessmentStartTime": "2023-04-25T23:49:42.744599",
        "FindingUniqueId": "prowler-aws-accessanalyzer_enabled-999999999999-us-east-1-999999999999",
        "Provider": "aws",
        "CheckID": "accessanalyzer_enabled",
        "CheckTitle": "Check if IAM Access Analyzer is enabled",
        "Status": "FAIL",
        "Severity": "low",
        "ResourceType": "Other",
        "AccountId": "999999999999",
        "Region": "us-east-1",
        "ResourceId": "999999999999",
        "ResourceArn": "",
    }
    record.update(overrides)
    return record


def _raises(path: Path, *needles: str) -> InputError:
    with pytest.raises(InputError) as info:
        parse_prowler(path)
    err = info.value
    assert err.path == str(path)
    assert str(path) in str(err)
    for needle in needles:
        assert needle in str(err), str(err)
    return err


# --------------------------------------------------------------------------- the shared samples


@needs_samples
@pytest.mark.parametrize("path, fmt", [(OCSF, "ocsf"), (CSV, "csv")])
def test_prowler_5_samples_match_sources(path: Path, fmt: str) -> None:
    scan = parse_prowler(path)
    assert isinstance(scan, ProwlerScan)
    assert scan.format == fmt
    assert scan.path == path
    assert scan.prowler_version == "5.46.0"
    assert len(scan.results) == 167
    assert len(scan.check_ids) == 112
    assert scan.status_counts == {"PASS": 65, "FAIL": 100, "MANUAL": 2}
    assert (scan.passed, scan.failed, scan.manual) == (65, 100, 2)
    assert {r.check_id for r in scan.results if r.status == "MANUAL"} == {
        "account_maintain_current_contact_details",
        "account_security_contact_information_is_registered",
    }
    severities = [r.severity for r in scan.results]
    assert {s: severities.count(s) for s in set(severities)} == {"critical": 19, "high": 54, "medium": 78, "low": 16}
    for result in scan.results:
        assert result.source_format == fmt
        assert result.account == "123456789012"
        assert result.region == "us-east-1"
        assert result.provider == "aws"
        assert result.resource_uid
        assert result.finding_uid.startswith("prowler-aws-")
        assert result.muted is False
        assert result.time is not None and result.time.tzinfo is not None
        assert result.time.date() == dt.date(2026, 11, 23)


@needs_samples
def test_ocsf_and_csv_samples_agree() -> None:
    ocsf = parse_prowler(OCSF).results
    csv_ = parse_prowler(CSV).results
    triples = lambda results: {(r.check_id, r.status, r.resource_uid) for r in results}  # noqa: E731
    assert triples(ocsf) == triples(csv_)
    # Beyond the triples, every field but the source format agrees.
    strip = lambda results: sorted(repr(dataclasses.replace(r, source_format="")) for r in results)  # noqa: E731
    assert strip(ocsf) == strip(csv_)


@needs_samples
def test_v3_sample() -> None:
    scan = parse_prowler(V3)
    assert scan.format == "native-v3"
    assert scan.prowler_version is None
    assert len(scan.results) == 3
    assert scan.status_counts == {"PASS": 0, "FAIL": 3, "MANUAL": 0}
    assert [r.check_id for r in scan.results] == [
        "acm_certificates_expiration_check",
        "accessanalyzer_enabled",
        "account_maintain_current_contact_details",
    ]
    assert sorted(r.severity for r in scan.results) == ["high", "low", "medium"]
    assert {r.account for r in scan.results} == {"999999999999"}
    assert {r.region for r in scan.results} == {"us-east-1"}
    assert all(r.time is not None and r.time.tzinfo is not None for r in scan.results)
    # ResourceArn when present, else ResourceId.
    assert scan.results[0].resource_uid.startswith("arn:aws:acm:us-east-1:999999999999:certificate/")
    assert scan.results[1].resource_uid == "999999999999"


@needs_samples
@pytest.mark.parametrize("path, fmt", [(OCSF, "ocsf"), (CSV, "csv"), (V3, "native-v3")])
def test_detection_is_by_content_not_suffix(tmp_path: Path, path: Path, fmt: str) -> None:
    renamed = _write(tmp_path, "scan.txt", path.read_bytes())
    assert detect_format(renamed.read_text(encoding="utf-8"), path=renamed) == fmt
    assert parse_prowler(renamed).format == fmt


# --------------------------------------------------------------------------- small fixtures


def test_ocsf_fixture_muted_and_multi_resource() -> None:
    scan = parse_prowler(DATA / "ocsf-small.json")
    assert scan.format == "ocsf"
    assert len(scan.results) == 3  # the first finding names two resources
    first, second, third = scan.results
    assert (first.resource_uid, second.resource_uid) == ("arn:aws:s3:::public-bucket", "arn:aws:s3:::other-bucket")
    assert first.finding_uid == second.finding_uid
    assert first.muted and second.muted  # OCSF status "Suppressed"
    assert first.severity == "critical"
    assert first.time == dt.datetime(2026, 11, 23, 14, 10, 16, 564085, tzinfo=dt.UTC)
    # No metadata.event_code: the check id comes from finding_info.analytic.uid; no cloud.region: the resource's.
    assert third.check_id == "account_security_contact_information_is_registered"
    assert third.region == "eu-west-1"
    assert third.status == "MANUAL" and not third.muted
    assert third.severity == "informational"
    assert third.time == dt.datetime.fromtimestamp(1795443016, dt.UTC)


def test_ocsf_as_newline_delimited_json(tmp_path: Path) -> None:
    records = json.loads((DATA / "ocsf-small.json").read_text(encoding="utf-8"))
    path = _write(tmp_path, "scan.ocsf.jsonl", "\n".join(json.dumps(r) for r in records) + "\n")
    scan = parse_prowler(path)
    assert scan.format == "ocsf"
    assert scan.results == parse_prowler(DATA / "ocsf-small.json").results


def test_csv_fixture() -> None:
    scan = parse_prowler(DATA / "csv-small.csv")
    assert scan.format == "csv"
    alice, key = scan.results
    assert alice.muted is True and key.muted is False
    assert alice.resource_uid == "arn:aws:iam::111122223333:user/alice"
    assert alice.time.tzinfo is dt.UTC
    assert key.time == dt.datetime(2026, 11, 23, 12, 10, 16, tzinfo=dt.UTC)
    assert scan.prowler_version == "5.46.0"


def test_v3_fixture_info_and_warning() -> None:
    info, warning = parse_prowler(DATA / "v3-small.json").results
    assert (info.status, info.muted) == ("MANUAL", False)  # INFO is neither pass nor fail
    assert (warning.status, warning.muted) == ("MANUAL", True)  # v3 allow-listed finding
    assert info.resource_uid == "444455556666"
    assert info.time == dt.datetime(2023, 4, 25, 23, 49, 42, tzinfo=dt.UTC)


def test_forced_format(tmp_path: Path) -> None:
    assert parse_prowler(DATA / "v3-small.json", format="native-v3").format == "native-v3"
    assert set(FORMAT_PARSERS) == {"ocsf", "csv", "native-v3"}
    with pytest.raises(InputError, match="unknown Prowler format"):
        parse_prowler(DATA / "v3-small.json", format="sarif")


# --------------------------------------------------------------------------- malformed input


def test_missing_file(tmp_path: Path) -> None:
    _raises(tmp_path / "nope.json", "file not found")


def test_truncated_json_names_line() -> None:
    err = _raises(DATA / "truncated-v3.json", "does not parse", "line 8")
    assert err.line == 8


def test_json_object_instead_of_list(tmp_path: Path) -> None:
    _raises(_write(tmp_path, "one.json", json.dumps(_v3_record())), "single JSON object", "array")


def test_cyclonedx_is_not_prowler() -> None:
    _raises(DATA / "cyclonedx.json", "not Prowler output")


@pytest.mark.parametrize(
    "document",
    [{"results": []}, [1, 2], ["a"], [{"name": "x"}], 42, "text", None],
    ids=["object", "numbers", "strings", "foreign-objects", "number", "string", "null"],
)
def test_other_json_is_not_prowler(tmp_path: Path, document: object) -> None:
    _raises(_write(tmp_path, "x.json", json.dumps(document)), "not Prowler output")


def test_empty_json_array(tmp_path: Path) -> None:
    _raises(_write(tmp_path, "x.json", "[]"), "empty")


def test_missing_check_id(tmp_path: Path) -> None:
    record = _v3_record()
    del record["CheckID"]
    _raises(_write(tmp_path, "x.json", json.dumps([_v3_record(), record])), "record 2", "CheckID")


def test_missing_status(tmp_path: Path) -> None:
    _raises(_write(tmp_path, "x.json", json.dumps([_v3_record(Status="")])), "record 1", "Status")


def test_unknown_status(tmp_path: Path) -> None:
    _raises(_write(tmp_path, "x.json", json.dumps([_v3_record(Status="MAYBE")])), "record 1", "'MAYBE'")


def test_unknown_severity(tmp_path: Path) -> None:
    _raises(_write(tmp_path, "x.json", json.dumps([_v3_record(Severity="urgent")])), "'urgent'")


def test_bad_timestamp(tmp_path: Path) -> None:
    path = _write(tmp_path, "x.json", json.dumps([_v3_record(AssessmentStartTime="yesterday")]))
    _raises(path, "record 1", "AssessmentStartTime", "'yesterday'")


def test_bad_ocsf_record(tmp_path: Path) -> None:
    records = json.loads((DATA / "ocsf-small.json").read_text(encoding="utf-8"))
    records[1]["status_code"] = "MAYBE"
    _raises(_write(tmp_path, "x.json", json.dumps(records)), "record 2", "status_code")


def test_mixed_layouts(tmp_path: Path) -> None:
    records = json.loads((DATA / "ocsf-small.json").read_text(encoding="utf-8"))
    _raises(_write(tmp_path, "x.json", json.dumps([records[0], _v3_record()])), "mixes")


def test_csv_missing_status_column(tmp_path: Path) -> None:
    text = (DATA / "csv-small.csv").read_text(encoding="utf-8").replace(";STATUS;", ";STATE;", 1)
    err = _raises(_write(tmp_path, "x.csv", text), "STATUS")
    assert err.line == 1


def test_csv_comma_delimited(tmp_path: Path) -> None:
    _raises(_write(tmp_path, "x.csv", "CHECK_ID,STATUS\na,PASS\n"), "CHECK_ID, STATUS", "';'-delimited")


def test_csv_errors_name_the_starting_line(tmp_path: Path) -> None:
    # The first record spans lines 2-3 (a quoted newline), so the second starts on line 4.
    text = (DATA / "csv-small.csv").read_text(encoding="utf-8").replace(";PASS;", ";MAYBE;")
    err = _raises(_write(tmp_path, "x.csv", text), "line 4", "'MAYBE'")
    assert err.line == 4


def test_csv_bad_timestamp_and_muted(tmp_path: Path) -> None:
    text = (DATA / "csv-small.csv").read_text(encoding="utf-8")
    _raises(_write(tmp_path, "a.csv", text.replace("2026-11-23 14:10", "23/11/2026 14:10")), "TIMESTAMP", "line 2")
    _raises(_write(tmp_path, "b.csv", text.replace(";True;", ";yes;")), "MUTED", "line 2")


def test_csv_truncated_row(tmp_path: Path) -> None:
    text = (DATA / "csv-small.csv").read_text(encoding="utf-8")
    _raises(_write(tmp_path, "x.csv", text[: text.rindex(";aws;")]), "fields", "line 4")


def test_csv_header_only(tmp_path: Path) -> None:
    _raises(_write(tmp_path, "x.csv", "CHECK_ID;STATUS\n"), "no findings")


@pytest.mark.parametrize("content", ["", "   \n\n", b"\xef\xbb\xbf"], ids=["empty", "blank", "bom-only"])
def test_empty_file(tmp_path: Path, content: str | bytes) -> None:
    _raises(_write(tmp_path, "x.json", content), "empty")


def test_not_utf8(tmp_path: Path) -> None:
    err = _raises(_write(tmp_path, "x.csv", b"CHECK_ID;STATUS\nabc;PASS\n\xff\xfe;FAIL\n"), "not UTF-8")
    assert err.line == 3


def test_plain_text_is_not_prowler(tmp_path: Path) -> None:
    _raises(_write(tmp_path, "notes.txt", "hello world\n"), "not Prowler output")


def test_directory(tmp_path: Path) -> None:
    _raises(tmp_path, "is a directory")


# --------------------------------------------------------------------------- properties

_FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)
# Values that look a little like Prowler records, so the fuzzing reaches the record parsers.
prowler_keys = st.sampled_from(
    ["CheckID", "Status", "Severity", "AssessmentStartTime", "ResourceArn", "status_code", "finding_info",
     "metadata", "resources", "cloud", "time", "severity", "class_uid", "Muted"]
)
prowlerish = st.lists(st.dictionaries(prowler_keys, json_values, max_size=6), min_size=1, max_size=3)


def _parse_or_input_error(path: Path) -> None:
    try:
        scan = parse_prowler(path)
    except InputError as err:
        assert err.path == str(path)
    else:
        assert all(isinstance(r, CheckResult) and r.status in STATUSES for r in scan.results)


@_FUZZ
@given(data=st.binary(max_size=200))
def test_arbitrary_bytes_never_crash(tmp_path: Path, data: bytes) -> None:
    for name in ("x.json", "x.csv"):
        _parse_or_input_error(_write(tmp_path, name, data))


@_FUZZ
@given(value=json_values | prowlerish)
def test_arbitrary_json_never_crashes(tmp_path: Path, value: object) -> None:
    _parse_or_input_error(_write(tmp_path, "x.json", json.dumps(value)))


region = st.sampled_from(["us-east-1", "eu-west-1", "ap-south-1", ""])
unicode_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20)
v3_records = st.fixed_dictionaries(
    {
        "CheckID": st.text(alphabet=string.ascii_lowercase + "_", min_size=1, max_size=30).filter(str.strip),
        "Status": st.sampled_from(STATUSES),
        "Severity": st.sampled_from(SEVERITIES),
        "Provider": st.sampled_from(["aws", "azure", "gcp"]),
        "AccountId": st.text(alphabet=string.digits, min_size=12, max_size=12),
        "Region": region,
        "ResourceArn": unicode_text.map(lambda s: f"arn:aws:s3:::{s}"),
        "ResourceType": st.sampled_from(["AwsS3Bucket", "Other"]),
        "AssessmentStartTime": st.datetimes(
            min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2100, 1, 1), timezones=st.just(dt.UTC)
        ).map(dt.datetime.isoformat),
        "CheckTitle": unicode_text,
        "FindingUniqueId": unicode_text,
    }
)


@_FUZZ
@given(records=st.lists(v3_records, min_size=1, max_size=5))
def test_v3_round_trip(tmp_path: Path, records: list[dict]) -> None:
    path = _write(tmp_path, "scan.json", json.dumps(records, ensure_ascii=False))
    scan = parse_prowler(path)
    assert scan.format == "native-v3"
    assert len(scan.results) == len(records)
    for record, result in zip(records, scan.results, strict=True):
        assert result == CheckResult(
            check_id=record["CheckID"],
            status=record["Status"],
            severity=record["Severity"],
            provider=record["Provider"],
            account=record["AccountId"],
            region=record["Region"],
            resource_uid=record["ResourceArn"],
            resource_type=record["ResourceType"],
            time=dt.datetime.fromisoformat(record["AssessmentStartTime"]),
            title=record["CheckTitle"],
            finding_uid=record["FindingUniqueId"],
            muted=False,
            source_format="native-v3",
        )


def test_half_a_surrogate_pair_is_an_input_error(tmp_path: Path) -> None:
    """Found by fuzzing: JSON can escape a lone surrogate; the JSON-LD output then failed (exit 3)."""
    record = _v3_record(ResourceArn="arn:aws:s3:::a\ud800")
    path = _write(tmp_path, "scan.json", json.dumps([record]))
    _raises(path, "ResourceArn that is not valid Unicode")
