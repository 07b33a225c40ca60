"""One result, three views (issue 9, item 1): the JSON, the table and the result graph are projections of
the same typed result objects, so they must say the same thing about every result of every example."""
from __future__ import annotations

import json
from decimal import Decimal

import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

from maturity_graph import assess
from maturity_graph.cli import cli
from maturity_graph.namespaces import EV
from tests.conftest import REPO

EXAMPLES = [
    REPO / "examples" / "northwind-devices" / "sbd-evidence.ttl",
    REPO / "examples" / "lakeview-agency" / "ztmm-2026q1.ttl",
    REPO / "examples" / "kestrel-logistics" / "cnamm-evidence.ttl",
    REPO / "examples" / "brightwater-health" / "ctemmm-evidence.ttl",
    REPO / "examples" / "fernhill-payments" / "attestations.ttl",
]
KIND_CLASS = {"capability": EV.CapabilityResult, "dimension": EV.DimensionResult, "tier": EV.TierResult,
              "overall": EV.OverallResult}


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.parent.name)
def test_json_table_and_graph_agree(example):
    result = assess([example])
    graph = result.graph
    data = json.loads(CliRunner().invoke(cli, ["assess", str(example), "-f", "json"]).output)
    table = CliRunner().invoke(cli, ["assess", str(example)]).output
    assert data["results"] and len(data["results"]) == len(result.results)
    for shown, result_object in zip(data["results"], result.results, strict=True):
        assert shown["id"] == result_object.id and shown["kind"] == result_object.kind
        nodes = [n for n in graph.subjects(EV.resultFor, URIRef(shown["iri"]))
                 if (n, RDF.type, KIND_CLASS[shown["kind"]]) in graph]
        assert len(nodes) == 1, shown["id"]
        node = nodes[0]
        stage = graph.value(node, EV.stageReached)
        assert shown["stage"] == (result_object.stage.as_dict() if result_object.stage else None)
        assert stage == (result_object.stage.iri if result_object.stage else None)
        score = graph.value(node, EV.score)
        assert (Decimal(str(score)) if score is not None else None) == (
            Decimal(str(shown["score"])) if shown["score"] is not None else None)
        assert graph.value(node, EV.assessed) == Literal(shown["assessed"], datatype=XSD.boolean)
        if shown["stage"] and shown["kind"] in ("capability", "dimension"):
            assert shown["stage"]["label"] in table
    requirements = {str(graph.value(n, EV.requirement)): graph.value(n, EV.satisfied).toPython()
                    for n in graph.subjects(RDF.type, EV.RequirementResult)}
    for fa in result.frameworks:
        for requirement, outcome in fa.requirements.items():
            assert requirements[str(requirement)] is outcome.satisfied
