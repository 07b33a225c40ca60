"""Derive's precision against the reviewed curated crosswalks, and the benchmark that prints it."""
from __future__ import annotations

import runpy

from rdflib import Namespace

from maturity_graph.crosswalk.derive import derived_mapping
from maturity_graph.crosswalk.model import Mapping, Relation
from maturity_graph.crosswalk.precision import derive_precision, measure, reviewed_reference
from tests.conftest import REPO

EX = Namespace("https://example.org/")


def curated(subject, obj, relation, status="reviewed"):
    return Mapping(EX[subject], EX[obj], frozenset({relation}), review_status=status)


def test_measure_counts_agreement_containment_and_recall():
    reference = reviewed_reference([
        curated("a1", "b1", Relation.INTERSECTS_WITH),
        curated("b2", "a2", Relation.SUPERSET_OF),  # read from the other side: a2 subset_of b2
        curated("a3", "b3", Relation.EQUAL),
        curated("a4", "b4", Relation.NOT_RELATED),
        curated("a5", "b5", Relation.EQUAL, status="unreviewed"),  # not a reference
    ])
    x, xy = frozenset({EX.x}), frozenset({EX.x, EX.y})
    derived = [
        derived_mapping(EX.a1, EX.b1, x, xy),  # subset_of, curated intersects: judged, wrong
        derived_mapping(EX.a2, EX.b2, x, xy),  # subset_of, agrees
        derived_mapping(EX.a4, EX.b4, xy, frozenset({EX.y, EX.z})),  # intersects, curated not related: wrong
        derived_mapping(EX.a5, EX.b5, x, x),  # equal, only an unreviewed curated mapping: not judged
        derived_mapping(EX.a6, EX.b6, x, x),  # no curated mapping: not judged
    ]
    p = measure(derived, reference)
    assert (p.candidates, p.containment, p.judged, p.agreeing) == (5, 4, 3, 1)
    assert (p.containment_judged, p.containment_agreeing) == (2, 1)
    assert (p.reviewed_pairs, p.found) == (3, 2)  # a1-b1, a2-b2, a3-b3 related; a3-b3 not proposed
    assert round(p.precision, 3) == 0.333 and p.containment_precision == 0.5 and round(p.recall, 3) == 0.667


def test_the_current_rule_is_more_precise_than_the_old_one():
    old, new = derive_precision(level="criterion")
    assert old.rule.startswith("as tagged") and new.rule.startswith("broader closure")
    assert new.precision > old.precision
    assert new.recall >= old.recall
    # far fewer containment candidates a reviewer would have to turn down
    assert new.containment_judged - new.containment_agreeing < old.containment_judged - old.containment_agreeing


def test_the_benchmark_prints_the_precision(capsys):
    runpy.run_path(str(REPO / "benchmarks" / "bench_crosswalk.py"), run_name="bench")["main"](["--level", "criterion"])
    out = capsys.readouterr().out
    assert "precision" in out and "recall" in out
    old, new = derive_precision(level="criterion")
    assert f"{new.precision:.1%}" in out and f"{old.precision:.1%}" in out
