"""The bundled example assesses to the results documented in docs/evidence.md (issue 2)."""
from __future__ import annotations

import re

from maturity_graph import assess
from tests.conftest import REPO

EXAMPLE = REPO / "examples" / "northwind-devices" / "sbd-evidence.ttl"
DOC = REPO / "docs" / "evidence.md"


def documented_results() -> dict[str, int]:
    """The `| id | level |` rows of the expected-results table in docs/evidence.md."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Expected results of the example", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\|\s*(\w+)\s*\|[^|]*\|\s*Level (\d)", section, flags=re.MULTILINE)
    assert len(rows) == 13 + 4 + 1
    return {id_: int(n) for id_, n in rows}


def test_example_matches_the_docs():
    result = assess([EXAMPLE]).framework("sbd")
    got = {r.id: r.stage.rank for r in result.results}
    assert got == documented_results()


def test_example_explains_its_gaps():
    fw = assess([EXAMPLE]).framework("sbd")
    reasons = {g.id: g.reason for r in fw.of_kind("capability") for g in r.gaps}
    assert reasons["SBD-SST-L3-3"].startswith("claimed without")
    assert reasons["SBD-HSC-L3-1"] == "evidence from 2024-12-02 expired on 2025-12-02"
    assert reasons["SBD-CVD-L4-1"] == "current evidence says it is not met"
    assert fw.get("VEX").stage.rank == 3  # Level 2 marked not applicable with a reason
