"""Many assessments in one graph: each assessed on its own, never pooled, every result naming its subject.

Two products of one (fictional) organisation share a graph. The first has a met, fully evidenced
policy requirement; the second says the same requirement is not met. Pooled, the second product's
"not met" (newer) would withdraw the first product's "met"; assessed apart, each keeps its own.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from functools import cache
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, URIRef

from maturity_graph import assess, load_catalogue, validate_evidence
from maturity_graph.assessment.portfolio import portfolio
from maturity_graph.assessment.result import AssessmentResult, AssessmentScope, FrameworkAssessment, StageRef, Subject
from maturity_graph.cli import main
from maturity_graph.errors import MaturityGraphError
from maturity_graph.evidence import freshness
from maturity_graph.namespaces import EV
from tests.conftest import REPO

HEAD = """@prefix ev: <https://w3id.org/maturity-graph/ev#> .
@prefix sbd: <https://w3id.org/maturity-graph/framework/sbd/2025-06-18/> .
@prefix ex: <https://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .

ex:acme a prov:Organization ; rdfs:label "Acme Devices" .
ex:auditor a prov:Person ; rdfs:label "Priya Shah (Product Security)" .
"""

PRODUCT = """
ex:{key} a ev:Product ; rdfs:label "{label}" ; ev:identifier "{code}" .
ex:{key}-2026q1 a ev:Assessment ;
    ev:subject ex:{key} ;
    ev:organisation ex:acme ;
    ev:framework sbd:model ;
    ev:assessmentDate "{day}"^^xsd:date .
"""

CLAIM = """
ex:{item} a ev:Attestation ;
    ev:inAssessment ex:{key}-2026q1 ;
    ev:addresses sbd:{requirement} ;
    ev:status ev:{status} ;
    ev:date "{day}"^^xsd:date ;
    ev:artifact "https://docs.acme.example/{item}"^^xsd:anyURI ;
    prov:wasAttributedTo ex:auditor .
"""

L2 = ["security-policy-ownership-level-2-r1", "risk-assessment-level-2-r1"]


def product(key: str, label: str, code: str, day: str = "2026-03-31") -> str:
    return PRODUCT.format(key=key, label=label, code=code, day=day)


def claim(item: str, key: str, requirement: str, status: str = "Met", day: str = "2026-02-01") -> str:
    return CLAIM.format(item=item, key=key, requirement=requirement, status=status, day=day)


@pytest.fixture
def two_products(tmp_path):
    text = HEAD + product("alpha", "Alpha Hub", "AH-1") + product("beta", "Beta Sensor", "BS-2")
    text += claim("alpha-policy", "alpha", L2[0], "Met", "2026-02-01")
    text += claim("beta-policy", "beta", L2[0], "NotMet", "2026-03-01")
    path = tmp_path / "two-products.ttl"
    path.write_text(text, encoding="utf-8")
    return path


def _outcome(result, code: str, requirement: str) -> URIRef:
    fa = result.framework("sbd", subject=code)
    return fa.requirements[URIRef("https://w3id.org/maturity-graph/framework/sbd/2025-06-18/" + requirement)].outcome


def test_each_assessment_keeps_its_own_evidence(two_products):
    result = assess([two_products])
    assert [s.subject.id for s in result.scopes] == ["AH-1", "BS-2"]
    assert _outcome(result, "AH-1", L2[0]) == EV.Met  # pooled, beta's newer "not met" would withdraw it
    assert _outcome(result, "BS-2", L2[0]) == EV.NotMet
    assert {fa.scope.subject.label for fa in result.frameworks} == {"Alpha Hub", "Beta Sensor"}


def test_one_subject_is_picked_by_identifier_label_or_iri(two_products):
    for name in ("BS-2", "beta sensor", "https://example.org/beta"):
        result = assess([two_products], subjects=[name])
        assert [fa.scope.subject.id for fa in result.frameworks] == ["BS-2"]
    with pytest.raises(MaturityGraphError, match="no assessment of subject 'gamma'"):
        assess([two_products], subjects=["gamma"])


def test_framework_asks_for_a_subject_when_several_were_assessed(two_products):
    with pytest.raises(KeyError, match="several subjects"):
        assess([two_products]).framework("sbd")


def test_each_assessment_is_judged_on_its_own_date(tmp_path):
    """A far-future date on one product no longer becomes the as-of day of the others."""
    text = HEAD + product("alpha", "Alpha Hub", "AH-1", "2026-03-31") + product("beta", "Beta Sensor", "BS-2",
                                                                                 "2027-06-30")
    text += claim("alpha-policy", "alpha", L2[0], "Met", "2026-02-01")
    text += claim("beta-policy", "beta", L2[0], "Met", "2026-02-01")
    path = tmp_path / "dates.ttl"
    path.write_text(text, encoding="utf-8")
    result = assess([path])
    assert result.framework("sbd", subject="AH-1").as_of == dt.date(2026, 3, 31)
    assert _outcome(result, "AH-1", L2[0]) == EV.Met
    assert _outcome(result, "BS-2", L2[0]) == EV.Unknown  # its own day: the claim expired after 365 days
    assert assess([path], as_of=dt.date(2026, 4, 1)).framework("sbd", subject="BS-2").as_of == dt.date(2026, 4, 1)


def test_shared_evidence_counts_only_where_an_assessment_draws_on_it(tmp_path):
    text = HEAD + product("alpha", "Alpha Hub", "AH-1") + product("beta", "Beta Sensor", "BS-2")
    text += claim("alpha-risk", "alpha", L2[1])
    text += """
ex:org-policy a ev:Attestation ;
    rdfs:label "Acme product security policy v4, approved by the board"@en ;
    ev:addresses sbd:security-policy-ownership-level-2-r1 ;
    ev:status ev:Met ;
    ev:date "2026-01-15"^^xsd:date ;
    ev:artifact "https://docs.acme.example/policy-v4"^^xsd:anyURI ;
    prov:wasAttributedTo ex:auditor .
ex:alpha-2026q1 ev:drawsOn ex:org-policy .
ex:beta-2026q1 ev:drawsOn ex:org-policy .
"""
    path = tmp_path / "shared.ttl"
    path.write_text(text, encoding="utf-8")
    result = assess([path])
    assert _outcome(result, "AH-1", L2[0]) == EV.Met and _outcome(result, "BS-2", L2[0]) == EV.Met
    assert _outcome(result, "AH-1", L2[1]) == EV.Met and _outcome(result, "BS-2", L2[1]) == EV.Unknown
    path.write_text(text.replace("ex:beta-2026q1 ev:drawsOn ex:org-policy .", ""), encoding="utf-8")
    assert _outcome(assess([path]), "BS-2", L2[0]) == EV.Unknown


def test_evidence_outside_every_assessment_is_refused_naming_it(two_products, tmp_path):
    stray = tmp_path / "stray.ttl"
    stray.write_text(HEAD + claim("stray", "alpha", L2[1]).replace("    ev:inAssessment ex:alpha-2026q1 ;\n", ""),
                     encoding="utf-8")
    report = validate_evidence([two_products, stray])
    assert not report.conforms
    [violation] = report.violations
    assert violation.focus == "ex:stray" and violation.file == str(stray)
    assert "belongs to no assessment" in violation.message and "ev:drawsOn" in violation.message
    with pytest.raises(MaturityGraphError, match="ex:stray.*belongs to no assessment"):
        assess([two_products, stray])


def test_evidence_in_two_assessments_is_refused(two_products, tmp_path):
    double = tmp_path / "double.ttl"
    double.write_text(HEAD + "ex:alpha-policy ev:inAssessment ex:beta-2026q1 .\n", encoding="utf-8")
    report = validate_evidence([two_products, double])
    assert any(v.focus == "ex:alpha-policy" and "never pooled" in v.message for v in report.violations)


def test_evidence_naming_no_assessment_is_assessed_as_one(tmp_path):
    path = tmp_path / "bare.ttl"
    bare = claim("only", "x", L2[0]).replace("    ev:inAssessment ex:x-2026q1 ;\n", "")
    path.write_text(HEAD + bare, encoding="utf-8")
    result = assess([path], as_of=dt.date(2026, 3, 31))
    assert [fa.scope.iri for fa in result.frameworks] == [None]
    assert result.framework("sbd").requirements[URIRef(
        "https://w3id.org/maturity-graph/framework/sbd/2025-06-18/" + L2[0])].outcome == EV.Met


def test_result_iris_are_unique_per_assessment_and_name_it(two_products):
    result = assess([two_products])
    graph = result.graph
    nodes = set(graph.subjects(EV.assessment, None))
    assessments = set(graph.objects(None, EV.assessment))
    per_assessment = {a: {n for n in nodes if (n, EV.assessment, a) in graph} for a in assessments}
    assert len(per_assessment) == 2
    a, b = per_assessment.values()
    assert a and b and not (a & b)
    for assessment in per_assessment:
        assert graph.value(graph.value(assessment, EV.subject), URIRef("http://www.w3.org/2000/01/rdf-schema#label"))
    # two runs' result graphs merged lose nothing
    other = assess([two_products], as_of=dt.date(2026, 4, 30)).graph
    merged = Graph()
    merged += graph
    merged += other
    both = set(merged.subjects(EV.assessment, None))
    assert len(both) == len(nodes) + len(set(other.subjects(EV.assessment, None)))


def test_json_names_every_assessment_and_the_subject_of_every_result(two_products, capsys):
    assert main(["assess", str(two_products), "-f", "json"]) == 0
    body = json.loads(capsys.readouterr().out)
    keys = {a["key"]: a["subject"]["id"] for a in body["assessments"]}
    assert sorted(keys.values()) == ["AH-1", "BS-2"]
    assert all(r["assessment"] in keys and r["subject"] == keys[r["assessment"]] for r in body["results"])
    assert {f["subject"] for f in body["frameworks"]} == {"AH-1", "BS-2"}
    overall = next(p for p in body["portfolio"] if p["kind"] == "overall")
    assert overall["subjects"] == 2 and overall["rule"]["ours"] is True


def test_the_table_is_a_portfolio_grid_and_one_subject_a_scorecard(two_products, capsys):
    assert main(["assess", str(two_products)]) == 0
    out = capsys.readouterr().out
    assert "2 subjects" in out and "Alpha Hub" in out and "Beta Sensor" in out
    assert "LOWEST" in out and "MEDIAN" in out and "SPO = Security Policy & Ownership" in out
    assert main(["assess", str(two_products), "--subject", "AH-1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Alpha Hub (product AH-1), Acme Devices: Secure-by-Design") and "LOWEST" not in out


def test_the_gaps_query_keeps_each_subject_to_its_own_reasons(two_products, capsys):
    assert main(["query", "--named", "gaps-to-next-stage", str(two_products), "-f", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)["results"]
    spo = {(r["subject"], r["reason"]) for r in rows if r["requirementId"] == "SBD-SPO-L2-1"}
    assert spo == {("Beta Sensor", "current evidence says it is not met")}


# --------------------------------------------------------------------------- the portfolio roll-up

STAGES = st.lists(st.one_of(st.none(), st.integers(min_value=0, max_value=4)), min_size=2, max_size=9)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ranks=STAGES)
def test_the_portfolio_roll_up_is_the_lowest_and_lower_median_of_the_assessed(ranks, tmp_path_factory):
    """Against a plain reading of the rule: subjects not assessed are counted apart, never as the lowest."""
    result = _portfolio_of(ranks)
    overall = next(p for p in portfolio(result.frameworks, result.catalogue) if p.kind == "overall")
    assessed = sorted(r for r in ranks if r is not None)
    assert overall.subjects == len(ranks) and overall.assessed == len(assessed)
    if assessed:
        assert (overall.lowest.rank if overall.lowest else 0) == assessed[0]
        assert (overall.median.rank if overall.median else 0) == assessed[(len(assessed) - 1) // 2]
        assert sum(c.subjects for c in overall.counts) == len(assessed)
    else:
        assert overall.lowest is None and overall.median is None and not overall.counts


def _portfolio_of(ranks):
    """An AssessmentResult of one SbD overall result per subject, with the given ranks (None: not assessed)."""
    base = _northwind().framework("sbd")
    overall = next(r for r in base.results if r.kind == "overall")
    catalogue = load_catalogue()
    stage = {s.rank: StageRef(s.rank, s.label, s.iri) for s in catalogue.rules(catalogue.get("sbd")).stages}
    day = dt.date(2026, 3, 31)
    members = []
    for n, rank in enumerate(ranks):
        changed = replace(overall, assessed=rank is not None, stage=stage.get(rank) if rank else None)
        subject = Subject(URIRef(f"https://example.org/s{n}"), f"S{n}", f"Subject {n}")
        scope = AssessmentScope(URIRef(f"https://example.org/a{n}"), f"s{n}", subject, None, day)
        members.append(FrameworkAssessment("sbd", base.label, base.version, base.target, [changed], scope=scope,
                                           as_of=day))
    return AssessmentResult(day, members, catalogue)


@cache
def _northwind():
    return assess([REPO / "examples" / "northwind-devices" / "sbd-evidence.ttl"])


def test_only_each_subjects_latest_assessment_counts(tmp_path):
    text = HEAD + product("alpha", "Alpha Hub", "AH-1", "2026-03-31") + product("beta", "Beta Sensor", "BS-2")
    text += product("alpha-later", "Alpha Hub", "AH-1", "2026-09-30").replace("ex:alpha-later a ev:Product ;",
                                                                              "ex:alpha-later-node a ev:Product ;")
    text = text.replace("ev:subject ex:alpha-later ;", "ev:subject ex:alpha ;").replace(
        'ex:alpha-later-node a ev:Product ; rdfs:label "Alpha Hub" ; ev:identifier "AH-1" .', "")
    text += claim("alpha-policy", "alpha", L2[0]) + claim("beta-policy", "beta", L2[0])
    text += claim("alpha-later-policy", "alpha-later", L2[0], "NotMet", "2026-09-01")
    path = tmp_path / "history.ttl"
    path.write_text(text, encoding="utf-8")
    result = assess([path])
    assert len(result.frameworks) == 3
    spo = next(p for p in result.portfolio if p.id == "SPO")
    assert spo.subjects == 2  # AH-1 once, by its September assessment


def test_a_chosen_framework_assesses_the_assessments_about_it(two_products, tmp_path):
    component = tmp_path / "component.ttl"
    component.write_text(HEAD + """
@prefix ztmm: <https://w3id.org/maturity-graph/framework/ztmm/2.0/> .
ex:hr a ev:AgencyComponent ; rdfs:label "Human Resources" ; ev:identifier "HR" .
ex:hr-2026q1 a ev:Assessment ; ev:subject ex:hr ; ev:organisation ex:acme ;
    ev:framework ztmm:model ; ev:assessmentDate "2026-03-31"^^xsd:date .
""", encoding="utf-8")
    result = assess([two_products, component])
    assert sorted((fa.framework, fa.scope.subject.id) for fa in result.frameworks) == [
        ("sbd", "AH-1"), ("sbd", "BS-2"), ("ztmm", "HR")]
    only = assess([two_products, component], frameworks=["sbd"])
    assert sorted(fa.scope.subject.id for fa in only.frameworks) == ["AH-1", "BS-2"]
    neither = assess([two_products, component], frameworks=["cnamm"])  # about none: every assessment, as asked
    assert len(neither.frameworks) == 3 and not any(r.assessed for r in neither.results)


def test_each_assessment_works_in_graphs_of_its_own_and_leaves_none_behind(two_products):
    from maturity_graph import open_store
    from maturity_graph.namespaces import CONTENT_GRAPH, is_evidence_graph

    store = open_store()
    try:
        result = assess([two_products], store=store)
        assert len(result.frameworks) == 2
        assert all(g == CONTENT_GRAPH or is_evidence_graph(g) for g in store.graph_names())
    finally:
        store.close()


def test_decided_graphs_are_each_assessments_own_only_among_several(two_products):
    """graph:current is written once for all assessments (stand-ins keep them apart); results go to graphs
    of their own."""
    from maturity_graph.assessment.scopes import decided_graph
    from maturity_graph.namespaces import DECIDED_GRAPH

    scopes = assess([two_products]).scopes
    assert decided_graph(scopes[0], alone=True) == DECIDED_GRAPH
    mine, theirs = decided_graph(scopes[0], alone=False), decided_graph(scopes[1], alone=False)
    assert mine != theirs and str(mine).endswith(scopes[0].key)


def test_an_assessment_named_by_a_blank_node_is_refused(tmp_path):
    """Its results could not name it, and its evidence would be neither assessed nor pooled: refused."""
    path = tmp_path / "blank.ttl"
    path.write_text(HEAD + '_:a a ev:Assessment ; ev:assessmentDate "2026-03-31"^^xsd:date .\n'
                    + claim("only", "x", L2[0]).replace("ex:x-2026q1", "_:a"), encoding="utf-8")
    for engine in ("sparql", "pyshacl"):
        report = validate_evidence([path], engine=engine)
        assert [v.message for v in report.violations] == [
            "an assessment must be named by an IRI (not a blank node): its results and its evidence's "
            "ev:inAssessment name it"]


BATCH_REQUIREMENTS = [*L2, "security-policy-ownership-level-3-r1", "security-policy-ownership-level-3-r2"]
BATCH_PRODUCTS = [("alpha", "Alpha Hub", "AH-1"), ("beta", "Beta Sensor", "BS-2"), ("gamma", "Gamma Gate", "GG-3")]


def _comparable(fa: FrameworkAssessment) -> tuple[object, ...]:
    """What an assessment found, without the IRIs that name the run's own nodes."""
    results = [(r.kind, r.id, r.stage.rank if r.stage else None, r.score, r.note, r.assessed, r.gaps)
               for r in fa.results]
    outcomes = sorted((str(o.requirement), str(o.outcome), o.reason, o.satisfied, o.evidence)
                      for o in fa.requirements.values())
    return fa.as_of, results, outcomes


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(claims=st.lists(st.tuples(st.integers(0, 2), st.sampled_from(BATCH_REQUIREMENTS),
                                 st.sampled_from(["Met", "NotMet", "Unknown", "NotApplicable"]),
                                 st.integers(0, 500)), min_size=1, max_size=12),
       days=st.lists(st.sampled_from(["2026-03-31", "2026-09-30"]), min_size=3, max_size=3),
       validity=st.lists(st.one_of(st.none(), st.integers(30, 400)), min_size=3, max_size=3))
def test_assessed_together_each_assessment_is_as_if_it_were_alone(claims, days, validity, tmp_path_factory):
    """One run judges and decides every assessment at once (stand-ins keep them apart): each result must be
    what the same evidence gives when its assessment is the only one in the file."""
    folder = tmp_path_factory.mktemp("batch")
    texts = []
    for index, (key, label, code) in enumerate(BATCH_PRODUCTS):
        text = product(key, label, code, days[index])
        if validity[index] is not None:
            text += f"ex:{key}-2026q1 ev:evidenceValidityDays {validity[index]} .\n"
        for number, (owner, requirement, status, age) in enumerate(claims):
            if owner == index:
                day = (dt.date(2026, 9, 30) - dt.timedelta(days=age)).isoformat()
                text += claim(f"{key}-claim-{number}", key, requirement, status, day)
        texts.append(text)
    together = folder / "together.ttl"
    together.write_text(HEAD + "".join(texts), encoding="utf-8")
    result = assess([together], frameworks=["sbd"])
    with mock.patch.object(freshness, "JUDGED_AT_ONCE", 2):  # judged in two passes: 2 assessments, then 1
        in_passes = assess([together], frameworks=["sbd"])
    for (key, _, code), text in zip(BATCH_PRODUCTS, texts, strict=True):
        alone = folder / f"{key}.ttl"
        alone.write_text(HEAD + text, encoding="utf-8")
        expected = _comparable(assess([alone], frameworks=["sbd"]).framework("sbd"))
        assert _comparable(result.framework("sbd", subject=code)) == expected
        assert _comparable(in_passes.framework("sbd", subject=code)) == expected
