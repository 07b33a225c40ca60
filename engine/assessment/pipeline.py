"""The assessment pipeline, on one run's store: well-formedness, freshness, requirement shapes, stages, roll-ups."""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from rdflib import Graph, URIRef

from ..catalogue import Catalogue, Framework
from ..errors import EvidenceError, MaturityGraphError, StoreError
from ..evidence.freshness import Judged, default_as_of, judge_scopes
from ..evidence.load import EvidenceSet
from ..namespaces import EV, RESULTS_GRAPH
from ..run import Run
from ..store import Store
from ..store.terms import iri
from ..validate.wellformed import check_run
from .capabilities import capability_results
from .context import FrameworkContext
from .overrides import attach_overrides, validity_overrides
from .projection import decided_triples
from .requirements import RequirementOutcome, decide_requirements
from .result import AssessmentResult, AssessmentScope, FrameworkAssessment
from .rollup import roll_ups
from .scopes import assessment_scopes, choose_scopes, decided_graph
from .stages import derive_capability_stages
from .targets import effective_targets
from .thresholds import ThresholdValue, effective_thresholds
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
    latest = default_as_of(run) if as_of is None and any(scope.date is None for scope, _ in planned) else None
    days = [(scope, as_of or scope.date or latest or dt.date.today()) for scope, _ in planned]
    assessments: list[FrameworkAssessment] = []
    try:
        judged = judge_scopes(run, days, alone=alone)
        if with_crosswalks and _carry_between(run, planned, judged, engine, alone=alone):
            judged = judge_scopes(run, days, alone=alone)
        decided = _decide(run, planned, judged, engine)
        derived = _derive(run, planned, decided, dict((scope.key, day) for scope, day in days), alone=alone)
        assessments = [derived[(scope.key, fw.id)] for scope, frameworks_of_scope in planned
                       for fw in frameworks_of_scope]
    finally:
        run.use(None, alone=True)
    log.debug("assessed %d assessments", len(planned))
    found = [fa.as_of for fa in assessments if fa.as_of is not None]
    return AssessmentResult(as_of=as_of or (max(found) if found else dt.date.today()), frameworks=assessments,
                            catalogue=catalogue, scopes=[scope for scope, _ in planned])


Decided = dict[str, dict[str, tuple[dict[URIRef, RequirementOutcome], list[ThresholdValue]]]]


def _scopes_of(planned: Sequence[tuple[AssessmentScope, Sequence[Framework]]]
               ) -> dict[Framework, list[AssessmentScope]]:
    """The assessments planned for each framework, in the plan's order."""
    scopes_of: dict[Framework, list[AssessmentScope]] = {}
    for scope, frameworks in planned:
        for fw in frameworks:
            scopes_of.setdefault(fw, []).append(scope)
    return scopes_of


def _decide(run: Run, planned: Sequence[tuple[AssessmentScope, Sequence[Framework]]], judged: Mapping[str, Judged],
            engine: str) -> Decided:
    """Per framework and assessment key, its requirements decided and the thresholds that decided them: one
    validation per framework (and set of threshold overrides) for all the assessments."""
    decided: Decided = {}
    for fw, scopes in _scopes_of(planned).items():
        thresholds = effective_thresholds(run, fw, [scope.iri for scope in scopes])
        by_key = {scope.key: thresholds[scope.iri] for scope in scopes}
        outcomes = decide_requirements(run, fw, {key: judged[key] for key in by_key}, thresholds=by_key, engine=engine)
        decided[fw.id] = {key: (outcomes[key], by_key[key]) for key in by_key}
    return decided


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


def _carry_between(run: Run, planned: Sequence[tuple[AssessmentScope, Sequence[Framework]]],
                   judged: Mapping[str, Judged], engine: str, *, alone: bool) -> int:
    """Carry evidence into each assessed framework from every other framework each assessment's evidence speaks
    about, as one step of the run: the sources' requirements are decided once for all the assessments, and
    what each assessment carries (into itself) joins the run as one evidence graph of its own."""
    from ..crosswalk.carry import carry  # only --with-crosswalks reads the curated crosswalks (and YAML)
    from ..crosswalk.curated import curated_mappings

    catalogue = run.catalogue
    sources: list[tuple[AssessmentScope, Sequence[Framework], list[Framework]]] = []
    for scope, targets in planned:
        run.use(scope, alone=alone)
        present = [fw for fw in frameworks_in_scope(run) if any(target != fw for target in targets)]
        sources.append((scope, targets, present))
    run.use(None, alone=True)
    decided = _decide(run, [(scope, present) for scope, _, present in sources], judged, engine)
    carried = Graph()
    for scope, targets, present in sources:
        dates = judged[scope.key].dates()
        for source in present:
            outcomes, _ = decided[source.id][scope.key]
            for target in targets:
                if target != source:
                    mappings = curated_mappings(source.id, target.id, catalogue=catalogue)
                    carried += carry(outcomes, mappings, source=source, target=target, catalogue=catalogue,
                                     dates=dates, scope=scope).graph
    items = len(set(carried.subjects(EV.addresses, None)))
    if items:
        run.add_derived_evidence(carried, name="carried")
    log.debug("crosswalks carried %d evidence items", items)
    return items


def _derive(run: Run, planned: Sequence[tuple[AssessmentScope, Sequence[Framework]]], decided: Decided,
            days: Mapping[str, dt.date], *, alone: bool) -> dict[tuple[str, str], FrameworkAssessment]:
    """Per assessment key and framework, its stages and roll-ups. Framework by framework, every assessment at
    once: the settings are read once, each assessment writes its requirement results into its own decided
    graph, and each level's query derives all of them (stages.py)."""
    catalogue = run.catalogue
    derived: dict[tuple[str, str], FrameworkAssessment] = {}
    for fw, scopes in _scopes_of(planned).items():
        iris = [scope.iri for scope in scopes]
        weights, targets = effective_weightings(run, fw, iris), effective_targets(run, fw, iris)
        validity = validity_overrides(run, fw, iris)
        rows_by_id = {row.requirement: row for row in catalogue.requirement_rows(fw)}
        contexts: list[FrameworkContext] = []
        try:
            for scope in scopes:
                outcomes = decided[fw.id][scope.key][0]
                graph = decided_graph(scope, alone=alone)
                contexts.append(FrameworkContext.build(fw, catalogue, outcomes, {}, weights[scope.iri], run.store,
                                                       targets[scope.iri], graph))
                run.store.add_graph(decided_triples(outcomes), into=graph)
            reached = derive_capability_stages(run.store, fw, decided=[ctx.decided for ctx in contexts])
            for ctx in contexts:
                ctx.reached = reached[ctx.decided]
            capabilities = capability_results(contexts)
            for scope, ctx, caps, above in zip(scopes, contexts, capabilities, roll_ups(contexts, capabilities),
                                               strict=True):
                fa = FrameworkAssessment(framework=fw.id, label=fw.label, version=fw.version, target=ctx.target,
                                         requirements=ctx.outcomes, results=caps + above, scope=scope,
                                         as_of=days[scope.key], thresholds=decided[fw.id][scope.key][1],
                                         targets=ctx.targets.listed(),
                                         weights=[w for by_part in ctx.weights.values() for w in by_part.values()])
                attach_overrides(fa, ctx, thresholds=fa.thresholds, weights=fa.weights,
                                 validity=validity[scope.iri], rows=rows_by_id, names=catalogue.names)
                derived[(scope.key, fw.id)] = fa
        finally:  # on an endpoint the graphs would outlive the run
            for ctx in contexts:
                run.store.drop(ctx.decided)
    return derived
