"""One run, one store: content, each evidence source and the results in named graphs of the same store.

A run is what validation and assessment work on. Evidence files go straight into the store, each
into a graph of its own (graph:evidence/1, graph:evidence/2, ...), read by Oxigraph's loader with no
rdflib copy; the graph a node sits in names the file it came from. A run on a store someone else
filled (an endpoint loaded with `mgraph load`) finds the evidence graphs already there.
"""
from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.term import Node

from . import bundled
from .assessment.result import AssessmentScope
from .assessment.scopes import decided_graph, scope_slots
from .catalogue import Catalogue, load_catalogue
from .errors import InputError, StoreError
from .evidence.load import NO_STATEMENTS, EvidenceSet
from .inputs import MIB, size_limit
from .namespaces import CONTENT_GRAPH, CURRENT_GRAPH, DECIDED_GRAPH, evidence_graph, is_evidence_graph
from .rdf import format_name
from .store import Store, open_store
from .store.loading import evidence_graph_name

log = logging.getLogger(__name__)

# Streamed files are never held whole in memory, so the limit only guards against a wrong file.
MAX_STREAMED_BYTES = 4096 * MIB
# Working graphs a run writes and removes: they are the run's own, never the user's data.
WORKING_GRAPHS = (CURRENT_GRAPH, DECIDED_GRAPH)


@dataclass
class Run:
    """The store of one validation or assessment, and which of its graphs hold what."""

    store: Store
    catalogue: Catalogue
    sources: dict[URIRef, str] = field(default_factory=dict)  # evidence graph -> file (or graph name)
    derived: list[URIRef] = field(default_factory=list)  # evidence graphs the run made, removed with it
    # The assessment the run is on (assessment/scopes.py): what its queries' ASSESSMENT and CLAIMS slots say.
    scope: AssessmentScope | None = None
    alone: bool = True  # whether that assessment is the only one in the run (then all the evidence is its own)
    scope_slots: dict[str, str] = field(default_factory=lambda: scope_slots(None, alone=True))
    # Its decided graph, as the DECIDED slot names it (assessment/scopes.py decided_graph); graph:current is
    # one for the whole run.
    decided_graph: URIRef = DECIDED_GRAPH

    @classmethod
    def open(cls, evidence: EvidenceSet | Iterable[str | Path] | None, *, store: Store | None = None,
             catalogue: Catalogue | None = None) -> Run:
        """A run over evidence files (or an in-memory EvidenceSet), in a new in-memory store unless one is given.

        With a given store and no evidence, the evidence graphs already in it are assessed.
        """
        catalogue = catalogue or load_catalogue()
        run = cls(store if store is not None else open_store(), catalogue)
        if store is None or run.store.count(CONTENT_GRAPH) == 0:
            run.load_content()
        if evidence is None:
            run.sources = {g: str(g) for g in run.store.graph_names() if is_evidence_graph(g)}
            if not run.sources:
                raise StoreError("the store holds no evidence graphs (graph:evidence/...); load some with mgraph load")
        elif isinstance(evidence, EvidenceSet):
            run.add_evidence_set(evidence)
        else:
            run.load_files(evidence)
        return run

    def load_content(self) -> None:
        if self.store.read_only:
            raise StoreError("the store holds no bundled content (graph:content); load it with mgraph load")
        for name, data in self.catalogue.content_files():
            self.store.load(data, fmt="turtle", source=name, into=CONTENT_GRAPH)

    def load_files(self, paths: Iterable[str | Path]) -> None:
        """Each file into graph:evidence/<file name> (as `mgraph load` names them), streamed by the store's loader."""
        taken = set(self.sources)
        for raw in paths:
            path = Path(raw)
            fmt = format_name(path)
            _check_file(path, limit=size_limit(MAX_STREAMED_BYTES))
            graph = evidence_graph_name(path, taken)
            taken.add(graph)
            self.store.drop(graph)
            added = self.store.load(path, fmt=fmt, source=str(path), into=graph)
            if not added:
                raise InputError(NO_STATEMENTS, path=path)
            self.sources[graph] = str(path)
            log.debug("loaded %s: %d triples into %s", path, added, graph)

    def add_evidence_set(self, evidence: EvidenceSet) -> None:
        """Evidence already parsed (by load_evidence, or built in Python): one graph per file, or one for all."""
        graph = evidence_graph(f"in-memory-{len(self.sources) + 1}")
        self.store.add_graph(evidence.graph, into=graph)
        self.sources[graph] = ", ".join(str(f) for f in evidence.files) or "evidence built in memory"

    def add_derived_evidence(self, graph: Graph, *, name: str) -> URIRef:
        """Evidence the run derives (carried through a crosswalk), in a graph of its own next to the user's."""
        target = evidence_graph(name)
        self.store.add_graph(graph, into=target)
        self.sources[target] = f"derived: {name}"
        self.derived.append(target)
        return target

    @property
    def evidence_graphs(self) -> list[URIRef]:
        return list(self.sources)

    @property
    def data_graphs(self) -> list[URIRef]:
        """What shapes see: the content and the evidence (the shapes say which nodes they target)."""
        return [CONTENT_GRAPH, *self.sources]

    def source_of(self, node: Node) -> str | None:
        """The file a node was read from: the first evidence graph it is the subject of."""
        return self._sources_of.get(node)

    @cached_property
    def _sources_of(self) -> _SourceIndex:
        return _SourceIndex(self.store, self.sources)

    def use(self, scope: AssessmentScope | None, *, alone: bool) -> None:
        """Scope the run's queries to one assessment's evidence (`alone`: the only assessment in the run)."""
        self.scope, self.alone = scope, alone
        self.decided_graph = decided_graph(scope, alone=alone)
        self.scope_slots = scope_slots(scope, alone=alone)

    def query_text(self, package: str, name: str, **slots: str) -> str:
        """A bundled query with its slots filled: the run's scope (ASSESSMENT, CLAIMS, CURRENT, DECIDED) where it
        has them."""
        text = bundled.query_text(package, name)
        wanted = set(bundled.SLOT.findall(text))
        scoped = {slot: value for slot, value in self.scope_slots.items() if slot in wanted}
        return bundled.fill_slots(text, {**scoped, **slots}, name=f"{package}/{name}") if wanted else text

    def query(self, name: str, package: str, **bindings: Node) -> list[dict[str, Node | None]]:
        """A bundled rule query whose evidence patterns read the evidence graphs (its default graph), scoped to
        the run's assessment where the query has the slots for it."""
        text = self.query_text(package, name)
        return self.store.query(text, bindings=bindings or None, graphs=self.evidence_graphs).dicts()

    def reset_working_graphs(self) -> None:
        for graph in dict.fromkeys((*WORKING_GRAPHS, self.decided_graph, *self.derived)):
            self.store.drop(graph)
            self.sources.pop(graph, None)
        self.derived.clear()

    def close(self) -> None:
        self.store.close()


class _SourceIndex:
    """Looks nodes up lazily, one query each: only the few nodes named in messages are ever asked for.

    It holds the store and the run's sources, not the run: a cycle would keep a whole store alive
    until the garbage collector's next full pass.
    """

    def __init__(self, store: Store, sources: dict[URIRef, str]) -> None:
        self._store = store
        self._sources = sources
        self._known: dict[Node, str | None] = {}

    def get(self, node: Node) -> str | None:
        if node not in self._known:
            text = bundled.query_text(__package__, "source-of.rq")
            rows = self._store.query(text, bindings={"node": node}).dicts()
            graphs = sorted(str(row["graph"]) for row in rows if row["graph"] is not None)
            found = next((self._sources[URIRef(g)] for g in graphs if URIRef(g) in self._sources), None)
            self._known[node] = found
        return self._known[node]


def _check_file(path: Path, *, limit: int) -> None:
    """A regular file no larger than the limit, checked without reading it."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise InputError("file not found", path=path) from None
    except OSError as err:
        raise InputError(f"cannot read the file: {err.strerror or err}", path=path) from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError("is a directory, not an RDF file", path=path)
    if not stat.S_ISREG(info.st_mode):
        raise InputError("is not a regular file (a device, pipe or socket); give an RDF file saved as a file",
                         path=path)
    if info.st_size > limit:
        raise InputError(f"the file is {info.st_size // MIB} MiB, over the {limit // MIB} MiB limit for an RDF file; "
                         "set MGRAPH_MAX_INPUT_MB to a larger number of MiB to read it anyway", path=path)
    if not os.access(path, os.R_OK):
        raise InputError("cannot read the file: permission denied", path=path)
