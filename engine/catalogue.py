"""The frameworks there are, and the graphs that describe them (vocabulary, frameworks, shapes).

Content is read once per process and set of content roots (the bundled content, plus the built packs that
--content and MGRAPH_CONTENT add: content_folders.py): a catalogue is immutable and shared.
"""
from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, cached_property, lru_cache
from importlib.resources.abc import Traversable
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Node

from . import bundled
from .content_folders import BUNDLED, FRAMEWORKS, ContentRoot, active_roots
from .errors import ContentError, InputError, UnknownFrameworkError
from .rdf import parse_triples, to_rdflib_graph
from .store import Store, open_store

log = logging.getLogger(__name__)

VOCABULARY_FILES = ("mm.ttl", "ev.ttl", "concepts.ttl")


@dataclass(frozen=True)
class Framework:
    """One framework version (bundled, or from a content folder)."""

    id: str
    iri: URIRef
    label: str
    version: str
    license: str | None
    publisher: str | None

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.version}"


@dataclass(frozen=True)
class StageInfo:
    iri: URIRef
    rank: int
    label: str
    value: Decimal | None = None


@dataclass(frozen=True)
class RollUpRule:
    iri: URIRef
    level: URIRef
    method: URIRef
    authority: URIRef
    label: str
    part_kind: URIRef | None = None
    gate: Decimal | None = None
    unpublished: URIRef | None = None  # mm:unpublishedStage: how a stage the source does not publish is treated
    authority_label: str | None = None  # "published by the source", "chosen by maturity-graph", a pack's author


# A row of a bundled content query: variable name to rdflib term, or None where unbound. Which kind
# each value is (IRI, literal) the .rq file fixes, so rows are read without a check per value.
Row = dict[str, Any]


@dataclass(frozen=True)
class FrameworkRules:
    """What drives assessment of one framework: its scale, target and roll-ups."""

    stages: tuple[StageInfo, ...]
    target: StageInfo | None
    roll_ups: tuple[RollUpRule, ...]

    def stage_at(self, rank: int) -> StageInfo | None:
        return next((s for s in self.stages if s.rank == rank), None)

    def roll_up(self, level: URIRef) -> RollUpRule | None:
        return next((r for r in self.roll_ups if r.level == level), None)


@dataclass(frozen=True)
class CapabilityRow:
    dimension: URIRef
    dimension_id: str
    dimension_label: str
    capability: URIRef
    capability_id: str
    capability_label: str
    kind: URIRef | None = None
    aspect: URIRef | None = None
    tier: URIRef | None = None
    tier_id: str | None = None
    tier_label: str | None = None
    tier_rank: int | None = None
    group: URIRef | None = None
    group_id: str | None = None
    group_label: str | None = None


@dataclass(frozen=True)
class RequirementRow:
    """A requirement with where it sits in its framework."""

    place: CapabilityRow
    stage: URIRef
    rank: int
    stage_label: str
    criterion: URIRef
    requirement: URIRef
    id: str
    text: str
    shape: URIRef | None
    measure: URIRef | None = None
    measure_label: str | None = None
    population: URIRef | None = None
    population_label: str | None = None
    threshold_default: Decimal | None = None
    severity: URIRef | None = None

    @property
    def measured(self) -> bool:
        return self.measure is not None


@dataclass(frozen=True)
class SourceGap:
    """Where the source is incomplete: a capability-level gap, or a cell (criterion) it does not publish."""

    capability: URIRef
    gap: URIRef
    comment: str
    criterion: URIRef | None = None
    criterion_id: str | None = None
    rank: int | None = None


@dataclass(frozen=True)
class FrameworkCounts:
    dimensions: int
    capabilities: int
    stages: int
    criteria: int
    requirements: int


def bundled_graph(*parts: str, into: Graph | None = None) -> Graph:
    """Parse one bundled Turtle file (path parts under the content root) into an rdflib graph."""
    graph = into if into is not None else Graph()
    name = "/".join(parts)
    return to_rdflib_graph(parse_triples(_bundled_bytes(*parts), fmt=ox.RdfFormat.TURTLE, source=name), graph)


def _bundled_bytes(*parts: str) -> bytes:
    try:
        return bundled.content_dir(*parts).read_bytes()
    except FileNotFoundError as err:
        raise ContentError(f"bundled file {'/'.join(parts)} is missing; the installation is broken") from err


class Catalogue:
    """Vocabulary, frameworks and shapes: the bundled ones, and those of the extra content roots.

    The content is read once, by Oxigraph, straight into `content_store`: every question the engine asks
    of the frameworks is a query there. rdflib copies (`content_graph` and its parts) are built only
    when asked for, by the few callers that walk a graph in Python.
    """

    def __init__(self, roots: Sequence[ContentRoot] | None = None) -> None:
        self.roots: tuple[ContentRoot, ...] = tuple(roots) if roots is not None else (BUNDLED,)
        if not self.roots or self.roots[0] != BUNDLED or any(r.bundled for r in self.roots[1:]):
            raise ContentError("a catalogue's content roots are the bundled content, then extra folders")
        # Nothing but the content, in the default graph: for questions about the frameworks
        # themselves, never to be given evidence.
        self.content_store: Store = open_store()
        for name, data in self._bundled_files:
            self.content_store.load(data, fmt="turtle", source=name)
        self.frameworks: dict[str, Framework] = {}
        self._origin: dict[str, tuple[ContentRoot, str]] = {}  # framework id -> its root and file
        self._add_frameworks(self._framework_rows(self.content_store), BUNDLED, "the bundled content")
        for root, name, data in self._extra_files:
            found = open_store()
            found.load(data, fmt="turtle", source=name)
            rows = self._framework_rows(found)
            if not rows:
                raise InputError("defines no framework: no node typed mm:Framework with dcterms:identifier, "
                                 "rdfs:label and owl:versionInfo", path=name)
            self._add_frameworks(rows, root, name)
            self.content_store.load(data, fmt="turtle", source=name)
        for fw_id, (root, name) in self._origin.items():
            if not root.bundled:
                self._check_shapes(self.frameworks[fw_id], root, name)
        log.debug("catalogue: %d frameworks, %d triples", len(self.frameworks), self.content_store.count())

    @staticmethod
    def _framework_rows(store: Store) -> list[Row]:
        rows: list[Row] = store.query(bundled.query_text(__package__, "frameworks.rq")).dicts()
        return rows

    def _add_frameworks(self, rows: list[Row], root: ContentRoot, name: str) -> None:
        """The frameworks one file (or the bundled content) defines; an id or IRI already taken is refused."""
        for row in rows:
            fw = Framework(
                id=str(row["id"]),
                iri=row["framework"],
                label=str(row["label"]),
                version=str(row["version"]),
                license=_text_or_none(row["licenseLabel"] if row["licenseLabel"] is not None else row["license"]),
                publisher=str(row["publisher"]) if row["publisher"] is not None else None,
            )
            clash = next((other for other in self.frameworks.values()
                          if other.id.lower() == fw.id.lower() or other.iri == fw.iri), None)
            if clash is not None and root.bundled:
                raise ContentError(f"two bundled frameworks share the id {fw.id!r}")
            if clash is not None:
                what = f"the id {fw.id!r}" if clash.id.lower() == fw.id.lower() else f"the IRI <{fw.iri}>"
                other_root, other_name = self._origin[clash.id]
                where = ("the bundled framework" if other_root.bundled
                         else f"the framework in {_user_file(other_root, other_name)} ({other_root.describe()})")
                raise InputError(f"framework {fw.id!r} has {what} of {where} {clash.id!r}; give it another id "
                                 "(and namespace) in its pack", path=_user_file(root, name))
            self.frameworks[fw.id] = fw
            self._origin[fw.id] = (root, name)

    def _check_shapes(self, fw: Framework, root: ContentRoot, name: str) -> None:
        """A framework from a content folder has its shapes beside it, and they parse (errors name file and line)."""
        files = root.files("shapes", fw.id, suffix=".ttl")
        if not files:
            raise InputError(f"framework {fw.id!r} has no shapes in {root.source('shapes', fw.id)}", path=name)
        for node in files:
            parse_triples(node.read_bytes(), fmt=ox.RdfFormat.TURTLE, source=root.source("shapes", fw.id, node.name))

    def origin(self, framework: Framework) -> str:
        """Where a framework comes from: "bundled", or the content folder (or pack) given for it."""
        root = self._origin[framework.id][0]
        return "bundled" if root.bundled else str(root.pack or root.name)

    @cached_property
    def names(self) -> Graph:
        """An empty graph carrying the project's prefix table, for printing IRIs as prefixed names."""
        graph = Graph(bind_namespaces="core")
        graph.parse(data=bundled.content_dir("ontology", "prefixes.ttl").read_text(encoding="utf-8"), format="turtle")
        return graph

    @cached_property
    def defined_terms(self) -> frozenset[URIRef]:
        """Every IRI the vocabulary and the frameworks say something about: evidence may not."""
        rows = self.content_store.query(bundled.query_text(__package__, "defined-terms.rq")).rows
        return frozenset(term for term, in rows if isinstance(term, URIRef))

    @cached_property
    def vocabulary(self) -> Graph:
        """An rdflib copy of the vocabulary files (mm, ev, concepts)."""
        graph = Graph()
        for name in VOCABULARY_FILES:
            bundled_graph("ontology", name, into=graph)
        return graph

    @cached_property
    def frameworks_graph(self) -> Graph:
        """An rdflib copy of every framework file."""
        graph = Graph()
        for node in bundled.turtle_files("ontology", "frameworks"):
            bundled_graph("ontology", "frameworks", node.name, into=graph)
        for _, name, data in self._extra_files:
            to_rdflib_graph(parse_triples(data, fmt=ox.RdfFormat.TURTLE, source=name), graph)
        return graph

    @cached_property
    def content_graph(self) -> Graph:
        """An rdflib copy of the whole content (what content_store holds), for code that walks it in Python."""
        graph = Graph()
        for name, data in self._content_files:
            to_rdflib_graph(parse_triples(data, fmt=ox.RdfFormat.TURTLE, source=name), graph)
        return graph

    def content_files(self) -> list[tuple[str, bytes]]:
        """The Turtle files that make up the content (bundled, then each content folder's frameworks): the
        catalogue and each run's store load them."""
        return list(self._content_files)

    @cached_property
    def _content_files(self) -> tuple[tuple[str, bytes], ...]:
        return (*self._bundled_files, *((name, data) for _, name, data in self._extra_files))

    @cached_property
    def _bundled_files(self) -> tuple[tuple[str, bytes], ...]:
        names: list[tuple[str, ...]] = [("ontology", name) for name in VOCABULARY_FILES]
        names += [("ontology", "frameworks", node.name) for node in bundled.turtle_files("ontology", "frameworks")]
        return tuple(("/".join(parts), _bundled_bytes(*parts)) for parts in names)

    @cached_property
    def _extra_files(self) -> tuple[tuple[ContentRoot, str, bytes], ...]:
        """The framework files of the extra content roots, each named by its path."""
        found = []
        for root in self.roots[1:]:
            for node in root.files(*FRAMEWORKS, suffix=".ttl"):
                name = root.source(*FRAMEWORKS, node.name)
                try:
                    found.append((root, name, node.read_bytes()))
                except OSError as err:
                    raise InputError(f"cannot read the file: {err.strerror or err}", path=name) from None
        return tuple(found)

    def label(self, iri: URIRef) -> str | None:
        """An element's rdfs:label in the bundled content."""
        return self._names_of[0].get(iri)

    def identifier(self, iri: URIRef) -> str | None:
        """An element's identifier in its source (dcterms:identifier), e.g. ZTMM-ID-AUTH-A."""
        return self._names_of[1].get(iri)

    @cached_property
    def _names_of(self) -> tuple[dict[URIRef, str], dict[URIRef, str]]:
        """Labels and identifiers of every element, from one query: an export names hundreds of them."""
        labels: dict[URIRef, str] = {}
        identifiers: dict[URIRef, str] = {}
        for node, label, identifier in self.content_store.query(
                bundled.query_text(__package__, "element-names.rq")).rows:
            if not isinstance(node, URIRef):
                continue
            if label is not None:
                labels.setdefault(node, str(label))
            if identifier is not None:
                identifiers.setdefault(node, str(identifier))
        return labels, identifiers

    def ids(self) -> list[str]:
        return sorted(self.frameworks)

    def get(self, name: str) -> Framework:
        """A framework by id (`sbd`) or id and version (`sbd@2025-06-18`)."""
        fw_id, _, version = name.strip().partition("@")
        fw = self.frameworks.get(fw_id.lower())
        if fw is None or (version and version != fw.version):
            known = [f.ref for f in self.frameworks.values()]
            raise UnknownFrameworkError(name, known)
        return fw

    def by_iri(self, iri: URIRef) -> Framework | None:
        return next((fw for fw in self.frameworks.values() if fw.iri == iri), None)

    def shape_files(self, framework: Framework) -> list[Traversable]:
        """The files a framework's shapes graph is built from: the shared supporting-evidence shapes, then its own
        (from the content root that defines the framework)."""
        root = self._root_of(framework)
        files = root.files("shapes", framework.id, suffix=".ttl")
        if not files:
            raise ContentError(f"framework {framework.id!r} has no shapes in shapes/{framework.id}/")
        return [bundled.content_dir("shapes", "core", "supporting-evidence.ttl"), *files]

    def _root_of(self, framework: Framework) -> ContentRoot:
        origin = self._origin.get(framework.id)
        return origin[0] if origin is not None else BUNDLED

    @cache  # noqa: B019 - long-lived singleton, see structure()
    def shapes_graph(self, framework: Framework) -> Graph:
        """The requirement shapes of one framework plus the shared supporting-evidence shapes.

        Built once per framework and shared: callers read it (apply_thresholds copies before it changes anything).
        It is read triple by triple and never by graph context, so it lives in rdflib's SimpleMemory store,
        which fills and answers patterns about twice as fast as the default one.
        """
        graph = Graph(store="SimpleMemory")
        root = self._root_of(framework)
        core, *own = self.shape_files(framework)
        sources = [(core, f"shapes/{core.name}"), *((n, root.source("shapes", framework.id, n.name)) for n in own)]
        for node, name in sources:
            to_rdflib_graph(parse_triples(node.read_bytes(), fmt=ox.RdfFormat.TURTLE, source=name), graph)
        return graph

    def _rows(self, query: str, framework: Framework) -> list[Row]:
        text = bundled.query_text(__package__, query)
        return self.content_store.query(text, bindings={"framework": framework.iri}).dicts()

    # B019: caching on methods keeps `self` alive, which is harmless here: load_catalogue() builds
    # one Catalogue per process (and set of content roots) and keeps it for the process's lifetime anyway.
    @cache  # noqa: B019 - long-lived singleton, see above
    def structure(self, framework: Framework) -> tuple[CapabilityRow, ...]:
        return tuple(_capability_row(r) for r in self._rows("framework-structure.rq", framework))

    @cache  # noqa: B019 - long-lived singleton, see structure()
    def requirement_rows(self, framework: Framework) -> tuple[RequirementRow, ...]:
        rows = []
        for r in self._rows("framework-requirements.rq", framework):
            rows.append(
                RequirementRow(
                    place=_capability_row(r),
                    stage=r["stage"],
                    rank=int(r["rank"]),
                    stage_label=str(r["stageLabel"]),
                    criterion=r["criterion"],
                    requirement=r["requirement"],
                    id=str(r["requirementId"]),
                    text=str(r["requirementLabel"]),
                    shape=r["shape"],
                    measure=r["measure"],
                    measure_label=_text_or_none(r["measureLabel"]),
                    population=r["population"],
                    population_label=_text_or_none(r["populationLabel"]),
                    threshold_default=(Decimal(str(r["thresholdDefault"]))
                                       if r["thresholdDefault"] is not None else None),
                    severity=r["severity"],
                )
            )
        return tuple(rows)

    def requirements(self, framework: Framework) -> list[URIRef]:
        return [row.requirement for row in self.requirement_rows(framework)]

    @cache  # noqa: B019 - long-lived singleton, see structure()
    def gaps(self, framework: Framework) -> tuple[SourceGap, ...]:
        return tuple(
            SourceGap(r["capability"], r["gap"], str(r["comment"]), r["criterion"],
                      _text_or_none(r["criterionId"]), int(r["rank"]) if r["rank"] is not None else None)
            for r in self._rows("framework-gaps.rq", framework)
        )

    @cache  # noqa: B019 - long-lived singleton, see structure()
    def rules(self, framework: Framework) -> FrameworkRules:
        stages, roll_ups, target = [], [], None
        for r in self._rows("framework-rules.rq", framework):
            if r["stage"] is not None:
                value = Decimal(str(r["stageValue"])) if r["stageValue"] is not None else None
                stage = StageInfo(r["stage"], int(r["rank"]), str(r["stageLabel"]), value)
                stages.append(stage)
                if r["isTarget"] is not None and r["isTarget"].toPython() is True:
                    target = stage
            else:
                gate = Decimal(str(r["gate"])) if r["gate"] is not None else None
                roll_ups.append(RollUpRule(r["rollUp"], r["level"], r["method"], r["authority"], str(r["rollUpLabel"]),
                                           r["partKind"], gate, r["unpublished"], _text_or_none(r["authorityLabel"])))
        return FrameworkRules(tuple(sorted(stages, key=lambda s: s.rank)), target, tuple(roll_ups))

    @cached_property
    def _counts(self) -> dict[URIRef, FrameworkCounts]:
        rows: list[Row] = self.content_store.query(bundled.query_text(__package__, "framework-counts.rq")).dicts()
        return {
            row["framework"]: FrameworkCounts(
                *(int(row[k]) for k in ("dimensions", "capabilities", "stages", "criteria", "requirements")))
            for row in rows
        }

    def counts(self, framework: Framework) -> FrameworkCounts:
        return self._counts[framework.iri]


def _user_file(root: ContentRoot, name: str) -> str:
    """A framework file as the user knows it: a pack built on the fly by its framework.yaml, not the build."""
    return str(root.pack / "framework.yaml") if root.pack is not None else name


def _text_or_none(term: Node | None) -> str | None:
    return None if term is None else str(term)


def _capability_row(r: Row) -> CapabilityRow:
    return CapabilityRow(
        dimension=r["dimension"],
        dimension_id=str(r["dimensionId"]),
        dimension_label=str(r["dimensionLabel"]),
        capability=r["capability"],
        capability_id=str(r["capabilityId"]),
        capability_label=str(r["capabilityLabel"]),
        kind=r.get("kind"),
        aspect=r.get("aspect"),
        tier=r.get("tier"),
        tier_id=_text_or_none(r.get("tierId")),
        tier_label=_text_or_none(r.get("tierLabel")),
        tier_rank=int(r["tierRank"]) if r.get("tierRank") is not None else None,
        group=r.get("group"),
        group_id=_text_or_none(r.get("groupId")),
        group_label=_text_or_none(r.get("groupLabel")),
    )


def load_catalogue(roots: Sequence[ContentRoot] | None = None) -> Catalogue:
    """The catalogue of the given content roots (content_roots()), by default the ones in use (the bundled
    content, plus MGRAPH_CONTENT's and --content's folders); built once per set of roots and shared."""
    chosen = tuple(roots) if roots is not None else active_roots()
    return _bundled_catalogue() if chosen == (BUNDLED,) else _catalogue_of(chosen)


@lru_cache(maxsize=1)
def _bundled_catalogue() -> Catalogue:
    return Catalogue()


@lru_cache(maxsize=4)
def _catalogue_of(roots: tuple[ContentRoot, ...]) -> Catalogue:
    return Catalogue(roots)
