"""The assessment pipeline, on one run's store: well-formedness, freshness, requirement shapes, stages, roll-ups."""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from pathlib import Path

from rdflib import Graph, URIRef

from ..catalogue import Catalogue, Framework
from ..errors import EvidenceError, MaturityGraphError, StoreError
from ..evidence.freshness import Judged, default_as_of, judge_claims
from ..evidence.load import EvidenceSet
from ..namespaces import EV, RESULTS_GRAPH
from ..run import Run
from ..store import Store
from ..store.terms import iri
from ..validate.wellformed import check_run
from .capabilities import capability_results
from .context import FrameworkContext
from .overrides import attach_overrides, validity_overrides
from .projection import requirement_triples
from .requirements import decide_requirements
from .result import AssessmentResult, AssessmentScope, FrameworkAssessment
from .rollup import roll_ups
from .scopes import assessment_scopes, choose_scopes
from .stages import derive_capability_stages
from .targets import effective_targets
from .thresholds import effective_thresholds
from .weightings import effective_weightings

log = logging.getLogger(__name__)

ENGINES = ("sparql", "pyshacl")


def frameworks_in_scope(run: Run) -> list[Framework]:
    rows = run.query("frameworks-in-evidence.rq", __package__)
    found = [run.catalogue.by_iri(node) for row in rows if isinstance(node := row["framework"], URIRef)]
    return sorted((fw for fw in found if fw is not None), key=lambda fw: fw.id)


def assess(
    evidence: EvidenceSet | Iterable[str | Path] | None = None,
    *,
    frameworks: Sequence[str] | None = None,
    as_of: dt.date | None = None,
    engine: str = "sparql",
    store: Store | None = None,
    write_results: bool = False,
    catalogue: Catalogue | None = None,
    with_crosswalks: bool = False,
    subjects: Sequence[str] = (),
) -> AssessmentResult:
    """Derive per capability, per dimension and overall stages from evidence.

    Evidence files are read into one store for the run (a new in-memory Oxigraph unless `store` is
    given; with a store and no evidence, the evidence graphs already in it are assessed). Evidence
    that breaks shapes/core stops the assessment with an EvidenceError naming the first offending
    node. Without `frameworks`, the frameworks the evidence speaks about are assessed. The run's
    working graphs are removed at the end; with `write_results`, the result graph stays in
    graph:results. With `with_crosswalks`, evidence is first carried into each assessed framework from
    every other framework the evidence speaks about, through the reviewed bundled crosswalks.

    Each ev:Assessment in the evidence is assessed on its own, with its own evidence and as-of day (its
    ev:assessmentDate unless `as_of` is given); `subjects` picks some by subject id, label or IRI.
    """
    if engine not in ENGINES:
        raise MaturityGraphError(f"unknown SHACL engine {engine!r}; choose one of {', '.join(ENGINES)}")
    if store is not None and store.read_only:
        raise StoreError("assessing a store needs its update endpoint (--update-endpoint): the run writes working "
                         "graphs there and removes them when it ends (docs/stores.md)")
    run = Run.open(evidence, store=store, catalogue=catalogue)
    try:
        result = assess_run(run, frameworks=frameworks, as_of=as_of, engine=engine, with_crosswalks=with_crosswalks,
                            subjects=subjects)
        run.reset_working_graphs()
        if write_results:
            run.store.drop(RESULTS_GRAPH)
            run.store.add_graph(result.graph, into=RESULTS_GRAPH)
        return result
    finally:
        if store is None:
            run.close()


def assess_run(run: Run, *, frameworks: Sequence[str] | None = None, as_of: dt.date | None = None,
               engine: str = "sparql", with_crosswalks: bool = False, subjects: Sequence[str] = ()
               ) -> AssessmentResult:
    """Assess every assessment of the run on its own (assessment/scopes.py), or the ones `subjects` names."""
    catalogue = run.catalogue
    chosen = [catalogue.get(name) for name in frameworks] if frameworks else None
    check = check_run(run, engine=engine)
    if not check.conforms:
        first = check.violations[0]
        more = len(check.violations) - 1
        tail = f" ({more} more; run mgraph validate for the full list)" if more else ""
        raise EvidenceError(f"evidence is not well-formed: {first.sentence()}{tail}", node=first.focus)
    scopes = assessment_scopes(run)
    alone = len(scopes) == 1
    planned = _plan(run, choose_scopes(scopes, subjects), chosen, alone=alone)
    assessments: list[FrameworkAssessment] = []
    try:
        for scope, frameworks_of_scope in planned:
            run.use(scope, alone=alone)
            assessments += _assess_scope(run, scope, frameworks_of_scope, as_of, engine, with_crosswalks)
            run.reset_working_graphs()
    finally:
        run.use(None, alone=True)
    log.debug("assessed %d assessments", len(planned))
    days = [fa.as_of for fa in assessments if fa.as_of is not None]
    return AssessmentResult(as_of=as_of or (max(days) if days else dt.date.today()), frameworks=assessments,
                            catalogue=catalogue, scopes=[scope for scope, _ in planned])


def _plan(run: Run, scopes: Sequence[AssessmentScope], chosen: Sequence[Framework] | None, *, alone: bool
          ) -> list[tuple[AssessmentScope, list[Framework]]]:
    """Which frameworks each assessment is assessed against: those it names or its evidence addresses.

    With --framework, those of the chosen an assessment is about; if none of the assessments is about
    any of them (or the run holds one assessment), every assessment is assessed against all chosen.
    """
    if alone or len(scopes) == 1:
        run.use(scopes[0] if scopes else None, alone=alone)
        found = [(scope, frameworks_in_scope(run)) for scope in scopes]
        run.use(None, alone=True)
    else:
        about: dict[URIRef, set[URIRef]] = {}
        for row in run.query("frameworks-by-assessment.rq", __package__):
            about.setdefault(iri(row["assessment"]), set()).add(iri(row["framework"]))
        catalogue = run.catalogue
        found = [(scope, sorted((fw for fw in map(catalogue.by_iri, about.get(scope.iri, ())) if fw is not None),
                                key=lambda fw: fw.id)) for scope in scopes if scope.iri is not None]
    if chosen is None:
        planned = [(scope, fws) for scope, fws in found if fws]
        if not planned:
            raise MaturityGraphError(
                "the evidence names no framework and addresses no requirement; choose one with --framework")
        return planned
    narrowed = [(scope, [fw for fw in chosen if fw in fws]) for scope, fws in found]
    if alone or not any(fws for _, fws in narrowed):
        return [(scope, list(chosen)) for scope in scopes]
    return [(scope, fws) for scope, fws in narrowed if fws]


def _assess_scope(run: Run, scope: AssessmentScope, frameworks: Sequence[Framework], as_of: dt.date | None,
                  engine: str, with_crosswalks: bool) -> list[FrameworkAssessment]:
    """One assessment, on its own day (`as_of`, else its ev:assessmentDate), against each of `frameworks`."""
    day = as_of or default_as_of(run)
    judged = judge_claims(run, as_of=day)
    if with_crosswalks and _carry_between(run, frameworks, judged, engine, scope):
        judged = judge_claims(run, as_of=day)
    run.store.drop(run.decided_graph)
    return [_assess_framework(run, fw, judged, day, engine, scope) for fw in frameworks]


def _carry_between(run: Run, targets: Sequence[Framework], judged: Judged, engine: str,
                   scope: AssessmentScope) -> int:
    """Carry evidence into each target from every other framework in the evidence, as one step of the run:
    the sources' requirements are decided once, and what they carry joins the run as its own evidence graph."""
    from ..crosswalk.carry import carry  # only --with-crosswalks reads the curated crosswalks (and YAML)
    from ..crosswalk.curated import curated_mappings

    catalogue = run.catalogue
    present = frameworks_in_scope(run)
    dates = judged.dates()
    carried = Graph()
    for source in present:
        if not any(target != source for target in targets):
            continue
        outcomes = decide_requirements(run, source, judged, thresholds=effective_thresholds(run, source),
                                       engine=engine)
        for target in targets:
            if target != source:
                mappings = curated_mappings(source.id, target.id, catalogue=catalogue)
                carried += carry(outcomes, mappings, source=source, target=target, catalogue=catalogue,
                                 dates=dates, scope=scope).graph
    items = len(set(carried.subjects(EV.addresses, None)))
    if items:
        run.add_derived_evidence(carried, name=f"carried-{scope.key}")
    log.debug("crosswalks carried %d evidence items", items)
    return items


def _assess_framework(run: Run, fw: Framework, judged: Judged, as_of: dt.date, engine: str,
                      scope: AssessmentScope) -> FrameworkAssessment:
    catalogue = run.catalogue
    thresholds = effective_thresholds(run, fw)
    outcomes = decide_requirements(run, fw, judged, thresholds=thresholds, engine=engine)
    rows_by_id = {row.requirement: row for row in catalogue.requirement_rows(fw)}
    run.store.add_graph(requirement_triples(fw, as_of, outcomes, rows_by_id, scope), into=run.decided_graph)
    reached = derive_capability_stages(run.store, fw, decided=run.decided_graph)
    weights = effective_weightings(run, fw)
    targets = effective_targets(run, fw, assessment=scope.iri)
    ctx = FrameworkContext.build(fw, catalogue, outcomes, reached, weights, run.store, targets, run.decided_graph)
    fa = _framework_results(ctx)
    fa.scope, fa.as_of = scope, as_of
    fa.targets = targets.listed()
    fa.thresholds = thresholds
    fa.weights = [w for by_part in weights.values() for w in by_part.values()]
    attach_overrides(fa, ctx, thresholds=thresholds, weights=fa.weights,
                     validity=validity_overrides(run, fw), rows=rows_by_id, names=catalogue.names)
    return fa


def _framework_results(ctx: FrameworkContext) -> FrameworkAssessment:
    fw = ctx.framework
    fa = FrameworkAssessment(framework=fw.id, label=fw.label, version=fw.version, target=ctx.target,
                             requirements=ctx.outcomes)
    capabilities = capability_results(ctx)
    fa.results = capabilities + roll_ups(ctx, capabilities)
    return fa

