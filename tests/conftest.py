"""Shared fixtures: a builder for hand-made SbD evidence graphs."""
from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.badinput.harness import ConnectionCounter

REPO = Path(__file__).resolve().parents[1]
# The shared folder beside the repository (sources, samples, test suites); tests that need it skip without it.
SHARED = REPO.parent / "shared"
SBD = "https://w3id.org/maturity-graph/framework/sbd/2025-06-18/"

HEADER = """@prefix ev: <https://w3id.org/maturity-graph/ev#> .
@prefix sbd: <https://w3id.org/maturity-graph/framework/sbd/2025-06-18/> .
@prefix ex: <https://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .

ex:assessment a ev:Assessment ;
    ev:assessmentDate "{as_of}"^^xsd:date{validity} .

ex:auditor a prov:Person ;
    rdfs:label "Test Auditor" .
"""

STATUS = {"met": "ev:Met", "not_met": "ev:NotMet", "not_applicable": "ev:NotApplicable", "unknown": "ev:Unknown"}


def evidence_turtle(claims, *, as_of="2026-03-31", validity_days=None) -> str:
    """Turtle for a list of (requirement local name, status, date[, artifact?]) claims."""
    validity = f' ;\n    ev:evidenceValidityDays {validity_days}' if validity_days else ""
    parts = [HEADER.format(as_of=as_of, validity=validity)]
    for i, claim in enumerate(claims):
        local, status, date = claim[:3]
        with_artifact = claim[3] if len(claim) > 3 else True
        target = f"<{local}>" if local.startswith("https://") else f"sbd:{local}"
        lines = [f"ex:item-{i} a ev:Attestation", "ev:inAssessment ex:assessment", f"ev:addresses {target}",
                 f"ev:status {STATUS[status]}", f'ev:date "{date}"^^xsd:date', "prov:wasAttributedTo ex:auditor"]
        if with_artifact and status == "met":
            lines.append(f'ev:artifact "https://evidence.example/{i}"^^xsd:anyURI')
        if status == "not_applicable":
            lines.append('ev:note "Not relevant to this product line."')
        parts.append(" ;\n    ".join(lines) + " .\n")
    return "\n".join(parts)


@pytest.fixture(autouse=True, scope="session")
def private_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Compiled SHACL programs go to a folder of the test session (and its subprocesses), never to ~/.cache."""
    previous = os.environ.get("MGRAPH_CACHE_DIR")
    os.environ["MGRAPH_CACHE_DIR"] = str(tmp_path_factory.mktemp("mgraph-cache"))
    yield
    if previous is None:
        os.environ.pop("MGRAPH_CACHE_DIR", None)
    else:
        os.environ["MGRAPH_CACHE_DIR"] = previous


@pytest.fixture
def write_evidence(tmp_path):
    def write(claims, name="evidence.ttl", **kwargs) -> Path:
        path = tmp_path / name
        path.write_text(evidence_turtle(claims, **kwargs), encoding="utf-8")
        return path
    return write


def level(cap: str, n: int, framework: str = "sbd") -> list[str]:
    """The requirements of one capability at one stage: local names for SbD, full IRIs otherwise."""
    from maturity_graph import load_catalogue

    catalogue = load_catalogue()
    rows = catalogue.requirement_rows(catalogue.get(framework))
    found = [str(r.requirement) for r in rows if r.place.capability_id == cap and r.rank == n]
    return [iri[len(SBD):] for iri in found] if framework == "sbd" else found


def up_to(cap: str, top: int, date: str = "2026-03-01", framework: str = "sbd", first: int = 2) -> list[tuple]:
    """Met claims for every requirement of a capability from stage `first` up to `top`."""
    return [(req, "met", date) for n in range(first, top + 1) for req in level(cap, n, framework)]


@pytest.fixture
def listener():
    """A loopback listener counting the connections made to it: nothing we run may connect."""
    counter = ConnectionCounter()
    yield counter
    counter.close()


@pytest.fixture(scope="module")
def module_listener():
    """The same, shared by a module's tests (hypothesis needs it): compare counts before and after."""
    counter = ConnectionCounter()
    yield counter
    counter.close()


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory):
    """A real Oxigraph server (`oxigraph serve`) on a free loopback port, for the whole session: its base URL
    (queries at /query, updates at /update, the Graph Store Protocol at /store). Tests that share it keep
    to graphs of their own, or empty it first. Skips when the oxigraph command is not installed."""
    from tests.engine.store.server import oxigraph_binary, oxigraph_server

    if oxigraph_binary() is None:
        pytest.skip("the oxigraph server is not installed (pip install oxigraph, in the test extra)")
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph-server") / "data") as base:
        yield base
