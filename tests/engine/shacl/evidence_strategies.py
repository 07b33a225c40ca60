"""Hypothesis strategies for data graphs that exercise every bundled shape set.

Each strategy draws a `Dataset`: plain triples (rdflib terms) that load as Turtle into a store,
built from real catalogue IRIs (requirements, thresholds, weightings, criteria, concepts) mixed with
the mistakes users make: missing attesters and artifacts, wrong statuses, numbers typed as text,
ill-typed and language-tagged literals, blank nodes everywhere, requirements that do not exist.
"NaN"^^xsd:decimal is never drawn: pyshacl raises on it (validate/literals.py keeps it out of the
graph the shapes see), so it cannot serve as an oracle there.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from maturity_graph import load_catalogue
from maturity_graph.catalogue import RequirementRow
from maturity_graph.namespaces import EV, MM

EX = "https://example.org/"
Triple = tuple[Node, Node, Node]


@dataclass(frozen=True)
class Dataset:
    """Triples to load into one named graph; shown as Turtle when hypothesis reports an example."""

    triples: tuple[Triple, ...]

    def turtle(self) -> str:
        """One triple a line (N-Triples terms, Turtle-escaped), so ill-typed literals keep their lexical form."""
        return "".join(f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in self.triples)

    def __repr__(self) -> str:
        graph = Graph(bind_namespaces="core")
        for prefix, namespace in load_catalogue().names.namespaces():
            graph.bind(prefix, namespace)
        graph.bind("ex", EX)
        for triple in self.triples:
            graph.add(triple)
        return f"Dataset(\n{graph.serialize(format='turtle')})"


def trig(graphs: dict[URIRef, Dataset]) -> bytes:
    """Several named graphs as one TriG document, so a blank node label means one node in all of them."""
    return "".join(f"GRAPH {name.n3()} {{\n{data.turtle()}}}\n" for name, data in graphs.items()).encode("utf-8")


@dataclass(frozen=True)
class Content:
    """The catalogue IRIs the strategies draw from."""

    requirements: dict[str, tuple[RequirementRow, ...]]
    thresholds: tuple[URIRef, ...]
    weightings: tuple[URIRef, ...]
    concepts: tuple[URIRef, ...]
    frameworks: tuple[URIRef, ...]
    criteria: tuple[URIRef, ...]
    capabilities: tuple[URIRef, ...]
    namespaces: tuple[str, ...]


@cache
def content() -> Content:
    catalogue = load_catalogue()
    graph = catalogue.content_graph

    def typed(cls: URIRef) -> tuple[URIRef, ...]:
        return tuple(sorted(s for s in graph.subjects(RDF.type, cls) if isinstance(s, URIRef)))

    rows = {fw: catalogue.requirement_rows(catalogue.get(fw)) for fw in catalogue.ids()}
    namespaces = sorted({str(r.requirement).rsplit("/", 1)[0] + "/" for fw_rows in rows.values() for r in fw_rows})
    return Content(requirements=rows, thresholds=typed(MM.Threshold), weightings=typed(MM.Weighting),
                   concepts=typed(SKOS.Concept), frameworks=typed(MM.Framework), criteria=typed(MM.Criterion),
                   capabilities=typed(MM.Capability), namespaces=tuple(namespaces))


def ex(name: str) -> URIRef:
    return URIRef(EX + name)


def optional(strategy: st.SearchStrategy[Node]) -> st.SearchStrategy[list[Node]]:
    """No value, one value (most often) or two values of a property."""
    return st.one_of(st.just([]), strategy.map(lambda v: [v]), st.lists(strategy, min_size=2, max_size=2))


def literal(lexical: str, datatype: URIRef | None = None, lang: str | None = None) -> Literal:
    return Literal(lexical, datatype=datatype, lang=lang)


# --------------------------------------------------------------------------------------- odd values

DATES = st.sampled_from([
    literal("2026-03-01", XSD.date), literal("2026-03-16", XSD.date), literal("2025-12-31Z", XSD.date),
    literal("2026-03-01"), literal("2026-03-01T10:00:00Z", XSD.dateTime), literal("2026-02-30", XSD.date),
    literal("1 March 2026", lang="en"), literal("20260301", XSD.integer),
])
STATUSES = st.sampled_from([EV.Met, EV.Met, EV.NotMet, EV.NotApplicable, EV.NotApplicable, EV.Unknown,
                            ex("Done"), literal("Met"), literal("https://w3id.org/maturity-graph/ev#Met", XSD.anyURI)])
NOTES = st.sampled_from([literal("Not relevant to this product line."), literal("Hors périmètre", lang="fr"),
                         literal(""), literal("7", XSD.integer), ex("reason"), literal("  ")])
HASHES = st.sampled_from([literal("sha256:9f86d081884c7d659a2feaa0c55ad015"), literal("SHA256:9F86D081"),
                          literal("md5:9f86d081"), literal("sha512:", XSD.string),
                          literal("sha256:9f86d081", XSD.anyURI)])


def numbers(around: Decimal | None = None) -> st.SearchStrategy[Node]:
    """Numbers near a threshold (below, at, above) in the right and the wrong datatypes."""
    centre = around if around is not None else Decimal("0.8")
    values = sorted({centre - Decimal("0.05"), centre, centre + Decimal("0.01"), Decimal(0), Decimal(1),
                     Decimal("1.5"), Decimal("-0.2")})
    good = st.sampled_from(values).map(lambda d: literal(str(d), XSD.decimal))
    odd = st.sampled_from([
        literal("1", XSD.integer), literal("0", XSD.integer), literal("01", XSD.integer),
        literal(f"{centre}0", XSD.decimal), literal(f"+{centre}", XSD.decimal),
        literal(str(centre)), literal(str(centre), XSD.string), literal(str(centre), lang="en"),
        literal("9.5E-1", XSD.double), literal("0.97", XSD.float), literal("INF", XSD.double),
        literal("abc", XSD.decimal), literal("abc", XSD.integer), literal("2026-03-01", XSD.date),
        literal("true", XSD.boolean), ex("ninety-five-percent"),
    ])
    return st.one_of(good, good, odd)


# --------------------------------------------------------------------------------------- evidence


@dataclass(frozen=True)
class Pool:
    """What the evidence of one dataset shares: a few requirements (so several items address the same
    one), agents, artifacts and assessments, each well-formed or not."""

    framework: str
    rows: tuple[RequirementRow, ...]
    agents: tuple[Node, ...]
    assessments: tuple[Node, ...]


AGENT_KINDS = ("person", "organisation", "software", "unlabelled", "untyped", "blank-person", "blank-untyped",
               "literal")


def _agent(kind: str, index: int) -> tuple[Node, list[Triple]]:
    """An attester of one kind, and the triples that describe it."""
    name = f"agent-{index}"
    node: Node = BNode(name) if kind.startswith("blank") else ex(name)
    if kind == "literal":
        return literal("Test Auditor"), []
    described: list[Triple] = []
    cls = {"person": PROV.Person, "organisation": PROV.Organization, "software": PROV.SoftwareAgent,
           "unlabelled": PROV.Person, "blank-person": PROV.Person}.get(kind)
    if cls is not None:
        described.append((node, RDF.type, cls))
    if kind not in ("unlabelled", "blank-untyped"):
        described.append((node, RDFS.label, literal(f"Auditor {index}")))
    return node, described


@st.composite
def assessment(draw: st.DrawFn, index: int, framework: URIRef) -> tuple[Node, list[Triple]]:
    """An ev:Assessment, mostly well-formed, with threshold and weight settings linked or not."""
    node: Node = draw(st.sampled_from([ex(f"assessment-{index}"), BNode(f"assessment-{index}")]))
    c = content()
    triples: list[Triple] = [(node, RDF.type, EV.Assessment)]
    for date in draw(optional(DATES)) if draw(st.booleans()) else [literal("2026-03-31", XSD.date)]:
        triples.append((node, EV.assessmentDate, date))
    org = ex(f"org-{index}")
    if draw(st.booleans()):
        triples.append((node, EV.organisation, org))
        if draw(st.booleans()):
            triples += [(org, RDF.type, PROV.Organization), (org, RDFS.label, literal("Example Ltd"))]
    for fw in draw(optional(st.sampled_from([framework, framework, ex("no-such-framework"), *c.frameworks]))):
        triples.append((node, EV.framework, fw))
    days = st.sampled_from([literal("92", XSD.integer), literal("1", XSD.integer), literal("1096", XSD.integer),
                            literal("1097", XSD.integer), literal("0", XSD.integer), literal("92"),
                            literal("92.0", XSD.decimal), literal("abc", XSD.integer)])
    for value in draw(optional(days)):
        triples.append((node, EV.evidenceValidityDays, value))
    scopes = st.sampled_from([literal("Enterprise IT"), literal("Enterprise IT", lang="en"),
                              literal("3", XSD.integer), ex("scope")])
    for value in draw(optional(scopes)):
        triples.append((node, EV.scope, value))
    for k in range(draw(st.integers(0, 2))):
        triples += draw(setting(node, f"{index}-{k}", threshold=draw(st.booleans())))
    return node, triples


@st.composite
def setting(draw: st.DrawFn, owner: Node, name: str, *, threshold: bool) -> list[Triple]:
    """A threshold or weight setting: linked from the assessment or not, typed or not, odd values."""
    c = content()
    node: Node = draw(st.sampled_from([ex(f"setting-{name}"), BNode(f"setting-{name}")]))
    link, kind, target, value_of = ((EV.thresholdSetting, EV.ThresholdSetting, EV.threshold, EV.thresholdValue)
                                    if threshold else (EV.weightSetting, EV.WeightSetting, EV.weighting,
                                                       EV.weightValue))
    pool = (c.thresholds if threshold else c.weightings) or (ex("no-such-iri"),)
    triples: list[Triple] = []
    if draw(st.integers(0, 3)):
        triples.append((owner, link, node))
    if draw(st.booleans()):
        triples.append((node, RDF.type, kind))
    for iri in draw(optional(st.sampled_from([*pool, ex("no-such-threshold"), *c.thresholds[:1], *c.weightings[:1]]))):
        triples.append((node, target, iri))
    for value in draw(optional(numbers(Decimal("0.95") if threshold else Decimal(2)))):
        triples.append((node, value_of, value))
    return triples


@st.composite
def pool(draw: st.DrawFn, framework: str) -> tuple[Pool, list[Triple]]:
    c = content()
    rows = c.requirements[framework]
    measured = [r for r in rows if r.measured]
    picked = draw(st.lists(st.sampled_from(rows), min_size=1, max_size=3, unique_by=lambda r: r.requirement))
    with_measured: bool = draw(st.booleans())
    if measured and with_measured:
        picked.append(draw(st.sampled_from(measured)))
    triples: list[Triple] = []
    agents = []
    for index, kind in enumerate(draw(st.lists(st.sampled_from(AGENT_KINDS), min_size=1, max_size=3))):
        node, described = _agent(kind, index)
        agents.append(node)
        triples += described
    assessments = []
    fw_iri = load_catalogue().get(framework).iri
    for index in range(draw(st.integers(0, 2))):
        node, described = draw(assessment(index, fw_iri))
        assessments.append(node)
        triples += described
    return Pool(framework, tuple(picked), tuple(agents), tuple(assessments)), triples


ITEM_TYPES = (EV.Attestation, EV.Attestation, EV.Observation, EV.Observation, EV.Finding, EV.Evidence,
              EV.CheckResult, None, ex("Claim"))


@st.composite
def item(draw: st.DrawFn, shared: Pool, index: int) -> list[Triple]:
    """One evidence item: mostly about a requirement of the pool, with any of its parts missing or odd."""
    c = content()
    node: Node = draw(st.sampled_from([ex(f"item-{index}"), BNode(f"item-{index}")]))
    row = draw(st.sampled_from(shared.rows))
    triples: list[Triple] = []
    kind = draw(st.sampled_from(ITEM_TYPES)) if draw(st.integers(0, 3)) == 0 else (
        EV.Observation if row.measured else EV.Attestation)
    if kind is not None:
        triples.append((node, RDF.type, kind))
    criterion = c.criteria[index % len(c.criteria)]
    other_fw = c.requirements[draw(st.sampled_from(sorted(c.requirements)))]
    addressed = st.one_of(
        st.just(row.requirement), st.just(row.requirement),
        st.sampled_from(shared.rows).map(lambda r: r.requirement),
        st.sampled_from(c.namespaces).map(lambda ns: URIRef(ns + f"no-such-requirement-{index}")),
        st.just(criterion), st.sampled_from(other_fw).map(lambda r: r.requirement),
        st.just(literal(str(row.requirement))))
    for target in draw(optional(addressed)) if draw(st.integers(0, 3)) == 0 else [row.requirement]:
        triples.append((node, EV.addresses, target))
    statuses = draw(optional(STATUSES)) if draw(st.integers(0, 3)) == 0 else [draw(STATUSES)]
    for status in statuses:
        triples.append((node, EV.status, status))
    for date in draw(optional(DATES)) if draw(st.integers(0, 3)) == 0 else [literal("2026-03-01", XSD.date)]:
        triples.append((node, EV.date, date))
    artifacts = st.sampled_from([literal(f"https://evidence.example/{index}", XSD.anyURI),
                                 URIRef(f"https://evidence.example/{index}"), BNode(f"artifact-{index}"),
                                 literal(f"https://evidence.example/{index}"), literal("see wiki", lang="en")])
    for artifact in draw(optional(artifacts)):
        triples.append((node, EV.artifact, artifact))
        if isinstance(artifact, BNode):
            triples.append((artifact, DCTERMS.title, literal("Pipeline run")))
    attesters = st.sampled_from([*shared.agents, ex("nobody")])
    for agent in draw(optional(attesters)):
        triples.append((node, PROV.wasAttributedTo, agent))
    if EV.NotApplicable in statuses or draw(st.integers(0, 3)) == 0:
        for note in draw(optional(NOTES)):
            triples.append((node, EV.note, note))
    if draw(st.integers(0, 4)) == 0:
        for value in draw(optional(HASHES)):
            triples.append((node, EV.artifactHash, value))
    if shared.assessments or draw(st.integers(0, 4)) == 0:
        for owner in draw(optional(st.sampled_from([*shared.assessments, ex("not-an-assessment")]))):
            triples.append((node, EV.inAssessment, owner))
    if row.measured or kind == EV.Observation or draw(st.integers(0, 4)) == 0:
        concept = st.sampled_from(c.concepts)
        measure = st.one_of(*(st.just(row.measure),) * 3 if row.measure else (), concept, st.just(ex("coverage")))
        population = st.one_of(*(st.just(row.population),) * 3 if row.population else (), concept)
        for value in draw(optional(measure)) if draw(st.booleans()) else ([row.measure] if row.measure else []):
            triples.append((node, EV.measure, value))
        for value in draw(optional(population)) if draw(st.booleans()) else (
                [row.population] if row.population else []):
            triples.append((node, EV.population, value))
        for value in draw(optional(numbers(row.threshold_default))):
            triples.append((node, EV.value, value))
    return triples


def conforming_item(shared: Pool, index: int, row: RequirementRow, agent: Node) -> list[Triple]:
    """Evidence that satisfies its requirement's shape: the baseline the odd items are measured against."""
    node = ex(f"good-{index}")
    triples: list[Triple] = [
        (node, RDF.type, EV.Observation if row.measured else EV.Attestation), (node, EV.addresses, row.requirement),
        (node, EV.status, EV.Met), (node, EV.date, literal("2026-03-01", XSD.date)),
        (node, EV.artifact, literal(f"https://evidence.example/good-{index}", XSD.anyURI)),
        (node, PROV.wasAttributedTo, agent),
    ]
    if row.measured:
        triples += [(node, EV.measure, row.measure),
                    (node, EV.value, literal(str(row.threshold_default or 1), XSD.decimal))]
        if row.population is not None:  # a pack's measured requirements name no population
            triples.append((node, EV.population, row.population))
    return triples


@st.composite
def evidence(draw: st.DrawFn, framework: str) -> Dataset:
    """An evidence graph for one framework: conforming items, violating items and noise, mixed."""
    shared, triples = draw(pool(framework))
    good_agent = ex("good-agent")
    triples += [(good_agent, RDF.type, PROV.Person), (good_agent, RDFS.label, literal("Good Auditor"))]
    for index, row in enumerate(draw(st.lists(st.sampled_from(shared.rows), max_size=2))):
        triples += conforming_item(shared, index, row, good_agent)
    for index in range(draw(st.integers(1, 6))):
        triples += draw(item(shared, index))
    return Dataset(tuple(dict.fromkeys(triples)))


def addressing(data: Dataset) -> list[tuple[Node, URIRef]]:
    """(item, requirement) for each ev:addresses that names an IRI."""
    return sorted({(s, o) for s, p, o in data.triples if p == EV.addresses and isinstance(o, URIRef)}, key=str)


def all_current(data: Dataset) -> Dataset:
    """`item ev:countsFor requirement` for every addressing pair: everything current on the as-of day."""
    return Dataset(tuple((item, EV.countsFor, requirement) for item, requirement in addressing(data)))


@st.composite
def current(draw: st.DrawFn, data: Dataset) -> Dataset:
    """The graph:current the engine derives (evidence/freshness.py mark_current): most addressing pairs count,
    some are stale or superseded and do not."""
    pairs = addressing(data)
    kept = [pair for pair in pairs if draw(st.integers(0, 5))]
    return Dataset(tuple((item, EV.countsFor, requirement) for item, requirement in kept))


def frameworks() -> st.SearchStrategy[str]:
    return st.sampled_from(sorted(content().requirements))


# --------------------------------------------------------------------------------------- mappings

RELATIONS = (MM.Equal, MM.SubsetOf, MM.SupersetOf, MM.IntersectsWith, MM.NotRelated)


@st.composite
def mappings(draw: st.DrawFn) -> Dataset:
    """mm:Mapping nodes between real criteria and capabilities (of one framework or two) and odd ends."""
    c = content()
    ends = st.one_of(st.sampled_from(c.criteria), st.sampled_from(c.capabilities),
                     st.sampled_from(c.requirements["sbd"]).map(lambda r: r.requirement),
                     st.just(ex("no-such-element")), st.just(literal("ztmm:identity")))
    odd_iri = st.sampled_from([ex("Maybe"), literal("equal"), MM.Reviewed])
    triples: list[Triple] = []
    mapping_set = ex("set")
    if draw(st.booleans()):
        triples.append((mapping_set, RDF.type, MM.MappingSet))
    for index in range(draw(st.integers(1, 5))):
        node: Node = draw(st.sampled_from([ex(f"mapping-{index}"), BNode(f"mapping-{index}")]))
        triples.append((node, RDF.type, MM.Mapping))
        subject = draw(ends)
        for value in [subject] if draw(st.integers(0, 2)) else draw(optional(ends)):
            triples.append((node, MM.mapsFrom, value))
        # the same framework as the subject now and then, for the across-frameworks constraint
        near = st.sampled_from([x for x in (*c.criteria, *c.capabilities) if str(x).rsplit("/", 1)[0] ==
                                str(subject).rsplit("/", 1)[0]] or [ex("no-such-element")])
        for value in [draw(st.one_of(ends, near))] if draw(st.integers(0, 2)) else draw(optional(ends)):
            triples.append((node, MM.mapsTo, value))
        for value in draw(optional(st.one_of(st.sampled_from(RELATIONS), odd_iri))):
            triples.append((node, MM.relation, value))
        strength = st.one_of(st.integers(-1, 12).map(lambda n: literal(str(n), XSD.integer)),
                             st.sampled_from([literal("5"), literal("5.0", XSD.decimal), literal("five", XSD.integer)]))
        for value in draw(optional(strength)):
            triples.append((node, MM.strength, value))
        for value in draw(optional(numbers(Decimal("0.9")))):
            triples.append((node, MM.confidence, value))
        rationale = st.sampled_from([MM.Syntactic, MM.Semantic, MM.Functional, literal("semantic"), MM.Equal])
        for value in draw(optional(rationale)):
            triples.append((node, MM.rationale, value))
        review = st.sampled_from([MM.Reviewed, MM.Reviewed, MM.Unreviewed, MM.Rejected, literal("reviewed")])
        for value in [draw(review)] if draw(st.integers(0, 2)) else draw(optional(review)):
            triples.append((node, MM.reviewStatus, value))
        for value in draw(optional(st.sampled_from([ex("reviewer"), BNode("reviewer"), literal("orcid")]))):
            triples.append((node, MM.reviewer, value))
        for value in draw(optional(DATES)):
            triples.append((node, MM.mappingDate, value))
        for value in draw(optional(st.sampled_from([mapping_set, ex("other-set")]))):
            triples.append((node, MM.inMappingSet, value))
    return Dataset(tuple(dict.fromkeys(triples)))


# --------------------------------------------------------------------------------------- framework content

# What shapes/core/framework.ttl checks, and so what a mutation of the bundled content touches.
FRAMEWORK_PREDICATES = (RDF.type, RDFS.label, DCTERMS.identifier, OWL.versionInfo, DCTERMS.license, DCTERMS.source,
                        MM.hasDimension, MM.hasStage, MM.rank, MM.capability, MM.stage, MM.isBaseline, MM.requires,
                        MM.source, MM.sourceDocument, MM.gap, MM.shape, MM.concept, MM.measure, MM.population,
                        SKOS.definition, SKOS.broader, MM.level, MM.method, MM.authority)


@cache
def _content_triples() -> tuple[Triple, ...]:
    graph = load_catalogue().content_graph
    return tuple(sorted((t for p in FRAMEWORK_PREDICATES for t in graph.triples((None, p, None))),
                        key=lambda t: (str(t[0]), str(t[1]), str(t[2]))))


@cache
def _subjects() -> tuple[Node, ...]:
    return tuple(sorted({t[0] for t in _content_triples() if isinstance(t[0], URIRef)}, key=str))


@st.composite
def framework_changes(draw: st.DrawFn) -> tuple[Dataset, Dataset]:
    """Triples to remove from the bundled content, and odd triples to add to it (into another graph)."""
    known = _content_triples()
    removed = draw(st.lists(st.sampled_from(known), max_size=6, unique=True))
    c = content()
    values = st.one_of(
        st.sampled_from([literal("2", XSD.integer), literal("1", XSD.integer), literal("0", XSD.integer),
                         literal("2"), literal("abc", XSD.integer), literal("true", XSD.boolean),
                         literal("yes"), literal("label", lang="en"), literal("ID-1")]),
        st.sampled_from([*c.frameworks, *c.criteria[:20], *c.capabilities[:20], *c.concepts[:20],
                         ex("thing"), MM.Stage, MM.Requirement, MM.Criterion, SKOS.Concept, MM.RollUp]),
        st.sampled_from(c.requirements["csmm"]).map(lambda r: r.requirement),
        st.just(BNode("blank-value")))
    added = draw(st.lists(st.tuples(st.sampled_from(_subjects()), st.sampled_from(FRAMEWORK_PREDICATES), values),
                          max_size=6, unique=True))
    if draw(st.booleans()):  # a new stage, with a rank that may collide or leave a gap
        stage, fw = ex("stage-new"), draw(st.sampled_from(c.frameworks))
        added += [(fw, MM.hasStage, stage), (stage, RDF.type, MM.Stage), (stage, RDFS.label, literal("New")),
                  (stage, DCTERMS.identifier, literal("N")), (stage, MM.rank, draw(values))]
    return Dataset(tuple(removed)), Dataset(tuple(dict.fromkeys(added)))
