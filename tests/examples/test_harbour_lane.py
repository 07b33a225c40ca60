"""The bundled OWASP SAMM example assesses to the scores documented in docs/samm.md.

examples/harbour-lane-software/ holds a fictional software company's SAMM interview as a filled-in template
(samm-interview.csv) and as the evidence imported from it (samm-evidence.ttl). The documented tables are parsed
here, so the docs and the example cannot drift apart.
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from maturity_graph import assess, import_sheet
from maturity_graph.assessment.result import FrameworkAssessment
from tests.conftest import REPO

EXAMPLES = REPO / "examples" / "harbour-lane-software"
TURTLE = EXAMPLES / "samm-evidence.ttl"
SHEET = EXAMPLES / "samm-interview.csv"
DOC = REPO / "docs" / "samm.md"
AS_OF = dt.date(2026, 10, 31)
ROW = re.compile(r"^\|\s*([GDIVO](?:-[A-Z]{2}(?:-[AB])?)?|samm)\s*\|(.*)\|\s*([0-9.]+)\s*\|\s*([^|]+?)\s*\|$",
                 re.MULTILINE)


def _section(title: str) -> str:
    text = DOC.read_text(encoding="utf-8")
    expected = text.split("## Expected results of the example", 1)[1].split("\n## ", 1)[0]
    return expected.split(f"### {title}", 1)[1].split("\n### ", 1)[0]


def documented() -> dict[str, tuple[Decimal, str]]:
    """Every documented result: id -> (score, stage)."""
    found: dict[str, tuple[Decimal, str]] = {}
    for title, count in (("Streams", 30), ("Practices", 15), ("Business functions and overall", 6)):
        rows = ROW.findall(_section(title))
        assert len(rows) == count, (title, rows)
        found |= {id_: (Decimal(score), stage) for id_, _, score, stage in rows}
    return found


def _stage(result) -> str:
    if result.stage is not None:
        return result.stage.label
    return "not assessed" if not result.assessed else "below Maturity level 1"


@pytest.fixture(scope="module")
def scorecard() -> FrameworkAssessment:
    result = assess([TURTLE])
    assert result.as_of == AS_OF
    [fa] = result.frameworks
    assert fa.framework == "samm" and fa.scope is not None and fa.scope.subject is not None
    assert (fa.scope.subject.id, fa.scope.organisation) == ("harbour-lane-platform", "Harbour Lane Software")
    return fa


def test_every_documented_score_and_stage(scorecard: FrameworkAssessment) -> None:
    expected = documented()
    got = {r.id: (r.score, _stage(r)) for r in scorecard.results}
    assert set(got) == set(expected)
    for id_, (score, stage) in expected.items():
        assert got[id_][0] == score, id_
        assert got[id_][1] == stage, id_


def test_secure_build_is_samm_published_baseline(scorecard: FrameworkAssessment) -> None:
    assert scorecard.get("I-SB").score == Decimal("0.625")


def test_a_claimed_answer_with_an_unmet_quality_criterion_counts_as_no(scorecard: FrameworkAssessment) -> None:
    stream = scorecard.get("V-ST-A")
    assert stream.score == 0 and stream.assessed
    requirement = next(o for r, o in scorecard.requirements.items() if str(r).endswith("/v-st-1-a-cov"))
    assert requirement.measured == 1  # the claim is kept; the criterion gates it to No


def test_the_evidence_is_the_sheet_imported() -> None:
    imported = import_sheet(SHEET, organisation="Harbour Lane Software", subject="Harbour Lane platform",
                            subject_id="harbour-lane-platform", subject_kind="product", assessment_date=AS_OF)
    # through Turtle, as the CLI writes it (Turtle's short form writes the decimal 1 as 1.0)
    reread = Graph().parse(data=imported.serialize(format="turtle"), format="turtle")
    assert isomorphic(reread, Graph().parse(TURTLE, format="turtle"))
