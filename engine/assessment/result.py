"""Assessment results: typed objects for callers, and the same facts as a result graph."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, Any, Protocol

from rdflib import Graph, URIRef

if TYPE_CHECKING:
    from ..catalogue import Catalogue
    from .portfolio import PortfolioResult
    from .requirements import RequirementOutcome
    from .scoring import StageWorking
    from .targets import Target
    from .thresholds import ThresholdValue
    from .weightings import Weight

KINDS = ("capability", "group", "dimension", "tier", "overall")


@dataclass(frozen=True)
class StageRef:
    rank: int
    label: str
    iri: URIRef

    def as_dict(self) -> dict[str, Any]:
        return {"rank": self.rank, "label": self.label}


@dataclass(frozen=True)
class Gap:
    """An unsatisfied requirement of the next stage, with the reason it is unsatisfied."""

    id: str
    text: str
    iri: URIRef
    reason: str

    def as_dict(self) -> dict[str, str]:
        return {"id": self.id, "text": self.text, "iri": str(self.iri), "reason": self.reason}


@dataclass(frozen=True)
class Override:
    """An organisation's setting that replaced a framework's default in this assessment."""

    kind: str
    id: str
    value: Decimal
    default: Decimal | None

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "value": float(self.value),
                "default": float(self.default) if self.default is not None else None}

    def text(self) -> str:
        default = f" (default {self.default.normalize():f})" if self.default is not None else ""
        return f"{self.kind} {self.id} = {self.value.normalize():f}{default}"


@dataclass(frozen=True)
class Subject:
    """What an assessment is of (ev:subject): a product, business unit, cloud account or agency component."""

    iri: URIRef
    id: str  # ev:identifier, else the label, else the IRI's last segment: what --subject matches
    label: str
    kind: str | None = None  # "product", "cloud account", ... (the subject's class label)

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "kind": self.kind, "iri": str(self.iri)}


@dataclass(frozen=True)
class AssessmentScope:
    """The assessment a set of results belongs to: its node, subject, organisation and date.

    `iri` is None for evidence that names no ev:Assessment at all, which is assessed as one.
    `key` is unique within a run and names the assessment in result IRIs.
    """

    iri: URIRef | None
    key: str
    subject: Subject | None = None
    organisation: str | None = None
    date: dt.date | None = None
    label: str | None = None

    @property
    def name(self) -> str:
        """What people call it in a table: the subject's label, else the assessment's label, else its key."""
        if self.subject is not None:
            return self.subject.label
        return self.label or self.key

    def as_dict(self) -> dict[str, Any]:
        return {"assessment": str(self.iri) if self.iri is not None else None, "key": self.key,
                "label": self.label, "subject": self.subject.as_dict() if self.subject else None,
                "organisation": self.organisation, "date": self.date.isoformat() if self.date else None}


class Staged(Protocol):
    """Anything with a stage reached (None below the first) and whether it was assessed."""

    @property
    def stage(self) -> StageRef | None: ...

    @property
    def assessed(self) -> bool: ...


def stage_text(result: Staged) -> str:
    """How a stage reads in text: its label, else "below the first stage" or "not assessed"."""
    if result.stage is not None:
        return result.stage.label
    return "below the first stage" if result.assessed else "not assessed"


@dataclass(frozen=True)
class StageResult:
    """The stage of one capability, one dimension, or a framework overall."""

    framework: str
    kind: str
    id: str
    label: str
    iri: URIRef
    stage: StageRef | None
    next_stage: StageRef | None
    gaps: tuple[Gap, ...]
    distance_to_target: int | None
    rule: str
    rule_is_ours: bool
    rule_by: str | None = None  # who stands behind the rule, as its authority's label says
    parts: tuple[str, ...] = ()
    note: str | None = None
    dimension: str | None = None
    group: str | None = None  # a capability's group (mm:group), where the framework groups capabilities
    capability_kind: str | None = None
    aspect: str | None = None
    assessed: bool = True
    score: Decimal | None = None
    working: tuple[StageWorking, ...] = ()
    tier: str | None = None
    via_crosswalk: tuple[str, ...] = ()
    overrides: tuple[Override, ...] = ()

    @property
    def rule_whose(self) -> str:
        """Who stands behind the rule, in words: its authority's label, else whether it is maturity-graph's."""
        return self.rule_by or ("chosen by maturity-graph" if self.rule_is_ours else "published by the source")

    def as_dict(self) -> dict[str, Any]:
        return {
            "framework": self.framework,
            "kind": self.kind,
            "id": self.id,
            "label": self.label,
            "iri": str(self.iri),
            "stage": self.stage.as_dict() if self.stage else None,
            "next_stage": self.next_stage.as_dict() if self.next_stage else None,
            "gaps": [g.as_dict() for g in self.gaps],
            "distance_to_target": self.distance_to_target,
            "rule": {"label": self.rule, "ours": self.rule_is_ours, "by": self.rule_by},
            "parts": list(self.parts),
            "note": self.note,
            "dimension": self.dimension,
            "group": self.group,
            "capability_kind": self.capability_kind,
            "aspect": self.aspect,
            "assessed": self.assessed,
            "score": float(self.score) if self.score is not None else None,
            "working": [w.as_dict() for w in self.working],
            "tier": self.tier,
            "via_crosswalk": list(self.via_crosswalk),
            "overrides": [o.as_dict() for o in self.overrides],
        }


@dataclass
class FrameworkAssessment:
    """Every result for one framework, in reading order: capabilities, dimensions, overall."""

    framework: str
    label: str
    version: str
    target: StageRef | None
    results: list[StageResult] = field(default_factory=list)
    scope: AssessmentScope | None = None
    as_of: dt.date | None = None
    requirements: dict[URIRef, RequirementOutcome] = field(default_factory=dict)
    thresholds: list[ThresholdValue] = field(default_factory=list)
    weights: list[Weight] = field(default_factory=list)
    overrides: list[Override] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)  # the framework's, then each capability's own (targets.py)

    def of_kind(self, kind: str) -> list[StageResult]:
        return [r for r in self.results if r.kind == kind]

    def get(self, id_: str) -> StageResult:
        for r in self.results:
            if r.id == id_:
                return r
        raise KeyError(id_)


@dataclass
class AssessmentResult:
    """What `assess` returns: per-framework results and the as-of day; `graph` projects them as triples."""

    as_of: dt.date
    frameworks: list[FrameworkAssessment]
    catalogue: Catalogue = field(repr=False, compare=False)
    scopes: list[AssessmentScope] = field(default_factory=list)

    @cached_property
    def graph(self) -> Graph:
        """The result graph (ev:RequirementResult, ev:CapabilityResult, ...): the same facts as as_dict()."""
        from .projection import result_graph  # projection imports this module

        return result_graph(self, self.catalogue)

    @property
    def results(self) -> list[StageResult]:
        return [r for fw in self.frameworks for r in fw.results]

    @cached_property
    def portfolio(self) -> list[PortfolioResult]:
        """Per framework assessed for two or more subjects, each result across them (assessment/portfolio.py)."""
        from .portfolio import portfolio  # portfolio imports this module

        return portfolio(self.frameworks, self.catalogue)

    def framework(self, fw_id: str, subject: str | None = None) -> FrameworkAssessment:
        """The results of one framework: of the one assessment about it, or of the named subject's."""
        found = [fa for fa in self.frameworks if fa.framework == fw_id
                 and (subject is None or (fa.scope is not None and fa.scope.subject is not None
                                          and subject in (fa.scope.subject.id, fa.scope.subject.label)))]
        if len(found) > 1:
            names = ", ".join(fa.scope.name for fa in found if fa.scope is not None)
            raise KeyError(f"{fw_id} was assessed for several subjects ({names}); name one")
        if not found:
            raise KeyError(fw_id if subject is None else f"{fw_id} of {subject}")
        return found[0]

    def as_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "assessments": [scope.as_dict() for scope in self.scopes],
            "frameworks": [
                {
                    **_scope_keys(fw),
                    "as_of": fw.as_of.isoformat() if fw.as_of else None,
                    "framework": fw.framework,
                    "label": fw.label,
                    "version": fw.version,
                    "target": fw.target.as_dict() if fw.target else None,
                    "targets": [t.as_dict() for t in fw.targets],
                    "thresholds": [t.as_dict() for t in fw.thresholds],
                    "weights": sorted((w.as_dict() for w in fw.weights), key=lambda d: d["of"]),
                    "overrides": [o.as_dict() for o in fw.overrides],
                }
                for fw in self.frameworks
            ],
            "results": [{**_scope_keys(fw), **r.as_dict()} for fw in self.frameworks for r in fw.results],
            "portfolio": [p.as_dict() for p in self.portfolio],
        }


def _scope_keys(fa: FrameworkAssessment) -> dict[str, Any]:
    """What names a result's assessment and subject in the JSON: every result says whose it is."""
    scope = fa.scope
    subject = scope.subject if scope is not None else None
    return {"assessment": scope.key if scope is not None else None,
            "subject": subject.id if subject is not None else None}
