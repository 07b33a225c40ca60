"""Reading Prowler scanner output into check results.

Prowler (prowler-cloud/prowler) writes one finding per check and resource. Three layouts are read:

- ``ocsf``: Prowler 4/5 ``-M json-ocsf``, a JSON array of OCSF Detection Findings (class_uid 2004).
  Newline-delimited JSON (one finding per line) is accepted too.
- ``csv``: Prowler 4/5 ``-M csv``, ``;``-delimited with a header row; fields may hold quoted newlines.
  The v3 column names (ACCOUNT_ID, RESOURCE_ARN, ASSESSMENT_START_TIME, ...) are read as fallbacks.
- ``native-v3``: Prowler 3 ``-M json``, a JSON array of flat PascalCase objects (CheckID, Status, ...).

The layout is found from the content, not the file name. This module only reads; mapping checks to
framework requirements happens elsewhere.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..inputs import MIB, read_input, size_limit

log = logging.getLogger(__name__)

# A scan file above this size is refused before it is read (MGRAPH_MAX_INPUT_MB raises it). OCSF
# findings are 2 to 5 KiB each, so this is some 100,000 findings; reading them takes about five
# times the file's size in memory, and the evidence graph as much again.
MAX_SCAN_BYTES = 256 * MIB

STATUSES = ("PASS", "FAIL", "MANUAL")
SEVERITIES = ("critical", "high", "medium", "low", "informational")

# Status as written by Prowler -> (our status, muted).
# - INFO: Prowler 2/3 used it for checks that report a fact rather than pass or fail; it is neither,
#   so it becomes MANUAL (someone has to judge it).
# - WARNING: Prowler 3 replaced the status of allow-listed findings with WARNING, losing the
#   original PASS/FAIL; we read it as muted and MANUAL, since the real outcome is unknown.
_STATUS_ALIASES: dict[str, tuple[str, bool]] = {
    "PASS": ("PASS", False),
    "FAIL": ("FAIL", False),
    "MANUAL": ("MANUAL", False),
    "INFO": ("MANUAL", False),
    "WARNING": ("MANUAL", True),
}
_NOT_PROWLER = "not Prowler output (expected OCSF JSON, Prowler CSV or Prowler v3 JSON)"
_CSV_REQUIRED = ("CHECK_ID", "STATUS")
_CSV_TRUE = {"true": True, "false": False}


@dataclass(frozen=True)
class CheckResult:
    """One Prowler finding: the outcome of one check on one resource.

    Text fields Prowler left out are empty strings; ``time`` is None only when the finding has no
    timestamp at all. Naive timestamps are read as UTC.
    """

    check_id: str
    status: str  # "PASS" | "FAIL" | "MANUAL"
    severity: str  # one of SEVERITIES, or "" when absent
    provider: str
    account: str
    region: str
    resource_uid: str
    resource_type: str
    time: dt.datetime | None
    title: str
    finding_uid: str
    muted: bool
    source_format: str  # "ocsf" | "csv" | "native-v3"


@dataclass(frozen=True)
class ProwlerScan:
    """Everything read from one Prowler output file."""

    path: Path
    format: str
    results: tuple[CheckResult, ...]
    prowler_version: str | None

    @property
    def check_ids(self) -> tuple[str, ...]:
        """The distinct check ids, sorted."""
        return tuple(sorted({r.check_id for r in self.results}))

    @property
    def status_counts(self) -> dict[str, int]:
        """How many results have each status; every status in STATUSES is a key."""
        counts = Counter(r.status for r in self.results)
        return {status: counts.get(status, 0) for status in STATUSES}

    @property
    def passed(self) -> int:
        return self.status_counts["PASS"]

    @property
    def failed(self) -> int:
        return self.status_counts["FAIL"]

    @property
    def manual(self) -> int:
        return self.status_counts["MANUAL"]


@dataclass(frozen=True)
class _At:
    """Where a record is, for error messages: a phrase, and the line when it is known."""

    text: str
    line: int | None = None

    def __str__(self) -> str:
        return self.text


Parsed = tuple[tuple[CheckResult, ...], str | None]
FormatParser = Callable[[str, Path], Parsed]


# --------------------------------------------------------------------------- entry points


def parse_prowler(path: str | Path, *, format: str | None = None, data: bytes | None = None) -> ProwlerScan:
    """Read a Prowler output file; the layout is detected from the content unless ``format`` names one.

    ``data`` is the file's content when the caller has read it already (read_scan). Raises
    InputError (with the path, and the line where known) for anything that is not readable
    Prowler output.
    """
    path = Path(path)
    text = decode_text(read_scan(path) if data is None else data, path)
    if format is None:
        format = detect_format(text, path=path)
    elif format not in FORMAT_PARSERS:
        raise InputError(
            f"unknown Prowler format {format!r}; known formats: {', '.join(FORMAT_PARSERS)}", path=path
        )
    results, version = FORMAT_PARSERS[format](text, path)
    log.debug("read %d Prowler results (%s) from %s", len(results), format, path)
    return ProwlerScan(path=path, format=format, results=results, prowler_version=version)


def read_scan(path: str | Path) -> bytes:
    """The bytes of a scan file: a regular file no larger than MAX_SCAN_BYTES, else InputError."""
    return read_input(path, limit=size_limit(MAX_SCAN_BYTES), what="Prowler output")


def read_text(path: Path) -> str:
    """The file's text (UTF-8, BOM allowed), or InputError if it is missing, unreadable, empty or not UTF-8."""
    return decode_text(read_scan(path), path)


def decode_text(data: bytes, path: Path) -> str:
    """UTF-8 text (BOM allowed), or InputError if it is empty or not UTF-8."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise InputError(
            f"the file is not UTF-8 text (bad byte at offset {err.start}); Prowler writes UTF-8", path=path, line=line
        ) from err
    if not text.strip():
        raise InputError("the file is empty; expected Prowler output", path=path)
    return text


def detect_format(text: str, *, path: str | Path) -> str:
    """The FORMAT_PARSERS key for this text, or InputError if it is not Prowler output."""
    stripped = text.lstrip()
    if stripped[:1] in ("[", "{"):
        records = _json_records(text, Path(path))
        return _detect_json(records, Path(path))
    header = stripped.split("\n", 1)[0]
    if Path(path).suffix.lower() == ".csv" or ("CHECK_ID" in header and ";" in header):
        return "csv"
    raise InputError(_NOT_PROWLER, path=path)


# --------------------------------------------------------------------------- shared helpers


def _status(raw: Any, path: Path, where: _At, field: str) -> tuple[str, bool]:
    if raw is None or raw == "":
        raise InputError(f"{where} has no {field}; every Prowler finding needs one", path=path, line=where.line)
    if not isinstance(raw, str):
        raise InputError(f"{where} has a non-text {field}: {raw!r:.60}", path=path, line=where.line)
    try:
        return _STATUS_ALIASES[raw.strip().upper()]
    except KeyError:
        raise InputError(
            f"{where} has unknown {field} {raw!r:.60}; expected PASS, FAIL or MANUAL (INFO and WARNING are also read)",
            path=path,
            line=where.line,
        ) from None


def _severity(raw: Any, path: Path, where: _At, field: str) -> str:
    text = _text(raw, path, where, field).strip().lower()
    if text and text not in SEVERITIES:
        raise InputError(
            f"{where} has unknown {field} {raw!r:.60}; expected one of {', '.join(SEVERITIES)}",
            path=path,
            line=where.line,
        )
    return text


def _text(raw: Any, path: Path, where: _At, field: str) -> str:
    if raw is None:
        return ""
    if not isinstance(raw, str):
        raise InputError(f"{where} has a non-text {field}: {raw!r:.60}", path=path, line=where.line)
    try:
        raw.encode("utf-8")
    except UnicodeEncodeError:  # JSON can escape half a surrogate pair (\ud800); no RDF syntax can write it
        raise InputError(f"{where} has a {field} that is not valid Unicode: {raw!r:.60}", path=path,
                         line=where.line) from None
    return raw


def _required_text(raw: Any, path: Path, where: _At, field: str) -> str:
    text = _text(raw, path, where, field)
    if not text.strip():
        raise InputError(f"{where} has no {field}; every Prowler finding needs one", path=path, line=where.line)
    return text


def _timestamp(raw: Any, path: Path, where: _At, field: str) -> dt.datetime | None:
    """An ISO 8601 text or epoch seconds, made timezone-aware (naive means UTC)."""
    if raw is None or raw == "":
        return None
    try:
        if isinstance(raw, bool):
            raise TypeError
        if isinstance(raw, (int, float)):
            return dt.datetime.fromtimestamp(raw, dt.UTC)
        if not isinstance(raw, str):
            raise TypeError
        value = dt.datetime.fromisoformat(raw.strip())
    except (TypeError, ValueError, OverflowError, OSError):
        raise InputError(
            f"{where} has {field} {raw!r:.60}, which is not a timestamp; "
            "expected ISO 8601 such as 2026-11-23T14:10:16Z",
            path=path,
            line=where.line,
        ) from None
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def _get(obj: Any, *keys: str) -> Any:
    """obj[k1][k2]..., or None when any step is missing or not an object."""
    for key in keys:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


# --------------------------------------------------------------------------- JSON (OCSF and v3)


def _json_records(text: str, path: Path) -> list[tuple[_At, dict[str, Any]]]:
    """The objects in a JSON array (or newline-delimited JSON), each with a phrase naming where it is."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as err:
        if err.msg == "Extra data" and text.lstrip().startswith("{"):
            return _ndjson_records(text, path)
        raise InputError(
            f"the JSON does not parse at line {err.lineno}, column {err.colno} ({err.msg}); the file may be truncated",
            path=path,
            line=err.lineno,
        ) from err
    except (ValueError, RecursionError) as err:  # e.g. a number too long for int(), or nesting too deep
        raise InputError(f"the JSON cannot be read ({err}), so it is not Prowler output", path=path) from err
    if isinstance(document, dict):
        if _looks_ocsf(document) or _looks_v3(document):
            raise InputError(
                "the file holds a single JSON object; Prowler writes its findings as a JSON array", path=path
            )
        raise InputError(_NOT_PROWLER, path=path)
    if not isinstance(document, list):
        raise InputError(_NOT_PROWLER, path=path)
    if not document:
        raise InputError("the JSON array is empty: there are no Prowler findings to read", path=path)
    records = []
    for number, item in enumerate(document, start=1):
        if not isinstance(item, dict):
            raise InputError(
                f"record {number} of the JSON array is a {_json_kind(item)}, not an object; {_NOT_PROWLER}", path=path
            )
        records.append((_At(f"record {number}"), item))
    return records


def _ndjson_records(text: str, path: Path) -> list[tuple[_At, dict[str, Any]]]:
    records = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as err:
            raise InputError(
                f"line {lineno} of the newline-delimited JSON does not parse at column {err.colno} ({err.msg})",
                path=path,
                line=lineno,
            ) from err
        except (ValueError, RecursionError) as err:
            raise InputError(
                f"line {lineno} of the newline-delimited JSON cannot be read ({err})", path=path, line=lineno
            ) from err
        if not isinstance(item, dict):
            raise InputError(
                f"line {lineno} of the newline-delimited JSON is a {_json_kind(item)}, not an object; {_NOT_PROWLER}",
                path=path,
                line=lineno,
            )
        records.append((_At(f"the record at line {lineno}", lineno), item))
    return records


def _json_kind(value: Any) -> str:
    return {list: "list", str: "string", bool: "boolean", int: "number", float: "number"}.get(type(value), "null")


def _looks_ocsf(item: dict[str, Any]) -> bool:
    return (
        "finding_info" in item
        or "status_code" in item
        or item.get("class_uid") == 2004
        or _get(item, "metadata", "event_code") is not None
    )


def _looks_v3(item: dict[str, Any]) -> bool:
    return "CheckID" in item or ("Status" in item and ("AssessmentStartTime" in item or "FindingUniqueId" in item))


_JSON_DETECTORS: dict[str, Callable[[dict[str, Any]], bool]] = {"ocsf": _looks_ocsf, "native-v3": _looks_v3}


def _detect_json(records: list[tuple[_At, dict[str, Any]]], path: Path) -> str:
    found = {name for name, looks in _JSON_DETECTORS.items() for _, item in records if looks(item)}
    if len(found) == 1:
        return found.pop()
    if found:
        raise InputError("the file mixes OCSF findings and Prowler v3 findings; give one layout per file", path=path)
    raise InputError(_NOT_PROWLER, path=path)


def _parse_ocsf(text: str, path: Path) -> Parsed:
    records = _json_records(text, path)
    results: list[CheckResult] = []
    version = None
    for where, item in records:
        check_id = _required_text(
            _get(item, "metadata", "event_code") or _get(item, "finding_info", "analytic", "uid"),
            path, where, "check id (metadata.event_code)",
        )
        status, muted = _status(item.get("status_code"), path, where, "status_code")
        # Prowler 4/5 mark a muted finding with OCSF status "Suppressed" (status_id 3); otherwise "New".
        muted = muted or _text(item.get("status"), path, where, "status").strip().lower() == "suppressed"
        muted = muted or item.get("status_id") == 3
        severity = _severity(item.get("severity"), path, where, "severity")
        time = None
        for field in (("finding_info", "created_time_dt"), ("time_dt",), ("time",), ("finding_info", "created_time")):
            time = _timestamp(_get(item, *field), path, where, ".".join(field))
            if time is not None:
                break
        if version is None:
            version = _text(_get(item, "metadata", "product", "version"), path, where, "metadata.product.version")
            version = version or None
        provider = _get(item, "cloud", "provider") or _get(item, "unmapped", "provider")
        provider = _text(provider, path, where, "cloud.provider")
        account = _get(item, "cloud", "account", "uid") or _get(item, "unmapped", "provider_uid")
        account = _text(account, path, where, "cloud.account.uid")
        cloud_region = _text(_get(item, "cloud", "region"), path, where, "cloud.region")
        title = _text(_get(item, "finding_info", "title"), path, where, "finding_info.title")
        finding_uid = _text(_get(item, "finding_info", "uid"), path, where, "finding_info.uid")
        resources = item.get("resources")
        if resources is None or resources == []:
            resources = [{}]
        if not isinstance(resources, list) or not all(isinstance(r, dict) for r in resources):
            raise InputError(f"{where} has resources that are not a list of objects", path=path, line=where.line)
        # One result per resource: a finding about several resources is several check outcomes.
        for resource in resources:
            region = cloud_region or _text(resource.get("region"), path, where, "resources[].region")
            results.append(
                CheckResult(
                    check_id=check_id,
                    status=status,
                    severity=severity,
                    provider=provider,
                    account=account,
                    region=region,
                    resource_uid=_text(resource.get("uid"), path, where, "resources[].uid"),
                    resource_type=_text(resource.get("type"), path, where, "resources[].type"),
                    time=time,
                    title=title,
                    finding_uid=finding_uid,
                    muted=muted,
                    source_format="ocsf",
                )
            )
    return tuple(results), version


def _parse_native_v3(text: str, path: Path) -> Parsed:
    records = _json_records(text, path)
    results = []
    for where, item in records:
        check_id = _required_text(item.get("CheckID"), path, where, "CheckID")
        status, muted = _status(item.get("Status"), path, where, "Status")
        if isinstance(item.get("Muted"), bool):
            muted = muted or item["Muted"]
        results.append(
            CheckResult(
                check_id=check_id,
                status=status,
                severity=_severity(item.get("Severity"), path, where, "Severity"),
                provider=_text(item.get("Provider"), path, where, "Provider"),
                account=_text(item.get("AccountId"), path, where, "AccountId"),
                region=_text(item.get("Region"), path, where, "Region"),
                resource_uid=_text(item.get("ResourceArn"), path, where, "ResourceArn")
                or _text(item.get("ResourceId"), path, where, "ResourceId"),
                resource_type=_text(item.get("ResourceType"), path, where, "ResourceType"),
                time=_timestamp(item.get("AssessmentStartTime"), path, where, "AssessmentStartTime"),
                title=_text(item.get("CheckTitle"), path, where, "CheckTitle"),
                finding_uid=_text(item.get("FindingUniqueId"), path, where, "FindingUniqueId"),
                muted=muted,
                source_format="native-v3",
            )
        )
    # Prowler 3's JSON carries no version.
    return tuple(results), None


# --------------------------------------------------------------------------- CSV


def _csv_rows(text: str, path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(line where the record starts, row) for each data row; the header is checked first."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    end = 0
    try:
        header = next(reader, None)
        if header is None:
            raise InputError("the CSV is empty; expected a Prowler header row", path=path, line=1)
        header = [name.strip() for name in header]
        missing = [name for name in _CSV_REQUIRED if name not in header]
        if missing:
            hint = " (the file is not ';'-delimited)" if len(header) == 1 and "," in header[0] else ""
            raise InputError(
                f"the CSV header lacks the column{'s' if len(missing) > 1 else ''} {', '.join(missing)}{hint}; "
                "a Prowler CSV needs CHECK_ID and STATUS",
                path=path,
                line=1,
            )
        end = reader.line_num
        for row in reader:
            start, end = end + 1, reader.line_num
            if not row or row == [""]:
                continue
            if len(row) != len(header):
                raise InputError(
                    f"the record at line {start} has {len(row)} fields but the header has {len(header)}; "
                    "the file may be truncated or not ';'-delimited",
                    path=path,
                    line=start,
                )
            yield start, dict(zip(header, row, strict=True))
    except csv.Error as err:
        raise InputError(f"the CSV cannot be read after line {end}: {err}", path=path, line=end + 1) from err


def _first(row: Mapping[str, str], *names: str) -> str:
    for name in names:
        if row.get(name):
            return row[name]
    return ""


def _parse_csv(text: str, path: Path) -> Parsed:
    results = []
    version = None
    for start, row in _csv_rows(text, path):
        where = _At(f"the record at line {start}", start)
        check_id = _required_text(row["CHECK_ID"], path, where, "CHECK_ID")
        status, muted = _status(row["STATUS"], path, where, "STATUS")
        muted_text = row.get("MUTED", "").strip().lower()
        if muted_text not in ("", *_CSV_TRUE):
            raise InputError(f"{where} has MUTED {row['MUTED']!r}; expected True or False", path=path, line=start)
        muted = muted or _CSV_TRUE.get(muted_text, False)
        if version is None:
            version = row.get("PROWLER_VERSION") or None
        results.append(
            CheckResult(
                check_id=check_id,
                status=status,
                severity=_severity(row.get("SEVERITY"), path, where, "SEVERITY"),
                provider=row.get("PROVIDER", ""),
                account=_first(row, "ACCOUNT_UID", "ACCOUNT_ID"),
                region=row.get("REGION", ""),
                resource_uid=_first(row, "RESOURCE_UID", "RESOURCE_ARN", "RESOURCE_ID"),
                resource_type=row.get("RESOURCE_TYPE", ""),
                time=_timestamp(_first(row, "TIMESTAMP", "ASSESSMENT_START_TIME"), path, where, "TIMESTAMP"),
                title=row.get("CHECK_TITLE", ""),
                finding_uid=_first(row, "FINDING_UID", "FINDING_UNIQUE_ID"),
                muted=muted,
                source_format="csv",
            )
        )
    if not results:
        raise InputError("the CSV has a header but no findings", path=path)
    return tuple(results), version


FORMAT_PARSERS: dict[str, FormatParser] = {
    "ocsf": _parse_ocsf,
    "csv": _parse_csv,
    "native-v3": _parse_native_v3,
}
