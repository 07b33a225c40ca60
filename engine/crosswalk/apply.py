"""`mgraph crosswalk apply`: what evidence collected for one framework implies for another.

The carrying rule is in carry.py; this module runs the source framework's assessment for it.
`assess --with-crosswalks` carries inside the assessment's own run (assessment/pipeline.py).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path

from ..assessment.pipeline import assess, assess_run
from ..assessment.result import AssessmentResult
from ..catalogue import Catalogue, load_catalogue
from ..evidence.freshness import judge_claims
from ..evidence.load import EvidenceSet
from ..run import Run
from ..store import Store
from .carry import CARRYING, ApplyResult, Carried, carry
from .model import Mapping


def apply_crosswalk(
    evidence: EvidenceSet | Iterable[str | Path],
    mappings: Sequence[Mapping],
    *,
    source: str,
    target: str,
    as_of: dt.date | None = None,
    catalogue: Catalogue | None = None,
    engine: str = "sparql",
) -> ApplyResult:
    """What evidence collected for `source` implies for `target` through reviewed cell-to-cell mappings."""
    catalogue = catalogue or load_catalogue()
    src, dst = catalogue.get(source), catalogue.get(target)
    run = Run.open(evidence, catalogue=catalogue)
    applied = ApplyResult(src, dst)
    try:
        assessed = assess_run(run, frameworks=[src.id], as_of=as_of, engine=engine)
        for fa in assessed.frameworks:  # each assessment carries its own evidence, into itself
            run.use(fa.scope, alone=len(assessed.scopes) == 1)
            dates = judge_claims(run, as_of=fa.as_of or assessed.as_of).dates()
            one = carry(fa.requirements, mappings, source=src, target=dst, catalogue=catalogue, dates=dates,
                        scope=fa.scope)
            applied.carried += one.carried
            applied.partial += one.partial
            applied.not_applicable += one.not_applicable
            applied.not_carried = one.not_carried  # per mapping, the same in every assessment
            applied.graph += one.graph
    finally:
        run.close()
    return applied


def assess_with_crosswalks(
    evidence: EvidenceSet | Iterable[str | Path] | None = None,
    *,
    frameworks: Sequence[str] | None = None,
    as_of: dt.date | None = None,
    catalogue: Catalogue | None = None,
    engine: str = "sparql",
    store: Store | None = None,
    write_results: bool = False,
) -> AssessmentResult:
    """Assess as `assess` does, after carrying evidence into each assessed framework from every other
    framework the evidence speaks about, through the reviewed bundled crosswalks, in the same run.
    Requirements met that way say so ("met through a crosswalk") and are listed per capability in
    `via_crosswalk`."""
    return assess(evidence, frameworks=frameworks, as_of=as_of, catalogue=catalogue, engine=engine, store=store,
                  write_results=write_results, with_crosswalks=True)


__all__ = ["CARRYING", "ApplyResult", "Carried", "apply_crosswalk", "assess_with_crosswalks"]
