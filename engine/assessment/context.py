"""Everything the roll-ups of one framework need, gathered once per assessment, and the run's store their
numbers are derived on (stages.py), for the assessments of a framework at once."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from rdflib import URIRef

from ..catalogue import CapabilityRow, Catalogue, Framework, FrameworkRules, RequirementRow, RollUpRule, SourceGap
from ..namespaces import DECIDED_GRAPH, MM
from ..store import Store
from .requirements import RequirementOutcome
from .result import StageRef
from .targets import Targets, published_targets
from .weightings import Weight


@dataclass
class FrameworkContext:
    framework: Framework
    rules: FrameworkRules
    structure: tuple[CapabilityRow, ...]
    requirements: dict[URIRef, list[RequirementRow]]
    outcomes: dict[URIRef, RequirementOutcome]
    reached: dict[URIRef, int]
    weights: dict[URIRef, dict[URIRef, Weight]]
    store: Store
    source_gaps: dict[URIRef, list[SourceGap]] = field(default_factory=dict)
    targets: Targets = field(default_factory=lambda: Targets(None))
    decided: URIRef = DECIDED_GRAPH  # the run's graph of decided results, which the roll-up queries read

    @classmethod
    def build(cls, framework: Framework, catalogue: Catalogue, outcomes: dict[URIRef, RequirementOutcome],
              reached: dict[URIRef, int], weights: dict[URIRef, dict[URIRef, Weight]], store: Store,
              targets: Targets | None = None, decided: URIRef = DECIDED_GRAPH) -> FrameworkContext:
        """The context of one framework; without `targets`, the framework's published target applies."""
        requirements: dict[URIRef, list[RequirementRow]] = {}
        for row in catalogue.requirement_rows(framework):
            requirements.setdefault(row.place.capability, []).append(row)
        gaps: dict[URIRef, list[SourceGap]] = {}
        for gap in catalogue.gaps(framework):
            if gap.criterion is not None:
                gaps.setdefault(gap.capability, []).append(gap)
        return cls(framework, catalogue.rules(framework), catalogue.structure(framework), requirements, outcomes,
                   reached, weights, store, gaps, targets or published_targets(framework, catalogue), decided)

    def stage(self, rank: int | None) -> StageRef | None:
        if rank is None:
            return None
        info = self.rules.stage_at(rank)
        return StageRef(info.rank, info.label, info.iri) if info else None

    @property
    def first_stage(self) -> StageRef:
        first = self.rules.stages[0]
        return StageRef(first.rank, first.label, first.iri)

    @property
    def target(self) -> StageRef | None:
        """The effective target of the framework as a whole (targets.py says which setting wins)."""
        found = self.targets.framework
        return found.stage if found is not None else None

    def distance(self, rank: int | None, capability: URIRef | None = None) -> int | None:
        """How many stages `rank` is below the target of `capability` (None: of the framework as a whole)."""
        target = self.targets.of(capability)
        return None if rank is None or target is None else max(0, target.stage.rank - rank)

    def roll_up(self, level: URIRef) -> RollUpRule | None:
        return self.rules.roll_up(level)

    def effective_weights(self, rule: RollUpRule) -> dict[URIRef, Decimal]:
        """Each weighting of `rule` with the weight this assessment uses (the organisation's, else the default)."""
        return {w.weighting: w.value for w in self.weights.get(rule.iri, {}).values()}

    @staticmethod
    def is_ours(rule: RollUpRule) -> bool:
        return rule.authority == MM.ChosenByMaturityGraph

    def capability_id(self, iri: URIRef | None) -> str | None:
        return next((c.capability_id for c in self.structure if c.capability == iri), None)


def alike_weights(contexts: Sequence[FrameworkContext], rule: RollUpRule
                  ) -> list[tuple[dict[URIRef, Decimal], list[FrameworkContext]]]:
    """The contexts grouped by the weights they give `rule`'s weightings: one query derives each group (most runs
    have one), since the weights are written into its text."""
    groups: dict[tuple[tuple[URIRef, Decimal], ...], list[FrameworkContext]] = {}
    for ctx in contexts:
        groups.setdefault(tuple(sorted(ctx.effective_weights(rule).items())), []).append(ctx)
    return [(dict(weights), group) for weights, group in groups.items()]
