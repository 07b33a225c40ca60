"""Applying reviewed mappings carries evidence across frameworks, with provenance (issue 5)."""
from __future__ import annotations

import datetime as dt

import pytest
from rdflib import URIRef
from rdflib.namespace import PROV

from maturity_graph import assess
from maturity_graph.crosswalk.apply import apply_crosswalk
from maturity_graph.crosswalk.model import Mapping, Relation, mapping_iri
from maturity_graph.namespaces import EV
from tests.conftest import SBD, up_to

ZTMM = "https://w3id.org/maturity-graph/framework/ztmm/2.0/"
SOURCE_CELL = URIRef(SBD + "security-policy-ownership-level-3")
TARGET_CELL = URIRef(ZTMM + "governance-initial")


def mapping(relation: Relation, status: str = "reviewed", *, reverse: bool = False) -> Mapping:
    subject, obj = (TARGET_CELL, SOURCE_CELL) if reverse else (SOURCE_CELL, TARGET_CELL)
    return Mapping(subject, obj, frozenset({relation}), strength=8, rationale="semantic", review_status=status,
                   reviewer=("orcid:0000-0002-1825-0097",), date=dt.date(2026, 3, 1), source="test")


@pytest.fixture
def evidence(write_evidence):
    return write_evidence(up_to("SPO", 3))


def carried_requirements(result) -> set[str]:
    return {str(r) for c in result.carried for r in c.target_requirements}


def test_equal_reviewed_mapping_carries_met(evidence):
    result = apply_crosswalk([evidence], [mapping(Relation.EQUAL)], source="sbd", target="ztmm")
    assert len(result.carried) == 1 and not result.partial
    assert carried_requirements(result)
    node = next(result.graph.subjects(EV.viaMapping, mapping_iri(mapping(Relation.EQUAL))))
    assert (node, EV.status, EV.Met) in result.graph
    assert set(result.graph.objects(node, PROV.wasDerivedFrom))  # names the source evidence


def test_carried_evidence_lifts_the_target_stage(evidence, tmp_path):
    result = apply_crosswalk([evidence], [mapping(Relation.EQUAL)], source="sbd", target="ztmm")
    carried = tmp_path / "carried.ttl"
    carried.write_text(result.graph.serialize(format="turtle"), encoding="utf-8")
    before = assess([evidence], frameworks=["ztmm"]).framework("ztmm").get("XC-GOV")
    after = assess([evidence, carried], frameworks=["ztmm"]).framework("ztmm").get("XC-GOV")
    assert before.stage is None
    assert after.stage.label == "Initial"


def test_superset_carries_and_reverse_direction_is_inverted(evidence):
    # stored as target subset_of source: seen from the source side that is superset_of
    result = apply_crosswalk([evidence], [mapping(Relation.SUBSET_OF, reverse=True)], source="sbd", target="ztmm")
    assert [c.relation for c in result.carried] == [Relation.SUPERSET_OF]


@pytest.mark.parametrize("relation", [Relation.SUBSET_OF, Relation.INTERSECTS_WITH])
def test_subset_and_intersects_are_partial_and_carry_nothing(evidence, relation):
    result = apply_crosswalk([evidence], [mapping(relation)], source="sbd", target="ztmm")
    assert not result.carried and len(result.partial) == 1
    assert not list(result.graph.subjects(EV.viaMapping, None))


@pytest.mark.parametrize("status", ["unreviewed", "rejected"])
def test_unreviewed_mappings_carry_nothing(evidence, status):
    result = apply_crosswalk([evidence], [mapping(Relation.EQUAL, status)], source="sbd", target="ztmm")
    assert not result.carried and not result.partial and result.not_carried == 1


def test_unmet_source_cell_carries_nothing(write_evidence):
    evidence = write_evidence(up_to("SPO", 2))
    assert not apply_crosswalk([evidence], [mapping(Relation.EQUAL)], source="sbd", target="ztmm").carried


def _spo3(status_of):
    """SPO met at Level 2 and, at Level 3, each requirement with the status `status_of` gives it."""
    from tests.conftest import level

    return up_to("SPO", 2) + [(r, status_of(i), "2026-03-01") for i, r in enumerate(level("SPO", 3))]


@pytest.mark.parametrize("relation", [Relation.EQUAL, Relation.SUBSET_OF])
def test_a_cell_satisfied_only_as_not_applicable_carries_nothing(write_evidence, relation):
    # issue 8 item 4: "not applicable" in SbD is not "met" in ZTMM
    evidence = write_evidence(_spo3(lambda i: "not_applicable"))
    source = assess([evidence], frameworks=["sbd"]).framework("sbd").requirements
    from tests.conftest import level

    assert all(source[URIRef(SBD + r)].satisfied for r in level("SPO", 3))  # the SbD cell itself counts as reached
    result = apply_crosswalk([evidence], [mapping(relation)], source="sbd", target="ztmm")
    assert not result.carried and not result.partial
    assert [c.source_criterion for c in result.not_applicable] == [SOURCE_CELL]
    assert not list(result.graph.subjects(EV.viaMapping, None))
    carried = write_evidence([], name="carried.ttl")
    carried.write_text(result.graph.serialize(format="turtle"), encoding="utf-8")
    assert assess([evidence, carried], frameworks=["ztmm"]).framework("ztmm").get("XC-GOV").stage is None


def test_a_cell_with_one_met_requirement_and_the_rest_not_applicable_carries(write_evidence):
    evidence = write_evidence(_spo3(lambda i: "met" if i == 0 else "not_applicable"))
    result = apply_crosswalk([evidence], [mapping(Relation.EQUAL)], source="sbd", target="ztmm")
    assert len(result.carried) == 1 and not result.not_applicable
