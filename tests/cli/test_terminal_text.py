"""Issue 8, item 9 and part of 10: text from evidence cannot act on the reader's terminal or spreadsheet,
and JSON output is always valid JSON.
"""
from __future__ import annotations

import csv
import dataclasses
import io
import json
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maturity_graph.cli import main
from maturity_graph.cli.render.json import envelope
from maturity_graph.cli.render.table import table
from maturity_graph.cli.render.terminal import terminal_safe
from tests.conftest import REPO, up_to

ESC = "\x1b"
EVIL = ("evil \x1b[2J\x1b]8;;https://attacker.example/\x07link\x1b]8;;\x07 \u202egnp.exe\u202c \x9b31m "
        "\r\x7f\u2066x\u2069")
# Everything a terminal could act on, or that breaks a line in two.
RAW = [ESC, "\x07", "\x9b", "\x7f", "\r", "\u202e", "\u202c", "\u2066", "\u2069", "\u2028"]
SELECT_LABELS = ('PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> '
                 'SELECT ?l WHERE { ?s rdfs:label ?l FILTER(STRSTARTS(STR(?s), "https://example.org/")) } ORDER BY ?l')


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def assert_clean(text: str) -> None:
    found = [c for c in RAW if c in text]
    assert not found, f"raw {found!r} in {text!r}"


def turtle_string(text: str) -> str:
    """A Turtle string literal for any text (every non-printable character as a \\u escape)."""
    return '"' + "".join(c if c.isprintable() and c not in '"\\' else f"\\u{ord(c):04X}" for c in text) + '"'


def labels_file(tmp_path: Path, *labels: str) -> Path:
    path = tmp_path / "labels.ttl"
    lines = ["@prefix ex: <https://example.org/> .", "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> ."]
    lines += [f"ex:n{i} rdfs:label {turtle_string(label)} ." for i, label in enumerate(labels)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --------------------------------------------------------------------------- the escaping itself


@pytest.mark.parametrize("raw, shown", [
    ("\x1b[31mred", "\\x1b[31mred"),
    ("\x1b]8;;https://x/\x07a", "\\x1b]8;;https://x/\\x07a"),
    ("\u202eabc\u202c", "\\u202eabc\\u202c"),
    ("\u2066\u2067\u2068\u2069\u200e\u200f\u061c", "\\u2066\\u2067\\u2068\\u2069\\u200e\\u200f\\u061c"),
    ("a\x9bb\x85c\x7f", "a\\x9bb\\x85c\\x7f"),
    ("cr\rlf", "cr\\x0dlf"),
    ("nul\x00", "nul\\x00"),
    ("line\u2028sep", "line\\u2028sep"),
    ("bad \udcff byte", "bad \\udcff byte"),
    ("tab\tand\nnewline, café, 日本, emoji 🙂", "tab\tand\nnewline, café, 日本, emoji 🙂"),
])
def test_terminal_safe(raw, shown):
    assert terminal_safe(raw) == shown


def test_one_line_escapes_newlines_and_tabs():
    assert terminal_safe("a\nb\tc", one_line=True) == "a\\x0ab\\x09c"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0xE000, exclude_categories=())))
def test_terminal_safe_leaves_nothing_raw_and_is_idempotent(text):
    shown = terminal_safe(text, one_line=True)
    assert not [c for c in shown if unicodedata.category(c) in ("Cc", "Cs", "Zl", "Zp")]
    assert_clean(shown)
    assert len(shown.splitlines()) <= 1
    assert terminal_safe(shown, one_line=True) == shown
    shown.encode("utf-8")  # no lone surrogate is left


def test_a_table_escapes_its_cells_and_keeps_columns_aligned():
    text = table(["A", "B"], [[EVIL, "x"], ["short", "y"]])
    assert_clean(text)
    lines = text.splitlines()
    assert lines[2].rindex("x") == lines[3].rindex("y")


# --------------------------------------------------------------------------- through the commands


def test_query_table_escapes_evidence_text(capsys, tmp_path):
    code, out, err = run(capsys, "query", "-q", SELECT_LABELS, labels_file(tmp_path, EVIL))
    assert code == 0, err
    assert_clean(out)
    assert "evil \\x1b[2J\\x1b]8;;https://attacker.example/\\x07link" in out and "\\u202egnp.exe" in out


def test_validate_table_and_the_error_line_escape_evidence_values(capsys, write_evidence, tmp_path):
    good = write_evidence(up_to("SPO", 2))
    bad = tmp_path / "bad.ttl"
    bad.write_text(good.read_text(encoding="utf-8").replace(
        '"2026-03-01"^^xsd:date', turtle_string("\x1b[2J\u202e2026") + "^^xsd:date", 1), encoding="utf-8")
    code, out, err = run(capsys, "validate", bad)
    assert code == 1
    assert_clean(out)
    assert "\\x1b[2J\\u202e2026" in out
    code, out, err = run(capsys, "assess", bad)
    assert code == 2
    assert_clean(err)
    assert len(err.splitlines()) == 1 and "\\x1b[2J" in err


@pytest.mark.parametrize("name", ["\x1b[31mmissing.ttl", "two\nlines.ttl", "\u202eltt.exe", "cr\rover.ttl"])
def test_the_error_line_is_one_clean_line(capsys, tmp_path, name):
    code, out, err = run(capsys, "assess", tmp_path / name)
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1, err
    assert_clean(err)
    assert "Traceback" not in err


def test_a_usage_error_is_one_line(capsys):
    code, _, err = run(capsys, "assess", "x.ttl", "--format", "\x1b[2Jnope")
    assert code == 2
    assert len(err.splitlines()) == 1 and "--help" in err
    assert_clean(err)


def test_the_prowler_summary_escapes_the_scan(capsys, tmp_path):
    text = (REPO / "examples" / "fernhill-payments" / "prowler-scan.ocsf.json").read_text(encoding="utf-8")
    text = text.replace('"event_code": "iam_user_mfa_enabled_console_access"',
                        '"event_code": "evil_check\\u001b]0;pwned\\u0007\\u202e"', 1)
    scan = tmp_path / "\x1b[31mscan.json"
    scan.write_text(text, encoding="utf-8")
    code, out, err = run(capsys, "evidence", "import", "--from", "prowler", scan, "-o", tmp_path / "cloud.ttl")
    assert code in (0, 2), err
    assert_clean(err)
    assert "\\x1b[31mscan.json" in err


# --------------------------------------------------------------------------- CSV formulas


def csv_cells(out: str) -> list[str]:
    return [row[0] for row in csv.reader(io.StringIO(out, newline=""))][1:]


FORMULAS = ["=cmd|' /C calc'!A0", "+1+2", "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1", "=HYPERLINK(\"https://x/\")"]
PLAIN = ["-1", "+0.5", "-2e3", "plain", "a=b", ""]


def test_query_csv_neutralises_formulas(capsys, tmp_path):
    code, out, err = run(capsys, "query", "-q", SELECT_LABELS, labels_file(tmp_path, *FORMULAS, *PLAIN), "-f", "csv")
    assert code == 0, err
    cells = csv_cells(out)
    assert sorted(cells) == sorted(["'" + f for f in FORMULAS] + PLAIN)


def test_query_csv_raw_cells_turns_it_off(capsys, tmp_path):
    code, out, err = run(capsys, "query", "-q", SELECT_LABELS, labels_file(tmp_path, *FORMULAS, *PLAIN), "-f", "csv",
                         "--raw-cells")
    assert code == 0, err
    assert sorted(csv_cells(out)) == sorted(FORMULAS + PLAIN)


def test_numbers_stay_numbers_in_query_csv(capsys, tmp_path):
    path = tmp_path / "n.ttl"
    path.write_text('@prefix ex: <https://example.org/> .\nex:a ex:v -1, -2.5, "-3e2"^^<http://www.w3.org/2001/'
                    'XMLSchema#double> .\n', encoding="utf-8")
    code, out, _ = run(capsys, "query", "-q", "SELECT ?v WHERE { <https://example.org/a> ?p ?v } ORDER BY ?v",
                       path, "-f", "csv")
    assert code == 0
    assert not any(c.startswith("'") for c in csv_cells(out))


# --------------------------------------------------------------------------- JSON


def strict_json(text: str):
    def refuse(token):
        raise AssertionError(f"{token} is not JSON")
    return json.loads(text, parse_constant=refuse)


def test_query_json_with_nan_and_infinity_is_valid_json(capsys, tmp_path):
    path = tmp_path / "v.ttl"
    path.write_text('@prefix ex: <https://example.org/> .\n@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n'
                    'ex:a ex:v "NaN"^^xsd:double, "INF"^^xsd:double, "-INF"^^xsd:float, "NaN"^^xsd:decimal, 2.5e0 .\n',
                    encoding="utf-8")
    code, out, err = run(capsys, "query", "-q", "SELECT ?v WHERE { <https://example.org/a> ?p ?v }", path,
                         "-f", "json")
    assert code == 0, err
    values = [r["v"] for r in strict_json(out)["results"]]
    assert sorted(map(str, values)) == sorted(["NaN", "INF", "-INF", "NaN", "2.5"])
    assert 2.5 in values


def test_assess_json_with_a_non_finite_score_is_valid_json(capsys, monkeypatch, write_evidence):
    """A NaN or infinite score (a Decimal from evidence) is written as null, never as the NaN token."""
    import maturity_graph.cli.commands.assess as command

    real = command.assess

    def poisoned(*args, **kwargs):
        result = real(*args, **kwargs)
        fw = result.frameworks[0]
        fw.results = [dataclasses.replace(r, score=Decimal("NaN") if i % 2 else Decimal("-Infinity"))
                      for i, r in enumerate(fw.results)]
        return result

    monkeypatch.setattr(command, "assess", poisoned)
    code, out, err = run(capsys, "assess", write_evidence(up_to("SPO", 2)), "-f", "json")
    assert code == 0, err
    body = strict_json(out)
    assert body["results"] and all(r["score"] is None for r in body["results"])


def test_envelope_maps_non_finite_numbers_to_null_and_escapes_controls():
    data = envelope("ok", [{"a": float("nan"), "b": [float("inf"), -float("inf"), 1.5], "t": EVIL + "\ud800"}])
    text = data.decode("utf-8")
    assert_clean(text)
    body = strict_json(text)
    assert body["results"] == [{"a": None, "b": [None, None, 1.5], "t": EVIL + "\ud800"}]


# Bodies as the renderers build them: string keys; strings of any characters (lone surrogates included, which
# orjson refuses and the standard encoder writes); numbers of every kind, non-finite and beyond 64 bits too.
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70) | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(JSON_VALUES)
def test_json_output_is_strict_json_of_the_same_values_with_controls_escaped(value):
    """Whichever encoder writes it (orjson, or the standard one for what orjson refuses), the output is strict
    JSON with every control escaped, and reads back to the body with non-finite numbers as null."""
    text = envelope("ok", [value]).decode("utf-8")
    assert_clean(text)
    assert strict_json(text)["results"] == [finite_value(value)]


def finite_value(value):
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return None
    if isinstance(value, dict):
        return {k: finite_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [finite_value(v) for v in value]
    return value


def test_both_encoders_write_the_same_bytes_for_a_portfolio():
    """orjson's output is the standard encoder's, byte for byte, on a real result (scores, stages, reasons,
    evidence text), and with controls in the text (which orjson writes raw and json_bytes escapes)."""
    from maturity_graph import assess
    from maturity_graph.cli.render.json import _standard_json_bytes, json_bytes

    body = assess([REPO / "examples" / "alder-robotics" / "portfolio-2026q1.ttl"]).as_dict()
    assert body["results"] and json_bytes(body) == _standard_json_bytes(body)
    tainted = {**body, "note": EVIL}
    assert json_bytes(tainted) == _standard_json_bytes(tainted)
    assert_clean(json_bytes(tainted).decode("utf-8"))
