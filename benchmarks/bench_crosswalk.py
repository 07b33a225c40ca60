"""How good and how fast derived crosswalks are; prints tables, asserts nothing.

    python benchmarks/bench_crosswalk.py [--level criterion capability]

Precision is measured against the reviewed mappings of crosswalks/*.sssom.tsv (see
engine/crosswalk/precision.py for the definitions), for the derivation rule of maturity-graph
0.1 (concepts as tagged, any overlap) and the current one (skos:broader closure, containment
only from two matching concepts). Seconds depend on the machine; the precision does not.
"""
from __future__ import annotations

import argparse
import time

from maturity_graph import load_catalogue
from maturity_graph.crosswalk.derive import derive_all
from maturity_graph.crosswalk.precision import RULES, derive_precision


def precision_table(level: str) -> str:
    rows = [f"{'rule (' + level + ' level)':<40}{'proposed':>9}{'contain':>9}{'judged':>8}{'agree':>7}"
            f"{'precision':>11}{'contain prec':>14}{'recall':>8}"]
    for p in derive_precision(level=level):
        rows.append(f"{p.rule:<40}{p.candidates:>9}{p.containment:>9}{p.judged:>8}{p.agreeing:>7}"
                    f"{p.precision:>11.1%}{p.containment_agreeing:>5}/{p.containment_judged:<3}"
                    f" {p.containment_precision:>5.0%}"
                    f"{p.recall:>8.1%}")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--level", nargs="+", choices=["criterion", "capability"], default=["criterion", "capability"])
    args = parser.parse_args(argv)
    catalogue = load_catalogue()
    print("derive precision against the reviewed curated crosswalks (all 10 framework pairs)")
    for level in args.level:
        print(precision_table(level))
        print()
    print(f"{'derive, all 10 pairs':<48}{'seconds':>10}")
    for level in args.level:
        for name, options in RULES.items():
            start = time.perf_counter()
            derive_all(level=level, catalogue=catalogue, **options)
            print(f"{name + ' (' + level + ')':<48}{time.perf_counter() - start:>10.2f}")


if __name__ == "__main__":
    main()
