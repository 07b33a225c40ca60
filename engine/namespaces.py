"""Closed namespaces for the vocabulary: a misspelt term raises. Kept in step with
 ontology/mm.ttl and ontology/ev.ttl by tests/engine/test_namespaces.py."""
from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef


class MM(DefinedNamespace):
    """Terms of ontology/mm.ttl."""

    _fail = True
    _NS = Namespace("https://w3id.org/maturity-graph/mm#")

    Capability: URIRef
    CapabilityGroup: URIRef
    CapabilityLevel: URIRef
    ChosenByMaturityGraph: URIRef
    CoverageSum: URIRef
    Criterion: URIRef
    Critical: URIRef
    CrossCuttingCapability: URIRef
    CumulativeGating: URIRef
    Dimension: URIRef
    DimensionLevel: URIRef
    Equal: URIRef
    EvidencePolicy: URIRef
    Framework: URIRef
    Function: URIRef
    Functional: URIRef
    GroupLevel: URIRef
    High: URIRef
    IntersectsWith: URIRef
    LicenceNotStated: URIRef
    LicenceStatus: URIRef
    LicenceUnverified: URIRef
    LicenceVerified: URIRef
    Low: URIRef
    Mapping: URIRef
    MappingRationale: URIRef
    MappingSet: URIRef
    Medium: URIRef
    MinimumStage: URIRef
    NotRelated: URIRef
    OverallLevel: URIRef
    PortfolioLevel: URIRef
    PortfolioRollUp: URIRef
    PublishedBySource: URIRef
    QuantifierReading: URIRef
    ReadingAll: URIRef
    ReadingBeginsTo: URIRef
    ReadingEnterpriseWide: URIRef
    ReadingMost: URIRef
    ReadingNearlyAll: URIRef
    ReadingTopOfScale: URIRef
    ReadingUnqualified: URIRef
    Rejected: URIRef
    Requirement: URIRef
    ResultLevel: URIRef
    ReviewStatus: URIRef
    Reviewed: URIRef
    RollUp: URIRef
    RollUpMethod: URIRef
    RuleAuthority: URIRef
    Semantic: URIRef
    SetRelation: URIRef
    Severity: URIRef
    SourceGap: URIRef
    SourceReference: URIRef
    Stage: URIRef
    StageLeftOut: URIRef
    StageSpread: URIRef
    SubsetOf: URIRef
    SupersetOf: URIRef
    Syntactic: URIRef
    Threshold: URIRef
    Tier: URIRef
    TierLevel: URIRef
    TierReadiness: URIRef
    UnpublishedStageRule: URIRef
    Unreviewed: URIRef
    WeightedAverage: URIRef
    WeightedGatedScore: URIRef
    Weighting: URIRef
    author: URIRef
    authority: URIRef
    capability: URIRef
    composedOf: URIRef
    concept: URIRef
    confidence: URIRef
    constrains: URIRef
    crossCuttingAspect: URIRef
    decimalPlaces: URIRef
    defaultValue: URIRef
    evidencePolicy: URIRef
    gap: URIRef
    gate: URIRef
    group: URIRef
    hasCapability: URIRef
    hasDimension: URIRef
    hasStage: URIRef
    inMappingSet: URIRef
    isBaseline: URIRef
    justification: URIRef
    level: URIRef
    licenceStatus: URIRef
    mappingDate: URIRef
    mapsFrom: URIRef
    mapsTo: URIRef
    measure: URIRef
    method: URIRef
    objectOnlyConcept: URIRef
    order: URIRef
    partKind: URIRef
    population: URIRef
    quantifier: URIRef
    rank: URIRef
    rationale: URIRef
    reading: URIRef
    relation: URIRef
    requires: URIRef
    reviewStatus: URIRef
    reviewer: URIRef
    rollUp: URIRef
    severity: URIRef
    shape: URIRef
    share: URIRef
    sharedConcept: URIRef
    source: URIRef
    sourceColumn: URIRef
    sourceDocument: URIRef
    sourcePage: URIRef
    sourceRow: URIRef
    sourceTable: URIRef
    sourceText: URIRef
    stage: URIRef
    stageValue: URIRef
    strength: URIRef
    subjectOnlyConcept: URIRef
    targetStage: URIRef
    threshold: URIRef
    tier: URIRef
    tierRank: URIRef
    unpublishedStage: URIRef
    validityDays: URIRef
    weight: URIRef
    weightOf: URIRef
    weighting: URIRef


class EV(DefinedNamespace):
    """Terms of ontology/ev.ttl."""

    _fail = True
    _NS = Namespace("https://w3id.org/maturity-graph/ev#")

    AgencyComponent: URIRef
    Assessment: URIRef
    Attestation: URIRef
    BusinessUnit: URIRef
    CapabilityResult: URIRef
    CheckResult: URIRef
    CloudAccount: URIRef
    DimensionResult: URIRef
    Evidence: URIRef
    Finding: URIRef
    GroupResult: URIRef
    Met: URIRef
    NotApplicable: URIRef
    NotMet: URIRef
    Observation: URIRef
    OverallResult: URIRef
    PlannedAction: URIRef
    PortfolioResult: URIRef
    Product: URIRef
    Record: URIRef
    RequirementResult: URIRef
    StageResult: URIRef
    Status: URIRef
    Subject: URIRef
    TargetSetting: URIRef
    ThresholdSetting: URIRef
    TierResult: URIRef
    Unknown: URIRef
    WeightSetting: URIRef
    account: URIRef
    addresses: URIRef
    appliesTo: URIRef
    artifact: URIRef
    artifactHash: URIRef
    asOf: URIRef
    assessed: URIRef
    assessedCount: URIRef
    assessment: URIRef
    assessmentDate: URIRef
    checkId: URIRef
    checkStatus: URIRef
    count: URIRef
    countsFor: URIRef
    date: URIRef
    distanceToTarget: URIRef
    drawsOn: URIRef
    dueDate: URIRef
    effort: URIRef
    evidenceValidityDays: URIRef
    framework: URIRef
    gap: URIRef
    identifier: URIRef
    inAssessment: URIRef
    lowestStage: URIRef
    measure: URIRef
    measured: URIRef
    medianStage: URIRef
    nextStage: URIRef
    note: URIRef
    organisation: URIRef
    outcome: URIRef
    owner: URIRef
    population: URIRef
    priority: URIRef
    region: URIRef
    reliesOn: URIRef
    requirement: URIRef
    resource: URIRef
    resultFor: URIRef
    rule: URIRef
    satisfied: URIRef
    scope: URIRef
    score: URIRef
    stageCount: URIRef
    stageReached: URIRef
    status: URIRef
    subject: URIRef
    targetCapability: URIRef
    targetSetting: URIRef
    targetStage: URIRef
    threshold: URIRef
    thresholdSetting: URIRef
    thresholdValue: URIRef
    value: URIRef
    viaMapping: URIRef
    weightSetting: URIRef
    weightValue: URIRef
    weighting: URIRef


CPT = Namespace("https://w3id.org/maturity-graph/concept/")
RES = Namespace("https://w3id.org/maturity-graph/result/")
GRAPH = Namespace("https://w3id.org/maturity-graph/graph/")
# What a scoped query names as its assessment when the evidence names none: it matches nothing.
NO_ASSESSMENT = URIRef("https://w3id.org/maturity-graph/graph/no-assessment")
# The nodes a requirement shape is checked on, one per assessment and requirement (evidence/count-current.ru).
STAND_IN = Namespace("https://w3id.org/maturity-graph/stand-in/")

# The named graphs of one run's store: rules are read only from CONTENT_GRAPH, so evidence
# (EVIDENCE_GRAPH, and one graph per source under it) can describe evidence but never change a
# framework, a shape or a setting's meaning. CURRENT_GRAPH holds what the engine derives about
# evidence (which items count on the as-of day) and DECIDED_GRAPH the requirement results the stage
# query reads: both are a run's working graphs, removed when it ends. RESULTS_GRAPH holds a result
# graph only when the user asks to keep one (--write-results).
CONTENT_GRAPH = GRAPH.content
EVIDENCE_GRAPH = GRAPH.evidence
CURRENT_GRAPH = GRAPH.current
DECIDED_GRAPH = GRAPH.decided
RESULTS_GRAPH = GRAPH.results


def evidence_graph(name: str | int) -> URIRef:
    """The named graph of one evidence source: graph:evidence/<n> for the n-th file of a run, or a name."""
    return URIRef(f"{EVIDENCE_GRAPH}/{name}")


def is_evidence_graph(graph: URIRef) -> bool:
    return graph == EVIDENCE_GRAPH or str(graph).startswith(f"{EVIDENCE_GRAPH}/")
BASE = "https://w3id.org/maturity-graph/"
