"""Target stages: the framework's published target, replaced by the organisation's ev:TargetSetting nodes.

An organisation aims for a stage per framework, and optionally per capability, for one assessment
(a setting on the ev:Assessment), for some subjects (a setting on the prov:Organization with
ev:appliesTo) or for all of its subjects (a setting on the organisation without ev:appliesTo).
The most local origin that says anything about a capability decides its target, in this order:

    assessment > organisation, for the subject > organisation-wide > published (SbD) > none

and within one origin a setting for the capability beats a setting for the whole framework. The
framework-level target (dimension and overall distances) is the most local framework-wide setting,
else the published one. Settings are read from the evidence graphs, stages from graph:content.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from ..catalogue import Catalogue, Framework
from ..errors import EvidenceError
from ..rdf import prefixed
from .result import StageRef

if TYPE_CHECKING:
    from ..run import Run

# How a setting reaches an assessment, most local first: the order in which settings win.
ORIGINS = ("assessment", "subject", "organisation")
PUBLISHED = "published"


@dataclass(frozen=True)
class Target:
    """One target stage, what it is for (a capability, or the whole framework) and who set it."""

    stage: StageRef
    origin: str  # "assessment", "subject" (an organisation's setting for the subject), "organisation", "published"
    capability: str | None = None  # the capability's id; None: the whole framework
    capability_iri: URIRef | None = None
    setting: URIRef | None = None  # the ev:TargetSetting node where it is an IRI
    set_on: URIRef | None = None  # the assessment or organisation whose ev:targetSetting it is
    applies_to: URIRef | None = None  # the subject an organisation's setting named (origin "subject")

    @property
    def chosen_by(self) -> str:
        """Who chose it, in the words thresholds and weights use: published, organisation or assessment."""
        return "organisation" if self.origin in ("subject", "organisation") else self.origin

    def as_dict(self) -> dict[str, Any]:
        return {"capability": self.capability, "stage": self.stage.as_dict(), "chosen_by": self.chosen_by,
                "set_on": _text(self.set_on), "applies_to": _text(self.applies_to), "setting": _text(self.setting)}


@dataclass(frozen=True)
class Targets:
    """The effective targets of one assessment in one framework."""

    framework: Target | None  # for the framework as a whole: dimension and overall distances
    capabilities: dict[URIRef, Target] = field(default_factory=dict)  # where a capability setting decides

    def of(self, capability: URIRef | None) -> Target | None:
        """The target of one capability (None: of the framework as a whole)."""
        if capability is None:
            return self.framework
        return self.capabilities.get(capability, self.framework)

    def listed(self) -> list[Target]:
        """The framework's target first, then each capability that has its own, in the framework's order."""
        return ([self.framework] if self.framework is not None else []) + list(self.capabilities.values())


def published_targets(framework: Framework, catalogue: Catalogue) -> Targets:
    """The framework's own target and nothing else: what applies without any setting."""
    target = catalogue.rules(framework).target
    return Targets(Target(StageRef(target.rank, target.label, target.iri), PUBLISHED) if target else None)


def effective_targets(run: Run, framework: Framework, assessments: Sequence[URIRef | None]
                      ) -> dict[URIRef | None, Targets]:
    """The targets of each assessment (None: evidence that names no ev:Assessment) in `framework`, read with
    one query for all of them.

    A setting whose stage is not a stage of the framework, or whose capability is not one of its
    capabilities, or two settings of the same origin giving different stages for the same thing,
    is an EvidenceError naming the setting.
    """
    rows_of: dict[URIRef | None, list[dict[str, Node | None]]] = {assessment: [] for assessment in assessments}
    for row in run.query("targets.rq", __package__, framework=framework.iri):
        if row["assessment"] in rows_of:
            rows_of[row["assessment"]].append(row)  # type: ignore[index]
    return {assessment: _targets_of(run, framework, rows) for assessment, rows in rows_of.items()}


def _targets_of(run: Run, framework: Framework, rows: Sequence[Mapping[str, Node | None]]) -> Targets:
    catalogue = run.catalogue
    rules = catalogue.rules(framework)
    structure = catalogue.structure(framework)
    ids = {row.capability: row.capability_id for row in structure}
    chosen: dict[tuple[str, URIRef | None], Target] = {}
    for row in rows:
        setting, origin = row["setting"], str(row["origin"])
        name = _setting_name(setting, row["holder"])
        stage = rules.stage_at(int(str(row["rank"]))) if row["rank"] is not None else None
        if stage is None or stage.iri != row["stage"]:
            raise EvidenceError(f"{name} aims for {row['stage']}, which is not a stage of {framework.id}; "
                                f"name one of: {', '.join(_names(s.iri, catalogue) for s in rules.stages)}",
                               node=str(setting))
        capability = row["capability"]
        if capability is not None and not (isinstance(capability, URIRef) and _true(row["known"])):
            raise EvidenceError(f"{name} names capability {capability}, which is not a capability of "
                                f"{framework.id}; see mgraph frameworks for its capabilities", node=str(setting))
        key = (origin, capability if isinstance(capability, URIRef) else None)
        target = Target(StageRef(stage.rank, stage.label, stage.iri), origin, ids.get(key[1]) if key[1] else None,
                        key[1], _iri_or_none(setting), _iri_or_none(row["holder"]), _iri_or_none(row["subject"]))
        earlier = chosen.get(key)
        if earlier is not None and earlier.stage != target.stage:
            what = f"capability {target.capability}" if key[1] is not None else f"framework {framework.id}"
            raise EvidenceError(f"two different target stages are set for {what} at the same level ({origin}): "
                                f"{earlier.stage.label} and {target.stage.label}; keep one ev:TargetSetting",
                                node=str(setting))
        chosen.setdefault(key, target)
    fallback = published_targets(framework, catalogue).framework
    overall = next((chosen[(o, None)] for o in ORIGINS if (o, None) in chosen), fallback)
    own: dict[URIRef, Target] = {}
    for place in structure:  # the framework's order
        for origin in ORIGINS:
            found = chosen.get((origin, place.capability)) or chosen.get((origin, None))
            if found is not None:
                if found.capability_iri is not None:
                    own[place.capability] = found
                break
    return Targets(overall, own)


def _setting_name(setting: Node | None, holder: Node | None) -> str:
    """How a message names a setting: its IRI, or (a blank node) whose setting it is."""
    if isinstance(setting, BNode):
        return f"a target setting of {holder}"
    return f"target setting {setting}"


def _names(term: URIRef, catalogue: Catalogue) -> str:
    return prefixed(term, catalogue.names) or str(term)


def _iri_or_none(term: Node | None) -> URIRef | None:
    return term if isinstance(term, URIRef) else None


def _text(term: URIRef | None) -> str | None:
    return str(term) if term is not None else None


def _true(term: Node | None) -> bool:
    return isinstance(term, Literal) and term.toPython() is True
