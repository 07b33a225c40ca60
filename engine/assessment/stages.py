"""Capability stages by cumulative gating, derived with SPARQL over the requirement results in the store."""
from __future__ import annotations

from rdflib import URIRef

from .. import bundled
from ..catalogue import Framework
from ..store import Store
from ..store.terms import iri, literal


def derive_capability_stages(store: Store, framework: Framework) -> dict[URIRef, int]:
    """Highest rank each capability holds; the run's graph:decided must already hold the requirement results."""
    text = bundled.query_text(__package__, "stage-reached.rq")
    rows = store.query(text, bindings={"framework": framework.iri}).dicts()
    return {iri(row["capability"]): int(literal(row["reached"])) for row in rows}
