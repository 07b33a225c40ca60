"""`mgraph --content DIR` and MGRAPH_CONTENT (issue 12, item 3): a built pack is one more framework for every
command, from the template to the assessment; a clash or a folder that is no pack is exit 2 in one line."""
from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path

import pytest

from maturity_graph import load_catalogue
from maturity_graph.cli import main
from maturity_graph.content_folders import ENV, content_roots, forget_content
from tests.engine.test_content_roots import built_pack

FILLED = {"status": "met", "evidence_link": "https://wiki.example/acme", "date": "2026-03-01", "attester": "Pat Lee"}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(autouse=True)
def _no_content_setting(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv(ENV, raising=False)
    yield
    forget_content()


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_pack(tmp_path_factory.mktemp("packs") / "acme", crosswalk=True)


def test_frameworks_lists_the_pack_with_its_counts(capsys, pack: Path) -> None:
    code, out, err = run(capsys, "--content", str(pack), "frameworks", "-f", "json")
    assert code == 0, err
    rows = {r["id"]: r for r in json.loads(out)["results"]}
    catalogue = load_catalogue(content_roots([pack]))
    counts = catalogue.counts(catalogue.get("acme"))
    assert rows["acme"]["label"] == "Acme Product Security Model"
    assert (rows["acme"]["dimensions"], rows["acme"]["capabilities"], rows["acme"]["stages"],
            rows["acme"]["criteria"], rows["acme"]["requirements"]) == (
        counts.dimensions, counts.capabilities, counts.stages, counts.criteria, counts.requirements)
    assert set(rows) == {*load_catalogue().ids(), "acme"}
    # the next command without --content sees the bundled content alone
    code, out, _ = run(capsys, "frameworks", "-f", "json")
    assert code == 0 and "acme" not in {r["id"] for r in json.loads(out)["results"]}


def _fill(template: Path, filled: Path) -> list[dict[str, str]]:
    """Fill the first capability's first two staged levels, the second's first (its next one not met), and
    say of one requirement of every other capability that it is not met: what the assessment must then find."""
    rows = list(csv.DictReader(template.open(encoding="utf-8")))
    capabilities = list(dict.fromkeys(r["capability"] for r in rows))
    stages = list(dict.fromkeys(r["stage"] for r in rows))
    first, second = capabilities[:2]
    touched: set[str] = set()
    for row in rows:
        capability = row["capability"]
        if capability == first and row["stage"] in stages[:2]:
            row.update(FILLED)
        elif capability == second and row["stage"] == stages[0]:
            row.update(FILLED)
        elif capability == second and row["stage"] == stages[1]:
            row.update(FILLED, status="not_met")
        elif capability not in (first, second) and capability not in touched:
            row.update(FILLED, status="not_met")
        touched.add(capability)
    with filled.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return rows


Stages = dict[str, "int | None"]


def _expected(rows: list[dict[str, str]], pack: Path) -> tuple[Stages, Stages, int | None]:
    """What docs/assessment.md says, computed from the filled rows and the framework's own stages: a capability
    holds a stage when none of its requirements at or below it is unsatisfied (a stage without requirements,
    such as a baseline, needs nothing), and is not assessed (None) when no row says anything; each dimension
    and the whole model take the lowest, and are not assessed when a part is not."""
    catalogue = load_catalogue(content_roots([pack]))
    rank = {s.label: s.rank for s in catalogue.rules(catalogue.get("acme")).stages}
    met: dict[str, dict[int, bool]] = defaultdict(dict)
    said: set[str] = set()
    dimension_of = {}
    for row in rows:
        ok = met[row["capability"]].get(rank[row["stage"]], True)
        met[row["capability"]][rank[row["stage"]]] = ok and row["status"] == "met"
        dimension_of[row["capability"]] = row["dimension"]
        if row["status"] in ("met", "not_met", "not_applicable"):
            said.add(row["capability"])
    capabilities: Stages = {}
    for capability, by_rank in met.items():
        reached = None
        for stage in sorted(rank.values()):
            if not by_rank.get(stage, True):
                break
            reached = stage
        capabilities[capability] = reached if capability in said else None
    dimensions: Stages = {}
    for capability, reached in capabilities.items():
        dimension = dimension_of[capability]
        before = dimensions.get(dimension, reached)
        dimensions[dimension] = None if before is None or reached is None else min(before, reached)
    values = list(dimensions.values())
    return capabilities, dimensions, None if None in values else min(v for v in values if v is not None)


def _stages(results: list[dict], kind: str) -> Stages:
    return {r["label"]: (r["stage"] or {}).get("rank") for r in results if r["kind"] == kind}


def test_template_import_assess_on_the_pack(capsys, pack: Path, tmp_path: Path) -> None:
    content = ("--content", str(pack))
    template, filled, evidence = tmp_path / "t.csv", tmp_path / "filled.csv", tmp_path / "evidence.ttl"
    code, _, err = run(capsys, *content, "evidence", "template", "--framework", "acme", "-o", str(template))
    assert code == 0, err
    rows = _fill(template, filled)
    assert {r["framework"] for r in rows} == {"acme"} and rows[0]["requirement_id"].startswith("ACME-")
    code, _, err = run(capsys, *content, "evidence", "import", str(filled), "-o", str(evidence))
    assert code == 0, err
    assert run(capsys, *content, "validate", str(evidence))[0] == 0
    code, out, err = run(capsys, *content, "assess", str(evidence), "-f", "json")
    assert code == 0, err
    results = json.loads(out)["results"]
    assert {r["framework"] for r in results} == {"acme"}
    capabilities, dimensions, overall = _expected(rows, pack)
    assert _stages(results, "capability") == capabilities
    assert None not in capabilities.values() and max(capabilities.values()) > min(capabilities.values())  # type: ignore[type-var]
    assert _stages(results, "dimension") == dimensions
    assert list(_stages(results, "overall").values()) == [overall]
    # without the pack the evidence names a framework nobody knows: its requirements are undefined terms
    assert run(capsys, "assess", str(evidence), "--framework", "acme")[0] == 2


def test_mgraph_content_does_the_same(capsys, pack: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    other = built_pack(tmp_path / "zenith", "zenith", "Zenith Model")
    monkeypatch.setenv(ENV, f"{pack}:{other}".replace(":", __import__("os").pathsep))
    template, filled, evidence = tmp_path / "t.csv", tmp_path / "filled.csv", tmp_path / "evidence.ttl"
    assert run(capsys, "evidence", "template", "--framework", "acme", "-o", str(template))[0] == 0
    rows = _fill(template, filled)
    assert run(capsys, "evidence", "import", str(filled), "-o", str(evidence))[0] == 0
    code, out, err = run(capsys, "assess", str(evidence), "-f", "json")
    assert code == 0, err
    results = json.loads(out)["results"]
    capabilities, _, overall = _expected(rows, pack)
    assert _stages(results, "capability") == capabilities
    assert list(_stages(results, "overall").values()) == [overall]
    code, out, _ = run(capsys, "frameworks", "-f", "json")
    assert {"acme", "zenith"} <= {r["id"] for r in json.loads(out)["results"]}


def test_two_content_options(capsys, pack: Path, tmp_path: Path) -> None:
    other = built_pack(tmp_path / "zenith", "zenith", "Zenith Model")
    code, out, err = run(capsys, "--content", str(pack), "--content", str(other), "frameworks", "-f", "json")
    assert code == 0, err
    assert {"acme", "zenith"} <= {r["id"] for r in json.loads(out)["results"]}


def test_an_id_clash_is_exit_2_naming_both(capsys, pack: Path, tmp_path: Path) -> None:
    mine = built_pack(tmp_path / "mine", "sbd", "My SbD", namespace_id="mine")
    code, out, err = run(capsys, "--content", str(mine), "frameworks")
    assert code == 2 and not out
    assert len(err.strip().splitlines()) == 1
    assert str(mine / "ontology" / "frameworks" / "sbd.ttl") in err and "bundled" in err
    again = built_pack(tmp_path / "again", namespace_id="again")
    code, _, err = run(capsys, "--content", str(pack), "--content", str(again), "assess", "x.ttl")
    assert code == 2 and str(pack) in err and str(again / "ontology" / "frameworks" / "acme.ttl") in err


def test_not_a_pack_is_exit_2(capsys, tmp_path: Path) -> None:
    code, _, err = run(capsys, "--content", str(tmp_path), "frameworks")
    assert code == 2 and str(tmp_path) in err and "neither" in err


def test_pack_crosswalks_join_check_and_export(capsys, pack: Path) -> None:
    content = ("--content", str(pack))
    code, out, err = run(capsys, *content, "crosswalk", "check", "-f", "json")
    assert code == 0, err
    assert str(pack / "crosswalks" / "acme--ztmm.sssom.tsv") in out
    code, ours, err = run(capsys, *content, "crosswalk", "export", "--from", "acme", "--to", "ztmm", "-f", "sssom")
    assert code == 0, err
    code, theirs, _ = run(capsys, "crosswalk", "export", "--from", "sbd", "--to", "ztmm", "-f", "sssom")
    ours_rows, theirs_rows = _sssom_rows(ours), _sssom_rows(theirs)
    assert ours_rows and len(ours_rows) == len(theirs_rows)
    assert all("/acme/1.0/" in row[0] for row in ours_rows)  # the pack's own elements (its prefix is not ours)
    assert sorted(_local(row[0]) for row in ours_rows) == sorted(_local(row[0]) for row in theirs_rows)
    assert sorted(row[4] for row in ours_rows) == sorted(row[4] for row in theirs_rows)


def _local(curie: str) -> str:
    return curie.rsplit("/", 1)[-1].rsplit(":", 1)[-1]


def _sssom_rows(text: str) -> list[list[str]]:
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    return [line.split("\t") for line in lines[1:]]


def test_a_bad_pack_crosswalk_fails_check_with_its_line(capsys, tmp_path: Path) -> None:
    pack = built_pack(tmp_path / "acme", crosswalk=True)
    path = pack / "crosswalks" / "acme--ztmm.sssom.tsv"
    lines = path.read_text(encoding="utf-8").splitlines()
    row = next(i for i, line in enumerate(lines) if line.startswith("acme:"))
    lines[row] = lines[row].replace("\tskos:", "\tskos:noSuchMatch-", 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = run(capsys, "--content", str(pack), "crosswalk", "check")
    assert code != 0
    assert f"{path}:{row + 1}" in out + err


def test_content_after_the_command_name_adds_to_the_groups(capsys, pack: Path, tmp_path: Path) -> None:
    other = built_pack(tmp_path / "zenith", "zenith", "Zenith Model")
    code, out, err = run(capsys, "--content", str(pack), "frameworks", "--content", str(other), "-f", "json")
    assert code == 0, err
    assert {"acme", "zenith"} <= {r["id"] for r in json.loads(out)["results"]}
    code, out, err = run(capsys, "evidence", "template", "--content", str(other), "--framework", "zenith")
    assert code == 0, err
    assert out.splitlines()[1].startswith("zenith,")


def test_a_pack_folder_is_built_on_the_fly(capsys, tmp_path: Path) -> None:
    from maturity_graph.packs import read_pack
    from tests.packs.conftest import write_pack

    folder = write_pack(tmp_path / "acme-pack")
    pack = read_pack(folder)
    code, out, err = run(capsys, "--content", str(folder), "frameworks", "-f", "json")
    assert code == 0, err
    row = next(r for r in json.loads(out)["results"] if r["id"] == pack.id)
    assert (row["label"], row["version"]) == (pack.label, pack.version)
    assert (row["dimensions"], row["capabilities"], row["requirements"]) == (
        len(pack.dimensions), len(pack.capabilities), len(pack.requirements))
    assert sorted(tmp_path.iterdir()) == [folder]  # the pack is built elsewhere, and left as it was
    code, out, err = run(capsys, "evidence", "template", "--content", str(folder), "--framework", pack.id)
    assert code == 0, err
    assert sorted(line.split(",")[4] for line in out.splitlines()[1:]) == sorted(r.id for r in pack.requirements)


def test_a_pack_folder_that_clashes_is_named_by_its_manifest(capsys, tmp_path: Path) -> None:
    from tests.packs.conftest import write_pack

    folder = write_pack(tmp_path / "acme-pack")
    built = built_pack(tmp_path / "built", "acme-psm", "Another Acme Model", namespace_id="acme-other")
    code, _, err = run(capsys, "--content", str(built), "--content", str(folder), "frameworks")
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert f"{folder / 'framework.yaml'}: " in err and str(built / "ontology" / "frameworks" / "acme-psm.ttl") in err
    assert "mgraph-pack-" not in err  # never the temporary build
