"""The bundled CTEM MM example assesses to the results documented in docs/ctemmm.md.

examples/brightwater-health/ holds a fictional hospital group's CTEM Maturity Model evidence as
of 2026-06-30, as Turtle and as a filled-in sheet. The documented tables are parsed here, so the
docs and the example cannot drift apart.
"""
from __future__ import annotations

import datetime as dt
import re

import pytest
from rdflib import Graph, Namespace
from rdflib.namespace import RDF

from maturity_graph import assess, import_sheet
from tests.conftest import REPO

EXAMPLES = REPO / "examples" / "brightwater-health"
TURTLE = EXAMPLES / "ctemmm-evidence.ttl"
SHEET = EXAMPLES / "ctemmm-filled.xlsx"
DOC = REPO / "docs" / "ctemmm.md"
AS_OF = dt.date(2026, 6, 30)
ORGANISATION = "Brightwater Health Network"

EV = Namespace("https://w3id.org/maturity-graph/ev#")
PROV = Namespace("http://www.w3.org/ns/prov#")
CTEMMM = Namespace("https://w3id.org/maturity-graph/framework/ctemmm/1.0.0/")
LEVELS = {f"Level {n}" for n in range(1, 6)} | {"not assessed"}
UNPUBLISHED = "the source does not publish this stage, so it cannot be reached"
UNKNOWN_TIER = ["SCO-02", "SCO-03", "SCO-04", "PRI-01", "PRI-03", "PRI-05", "VAL-05", "VAL-06"]


def _section(title: str) -> str:
    text = DOC.read_text(encoding="utf-8")
    expected = text.split("## Expected results of the example", 1)[1].split("\n## ", 1)[0]
    return expected.split(f"### {title}", 1)[1].split("\n### ", 1)[0]


def _rows(title: str, id_pattern: str) -> list[list[str]]:
    rows = []
    for line in _section(title).splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and re.fullmatch(id_pattern, cells[0]):
            rows.append(cells)
    return rows


def documented_capabilities() -> dict[str, tuple[str, str]]:
    """id -> (tier, level) for every assessed capability in the docs."""
    rows = _rows("Capabilities", r"[A-Z]{3}-\d{2}")
    got = {cells[0]: (cells[2], cells[3]) for cells in rows}
    assert len(got) == len(rows), "a capability is documented twice"
    assert all(level in LEVELS - {"not assessed"} for _, level in got.values()), got
    return got


def documented_phases() -> dict[str, str]:
    rows = _rows("Phases", r"[A-Z]{3}")
    assert all(cells[2] in LEVELS for cells in rows), rows
    return {cells[0]: cells[2] for cells in rows}


def documented_tiers() -> dict[str, str]:
    rows = _rows("Tier readiness", r"T\d")
    assert all(cells[2] in LEVELS for cells in rows), rows
    return {cells[0]: cells[2] for cells in rows}


def levels(result, kind: str) -> dict[str, str]:
    return {r.id: r.stage.label if r.stage else "not assessed"
            for r in result.framework("ctemmm").of_kind(kind)}


def assessed_capabilities(result) -> dict[str, str]:
    return {r.id: r.stage.label for r in result.framework("ctemmm").of_kind("capability") if r.assessed}


@pytest.fixture(scope="module")
def result():
    return assess([TURTLE], frameworks=["ctemmm"])


# --------------------------------------------------------------------------- the documented tables


def test_the_documented_tables_are_complete():
    assert (len(documented_phases()), len(documented_tiers())) == (5, 3)
    assert len(documented_capabilities()) == 27


def test_turtle_capabilities_match_the_docs(result):
    assert result.as_of == AS_OF
    documented = documented_capabilities()
    assert assessed_capabilities(result) == {id_: level for id_, (_, level) in documented.items()}
    # every capability not in the table is not assessed, and stage None (never silently Level 1)
    for r in result.framework("ctemmm").of_kind("capability"):
        if r.id not in documented:
            assert (r.assessed, r.stage) == (False, None), r.id


def test_documented_tiers_are_the_framework_tiers(result):
    tiers = {r.id: r.tier or "unknown" for r in result.framework("ctemmm").of_kind("capability")}
    assert {id_: tier for id_, (tier, _) in documented_capabilities().items()} == {
        id_: tiers[id_] for id_ in documented_capabilities()}
    assert sorted(id_ for id_, tier in tiers.items() if tier == "unknown") == sorted(UNKNOWN_TIER)


def test_turtle_phases_match_the_docs(result):
    assert levels(result, "dimension") == documented_phases()
    # exactly one phase is assessed throughout, and it gets a level
    assert [id_ for id_, level in documented_phases().items() if level != "not assessed"] == ["DIS"]


def test_turtle_tier_readiness_matches_the_docs(result):
    assert levels(result, "tier") == documented_tiers()


def test_no_overall_number(result):
    assert result.framework("ctemmm").of_kind("overall") == []


# --------------------------------------------------------------------------- unpublished Level 5 and unknown tiers


def test_an_unpublished_level_5_is_a_gap_that_cannot_be_reached(result):
    fw = result.framework("ctemmm")
    paths = fw.get("PRI-04")
    assert paths.stage.label == "Level 4"
    assert paths.next_stage.label == "Level 5"
    # every requirement of PRI-04 up to Level 4 is met: only the missing cell stands in the way
    for local in ("level-2-r1", "level-3-r1", "level-3-r2", "level-4-r1", "level-4-r2"):
        outcome = fw.requirements[CTEMMM[f"attack-path-analysis-blast-radius-{local}"]]
        assert outcome.satisfied and outcome.cause == "met", local
    assert [(g.id, g.reason) for g in paths.gaps] == [("CTEMMM-PRI-04-L5", UNPUBLISHED)]


def test_a_published_level_5_shows_its_requirements_instead(result):
    gaps = result.framework("ctemmm").get("SCO-06").gaps
    assert {g.id for g in gaps} == {"CTEMMM-SCO-06-L5-1", "CTEMMM-SCO-06-L5-2"}
    assert all(g.reason == "no evidence" for g in gaps)


def test_tier_notes_list_the_unknown_tier_capabilities(result):
    listed = "tier unknown in the source, not counted: " + ", ".join(UNKNOWN_TIER)
    tiers = result.framework("ctemmm").of_kind("tier")
    assert [t.id for t in tiers] == ["T1", "T2", "T3"]
    for tier in tiers:
        assert listed in tier.note, tier.id
        assert not set(UNKNOWN_TIER) & set(tier.parts), tier.id


def test_unknown_tier_capabilities_are_assessed_and_count_in_their_phase(result):
    fw = result.framework("ctemmm")
    assessed_unknown = {id_ for id_ in UNKNOWN_TIER if fw.get(id_).assessed}
    assert assessed_unknown == {"PRI-01", "PRI-05", "VAL-05"}
    assert fw.get("PRI-05").stage.label == "Level 1"   # would cap any tier it counted in
    assert "PRI-05" in fw.get("PRI").parts


def test_tiers_include_every_lower_tier(result):
    fw = result.framework("ctemmm")
    t1, t2, t3 = (set(fw.get(t).parts) for t in ("T1", "T2", "T3"))
    assert t1 < t2 < t3
    assert (len(t1), len(t2), len(t3)) == (12, 22, 30)
    assert "not assessed: SCO-08, SCO-09, PRI-06, PRI-07, VAL-07, MOB-07 not assessed" in fw.get("T3").note
    # the tier row's gaps are those of the capabilities that cap it
    assert {g.id for g in fw.get("T1").gaps} == {"CTEMMM-VAL-02-L3-2"}


def test_the_example_explains_its_gaps(result):
    fw = result.framework("ctemmm")
    reasons = {g.id: g.reason for r in fw.of_kind("capability") for g in r.gaps}
    assert reasons["CTEMMM-VAL-02-L3-2"] == "current evidence says it is not met"
    assert reasons["CTEMMM-DIS-06-L3-2"] == "no evidence"
    assert reasons["CTEMMM-DIS-03-L4-2"].startswith("claimed without")   # bare claim: no artifact
    assert reasons["CTEMMM-MOB-02-L4-1"] == "evidence from 2025-05-20 expired on 2026-05-20"
    assert reasons["CTEMMM-MOB-06-L3-2"] == "evidence from 2025-03-31 expired on 2026-03-31"
    assert reasons["CTEMMM-PRI-05-L2-1"] == "current evidence says it is not met"


# --------------------------------------------------------------------------- the evidence file itself


def test_every_attestation_names_its_attester_and_all_but_one_an_artifact():
    graph = Graph().parse(TURTLE)
    items = set(graph.subjects(RDF.type, EV.Attestation))
    assert len(items) == 41
    for item in items:
        person = graph.value(item, PROV.wasAttributedTo)
        assert person is not None and (person, RDF.type, PROV.Person) in graph, item
    bare = [item for item in items if graph.value(item, EV.artifact) is None]
    assert [graph.value(b, EV.addresses).split("/")[-1] for b in bare] == ["vulnerability-detection-level-4-r2"]
    hosts = {re.match(r"https://([^/]+)/", str(graph.value(i, EV.artifact))).group(1) for i in items if i not in bare}
    assert all(host.endswith(".brightwaterhealth.example") for host in hosts), hosts


# --------------------------------------------------------------------------- the sheet


@pytest.fixture(scope="module")
def sheet_evidence(tmp_path_factory):
    graph = import_sheet(SHEET, organisation=ORGANISATION, assessment_date=AS_OF)
    path = tmp_path_factory.mktemp("sheet") / "ctemmm-from-sheet.ttl"
    graph.serialize(path, format="turtle")
    return path


def test_sheet_gives_the_same_levels(result, sheet_evidence):
    from_sheet = assess([sheet_evidence], frameworks=["ctemmm"])
    assert from_sheet.as_of == AS_OF
    documented = {id_: level for id_, (_, level) in documented_capabilities().items()}
    assert assessed_capabilities(from_sheet) == documented
    assert levels(from_sheet, "capability") == levels(result, "capability")
    assert levels(from_sheet, "dimension") == documented_phases()
    assert levels(from_sheet, "tier") == documented_tiers()


def test_sheet_gives_the_same_gaps(result, sheet_evidence):
    def gaps(res):
        return {r.id: sorted((g.id, g.reason) for g in r.gaps) for r in res.framework("ctemmm").results}

    assert gaps(assess([sheet_evidence], frameworks=["ctemmm"])) == gaps(result)


def test_sheet_without_an_assessment_date_reads_on_its_latest_row(sheet_evidence):
    graph = import_sheet(SHEET, organisation=ORGANISATION)
    path = sheet_evidence.parent / "ctemmm-from-sheet-undated.ttl"
    graph.serialize(path, format="turtle")
    undated = assess([path], frameworks=["ctemmm"])
    assert undated.as_of == dt.date(2026, 6, 18)
    documented = {id_: level for id_, (_, level) in documented_capabilities().items()}
    assert assessed_capabilities(undated) == documented
