"""The curated crosswalks of the SAMM pack (ontology/packs/samm/crosswalks/): SAMM <-> SbD and CTEM MM <-> SAMM.

They pass the crosswalk checks (`mgraph crosswalk check` and `mgraph framework check` of the pack), name real
elements with the labels the frameworks give them, are honest about review (curated, not yet reviewed: every
row unreviewed, so none carries evidence), and say things in our own words (no SAMM quality criterion quoted).
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from rdflib import RDFS, URIRef

from maturity_graph import check_crosswalks, check_pack, load_catalogue
from maturity_graph.cli import main
from maturity_graph.crosswalk.model import Relation
from maturity_graph.crosswalk.sssom import APACHE_2, MAPPING_SET_BASE, MappingSetFile, parse_sssom
from tests.conftest import REPO

PACK = REPO / "ontology" / "packs" / "samm"
FOLDER = PACK / "crosswalks"
# file -> (framework of the subjects, framework of the objects, rows)
SETS = {"samm--sbd.sssom.tsv": ("samm", "sbd", 39), "ctemmm--samm.sssom.tsv": ("ctemmm", "samm", 35)}
FILES = [FOLDER / name for name in SETS]
RUN = 6  # words in a row that would be a quotation


@pytest.fixture(scope="module")
def parsed() -> dict[str, MappingSetFile]:
    return {name: parse_sssom(FOLDER / name) for name in SETS}


def test_the_pack_holds_exactly_the_two_crosswalks() -> None:
    assert sorted(p.name for p in FOLDER.iterdir()) == sorted(SETS)


@pytest.mark.parametrize("name", sorted(SETS))
def test_header_names_the_set_as_the_file_is_named(parsed: dict[str, MappingSetFile], name: str) -> None:
    mapping_set = parsed[name]
    first, second, rows = SETS[name]
    assert name == f"{first}--{second}.sssom.tsv" and first < second  # ids in alphabetical order, as bundled
    assert mapping_set.id == MAPPING_SET_BASE + name.removesuffix(".sssom.tsv")
    assert mapping_set.metadata["license"] == APACHE_2  # our mappings; SAMM is attributed in the description
    assert "CC BY-SA 4.0" in mapping_set.metadata["mapping_set_description"]
    assert len(mapping_set.mappings) == rows


@pytest.mark.parametrize("name", sorted(SETS))
def test_every_row_is_curated_but_unreviewed(parsed: dict[str, MappingSetFile], name: str) -> None:
    """Curated by the maintainers and not yet reviewed by the review board: unreviewed, no reviewer, a rationale,
    a strength and a comment on every row (docs/samm-crosswalks.md says why)."""
    for mapping in parsed[name].mappings:
        assert mapping.review_status == "unreviewed" and not mapping.reviewed
        assert mapping.reviewer == () and mapping.author == ("mgraph:maintainers",)
        assert mapping.rationale == "semantic" and mapping.strength is not None and 1 <= mapping.strength <= 10
        assert mapping.comment is not None and len(mapping.comment.split()) >= 15


@pytest.mark.parametrize("name", sorted(SETS))
def test_subjects_and_objects_are_of_the_named_frameworks_with_their_labels(parsed: dict[str, MappingSetFile],
                                                                           name: str) -> None:
    catalogue = load_catalogue()
    first, second, _ = SETS[name]
    subjects, objects = catalogue.get(first).iri, catalogue.get(second).iri
    graph = catalogue.content_graph
    mapping_set = parsed[name]
    for mapping in mapping_set.mappings:
        assert str(mapping.subject).startswith(str(subjects).rsplit("model", 1)[0]), mapping.subject
        assert str(mapping.object).startswith(str(objects).rsplit("model", 1)[0]), mapping.object
        for end in (mapping.subject, mapping.object):
            assert mapping_set.labels[end] == str(graph.value(URIRef(end), RDFS.label)), end


def test_relations_are_mostly_partial_and_containment_is_rare(parsed: dict[str, MappingSetFile]) -> None:
    """Containment (superset_of / subset_of) only where the SAMM cell really meets every requirement of the other
    cell; no equal and no not_related row."""
    relations = [m.relation for s in parsed.values() for m in s.mappings]
    containment = [r for r in relations if r in (Relation.SUPERSET_OF, Relation.SUBSET_OF)]
    assert Relation.EQUAL not in relations and Relation.NOT_RELATED not in relations
    assert 0 < len(containment) <= 6
    assert relations.count(Relation.INTERSECTS_WITH) == len(relations) - len(containment)
    for mapping in parsed["samm--sbd.sssom.tsv"].mappings:  # SAMM is the subject: SAMM's cell is the larger
        assert mapping.relation is not Relation.SUBSET_OF
    for mapping in parsed["ctemmm--samm.sssom.tsv"].mappings:  # CTEM is the subject: CTEM's cell is the smaller
        assert mapping.relation is not Relation.SUPERSET_OF


def test_no_quality_criterion_of_samm_is_quoted(parsed: dict[str, MappingSetFile]) -> None:
    """The comments are ours: none shares a run of six words with a SAMM requirement text of the pack (its quality
    criteria and questions)."""
    def words(text: str) -> list[str]:
        return re.findall(r"[a-z0-9']+", text.lower())

    with (PACK / "requirements.csv").open(encoding="utf-8-sig", newline="") as sheet:
        texts = [row["requirement"] for row in csv.DictReader(sheet)]
    runs = {tuple(w[i:i + RUN]) for text in texts for w in [words(text)] for i in range(len(w) - RUN + 1)}
    assert len(runs) > 1000
    for mapping_set in parsed.values():
        for mapping in mapping_set.mappings:
            w = words(mapping.comment or "")
            quoted = [" ".join(w[i:i + RUN]) for i in range(len(w) - RUN + 1) if tuple(w[i:i + RUN]) in runs]
            assert not quoted, (mapping.subject, mapping.object, quoted)


def test_crosswalk_check_passes() -> None:
    result = check_crosswalks(FILES)
    assert result.ok and result.findings == [] and result.mappings == 74
    assert result.files == [str(p) for p in FILES]


def test_they_check_clean_with_the_bundled_crosswalks() -> None:
    """Checked together with the bundled curated crosswalks: no contradiction with them either."""
    bundled = sorted((REPO / "crosswalks").glob("*.sssom.tsv"))
    result = check_crosswalks([*bundled, *FILES])
    assert result.ok and result.findings == [] and result.mappings > 74


def test_cli_crosswalk_check(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["crosswalk", "check", *map(str, FILES)])
    out = capsys.readouterr().out
    assert code == 0 and "2 file(s), 74 mapping(s): no findings" in out


def test_framework_check_of_the_pack_checks_them_clean(capsys: pytest.CaptureFixture[str]) -> None:
    result = check_pack(PACK)
    assert result.ok and result.findings == ()
    assert main(["framework", "check", str(PACK)]) == 0
    assert capsys.readouterr().out.strip() == f"{PACK}: no findings"


def test_framework_check_reads_the_pack_crosswalks(tmp_path: Path) -> None:
    """The clean result above is not for want of looking: the same pack with one end of one row misspelt is a
    finding naming the file and the row's line."""
    pack = tmp_path / "samm"
    (pack / "crosswalks").mkdir(parents=True)
    for name in ("framework.yaml", "requirements.csv"):
        (pack / name).write_bytes((PACK / name).read_bytes())
    text = (FOLDER / "samm--sbd.sssom.tsv").read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    line = next(i for i, row in enumerate(lines, start=1) if row.startswith("samm:d-ta-b-stage-1\t"))
    lines[line - 1] = lines[line - 1].replace("samm:d-ta-b-stage-1\t", "samm:d-ta-b-stage-4\t", 1)
    (pack / "crosswalks" / "samm--sbd.sssom.tsv").write_text("".join(lines), encoding="utf-8")
    (pack / "crosswalks" / "ctemmm--samm.sssom.tsv").write_bytes((FOLDER / "ctemmm--samm.sssom.tsv").read_bytes())
    result = check_pack(pack)
    assert not result.ok
    assert [(f.check, f.file, f.line) for f in result.findings] == [
        ("crosswalk:mapping-subject-element", str(pack / "crosswalks" / "samm--sbd.sssom.tsv"), line)]
    assert "samm:d-ta-b-stage-4" in result.findings[0].message
