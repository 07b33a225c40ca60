"""Speed figures for the SbD pipeline on synthetic evidence; prints a table, asserts nothing.

    python benchmarks/bench_assess.py [--items 1000 10000] [--parse-triples 200000]

Evidence is generated: N attestations spread over SbD's requirements with random statuses and
dates. Figures depend on the machine; record them in the notes of the change you measure.
"""
from __future__ import annotations

import argparse
import random
import tempfile
import time
import tracemalloc
from pathlib import Path

from rdflib import Graph

from maturity_graph import assess, load_catalogue, load_evidence, validate_evidence
from maturity_graph.crosswalk.derive import derive_all
from maturity_graph.rdf import read_triples

PREFIXES = """@prefix ev: <https://w3id.org/maturity-graph/ev#> .
@prefix ex: <https://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
ex:a a ev:Assessment ; ev:assessmentDate "2026-03-31"^^xsd:date .
ex:p a prov:Person ; rdfs:label "Bench" .
"""
STATUSES = ["ev:Met", "ev:Met", "ev:Met", "ev:NotMet", "ev:NotApplicable", "ev:Unknown"]


def synthetic_evidence(items: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    requirements = [str(r.requirement) for r in load_catalogue().requirement_rows(load_catalogue().get("sbd"))]
    lines = [PREFIXES]
    for i in range(items):
        req = rng.choice(requirements)
        status = rng.choice(STATUSES)
        if rng.random() < 0.7:
            day = f"2025-{rng.randint(4, 12):02d}-{rng.randint(1, 28):02d}"
        else:
            day = f"2026-0{rng.randint(1, 3)}-{rng.randint(1, 28):02d}"
        note = ' ; ev:note "n/a here"' if status == "ev:NotApplicable" else ""
        lines.append(
            f'ex:e{i} a ev:Attestation ; ev:inAssessment ex:a ; ev:addresses <{req}> ; ev:status {status} ; '
            f'ev:date "{day}"^^xsd:date ; ev:artifact "https://x.example/{i}"^^xsd:anyURI ; '
            f'prov:wasAttributedTo ex:p{note} .'
        )
    return "\n".join(lines) + "\n"


def timed(fn):
    """Seconds from one plain run, peak Python-heap MiB from a second run under tracemalloc."""
    start = time.perf_counter()
    value = fn()
    elapsed = time.perf_counter() - start
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return value, elapsed, peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--parse-triples", type=int, default=200000)
    args = parser.parse_args()
    load_catalogue()
    print(f"{'step':<44}{'items':>8}{'triples':>10}{'seconds':>10}{'peak MiB':>10}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.items:
            path = Path(tmp, f"ev-{n}.ttl")
            path.write_text(synthetic_evidence(n), encoding="utf-8")
            evidence, t, m = timed(lambda path=path: load_evidence([path]))
            triples = len(evidence.graph)
            print(f"{'load evidence (Oxigraph parser)':<44}{n:>8}{triples:>10}{t:>10.2f}{m:>10.1f}")
            _, t, m = timed(lambda evidence=evidence: validate_evidence(evidence))
            print(f"{'validate (pyshacl, shapes/core)':<44}{n:>8}{triples:>10}{t:>10.2f}{m:>10.1f}")
            result, t, m = timed(lambda evidence=evidence: assess(evidence, frameworks=["sbd"]))
            print(f"{'assess sbd (validate+freshness+shapes+SPARQL)':<44}{n:>8}{triples:>10}{t:>10.2f}{m:>10.1f}")
        _, t, m = timed(lambda: derive_all(level="criterion"))
        print(f"{'derive crosswalks, all 10 pairs (criterion)':<44}{'':>8}{'':>10}{t:>10.2f}{m:>10.1f}")
        lakeview = Path(__file__).resolve().parents[1] / "examples" / "lakeview-agency" / "ztmm-2026q1.ttl"
        if lakeview.is_file():
            _, t, m = timed(lambda: assess([lakeview]))
            print(f"{'assess ztmm example (Lakeview, 222 reqs)':<44}{'':>8}{'':>10}{t:>10.2f}{m:>10.1f}")
        items = max(1, args.parse_triples // 8)
        path = Path(tmp, "parse.ttl")
        path.write_text(synthetic_evidence(items), encoding="utf-8")
        triples, t, m = timed(lambda: read_triples(path))
        print(f"{'parse Turtle: Oxigraph':<44}{items:>8}{len(triples):>10}{t:>10.2f}{m:>10.1f}")
        graph, t, m = timed(lambda: Graph().parse(path, format="turtle"))
        print(f"{'parse Turtle: rdflib':<44}{items:>8}{len(graph):>10}{t:>10.2f}{m:>10.1f}")


if __name__ == "__main__":
    main()
