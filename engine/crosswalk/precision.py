"""How far derived crosswalks agree with the curated, reviewed ones: the figure that says whether a
derivation rule proposes candidates worth a reviewer's time (printed by benchmarks/bench_crosswalk.py).

The reviewed mappings of crosswalks/*.sssom.tsv are the reference. A derived mapping is *judged*
when a reviewed mapping relates the same two elements (in either direction); it *agrees* when
both give the same relation. Precision is agreeing / judged, overall and for the containment
relations (equal, subset of, superset of), which are the ones that would carry evidence if a
reviewer accepted them. Recall is the share of reviewed related pairs (all but not related)
that derive proposes at all. Pairs no reviewed mapping covers are not counted either way: the
curated files are not exhaustive, so silence is not a verdict.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TypedDict

from rdflib import URIRef

from ..catalogue import Catalogue, load_catalogue
from .curated import bundled_curated
from .derive import CONTAINMENT, MIN_OVERLAP, derive_all
from .model import Mapping, Relation


# The rule of maturity-graph 0.1 and the current one, as derive_all keyword arguments.
class RuleOptions(TypedDict):
    closure: bool
    min_overlap: int


RULES: dict[str, RuleOptions] = {
    "as tagged, any overlap (0.1)": {"closure": False, "min_overlap": 1},
    f"broader closure, min overlap {MIN_OVERLAP}": {"closure": True, "min_overlap": MIN_OVERLAP},
}


@dataclass(frozen=True)
class Precision:
    """Counts behind the precision and recall of one derivation rule at one level."""

    rule: str
    level: str
    candidates: int
    containment: int
    judged: int
    agreeing: int
    containment_judged: int
    containment_agreeing: int
    reviewed_pairs: int
    found: int

    @property
    def precision(self) -> float:
        return self.agreeing / self.judged if self.judged else 0.0

    @property
    def containment_precision(self) -> float:
        return self.containment_agreeing / self.containment_judged if self.containment_judged else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.reviewed_pairs if self.reviewed_pairs else 0.0


def reviewed_reference(curated: list[Mapping] | None = None) -> dict[tuple[URIRef, URIRef], frozenset[Relation]]:
    """Every reviewed curated mapping, keyed by (subject, object) in both directions."""
    reference = {}
    for m in curated if curated is not None else bundled_curated():
        if m.reviewed:
            reference[(m.subject, m.object)] = m.relations
            back = m.reversed()
            reference[(back.subject, back.object)] = back.relations
    return reference


def measure(derived: list[Mapping], reference: dict[tuple[URIRef, URIRef], frozenset[Relation]], *,
            rule: str = "", level: str = "criterion", elements: set[URIRef] | None = None) -> Precision:
    """Precision and recall of `derived` against `reference` (pure). `elements` limits recall to reviewed
    pairs whose ends are of the level measured (cells or capabilities); by default, every reviewed pair."""
    judged = agreeing = containment = containment_judged = containment_agreeing = 0
    for m in derived:
        is_containment = m.relation in CONTAINMENT
        containment += is_containment
        expected = reference.get((m.subject, m.object))
        if expected is None:
            continue
        judged += 1
        containment_judged += is_containment
        if expected == m.relations:
            agreeing += 1
            containment_agreeing += is_containment
    related = {frozenset(pair) for pair, relations in reference.items() if relations != {Relation.NOT_RELATED}
               and (elements is None or set(pair) <= elements)}
    found = related & {frozenset((m.subject, m.object)) for m in derived}
    return Precision(rule, level, len(derived), containment, judged, agreeing, containment_judged,
                     containment_agreeing, len(related), len(found))


def derive_precision(*, level: str = "criterion", catalogue: Catalogue | None = None) -> list[Precision]:
    """Each rule of RULES measured over every pair of bundled frameworks at one level."""
    catalogue = catalogue or load_catalogue()
    reference = reviewed_reference()
    elements = _elements(catalogue, level)
    results = []
    for name, options in RULES.items():
        derived = [m for mappings in derive_all(level=level, catalogue=catalogue, **options).values() for m in mappings]
        results.append(measure(derived, reference, rule=name, level=level, elements=elements))
    return results


def _elements(catalogue: Catalogue, level: str) -> set[URIRef]:
    found: set[URIRef] = set()
    for fw_id in catalogue.ids():
        framework = catalogue.get(fw_id)
        if level == "capability":
            found |= {place.capability for place in catalogue.structure(framework)}
        else:
            found |= {row.criterion for row in catalogue.requirement_rows(framework)}
    return found
