"""A scan's evidence joins an assessment described elsewhere (`--assessment IRI`, issue 10).

Fernhill's CSMM example is a Prowler scan plus hand-written attestations for the controls no
scanner sees. Evidence is never pooled across assessments, so the scan's findings join the
attestations' assessment explicitly; the import then writes no assessment, subject, date or
organisation of its own. tests/data/prowler/ocsf-three-accounts.json (three accounts, see
test_prowler_subjects.py) is the scan of several subjects that cannot join one assessment.
"""
from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import RDF, Graph, URIRef

from maturity_graph import assess
from maturity_graph.cli import main
from maturity_graph.errors import InputError
from maturity_graph.evidence.findings import import_prowler, joined_assessment, write_prowler_import
from maturity_graph.namespaces import EV
from maturity_graph.validate.wellformed import validate_evidence
from tests.conftest import REPO

EXAMPLES_DIR = REPO / "examples" / "fernhill-payments"
EXAMPLE = EXAMPLES_DIR / "prowler-scan.ocsf.json"
ATTESTATIONS = EXAMPLES_DIR / "attestations.ttl"
FERNHILL = "https://example.org/fernhill-csmm-2026-11"  # ex:fernhill-csmm-2026-11 of attestations.ttl
THREE = REPO / "tests" / "data" / "prowler" / "ocsf-three-accounts.json"
PROD, STAGING, SANDBOX = "111111111111", "222222222222", "333333333333"
OWN_NODES = (EV.subject, EV.assessmentDate, EV.organisation, EV.framework)  # what the describing file owns
EXAMPLES = int(os.environ.get("MGRAPH_FUZZ_EXAMPLES", "60"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _findings_in(graph: Graph) -> dict[URIRef, list]:
    return {f: list(graph.objects(f, EV.inAssessment)) for f in graph.subjects(RDF.type, EV.Finding)}


def _assert_joined(graph: Graph, iri: str) -> None:
    """Every evidence item is in exactly `iri`; the import describes no assessment and no subject."""
    findings = _findings_in(graph)
    assert findings and all(owners == [URIRef(iri)] for owners in findings.values())
    assert set(graph.subjects(EV.inAssessment, None)) == set(findings)  # nothing else claims an assessment
    assert not set(graph.subjects(RDF.type, EV.Assessment))
    for prop in OWN_NODES:
        assert not list(graph.subject_objects(prop)), prop
    for kind in (EV.Subject, EV.CloudAccount, EV.Product, EV.BusinessUnit, EV.AgencyComponent):
        assert not list(graph.subjects(RDF.type, kind)), kind
    assert not any(isinstance(s, URIRef) and s == URIRef(iri) for s in graph.subjects())


# --------------------------------------------------------------------------- joining


def test_the_example_scan_joins_the_attestations_assessment():
    own, joined = import_prowler(EXAMPLE), import_prowler(EXAMPLE, assessment=FERNHILL)
    _assert_joined(joined.graph, FERNHILL)
    (entry,) = joined.subjects
    assert entry.assessment == URIRef(FERNHILL) and entry.subject is None
    assert entry.accounts == ("210987654321",) and entry.results == 212
    assert joined.statuses == own.statuses
    # the same evidence as the import's own assessment, but in the joined one
    (mine,) = own.subjects
    dropped = {mine.assessment, mine.subject}
    expected = {(s, p, URIRef(FERNHILL) if o == mine.assessment else o)
                for s, p, o in own.graph if s not in dropped}
    assert set(joined.graph) == expected


@pytest.mark.parametrize("fmt", ["turtle", "nt"])
def test_the_streamed_join_holds_exactly_the_graph(tmp_path: Path, fmt: str):
    out = tmp_path / f"scan.{fmt}"
    summary = write_prowler_import(EXAMPLE, out, fmt=fmt, assessment=FERNHILL)
    imported = import_prowler(EXAMPLE, assessment=FERNHILL)
    assert set(Graph().parse(out, format=fmt)) == set(imported.graph)
    assert summary.subjects == imported.subjects


def test_joined_with_the_attestations_it_is_one_well_formed_assessment(tmp_path: Path):
    scan = tmp_path / "scan.ttl"
    import_prowler(EXAMPLE, assessment=FERNHILL).graph.serialize(scan, format="turtle")
    checked = validate_evidence([scan, ATTESTATIONS])
    assert checked.conforms, [v.sentence() for v in checked.violations]
    result = assess([scan, ATTESTATIONS], frameworks=["csmm"])
    (csmm,) = [fa for fa in result.frameworks if fa.framework == "csmm"]
    assert csmm.scope is not None and csmm.scope.iri == URIRef(FERNHILL)
    assert csmm.scope.subject is not None and csmm.scope.subject.id == "210987654321"
    assert csmm.scope.subject.label == "fernhill-prod"
    # the scan's findings count in it: its NotMet SSH finding holds Networking below L1
    assert csmm.get("NET-P").stage is None and csmm.get("NET-P").assessed
    alone = validate_evidence([scan])  # alone it names an assessment nobody describes
    assert not alone.conforms


def test_a_scan_mapped_to_one_subject_may_join(tmp_path: Path):
    table = tmp_path / "map.csv"
    table.write_text(f"account,subject,kind\n{PROD},Payments,product\n{STAGING},Payments,product\n"
                     f"{SANDBOX},Payments,product\n", encoding="utf-8")
    joined = import_prowler(THREE, subject_map=table, assessment="urn:example:payments-2026")
    _assert_joined(joined.graph, "urn:example:payments-2026")
    (entry,) = joined.subjects
    assert set(entry.accounts) == {PROD, STAGING, SANDBOX} and entry.results == 41
    assert entry.statuses == import_prowler(THREE, subject="Payments").subjects[0].statuses
    whole = import_prowler(THREE, subject="Payments", assessment="urn:example:payments-2026")
    assert set(whole.graph) == set(joined.graph)
    out = tmp_path / "scan.ttl"
    assert main(["evidence", "import", "--from", "prowler", str(THREE), "--subject-map", str(table),
                 "--assessment", "urn:example:payments-2026", "-o", str(out), "-q"]) == 0
    _assert_joined(Graph().parse(out), "urn:example:payments-2026")


# --------------------------------------------------------------------------- refused


@pytest.mark.parametrize("mapped", ["", f"account,subject\n{PROD},Payments\n{STAGING},Payments\n"],
                         ids=["per-account", "partly-mapped"])
def test_several_subjects_cannot_join_one_assessment(tmp_path: Path, mapped: str):
    table = None
    if mapped:
        table = tmp_path / "map.csv"
        table.write_text(mapped, encoding="utf-8")
    with pytest.raises(InputError) as info:
        import_prowler(THREE, subject_map=table, assessment=FERNHILL)
    text = str(info.value)
    assert all(account in text for account in (PROD, STAGING, SANDBOX)), text
    assert "--subject-map" in text and FERNHILL in text and "\n" not in text
    assert info.value.path == str(THREE)


@pytest.mark.parametrize("fmt", ["turtle", "nt", "jsonld"])
def test_the_cli_refuses_several_accounts_and_writes_nothing(tmp_path: Path, capsys, fmt: str):
    out = tmp_path / "never.ttl"
    assert main(["evidence", "import", "--from", "prowler", str(THREE), "--assessment", FERNHILL,
                 "-f", fmt, "-o", str(out), "-q"]) == 2
    captured = capsys.readouterr()
    (line,) = captured.err.strip().splitlines()
    assert line.startswith(f"mgraph: error: {THREE}: ") or line.startswith(f"error: {THREE}: "), line
    assert PROD in line and STAGING in line and SANDBOX in line and "--subject-map" in line
    assert not out.exists() and not list(tmp_path.iterdir())
    assert main(["evidence", "import", "--from", "prowler", str(THREE), "--assessment", FERNHILL,
                 "-f", fmt, "-q"]) == 2  # to stdout: nothing half-written there either
    assert capsys.readouterr().out == ""


BAD_IRIS = ["fernhill-csmm-2026-11", "", "   ", "https://example.org/a b", "<https://example.org/a>",
            "https://example.org/{a}", "_:b", "1http://example.org/", "https://example.org/a\"b",
            "https://example.org/a\nb", "https:", "urn:x|y", "https://example.org/a\\b", "urn:a%zz", "http://[x",
            "ab:/#?#"]


@pytest.mark.parametrize("iri", BAD_IRIS)
def test_a_malformed_iri_is_refused(tmp_path: Path, capsys, iri: str):
    with pytest.raises(InputError, match="not an absolute IRI") as info:
        import_prowler(EXAMPLE, assessment=iri)
    assert "\n" not in str(info.value)
    out = tmp_path / "never.ttl"
    assert main(["evidence", "import", "--from", "prowler", str(EXAMPLE), "--assessment", iri,
                 "-o", str(out), "-q"]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    assert not out.exists()


def test_organisation_and_a_sheet_do_not_go_with_assessment(tmp_path: Path, capsys):
    with pytest.raises(InputError, match="organisation"):
        import_prowler(EXAMPLE, assessment=FERNHILL, organisation="Fernhill Payments Ltd")
    out = tmp_path / "never.ttl"
    assert main(["evidence", "import", "--from", "prowler", str(EXAMPLE), "--assessment", FERNHILL,
                 "--organisation", "Fernhill", "-o", str(out), "-q"]) == 2
    assert main(["evidence", "import", str(EXAMPLES_DIR / "csmm-filled.xlsx"), "--assessment", FERNHILL,
                 "-o", str(out), "-q"]) == 2
    err = capsys.readouterr().err
    assert "--assessment is for scanner output" in err and not out.exists()


@FUZZ
@given(parts=st.lists(st.sampled_from([*"ab:/#?=%-.+_1 <>\"{}|^`\\\n\t", "é", "\x00", "\x7f", "http",
                                       "urn:", "https://", "[", "]", "%2F", "@"]), max_size=12),
       scheme=st.sampled_from(["", "https://", "urn:", "a:", "ex:"]))
def test_an_accepted_iri_is_one_turtle_and_oxigraph_read_back(parts: list[str], scheme: str):
    """Whatever is accepted is written as Turtle, read back the same, and loads into Oxigraph."""
    text = scheme + "".join(parts)
    try:
        iri = joined_assessment(text, None)
    except InputError as err:
        assert "\n" not in str(err)
        return
    assert iri is not None and str(iri) == text.strip()
    graph = Graph()
    graph.add((URIRef("urn:x:finding"), EV.inAssessment, iri))
    assert set(Graph().parse(data=graph.serialize(format="turtle"), format="turtle")) == set(graph)
    assert pyoxigraph.NamedNode(str(iri)).value == str(iri)
