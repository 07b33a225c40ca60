"""`mgraph crosswalk ...` and `assess --with-crosswalks` on the bundled crosswalks (issue 5)."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from maturity_graph.crosswalk.curated import curated_mappings
from tests.cli.test_cli import one_line_error, run
from tests.conftest import REPO

PAIRS = [("cnamm", "csmm"), ("cnamm", "ctemmm"), ("cnamm", "sbd"), ("cnamm", "ztmm"), ("csmm", "ctemmm"),
         ("csmm", "sbd"), ("csmm", "ztmm"), ("ctemmm", "sbd"), ("ctemmm", "ztmm"), ("sbd", "ztmm")]
CSMM = "https://w3id.org/maturity-graph/framework/csmm/unversioned/"


def test_every_pair_has_a_curated_reviewed_crosswalk():
    for a, b in PAIRS:
        assert (REPO / "crosswalks" / f"{a}--{b}.sssom.tsv").is_file()
        mappings = curated_mappings(a, b)
        assert any(m.reviewed for m in mappings), (a, b)


def test_check_bundled_is_clean_and_a_planted_contradiction_is_found(capsys):
    assert run(capsys, "crosswalk", "check")[0] == 0
    planted = sorted((REPO / "tests" / "data" / "crosswalk").glob("*chain*.sssom.tsv"))
    assert planted, "a planted contradiction fixture is expected in tests/data/crosswalk"
    code, out, _ = run(capsys, "crosswalk", "check", str(planted[0]), "-f", "json")
    assert code == 1 and json.loads(out)["results"]


def test_check_missing_file_is_a_usage_error(capsys, tmp_path):
    code, out, err = run(capsys, "crosswalk", "check", str(tmp_path / "nope.sssom.tsv"))
    one_line_error(code, out, err, "not found")


def test_check_a_file_with_an_impossible_date_is_bad_input(capsys, tmp_path):
    text = (REPO / "crosswalks" / "csmm--sbd.sssom.tsv").read_text(encoding="utf-8")
    bad = tmp_path / "bad-date.sssom.tsv"
    bad.write_text(text.replace("# mapping_date: '2026-11-24'", "# mapping_date: 2025-02-30"), encoding="utf-8")
    code, out, err = run(capsys, "crosswalk", "check", str(bad))
    one_line_error(code, out, err, f"{bad}:7:", "2025-02-30")
    assert len(err.strip().splitlines()) == 1


def test_check_malformed_row_is_bad_input_naming_file_and_line(capsys, tmp_path):
    text = (REPO / "crosswalks" / "csmm--sbd.sssom.tsv").read_text(encoding="utf-8")
    bad = tmp_path / "bad-row.sssom.tsv"
    bad.write_text(text.replace("\tintersects_with\t", "\toverlaps\t", 1), encoding="utf-8")
    code, out, err = run(capsys, "crosswalk", "check", str(bad), "-f", "json")
    one_line_error(code, out, err, f"{bad}:", "strm_relation 'overlaps'")
    assert out == ""


@pytest.mark.parametrize("command", [
    ["derive", "--from", "sbd", "--to", "sbd"],
    ["derive", "--from", "sbd", "--to", "sbd@2025-06-18", "--level", "capability"],
    ["export", "--from", "ztmm", "--to", "ztmm", "-f", "csv"],
    ["compose", "--from", "csmm", "--via", "csmm", "--to", "sbd"],
])
def test_one_framework_on_both_sides_is_bad_input(capsys, command):
    code, out, err = run(capsys, "crosswalk", *command)
    one_line_error(code, out, err, "two different frameworks")
    assert len(err.strip().splitlines()) == 1


def test_derive_reports_disagreements_with_curated(capsys):
    code, out, err = run(capsys, "crosswalk", "derive", "--from", "csmm", "--to", "ztmm", "-f", "json")
    body = json.loads(out)
    assert code == 0 and body["results"]
    assert body["disagreements"] and "disagree with the curated crosswalk" in err
    for d in body["disagreements"]:
        assert d["derived"] != d["curated"]


def test_compose_keeps_the_possible_relations(capsys):
    code, out, _ = run(capsys, "crosswalk", "compose", "--from", "csmm", "--via", "ztmm", "--to", "sbd", "-f", "json")
    assert code == 0
    for m in json.loads(out)["results"]:
        assert m["relations"] and len(m["via"]) == 2
        assert m["review_status"] == "unreviewed"


@pytest.mark.parametrize("fmt", ["sssom", "oscal", "csv", "turtle", "jsonld"])
def test_export_formats(capsys, tmp_path, fmt):
    out_file = tmp_path / f"csmm-ztmm.{fmt}"
    code, _, err = run(capsys, "crosswalk", "export", "--from", "csmm", "--to", "ztmm", "-f", fmt, "-o", str(out_file))
    assert code == 0, err
    text = out_file.read_text(encoding="utf-8")
    if fmt == "csv":
        assert "Monitoring at L5 Autonomous" in text  # labels, not just IRIs
    if fmt == "oscal":
        from trestle.oscal.mapping import MappingCollection

        MappingCollection.model_validate(json.loads(text)["mapping-collection"])
    if fmt == "sssom":
        sssom = shutil.which("sssom") or str(Path(sys.executable).with_name("sssom"))
        done = subprocess.run([sssom, "validate", str(out_file)], capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr


def test_apply_carries_through_reviewed_superset(capsys, tmp_path, write_evidence):
    from tests.conftest import up_to

    claims = [c for top in [5] for c in up_to("MON-P", top, framework="csmm", first=1)]
    evidence = write_evidence(claims)
    code, out, _ = run(capsys, "crosswalk", "apply", str(evidence), "--from", "csmm", "--to", "ztmm", "-f", "json")
    body = json.loads(out)
    carried = {(c["source"], c["target"]) for c in body["results"]}
    assert ("csmm:monitoring-l5", "ztmm:automation-orchestration-initial") in carried
    assert all(c["relation"] in ("equal", "superset_of") for c in body["results"])
    assert all(p["relation"] in ("subset_of", "intersects_with") and not p["carries"] for p in body["partial"])
    code, out, _ = run(capsys, "assess", str(evidence), "--framework", "ztmm", "--with-crosswalks", "-f", "json")
    xc = next(r for r in json.loads(out)["results"] if r["id"] == "XC-AO")
    assert xc["stage"]["label"] == "Initial"
    assert xc["via_crosswalk"]
    code, out, _ = run(capsys, "assess", str(evidence), "--framework", "ztmm", "-f", "json")
    assert next(r for r in json.loads(out)["results"] if r["id"] == "XC-AO")["stage"] is None
