"""The bundled CNAMM example assesses to the results documented in docs/cnamm.md.

examples/kestrel-logistics/ holds a fictional cloud-native company's CNAMM evidence as Turtle and
as a filled-in sheet, and its own function weights in a second Turtle file. The documented tables
are parsed here, so the docs and the example cannot drift apart.
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from rdflib import BNode, Graph, Namespace
from rdflib.namespace import RDF, RDFS

from maturity_graph import assess, import_sheet
from tests.conftest import REPO, SHARED

EXAMPLES = REPO / "examples" / "kestrel-logistics"
EVIDENCE = EXAMPLES / "cnamm-evidence.ttl"
WEIGHTED = EXAMPLES / "cnamm-weighted.ttl"
SHEET = EXAMPLES / "cnamm-filled.xlsx"
DOC = REPO / "docs" / "cnamm.md"
FRAMEWORK_FILE = REPO / "ontology" / "frameworks" / "cnamm.ttl"
SEED = SHARED / "seeds/cnamm.txt"
DAY = dt.date(2026, 6, 30)

EV = Namespace("https://w3id.org/maturity-graph/ev#")
MM = Namespace("https://w3id.org/maturity-graph/mm#")
EX = Namespace("https://example.org/")
CNAMM = Namespace("https://w3id.org/maturity-graph/framework/cnamm/unversioned/")
BELOW = "below Foundation"
LEVELS = ("Foundation", "Standardized", "Optimized", "Leading", "Transformative", BELOW)


def _section(title: str) -> str:
    text = DOC.read_text(encoding="utf-8")
    expected = text.split("## Expected results of the example", 1)[1].split("\n## ", 1)[0]
    return expected.split(f"### {title}", 1)[1].split("\n### ", 1)[0]


def documented_functions() -> dict[str, tuple[str, Decimal]]:
    """id -> (level, value) from the Functions table."""
    row = r"^\|\s*([A-Z]{3}-F)\s*\|[^|]*\|\s*([A-Za-z ]+?)\s*\|\s*([\d.]+)\s*\|"
    rows = re.findall(row, _section("Functions"), flags=re.MULTILINE)
    assert len(rows) == 8 and all(level in LEVELS for _, level, _ in rows), rows
    return {id_: (level, Decimal(value)) for id_, level, value in rows}


def documented_overall() -> dict[str, tuple[Decimal, str]]:
    """'equal' and 'weighted' -> (score, level) from the Overall score table."""
    row = r"^\|\s*(equal|weighted)\s*\|[^|]*\|\s*([\d.]+)\s*\|\s*([A-Za-z ]+?)\s*\|"
    rows = re.findall(row, _section("Overall score"), flags=re.MULTILINE)
    assert {id_ for id_, _, _ in rows} == {"equal", "weighted"}
    return {id_: (Decimal(score), level) for id_, score, level in rows}


def levels(result) -> dict[str, str]:
    return {r.id: r.stage.label if r.stage else (BELOW if r.assessed else "not assessed")
            for r in result.framework("cnamm").of_kind("capability")}


def overall(result):
    (found,) = result.framework("cnamm").of_kind("overall")
    return found


def stage_values() -> dict[str, Decimal]:
    g = Graph().parse(FRAMEWORK_FILE)
    values = {str(g.value(s, RDFS.label)): Decimal(str(g.value(s, MM.stageValue)))
              for s in g.objects(CNAMM.model, MM.hasStage)}
    return values | {BELOW: Decimal(0)}


def example_weights() -> dict[str, Decimal]:
    """Function id (SRG-F ...) -> the organisation's weight, read from cnamm-weighted.ttl."""
    g = Graph().parse(WEIGHTED)
    return {f"{str(g.value(s, EV.weighting)).rsplit('-', 1)[1].upper()}-F": Decimal(str(g.value(s, EV.weightValue)))
            for s in g.objects(EX["kestrel-cnamm-2026q2"], EV.weightSetting)}


@pytest.fixture(scope="module")
def default():
    return assess([EVIDENCE])


@pytest.fixture(scope="module")
def weighted():
    return assess([EVIDENCE, WEIGHTED])


# --------------------------------------------------------------------------- the documented results


def test_function_levels_match_the_docs(default):
    assert default.as_of == DAY
    assert levels(default) == {id_: level for id_, (level, _) in documented_functions().items()}


def test_the_spread_of_levels_is_the_intended_one():
    counts = {}
    for level, _ in documented_functions().values():
        counts[level] = counts.get(level, 0) + 1
    assert counts == {"Optimized": 1, "Standardized": 5, "Foundation": 1, BELOW: 1}


def test_documented_values_are_the_stage_values():
    values = stage_values()
    assert all(value == values[level] for level, value in documented_functions().values())


def test_default_overall_matches_the_docs(default):
    score, level = documented_overall()["equal"]
    values = [value for _, value in documented_functions().values()]
    assert score == (sum(values) / len(values)).quantize(Decimal("0.01"))  # the hand computation
    result = overall(default)
    assert result.assessed
    assert (result.score, result.stage.label) == (score, level)
    assert result.note == "below Foundation: RSA-F"


def test_weighted_overall_matches_the_docs(weighted):
    score, level = documented_overall()["weighted"]
    weights = example_weights()
    assert set(weights) == set(documented_functions())  # all eight are given
    functions = documented_functions()
    mean = sum(weights[f] * value for f, (_, value) in functions.items()) / sum(weights.values())
    assert score == mean.quantize(Decimal("0.01"))  # the hand computation
    assert weighted.as_of == DAY
    assert levels(weighted) == {id_: lvl for id_, (lvl, _) in functions.items()}  # weights move no function
    result = overall(weighted)
    assert (result.score, result.stage.label) == (score, level)


def test_the_weights_move_the_overall_level(default, weighted):
    assert overall(default).stage.label != overall(weighted).stage.label
    assert overall(default).score < overall(weighted).score


# --------------------------------------------------------------------------- weights


def test_default_weights_are_equal_and_ours(default):
    g = Graph().parse(FRAMEWORK_FILE)
    weightings = list(g.objects(CNAMM["overall-score"], MM.weighting))
    assert len(weightings) == 8
    assert {str(w).rsplit("/", 1)[1] for w in weightings} == {
        f"weight-{fn}" for fn in ("srg", "iag", "scv", "rso", "ips", "tdr", "adp", "rsa")}
    assert all(Decimal(str(g.value(w, MM.weight))) == Decimal("0.125") for w in weightings)
    assert all(g.value(w, MM.authority) == MM.ChosenByMaturityGraph for w in weightings)
    in_force = default.framework("cnamm").weights
    assert len(in_force) == 8
    for w in in_force:
        assert (w.value, w.default, w.overridden) == (Decimal("0.125"), Decimal("0.125"), False)
        assert w.as_dict()["chosen_by"] == "maturity-graph"


def test_the_organisations_weights_are_in_the_result(weighted):
    by_function = {str(w.of).rsplit("/", 1)[1]: w for w in weighted.framework("cnamm").weights}
    assert by_function["runtime-security-operations-function"].value == Decimal("3.0")
    assert by_function["identity-access-governance-function"].value == Decimal("3.0")
    assert by_function["resilience-service-assurance-function"].value == Decimal("1.0")
    assert all(w.as_dict()["chosen_by"] == "organisation" and w.default == Decimal("0.125")
               for w in by_function.values())


def test_the_weights_file_holds_only_weight_settings():
    g = Graph().parse(WEIGHTED)
    settings = set(g.objects(EX["kestrel-cnamm-2026q2"], EV.weightSetting))
    assert len(settings) == 8 and all(isinstance(s, BNode) for s in settings)
    for s, p, _o in g:
        if s in settings:
            assert p in (EV.weighting, EV.weightValue)
        else:
            assert (s, p) == (EX["kestrel-cnamm-2026q2"], EV.weightSetting)
    assert not list(g.subjects(RDF.type, None))


# --------------------------------------------------------------------------- what the example shows


def test_the_example_explains_its_gaps(default):
    fw = default.framework("cnamm")
    reasons = {g.id: g.reason for r in fw.of_kind("capability") for g in r.gaps}
    assert reasons["CNAMM-SCV-L2-3"] == "evidence from 2025-05-20 expired on 2026-05-20"
    assert reasons["CNAMM-RSO-L3-4"].startswith("claimed without")   # bare claim: no artifact
    for not_met in ("CNAMM-SRG-L3-2", "CNAMM-RSO-L3-3", "CNAMM-TDR-L3-2", "CNAMM-RSA-L1-2"):
        assert reasons[not_met] == "current evidence says it is not met"
    assert {g.id for g in fw.get("RSA-F").gaps} == {"CNAMM-RSA-L1-2"}
    assert {g.id for g in fw.get("IAG-F").gaps} == {"CNAMM-IAG-L4-1", "CNAMM-IAG-L4-2", "CNAMM-IAG-L4-3"}
    # evidence above the level reached is satisfied but does not lift the function
    for local in ("supply-chain-vendor-security-optimized-r1", "resilience-service-assurance-standardized-r2",
                  "identity-access-governance-leading-r4"):
        assert fw.requirements[CNAMM[local]].satisfied


def test_every_function_is_assessed(default):
    assert all(r.assessed for r in default.framework("cnamm").of_kind("capability"))


def test_the_doc_quotes_no_description_of_the_source():
    """CSNP states no licence: no line of six words or more of the source appears in the doc or the example."""
    if not SEED.exists():
        pytest.skip("seed text not available")
    lines = [ln.strip(" \u2022") for ln in SEED.read_text(encoding="utf-8").splitlines()]
    descriptions = [ln for ln in lines if len(ln.split()) >= 6]
    assert descriptions
    for path in (DOC, EVIDENCE, WEIGHTED):
        text = path.read_text(encoding="utf-8")
        assert not [d for d in descriptions if d in text], path.name


# --------------------------------------------------------------------------- the sheet


@pytest.fixture(scope="module")
def sheet_evidence(tmp_path_factory):
    graph = import_sheet(SHEET, organisation="Kestrel Logistics", assessment_date=DAY)
    path = tmp_path_factory.mktemp("sheet") / "cnamm-from-sheet.ttl"
    graph.serialize(path, format="turtle")
    return path


def test_sheet_gives_the_same_levels_and_the_equal_weight_score(sheet_evidence, default):
    result = assess([sheet_evidence], frameworks=["cnamm"])
    assert result.as_of == DAY
    assert levels(result) == levels(default)
    score, level = documented_overall()["equal"]
    assert (overall(result).score, overall(result).stage.label) == (score, level)
    assert not any(w.overridden for w in result.framework("cnamm").weights)


def test_sheet_without_assessment_date_uses_its_latest_date(tmp_path, default):
    path = tmp_path / "no-date.ttl"
    import_sheet(SHEET, organisation="Kestrel Logistics").serialize(path, format="turtle")
    result = assess([path], frameworks=["cnamm"])
    assert result.as_of == dt.date(2026, 6, 22)
    assert levels(result) == levels(default)
