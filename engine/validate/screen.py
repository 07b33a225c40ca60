"""One scan of the evidence for what no shape can say: content it may not describe, decimals XSD rejects.

Both checks look at every evidence triple, so they share one pass (evidence-screen.rq): at 1M
triples two separate queries took 4.4 s, the one scan 1.7 s. The rows are few (normally none);
validate/reserved.py and validate/literals.py turn them into violations.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rdflib.term import Node

if TYPE_CHECKING:
    from ..run import Run


@dataclass(frozen=True)
class ScreenedTriple:
    """An evidence triple refused by the screen, and why (one or more of the three flags)."""

    subject: Node
    predicate: Node
    value: Node
    reserved_subject: bool
    reserved_predicate: bool
    bad_decimal: bool


def screen_evidence(run: Run) -> list[ScreenedTriple]:
    """The run's evidence triples that describe content or hold a malformed decimal, each once."""
    flags: dict[tuple[Node, Node, Node], tuple[bool, bool, bool]] = {}
    for row in run.query("evidence-screen.rq", __package__):
        s, p, o = row["s"], row["p"], row["o"]
        assert s is not None and p is not None and o is not None  # the query binds all three
        found = (_true(row["reservedSubject"]), _true(row["reservedPredicate"]), _true(row["badDecimal"]))
        before = flags.get((s, p, o), (False, False, False))
        flags[(s, p, o)] = (before[0] or found[0], before[1] or found[1], before[2] or found[2])  # a row per branch
    return [ScreenedTriple(*triple, *flag) for triple, flag in flags.items()]


def _true(flag: Node | None) -> bool:
    return flag is not None and flag.toPython() is True  # type: ignore[attr-defined]
