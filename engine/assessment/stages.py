"""The numbers of every stage derivation, by SPARQL on the run's store: capability stages (cumulative gating,
or the weighted gated score with its working), and the roll-ups of dimensions, tiers and the framework.

Rules come from graph:content, requirement results and the results of the parts rolled up from the run's
graph:decided, and the effective weights (the organisation's overrides, else the defaults) as VALUES rows.
The callers (capabilities.py, rollup.py) turn the numbers into results: notes, gaps, parts and working.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from .. import bundled
from ..catalogue import Framework
from ..namespaces import DECIDED_GRAPH, EV
from ..rdf import sparql_term, values_rows
from ..store import Store
from ..store.terms import iri, literal
from .result import StageResult

RESULT_CLASS = {"capability": EV.CapabilityResult, "dimension": EV.DimensionResult}


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


def derive_capability_stages(store: Store, framework: Framework, *, decided: URIRef = DECIDED_GRAPH
                             ) -> dict[URIRef, int]:
    """Highest rank each capability holds; `decided` (the run's) must already hold the requirement results."""
    text = bundled.query_template(__package__, "stage-reached.rq", DECIDED=sparql_term(decided))
    rows = store.query(text, bindings={"framework": framework.iri}).dicts()
    return {iri(row["capability"]): int(literal(row["reached"])) for row in rows}


def gated_stages(store: Store, framework: URIRef, weights: Mapping[URIRef, Decimal], *,
                 decided: URIRef = DECIDED_GRAPH) -> dict[URIRef, Gated]:
    """Per capability, the weighted gated score (gated-score.rq); `weights` maps each severity weighting of
    the capability roll-up to its effective weight."""
    stages_text = bundled.query_template(__package__, "gated-stages.rq", WEIGHTS=_weights(weights),
                                         DECIDED=sparql_term(decided))
    unlocked = bundled.query_template(__package__, "gated-unlocked.rq", STAGES=stages_text)
    text = bundled.query_template(__package__, "gated-score.rq", UNLOCKED=unlocked)
    found: dict[URIRef, tuple[int | None, Decimal, list[GatedStage]]] = {}
    for row in store.query(text, bindings={"framework": framework}).dicts():
        capability = iri(row["capability"])
        score = _decimal(row["score"]).quantize(Decimal("0.1"))  # the query rounds; this fixes the places shown
        entry = found.setdefault(capability, (_rank(row["reached"]), score, []))
        entry[2].append(GatedStage(int(literal(row["rank"])), _decimal(row["passed"]), _decimal(row["total"]),
                                   bool(literal(row["published"]).toPython()),
                                   bool(literal(row["gatePassed"]).toPython()),
                                   bool(literal(row["unlocked"]).toPython())))
    return {c: Gated(rank, score, tuple(stages)) for c, (rank, score, stages) in found.items()}


def record_parts(store: Store, framework: URIRef, results: Iterable[StageResult], *,
                 decided: URIRef = DECIDED_GRAPH) -> None:
    """Write the results a roll-up above reads as its parts into graph:decided: stage, score, assessed."""
    triples: list[tuple[Node, Node, Node]] = []
    for result in results:
        node = BNode()
        triples += [(node, RDF.type, RESULT_CLASS[result.kind]), (node, EV.framework, framework),
                    (node, EV.resultFor, result.iri),
                    (node, EV.assessed, Literal(result.assessed, datatype=XSD.boolean))]
        if result.stage is not None:
            triples.append((node, EV.stageReached, result.stage.iri))
        if result.score is not None:
            triples.append((node, EV.score, Literal(result.score, datatype=XSD.decimal)))
    if triples:
        store.add_graph(triples, into=decided)


def roll_up_numbers(store: Store, framework: URIRef, level: URIRef, weights: Mapping[URIRef, Decimal], *,
                    decided: URIRef = DECIDED_GRAPH) -> dict[URIRef, RollUpNumbers]:
    """Per whole at `level`, its roll-up's numbers (rollup.rq); the parts' results must be in graph:decided."""
    text = bundled.query_template(__package__, "rollup.rq", WEIGHTS=_weights(weights), DECIDED=sparql_term(decided))
    found: dict[URIRef, RollUpNumbers] = {}
    for row in store.query(text, bindings={"framework": framework, "level": level}).dicts():
        score = row["score"]
        found[iri(row["whole"])] = RollUpNumbers(
            _rank(row["rank"]),
            _decimal(score).quantize(Decimal("0.01")) if score is not None else None,  # rounded by the query
            int(literal(row["weighted"])), int(literal(row["counted"])), int(literal(row["unassessed"])))
    return found
