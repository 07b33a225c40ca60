"""Organisation overrides have limits and are shown beside the results they change (issue 8, item 3)."""
from __future__ import annotations

import json

import pytest

from maturity_graph import EvidenceError, assess, load_evidence, validate_evidence
from maturity_graph.cli import main
from maturity_graph.evidence.findings import import_prowler
from tests.conftest import REPO

FERNHILL = REPO / "examples" / "fernhill-payments"
LAKEVIEW = REPO / "examples" / "lakeview-agency" / "ztmm-2026q1.ttl"
KESTREL = REPO / "examples" / "kestrel-logistics"


@pytest.fixture(scope="module")
def scan(tmp_path_factory):
    path = tmp_path_factory.mktemp("scan") / "scan.ttl"
    import_prowler(FERNHILL / "prowler-scan.ocsf.json", framework="csmm",
                   assessment="https://example.org/fernhill-csmm-2026-11").graph.serialize(path, format="turtle")
    return path


def _attestations_with(tmp_path, settings: str):
    text = (FERNHILL / "attestations.ttl").read_text(encoding="utf-8")
    assert "    ev:framework csmm:model .\n" in text
    path = tmp_path / "attestations.ttl"
    path.write_text(text.replace("    ev:framework csmm:model .\n", f"    ev:framework csmm:model ;\n{settings} .\n"),
                    encoding="utf-8")
    return path


def test_all_zero_severity_weights_are_refused(tmp_path, scan):
    zero = " , ".join(f"[ ev:weighting csmm:weight-{s} ; ev:weightValue 0 ]"
                      for s in ("critical", "high", "medium", "low"))
    path = _attestations_with(tmp_path, f"    ev:weightSetting {zero}")
    with pytest.raises(EvidenceError, match="every weight of roll-up .* to 0"):
        assess([scan, path], frameworks=["csmm"])


def test_some_zero_weights_are_still_allowed(tmp_path, scan):
    path = _attestations_with(tmp_path, "    ev:weightSetting [ ev:weighting csmm:weight-low ; ev:weightValue 0 ]")
    fa = assess([scan, path], frameworks=["csmm"]).framework("csmm")
    assert [(o.kind, o.id, int(o.value), int(o.default)) for o in fa.overrides] == [("weight", "mm:Low", 0, 1)]
    assert all(r.overrides == tuple(fa.overrides) for r in fa.of_kind("capability"))


def test_a_threshold_of_zero_is_a_violation(tmp_path):
    text = LAKEVIEW.read_text(encoding="utf-8")
    assert "ev:thresholdValue 0.95" in text
    path = tmp_path / "zero.ttl"
    path.write_text(text.replace("ev:thresholdValue 0.95", "ev:thresholdValue 0"), encoding="utf-8")
    check = validate_evidence(load_evidence([path]))
    assert any(v.path == "ev:thresholdValue" for v in check.violations), check.violations


def test_threshold_override_is_shown_on_the_capability_it_changed():
    fa = assess([LAKEVIEW]).framework("ztmm")
    changed = [r for r in fa.results if r.overrides]
    assert [r.id for r in changed] == ["ID-AUTH"]
    (override,) = changed[0].overrides
    assert (override.kind, override.id, str(override.value), str(override.default)) == (
        "threshold", "ZTMM-ID-AUTH-I-1-T", "0.95", "1")  # default 1.0 since issue 8 (docs/readings.md)
    assert fa.overrides == [override]


def test_weight_overrides_are_shown_on_the_roll_up_they_changed():
    result = assess([KESTREL / "cnamm-evidence.ttl", KESTREL / "cnamm-weighted.ttl"])
    fa = result.framework("cnamm")
    overall = fa.of_kind("overall")[0]
    assert len(overall.overrides) == 8 and {o.kind for o in overall.overrides} == {"weight"}
    assert not any(r.overrides for r in fa.of_kind("capability"))


def test_validity_override_is_shown_for_the_framework(tmp_path):
    text = LAKEVIEW.read_text(encoding="utf-8")
    marker = '    ev:assessmentDate "2026-03-31"^^xsd:date'
    assert marker in text
    path = tmp_path / "validity.ttl"
    path.write_text(text.replace(marker, marker + " ;\n    ev:evidenceValidityDays 60", 1), encoding="utf-8")
    fa = assess([path]).framework("ztmm")
    validity = [o for o in fa.overrides if o.kind.startswith("evidence validity")]
    assert [(int(o.value), int(o.default)) for o in validity] == [(60, 92)]


def test_json_and_table_show_every_override(capsys):
    assert main(["assess", str(LAKEVIEW), "-f", "json"]) == 0
    body = json.loads(capsys.readouterr().out)
    (fw,) = body["frameworks"]
    assert fw["overrides"] == [{"kind": "threshold", "id": "ZTMM-ID-AUTH-I-1-T", "value": 0.95, "default": 1.0}]
    auth = next(r for r in body["results"] if r["id"] == "ID-AUTH")
    assert auth["overrides"] == fw["overrides"]
    assert main(["assess", str(LAKEVIEW)]) == 0
    text = capsys.readouterr().out
    assert "Organisation overrides" in text and "ZTMM-ID-AUTH-I-1-T" in text
    auth_line = next(line for line in text.splitlines() if "(ID-AUTH)" in line)
    assert auth_line.rstrip().endswith("[1]")
