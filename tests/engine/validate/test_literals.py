"""Decimals outside XSD's lexical space are reported, not a crash inside pyshacl (exit 3 before)."""
from __future__ import annotations

import pytest

from maturity_graph import EvidenceError, assess, load_evidence, validate_evidence
from tests.conftest import REPO

LAKEVIEW = REPO / "examples" / "lakeview-agency" / "ztmm-2026q1.ttl"


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "sNaN", "0x10", "1,5"])
def test_a_non_decimal_threshold_is_a_violation(tmp_path, value):
    path = tmp_path / "odd.ttl"
    path.write_text(LAKEVIEW.read_text(encoding="utf-8").replace(
        "ev:thresholdValue 0.95", f'ev:thresholdValue "{value}"^^<http://www.w3.org/2001/XMLSchema#decimal>'),
        encoding="utf-8")
    check = validate_evidence(load_evidence([path]))
    assert any("not an xsd:decimal" in v.message and v.path == "ev:thresholdValue" for v in check.violations)
    with pytest.raises(EvidenceError, match="not an xsd:decimal"):
        assess([path])


@pytest.mark.parametrize("value", ["0.95", "+0.5", ".5", "1.", "1"])
def test_xsd_decimals_pass(tmp_path, value):
    path = tmp_path / "ok.ttl"
    path.write_text(LAKEVIEW.read_text(encoding="utf-8").replace(
        "ev:thresholdValue 0.95", f'ev:thresholdValue "{value}"^^<http://www.w3.org/2001/XMLSchema#decimal>'),
        encoding="utf-8")
    check = validate_evidence(load_evidence([path]))
    assert not [v for v in check.violations if "not an xsd:decimal" in v.message]


def test_one_triple_can_break_both_screens(tmp_path):
    """The reserved-content check and the decimal check share one scan: a triple failing both is reported
    by both, once each, and a clean triple next to it by neither."""
    path = tmp_path / "both.ttl"
    path.write_text(LAKEVIEW.read_text(encoding="utf-8") + """
<https://w3id.org/maturity-graph/ev#forged> <https://example.org/score>
    "NaN"^^<http://www.w3.org/2001/XMLSchema#decimal> .
<https://example.org/fine> <https://example.org/score> "0.5"^^<http://www.w3.org/2001/XMLSchema#decimal> .
""", encoding="utf-8")
    check = validate_evidence([path])
    on_forged = sorted(v.message.split(":")[0] for v in check.violations if v.focus == "ev:forged")
    assert on_forged == ["describes a term of the bundled content or vocabulary; evidence may describe evidence only",
                         "not an xsd"]
    assert all(v.file == str(path) for v in check.violations if v.focus == "ev:forged")
    assert not [v for v in check.violations if "fine" in v.focus]
