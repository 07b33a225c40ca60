"""The numbers of every stage derivation, by SPARQL on the run's store: capability stages (cumulative gating,
or the weighted gated score with its working), coverage sums, and the roll-ups of groups, dimensions, tiers and
the framework.

Rules come from graph:content, requirement results and the results of the parts rolled up from the run's
decided graphs (one per assessment; each query derives every assessment of a framework at once), and the
effective weights (the organisation's overrides, else the defaults) as VALUES rows.
The callers (capabilities.py, rollup.py) turn the numbers into results: notes, gaps, parts and working.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from .. import bundled
from ..catalogue import Framework
from ..namespaces import DECIDED_GRAPH, EV
from ..rdf import values_rows
from ..store import Store
from ..store.terms import iri, literal
from .result import StageResult

TRUE, FALSE = Literal(True), Literal(False)


@dataclass(frozen=True)
class GatedStage:
    """One stage's working in a gated score."""

    rank: int
    passed: Decimal
    total: Decimal
    published: bool
    gate_passed: bool
    unlocked: bool


@dataclass(frozen=True)
class Gated:
    """A capability's gated score: the stage reached (None below the first), the score, the working per stage."""

    rank: int | None
    score: Decimal
    stages: tuple[GatedStage, ...]


@dataclass(frozen=True)
class RollUpNumbers:
    """A whole's roll-up: its rank and score, and how many parts are weighted, counted, counted unassessed."""

    rank: int | None
    score: Decimal | None
    weighted: int
    counted: int
    unassessed: int


def _weights(weights: Mapping[URIRef, Decimal]) -> str:
    """The rows the queries' WEIGHTS slot takes: each weighting with its effective weight."""
    return values_rows((w, Literal(v, datatype=XSD.decimal)) for w, v in weights.items())


def _decimal(term: Node | None) -> Decimal:
    return Decimal(str(literal(term)))


def _rank(term: Node | None) -> int | None:
    return int(literal(term)) if term is not None else None


def _graphs(decided: Sequence[URIRef]) -> str:
    """The rows the queries' DECIDED_GRAPHS slot takes: the decided graph of each assessment derived at once."""
    return values_rows((graph,) for graph in decided)


def derive_capability_stages(store: Store, framework: Framework, *, decided: Sequence[URIRef] = (DECIDED_GRAPH,)
                             ) -> dict[URIRef, dict[URIRef, int]]:
    """Per decided graph (one per assessment), the highest rank each capability holds; the graphs must already
    hold the requirement results."""
    text = bundled.query_template(__package__, "stage-reached.rq", DECIDED_GRAPHS=_graphs(decided))
    found: dict[URIRef, dict[URIRef, int]] = {graph: {} for graph in decided}
    for row in store.query(text, bindings={"framework": framework.iri}).dicts():
        found[iri(row["decided"])][iri(row["capability"])] = int(literal(row["reached"]))
    return found


def gated_stages(store: Store, framework: URIRef, weights: Mapping[URIRef, Decimal], *,
                 decided: Sequence[URIRef] = (DECIDED_GRAPH,)) -> dict[URIRef, dict[URIRef, Gated]]:
    """Per decided graph and capability, the weighted gated score (gated-score.rq); `weights` maps each severity
    weighting of the capability roll-up to its effective weight, the same for every graph."""
    stages_text = bundled.query_template(__package__, "gated-stages.rq", WEIGHTS=_weights(weights),
                                         DECIDED_GRAPHS=_graphs(decided))
    unlocked = bundled.query_template(__package__, "gated-unlocked.rq", STAGES=stages_text)
    text = bundled.query_template(__package__, "gated-score.rq", UNLOCKED=unlocked)
    found: dict[tuple[URIRef, URIRef], tuple[int | None, Decimal, list[GatedStage]]] = {}
    for row in store.query(text, bindings={"framework": framework}).dicts():
        at = (iri(row["decided"]), iri(row["capability"]))
        score = _decimal(row["score"]).quantize(Decimal("0.1"))  # the query rounds; this fixes the places shown
        entry = found.setdefault(at, (_rank(row["reached"]), score, []))
        entry[2].append(GatedStage(int(literal(row["rank"])), _decimal(row["passed"]), _decimal(row["total"]),
                                   bool(literal(row["published"]).toPython()),
                                   bool(literal(row["gatePassed"]).toPython()),
                                   bool(literal(row["unlocked"]).toPython())))
    gated: dict[URIRef, dict[URIRef, Gated]] = {graph: {} for graph in decided}
    for (graph, capability), (rank, score, stages) in found.items():
        gated[graph][capability] = Gated(rank, score, tuple(stages))
    return gated


def coverage_sums(store: Store, framework: URIRef, *, decided: Sequence[URIRef] = (DECIDED_GRAPH,)
                  ) -> dict[URIRef, dict[URIRef, Decimal]]:
    """Per decided graph and capability, the coverage sum (coverage-sum.rq); the graphs must hold the requirement
    outcomes and measurements."""
    text = bundled.query_template(__package__, "coverage-sum.rq", DECIDED_GRAPHS=_graphs(decided))
    covered: dict[URIRef, dict[URIRef, Decimal]] = {graph: {} for graph in decided}
    for row in store.query(text, bindings={"framework": framework}).dicts():
        covered[iri(row["decided"])][iri(row["capability"])] = _decimal(row["score"])
    return covered


def record_parts(store: Store, results: Iterable[StageResult], *, decided: URIRef = DECIDED_GRAPH) -> None:
    """Write the results a roll-up above reads as its parts into a decided graph: stage, score, assessed, said of
    the part itself (a decided graph holds one assessment's results, and a part is of one framework)."""
    triples: list[tuple[Node, Node, Node]] = []
    for result in results:
        triples.append((result.iri, EV.assessed, TRUE if result.assessed else FALSE))
        if result.stage is not None:
            triples.append((result.iri, EV.stageReached, result.stage.iri))
        if result.score is not None:
            triples.append((result.iri, EV.score, Literal(result.score, datatype=XSD.decimal)))
    if triples:
        store.add_graph(triples, into=decided)


def roll_up_numbers(store: Store, framework: URIRef, level: URIRef, weights: Mapping[URIRef, Decimal], *,
                    decided: Sequence[URIRef] = (DECIDED_GRAPH,)) -> dict[URIRef, dict[URIRef, RollUpNumbers]]:
    """Per decided graph and whole at `level`, its roll-up's numbers (rollup.rq); the parts' results must be in
    the decided graphs, and `weights` are the same for every graph."""
    text = bundled.query_template(__package__, "rollup.rq", WEIGHTS=_weights(weights),
                                  DECIDED_GRAPHS=_graphs(decided))
    found: dict[URIRef, dict[URIRef, RollUpNumbers]] = {graph: {} for graph in decided}
    for row in store.query(text, bindings={"framework": framework, "level": level}).dicts():
        score = row["score"]
        found[iri(row["decided"])][iri(row["whole"])] = RollUpNumbers(
            _rank(row["rank"]),
            # rounded by the query; this fixes the places shown
            _decimal(score).quantize(Decimal(1).scaleb(-int(literal(row["places"])))) if score is not None else None,
            int(literal(row["weighted"])), int(literal(row["counted"])), int(literal(row["unassessed"])))
    return found
