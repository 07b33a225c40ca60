"""Issue 11, item 3: `mgraph assess -f csv|markdown|xlsx`, one row per result, for every example; item 7: every
command's formats come from the one renderer registry."""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import click
import pytest
from openpyxl import load_workbook

from maturity_graph import REQUIREMENT_COLUMNS, RESULT_COLUMNS, assess, load_catalogue
from maturity_graph.cli import cli, main
from maturity_graph.cli.render.registry import RENDERERS, Kind
from tests.conftest import REPO

KESTREL = REPO / "examples" / "kestrel-logistics"
# Every evidence file of the examples, each assessed alone, but the weights overlay, which goes with its evidence
EXAMPLE_RUNS = [[p] for p in sorted((REPO / "examples").glob("*/*.ttl")) if p.name != "cnamm-weighted.ttl"] + [
    [KESTREL / "cnamm-evidence.ttl", KESTREL / "cnamm-weighted.ttl"]]
RESULT_NAMES = [name for name, _ in RESULT_COLUMNS]


def run(capsysbinary, *argv) -> tuple[int, bytes, str]:
    code = main([str(a) for a in argv])
    out, err = capsysbinary.readouterr()
    return code, out, err.decode("utf-8")


def json_results(capsysbinary, paths: list[Path]) -> list[dict]:
    code, out, err = run(capsysbinary, "assess", *paths, "-f", "json")
    assert code == 0, err
    return json.loads(out)["results"]


def expected_rows(results: list[dict]) -> list[tuple[str, str, str, str, str]]:
    """(subject, framework, kind, id, stage label) of every result, as the JSON reports them."""
    return [(r["subject"] or "", r["framework"], r["kind"], r["id"], r["stage"]["label"] if r["stage"] else "")
            for r in results]


@pytest.mark.parametrize("paths", EXAMPLE_RUNS, ids=lambda ps: "+".join(f"{p.parent.name}/{p.name}" for p in ps))
def test_every_example_as_csv_markdown_and_xlsx_has_one_row_per_result(capsysbinary, paths, tmp_path):
    expected = expected_rows(json_results(capsysbinary, paths))
    assert expected

    code, out, err = run(capsysbinary, "assess", *paths, "-f", "csv")
    assert code == 0, err
    table = list(csv.reader(io.StringIO(out.decode("utf-8"))))
    assert table[0] == RESULT_NAMES
    at = {name: i for i, name in enumerate(RESULT_NAMES)}
    assert [(r[at["subject"]], r[at["framework"]], r[at["kind"]], r[at["id"]], r[at["stage"]]) for r in table[1:]] \
        == expected

    code, out, err = run(capsysbinary, "assess", *paths, "-f", "markdown")
    assert code == 0, err
    lines = out.decode("utf-8").splitlines()
    rows = [line for line in lines if line.startswith("| ")]
    assert len(rows) == len(expected) + 1  # the header, then a row per result
    cells = [re.split(r"(?<!\\) \| ", row[2:-2]) for row in rows]
    assert all(len(c) == len(RESULT_NAMES) for c in cells)
    assert [c[at["id"]] for c in cells[1:]] == [e[3].replace("_", "\\_") for e in expected]

    target = tmp_path / "results.xlsx"
    code, _, err = run(capsysbinary, "assess", *paths, "-f", "xlsx", "-o", target)
    assert code == 0, err
    wb = load_workbook(target)
    assert wb.sheetnames == ["results", "requirements"]
    sheet = wb["results"]
    assert sheet.freeze_panes == "A2"
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == RESULT_NAMES
    assert [(r[at["subject"]] or "", r[at["framework"]], r[at["kind"]], r[at["id"]], r[at["stage"]] or "")
            for r in values[1:]] == expected
    result = assess(paths)
    catalogue = load_catalogue()
    requirements = list(wb["requirements"].iter_rows(values_only=True))
    assert list(requirements[0]) == [name for name, _ in REQUIREMENT_COLUMNS]
    assert len(requirements) - 1 == sum(len(catalogue.requirement_rows(catalogue.get(fw.framework)))
                                        for fw in result.frameworks)
    outcomes = {r[8] for r in requirements[1:]}
    assert outcomes <= {"met", "not met", "not applicable", "unknown"} and "met" in outcomes


def test_scores_and_targets_reach_the_table(capsysbinary):
    """CSMM scores and SbD's published target (with the distance to it) are columns of their rows."""
    code, out, err = run(capsysbinary, "assess", REPO / "examples" / "alder-robotics" / "portfolio-2026q1.ttl",
                         "-f", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out.decode("utf-8"))))
    scored = [r for r in rows if r["framework"] == "csmm" and r["kind"] == "capability"]
    assert scored and all(re.fullmatch(r"\d+(\.\d+)?", r["score"]) for r in scored)
    sbd = [r for r in rows if r["framework"] == "sbd" and r["kind"] == "capability" and r["assessed"] == "true"]
    assert sbd and all(r["target"] for r in sbd)
    assert all(int(r["distance"]) >= 0 for r in sbd if r["distance"])


def _tainted(tmp_path: Path, text: str) -> Path:
    source = (REPO / "examples" / "alder-robotics" / "portfolio-2026q1.ttl").read_text(encoding="utf-8")
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    path = tmp_path / "tainted.ttl"
    path.write_text(source.replace('ev:identifier "AMR-MAKO"', f'ev:identifier "{escaped}"'), encoding="utf-8")
    return path


def test_formula_looking_evidence_text_is_shown_never_run(capsysbinary, tmp_path):
    """A subject identifier written as a formula: CSV cells get a leading ', workbook cells are text."""
    formula = '=HYPERLINK("https://attacker.example","x")'
    path = _tainted(tmp_path, formula)
    code, out, err = run(capsysbinary, "assess", path, "-f", "csv")
    assert code == 0, err
    subjects = {r["subject"] for r in csv.DictReader(io.StringIO(out.decode("utf-8")))}
    assert "'" + formula in subjects and formula not in subjects
    code, out, err = run(capsysbinary, "assess", path, "-f", "csv", "--raw-cells")
    assert formula in {r["subject"] for r in csv.DictReader(io.StringIO(out.decode("utf-8")))}

    target = tmp_path / "tainted.xlsx"
    assert run(capsysbinary, "assess", path, "-f", "xlsx", "-o", target)[0] == 0
    cells = [c for row in load_workbook(target)["results"].iter_rows() for c in row if c.value == formula]
    assert cells and all(c.data_type == "s" for c in cells)


def test_markdown_shows_markup_in_evidence_as_text(capsysbinary, tmp_path):
    path = _tainted(tmp_path, "<script>alert(1)</script> | *x* [a](b)")
    code, out, err = run(capsysbinary, "assess", path, "-f", "markdown")
    assert code == 0, err
    text = out.decode("utf-8")
    assert "<script>" not in text
    assert "\\<script\\>alert(1)\\</script\\> \\| \\*x\\* \\[a\\](b)" in text
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    assert all(len(re.split(r"(?<!\\) \| ", row[2:-2])) == len(RESULT_NAMES) for row in rows)


def test_xlsx_is_not_written_to_a_terminal(monkeypatch, capsys):
    import sys
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    code = main(["assess", str(REPO / "examples" / "northwind-devices" / "sbd-evidence.ttl"), "-f", "xlsx"])
    assert code == 2
    assert "xlsx is not text" in capsys.readouterr().err


def test_every_command_offers_its_formats_from_the_registry():
    """No command lists formats of its own: each -f/--format is one registry kind's formats, in its order."""
    ctx = click.Context(cli)
    offered = {}
    for name in ("assess", "validate", "diff", "trend", "roadmap", "frameworks", "query", "export graph",
                 "evidence template", "evidence import", "crosswalk derive", "crosswalk check", "crosswalk apply"):
        command = cli
        for word in name.split():
            command = command.get_command(ctx, word)
        option = next(p for p in command.params if p.name == "fmt")
        offered[name] = list(option.type.choices)
    assert offered["assess"] == RENDERERS.formats(Kind.ASSESSMENT)
    assert {"csv", "markdown", "xlsx", "json", "table", "turtle", "junit"} <= set(offered["assess"])
    for name, kind in (("validate", Kind.VALIDATION), ("diff", Kind.DIFF), ("trend", Kind.TREND),
                       ("roadmap", Kind.ROADMAP), ("frameworks", Kind.FRAMEWORKS), ("query", Kind.QUERY),
                       ("export graph", Kind.DATASET), ("evidence template", Kind.TEMPLATE),
                       ("evidence import", Kind.EVIDENCE_GRAPH), ("crosswalk derive", Kind.MAPPINGS),
                       ("crosswalk check", Kind.CROSSWALK_CHECK), ("crosswalk apply", Kind.CARRIED)):
        assert offered[name] == RENDERERS.formats(kind)
    assert RENDERERS.formats(Kind.PREFIXES) == RENDERERS.formats(Kind.QUERY)  # query's -f serves --prefixes too


def test_no_command_branches_on_format_names():
    """Item 7: the commands hand the format to the registry; none compares it with a name."""
    for path in (REPO / "cli" / "commands").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"fmt (==|!=|in) ", text.replace("fmt in STREAMED_FORMATS", "")), path.name


def test_the_columns_are_documented():
    """docs/cli.md says what every column holds, in the words the code keeps with the column."""
    doc = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    for name, meaning in (*RESULT_COLUMNS, *REQUIREMENT_COLUMNS):
        assert f"| `{name}` | {meaning} |" in doc
