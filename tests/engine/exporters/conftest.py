"""A realistic set of mappings between real ZTMM and CSMM elements, built by hand."""
from __future__ import annotations

import datetime as dt

import pytest
from rdflib import URIRef

from maturity_graph.crosswalk.model import Mapping, Relation

ZTMM = "https://w3id.org/maturity-graph/framework/ztmm/2.0/"
CSMM = "https://w3id.org/maturity-graph/framework/csmm/unversioned/"
DAY = dt.date(2026, 11, 24)
AUTHOR = ("orcid:0000-0002-1825-0097",)


def _m(subject, relation, obj, **kw):
    kw.setdefault("author", AUTHOR)
    kw.setdefault("date", DAY)
    return Mapping(URIRef(subject), URIRef(obj), frozenset({relation}), **kw)


@pytest.fixture
def mappings() -> list[Mapping]:
    return [
        _m(ZTMM + "identity-authentication-advanced", Relation.SUBSET_OF, CSMM + "iam-l1", strength=6, confidence=0.8,
           rationale="semantic", reviewer=("mgraph:maintainers",), review_status="reviewed",
           comment="Both ask for MFA; CSMM L1 adds root lockdown, SSO and key rotation."),
        _m(ZTMM + "identity-authentication", Relation.INTERSECTS_WITH, CSMM + "iam-pillar", strength=4, confidence=0.7,
           rationale="functional", reviewer=("mgraph:maintainers",), review_status="reviewed"),
        _m(ZTMM + "identity-authentication-optimal", Relation.EQUAL, CSMM + "iam-l3", strength=8, confidence=0.6,
           rationale="semantic"),
        _m(ZTMM + "identity-identity-stores-advanced", Relation.NOT_RELATED, CSMM + "storage-l1", strength=1,
           confidence=0.9, rationale="syntactic", reviewer=("mgraph:maintainers",), review_status="reviewed"),
        _m(CSMM + "iam-l2", Relation.SUPERSET_OF, ZTMM + "identity-authentication-initial", strength=5,
           rationale="semantic"),
    ]
