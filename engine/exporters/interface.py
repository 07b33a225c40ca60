"""What every exporter provides, and the context it renders mappings in."""
from __future__ import annotations

import datetime as dt
import io
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import IO, ClassVar, cast

from rdflib import URIRef

from ..catalogue import Catalogue, Framework
from ..crosswalk.model import Mapping
from ..crosswalk.sssom import compress, prefix_table


@dataclass(frozen=True)
class ExportContext:
    """The frameworks a mapping set runs between, and the catalogue that names their elements."""

    source_framework: Framework
    target_framework: Framework
    catalogue: Catalogue
    title: str | None = None
    date: dt.date | None = None
    raw_cells: bool = False  # CSV: write cells as they are, without the ' that stops formulas
    extra_labels: dict[URIRef, str] = field(default_factory=dict, compare=False)

    @property
    def name(self) -> str:
        """The mapping set's short name: ``<source id>--<target id>``."""
        return f"{self.source_framework.id}--{self.target_framework.id}"

    @property
    def set_title(self) -> str:
        source, target = self.source_framework, self.target_framework
        return self.title or f"{source.label} {source.version} to {target.label} {target.version}"

    def label(self, iri: URIRef) -> str | None:
        if iri in self.extra_labels:
            return self.extra_labels[iri]
        return self.catalogue.label(iri)

    def identifier(self, iri: URIRef) -> str | None:
        """The element's identifier in its source (dcterms:identifier), e.g. ZTMM-ID-AUTH-A."""
        return self.catalogue.identifier(iri)

    def framework_of(self, iri: URIRef) -> Framework | None:
        """The bundled framework whose namespace holds the IRI."""
        text = str(iri)
        return next((fw for ns, fw in self._namespaces if text.startswith(ns)), None)

    def curie(self, iri: URIRef | str) -> str:
        return compress(str(iri), prefix_table())

    def labels(self, mappings: Sequence[Mapping]) -> dict[URIRef, str]:
        found: dict[URIRef, str] = {}
        for m in mappings:
            for node in (m.subject, m.object):
                label = self.label(node)
                if label is not None:
                    found[node] = label
        return found

    def set_date(self, mappings: Sequence[Mapping]) -> dt.date | None:
        dates = [m.date for m in mappings if m.date is not None]
        return self.date or (max(dates) if dates else None)

    @cached_property
    def _namespaces(self) -> list[tuple[str, Framework]]:
        pairs = [(str(fw.iri).rsplit("/", 1)[0] + "/", fw) for fw in self.catalogue.frameworks.values()]
        return sorted(pairs, key=lambda p: -len(p[0]))


class Exporter(ABC):
    """One export format. `render` is pure; `write` puts the text on a text or binary stream."""

    name: ClassVar[str]
    media_type: ClassVar[str]
    suffix: ClassVar[str]

    @abstractmethod
    def render(self, mappings: Sequence[Mapping], *, context: ExportContext) -> str:
        """The whole export as text."""

    def write(self, mappings: Sequence[Mapping], stream: IO[str] | IO[bytes], *, context: ExportContext) -> None:
        write_text(stream, self.render(list(mappings), context=context))


def write_text(stream: IO[str] | IO[bytes], text: str) -> None:
    """Write text to a text stream, or UTF-8 bytes to a binary one (open_output yields binary)."""
    if isinstance(stream, io.TextIOBase):
        stream.write(text)
    else:  # the type says nothing of which it is; a stream that is no TextIOBase is taken as binary
        cast(IO[bytes], stream).write(text.encode("utf-8"))
