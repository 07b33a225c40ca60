"""Shared machinery of the per-framework shape tests.

A `Framework` knows where its data and shapes are (from its id alone: the framework file
ontology/frameworks/<id>.ttl, the shapes shapes/<id>/*.ttl plus the core supporting-evidence
shapes), builds evidence graphs and runs pyshacl once per scenario, with one piece of
evidence per requirement, so that a test makes one assertion per requirement.

`FRAMEWORKS` says which standard scenarios each framework runs over all its requirements;
tests/shapes/test_all_frameworks.py runs them, the framework files keep what is their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache, cached_property
from pathlib import Path

from pyshacl import validate
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, SH

ROOT = Path(__file__).parents[2]

MM = Namespace("https://w3id.org/maturity-graph/mm#")
EV = Namespace("https://w3id.org/maturity-graph/ev#")
EX = Namespace("https://example.org/")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
SHAPES_BASE = "https://w3id.org/maturity-graph/shapes/"

ALICE = EX["alice"]
PROWLER = EX["prowler"]


def parse(*paths: Path) -> Graph:
    g = Graph()
    for p in paths:
        g.parse(p, format="turtle")
    return g


@cache
def concepts() -> Graph:
    return parse(ROOT / "ontology/concepts.ttl")


@cache
def ontology() -> Graph:
    return parse(ROOT / "ontology/ev.ttl", ROOT / "ontology/mm.ttl")


@dataclass(frozen=True)
class Scenario:
    """Evidence given to every requirement (None: no evidence at all) and whether each
    requirement must then conform, or be violated by its own property shape."""

    evidence: dict | None
    conforms: bool


SCENARIOS = {
    "met-with-artifact": Scenario(dict(status=EV.Met), True),
    "bare-claim": Scenario(dict(status=EV.Met, artifact=False), False),
    "no-attester": Scenario(dict(status=EV.Met, attester=None), False),
    "not-met": Scenario(dict(status=EV.NotMet), False),
    # the note is the framework's own (Framework.na_note)
    "not-applicable": Scenario(dict(status=EV.NotApplicable, artifact=False), True),
    "no-evidence": Scenario(None, False),
    "scanner-pass": Scenario(dict(status=EV.Met, attester=PROWLER, kind=EV.Finding), True),
    "scanner-fail": Scenario(dict(status=EV.NotMet, attester=PROWLER, kind=EV.Finding), False),
    # measured requirements (mm:threshold) only; see the ZTMM tests
    "below-threshold": Scenario(dict(status=EV.Met, value_delta=Decimal("-0.01")), False),
    "attestation-only": Scenario(dict(status=EV.Met, kind=EV.Attestation), False),
    "wrong-population": Scenario(dict(status=EV.Met, population=EX["some-other-population"]), False),
}

STANDARD = ("met-with-artifact", "bare-claim", "not-met", "not-applicable", "no-evidence")


@dataclass(frozen=True)
class Framework:
    id: str
    evidence_date: str
    na_note: str
    scenarios: tuple[str, ...] = STANDARD
    # agents typed in every scenario graph besides ALICE, a prov:Person
    agents: tuple[tuple[URIRef, URIRef], ...] = ()

    def __repr__(self) -> str:
        return self.id

    # ------------------------------------------------------------ graphs

    @cached_property
    def framework_file(self) -> Path:
        return ROOT / f"ontology/frameworks/{self.id}.ttl"

    @cached_property
    def shape_files(self) -> list[Path]:
        return sorted((ROOT / f"shapes/{self.id}").glob("*.ttl"))

    @cached_property
    def shape_prefix(self) -> str:
        return f"{SHAPES_BASE}{self.id}/"

    @cached_property
    def graph(self) -> Graph:
        return parse(self.framework_file)

    @cached_property
    def shapes(self) -> Graph:
        return parse(ROOT / "shapes/core/supporting-evidence.ttl", *self.shape_files)

    @cached_property
    def requirements(self) -> list[URIRef]:
        return sorted(self.graph.subjects(RDF.type, MM.Requirement))

    @cached_property
    def criteria(self) -> list[URIRef]:
        return sorted(self.graph.subjects(RDF.type, MM.Criterion))

    def identifier(self, node: URIRef) -> str:
        return str(self.graph.value(node, DCTERMS.identifier))

    def ids(self, nodes) -> list[str]:
        return [self.identifier(n) for n in nodes]

    def property_shape(self, req: URIRef) -> URIRef:
        return self.shapes.value(self.graph.value(req, MM.shape), SH.property)

    # ------------------------------------------------------------ validation

    def violations(self, data: Graph) -> dict[URIRef, set]:
        """Focus node -> set of source shapes of its violations."""
        _, report, _ = validate(
            data, shacl_graph=self.shapes, ont_graph=ontology(), advanced=False, inference="none"
        )
        out: dict[URIRef, set] = {}
        for r in report.subjects(RDF.type, SH.ValidationResult):
            if report.value(r, SH.resultSeverity) != SH.Violation:
                continue
            out.setdefault(report.value(r, SH.focusNode), set()).add(report.value(r, SH.sourceShape))
        return out

    def evidence(self, g: Graph, node: URIRef, req: URIRef, status, artifact=True, note=None,
                 attester=ALICE, kind=None, value_delta=Decimal(0), population=None) -> None:
        """One piece of evidence addressing req. kind None: an ev:Observation of the
        requirement's measure at its threshold (plus value_delta) when it has an
        mm:threshold, else an ev:Attestation. attester None: nobody attests it."""
        fw = self.graph
        threshold = fw.value(req, MM.threshold)
        if kind is None:
            kind = EV.Observation if threshold is not None else EV.Attestation
        g.add((node, RDF.type, kind))
        g.add((node, EV.addresses, req))
        g.add((node, EV.countsFor, req))  # what the engine derives for current evidence: every item here is current
        g.add((node, EV.status, status))
        g.add((node, EV.date, Literal(self.evidence_date, datatype=XSD.date)))
        if artifact:
            url = f"https://example.org/artifacts/{node.split('/')[-1]}"
            g.add((node, EV.artifact, Literal(url, datatype=XSD.anyURI)))
        if attester is not None:
            g.add((node, PROV.wasAttributedTo, attester))
        if note:
            g.add((node, EV.note, Literal(note)))
        if kind == EV.Observation and threshold is not None:
            g.add((node, EV.measure, fw.value(req, MM.measure)))
            pop = population or fw.value(req, MM.population)
            if pop is not None:
                g.add((node, EV.population, pop))
            value = fw.value(threshold, MM.defaultValue).toPython() + value_delta
            g.add((node, EV.value, Literal(value, datatype=XSD.decimal)))

    def _agents_graph(self, agents) -> Graph:
        g = Graph()
        g.add((ALICE, RDF.type, PROV.Person))
        for agent, cls in agents:
            g.add((agent, RDF.type, cls))
        return g

    def scenario_kwargs(self, name: str) -> dict | None:
        kwargs = SCENARIOS[name].evidence
        if name == "not-applicable":
            kwargs = {**kwargs, "note": self.na_note}
        return kwargs

    # cached for the whole run: one pyshacl run per (framework, scenario)
    @cache  # noqa: B019 - the Framework objects are module-level constants, alive for the whole run anyway
    def scenario_result(self, name: str) -> dict:
        g = self._agents_graph(self.agents)
        kwargs = self.scenario_kwargs(name)
        if kwargs is not None:
            for i, req in enumerate(self.requirements):
                self.evidence(g, EX[f"{name}-{i}"], req, **kwargs)
        return self.violations(g)

    @cache  # noqa: B019 - module-level constant, as above
    def cross_result(self) -> dict:
        """Good evidence only for even-numbered requirements."""
        g = self._agents_graph(())
        for i, req in enumerate(self.requirements):
            if i % 2 == 0:
                self.evidence(g, EX[f"cross-{i}"], req, status=EV.Met)
        return self.violations(g)

    # ------------------------------------------------------------ assertions

    def assert_conforms(self, name: str, req: URIRef) -> None:
        assert req not in self.scenario_result(name)

    def assert_violates(self, name: str, req: URIRef) -> None:
        assert self.property_shape(req) in self.scenario_result(name).get(req, set())


SBD = Framework("sbd", "2025-06-01", "The product has no such component.")
ZTMM = Framework("ztmm", "2025-06-01", "Out of scope for this programme.")
CTEMMM = Framework("ctemmm", "2025-12-20", "No such environment exists here.")
CSMM = Framework(
    "csmm",
    "2026-11-20",
    "The account runs no such resource.",
    scenarios=("met-with-artifact", "scanner-pass", "scanner-fail", *STANDARD[1:]),
    agents=((PROWLER, PROV.SoftwareAgent),),
)
CNAMM = Framework(
    "cnamm",
    "2025-06-01",
    "We run no such component.",
    scenarios=(*STANDARD[:2], "no-attester", *STANDARD[2:]),
)

FRAMEWORKS = (SBD, ZTMM, CTEMMM, CSMM, CNAMM)
