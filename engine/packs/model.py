"""What a framework pack says, once read and validated: plain values the builder turns into Turtle."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

# The roll-up methods a pack may name for groups, dimensions and the whole model.
LOWEST, AVERAGE, WEIGHTED = "lowest", "average", "weighted"
# The capability roll-ups a pack may name: the stage by cumulative gating, or that stage and a coverage sum score.
CUMULATIVE, COVERAGE_SUM = "cumulative", "coverage-sum"


@dataclass(frozen=True)
class Reading:
    """A reading of a vague quantifier (docs/readings.md) a pack's threshold may name: its IRI, share and authority."""

    iri: str
    share: Decimal
    authority: str


@dataclass(frozen=True)
class PackStage:
    rank: int
    label: str
    id: str
    baseline: bool = False


@dataclass(frozen=True)
class PackRollUp:
    """One level's roll-up: `lowest`, `average` (every part weighs 1) or `weighted` (weights by part id)."""

    method: str
    weights: tuple[tuple[str, Decimal], ...] = ()


@dataclass(frozen=True)
class PackPart:
    """A dimension, group or capability as the sheet names it."""

    id: str
    label: str
    slug: str
    row: int  # the sheet row that first names it


@dataclass(frozen=True)
class PackDimension(PackPart):
    pass


@dataclass(frozen=True)
class PackGroup(PackPart):
    """A capability group (the sheet's group column): capabilities of one dimension reported on together."""

    dimension: str  # the dimension's id


@dataclass(frozen=True)
class PackCapability(PackPart):
    dimension: str  # the dimension's id
    group: str | None = None  # the group's id, where the sheet groups capabilities


@dataclass(frozen=True)
class PackRequirement:
    """One row of the requirements sheet."""

    row: int
    dimension: str
    capability: str
    stage: int  # rank
    id: str
    slug: str
    text: str
    source_ref: str
    measure: str | None = None
    threshold: Decimal | None = None
    reading: str | None = None  # the mm:QuantifierReading IRI the threshold takes its value from
    concepts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Pack:
    """A validated pack: framework.yaml and its requirements sheet, in the sheet's order."""

    path: Path
    sheet: Path
    id: str
    label: str
    version: str
    licence: str
    source_url: str
    source_title: str
    stages: tuple[PackStage, ...]
    validity_days: int
    namespace: str
    shapes_namespace: str
    dimensions: tuple[PackDimension, ...]
    capabilities: tuple[PackCapability, ...]
    requirements: tuple[PackRequirement, ...]
    groups: tuple[PackGroup, ...] = ()
    licence_url: str | None = None
    attribution: str | None = None  # given when the pack quotes its source under the licence (mm:LicenceVerified)
    author: str | None = None  # who states the pack's rules; "maturity-graph" for packs this project keeps
    publisher: str | None = None
    target: int | None = None
    capability_roll_up: str = CUMULATIVE
    group_roll_up: PackRollUp | None = None
    dimension_roll_up: PackRollUp | None = None
    overall_roll_up: PackRollUp | None = None
    roll_up_published: bool = False
    decimal_places: int | None = None  # what weighted averages round their scores to (mm:decimalPlaces); None: 2
    crosswalks: tuple[Path, ...] = field(default_factory=tuple)
    manifest: bytes = b""  # framework.yaml as read, copied to the built pack's pack.yaml

    def stage(self, rank: int) -> PackStage:
        return next(s for s in self.stages if s.rank == rank)
