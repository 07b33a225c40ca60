"""The compiled SHACL engine agrees with pyshacl, the authority, on every bundled shape set (issue 9, item 3).

Each test loads data into the named graphs of one Oxigraph store (content in graph:content, the data
under test in graph:evidence, the ev:countsFor links the engine derives in graph:current), validates it
with both engines and compares the reports as sets of (focus, path, value, source shape, component,
severity). A disagreement fails with both sides' extra rows and the data (as Turtle); the one difference
docs/shacl.md documents (range results on incomparable values) is excused, narrowly. The bundled
requirement and evidence shapes must not fall back to pyshacl: then the comparison would be pyshacl
against itself.

More examples: MGRAPH_FUZZ_EXAMPLES=100 (default 10 for each generated test, fewer for the slow framework and
threshold tests, so the file runs in about two minutes on two shared cores; the hand-built cases always run).
"""
from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from functools import cache
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SH, XSD
from rdflib.term import Node

from maturity_graph import load_catalogue
from maturity_graph.assessment.thresholds import ThresholdValue, apply_thresholds
from maturity_graph.catalogue import RequirementRow, bundled_graph
from maturity_graph.crosswalk.check import _elements_graph
from maturity_graph.crosswalk.sssom import bundled_mapping_sets, mappings_graph
from maturity_graph.namespaces import CONTENT_GRAPH, CURRENT_GRAPH, EV, EVIDENCE_GRAPH, MM
from maturity_graph.shacl import compile_shapes, validate
from maturity_graph.store import Store, open_store
from maturity_graph.store.loading import load_into
from tests.conftest import REPO
from tests.engine.shacl import evidence_strategies as strategies
from tests.engine.shacl.evidence_strategies import Dataset, Triple, ex, literal

# rdflib warns when it writes an ill-typed number ("abc"^^xsd:decimal): the data means it.
pytestmark = pytest.mark.filterwarnings("ignore:Serializing weird numerical")
EXAMPLES = int(os.environ.get("MGRAPH_FUZZ_EXAMPLES", "10"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                              HealthCheck.data_too_large])
GRAPHS = [CONTENT_GRAPH, EVIDENCE_GRAPH]
# Requirement shapes follow ev:countsFor, which the engine derives into graph:current (mark_current).
REQUIREMENT_GRAPHS = [CONTENT_GRAPH, EVIDENCE_GRAPH, CURRENT_GRAPH]
FRAMEWORKS = sorted(load_catalogue().ids())
EXAMPLE_FILES = sorted((REPO / "examples").glob("*/*.ttl"))


# --------------------------------------------------------------------------------------- shape sets


@cache
def shapes(name: str) -> Graph:
    """A bundled shape set by name: evidence, framework, mapping, or requirements-<framework id>."""
    if name in ("evidence", "framework"):
        return bundled_graph("shapes", "core", f"{name}.ttl")
    if name == "mapping":
        return bundled_graph("shapes", "crosswalks", "mapping.ttl")
    catalogue = load_catalogue()
    return catalogue.shapes_graph(catalogue.get(name.removeprefix("requirements-")))


@cache
def program(name: str) -> Any:
    """Compiled once per shape set, as the engine does."""
    return compile_shapes(shapes(name))


# --------------------------------------------------------------------------------------- comparing


@cache
def _prefixes() -> Graph:
    """The project's prefix table, and ex: for the generated data."""
    graph = Graph(bind_namespaces="core")
    for prefix, namespace in load_catalogue().names.namespaces():
        graph.bind(prefix, namespace)
    graph.bind("ex", strategies.EX)
    return graph


def _short(term: Any) -> str:
    """A key field as a prefixed name where the prefix table knows it."""
    if isinstance(term, URIRef):
        return term.n3(_prefixes().namespace_manager)
    if isinstance(term, Node):
        return term.n3()
    if isinstance(term, tuple):
        return "(" + " ".join(_short(part) for part in term) + ")"
    return repr(term)


def _rows(keys: Iterable[tuple[Any, ...]]) -> str:
    return "\n".join("    " + "  ".join(_short(field) for field in key) for key in sorted(keys, key=repr))


def _fell_back(report: Any) -> set[Node]:
    """The shapes a report says pyshacl ran (fell_back lists (shape, reason) pairs)."""
    return {entry[0] if isinstance(entry, tuple) else entry for entry in report.fell_back}


@cache
def sparql_shapes(name: str) -> frozenset[Node]:
    """The shapes of a set that use sh:sparql (SHACL-SPARQL, not Core): the only ones that may fall back."""
    return frozenset(shapes(name).subjects(SH.sparql, None))


MMSH = "https://w3id.org/maturity-graph/shapes/core/"
RANGES = {SH.MinInclusiveConstraintComponent: SH.minInclusive, SH.MinExclusiveConstraintComponent: SH.minExclusive,
          SH.MaxInclusiveConstraintComponent: SH.maxInclusive, SH.MaxExclusiveConstraintComponent: SH.maxExclusive}
NUMBERS = {XSD.decimal, XSD.integer, XSD.float, XSD.double, XSD.long, XSD.int, XSD.short, XSD.byte,
           XSD.nonNegativeInteger, XSD.positiveInteger, XSD.nonPositiveInteger, XSD.negativeInteger,
           XSD.unsignedLong, XSD.unsignedInt, XSD.unsignedShort, XSD.unsignedByte}


def _kind(term: Node | None) -> str | None:
    """What a literal can be compared with in SPARQL (None: nothing)."""
    if not isinstance(term, Literal) or term.ill_typed or term.language:
        return None
    if term.datatype in NUMBERS:
        return "number"
    return str(term.datatype or XSD.string)


def documented_difference(key: tuple[Any, ...], shapes_graph: Graph) -> bool:
    """docs/shacl.md, "Comparisons": a range result on a value that cannot be compared with the bound (a
    boolean or an ill-typed literal against a number) is a violation in SHACL, which the compiled engine
    reports and pyshacl (Python ordering: `true <= 1`) does not. The only known difference."""
    parameter = RANGES.get(key[4])
    if parameter is None:
        return False
    value, bound = key[2], shapes_graph.value(key[3], parameter)
    return _kind(value) is None or _kind(value) != _kind(bound)


def compare(store: Store, shapes_graph: Graph, compiled: Any, graphs: list[URIRef], label: str,
            shown: object) -> Any:
    """Validate with both engines; fail on any difference but the documented one. Returns pyshacl's report."""
    expected = validate(store, compiled, graphs=graphs, engine="pyshacl")
    got = validate(store, compiled, graphs=graphs, engine="sparql")
    fell_back = _fell_back(got)
    core = fell_back - frozenset(shapes_graph.subjects(SH.sparql, None))
    if core:
        pytest.fail(f"{label}: the sparql engine fell back to pyshacl for SHACL Core shapes {_rows([tuple(core)])}")
    only_pyshacl = expected.keys() - got.keys()
    only_sparql = {key for key in got.keys() - expected.keys() if not documented_difference(key, shapes_graph)}
    if only_pyshacl or only_sparql:
        pytest.fail(f"{label}: the engines disagree ({len(expected.keys())} rows from pyshacl, "
                    f"{len(got.keys())} from sparql{', fell back: ' + _short(tuple(fell_back)) if fell_back else ''})\n"
                    f"  only pyshacl reports:\n{_rows(only_pyshacl) or '    -'}\n"
                    f"  only sparql reports:\n{_rows(only_sparql) or '    -'}\n"
                    f"data: {shown!r}")
    if got.keys() == expected.keys():
        assert got.conforms == expected.conforms
    return expected


def assert_agree(store: Store, name: str, shown: object = None) -> Any:
    """Compare the engines on a bundled shape set over the store's graphs (graph:current too for requirements)."""
    graphs = REQUIREMENT_GRAPHS if name.startswith("requirements-") else GRAPHS
    return compare(store, shapes(name), program(name), graphs, name, shown)


def _put(store: Store, data: Dataset, links: Dataset | None = None) -> None:
    """The data under test into graph:evidence, and ev:countsFor links (default: none) into graph:current."""
    store.drop(EVIDENCE_GRAPH)
    store.drop(CURRENT_GRAPH)
    graphs = {EVIDENCE_GRAPH: data, CURRENT_GRAPH: links or Dataset(())}
    store.load(strategies.trig(graphs), fmt="trig", source="generated", into=None)


@pytest.fixture(scope="module")
def store() -> Iterator[Store]:
    """One store for the module: the bundled content, and whatever each test puts in graph:evidence."""
    opened = open_store()
    load_into(opened, [], content=True)
    yield opened
    opened.close()


SHAPE_SETS = ["evidence", "framework", "mapping", *(f"requirements-{fw}" for fw in FRAMEWORKS)]


@pytest.mark.parametrize("name", SHAPE_SETS)
def test_only_sparql_constraints_fall_back_to_pyshacl(name: str) -> None:
    """Where the comparison would be pyshacl against itself: at most the shapes that use sh:sparql
    (Framework-stage-ranks, mapping-across-frameworks), never an evidence or requirement shape."""
    fell_back = {entry[0] for entry in program(name).unsupported}
    assert fell_back <= set(sparql_shapes(name))
    if name == "evidence" or name.startswith("requirements-"):
        assert fell_back == set()


@pytest.fixture(scope="module")
def mapping_store() -> Iterator[Store]:
    """What crosswalk/check.py gives the mapping shapes beside the mappings: the types and structure of the
    bundled elements (the whole content graph gives the same results, several times slower)."""
    opened = open_store()
    opened.add_graph(_elements_graph(load_catalogue()), into=CONTENT_GRAPH)
    yield opened
    opened.close()


def _components(report: Any) -> set[tuple[str, str]]:
    """(source shape local name, component local name) of each row."""
    return {(str(key[3]).rsplit("/", 1)[-1], str(key[4]).rsplit("#", 1)[-1]) for key in report.keys()}


def _focus(report: Any) -> set[Node]:
    return {key[0] for key in report.keys()}


# --------------------------------------------------------------------------------------- generated data


@FUZZ
@given(data=strategies.frameworks().flatmap(strategies.evidence))
def test_evidence_shapes_agree_on_generated_evidence(store: Store, data: Dataset) -> None:
    _put(store, data)
    assert_agree(store, "evidence", data)


@FUZZ
@given(st.data())
def test_requirement_shapes_agree_on_generated_evidence(store: Store, data: st.DataObject) -> None:
    framework = data.draw(strategies.frameworks(), label="framework")
    evidence = data.draw(strategies.evidence(framework), label="evidence")
    links = data.draw(strategies.current(evidence), label="graph:current")
    _put(store, evidence, links)
    assert_agree(store, f"requirements-{framework}", f"{evidence!r}\ngraph:current: {links!r}")


def _threshold_rows() -> list[RequirementRow]:
    catalogue = load_catalogue()
    return [r for r in catalogue.requirement_rows(catalogue.get("ztmm")) if r.threshold_default is not None]


def _constrained_shape(row: RequirementRow) -> tuple[URIRef, URIRef]:
    """The threshold of a measured requirement and the property shape whose sh:minInclusive it sets."""
    content = load_catalogue().content_graph
    threshold = content.value(row.requirement, MM.threshold)
    shape = content.value(threshold, MM.constrains)
    assert isinstance(threshold, URIRef) and isinstance(shape, URIRef)
    return threshold, shape


@settings(max_examples=max(1, EXAMPLES // 5), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_ztmm_shapes_with_organisation_thresholds_agree(store: Store, data: st.DataObject) -> None:
    """An organisation's thresholds rewrite sh:minInclusive (assessment/thresholds.py); the compiled shapes
    must follow the rewritten value, not the default."""
    rows = data.draw(st.lists(st.sampled_from(_threshold_rows()), min_size=1, max_size=4, unique=True), label="rows")
    values = []
    for row in rows:
        threshold, shape = _constrained_shape(row)
        value = data.draw(st.sampled_from([Decimal("0.5"), Decimal("0.95"), Decimal("0.333"), Decimal(1)]))
        values.append(ThresholdValue(row.id + "-T", threshold, row.requirement, value,
                                     row.threshold_default or Decimal(1), True, True, shape))
    shaped = apply_thresholds(shapes("requirements-ztmm"), values)
    evidence = data.draw(strategies.evidence("ztmm"), label="evidence")
    _put(store, evidence, strategies.all_current(evidence))
    compare(store, shaped, compile_shapes(shaped), REQUIREMENT_GRAPHS, "requirements-ztmm with thresholds",
            f"{evidence!r}\nthresholds: {[(t.id, str(t.value)) for t in values]}")


@FUZZ
@given(data=strategies.mappings())
def test_mapping_shapes_agree_on_generated_mappings(mapping_store: Store, data: Dataset) -> None:
    _put(mapping_store, data)
    assert_agree(mapping_store, "mapping", data)


@settings(max_examples=max(1, EXAMPLES // 10), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(changes=strategies.framework_changes())
def test_framework_shapes_agree_on_changed_content(changes: tuple[Dataset, Dataset]) -> None:
    """The bundled frameworks with triples taken out (into graph:content) and odd ones added (graph:evidence)."""
    removed, added = changes
    content = Graph()
    content += load_catalogue().content_graph
    for triple in removed.triples:
        content.remove(triple)
    changed = open_store()
    try:
        changed.add_graph(content, into=CONTENT_GRAPH)
        _put(changed, added)
        assert_agree(changed, "framework", f"removed:\n{removed!r}\nadded:\n{added!r}")
    finally:
        changed.close()


# --------------------------------------------------------------------------------------- bundled data


@cache
def _examples() -> Dataset:
    """Every example file in one graph: evidence for all five frameworks at once."""
    merged = Graph()
    for path in EXAMPLE_FILES:
        merged.parse(path, format="turtle")
    return Dataset(tuple(merged))


def test_evidence_shapes_agree_on_the_examples(store: Store) -> None:
    """(Merged, the two Lakeview quarters give one item two assessments: a real violation of the union.)"""
    _put(store, _examples())
    report = assert_agree(store, "evidence", "examples/*/*.ttl")
    assert {row[3] for row in report.keys()} == {URIRef(MMSH + "Evidence-assessment")}


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_requirement_shapes_agree_on_the_examples(store: Store, framework: str) -> None:
    """The examples, all current, validated by one framework's requirement shapes."""
    _put(store, _examples(), strategies.all_current(_examples()))
    report = assert_agree(store, f"requirements-{framework}", "examples/*/*.ttl, all current")
    rows = load_catalogue().requirement_rows(load_catalogue().get(framework))
    assert 0 < len(_focus(report)) < len(rows), "the examples meet some requirements of each framework, not all"


def test_framework_shapes_agree_on_bundled_content(store: Store) -> None:
    store.drop(EVIDENCE_GRAPH)
    report = assert_agree(store, "framework", "bundled content")
    assert report.conforms, "the bundled frameworks are well-formed"


def test_mapping_shapes_agree_on_bundled_crosswalks(mapping_store: Store) -> None:
    graph = Graph()
    for mapping_set in bundled_mapping_sets():
        graph += mappings_graph(mapping_set)
    _put(mapping_store, Dataset(tuple(graph)))
    report = assert_agree(mapping_store, "mapping", "crosswalks/*.sssom.tsv")
    assert report.conforms, "the bundled crosswalks are consistent"


def test_the_documented_difference_is_narrow() -> None:
    """Only a range result on a value the bound cannot be compared with is excused; a wrong range result
    on a comparable number, or any other component, still fails the comparison."""
    shape, evidence = URIRef(MMSH + "ThresholdSetting-value"), shapes("evidence")
    node, path, violation = ex("setting"), EV.thresholdValue, SH.Violation

    def excused(value: Node, component: URIRef) -> bool:
        return documented_difference((node, path, value, shape, component, violation), evidence)

    assert excused(literal("true", XSD.boolean), SH.MaxInclusiveConstraintComponent)
    assert excused(literal("abc", XSD.decimal), SH.MaxInclusiveConstraintComponent)
    assert excused(literal("0.5", lang="en"), SH.MinExclusiveConstraintComponent)
    assert excused(ex("iri"), SH.MinExclusiveConstraintComponent)
    assert not excused(literal("0.5", XSD.decimal), SH.MaxInclusiveConstraintComponent)
    assert not excused(literal("1", XSD.integer), SH.MinExclusiveConstraintComponent)
    assert not excused(literal("9.5E-1", XSD.double), SH.MaxInclusiveConstraintComponent)
    assert not excused(literal("true", XSD.boolean), SH.DatatypeConstraintComponent)


# --------------------------------------------------------------------------------------- hand-built cases

AUDITOR, GOOD_LINK = ex("auditor"), literal("https://evidence.example/doc", XSD.anyURI)


def _requirement(framework: str, measured: bool) -> list[RequirementRow]:
    catalogue = load_catalogue()
    return [r for r in catalogue.requirement_rows(catalogue.get(framework)) if r.measured == measured]


def _item(node: Node, requirement: Node, *parts: tuple[Node, Node], kind: Node = EV.Attestation) -> list[Triple]:
    return [(node, RDF.type, kind), (node, EV.addresses, requirement), (node, EV.date, literal("2026-03-01", XSD.date)),
            *((node, p, o) for p, o in parts)]


def _mistakes() -> tuple[Dataset, dict[str, URIRef], dict[str, URIRef]]:
    """One graph with each mistake the brief lists on its own requirement; returns it, the requirements
    that must stay unmet and those that must be met."""
    plain, measured = _requirement("ztmm", False), _requirement("ztmm", True)
    triples: list[Triple] = [(AUDITOR, RDF.type, PROV.Person), (AUDITOR, RDFS.label, literal("Auditor"))]
    blank_agent, blank_artifact = BNode("blank-agent"), BNode("blank-artifact")
    triples += [(blank_agent, RDF.type, PROV.Organization), (blank_agent, RDFS.label, literal("Blank Ltd"))]
    met: dict[str, URIRef] = {}
    unmet: dict[str, URIRef] = {}

    def attest(case: str, good: bool, *parts: tuple[Node, Node], node: Node | None = None,
               kind: Node = EV.Attestation) -> None:
        row = plain[len(met) + len(unmet)]
        triples.extend(_item(node or ex(case), row.requirement, *parts, kind=kind))
        (met if good else unmet)[case] = row.requirement

    def observe(case: str, good: bool, value: Callable[[Decimal], Node] | None) -> None:
        """A met observation of the right measure and population; `value` makes ev:value from the threshold."""
        row = measured[len([c for c in (*met, *unmet) if c.startswith("measured")])]
        assert row.measure is not None and row.population is not None and row.threshold_default is not None
        extra = [(EV.value, value(row.threshold_default))] if value is not None else []
        triples.extend(_item(ex(case), row.requirement, (EV.status, EV.Met), (EV.artifact, GOOD_LINK),
                             (PROV.wasAttributedTo, AUDITOR), (EV.measure, row.measure),
                             (EV.population, row.population), *extra, kind=EV.Observation))
        (met if good else unmet)[case] = row.requirement

    status, link, by = (EV.status, EV.Met), (EV.artifact, GOOD_LINK), (PROV.wasAttributedTo, AUDITOR)
    na, note = (EV.status, EV.NotApplicable), (EV.note, literal("No such systems here."))
    attest("met", True, status, link, by)
    attest("not-current", False, status, link, by)  # good, but not in graph:current (stale or superseded)
    attest("missing-attester", False, status, link)
    attest("missing-artifact", False, status, by)
    attest("not-met", False, (EV.status, EV.NotMet), link, by)
    attest("wrong-status", False, (EV.status, ex("Done")), link, by)
    attest("status-as-text", False, (EV.status, literal("Met")), link, by)
    attest("not-applicable", True, na, note, by)
    attest("not-applicable-without-note", False, na, by)
    attest("not-applicable-empty-note", False, na, (EV.note, literal("")), by)
    attest("not-applicable-note-in-french", True, na, (EV.note, literal("Sans objet", lang="fr")), by)
    attest("blank-item", True, status, link, by, node=BNode("blank-item"))
    attest("blank-artifact-and-attester", True, status, (EV.artifact, blank_artifact),
           (PROV.wasAttributedTo, blank_agent))
    attest("untyped", False, status, link, by, kind=RDFS.Resource)
    attest("finding", True, status, link, by, kind=EV.Finding)
    attest("artifact-as-text", True, status, (EV.artifact, literal("https://x.example/doc")), by)
    requirement = plain[len(met) + len(unmet)].requirement  # several items, one good enough
    triples += _item(ex("several-1"), requirement, (EV.status, EV.Met), by)
    triples += _item(ex("several-2"), requirement, (EV.status, EV.NotMet), link, by)
    triples += _item(ex("several-3"), requirement, (EV.status, EV.Met), link, by)
    met["several"] = requirement
    observe("measured-at-threshold", True, lambda t: literal(str(t), XSD.decimal))
    observe("measured-below-threshold", False, lambda t: literal(str(t - Decimal("0.01")), XSD.decimal))
    observe("measured-above-threshold", True, lambda t: literal(str(min(t + Decimal("0.01"), Decimal(1))), XSD.decimal))
    observe("measured-whole-as-integer", True, lambda t: literal("1", XSD.integer))  # thresholds are ratios <= 1
    observe("measured-as-string", False, lambda t: literal(str(t)))
    observe("measured-ill-typed", False, lambda t: literal("abc", XSD.decimal))
    observe("measured-language-tagged", False, lambda t: literal(str(t), lang="en"))
    observe("measured-date", False, lambda t: literal("2026-03-01", XSD.date))
    observe("measured-missing", False, None)
    observe("measured-double", True, lambda t: literal("1.0E0", XSD.double))
    triples += _item(ex("unknown-requirement"), URIRef(str(plain[0].requirement) + "-no-such"), status, link, by)
    return Dataset(tuple(triples)), met, unmet


def test_each_listed_mistake_agrees_and_decides_its_requirement(store: Store) -> None:
    """Each case of the brief on its own ZTMM requirement: the engines agree, and the report says what the
    shapes mean (unmet requirements are focus nodes, met ones are not)."""
    data, met, unmet = _mistakes()
    links = strategies.all_current(data)
    stale = [link for link in links.triples if link[0] == ex("not-current")]
    _put(store, data, Dataset(tuple(link for link in links.triples if link not in stale)))
    report = assert_agree(store, "requirements-ztmm", data)
    focus = _focus(report)
    assert {case for case, req in met.items() if req in focus} == set()
    assert {case for case, req in unmet.items() if req not in focus} == set()
    evidence = assert_agree(store, "evidence", data)
    found = _components(evidence)
    assert ("Record-addresses", "ClassConstraintComponent") in found  # the unknown requirement
    assert ("Evidence-status", "InConstraintComponent") in found
    assert ("Evidence-value", "OrConstraintComponent") in found
    assert ("Evidence-artifact", "DatatypeConstraintComponent") in found
    assert ("AddressingNode", "ClassConstraintComponent") in found
    assert ex("unknown-requirement") in _focus(evidence)


def test_a_disagreement_fails_and_shows_both_sides(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """The comparison itself can fail: an engine that loses one row is caught, and the row is printed."""
    data = Dataset((*_item(ex("lonely"), _requirement("sbd", False)[0].requirement, (EV.status, ex("Done"))),))
    _put(store, data)
    real = validate

    def losing(*args: Any, **kwargs: Any) -> Any:
        report = real(*args, **kwargs)
        if kwargs["engine"] == "sparql":
            report.rows = [row for row in report.rows if row.component != SH.InConstraintComponent]
        return report

    monkeypatch.setattr(sys.modules[__name__], "validate", losing)
    with pytest.raises(pytest.fail.Exception, match=r"(?s)only pyshacl reports:.*ex:lonely .*Evidence-status"):
        assert_agree(store, "evidence", data)
