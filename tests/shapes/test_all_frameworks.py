"""What every framework's data and requirement shapes must do, framework by framework.

Structure: every requirement has one node shape of its own, every concept it reaches is
defined, identifiers are unique. Behaviour: each standard scenario a framework runs
(harness.FRAMEWORKS) is one pyshacl run over every requirement, then one assertion per
requirement. What is particular to one framework stays in tests/shapes/<id>/.
"""

from __future__ import annotations

import pytest
from rdflib import BNode, Graph
from rdflib.namespace import DCTERMS, RDF, RDFS, SH, SKOS

from tests.shapes.harness import EV, EX, FRAMEWORKS, MM, SCENARIOS, concepts

FW_IDS = [fw.id for fw in FRAMEWORKS]


def _cases(names_of, reqs_of=lambda fw: fw.requirements):
    return [
        pytest.param(fw, name, req, id=f"{fw.id}-{name}-{fw.identifier(req)}")
        for fw in FRAMEWORKS
        for name in names_of(fw)
        for req in reqs_of(fw)
    ]


CONFORMING = _cases(lambda fw: [n for n in fw.scenarios if SCENARIOS[n].conforms])
VIOLATING = _cases(lambda fw: [n for n in fw.scenarios if not SCENARIOS[n].conforms])
CROSS = _cases(lambda fw: ["cross"])


# ---------------------------------------------------------------- structure


@pytest.mark.parametrize("fw", FRAMEWORKS, ids=FW_IDS)
def test_every_requirement_has_its_shape(fw):
    g, s = fw.graph, fw.shapes
    for req in fw.requirements:
        shape_nodes = list(g.objects(req, MM.shape))
        assert len(shape_nodes) == 1, req
        node_shape = shape_nodes[0]
        assert (node_shape, RDF.type, SH.NodeShape) in s, node_shape
        assert list(s.objects(node_shape, SH.targetNode)) == [req]
        assert (node_shape, RDFS.seeAlso, req) in s
        for p in (SH.name, SH.message, SH.severity):
            assert s.value(node_shape, p) is not None, (node_shape, p)
        assert fw.identifier(req) in str(s.value(node_shape, SH.message))
        prop = s.value(node_shape, SH.property)
        assert s.value(prop, SH.qualifiedValueShape) is not None
        assert s.value(prop, SH.message) is not None
    # no orphan shapes: every targeted shape is a requirement's, and (but for ZTMM's
    # observation helpers, which target nothing) every node shape is targeted
    used = set(g.objects(None, MM.shape))
    targeted = {n for n in s.subjects(SH.targetNode, None) if str(n).startswith(fw.shape_prefix)}
    assert targeted == used
    if fw.id != "ztmm":
        node_shapes = {n for n in s.subjects(RDF.type, SH.NodeShape) if str(n).startswith(fw.shape_prefix)}
        assert node_shapes == used
    assert not list(s.subjects(SH.sparql, None))


@pytest.mark.parametrize("fw", FRAMEWORKS, ids=FW_IDS)
def test_concepts_defined_and_used(fw):
    g, c = fw.graph, concepts()
    defined = set(c.subjects(RDF.type, SKOS.Concept))
    used = set()
    for req in fw.requirements:
        cs = set(g.objects(req, MM.concept))
        assert cs, f"{req} has no concept"
        used |= cs | set(g.objects(req, MM.measure)) | set(g.objects(req, MM.population))
    assert used <= defined, sorted(used - defined)
    closure, frontier = set(used), set(used)
    while frontier:
        frontier = {b for x in frontier for b in c.objects(x, SKOS.broader)} - closure
        closure |= frontier
    # other frameworks share the scheme: every concept a framework reaches is defined here;
    # that every concept is used by some framework is the QA query unused-concept.rq
    assert closure <= defined, sorted(closure - defined)
    for con in closure:
        assert len(list(c.objects(con, RDFS.label))) == 1, con
        assert c.value(con, SKOS.definition) is not None, con
        assert c.value(con, SKOS.inScheme) is not None, con
        assert c.value(con, SKOS.broader) is not None or c.value(con, SKOS.topConceptOf) is not None, con


@pytest.mark.parametrize("fw", FRAMEWORKS, ids=FW_IDS)
def test_every_capability_has_one_criterion_per_stage(fw):
    g = fw.graph
    model = next(g.subjects(RDF.type, MM.Framework))
    caps = set(g.subjects(RDF.type, MM.Capability))
    caps |= {cap for d in g.objects(model, MM.hasDimension) for cap in g.objects(d, MM.hasCapability)}
    assert caps
    for cap in caps:
        stages = [g.value(c, MM.stage) for c in g.subjects(MM.capability, cap)]
        assert sorted(stages) == sorted(g.objects(model, MM.hasStage)), cap


@pytest.mark.parametrize("fw", FRAMEWORKS, ids=FW_IDS)
def test_every_criterion_has_a_source_reference(fw):
    """Document, table (or section) and row always; a column only where the source has a table of
    capabilities by stages. CNAMM has none: its criteria cite a level entry and a function entry."""
    g = fw.graph
    tabular = fw.id != "cnamm"
    for crit in fw.criteria:
        refs = list(g.objects(crit, MM.source))
        assert refs and len(refs) == (1 if tabular else 2), crit
        for ref in refs:
            assert (ref, RDF.type, MM.SourceReference) in g, crit
            for p in (MM.sourceDocument, MM.sourceTable, MM.sourceRow):
                assert g.value(ref, p) is not None, (crit, p)
            assert (g.value(ref, MM.sourceColumn) is not None) is tabular, crit


@pytest.mark.parametrize("fw", FRAMEWORKS, ids=FW_IDS)
def test_identifiers_unique_and_labels_single(fw):
    g = fw.graph
    ids = [str(o) for o in g.objects(None, DCTERMS.identifier)]
    assert len(ids) == len(set(ids))
    for s in set(g.subjects(RDF.type, None)):
        if isinstance(s, BNode):
            continue
        assert len(list(g.objects(s, RDFS.label))) == 1, s


@pytest.mark.parametrize("fw", FRAMEWORKS, ids=FW_IDS)
def test_requirement_identifiers_extend_their_criterion(fw):
    g = fw.graph
    for req in fw.requirements:
        crit = next(g.subjects(MM.requires, req))
        rid = fw.identifier(req)
        assert rid.startswith(fw.identifier(crit) + "-"), rid


# ---------------------------------------------------------------- behaviour


@pytest.mark.parametrize("fw,name,req", CONFORMING)
def test_scenario_conforms(fw, name, req):
    fw.assert_conforms(name, req)


@pytest.mark.parametrize("fw,name,req", VIOLATING)
def test_scenario_violates(fw, name, req):
    fw.assert_violates(name, req)


@pytest.mark.parametrize("fw,name,req", CROSS)
def test_evidence_for_another_requirement_does_not_count(fw, name, req):
    """Good evidence for the even-numbered requirements only."""
    assert (req in fw.cross_result()) == (fw.requirements.index(req) % 2 == 1)


@pytest.mark.parametrize("fw", FRAMEWORKS, ids=FW_IDS)
def test_not_applicable_without_reason_violates(fw):
    req = fw.requirements[0]
    g = Graph()
    fw.evidence(g, EX["na-no-note"], req, status=EV.NotApplicable, artifact=False)
    assert req in fw.violations(g)
