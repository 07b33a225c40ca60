"""What filling and dropping one working graph many times costs an in-memory pyoxigraph Store; asserts nothing.

    python benchmarks/bench_graph_churn.py [--rounds 1500] [--quads 300] [--every 300] [--fresh-names]

The assessment pipeline fills its working graphs and drops them once per assessment. pyoxigraph 0.5's
in-memory Store keeps removed quads, so a query of a graph dropped many times gets slower and the
process bigger with every round (docs/scale.md, "Portfolio estate (issue 10)"). `--fresh-names` gives
each round a graph of its own, as a pipeline could. Prints, every `--every` rounds, the time of 20
counts of the live graph and the peak RSS so far.
"""
from __future__ import annotations

import argparse
import resource
import time

import pyoxigraph as ox

PREDICATE = ox.NamedNode("urn:churn:p")


def churn(rounds: int, quads: int, every: int, *, fresh_names: bool) -> list[tuple[int, float, float]]:
    """(round, seconds for 20 counts of the live graph, peak RSS in MB) every `every` rounds."""
    store = ox.Store()
    found = []
    for number in range(rounds + 1):
        graph = ox.NamedNode(f"urn:churn:work-{number}" if fresh_names else "urn:churn:work")
        store.extend(ox.Quad(ox.NamedNode(f"urn:churn:s{number}-{i}"), PREDICATE, ox.Literal(str(i)), graph)
                     for i in range(quads))
        if number % every == 0:
            query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph.value}> {{ ?s <{PREDICATE.value}> ?o }} }}"
            began = time.perf_counter()
            for _ in range(20):
                solutions = store.query(query)
                assert isinstance(solutions, ox.QuerySolutions)
                counted = next(solutions)[0]
            assert isinstance(counted, ox.Literal) and int(counted.value) == quads
            found.append((number, time.perf_counter() - began,
                          resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))
        store.remove_graph(graph)
    return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=1500)
    parser.add_argument("--quads", type=int, default=300)
    parser.add_argument("--every", type=int, default=300)
    parser.add_argument("--fresh-names", action="store_true", help="a new graph name each round")
    args = parser.parse_args(argv)
    print(f"pyoxigraph {ox.__version__}; {args.quads} quads a round; "
          f"{'a fresh graph name' if args.fresh_names else 'the same graph'} each round")
    for number, seconds, peak in churn(args.rounds, args.quads, args.every, fresh_names=args.fresh_names):
        print(f"round {number:>6}: 20 counts of the live graph {seconds * 1000:8.2f} ms, peak RSS {peak:6.0f} MB",
              flush=True)


if __name__ == "__main__":
    main()
