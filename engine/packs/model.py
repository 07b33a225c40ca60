"""What a framework pack says, once read and validated: plain values the builder turns into Turtle."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

# The roll-up methods a pack may name for dimensions and the whole model.
LOWEST, AVERAGE, WEIGHTED = "lowest", "average", "weighted"


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
class PackDimension:
    id: str
    label: str
    slug: str
    row: int  # the sheet row that first names it


@dataclass(frozen=True)
class PackCapability:
    id: str
    label: str
    slug: str
    dimension: str  # the dimension's id
    row: int


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
    licence_url: str | None = None
    publisher: str | None = None
    target: int | None = None
    capability_roll_up: str = "cumulative"
    dimension_roll_up: PackRollUp | None = None
    overall_roll_up: PackRollUp | None = None
    roll_up_published: bool = False
    crosswalks: tuple[Path, ...] = field(default_factory=tuple)
    manifest: bytes = b""  # framework.yaml as read, copied to the built pack's pack.yaml

    def stage(self, rank: int) -> PackStage:
        return next(s for s in self.stages if s.rank == rank)
