"""Issue 12's "done when": a pack written from scratch in a temporary folder is built, templated, filled, imported
and assessed through `--content`, with the stages its rules give."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from maturity_graph.cli import main


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def _fill(template: Path, filled: Path, values: dict[str, str], skip: set[str]) -> None:
    """Every row met (with an artifact and an attester), but those in `skip`; `values` for measured rows."""
    with template.open(newline="", encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    for row in rows:
        if row["requirement_id"] in skip:
            continue
        row.update(status="met", date="2026-11-01", attester="Jo Bloggs",
                   evidence_link=f"https://intranet.example.org/evidence/{row['requirement_id']}")
        row["value"] = values.get(row["requirement_id"], "")
    with filled.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _stages(capsys: pytest.CaptureFixture[str], built: Path, evidence: Path) -> dict[tuple[str, str], object]:
    body = json.loads(_run(capsys, "assess", "--content", str(built), str(evidence), "--as-of", "2026-12-01",
                           "-f", "json"))
    return {(r["kind"], r["id"]): ((r["stage"] or {}).get("label"), r["score"]) for r in body["results"]}


@pytest.mark.parametrize(("training_completion", "expected"), [
    ("0.95", {("capability", "POL"): ("Measured", None), ("capability", "TRN"): ("Measured", None),
              ("capability", "CR"): ("Managed", None), ("dimension", "GOV"): ("Measured", None),
              ("dimension", "ENG"): ("Managed", None), ("overall", "acme-psm"): ("Managed", 2.33)}),
    # below the pack's threshold of 0.9: Training stays at Managed, and so does Governance (lowest capability)
    ("0.5", {("capability", "POL"): ("Measured", None), ("capability", "TRN"): ("Managed", None),
             ("capability", "CR"): ("Managed", None), ("dimension", "GOV"): ("Managed", None),
             ("dimension", "ENG"): ("Managed", None), ("overall", "acme-psm"): ("Managed", 2.0)}),
])
def test_template_fill_import_assess(pack_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                     training_completion: str, expected: dict) -> None:
    built = tmp_path / "built"
    main(["framework", "build", str(pack_dir), "-o", str(built)])
    listed = _run(capsys, "frameworks", "--content", str(built), "-f", "json")
    assert "acme-psm" in listed
    template, filled, evidence = tmp_path / "t.csv", tmp_path / "filled.csv", tmp_path / "evidence.ttl"
    _run(capsys, "evidence", "template", "--content", str(built), "--framework", "acme-psm", "-f", "csv",
         "-o", str(template))
    _fill(template, filled, {"TRN-2": training_completion}, skip={"CR-2"})
    _run(capsys, "evidence", "import", "--content", str(built), str(filled), "-o", str(evidence))
    assert _stages(capsys, built, evidence) == expected


def test_pack_folder_is_built_on_the_fly(pack_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--content takes the pack folder itself (the loader builds it with build_pack)."""
    listed = json.loads(_run(capsys, "frameworks", "--content", str(pack_dir), "-f", "json"))
    assert "acme-psm" in json.dumps(listed)
    assert not (pack_dir / "ontology").exists()  # the pack folder is never written to


def test_docs_walk_through_is_this_pack() -> None:
    """docs/packs.md's walk-through shows the pack these tests build: its framework.yaml and its sheet."""
    from tests.conftest import REPO
    from tests.packs.conftest import HEADER, MANIFEST, ROWS

    text = (REPO / "docs" / "packs.md").read_text(encoding="utf-8")
    walk = text[text.index("## Walk-through"):]
    yaml_block = walk.split("```yaml\n", 1)[1].split("```", 1)[0]
    assert "\n".join(line[3:] for line in yaml_block.splitlines()).rstrip() + "\n" == MANIFEST
    table = [line.strip() for line in walk.splitlines() if line.strip().startswith("| ")]
    cells = [[c.strip() for c in line.strip("|").split("|")] for line in table if not line.startswith("|---")]
    assert ",".join(cells[0]) == HEADER
    assert [",".join(row) for row in cells[1:]] == ROWS
