"""Streaming Prowler input (issue 9, item 6): the same results and triples as before, in bounded memory.

The JSON window is tested with windows of a few characters, so that every value, escape, line
ending and multi-byte character of the samples falls across a window's edge somewhere.
"""
from __future__ import annotations

import json
import os
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph

from maturity_graph.errors import InputError, MaturityGraphError
from maturity_graph.evidence import prowler
from maturity_graph.evidence.findings import import_prowler, write_prowler_import
from maturity_graph.evidence.prowler import ScanTally, parse_prowler, scan_results
from tests.conftest import REPO, SHARED
from tests.engine.evidence.big_scans import write_ocsf_scan

DATA = REPO / "tests" / "data" / "prowler"
EXAMPLE = REPO / "examples" / "fernhill-payments" / "prowler-scan.ocsf.json"
SAMPLES = SHARED / "evidence-samples" / "prowler"
SCANS = [EXAMPLE, DATA / "ocsf-small.json", DATA / "csv-small.csv", DATA / "v3-small.json",
         *(sorted(SAMPLES.glob("*")) if SAMPLES.is_dir() else [])]
SCANS = [path for path in SCANS if path.suffix in (".json", ".csv")]
EXAMPLES = int(os.environ.get("MGRAPH_FUZZ_EXAMPLES", "60"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _one_line_error(run) -> InputError | None:
    """Run; a MaturityGraphError must be one line naming the file. Anything else fails the test."""
    try:
        run()
    except MaturityGraphError as err:
        assert isinstance(err, InputError), repr(err)
        text = str(err)
        assert text and "\n" not in text and err.path, repr(text)
        return err
    return None


# --------------------------------------------------------------------------- same answers as before


@pytest.mark.parametrize("path", SCANS, ids=lambda p: p.name)
@pytest.mark.parametrize("chunk", [1, 7, 4096])
def test_small_windows_give_the_same_results(monkeypatch, path: Path, chunk: int) -> None:
    expected = parse_prowler(path)
    monkeypatch.setattr(prowler, "CHUNK_CHARS", chunk)
    assert parse_prowler(path) == expected


@pytest.mark.parametrize("path", SCANS, ids=lambda p: p.name)
@pytest.mark.parametrize("fmt", ["turtle", "nt"])
def test_the_streamed_file_holds_exactly_the_graph(tmp_path: Path, path: Path, fmt: str) -> None:
    out = tmp_path / f"out.{fmt}"
    summary = write_prowler_import(path, out, fmt=fmt)
    imported = import_prowler(path)
    streamed = Graph().parse(out, format=fmt)
    assert set(streamed) == set(imported.graph)
    assert summary.statuses == imported.statuses and summary.unmapped_checks == imported.unmapped_checks
    assert summary.scan.count == len(imported.scan.results) and summary.scan.check_ids == imported.scan.check_ids
    assert summary.scan.status_counts == imported.scan.status_counts


def test_a_failed_streamed_import_leaves_no_file(tmp_path: Path) -> None:
    records = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    records[150]["status_code"] = "MAYBE"  # far enough in that triples were written before it
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(records), encoding="utf-8")
    out = tmp_path / "out.ttl"
    out.write_text("kept\n", encoding="utf-8")
    with pytest.raises(InputError, match="record 151 has unknown status_code 'MAYBE'"):
        write_prowler_import(bad, out)
    assert out.read_text(encoding="utf-8") == "kept\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.json", "out.ttl"]  # no temporary file left


def test_a_failed_import_to_stdout_prints_nothing(tmp_path: Path, capfd) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(EXAMPLE.read_text(encoding="utf-8")[:-200], encoding="utf-8")  # truncated
    with pytest.raises(InputError, match="does not parse"):
        write_prowler_import(bad, None)
    assert capfd.readouterr().out == ""


def test_minified_and_crlf_json_read_alike(tmp_path: Path, monkeypatch) -> None:
    records = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    expected = parse_prowler(EXAMPLE).results
    minified = tmp_path / "min.json"
    minified.write_text(json.dumps(records, separators=(",", ":")), encoding="utf-8")
    crlf = tmp_path / "crlf.json"
    crlf.write_bytes(json.dumps(records, indent=2).replace("\n", "\r\n").encode())
    monkeypatch.setattr(prowler, "CHUNK_CHARS", 97)
    assert parse_prowler(minified).results == expected
    assert parse_prowler(crlf).results == expected


def test_the_line_of_a_syntax_error_counts_lines_already_let_go(tmp_path: Path, monkeypatch) -> None:
    text = json.dumps(json.loads(EXAMPLE.read_text(encoding="utf-8")), indent=2)
    lines = text.splitlines()
    broken = lines[:1000] + [lines[1000] + " @"] + lines[1001:]
    path = tmp_path / "broken.json"
    path.write_text("\n".join(broken), encoding="utf-8")
    monkeypatch.setattr(prowler, "CHUNK_CHARS", 64)
    err = _one_line_error(lambda: parse_prowler(path))
    assert err is not None and err.line == 1001, str(err)
    assert "does not parse at line 1001" in str(err)


def test_a_file_that_changes_while_it_is_read_is_refused(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "scan.json"
    path.write_bytes(EXAMPLE.read_bytes())
    real = prowler.scan_digest
    monkeypatch.setattr("maturity_graph.evidence.findings.scan_digest", lambda p: "0" * 64 if real(p) else "")
    with pytest.raises(InputError, match="changed while it was read"):
        write_prowler_import(path, tmp_path / "out.ttl")


def test_layout_is_decided_by_the_first_record_that_shows_it(tmp_path: Path) -> None:
    records = json.loads((DATA / "v3-small.json").read_text(encoding="utf-8"))
    path = tmp_path / "x.json"
    path.write_text(json.dumps([{"note": "no layout yet"}, *records]), encoding="utf-8")
    err = _one_line_error(lambda: parse_prowler(path))
    assert err is not None and "record 1 has no CheckID" in str(err)
    path.write_text(json.dumps([{"note": "x"}] * (prowler.MAX_UNDECIDED_RECORDS + 1) + records), encoding="utf-8")
    err = _one_line_error(lambda: parse_prowler(path))
    assert err is not None and "not Prowler output" in str(err)


# --------------------------------------------------------------------------- fuzzing the window

_leaf = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text()
_json = st.recursive(_leaf, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
                     max_leaves=12)
_TEXT = EXAMPLE.read_text(encoding="utf-8")


@FUZZ
@given(cut=st.integers(min_value=0, max_value=len(_TEXT)), chunk=st.sampled_from([1, 5, 64, 1 << 20]))
def test_a_scan_cut_anywhere_is_one_line_error(tmp_path: Path, cut: int, chunk: int) -> None:
    path = tmp_path / "cut.json"
    path.write_text(_TEXT[:cut], encoding="utf-8")
    prowler.CHUNK_CHARS, saved = chunk, prowler.CHUNK_CHARS
    try:
        err = _one_line_error(lambda: parse_prowler(path))
    finally:
        prowler.CHUNK_CHARS = saved
    stripped = _TEXT[:cut].rstrip()
    if not stripped.endswith("]"):
        assert err is not None  # an unclosed array never imports


@FUZZ
@given(values=st.lists(_json, min_size=1, max_size=4), chunk=st.sampled_from([1, 3, 16, 1 << 20]),
       ndjson=st.booleans(), junk=st.sampled_from(["", " x", "]", ",", "[", "{}", "\x00"]))
def test_any_json_streams_as_json_loads_reads_it(tmp_path: Path, values: list, chunk: int, ndjson: bool,
                                                 junk: str) -> None:
    """Whatever JSON (and junk after it) a file holds: any window gives the same results, or the same error."""
    text = ("\n".join(json.dumps(v) for v in values) if ndjson else json.dumps(values, indent=1)) + junk
    path = tmp_path / "x.json"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    whole = _one_line_error(lambda: parse_prowler(path, data=path.read_bytes()))
    prowler.CHUNK_CHARS, saved = chunk, prowler.CHUNK_CHARS
    try:
        windowed = _one_line_error(lambda: parse_prowler(path))
        if windowed is None:
            assert whole is None
            assert parse_prowler(path) == parse_prowler(path, data=path.read_bytes())
    finally:
        prowler.CHUNK_CHARS = saved
    assert (whole is None) == (windowed is None)
    if whole is not None and windowed is not None:
        assert str(whole) == str(windowed)


@FUZZ
@given(depth=st.integers(min_value=1, max_value=50_000), size=st.integers(min_value=0, max_value=3_000_000),
       where=st.sampled_from(["status_code", "metadata", "resources", "time", "unmapped"]))
def test_deep_nesting_and_huge_strings_are_one_line_errors(tmp_path: Path, depth: int, size: int, where: str) -> None:
    record = json.loads(EXAMPLE.read_text(encoding="utf-8"))[0]
    record[where] = "x" * size  # a huge string: a wrong type, except under "unmapped", which is not read
    text = json.dumps([record])[:-1] + ", " + "[" * depth + "]" * depth + "]"
    path = tmp_path / "deep.json"
    path.write_text(text, encoding="utf-8")
    prowler.CHUNK_CHARS, saved = 4096, prowler.CHUNK_CHARS
    try:
        err = _one_line_error(lambda: parse_prowler(path))
    finally:
        prowler.CHUNK_CHARS = saved
    assert err is not None  # a wrong type in record 1, or record 2 a list, or nested too deep
    if where == "unmapped":
        assert "record 2 of the JSON array is a list" in str(err) or "cannot be read" in str(err), str(err)


@pytest.mark.parametrize("data, needle", [
    (b'[{"metadata": {"event_code": "x"}, "status_code": "PASS"}, ', "does not parse"),
    (b"[" * 100_000 + b"]" * 100_000, "cannot be read"),
    (b'[{"a": 1' + b"0" * 5000 + b"}]", "cannot be read"),
    (b'[{"a": "\xff"}]', "not UTF-8"),
    (b'[{"a": 1}] [{"a": 2}]', "Extra data"),
    (b"[1, 2]", "record 1 of the JSON array is a number"),
    (b'{"CheckID": "x", "Status": "PASS"}\n{"CheckID": "y", "Status": "PASS", "bad": tru}\n', "line 2"),
    (b"CHECK_ID;STATUS\n" + b"a" * (65 * 1024 * 1024), "longer than 64 MiB"),
], ids=["truncated", "deep", "huge-number", "latin1", "two-arrays", "numbers", "ndjson", "long-csv-line"])
def test_hostile_bytes_are_one_line_errors(tmp_path: Path, data: bytes, needle: str) -> None:
    path = tmp_path / ("x.csv" if data.startswith(b"CHECK_ID") else "x.json")
    path.write_bytes(data)
    err = _one_line_error(lambda: parse_prowler(path))
    assert err is not None and needle in str(err), str(err)


# --------------------------------------------------------------------------- bounded memory


def test_parsing_holds_one_finding_at_a_time(tmp_path: Path) -> None:
    """tracemalloc over the read of a 10 MB scan: the peak stays near the window, not the file."""
    path = tmp_path / "scan.json"
    size = write_ocsf_scan(path, 4_000)
    tracemalloc.start()
    try:
        tally = ScanTally(path)
        for _ in scan_results(path, tally):
            pass
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert tally.count == 4_000 and size > 9_000_000
    assert peak < 8 * 1024 * 1024, f"peak {peak / 2**20:.1f} MiB while reading a {size / 2**20:.1f} MiB scan"


def test_the_import_command_runs_in_bounded_memory(tmp_path: Path) -> None:
    """A child `mgraph evidence import` of a ~60 MB scan: its peak RSS stays well under the file's size x 3,
    and within a few MiB of importing the 212-finding example.

    Before streaming it was 368 MB for 20,000 findings (and 1.4 GB for 100,000); now about 120 MB,
    most of which is the interpreter, rdflib and the catalogue (the example alone takes as much).
    """
    path = tmp_path / "scan.json"
    size = write_ocsf_scan(path, 30_000, indent=None)  # minified: the whole scan is one line
    out = tmp_path / "out.nt"
    baseline = _peak_rss(EXAMPLE, tmp_path / "example.nt")
    peak = _peak_rss(path, out)
    assert size > 55_000_000
    assert peak < size * 3 and peak < 200 * 1024 * 1024, f"peak RSS {peak / 2**20:.0f} MiB for {size / 2**20:.0f} MiB"
    assert peak - baseline < 32 * 1024 * 1024, f"{baseline / 2**20:.0f} MiB for the example, {peak / 2**20:.0f} here"
    with out.open("rb") as stream:
        assert sum(1 for line in stream if b"#CheckResult>" in line) == 30_000


def _peak_rss(scan: Path, out: Path) -> int:
    """The peak RSS of a child importing `scan` to N-Triples, read by the child itself (VmHWM): the
    rusage of a child forked from pytest would count pytest's memory too."""
    import subprocess
    import sys

    child = subprocess.run(
        [sys.executable, "-c", CHILD, "evidence", "import", "--from", "prowler", str(scan), "-f", "nt", "-o", str(out)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, timeout=600, check=False)
    assert child.returncode == 0, child.stderr
    return int(child.stderr.rsplit("VmHWM:", 1)[1].split()[0]) * 1024


CHILD = """
import sys
from maturity_graph.cli import main
code = main(sys.argv[1:])
with open("/proc/self/status") as status:
    sys.stderr.write(next(line for line in status if line.startswith("VmHWM")))
sys.exit(code)
"""


@FUZZ
@given(text=st.text(alphabet=st.sampled_from(["a", "é", "\r", "\n", "\u2028", "\x0c", ";"]), max_size=40),
       cuts=st.lists(st.integers(min_value=0, max_value=40), max_size=6))
def test_lines_split_as_csv_reads_them_wherever_the_chunks_end(text: str, cuts: list[int]) -> None:
    import io

    edges = sorted({min(c, len(text)) for c in cuts})
    chunks = [text[i:j] for i, j in zip([0, *edges], [*edges, len(text)], strict=True)]
    assert list(prowler._lines(chunks, Path("x.csv"))) == list(io.StringIO(text, newline=""))
