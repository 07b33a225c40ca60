"""Weights of weighted roll-ups: defaults from the framework, overrides from the evidence."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from rdflib import URIRef
from rdflib.term import Node

from ..catalogue import Framework
from ..errors import EvidenceError
from ..namespaces import MM
from ..store.terms import iri

if TYPE_CHECKING:
    from ..run import Run


@dataclass(frozen=True)
class Weight:
    roll_up: URIRef
    weighting: URIRef
    of: URIRef
    value: Decimal
    default: Decimal
    ours: bool
    overridden: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "of": str(self.of),
            "value": float(self.value),
            "default": float(self.default),
            "chosen_by": "organisation" if self.overridden else ("maturity-graph" if self.ours else "source"),
        }


def effective_weightings(run: Run, framework: Framework, assessments: Sequence[URIRef | None]
                         ) -> dict[URIRef | None, dict[URIRef, dict[URIRef, Weight]]]:
    """Each assessment's weights (None: evidence that names no ev:Assessment, which overrides none): per
    roll-up, the weight of each thing it weighs; one query for all of them."""
    rows = run.query("weightings.rq", __package__, framework=framework.iri)
    return {assessment: _weights_of(rows, assessment) for assessment in dict.fromkeys(assessments)}


def _weights_of(rows: Sequence[Mapping[str, Node | None]], assessment: URIRef | None
                ) -> dict[URIRef, dict[URIRef, Weight]]:
    found: dict[URIRef, dict[URIRef, Weight]] = {}
    for row in rows:
        override = row["override"] if assessment is not None and row["assessment"] == assessment else None
        roll_up, weight_of = iri(row["rollUp"]), iri(row["weightOf"])
        current = found.setdefault(roll_up, {}).get(weight_of)
        if current is not None and (override is None or current.overridden):
            if override is not None and current.value != Decimal(str(override)):
                raise EvidenceError(f"two different weights are given for {row['weighting']}; keep one "
                                    "ev:WeightSetting", node=str(row["weighting"]))
            continue
        default = Decimal(str(row["weight"]))
        value = Decimal(str(override)) if override is not None else default
        found[roll_up][weight_of] = Weight(
            roll_up, iri(row["weighting"]), weight_of, value, default,
            row["authority"] == MM.ChosenByMaturityGraph, override is not None)
    for roll_up, by_part in found.items():
        overridden = [w for w in by_part.values() if w.overridden]
        if overridden and all(w.value == 0 for w in by_part.values()):
            raise EvidenceError(f"the organisation's weight settings set every weight of roll-up {roll_up} to 0, "
                                "which would score every part as passed; keep at least one weight above 0",
                                node=str(overridden[0].weighting))
    return found
