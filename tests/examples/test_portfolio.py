"""The bundled portfolio example assesses to the results documented in docs/portfolio.md (issue 10).

examples/alder-robotics/ holds a fictional robot maker's evidence at two snapshots: three products
against SbD and two AWS accounts against CSMM, one assessment per subject, and one company-wide
policy that the product assessments share through ev:drawsOn. The documented tables are parsed here,
so the docs, the example and the portfolio roll-up cannot drift apart.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal

import pytest
from rdflib import RDF, RDFS, Dataset, Graph, Namespace, URIRef

from maturity_graph import EvidenceError, assess, validate_evidence
from maturity_graph.cli import main
from tests.conftest import REPO

EXAMPLES = REPO / "examples" / "alder-robotics"
SNAPSHOTS = {"Q1": EXAMPLES / "portfolio-2026q1.ttl", "Q3": EXAMPLES / "portfolio-2026q3.ttl"}
DAYS = {"Q1": dt.date(2026, 3, 31), "Q3": dt.date(2026, 9, 30)}
DOC = REPO / "docs" / "portfolio.md"
FRAMEWORKS = {"Secure-by-Design": "sbd", "CSMM": "csmm"}
PRODUCTS = {"AMR-MAKO", "ARM-HERON", "SVC-FLEETVIEW"}
ACCOUNTS = {"318640227154", "902177340615"}
EV = Namespace("https://w3id.org/maturity-graph/ev#")
PROV = Namespace("http://www.w3.org/ns/prov#")
SBD = Namespace("https://w3id.org/maturity-graph/framework/sbd/2025-06-18/")
POLICY = URIRef("https://example.org/alder-product-security-policy-v4")
RESULT_CLASSES = (EV.RequirementResult, EV.CapabilityResult, EV.DimensionResult, EV.OverallResult,
                  EV.PortfolioResult)
DRAWS_ON = "    ev:drawsOn ex:alder-product-security-policy-v4 .\n"

Cell = tuple[int | None, Decimal | None]  # (rank, 0 below the first stage, None not assessed; score)


# --------------------------------------------------------------------------- the documented tables


def documented() -> dict[tuple[str, str], tuple[list[str], dict[str, dict[str, Cell]]]]:
    """(snapshot, framework id) -> (columns, {subject id or LOWEST/MEDIAN: {column: (rank, score)}})."""
    text = DOC.read_text(encoding="utf-8")
    expected = text.split("## Expected results of the example", 1)[1].split("\n## ", 1)[0]
    tables = {}
    for part in expected.split("\n### ")[1:]:
        heading, body = part.split("\n", 1)
        match = re.fullmatch(r"(Q[13]) 2026 \(portfolio-2026q[13]\.ttl\), (Secure-by-Design|CSMM)", heading.strip())
        assert match, heading
        lines = [line for line in body.splitlines() if line.startswith("|")]
        header = [c.strip() for c in lines[0].strip("|").split("|")]
        assert header[0] == "subject" and set(lines[1]) <= set("|-"), lines[:2]
        rows: dict[str, dict[str, Cell]] = {}
        for line in lines[2:]:
            first, *cells = [c.strip() for c in line.strip("|").split("|")]
            name = first if first in ("LOWEST", "MEDIAN") else re.fullmatch(r".+ \((\S+)\)", first).group(1)
            assert len(cells) == len(header) - 1, line
            rows[name] = dict(zip(header[1:], (_cell(c) for c in cells), strict=True))
        tables[(match.group(1), FRAMEWORKS[match.group(2)])] = (header[1:], rows)
    assert set(tables) == {(s, f) for s in SNAPSHOTS for f in FRAMEWORKS.values()}
    return tables


def _cell(text: str) -> Cell:
    match = re.fullmatch(r"(\d|-)(?: \((\d+\.\d+)\))?", text)
    assert match, text
    rank = None if match.group(1) == "-" else int(match.group(1))
    return rank, Decimal(match.group(2)) if match.group(2) else None


def _rank(stage, assessed: bool) -> int | None:
    return stage.rank if stage is not None else (0 if assessed else None)


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def results():
    return {name: assess([path]) for name, path in SNAPSHOTS.items()}


def _edited(tmp_path, snapshot: str, old: str, new: str, *, count: int = 1, after: str = ""):
    """A copy of a snapshot with `old` replaced by `new` (only its first occurrence after `after`, if given)."""
    text = SNAPSHOTS[snapshot].read_text(encoding="utf-8")
    if after:
        start = text.index(after)
        head, tail = text[:start], text[start:]
        assert old in tail, old
        text = head + tail.replace(old, new, 1)
    else:
        assert text.count(old) == count, old
        text = text.replace(old, new)
    path = tmp_path / SNAPSHOTS[snapshot].name
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- the documented results


@pytest.mark.parametrize("snapshot", sorted(SNAPSHOTS))
@pytest.mark.parametrize("fw_id", sorted(FRAMEWORKS.values()))
def test_example_matches_the_docs(results, snapshot, fw_id):
    columns, rows = documented()[(snapshot, fw_id)]
    outcome = results[snapshot]
    subjects = {fa.scope.subject.id for fa in outcome.frameworks if fa.framework == fw_id}
    assert set(rows) == subjects | {"LOWEST", "MEDIAN"}
    for subject in subjects:
        fa = outcome.framework(fw_id, subject=subject)
        assert fa.as_of == DAYS[snapshot]
        assert [r.id for r in fa.results] == columns
        for r in fa.results:
            rank, score = rows[subject][r.id]
            assert _rank(r.stage, r.assessed) == rank, (subject, r.id)
            if score is not None or fw_id == "csmm":
                assert r.score == score, (subject, r.id)
    spread = {p.id: p for p in outcome.portfolio if p.framework == fw_id}
    assert list(spread) == columns
    for id_, p in spread.items():
        assert p.subjects == p.assessed == len(subjects)
        assert _rank(p.lowest, p.assessed > 0) == rows["LOWEST"][id_][0], id_
        assert _rank(p.median, p.assessed > 0) == rows["MEDIAN"][id_][0], id_


def test_documented_rollup_follows_the_rule():
    """The LOWEST and MEDIAN rows follow from the subject rows by mm:PortfolioRollUp: the lowest stage, and
    the median (of an even number of subjects the lower middle one, so always a stage some subject reached)."""
    for columns, rows in documented().values():
        subjects = [row for name, row in rows.items() if name not in ("LOWEST", "MEDIAN")]
        for column in columns:
            ranks = sorted(row[column][0] for row in subjects)
            assert rows["LOWEST"][column][0] == ranks[0], column
            assert rows["MEDIAN"][column][0] == ranks[(len(ranks) - 1) // 2], column


def test_the_documented_reasons(results):
    """The "why" of the notable cells: withdrawn, expired, superseded, gated."""
    q1, q3 = results["Q1"], results["Q3"]
    sst = {g.id: g.reason for g in q3.framework("sbd", subject="AMR-MAKO").get("SST").gaps}
    assert sst == {"SBD-SST-L3-3": "current evidence says it is not met"}
    trn = {g.id: g.reason for g in q3.framework("sbd", subject="SVC-FLEETVIEW").get("TRN").gaps}
    assert trn["SBD-TRN-L3-1"] == trn["SBD-TRN-L3-2"] == "evidence from 2025-09-12 expired on 2026-09-12"
    sbm = {g.id: g.reason for g in q1.framework("sbd", subject="ARM-HERON").get("SBM").gaps}
    assert sbm["SBD-SBM-L3-1"] == "current evidence says it is not met"
    assert q3.framework("sbd", subject="ARM-HERON").get("SBM").stage.rank == 3  # the newer "met" supersedes it
    assert {g.id for g in q3.framework("sbd", subject="ARM-HERON").get("TPV").gaps} == {"SBD-TPV-L3-1"}
    iam = q1.framework("csmm", subject="902177340615").get("IAM-P")
    assert [g.id for g in iam.gaps] == ["CSMM-IAM-L1-KEYROT"]
    first = iam.working[0]
    assert (first.passed, first.total, first.gate_passed) == (Decimal(11), Decimal(14), False)
    assert [g.id for g in q1.framework("csmm", subject="318640227154").get("STO-P").gaps] == ["CSMM-STO-L3-CLASS"]


def test_evidence_is_dated_within_its_snapshot_and_attested():
    """Plausible evidence: dated on or before the snapshot, CSMM's within its 30 days, met items with an
    artifact, every item attributed to a named person."""
    for snapshot, path in SNAPSHOTS.items():
        graph = Graph().parse(path)
        items = set(graph.subjects(EV.addresses, None))
        assert len(items) > 40
        for item in items:
            day = graph.value(item, EV.date).toPython()
            assert day <= DAYS[snapshot], item
            if any(str(r).startswith("https://w3id.org/maturity-graph/framework/csmm/")
                   for r in graph.objects(item, EV.addresses)):
                assert (DAYS[snapshot] - day).days < 30, item
            if graph.value(item, EV.status) == EV.Met:
                assert graph.value(item, EV.artifact) is not None, item
            else:
                assert graph.value(item, EV.note) is not None, item
            person = graph.value(item, PROV.wasAttributedTo)
            assert (person, RDF.type, PROV.Person) in graph and graph.value(person, RDFS.label), item


# --------------------------------------------------------------------------- shared evidence


def test_the_shared_policy_counts_for_every_product(results):
    for snapshot, outcome in results.items():
        graph = Graph().parse(SNAPSHOTS[snapshot])
        assert graph.value(POLICY, EV.inAssessment) is None
        assert len(set(graph.subjects(EV.drawsOn, POLICY))) == 3
        for product in PRODUCTS:
            fa = outcome.framework("sbd", subject=product)
            requirement = fa.requirements[SBD["security-policy-ownership-level-2-r1"]]
            assert requirement.satisfied and requirement.evidence == (POLICY,), (snapshot, product)
            assert fa.get("SPO").stage.rank == 3
        for account in ACCOUNTS:
            relied = {e for o in outcome.framework("csmm", subject=account).requirements.values() for e in o.evidence}
            assert POLICY not in relied


def test_removing_a_draws_on_changes_only_that_product(results, tmp_path):
    """Heron without its ev:drawsOn has no evidence on policy at all: never borrowed from the others."""
    path = _edited(tmp_path, "Q1", "    ev:framework sbd:model ;\n" + DRAWS_ON, "    ev:framework sbd:model .\n",
                   after="ex:alder-q1-heron-sbd a ev:Assessment ;\n")
    outcome = assess([path])
    heron = outcome.framework("sbd", subject="ARM-HERON")
    assert {id_: heron.get(id_).assessed for id_ in ("SPO", "D1", "sbd")} == {"SPO": False, "D1": False, "sbd": False}
    assert heron.get("RSK").stage.rank == 3
    before = results["Q1"]
    for product in PRODUCTS - {"ARM-HERON"}:
        assert ([(r.id, r.stage) for r in outcome.framework("sbd", subject=product).results]
                == [(r.id, r.stage) for r in before.framework("sbd", subject=product).results])
    spo = next(p for p in outcome.portfolio if p.id == "SPO")
    assert (spo.subjects, spo.assessed) == (3, 2)


@pytest.mark.parametrize("case", ["item without assessment", "policy drawn on by none"])
def test_evidence_outside_every_assessment_fails_validation(tmp_path, case):
    if case == "item without assessment":
        path = _edited(tmp_path, "Q3", "    ev:inAssessment ex:alder-q3-heron-sbd ;\n", "",
                       after="ex:alder-q3-heron-sbom a ev:Attestation ;\n")
        node = "ex:alder-q3-heron-sbom"
    else:
        path = _edited(tmp_path, "Q3", "    ev:framework sbd:model ;\n" + DRAWS_ON, "    ev:framework sbd:model .\n",
                       count=3)
        node = "ex:alder-product-security-policy-v4"
    report = validate_evidence([path])
    assert not report.conforms
    assert [(v.focus.strip("<>"), v.path) for v in report.violations] == [(node, "ev:inAssessment")]
    assert report.violations[0].file == str(path)
    with pytest.raises(EvidenceError) as raised:
        assess([path])
    assert node in str(raised.value) and "belongs to no assessment" in str(raised.value)
    assert "\n" not in str(raised.value)


# --------------------------------------------------------------------------- what names whose result


def test_json_lists_every_assessment_and_every_result_names_its_subject(capsys):
    code = main(["assess", str(SNAPSHOTS["Q1"]), "-f", "json"])
    body = json.loads(capsys.readouterr().out)
    assert code == 0
    assessments = body["assessments"]
    assert len(assessments) == 5
    assert {a["subject"]["id"] for a in assessments} == PRODUCTS | ACCOUNTS
    assert {a["date"] for a in assessments} == {"2026-03-31"}
    keys = {a["key"]: a["subject"]["id"] for a in assessments}
    assert len(keys) == 5
    per_subject: dict[str, int] = {}
    for r in body["results"]:
        assert keys[r["assessment"]] == r["subject"]
        per_subject[r["subject"]] = per_subject.get(r["subject"], 0) + 1
    assert per_subject == {**dict.fromkeys(PRODUCTS, 13 + 4 + 1), **dict.fromkeys(ACCOUNTS, 5 + 1)}
    assert all(keys[f["assessment"]] == f["subject"] for f in body["frameworks"])
    overall = {(p["framework"], p["id"]): p for p in body["portfolio"] if p["kind"] == "overall"}
    assert overall[("sbd", "sbd")]["lowest_subjects"] == ["ARM-HERON"]
    assert overall[("csmm", "csmm")]["distribution"][0] == {"stage": None, "subjects": 1}  # alder-build, below L1


def test_result_graphs_of_both_snapshots_keep_every_result(results):
    """Result IRIs are unique per assessment: two runs loaded into one store lose nothing."""
    graphs = [results[s].graph for s in sorted(SNAPSHOTS)]
    nodes = [{n for cls in RESULT_CLASSES for n in g.subjects(RDF.type, cls)} for g in graphs]
    assert all(len(n) > 400 for n in nodes)
    store = Dataset()
    for i, g in enumerate(graphs):
        named = store.graph(URIRef(f"urn:test:run-{i}"))
        named += g
    shared = graphs[0] & graphs[1]  # only the subjects' names: the same five subjects in both runs
    assert {s for s in shared.subjects()} == {fa.scope.subject.iri for fa in results["Q1"].frameworks}
    assert {p for p in shared.predicates()} == {RDFS.label, EV.identifier}
    together = {n for cls in RESULT_CLASSES for n, *_ in store.quads((None, RDF.type, cls, None))}
    assert len(together) == sum(len(n) for n in nodes)
    for g in graphs:
        stage_results = {n for cls in RESULT_CLASSES[:-1] for n in g.subjects(RDF.type, cls)}
        assert all(g.value(n, EV.assessment) is not None for n in stage_results)


def test_both_snapshots_together_roll_up_each_subjects_latest(results):
    both = assess([SNAPSHOTS["Q1"], SNAPSHOTS["Q3"]])
    assert len(both.scopes) == 10
    latest = {(p.framework, p.id): (_rank(p.lowest, p.assessed > 0), _rank(p.median, p.assessed > 0), p.subjects)
              for p in both.portfolio}
    q3 = {(p.framework, p.id): (_rank(p.lowest, p.assessed > 0), _rank(p.median, p.assessed > 0), p.subjects)
          for p in results["Q3"].portfolio}
    assert latest == q3


def test_subject_option_picks_some(results):
    picked = assess([SNAPSHOTS["Q1"]], subjects=["AMR-MAKO", "alder-fleet-prod"])
    assert sorted((fa.framework, fa.scope.subject.id) for fa in picked.frameworks) == [
        ("csmm", "318640227154"), ("sbd", "AMR-MAKO")]
    for fa in picked.frameworks:
        before = results["Q1"].framework(fa.framework, subject=fa.scope.subject.id)
        assert [(r.id, r.stage, r.score) for r in fa.results] == [(r.id, r.stage, r.score) for r in before.results]
    assert picked.portfolio == []  # one subject per framework: nothing to roll up
