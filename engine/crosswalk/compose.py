"""Multi-hop crosswalks: composing set relations with the RCC5 composition table.

If X relates to Y by r1 and Y to Z by r2, X relates to Z by one of the relations the table
gives for (r1, r2): A subset_of B and B subset_of C gives A subset_of C; other pairs leave
several relations possible. The table is data, `crosswalks/rcc5-composition.tsv`; its header
says where it comes from. A mapping's `relations` is a set of possible relations, so
composition works on sets: the union of the table entries over every pair.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import pairwise, product
from types import MappingProxyType

from .. import bundled
from ..errors import ContentError
from .model import Mapping, Relation, element_local

TABLE_FILE = ("crosswalks", "rcc5-composition.tsv")
COLUMNS = ["first", "second", "possible"]

JUSTIFICATION = "semapv:MappingChaining"
AUTHOR = "mgraph:compose"

# (first, second) -> the relations possible between X and Z; read-only.
CompositionTable = MappingProxyType[tuple[Relation, Relation], frozenset[Relation]]


@lru_cache(maxsize=1)
def load_composition_table() -> CompositionTable:
    """The bundled composition table: (first, second) -> the relations possible, for all 25 pairs."""
    name = "/".join(TABLE_FILE)
    try:
        text = bundled.content_dir(*TABLE_FILE).read_text(encoding="utf-8")
    except FileNotFoundError as err:
        raise ContentError(f"bundled file {name} is missing; the installation is broken") from err
    return parse_composition_table(text, source=name)


def parse_composition_table(text: str, *, source: str = "<string>") -> CompositionTable:
    """A composition table from TSV text: `#` comment lines, a `first second possible` header, 25 rows."""
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    reader = csv.reader(io.StringIO("\n".join(lines)), delimiter="\t")
    header = next(reader, None)
    if header != COLUMNS:
        raise ContentError(f"{source}: the header must be {' '.join(COLUMNS)} (tab-separated), not {header!r}")
    table: dict[tuple[Relation, Relation], frozenset[Relation]] = {}
    for number, row in enumerate(reader, start=2):
        try:
            first, second, possible = row
            key = (Relation(first), Relation(second))
            value = frozenset(Relation(name) for name in possible.split())
        except ValueError as err:
            raise ContentError(
                f"{source}: row {number} ({row!r}) is not `relation<TAB>relation<TAB>relations`: {err}") from err
        if key in table:
            raise ContentError(f"{source}: the pair {first} {second} appears twice")
        if not value:
            raise ContentError(f"{source}: the pair {first} {second} lists no possible relation")
        table[key] = value
    missing = [f"{a.value} {b.value}" for a, b in product(Relation, repeat=2) if (a, b) not in table]
    if missing:
        raise ContentError(f"{source}: the table lacks the pairs {', '.join(missing)}")
    return MappingProxyType(table)


def compose_relations(
    r1s: Iterable[Relation], r2s: Iterable[Relation], *, table: CompositionTable | None = None
) -> frozenset[Relation]:
    """The relations possible between X and Z when X relates to Y by one of `r1s`, Y to Z by one of `r2s`."""
    table = table if table is not None else load_composition_table()
    result: set[Relation] = set()
    for r1, r2 in product(r1s, r2s):
        result |= table[(Relation(r1), Relation(r2))]
    return frozenset(result)


def compose(m1: Mapping, m2: Mapping) -> Mapping:
    """The mapping from m1's subject to m2's object through m1's object, which must be m2's subject.

    The result carries every relation still possible, `via=(m1, m2)`, justification
    semapv:MappingChaining and review status "unreviewed"; it has no strength or confidence.
    """
    return compose_path((m1, m2))


def compose_path(mappings: Sequence[Mapping]) -> Mapping:
    """The mapping along a path of mappings, each one's object the next one's subject.

    One mapping is returned as it is; longer paths give a composed mapping whose `via` is the
    path, in order.
    """
    path = tuple(mappings)
    if not path:
        raise ValueError("compose_path needs at least one mapping")
    if len(path) == 1:
        return path[0]
    relations = path[0].relations
    for step, (before, after) in enumerate(pairwise(path), start=1):
        if before.object != after.subject:
            raise ValueError(
                f"mapping {step} ends at {before.object} but mapping {step + 1} starts at {after.subject}: "
                "a path must go through the same element"
            )
        relations = compose_relations(relations, after.relations)
    return Mapping(
        subject=path[0].subject,
        object=path[-1].object,
        relations=relations,
        strength=None,
        confidence=None,
        justification=JUSTIFICATION,
        author=(AUTHOR,),
        review_status="unreviewed",
        source="composed/" + "--".join(element_local(m.object) for m in path[:-1]),
        via=path,
    )
