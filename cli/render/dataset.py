"""What a dataset holds, one line per named graph: for `export graph` and `serve` to say what they wrote or serve."""
from __future__ import annotations

from maturity_graph import DATASET_FORMATS, Dataset

from .registry import RENDERERS, Kind
from .terminal import terminal_safe

RENDERERS.register_streamed(Kind.DATASET, list(DATASET_FORMATS))


def dataset_summary(dataset: Dataset) -> list[str]:
    """Tab-separated, as `mgraph load` prints its graphs; each field made safe for the terminal."""
    return ["\t".join(terminal_safe(field, one_line=True) for field in (str(graph), f"{triples} triples"))
            for graph, triples in dataset.graphs.items()]
