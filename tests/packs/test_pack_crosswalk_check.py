"""engine/packs/crosswalks.py through check_pack() and `mgraph framework check`: a pack's crosswalks/*.sssom.tsv are
checked as `mgraph crosswalk check` checks them with the pack loaded, and a broken row is a finding naming the file
and its line (exit 1); a file that is not SSSOM at all is bad input (exit 2)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from maturity_graph import InputError, build_pack, check_pack
from maturity_graph.cli import main
from tests.conftest import REPO

HEADER = """\
# mapping_set_id: https://w3id.org/maturity-graph/crosswalk/{name}
# mapping_set_title: Acme PSM to other models (test pack)
# license: https://www.apache.org/licenses/LICENSE-2.0
# creator_id:
# - mgraph:maintainers
# mapping_date: '2026-12-04'
# curie_map:
#   acme-psm: https://w3id.org/maturity-graph/framework/acme-psm/1.0/
#   ctemmm: https://w3id.org/maturity-graph/framework/ctemmm/1.0.0/
#   mgraph: https://w3id.org/maturity-graph/
#   mm: https://w3id.org/maturity-graph/mm#
#   sbd: https://w3id.org/maturity-graph/framework/sbd/2025-06-18/
#   semapv: https://w3id.org/semapv/vocab/
#   skos: http://www.w3.org/2004/02/skos/core#
#   xsd: http://www.w3.org/2001/XMLSchema#
subject_id\tpredicate_id\tpredicate_modifier\tobject_id\tmapping_justification\tauthor_id\tcomment\tstrm_relation\
\tstrm_rationale\tstrm_strength\treview_status
"""
FIRST_ROW = 17  # the line of the first row under HEADER (15 header lines, then the column row)
PREDICATES = {"intersects_with": "skos:relatedMatch", "subset_of": "skos:broadMatch", "superset_of": "skos:narrowMatch"}
GOOD = [("acme-psm:pol-stage-2", "intersects_with", "sbd:security-policy-ownership-level-2"),
        ("acme-psm:trn-stage-2", "intersects_with", "sbd:sbd-training-level-3")]


def sssom(rows: list[tuple[str, str, str]], name: str = "acme-psm--sbd") -> str:
    lines = [f"{s}\t{PREDICATES.get(r, r)}\t\t{o}\tsemapv:ManualMappingCuration\tmgraph:maintainers\tTest row.\t{r}"
             "\tsemantic\t3\tunreviewed" for s, r, o in rows]
    return HEADER.format(name=name) + "".join(line + "\n" for line in lines)


def with_crosswalk(pack: Path, text: str, name: str = "acme-psm--sbd.sssom.tsv") -> Path:
    (pack / "crosswalks").mkdir(exist_ok=True)
    path = pack / "crosswalks" / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_crosswalk_checks_clean(pack_dir: Path) -> None:
    with_crosswalk(pack_dir, sssom(GOOD))
    result = check_pack(pack_dir)
    assert result.ok and result.findings == ()


def test_an_unknown_element_is_a_finding_at_its_file_and_line(pack_dir: Path) -> None:
    path = with_crosswalk(pack_dir, sssom([*GOOD,
                                           ("acme-psm:pol-stage-2", "intersects_with", "sbd:security-policy-level-9"),
                                           ("acme-psm:pol-stage-7", "intersects_with", "sbd:sbd-training-level-2")]))
    result = check_pack(pack_dir)
    assert not result.ok
    found = [(f.check, f.level, f.file, f.line, f.value) for f in result.findings]
    assert found == [
        ("crosswalk:mapping-object-element", "error", str(path), FIRST_ROW + 2, "sbd:security-policy-level-9"),
        ("crosswalk:mapping-subject-element", "error", str(path), FIRST_ROW + 3, "acme-psm:pol-stage-7")]
    assert result.findings[0].sentence() == (
        f"{path}:{FIRST_ROW + 2}: crosswalk:mapping-object-element: The object of a mapping must be a criterion or "
        "capability of a bundled framework; this IRI names neither (a typo, or an element that does not exist). "
        "(value sbd:security-policy-level-9)")
    assert result.findings[0].node.startswith("https://w3id.org/maturity-graph/mapping/acme-psm--sbd/")


def test_two_relations_for_one_pair_are_a_finding(pack_dir: Path) -> None:
    path = with_crosswalk(pack_dir, sssom([*GOOD, ("acme-psm:pol-stage-2", "subset_of",
                                                   "sbd:security-policy-ownership-level-2")]))
    findings = check_pack(pack_dir).findings
    assert [(f.check, f.file) for f in findings] == [("crosswalk:conflicting-relations", str(path))]
    assert findings[0].line in (FIRST_ROW, FIRST_ROW + 2)
    assert "with different relations" in findings[0].message


@pytest.mark.parametrize("name", ["acme-psm--sbd", "sbd--zz-acme"])  # the pack's mapping IRI sorts before / after
def test_a_contradiction_with_a_bundled_crosswalk_is_found(pack_dir: Path, name: str) -> None:
    """The bundled ctemmm--sbd says CTEM's attack path cell intersects SbD's threat modelling at level 3; a pack
    saying SbD's cell is a subset of CTEM's contradicts it, and the finding is at the pack's line."""
    bundled = (REPO / "crosswalks" / "ctemmm--sbd.sssom.tsv").read_text(encoding="utf-8").splitlines()
    line = next(i for i, row in enumerate(bundled, start=1)
                if row.startswith("ctemmm:attack-path-analysis-blast-radius-level-3\t")
                and "\tsbd:threat-modeling-level-3\t" in row)
    path = with_crosswalk(pack_dir, sssom([*GOOD, ("sbd:threat-modeling-level-3", "subset_of",
                                                   "ctemmm:attack-path-analysis-blast-radius-level-3")], name),
                          f"{name}.sssom.tsv")
    findings = check_pack(pack_dir).findings
    assert [(f.check, f.file, f.line) for f in findings] == [
        ("crosswalk:inverse-disagreement", str(path), FIRST_ROW + 2)]
    assert f"at crosswalks/ctemmm--sbd.sssom.tsv:{line}" in findings[0].message


def test_framework_check_and_crosswalk_check_agree(pack_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The same broken row, found by `mgraph framework check PACK` and by `mgraph crosswalk check --content PACK`
    (which checks the pack's crosswalks with the bundled ones): same rule, same file and line; both exit 1."""
    path = with_crosswalk(pack_dir, sssom([("acme-psm:pol-stage-2", "intersects_with", "sbd:no-such-cell")]))
    assert main(["framework", "check", str(pack_dir)]) == 1
    framework_out = capsys.readouterr().out
    assert main(["crosswalk", "check", "--content", str(pack_dir)]) == 1
    crosswalk_out = capsys.readouterr().out
    assert f"{path}:{FIRST_ROW}: crosswalk:mapping-object-element: " in framework_out
    assert "1 finding(s), 1 error(s)" in framework_out
    assert f"{path}:{FIRST_ROW}" in crosswalk_out and "sbd:no-such-cell" in crosswalk_out


def test_json_names_the_file_and_line(pack_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = with_crosswalk(pack_dir, sssom([("acme-psm:pol-stage-2", "intersects_with", "sbd:no-such-cell")]))
    assert main(["framework", "check", str(pack_dir), "-f", "json"]) == 1
    body = json.loads(capsys.readouterr().out)
    assert body["status"] == "findings"
    [finding] = body["results"]
    assert (finding["check"], finding["file"], finding["line"], finding["rows"]) == (
        "crosswalk:mapping-object-element", str(path), FIRST_ROW, [])


def test_a_built_pack_is_checked_with_its_copied_crosswalks(pack_dir: Path, tmp_path: Path) -> None:
    with_crosswalk(pack_dir, sssom([("acme-psm:pol-stage-2", "intersects_with", "sbd:no-such-cell")]))
    built = build_pack(pack_dir, tmp_path / "built")
    findings = check_pack(built.path).findings
    assert [(f.check, f.file, f.line) for f in findings] == [
        ("crosswalk:mapping-object-element", str(built.path / "crosswalks" / "acme-psm--sbd.sssom.tsv"), FIRST_ROW)]


def test_a_file_that_is_not_sssom_is_bad_input(pack_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown relation makes the file unreadable as SSSOM, as it does for `mgraph crosswalk check`: exit 2 with
    one line naming the file and line."""
    path = with_crosswalk(pack_dir, sssom([*GOOD,
                                           ("acme-psm:cr-stage-2", "kinda", "sbd:security-testing-sast-sca-level-3")]))
    with pytest.raises(InputError) as caught:
        check_pack(pack_dir)
    assert (caught.value.path, caught.value.line) == (str(path), FIRST_ROW + 2)
    assert main(["framework", "check", str(pack_dir)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:{FIRST_ROW + 2}: strm_relation 'kinda' is not one of" in err


def test_the_pack_and_bundled_frameworks_both_count_as_ends(pack_dir: Path) -> None:
    """A pack crosswalk may map between two bundled models, and to the pack's own capabilities."""
    with_crosswalk(pack_dir, sssom([("acme-psm:pol", "intersects_with", "sbd:security-policy-ownership"),
                                    ("ctemmm:vulnerability-detection-level-3", "intersects_with",
                                     "sbd:security-testing-sast-sca-level-3")]))
    assert check_pack(pack_dir).findings == ()


def test_a_bundled_models_own_pack_is_checked_in_place_of_the_bundled_files(tmp_path: Path) -> None:
    """ontology/packs/samm's crosswalk files are also bundled under the same names: checking the pack, its files
    replace the bundled ones, so a finding names the pack's file, not the bundled copy."""
    pack = tmp_path / "samm"
    shutil.copytree(REPO / "ontology" / "packs" / "samm", pack)
    path = pack / "crosswalks" / "samm--sbd.sssom.tsv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    first = next(n for n, line in enumerate(lines) if line.startswith("samm:"))
    lines[first] = lines[first].rstrip("\n").removesuffix("unreviewed") + "reviewed\n"
    path.write_text("".join(lines), encoding="utf-8")
    result = check_pack(pack)
    assert [f.sentence() for f in result.findings] == [
        f"{path}:{first + 1}: crosswalk:reviewed-needs-reviewer: A reviewed mapping names its reviewer (reviewer_id)."]
