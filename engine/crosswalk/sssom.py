"""Curated mapping sets as SSSOM TSV: parse them strictly, write them deterministically, and
turn them into mm:Mapping nodes.

The file format (``crosswalks/<a>--<b>.sssom.tsv``, one curated mapping set per framework pair)
is SSSOM 1.0 TSV with four extension columns that keep the NIST IR 8477 set-theory relationship
mapping (STRM) data SSSOM has no slot for. Every file passes ``sssom validate``.

A ``#``-prefixed YAML header comes first::

    # mapping_set_id: https://w3id.org/maturity-graph/crosswalk/ztmm--csmm
    # mapping_set_title: CISA ZTMM 2.0 to RemedySec CSMM
    # mapping_set_description: Curated by maturity-graph from the concept sets of both frameworks.
    # license: https://www.apache.org/licenses/LICENSE-2.0
    # creator_id:
    # - mgraph:maintainers
    # mapping_date: '2026-11-24'
    # curie_map:
    #   csmm: https://w3id.org/maturity-graph/framework/csmm/unversioned/
    #   mgraph: https://w3id.org/maturity-graph/
    #   mm: https://w3id.org/maturity-graph/mm#
    #   orcid: https://orcid.org/
    #   semapv: https://w3id.org/semapv/vocab/
    #   skos: http://www.w3.org/2004/02/skos/core#
    #   xsd: http://www.w3.org/2001/XMLSchema#
    #   ztmm: https://w3id.org/maturity-graph/framework/ztmm/2.0/
    # extension_definitions:
    # - slot_name: strm_relation
    #   property: mm:relation
    #   type_hint: xsd:string
    # - slot_name: strm_rationale
    #   property: mm:rationale
    #   type_hint: xsd:string
    # - slot_name: strm_strength
    #   property: mm:strength
    #   type_hint: xsd:integer
    # - slot_name: review_status
    #   property: mm:reviewStatus
    #   type_hint: xsd:string

Required header keys: ``mapping_set_id`` (an absolute IRI; ours are
``https://w3id.org/maturity-graph/crosswalk/<a>--<b>``), ``license`` (Apache-2.0 for our own
mappings) and ``curie_map``. ``mapping_set_title``, ``mapping_set_description``, ``creator_id``
(a list of CURIEs: ``orcid:`` for people with an ORCID, ``mgraph:`` otherwise),
``mapping_date`` (ISO date) and ``extension_definitions`` are written by :func:`write_sssom`
and checked when present. A ``curie_map`` entry whose prefix is in ``ontology/prefixes.ttl``
must bind the same IRI there; every CURIE in the file must use a prefix of the ``curie_map``
(or one of SSSOM's built-in prefixes: owl, rdf, rdfs, semapv, skos, sssom).

Then one header row and one row per mapping, columns in SSSOM slot order, then the
extensions (:data:`COLUMNS`):

==================== ==========================================================================
subject_id           CURIE of a criterion (a framework cell, stage-aware) or capability
subject_label        its rdfs:label (informative)
predicate_id         the SSSOM predicate of the relation (model.SSSOM_PREDICATES):
                     equal skos:exactMatch, subset_of skos:broadMatch, superset_of
                     skos:narrowMatch, intersects_with and not_related skos:relatedMatch
predicate_modifier   ``Not`` for not_related, empty otherwise
object_id            CURIE of a criterion or capability of the other framework
object_label         its rdfs:label (informative)
mapping_justification a SEMAPV CURIE, usually semapv:ManualMappingCuration
author_id            CURIEs separated by ``|``
reviewer_id          CURIEs separated by ``|``
confidence           0 to 1
mapping_date         ISO date; when empty, the header's mapping_date applies
comment              free text
strm_relation        equal | subset_of | superset_of | intersects_with | not_related (required)
strm_rationale       syntactic | semantic | functional
strm_strength        integer 1 (weak) to 10 (strong)
review_status        reviewed | unreviewed | rejected (empty means unreviewed)
==================== ==========================================================================

Required columns: subject_id, predicate_id, object_id, mapping_justification, strm_relation.
Rows are sorted by their cells in column order, as ``sssom sort`` does. A malformed file raises
one :class:`InputError` naming the file and line.
"""
from __future__ import annotations

import datetime as dt
import io
import logging
import re
from collections.abc import Iterable, Sequence
from collections.abc import Mapping as MappingABC
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import lru_cache
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, TextIO

import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from .. import bundled
from ..content_folders import ContentRoot, active_roots
from ..errors import ContentError, InputError
from ..namespaces import MM
from .model import (
    RATIONALES,
    REVIEW_STATUSES,
    SSSOM_PREDICATES,
    Mapping,
    Relation,
    mapping_iri,
)

log = logging.getLogger(__name__)

BASE = "https://w3id.org/maturity-graph/"
MAPPING_SET_BASE = BASE + "crosswalk/"
APACHE_2 = "https://www.apache.org/licenses/LICENSE-2.0"
SUFFIX = ".sssom.tsv"

SSSOM_COLUMNS = (
    "subject_id",
    "subject_label",
    "predicate_id",
    "predicate_modifier",
    "object_id",
    "object_label",
    "mapping_justification",
    "author_id",
    "reviewer_id",
    "confidence",
    "mapping_date",
    "comment",
)
EXTENSION_COLUMNS = ("strm_relation", "strm_rationale", "strm_strength", "review_status")
COLUMNS = SSSOM_COLUMNS + EXTENSION_COLUMNS
REQUIRED_COLUMNS = ("subject_id", "predicate_id", "object_id", "mapping_justification", "strm_relation")
REQUIRED_METADATA = ("mapping_set_id", "license", "curie_map")
MULTIVALUED_SEPARATOR = "|"
NOT = "Not"

# The extension columns as SSSOM 1.0 `extension_definitions` (slot_name, property, type_hint).
EXTENSION_DEFINITIONS = (
    {"slot_name": "strm_relation", "property": "mm:relation", "type_hint": "xsd:string"},
    {"slot_name": "strm_rationale", "property": "mm:rationale", "type_hint": "xsd:string"},
    {"slot_name": "strm_strength", "property": "mm:strength", "type_hint": "xsd:integer"},
    {"slot_name": "review_status", "property": "mm:reviewStatus", "type_hint": "xsd:string"},
)

# Header keys in the order the writer puts them; any other key follows, sorted.
METADATA_ORDER = (
    "mapping_set_id",
    "mapping_set_title",
    "mapping_set_description",
    "license",
    "creator_id",
    "mapping_date",
    "curie_map",
    "extension_definitions",
)

# SSSOM's built-in prefixes (sssom.context): valid without a curie_map entry.
SSSOM_BUILT_IN = {
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "semapv": "https://w3id.org/semapv/vocab/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "sssom": "https://w3id.org/sssom/",
}
# Prefixes SSSOM files use beyond ontology/prefixes.ttl.
EXTRA_PREFIXES = {
    "mgraph": BASE,
    "orcid": "https://orcid.org/",
    "semapv": "https://w3id.org/semapv/vocab/",
}

RATIONALE_IRIS = {"syntactic": MM.Syntactic, "semantic": MM.Semantic, "functional": MM.Functional}
REVIEW_STATUS_IRIS = {"reviewed": MM.Reviewed, "unreviewed": MM.Unreviewed, "rejected": MM.Rejected}

_CURIE = re.compile(r"^([A-Za-z_][A-Za-z0-9_.-]*):(\S*)$")
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class _HeaderLoader(yaml.SafeLoader):
    """YAML's safe loader, but dates stay text: an impossible one such as 2025-02-30 is then reported
    by `_date` with its line, instead of escaping from the YAML library as a ValueError."""


_HeaderLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != _TIMESTAMP]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_PREFIX_LINE = re.compile(r"^\s*@prefix\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.MULTILINE)


@lru_cache(maxsize=1)
def prefix_table() -> dict[str, str]:
    """ontology/prefixes.ttl plus the few prefixes SSSOM files add (semapv, orcid, mgraph)."""
    text = bundled.content_dir("ontology", "prefixes.ttl").read_text(encoding="utf-8")
    table = dict(_PREFIX_LINE.findall(text))
    if not table:
        raise ContentError("bundled ontology/prefixes.ttl declares no prefixes; the installation is broken")
    return {**table, **EXTRA_PREFIXES}


@dataclass
class MappingSetFile:
    """One SSSOM mapping set: its header, its mappings (in row order) and where each came from."""

    metadata: dict[str, Any]
    mappings: list[Mapping]
    path: str | None = None
    lines: list[int] = field(default_factory=list)
    labels: dict[URIRef, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return str(self.metadata["mapping_set_id"])

    @property
    def iri(self) -> URIRef:
        return URIRef(self.id)

    @property
    def name(self) -> str:
        """The set's short name: the last segment of its id (``ztmm--csmm``)."""
        return _set_name(self.id)

    @property
    def curie_map(self) -> dict[str, str]:
        return dict(self.metadata.get("curie_map") or {})

    def line_of(self, index: int) -> int | None:
        return self.lines[index] if index < len(self.lines) else None


def _set_name(set_id: str) -> str:
    return set_id.rstrip("/").rsplit("/", 1)[-1]


# ---------------------------------------------------------------------------------------------
# Parsing


class _Reader:
    """Reads one file; every problem becomes an InputError naming the file and line."""

    def __init__(self, source: str):
        self.source = source

    def fail(self, message: str, line: int | None = None) -> InputError:
        return InputError(message, path=self.source, line=line)


def parse_sssom(path: str | Path | Traversable, *, source: str | None = None) -> MappingSetFile:
    """Read one SSSOM TSV mapping set strictly (see the module docstring for the format)."""
    name = source or str(path)
    try:
        text = path.read_text(encoding="utf-8") if not isinstance(path, str) else Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("file not found", path=name) from None
    except IsADirectoryError:
        raise InputError("is a directory, not an SSSOM file", path=name) from None
    except UnicodeDecodeError:
        raise InputError("is not UTF-8 text; save the SSSOM file as UTF-8", path=name) from None
    except OSError as err:
        raise InputError(f"cannot read file: {err.strerror}", path=name) from None
    return parse_sssom_text(text, source=name)


def parse_sssom_text(text: str, *, source: str = "<string>") -> MappingSetFile:
    """Parse SSSOM TSV held in a string; `source` names it in error messages."""
    reader = _Reader(source)
    lines = text.splitlines()
    header_lines: list[tuple[int, str]] = []
    index = 0
    while index < len(lines) and lines[index].startswith("#"):
        header_lines.append((index + 1, lines[index][1:]))
        index += 1
    if not header_lines:
        raise reader.fail("has no '#' YAML header; an SSSOM file starts with mapping_set_id, license and curie_map", 1)
    metadata = _parse_header(header_lines, reader)
    prefixes = _checked_curie_map(metadata, header_lines, reader)

    while index < len(lines) and not lines[index].strip():
        index += 1
    if index >= len(lines):
        raise reader.fail("has a header but no column row; add the SSSOM columns", len(lines))
    column_line = index + 1
    columns = lines[index].split("\t")
    _check_columns(columns, column_line, reader)

    mappings, row_lines, labels = [], [], {}
    for number, raw in enumerate(lines[index + 1:], start=column_line + 1):
        if not raw.strip():
            continue
        cells = raw.split("\t")
        if len(cells) > len(columns):
            raise reader.fail(f"row has {len(cells)} cells but the header has {len(columns)} columns", number)
        row = dict(zip(columns, cells + [""] * (len(columns) - len(cells)), strict=True))
        row = {k: v.strip() for k, v in row.items()}
        mapping = _row_mapping(row, metadata, prefixes, reader, number)
        mappings.append(mapping)
        row_lines.append(number)
        if row.get("subject_label"):
            labels[mapping.subject] = row["subject_label"]
        if row.get("object_label"):
            labels[mapping.object] = row["object_label"]
    log.debug("%s: %d mappings", source, len(mappings))
    return MappingSetFile(metadata=metadata, mappings=mappings, path=source, lines=row_lines, labels=labels)


HeaderLines = list[tuple[int, str]]  # (line number, text after the #) of each header line


def _parse_header(header_lines: list[tuple[int, str]], reader: _Reader) -> dict[str, Any]:
    body = "\n".join(text for _, text in header_lines)
    try:
        metadata = yaml.load(body, Loader=_HeaderLoader)  # noqa: S506 (a SafeLoader)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = header_lines[min(mark.line, len(header_lines) - 1)][0] if mark is not None else 1
        problem = getattr(err, "problem", None) or "not valid YAML"
        raise reader.fail(f"the '#' header is not valid YAML: {problem}", line) from None
    except RecursionError:
        raise reader.fail("the '#' header is nested too deeply to be SSSOM metadata", 1) from None
    except (ValueError, TypeError, OverflowError) as err:  # a value the YAML library cannot build, e.g. !!timestamp
        problem = " ".join(str(err).split())
        raise reader.fail(f"the '#' header holds a value that cannot be read: {problem}", 1) from None
    if not isinstance(metadata, dict):
        raise reader.fail("the '#' header must be a YAML mapping of SSSOM metadata keys", 1)
    for key in REQUIRED_METADATA:
        if not metadata.get(key):
            raise reader.fail(
                f"the header lacks {key}; every mapping set needs mapping_set_id, license and curie_map", 1)
    for key in ("mapping_set_id", "license"):
        value = metadata[key]
        if not isinstance(value, str) or not value.startswith(("http://", "https://")):
            raise reader.fail(f"{key} must be an absolute http(s) IRI, not {value!r}", _key_line(header_lines, key))
    if "mapping_date" in metadata:
        metadata["mapping_date"] = _date(metadata["mapping_date"], reader, _key_line(header_lines, "mapping_date"))
    if "creator_id" in metadata:
        creators = metadata["creator_id"]
        creators = [creators] if isinstance(creators, str) else creators
        if not isinstance(creators, list) or not all(isinstance(c, str) for c in creators):
            raise reader.fail("creator_id must be a CURIE or a list of CURIEs", _key_line(header_lines, "creator_id"))
        metadata["creator_id"] = creators
    return metadata


def _checked_curie_map(metadata: dict[str, Any], header_lines: HeaderLines, reader: _Reader) -> dict[str, str]:
    curie_map = metadata["curie_map"]
    line = _key_line(header_lines, "curie_map")
    if not isinstance(curie_map, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in curie_map.items()
    ):
        raise reader.fail("curie_map must map each prefix to an IRI", line)
    table = prefix_table()
    for prefix, iri in curie_map.items():
        expected = table.get(prefix) or SSSOM_BUILT_IN.get(prefix)
        if expected is not None and expected != iri:
            raise reader.fail(
                f"curie_map binds {prefix}: to {iri} but ontology/prefixes.ttl binds it to {expected}; use that IRI",
                _key_line(header_lines, prefix, after=line) or line,
            )
    prefixes = {**SSSOM_BUILT_IN, **curie_map}
    for key in ("creator_id",):
        for value in metadata.get(key, []):
            _expand(value, prefixes, reader, _key_line(header_lines, key), key)
    return prefixes


def _key_line(header_lines: HeaderLines, key: str, *, after: int | None = None) -> int | None:
    pattern = re.compile(rf"^\s*-?\s*{re.escape(key)}\s*:")
    for number, text in header_lines:
        if (after is None or number > after) and pattern.match(text):
            return number
    return None


def _check_columns(columns: list[str], line: int, reader: _Reader) -> None:
    seen = set()
    for name in columns:
        if name in seen:
            raise reader.fail(f"column {name!r} appears twice", line)
        seen.add(name)
        if name not in COLUMNS:
            raise reader.fail(f"unknown column {name!r}; the columns are {', '.join(COLUMNS)}", line)
    missing = [c for c in REQUIRED_COLUMNS if c not in seen]
    if missing:
        raise reader.fail(f"missing required column(s) {', '.join(missing)}", line)


def _row_mapping(row: dict[str, str], metadata: dict[str, Any], prefixes: dict[str, str], reader: _Reader,
                 line: int) -> Mapping:
    def required(column: str) -> str:
        value = row.get(column, "")
        if not value:
            raise reader.fail(f"{column} is empty", line)
        return value

    subject = _expand(required("subject_id"), prefixes, reader, line, "subject_id")
    obj = _expand(required("object_id"), prefixes, reader, line, "object_id")
    relation_text = required("strm_relation")
    try:
        relation = Relation(relation_text)
    except ValueError:
        known = ", ".join(r.value for r in Relation)
        raise reader.fail(f"strm_relation {relation_text!r} is not one of {known}", line) from None
    predicate = required("predicate_id")
    if predicate != SSSOM_PREDICATES[relation]:
        raise reader.fail(
            f"predicate_id {predicate} disagrees with strm_relation {relation.value}, "
            f"which needs {SSSOM_PREDICATES[relation]}",
            line,
        )
    modifier = row.get("predicate_modifier", "")
    if modifier not in ("", NOT):
        raise reader.fail(f"predicate_modifier {modifier!r} is not allowed; use 'Not' or leave it empty", line)
    if (modifier == NOT) != (relation is Relation.NOT_RELATED):
        needs = ("needs predicate_modifier Not" if relation is Relation.NOT_RELATED
                 else "must not have predicate_modifier Not")
        raise reader.fail(f"strm_relation {relation.value} {needs}", line)

    justification = required("mapping_justification")
    _expand(justification, prefixes, reader, line, "mapping_justification")
    authors = _curies(row.get("author_id", ""), prefixes, reader, line, "author_id")
    reviewers = _curies(row.get("reviewer_id", ""), prefixes, reader, line, "reviewer_id")

    rationale = row.get("strm_rationale") or None
    if rationale is not None and rationale not in RATIONALES:
        raise reader.fail(f"strm_rationale {rationale!r} is not one of {', '.join(RATIONALES)}", line)
    status = row.get("review_status") or "unreviewed"
    if status not in REVIEW_STATUSES:
        raise reader.fail(f"review_status {status!r} is not one of {', '.join(REVIEW_STATUSES)}", line)

    strength = None
    if row.get("strm_strength"):
        text = row["strm_strength"]
        if not re.fullmatch(r"[0-9]+", text) or not 1 <= int(text) <= 10:
            raise reader.fail(f"strm_strength {text!r} must be a whole number from 1 to 10", line)
        strength = int(text)
    confidence = None
    if row.get("confidence"):
        text = row["confidence"]
        try:
            confidence = float(text)
        except ValueError:
            raise reader.fail(f"confidence {text!r} is not a number", line) from None
        if not 0.0 <= confidence <= 1.0:
            raise reader.fail(f"confidence {text} must be between 0 and 1", line)
    date = _date(row["mapping_date"], reader, line) if row.get("mapping_date") else metadata.get("mapping_date")

    return Mapping(
        subject=subject,
        object=obj,
        relations=frozenset({relation}),
        strength=strength,
        confidence=confidence,
        rationale=rationale,
        justification=justification,
        author=authors,
        reviewer=reviewers,
        date=date,
        review_status=status,
        comment=row.get("comment") or None,
        source=_set_name(str(metadata["mapping_set_id"])),
    )


def _curies(cell: str, prefixes: dict[str, str], reader: _Reader, line: int, column: str) -> tuple[str, ...]:
    values = tuple(v.strip() for v in cell.split(MULTIVALUED_SEPARATOR) if v.strip()) if cell else ()
    for value in values:
        _expand(value, prefixes, reader, line, column)
    return values


def _expand(curie: str, prefixes: MappingABC[str, str], reader: _Reader, line: int | None, column: str) -> URIRef:
    match = _CURIE.match(curie)
    if match is None or curie.startswith(("http://", "https://")):
        raise reader.fail(f"{column} {curie!r} is not a CURIE (prefix:local)", line)
    prefix, local = match.groups()
    if prefix not in prefixes:
        raise reader.fail(f"{column} {curie} uses prefix {prefix!r}, which the curie_map does not declare", line)
    return URIRef(prefixes[prefix] + local)


def _date(value: object, reader: _Reader, line: int | None) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value)
    try:
        if not _ISO_DATE.match(text):
            raise ValueError(text)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise reader.fail(f"mapping_date {value!r} is not an ISO date (YYYY-MM-DD) on the calendar", line) from None


# ---------------------------------------------------------------------------------------------
# Building and writing


def compress(iri: str, prefixes: MappingABC[str, str]) -> str:
    """The CURIE of an IRI with the longest matching namespace; the IRI itself if none matches."""
    best = None
    for prefix, namespace in prefixes.items():
        if iri.startswith(namespace) and (best is None or len(namespace) > len(prefixes[best])):
            best = prefix
    return f"{best}:{iri[len(prefixes[best]):]}" if best is not None else iri


def _as_curie(value: str, prefixes: MappingABC[str, str]) -> str:
    return compress(value, prefixes) if value.startswith(("http://", "https://")) else value


def to_mapping_set(
    mappings: Iterable[Mapping],
    *,
    name: str,
    title: str | None = None,
    description: str | None = None,
    labels: MappingABC[URIRef, str] | None = None,
    creators: Iterable[str] = ("mgraph:maintainers",),
    date: dt.date | None = None,
    license: str = APACHE_2,
) -> MappingSetFile:
    """A mapping set for `mappings`, its curie_map holding exactly the prefixes they use."""
    mappings = list(mappings)
    for mapping in mappings:
        if mapping.relation is None:
            raise InputError(
                f"the mapping {mapping.subject} -> {mapping.object} leaves several relations possible "
                f"({', '.join(sorted(r.value for r in mapping.relations))}); SSSOM holds one relation per row"
            )
    table = {**SSSOM_BUILT_IN, **prefix_table()}
    creators = list(creators)
    used: set[str] = {"skos", "mm", "xsd"}
    values = [str(v) for m in mappings for v in (m.subject, m.object, m.justification, *m.author, *m.reviewer)]
    for value in values + creators:
        curie = _as_curie(value, table)
        match = _CURIE.match(curie)
        if match is None or match.group(1) not in table:
            raise InputError(f"{value} has no prefix in ontology/prefixes.ttl; SSSOM needs a CURIE")
        used.add(match.group(1))
    curie_map = {p: table[p] for p in sorted(used)}
    dates = [m.date for m in mappings if m.date is not None]
    metadata: dict[str, Any] = {"mapping_set_id": MAPPING_SET_BASE + name}
    if title:
        metadata["mapping_set_title"] = title
    if description:
        metadata["mapping_set_description"] = description
    metadata["license"] = license
    if creators:
        metadata["creator_id"] = creators
    set_date = date or (max(dates) if dates else None)
    if set_date is not None:
        metadata["mapping_date"] = set_date
    metadata["curie_map"] = curie_map
    metadata["extension_definitions"] = [dict(d) for d in EXTENSION_DEFINITIONS]
    return MappingSetFile(metadata=metadata, mappings=mappings, labels=dict(labels or {}))


def to_sssom_rows(
    mappings: Iterable[Mapping],
    labels: MappingABC[URIRef, str] | None = None,
    *,
    curie_map: MappingABC[str, str] | None = None,
) -> list[dict[str, str]]:
    """One dict per mapping, keyed by :data:`COLUMNS`, sorted as ``sssom sort`` sorts."""
    prefixes = {**SSSOM_BUILT_IN, **(curie_map if curie_map is not None else prefix_table())}
    labels = labels or {}
    rows = []
    for m in mappings:
        relation = m.relation
        if relation is None:
            raise InputError(
                f"the mapping {m.subject} -> {m.object} leaves several relations possible; SSSOM holds one")
        rows.append(
            {
                "subject_id": compress(str(m.subject), prefixes),
                "subject_label": _cell(labels.get(m.subject, "")),
                "predicate_id": SSSOM_PREDICATES[relation],
                "predicate_modifier": NOT if relation is Relation.NOT_RELATED else "",
                "object_id": compress(str(m.object), prefixes),
                "object_label": _cell(labels.get(m.object, "")),
                "mapping_justification": _as_curie(m.justification, prefixes),
                "author_id": MULTIVALUED_SEPARATOR.join(_as_curie(a, prefixes) for a in m.author),
                "reviewer_id": MULTIVALUED_SEPARATOR.join(_as_curie(r, prefixes) for r in m.reviewer),
                "confidence": "" if m.confidence is None else repr(float(m.confidence)),
                "mapping_date": m.date.isoformat() if m.date else "",
                "comment": _cell(m.comment or ""),
                "strm_relation": relation.value,
                "strm_rationale": m.rationale or "",
                "strm_strength": "" if m.strength is None else str(int(m.strength)),
                "review_status": m.review_status,
            }
        )
    return sorted(rows, key=lambda row: tuple(row[c] for c in COLUMNS))


def _cell(text: str) -> str:
    """A TSV cell: tabs and line breaks would break the row, so they become spaces."""
    return " ".join(str(text).split()) if any(c in str(text) for c in "\t\r\n") else str(text)


def header_text(metadata: MappingABC[str, Any]) -> str:
    """The ``#`` YAML header, keys in :data:`METADATA_ORDER`, then any other keys sorted."""
    ordered = {k: metadata[k] for k in METADATA_ORDER if k in metadata}
    ordered.update({k: metadata[k] for k in sorted(metadata) if k not in ordered})
    for key in ("mapping_date",):
        if isinstance(ordered.get(key), dt.date):
            ordered[key] = ordered[key].isoformat()
    if isinstance(ordered.get("curie_map"), dict):
        ordered["curie_map"] = dict(sorted(ordered["curie_map"].items()))
    body = yaml.safe_dump(ordered, sort_keys=False, allow_unicode=True, default_flow_style=False, width=4096)
    return "".join(f"# {line}\n" if line else "#\n" for line in body.splitlines())


def write_sssom(mapping_set: MappingSetFile, stream: TextIO) -> None:
    """Write a mapping set as SSSOM TSV: the header, then the rows in slot order, sorted."""
    rows = to_sssom_rows(mapping_set.mappings, mapping_set.labels, curie_map=mapping_set.curie_map)
    stream.write(header_text(mapping_set.metadata))
    stream.write("\t".join(COLUMNS) + "\n")
    stream.writelines("\t".join(row[c] for c in COLUMNS) + "\n" for row in rows)


def sssom_text(mapping_set: MappingSetFile) -> str:
    buffer = io.StringIO()
    write_sssom(mapping_set, buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# The mapping graph


def mapping_iris(mapping_set: MappingSetFile) -> list[URIRef]:
    """The IRI of each mapping, in row order: model.mapping_iri with the set's name
    (<mapping/><set>/<fw>-<subject>--<fw>-<object>), and -2, -3 ... for a second and later
    mapping between the same pair."""
    seen: dict[str, int] = {}
    iris = []
    for m in mapping_set.mappings:
        base = str(mapping_iri(replace(m, source=_slug(mapping_set.name))))
        seen[base] = seen.get(base, 0) + 1
        iris.append(URIRef(base + (f"-{seen[base]}" if seen[base] > 1 else "")))
    return iris


def _slug(text: str) -> str:
    return re.sub(r"-{3,}", "--", re.sub(r"[^A-Za-z0-9-]+", "-", text)).strip("-")


def mappings_graph(mapping_set: MappingSetFile) -> Graph:
    """mm:Mapping nodes for every row, each mm:inMappingSet the set, with all its properties."""
    prefixes = {**SSSOM_BUILT_IN, **prefix_table(), **mapping_set.curie_map}
    graph = Graph(bind_namespaces="core")
    graph.bind("mm", str(MM))
    graph.bind("dcterms", str(DCTERMS))
    for prefix in sorted(mapping_set.curie_map):
        graph.bind(prefix, mapping_set.curie_map[prefix], override=False)
    meta = mapping_set.metadata
    s = mapping_set.iri
    graph.add((s, RDF.type, MM.MappingSet))
    if meta.get("mapping_set_title"):
        graph.add((s, DCTERMS.title, Literal(str(meta["mapping_set_title"]))))
    if meta.get("mapping_set_description"):
        graph.add((s, DCTERMS.description, Literal(str(meta["mapping_set_description"]))))
    if meta.get("license"):
        graph.add((s, DCTERMS.license, URIRef(str(meta["license"]))))
    for creator in meta.get("creator_id", []) or []:
        graph.add((s, DCTERMS.creator, _iri(creator, prefixes)))
    if isinstance(meta.get("mapping_date"), dt.date):
        graph.add((s, DCTERMS.date, Literal(meta["mapping_date"], datatype=XSD.date)))

    for node, m in zip(mapping_iris(mapping_set), mapping_set.mappings, strict=True):
        graph.add((node, RDF.type, MM.Mapping))
        graph.add((node, MM.inMappingSet, s))
        graph.add((node, MM.mapsFrom, m.subject))
        graph.add((node, MM.mapsTo, m.object))
        for relation in sorted(m.relations, key=lambda r: r.value):
            graph.add((node, MM.relation, relation.iri))
        if m.rationale is not None:
            graph.add((node, MM.rationale, RATIONALE_IRIS.get(m.rationale, Literal(m.rationale))))
        if m.strength is not None:
            graph.add((node, MM.strength, Literal(int(m.strength), datatype=XSD.integer)))
        if m.confidence is not None:
            graph.add((node, MM.confidence, Literal(Decimal(repr(float(m.confidence))), datatype=XSD.decimal)))
        graph.add((node, MM.reviewStatus, REVIEW_STATUS_IRIS.get(m.review_status, Literal(m.review_status))))
        if m.justification:
            graph.add((node, MM.justification, _iri(m.justification, prefixes)))
        for author in m.author:
            graph.add((node, MM.author, _iri(author, prefixes)))
        for reviewer in m.reviewer:
            graph.add((node, MM.reviewer, _iri(reviewer, prefixes)))
        if m.date is not None:
            graph.add((node, MM.mappingDate, Literal(m.date, datatype=XSD.date)))
        if m.comment:
            graph.add((node, RDFS.comment, Literal(m.comment)))
        for concept in m.shared:
            graph.add((node, MM.sharedConcept, concept))
        for concept in m.subject_only:
            graph.add((node, MM.subjectOnlyConcept, concept))
        for concept in m.object_only:
            graph.add((node, MM.objectOnlyConcept, concept))
    return graph


def _iri(value: str, prefixes: MappingABC[str, str]) -> URIRef:
    if value.startswith(("http://", "https://")):
        return URIRef(value)
    match = _CURIE.match(value)
    if match is None or match.group(1) not in prefixes:
        raise InputError(f"{value!r} is neither an IRI nor a CURIE with a known prefix")
    return URIRef(prefixes[match.group(1)] + match.group(2))


# ---------------------------------------------------------------------------------------------
# Bundled mapping sets


def bundled_files() -> list[Traversable]:
    """The curated mapping sets shipped in crosswalks/*.sssom.tsv, sorted by name."""
    folder = bundled.content_dir("crosswalks")
    if not folder.is_dir():
        return []
    return sorted((f for f in folder.iterdir() if f.name.endswith(SUFFIX)), key=lambda f: f.name)


@dataclass(frozen=True)
class CuratedFile:
    """One curated mapping set file: the bundled ones, then each content folder's (a pack's crosswalks/)."""

    path: str  # how messages name it: crosswalks/<name> for a bundled file, else its path
    node: Traversable
    bundled: bool


def curated_files(roots: Sequence[ContentRoot] | None = None) -> list[CuratedFile]:
    """The crosswalks/*.sssom.tsv of each content root (default: the roots in use), bundled ones first."""
    found = []
    for root in roots if roots is not None else active_roots():
        for node in root.files("crosswalks", suffix=SUFFIX):
            found.append(CuratedFile(root.source("crosswalks", node.name), node, root.bundled))
    return found


def bundled_mapping_sets(roots: Sequence[ContentRoot] | None = None) -> list[MappingSetFile]:
    """Every curated mapping set: the bundled ones and those of the content folders in use (or `roots`).

    A malformed bundled set is a bug in the package (ContentError); a malformed one of a content folder is
    the user's (InputError, with its file and line).
    """
    sets = []
    for file in curated_files(roots):
        try:
            sets.append(parse_sssom(file.node, source=file.path))
        except InputError as err:
            if not file.bundled:
                raise
            raise ContentError(f"bundled mapping set is malformed: {err}") from err
    return sets
