"""A pack's crosswalks (its crosswalks/*.sssom.tsv), checked for check_pack() as `mgraph crosswalk check` checks
them when the pack is loaded as content: shapes/crosswalks/mapping.ttl and the contradiction query, together with
the bundled curated crosswalks (a pack mapping that contradicts a bundled one is found), against the frameworks of
the pack check's store (the bundled ones and the pack's). The findings are about the pack's own files, each with
its file and line (the bundled crosswalks are checked in CI).

A file that is not SSSOM at all is bad input, as a bad requirements row is: InputError naming its file and line.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rdflib import URIRef

from ..content_folders import BUNDLED
from ..crosswalk.check import Finding, check_mapping_sets, content_elements
from ..crosswalk.sssom import bundled_mapping_sets, parse_sssom
from ..store.interface import Store


def check_pack_crosswalks(store: Store, graphs: Sequence[URIRef], files: Sequence[Path]) -> list[Finding]:
    """The crosswalk findings on `files`, whose mappings may end at any element of the frameworks in `graphs` of
    `store` (InputError if a file is not SSSOM)."""
    if not files:
        return []
    own = [parse_sssom(path, source=str(path)) for path in files]
    # a pack file named as a bundled one replaces it (the bundled model's own pack, ontology/packs/samm)
    names = {path.name for path in files}
    context = [s for s in bundled_mapping_sets((BUNDLED,)) if Path(s.path or "").name not in names]
    result = check_mapping_sets(own, elements=content_elements(store, graphs), context=context)
    return result.findings
