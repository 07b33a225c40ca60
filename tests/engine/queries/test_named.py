"""Every bundled named query runs on the example, and the read-only checks hold."""
from __future__ import annotations

import pytest

from maturity_graph import named_queries, run_query
from maturity_graph.errors import QueryRejected
from maturity_graph.queries.safety import check_read_only
from tests.conftest import REPO

EXAMPLE = REPO / "examples" / "northwind-devices" / "sbd-evidence.ttl"


def rows(name, **params):
    query = named_queries()[name]
    result = run_query(query.text, evidence=[EXAMPLE], declared=query.params, params=params)
    return result.dicts()


def test_capability_stages():
    got = {str(r["capabilityId"]): int(r["rank"]) for r in rows("capability-stages")}
    assert got["SBM"] == 4 and got["HSC"] == 2 and len(got) == 13


def test_gaps_to_next_stage():
    got = {str(r["requirementId"]) for r in rows("gaps-to-next-stage")}
    assert {"SBD-SST-L3-3", "SBD-PCS-L3-2"} <= got


def test_requirements_without_evidence():
    got = {str(r["requirementId"]) for r in rows("requirements-without-evidence")}
    assert "SBD-SBM-L5-1" in got
    assert "SBD-SPO-L3-1" not in got


def test_evidence_older_than_default_and_parameter():
    default = {str(r["requirementId"]) for r in rows("evidence-older-than")}
    assert default == {"SBD-HSC-L3-1", "SBD-HSC-L3-2", "SBD-HSC-L3-3"}
    assert len(rows("evidence-older-than", days="30")) > len(default)


def test_unknown_parameter_is_refused():
    with pytest.raises(QueryRejected):
        rows("capability-stages", colour="blue")


@pytest.mark.parametrize("text", [
    "LOAD <http://127.0.0.1:9/x.ttl>",
    "CLEAR ALL",
    "SELECT * WHERE { { ?s ?p ?o } UNION { SERVICE SILENT <http://127.0.0.1:9/> { ?s ?p ?o } } }",
    "SELECT * FROM NAMED <http://127.0.0.1:9/g> WHERE { GRAPH ?g { ?s ?p ?o } }",
])
def test_not_read_only_is_refused(text):
    with pytest.raises(QueryRejected):
        check_read_only(text)


def test_construct_and_ask_are_allowed():
    assert check_read_only("ASK { ?s ?p ?o }").form == "AskQuery"
    assert check_read_only("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").form == "ConstructQuery"


def test_crosswalk_coverage(write_evidence):
    from tests.conftest import up_to

    evidence = write_evidence(up_to("MON-P", 5, framework="csmm", first=1))
    query = named_queries()["crosswalk-coverage"]
    result = run_query(query.text, evidence=[evidence], params={"from": "csmm", "to": "ztmm"}).dicts()
    cells = {str(r["targetCell"]).rsplit("/", 1)[-1] for r in result}
    assert "automation-orchestration-initial" in cells
    assert {str(r["relation"]) for r in result} <= {"equal", "superset of"}


def test_unmapped_criteria():
    query = named_queries()["unmapped-criteria"]
    rows = run_query(query.text, params={"framework": "csmm"}).dicts()
    ids = {str(r["criterionId"]) for r in rows}
    assert ids and "CSMM-MON-L5" not in ids  # mapped to ZTMM
    assert all(str(r["framework"]) == "csmm" for r in rows)


def test_crosswalk_disagreements_on_a_planted_equal_mapping(monkeypatch, write_evidence):
    from rdflib import Graph

    from maturity_graph.queries import runner
    from tests.conftest import SBD, level, up_to

    # Mappings are content (evidence may not state them), so the planted one joins the bundled sets.
    planted = Graph().parse(format="turtle", data=(
        "@prefix mm: <https://w3id.org/maturity-graph/mm#> .\n"
        "<urn:test:m1> a mm:Mapping ; mm:reviewStatus mm:Reviewed ; mm:relation mm:Equal ;\n"
        f"  mm:mapsFrom <{SBD}security-policy-ownership-level-3> ;\n"
        f"  mm:mapsTo <{SBD}risk-assessment-level-3> .\n"))
    bundled, graph_of = runner.bundled_mapping_sets, runner.mappings_graph
    monkeypatch.setattr(runner, "bundled_mapping_sets", lambda: [*bundled(), "planted"])
    monkeypatch.setattr(runner, "mappings_graph", lambda s: planted if s == "planted" else graph_of(s))
    evidence = write_evidence(up_to("SPO", 3))
    extra = write_evidence(up_to("SPO", 3) + [(r, "not_met", "2026-03-01") for r in level("RSK", 3)], name="both.ttl")
    query = named_queries()["crosswalk-disagreements"]
    rows = run_query(query.text, evidence=[extra]).dicts()
    assert {(str(r["metCell"]).rsplit("/", 1)[-1], str(r["unmetCell"]).rsplit("/", 1)[-1]) for r in rows} == {
        ("security-policy-ownership-level-3", "risk-assessment-level-3")}
    assert not run_query(query.text, evidence=[evidence]).rows
