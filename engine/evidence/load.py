"""Loading evidence graphs from the user's files, safely and without touching them."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph
from rdflib.term import Node

from ..errors import InputError
from ..rdf import read_triples, to_rdflib_graph, to_rdflib_term

NO_STATEMENTS = ("holds no RDF statements (a JSON file is read as JSON-LD and needs an @context; "
                 "for scanner output use mgraph evidence import --from prowler)")


@dataclass
class EvidenceSet:
    """The union of one or more evidence files, remembering which file each subject came from."""

    graph: Graph
    files: list[Path] = field(default_factory=list)
    origin: dict[Node, str] = field(default_factory=dict)

    def source_of(self, node: Node) -> str | None:
        return self.origin.get(node)


def load_evidence(paths: Iterable[str | Path]) -> EvidenceSet:
    """Parse Turtle, N-Triples or JSON-LD evidence files into one rdflib graph, for callers that want one.

    Assessment does not: it streams files into its run's store (run.py).

    Raises InputError naming the file (and line) for a missing or malformed file.
    """
    evidence = EvidenceSet(graph=Graph())
    for raw in paths:
        path = Path(raw)
        triples = read_triples(path)
        if not triples:
            raise InputError(NO_STATEMENTS, path=path)
        to_rdflib_graph(triples, evidence.graph)
        for subject in {t.subject for t in triples}:
            evidence.origin.setdefault(to_rdflib_term(subject), str(path))
        evidence.files.append(path)
    return evidence
