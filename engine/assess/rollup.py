"""Roll-up methods, looked up by the IRI a framework's mm:RollUp names (rules are data)."""
from __future__ import annotations

from collections.abc import Callable, Sequence

from ..errors import ContentError
from ..namespaces import MM


def minimum_stage(ranks: Sequence[int | None]) -> int | None:
    """The lowest rank among the parts; not assessed (None) if any part is not assessed or there are none."""
    if not ranks or any(r is None for r in ranks):
        return None
    return min(ranks)


ROLL_UP_METHODS: dict[str, Callable[[Sequence[int | None]], int | None]] = {
    str(MM.MinimumStage): minimum_stage,
}


def roll_up_method(iri) -> Callable[[Sequence[int | None]], int | None]:
    try:
        return ROLL_UP_METHODS[str(iri)]
    except KeyError:
        raise ContentError(f"roll-up method {iri} is not implemented by this engine") from None
