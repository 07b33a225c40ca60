"""crosswalk/check.py with shapes/crosswalks/mapping.ttl and contradictions.rq: planted bad
files each produce the expected finding, and a good file produces none."""
from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from maturity_graph.crosswalk.check import check_crosswalks, check_mapping_graph

DATA = Path(__file__).parents[2] / "data" / "crosswalk"

MAPPINGS = """
@prefix mm: <https://w3id.org/maturity-graph/mm#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ztmm: <https://w3id.org/maturity-graph/framework/ztmm/2.0/> .
@prefix csmm: <https://w3id.org/maturity-graph/framework/csmm/unversioned/> .
@prefix ex: <https://example.org/> .

ex:m a mm:Mapping ;
    mm:mapsFrom ztmm:identity-authentication-advanced ;
    mm:mapsTo csmm:iam-l1 ;
    mm:relation {relation} ;
    mm:rationale {rationale} ;
    mm:strength {strength} ;
    mm:confidence {confidence} ;
    mm:reviewStatus {status} .
"""
GOOD_VALUES = {"relation": "mm:SubsetOf", "rationale": "mm:Semantic", "strength": "6", "confidence": "0.8",
               "status": "mm:Unreviewed"}


def test_good_file_has_no_findings():
    result = check_crosswalks([DATA / "good.sssom.tsv"])
    assert result.findings == []
    assert result.ok and result.mappings == 6


def test_no_files_is_ok():
    assert check_crosswalks([]).ok
    assert check_crosswalks().ok  # the bundled crosswalks/*.sssom.tsv (none may exist yet)


PLANTED = [
    ("bad-enum", "sssom-format", "strm_relation 'overlaps'", [32]),
    ("bad-strength", "sssom-format", "strm_strength '11'", [32]),
    ("reviewed-without-reviewer", "reviewed-needs-reviewer", "names its reviewer", [30]),
    ("dangling-iri", "mapping-object-element", "csmm:iam-l9", [30]),
    ("same-framework", "mapping-across-frameworks", "same framework (ztmm)", [29]),
    ("equal-chain", "equal-chain", "chain of equal mappings", [33]),
    ("inverse-disagreement", "inverse-disagreement", "not inverses", [30, 31]),
    ("conflicting-relations", "conflicting-relations", "different relations", [30]),
]


@pytest.mark.parametrize("name, rule, text, lines", PLANTED, ids=[p[0] for p in PLANTED])
def test_planted_file_gives_expected_finding(name, rule, text, lines):
    path = DATA / f"{name}.sssom.tsv"
    result = check_crosswalks([path])
    assert not result.ok
    assert [f.rule for f in result.findings] == [rule] * len(lines), [f.sentence() for f in result.findings]
    assert [f.line for f in result.findings] == lines
    assert all(f.file == str(path) and f.severity == "error" for f in result.findings)
    assert text in result.findings[0].message


def test_contradiction_across_files():
    """Two files, each consistent, contradict each other: checks run over all files at once."""
    result = check_crosswalks([DATA / "good.sssom.tsv", DATA / "conflicting-relations.sssom.tsv"])
    assert any(f.rule == "conflicting-relations" for f in result.findings)


def test_each_finding_reads_as_one_sentence():
    (finding,) = check_crosswalks([DATA / "reviewed-without-reviewer.sssom.tsv"]).findings
    assert finding.sentence().startswith(f"{DATA / 'reviewed-without-reviewer.sssom.tsv'}:30: ")
    assert set(finding.as_dict()) == {"file", "line", "mapping", "node", "message", "severity", "rule"}


SHAPE_CASES = [
    ({}, []),
    ({"relation": "mm:Syntactic"}, ["mapping-relation"]),
    ({"strength": "11"}, ["mapping-strength"]),
    ({"strength": '"6"'}, ["mapping-strength"]),
    ({"confidence": "1.5"}, ["mapping-confidence"]),
    ({"rationale": "mm:Equal"}, ["mapping-rationale"]),
    ({"status": "mm:Semantic"}, ["mapping-review-status"]),
    ({"status": "mm:Reviewed"}, ["reviewed-needs-date", "reviewed-needs-reviewer"]),
]


@pytest.mark.parametrize("change, rules", SHAPE_CASES, ids=[str(c) for c, _ in SHAPE_CASES])
def test_shapes_on_a_mapping_graph(change, rules):
    graph = Graph().parse(data=MAPPINGS.format(**{**GOOD_VALUES, **change}), format="turtle")
    result = check_mapping_graph(graph)
    assert sorted(f.rule for f in result.findings) == rules, [f.message for f in result.findings]
