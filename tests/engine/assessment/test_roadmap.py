"""The roadmap (issue 10, item 3): what to do next to reach the target, in the documented order."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import URIRef

from maturity_graph import assess, load_evidence, open_store, validate_evidence
from maturity_graph.assessment.roadmap import PlannedAction, build_roadmap, planned_actions, roadmap_section
from maturity_graph.catalogue import load_catalogue
from tests.conftest import REPO

NORTHWIND = REPO / "examples" / "northwind-devices" / "sbd-evidence.ttl"
ASSESSMENT = URIRef("https://example.org/northwind-sbd-2026q1")
PREFIXES = """@prefix ev: <https://w3id.org/maturity-graph/ev#> .
@prefix sbd: <https://w3id.org/maturity-graph/framework/sbd/2025-06-18/> .
@prefix ex: <https://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
# Aim for Level 4 everywhere, so the roadmap spans two stages.
LEVEL_4 = "ex:northwind ev:targetSetting [ ev:framework sbd:model ; ev:targetStage sbd:level-4 ] .\n"


def _iri(requirement_id: str) -> URIRef:
    catalogue = load_catalogue()
    return next(r.requirement for r in catalogue.requirement_rows(catalogue.get("sbd")) if r.id == requirement_id)


def _action(name: str, requirement_id: str, **fields: str) -> str:
    lines = [f"ex:{name} a ev:PlannedAction", f"ev:addresses <{_iri(requirement_id)}>"]
    lines += [f"ev:{key} {value}" for key, value in fields.items()]
    return " ;\n    ".join(lines) + " .\n"


PLAN = LEVEL_4 + "".join([
    _action("baseline-vcs", "SBD-HSC-L3-2", inAssessment="ex:northwind-sbd-2026q1", priority="1",
            owner='"Platform team"', dueDate='"2026-01-15"^^xsd:date', effort="2"),
    _action("baseline-vcs-later", "SBD-HSC-L3-2", inAssessment="ex:northwind-sbd-2026q1", priority="3",
            owner='"Someone else"'),
    _action("baseline-rollout", "SBD-HSC-L3-3", inAssessment="ex:northwind-sbd-2026q1", priority="2", effort="1"),
    _action("build-gate", "SBD-SST-L3-3", inAssessment="ex:northwind-sbd-2026q1", priority="2", effort="5.5",
            dueDate='"2026-03-31"^^xsd:date'),
    _action("vuln-metrics", "SBD-VMT-L4-1", inAssessment="ex:northwind-sbd-2026q1", priority="1",
            dueDate='"2026-06-30"^^xsd:date', owner='"PSIRT"'),
    _action("patch-metrics", "SBD-PCS-L4-1", inAssessment="ex:northwind-sbd-2026q1", effort="3"),
])


@pytest.fixture(scope="module")
def plan_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("roadmap") / "plan.ttl"
    path.write_text(PREFIXES + PLAN, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def northwind_roadmap(plan_file):
    store = open_store()
    try:
        result = assess([NORTHWIND, plan_file], store=store)
        actions = planned_actions(store)
    finally:
        store.close()
    return result, actions, build_roadmap(result, actions)


def test_the_plan_is_well_formed_and_changes_no_stage(plan_file):
    assert validate_evidence(load_evidence([NORTHWIND, plan_file])).conforms
    without = assess([NORTHWIND]).framework("sbd")
    with_plan = assess([NORTHWIND, plan_file]).framework("sbd")
    assert [r.stage for r in with_plan.results] == [r.stage for r in without.results]


def test_planned_actions_are_read_with_their_assessment(northwind_roadmap):
    _, actions, _ = northwind_roadmap
    by_name = {str(a.action).rsplit("/", 1)[-1]: a for a in actions}
    assert set(by_name) == {"baseline-vcs", "baseline-vcs-later", "baseline-rollout", "build-gate", "vuln-metrics",
                            "patch-metrics"}
    assert all(a.assessment == ASSESSMENT for a in actions)
    vcs = by_name["baseline-vcs"]
    assert (vcs.priority, vcs.owner, vcs.due, vcs.effort) == (1, "Platform team", dt.date(2026, 1, 15), Decimal(2))
    assert by_name["build-gate"].effort == Decimal("5.5")


def test_roadmap_order_stage_then_priority_then_effort_then_id(northwind_roadmap):
    _, _, plan = northwind_roadmap
    (section,) = plan.sections
    assert [(t.chosen_by, t.stage.rank) for t in section.targets] == [("organisation", 4)]
    order = [(i.stage.rank, i.requirement) for i in section.items]
    assert order[:6] == [
        (3, "SBD-HSC-L3-2"),  # priority 1
        (3, "SBD-HSC-L3-3"),  # priority 2, effort 1
        (3, "SBD-SST-L3-3"),  # priority 2, effort 5.5
        (3, "SBD-HSC-L3-1"),  # unplanned, by id
        (3, "SBD-PCS-L3-2"),
        (3, "SBD-RSK-L3-2"),
    ]
    # priority 1; then an action without a priority, with the unplanned but before them by its effort
    assert order[6:8] == [(4, "SBD-VMT-L4-1"), (4, "SBD-PCS-L4-1")]
    unplanned = [req for rank, req in order[8:]]
    assert unplanned == sorted(unplanned) and all(rank == 4 for rank, _ in order[8:])
    assert len(order) == len(set(order)) == 26  # each unmet requirement once, up to Level 4
    # capabilities at or above the target contribute nothing; each item is above its capability's stage
    stages = {r.id: r.stage.rank for r in northwind_roadmap[0].framework("sbd").results if r.stage is not None}
    assert all(stages[i.capability] < i.stage.rank <= 4 for i in section.items)


def test_roadmap_lines_carry_reason_owner_due_date_and_overdue(northwind_roadmap):
    _, _, plan = northwind_roadmap
    items = {i.requirement: i for i in plan.items}
    vcs = items["SBD-HSC-L3-2"]
    assert vcs.action is not None and vcs.action.owner == "Platform team"  # the most urgent of its two actions
    assert vcs.overdue  # due 2026-01-15, before the as-of day 2026-03-31
    assert vcs.reason == "evidence from 2024-12-02 expired on 2025-12-02"
    assert not items["SBD-SST-L3-3"].overdue  # due on the as-of day itself
    assert not items["SBD-VMT-L4-1"].overdue
    assert items["SBD-HSC-L3-1"].action is None and not items["SBD-HSC-L3-1"].overdue
    assert plan.sections[0].as_dict()["overdue"] == 1
    line = vcs.as_dict()
    assert line["action"] == {"action": "https://example.org/baseline-vcs", "label": None, "priority": 1,
                              "owner": "Platform team", "due": "2026-01-15", "effort": 2.0}
    assert (line["framework"], line["capability"], line["stage"]["rank"], line["target"]["chosen_by"]) == (
        "sbd", "HSC", 3, "organisation")


def test_actions_of_another_assessment_are_not_shown(northwind_roadmap):
    result, actions, _ = northwind_roadmap
    fa = result.framework("sbd")
    elsewhere = [PlannedAction(a.action, a.requirement, URIRef("https://example.org/other"), a.label, a.priority,
                               a.owner, a.due, a.effort) for a in actions]
    section = roadmap_section(fa, elsewhere, catalogue=result.catalogue, as_of=result.as_of)
    assert all(i.action is None for i in section.items)
    assert [i.requirement for i in section.items][:3] == ["SBD-HSC-L3-1", "SBD-HSC-L3-2", "SBD-HSC-L3-3"]


def test_the_published_target_drives_the_roadmap_without_settings():
    result = assess([NORTHWIND])
    plan = build_roadmap(result, [])
    # docs/evidence.md: HSC, PCS, RSK and SST are at Level 2, one below the published target
    assert {i.capability for i in plan.items} == {"HSC", "PCS", "RSK", "SST"}
    assert all(i.target.chosen_by == "published" and i.stage.rank == 3 for i in plan.items)


def test_a_framework_without_a_target_has_an_empty_roadmap():
    lakeview = REPO / "examples" / "lakeview-agency" / "ztmm-2026q1.ttl"
    plan = build_roadmap(assess([lakeview]), [])
    assert [s.framework for s in plan.sections] == ["ztmm"]
    assert plan.sections[0].targets == () and plan.items == []


@pytest.mark.parametrize("action, path", [
    ("ex:a a ev:PlannedAction ; ev:priority 1 .", "ev:addresses"),
    ("ex:a a ev:PlannedAction ; ev:addresses sbd:risk-assessment-level-3-r1 .", "ev:inAssessment"),  # whose plan?
    ("ex:a a ev:PlannedAction ; ev:addresses sbd:nothing-like-this .", "ev:addresses"),
    ("ex:a a ev:PlannedAction ; ev:addresses sbd:risk-assessment-level-3-r1 ; ev:priority 0 .", "ev:priority"),
    ("ex:a a ev:PlannedAction ; ev:addresses sbd:risk-assessment-level-3-r1 ; ev:inAssessment ex:nowhere .",
     "ev:inAssessment"),
    ("ex:a a ev:PlannedAction ; ev:addresses sbd:risk-assessment-level-3-r1 ; ev:dueDate \"soon\" .", "ev:dueDate"),
    ("ex:a a ev:PlannedAction ; ev:addresses sbd:risk-assessment-level-3-r1 ; ev:effort -1 .", "ev:effort"),
    ("ex:a a ev:PlannedAction ; ev:addresses sbd:risk-assessment-level-3-r1 ; ev:status ev:Met .", None),
    ("ex:a ev:owner \"Platform team\" .", None),
    ("ex:a a ev:PlannedAction , ev:Attestation ; ev:addresses sbd:risk-assessment-level-3-r1 .", None),
])
def test_malformed_planned_actions_are_violations(tmp_path, action, path):
    file = tmp_path / "plan.ttl"
    file.write_text(PREFIXES + action + "\n", encoding="utf-8")
    check = validate_evidence(load_evidence([NORTHWIND, file]))
    assert any(v.focus == "ex:a" or v.focus.endswith("/a") for v in check.violations), check.violations
    if path is not None:
        assert any(v.path == path for v in check.violations), check.violations
    if "ev:status" in action:  # the node itself: only evidence has a status
        assert any("only evidence has an ev:status" in v.message for v in check.violations), check.violations
