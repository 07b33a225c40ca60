"""Carrying evidence from one framework to another through reviewed mappings, inside one run.

Stage-aware: a mapping between two criteria (cells) carries when the source cell is met, that
is when every requirement under it is satisfied on current evidence and at least one of them is
met; a cell satisfied only because every requirement is not applicable carries nothing (it is
listed in `ApplyResult.not_applicable`): "not applicable here" says nothing about the target
framework's cell, so it must not arrive there as "met". Through a reviewed
*equal* or *superset of* mapping (the source covers the target) each requirement of the target
cell counts as met, by carried evidence that names the mapping (ev:viaMapping) and the source
evidence (prov:wasDerivedFrom). Through *subset of* or *intersects with* the target is only
partly covered: that is reported, and never lifts a stage. Unreviewed or rejected mappings,
and mappings between capabilities rather than cells, carry nothing.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from collections.abc import Mapping as MappingOf
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import PROV
from rdflib.term import Node

from ..assessment.result import AssessmentScope
from ..catalogue import Catalogue, Framework
from ..namespaces import EV
from .model import Mapping, Relation, local_part, mapping_iri

if TYPE_CHECKING:
    from ..assessment.requirements import RequirementOutcome

CARRYING = {Relation.EQUAL, Relation.SUPERSET_OF}
PARTIAL = {Relation.SUBSET_OF, Relation.INTERSECTS_WITH}
# Carried evidence is evidence, read next to the user's own, and evidence may not describe terms in
# the project's namespaces (validate/reserved.py): its nodes get URNs of their own.
CARRIED_BASE = "urn:maturity-graph:carried:"
CROSSWALK_AGENT = URIRef("urn:maturity-graph:agent:crosswalk")


@dataclass(frozen=True)
class Carried:
    """One target cell covered through one mapping, with the evidence it rests on."""

    mapping: Mapping
    relation: Relation
    source_criterion: URIRef
    target_criterion: URIRef
    target_requirements: tuple[URIRef, ...]
    source_evidence: tuple[Node, ...]
    full: bool

    def as_dict(self, ids: Callable[[URIRef], str | None]) -> dict[str, object]:
        """JSON-ready; `ids` shows an element IRI (as a prefixed name, say)."""
        return {
            "mapping": str(mapping_iri(self.mapping)),
            "relation": self.relation.value,
            "source": ids(self.source_criterion),
            "target": ids(self.target_criterion),
            "carries": self.full,
            "target_requirements": [ids(r) for r in self.target_requirements],
            "source_evidence": [str(e) for e in self.source_evidence],
        }


@dataclass
class ApplyResult:
    source: Framework
    target: Framework
    carried: list[Carried] = field(default_factory=list)
    partial: list[Carried] = field(default_factory=list)
    not_applicable: list[Carried] = field(default_factory=list)
    not_carried: int = 0
    graph: Graph = field(default_factory=Graph)


def _oriented(mapping: Mapping, source_elements: set[URIRef]) -> tuple[URIRef, URIRef, Relation] | None:
    relation = mapping.relation
    if relation is None:
        return None
    if mapping.subject in source_elements:
        return mapping.subject, mapping.object, relation
    if mapping.object in source_elements:
        return mapping.object, mapping.subject, relation.inverse
    return None


def _cells(catalogue: Catalogue, framework: Framework) -> dict[URIRef, list[URIRef]]:
    cells: dict[URIRef, list[URIRef]] = {}
    for row in catalogue.requirement_rows(framework):
        cells.setdefault(row.criterion, []).append(row.requirement)
    return cells


def carry(outcomes: MappingOf[URIRef, RequirementOutcome], mappings: Sequence[Mapping], *, source: Framework,
          target: Framework, catalogue: Catalogue, dates: MappingOf[Node, dt.date],
          scope: AssessmentScope | None = None) -> ApplyResult:
    """What the source framework's requirement outcomes imply for the target through `mappings`, within the
    assessment `scope` (whose evidence the outcomes rest on: what is carried belongs to it)."""
    src_cells, dst_cells = _cells(catalogue, source), _cells(catalogue, target)
    result = ApplyResult(source, target)
    for mapping in mappings:
        oriented = _oriented(mapping, set(src_cells))
        if not mapping.reviewed or oriented is None or oriented[1] not in dst_cells:
            result.not_carried += 1
            continue
        source_cell, target_cell, relation = oriented
        requirements = src_cells[source_cell]
        if relation not in CARRYING | PARTIAL or not all(outcomes[r].satisfied for r in requirements):
            continue
        used = tuple(sorted({e for r in requirements for e in outcomes[r].evidence}, key=str))
        if not any(outcomes[r].outcome == EV.Met for r in requirements):  # satisfied only as not applicable
            result.not_applicable.append(Carried(mapping, relation, source_cell, target_cell,
                                                 tuple(dst_cells[target_cell]), used, False))
            continue
        entry = Carried(mapping, relation, source_cell, target_cell, tuple(dst_cells[target_cell]), used,
                        relation in CARRYING)
        (result.carried if entry.full else result.partial).append(entry)
    result.graph = carried_graph(result.carried, dates, scope)
    return result


def carried_graph(carried: Sequence[Carried], dates: MappingOf[Node, dt.date],
                  scope: AssessmentScope | None = None) -> Graph:
    """Carried evidence as ev:Attestation items a target assessment reads next to its own evidence.

    Each is dated as its oldest source evidence (`dates`: evidence item -> ev:date), so it expires no later.
    Within a named assessment each item belongs to it (ev:inAssessment) and its IRI names it, so what is
    carried in several assessments of one graph never shares a node.
    """
    named = scope is not None and scope.iri is not None
    base = f"{CARRIED_BASE}{scope.key}/" if scope is not None and named else CARRIED_BASE
    graph = Graph()
    graph.add((CROSSWALK_AGENT, RDF.type, PROV.SoftwareAgent))
    graph.add((CROSSWALK_AGENT, RDFS.label, Literal("maturity-graph crosswalk (reviewed mappings)")))
    for entry in carried:
        known = [dates[e] for e in entry.source_evidence if e in dates]
        if not known:
            continue
        via = mapping_iri(entry.mapping)
        for requirement in entry.target_requirements:
            node = URIRef(f"{base}{local_part(via)}/{local_part(requirement)}")
            graph.add((node, RDF.type, EV.Attestation))
            if scope is not None and scope.iri is not None:
                graph.add((node, EV.inAssessment, scope.iri))
            graph.add((node, RDFS.label, Literal(f"carried to {local_part(requirement)} via {local_part(via)}")))
            graph.add((node, EV.addresses, requirement))
            graph.add((node, EV.status, EV.Met))
            graph.add((node, EV.date, Literal(min(known).isoformat(), datatype=XSD.date)))
            graph.add((node, EV.artifact, Literal(str(via), datatype=XSD.anyURI)))
            graph.add((node, EV.viaMapping, via))
            graph.add((node, PROV.wasAttributedTo, CROSSWALK_AGENT))
            graph.add((node, EV.note, Literal(
                f"carried from {local_part(entry.source_criterion)} "
                f"through a reviewed '{entry.relation.value}' mapping")))
            for item in entry.source_evidence:
                graph.add((node, PROV.wasDerivedFrom, item))
    return graph
