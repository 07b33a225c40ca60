"""`mgraph roadmap` end to end through main(): table, JSON, --subject, -o (issue 10, item 3)."""
from __future__ import annotations

import json

import pytest

from maturity_graph.cli import main
from tests.conftest import REPO

NORTHWIND = REPO / "examples" / "northwind-devices" / "sbd-evidence.ttl"
PLAN = """@prefix ev: <https://w3id.org/maturity-graph/ev#> .
@prefix sbd: <https://w3id.org/maturity-graph/framework/sbd/2025-06-18/> .
@prefix ex: <https://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

ex:northwind-sbd-2026q1 ev:subject ex:thermostat .
ex:thermostat a ev:Product ; rdfs:label "Thermostat" ; ev:identifier "THERMO" .

ex:baseline-rollout a ev:PlannedAction ;
    ev:addresses sbd:hardening-secure-config-level-3-r3 ;
    ev:inAssessment ex:northwind-sbd-2026q1 ;
    ev:priority 1 ;
    ev:owner "Platform team" ;
    ev:dueDate "2026-02-28"^^xsd:date ;
    ev:effort 4 .
"""


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def plan(tmp_path_factory):
    path = tmp_path_factory.mktemp("roadmap-cli") / "plan.ttl"
    path.write_text(PLAN, encoding="utf-8")
    return path


def test_roadmap_json_lists_every_line_with_its_plan(capsys, plan):
    code, out, _ = run(capsys, "roadmap", NORTHWIND, plan, "-f", "json")
    assert code == 0
    body = json.loads(out)
    assert body["status"] == "ok" and body["as_of"] == "2026-03-31"
    (section,) = body["sections"]
    assert (section["framework"], section["subject"], section["items"], section["overdue"]) == ("sbd", "THERMO", 6, 1)
    assert section["targets"] == [{"capability": None, "stage": {"rank": 3, "label": "Level 3: Defined"},
                                   "chosen_by": "published", "set_on": None, "applies_to": None, "setting": None}]
    first = body["results"][0]
    assert (first["subject"], first["framework"], first["capability"], first["requirement"]) == (
        "THERMO", "sbd", "HSC", "SBD-HSC-L3-3")  # planned, so first among the Level 3 requirements
    assert first["overdue"] is True
    assert first["action"]["owner"] == "Platform team" and first["action"]["due"] == "2026-02-28"
    assert first["reason"] == "evidence from 2024-12-02 expired on 2025-12-02"
    assert all(line["stage"]["rank"] == 3 and line["text"] for line in body["results"])


def test_roadmap_table_flags_overdue_actions(capsys, plan):
    code, out, _ = run(capsys, "roadmap", NORTHWIND, plan)
    assert code == 0
    assert "target Level 3: Defined (published by the framework); 6 requirements to meet, 1 overdue" in out
    line = next(line for line in out.splitlines() if "SBD-HSC-L3-3" in line)
    assert line.split()[:3] == ["THERMO", "sbd", "HSC"]
    assert "Platform team" in line and "2026-02-28 OVERDUE" in line
    assert "OVERDUE" not in next(line for line in out.splitlines() if "SBD-HSC-L3-1" in line)


def test_roadmap_as_of_before_the_due_date_is_not_overdue(capsys, plan):
    code, out, _ = run(capsys, "roadmap", NORTHWIND, plan, "--as-of", "2026-02-01", "-f", "json")
    assert code == 0
    assert not any(line["overdue"] for line in json.loads(out)["results"])


def test_roadmap_subject_and_output_file(capsys, plan, tmp_path):
    target = tmp_path / "roadmap.json"
    code, out, _ = run(capsys, "roadmap", NORTHWIND, plan, "--subject", "Thermostat", "-f", "json", "-o", target)
    assert code == 0 and out == ""
    assert len(json.loads(target.read_text(encoding="utf-8"))["results"]) == 6
    code, _, err = run(capsys, "roadmap", NORTHWIND, plan, "--subject", "no-such-product")
    assert code == 2
    assert err.startswith("mgraph: error: ") and "no-such-product" in err and len(err.splitlines()) == 1


def test_roadmap_bad_target_exits_2_naming_the_setting(capsys, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ev: <https://w3id.org/maturity-graph/ev#> .\n"
                   "@prefix ex: <https://example.org/> .\n"
                   "@prefix ztmm: <https://w3id.org/maturity-graph/framework/ztmm/2.0/> .\n"
                   "ex:northwind ev:targetSetting ex:wrong .\n"
                   "ex:wrong ev:framework <https://w3id.org/maturity-graph/framework/sbd/2025-06-18/model> ;\n"
                   "    ev:targetStage ztmm:optimal .\n", encoding="utf-8")
    code, _, err = run(capsys, "roadmap", NORTHWIND, bad)
    assert code == 2
    assert "target setting https://example.org/wrong" in err and "not a stage of sbd" in err
