"""Reading Prowler scanner output into check results, one finding at a time.

Prowler (prowler-cloud/prowler) writes one finding per check and resource. Three layouts are read:

- ``ocsf``: Prowler 4/5 ``-M json-ocsf``, a JSON array of OCSF Detection Findings (class_uid 2004).
  Newline-delimited JSON (one finding per line) is accepted too.
- ``csv``: Prowler 4/5 ``-M csv``, ``;``-delimited with a header row; fields may hold quoted newlines.
  The v3 column names (ACCOUNT_ID, RESOURCE_ARN, ASSESSMENT_START_TIME, ...) are read as fallbacks.
- ``native-v3``: Prowler 3 ``-M json``, a JSON array of flat PascalCase objects (CheckID, Status, ...).

The layout is found from the content, not the file name. A scan of many accounts runs to
gigabytes, so the file is streamed: a JSON array is cut into its elements by the standard
library's own decoder (raw_decode on a sliding window), a CSV is read row by row, and memory holds
one finding at a time. (ijson's C backend was tried and left out: it crashes on a 5,000-digit
number, is killed building a 100,000-deep list, and turns a lone surrogate escape into "?"; the
standard decoder keeps every error message and check the whole-file reader had.) The bytes are
checked to be UTF-8 and hashed on the way (scan_results), so an importer can name its nodes after
exactly the bytes it read. This module only reads; mapping
checks to framework requirements happens elsewhere.
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import itertools
import json
import logging
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, BinaryIO

from ..errors import InputError
from ..inputs import MIB, open_input, read_input, size_limit
from ..progress import EVERY, Progress

log = logging.getLogger(__name__)

# A scan file above this size is refused before it is read (MGRAPH_MAX_INPUT_MB raises it). Reading
# is streamed, so memory does not grow with the file; the limit bounds the time (OCSF findings are
# 2 to 5 KiB each, so this is some 500,000 to 1,000,000 findings, a few minutes).
MAX_SCAN_BYTES = 2048 * MIB
# Characters read from the file at a time; a finding larger than this widens the window.
CHUNK_CHARS = 1 * MIB
# Records that look like neither OCSF nor Prowler v3 JSON read before the layout is known; past
# this many, the file is not Prowler output.
MAX_UNDECIDED_RECORDS = 1_000
# A line of newline-delimited JSON or CSV longer than this is refused rather than held whole.
MAX_LINE_CHARS = 64 * MIB
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
    account_name: str = ""  # the account's name where the layout gives one (OCSF cloud.account.name, ACCOUNT_NAME)


class _StatusTotals:
    """passed, failed and manual, read from `status_counts` (a whole scan's and a streamed tally's alike)."""

    @property
    def status_counts(self) -> dict[str, int]:
        raise NotImplementedError

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
class ProwlerScan(_StatusTotals):
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
    def count(self) -> int:
        """How many check results the file gave."""
        return len(self.results)

    @property
    def status_counts(self) -> dict[str, int]:
        """How many results have each status; every status in STATUSES is a key."""
        counts = Counter(r.status for r in self.results)
        return {status: counts.get(status, 0) for status in STATUSES}


@dataclass(frozen=True)
class _At:
    """Where a record is, for error messages: a phrase, and the line when it is known."""

    text: str
    line: int | None = None

    def __str__(self) -> str:
        return self.text


Parsed = tuple[tuple[CheckResult, ...], str | None]
FormatParser = Callable[[str, Path], Parsed]


@dataclass
class ScanTally(_StatusTotals):
    """What a streamed read of one scan file saw, without keeping the results themselves."""

    path: Path
    format: str = ""
    prowler_version: str | None = None
    count: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    checks: set[str] = field(default_factory=set)
    digest: str = ""  # sha256 of the bytes read, once the whole file has been read

    def add(self, result: CheckResult) -> None:
        self.count += 1
        self.counts[result.status] += 1
        self.checks.add(result.check_id)

    @property
    def check_ids(self) -> tuple[str, ...]:
        """The distinct check ids, sorted."""
        return tuple(sorted(self.checks))

    @property
    def status_counts(self) -> dict[str, int]:
        return {status: self.counts.get(status, 0) for status in STATUSES}


# --------------------------------------------------------------------------- entry points


def scan_results(
    path: str | Path,
    tally: ScanTally | None = None,
    *,
    format: str | None = None,
    data: bytes | None = None,
    progress: Progress | None = None,
) -> Iterator[CheckResult]:
    """Yield the check results of a Prowler output file as they are read, in file order.

    ``tally`` (if given) is filled in on the way: layout, Prowler version, counts, and at the end
    the sha256 of the bytes read. ``data`` is the file's content when the caller holds it already.
    ``progress(findings, None)`` is called every few hundred findings. Raises InputError (with the
    path, and the line where known) for anything that is not readable Prowler output.
    """
    path = Path(path)
    tally = tally if tally is not None else ScanTally(path)
    if format is not None and format not in FORMAT_PARSERS:
        raise InputError(
            f"unknown Prowler format {format!r}; known formats: {', '.join(FORMAT_PARSERS)}", path=path
        )
    source = _Source(path, data=data)
    for result in _results(source, path, format, tally):
        tally.add(result)
        if progress is not None and tally.count % EVERY == 0:
            progress(tally.count, None)
        yield result
    tally.digest = source.digest()
    if progress is not None:
        progress(tally.count, None)
    log.debug("read %d Prowler results (%s) from %s", tally.count, tally.format, path)


def parse_prowler(path: str | Path, *, format: str | None = None, data: bytes | None = None) -> ProwlerScan:
    """Read a whole Prowler output file into memory; the layout is detected unless ``format`` names one.

    ``data`` is the file's content when the caller has read it already (read_scan). Raises
    InputError (with the path, and the line where known) for anything that is not readable
    Prowler output. For files too large to hold, iterate scan_results instead.
    """
    path = Path(path)
    tally = ScanTally(path)
    results = tuple(scan_results(path, tally, format=format, data=data))
    return ProwlerScan(path=path, format=tally.format, results=results, prowler_version=tally.prowler_version)


def read_scan(path: str | Path) -> bytes:
    """The bytes of a scan file: a regular file no larger than MAX_SCAN_BYTES, else InputError."""
    return read_input(path, limit=size_limit(MAX_SCAN_BYTES), what="Prowler output")


def open_scan(path: str | Path) -> BinaryIO:
    """A binary stream on a scan file, with read_scan's checks made before the first byte is read."""
    return open_input(path, limit=size_limit(MAX_SCAN_BYTES), what="Prowler output")


def scan_digest(path: str | Path) -> str:
    """The sha256 (hex) of a scan file, read in chunks: importers name their nodes after it."""
    digest = hashlib.sha256()
    with open_scan(path) as stream:
        try:
            for chunk in iter(lambda: stream.read(CHUNK_CHARS), b""):
                digest.update(chunk)
        except OSError as err:
            raise InputError(f"cannot read the file: {err.strerror or err}", path=path) from None
    return digest.hexdigest()


def read_text(path: Path) -> str:
    """The file's text (UTF-8, BOM allowed), or InputError if it is missing, unreadable, empty or not UTF-8."""
    return decode_text(read_scan(path), path)


def decode_text(data: bytes, path: Path) -> str:
    """UTF-8 text (BOM allowed), or InputError if it is empty or not UTF-8."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise InputError(_NOT_UTF8.format(offset=err.start), path=path, line=line) from err
    if not text.strip():
        raise InputError(_EMPTY, path=path)
    return text


def detect_format(text: str, *, path: str | Path) -> str:
    """The FORMAT_PARSERS key for this text, or InputError if it is not Prowler output."""
    tally = ScanTally(Path(path))
    for _ in _results(_Source(Path(path), text=text), Path(path), None, tally):
        break
    return tally.format


# --------------------------------------------------------------------------- streaming the file


_NOT_UTF8 = "the file is not UTF-8 text (bad byte at offset {offset}); Prowler writes UTF-8"
_EMPTY = "the file is empty; expected Prowler output"


class _CheckedBytes(io.RawIOBase):
    """A file's bytes as they are read, checked to be UTF-8 and hashed on the way."""

    def __init__(self, raw: IO[bytes], path: Path):
        super().__init__()
        assert isinstance(raw, io.BufferedIOBase)  # BytesIO, or a file opened "rb": both have readinto
        self._raw = raw
        self._path = path
        self._hash = hashlib.sha256()
        self._pending = b""  # the start of a character cut by the end of the last read
        self._offset = 0  # of the first pending byte
        self._lines = 0  # newlines before it
        self.at_end = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        try:
            count: int | None = self._raw.readinto(buffer)  # None: a non-blocking stream with nothing yet
        except OSError as err:
            raise InputError(f"cannot read the file: {err.strerror or err}", path=self._path) from None
        if count is None:
            return 0
        chunk = bytes(memoryview(buffer)[:count])
        self._hash.update(chunk)
        self._check(chunk, final=count == 0)
        self.at_end = count == 0
        return count

    def _check(self, chunk: bytes, *, final: bool) -> None:
        data = self._pending + chunk
        try:
            _, used = codecs.utf_8_decode(data, "strict", final)
        except UnicodeDecodeError as err:
            line = self._lines + data[: err.start].count(b"\n") + 1
            raise InputError(_NOT_UTF8.format(offset=self._offset + err.start), path=self._path, line=line) from None
        self._lines += data.count(b"\n", 0, used)
        self._offset += used
        self._pending = data[used:]

    def hexdigest(self) -> str:
        return self._hash.hexdigest()

    def close(self) -> None:
        try:
            self._raw.close()
        finally:
            super().close()


class _Source:
    """Where the text comes from: the file (streamed), bytes already read, or text; it can be read again."""

    def __init__(self, path: Path, *, data: bytes | None = None, text: str | None = None):
        self.path = path
        self._data = data
        self._text = text
        self._bytes: _CheckedBytes | None = None

    def open(self) -> IO[str]:
        """A text stream from the first character; lines keep their own endings (newline="")."""
        if self._text is not None:
            return io.StringIO(self._text, newline="")
        if self._bytes is not None:
            self._bytes.close()
        raw: IO[bytes] = io.BytesIO(self._data) if self._data is not None else open_scan(self.path)
        self._bytes = _CheckedBytes(raw, self.path)
        return io.TextIOWrapper(io.BufferedReader(self._bytes, MIB), encoding="utf-8-sig", newline="")

    def digest(self) -> str:
        """sha256 of the bytes read by the last open(), which must have reached the end."""
        if self._bytes is None:
            return hashlib.sha256(self._text.encode("utf-8", "surrogatepass")).hexdigest() if self._text else ""
        if not self._bytes.at_end:
            raise RuntimeError("the scan's digest was asked for before the whole file was read")
        digest = self._bytes.hexdigest()
        self._bytes.close()
        return digest


def _results(source: _Source, path: Path, format: str | None, tally: ScanTally) -> Iterator[CheckResult]:
    """The layout (detected unless given), then every result: the engine behind scan_results."""
    text = source.open()
    try:
        peeked: list[str] = []
        while True:
            line = text.readline(CHUNK_CHARS)  # a minified JSON file is one line: take its start only
            if not line:
                raise InputError(_EMPTY, path=path)
            peeked.append(line)
            if line.strip():
                break
        first = line.lstrip()
        if format is None:
            if first[:1] in ("[", "{"):
                format = "json"
            elif path.suffix.lower() == ".csv" or ("CHECK_ID" in first and ";" in first):
                format = "csv"
            else:
                raise InputError(_NOT_PROWLER, path=path)
        chunks = itertools.chain(["".join(peeked)], iter(lambda: text.read(CHUNK_CHARS), ""))
        if format == "csv":
            tally.format = "csv"
            yield from _csv_results(_lines(chunks, path), path, tally)
        else:
            yield from _json_results(_json_records(chunks, source, path), path, format, tally)
    finally:
        try:
            text.close()
        except ValueError:  # its file was closed already, when newline-delimited JSON was read again
            pass


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


# --------------------------------------------------------------------------- lines


_BREAK = re.compile(r"\r\n?|\n")


def _lines(chunks: Iterable[str], path: Path) -> Iterator[str]:
    """The lines of a text given in chunks, each with its ending (\\n, \\r\\n or \\r), none over MAX_LINE_CHARS.

    Only those three end a line, as in csv and JSON; str.splitlines would also cut at \\f or U+2028.
    Each chunk is scanned once, so a long line costs its length, not its length squared.
    """
    parts: list[str] = []
    size = 0
    number = 1
    after_cr = False  # the last chunk ended in \r: the \n of a \r\n may start this one
    for chunk in chunks:
        if after_cr:
            if chunk.startswith("\n"):
                parts.append("\n")
                chunk = chunk[1:]
            yield "".join(parts)
            parts, size, number, after_cr = [], 0, number + 1, False
        start = 0
        for match in _BREAK.finditer(chunk):
            if match.end() == len(chunk) and match.group() == "\r":
                after_cr = True
                break
            parts.append(chunk[start: match.end()])
            yield "".join(parts)
            parts, size, number, start = [], 0, number + 1, match.end()
        if start < len(chunk):
            parts.append(chunk[start:])
            size += len(chunk) - start
        if size > MAX_LINE_CHARS:
            raise InputError(f"line {number} is longer than {MAX_LINE_CHARS // MIB} MiB, far more than one finding",
                             path=path, line=number)
    if parts:
        yield "".join(parts)


# --------------------------------------------------------------------------- JSON (OCSF and v3)


_DECODER = json.JSONDecoder()
_JSON_SPACE = re.compile(r"[ \t\n\r]*")
# A decoding error this close to the end of the window may only mean the value goes on past it.
_NEAR_END = 8


class _Window:
    """A sliding window on JSON text: values are decoded where they start, and what is behind is let go."""

    def __init__(self, chunks: Iterator[str], path: Path):
        self._chunks = chunks
        self._path = path
        self.text = ""
        self.pos = 0
        self.eof = False
        self._line = 1  # line and column (0-based) of self.text[0] in the file
        self._column = 0

    def more(self, wanted: int = CHUNK_CHARS) -> bool:
        """Read on (at least `wanted` characters unless the file ends); False at the end of the file."""
        if self.eof:
            return False
        dropped = self.text[: self.pos]
        newlines = dropped.count("\n")
        if newlines:
            self._line += newlines
            self._column = len(dropped) - dropped.rfind("\n") - 1
        else:
            self._column += len(dropped)
        parts = [self.text[self.pos:]]
        got = 0
        while got < wanted:
            chunk = next(self._chunks, "")
            if not chunk:
                self.eof = True
                break
            parts.append(chunk)
            got += len(chunk)
        self.text, self.pos = "".join(parts), 0
        return got > 0

    def where(self, index: int) -> tuple[int, int]:
        """The 1-based line and column of self.text[index] in the file."""
        newlines = self.text.count("\n", 0, index)
        if newlines:
            return self._line + newlines, index - self.text.rfind("\n", 0, index)
        return self._line, self._column + index + 1

    def peek(self) -> str:
        """The next character that is not JSON white space ("" at the end), without taking it."""
        while True:
            self.pos = _JSON_SPACE.match(self.text, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.text) or not self.more():
                return self.text[self.pos: self.pos + 1]

    def value(self) -> Any:
        """Decode the JSON value that starts here (after white space), reading on while it runs past the window."""
        self.peek()
        wanted = CHUNK_CHARS
        while True:
            try:
                value, end = _DECODER.raw_decode(self.text, self.pos)
            except json.JSONDecodeError as err:
                cut = err.msg.startswith("Unterminated string") or err.pos >= len(self.text) - _NEAR_END
                if cut and self.more(wanted):
                    wanted *= 2  # a value larger than the window: grow it geometrically, so it is decoded O(1) times
                    continue
                line, column = self.where(err.pos)
                raise InputError(
                    f"the JSON does not parse at line {line}, column {column} ({err.msg}); the file may be truncated",
                    path=self._path,
                    line=line,
                ) from None
            except (ValueError, RecursionError) as err:  # e.g. a number too long for int(), or nesting too deep
                raise InputError(f"the JSON cannot be read ({err}), so it is not Prowler output",
                                 path=self._path) from None
            if end == len(self.text) and self.more(wanted):  # a number or a literal may go on
                continue
            self.pos = end
            return value

    def fail(self, message: str) -> InputError:
        """A JSON syntax error at the current position, worded as json.loads would."""
        line, column = self.where(self.pos)
        return InputError(f"the JSON does not parse at line {line}, column {column} ({message}); "
                          "the file may be truncated", path=self._path, line=line)


def _json_records(chunks: Iterator[str], source: _Source, path: Path) -> Iterator[tuple[_At, dict[str, Any]]]:
    """The objects of a JSON array (or of newline-delimited JSON), each with a phrase naming where it is."""
    window = _Window(chunks, path)
    start = window.peek()
    if start != "[":
        document = window.value()
        if window.peek():
            if start == "{":  # one object after another: newline-delimited JSON, read again line by line
                yield from _ndjson_records(source, path)
                return
            raise window.fail("Extra data")
        if isinstance(document, dict) and (_looks_ocsf(document) or _looks_v3(document)):
            raise InputError("the file holds a single JSON object; Prowler writes its findings as a JSON array",
                             path=path)
        raise InputError(_NOT_PROWLER, path=path)
    window.pos += 1
    if window.peek() == "]":
        window.pos += 1
        if window.peek():
            raise window.fail("Extra data")
        raise InputError("the JSON array is empty: there are no Prowler findings to read", path=path)
    number = 0
    while True:
        item = window.value()
        number += 1
        if not isinstance(item, dict):
            raise InputError(
                f"record {number} of the JSON array is a {_json_kind(item)}, not an object; {_NOT_PROWLER}", path=path
            )
        yield _At(f"record {number}"), item
        following = window.peek()
        if following == ",":
            window.pos += 1
            continue
        if following != "]":
            raise window.fail("Expecting ',' delimiter")
        window.pos += 1
        if window.peek():
            raise window.fail("Extra data")
        return


def _ndjson_records(source: _Source, path: Path) -> Iterator[tuple[_At, dict[str, Any]]]:
    text = source.open()
    for lineno, line in enumerate(_lines(iter(lambda: text.read(CHUNK_CHARS), ""), path), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as err:
            raise InputError(
                f"line {lineno} of the newline-delimited JSON does not parse at column {err.colno} ({err.msg})",
                path=path,
                line=lineno,
            ) from None
        except (ValueError, RecursionError) as err:
            raise InputError(
                f"line {lineno} of the newline-delimited JSON cannot be read ({err})", path=path, line=lineno
            ) from None
        if not isinstance(item, dict):
            raise InputError(
                f"line {lineno} of the newline-delimited JSON is a {_json_kind(item)}, not an object; {_NOT_PROWLER}",
                path=path,
                line=lineno,
            )
        yield _At(f"the record at line {lineno}", lineno), item


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


def _json_results(records: Iterable[tuple[_At, dict[str, Any]]], path: Path, format: str | None,
                  tally: ScanTally) -> Iterator[CheckResult]:
    """Results from JSON records; unless `format` is given, the layout is the one the records look like.

    Records that look like neither are held until one decides (at most MAX_UNDECIDED_RECORDS); a
    record that looks like the other layout is refused, as a file must hold one layout.
    """
    held: list[tuple[_At, dict[str, Any]]] = []
    seen: set[str] = set()
    mixes = InputError("the file mixes OCSF findings and Prowler v3 findings; give one layout per file", path=path)
    for where, item in records:
        if format in (None, "json") or seen:
            looks = {name for name, detector in _JSON_DETECTORS.items() if detector(item)}
            seen |= looks
            if len(seen) > 1:
                raise mixes
            if format in (None, "json"):
                if not looks:
                    held.append((where, item))
                    if len(held) > MAX_UNDECIDED_RECORDS:
                        raise InputError(_NOT_PROWLER, path=path)
                    continue
                format = looks.pop()
        tally.format = format
        for before, record in [*held, (where, item)]:
            yield from _RECORD_READERS[format](before, record, path, tally)
        held.clear()
    if format in (None, "json"):
        raise InputError(_NOT_PROWLER, path=path)


def _ocsf_results(where: _At, item: dict[str, Any], path: Path, tally: ScanTally) -> Iterator[CheckResult]:
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
    for name in (("finding_info", "created_time_dt"), ("time_dt",), ("time",), ("finding_info", "created_time")):
        time = _timestamp(_get(item, *name), path, where, ".".join(name))
        if time is not None:
            break
    if tally.prowler_version is None:
        version = _text(_get(item, "metadata", "product", "version"), path, where, "metadata.product.version")
        tally.prowler_version = version or None
    provider = _get(item, "cloud", "provider") or _get(item, "unmapped", "provider")
    provider = _text(provider, path, where, "cloud.provider")
    account = _get(item, "cloud", "account", "uid") or _get(item, "unmapped", "provider_uid")
    account = _text(account, path, where, "cloud.account.uid")
    account_name = _text(_get(item, "cloud", "account", "name"), path, where, "cloud.account.name")
    cloud_region = _text(_get(item, "cloud", "region"), path, where, "cloud.region")
    title = _text(_get(item, "finding_info", "title"), path, where, "finding_info.title")
    finding_uid = _text(_get(item, "finding_info", "uid"), path, where, "finding_info.uid")
    resources = item.get("resources")
    if resources is None or resources == []:
        resources = [{}]
    if not isinstance(resources, list) or not all(isinstance(r, dict) for r in resources):
        raise InputError(f"{where} has resources that are not a list of objects", path=path, line=where.line)
    # One result per resource: a finding about several resources is several check outcomes. All are
    # checked before the first is given out, so a bad record gives none.
    results = [
        CheckResult(
            check_id=check_id,
            status=status,
            severity=severity,
            provider=provider,
            account=account,
            region=cloud_region or _text(resource.get("region"), path, where, "resources[].region"),
            resource_uid=_text(resource.get("uid"), path, where, "resources[].uid"),
            resource_type=_text(resource.get("type"), path, where, "resources[].type"),
            time=time,
            title=title,
            finding_uid=finding_uid,
            muted=muted,
            source_format="ocsf",
            account_name=account_name,
        )
        for resource in resources
    ]
    yield from results


def _native_v3_results(where: _At, item: dict[str, Any], path: Path, tally: ScanTally) -> Iterator[CheckResult]:
    check_id = _required_text(item.get("CheckID"), path, where, "CheckID")
    status, muted = _status(item.get("Status"), path, where, "Status")
    if isinstance(item.get("Muted"), bool):
        muted = muted or item["Muted"]
    # Prowler 3's JSON carries no version.
    yield CheckResult(
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
        account_name=_text(_get(item, "OrganizationsInfo", "account_details_name"), path, where,
                           "OrganizationsInfo.account_details_name"),
    )


RecordReader = Callable[[_At, dict[str, Any], Path, ScanTally], Iterator[CheckResult]]
_RECORD_READERS: dict[str, RecordReader] = {"ocsf": _ocsf_results, "native-v3": _native_v3_results}


# --------------------------------------------------------------------------- CSV


def _csv_rows(lines: Iterable[str], path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(line where the record starts, row) for each data row; the header is checked first."""
    reader = csv.reader(lines, delimiter=";")
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


def _csv_results(lines: Iterable[str], path: Path, tally: ScanTally) -> Iterator[CheckResult]:
    found = False
    for start, row in _csv_rows(lines, path):
        where = _At(f"the record at line {start}", start)
        check_id = _required_text(row["CHECK_ID"], path, where, "CHECK_ID")
        status, muted = _status(row["STATUS"], path, where, "STATUS")
        muted_text = row.get("MUTED", "").strip().lower()
        if muted_text not in ("", *_CSV_TRUE):
            raise InputError(f"{where} has MUTED {row['MUTED']!r}; expected True or False", path=path, line=start)
        muted = muted or _CSV_TRUE.get(muted_text, False)
        if tally.prowler_version is None:
            tally.prowler_version = row.get("PROWLER_VERSION") or None
        found = True
        yield CheckResult(
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
            account_name=row.get("ACCOUNT_NAME", ""),
        )
    if not found:
        raise InputError("the CSV has a header but no findings", path=path)


def _text_parser(format: str) -> FormatParser:
    """A reader of the whole text in one layout, for callers that hold the text already."""
    def parse(text: str, path: Path) -> Parsed:
        tally = ScanTally(Path(path))
        results = tuple(_results(_Source(Path(path), text=text), Path(path), format, tally))
        return results, tally.prowler_version
    return parse


FORMAT_PARSERS: dict[str, FormatParser] = {name: _text_parser(name) for name in ("ocsf", "csv", "native-v3")}
