"""The project's one prefix map (prefix -> namespace IRI), as a `curies.Converter`.

It is what `mgraph query` predeclares and `mgraph query --prefixes` lists, and how query results show
IRIs as prefixed names. It is built from data, not from a table in Python: ontology/prefixes.ttl, the
reviewed table that every bundled Turtle file and QA query must keep to (tests/ontology/test_prefixes.py),
read with a real Turtle parser, then SSSOM's built-in prefixes (crosswalk/sssom.py's SSSOM_BUILT_IN)
that the table lacks: the curated crosswalks bring `semapv:` terms into graph:content, and no Turtle
file declares that prefix. A prefix or namespace the table already has is never rebound.
"""
from __future__ import annotations

import re
from functools import lru_cache

import curies
from rdflib import Graph

from . import bundled
from .errors import ContentError

# SPARQL 1.1's PN_PREFIX and the plain-character part of PN_LOCAL (no \-escapes, no %XX): a prefixed name
# built from these parses the same in every SPARQL and Turtle reader.
PN_CHARS_BASE = ("A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D"
                 "\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\U00010000-\U000EFFFF")
PN_CHARS = PN_CHARS_BASE + "_\\-0-9\u00B7\u0300-\u036F\u203F-\u2040"
PN_PREFIX = re.compile(f"(?:[{PN_CHARS_BASE}](?:[{PN_CHARS}.]*[{PN_CHARS}])?)?")
PN_LOCAL = re.compile(f"[{PN_CHARS_BASE}_:0-9](?:[{PN_CHARS}.:]*[{PN_CHARS}:])?")
# What may not stand inside <...> in SPARQL or Turtle (IRIREF).
NOT_IN_IRIREF = re.compile(r'[<>"{}|^`\\\x00-\x20]')


@lru_cache(maxsize=1)
def project_prefixes() -> curies.Converter:
    """The prefix map, in the order of ontology/prefixes.ttl, then the SSSOM prefixes it lacks."""
    from .crosswalk.sssom import SSSOM_BUILT_IN  # what the SSSOM standard predeclares for mapping files

    graph = Graph(bind_namespaces="none")
    graph.parse(data=bundled.content_dir("ontology", "prefixes.ttl").read_text(encoding="utf-8"), format="turtle")
    table = {prefix: str(namespace) for prefix, namespace in graph.namespaces()}
    if not table:
        raise ContentError("bundled ontology/prefixes.ttl declares no prefixes; the installation is broken")
    for prefix, namespace in SSSOM_BUILT_IN.items():
        if prefix not in table and namespace not in table.values():
            table[prefix] = namespace
    for prefix, namespace in table.items():
        if not PN_PREFIX.fullmatch(prefix) or NOT_IN_IRIREF.search(namespace):
            raise ContentError(f"the prefix table binds {prefix!r} to {namespace!r}: not a SPARQL prefix declaration")
    return curies.Converter.from_prefix_map(table)


def prefix_map() -> dict[str, str]:
    """Prefix -> namespace IRI, in the table's order (a copy: change it freely)."""
    return dict(project_prefixes().prefix_map)


def compact_iri(iri: str) -> str | None:
    """The prefixed name of an IRI, or None when no prefix fits or the rest is not a plain SPARQL local name.

    So a name shown can be pasted back into a query: `mgraph query` predeclares the same prefixes.
    """
    curie = project_prefixes().compress(iri, strict=False, passthrough=False)
    if curie is None:
        return None
    local = curie.partition(":")[2]
    return curie if local == "" or PN_LOCAL.fullmatch(local) else None
