"""The arithmetic of weighted roll-ups written out in Python: the reference that docs/scoring.md is checked
against and that the SPARQL deriving the numbers in a run (gated-score.rq, rollup.rq) is tested against
(tests/engine/assessment/test_rollup_queries.py). The engine itself uses only StageWorking from here.

Gated score (CSMM): each stage's controls pass or fail with their severity's weight. A stage is
*unlocked* when every lower stage passed at least the gate share of its weight; the stage
reached is the highest unlocked stage that itself passes the gate. The score (0-100) gives
every stage an equal share and counts a stage's passed share only while it is unlocked, so
excellence at a higher stage never lifts a pillar whose lower gate is not passed.

A stage the source does not publish (``left_out``, the roll-up's mm:StageLeftOut rule) is
left out: it has no share of the score, locks nothing above it and is never reached itself,
so an empty source cell neither gives free points nor blocks. A published stage whose controls
are all not applicable still passes with nothing to weigh.
"""
from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class StageWorking:
    """One stage's share of a gated score: passed weight over total weight, and whether it counted."""

    rank: int
    label: str
    passed: Decimal
    total: Decimal
    unlocked: bool
    gate_passed: bool
    published: bool = True

    @property
    def ratio(self) -> Decimal:
        return Decimal(1) if self.total == 0 else self.passed / self.total

    def as_dict(self) -> dict[str, Any]:
        return {
            "stage": {"rank": self.rank, "label": self.label},
            "passed_weight": float(self.passed),
            "total_weight": float(self.total),
            "ratio": round(float(self.ratio), 4) if self.published else None,
            "unlocked": self.unlocked,
            "gate_passed": self.gate_passed,
            "published": self.published,
        }


def round_score(value: Decimal, places: int = 1) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)


def gated_score(stages: Sequence[tuple[int, str, Sequence[tuple[Decimal, bool]]]], gate: Decimal,
                left_out: Collection[int] = frozenset()) -> tuple[int | None, Decimal, list[StageWorking]]:
    """(stage reached or None, score 0-100, working) from (rank, label, [(weight, passed)]); ranks in
    ``left_out`` are unpublished stages, which take no share of the score and lock nothing."""
    working: list[StageWorking] = []
    unlocked = True
    reached = None
    score = Decimal(0)
    ordered = sorted(stages, key=lambda s: s[0])
    published = [s for s in ordered if s[0] not in left_out]
    for rank, label, controls in ordered:
        total = sum((w for w, _ in controls), Decimal(0))
        passed = sum((w for w, ok in controls if ok), Decimal(0))
        if rank in left_out:
            working.append(StageWorking(rank, label, passed, total, unlocked, False, published=False))
            continue
        ratio = Decimal(1) if total == 0 else passed / total
        gate_passed = ratio >= gate
        working.append(StageWorking(rank, label, passed, total, unlocked, gate_passed))
        if unlocked:
            score += ratio * HUNDRED / len(published)
            if gate_passed:
                reached = rank
        unlocked = unlocked and gate_passed
    return reached, round_score(score), working


def weighted_average(values: Sequence[tuple[Decimal, Decimal]]) -> Decimal | None:
    """The weighted mean of (value, weight) pairs; None when all weights are zero."""
    total = sum((w for _, w in values), Decimal(0))
    if total == 0:
        return None
    return sum((v * w for v, w in values), Decimal(0)) / total
