"""The bundled CSMM example assesses to the results documented in docs/csmm.md.

examples/fernhill-payments/ holds a fictional payments company's AWS evidence: a Prowler OCSF
scan (imported here as the CLI does, joining the assessment the attestations describe),
attestations for the controls no scanner sees, and the
same evidence as a filled-in sheet. The documented table is parsed here, so the docs, the
example and docs/scoring.md's formula cannot drift apart.
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from maturity_graph import assess, import_sheet, load_catalogue
from maturity_graph.cli import main
from maturity_graph.evidence.findings import import_prowler
from tests.conftest import REPO

EXAMPLES = REPO / "examples" / "fernhill-payments"
SCAN = EXAMPLES / "prowler-scan.ocsf.json"
ATTESTATIONS = EXAMPLES / "attestations.ttl"
SHEET = EXAMPLES / "csmm-filled.xlsx"
DOC = REPO / "docs" / "csmm.md"
ASSESSMENT = "https://example.org/fernhill-csmm-2026-11"  # ex:fernhill-csmm-2026-11 of attestations.ttl
SCAN_DAY = dt.date(2026, 11, 16)
PILLARS = ("IAM-P", "NET-P", "STO-P", "CMP-P", "MON-P")
PILLAR_WEIGHTS = {"IAM-P": Decimal("0.30"), "NET-P": Decimal("0.20"), "STO-P": Decimal("0.20"),
                  "CMP-P": Decimal("0.15"), "MON-P": Decimal("0.15")}
SEVERITY_WEIGHTS = {"Critical": Decimal(4), "High": Decimal(3), "Medium": Decimal(2), "Low": Decimal(1)}
GATE = Decimal("0.8")


# --------------------------------------------------------------------------- the documented table


def _expected_section() -> str:
    text = DOC.read_text(encoding="utf-8")
    return text.split("## Expected results of the example", 1)[1].split("\n## ", 1)[0]


def documented() -> dict[str, dict]:
    """id -> {level: rank or None, score: Decimal, working: [(rank, passed, total, unlocked, published)]}.

    A level the source does not publish reads "L1 unpublished": 0/0, left out of the score."""
    rows = re.findall(r"^\|\s*([A-Z]{3}-P|csmm)\s*\|[^|]*\|\s*([^|]+?)\s*\|\s*([\d.]+)\s*\|([^|]*)\|",
                      _expected_section(), flags=re.MULTILINE)
    found = {}
    for id_, level, score, working in rows:
        rank = None if level == "below L1" else int(re.fullmatch(r"L([1-5])", level).group(1))
        levels = [(int(r), Decimal(p or 0), Decimal(t or 0), not locked, not unpublished)
                  for r, p, t, locked, unpublished
                  in re.findall(r"L([1-5]) (?:(\d+)/(\d+)( locked)?|(unpublished))", working)]
        found[id_] = {"level": rank, "score": Decimal(score), "working": levels}
    assert set(found) == {*PILLARS, "csmm"}, found.keys()
    assert all(len(found[p]["working"]) == 5 for p in PILLARS)
    return found


def _gated(
    levels: list[tuple[Decimal, Decimal]], unpublished: frozenset[int] = frozenset()
) -> tuple[int | None, Decimal]:
    """docs/scoring.md, written out again: (level, unrounded score) from [(passed, total)] for L1..L5;
    an unpublished level is left out: no share of the score, no lock, never reached."""
    unlocked, level, score = True, None, Decimal(0)
    published = 5 - len(unpublished)
    for rank, (passed, total) in enumerate(levels, start=1):
        if rank in unpublished:
            continue
        ratio = Decimal(1) if total == 0 else passed / total
        if unlocked:
            score += ratio * 100 / published
            if ratio >= GATE:
                level = rank
        unlocked = unlocked and ratio >= GATE
    return level, score


def unpublished_levels() -> dict[str, frozenset[int]]:
    """pillar -> the levels the source does not publish for it (criteria with an mm:gap)."""
    catalogue = load_catalogue()
    found: dict[str, set[int]] = {p: set() for p in PILLARS}
    for gap in catalogue.gaps(catalogue.get("csmm")):
        if gap.rank is not None:
            pillar = next(c.capability_id for c in catalogue.structure(catalogue.get("csmm"))
                          if c.capability == gap.capability)
            found[pillar].add(gap.rank)
    return {p: frozenset(r) for p, r in found.items()}


def _round(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places))


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def scan_evidence(tmp_path_factory):
    path = tmp_path_factory.mktemp("scan") / "scan.ttl"
    import_prowler(SCAN, framework="csmm", assessment=ASSESSMENT).graph.serialize(path, format="turtle")
    return path


@pytest.fixture(scope="module")
def result(scan_evidence):
    return assess([scan_evidence, ATTESTATIONS], frameworks=["csmm"])


def _with_settings(tmp_path, *settings: str):
    """The attestations with ev:weightSetting nodes on the example's assessment."""
    text = ATTESTATIONS.read_text(encoding="utf-8")
    blank = " , ".join(f"[ ev:weighting csmm:{w} ; ev:weightValue {v} ]" for w, v in settings)
    assert "    ev:framework csmm:model .\n" in text
    text = text.replace("    ev:framework csmm:model .\n",
                        f"    ev:framework csmm:model ;\n    ev:weightSetting {blank} .\n")
    path = tmp_path / "attestations-weighted.ttl"
    path.write_text(text, encoding="utf-8")
    return path


def pillar_facts(outcome) -> dict[str, dict]:
    fw = outcome.framework("csmm")
    facts = {}
    for id_ in PILLARS:
        r = fw.get(id_)
        assert r.assessed
        facts[id_] = {"level": r.stage.rank if r.stage else None, "score": r.score,
                      "working": [(w.rank, w.passed, w.total, w.unlocked, w.published) for w in r.working]}
    overall = fw.get("csmm")
    facts["csmm"] = {"level": overall.stage.rank if overall.stage else None, "score": overall.score}
    return facts


# --------------------------------------------------------------------------- the example


def test_the_scan_is_current_on_its_day(result):
    assert result.as_of == SCAN_DAY


def test_the_scan_and_the_attestations_are_one_assessment(result):
    (csmm,) = [fa for fa in result.frameworks if fa.framework == "csmm"]
    assert csmm.scope is not None and str(csmm.scope.iri) == ASSESSMENT
    assert csmm.scope.subject is not None
    assert (csmm.scope.subject.id, csmm.scope.subject.label) == ("210987654321", "fernhill-prod")


def test_the_documented_commands_join_the_examples_assessment(tmp_path, capsys):
    """docs/csmm.md and README.md import the scan with --assessment, and so doing gives the documented table."""
    for doc in (DOC, REPO / "README.md"):
        text = doc.read_text(encoding="utf-8")
        imports = re.findall(r"mgraph evidence import --from prowler examples/fernhill-payments/prowler-scan[^\n\\]*"
                             r"(?:\\\n[^\n]*)?", text)
        assert imports, doc
        for command in imports:
            assert re.search(r"--assessment (\S+)", command).group(1) == ASSESSMENT, (doc, command)
    out = tmp_path / "cloud.ttl"
    assert main(["evidence", "import", "--from", "prowler", str(SCAN), "--assessment", ASSESSMENT,
                 "-o", str(out), "-q"]) == 0
    capsys.readouterr()
    got = pillar_facts(assess([out, ATTESTATIONS], frameworks=["csmm"]))
    expected = documented()
    assert {p: got[p] for p in PILLARS} == {p: expected[p] for p in PILLARS}
    assert got["csmm"] == {"level": expected["csmm"]["level"], "score": expected["csmm"]["score"]}


def test_example_matches_the_docs(result):
    expected = documented()
    got = pillar_facts(result)
    for id_ in PILLARS:
        assert got[id_] == expected[id_], id_
    assert got["csmm"]["level"] == expected["csmm"]["level"]
    assert got["csmm"]["score"] == expected["csmm"]["score"]


def test_documented_working_gives_documented_scores():
    """The table is consistent with docs/scoring.md: levels and scores follow from the working."""
    expected = documented()
    assert {p: frozenset(r for r, *_, published in expected[p]["working"] if not published)
            for p in PILLARS} == unpublished_levels()
    for id_ in PILLARS:
        working = expected[id_]["working"]
        unpublished = frozenset(r for r, *_, published in working if not published)
        level, score = _gated([(p, t) for _, p, t, _, _ in working], unpublished)
        assert level == expected[id_]["level"], id_
        assert _round(score, 1) == expected[id_]["score"], id_
        gate_ok = [not published or t == 0 or p / t >= GATE for _, p, t, _, published in working]
        assert [u for _, _, _, u, _ in working] == [all(gate_ok[:i]) for i in range(5)], id_
    overall = sum(expected[p]["score"] * PILLAR_WEIGHTS[p] for p in PILLARS) / sum(PILLAR_WEIGHTS.values())
    assert _round(overall, 2) == expected["csmm"]["score"]
    levels = [expected[p]["level"] for p in PILLARS]
    assert expected["csmm"]["level"] == (None if None in levels else min(levels))


def test_gaps_name_the_controls_that_hold_each_pillar(result):
    fw = result.framework("csmm")
    assert {p: {g.id for g in fw.get(p).gaps} for p in PILLARS} == {
        "IAM-P": {"CSMM-IAM-L3-LEASTPRIV"},
        "NET-P": {"CSMM-NET-L1-SSHRDP"},
        "STO-P": {"CSMM-STO-L4-OBJLOCK"},
        "CMP-P": {"CSMM-CMP-L2-IMDSV2"},
        "MON-P": {"CSMM-MON-L3-OBS"},
    }


def test_networking_shows_gating(result):
    """L3 all passes (8/8), and L2 and L4 too, but the failed L1 gate locks them: no level, 20 x 6/10 points."""
    fw = result.framework("csmm")
    net = fw.get("NET-P")
    catalogue = load_catalogue()
    l3 = [r for r in catalogue.requirement_rows(catalogue.get("csmm"))
          if r.place.capability_id == "NET-P" and r.rank == 3]
    assert len(l3) == 4 and all(fw.requirements[r.requirement].satisfied for r in l3)
    assert net.stage is None and net.assessed
    by_rank = {w.rank: w for w in net.working}
    assert not by_rank[1].gate_passed and by_rank[1].ratio == Decimal("0.6")
    for rank in (2, 3, 4):
        assert by_rank[rank].ratio == 1 and by_rank[rank].gate_passed and not by_rank[rank].unlocked
    assert net.score == Decimal("12.0") == _round(100 * by_rank[1].ratio / 5, 1)
    # without the locks it would be L4 with 80 points: excellence above L1 is not counted
    assert _gated([(w.passed if w.rank > 1 else w.total, w.total) for w in net.working]) == (4, Decimal(80))


def test_monitorings_unpublished_level_is_left_out(result):
    """Issue 8: the empty L1 cell neither adds nor holds back. Monitoring scores 25 x (5/5 + 2/4) = 37.5
    over its four published levels, not 20 x (1 + 5/5 + 2/4) = 50.0 with 20 points for nothing."""
    mon = result.framework("csmm").get("MON-P")
    by_rank = {w.rank: w for w in mon.working}
    assert not by_rank[1].published and by_rank[1].as_dict()["ratio"] is None
    assert all(by_rank[r].published for r in range(2, 6))
    assert mon.score == Decimal("37.5") == _round(25 * (by_rank[2].ratio + by_rank[3].ratio), 1)
    assert mon.stage.rank == 2 and mon.next_stage.rank == 3
    assert _gated([(w.passed, w.total) for w in mon.working]) == (2, Decimal(50))  # the old reading


def test_muted_and_missing_checks_stay_unknown(result):
    fw = result.framework("csmm")
    imported = import_prowler(SCAN, framework="csmm")
    assert imported.statuses["CSMM-CMP-L4-SSM"] == "unknown"      # muted FAIL
    assert imported.statuses["CSMM-CMP-L3-CONT"] == "unknown"     # ECR checks absent
    assert imported.statuses["CSMM-NET-L4-DNS"] == "unknown"      # route53 check absent ...
    assert imported.statuses["CSMM-STO-L5-SECROT"] == "not_met"   # a FAIL beats a missing check
    assert imported.unmapped_checks == ("account_security_contact_information_is_registered",
                                        "cloudtrail_insights_exist", "iam_password_policy_minimum_length_14")
    catalogue = load_catalogue()
    dns = next(r for r in catalogue.requirement_rows(catalogue.get("csmm")) if r.id == "CSMM-NET-L4-DNS")
    assert fw.requirements[dns.requirement].satisfied              # ... and met by its attestation


# --------------------------------------------------------------------------- the sheet


def test_sheet_gives_the_same_pillars(result, tmp_path):
    graph = import_sheet(SHEET, organisation="Fernhill Payments Ltd", assessment_date=SCAN_DAY)
    path = tmp_path / "sheet.ttl"
    graph.serialize(path, format="turtle")
    from_sheet = assess([path], frameworks=["csmm"])
    assert from_sheet.as_of == SCAN_DAY
    expected = documented()
    got = pillar_facts(from_sheet)
    assert {p: got[p]["level"] for p in PILLARS} == {p: expected[p]["level"] for p in PILLARS}
    assert got == pillar_facts(result)   # documented: scores and working agree too


# --------------------------------------------------------------------------- weights


def _control_outcomes(outcome) -> dict[str, list[tuple[int, str, bool]]]:
    """pillar -> [(level, severity local name, passed)] for every control."""
    fw = outcome.framework("csmm")
    catalogue = load_catalogue()
    found: dict[str, list] = {}
    for r in catalogue.requirement_rows(catalogue.get("csmm")):
        severity = str(r.severity).rsplit("#", 1)[-1]
        found.setdefault(r.place.capability_id, []).append((r.rank, severity, fw.requirements[r.requirement].satisfied))
    return found


def _expected_with(outcomes, severity_weights) -> dict[str, tuple[int | None, Decimal]]:
    expected = {}
    unpublished = unpublished_levels()
    for pillar, controls in outcomes.items():
        levels = []
        for rank in range(1, 6):
            at = [(severity_weights[s], ok) for r, s, ok in controls if r == rank]
            levels.append((sum((w for w, ok in at if ok), Decimal(0)), sum((w for w, _ in at), Decimal(0))))
        level, score = _gated(levels, unpublished[pillar])
        expected[pillar] = (level, _round(score, 1))
    return expected


def test_default_weights_reproduce_the_working(result):
    outcomes = _control_outcomes(result)
    fw = result.framework("csmm")
    assert _expected_with(outcomes, SEVERITY_WEIGHTS) == {
        p: (fw.get(p).stage.rank if fw.get(p).stage else None, fw.get(p).score) for p in PILLARS}


def test_a_severity_weight_override_changes_the_score_as_documented(result, scan_evidence, tmp_path):
    weighted = assess([scan_evidence, _with_settings(tmp_path, ("weight-critical", 10))], frameworks=["csmm"])
    fw = weighted.framework("csmm")
    weights = {**SEVERITY_WEIGHTS, "Critical": Decimal(10)}
    expected = _expected_with(_control_outcomes(result), weights)
    assert {p: (fw.get(p).stage.rank if fw.get(p).stage else None, fw.get(p).score) for p in PILLARS} == expected
    # by hand (docs/csmm.md): only Networking's L1 changes, 6/10 -> 6/16
    assert expected["NET-P"] == (None, Decimal("7.5"))
    overall = sum(expected[p][1] * PILLAR_WEIGHTS[p] for p in PILLARS)
    assert fw.get("csmm").score == _round(overall, 2) == Decimal("41.68")  # 43.55 before issue 8
    assert fw.get("csmm").score == documented()["csmm"]["score"] - Decimal("0.20") * (Decimal("12.0") - Decimal("7.5"))
    critical = next(w for w in fw.weights if str(w.weighting).endswith("/weight-critical"))
    assert critical.overridden and (critical.value, critical.default) == (Decimal(10), Decimal(4))


@pytest.mark.parametrize("settings, pillar_weights", [
    ((("weight-networking", 0),), {"NET-P": Decimal(0)}),
    ((("weight-iam", "0.6"),), {"IAM-P": Decimal("0.6")}),
])
def test_a_pillar_weight_override_changes_the_overall_as_documented(scan_evidence, tmp_path, settings, pillar_weights):
    weighted = assess([scan_evidence, _with_settings(tmp_path, *settings)], frameworks=["csmm"])
    fw = weighted.framework("csmm")
    expected = documented()
    weights = {**PILLAR_WEIGHTS, **pillar_weights}
    counted = [p for p in PILLARS if weights[p] > 0]
    overall = sum(expected[p]["score"] * weights[p] for p in counted) / sum(weights[p] for p in counted)
    assert fw.get("csmm").score == _round(overall, 2)
    levels = [expected[p]["level"] for p in counted]
    got = fw.get("csmm").stage
    assert (got.rank if got else None) == (None if None in levels else min(levels))
    # the pillars themselves do not move
    assert {p: fw.get(p).score for p in PILLARS} == {p: expected[p]["score"] for p in PILLARS}


def test_networking_left_out_matches_the_docs(scan_evidence, tmp_path):
    fw = assess([scan_evidence, _with_settings(tmp_path, ("weight-networking", 0))],
                frameworks=["csmm"]).framework("csmm")
    assert fw.get("csmm").score == Decimal("50.22")  # 52.56 before issue 8
    assert fw.get("csmm").stage.rank == 1
