"""The kinds of subject an assessment is of: one table for the sheet import, the scan import and the CLI.

A kind word (`--subject-kind`, a subject map's `kind` column) names an ev:Subject subclass. SbD
is applied per product, the CSMM per cloud account, the ZTMM per agency component; the other
bundled models do not say, so their subjects are typed ev:Subject.
"""
from __future__ import annotations

from collections.abc import Mapping

from rdflib import URIRef

from ..namespaces import EV

KINDS: Mapping[str, URIRef] = {
    "product": EV.Product,
    "business-unit": EV.BusinessUnit,
    "cloud-account": EV.CloudAccount,
    "agency-component": EV.AgencyComponent,
}
# framework id -> the kind (a key of KINDS) its own model assesses
FRAMEWORK_KINDS: Mapping[str, str] = {"sbd": "product", "csmm": "cloud-account", "ztmm": "agency-component"}


def kind_class(word: str) -> URIRef | None:
    """The ev:Subject class a kind word names ("Business unit", "business_unit", ...), or None."""
    return KINDS.get("-".join(word.replace("_", " ").replace("-", " ").lower().split()))
