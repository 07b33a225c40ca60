"""CNAMM's weighted score end to end: hand-made evidence in, overall score and level out
(docs/scoring.md, docs/cnamm.md).

Each function's stage comes from cumulative gating; its value is the stage's mm:stageValue
(Foundation 1.0 .. Transformative 5.0), 0 below Foundation. The overall score is the weighted
mean of the values (equal weights by default, the organisation's ev:WeightSetting otherwise);
the overall level is the highest stage whose value the score reaches.
"""
from __future__ import annotations

from decimal import Decimal as D

import pytest

from maturity_graph import EvidenceError, assess
from tests.conftest import level, up_to

CNAMM = "https://w3id.org/maturity-graph/framework/cnamm/unversioned/"
FUNCTIONS = ("SRG", "IAG", "SCV", "RSO", "IPS", "TDR", "ADP", "RSA")
BELOW = 0  # assessed, Foundation not met

# One function at every stage from Foundation to Transformative.
SPREAD = {"SRG": 5, "IAG": 4, "SCV": 3, "RSO": 2, "IPS": 1, "TDR": 2, "ADP": 3, "RSA": 4}


def claims(levels: dict[str, int | None]) -> list[tuple]:
    """Met claims up to each function's level; BELOW: Foundation's first requirement not met; None or absent:
    nothing."""
    found = []
    for fn, top in levels.items():
        cap = f"{fn}-F"
        if top == BELOW:
            first, *rest = level(cap, 1, "cnamm")
            found += [(first, "not_met", "2026-03-01")] + [(req, "met", "2026-03-01") for req in rest]
        elif top is not None:
            found += up_to(cap, top, framework="cnamm", first=1)
    return found


def weights_file(tmp_path, weights: dict[str, object], name: str = "weights.ttl"):
    """A second evidence file with only ev:weightSetting blocks on the test assessment (ex:assessment)."""
    settings = " ,\n    ".join(f"[ ev:weighting cnamm:weight-{fn.lower()} ; ev:weightValue {value} ]"
                               for fn, value in weights.items())
    path = tmp_path / name
    path.write_text(
        "@prefix ev: <https://w3id.org/maturity-graph/ev#> .\n"
        f"@prefix cnamm: <{CNAMM}> .\n"
        "@prefix ex: <https://example.org/> .\n\n"
        f"ex:assessment ev:weightSetting\n    {settings} .\n",
        encoding="utf-8",
    )
    return path


def run(write_evidence, tmp_path, levels, weights=None):
    files = [write_evidence(claims(levels))]
    if weights is not None:
        files.append(weights_file(tmp_path, weights))
    return assess(files, frameworks=["cnamm"]).framework("cnamm")


def overall(fw):
    (result,) = fw.of_kind("overall")
    return result


def stage_label(result):
    return result.stage.label if result.stage else None


def test_the_evidence_gives_the_intended_function_stages(write_evidence, tmp_path):
    fw = run(write_evidence, tmp_path, SPREAD | {"RSA": BELOW})
    got = {r.id: (r.stage.rank if r.stage else BELOW) for r in fw.of_kind("capability")}
    assert got == {f"{fn}-F": top for fn, top in (SPREAD | {"RSA": BELOW}).items()}
    assert fw.get("RSA-F").assessed and fw.get("RSA-F").stage is None


def test_equal_weights_give_the_plain_mean_of_stage_values(write_evidence, tmp_path):
    fw = run(write_evidence, tmp_path, SPREAD)
    result = overall(fw)
    assert result.score == D(sum(SPREAD.values())) / 8 == D("3")   # (5+4+3+2+1+2+3+4) / 8
    assert stage_label(result) == "Optimized"                        # 3.0 reaches Optimized (3.0) exactly
    assert result.parts == tuple(f"{fn}-F" for fn in FUNCTIONS)
    assert all(w.value == D("0.125") and not w.overridden for w in fw.weights)


def test_the_level_is_the_highest_stage_the_score_reaches_never_rounded_up(write_evidence, tmp_path):
    fw = run(write_evidence, tmp_path, {fn: 3 for fn in FUNCTIONS} | {"RSA": 2})
    result = overall(fw)
    assert result.score == D("2.88")             # 23 / 8 = 2.875, shown to two places
    assert stage_label(result) == "Standardized"  # 2.875 does not reach Optimized (3.0)


def test_a_weight_override_gives_the_documented_weighted_mean(write_evidence, tmp_path):
    weights = {fn: "1.0" for fn in FUNCTIONS} | {"RSO": "3.0", "IPS": "3.0"}
    fw = run(write_evidence, tmp_path, SPREAD, weights)
    result = overall(fw)
    # (5 + 4 + 3 + 3*2 + 3*1 + 2 + 3 + 4) / 12 = 30 / 12
    assert result.score == D("2.50")
    assert stage_label(result) == "Standardized"  # equal weights gave Optimized (3.00)
    by_function = {str(w.of).rsplit("/", 1)[1]: w for w in fw.weights}
    assert by_function["runtime-security-operations-function"].value == D("3.0")
    assert all(w.overridden and w.as_dict()["chosen_by"] == "organisation" for w in fw.weights)
    assert {w.default for w in fw.weights} == {D("0.125")}


def test_weights_are_relative_so_scaling_them_changes_nothing(write_evidence, tmp_path):
    times_one = overall(run(write_evidence, tmp_path, SPREAD, {fn: "1" for fn in FUNCTIONS}))
    times_ten = overall(run(write_evidence, tmp_path, SPREAD, {fn: "10" for fn in FUNCTIONS}))
    assert times_one.score == times_ten.score == D("3")


def test_one_override_is_weighed_against_the_defaults_of_the_others(write_evidence, tmp_path):
    """Only SRG set to 3.0: the seven others keep 0.125 each, so SRG weighs 24 times any of them."""
    fw = run(write_evidence, tmp_path, SPREAD, {"SRG": "3.0"})
    result = overall(fw)
    rest = sum(v for fn, v in SPREAD.items() if fn != "SRG")  # 19
    expected = (D(3) * 5 + D("0.125") * rest) / (D(3) + D("0.125") * 7)  # 17.375 / 3.875 = 4.4838...
    assert result.score == expected.quantize(D("0.01")) == D("4.48")
    assert stage_label(result) == "Leading"
    overridden = {str(w.weighting).rsplit("/", 1)[1] for w in fw.weights if w.overridden}
    assert overridden == {"weight-srg"}


def test_a_function_below_foundation_contributes_zero(write_evidence, tmp_path):
    fw = run(write_evidence, tmp_path, SPREAD | {"RSA": BELOW})
    result = overall(fw)
    assert result.assessed
    assert result.score == D("2.50")              # (24 - 4 + 0) / 8 = 20 / 8
    assert stage_label(result) == "Standardized"
    assert result.note == "below Foundation: RSA-F"


def test_a_score_under_foundation_reaches_no_level(write_evidence, tmp_path):
    fw = run(write_evidence, tmp_path, {fn: BELOW for fn in FUNCTIONS} | {"SRG": 1})
    result = overall(fw)
    assert result.assessed
    assert result.score == D("0.12")   # 1 / 8 = 0.125, shown to two places (half to even)
    assert result.stage is None        # below Foundation (1.0)


def test_an_unassessed_function_makes_the_overall_not_assessed(write_evidence, tmp_path):
    fw = run(write_evidence, tmp_path, SPREAD | {"RSA": None})
    assert not fw.get("RSA-F").assessed
    result = overall(fw)
    assert not result.assessed
    assert result.stage is None and result.score is None
    assert "RSA-F" in result.note and "weight 0" in result.note


def test_weight_0_leaves_an_unassessed_function_out(write_evidence, tmp_path):
    fw = run(write_evidence, tmp_path, SPREAD | {"RSA": None}, {"RSA": 0})
    result = overall(fw)
    assert result.assessed
    assert "RSA-F" not in result.parts and len(result.parts) == 7
    # the seven others keep their equal default weights: (5+4+3+2+1+2+3) / 7 = 20 / 7 = 2.857...
    assert result.score == D("2.86")
    assert stage_label(result) == "Standardized"


def test_weight_0_leaves_an_assessed_function_out_too(write_evidence, tmp_path):
    fw = run(write_evidence, tmp_path, SPREAD | {"RSA": BELOW}, {"RSA": "0.0"})
    result = overall(fw)
    assert result.score == D("2.86")   # the zero of RSA no longer pulls the mean down: 20 / 7
    assert "RSA-F" not in result.parts


def test_every_weight_zero_is_refused(write_evidence, tmp_path):
    """A degenerate setting (issue 8, item 3): it once gave "not assessed" here and L5/100 in CSMM."""
    with pytest.raises(EvidenceError, match="every weight of roll-up .* to 0"):
        run(write_evidence, tmp_path, SPREAD, {fn: 0 for fn in FUNCTIONS})
