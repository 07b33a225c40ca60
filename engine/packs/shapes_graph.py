"""to_shapes_graph(): one node shape per pack requirement, as the bundled shapes have them.

An attestation requirement is met by current supporting evidence (mmsh:SupportingEvidence, as shapes/sbd/);
a measured one only by a met ev:Observation of its measure whose ev:value reaches the threshold, or a justified
not applicable (as the ZTMM measured shapes): the -value property shape carries the threshold in sh:minInclusive,
which the framework graph's mm:Threshold names with mm:constrains.
"""
from __future__ import annotations

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH

from ..namespaces import EV
from .framework_graph import measure_iri, requirement_iri
from .model import Pack, PackRequirement

MMSH = Namespace("https://w3id.org/maturity-graph/shapes/core/")


def to_shapes_graph(pack: Pack) -> Graph:
    g = Graph(bind_namespaces="none")
    ontology = URIRef(pack.shapes_namespace.rstrip("/#"))
    g.add((ontology, RDF.type, OWL.Ontology))
    g.add((ontology, RDFS.label, Literal(f"{pack.label} requirement shapes", lang="en")))
    g.add((ontology, DCTERMS.title, Literal(f"{pack.label} ({pack.version}) requirement shapes")))
    g.add((ontology, OWL.versionInfo, Literal(pack.version)))
    g.add((ontology, DCTERMS.source, URIRef(pack.source_url)))
    g.add((ontology, DCTERMS.license, URIRef(pack.namespace + "licence")))
    g.add((ontology, RDFS.comment, Literal(
        "One node shape per requirement, built from a framework pack. An attestation requirement is met when at "
        "least one piece of current evidence that addresses it conforms to mmsh:SupportingEvidence; a measured "
        "requirement only by a met ev:Observation of its measure whose ev:value reaches the threshold "
        "(sh:minInclusive on the -value property shape), or by a justified not applicable.", lang="en")))
    sh = Namespace(pack.shapes_namespace)
    for req in pack.requirements:
        _shape(g, sh, pack, req)
    return g


def _shape(g: Graph, sh: Namespace, pack: Pack, req: PackRequirement) -> None:
    node, evidence = sh[req.slug], sh[f"{req.slug}-evidence"]
    target = requirement_iri(pack, req)
    measured = req.measure is not None and req.threshold is not None
    what = "measurement" if measured else "evidence"
    g.add((node, RDF.type, SH.NodeShape))
    g.add((node, RDFS.label, Literal(f"shape: {req.id}", lang="en")))
    g.add((node, SH.name, Literal(req.text)))
    g.add((node, SH.message, Literal(f"No current {what} shows that {req.id} is met: {req.text}")))
    g.add((node, SH.severity, SH.Violation))
    g.add((node, RDFS.seeAlso, target))
    g.add((node, SH.targetNode, target))
    g.add((node, SH.property, evidence))
    path = BNode(f"{req.slug}-path")  # a fixed id: the same pack gives the same bytes
    g.add((evidence, RDF.type, SH.PropertyShape))
    g.add((evidence, SH.path, path))
    g.add((path, SH.inversePath, EV.countsFor))
    g.add((evidence, SH.qualifiedMinCount, Literal(1)))
    if not measured:
        g.add((evidence, SH.qualifiedValueShape, MMSH.SupportingEvidence))
        g.add((evidence, SH.message, Literal(
            f"No current evidence shows that {req.id} is met: attach an artifact and an attester, or mark it not "
            "applicable with a reason.")))
        return
    assert req.measure is not None
    accepted, observation = sh[f"{req.slug}-accepted"], sh[f"{req.slug}-observation"]
    measure, value = sh[f"{req.slug}-measure"], sh[f"{req.slug}-value"]
    g.add((evidence, SH.qualifiedValueShape, accepted))
    g.add((evidence, SH.message, Literal(
        f"No current measurement shows that {req.id} is met: record an ev:Observation of {req.measure} with "
        f"ev:value at least {req.threshold}, an artifact and an attester, or mark it not applicable with a reason.")))
    g.add((accepted, RDF.type, SH.NodeShape))
    options = BNode(f"{req.slug}-options")
    Collection(g, options, [observation, MMSH.NotApplicableWithJustification])
    g.add((accepted, SH["or"], options))
    g.add((accepted, SH.message, Literal(
        f"Evidence for {req.id} counts only as a met observation of {req.measure} at or above the threshold, or as "
        "not applicable with a reason; an attestation without a measurement does not count.")))
    g.add((observation, RDF.type, SH.NodeShape))
    g.add((observation, SH["class"], EV.Observation))
    g.add((observation, SH.node, MMSH.MetWithArtifact))
    g.add((observation, SH.property, measure))
    g.add((observation, SH.property, value))
    g.add((observation, SH.message, Literal(
        f"The evidence for {req.id} must be an ev:Observation that is met, links an artifact, names an attester "
        f"and measures {req.measure}.")))
    g.add((measure, RDF.type, SH.PropertyShape))
    g.add((measure, SH.path, EV.measure))
    g.add((measure, SH.hasValue, measure_iri(pack, req.measure)))
    g.add((measure, SH.message, Literal(f"the observation does not measure {req.measure}")))
    g.add((value, RDF.type, SH.PropertyShape))
    g.add((value, SH.path, EV.value))
    g.add((value, SH.minCount, Literal(1)))
    g.add((value, SH.minInclusive, Literal(req.threshold)))
    g.add((value, SH.message, Literal(
        f"the observation gives no ev:value, or a value below the threshold {req.threshold} (the organisation may "
        f"set its own value for {req.id}-T)")))
