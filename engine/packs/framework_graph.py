"""to_framework_graph(): a pack as the framework graph the bundled models are (ontology/frameworks/sbd.ttl's shape).

Everything the pack's author states (roll-ups unless `roll_up_published`, thresholds, the evidence policy) is
labelled with the pack's own rule authority, so results can tell it from the source's; every criterion and
requirement points to its source (source_ref) and, through prov:wasDerivedFrom, to the pack row it was built from.
"""
from __future__ import annotations

from decimal import Decimal

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS

from ..namespaces import MM
from .model import (
    AVERAGE,
    COVERAGE_SUM,
    LOWEST,
    Pack,
    PackPart,
    PackRequirement,
    PackRollUp,
)
from .reader import CONCEPTS, bundled_readings, slug

CPT = Namespace(CONCEPTS)
METHODS = {LOWEST: MM.MinimumStage, AVERAGE: MM.WeightedAverage, "weighted": MM.WeightedAverage}


def _en(text: str) -> Literal:
    return Literal(text, lang="en")


def framework_iri(pack: Pack) -> URIRef:
    return URIRef(pack.namespace + "model")


# The `author` that makes a pack's own rules maturity-graph's: packs this project keeps (ontology/packs/).
MATURITY_GRAPH = "maturity-graph"


def authority_iri(pack: Pack) -> URIRef:
    """The pack author's rule authority: whoever wrote the pack stands behind the rules it states."""
    if pack.author == MATURITY_GRAPH:
        return MM.ChosenByMaturityGraph
    return URIRef(pack.namespace + "chosen-by-pack-author")


def measure_iri(pack: Pack, measure: str) -> URIRef:
    return URIRef(pack.namespace + "measure-" + slug(measure))


def requirement_iri(pack: Pack, req: PackRequirement) -> URIRef:
    return URIRef(pack.namespace + req.slug)


def to_framework_graph(pack: Pack) -> Graph:
    ns = Namespace(pack.namespace)
    g = Graph(bind_namespaces="none")
    fw = framework_iri(pack)
    ours = authority_iri(pack)
    rule_authority = MM.PublishedBySource if pack.roll_up_published else ours
    # not the source's publisher: the pack's rules are its author's
    author = pack.author or f"the author of the {pack.label} pack"
    source = URIRef(pack.source_url)

    ontology = URIRef(pack.namespace.rstrip("/#"))
    g.add((ontology, RDF.type, OWL.Ontology))
    g.add((ontology, RDFS.label, _en(f"{pack.label}, built from a framework pack")))
    g.add((ontology, DCTERMS.title, Literal(f"{pack.label} ({pack.version}), built from a framework pack")))
    g.add((ontology, OWL.versionInfo, Literal(pack.version)))
    g.add((ontology, DCTERMS.source, source))
    g.add((ontology, DCTERMS.license, ns.licence))
    g.add((ontology, RDFS.comment, _en(
        f"Built by `mgraph framework build` from the framework pack {pack.id} (framework.yaml and {pack.sheet.name}); "
        f"the requirements, roll-ups, thresholds and evidence policy are the pack's, written by {author}.")))

    licence = ns.licence
    g.add((licence, RDF.type, DCTERMS.LicenseDocument))
    g.add((licence, RDFS.label, _en(pack.licence)))
    if pack.attribution is None:
        g.add((licence, RDFS.comment, _en(
            f"The licence the pack's author states for {pack.source_title}; maturity-graph has not read its terms, "
            "so the pack quotes nothing of the source (no mm:sourceText).")))
    else:
        g.add((licence, RDFS.comment, _en(
            f"The licence {pack.source_title} is under; the pack's author has read its terms (licence_url) and "
            "quotes the source under them, with the attribution on the framework (dcterms:rights).")))
    if pack.licence_url:
        g.add((licence, RDFS.seeAlso, URIRef(pack.licence_url)))

    if ours != MM.ChosenByMaturityGraph:
        g.add((ours, RDF.type, MM.RuleAuthority))
        g.add((ours, RDFS.label, _en(f"chosen by {author}")))
        g.add((ours, RDFS.comment, _en(
            f"The rule or number is stated by the {pack.label} pack's author, not published by its source.")))

    g.add((fw, RDF.type, MM.Framework))
    g.add((fw, RDFS.label, _en(pack.label)))
    g.add((fw, DCTERMS.identifier, Literal(pack.id)))
    g.add((fw, DCTERMS.title, Literal(pack.label)))
    g.add((fw, OWL.versionInfo, Literal(pack.version)))
    if pack.publisher:
        g.add((fw, DCTERMS.publisher, Literal(pack.publisher)))
    g.add((fw, DCTERMS.source, source))
    g.add((fw, DCTERMS.license, licence))
    g.add((fw, MM.licenceStatus, MM.LicenceUnverified if pack.attribution is None else MM.LicenceVerified))
    if pack.attribution is not None:
        g.add((fw, DCTERMS.rights, Literal(pack.attribution)))
    g.add((fw, DCTERMS.bibliographicCitation, Literal(f"{pack.source_title}. {pack.source_url}")))
    g.add((fw, RDFS.comment, _en(
        f"{pack.label}: {len(pack.dimensions)} dimension(s), {len(pack.capabilities)} capabilities, "
        f"{len(pack.stages)} stages and {len(pack.requirements)} requirements, from a framework pack.")))
    for stage in pack.stages:
        g.add((fw, MM.hasStage, ns[f"stage-{stage.rank}"]))
    for dim in pack.dimensions:
        g.add((fw, MM.hasDimension, ns[dim.slug]))
    if pack.target is not None:
        g.add((fw, MM.targetStage, ns[f"stage-{pack.target}"]))

    policy = ns["evidence-policy"]
    g.add((fw, MM.evidencePolicy, policy))
    g.add((policy, RDF.type, MM.EvidencePolicy))
    g.add((policy, RDFS.label, _en(f"{pack.label} evidence policy")))
    g.add((policy, RDFS.comment, _en(f"Evidence counts for {pack.validity_days} days after its date, as the pack "
                                     "states (validity_days).")))
    g.add((policy, MM.validityDays, Literal(pack.validity_days)))
    g.add((policy, MM.authority, ours))

    _roll_ups(g, ns, pack, fw, rule_authority)
    _stages(g, ns, pack)
    _structure(g, ns, pack)
    return g


def _roll_ups(g: Graph, ns: Namespace, pack: Pack, fw: URIRef, authority: URIRef) -> None:
    whose = "published by the source" if pack.roll_up_published else "stated by the pack's author"
    cap = ns["capability-rollup"]
    g.add((fw, MM.rollUp, cap))
    g.add((cap, RDF.type, MM.RollUp))
    g.add((cap, RDFS.label, _en(f"{pack.label} capability roll-up")))
    g.add((cap, MM.level, MM.CapabilityLevel))
    g.add((cap, MM.authority, authority))
    if pack.capability_roll_up == COVERAGE_SUM:
        g.add((cap, MM.method, MM.CoverageSum))
        g.add((cap, RDFS.comment, _en(
            "A capability scores the sum over its stages of each stage's coverage: the current measurement of the "
            "stage's measured requirement when every other requirement of the stage is satisfied, else 0; no stage "
            f"gates another; {whose}. The stage shown beside the score is the highest whose requirements, and those "
            "of every lower stage, are all satisfied.")))
    else:
        g.add((cap, MM.method, MM.CumulativeGating))
        g.add((cap, RDFS.comment, _en("A capability reaches the highest stage whose requirements, and those of every "
                                      f"lower stage, are all satisfied; {whose}.")))
    grouped = pack.group_roll_up is not None
    levels = (("group", MM.GroupLevel, pack.group_roll_up, [c.id for c in pack.capabilities]),
              ("dimension", MM.DimensionLevel, pack.dimension_roll_up,
               [p.id for p in pack.groups] if grouped else [c.id for c in pack.capabilities]),
              ("overall", MM.OverallLevel, pack.overall_roll_up, [d.id for d in pack.dimensions]))
    slugs = {d.id: d.slug for d in pack.dimensions} | {p.id: p.slug for p in pack.groups} | \
        {c.id: c.slug for c in pack.capabilities}
    labels = {d.id: d.label for d in pack.dimensions} | {p.id: p.label for p in pack.groups} | \
        {c.id: c.label for c in pack.capabilities}
    for name, level, rule, parts in levels:
        if rule is None:
            continue
        node = ns[f"{name}-rollup"]
        g.add((fw, MM.rollUp, node))
        g.add((node, RDF.type, MM.RollUp))
        g.add((node, RDFS.label, _en(f"{pack.label} {name} roll-up")))
        g.add((node, RDFS.comment, _en(_describe(rule, name, whose, grouped))))
        g.add((node, MM.level, level))
        g.add((node, MM.method, METHODS[rule.method]))
        g.add((node, MM.authority, authority))
        if name == "dimension" and grouped:
            g.add((node, MM.partKind, MM.CapabilityGroup))
        if pack.decimal_places is not None and rule.method != LOWEST:
            g.add((node, MM.decimalPlaces, Literal(pack.decimal_places)))
        weights = rule.weights if rule.method != AVERAGE else tuple((p, Decimal(1)) for p in parts)
        for part, weight in weights:
            weighting = ns[f"{name}-rollup-weight-{slugs[part]}"]
            g.add((node, MM.weighting, weighting))
            g.add((weighting, RDF.type, MM.Weighting))
            g.add((weighting, RDFS.label, _en(f"weight of {labels[part]} in the {name} roll-up")))
            g.add((weighting, MM.weightOf, ns[slugs[part]]))
            g.add((weighting, MM.weight, Literal(weight)))
            g.add((weighting, MM.authority, authority))


def _describe(rule: PackRollUp, name: str, whose: str, grouped: bool) -> str:
    parts = {"group": "capabilities", "dimension": "groups" if grouped else "capabilities"}.get(name, "parts")
    if rule.method == LOWEST:
        return f"The {name} gets the lowest stage among its {parts}; {whose}."
    how = "every part weighing 1" if rule.method == AVERAGE else "with the weights the pack gives"
    return (f"The weighted mean of the {parts}' scores or, where they have none, stage values (a stage's value is "
            f"its rank), {how}; the {name} reaches the highest stage whose value the mean reaches; {whose}.")


def _stages(g: Graph, ns: Namespace, pack: Pack) -> None:
    valued = any(r is not None and r.method != LOWEST
                 for r in (pack.group_roll_up, pack.dimension_roll_up, pack.overall_roll_up))
    for stage in pack.stages:
        node = ns[f"stage-{stage.rank}"]
        g.add((node, RDF.type, MM.Stage))
        g.add((node, RDFS.label, _en(stage.label)))
        g.add((node, DCTERMS.identifier, Literal(stage.id)))
        g.add((node, MM.rank, Literal(stage.rank)))
        if valued:
            g.add((node, MM.stageValue, Literal(Decimal(f"{stage.rank}.0"))))


def _structure(g: Graph, ns: Namespace, pack: Pack) -> None:
    row_of = _row_refs(g, ns, pack)
    groups = {group.id: group for group in pack.groups}
    for order, group in enumerate(pack.groups, start=1):
        _part(g, ns[group.slug], MM.CapabilityGroup, group, order, row_of[group.row])
    for order, dim in enumerate(pack.dimensions, start=1):
        node = ns[dim.slug]
        _part(g, node, MM.Dimension, dim, order, row_of[dim.row])
        caps = [c for c in pack.capabilities if c.dimension == dim.id]
        for cap_order, cap in enumerate(caps, start=1):
            g.add((node, MM.hasCapability, ns[cap.slug]))
            cap_node = ns[cap.slug]
            _part(g, cap_node, MM.Capability, cap, cap_order, row_of[cap.row])
            if cap.group is not None:
                g.add((cap_node, MM.group, ns[groups[cap.group].slug]))
            for stage in pack.stages:
                crit = ns[f"{cap.slug}-stage-{stage.rank}"]
                g.add((crit, RDF.type, MM.Criterion))
                g.add((crit, RDFS.label, _en(f"{cap.label} at {stage.label}")))
                g.add((crit, DCTERMS.identifier, Literal(f"{pack.id.upper()}-{cap.id}-{stage.id}")))
                g.add((crit, MM.capability, cap_node))
                g.add((crit, MM.stage, ns[f"stage-{stage.rank}"]))
                if stage.baseline:
                    _source(g, ns[f"{cap.slug}-stage-{stage.rank}-source"], crit, pack, None, stage.label)
                    g.add((crit, MM.isBaseline, Literal(True)))
                    g.add((crit, SKOS.editorialNote, _en(
                        f"Baseline: framework.yaml marks {stage.label} as the baseline stage, which needs no "
                        "requirement; an assessed capability starts here.")))
                    continue
                reqs = [r for r in pack.requirements if r.capability == cap.id and r.stage == stage.rank]
                refs = list(dict.fromkeys(r.source_ref for r in reqs))
                for index, ref in enumerate(refs, start=1):
                    _source(g, ns[f"{cap.slug}-stage-{stage.rank}-source-{index}"], crit, pack, ref, stage.label)
                for req_order, req in enumerate(reqs, start=1):
                    g.add((crit, MM.requires, requirement_iri(pack, req)))
                    g.add((crit, PROV.wasDerivedFrom, row_of[req.row]))
                    _requirement(g, ns, pack, req, req_order, row_of[req.row])


def _part(g: Graph, node: URIRef, kind: URIRef, part: PackPart, order: int, row: URIRef) -> None:
    """A dimension, group or capability: its class, label, identifier, reading order and the row that names it."""
    g.add((node, RDF.type, kind))
    g.add((node, RDFS.label, _en(part.label)))
    g.add((node, DCTERMS.identifier, Literal(part.id)))
    g.add((node, MM.order, Literal(order)))
    g.add((node, PROV.wasDerivedFrom, row))


def _source(g: Graph, node: URIRef, subject: URIRef, pack: Pack, ref: str | None, column: str) -> None:
    g.add((subject, MM.source, node))
    g.add((node, RDF.type, MM.SourceReference))
    g.add((node, MM.sourceDocument, Literal(pack.source_title)))
    if ref is not None:
        g.add((node, MM.sourceRow, Literal(ref)))
    g.add((node, MM.sourceColumn, Literal(column)))


def _row_refs(g: Graph, ns: Namespace, pack: Pack) -> dict[int, URIRef]:
    """One reference per sheet row: the file and row a requirement (and its criterion) was built from."""
    refs = {}
    for req in pack.requirements:
        node = ns[f"pack-row-{req.row}"]
        g.add((node, RDF.type, MM.SourceReference))
        g.add((node, MM.sourceDocument, Literal(pack.sheet.name)))
        g.add((node, MM.sourceRow, Literal(str(req.row))))
        refs[req.row] = node
    return refs


def _requirement(g: Graph, ns: Namespace, pack: Pack, req: PackRequirement, order: int, row: URIRef) -> None:
    node = requirement_iri(pack, req)
    shapes = Namespace(pack.shapes_namespace)
    g.add((node, RDF.type, MM.Requirement))
    g.add((node, RDFS.label, _en(req.text)))
    g.add((node, DCTERMS.identifier, Literal(req.id)))
    g.add((node, MM.order, Literal(order)))
    g.add((node, PROV.wasDerivedFrom, row))
    _source(g, ns[f"{req.slug}-source"], node, pack, req.source_ref, pack.stage(req.stage).label)
    for concept in req.concepts:
        g.add((node, MM.concept, CPT[concept]))
    g.add((node, MM.shape, shapes[req.slug]))
    if req.measure is None or req.threshold is None:
        return
    measure = measure_iri(pack, req.measure)
    g.add((node, MM.concept, measure))
    g.add((node, MM.measure, measure))
    g.add((measure, RDF.type, SKOS.Concept))
    g.add((measure, RDFS.label, _en(req.measure)))
    g.add((measure, SKOS.definition, _en(
        f"{req.measure}: a share from 0 to 1 that the {pack.label} pack measures; named by the pack's author.")))
    threshold = ns[f"{req.slug}-threshold"]
    g.add((node, MM.threshold, threshold))
    g.add((threshold, RDF.type, MM.Threshold))
    g.add((threshold, RDFS.label, _en(f"{req.measure} for {req.id}")))
    g.add((threshold, DCTERMS.identifier, Literal(f"{req.id}-T")))
    read = "" if req.reading is None else ", by the reading of a vague quantifier it names (mm:reading)"
    g.add((threshold, RDFS.comment, _en(
        f"The pack states {req.threshold} as the least value of the measure ({req.measure}) that meets {req.id}"
        f"{read}; an organisation may set its own value with an ev:ThresholdSetting.")))
    g.add((threshold, MM.defaultValue, Literal(req.threshold)))
    # a threshold read with one of maturity-graph's readings is maturity-graph's number (docs/readings.md)
    readings = {r.iri: r for r in bundled_readings().values()}
    ours = req.reading is not None and readings[req.reading].authority == str(MM.ChosenByMaturityGraph)
    g.add((threshold, MM.authority, MM.ChosenByMaturityGraph if ours else authority_iri(pack)))
    if req.reading is not None:
        g.add((threshold, MM.reading, URIRef(req.reading)))
    g.add((threshold, MM.constrains, shapes[f"{req.slug}-value"]))
