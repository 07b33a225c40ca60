"""A run's whole dataset (bundled content, each evidence file, the results), each in its named graph.

What `mgraph export graph` writes and `mgraph serve` serves. The evidence is assessed with
write_results into one Oxigraph store, so the store holds exactly the graphs a run holds
(graph:content, graph:evidence/<file name>, graph:results), and Oxigraph's own serializer writes
them: a triple store that loads the file sees what the run saw, with no rdflib copy between.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pyoxigraph as ox
from rdflib import URIRef

from .assessment.pipeline import assess
from .assessment.result import AssessmentResult
from .catalogue import Catalogue
from .errors import InputError
from .evidence.load import EvidenceSet
from .output import open_output
from .prefixes import prefix_map
from .store import Store
from .store.oxigraph import OxigraphStore

# The quads formats a dataset is written in: both keep every graph's name, and every triple store reads both.
DATASET_FORMATS: dict[str, ox.RdfFormat] = {"trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}



@dataclass(frozen=True)
class Dataset:
    """What a store holds once filled: the assessment, and each named graph with its triples."""

    result: AssessmentResult
    graphs: dict[URIRef, int]

    @property
    def triples(self) -> int:
        return sum(self.graphs.values())


class DatasetStore(OxigraphStore):
    """Embedded Oxigraph that can also write its whole dataset through Oxigraph's serializer."""

    def dump(self, stream: IO[bytes], fmt: str) -> None:
        """Every quad, in `fmt` (a key of DATASET_FORMATS), streamed as Oxigraph produces it."""
        kind = DATASET_FORMATS[fmt]
        # TriG with the project's prefixes (engine/prefixes.py), so it reads as the bundled Turtle does
        self._store.dump(stream, kind, prefixes=prefix_map() if kind is ox.RdfFormat.TRIG else None)


def fill_dataset(store: Store, evidence: EvidenceSet | Iterable[str | Path], *, frameworks: Sequence[str] | None = None,
                 as_of: dt.date | None = None, subjects: Sequence[str] = (), with_crosswalks: bool = False,
                 engine: str = "sparql", catalogue: Catalogue | None = None) -> Dataset:
    """Assess `evidence` into `store`, keeping the results in graph:results (what `assess` chooses, chosen alike).

    The run's working graphs (carried evidence too) are removed as any run removes them, so the store
    ends up holding content, evidence and results only.
    """
    result = assess(evidence, frameworks=frameworks, as_of=as_of, subjects=subjects, engine=engine, store=store,
                    write_results=True, with_crosswalks=with_crosswalks, catalogue=catalogue)
    return Dataset(result, {graph: store.count(graph) for graph in store.graph_names()})


def export_dataset(evidence: EvidenceSet | Iterable[str | Path], target: str | Path | None, *, fmt: str = "trig",
                   frameworks: Sequence[str] | None = None, as_of: dt.date | None = None,
                   subjects: Sequence[str] = (), with_crosswalks: bool = False, engine: str = "sparql",
                   inputs: Iterable[str | Path] = (), catalogue: Catalogue | None = None) -> Dataset:
    """Assess `evidence` and write the whole dataset to `target` (None or "-": standard output) in `fmt`.

    The file appears only once complete (engine/output.py), and not at all if the assessment fails; `inputs` are
    refused as the target.
    """
    if fmt not in DATASET_FORMATS:
        raise InputError(f"unknown dataset format {fmt!r}; choose one of {', '.join(DATASET_FORMATS)}")
    evidence = evidence if isinstance(evidence, EvidenceSet) else list(evidence)
    shown = "standard output" if target is None or str(target) == "-" else str(target)
    store = DatasetStore()
    # the output is opened first, so a target that cannot be written is refused before the assessment runs
    with open_output("-" if target is None else target, inputs=inputs) as stream:
        dataset = fill_dataset(store, evidence, frameworks=frameworks, as_of=as_of, subjects=subjects,
                               with_crosswalks=with_crosswalks, engine=engine, catalogue=catalogue)
        try:
            store.dump(stream, fmt)  # type: ignore[arg-type]  # a RawIOBase writes bytes, as IO[bytes] does
        except BrokenPipeError:
            raise  # a reader that went away (`| head`): the command's to take as it takes any closed pipe
        except OSError as err:
            raise InputError(f"cannot write the output: {err.strerror or err}", path=shown) from None
    return dataset
