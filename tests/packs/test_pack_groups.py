"""Capability groups and coverage sums in a pack written from scratch: read, built, templated, filled, imported and
assessed, with the scores the rules give; and every mistake in the new fields reported with its line or row."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from maturity_graph import RowErrors, read_pack
from maturity_graph.cli import main
from tests.packs.conftest import write_pack

MANIFEST = """\
id: acme-apm
label: Acme Assurance Model
version: "1.0"
licence: proprietary
source:
  url: https://intranet.example.org/apm
  title: Acme Assurance Model v1
stages:
  - {rank: 1, label: Foundational}
  - {rank: 2, label: Mature}
roll_up:
  capability: coverage-sum
  group: average
  dimension: average
  overall: average
  decimal_places: 3
validity_days: 365
"""
HEADER = ("dimension,dimension_id,group,group_id,capability,capability_id,stage,requirement_id,requirement,measure,"
          "threshold,source_ref")


def _rows(cap: str, label: str, group: str, group_id: str, dimension: str, dimension_id: str) -> list[str]:
    base = f"{dimension},{dimension_id},{group},{group_id},{label},{cap}"
    return [f"{base},1,{cap}-1,The practice is written down and owned.,,,APM {cap} 1",
            f"{base},1,{cap}-1C,How widely the written practice is followed.,coverage of {cap},1,APM {cap} 1",
            f"{base},2,{cap}-2C,How widely the practice is measured and improved.,improvement of {cap},1,APM {cap} 2"]


ROWS = (_rows("PH", "Pipeline hardening", "Pipeline", "PL", "Build", "B")
        + _rows("AS", "Artefact signing", "Pipeline", "PL", "Build", "B")
        + _rows("DR", "Dependency review", "Dependencies", "DP", "Build", "B")
        + _rows("AL", "Alerting", "Monitoring", "MO", "Run", "R"))


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def test_groups_are_read(tmp_path: Path) -> None:
    pack = read_pack(write_pack(tmp_path / "p", manifest=MANIFEST, header=HEADER, rows=ROWS))
    assert [(g.id, g.dimension) for g in pack.groups] == [("PL", "B"), ("DP", "B"), ("MO", "R")]
    assert [(c.id, c.group) for c in pack.capabilities] == [("PH", "PL"), ("AS", "PL"), ("DR", "DP"), ("AL", "MO")]
    assert (pack.capability_roll_up, pack.decimal_places) == ("coverage-sum", 3)


def test_build_template_fill_import_assess(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pack = write_pack(tmp_path / "acme-apm", manifest=MANIFEST, header=HEADER, rows=ROWS)
    built = tmp_path / "built"
    _run(capsys, "framework", "build", str(pack), "-o", str(built))
    assert "no findings" in _run(capsys, "framework", "check", str(built))
    template, filled, evidence = tmp_path / "t.csv", tmp_path / "filled.csv", tmp_path / "evidence.ttl"
    _run(capsys, "evidence", "template", "--content", str(built), "--framework", "acme-apm", "-f", "csv",
         "-o", str(template))
    # PH: written down, followed by half, measured in full; AS: not written down (so its level 1 counts 0),
    # measured a quarter; DR: nothing answered; AL: written down, followed in full, measured by half.
    answers = {"PH-1": "", "PH-1C": "0.5", "PH-2C": "1", "AS-1C": "1", "AS-2C": "0.25", "AL-1": "", "AL-1C": "1",
               "AL-2C": "0.5"}
    with template.open(newline="", encoding="utf-8") as stream:
        rows = [row for row in csv.DictReader(stream) if row["requirement_id"] in answers | {"AS-1": ""}]
    for row in rows:
        value = answers.get(row["requirement_id"])
        met = value is not None and value in ("", "1")
        row.update(status="met" if met else "not_met", date="2026-11-01", attester="Jo Bloggs", value=value or "",
                   evidence_link=f"https://intranet.example.org/apm/{row['requirement_id']}" if met else "")
    with filled.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    _run(capsys, "evidence", "import", "--content", str(built), str(filled), "-o", str(evidence))
    body = json.loads(_run(capsys, "assess", "--content", str(built), str(evidence), "--as-of", "2026-12-01",
                           "-f", "json"))
    got = {(r["kind"], r["id"]): (r["score"], (r["stage"] or {}).get("label"), r["assessed"]) for r in body["results"]}
    assert got == {
        ("capability", "PH"): (1.5, None, True),  # 0.5 + 1: levels do not gate the score; level 1 not in full
        ("capability", "AS"): (0.25, None, True),  # level 1 gated to 0 by its unmet requirement
        ("capability", "DR"): (0.0, None, False),  # nothing answered: scored 0, reported not assessed
        ("capability", "AL"): (1.5, "Foundational", True),
        ("group", "PL"): (0.875, None, True),
        ("group", "DP"): (0.0, None, True),
        ("group", "MO"): (1.5, "Foundational", True),
        ("dimension", "B"): (0.438, None, True),  # 0.4375, half to even at three places
        ("dimension", "R"): (1.5, "Foundational", True),
        ("overall", "acme-apm"): (0.969, None, True),
    }
    table = _run(capsys, "assess", "--content", str(built), str(evidence), "--as-of", "2026-12-01")
    lines = [line.strip() for line in table.splitlines()]
    assert lines.index(next(line for line in lines if line.startswith("Pipeline (PL)"))) < lines.index(
        next(line for line in lines if line.startswith("Pipeline hardening (PH)")))


def _ungrouped(row: str) -> str:
    dimension, dimension_id, _group, _group_id, rest = row.split(",", 4)
    return f"{dimension},{dimension_id},,,{rest}"


@pytest.mark.parametrize(("change", "message"), [
    (lambda m, r: (m, [row.replace(",Pipeline,PL,", ",,,") for row in r]),
     "capability 'Pipeline hardening' has no group"),
    (lambda m, r: (m.replace("  group: average\n", ""), r), "roll_up gives no group roll-up"),
    (lambda m, r: (m, [_ungrouped(row) for row in r]), "roll_up group needs capability groups"),
    (lambda m, r: (m, r[:1] + [r[1].replace(",Pipeline,PL,", ",Dependencies,DP,")] + r[2:]),
     "capability 'Pipeline hardening' is in group 'PL' in row 2, in 'DP' here"),
    (lambda m, r: (m.replace("decimal_places: 3", "decimal_places: 9"), r), "decimal_places must be a whole number"),
    (lambda m, r: (m.replace("capability: coverage-sum", "capability: sum"), r),
     "roll_up capability must be cumulative or coverage-sum"),
])
def test_group_and_score_mistakes_are_named(tmp_path: Path, change, message: str) -> None:
    manifest, rows = change(MANIFEST, list(ROWS))
    with pytest.raises(RowErrors) as caught:
        read_pack(write_pack(tmp_path / "p", manifest=manifest, header=HEADER, rows=rows))
    assert any(message in row for row in caught.value.rows), caught.value.rows
