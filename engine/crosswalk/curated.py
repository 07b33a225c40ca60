"""The curated crosswalks (bundled, and those of the content folders in use) seen from one framework towards
another, and how derived mappings compare with them (a disagreement is reported, never silently resolved)."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rdflib import URIRef

from ..catalogue import CapabilityRow, Catalogue, load_catalogue
from ..content_folders import ContentRoot, active_roots
from ..errors import InputError
from .compose import compose
from .model import Mapping
from .sssom import bundled_mapping_sets


@lru_cache(maxsize=4)
def _curated_of(roots: tuple[ContentRoot, ...]) -> tuple[Mapping, ...]:
    return tuple(m for mapping_set in bundled_mapping_sets(roots) for m in mapping_set.mappings)


def _all_curated(roots: Sequence[ContentRoot] | None = None) -> tuple[Mapping, ...]:
    return _curated_of(tuple(roots) if roots is not None else active_roots())


def bundled_curated() -> list[Mapping]:
    """Every mapping of the curated crosswalks/*.sssom.tsv (bundled, and the content folders' in use), as
    written (subject and object as in the file)."""
    return list(_all_curated())


def framework_elements(framework: str, catalogue: Catalogue | None = None) -> set[URIRef]:
    """The criteria and capabilities of a framework: what its mappings may start or end at."""
    catalogue = catalogue or load_catalogue()
    fw = catalogue.get(framework)
    elements = {place.capability for place in catalogue.structure(fw)}
    elements |= {row.criterion for row in catalogue.requirement_rows(fw)}
    elements |= {gap.criterion for gap in catalogue.gaps(fw) if gap.criterion is not None}
    return elements


def unmapped_capabilities(framework: str, *, reviewed_only: bool = True,
                          catalogue: Catalogue | None = None) -> list[CapabilityRow]:
    """The capabilities (catalogue CapabilityRow) of a framework that no bundled curated mapping starts or
    ends at, neither the capability itself nor any of its cells: the crosswalk coverage gaps, by default
    counting reviewed mappings only (docs/crosswalks.md lists the ones left unmapped on purpose)."""
    catalogue = catalogue or load_catalogue()
    fw = catalogue.get(framework)
    ends = {end for m in _all_curated(catalogue.roots) if m.reviewed or not reviewed_only
            for end in (m.subject, m.object)}
    cells: dict[URIRef, set[URIRef]] = {}
    for row in catalogue.requirement_rows(fw):
        cells.setdefault(row.place.capability, set()).add(row.criterion)
    places = {place.capability: place for place in catalogue.structure(fw)}
    return [place for capability, place in places.items()
            if capability not in ends and not cells.get(capability, set()) & ends]


def curated_mappings(source: str, target: str, *, catalogue: Catalogue | None = None) -> list[Mapping]:
    """Every bundled curated mapping between two frameworks, oriented from `source` to `target`."""
    catalogue = catalogue or load_catalogue()
    if catalogue.get(source) == catalogue.get(target):
        raise InputError(f"a crosswalk needs two different frameworks, got {source!r} twice")
    src, dst = framework_elements(source, catalogue), framework_elements(target, catalogue)
    found = []
    for m in _all_curated(catalogue.roots):
        if m.subject in src and m.object in dst:
            found.append(m)
        elif m.subject in dst and m.object in src:
            found.append(m.reversed())
    return sorted(found, key=lambda m: (str(m.subject), str(m.object)))


@dataclass(frozen=True)
class Disagreement:
    """A pair of elements that the derived and the curated crosswalk relate differently."""

    subject: URIRef
    object: URIRef
    derived: Mapping
    curated: Mapping

    def as_dict(self) -> dict[str, Any]:  # (`object` is a field here)
        return {
            "subject": str(self.subject),
            "object": str(self.object),
            "derived": sorted(r.value for r in self.derived.relations),
            "curated": sorted(r.value for r in self.curated.relations),
            "curated_status": self.curated.review_status,
        }


def disagreements(derived: list[Mapping], curated: list[Mapping]) -> list[Disagreement]:
    """Pairs present in both with different relations (both oriented the same way)."""
    by_pair = {(m.subject, m.object): m for m in curated}
    found = []
    for m in derived:
        other = by_pair.get((m.subject, m.object))
        if other is not None and other.relations != m.relations:
            found.append(Disagreement(m.subject, m.object, m, other))
    return found


def compose_crosswalk(source: str, via: str, target: str, *, reviewed_only: bool = True,
                      catalogue: Catalogue | None = None) -> list[Mapping]:
    """Mappings from `source` to `target` through `via`: each carries the set of relations still possible."""
    first = curated_mappings(source, via, catalogue=catalogue)
    second = curated_mappings(via, target, catalogue=catalogue)
    if reviewed_only:
        first = [m for m in first if m.reviewed]
        second = [m for m in second if m.reviewed]
    onward: dict[URIRef, list[Mapping]] = {}
    for m in second:
        onward.setdefault(m.subject, []).append(m)
    return [compose(m1, m2) for m1 in first for m2 in onward.get(m1.object, [])]
