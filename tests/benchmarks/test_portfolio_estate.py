"""The portfolio generator (issue 10's scale benchmark) makes evidence a GRC team could hold: one assessment per
product and per cloud account, nothing pooled, valid, assessed per subject, and about 1M triples at 1000x500."""
from __future__ import annotations

import sys
from collections import Counter, defaultdict
from pathlib import Path

import pyoxigraph
import pytest

from maturity_graph import assess, validate_evidence
from tests.conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))  # the generator imports estate as the scripts do
portfolio_estate = pytest.importorskip("portfolio_estate")

EV = "https://w3id.org/maturity-graph/ev#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
EVIDENCE = {EV + "Attestation", EV + "Observation", EV + "Finding"}
PRODUCTS, ACCOUNTS = 4, 3


@pytest.fixture(scope="module")
def portfolio(tmp_path_factory):
    return portfolio_estate.build_portfolio(PRODUCTS, ACCOUNTS, tmp_path_factory.mktemp("portfolio"))


def triples(path: Path) -> list[pyoxigraph.Triple]:
    return list(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.N_TRIPLES))


def test_same_seed_same_bytes(portfolio, tmp_path):
    again = portfolio_estate.build_portfolio(PRODUCTS, ACCOUNTS, tmp_path)
    assert again.path.read_bytes() == portfolio.path.read_bytes()
    assert again.scan.read_bytes() == portfolio.scan.read_bytes()
    (tmp_path / "other").mkdir()
    other = portfolio_estate.build_portfolio(PRODUCTS, ACCOUNTS, tmp_path / "other", seed=8)
    assert other.path.read_bytes() != portfolio.path.read_bytes()


def test_every_item_belongs_to_one_assessment_or_is_drawn_on(portfolio):
    found = triples(portfolio.path)
    assert len(found) == portfolio.triples
    items = {t.subject for t in found if t.predicate.value == RDF_TYPE and t.object.value in EVIDENCE}
    homes: dict[pyoxigraph.NamedNode, list[pyoxigraph.Term]] = defaultdict(list)
    drawn: dict[pyoxigraph.Term, set[pyoxigraph.Term]] = defaultdict(set)
    for t in found:
        if t.predicate.value == EV + "inAssessment":
            homes[t.subject].append(t.object)
        elif t.predicate.value == EV + "drawsOn":
            drawn[t.object].add(t.subject)
    assert items and set(homes) | set(drawn) == items
    for item in items:
        assert (len(homes[item]), item in drawn) in {(1, False), (0, True)}, item
    assert len(drawn) == portfolio.shared == 5
    assert sum(len(sharers) for sharers in drawn.values()) == portfolio.draws
    assert max(len(sharers) for sharers in drawn.values()) >= 2  # shared by several products, not copied


def test_one_subject_per_assessment(portfolio):
    found = triples(portfolio.path)
    assessments = {t.subject for t in found if t.predicate.value == RDF_TYPE and t.object.value == EV + "Assessment"}
    subject_of = {t.subject: t.object for t in found if t.predicate.value == EV + "subject"}
    assert set(subject_of) == assessments and len(set(subject_of.values())) == len(assessments)
    subjects = set(subject_of.values())
    kinds = Counter(t.object.value for t in found if t.predicate.value == RDF_TYPE and t.subject in subjects)
    assert kinds == {EV + "Product": PRODUCTS, EV + "CloudAccount": ACCOUNTS}
    for predicate in (RDFS_LABEL, EV + "identifier"):
        named = Counter(t.subject for t in found if t.predicate.value == predicate and t.subject in subjects)
        assert set(named) == subjects and set(named.values()) == {1}, predicate


def test_claims_are_a_realistic_mix(portfolio):
    found = triples(portfolio.path)
    statuses = Counter(t.object.value.rsplit("#", 1)[-1] for t in found if t.predicate.value == EV + "status")
    assert statuses["Met"] > statuses["NotMet"] > 0 and statuses["NotApplicable"] and statuses["Unknown"]
    assert portfolio.superseded > 0 and portfolio.expired > 0
    assert any(t.predicate.value == EV + "note" for t in found)
    assert any(t.predicate.value == "http://www.w3.org/ns/prov#wasAttributedTo" for t in found)
    assert sum(1 for t in found if t.object.value == EV + "CheckResult") == portfolio.findings > 0


def test_validates(portfolio):
    result = validate_evidence([portfolio.path])
    assert result.conforms, result.violations[:3]


def test_assessed_once_per_subject_and_framework(portfolio):
    frameworks = assess([portfolio.path]).frameworks
    assert len(frameworks) == PRODUCTS + ACCOUNTS
    by_kind = Counter(((f.scope.subject.kind or "").casefold(), f.framework) for f in frameworks
                      if f.scope and f.scope.subject)
    assert by_kind == {("product", "sbd"): PRODUCTS, ("cloud account", "csmm"): ACCOUNTS}
    assert len({f.scope.subject.id for f in frameworks if f.scope and f.scope.subject}) == PRODUCTS + ACCOUNTS
    assert any(r.stage is not None for f in frameworks if f.framework == "sbd" for r in f.results)
    assert any(r.score for f in frameworks if f.framework == "csmm" for r in f.results)


def test_full_size_is_about_a_million_triples(tmp_path):
    """Calibration: 20 products and 10 accounts are a fiftieth of the benchmark's 1000x500."""
    small = portfolio_estate.build_portfolio(20, 10, tmp_path)
    assert 850_000 <= small.triples * 50 <= 1_200_000
